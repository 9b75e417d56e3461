// SPDX-License-Identifier: MIT
/*
 * mremap: shrinking, growing in place and moving a mapping, as Linux 6.1's mm/mremap.c, in its
 * order of checks. Growing in place merges the new part into the VMA (and into the next one
 * when they now touch: spec case 56); a move copies the VMA to the new place (merging there when
 * the rules allow), moves the page-table entries and unmaps the old range. A moved anonymous VMA
 * that was never written gets the new address as its pgoff, so it can merge where it lands; one
 * that was written keeps its old pgoff, which usually keeps it apart from its new neighbours.
 */
#include "mm/mmap_lock.h"
#include "mm/mm.h"
#include "mm/mlock.h"
#include "mm/vma.h"
#include "mm/userfaultfd.h"
#include "mm/overcommit.h"
#include "mm/internal.h"
#include "fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/trace.h"
#include "kernel/sched.h"

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4

/* The VMA that contains addr, or NULL (Linux's vma_lookup). */
static struct vm_area_struct *vma_lookup(struct mm_struct *mm, u64 addr)
{
	struct vm_area_struct *v = find_vma(mm, addr);

	return v && v->vm_start <= addr ? v : NULL;
}

/*
 * The VMA holding [addr, addr+old_len) if it may become new_len long (Linux's vma_to_resize):
 * EFAULT when addr is unmapped or the range runs past the VMA, EINVAL for duplicating a private
 * mapping (old_len 0) or a file offset that would wrap, EAGAIN for growing locked memory past
 * RLIMIT_MEMLOCK without CAP_IPC_LOCK (mlock_future_check), ENOMEM past RLIMIT_AS/RLIMIT_DATA.
 */
static struct vm_area_struct *vma_to_resize(struct mm_struct *mm, u64 addr, u64 old_len,
					    u64 new_len, long *err)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	*err = 0;
	if (!vma)
		*err = -EFAULT;
	else if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		*err = -EINVAL;
	else if (old_len > vma->vm_end - addr)
		*err = -EFAULT; /* cannot remap across VMAs */
	else if (new_len != old_len) {
		u64 pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
		if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
			*err = -EINVAL;
		else if (mlock_future_check(mm, vma->vm_flags, new_len - old_len))
			*err = -EAGAIN; /* locked memory past RLIMIT_MEMLOCK */
		else if (!may_expand_vm(mm, vma->vm_flags, (new_len - old_len) >> PAGE_SHIFT))
			*err = -ENOMEM; /* RLIMIT_AS, RLIMIT_DATA */
	}
	return *err ? NULL : vma;
}

/*
 * Gives the range [addr, addr+len) the attributes of vma at file offset pgoff: merged into a
 * neighbour there, or a new VMA (Linux's copy_vma). *vmap is updated if vma itself took part in
 * the merge. NULL when memory runs out.
 */
static struct vm_area_struct *copy_vma(struct mm_struct *mm, struct vm_area_struct **vmap, u64 addr,
				       u64 len, u64 pgoff)
{
	struct vm_area_struct *vma = *vmap, *prev, *new_vma;
	u64 vma_start = vma->vm_start;

	if (!vma->vm_file && !vma->anon_vma)
		pgoff = addr >> PAGE_SHIFT; /* never written: free to take the new address */
	vma_tree_find_vma_prev(&mm->mm_rb, addr, &prev);
	new_vma = vma_merge(mm, prev, addr, addr + len, vma->vm_flags, vma->anon_vma, vma->vm_file,
			    pgoff, vma->vm_userfaultfd_ctx);
	if (new_vma) {
		/* Only an unwritten VMA can merge with its own new place; it may be gone now. */
		if (vma_start >= new_vma->vm_start && vma_start < new_vma->vm_end)
			*vmap = new_vma;
		return new_vma;
	}
	new_vma = vm_area_dup(vma);
	if (!new_vma)
		return NULL;
	new_vma->vm_start = addr;
	new_vma->vm_end = addr + len;
	new_vma->vm_pgoff = pgoff;
	vma_tree_link(&mm->mm_rb, new_vma);
	return new_vma;
}

/*
 * Moves [old_addr, old_addr+old_len) of vma to new_addr, new_len long (Linux's move_vma): the
 * new VMA first, then the pages, then the old range goes (unless MREMAP_DONTUNMAP). Memory that
 * was charged (VM_ACCOUNT) stays charged in what is left of the old VMA.
 */
