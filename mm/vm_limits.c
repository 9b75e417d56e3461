// SPDX-License-Identifier: MIT
/*
 * The address-space limits, as Linux 6.1's may_expand_vm: RLIMIT_AS caps every mapping's pages
 * (total_vm), RLIMIT_DATA the private writable ones that are not stacks (data_vm). Linux keeps
 * both as running counts; Warden adds up the VMAs when a limit is finite, so the common case
 * (both unlimited, Linux's default) costs nothing and the counts can never drift from the VMAs.
 */
#include "mm/mm.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#ifndef WARDEN_HOST
#include "kernel/printk.h"
#endif

bool ignore_rlimit_data;

/* Private writable memory that is not a stack: what RLIMIT_DATA counts (is_data_mapping). */
static bool is_data_mapping(u64 flags)
{
	return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
}

/* Pages of mm's VMAs, all of them (data false) or the data mappings (Linux's total_vm, data_vm).
 */
static u64 mm_pages(struct mm_struct *mm, bool data)
{
	u64 pages = 0;

	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next)
		if (!data || is_data_mapping(v->vm_flags))
			pages += (v->vm_end - v->vm_start) >> PAGE_SHIFT;
	return pages;
}

/* Says once per boot that RLIMIT_DATA refused a mapping, in Linux's words. */
static void warn_data_rlimit(u64 bytes, u64 limit)
{
#ifndef WARDEN_HOST
	static bool warned;

	if (warned)
		return;
	warned = true;
	pr_warn("%s (%d): VmData %llu exceed data ulimit %llu. Update limits%s.\n", current->comm,
		current->pid, (unsigned long long)bytes, (unsigned long long)limit,
		ignore_rlimit_data ? "" : " or use boot option ignore_rlimit_data");
#else
	(void)bytes;
	(void)limit;
#endif
}

bool may_expand_vm(struct mm_struct *mm, u64 flags, u64 npages)
{
	u64 as = current->signal->rlim[RLIMIT_AS].rlim_cur >> PAGE_SHIFT;
	u64 data = current->signal->rlim[RLIMIT_DATA].rlim_cur >> PAGE_SHIFT;

	if (as != RLIM_INFINITY >> PAGE_SHIFT && mm_pages(mm, false) + npages > as)
		return false;
	if (!is_data_mapping(flags) || data == RLIM_INFINITY >> PAGE_SHIFT)
		return true;
	u64 data_vm = mm_pages(mm, true);
	if (data_vm + npages <= data)
		return true;
	/* Valgrind sets a soft limit of 0 and counts on the hard one. */
	if (!data && data_vm + npages <= current->signal->rlim[RLIMIT_DATA].rlim_max >> PAGE_SHIFT)
		return true;
	warn_data_rlimit((data_vm + npages) << PAGE_SHIFT,
			 current->signal->rlim[RLIMIT_DATA].rlim_cur);
	return ignore_rlimit_data;
}

int check_data_rlimit(struct mm_struct *mm, u64 brk)
{
	u64 rlim = current->signal->rlim[RLIMIT_DATA].rlim_cur;

	if (rlim < RLIM_INFINITY && (brk - mm->start_brk) + (mm->end_data - mm->start_data) > rlim)
		return -ENOSPC;
	return 0;
}

u64 mm_total_vm(struct mm_struct *mm)
{
	return mm_pages(mm, false);
}
