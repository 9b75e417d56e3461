// SPDX-License-Identifier: MIT
/*
 * The instances of pending signals (Linux's struct sigqueue). A pending set has one bit and one
 * siginfo slot per signal number; a standard signal (1..31) that is already pending is not sent
 * again, while each instance of a real-time signal (SIGRTMIN..64) is kept, the first in the slot
 * and the others on the set's queue, and they are taken oldest first. Every instance kept with
 * its siginfo counts against RLIMIT_SIGPENDING (the receiver's limit): past it a real-time
 * signal from sigqueue (any si_code but SI_USER) is refused with EAGAIN, and any other is still
 * made pending but loses its siginfo (it is then taken as SI_USER with no sender), as Linux's
 * __send_signal_locked and collect_signal. The pending sets are changed with the signal lock
 * held (kernel/signal_internal.h).
 */
#include "kernel/signal_internal.h"
#include "kernel/errno.h"
#include "mm/slab.h"

/*
 * The signals kept with a siginfo, the count RLIMIT_SIGPENDING limits. Linux counts them per
 * user (ucounts); every task here is root, so there is one count.
 */
static u64 sigpending_count;

u64 sigpending_user_count(void)
{
	return sigpending_count;
}

/*
 * Counts one more instance against t's RLIMIT_SIGPENDING (Linux's __sigqueue_alloc): false when
 * the limit is reached, unless override says the instance is kept anyway.
 */
static bool sigpending_charge(struct task_struct *t, bool override)
{
	if (!override && sigpending_count + 1 > t->signal->rlim[RLIMIT_SIGPENDING].rlim_cur)
		return false;
	sigpending_count++;
	return true;
}

/* Gives back one counted instance. */
static void sigpending_uncharge(void)
{
	if (sigpending_count)
		sigpending_count--;
}

bool sigpending_charge_timer(struct task_struct *t)
{
	return sigpending_charge(t, false);
}

void sigpending_uncharge_timer(void)
{
	sigpending_uncharge();
}

/* sigqueue_add's work: the instance made pending, or -EAGAIN. */
static int __sigqueue_add(struct sigpending_set set, struct task_struct *t, int sig,
			  const struct kernel_siginfo *info)
{
	u64 bit = sigmask(sig);
	/* Linux: a standard signal from the kernel or kill-like (si_code >= 0) is never refused. */
	bool override = sig < SIGRTMIN && info->si_code >= 0;
	/* A POSIX timer's instance was counted once, when the timer was made (posix_timers.c). */
	bool prealloc = info->si_code == SI_TIMER;
	bool slot_free = !(*set.signal & bit) || !(set.queue->has_info & bit);

	if (sig == SIGKILL) { /* never counted nor queued (Linux's out_set) */
		if (!(*set.signal & bit))
			set.info[sig - 1] = *info;
		*set.signal |= bit;
		return 0;
	}
	if (!prealloc && !sigpending_charge(t, override))
		goto lost;
	if (slot_free) {
		set.info[sig - 1] = *info;
		set.queue->has_info |= bit;
	} else {
		struct sigqueue *q = kmalloc(sizeof(*q), GFP_KERNEL);
		struct sigqueue **tail = &set.queue->head;

		if (!q) {
			if (!prealloc)
				sigpending_uncharge();
			goto lost;
		}
		q->next = NULL;
		q->info = *info;
		while (*tail)
			tail = &(*tail)->next;
		*tail = q;
	}
	*set.signal |= bit;
	return 0;
lost:
	if (sig >= SIGRTMIN && info->si_code != SI_USER)
		return -EAGAIN; /* a queue overflow: sigqueue says so */
	if (!(*set.signal & bit))
		set.info[sig - 1] = (struct kernel_siginfo){ .si_signo = sig, .si_code = SI_USER };
	*set.signal |= bit;
	return 0;
}

