/* SPDX-License-Identifier: MIT */
/*
 * Kernel timers on the monotonic clock (Linux's hrtimer, at the tick's resolution): a timer is an
 * absolute expiry time in nanoseconds and a function. Armed timers sit on one list sorted by
 * expiry; the tick calls timers_run() with the time, which takes every expired timer off the list
 * and calls its function, from the interrupt, with interrupts off. A function may arm its timer
 * again (an interval timer). Used by ITIMER_REAL and alarm (kernel/itimer.c).
 */
#ifndef WARDEN_HRTIMER_H
#define WARDEN_HRTIMER_H

#include "kernel/types.h"

struct hrtimer {
	u64 expires; /* monotonic ns; meaningful while queued */
	void (*function)(struct hrtimer *timer);
	struct hrtimer *next; /* the next armed timer, by expiry */
	bool queued; /* on the list of armed timers */
};

/* Gives a timer its function; it starts disarmed. */
void hrtimer_init(struct hrtimer *timer, void (*function)(struct hrtimer *timer));

/* Arms the timer for the monotonic time expires (ns), disarming it first if it was armed. */
void hrtimer_start(struct hrtimer *timer, u64 expires);

/* Disarms the timer; true if it was armed (Linux's hrtimer_try_to_cancel, never running here). */
bool hrtimer_cancel(struct hrtimer *timer);

/* Is the timer armed? */
bool hrtimer_active(const struct hrtimer *timer);

/* Nanoseconds until the timer expires (<= 0 when due); 0 for a disarmed timer. */
s64 hrtimer_get_remaining(const struct hrtimer *timer);

/* Called by the tick with the monotonic time: runs the function of every expired timer; true if
 * one ran. The caller holds the kernel lock. */
bool timers_run(u64 now);

/* When the first armed timer expires (~0: none), read without the lock: the tick asks for the
 * kernel lock to run the timers only when one is due. */
u64 hrtimer_next_expiry(void);

#endif
