// SPDX-License-Identifier: MIT
/*
 * mincore(2) (Linux 6.1's mm/mincore.c): one byte per page of a range, 1 if the page is resident.
 * A page is resident when its PTE holds a frame (present, or kept by PROT_NONE, which Linux's
 * pte_present also counts; the zero page too), or, with no PTE, when the page of a file mapping
 * (shared anonymous memory included: its file) is in the page cache. Private anonymous memory
 * never touched is 0. The vector is filled a page at a time in a kernel buffer under the mmap
 * lock and copied out after letting go of it (docs/locking.md): a fault on the vector takes it.
 */
#include "mm/mm.h"
#include "mm/mmap_lock.h"
#include "mm/filemap.h"
#include "mm/frame.h"
#include "mm/uaccess.h"
#include "arch/x86_64/pgtable.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"

/* Is page pgoff of the file in its page cache (Linux's mincore_page)? */
static unsigned char mincore_page(struct file *file, u64 pgoff)
{
	struct inode *inode = file_inode(file);

	if (!S_ISREG(inode->i_mode))
		return 0;
	return filemap_get_page(inode, pgoff, false) != NULL;
}

/*
 * Fills vec for [addr, end) of the one VMA that holds it (Linux's do_mincore walk): the page
 * tables first, the page cache where no PTE is.
 */
static void mincore_vma_range(struct vm_area_struct *vma, u64 addr, u64 end, unsigned char *vec)
{
	pte_t *pgd = vma->vm_mm->pgd;

	for (; addr < end; addr += PAGE_SIZE, vec++) {
		u64 next;
		pte_t *e = pgtable_walk_range(pgd, addr, end, &next);

		/* A hwpoison entry counts as resident (Linux: non-swap entries are "uptodate"). */
		if (e && (pte_has_frame(*e) || pte_is_hwpoison(*e))) {
			*vec = 1;
			continue;
		}
		if (vma->vm_file)
			*vec = mincore_page(vma->vm_file,
					    vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT));
		else
			*vec = 0;
	}
}

/*
 * At most pages pages from addr, within the VMA that holds addr (Linux's do_mincore): the count
 * filled in vec, or -ENOMEM when addr is not mapped. Root may look at every file's cache
 * (can_do_mincore), so every VMA is walked.
 */
static long do_mincore(struct mm_struct *mm, u64 addr, u64 pages, unsigned char *vec)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma || addr < vma->vm_start)
		return -ENOMEM;
	u64 end = min(vma->vm_end, addr + (pages << PAGE_SHIFT));
	mincore_vma_range(vma, addr, end, vec);
	return (long)((end - addr) >> PAGE_SHIFT);
}

long sys_mincore(u64 start, u64 len, u64 vec_addr)
{
	struct mm_struct *mm = current->mm;
	unsigned char __user *vec = (unsigned char __user *)vec_addr;
	u64 pages;
	long retval = 0;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!access_ok((const void __user *)start, len))
		return -ENOMEM;
	/* This way PAGE_ALIGN cannot overflow. */
	pages = (len >> PAGE_SHIFT) + ((len & ~PAGE_MASK) != 0);
	if (!access_ok(vec, pages))
		return -EFAULT;
	unsigned char *tmp = get_free_page(0);
	if (!tmp)
		return -EAGAIN;
	while (pages) {
		mmap_read_lock(mm);
		retval = do_mincore(mm, start, min(pages, (u64)PAGE_SIZE), tmp);
		mmap_read_unlock(mm);
		if (retval <= 0)
			break;
		if (copy_to_user(vec, tmp, (size_t)retval)) {
			retval = -EFAULT;
			break;
		}
		pages -= (u64)retval;
		vec += retval;
		start += (u64)retval << PAGE_SHIFT;
		retval = 0;
	}
	free_page_addr(tmp);
	return retval;
}
