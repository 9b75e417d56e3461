/* SPDX-License-Identifier: MIT */
/*
 * Kernel timers on the monotonic clock (Linux's hrtimer, high resolution): a timer is an absolute
 * expiry time in nanoseconds and a function. Armed timers sit on one list sorted by expiry; the
 * CPU that arms one brings its one-shot clock event forward to the expiry
 * (arch/x86_64/clockevent.c), whose interrupt calls timers_run() with the time (through
 * sched_timer_wakeups, under the kernel lock), which takes every expired timer off the list and
 * calls its function, with interrupts off. A function may arm its timer again (an interval
 * timer). Used by ITIMER_REAL and alarm (kernel/itimer.c), POSIX timers and timerfds.
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

/* Called by the clock event's interrupt with the monotonic time: runs the function of every
 * expired timer; true if one ran. The caller holds the kernel lock. */
bool timers_run(u64 now);

/* When the first armed timer expires (~0: none), read without the lock: the clock event asks for
 * the kernel lock to run the timers only when one is due. */
u64 hrtimer_next_expiry(void);

/* The earlier of the first timer's expiry and the first timed wake-up (~0: none), without a lock:
 * the time a clock event is armed for (kernel/sched.c). */
u64 timers_next_event(void);

/*
 * The clock event fired between ticks: runs the due timers and timed wake-ups if this CPU holds
 * the kernel lock, else leaves them to its next holder (kernel/sched.c). Interrupts off.
 */
void hrtimer_interrupt(void);

#endif
