// SPDX-License-Identifier: MIT
/* exit and exit_group: how a task ends and who is told (wait4 and waitid: kernel/wait_child.c). */
#include "kernel/ptrace.h"
#include "kernel/exit.h"
#include "kernel/coredump.h"
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
#include "kernel/time_namespace.h"

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

void add_child(struct task_struct *parent, struct task_struct *c)
{
	struct task_struct **pp = &parent->children;

	while (*pp)
		pp = &(*pp)->sibling;
	c->sibling = NULL;
	*pp = c;
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
		add_child(reaper, c); /* at the end, in their order (Linux's list_splice_tail) */
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

	status = coredump_task_exit(status); /* a thread of a dumping process waits here */
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
	exit_time_ns(t); /* Linux's exit_task_namespaces */
	if (group_dead)
		disassociate_ctty_on_exit(); /* a session leader's terminal is hung up */
	if (t->mm) {
		switch_mm(NULL);
		exit_mmput(t->mm);
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
