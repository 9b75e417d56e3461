// SPDX-License-Identifier: MIT
/*
 * Small process syscalls: identity, limits, personality, uname, arch_prctl. Warden has one user,
 * root, as the first program on Linux would.
 */
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/itimer.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/sys.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/process.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "fs/fdtable.h"
#include "fs/proc.h"

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#define PR_MCE_KILL 33
#define PR_MCE_KILL_GET 34
#define PR_MCE_KILL_CLEAR 0
#define PR_MCE_KILL_SET 1
#define PR_MCE_KILL_LATE 0
#define PR_MCE_KILL_EARLY 1
#define PR_MCE_KILL_DEFAULT 2

#define MLOCK_LIMIT (8UL << 20) /* RLIMIT_MEMLOCK: 8 MiB since Linux 5.16 */
#define MQ_BYTES_MAX 819200 /* RLIMIT_MSGQUEUE */
#define INR_OPEN_CUR 1024
#define INR_OPEN_MAX 4096
#define _STK_LIM (8UL << 20)

/*
 * Linux 6.1's limits of the first process (INIT_RLIMITS, then fork_init's RLIMIT_NPROC and
 * RLIMIT_SIGPENDING, half of max_threads): 8 MiB stack, no core files, 1024 open files, 8 MiB of
 * locked memory, 819200 bytes of message queues, nice and real-time priority 0.
 */
void rlimit_init(struct task_struct *t)
{
	u64 nproc = (u64)max_threads / 2;

	for (int i = 0; i < RLIM_NLIMITS; i++)
		t->signal->rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	t->signal->rlim[RLIMIT_STACK].rlim_cur = _STK_LIM;
	t->signal->rlim[RLIMIT_CORE].rlim_cur = 0;
	t->signal->rlim[RLIMIT_NPROC] = (struct rlimit64){ nproc, nproc };
	t->signal->rlim[RLIMIT_NOFILE] = (struct rlimit64){ INR_OPEN_CUR, INR_OPEN_MAX };
	t->signal->rlim[RLIMIT_MEMLOCK] = (struct rlimit64){ MLOCK_LIMIT, MLOCK_LIMIT };
	t->signal->rlim[RLIMIT_SIGPENDING] = (struct rlimit64){ nproc, nproc };
	t->signal->rlim[RLIMIT_MSGQUEUE] = (struct rlimit64){ MQ_BYTES_MAX, MQ_BYTES_MAX };
	t->signal->rlim[RLIMIT_NICE] = (struct rlimit64){ 0, 0 };
	t->signal->rlim[RLIMIT_RTPRIO] = (struct rlimit64){ 0, 0 };
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

/* The names sethostname and setdomainname set (Linux's init_uts_ns: "(none)" until set). */
#define NEW_UTS_LEN 64
static char uts_nodename[NEW_UTS_LEN + 1] = "warden";
static char uts_domainname[NEW_UTS_LEN + 1] = "(none)";

const char *utsname_nodename(void)
{
	return uts_nodename;
}

long sys_uname(struct new_utsname *u)
{
	struct new_utsname k;

	memset(&k, 0, sizeof(k));
	strlcpy(k.sysname, "Linux", 65);
	memcpy(k.nodename, uts_nodename, sizeof(k.nodename));
	strlcpy(k.release, UTS_RELEASE, 65);
	strlcpy(k.version, "#1 Warden", 65);
	strlcpy(k.machine, "x86_64", 65);
	memcpy(k.domainname, uts_domainname, sizeof(k.domainname));
	return copy_to_user(u, &k, sizeof(k)) ? -EFAULT : 0;
}

/*
 * sethostname and setdomainname (Linux's kernel/sys.c): EPERM without CAP_SYS_ADMIN, then
 * EINVAL for a length outside [0, 64], EFAULT for unreadable bytes; the name is the len bytes
 * given, the rest of the field zeroed.
 */
static long set_uts_name(char *field, const char __user *name, int len)
{
	char tmp[NEW_UTS_LEN];

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len < 0 || len > NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(tmp, name, (size_t)len))
		return -EFAULT;
	memcpy(field, tmp, (size_t)len);
	memset(field + len, 0, NEW_UTS_LEN + 1 - (size_t)len);
	return 0;
}

long sys_sethostname(const char __user *name, int len)
{
	return set_uts_name(uts_nodename, name, len);
}

