// SPDX-License-Identifier: MIT
/*
 * Faulting in ranges of an address space on the kernel's own initiative (Linux 6.1's mm/gup.c,
 * the part mlock, MAP_POPULATE and MADV_POPULATE_* use): each page gets the fault a program's
 * access would have caused, through handle_mm_fault(), which never sleeps, so all of this runs
 * under the mmap lock (docs/locking.md). No page is pinned or handed back: only the page tables
 * change, as after the program's own accesses.
 */
#include "mm/mm.h"
#include "mm/internal.h"
#include "mm/mmap_lock.h"
#include "mm/pkeys.h"
#include "mm/frame.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/traps.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"

/* Is this private memory that a forced write would copy (Linux's is_cow_mapping)? */
static bool is_cow_mapping(u64 vm_flags)
{
	return (vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/*
 * Linux's check_vma_flags(): may the kernel fault in vma's pages for a read or a write, forced
 * (past the protection, within the VM_MAY* bits) or not? 0 or -EFAULT. Warden has no VM_IO or
 * VM_PFNMAP mappings, hugetlb, DAX or secretmem, so the protection and the key decide.
 */
static int check_vma_flags(struct vm_area_struct *vma, bool write, bool force)
{
	u64 vm_flags = vma->vm_flags;

	if (write) {
		if (!(vm_flags & VM_WRITE) && (!force || !is_cow_mapping(vm_flags)))
			return -EFAULT;
	} else if (!(vm_flags & VM_READ)) {
		if (!force || !(vm_flags & VM_MAYREAD))
			return -EFAULT;
	}
	/* A data access, never a fetch: the current PKRU decides for keyed VMAs. */
	if (!arch_vma_access_permitted(vma, write, false))
		return -EFAULT;
	return 0;
}

/*
 * Faults in each page of [start, end) of vma (Linux's __get_user_pages without pages to return):
 * a present page that allows the access is left alone (handle_mm_fault finds it). Stops at a
 * pending fatal signal (-EINTR), at a page the fault refuses or a file page past the end of its
 * file (-EFAULT), at a poisoned page (-EHWPOISON with hwpoison, Linux's FOLL_HWPOISON, else
 * -EFAULT), or when no memory could be had (-ENOMEM).
 */
static long get_user_pages_range(struct vm_area_struct *vma, u64 start, u64 end, bool write,
				 bool force, bool hwpoison)
{
	u64 error_code = X86_PF_USER | (write ? X86_PF_WRITE : 0) | (force ? FAULT_FORCE : 0);
	int pkey;

	for (u64 addr = start; addr < end; addr += PAGE_SIZE) {
		/* A page at a time, letting others run (a 1 TiB MAP_POPULATE is 2^28 steps): the
		 * caller's mmap_lock keeps vma; SIGKILL, which another CPU can now send, ends it.
		 */
		cond_resched();
		if (fatal_signal_pending_current())
			return -EINTR;
		int r = handle_mm_fault(vma->vm_mm, addr, error_code, &pkey);
		if (r == -ENOMEM)
			return -ENOMEM;
		if (r == FAULT_HWPOISON && hwpoison)
			return -EHWPOISON; /* FOLL_HWPOISON: the caller wants to know */
		if (r)
			return -EFAULT; /* SIGSEGV or SIGBUS for the program: EFAULT here */
	}
	return 0;
}

long populate_vma_page_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	u64 vm_flags = vma->vm_flags;

	/* As Linux: VM_LOCKONFAULT never faulted anything in here, not even to break COW. */
	if (vm_flags & VM_LOCKONFAULT)
		return 0;
	/* Private writable memory is written, so COW breaks now; shared memory is only read. */
	bool write = (vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	/* mlock succeeds for any protection but PROT_NONE (FOLL_FORCE). */
	bool force = vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
	long err = check_vma_flags(vma, write, force);

	if (err)
		return err;
	return get_user_pages_range(vma, start, end, write, force, false);
}

/*
 * MADV_POPULATE_READ/WRITE on [start, end) of vma (Linux 6.1's faultin_vma_page_range): never
 * forced, and a protection that refuses the access is -EINVAL rather than -EFAULT. 0 or -errno.
 */
long faultin_vma_page_range(struct vm_area_struct *vma, u64 start, u64 end, bool write)
{
	if (check_vma_flags(vma, write, false))
		return -EINVAL;
	return get_user_pages_range(vma, start, end, write, false, true);
}

int __mm_populate(u64 start, u64 len, bool ignore_errors)
{
	struct mm_struct *mm = current->mm;
	u64 end = start + len, nstart, nend;
	long ret = 0;

	if (end < start)
		end = TASK_SIZE;
	mmap_read_lock(mm);
	for (nstart = start; nstart < end; nstart = nend) {
		struct vm_area_struct *vma = find_vma(mm, nstart);

		if (!vma || vma->vm_start >= end)
			break;
		nend = min(end, vma->vm_end);
		if (nstart < vma->vm_start)
			nstart = vma->vm_start;
		ret = populate_vma_page_range(vma, nstart, nend);
		if (ret == -EINTR)
			break; /* dying: nothing more is worth faulting in */
		if (ret < 0) {
			if (ignore_errors) {
				ret = 0;
				continue; /* the next VMA */
			}
			break;
		}
	}
	mmap_read_unlock(mm);
	return (int)ret;
}

struct page *get_user_page_read(struct mm_struct *mm, u64 addr, long *err)
{
	struct page *page = NULL;
	int pkey;

	mmap_read_lock(mm);
	struct vm_area_struct *vma = find_vma(mm, addr);
	/* Below a stack the fault grows it, as Linux's find_extend_vma. */
	if (!vma || (vma->vm_start > addr && !(vma->vm_flags & VM_GROWSDOWN)))
		*err = -EFAULT;
	else
		*err = check_vma_flags(vma, false, false);
	if (!*err) {
		int r = handle_mm_fault(mm, addr, X86_PF_USER, &pkey);
		if (r)
			*err = r == -ENOMEM ? -ENOMEM : -EFAULT;
	}
	if (!*err) {
		int level;
		pte_t pte = pgtable_lookup(mm->pgd, addr & PAGE_MASK, &level);
		if (pte && level == PG_LEVEL_4K) {
			page = phys_to_page(pte & PTE_ADDR_MASK);
			get_page(page);
		} else {
			*err = -EFAULT;
		}
	}
	mmap_read_unlock(mm);
	return page;
}
