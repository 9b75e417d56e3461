/* SPDX-License-Identifier: MIT */
/*
 * Time: each CPU's local APIC timer drives its scheduler tick (HZ per second by default, hz=N on
 * the command line; LOCAL_TIMER_VECTOR), measured against the TSC at boot; without a local APIC
 * the PIT ticks instead (IRQ 0). The TSC, calibrated against the PIT at boot, gives nanoseconds;
 * the CMOS clock gives the wall-clock time at boot.
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

/* The TSC's rate in kHz (0 before calibration): /proc/cpuinfo's cpu MHz. */
u64 tsc_khz_value(void);

/* A register of the CMOS real-time clock (0x00: its seconds). */
u8 cmos_read(u8 reg);

/* Seconds since 1970 at boot, from the CMOS clock. */
u64 boot_wall_seconds(void);

#endif
