// SPDX-License-Identifier: MIT
/*
 * Signals in a thread group (docs/threads.md): which thread takes a signal sent to the process
 * (Linux's complete_signal), a fatal signal taking every thread down at once (group exit,
 * zap_other_threads), and job control for the whole group: a stop signal stops every thread and
 * is reported to the parent once, SIGCONT continues them all (group stop). The pending sets are
 * changed with siglock held (kernel/signal_internal.h).
 */
#include "kernel/signal_internal.h"
#include "kernel/sched.h"

struct task_struct *group_live_thread(struct task_struct *p)
{
	struct task_struct *t;

	for_each_thread(p, t) {
		if (task_alive(t) && !t->exiting && t->sighand)
			return t;
	}
	return NULL;
}

/*
 * Wakes thread t to act on a signal (Linux's signal_wake_up): from an interruptible sleep, and
 * with kill set (SIGKILL) from a stop too, so that it dies. A thread that is running, maybe in
 * user mode on another CPU, gets a reschedule IPI (kick_process), so it enters the kernel and
 * handles the signal now rather than at its next tick.
 */
static void signal_wake_up(struct task_struct *t, bool kill)
{
	unsigned int states = TASK_STATE_BIT(TASK_INTERRUPTIBLE);

	if (kill)
		states |= TASK_STATE_BIT(TASK_STOPPED) | TASK_STATE_BIT(TASK_TRACED);
	if (!wake_up_state(t, states))
		kick_process(t); /* running, maybe in user mode on another CPU: enter the kernel */
}

/*
 * Makes SIGKILL pending for thread t and wakes it from any sleep or stop, so that it leaves at
 * once: nothing can ignore this one, not even init's threads (a group exit is under way).
 */
static void signal_wake_up_kill(struct task_struct *t)
{
	u64 flags = siglock_irqsave();

	struct kernel_siginfo info = { .si_signo = SIGKILL, .si_code = SI_KERNEL };

	sigqueue_add(task_pending_set(t), t, SIGKILL, &info);
	t->jobctl_stop = 0;
	signal_wake_up(t, true);
	siglock_irqrestore(flags);
}

void zap_other_threads(struct task_struct *p)
{
	struct task_struct *t;

	for_each_thread(p, t) {
		if (t != p && task_alive(t))
			signal_wake_up_kill(t);
	}
}

bool prepare_signal(struct task_struct *p, int sig)
{
	struct signal_struct *signal = p->signal;
	struct task_struct *t;

	/* a process dumping core is dying: only SIGKILL still counts (it ends the dump) */
	if ((signal->flags & SIGNAL_GROUP_EXIT) && signal->core_state)
		return sig == SIGKILL;
	if (sig == SIGCONT) {
		bool was_stopped = false;

		/* Every stop pending anywhere in the group is cancelled, every thread continued. */
		signal->flags &= ~SIGNAL_STOP_STOPPED;
		sigqueue_flush(shared_pending_set(signal), STOP_SIGNALS_MASK);
		for_each_thread(p, t) {
			sigqueue_flush(task_pending_set(t), STOP_SIGNALS_MASK);
			t->jobctl_stop = 0;
			if (wake_up_state(t, TASK_STATE_BIT(TASK_STOPPED)))
				was_stopped = true;
		}
		if (was_stopped) {
			/* Told to the parent once, for the process (its leader). */
			struct task_struct *leader = p->group_leader;

			leader->continued = true;
			do_notify_parent(leader, CLD_CONTINUED, SIGCONT);
			if (leader->parent)
				wake_up(&leader->parent->signal->wait_chldexit);
		}
	} else if (STOP_SIGNALS_MASK & sigmask(sig)) {
		sigqueue_flush(shared_pending_set(signal), sigmask(SIGCONT));
		for_each_thread(p, t)
			sigqueue_flush(task_pending_set(t), sigmask(SIGCONT));
	}
	return true;
}

/*
 * Can thread t take sig now (Linux's wants_signal)? Not if it blocks it or is on its way out;
 * SIGKILL, yes; a stopped or traced thread, not for any other.
 */
static bool wants_signal(int sig, struct task_struct *t)
{
	if (t->blocked & sigmask(sig))
		return false;
	if (t->exiting || !task_alive(t))
		return false;
	if (sig == SIGKILL)
		return true;
	return t->state != TASK_STOPPED && t->state != TASK_TRACED;
}

void complete_signal(int sig, struct task_struct *p, bool group)
{
	struct signal_struct *signal = p->signal;
	struct task_struct *t = p;

	/* The thread named first, else (for the process) any thread that does not block sig. */
	if (!wants_signal(sig, p)) {
		if (!group)
			return;
		for_each_thread(p, t) {
			if (wants_signal(sig, t))
				break;
		}
		if (!t)
			return; /* every thread blocks it: it waits in the shared set */
	}
	/*
	 * A signal that will kill (default action terminate) takes the whole group down now:
	 * SIGKILL to every thread, the signal as the group's exit status. A core-dumping one
	 * goes through get_signal, which dumps core; a traced task's to its tracer first. During a
	 * core dump (core_state: the group exit has begun), SIGKILL still does it: every thread
	 * gets SIGKILL, the status becomes SIGKILL and the dump stops (no 0x80), as Linux.
	 */
	if (sig_fatal(p, sig) && (signal->core_state || !(signal->flags & SIGNAL_GROUP_EXIT)) &&
	    !(signal->flags & SIGNAL_UNKILLABLE) && !(CORE_MASK & sigmask(sig)) &&
	    !(t->real_blocked & sigmask(sig)) && /* a thread in sigtimedwait takes it */
	    (sig == SIGKILL || !p->ptracer)) {
		signal->flags |= SIGNAL_GROUP_EXIT;
		signal->group_exit_code = sig;
		for_each_thread(p, t) {
			if (task_alive(t))
				signal_wake_up_kill(t);
		}
		return;
	}
	signal_wake_up(t, sig == SIGKILL);
}

bool thread_group_stopped(const struct task_struct *p)
{
	struct task_struct *t;
	bool any = false;

	for_each_thread(p, t) {
		if (!task_alive(t) || t->exiting)
			continue;
		if (t->state != TASK_STOPPED && t->state != TASK_TRACED)
			return false;
		any = true;
	}
	return any;
}

void group_stop_start(int sig)
{
	struct task_struct *me = current, *t;

	for_each_thread(me, t) {
		if (t == me || !task_alive(t) || t->exiting || t->state == TASK_STOPPED ||
		    t->state == TASK_TRACED)
			continue;
		t->jobctl_stop = sig;
		signal_wake_up(t, false);
	}
}

void group_stop_done(struct task_struct *t, int sig)
{
	struct task_struct *leader = t->group_leader;

	if (!thread_group_stopped(t))
		return; /* the last thread to stop reports it */
	t->signal->flags |= SIGNAL_STOP_STOPPED;
	if (leader != t) {
		leader->stop_sig = sig;
		leader->stop_reported = false;
		leader->continued = false;
	}
	do_notify_parent(leader, CLD_STOPPED, sig);
	if (leader->parent)
		wake_up(&leader->parent->signal->wait_chldexit);
}
