// SPDX-License-Identifier: MIT
/*
 * madvise (Linux 6.1's mm/madvise.c): the arguments are checked in Linux's order (advice, start
 * alignment, length overflow, empty range), then each VMA of the range is visited in address
 * order; holes are skipped and reported as ENOMEM at the end, after the VMAs around them got the
 * advice.
 *
 * What each advice does here:
 *  - MADV_DONTNEED, MADV_DONTNEED_LOCKED: the pages of the range leave the page tables, so the
 *    next touch faults: private anonymous memory reads back zero, a private file page comes back
 *    from the file (a private copy made by a write is gone), a shared page from its file.
 *  - MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP,
 *    MADV_DODUMP: flags of the VMA only (VmFlags rr, sr, hg, nh, dd in smaps), which split and
 *    merge VMAs as mprotect does; Warden has no readahead or huge pages to use them; VM_DONTDUMP
 *    keeps a VMA's bytes out of core dumps (kernel/binfmt_elf_core.c).
 *  - MADV_WILLNEED, MADV_COLD: hints with nothing to do (no page cache pressure, no swap).
 *  - MADV_FREE (private anonymous memory only, not locked): the pages become lazily freeable,
 *    clean until written again; MADV_PAGEOUT drops the ones still clean, and only those, since
 *    there is no swap (LazyFree in smaps counts them). Memory pressure, Linux's other reason to
 *    drop them, is never applied here.
 *  - MADV_DONTFORK/MADV_DOFORK, MADV_WIPEONFORK/MADV_KEEPONFORK: VM_DONTCOPY (the child gets a
 *    hole) and VM_WIPEONFORK (the child gets it zero-filled; private anonymous memory only),
 *    VmFlags dc and wf; fork (mm/mmap.c's dup_mm) acts on them.
 *  - MADV_POPULATE_READ, MADV_POPULATE_WRITE: every page faulted in now, for reading or writing
 *    (mm/gup.c), never past the protection: EINVAL if it refuses, EFAULT for a page that cannot
 *    be had (past the end of a file).
 *  - MADV_MERGEABLE, MADV_UNMERGEABLE: VM_MERGEABLE (VmFlags mg) on private memory, as a kernel
 *    built with KSM (Debian's) sets it; shared and special memory keep their flags. Warden has no
 *    ksmd, so no page is ever merged and unmerging has nothing to do.
 *  - MADV_REMOVE (shared writable file mappings): a hole punched in the file, as fallocate's
 *    PUNCH_HOLE | KEEP_SIZE, which every mapping of it then reads as zeroes.
 *  - MADV_HWPOISON, MADV_SOFT_OFFLINE (root only): memory failure injected on each page
 *    (mm/memory_failure.c): the page is poisoned and every access of it is a SIGBUS
 *    (BUS_MCEERR_AR), or its data moves to a new frame and the old one is retired.
 *  - MADV_COLLAPSE is not implemented (no huge pages): EINVAL, logged once.
 */
#include "mm/mmap_lock.h"
#include "mm/userfaultfd.h"
#include "mm/madvise.h"
#include "mm/mm.h"
#include "mm/internal.h"
#include "mm/vma.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "fs/syscalls.h"
#include "kernel/cred.h"
#include "mm/frame.h"
#include "mm/memory_failure.h"

#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_REMOVE 9
#define MADV_DONTFORK 10
#define MADV_DOFORK 11
#define MADV_MERGEABLE 12
#define MADV_UNMERGEABLE 13
#define MADV_HUGEPAGE 14
#define MADV_NOHUGEPAGE 15
#define MADV_DONTDUMP 16
#define MADV_DODUMP 17
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#define MADV_DONTNEED_LOCKED 24
#define MADV_COLLAPSE 25
#define MADV_HWPOISON 100
#define MADV_SOFT_OFFLINE 101

#define FALLOC_FL_KEEP_SIZE 0x01
#define FALLOC_FL_PUNCH_HOLE 0x02

/* Linux's vm_flags bits that only madvise sets here (mm.h has the ones the rest of mm uses). */
#define VM_PFNMAP 0x00000400UL
#define VM_IO 0x00004000UL
#define VM_SEQ_READ 0x00008000UL
#define VM_RAND_READ 0x00010000UL
#define VM_DONTEXPAND 0x00040000UL
#define VM_HUGETLB 0x00400000UL
#define VM_DONTDUMP 0x04000000UL
#define VM_MIXEDMAP 0x10000000UL
#define VM_HUGEPAGE 0x20000000UL
#define VM_NOHUGEPAGE 0x40000000UL
#define VM_MERGEABLE 0x80000000UL
#define VM_SPECIAL (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)

/* Is behavior an advice Linux 6.1 (Debian's build: THP, KSM, memory failure) knows? */
static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_DOFORK:
	case MADV_DONTFORK:
	case MADV_NORMAL:
	case MADV_SEQUENTIAL:
	case MADV_RANDOM:
	case MADV_REMOVE:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_COLLAPSE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_SOFT_OFFLINE:
	case MADV_HWPOISON:
		return true;
	default:
		return false;
	}
}

