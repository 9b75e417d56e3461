// SPDX-License-Identifier: MIT
/*
 * wait4 and waitid: a parent (or tracer) collects what became of its children and tracees, as
 * Linux 6.1's do_wait in kernel/exit.c. Both calls share the search and the reporting; wait4
 * encodes the result as a wait status, waitid as a SIGCHLD siginfo.
 */
#include "kernel/cputime.h"
#include "kernel/errno.h"
#include "kernel/exit.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/uaccess.h"

#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WSTOPPED WUNTRACED
#define WEXITED 0x00000004
#define WCONTINUED 0x00000008
#define WNOWAIT 0x01000000
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000
#define RUSAGE_SIZE 144

#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define P_PIDFD 3

#define SIGINFO_SIZE 128

/* What a wait reports of a task. */
enum wait_kind {
	WAIT_NONE,
	WAIT_EXIT, /* a zombie child: reaped */
	WAIT_TRACEE_EXIT, /* a tracee's exit, told to its tracer before its parent reaps it */
	WAIT_CONTINUED, /* continued by SIGCONT */
	WAIT_STOPPED, /* a job-control stop, or a stop for its tracer */
};

/*
 * One wait (Linux's struct wait_opts): whom it waits for, how, and what it found. any is Linux's
 * notask_error cleared: some child or tracee may still be reported, so the wait is not ECHILD.
 */
struct wait_opts {
	int type; /* P_ALL, P_PID or P_PGID */
	int id; /* the pid or process group id */
	int flags; /* the options; wait4 always has WEXITED */
	bool any;
	enum wait_kind kind; /* of the task found */
	/* what was reported: */
	int stat; /* wait4's status */
	int cause, status; /* waitid's si_code and si_status */
	u32 uid; /* the task's real uid */
	bool want_rusage;
	u8 rusage[RUSAGE_SIZE];
};

/* Does task c match the wait's id: any, its pid, or its process group (Linux's eligible_pid)? */
static bool eligible_pid(const struct task_struct *c, const struct wait_opts *wo)
{
	if (wo->type == P_PID)
		return c->pid == wo->id;
	if (wo->type == P_PGID)
		return c->signal->pgid == wo->id;
	return true;
}

/*
 * Linux's eligible_child: c matches the id, and the options want its kind. A tracee of the
 * caller, and any child with __WALL, always; otherwise clone children (exit signal not SIGCHLD)
 * only with __WCLONE, the others only without it.
 */
static bool eligible_child(const struct task_struct *c, const struct wait_opts *wo, bool ptrace)
{
	if (!eligible_pid(c, wo))
		return false;
	if (ptrace || (wo->flags & __WALL))
		return true;
	return (c->exit_signal != SIGCHLD) == !!(wo->flags & __WCLONE);
}

/* The wait status of zombie z: the group's when it left in a group exit (Linux's wait_task_zombie).
 */
static int zombie_status(const struct task_struct *z)
{
	return (z->signal->flags & SIGNAL_GROUP_EXIT) ? z->signal->group_exit_code : z->exit_code;
}

/* Is t's parent a thread of the current process (a wait collects every thread's children)? */
static bool parent_is_us(const struct task_struct *t)
{
	return t->parent && same_thread_group(t->parent, current);
}

/*
 * Is t traced by the current process: by any of its threads, or with __WNOTHREAD by the calling
 * thread itself (Linux's do_wait runs ptrace_do_wait for every thread of the caller's group)?
 */
static bool traced_by_us(const struct task_struct *t, int options)
{
	if (!t->ptracer)
		return false;
	return (options & __WNOTHREAD) ? t->ptracer == current
				       : same_thread_group(t->ptracer, current);
}

/*
 * A group leader that has exited while other threads of its process live on (Linux's
 * delay_group_leader): not reaped yet, but the process's stops and continues are still
 * reported through it.
 */
static bool delayed_leader(const struct task_struct *t)
{
	return t->state == EXIT_ZOMBIE && thread_group_leader(t) && !thread_group_empty(t);
}

/*
 * Is t in a stop (or just continued) that the wait should report: a continue with WCONTINUED,
 * a job-control stop of the whole process (every live thread stopped, the leader possibly gone)
 * with WSTOPPED, or a traced stop for its tracer, which needs no WSTOPPED? Each is reported once,
 * unless WNOWAIT leaves it to be reported again.
 */
static enum wait_kind reportable_stop(const struct task_struct *t, int options)
{
	bool stoppable = t->state < EXIT_ZOMBIE || delayed_leader(t);

	if (t->continued && (options & WCONTINUED) && parent_is_us(t) && stoppable &&
	    t->state != TASK_STOPPED && t->state != TASK_TRACED)
		return WAIT_CONTINUED;
	if (t->stop_reported)
		return WAIT_NONE;
	if (t->state == TASK_TRACED && traced_by_us(t, options))
		return WAIT_STOPPED;
	if ((t->state == TASK_STOPPED || delayed_leader(t)) && (options & WSTOPPED) &&
	    parent_is_us(t) && thread_group_stopped(t))
		return WAIT_STOPPED;
	return WAIT_NONE;
}

