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

static bool sysctl_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * Writing an unsigned long sysctl (proc_doulongvec_minmax): a write at a non-zero position is
 * taken and ignored; one decimal number that fits 64 bits between blanks, else EINVAL; a
 * negative one is skipped. Returns the bytes taken, with *set telling whether *value changed.
 */
static ssize_t ulong_write(struct iov_iter *from, s64 *ppos, u64 *value, bool *set)
{
	size_t count = iov_iter_count(from), len, i = 0;
	bool digits = false, neg = false;
	char buf[32];
	u64 v = 0;

	*set = false;
	if (*ppos || !count) {
		*ppos += (s64)count;
		return (ssize_t)count;
	}
	len = count < sizeof(buf) ? count : sizeof(buf) - 1;
	if (copy_from_iter(buf, len, from) != len)
		return -EFAULT;
	while (i < len && sysctl_space(buf[i]))
		i++;
	if (i < len && buf[i] == '-')
		neg = true, i++;
	for (; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		digits = true;
		if (__builtin_mul_overflow(v, 10UL, &v) ||
		    __builtin_add_overflow(v, (u64)(buf[i] - '0'), &v))
			return -EINVAL;
	}
	if (!digits || neg || (i < len && !sysctl_space(buf[i])))
		return -EINVAL;
	while (i < len && sysctl_space(buf[i]))
		i++;
	if (!neg) {
		*value = v;
		*set = true;
	}
	*ppos += (s64)i;
	return (ssize_t)i;
}

static int overcommit_kbytes_show(struct seq_buf *m)
{
	seq_printf(m, "%llu\n", (unsigned long long)sysctl_overcommit_kbytes);
	return 0;
}

/* vm.overcommit_kbytes: writing it zeroes overcommit_ratio (overcommit_kbytes_handler). */
static ssize_t overcommit_kbytes_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	bool set;
	ssize_t r = ulong_write(from, ppos, &sysctl_overcommit_kbytes, &set);

	(void)file;
	if (r >= 0 && set)
		sysctl_overcommit_ratio = 0;
	return r;
}

static int user_reserve_show(struct seq_buf *m)
{
	seq_printf(m, "%llu\n", (unsigned long long)sysctl_user_reserve_kbytes);
	return 0;
}

static ssize_t user_reserve_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	bool set;

	(void)file;
	return ulong_write(from, ppos, &sysctl_user_reserve_kbytes, &set);
}

static int admin_reserve_show(struct seq_buf *m)
{
	seq_printf(m, "%llu\n", (unsigned long long)sysctl_admin_reserve_kbytes);
	return 0;
}

static ssize_t admin_reserve_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	bool set;

	(void)file;
	return ulong_write(from, ppos, &sysctl_admin_reserve_kbytes, &set);
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
		err = proc_create_seq(vm, "overcommit_kbytes", 0644, overcommit_kbytes_show,
				      overcommit_kbytes_write);
	if (!err)
		err = proc_create_seq(vm, "user_reserve_kbytes", 0644, user_reserve_show,
				      user_reserve_write);
	if (!err)
		err = proc_create_seq(vm, "admin_reserve_kbytes", 0644, admin_reserve_show,
				      admin_reserve_write);
	iput(vm);
	return err;
}
#endif
