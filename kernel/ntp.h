/* SPDX-License-Identifier: MIT */
/*
 * The NTP state of the wall clock (kernel/ntp.c, Linux's kernel/time/ntp.c): adjtimex and
 * clock_adjtime, leap seconds. The wall clock itself is kernel/time.c's; the hooks below are how
 * the two meet.
 */
#ifndef WARDEN_NTP_H
#define WARDEN_NTP_H

#include "kernel/types.h"

/*
 * Resets the NTP state as setting the clock does (Linux's ntp_clear, TK_CLEAR_NTP): no adjtime
 * under way, STA_UNSYNC, the error estimates at their limit, no leap second pending.
 */
void ntp_clear(void);

long sys_adjtimex(void *utx);
long sys_clock_adjtime(int which_clock, void *utx);

/* kernel/time.c: the wall clock as the NTP code changes it. */

/* Moves CLOCK_REALTIME by leap seconds (-1 inserts one) and the TAI offset the other way. */
void timekeeping_leap(int leap);

/*
 * Adds sec seconds and nsec (0..999999999) nanoseconds to CLOCK_REALTIME (Linux's
 * timekeeping_inject_offset): EINVAL if the result is before boot or beyond what the clock can
 * hold. Clears the NTP state and tells timerfds the clock was set either way, as Linux.
 */
int timekeeping_inject_offset(s64 sec, s64 nsec);

/* CLOCK_TAI - CLOCK_REALTIME in seconds (Linux's tk->tai_offset), and setting it. */
s32 timekeeping_tai_offset(void);
void timekeeping_set_tai_offset(s32 tai);

/*
 * The wall clock was set, stepped or leapt (Linux's clock_was_set): CANCEL_ON_SET timerfds are
 * cancelled and absolute clock_nanosleep sleepers on the wall clocks measure their sleep again.
 */
void clock_was_set(void);

/* CLOCK_REALTIME now, in nanoseconds. */
u64 ktime_get_real_ns(void);

#endif