/*
 * What the wait can report of t, found as a child of the caller (tracee false) or only as one
 * of its tracees: an exit (with WEXITED; a child once no other tracer holds it and its other
 * threads are gone, a tracee once it is not a delayed leader), else a stop or continue. Sets
 * wo->any unless t is such a zombie and WEXITED is missing, or a zombie not yet reapable that
 * is traced by us and the wait has neither WEXITED nor WCONTINUED (Linux's wait_consider_task).
 */
static enum wait_kind wait_consider_task(const struct task_struct *t, struct wait_opts *wo,
					 bool tracee)
{
	bool ptrace = tracee || traced_by_us(t, wo->flags);

	if (t->state == EXIT_ZOMBIE) {
		bool exited = tracee ? !delayed_leader(t)
				     : (!t->ptracer || ptrace) && thread_group_empty(t);

		if (exited && !(wo->flags & WEXITED))
			return WAIT_NONE; /* nor does it keep the wait from being ECHILD */
		if (exited)
			return parent_is_us(t) ? WAIT_EXIT : WAIT_TRACEE_EXIT;
		if (!ptrace || (wo->flags & (WCONTINUED | WEXITED)))
			wo->any = true;
	} else {
		wo->any = true;
	}
	return reportable_stop(t, wo->flags);
}

/* A child of thread me that the wait can report, with its kind in wo->kind; NULL if none. */
static struct task_struct *find_waitable_child(struct task_struct *me, struct wait_opts *wo)
{
	for (struct task_struct *c = me->children; c; c = c->sibling) {
		if (!eligible_child(c, wo, traced_by_us(c, wo->flags)))
			continue;
		wo->kind = wait_consider_task(c, wo, false);
		if (wo->kind != WAIT_NONE)
			return c;
	}
	return NULL;
}

/*
 * Was t seen among the children above: a process (a group leader) whose parent is the caller,
 * or with __WNOTHREAD the calling thread? A thread of a child is on no children list, so a
 * parent that traces it (strace -f) finds it only among its tracees.
 */
static bool on_children_list(const struct task_struct *t, int options)
{
	if (!thread_group_leader(t))
		return false;
	return (options & __WNOTHREAD) ? t->parent == current : parent_is_us(t);
}

/*
 * A child or tracee that the wait can report, with its kind in wo->kind; NULL if none. The
 * children of every thread of the caller's process count, unless __WNOTHREAD asks for the
 * caller's own only. wo->any says whether a report may still come (else the wait is ECHILD).
 */
static struct task_struct *find_waitable(struct wait_opts *wo)
{
	struct task_struct *th, *c;

	wo->any = false;
	if (wo->flags & __WNOTHREAD) {
		c = find_waitable_child(current, wo);
		if (c)
			return c;
	} else {
		for_each_thread(current, th) {
			c = find_waitable_child(th, wo);
			if (c)
				return c;
		}
	}
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		if (!traced_by_us(t, wo->flags) || on_children_list(t, wo->flags) ||
		    !eligible_child(t, wo, true))
			continue; /* tracees the loop above did not see (PTRACE_ATTACH) */
		wo->kind = wait_consider_task(t, wo, true);
		if (wo->kind != WAIT_NONE)
			return t;
	}
	return NULL;
}

/*
 * Reports zombie z's exit (Linux's wait_task_zombie): its status, and unless WNOWAIT it is
 * reaped; a tracee's exit seen by its tracer is told to its parent next, which reaps it (a
 * thread other than the leader has nobody else to tell: it is released now).
 */
static void wait_task_zombie(struct task_struct *z, struct wait_opts *wo)
{
	int status = zombie_status(z);

	wo->stat = status;
	if ((status & 0x7f) == 0) {
		wo->cause = CLD_EXITED;
		wo->status = status >> 8;
	} else {
		wo->cause = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
		wo->status = status & 0x7f;
	}
	if (wo->flags & WNOWAIT)
		return;
	if (wo->kind == WAIT_TRACEE_EXIT) {
		z->ptracer = NULL;
		if (!thread_group_leader(z) || do_notify_parent_exit(z))
			release_task(z); /* a thread, or a parent that wants no zombie */
		else if (z->parent) /* always: only init has none, and init never is a zombie */
			wake_up(&z->parent->signal->wait_chldexit);
		return;
	}
	account_reaped_child(current, z); /* the parent's cutime, cstime, ... */
	release_task(z);
}

/*
 * Reports what the wait found in t and, unless WNOWAIT, consumes it (Linux's wait_task_zombie,
 * wait_task_stopped and wait_task_continued). Returns t's pid. The usage is taken first, before
 * a zombie is released.
 */
