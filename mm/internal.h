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

/* Gives mm a top-level page table whose kernel half is the kernel's. 0 or -ENOMEM. */
int pgd_alloc(struct mm_struct *mm);

/* Frees mm's user page tables and its top-level table (every page must be unmapped already). */
void pgd_free(struct mm_struct *mm);

/* Removes the pages of [start, end) from the page tables, dropping their frame references. */
void zap_page_range(struct mm_struct *mm, u64 start, u64 end);

/*
 * Frees the page tables of [start, end), where no VMA is left, that no remaining VMA can use (the
 * tables wholly between the VMA below and the VMA above; Linux's free_pgtables), after the TLB
 * flush that drops them from the page-walk caches. munmap, mremap's move, MAP_FIXED and brk call
 * it through the common unmap path; exit frees everything (pgd_free).
 */
void free_pgtables(struct mm_struct *mm, u64 start, u64 end);

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

#endif