/*
 * Gives [start, end) of vma the flags new_flags (Linux's madvise_update_vma): the range merges
 * with *prev and/or the VMA after it when the rules allow, otherwise vma is split at start and
 * at end. *prev is left at the VMA that covers the range.
 */
static int madvise_update_vma(struct mm_struct *mm, struct vm_area_struct *vma,
			      struct vm_area_struct **prev, u64 start, u64 end, u64 new_flags)
{
	struct vm_area_struct *merged;
	int error;

	if (new_flags == vma->vm_flags) {
		*prev = vma;
		return 0;
	}
	u64 pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	merged = vma_merge(mm, *prev, start, end, new_flags, vma->anon_vma, vma->vm_file, pgoff,
			   vma->vm_userfaultfd_ctx);
	if (merged) {
		vma = merged;
	} else {
		*prev = vma;
		if (start != vma->vm_start) {
			if (mm->mm_rb.count >= sysctl_max_map_count)
				return -ENOMEM;
			error = __split_vma(mm, vma, start, 1);
			if (error)
				return error;
		}
		if (end != vma->vm_end) {
			if (mm->mm_rb.count >= sysctl_max_map_count)
				return -ENOMEM;
			error = __split_vma(mm, vma, end, 0);
			if (error)
				return error;
		}
	}
	*prev = vma;
	vma->vm_flags = new_flags;
	return 0;
}

/* MADV_DONTNEED: drops the pages of [start, end) (Linux's madvise_dontneed_free, no hugetlb). */
static int madvise_dontneed(struct mm_struct *mm, struct vm_area_struct *vma,
			    struct vm_area_struct **prev, u64 start, u64 end, int behavior)
{
	u64 forbidden = VM_PFNMAP;

	*prev = vma;
	if (behavior != MADV_DONTNEED_LOCKED)
		forbidden |= VM_LOCKED;
	if (vma->vm_flags & forbidden)
		return -EINVAL;
	zap_page_range(mm, start, end);
	return 0;
}

/*
 * MADV_REMOVE (Linux's madvise_remove): punches a hole in the file behind a shared mapping, as
 * fallocate(PUNCH_HOLE | KEEP_SIZE) on the same range does, so the mapping (and every other
 * mapping of the file) reads zeroes there. A locked VMA or one without a file is EINVAL; a
 * mapping that is not shared, or could never be made writable (no VM_MAYWRITE), EACCES: its
 * present protection does not matter. A file system without hole punching says EOPNOTSUPP.
 * *prev is left NULL: the walk looks the next VMA up again, as Linux, which lets go of
 * mmap_lock around the fallocate.
 */
static int madvise_remove(struct vm_area_struct *vma, struct vm_area_struct **prev, u64 start,
			  u64 end)
{
	*prev = NULL;
	if (vma->vm_flags & VM_LOCKED)
		return -EINVAL;
	if (!vma->vm_file)
		return -EINVAL;
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) != (VM_SHARED | VM_MAYWRITE))
		return -EACCES; /* Linux's vma_is_shared_maywrite */
	s64 offset = (s64)(start - vma->vm_start) + (s64)(vma->vm_pgoff << PAGE_SHIFT);
	return (int)vfs_fallocate(vma->vm_file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset,
				  (s64)(end - start));
}

/*
 * MADV_HWPOISON and MADV_SOFT_OFFLINE (Linux's madvise_inject_error): root only (EPERM), each page
 * of [start, end), end unrounded, faulted in for reading and handed to memory failure
 * (mm/memory_failure.h), stopping at the first error: EFAULT for a page that cannot be had (no
 * readable VMA, poisoned already), EBUSY or EHWPOISON from poisoning, EIO from soft offlining.
 */
