// SPDX-License-Identifier: MIT
/*
 * remap_file_pages(2), as Linux 6.1 emulates it (mm/mmap.c): nonlinear mappings are gone, so
 * rearranging the pages of a shared file mapping is a new MAP_FIXED | MAP_SHARED | MAP_POPULATE
 * mapping of the same file at the new offset over the range, with the protection of the VMA it
 * replaces. The first call logs the deprecation warning Linux prints once.
 *
 * Linux's checks in its order: prot must be 0 (EINVAL), the range (start and size rounded down
 * to pages) must not wrap nor the file offset, start must lie in a VM_SHARED VMA (EINVAL), and
 * the range may run past that VMA only over neighbours without a hole, of the same file and
 * flags (EINVAL). Of the flags only MAP_NONBLOCK counts (no population); a locked VMA makes a
 * locked mapping.
 */
#include "mm/mm.h"
#include "mm/internal.h"
#include "mm/mmap_lock.h"
#include "fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"

/* Does [start, end) run on from vma through VMAs like it (same file and flags, no hole)? */
static bool remap_range_ok(struct mm_struct *mm, struct vm_area_struct *vma, u64 end)
{
	struct vm_area_struct *prev = vma;

	if (end <= vma->vm_end)
		return true;
	for (struct vm_area_struct *next = find_vma(mm, vma->vm_end); next;
	     next = find_vma(mm, next->vm_end)) {
		if (next->vm_start >= end)
			return false; /* Linux's walk found nothing more before end */
		if (next->vm_start != prev->vm_end || next->vm_file != vma->vm_file ||
		    next->vm_flags != vma->vm_flags)
			return false;
		if (end <= next->vm_end)
			return true;
		prev = next;
	}
	return false;
}

long sys_remap_file_pages(u64 start, u64 size, u64 prot, u64 pgoff, u64 flags)
{
	static bool warned;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct file *file = NULL;
	u64 populate = 0;
	long ret = -EINVAL;

	if (!warned) {
		warned = true;
		pr_warn("%s (%d) uses deprecated remap_file_pages() syscall. See "
			"Documentation/mm/remap_file_pages.rst.\n",
			current->comm, current->pid);
	}
	if (prot)
		return -EINVAL;
	start &= PAGE_MASK;
	size &= PAGE_MASK;
	if (start + size <= start)
		return -EINVAL;
	if (pgoff + (size >> PAGE_SHIFT) < pgoff)
		return -EINVAL; /* the file offset wraps */

	mmap_write_lock(mm);
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start > start || !(vma->vm_flags & VM_SHARED))
		goto out;
	prot = (vma->vm_flags & VM_READ ? PROT_READ : 0) |
	       (vma->vm_flags & VM_WRITE ? PROT_WRITE : 0) |
	       (vma->vm_flags & VM_EXEC ? PROT_EXEC : 0);
	flags &= MAP_NONBLOCK;
	flags |= MAP_SHARED | MAP_FIXED | MAP_POPULATE;
	if (vma->vm_flags & VM_LOCKED)
		flags |= MAP_LOCKED;
	if (!remap_range_ok(mm, vma, start + size))
		goto out;
	/* do_mmap may unmap vma, and with it the last reference to its file: hold one. */
	file = get_file(vma->vm_file);
	ret = do_mmap(mm, file, start, size, prot, flags, pgoff);
	populate = mmap_populate_len(mm, ret, size, flags);
out:
	mmap_write_unlock(mm);
	if (file)
		fput(file); /* outside the lock, as Linux: it may be the last reference */
	if (populate)
		mm_populate((u64)ret, populate);
	return ret < 0 ? ret : 0;
}