static long move_vma(struct mm_struct *mm, struct vm_area_struct *vma, u64 old_addr, u64 old_len,
		     u64 new_len, u64 new_addr, u64 flags)
{
	u64 vm_flags = vma->vm_flags;
	bool split = false;
	u64 excess = 0;

	if (mm->mm_rb.count >= sysctl_max_map_count - 3)
		return -ENOMEM; /* the munmap below may need two more VMAs */
	/* Charged memory: the growth is charged (all of the copy with MREMAP_DONTUNMAP). */
	long to_account =
		(long)((flags & MREMAP_DONTUNMAP ? new_len : new_len - old_len) >> PAGE_SHIFT);
	if ((vm_flags & VM_ACCOUNT) && security_vm_enough_memory_mm(mm, to_account))
		return -ENOMEM;
	/* The lock goes with the pages: a locked VMA is split first, so only the range loses it. */
	if ((flags & MREMAP_DONTUNMAP) && (vma->vm_flags & VM_LOCKED)) {
		int err = 0;
		if (old_addr > vma->vm_start)
			err = split_vma(mm, vma, old_addr, 1);
		if (!err && old_addr + old_len < vma->vm_end)
			err = split_vma(mm, vma, old_addr + old_len, 0);
		if (err) {
			if (vm_flags & VM_ACCOUNT)
				vm_unacct_memory(to_account);
			return err;
		}
	}
	u64 new_pgoff = vma->vm_pgoff + ((old_addr - vma->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *new_vma = copy_vma(mm, &vma, new_addr, new_len, new_pgoff);
	if (!new_vma) {
		if (vm_flags & VM_ACCOUNT)
			vm_unacct_memory(to_account);
		return -ENOMEM;
	}
	if (move_page_range(mm, old_addr, new_addr, old_len)) {
		/* The pages went back; unmap the new range instead of the old one. */
		vma = new_vma;
		old_addr = new_addr;
		old_len = new_len;
		new_addr = (u64)-ENOMEM;
	} else {
		/*
		 * The new place of a userfaultfd-registered range stays registered only with
		 * UFFD_FEATURE_EVENT_REMAP, whose REMAP event goes out when the call is done
		 * (Linux's mremap_userfaultfd_prep); with MREMAP_DONTUNMAP the old range stays
		 * registered, now without pages, so its next access is a userfault.
		 */
		userfaultfd_remap_prep(new_vma, old_addr, new_addr, old_len);
	}
	if ((vm_flags & VM_ACCOUNT) && !(flags & MREMAP_DONTUNMAP)) {
		/* The pieces of the old VMA that stay keep their charge: hide it from the split. */
		vma->vm_flags &= ~VM_ACCOUNT;
		excess = vma->vm_end - vma->vm_start - old_len;
		split = old_addr > vma->vm_start && old_addr + old_len < vma->vm_end;
	}
	if ((flags & MREMAP_DONTUNMAP) && new_addr != (u64)-ENOMEM) {
		/* The old VMA stays, now without pages, and always unlocked (as Linux). */
		if (vma->vm_flags & VM_LOCKED_MASK) {
			vma->vm_flags &= VM_LOCKED_CLEAR_MASK;
			mm->split_left_behind = true; /* Linux merges nothing here either */
		}
		return (long)new_addr;
	}
	u64 vma_end = vma->vm_end, vma_start = vma->vm_start;
	if (do_munmap(mm, old_addr, old_len) < 0)
		excess = 0;
	if (excess) {
		/* Restore VM_ACCOUNT on the one or two pieces left. */
		struct vm_area_struct *left = vma_start < old_addr ? find_vma(mm, vma_start) : NULL;
		struct vm_area_struct *right =
			vma_end > old_addr + old_len ? find_vma(mm, old_addr + old_len) : NULL;
		if (left)
			left->vm_flags |= VM_ACCOUNT;
		if (right && (split || !left))
			right->vm_flags |= VM_ACCOUNT;
	}
	return (long)new_addr;
}

/*
 * MREMAP_FIXED or MREMAP_DONTUNMAP: the new range is given or must be found, never in place
 * (Linux's mremap_to).
 */
static long mremap_to(struct mm_struct *mm, u64 addr, u64 old_len, u64 new_addr, u64 new_len,
		      u64 flags)
{
	struct vm_area_struct *vma;
	long err;

	if (new_addr & ~PAGE_MASK)
		return -EINVAL;
	if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
		return -EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL; /* the old and the new range overlap */
	if (mm->mm_rb.count + 2 >= sysctl_max_map_count - 3)
		return -ENOMEM;
	if (flags & MREMAP_FIXED) {
		err = do_munmap(mm, new_addr, new_len);
		if (err)
			return err;
	}
	if (old_len > new_len) {
		err = do_munmap(mm, addr + new_len, old_len - new_len);
		if (err)
			return err;
		old_len = new_len;
	}
	vma = vma_to_resize(mm, addr, old_len, new_len, &err);
	if (!vma)
		return err;
	/* MREMAP_DONTUNMAP keeps the old range: the mm grows by old_len. */
	if ((flags & MREMAP_DONTUNMAP) && !may_expand_vm(mm, vma->vm_flags, old_len >> PAGE_SHIFT))
		return -ENOMEM;
	if (!(flags & MREMAP_FIXED)) {
		long r = get_unmapped_area(mm, new_addr, new_len, 0);
		if (r < 0)
			return r;
		new_addr = (u64)r;
	}
	return move_vma(mm, vma, addr, old_len, new_len, new_addr, flags);
}

/* Could vma grow by delta bytes where it is: nothing in the way, still below TASK_SIZE? */
static bool vma_expandable(struct mm_struct *mm, struct vm_area_struct *vma, u64 delta)
{
	u64 end = vma->vm_end + delta;

	if (end < vma->vm_end || end > TASK_SIZE)
		return false;
	return !vma_tree_find_intersection(&mm->mm_rb, vma->vm_end, end);
}

long do_mremap(struct mm_struct *mm, u64 addr, u64 old_len, u64 new_len, u64 flags, u64 new_addr)
{
	struct vm_area_struct *vma;
	long err;

	if (flags & ~(u64)(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len)
		return -EINVAL;
	if (!vma_lookup(mm, addr))
		return -EFAULT;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return mremap_to(mm, addr, old_len, new_addr, new_len, flags);
	if (old_len >= new_len) {
		/* Shrinking always works: the tail is unmapped (no change at all when equal). */
		err = do_munmap(mm, addr + new_len, old_len - new_len);
		if (err < 0 && old_len != new_len)
			return err;
		return (long)addr;
	}
	vma = vma_to_resize(mm, addr, old_len, new_len, &err);
	if (!vma)
		return err;
	if (old_len == vma->vm_end - addr && vma_expandable(mm, vma, new_len - old_len)) {
		/* Grow in place: the extension merges into vma, and into the next VMA if it fits.
		 */
		u64 ext = addr + old_len;

		if (vma->vm_file && vma->vm_file->f_op->vm_close) {
			/* A SysV shm attach never merges: it just grows (Linux's vma_adjust). */
			vma->vm_end = addr + new_len;
			vma_tree_gap_update(&mm->mm_rb, vma);
			return (long)addr;
		}
		u64 pgoff = vma->vm_pgoff + ((ext - vma->vm_start) >> PAGE_SHIFT);
		long pages = (long)((new_len - old_len) >> PAGE_SHIFT);

		if ((vma->vm_flags & VM_ACCOUNT) && security_vm_enough_memory_mm(mm, pages))
			return -ENOMEM; /* the growth of charged memory is charged */
		if (!vma_merge(mm, vma, ext, addr + new_len, vma->vm_flags, vma->anon_vma,
			       vma->vm_file, pgoff, vma->vm_userfaultfd_ctx)) {
			if (vma->vm_flags & VM_ACCOUNT)
				vm_unacct_memory(pages);
			return -ENOMEM;
		}
		return (long)addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	long r = get_unmapped_area(mm, 0, new_len, 0);
	if (r < 0)
		return r;
	return move_vma(mm, vma, addr, old_len, new_len, (u64)r, flags);
}

long sys_mremap(u64 addr, u64 old_len, u64 new_len, u64 flags, u64 new_addr)
{
	struct mm_struct *mm = current->mm;

	trace_call_begin(TRACE_MREMAP);
	mmap_write_lock(mm);
	long r = do_mremap(mm, addr, old_len, new_len, flags, new_addr);
	/* Locked memory that grew (in place or moved): its new part is faulted in, as Linux. */
	struct vm_area_struct *v = r >= 0 ? find_vma(mm, (u64)r) : NULL;
	bool populate = v && (v->vm_flags & VM_LOCKED) && PAGE_ALIGN(new_len) > PAGE_ALIGN(old_len);
	mm_debug_check(mm, "mremap");
	mmap_write_unlock(mm);
	if (populate)
		mm_populate((u64)r + PAGE_ALIGN(old_len),
			    PAGE_ALIGN(new_len) - PAGE_ALIGN(old_len));
	trace_call_end(TRACE_MREMAP, r, addr, old_len, new_len, flags, new_addr);
	return r;
}
