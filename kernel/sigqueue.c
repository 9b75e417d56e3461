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

int sigqueue_add(struct sigpending_set set, struct task_struct *t, int sig,
		 const struct kernel_siginfo *info)
{
	u64 bit = sigmask(sig);
	/* Linux: a standard signal from the kernel or kill-like (si_code >= 0) is never refused. */
	bool override = sig < SIGRTMIN && info->si_code >= 0;
	bool slot_free = !(*set.signal & bit) || !(set.queue->has_info & bit);

	if (sig == SIGKILL) { /* never counted nor queued (Linux's out_set) */
		if (!(*set.signal & bit))
			set.info[sig - 1] = *info;
		*set.signal |= bit;
		return 0;
	}
	if (!sigpending_charge(t, override))
		goto lost;
	if (slot_free) {
		set.info[sig - 1] = *info;
		set.queue->has_info |= bit;
	} else {
		struct sigqueue *q = kmalloc(sizeof(*q), GFP_KERNEL);
		struct sigqueue **tail = &set.queue->head;

		if (!q) {
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
		if (set.queue->has_info & mask & sigmask(sig))
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
		sigpending_uncharge();
		kfree(q);
	}
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
