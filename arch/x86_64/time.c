// SPDX-License-Identifier: MIT
/* The tick (local APIC timer, or the PIT without one), TSC clock, CMOS wall clock. */
#include "arch/x86_64/time.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/clockevent.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/smp.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"

#define PIT_HZ 1193182
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61

static u64 tsc_at_boot, tsc_khz, wall_at_boot;
/* The tick rate once each CPU's clock event can start (time_init found an APIC timer). */
static u64 tick_hz;

/* How long one calibration of the TSC watches the PIT: 40 ms of its 55 ms count from 0xffff. */
#define CAL_PIT_TICKS (PIT_HZ / 25)
#define CAL_TRIES 5
#define CAL_SAMPLES 8

/*
 * One look at PIT channel 2's count, bracketed by two TSC reads: the count was latched at some
 * TSC value within [tsc - width / 2, tsc + width / 2].
 */
struct pit_sample {
	u64 tsc;
	u64 width;
	u16 count;
};

static struct pit_sample pit_sample(void)
{
	u64 t0 = rdtsc();

	outb(PIT_CMD, 0x80); /* latch channel 2's count */
	u8 lo = inb(PIT_CH2), hi = inb(PIT_CH2);
	u64 t1 = rdtsc();
	return (struct pit_sample){ t0 + (t1 - t0) / 2, t1 - t0, (u16)(lo | hi << 8) };
}

/*
 * The narrowest of CAL_SAMPLES looks at the count in a row: a look during which the CPU was
 * taken away (a vCPU descheduled on a busy host) is wide, and is not the one kept.
 */
static struct pit_sample pit_best_sample(void)
{
	struct pit_sample best = pit_sample();

	for (int i = 1; i < CAL_SAMPLES; i++) {
		struct pit_sample s = pit_sample();
		if (s.width < best.width)
			best = s;
	}
	return best;
}

/*
 * One measurement of the TSC against PIT channel 2 counting down from 0xffff (mode 0): the TSC
 * at two narrow looks at the count CAL_PIT_TICKS or more apart. Only the looks' widths are
 * uncertain, not the time between them, so a CPU taken away meanwhile changes nothing (a polled
 * 10 ms one-shot counted every moment the CPU was away as TSC cycles of the 10 ms: on a loaded
 * host the clock ran up to four times slow). 0 if the count went round (the CPU was away too
 * long); else the rate in kHz and, in *err, the uncertainty in parts per million.
 */
static u64 calibrate_tsc_once(u64 *err)
{
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0); /* channel 2, lo/hi, mode 0 */
	outb(PIT_CH2, 0xff);
	outb(PIT_CH2, 0xff);
	pit_sample(); /* the count is loaded at the PIT's next clock */
	struct pit_sample a = pit_best_sample(), s = a, b;
	while (a.count - s.count < CAL_PIT_TICKS) {
		struct pit_sample n = pit_sample();
		if (n.count > s.count)
			return 0;
		s = n;
	}
	b = pit_best_sample();
	if (b.count > s.count || b.tsc <= a.tsc || a.count <= b.count)
		return 0;
	u64 cycles = b.tsc - a.tsc, ticks = (u64)(a.count - b.count);

	*err = ((a.width + b.width) * 1000000) / cycles + 1000000 / ticks;
	return cycles * PIT_HZ / ticks / 1000;
}

/*
 * The TSC's rate in kHz: the most precise of up to CAL_TRIES measurements, the first that is
 * within 0.2% kept at once.
 */
static u64 calibrate_tsc_khz(void)
{
	u64 best = 0, best_err = ~0ULL;

	for (int i = 0; i < CAL_TRIES && best_err > 2000; i++) {
		u64 err, khz = calibrate_tsc_once(&err);
		if (khz && err < best_err) {
			best = khz;
			best_err = err;
		}
	}
	return best ? best : 1000000;
}

