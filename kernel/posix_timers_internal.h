/* SPDX-License-Identifier: MIT */
/*
 * What kernel/posix_timers.c (the system calls, wall-clock timers) and
 * kernel/posix_cpu_timers.c (CPU-clock timers) share: the timer object and its lock.
 */
#ifndef WARDEN_POSIX_TIMERS_INTERNAL_H
#define WARDEN_POSIX_TIMERS_INTERNAL_H

#include "kernel/hrtimer.h"
#include "kernel/ktime.h"
#include "kernel/spinlock.h"
#include "arch/x86_64/time.h"

struct task_struct;

#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4
#define SIGRTMAX 64
#define TIMER_ABSTIME 1
#define REQUEUE_PENDING 1
#define INT_MAX 0x7fffffff
#define TICK_NSEC ((NSEC_PER_SEC + HZ / 2) / HZ)

#define CPUCLOCK_PROF 0
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_SCHED 2
#define CPUCLOCK_MAX 3
#define CPUCLOCK_WHICH(c) ((c)&3)
#define CPUCLOCK_PERTHREAD(c) (((c)&4) != 0)
#define CPUCLOCK_PID(c) ((int)~((c) >> 3))
#define CLOCKFD 3
#define CLOCKFD_MASK 7

/* What a clock's timers run on. */
enum timer_base {
	BASE_REAL, /* the wall clock: absolute times are the monotonic clock plus the boot time */
	BASE_MONO, /* the monotonic clock (BOOTTIME too: Warden never suspends) */
	BASE_CPU, /* a CPU clock: checked at each tick */
};

struct k_itimer {
	struct k_itimer *next; /* the process's list (signal->itimers.posix_timers) */
	struct k_itimer *cpu_next; /* cpu_timers, for BASE_CPU */
	struct k_itimer *real_next; /* real_timers, for BASE_REAL */
	/* BASE_REAL armed absolute: expires follows the wall clock, last seen at this offset */
	bool it_real_abs;
	u64 it_real_offs;
	struct signal_struct *sig;
	int it_id;
	int it_clock;
	enum timer_base base;
	int it_sigev_notify;
	int it_signo;
	u64 it_sigval;
	int it_pid; /* the target: the thread of SIGEV_THREAD_ID, else the process (tgid) */
	/* BASE_CPU: whose time (a thread clock's tid, else a tgid), and PROF, VIRT or SCHED */
	int cpu_pid;
	bool cpu_thread;
	int cpu_which;
	bool cpu_armed; /* waiting for its expiry at a tick (Linux: on the timerqueue) */
	/*
	 * BASE_CPU: the CPU time; else monotonic ns (the hrtimer's), read as an s64: an absolute
	 * wall-clock time before boot is negative, so the periods since then count as overruns
	 */
	u64 expires;
	struct hrtimer timer;
	u64 it_interval;
	s64 it_overrun, it_overrun_last;
	int it_requeue_pending;
	bool it_active;
};

/*
 * posix_timers_lock protects every process's timer list and every timer's fields, and the lists
 * of CPU-clock timers and of wall-clock timers. Taken with interrupts off (the tick and hrtimer
 * expiry take it); the signal lock and hrtimer_lock nest inside it.
 */
extern spinlock_t posix_timers_lock;
extern struct k_itimer *cpu_timers; /* every CPU-clock timer, through cpu_next */

struct kernel_itimerspec {
	struct timespec64 it_interval, it_value;
};

/* Nanoseconds as a timespec. */
static inline struct timespec64 ns_to_ts(u64 ns)
{
	return (struct timespec64){ (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC) };
}

/*
 * Moves expires forward by intervals past now; the count of intervals (hrtimer_forward). Both
 * times are compared as s64, so a negative (pre-boot) expiry counts from before boot.
 */
u64 timer_forward(u64 *expires, u64 now, u64 interval);

/*
 * Queues the timer's signal (Linux's posix_timer_event and send_sigqueue): 1 if the target
 * ignores it (the caller keeps an interval timer running), 0 if it is now pending or was
 * already (then its si_overrun counts this expiry), -1 if the target is gone.
 */
int posix_timer_event(struct k_itimer *tm, int si_private);

/* CPU-clock timers (kernel/posix_cpu_timers.c), under posix_timers_lock. */
int cpu_timer_create(struct k_itimer *tm);
void cpu_timer_rearm(struct k_itimer *tm);
void cpu_timer_get(struct k_itimer *tm, struct kernel_itimerspec *cur);
int cpu_timer_set(struct k_itimer *tm, int flags, const struct kernel_itimerspec *new,
		  struct kernel_itimerspec *old);

#endif
