// SPDX-License-Identifier: MIT
/*
 * execve in a process with several threads (Linux's de_thread in fs/exec.c): the new program
 * starts with one thread, the one that called execve, under the process's pid. The others are
 * killed and waited for; a thread other than the leader then takes the leader's place: its pid
 * (tid = tgid), its parent, its exit signal and its place among the parent's children, and the
 * old leader's zombie is released. What the threads shared with other processes (the file table,
 * the signal handlers) is unshared, so that close-on-exec and the handler reset touch only this
 * process.
 */
#include "kernel/errno.h"
#include "kernel/exec.h"
#include "kernel/exit.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "fs/fdtable.h"

/* Are the other threads gone: none alive, and a leader that is not us a zombie already? */
static bool other_threads_gone(struct task_struct *me)
{
	struct task_struct *leader = me->group_leader;

	if (me->signal->live > 1)
		return false;
	return thread_group_leader(me) || leader->state == EXIT_ZOMBIE;
}

/* Takes c's place among its parent's children for me (Linux's list_replace of the sibling). */
static void replace_child(struct task_struct *c, struct task_struct *me)
{
	u64 f = spin_lock_irqsave(&tasklist_lock);

	for (struct task_struct **pp = c->parent ? &c->parent->children : NULL; pp && *pp;
	     pp = &(*pp)->sibling) {
		if (*pp == c) {
			*pp = me;
			me->sibling = c->sibling;
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
}

/*
 * The exec'ing thread me becomes the leader of its process: it swaps pids with the old leader's
 * zombie, inherits its family links, and the old leader, now an ordinary dead thread, is
 * released.
 */
static void take_leader_place(struct task_struct *me)
{
	struct task_struct *leader = me->group_leader, *t;
	int tid = me->pid;

	me->start_time = leader->start_time;
	me->pid = leader->pid;
	leader->pid = tid;
	u64 serial = me->pid_serial; /* the pid's identity goes with it (Linux's exchange_tids) */
	me->pid_serial = leader->pid_serial;
	leader->pid_serial = serial;
	for_each_thread(me, t)
		t->group_leader = me;
	me->parent = leader->parent;
	me->parent_exec_id = leader->parent_exec_id;
	me->exit_signal = leader->exit_signal;
	leader->exit_signal = -1;
	replace_child(leader, me);
	leader->sibling = NULL;
	release_task(leader);
}

/*
 * Makes me the only thread of its process (Linux's de_thread): SIGKILL to every other thread,
 * a wait until they are gone (each exit wakes signal->group_exec_task), then for a non-leader
 * the leader's place. 0, or -EAGAIN when a group exit is already under way or a fatal signal
 * ends the wait (the caller is past the point of no return: it dies).
 */
int de_thread(struct task_struct *me)
{
	struct signal_struct *sig = me->signal;

	if (thread_group_empty(me))
		return 0;
	if ((sig->flags & SIGNAL_GROUP_EXIT) || sig->group_exec_task)
		return -EAGAIN; /* another thread is ending the process: we go with it */
	sig->group_exec_task = me;
	zap_other_threads(me);
	while (!other_threads_gone(me)) {
		if (me->pending & sigmask(SIGKILL)) {
			sig->group_exec_task = NULL;
			return -EAGAIN;
		}
		me->state = TASK_INTERRUPTIBLE;
		me->sleep_uninterruptible = true; /* Linux's TASK_KILLABLE: "D" in /proc */
		if (other_threads_gone(me) || (me->pending & sigmask(SIGKILL)))
			me->state = TASK_RUNNING;
		else
			schedule();
		me->sleep_uninterruptible = false;
	}
	if (!thread_group_leader(me))
		take_leader_place(me);
	sig->group_exec_task = NULL;
	return 0;
}

/* The file table, our own from here (Linux's unshare_files); -ENOMEM if no copy can be made. */
int unshare_files(struct task_struct *me)
{
	struct files_struct *copy;

	if (me->files->count == 1)
		return 0;
	copy = dup_files(me->files);
	if (!copy)
		return -ENOMEM;
	put_files(me->files);
	me->files = copy;
	return 0;
}

/* The signal handlers, our own from here (Linux's unshare_sighand): exec resets them. */
int unshare_sighand(struct task_struct *me)
{
	struct sighand_struct *copy;

	if (me->sighand->count == 1)
		return 0;
	copy = sighand_alloc(me->sighand);
	if (!copy)
		return -ENOMEM;
	sighand_put(me->sighand);
	me->sighand = copy;
	return 0;
}
