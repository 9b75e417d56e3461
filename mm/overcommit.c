// SPDX-License-Identifier: MIT
/*
 * Overcommit policy and accounting (mm/overcommit.h), as Linux 6.1's mm/util.c and the
 * vm.overcommit_* sysctls of kernel/sysctl.c and mm/util.c. docs/overcommit.md.
 */
#include "mm/overcommit.h"
#include "mm/mm.h"
#include "mm/frame.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#ifndef WARDEN_HOST
#include "fs/proc.h"
#include "fs/uio.h"
#include "kernel/err.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#endif

int sysctl_overcommit_memory = OVERCOMMIT_GUESS;
int sysctl_overcommit_ratio = 50;
u64 sysctl_overcommit_kbytes;
u64 sysctl_user_reserve_kbytes = 1UL << 17; /* set from free memory by overcommit_sysctl_init */
u64 sysctl_admin_reserve_kbytes = 1UL << 13;
s64 vm_committed_as;

/* Warden has no swap and no huge pages: RAM is all there is (total_swap_pages 0). */
u64 vm_commit_limit(void)
{
	u64 allowed;

	if (sysctl_overcommit_kbytes)
		allowed = sysctl_overcommit_kbytes >> (PAGE_SHIFT - 10);
	else
		allowed = nr_managed_frames() * (u64)(s64)sysctl_overcommit_ratio / 100;
	return allowed;
}

int __vm_enough_memory(struct mm_struct *mm, long pages, bool cap_sys_admin)
{
	long allowed;

	vm_acct_memory(pages);
	if (sysctl_overcommit_memory == OVERCOMMIT_ALWAYS)
		return 0;
	if (sysctl_overcommit_memory == OVERCOMMIT_GUESS) {
		if ((u64)pages > nr_managed_frames())
			goto error;
		return 0;
	}
	allowed = (long)vm_commit_limit();
	if (!cap_sys_admin)
		allowed -= (long)(sysctl_admin_reserve_kbytes >> (PAGE_SHIFT - 10));
	if (mm) {
		long reserve = (long)(sysctl_user_reserve_kbytes >> (PAGE_SHIFT - 10));
		long total = (long)mm_total_vm(mm) / 32;

		allowed -= total < reserve ? total : reserve;
	}
	if ((vm_committed_as > 0 ? vm_committed_as : 0) < allowed)
		return 0;
error:
#ifndef WARDEN_HOST
	pr_warn("__vm_enough_memory: pid: %d, comm: %s, not enough memory for the allocation\n",
		current->pid, current->comm);
#endif
	vm_unacct_memory(pages);
	return -ENOMEM;
}

int security_vm_enough_memory_mm(struct mm_struct *mm, long pages)
{
	return __vm_enough_memory(mm, pages, capable(CAP_SYS_ADMIN));
}

#ifndef WARDEN_HOST
/* vm.overcommit_ratio: writing it zeroes overcommit_kbytes, as Linux's overcommit_ratio_handler. */
static int overcommit_ratio_store(int *value, int v)
{
	*value = v;
	sysctl_overcommit_kbytes = 0;
	return 0;
}

/* vm.overcommit_kbytes: writing it zeroes overcommit_ratio (Linux's overcommit_kbytes_handler). */
static void overcommit_kbytes_store(u64 *value, u64 v)
{
	*value = v;
	sysctl_overcommit_ratio = 0;
}

/*
 * Linux's init_user_reserve and init_admin_reserve: 1/32 of the free memory at boot, at most
 * 128 MiB and 8 MiB.
 */
static void init_reserves(void)
{
	u64 free_kbytes = nr_free_frames() << (PAGE_SHIFT - 10);

	sysctl_user_reserve_kbytes = free_kbytes / 32 < (1UL << 17) ? free_kbytes / 32 : 1UL << 17;
	sysctl_admin_reserve_kbytes = free_kbytes / 32 < (1UL << 13) ? free_kbytes / 32 : 1UL << 13;
}

int overcommit_sysctl_init(void)
{
	struct inode *sys = lookup_child(proc_root_dir(), "sys", 3), *vm;
	int err;

	if (IS_ERR(sys))
		return PTR_ERR(sys);
	vm = lookup_child(sys, "vm", 2);
	iput(sys);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	init_reserves();
	err = proc_create_int(vm, "overcommit_memory", 0644, &sysctl_overcommit_memory, 0, 2);
	if (!err)
		err = proc_create_int_store(vm, "overcommit_ratio", 0644, &sysctl_overcommit_ratio,
					    -0x7fffffff - 1, 0x7fffffff, overcommit_ratio_store);
	if (!err)
		err = proc_create_ulong(vm, "overcommit_kbytes", 0644, &sysctl_overcommit_kbytes,
					overcommit_kbytes_store);
	if (!err)
		err = proc_create_ulong(vm, "user_reserve_kbytes", 0644,
					&sysctl_user_reserve_kbytes, NULL);
	if (!err)
		err = proc_create_ulong(vm, "admin_reserve_kbytes", 0644,
					&sysctl_admin_reserve_kbytes, NULL);
	iput(vm);
	return err;
}
#endif
