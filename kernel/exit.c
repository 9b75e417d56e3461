// SPDX-License-Identifier: MIT
/* exit, exit_group and wait4, with Linux's wait status encoding. */
#include "kernel/ptrace.h"
#include "kernel/exit.h"
#include "kernel/pgrp.h"
#include "kernel/posix_timers.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "arch/x86_64/qemu.h"
#include "drivers/tty/tty.h"
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "fs/vfs.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vmalloc.h"
#include "ipc/shm.h"

#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WCONTINUED 0x00000008
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000
#define RUSAGE_SIZE 144

/*
 * A thread of p's group that is not on its way out (Linux's find_alive_thread): the orphans of
 * an exiting thread stay in the family, and a subreaper process may have lost the thread that
 * was the parent.
 */
static struct task_struct *find_alive_thread(struct task_struct *p)
{
	struct task_struct *t;

	for_each_thread(p, t) {
		if (!t->exiting && task_alive(t))
			return t;
	}
	return NULL;
}

/*
 * Who inherits the children of the exiting thread father (Linux's find_new_reaper): another
 * live thread of its process first; else, when an ancestor has made itself a child subreaper
 * (prctl PR_SET_CHILD_SUBREAPER), a live thread of the nearest one; otherwise init (PID 1).
 */
static struct task_struct *find_new_reaper(struct task_struct *father)
{
	struct task_struct *init = find_task_by_pid(1), *alive = find_alive_thread(father);

	if (alive)
		return alive;
	if (father->signal->has_child_subreaper) {
		for (struct task_struct *r = father->parent; r && r->tgid > 1; r = r->parent) {
			if (r->signal->is_child_subreaper && (alive = find_alive_thread(r)))
				return alive;
		}
	}
	return init;
}

/* Frees what is left of a zombie that no list holds any more: its kernel stack and task. */
static void free_zombie(struct task_struct *c)
{
	c->state = EXIT_DEAD;
	sched_remove_task(c);
	detach_thread(c);
	free_task(c);
}

