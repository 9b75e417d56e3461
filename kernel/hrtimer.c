// SPDX-License-Identifier: MIT
/*
 * The list of armed kernel timers, sorted by expiry, and its expiry from the clock event (Linux's
 * hrtimer_start, hrtimer_try_to_cancel and __hrtimer_run_queues, on one list: a timer never fires
 * early, and late only by the interrupt's latency, or until the kernel lock is free).
 */
#include "kernel/hrtimer.h"
#include "arch/x86_64/clockevent.h"
#include "kernel/ktime.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"

/*
 * hrtimer_lock protects the list of armed timers (timer_head, each timer's next, expires and
 * queued). Taken with interrupts off: the clock event's interrupt walks the list. Innermost: a
 * timer's function runs after the timer is taken off the list and the lock is dropped.
 */
static spinlock_t hrtimer_lock = SPINLOCK_INIT;
static struct hrtimer *timer_head;

void hrtimer_init(struct hrtimer *timer, void (*function)(struct hrtimer *timer))
{
	timer->function = function;
	timer->next = NULL;
	timer->queued = false;
	timer->expires = 0;
}

/* The first timer's expiry, for hrtimer_next_expiry (written under hrtimer_lock). */
static u64 next_expiry = ~0ULL;

/* Publishes the head's expiry after the list changed; the caller holds hrtimer_lock. */
static void update_next_expiry(void)
{
	__atomic_store_n(&next_expiry, timer_head ? timer_head->expires : ~0ULL, __ATOMIC_RELAXED);
}

u64 hrtimer_next_expiry(void)
{
	return __atomic_load_n(&next_expiry, __ATOMIC_RELAXED);
}

/* Takes a queued timer off the list; the caller holds hrtimer_lock. */
static void __hrtimer_remove(struct hrtimer *timer)
{
	for (struct hrtimer **pp = &timer_head; *pp; pp = &(*pp)->next) {
		if (*pp == timer) {
			*pp = timer->next;
			break;
		}
	}
	timer->next = NULL;
	timer->queued = false;
	update_next_expiry();
}

void hrtimer_start(struct hrtimer *timer, u64 expires)
{
	u64 f = spin_lock_irqsave(&hrtimer_lock);
	struct hrtimer **pp = &timer_head;

	if (timer->queued)
		__hrtimer_remove(timer);
	timer->expires = expires;
	/* After every timer that expires at the same time: they fire in the order armed. */
	while (*pp && (*pp)->expires <= expires)
		pp = &(*pp)->next;
	timer->next = *pp;
	*pp = timer;
	timer->queued = true;
	update_next_expiry();
	spin_unlock_irqrestore(&hrtimer_lock, f);
	clockevent_timer_armed(expires); /* this CPU's event fires at the expiry */
}

bool hrtimer_cancel(struct hrtimer *timer)
{
	u64 f = spin_lock_irqsave(&hrtimer_lock);
	bool was = timer->queued;

	if (was)
		__hrtimer_remove(timer);
	spin_unlock_irqrestore(&hrtimer_lock, f);
	return was;
}

bool hrtimer_active(const struct hrtimer *timer)
{
	return timer->queued;
}

s64 hrtimer_get_remaining(const struct hrtimer *timer)
{
	u64 f = spin_lock_irqsave(&hrtimer_lock);
	s64 rem = timer->queued ? (s64)(timer->expires - ktime_get_ns()) : 0;

	spin_unlock_irqrestore(&hrtimer_lock, f);
	return rem;
}

/*
 * Every timer due at now comes off the list, one at a time, and its function runs with the lock
 * dropped (it may arm this or another timer again; a timer re-armed for a time already past runs
 * again in this same call, as Linux's loop over the expired queue).
 */
bool timers_run(u64 now)
{
	bool ran = false;

	for (;;) {
		u64 f = spin_lock_irqsave(&hrtimer_lock);
		struct hrtimer *timer = timer_head;

		if (!timer || timer->expires > now) {
			spin_unlock_irqrestore(&hrtimer_lock, f);
			return ran;
		}
		timer_head = timer->next;
		timer->next = NULL;
		timer->queued = false;
		update_next_expiry();
		spin_unlock_irqrestore(&hrtimer_lock, f);
		timer->function(timer);
		ran = true;
	}
}
