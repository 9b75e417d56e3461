/* SPDX-License-Identifier: MIT */
/*
 * VMAs as objects: allocating and freeing them, their anon_vma identity, and Linux's rules for
 * splitting one VMA in two and for merging neighbours into one (spec §2.2, Linux 6.1's
 * mm/mmap.c). Everything here is generic: no page tables, no inline asm, so host unit tests run
 * it under ASan and UBSan (tests/host/test_vma_merge.c). Callers hold the mm's lock; nothing
 * here touches page tables or the TLB, because a split or a merge never changes what a page maps.
 *
 * Two neighbours that look the same in /proc/self/maps may still stay apart: merging also needs
 * equal hidden flags (VM_ACCOUNT, VM_NORESERVE), the same struct file with contiguous offsets,
 * and compatible anon_vmas. A VMA gets its anon_vma when its first private page is written
 * (anon_vma_prepare); split halves share it; fork gives the child's copy a new anon_vma linked
 * to the parent's, which keeps inherited, written VMAs from merging with new neighbours.
 */
#ifndef WARDEN_MM_VMA_H
#define WARDEN_MM_VMA_H

#include "mm/mm.h"

/* A new VMA of mm, all fields zero but vm_mm; NULL when memory runs out. */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);

/*
 * A copy of orig (range, flags, file and anon_vma, each with a reference of its own), not yet
 * in any tree; NULL when memory runs out.
 */
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);

/* Tells vma's file that one more VMA maps it (its f_op->vm_open, a SysV shm attach). */
void vma_file_open(struct vm_area_struct *vma);

/* Frees a VMA that is in no tree, dropping its file (f_op->vm_close first) and anon_vma
 * references. */
void vm_area_free(struct vm_area_struct *vma);

/*
 * Gives vma an anon_vma before its first private page is made (a write fault): a compatible
 * neighbour's (next first, then prev) when that one has its own, unforked anon_vma, otherwise a
 * new one. 0, or -ENOMEM.
 */
int anon_vma_prepare(struct vm_area_struct *vma);

/* Drops vma's anon_vma (fork's MADV_WIPEONFORK copy starts as if never written). */
void unlink_anon_vmas(struct vm_area_struct *vma);

/*
 * fork: gives child (a vm_area_dup() of parent) its own anon_vma if parent has one, linked below
 * the parent's (its chain grows by one, so it no longer counts as unforked). 0, or -ENOMEM.
 */
int anon_vma_fork(struct vm_area_struct *child, struct vm_area_struct *parent);

/*
 * Splits vma at addr (page-aligned, strictly inside it) into two VMAs. With new_below the new
 * VMA takes [vm_start, addr) and vma keeps the upper part; otherwise vma keeps the lower part.
 * __split_vma never refuses for the map count (munmap's edge splits); split_vma returns -ENOMEM
 * when mm already has sysctl_max_map_count VMAs (spec §2.5). 0, or -ENOMEM.
 */
int __split_vma(struct mm_struct *mm, struct vm_area_struct *vma, u64 addr, int new_below);
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, u64 addr, int new_below);

/*
 * Linux's vma_merge(): [addr, end) is about to get vm_flags, the file at pgoff and anon_vma
 * (those of the VMA it lies in, or NULL/none for a new mapping) and the userfaultfd uffd (a
 * VMA's vm_userfaultfd_ctx, part of the merge key as in Linux). prev is the VMA just below
 * addr, or the VMA that contains addr when addr is not at its start (mprotect of a tail), or
 * NULL. If the range can join prev and/or the VMA after it, they are merged (prev absorbs next
 * when all three fit) and the VMA that now covers [addr, end) is returned; otherwise NULL and
 * nothing changed. Never allocates, so never fails.
 */
struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *prev, u64 addr,
				 u64 end, u64 vm_flags, struct anon_vma *anon_vma,
				 struct file *file, u64 pgoff, struct userfaultfd_ctx *uffd);

/*
 * mmap's merge (Linux 6.1's mmap_region and vma_expand): the free range [addr, end) with
 * vm_flags, file and pgoff joins the VMA after it and/or the one before it. Returns the VMA that
 * now covers the range, or NULL if a new VMA is needed.
 */
struct vm_area_struct *vma_expand_for_mmap(struct mm_struct *mm, u64 addr, u64 end, u64 vm_flags,
					   struct file *file, u64 pgoff);

/*
 * May prev grow over [prev->vm_end, ...) with these attributes (Linux's can_vma_merge_after)?
 * Used by brk as well as by the merges above.
 */
bool can_vma_merge_after(struct vm_area_struct *prev, u64 vm_flags, struct anon_vma *anon_vma,
			 struct file *file, u64 pgoff, struct userfaultfd_ctx *uffd);

/*
 * Checks an address space: the VMA tree's invariants (vma_tree_check), every VMA with a file or
 * shared flags consistent, anon_vma references sane, and no two neighbours that Linux would have
 * merged (same flags but VM_SOFTDIRTY, file, contiguous offsets, neither written yet). 0, or -1
 * with the first problem described in why. O(n): for tests and the debug_vm boot option.
 */
int mm_check(struct mm_struct *mm, char *why, size_t len);

/* Set by the boot option debug_vm: mmap, munmap, mprotect and brk run mm_check() and BUG(). */
extern bool debug_vm;

/* Runs mm_check() if debug_vm is set and panics with its message when it fails. */
void mm_debug_check(struct mm_struct *mm, const char *after);

#endif
