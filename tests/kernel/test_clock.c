// SPDX-License-Identifier: MIT
/*
 * Self-test of the clock's rate: the monotonic clock (the TSC as calibrated at boot) must count
 * seconds as the CMOS real-time clock does. A calibration that a busy host threw off (the CPU
 * taken away while it watched the PIT) made Warden's clock run up to four times slow, and every
 * sleep as much longer: timed out programs looked hung (docs/timers.md).
 */
#include "kernel/selftest.h"
#include "kernel/ktime.h"
#include "arch/x86_64/time.h"

/* How far the clock may be off over the seconds measured (parts per thousand). */
#define CLOCK_RATE_TOLERANCE 30
#define CLOCK_RATE_SECONDS 3

/*
 * The monotonic time at which the CMOS clock's seconds next change: between the start of the last
 * read that still saw the old second and the end of the first that saw the new one; *width is that
 * interval's length.
 */
static u64 cmos_next_second(u64 *width)
{
	u8 old = cmos_read(0x00); /* the seconds: one register, old or new while it updates */
	u64 before = ktime_get_ns(), prev_before, after;

	for (;;) {
		prev_before = before;
		before = ktime_get_ns();
		u8 now = cmos_read(0x00);
		after = ktime_get_ns();
		if (now != old)
			break;
	}
	*width = after - prev_before;
	return prev_before + *width / 2;
}

SELFTEST(clock_rate_vs_cmos)
{
	tsc_calibrate(); /* the self-tests run before time_init */
	for (int tries = 0; tries < 3; tries++) {
		u64 w0, w1, t0 = cmos_next_second(&w0), t1 = t0;

		for (int i = 0; i < CLOCK_RATE_SECONDS; i++)
			t1 = cmos_next_second(&w1);
		/* a look that the CPU was away for is too vague: measure again */
		if (w0 + w1 > NSEC_PER_SEC / 30)
			continue;
		s64 ns = (s64)(t1 - t0), want = CLOCK_RATE_SECONDS * (s64)NSEC_PER_SEC;
		s64 off = ns > want ? ns - want : want - ns;
		if (off * 1000 > want * CLOCK_RATE_TOLERANCE)
			ST_FAIL("%d s of the CMOS clock took %lld ns of the monotonic clock",
				CLOCK_RATE_SECONDS, (long long)ns);
		return;
	}
	ST_SKIP("the CPU was taken away during every measurement");
}
