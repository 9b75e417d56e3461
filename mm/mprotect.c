// SPDX-License-Identifier: MIT
/*
 * mprotect and pkey_mprotect: changing the protection of a range of an address space, with
 * Linux's order of checks (do_mprotect_pkey in Linux's mm/mprotect.c; spec §1).
 *
 * The work is in two phases. Phase A (§1.1) looks only at the arguments: both PROT_GROWSDOWN
 * and PROT_GROWSUP, a misaligned start, len 0 (success, nothing else checked), a range that
 * wraps, unknown prot bits. Phase B (§1.2) looks at the address space: the key, the first VMA
 * and the PROT_GROWS* adjustments, then every VMA of the range in address order. Phase B is not
 * atomic (§1.4): the VMAs before the one that fails (a hole, a missing VM_MAY* bit, a split
 * beyond max_map_count) keep their new protection, and the error is returned.
 *
 * Protection keys (mm/pkeys.c): an explicit key must be allocated (checked before the range is
 * looked at); each VMA's new key comes from arch_override_mprotect_pkey(), which also hands out
 * the execute-only key for PROT_EXEC. Without PKU only pkey -1 is accepted (§3.6).
 */
#include "mm/mmap_lock.h"
#include "mm/mm.h"
#include "mm/overcommit.h"
#include "mm/internal.h"
#include "mm/vma.h"
#include "mm/pkeys.h"
#include "kernel/trace.h"
#include "kernel/errno.h"
#include "kernel/sched.h"

#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)

/* x86 takes the generic rule: nothing but READ, WRITE, EXEC and SEM (which does nothing). */
static bool arch_validate_prot(u64 prot, u64 addr)
{
	(void)addr;
	return !(prot & ~(u64)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM));
}

/* The VM_READ/WRITE/EXEC bits of prot. Keys would add their VM_PKEY_BIT* flags (§3.4). */
static u64 calc_vm_prot_bits(u64 prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/*
 * Gives [start, end) of vma (start and end inside it) the flags newflags, as Linux 6.1's
 * mprotect_fixup: private memory that becomes writable is charged (VM_ACCOUNT, kept when it
 * stops being writable); the range merges with *pprev and/or the VMA after it when the rules
 * allow (mm/vma.c), otherwise vma is split at start and then at end. On return *pprev is the VMA
 * that covers [start, end) (or vma itself when nothing changed). An error (a split refused by
 * max_map_count, or no memory) can come after the first split: that split stays (§1.4).
 */
static int mprotect_fixup(struct mm_struct *mm, struct vm_area_struct *vma,
			  struct vm_area_struct **pprev, u64 start, u64 end, u64 newflags)
{
	u64 oldflags = vma->vm_flags;
	struct vm_area_struct *merged;
	int error;

	if (newflags == oldflags) {
		*pprev = vma; /* nothing changes: no split (§1.2 12.i) */
		return 0;
	}
	/* Memory that becomes data must fit RLIMIT_DATA (unless it was already refused before). */
	u64 nrpages = (end - start) >> PAGE_SHIFT;
	if ((newflags & VM_WRITE) && !may_expand_vm(mm, newflags, nrpages) &&
	    may_expand_vm(mm, oldflags, nrpages))
		return -ENOMEM;
	long charged = 0;
	if ((newflags & VM_WRITE) &&
	    !(oldflags & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE))) {
		charged = (long)nrpages; /* private memory becoming writable: a commit charge */
		if (security_vm_enough_memory_mm(mm, charged))
			return -ENOMEM;
		newflags |= VM_ACCOUNT;
	}
	u64 pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	merged = vma_merge(mm, *pprev, start, end, newflags, vma->anon_vma, vma->vm_file, pgoff,
			   vma->vm_userfaultfd_ctx);
	if (merged) {
		vma = merged;
	} else {
		*pprev = vma;
		bool split_start = start != vma->vm_start;
		if (split_start) {
			error = split_vma(mm, vma, start, 1);
			if (error) {
				vm_unacct_memory(charged);
				return error;
			}
		}
		if (end != vma->vm_end) {
			error = split_vma(mm, vma, end, 0);
			if (error) {
				if (split_start)
					mm->split_left_behind = true;
				vm_unacct_memory(charged);
				return error;
			}
		}
	}
	*pprev = vma;
	trace_range(start, end, oldflags, newflags);
	vma->vm_flags = newflags;
	change_protection(mm, start, end, newflags);
	/* Locked private memory made writable gets its own pages now (COW broken), as Linux. */
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED && (newflags & VM_WRITE))
		(void)populate_vma_page_range(vma, start, end);
	return 0;
}

