/* SPDX-License-Identifier: MIT */
/*
 * POSIX timers (Linux's kernel/time/posix-timers.c and the timer half of posix-cpu-timers.c):
 * timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete. A timer belongs to
 * its process (signal_struct), has an id counted up from 0 per process, a clock (REALTIME,
 * MONOTONIC, BOOTTIME, TAI, the alarm clocks, a CPU clock) and a notification (a signal to the
 * process or one of its threads, or none). The wall clocks' timers are hrtimers
 * (kernel/hrtimer.c); the CPU clocks' are checked at each tick. An expiry queues the timer's one
 * preallocated siginfo (SI_TIMER); an interval timer is armed again when that signal is taken
 * (posixtimer_rearm), counting the periods it missed as overruns.
 */
#ifndef WARDEN_POSIX_TIMERS_H
#define WARDEN_POSIX_TIMERS_H

#include "kernel/types.h"

struct task_struct;
struct kernel_siginfo;
struct signal_struct;

/* A dequeued SI_TIMER signal: the timer is armed again, si_overrun set (Linux's name). */
void posixtimer_rearm(struct kernel_siginfo *info);

/* Deletes every POSIX timer of t's process (execve, and the last thread's exit). */
void exit_itimers(struct signal_struct *sig);

/* The wall clock moved: timers armed absolute on it follow (kernel/time.c's clock_was_set). */
void posix_timers_clock_was_set(void);

/* The tick's check of the CPU-clock timers that run on the current task's time. */
void run_posix_cpu_timer_list(struct task_struct *t);

long sys_timer_create(int clock, const void *sevp, int *timerid);
long sys_timer_settime(int id, int flags, const void *new_setting, void *old_setting);
long sys_timer_gettime(int id, void *setting);
long sys_timer_getoverrun(int id);
long sys_timer_delete(int id);

#endif
