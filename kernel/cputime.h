/* SPDX-License-Identifier: MIT */
/*
 * CPU time and resource usage of tasks and processes (Linux's task_cputime, the rusage counters
 * and the CPU clocks). Times are nanoseconds. utime and stime are tick based, as Linux without
 * VIRT_CPU_ACCOUNTING: each tick charges its period to the running task, as user time if the
 * tick interrupted user mode, else as system time. sum_exec_runtime is exact: the time between a
 * task's switch in and its switch out (the CPUCLOCK_SCHED clocks, CLOCK_PROCESS_CPUTIME_ID and
 * CLOCK_THREAD_CPUTIME_ID, read it).
 */
#ifndef WARDEN_CPUTIME_H
#define WARDEN_CPUTIME_H

#include "kernel/types.h"

struct task_struct;
struct timespec64;

/* One thread's usage (in task_struct). */
struct task_acct {
	u64 utime, stime; /* tick based */
	u64 sum_exec_runtime; /* exact, up to the last switch out */
	u64 exec_start; /* ktime of the last switch in */
	u64 nvcsw, nivcsw; /* switches away while sleeping, and preempted (or yielding) */
	u64 min_flt, maj_flt; /* page faults handled (Warden has no I/O: no major faults) */
};

/*
 * A process's usage beyond its live threads (in signal_struct): the sums of its threads that are
 * gone (added when a thread leaves the group's list), those of its children reaped by wait
 * (c*), and the largest resident set seen at exec and exit (maxrss, in KiB; cmaxrss of the
 * children).
 */
struct signal_acct {
	u64 utime, stime, sum_sched_runtime;
	u64 nvcsw, nivcsw, min_flt, maj_flt;
	u64 cutime, cstime, cnvcsw, cnivcsw, cmin_flt, cmaj_flt;
	u64 maxrss, cmaxrss;
};

/* A process's totals (Linux's task_cputime): its dead threads' plus every listed thread's. */
struct task_cputime {
	u64 utime, stime, sum_exec_runtime;
};

/* The tick's charge: the current task's utime (user_tick) or stime on this CPU (interrupt
 * context, no lock); its CPU itimers are checked after, under the kernel lock. */
void account_process_tick(bool user_tick);

/* A context switch: prev's exact runtime grows, its switch counted; next's clock starts. */
void account_switch(struct task_struct *prev, struct task_struct *next);

/* A thread leaves its group's list (under tasklist_lock): its counts go to signal_struct. */
void account_thread_gone(struct task_struct *t);

/* The exact runtime of thread t, including the current run if it is running now. */
u64 task_sched_runtime(struct task_struct *t);

/*
 * SIGCHLD's si_utime and si_stime for t, in clock ticks (Linux's do_notify_parent and
 * do_notify_parent_cldstop): t's own times, plus those of its process's dead threads when exited.
 */
void chld_cputime(struct task_struct *t, bool exited, u64 *utime, u64 *stime);

/* The totals of t's process (Linux's thread_group_cputime). */
void thread_group_cputime(struct task_struct *t, struct task_cputime *times);

/* A reaped child's counts (its own and its children's) go to the reaper's c* fields. */
void account_reaped_child(struct task_struct *parent, struct task_struct *child);

/* The process's largest resident set so far goes to signal->acct.maxrss (at exec and exit). */
void account_maxrss(struct task_struct *t);

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_BOTH (-2) /* what wait4 reports of a child: its own and its children's */
#define RUSAGE_THREAD 1

/* Fills a struct rusage (144 bytes) of t as Linux's getrusage(t, who, r). */
void getrusage_fill(struct task_struct *t, int who, void *r);

/* /proc/PID/stat's fault counts and times (fields 10-17), of t's whole process or of t alone. */
void task_stat_times(struct task_struct *t, bool whole, u64 out[8]);

long sys_times(void *tbuf);
long sys_getrusage(int who, void *ru);

/*
 * The CPU clocks (clockid < 0, Linux's CPUCLOCK_* encoding): the current value of clock (0, or
 * -EINVAL for a clock that names no task of the right kind), and its resolution.
 */
int posix_cpu_clock_get(int clock, u64 *ns);
int posix_cpu_clock_getres(int clock, u64 *ns);

#endif