/* Phase B (§1.2) under the mm's lock: the key, the first VMA, then each VMA in address order. */
static long mprotect_vmas(struct mm_struct *mm, u64 start, u64 end, u64 prot, u64 grows, int pkey,
			  enum trace_event call)
{
	const bool rier = (current->personality & READ_IMPLIES_EXEC) && (prot & PROT_READ);
	const u64 reqprot = prot;
	struct vm_area_struct *vma, *prev;
	u64 nstart, tmp;
	long error;

	if (pkey != -1 && !mm_pkey_is_allocated(mm, pkey))
		return -EINVAL; /* before the range is looked at */
	vma = vma_tree_find_vma_prev(&mm->mm_rb, start, &prev);
	if (!vma)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		if (vma->vm_start >= end)
			return -ENOMEM; /* no VMA in [start, end) */
		start = vma->vm_start; /* from the bottom of the stack VMA, even from a hole below
					*/
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -EINVAL;
	} else {
		if (vma->vm_start > start)
			return -ENOMEM; /* start lies in a hole */
		if (grows & PROT_GROWSUP) {
			end = vma->vm_end;
			if (!(vma->vm_flags & VM_GROWSUP))
				return -EINVAL; /* always on x86 */
		}
	}
	if (start > vma->vm_start)
		prev = vma; /* the range begins inside vma: it is the "previous" VMA of a merge */

	for (nstart = start;;) {
		u64 newflags;

		/* Does the program expect PROT_READ to imply PROT_EXEC? For this VMA only. */
		if (rier && (vma->vm_flags & VM_MAYEXEC))
			prot |= PROT_EXEC;
		/*
		 * Each call states R/W/X completely: what is not asked for is cleared, and so is
		 * the key, which arch_override_mprotect_pkey() picks again for this VMA (§3.4).
		 */
		int new_vma_pkey = arch_override_mprotect_pkey(vma, prot, pkey);
		newflags = calc_vm_prot_bits(prot) | pkey_vm_flags(new_vma_pkey) |
			   (vma->vm_flags & ~(VM_ACCESS_FLAGS | VM_PKEY_MASK));
		/* newflags >> 4 puts VM_MAY* where VM_* are (§1.5). */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS)
			return -EACCES;
		/* Warden's W^X policy (off by default): where Linux checks PR_SET_MDWE. */
		tmp = min(vma->vm_end, end);
		error = wx_check(call, nstart, tmp - nstart, vma->vm_flags, newflags);
		if (error)
			return error;
		/*
		 * Linux checks here, in this order, arch_validate_flags (nothing on x86), the LSM
		 * and a driver's vm_ops->mprotect: Warden has none.
		 */
		error = mprotect_fixup(mm, vma, &prev, nstart, tmp, newflags);
		if (error)
			return error;
		nstart = max(tmp, prev->vm_end); /* a merge may have taken in more than asked */
		if (nstart >= end)
			return 0;
		vma = prev->vm_next;
		if (!vma || vma->vm_start != nstart)
			return -ENOMEM; /* a hole: everything before it keeps its new protection */
		prot = reqprot;
	}
}

/* do_mprotect_pkey for the system call call (the W^X policy names it in its alerts). */
static long __do_mprotect_pkey(u64 start, u64 len, u64 prot, int pkey, enum trace_event call)
{
	struct mm_struct *mm = current->mm;
	const u64 grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	u64 end;
	long error;

	/* Phase A (§1.1): the arguments alone, in this order. */
	prot &= ~(u64)(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP)) /* can't be both: before everything */
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (!arch_validate_prot(prot, start))
		return -EINVAL;
	/* Phase B, under the mmap lock for writing, as Linux: the VMAs may not change meanwhile. */
	mmap_write_lock(mm);
	error = mprotect_vmas(mm, start, end, prot, grows, pkey, call);
	mm_debug_check(mm, "mprotect");
	mmap_write_unlock(mm);
	return error;
}

long do_mprotect_pkey(u64 start, u64 len, u64 prot, int pkey)
{
	return __do_mprotect_pkey(start, len, prot, pkey,
				  pkey == -1 ? TRACE_MPROTECT : TRACE_PKEY_MPROTECT);
}

long sys_mprotect(u64 start, u64 len, u64 prot)
{
	trace_call_begin(TRACE_MPROTECT);
	long r = __do_mprotect_pkey(start, len, prot, -1, TRACE_MPROTECT);
	trace_call_end(TRACE_MPROTECT, r, start, len, prot);
	return r;
}

long sys_pkey_mprotect(u64 start, u64 len, u64 prot, u64 pkey)
{
	trace_call_begin(TRACE_PKEY_MPROTECT);
	long r =
		__do_mprotect_pkey(start, len, prot, (int)pkey, TRACE_PKEY_MPROTECT); /* int pkey */
	trace_call_end(TRACE_PKEY_MPROTECT, r, start, len, prot, (u64)(s64)(int)pkey);
	return r;
}
