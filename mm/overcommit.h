/* SPDX-License-Identifier: MIT */
/*
 * Overcommit accounting, as Linux 6.1's mm/util.c (__vm_enough_memory, vm_commit_limit) and
 * mm/mmap.c's VM_ACCOUNT charges (docs/overcommit.md). Memory a program may write without a file
 * behind it (private writable mappings, the heap, shared anonymous memory and SysV segments) is
 * charged to vm_committed_as when it is mapped and given back when it goes. Whether a charge is
 * allowed is vm.overcommit_memory's policy: 0 (heuristic: no single request above RAM + swap),
 * 1 (always), 2 (strict: the total stays below CommitLimit).
 */
#ifndef WARDEN_MM_OVERCOMMIT_H
#define WARDEN_MM_OVERCOMMIT_H

#include "kernel/types.h"

struct mm_struct;

#define OVERCOMMIT_GUESS 0
#define OVERCOMMIT_ALWAYS 1
#define OVERCOMMIT_NEVER 2

extern int sysctl_overcommit_memory; /* vm.overcommit_memory: 0, 1 or 2 */
extern int sysctl_overcommit_ratio; /* vm.overcommit_ratio: percent of RAM (50) */
extern u64 sysctl_overcommit_kbytes; /* vm.overcommit_kbytes: replaces the ratio when non-zero */
extern u64 sysctl_user_reserve_kbytes, sysctl_admin_reserve_kbytes;

/*
 * Pages charged (Linux's vm_committed_as, /proc/meminfo's Committed_AS). One CPU and no
 * preemption: a plain counter, changed only by the calls below (docs/locking.md).
 */
extern s64 vm_committed_as;

/* Charges or returns pages (Linux's vm_acct_memory / vm_unacct_memory). */
static inline void vm_acct_memory(long pages)
{
	vm_committed_as += pages;
}

static inline void vm_unacct_memory(long pages)
{
	vm_committed_as -= pages;
}

/* The pages strict overcommit allows (Linux's vm_commit_limit, /proc/meminfo's CommitLimit). */
u64 vm_commit_limit(void);

/*
 * Linux's __vm_enough_memory: charges pages, then keeps the charge (0) if the policy allows it
 * or takes it back and returns -ENOMEM. With strict overcommit, a caller without CAP_SYS_ADMIN
 * leaves admin_reserve_kbytes, and mm (when given) min(total_vm / 32, user_reserve_kbytes).
 */
int __vm_enough_memory(struct mm_struct *mm, long pages, bool cap_sys_admin);

/* Linux's security_vm_enough_memory_mm: __vm_enough_memory with the caller's CAP_SYS_ADMIN. */
int security_vm_enough_memory_mm(struct mm_struct *mm, long pages);

/* /proc/sys/vm/overcommit_* and *_reserve_kbytes (after /proc/sys/vm exists). 0 or -errno. */
int overcommit_sysctl_init(void);

#endif
