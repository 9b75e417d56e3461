// SPDX-License-Identifier: MIT
/*
 * Nice values: setpriority and getpriority (Linux 6.1's kernel/sys.c with set_one_prio, can_nice
 * of kernel/sched/core.c). Each task (thread) has its own nice value in [-20, 19], inherited at
 * fork; Warden's scheduler does not weigh it yet, but /proc/PID/stat shows it and the calls
 * keep Linux's rules: another user's task is EPERM without CAP_SYS_NICE (its real or effective
 * uid must be the caller's effective uid), lowering the value past RLIMIT_NICE is EACCES
 * without CAP_SYS_NICE.
 */
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/sys.h"

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
#define MIN_NICE (-20)
#define MAX_NICE 19
#define CAP_SYS_NICE 23

/* The nice value as a limit in [1, 40] (Linux's nice_to_rlimit: 20 - nice). */
static long nice_to_rlimit(int nice)
{
	return MAX_NICE - nice + 1;
}

/* May the caller change p's nice value (Linux's set_one_prio_perm)? */
static bool set_one_prio_perm(const struct task_struct *p)
{
	const struct cred *c = &current->cred;

	return p->cred.uid == c->euid || p->cred.euid == c->euid || capable(CAP_SYS_NICE);
}

/* May p's nice value go down to nice (Linux's can_nice: p's RLIMIT_NICE or CAP_SYS_NICE)? */
static bool can_nice(const struct task_struct *p, int nice)
{
	return (u64)nice_to_rlimit(nice) <= p->signal->rlim[RLIMIT_NICE].rlim_cur ||
	       capable(CAP_SYS_NICE);
}

/*
 * Sets one task's nice value (Linux's set_one_prio): EPERM, EACCES, or error turned from ESRCH
 * ("nobody found yet") into 0. A later task's error replaces an earlier one's.
 */
static long set_one_prio(struct task_struct *p, int nice, long error)
{
	if (!set_one_prio_perm(p))
		return -EPERM;
	if (nice < p->nice && !can_nice(p, nice))
		return -EACCES;
	p->nice = nice;
	return error == -ESRCH ? 0 : error;
}

/* Is p a live task whose real uid is uid (PRIO_USER)? */
static bool prio_user_match(const struct task_struct *p, u32 uid)
{
	return p->pid && p->state != EXIT_DEAD && p->cred.uid == uid;
}

/*
 * The process of group pgid that joined it just before next (NULL: the newest), or NULL: Linux
 * walks a group's processes newest first (its pid's list takes each one at the head).
 */
static struct task_struct *pgrp_prev(int pgid, const struct task_struct *next)
{
	struct task_struct *found = NULL;

	for (struct task_struct *t = first_task(); t && t != next; t = t->run_next)
		if (t->pid && t->state != EXIT_DEAD && thread_group_leader(t) &&
		    t->signal->pgid == pgid)
			found = t;
	return found;
}

/*
 * setpriority or getpriority over a group (newest process first, each one's threads) or a
 * user's tasks (in creation order), as Linux's do_each_pid_thread and for_each_process_thread:
 * set (nice) or find the highest (nice_to_rlimit); the result as those calls return it.
 */
static long prio_each(int which, int who, bool set, int nice)
{
	long ret = -ESRCH;
	struct task_struct *t;

	if (which == PRIO_PGRP) {
		int pgid = who ? who : current->signal->pgid;

		for (struct task_struct *p = pgrp_prev(pgid, NULL); p; p = pgrp_prev(pgid, p))
			for_each_thread(p, t) {
				if (set)
					ret = set_one_prio(t, nice, ret);
				else if (nice_to_rlimit(t->nice) > ret)
					ret = nice_to_rlimit(t->nice);
			}
		return ret;
	}
	u32 uid = who ? (u32)who : current->cred.uid;
	for (t = first_task(); t; t = t->run_next) {
		if (!prio_user_match(t, uid))
			continue;
		if (set)
			ret = set_one_prio(t, nice, ret);
		else if (nice_to_rlimit(t->nice) > ret)
			ret = nice_to_rlimit(t->nice);
	}
	return ret;
}

long sys_setpriority(int which, int who, int nice)
{
	long error = -ESRCH;

	if (which > PRIO_USER || which < PRIO_PROCESS)
		return -EINVAL;
	nice = nice < MIN_NICE ? MIN_NICE : nice > MAX_NICE ? MAX_NICE : nice;
	if (which == PRIO_PROCESS) {
		struct task_struct *p = who ? find_task_by_pid(who) : current;

		return p ? set_one_prio(p, nice, error) : error;
	}
	return prio_each(which, who, true, nice);
}

long sys_getpriority(int which, int who)
{
	long ret = -ESRCH;

	if (which > PRIO_USER || which < PRIO_PROCESS)
		return -EINVAL;
	if (which == PRIO_PROCESS) {
		struct task_struct *p = who ? find_task_by_pid(who) : current;

		return p ? nice_to_rlimit(p->nice) : ret;
	}
	return prio_each(which, who, false, 0);
}
