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
#include "arch/x86_64/process.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

#define RLIM_INFINITY (~0ULL)

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37

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
		x86_fsbase_write(addr);
		return 0;
	case ARCH_GET_FS:
		return put_user_u64(x86_fsbase_read(), (u64 *)addr);
	case ARCH_SET_GS:
		if (addr >= TASK_SIZE)
			return -EPERM;
		x86_gsbase_write(addr);
		return 0;
	case ARCH_GET_GS:
		return put_user_u64(x86_gsbase_read(), (u64 *)addr);
	default:
		return -EINVAL;
	}
}

/*
 * Marks every descendant of me as having a subreaper above it (Linux's walk_process_tree with
 * propagate_has_child_subreaper), without recursion: a subtree already marked is skipped, as are
 * init's.
 */
static void propagate_has_child_subreaper(struct task_struct *me)
{
	struct task_struct *p = me->children;

	while (p) {
		if (!p->has_child_subreaper && p->pid != 1) {
			p->has_child_subreaper = true;
			if (p->children) {
				p = p->children;
				continue;
			}
		}
		while (!p->sibling) {
			p = p->parent;
			if (p == me)
				return;
		}
		p = p->sibling;
	}
}

/* prctl: the process name and the child subreaper flag; any other option is EINVAL. */
long sys_prctl(int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5)
{
	struct task_struct *me = current;
	char comm[TASK_COMM_LEN];

	(void)arg3;
	(void)arg4;
	(void)arg5;
	switch (option) {
	case PR_SET_NAME:
		memset(comm, 0, sizeof(comm));
		if (strncpy_from_user(comm, (const char *)arg2, sizeof(comm) - 1) < 0)
			return -EFAULT;
		memcpy(me->comm, comm, sizeof(comm));
		return 0;
	case PR_GET_NAME:
		memcpy(comm, me->comm, sizeof(comm));
		comm[sizeof(comm) - 1] = 0;
		return copy_to_user((void *)arg2, comm, sizeof(comm)) ? -EFAULT : 0;
	case PR_SET_CHILD_SUBREAPER:
		me->is_child_subreaper = arg2 != 0;
		if (arg2)
			propagate_has_child_subreaper(me);
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_user_u32(me->is_child_subreaper, (u32 *)arg2) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

long sys_prlimit64(int pid, unsigned int resource, const struct rlimit64 *new, struct rlimit64 *old)
{
	struct rlimit64 r, prev;

	/* Linux's order: resource, copy in, find the task, check, apply, then copy the old out. */
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new &&copy_from_user(&r, new, sizeof(r)))
		return -EFAULT;
	struct task_struct *t = pid ? find_task_by_pid(pid) : current;
	if (!t)
		return -ESRCH;
	if (new &&r.rlim_cur > r.rlim_max)
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
