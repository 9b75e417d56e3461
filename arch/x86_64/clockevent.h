/* SPDX-License-Identifier: MIT */
/*
 * Each CPU's clock event device (Linux's one-shot clockevents with high-resolution timers): the
 * local APIC timer armed once at a time, in TSC-deadline mode when the CPU has it (count mode
 * otherwise), for the earliest of this CPU's next periodic tick, the first armed hrtimer and the
 * first timed wake-up. The periodic tick keeps its HZ rate (jiffies, accounting, round robin, the
 * CPU-time timers); hrtimers and timed sleeps fire at their own time between ticks.
 */
#ifndef WARDEN_ARCH_CLOCKEVENT_H
#define WARDEN_ARCH_CLOCKEVENT_H

#include "kernel/types.h"

/* Chooses the mode (TSC-deadline or count at lapic_rate ticks/s) and the tick rate; boot CPU. */
void clockevent_setup(u64 lapic_rate, u64 hz);

/* Starts this CPU's clock event: its first tick one period from now. */
void clockevent_start_cpu(void);

/*
 * The local APIC timer fired (interrupts off): true if this CPU's periodic tick is due (its next
 * one is then a period later), false if only an hrtimer or a timed wake-up is.
 */
bool clockevent_interrupt(void);

/* Arms this CPU's timer for its next event (at the end of its interrupt, after timers ran). */
void clockevent_program(void);

/*
 * A timer or timed wake-up was armed for expires (monotonic ns) on this CPU: its clock event is
 * brought forward if it would fire later. Any context.
 */
void clockevent_timer_armed(u64 expires);

#endif
