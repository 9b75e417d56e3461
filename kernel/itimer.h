/* SPDX-License-Identifier: MIT */
/*
 * Interval timers of a process (Linux's itimers, kernel/time/itimer.c): ITIMER_REAL on the
 * monotonic clock (an hrtimer that sends SIGALRM; alarm(2) sets it), ITIMER_VIRTUAL on the
 * process's user time (SIGVTALRM) and ITIMER_PROF on its user and system time (SIGPROF), both
 * checked at each tick (run_posix_cpu_timers). They live in signal_struct: shared by the threads,
 * kept across execve, new (disarmed) in a forked child.
 */
#ifndef WARDEN_ITIMER_H
#define WARDEN_ITIMER_H

#include "kernel/hrtimer.h"

struct task_struct;
struct signal_struct;
struct k_itimer;

/* A CPU-time itimer: the process CPU time it fires at (0: disarmed) and its interval. */
struct cpu_itimer {
	u64 expires, incr;
};

struct signal_itimers {
	struct hrtimer real_timer; /* ITIMER_REAL, armed while counting down */
	u64 it_real_incr; /* its interval, ns */
	struct cpu_itimer it[2]; /* [CPUCLOCK_PROF], [CPUCLOCK_VIRT] */
	/* POSIX timers (kernel/posix_timers.c): the process's, newest first, and the next id */
	struct k_itimer *posix_timers;
	int posix_timer_id;
};

/* Sets up a new signal_struct's itimers (all disarmed). */
void itimers_init(struct signal_struct *sig);

/* The process is gone (its last thread exited) or freed: ITIMER_REAL is disarmed. */
void itimers_exit(struct signal_struct *sig);

/* The tick's check of the current task's process CPU itimers (SIGPROF, SIGVTALRM) and of
 * RLIMIT_CPU (SIGXCPU at the soft limit and each second after, SIGKILL at the hard one). */
void run_posix_cpu_timers(struct task_struct *t);

/* May t's process have a CPU-clock timer due (an armed ITIMER_VIRTUAL/PROF, any CPU-clock POSIX
 * timer, or RLIMIT_CPU reached: its CPU time at rlim_cpu_nextevt)? Read without a lock by the
 * tick, to take the kernel lock for them only if so. */
bool posix_cpu_timers_armed(struct task_struct *t);

/*
 * Recomputes when sig's RLIMIT_CPU is next due (signal_struct.rlim_cpu_nextevt) from its soft
 * limit: after each change of the limit, and at fork. Under the kernel lock.
 */
void rlimit_cpu_update(struct signal_struct *sig);

/*
 * SIGALRM was dequeued from sig's shared queue: an expired ITIMER_REAL interval timer runs again
 * from its next period after now (Linux's restart in dequeue_signal). Under the kernel lock.
 */
void itimer_real_rearm(struct signal_struct *sig);

long sys_alarm(unsigned int seconds);
long sys_getitimer(int which, void *value);
long sys_setitimer(int which, const void *value, void *ovalue);

#endif