/* Takes c off its parent's list of children (a process reaped or never to be a zombie). */
static void unlink_child(struct task_struct *c)
{
	struct task_struct *p = c->parent;
	u64 f = spin_lock_irqsave(&tasklist_lock);

	for (struct task_struct **pp = p ? &p->children : NULL; pp && *pp; pp = &(*pp)->sibling) {
		if (*pp == c) {
			*pp = c->sibling;
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
}

/*
 * Gives the exiting thread's children to their new reaper, as Linux's forget_original_parent:
 * every thread of each child gets the new parent. Moving to another thread of the same process
 * changes nothing anyone can see; moving out of it is Linux's reparent_leader: the child reports
 * with SIGCHLD from now on, and a zombie child whose group is empty tells its new parent at once
 * (which frees it if it wants no zombies), else wakes it so that a wait4 there collects it.
 */
static void forget_original_parent(struct task_struct *father)
{
	struct task_struct *reaper;

	if (!father->children)
		return;
	reaper = find_new_reaper(father);
	while (father->children) {
		struct task_struct *c = father->children, *th;

		father->children = c->sibling;
		for_each_thread(c, th)
			th->parent = reaper;
		if (reaper && !same_thread_group(reaper, father)) {
			c->exit_signal = SIGCHLD; /* "we don't want people slaying init" */
			kill_orphaned_pgrp(c, father); /* father may have been its group's link */
			if (c->state == EXIT_ZOMBIE && !c->ptracer && thread_group_empty(c) &&
			    do_notify_parent_exit(c)) {
				free_zombie(c);
				continue;
			}
		}
		c->sibling = reaper->children;
		reaper->children = c;
		if (c->state == EXIT_ZOMBIE)
			wake_up(&reaper->signal->wait_chldexit);
	}
}

/* The end of the first program: report its status on the console and stop the machine. */
static void __noreturn init_exited(int status)
{
	printk(KERN_EMERG "warden: init exited, wait status %#x\n", status);
	qemu_exit(QEMU_EXIT_INIT);
}

/*
 * A group leader whose last other thread is now gone: its exit is told to its tracer or its
 * parent only now (Linux's delay_group_leader ending in release_task). A parent that wants no
 * zombie frees it.
 */
static void notify_delayed_leader(struct task_struct *leader)
{
	struct task_struct *p = leader->parent;

	if (leader->state != EXIT_ZOMBIE || !thread_group_empty(leader))
		return;
	if (leader->ptracer) {
		/* Its tracer's wait4 reports the exit first, then the parent reaps it. */
		do_notify_tracer_exit(leader);
		wake_up(&leader->ptracer->signal->wait_chldexit);
		return;
	}
	if (do_notify_parent_exit(leader)) {
		unlink_child(leader);
		free_zombie(leader);
	}
	if (p)
		wake_up(&p->signal->wait_chldexit);
}

/*
 * Tells whoever cares that t is gone (Linux's exit_notify): a group leader stays a zombie for
 * its parent's wait4, told only once the last thread has gone (delay_group_leader); another
 * thread is released at once (autoreap: nobody waits for a thread), unless its tracer is still
 * to see its exit; a process whose parent wants no zombies is released too. The release itself
 * happens after the switch away from t (finish_task_switch frees this_cpu()->dead_task).
 */
static void exit_notify(struct task_struct *t, bool group_dead)
{
	struct task_struct *p = t->parent, *leader = t->group_leader;
	bool autoreap;

	forget_original_parent(t);
	if (group_dead)
		kill_orphaned_pgrp(leader, NULL);
	ptrace_exit(t);
	t->state = EXIT_ZOMBIE;
	if (t->ptracer) {
		/* still traced (ptrace_exit): its tracer hears of it, the parent only after */
		do_notify_tracer_exit(t);
		autoreap = false;
	} else if (thread_group_leader(t)) {
		autoreap = thread_group_empty(t) && do_notify_parent_exit(t);
	} else {
		autoreap = true;
	}
	if (autoreap) {
		/* The task leaves its parent's children (wait4 there says ECHILD) or its group. */
		if (thread_group_leader(t))
			unlink_child(t);
		t->state = EXIT_DEAD;
		detach_thread(t);
		this_cpu()->dead_task = t;
		if (!thread_group_leader(t))
			notify_delayed_leader(leader);
	}
	if (p)
		wake_up(&p->signal->wait_chldexit);
	if (t->signal->group_exec_task)
		wake_up_process(t->signal->group_exec_task); /* execve waits for the others */
}

void do_exit(int status)
{
	struct task_struct *t = current;
	bool group_dead;

	t->exiting = true;
	exit_mm_release(t); /* the robust list, the tid word, a vfork parent */
	group_dead = --t->signal->live == 0;
	if (group_dead && !(t->signal->flags & SIGNAL_GROUP_EXIT)) {
		/* The last thread's status is the process's (Linux's synchronize_group_exit). */
		t->signal->flags |= SIGNAL_GROUP_EXIT;
		t->signal->group_exit_code = status;
	}
	if (t->tgid == 1 && group_dead)
		init_exited(status);
	if (group_dead) {
		itimers_exit(t->signal); /* Linux's do_exit: hrtimer_cancel(&sig->real_timer) */
		exit_itimers(t->signal); /* and the POSIX timers */
	}
	account_maxrss(t);
	if (t->files)
		put_files(t->files);
	if (t->fs)
		put_fs(t->fs);
	t->files = NULL;
	t->fs = NULL;
	if (group_dead)
		disassociate_ctty_on_exit(); /* a session leader's terminal is hung up */
	if (t->mm) {
		switch_mm(NULL);
		mmput(t->mm);
		t->mm = NULL;
	}
	exit_shm(t); /* the SysV segments it created are orphans now */
	sighand_put(t->sighand);
	t->sighand = NULL;
	t->exit_code = status;
	exit_notify(t, group_dead);
	schedule();
	panic("a zombie ran again");
}

/*
 * Ends the whole thread group (Linux's do_group_exit): the first thread to get here sets the
 * group's exit status and sends SIGKILL to the others (zap_other_threads); a thread that finds
 * the group already exiting leaves with that status.
 */
void do_group_exit(int status)
{
	struct signal_struct *sig = current->signal;

	if (sig->flags & SIGNAL_GROUP_EXIT) {
		status = sig->group_exit_code;
	} else if (sig->group_exec_task) {
		status = 0; /* killed by another thread's execve (Linux's de_thread) */
	} else if (!thread_group_empty(current)) {
		sig->group_exit_code = status;
		sig->flags |= SIGNAL_GROUP_EXIT;
		zap_other_threads(current);
	}
	do_exit(status);
}

long sys_exit(int code)
{
	do_exit((code & 0xff) << 8);
}

long sys_exit_group(int code)
{
	do_group_exit((code & 0xff) << 8);
}

/* Does child c match wait4's pid argument: any (-1), the caller's group (0), group -pid? */
static bool wait_matches(const struct task_struct *c, int pid)
{
	if (pid == -1)
		return true;
	if (pid == 0)
		return c->signal->pgid == current->signal->pgid;
	if (pid < 0)
		return c->signal->pgid == -pid;
	return c->pid == pid;
}

/*
 * Linux's eligible_child: c matches pid, and wait4's options want its kind. A tracee of the
 * caller, and any child with __WALL, always; otherwise clone children (exit signal not SIGCHLD)
 * only with __WCLONE, the others only without it.
 */
static bool eligible_child(const struct task_struct *c, int pid, int options, bool ptrace)
{
	if (!wait_matches(c, pid))
		return false;
	if (ptrace || (options & __WALL))
		return true;
	return (c->exit_signal != SIGCHLD) == !!(options & __WCLONE);
}

/*
 * Frees what is left of a reaped zombie (Linux's release_task): a process leaves its parent's
 * children, a thread its group, whose zombie leader may then be told to its parent.
 */
void release_task(struct task_struct *c)
{
	struct task_struct *leader = c->group_leader;

	if (thread_group_leader(c)) {
		unlink_child(c);
		free_zombie(c);
		return;
	}
	free_zombie(c);
	notify_delayed_leader(leader);
}

/* The wait status of zombie z: the group's when it left in a group exit (Linux's wait_task_zombie).
 */
static int zombie_status(const struct task_struct *z)
{
	return (z->signal->flags & SIGNAL_GROUP_EXIT) ? z->signal->group_exit_code : z->exit_code;
}

/* Is t's parent a thread of the current process (wait4 collects every thread's children)? */
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
 * Is t in a stop (or just continued) that wait4 should report to the current task: job control
 * with WUNTRACED (or WCONTINUED for a continue), for the whole process (every live thread
 * stopped, the leader possibly gone), or a traced stop for its tracer, which needs no WUNTRACED?
 */
static bool reportable_stop(const struct task_struct *t, int options)
{
	bool stoppable = t->state < EXIT_ZOMBIE || delayed_leader(t);

	if (t->continued && (options & WCONTINUED) && parent_is_us(t) && stoppable)
		return true; /* continued by SIGCONT: WCONTINUED reports it once */
	if (t->stop_reported)
		return false;
	if (t->state == TASK_TRACED && traced_by_us(t, options))
		return true;
	return (t->state == TASK_STOPPED || delayed_leader(t)) && (options & WUNTRACED) &&
	       parent_is_us(t) && thread_group_stopped(t);
}

/*
 * A zombie child can be reaped when no other tracer holds it and, for a group leader, when its
 * other threads are gone (Linux's delay_group_leader).
 */
static bool reapable_zombie(const struct task_struct *c, int options)
{
	return c->state == EXIT_ZOMBIE && (!c->ptracer || traced_by_us(c, options)) &&
	       thread_group_empty(c);
}

/*
 * A child of thread me that wait4 can report (see find_waitable); *any is set when one matches.
 */
static struct task_struct *find_waitable_child(struct task_struct *me, int pid, int options,
					       bool *any)
{
	for (struct task_struct *c = me->children; c; c = c->sibling) {
		if (!eligible_child(c, pid, options, traced_by_us(c, options)))
			continue;
		*any = true;
		/* A zombie still traced by another task is reaped once its tracer has seen it. */
		if (reapable_zombie(c, options) || reportable_stop(c, options))
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
 * A child (or a tracee) matching pid that wait4 can report: a zombie child (once no other tracer
 * holds it), a zombie tracee, or one in a reportable stop; NULL if none. The children of every
 * thread of the caller's process count, unless __WNOTHREAD asks for the caller's own only. *any
 * says whether any child or tracee matches at all.
 */
static struct task_struct *find_waitable(int pid, int options, bool *any)
{
	struct task_struct *th, *c;

	*any = false;
	if (options & __WNOTHREAD) {
		c = find_waitable_child(current, pid, options, any);
		if (c)
			return c;
	} else {
		for_each_thread(current, th) {
			c = find_waitable_child(th, pid, options, any);
			if (c)
				return c;
		}
	}
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		if (!traced_by_us(t, options) || on_children_list(t, options) ||
		    !eligible_child(t, pid, options, true))
			continue; /* tracees the loop above did not see (PTRACE_ATTACH) */
		*any = true;
		/* A leader's exit only once its other threads are gone, as the parent sees it. */
		if ((t->state == EXIT_ZOMBIE && !delayed_leader(t)) || reportable_stop(t, options))
			return t;
	}
	return NULL;
}

long sys_wait4(int pid, int *status, int options, void *rusage)
{
	struct task_struct *z;
	bool any;
	u8 ru[RUSAGE_SIZE];

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == (int)0x80000000)
		return -ESRCH;
	for (;;) {
		z = find_waitable(pid, options, &any);
		if (z || !any || (options & WNOHANG))
			break;
		long err = wait_event_interruptible(current->signal->wait_chldexit,
						    find_waitable(pid, options, &any) || !any);
		if (err)
			return err;
	}
	if (!any)
		return -ECHILD;
	if (!z)
		return 0;
	int zpid = z->pid, zstatus;
	/* The child's usage and its children's, taken before a zombie is released. */
	if (rusage)
		getrusage_fill(z, RUSAGE_BOTH, ru);
	if (z->state == EXIT_ZOMBIE && !parent_is_us(z)) {
		/*
		 * The tracer's view of a tracee's exit: reported once, then the parent reaps it; a
		 * thread other than the leader has nobody else to: it is released now.
		 */
		zstatus = zombie_status(z);
		z->ptracer = NULL;
		if (!thread_group_leader(z) || do_notify_parent_exit(z))
			release_task(z); /* a thread, or a parent that wants no zombie */
		else if (z->parent) /* always: only init has none, and init never is a zombie */
			wake_up(&z->parent->signal->wait_chldexit);
	} else if (z->state == EXIT_ZOMBIE && !delayed_leader(z)) {
		zstatus = zombie_status(z);
		account_reaped_child(current, z); /* the parent's cutime, cstime, ... */
		release_task(z);
	} else if (z->continued && (options & WCONTINUED) && z->state != TASK_STOPPED &&
		   z->state != TASK_TRACED) {
		zstatus = 0xffff; /* WIFCONTINUED */
		z->continued = false;
	} else {
		zstatus = (z->stop_sig << 8) | 0x7f; /* WIFSTOPPED, WSTOPSIG */
		z->stop_reported = true;
	}
	if (status && put_user_u32((u32)zstatus, (u32 *)status))
		return -EFAULT;
	if (rusage && copy_to_user(rusage, ru, RUSAGE_SIZE))
		return -EFAULT;
	return zpid;
}
