/* SPDX-License-Identifier: MIT */
/*
 * Kernel time values (Linux's ktime_t and timespec64): ktime is signed 64-bit nanoseconds of the
 * monotonic clock, saturated at KTIME_MAX, which means "never". Every conversion saturates
 * instead of wrapping. Used by the sleeping calls (kernel/time.c) and poll/select (fs/select.c).
 */
#ifndef WARDEN_KTIME_H
#define WARDEN_KTIME_H

#include "kernel/types.h"

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define KTIME_MAX ((u64)0x7fffffffffffffffULL)
#define KTIME_SEC_MAX (KTIME_MAX / NSEC_PER_SEC)
#define TIME64_MAX ((s64)0x7fffffffffffffffLL)

struct timespec64 {
	s64 tv_sec;
	s64 tv_nsec;
};

/* A valid timespec as ktime; seconds past KTIME_SEC_MAX saturate (timespec64_to_ktime). */
static inline u64 timespec_to_ktime(const struct timespec64 *ts)
{
	if ((u64)ts->tv_sec >= KTIME_SEC_MAX)
		return KTIME_MAX;
	return (u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec;
}

/* CLOCK_REALTIME minus CLOCK_MONOTONIC, in ns: the wall time at boot (kernel/time.c). */
u64 realtime_offset_ns(void);

/* a + b saturated at KTIME_MAX (ktime_add_safe), both in [0, KTIME_MAX]. */
static inline u64 ktime_add_safe(u64 a, u64 b)
{
	return b > KTIME_MAX - a ? KTIME_MAX : a + b;
}

#endif
