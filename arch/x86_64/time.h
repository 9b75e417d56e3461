/* SPDX-License-Identifier: MIT */
/*
 * Time: the PIT drives the scheduler tick (HZ per second by default, hz=N on the command line;
 * IRQ 0); the TSC, calibrated against
 * the PIT at boot, gives nanoseconds; the CMOS clock gives the wall-clock time at boot.
 */
#ifndef WARDEN_ARCH_TIME_H
#define WARDEN_ARCH_TIME_H

#include "kernel/types.h"

#define HZ 250
#define TIMER_VECTOR 32

/* Calibrates the TSC, reads the CMOS clock and starts the tick. */
void time_init(void);

/* Acknowledges the timer interrupt at the interrupt controller. */
void timer_eoi(void);

/* Nanoseconds since boot (monotonic). */
u64 ktime_get_ns(void);

/* Seconds since 1970 at boot, from the CMOS clock. */
u64 boot_wall_seconds(void);

#endif