void sigqueue_take(struct sigpending_set set, int sig, struct kernel_siginfo *info)
{
	u64 bit = sigmask(sig);

	*info = set.info[sig - 1];
	if (set.queue->has_info & bit) {
		if (info->si_code != SI_TIMER)
			sigpending_uncharge();
		for (struct sigqueue **pp = &set.queue->head; *pp; pp = &(*pp)->next) {
			struct sigqueue *q = *pp;

			if (q->info.si_signo != sig)
				continue;
			/* the next instance moves into the slot: the signal stays pending */
			set.info[sig - 1] = q->info;
			*pp = q->next;
			kfree(q);
			return;
		}
	}
	set.queue->has_info &= ~bit;
	*set.signal &= ~bit;
}

void sigqueue_flush(struct sigpending_set set, u64 mask)
{
	struct sigqueue **pp = &set.queue->head;

	for (int sig = 1; sig <= _NSIG; sig++)
		if ((set.queue->has_info & mask & sigmask(sig)) &&
		    set.info[sig - 1].si_code != SI_TIMER)
			sigpending_uncharge();
	set.queue->has_info &= ~mask;
	*set.signal &= ~mask;
	while (*pp) {
		struct sigqueue *q = *pp;

		if (!(mask & sigmask(q->info.si_signo))) {
			pp = &q->next;
			continue;
		}
		*pp = q->next;
		if (q->info.si_code != SI_TIMER)
			sigpending_uncharge();
		kfree(q);
	}
}

struct kernel_siginfo *sigqueue_find_timer(struct sigpending_set set, int sig, int id)
{
	struct kernel_siginfo *slot = &set.info[sig - 1];

	if (!(set.queue->has_info & sigmask(sig)))
		return NULL;
	if (slot->si_code == SI_TIMER && (int)(u32)slot->fields[0] == id)
		return slot;
	for (struct sigqueue *q = set.queue->head; q; q = q->next)
		if (q->info.si_signo == sig && q->info.si_code == SI_TIMER &&
		    (int)(u32)q->info.fields[0] == id)
			return &q->info;
	return NULL;
}

/*
 * Takes every POSIX timer signal out of set (Linux's __flush_itimer_signals, at execve): a
 * signal stays pending only if an instance of another kind is left.
 */
static void flush_itimer_set(struct sigpending_set set)
{
	for (int sig = 1; sig <= _NSIG; sig++) {
		struct kernel_siginfo info;
		u64 bit = sigmask(sig);

		/* a timer's instance in the slot: taken, and the next instance moves in */
		while ((set.queue->has_info & bit) && set.info[sig - 1].si_code == SI_TIMER)
			sigqueue_take(set, sig, &info);
	}
	for (struct sigqueue **pp = &set.queue->head; *pp;) {
		struct sigqueue *q = *pp;

		if (q->info.si_code != SI_TIMER) {
			pp = &q->next;
			continue;
		}
		*pp = q->next;
		kfree(q);
	}
}

void flush_itimer_signals(struct task_struct *t)
{
	u64 flags = siglock_irqsave();

	flush_itimer_set(task_pending_set(t));
	flush_itimer_set(shared_pending_set(t->signal));
	siglock_irqrestore(flags);
}

void flush_task_sigqueue(struct task_struct *t)
{
	u64 flags = siglock_irqsave();

	sigqueue_flush(task_pending_set(t), ~0ULL);
	siglock_irqrestore(flags);
}

void flush_shared_sigqueue(struct signal_struct *sig)
{
	u64 flags = siglock_irqsave();

	sigqueue_flush(shared_pending_set(sig), ~0ULL);
	siglock_irqrestore(flags);
}

/* Queues the instance, then wakes t's signalfd readers (Linux's out_set: signalfd_notify). */
int sigqueue_add(struct sigpending_set set, struct task_struct *t, int sig,
		 const struct kernel_siginfo *info)
{
	int err = __sigqueue_add(set, t, sig, info);

	if (!err)
		signalfd_notify(t);
	return err;
}
