// SPDX-License-Identifier: MIT
/*
 * msync(2) (Linux 6.1's mm/msync.c). Warden's files live in memory (ramfs), so a shared file
 * mapping is always in sync with its file and there is nothing to write back: what is left is
 * Linux's checks, in its order. The flags (unknown ones, MS_ASYNC with MS_SYNC) and an
 * unaligned start are EINVAL; a range that wraps is ENOMEM; then the VMAs are walked: a hole
 * ends plain MS_ASYNC at once with ENOMEM, otherwise it is remembered and ENOMEM returned at
 * the end; MS_INVALIDATE of a VM_LOCKED VMA is EBUSY there and then.
 */
#include "mm/mm.h"
#include "mm/mmap_lock.h"
#include "mm/internal.h"
#include "kernel/errno.h"
#include "kernel/sched.h"

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

/* The walk over [start, end) under the mmap lock: 0 or -errno, Linux's order. */
static long do_msync(struct mm_struct *mm, u64 start, u64 end, int flags)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	long unmapped_error = 0;

	for (;;) {
		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			if (flags == MS_ASYNC)
				return -ENOMEM; /* nothing else it could do */
			start = vma->vm_start;
			if (start >= end)
				return -ENOMEM;
			unmapped_error = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED))
			return -EBUSY;
		/* MS_SYNC of a shared file mapping: vfs_fsync_range, which ramfs has nothing for.
		 */
		start = vma->vm_end;
		if (start >= end)
			return unmapped_error;
		vma = find_vma(mm, start);
	}
}

long sys_msync(u64 start, u64 len, u64 flags_in)
{
	struct mm_struct *mm = current->mm;
	int flags = (int)flags_in; /* an int in Linux */
	u64 end;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	mmap_read_lock(mm);
	long error = do_msync(mm, start, end, flags);
	mmap_read_unlock(mm);
	return error;
}
