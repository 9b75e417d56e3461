// SPDX-License-Identifier: MIT
/*
 * Locking memory (Linux 6.1's mm/mlock.c): mlock/mlock2/munlock change VM_LOCKED and
 * VM_LOCKONFAULT on the VMAs of a range, splitting and merging them as mprotect does
 * (mlock_fixup), then fault the range in (__mm_populate, mm/gup.c) after letting go of the
 * write lock; mlockall does it to every VMA and, with MCL_FUTURE, to every later mapping
 * (mm->def_flags, which mmap and brk add). The errors and their order are Linux's: EINVAL for
 * bad flags and ranges that wrap, EPERM without the right to lock, ENOMEM for a hole (the VMAs
 * before it keep their new flags), and population's errors as POSIX wants them (EFAULT becomes
 * ENOMEM, ENOMEM becomes EAGAIN).
 */
#include "kernel/cred.h"
#include "mm/mlock.h"
#include "mm/mm.h"
#include "mm/internal.h"
#include "mm/mmap_lock.h"
#include "mm/vma.h"
#include "kernel/errno.h"
#include "kernel/sched.h"

/* RLIMIT_MEMLOCK's soft limit, the one place this file reads it. */
static u64 memlock_limit(void)
{
	return current->signal->rlim[RLIMIT_MEMLOCK].rlim_cur;
}

/* Linux's capable(CAP_IPC_LOCK): root has it, a task that dropped its capabilities not. */
static bool capable_ipc_lock(void)
{
	return capable(CAP_IPC_LOCK);
}

bool can_do_mlock(void)
{
	return memlock_limit() != 0 || capable_ipc_lock();
}

u64 mm_locked_vm(struct mm_struct *mm)
{
	u64 pages = 0;

	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next)
		if (v->vm_flags & VM_LOCKED)
			pages += (v->vm_end - v->vm_start) >> PAGE_SHIFT;
	return pages;
}

int mlock_future_check(struct mm_struct *mm, u64 flags, u64 len)
{
	if ((flags & VM_LOCKED) && !capable_ipc_lock() &&
	    (len >> PAGE_SHIFT) + mm_locked_vm(mm) > memlock_limit() >> PAGE_SHIFT)
		return -EAGAIN;
	return 0;
}

/*
 * Gives [start, end) of vma the lock flags of newflags (Linux's mlock_fixup): merged with *prev
 * and/or the next VMA when the rules allow, else vma is split at start and at end (either split
 * may be refused by max_map_count: -ENOMEM, the first one staying). *prev is left at the VMA
 * that covers the range. Pages are not faulted in here: the caller populates after unlocking.
 */
static int mlock_fixup(struct mm_struct *mm, struct vm_area_struct *vma,
		       struct vm_area_struct **prev, u64 start, u64 end, u64 newflags)
{
	struct vm_area_struct *merged;
	int ret = 0;

	/* Linux leaves VM_SPECIAL, hugetlb, DAX and secretmem VMAs alone: Warden has none. */
	if (newflags == vma->vm_flags)
		goto out;
	u64 pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	merged = vma_merge(mm, *prev, start, end, newflags, vma->anon_vma, vma->vm_file, pgoff,
			   vma->vm_userfaultfd_ctx);
	if (merged) {
		vma = merged;
	} else {
		bool split_start = start != vma->vm_start;
		if (split_start) {
			ret = split_vma(mm, vma, start, 1);
			if (ret)
				goto out;
		}
		if (end != vma->vm_end) {
			ret = split_vma(mm, vma, end, 0);
			if (ret) {
				if (split_start)
					mm->split_left_behind = true; /* as mprotect (spec 1.4) */
				goto out;
			}
		}
	}
	/* locked_vm follows from the flags (mm_locked_vm); no page needs marking. */
	vma->vm_flags = newflags;
out:
	*prev = vma;
	return ret;
}

/*
 * Sets the lock flags of every VMA in [start, start+len) to flags (Linux's apply_vma_lock_flags):
 * -EINVAL if the range wraps, 0 for an empty one, -ENOMEM when start is not mapped or at the
 * first hole, with the VMAs before it changed. The caller holds the mmap lock for writing.
 */
static int apply_vma_lock_flags(struct mm_struct *mm, u64 start, u64 len, u64 flags)
{
	struct vm_area_struct *vma, *prev;
	u64 nstart, end = start + len, tmp;
	int error;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = vma_tree_find_vma_prev(&mm->mm_rb, start, &prev);
	if (!vma || vma->vm_start > start)
		return -ENOMEM;
	if (start > vma->vm_start)
		prev = vma;
	for (nstart = start;;) {
		u64 newflags = (vma->vm_flags & VM_LOCKED_CLEAR_MASK) | flags;

		tmp = min(vma->vm_end, end);
		error = mlock_fixup(mm, vma, &prev, nstart, tmp, newflags);
		if (error)
			return error;
		nstart = max(tmp, prev->vm_end);
		if (nstart >= end)
			return 0;
		vma = prev->vm_next;
		if (!vma || vma->vm_start != nstart)
			return -ENOMEM;
	}
}

