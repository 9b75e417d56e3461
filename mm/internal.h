/* SPDX-License-Identifier: MIT */
/* Helpers shared inside mm/ (mmap.c, mprotect.c, fault.c, proc maps): not for the rest. */
#ifndef WARDEN_MM_INTERNAL_H
#define WARDEN_MM_INTERNAL_H

#include "mm/mm.h"

#define PAGE_ALIGN(x) ALIGN_UP((u64)(x), (u64)PAGE_SIZE)

/*
 * Where mmap would put len bytes: addr itself with MAP_FIXED, else the hint addr if that range
 * is free, else the highest free range below mmap_base. An address, or -ENOMEM / -EINVAL.
 */
long get_unmapped_area(struct mm_struct *mm, u64 addr, u64 len, u64 flags);

/*
 * The page-table side of an address space (mm/memory.c in the kernel; no-ops in the host unit
 * tests, which check the VMAs alone). Each one flushes the TLB for what it changed.
 */

/* Linux's access_error() (mm/fault.c): does the VMA forbid the access the error code describes? */
bool access_error(u64 error_code, struct vm_area_struct *v);

/*
 * Installs pte at va where no frame is mapped yet, under page_table_lock (mm/fault.c): 0,
 * -EAGAIN when a frame is there already, -ENOMEM without a page table.
 */
int install_pte(struct mm_struct *mm, u64 va, u64 pte);

/* Gives mm a top-level page table whose kernel half is the kernel's. 0 or -ENOMEM. */
int pgd_alloc(struct mm_struct *mm);

/* Frees mm's user page tables and its top-level table (every page must be unmapped already). */
void pgd_free(struct mm_struct *mm);

/* Removes the pages of [start, end) from the page tables, dropping their frame references. */
void zap_page_range(struct mm_struct *mm, u64 start, u64 end);

struct mmu_gather;

/*
 * zap_page_range into the caller's gather (tlb->mm's pages): the flush and the frees wait for
 * the caller's tlb_finish_mmu, so that one shootdown covers several VMAs and the page tables
 * freed after them (Linux's unmap_vmas and free_pgtables under one mmu_gather).
 */
void zap_page_range_tlb(struct mmu_gather *tlb, u64 start, u64 end);

/*
 * Frees the page tables of [start, end), where no VMA is left, that no remaining VMA can use (the
 * tables wholly between the VMA below and the VMA above; Linux's free_pgtables), after the TLB
 * flush that drops them from the page-walk caches. munmap, mremap's move, MAP_FIXED and brk call
 * it through the common unmap path; exit frees everything (pgd_free).
 */
void free_pgtables(struct mm_struct *mm, u64 start, u64 end);

/* free_pgtables into the caller's gather: the tables go at its tlb_finish_mmu. */
void free_pgtables_tlb(struct mmu_gather *tlb, u64 start, u64 end);

/* Rewrites the PTEs of [start, end) for new vm_flags (copy-on-write pages stay read-only). */
void change_protection(struct mm_struct *mm, u64 start, u64 end, u64 vm_flags);

/*
 * fork: gives dst the pages src has in vma: shared mappings share the frames, private ones
 * share them copy-on-write (both sides lose write access). 0 or -ENOMEM.
 */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);

/*
 * mremap: moves the pages of [old_addr, old_addr+len) to new_addr (the ranges do not overlap).
 * If a page table cannot be allocated, every page is moved back and -ENOMEM returned.
 */
int move_page_range(struct mm_struct *mm, u64 old_addr, u64 new_addr, u64 len);

/*
 * MADV_FREE (kernel only): the private anonymous pages of [start, end) that only this mapping
 * holds become lazily freeable, clean until written again (_PAGE_LAZYFREE).
 */
void madvise_free_pte_range(struct mm_struct *mm, u64 start, u64 end);

/*
 * MADV_PAGEOUT (kernel only): with no swap, only lazily freed pages not written since can go;
 * they leave the page tables (the next touch reads zeroes). Written ones are kept, no longer
 * lazily freeable.
 */
void pageout_pte_range(struct mm_struct *mm, u64 start, u64 end);

/*
 * Population (mm/gup.c; a no-op on the host): fault in every page of [start, end), which lies
 * inside vma, as mlock and MAP_POPULATE want them (Linux's populate_vma_page_range): a write
 * fault for private writable memory (so copy-on-write is broken now), a read fault otherwise,
 * forced past a missing VM_READ when the VMA is accessible at all; nothing for VM_LOCKONFAULT.
 * The caller holds the mmap lock (either mode): handle_mm_fault never sleeps. 0 or -errno
 * (-EFAULT for a page that cannot be had, -ENOMEM).
 */
long populate_vma_page_range(struct vm_area_struct *vma, u64 start, u64 end);

/*
 * MADV_POPULATE_READ/WRITE's fault-in of [start, end) inside vma (Linux 6.1's
 * faultin_vma_page_range, mm/gup.c): never past the protection, which refuses with -EINVAL;
 * -EFAULT for a page the fault refuses, -EHWPOISON for a poisoned one, -ENOMEM, -EINTR. The
 * caller holds the mmap lock.
 */
long faultin_vma_page_range(struct vm_area_struct *vma, u64 start, u64 end, bool write);

/*
 * The page mapped at addr in mm, with a reference for the caller (Linux's get_user_pages_fast of
 * one page, no FOLL_WRITE): faulted in for reading first (private anonymous memory never touched
 * gives the zero page). NULL with *err: -EFAULT without a readable VMA or when the fault refuses
 * (a page past the end of its file, a poisoned one), -ENOMEM. Takes the mmap lock itself.
 */
struct page *get_user_page_read(struct mm_struct *mm, u64 addr, long *err);

/*
 * Linux's __mm_populate: populates each VMA of [start, start+len) of the current mm, taking the
 * mmap lock for reading; holes are skipped. The first error is returned unless ignore_errors
 * (then the next VMA is tried). Called after the lock of the change that asked for it is let go.
 */
int __mm_populate(u64 start, u64 len, bool ignore_errors);

/* mmap(MAP_POPULATE or VM_LOCKED), brk and mremap of locked memory: errors do not matter. */
static inline void mm_populate(u64 start, u64 len)
{
	(void)__mm_populate(start, len, true);
}

/*
 * How much of a mapping do_mmap just made at r (an address, or -errno) the caller populates
 * after letting go of mmap_lock (Linux's *populate): len when locked or MAP_POPULATE without
 * MAP_NONBLOCK, else 0 (mm/mmap.c).
 */
u64 mmap_populate_len(struct mm_struct *mm, long r, u64 len, u64 flags);

#endif
