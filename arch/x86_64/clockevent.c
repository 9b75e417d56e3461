// SPDX-License-Identifier: MIT
/*
 * Each CPU's clock event device: its local APIC timer in one-shot mode, armed for the earliest
 * of the CPU's next periodic tick, the first armed hrtimer and the first timed wake-up (Linux's
 * tick_program_event with the tick emulated by an hrtimer, tick-sched.c). The lists of timers
 * and sleepers are global: a CPU that arms an earlier expiry brings its own event forward, and a
 * CPU whose event finds nothing due just arms itself again; so an expiry fires on the CPU that
 * armed it, or on any other whose event comes first.
 */
#include "arch/x86_64/clockevent.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/time.h"
#include "kernel/hrtimer.h"
#include "kernel/kernel_lock.h"
#include "kernel/ktime.h"
#include "kernel/sched_stats.h"

/* Never arm closer than this to now: an expiry already due fires at once, not in a loop. */
#define CLOCKEVENT_MIN_DELTA_NS 2000

/*
 * One CPU's clock event. Only its own CPU touches it, with interrupts off (the interrupt, and
 * whoever arms a timer there), so it needs no lock.
 */
struct clock_event {
	u64 next_tick; /* monotonic ns of this CPU's next periodic tick */
	u64 programmed; /* monotonic ns the APIC timer is armed for; ~0 when not armed */
	bool running; /* clockevent_start_cpu ran here */
};

static struct clock_event clock_events[NR_CPUS];
static void __clockevent_program(struct clock_event *ce);
/* Set once on the boot CPU before any CPU starts its clock event. */
static u64 tick_period_ns, lapic_timer_rate;
static bool tsc_deadline;

void clockevent_setup(u64 lapic_rate, u64 hz)
{
	lapic_timer_rate = lapic_rate;
	tick_period_ns = NSEC_PER_SEC / hz;
	tsc_deadline = cpu_has(X86_FEATURE_TSC_DEADLINE);
}

/* Arms this CPU's APIC timer for the monotonic time at (now: the time just read). */
static void clockevent_set(struct clock_event *ce, u64 at, u64 now)
{
	ce->programmed = at;
	if (tsc_deadline) {
		lapic_timer_set_deadline(ns_to_tsc(at));
	} else {
		u64 delta = at > now ? at - now : 0;
		/* Rounded up, so that it never fires before at (as far as calibration allows). */
		u64 count = (delta * lapic_timer_rate + NSEC_PER_SEC - 1) / NSEC_PER_SEC;

		lapic_timer_set_count((u32)min(count, 0xffffffffULL));
	}
}

void clockevent_start_cpu(void)
{
	u64 f = read_rflags();
	struct clock_event *ce;

	local_irq_disable();
	ce = &clock_events[smp_processor_id()];
	lapic_timer_oneshot_init(tsc_deadline);
	ce->next_tick = ktime_get_ns() + tick_period_ns;
	ce->programmed = ~0ULL;
	ce->running = true;
	__clockevent_program(ce);
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

bool clockevent_interrupt(void)
{
	struct clock_event *ce = &clock_events[smp_processor_id()];
	u64 now = ktime_get_ns();

	ce->programmed = ~0ULL; /* a one-shot: it fired */
	/* A sixteenth of a period early is still the tick (count mode's calibration error). */
	if (now + tick_period_ns / 16 < ce->next_tick) {
		schedstat_inc(clockevent_hrtimer);
		return false;
	}
	schedstat_inc(clockevent_tick);
	/* Ticks the CPU missed (a vCPU taken away) are skipped, as a periodic timer's would be. */
	if (now >= ce->next_tick)
		ce->next_tick += ((now - ce->next_tick) / tick_period_ns) * tick_period_ns;
	ce->next_tick += tick_period_ns;
	return true;
}

/* Arms this CPU's timer for the earliest of its tick and the first expiry; interrupts off. */
static void __clockevent_program(struct clock_event *ce)
{
	u64 now = ktime_get_ns(), at = timers_next_event();

	if (!ce->running)
		return;
	/*
	 * Already due: left to the kernel lock's next holder (kernel_lock_defer), which runs them,
	 * unless this CPU holds it (then the interrupt in a moment runs them): not armed again at
	 * once, which would interrupt this CPU without end while another holds the lock.
	 */
	if (at <= now && !kernel_lock_held()) {
		kernel_lock_defer(KERNEL_PENDING_TICK);
		at = ~0ULL;
	}
	at = max(min(at, ce->next_tick), now + CLOCKEVENT_MIN_DELTA_NS);
	if (at != ce->programmed)
		clockevent_set(ce, at, now);
}

void clockevent_program(void)
{
	u64 f = read_rflags();

	local_irq_disable();
	__clockevent_program(&clock_events[smp_processor_id()]);
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

void clockevent_timer_armed(u64 expires)
{
	u64 f = read_rflags();
	struct clock_event *ce;

	local_irq_disable();
	ce = &clock_events[smp_processor_id()];
	if (expires < ce->programmed)
		__clockevent_program(ce);
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}
