// SPDX-License-Identifier: MIT
/*
 * CPU affinity and the CPU a task runs on: sched_setaffinity(2), sched_getaffinity(2) and
 * getcpu(2), with Linux 6.1's checks in its order (kernel/sched/core.c, kernel/sys.c). A mask
 * is one 64-bit word here (cpumask_size() is 8 bytes, as on a Linux whose masks are sized by
 * nr_cpu_ids, with at most 64 CPUs).
 */
#include "kernel/sched_rq.h"
#include "kernel/sys.h"
#include "kernel/errno.h"
#include "kernel/cred.h"
#include "arch/x86_64/smp.h"
#include "mm/uaccess.h"

#define CPUMASK_SIZE 8u
#define CAP_SYS_NICE 23

/* pid 0: the caller; otherwise the task (thread) with that id. */
static struct task_struct *find_process_by_pid(int pid)
{
	return pid ? find_task_by_pid(pid) : current;
}

/* Linux's check_same_owner: the caller's euid is the target's euid or uid. */
static bool check_same_owner(const struct task_struct *p)
{
	return current->cred.euid == p->cred.euid || current->cred.euid == p->cred.uid;
}

long sys_sched_setaffinity(int pid, unsigned int len, const u64 *user_mask)
{
	cpumask_t mask = { 0 };

	/* get_user_cpu_mask: a short mask is zero-extended, a long one cut to cpumask_size() */
	if (len > CPUMASK_SIZE)
		len = CPUMASK_SIZE;
	if (copy_from_user(&mask, user_mask, len))
		return -EFAULT;
	struct task_struct *p = find_process_by_pid(pid);
	if (!p)
		return -ESRCH;
	if (!check_same_owner(p) && !capable(CAP_SYS_NICE))
		return -EPERM;
	mask.bits &= (1ULL << NR_CPUS) - 1;
	if (!(mask.bits & cpu_online_mask.bits))
		return -EINVAL;
	set_cpus_allowed_ptr(p, mask);
	if (p == current && current->need_resched)
		schedule(); /* leave a CPU no longer allowed before returning */
	return 0;
}

long sys_sched_getaffinity(int pid, unsigned int len, u64 *user_mask)
{
	if ((u32)(len * 8) < nr_cpu_ids) /* an unsigned int on Linux too: it wraps */
		return -EINVAL;
	if (len & (sizeof(u64) - 1))
		return -EINVAL;
	struct task_struct *p = find_process_by_pid(pid);
	if (!p)
		return -ESRCH;
	cpumask_t mask = { p->cpus_allowed.bits & cpu_online_mask.bits };
	unsigned int retlen = len < CPUMASK_SIZE ? len : CPUMASK_SIZE;
	if (copy_to_user(user_mask, &mask, retlen))
		return -EFAULT;
	return retlen;
}

long sys_getcpu(u32 *cpup, u32 *nodep, void *unused)
{
	u32 cpu = smp_processor_id();
	int err = 0;

	(void)unused;
	if (cpup)
		err |= put_user_u32(cpu, cpup);
	if (nodep)
		err |= put_user_u32(0, nodep);
	return err ? -EFAULT : 0;
}