static int madvise_inject_error(struct mm_struct *mm, int behavior, u64 start, u64 end)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	for (; start < end; start += PAGE_SIZE) {
		long err;
		struct page *page = get_user_page_read(mm, start, &err);
		int ret;

		if (!page)
			return (int)err;
		if (behavior == MADV_SOFT_OFFLINE) {
			pr_info("Soft offlining pfn %#llx at process virtual address %#llx\n",
				(unsigned long long)page_to_pfn(page), (unsigned long long)start);
			ret = soft_offline_page(mm, start, page);
		} else {
			pr_info("Injecting memory failure for pfn %#llx at process virtual address "
				"%#llx\n",
				(unsigned long long)page_to_pfn(page), (unsigned long long)start);
			ret = memory_failure(page);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* Logs, once per advice, one Linux has and Warden lacks. */
static void madvise_unimplemented(int behavior)
{
	static u32 logged;
	u32 bit = behavior < 32 ? 1U << behavior : 1U << 31;

	if (!(logged & bit)) {
		logged |= bit;
		pr_warn("madvise advice %d not implemented: -EINVAL (pid %d, %s)\n", behavior,
			current->pid, current->comm);
	}
}

/* Applies behavior to [start, end), which lies inside vma (Linux's madvise_vma_behavior). */
static int madvise_vma_behavior(struct mm_struct *mm, struct vm_area_struct *vma,
				struct vm_area_struct **prev, u64 start, u64 end, int behavior)
{
	u64 new_flags = vma->vm_flags;
	int error;

	switch (behavior) {
	case MADV_WILLNEED:
		*prev = vma; /* nothing to read ahead: files live in memory */
		return 0;
	case MADV_COLD:
	case MADV_PAGEOUT:
		*prev = vma;
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
			return -EINVAL;
		/* No swap: only lazily freed pages, not written since MADV_FREE, can go. */
		if (behavior == MADV_PAGEOUT && !vma->vm_file && !(vma->vm_flags & VM_SHARED))
			pageout_pte_range(mm, start, end);
		return 0;
	case MADV_FREE:
		*prev = vma;
		if (vma->vm_file || (vma->vm_flags & VM_SHARED))
			return -EINVAL; /* private anonymous memory only */
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
			return -EINVAL;
		/* Freed lazily: by MADV_PAGEOUT (Warden applies no memory pressure). */
		madvise_free_pte_range(mm, start, end);
		return 0;
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		*prev = vma;
		return (int)faultin_vma_page_range(vma, start, end,
						   behavior == MADV_POPULATE_WRITE);
	case MADV_DONTFORK:
		new_flags |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		if (vma->vm_flags & VM_IO)
			return -EINVAL;
		new_flags &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		if (vma->vm_file || (vma->vm_flags & VM_SHARED))
			return -EINVAL; /* anonymous private memory only */
		new_flags |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		new_flags &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		return madvise_dontneed(mm, vma, prev, start, end, behavior);
	case MADV_REMOVE:
		return madvise_remove(vma, prev, start, end);
	case MADV_NORMAL:
		new_flags &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		new_flags = (new_flags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		new_flags = (new_flags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTDUMP:
		new_flags |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		if (new_flags & VM_SPECIAL)
			return -EINVAL;
		new_flags &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE:
		/* ksm_madvise: shared, special and hugetlb memory keep their flags (0) */
		if (!(new_flags & (VM_SHARED | VM_MAYSHARE | VM_SPECIAL | VM_HUGETLB)))
			new_flags |= VM_MERGEABLE;
		break;
	case MADV_UNMERGEABLE:
		/* no page was ever merged: there is nothing to break apart */
		new_flags &= ~VM_MERGEABLE;
		break;
	case MADV_HUGEPAGE:
		new_flags = (new_flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
		break;
	case MADV_NOHUGEPAGE:
		new_flags = (new_flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
		break;
	default:
		madvise_unimplemented(behavior);
		return -EINVAL;
	}
	error = madvise_update_vma(mm, vma, prev, start, end, new_flags);
	return error == -ENOMEM ? -EAGAIN : error; /* Linux: kernel memory short is EAGAIN */
}

/*
 * Visits every VMA in [start, end) (Linux's madvise_walk_vmas): holes are skipped, and if there
 * was one the result is ENOMEM, unless a VMA's advice failed first.
 */
static int madvise_walk_vmas(struct mm_struct *mm, u64 start, u64 end, int behavior)
{
	struct vm_area_struct *vma, *prev;
	int unmapped_error = 0;
	u64 tmp;

	vma = vma_tree_find_vma_prev(&mm->mm_rb, start, &prev);
	if (vma && start > vma->vm_start)
		prev = vma;
	for (;;) {
		int error;

		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		tmp = vma->vm_end < end ? vma->vm_end : end;
		error = madvise_vma_behavior(mm, vma, &prev, start, tmp, behavior);
		if (error)
			return error;
		start = tmp;
		if (prev && start < prev->vm_end)
			start = prev->vm_end;
		if (start >= end)
			break;
		vma = prev ? find_vma(mm, prev->vm_end) : find_vma(mm, start);
	}
	return unmapped_error;
}

long do_madvise(struct mm_struct *mm, u64 start, u64 len_in, int behavior)
{
	u64 len, end;
	int error;

	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	if (len_in && !len)
		return -EINVAL; /* a length within a page of 2^64 rounded up to 0 */
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (behavior == MADV_HWPOISON || behavior == MADV_SOFT_OFFLINE)
		return madvise_inject_error(mm, behavior, start, start + len_in);
	/* A uffd with UFFD_FEATURE_EVENT_REMOVE hears of DONTNEED, FREE and REMOVE first, and
	 * reads it. */
	error = userfaultfd_remove_prep(mm, start, end, behavior);
	if (current->uffd_events)
		userfaultfd_events_complete();
	if (error)
		return error;
	/* Under the mmap lock for writing (Linux takes it for reading for some advice). */
	mmap_write_lock(mm);
	error = madvise_walk_vmas(mm, start, end, behavior);
	mm_debug_check(mm, "madvise");
	mmap_write_unlock(mm);
	return error;
}

long sys_madvise(u64 start, u64 len_in, int behavior)
{
	return do_madvise(current->mm, start, len_in, behavior);
}