static int wait_report(struct task_struct *t, struct wait_opts *wo)
{
	int pid = t->pid;

	wo->uid = t->cred.uid;
	if (wo->want_rusage)
		getrusage_fill(t, RUSAGE_BOTH, wo->rusage);
	switch (wo->kind) {
	case WAIT_EXIT:
	case WAIT_TRACEE_EXIT:
		wait_task_zombie(t, wo);
		break;
	case WAIT_CONTINUED:
		wo->stat = 0xffff; /* WIFCONTINUED */
		wo->cause = CLD_CONTINUED;
		wo->status = SIGCONT;
		if (!(wo->flags & WNOWAIT))
			t->continued = false;
		break;
	default:
		wo->stat = (t->stop_sig << 8) | 0x7f; /* WIFSTOPPED, WSTOPSIG */
		wo->cause = t->state == TASK_TRACED && traced_by_us(t, wo->flags) ? CLD_TRAPPED
										  : CLD_STOPPED;
		wo->status = t->stop_sig;
		if (!(wo->flags & WNOWAIT))
			t->stop_reported = true;
		break;
	}
	return pid;
}

/*
 * Linux's do_wait: reports a child or tracee as wo asks, sleeping (interruptibly) until one can
 * be reported unless WNOHANG. Returns its pid, 0 for WNOHANG with nothing to report, -ECHILD
 * when nothing matches, -ERESTARTSYS for a signal.
 */
static long do_wait(struct wait_opts *wo)
{
	struct task_struct *t;

	for (;;) {
		t = find_waitable(wo);
		if (t || !wo->any || (wo->flags & WNOHANG))
			break;
		long err = wait_event_interruptible(current->signal->wait_chldexit,
						    find_waitable(wo) || !wo->any);
		if (err)
			return err;
	}
	if (t)
		return wait_report(t, wo);
	return wo->any ? 0 : -ECHILD;
}

long sys_wait4(int upid, int *stat_addr, int options, void *ru)
{
	struct wait_opts wo = { .flags = options | WEXITED, .want_rusage = ru != NULL };
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (upid == (int)0x80000000)
		return -ESRCH; /* -INT_MIN is not defined */
	if (upid == -1) {
		wo.type = P_ALL;
	} else if (upid <= 0) {
		wo.type = P_PGID;
		wo.id = upid ? -upid : current->signal->pgid;
	} else {
		wo.type = P_PID;
		wo.id = upid;
	}
	ret = do_wait(&wo);
	if (ret > 0 && stat_addr && put_user_u32((u32)wo.stat, (u32 *)stat_addr))
		return -EFAULT;
	if (ret > 0 && ru && copy_to_user(ru, wo.rusage, RUSAGE_SIZE))
		return -EFAULT;
	return ret;
}

/*
 * Linux's kernel_waitid: the options (EINVAL for unknown ones or none of WEXITED, WSTOPPED,
 * WCONTINUED), then the id type and id. Warden has no pidfds, so P_PIDFD is EBADF for any
 * descriptor, as Linux's pidfd_get_pid says of a file that is not a pidfd.
 */
static long kernel_waitid(int which, int upid, struct wait_opts *wo)
{
	if (wo->flags & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD |
			  __WCLONE | __WALL))
		return -EINVAL;
	if (!(wo->flags & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	wo->type = which;
	wo->id = upid;
	switch (which) {
	case P_ALL:
		break;
	case P_PID:
		if (upid <= 0)
			return -EINVAL;
		break;
	case P_PGID:
		if (upid < 0)
			return -EINVAL;
		if (!upid)
			wo->id = current->signal->pgid;
		break;
	case P_PIDFD:
		return upid < 0 ? -EINVAL : -EBADF;
	default:
		return -EINVAL;
	}
	return do_wait(wo);
}

/*
 * waitid: the rusage is copied when a task was reported; then, whatever the outcome (an error
 * too), infop gets si_signo (SIGCHLD or 0), si_errno, si_code, si_pid, si_uid and si_status, and
 * nothing else of the siginfo is written, as Linux's sys_waitid (so WNOHANG finding nothing reads
 * as a zeroed siginfo, and a bad infop turns any outcome into EFAULT).
 */
long sys_waitid(int which, int upid, void *infop, int options, void *ru)
{
	struct wait_opts wo = { .flags = options, .want_rusage = ru != NULL };
	long err = kernel_waitid(which, upid, &wo);
	u32 signo = 0, pid = 0, *si = infop;

	if (err > 0) {
		signo = SIGCHLD;
		pid = (u32)err;
		err = 0;
		if (ru && copy_to_user(ru, wo.rusage, RUSAGE_SIZE))
			return -EFAULT;
	} else {
		wo.cause = wo.status = 0;
		wo.uid = 0;
	}
	if (!infop)
		return err;
	if (!access_ok(infop, SIGINFO_SIZE))
		return -EFAULT;
	/* si_signo, si_errno, si_code at 0, 4, 8; si_pid, si_uid, si_status at 16, 20, 24 */
	if (put_user_u32(signo, si) || put_user_u32(0, si + 1) ||
	    put_user_u32((u32)wo.cause, si + 2) || put_user_u32(pid, si + 4) ||
	    put_user_u32(wo.uid, si + 5) || put_user_u32((u32)wo.status, si + 6))
		return -EFAULT;
	return err;
}