/*
 * Pages of [start, start+len) already in VM_LOCKED VMAs (Linux's count_mm_mlocked_page_nr): a
 * range locked again does not count twice against RLIMIT_MEMLOCK.
 */
static u64 count_mm_mlocked_page_nr(struct mm_struct *mm, u64 start, u64 len)
{
	u64 end = start + len < start ? ~0ULL : start + len, count = 0;

	for (struct vm_area_struct *v = find_vma(mm, start); v && v->vm_start < end; v = v->vm_next)
		if (v->vm_flags & VM_LOCKED)
			count += min(end, v->vm_end) - max(start, v->vm_start);
	return count >> PAGE_SHIFT;
}

/* Population's errors as POSIX's mlock reports them (Linux's __mlock_posix_error_return). */
static int mlock_posix_error_return(int error)
{
	if (error == -EFAULT)
		return -ENOMEM;
	if (error == -ENOMEM)
		return -EAGAIN;
	return error;
}

/* mlock and mlock2 (Linux's do_mlock): start rounded down, len up to whole pages. */
static long do_mlock(u64 start, u64 len, u64 flags)
{
	struct mm_struct *mm = current->mm;
	u64 lock_limit = memlock_limit() >> PAGE_SHIFT, locked;
	long error = -ENOMEM;

	if (!can_do_mlock())
		return -EPERM;
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	locked = len >> PAGE_SHIFT;
	mmap_write_lock(mm);
	if (!capable_ipc_lock()) {
		locked += mm_locked_vm(mm);
		if (locked > lock_limit)
			locked -= count_mm_mlocked_page_nr(mm, start, len);
	}
	if (locked <= lock_limit || capable_ipc_lock())
		error = apply_vma_lock_flags(mm, start, len, flags);
	mm_debug_check(mm, "mlock");
	mmap_write_unlock(mm);
	if (error)
		return error;
	error = __mm_populate(start, len, false);
	if (error)
		return mlock_posix_error_return((int)error);
	return 0;
}

long sys_mlock(u64 start, u64 len)
{
	return do_mlock(start, len, VM_LOCKED);
}

long sys_mlock2(u64 start, u64 len, u64 flags)
{
	u64 vm_flags = VM_LOCKED;

	if ((int)flags & ~MLOCK_ONFAULT) /* an int in Linux: the upper half is not looked at */
		return -EINVAL;
	if (flags & MLOCK_ONFAULT)
		vm_flags |= VM_LOCKONFAULT;
	return do_mlock(start, len, vm_flags);
}

long sys_munlock(u64 start, u64 len)
{
	struct mm_struct *mm = current->mm;

	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	mmap_write_lock(mm);
	long ret = apply_vma_lock_flags(mm, start, len, 0);
	mm_debug_check(mm, "munlock");
	mmap_write_unlock(mm);
	return ret;
}

/*
 * mlockall's and munlockall's change of the VMAs (Linux's apply_mlockall_flags): MCL_FUTURE
 * sets def_flags (cleared otherwise), MCL_CURRENT sets the flags of every VMA, none of them
 * clears them. A VMA that cannot be changed (a split refused) is passed over.
 */
static void apply_mlockall_flags(struct mm_struct *mm, int flags)
{
	struct vm_area_struct *vma, *prev = NULL;
	u64 to_add = 0;

	mm->def_flags &= VM_LOCKED_CLEAR_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
	for (vma = mm->mm_rb.first; vma; vma = prev->vm_next) {
		u64 newflags = (vma->vm_flags & VM_LOCKED_CLEAR_MASK) | to_add;

		/* Whole VMAs: no split, so nothing to fail but ignored as Linux ignores it. */
		(void)mlock_fixup(mm, vma, &prev, vma->vm_start, vma->vm_end, newflags);
	}
}

/* Is mm's size (Linux's total_vm) within n pages? */
static bool total_vm_within(struct mm_struct *mm, u64 n)
{
	u64 pages = 0;

	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next) {
		pages += (v->vm_end - v->vm_start) >> PAGE_SHIFT;
		if (pages > n)
			return false;
	}
	return true;
}

long sys_mlockall(u64 flags_in)
{
	struct mm_struct *mm = current->mm;
	int flags = (int)flags_in; /* an int in Linux */
	long ret = -ENOMEM;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	mmap_write_lock(mm);
	if (!(flags & MCL_CURRENT) || capable_ipc_lock() ||
	    total_vm_within(mm, memlock_limit() >> PAGE_SHIFT)) {
		apply_mlockall_flags(mm, flags);
		ret = 0;
	}
	mm_debug_check(mm, "mlockall");
	mmap_write_unlock(mm);
	if (!ret && (flags & MCL_CURRENT))
		mm_populate(0, TASK_SIZE);
	return ret;
}

long sys_munlockall(void)
{
	struct mm_struct *mm = current->mm;

	mmap_write_lock(mm);
	apply_mlockall_flags(mm, 0);
	mm_debug_check(mm, "munlockall");
	mmap_write_unlock(mm);
	return 0;
}
