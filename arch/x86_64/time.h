/* SPDX-License-Identifier: MIT */
/*
 * Time: each CPU's local APIC timer, one-shot (arch/x86_64/clockevent.c), drives its scheduler
 * tick (HZ per second by default, hz=N on the command line; LOCAL_TIMER_VECTOR) and fires its
 * hrtimers and timed wake-ups between ticks, measured against the TSC at boot; without a local
 * APIC the PIT ticks periodically instead (IRQ 0) and timers have the tick's resolution. The TSC,
 * calibrated against the PIT at boot, gives nanoseconds; the CMOS clock gives the wall-clock time
 * at boot.
 */
#ifndef WARDEN_ARCH_TIME_H
#define WARDEN_ARCH_TIME_H

#include "kernel/types.h"

#define HZ 250
#define TIMER_VECTOR 32

/* Calibrates the TSC, reads the CMOS clock and starts the tick on every online CPU. */
void time_init(void);

/* Measures the TSC against the PIT (once; time_init or an earlier SMP bring-up). */
void tsc_calibrate(void);

/* Starts the tick on an AP that comes up after time_init (nothing before it). */
void timer_init_ap(void);

/* Acknowledges the timer interrupt at the interrupt controller. */
void timer_eoi(void);

/* Nanoseconds since boot (monotonic). */
u64 ktime_get_ns(void);

/* The TSC value at which ktime_get_ns() reaches ns (rounded up): a TSC deadline. */
u64 ns_to_tsc(u64 ns);

/* The TSC's rate in kHz (0 before calibration): /proc/cpuinfo's cpu MHz. */
u64 tsc_khz_value(void);

/* A register of the CMOS real-time clock (0x00: its seconds). */
u8 cmos_read(u8 reg);

/* Seconds since 1970 at boot, from the CMOS clock. */
u64 boot_wall_seconds(void);

#endif