u8 cmos_read(u8 reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static u64 bcd(u8 v, bool binary)
{
	return binary ? v : (v & 0xf) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to the given date (proleptic Gregorian). */
static u64 days_since_epoch(u64 y, u64 m, u64 d)
{
	y -= m <= 2;
	u64 era = y / 400, yoe = y % 400;
	u64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	u64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Reads the CMOS real-time clock (UTC) once the update-in-progress flag is clear. */
static u64 read_cmos_time(void)
{
	while (cmos_read(0x0a) & 0x80)
		cpu_relax();
	bool binary = cmos_read(0x0b) & 0x04;
	u64 s = bcd(cmos_read(0x00), binary), mi = bcd(cmos_read(0x02), binary);
	u64 h = bcd(cmos_read(0x04) & 0x7f, binary), d = bcd(cmos_read(0x07), binary);
	u64 mo = bcd(cmos_read(0x08), binary), y = bcd(cmos_read(0x09), binary) + 2000;
	return days_since_epoch(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

void tsc_calibrate(void)
{
	if (tsc_khz)
		return;
	tsc_khz = calibrate_tsc_khz();
	tsc_at_boot = rdtsc();
}

/* Starts this CPU's one-shot clock event (run on each AP by time_init). */
static void lapic_timer_start_cpu(void *unused)
{
	(void)unused;
	clockevent_start_cpu();
}

void timer_init_ap(void)
{
	if (__atomic_load_n(&tick_hz, __ATOMIC_ACQUIRE))
		lapic_timer_start_cpu(NULL);
}

void time_init(void)
{
	tsc_calibrate();
	wall_at_boot = read_cmos_time();
	/* hz=N (19..10000) sets the tick: a fast one preempts user mode often (stress tests) */
	u64 hz = HZ;
	if (cmdline_get_u64("hz", &hz) && (hz < 19 || hz > 10000))
		hz = HZ;
	u64 lapic_timer_rate = lapic_mapped() ? lapic_timer_calibrate() : 0;
	if (lapic_timer_rate) {
		/* Each CPU's own APIC timer, one-shot, ticks and fires its timers (the PIT only
		 * measured it); APs that come up later start theirs in timer_init_ap. */
		clockevent_setup(lapic_timer_rate, hz);
		__atomic_store_n(&tick_hz, hz, __ATOMIC_RELEASE);
		lapic_timer_start_cpu(NULL);
		smp_call_function_many(&cpu_online_mask, lapic_timer_start_cpu, NULL, true);
	} else {
		u16 div = (u16)(PIT_HZ / hz);
		outb(PIT_CMD, 0x34); /* channel 0, lo/hi, rate generator */
		outb(PIT_CH0, div & 0xff);
		outb(PIT_CH0, div >> 8);
		outb(0x21, inb(0x21) & ~0x01); /* unmask IRQ 0 */
	}
	pr_info("time: TSC %llu.%03llu MHz, tick %llu Hz, clock event %s\n",
		(unsigned long long)(tsc_khz / 1000), (unsigned long long)(tsc_khz % 1000),
		(unsigned long long)hz,
		!lapic_timer_rate		    ? "PIT (periodic)"
		: cpu_has(X86_FEATURE_TSC_DEADLINE) ? "APIC TSC-deadline"
						    : "APIC one-shot");
}

void timer_eoi(void)
{
	outb(0x20, 0x20);
}

u64 ktime_get_ns(void)
{
	if (!tsc_khz)
		return 0; /* not calibrated yet */
	u64 d = rdtsc() - tsc_at_boot;

	/* d * 10^6 / khz without 128-bit division (no libgcc in the kernel). */
	return d / tsc_khz * 1000000 + d % tsc_khz * 1000000 / tsc_khz;
}

u64 ns_to_tsc(u64 ns)
{
	u64 ms = ns / 1000000, rest = ns % 1000000;

	/* The first TSC value ktime_get_ns() reads as ns or later: the division rounds up. */
	return tsc_at_boot + ms * tsc_khz + (rest * tsc_khz + 999999) / 1000000;
}

u64 tsc_khz_value(void)
{
	return tsc_khz;
}

u64 boot_wall_seconds(void)
{
	return wall_at_boot;
}
