// SPDX-License-Identifier: MIT
/* Process groups and sessions: setpgid, setsid, the getters, orphaned groups (kernel/pgrp.h). */
#include "kernel/pgrp.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"

/* Does a process (a zombie too, as long as it is not reaped) have process group pgid? */
static struct task_struct *find_pgrp_member(int pgid)
{
	for (struct task_struct *p = first_task(); p; p = p->run_next) {
		if (p->pid != 0 && p->pid == p->tgid && p->state != EXIT_DEAD &&
		    p->signal->pgid == pgid)
			return p;
	}
	return NULL;
}

/* Is t the leader of its session (Linux's signal->leader, set by setsid only)? */
static bool is_session_leader(const struct task_struct *t)
{
	return t->signal->sid == t->tgid;
}

/* Is a member of group pgid stopped by job control (Linux's has_stopped_jobs)? */
static bool has_stopped_jobs(int pgid)
{
	for (struct task_struct *p = first_task(); p; p = p->run_next) {
		if (p->pid != 0 && p->state == TASK_STOPPED && p->signal->pgid == pgid)
			return true;
	}
	return false;
}

void kill_orphaned_pgrp(struct task_struct *tsk, struct task_struct *parent)
{
	struct task_struct *ignored = tsk;

	if (!parent)
		parent = tsk->parent; /* exit: tsk may have been its group's only link */
	else
		ignored = NULL; /* reparent: the exiting parent may have been the link */
	if (!parent)
		return; /* init has no parent and never exits */
	if (parent->signal->pgid != tsk->signal->pgid && parent->signal->sid == tsk->signal->sid &&
	    will_become_orphaned_pgrp(tsk->signal->pgid, ignored) &&
	    has_stopped_jobs(tsk->signal->pgid)) {
		kill_pgrp(tsk->signal->pgid, SIGHUP, 1);
		kill_pgrp(tsk->signal->pgid, SIGCONT, 1);
	}
}

/*
 * setpgid(pid, pgid) as Linux 6.1: pid 0 is the caller's process (from any of its threads),
 * pgid 0 is pid. The process must be the caller's or a child of one of its threads; a child
 * must be in the caller's session and not have exec'd; a session leader cannot move; the group
 * must exist in the caller's session unless it is the process's own pid. Errors in Linux's
 * order.
 */
long sys_setpgid(int pid, int pgid)
{
	struct task_struct *leader = current->group_leader; /* the process, from any thread */
	struct task_struct *p, *g;

	if (!pid)
		pid = leader->tgid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	p = find_task_by_pid(pid);
	if (!p)
		return -ESRCH;
	if (p->pid != p->tgid)
		return -EINVAL; /* not a thread group leader */
	if (p->parent && same_thread_group(p->parent, leader)) { /* forked by any of our threads */
		if (p->signal->sid != leader->signal->sid)
			return -EPERM;
		if (p->did_exec)
			return -EACCES;
	} else if (p != leader) {
		return -ESRCH;
	}
	if (is_session_leader(p))
		return -EPERM;
	if (pgid != pid) {
		g = find_pgrp_member(pgid);
		if (!g || g->signal->sid != leader->signal->sid)
			return -EPERM;
	}
	p->signal->pgid = pgid;
	return 0;
}

/* getpgid(pid): the process group of pid (0: the caller); ESRCH if there is no such process. */
long sys_getpgid(int pid)
{
	struct task_struct *p = pid ? find_task_by_pid(pid) : current;

	return p ? p->signal->pgid : -ESRCH;
}

long sys_getpgrp(void)
{
	return current->signal->pgid;
}

/* getsid(pid): the session of pid (0: the caller); ESRCH if there is no such process. */
long sys_getsid(int pid)
{
	struct task_struct *p = pid ? find_task_by_pid(pid) : current;

	return p ? p->signal->sid : -ESRCH;
}

/*
 * setsid(): the caller leads a new session and a new group, both its pid. EPERM when it leads
 * a session already, or a group with its pid exists (it leads a group, or a former member of its
 * group still has it), as Linux's ksys_setsid. The new session has no controlling terminal.
 */
long sys_setsid(void)
{
	struct task_struct *leader = current;

	if (is_session_leader(leader) || find_pgrp_member(leader->tgid))
		return -EPERM;
	leader->signal->sid = leader->signal->pgid = leader->tgid;
	leader->signal->tty = NULL; /* proc_clear_tty */
	return leader->tgid;
}