long sys_setdomainname(const char __user *name, int len)
{
	return set_uts_name(uts_domainname, name, len);
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
		if (!p->signal->has_child_subreaper && p->pid != 1) {
			p->signal->has_child_subreaper = true;
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

/*
 * PR_MCE_KILL (Linux's prctl, CONFIG_MEMORY_FAILURE): how memory failure treats this thread.
 * CLEAR goes back to the system's policy (vm.memory_failure_early_kill); SET with EARLY asks
 * for a signal (BUS_MCEERR_AO) as soon as a page it maps is poisoned, LATE only when it touches
 * one, DEFAULT is CLEAR. 0 or -EINVAL.
 */
static long prctl_mce_kill(struct task_struct *me, u64 arg2, u64 arg3, u64 arg4, u64 arg5)
{
	if (arg4 | arg5)
		return -EINVAL;
	switch (arg2) {
	case PR_MCE_KILL_CLEAR:
		if (arg3)
			return -EINVAL;
		me->mce_kill &= (u8)~MCE_KILL_PROCESS;
		return 0;
	case PR_MCE_KILL_SET:
		me->mce_kill |= MCE_KILL_PROCESS;
		if (arg3 == PR_MCE_KILL_EARLY)
			me->mce_kill |= MCE_KILL_EARLY;
		else if (arg3 == PR_MCE_KILL_LATE)
			me->mce_kill &= (u8)~MCE_KILL_EARLY;
		else if (arg3 == PR_MCE_KILL_DEFAULT)
			me->mce_kill = 0;
		else
			return -EINVAL; /* MCE_KILL_PROCESS stays set, as Linux's */
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * prctl: the capability prctls first (Linux's security_task_prctl), then the process name, the
 * child subreaper flag, dumpable, no_new_privs and the memory-failure kill policy; any other
 * option is EINVAL.
 */
long sys_prctl(int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5)
{
	struct task_struct *me = current;
	char comm[TASK_COMM_LEN];
	long error;

	error = cap_task_prctl(option, arg2, arg3, arg4, arg5);
	if (error != -ENOSYS)
		return error;
	switch (option) {
	case PR_GET_DUMPABLE:
		return me->mm ? me->mm->dumpable : 0;
	case PR_SET_DUMPABLE:
		if (arg2 != SUID_DUMP_DISABLE && arg2 != SUID_DUMP_USER)
			return -EINVAL;
		if (me->mm)
			me->mm->dumpable = (int)arg2;
		return 0;
	case PR_SET_NO_NEW_PRIVS:
		if (arg2 != 1 || arg3 || arg4 || arg5)
			return -EINVAL;
		me->cred.no_new_privs = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		return me->cred.no_new_privs;
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
		me->signal->is_child_subreaper = arg2 != 0;
		if (arg2)
			propagate_has_child_subreaper(me);
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_user_u32(me->signal->is_child_subreaper, (u32 *)arg2) ? -EFAULT : 0;
	case PR_MCE_KILL:
		return prctl_mce_kill(me, arg2, arg3, arg4, arg5);
	case PR_MCE_KILL_GET:
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		if (!(me->mce_kill & MCE_KILL_PROCESS))
			return PR_MCE_KILL_DEFAULT;
		return me->mce_kill & MCE_KILL_EARLY ? PR_MCE_KILL_EARLY : PR_MCE_KILL_LATE;
	default:
		return -EINVAL;
	}
}

/*
 * Linux's do_prlimit: the resource, a soft limit above the hard one, a RLIMIT_NOFILE hard limit
 * above nr_open (EPERM), raising the hard limit without CAP_SYS_RESOURCE (EPERM), then old and
 * new swap (nothing changes on an error).
 */
static long do_prlimit(struct task_struct *t, unsigned int resource, const struct rlimit64 *new,
		       struct rlimit64 *old)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && new->rlim_max > sysctl_nr_open)
			return -EPERM;
		if (new->rlim_max > t->signal->rlim[resource].rlim_max &&
		    !capable(CAP_SYS_RESOURCE))
			return -EPERM;
	}
	if (old)
		*old = t->signal->rlim[resource];
	if (new) {
		t->signal->rlim[resource] = *new;
		if (resource == RLIMIT_CPU)
			rlimit_cpu_update(t->signal); /* Linux's update_rlimit_cpu */
	}
	return 0;
}

/*
 * May the current task read or set t's limits (Linux's check_prlimit_permission)? Its own, or
 * its real uid and gid are all of t's real, effective and saved ones, or CAP_SYS_RESOURCE.
 */
static long check_prlimit_permission(const struct task_struct *t)
{
	const struct cred *c = &current->cred, *tc = &t->cred;

	if (t == current)
		return 0;
	if (c->uid == tc->uid && c->uid == tc->euid && c->uid == tc->suid && c->gid == tc->gid &&
	    c->gid == tc->egid && c->gid == tc->sgid)
		return 0;
	return capable(CAP_SYS_RESOURCE) ? 0 : -EPERM;
}

/*
 * prlimit64 in Linux's order: copy the new limit in, find the task, the permission (EPERM),
 * check and set, copy out.
 */
long sys_prlimit64(int pid, unsigned int resource, const struct rlimit64 *new, struct rlimit64 *old)
{
	struct rlimit64 r, prev;

	if (new &&copy_from_user(&r, new, sizeof(r)))
		return -EFAULT;
	struct task_struct *t = pid ? find_task_by_pid(pid) : current;
	if (!t)
		return -ESRCH;
	long ret = check_prlimit_permission(t);
	if (ret)
		return ret;
	ret = do_prlimit(t, resource, new ? &r : NULL, old ? &prev : NULL);
	if (!ret && old && copy_to_user(old, &prev, sizeof(prev)))
		ret = -EFAULT; /* the new limit stays set, as in Linux */
	return ret;
}

long sys_getrlimit(unsigned int resource, struct rlimit64 *old)
{
	struct rlimit64 r;
	long ret = do_prlimit(current, resource, NULL, &r);

	if (!ret && copy_to_user(old, &r, sizeof(r)))
		ret = -EFAULT;
	return ret;
}

/* setrlimit: the new limit is always read, so NULL is EFAULT (before the resource is checked). */
long sys_setrlimit(unsigned int resource, const struct rlimit64 *new)
{
	struct rlimit64 r;

	if (copy_from_user(&r, new, sizeof(r)))
		return -EFAULT;
	return do_prlimit(current, resource, &r, NULL);
}

/* The names and units of /proc/self/limits, as Linux 6.1's lnames[]. */
static const struct {
	const char *name, *unit;
} limit_names[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { "Max cpu time", "seconds" },
	[RLIMIT_FSIZE] = { "Max file size", "bytes" },
	[RLIMIT_DATA] = { "Max data size", "bytes" },
	[RLIMIT_STACK] = { "Max stack size", "bytes" },
	[RLIMIT_CORE] = { "Max core file size", "bytes" },
	[RLIMIT_RSS] = { "Max resident set", "bytes" },
	[RLIMIT_NPROC] = { "Max processes", "processes" },
	[RLIMIT_NOFILE] = { "Max open files", "files" },
	[RLIMIT_MEMLOCK] = { "Max locked memory", "bytes" },
	[RLIMIT_AS] = { "Max address space", "bytes" },
	[RLIMIT_LOCKS] = { "Max file locks", "locks" },
	[RLIMIT_SIGPENDING] = { "Max pending signals", "signals" },
	[RLIMIT_MSGQUEUE] = { "Max msgqueue size", "bytes" },
	[RLIMIT_NICE] = { "Max nice priority", NULL },
	[RLIMIT_RTPRIO] = { "Max realtime priority", NULL },
	[RLIMIT_RTTIME] = { "Max realtime timeout", "us" },
};

/* Prints one limit value in a 20-column field and a space: a number or "unlimited". */
static void limit_show(struct seq_buf *m, u64 v)
{
	if (v == RLIM_INFINITY)
		seq_printf(m, "%-20s ", "unlimited");
	else
		seq_printf(m, "%-20llu ", (unsigned long long)v);
}

/* /proc/self/limits in Linux's format (proc_pid_limits). */
static int limits_show(struct seq_buf *m)
{
	seq_printf(
		m,
		"Limit                     Soft Limit           Hard Limit           Units     \n");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		seq_printf(m, "%-25s ", limit_names[i].name);
		limit_show(m, proc_task()->signal->rlim[i].rlim_cur);
		limit_show(m, proc_task()->signal->rlim[i].rlim_max);
		if (limit_names[i].unit)
			seq_printf(m, "%-10s\n", limit_names[i].unit);
		else
			seq_printf(m, "\n");
	}
	return 0;
}

int proc_limits_init(void)
{
	return proc_create_file(PROC_SELF, "limits", 0444, limits_show);
}
