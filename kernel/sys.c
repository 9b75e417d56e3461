// SPDX-License-Identifier: MIT
/*
 * Small process syscalls: identity, limits, personality, uname, arch_prctl. Warden has one user,
 * root, as the first program on Linux would.
 */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/sys.h"
#include "arch/x86_64/cpu.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

#define RLIM_INFINITY (~0ULL)

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

/* Linux's defaults for the first process: 8 MiB stack, no core files, 1024 open files. */
void rlimit_init(struct task_struct *t)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		t->rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	t->rlim[RLIMIT_STACK].rlim_cur = 8UL << 20;
	t->rlim[RLIMIT_CORE].rlim_cur = 0;
	t->rlim[RLIMIT_NOFILE] = (struct rlimit64){ 1024, 4096 };
}

long sys_getpid(void)
{
	return current->tgid;
}

long sys_gettid(void)
{
	return current->pid;
}

long sys_getppid(void)
{
	return current->parent ? current->parent->tgid : 0;
}

long sys_getuid(void)
{
	return 0;
}

long sys_getpgrp(void)
{
	return 1;
}

long sys_setid(void)
{
	return 0; /* setuid & co as root to root: nothing changes */
}

long sys_getresuid(u32 *r, u32 *e, u32 *s)
{
	if (put_user_u32(0, r) || put_user_u32(0, e) || put_user_u32(0, s))
		return -EFAULT;
	return 0;
}

long sys_getgroups(int size, u32 *list)
{
	(void)list;
	return size < 0 ? -EINVAL : 0;
}

long sys_set_tid_address(int *tidptr)
{
	current->clear_child_tid = (u64)tidptr;
	return current->pid;
}

long sys_sched_yield(void)
{
	schedule();
	return 0;
}

long sys_personality(u64 persona)
{
	u64 old = current->personality;

	if (persona != 0xffffffff)
		current->personality = persona & 0xffffffff;
	return (long)old;
}

struct new_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

long sys_uname(struct new_utsname *u)
{
	struct new_utsname k;

	memset(&k, 0, sizeof(k));
	strlcpy(k.sysname, "Linux", 65);
	strlcpy(k.nodename, "warden", 65);
	strlcpy(k.release, "6.1.0-warden", 65);
	strlcpy(k.version, "#1 Warden", 65);
	strlcpy(k.machine, "x86_64", 65);
	strlcpy(k.domainname, "(none)", 65);
	return copy_to_user(u, &k, sizeof(k)) ? -EFAULT : 0;
}

long sys_arch_prctl(int code, u64 addr)
{
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= TASK_SIZE)
			return -EPERM;
		current->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return put_user_u64(current->fs_base, (u64 *)addr);
	case ARCH_SET_GS:
		if (addr >= TASK_SIZE)
			return -EPERM;
		current->gs_base = addr;
		wrmsr(MSR_KERNEL_GS_BASE, addr); /* the user's GS base while the kernel runs */
		return 0;
	case ARCH_GET_GS:
		return put_user_u64(current->gs_base, (u64 *)addr);
	default:
		return -EINVAL;
	}
}

long sys_prlimit64(int pid, unsigned int resource, const struct rlimit64 *new,
		   struct rlimit64 *old)
{
	struct rlimit64 r, prev;

	/* Linux's order: resource, copy in, find the task, check, apply, then copy the old out. */
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new && copy_from_user(&r, new, sizeof(r)))
		return -EFAULT;
	struct task_struct *t = pid ? find_task_by_pid(pid) : current;
	if (!t)
		return -ESRCH;
	if (new && r.rlim_cur > r.rlim_max)
		return -EINVAL;
	prev = t->rlim[resource];
	if (new)
		t->rlim[resource] = r;
	if (old && copy_to_user(old, &prev, sizeof(prev)))
		return -EFAULT;
	return 0;
}

long sys_getrlimit(unsigned int resource, struct rlimit64 *old)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	return copy_to_user(old, &current->rlim[resource], sizeof(*old)) ? -EFAULT : 0;
}

long sys_setrlimit(unsigned int resource, const struct rlimit64 *new)
{
	return sys_prlimit64(0, resource, new, NULL);
}
