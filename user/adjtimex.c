/* adjtimex: adjtimex(2) and clock_adjtime(2) as Linux 6.1 has them (issue 21).
 *
 * Every mode with its checks and Linux's arithmetic on what it reads back (offset, freq,
 * maxerror, esterror, status, constant, tick, tai, the read-only fields), the return value (the
 * clock state, TIME_ERROR while STA_UNSYNC), EPERM without CAP_SYS_TIME for any mode but a read,
 * EINVAL and EFAULT, the old adjtime (ADJ_OFFSET_SINGLESHOT, ADJ_OFFSET_SS_READ), ADJ_SETOFFSET,
 * the NTP state cleared by setting the clock, and leap seconds: an insertion at midnight UTC
 * repeats 23:59:59 (TIME_INS, TIME_OOP, TIME_WAIT, TAI one second further), a deletion skips it.
 * Only values read back in the call that set them are printed (maxerror grows and offsets decay
 * every second). The clock is put back at the end.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

#ifndef ADJ_OFFSET_SS_READ
#define ADJ_OFFSET_SS_READ 0xa001
#endif
#define ADJ_ADJTIME 0x8000

static struct timex tx;

static long adj(unsigned modes)
{
	tx.modes = modes;
	return sys1(SYS_adjtimex, (long)&tx);
}

/* The fields that do not change by themselves from second to second. */
static void show_tx(const char *what, long r)
{
	show(what, r);
	if (is_err(r))
		return;
	printf("  offset %lld freq %lld maxerror %lld esterror %lld status %#x constant %lld\n",
	       (long long)tx.offset, (long long)tx.freq, (long long)tx.maxerror,
	       (long long)tx.esterror, tx.status, (long long)tx.constant);
	printf("  precision %lld tolerance %lld tick %lld tai %d ppsfreq %lld jitter %lld shift %d "
	       "stabil %lld jitcnt %lld calcnt %lld errcnt %lld stbcnt %lld\n",
	       (long long)tx.precision, (long long)tx.tolerance, (long long)tx.tick, tx.tai,
	       (long long)tx.ppsfreq, (long long)tx.jitter, tx.shift, (long long)tx.stabil,
	       (long long)tx.jitcnt, (long long)tx.calcnt, (long long)tx.errcnt,
	       (long long)tx.stbcnt);
}

/* Starts from a known state: PLL off (resets the state machine), errors set, microseconds. */
static void reset(void)
{
	memset(&tx, 0, sizeof(tx));
	tx.status = STA_PLL;
	adj(ADJ_STATUS);
	tx.status = 0;
	tx.maxerror = 0;
	tx.esterror = 0;
	tx.freq = 0;
	tx.constant = 2;
	tx.tick = 10000;
	adj(ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR | ADJ_FREQUENCY | ADJ_TICK | ADJ_MICRO);
	tx.offset = 0;
	adj(ADJ_OFFSET_SINGLESHOT);
}

static void errors(void)
{
	show("NULL", sys1(SYS_adjtimex, 0));
	show("bad pointer", sys1(SYS_adjtimex, 1));
	memset(&tx, 0, sizeof(tx));
	tx.tai = 0x5a5a;
	show("ADJ_ADJTIME without SINGLESHOT", adj(ADJ_ADJTIME));
	printf("  tai kept: %#x\n", tx.tai);
	tx.tick = 8999;
	show("tick 8999", adj(ADJ_TICK));
	tx.tick = 11001;
	show("tick 11001", adj(ADJ_TICK));
	printf("  tick field kept: %lld\n", (long long)tx.tick);
	tx.tick = 9000;
	show_tx("tick 9000", adj(ADJ_TICK));
	tx.tick = 11000;
	show_tx("tick 11000", adj(ADJ_TICK));
	tx.freq = (long long)1 << 47;
	show("freq 2^47", adj(ADJ_FREQUENCY));
	tx.freq = -((long long)1 << 47);
	show("freq -2^47", adj(ADJ_FREQUENCY));
	tx.time.tv_sec = 0;
	tx.time.tv_usec = -1;
	show("SETOFFSET usec -1", adj(ADJ_SETOFFSET));
	tx.time.tv_usec = 1000000;
	show("SETOFFSET usec 1000000", adj(ADJ_SETOFFSET));
	tx.time.tv_usec = 1000000;
	show("SETOFFSET|NANO nsec 1000000", adj(ADJ_SETOFFSET | ADJ_NANO) >= 0 ? 0 : -1);
	tx.time.tv_usec = -1000000; /* undo it: -1 ms (as a valid nsec: -1 s + 999000000) */
	tx.time.tv_sec = -1;
	tx.time.tv_usec = 999000000;
	show("SETOFFSET|NANO back", adj(ADJ_SETOFFSET | ADJ_NANO) >= 0 ? 0 : -1);
	adj(ADJ_MICRO);
	tx.time.tv_sec = -(1LL << 40);
	tx.time.tv_usec = 0;
	show("SETOFFSET before boot", adj(ADJ_SETOFFSET));
	tx.time.tv_sec = 1LL << 62;
	show("SETOFFSET far future", adj(ADJ_SETOFFSET));
	tx.maxerror = 100;
	tx.status = STA_PLL;
	adj(ADJ_MAXERROR | ADJ_STATUS);
	tx.time.tv_sec = 0;
	tx.time.tv_usec = 0;
	show_tx("SETOFFSET 0 clears NTP", adj(ADJ_SETOFFSET));
}

static void modes(void)
{
	reset();
	show_tx("after reset, read", adj(0));
	tx.status = STA_PLL | STA_NANO | STA_CLK | STA_PPSSIGNAL;
	show_tx("status PLL + read-only bits", adj(ADJ_STATUS));
	tx.status = STA_PLL | STA_UNSYNC;
	show_tx("status PLL|UNSYNC", adj(ADJ_STATUS));
	tx.status = STA_PPSFREQ;
	show_tx("status PPSFREQ (no signal)", adj(ADJ_STATUS));
	tx.status = STA_PPSTIME;
	show_tx("status PPSTIME", adj(ADJ_STATUS));
	tx.status = STA_CLOCKERR;
	show_tx("status CLOCKERR (read-only)", adj(ADJ_STATUS));
	tx.status = STA_FLL | STA_FREQHOLD;
	show_tx("status FLL|FREQHOLD", adj(ADJ_STATUS));
	tx.status = 0;
	adj(ADJ_STATUS);
	show_tx("ADJ_NANO", adj(ADJ_NANO));
	show_tx("ADJ_MICRO", adj(ADJ_MICRO));
	show_tx("ADJ_NANO|ADJ_MICRO", adj(ADJ_NANO | ADJ_MICRO));
	long long errs[] = { 1000, -5, 16000000, 16000001, 99999999999LL };
	for (int i = 0; i < 5; i++) {
		tx.maxerror = errs[i];
		tx.esterror = errs[4 - i];
		adj(ADJ_MAXERROR | ADJ_ESTERROR);
		printf("maxerror %lld -> %lld, esterror %lld -> %lld\n", errs[i],
		       (long long)tx.maxerror, errs[4 - i], (long long)tx.esterror);
	}
	long long consts[] = { 0, 3, 6, 7, 20, -1, 1LL << 40 };
	for (int nano = 0; nano < 2; nano++) {
		adj(nano ? ADJ_NANO : ADJ_MICRO);
		for (int i = 0; i < 7; i++) {
			tx.constant = consts[i];
			adj(ADJ_TIMECONST);
			printf("%s constant %lld -> %lld\n", nano ? "nano" : "micro", consts[i],
			       (long long)tx.constant);
		}
	}
	adj(ADJ_MICRO);
	long long freqs[] = { 0, 1, 65536, 6553600, -6553600, 32768000, 32768001, 1LL << 40,
			      -(1LL << 40), 140737488355LL };
	for (int i = 0; i < 10; i++) {
		tx.freq = freqs[i];
		long r = adj(ADJ_FREQUENCY);
		if (is_err(r))
			show("freq", r);
		else
			printf("freq %lld -> %lld\n", freqs[i], (long long)tx.freq);
	}
	tx.freq = 0;
	adj(ADJ_FREQUENCY);
}

/* ADJ_OFFSET only acts with STA_PLL; set in the same call as STA_PLL, no time has passed. */
static void offsets(void)
{
	long long offs[] = { 1000, -1000, 123456, 999999, 2000000, -2000000, 1 };
	reset();
	tx.offset = 5000;
	show_tx("offset without PLL", adj(ADJ_OFFSET));
	for (int nano = 0; nano < 2; nano++) {
		for (int i = 0; i < 7; i++) {
			tx.status = 0;
			adj(ADJ_STATUS); /* PLL off: the state machine resets, freq stays */
			tx.freq = 0;
			adj(ADJ_FREQUENCY | (nano ? ADJ_NANO : ADJ_MICRO));
			tx.status = STA_PLL;
			tx.offset = offs[i];
			tx.constant = 0;
			adj(ADJ_STATUS | ADJ_OFFSET | ADJ_TIMECONST);
			printf("%s offset %lld -> offset %lld freq %lld status %#x\n",
			       nano ? "nano" : "micro", offs[i], (long long)tx.offset,
			       (long long)tx.freq, tx.status);
		}
	}
	reset();
}

/* The old adjtime: the offset to slew, read back as the previous one. */
static void singleshot(void)
{
	reset();
	tx.offset = 100000;
	show("SINGLESHOT 100000", adj(ADJ_OFFSET_SINGLESHOT));
	printf("  old offset %lld\n", (long long)tx.offset);
	long r = adj(ADJ_OFFSET_SS_READ);
	show("SS_READ", r);
	printf("  remaining within (98000, 100000]: %s\n",
	       tx.offset > 98000 && tx.offset <= 100000 ? "yes" : "no");
	tx.offset = 0;
	adj(ADJ_OFFSET_SINGLESHOT);
	printf("  SINGLESHOT 0 returns the rest within (98000, 100000]: %s\n",
	       tx.offset > 98000 && tx.offset <= 100000 ? "yes" : "no");
	tx.offset = -700;
	adj(ADJ_OFFSET_SINGLESHOT);
	sleep_ms(2100);
	adj(ADJ_OFFSET_SS_READ);
	printf("  -700 after two seconds: %lld\n", (long long)tx.offset);
	tx.offset = 5;
	show("SINGLESHOT|ADJ_TICK bad tick (not checked)", adj(ADJ_OFFSET_SINGLESHOT | ADJ_TICK));
	tx.offset = 0;
	adj(ADJ_OFFSET_SINGLESHOT);
}

/* ADJ_TAI sets CLOCK_TAI - CLOCK_REALTIME; out-of-range values are ignored. */
static void tai(void)
{
	long long vals[] = { 37, -1, 100001, 100000, 0 };
	for (int i = 0; i < 5; i++) {
		tx.constant = vals[i];
		adj(ADJ_TAI);
		struct timespec r, t;
		clock_gettime(CLOCK_REALTIME, &r);
		clock_gettime(CLOCK_TAI, &t);
		printf("ADJ_TAI %lld -> tai %d, TAI - REALTIME %lld s\n", vals[i], tx.tai,
		       (long long)(t.tv_sec - r.tv_sec + (t.tv_nsec < r.tv_nsec ? -1 : 0) +
				   (t.tv_nsec - r.tv_nsec > 500000000 ? 1 : 0)));
	}
}

/* Setting the clock clears the NTP state (maxerror, esterror, STA_UNSYNC, adjtime). */
static void settime_clears(void)
{
	struct timespec now;

	reset();
	tx.maxerror = 100;
	tx.esterror = 200;
	tx.status = STA_PLL | STA_INS;
	adj(ADJ_MAXERROR | ADJ_ESTERROR | ADJ_STATUS);
	tx.offset = 3000;
	adj(ADJ_OFFSET_SINGLESHOT);
	clock_gettime(CLOCK_REALTIME, &now);
	show("clock_settime", sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&now));
	show_tx("then", adj(0));
	adj(ADJ_OFFSET_SS_READ);
	printf("  adjtime left %lld\n", (long long)tx.offset);
	now.tv_sec = 0;
	show("clock_settime before boot", sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&now));
	reset();
}

/* One leap second: the clock at midnight UTC, sampled half a second into each second. */
static void leap(int ins)
{
	struct timespec start, t, tai;
	time_t day = 1800000000 / 86400 * 86400 + 86400; /* a midnight in 2027 */

	reset();
	t.tv_sec = day - 2 - (ins ? 0 : 1);
	t.tv_nsec = 500000000;
	sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&t);
	clock_gettime(CLOCK_MONOTONIC, &start);
	tx.status = ins ? STA_INS : STA_DEL;
	tx.maxerror = 0;
	show(ins ? "STA_INS" : "STA_DEL", adj(ADJ_STATUS | ADJ_MAXERROR));
	for (int i = 1; i <= (ins ? 3 : 3); i++) {
		struct timespec until = { start.tv_sec + i, start.tv_nsec };
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
		long r = adj(0);
		clock_gettime(CLOCK_REALTIME, &t);
		clock_gettime(CLOCK_TAI, &tai);
		printf("  +%ds: state %ld, time %+lld s, adjtimex time %+lld s, tai %d, TAI-REALTIME "
		       "%lld, status %#x\n",
		       i, r, (long long)(t.tv_sec - day), (long long)(tx.time.tv_sec - day), tx.tai,
		       (long long)(tai.tv_sec - t.tv_sec), tx.status);
	}
	tx.status = 0;
	show("status 0", adj(ADJ_STATUS));
	struct timespec until = { start.tv_sec + 4, start.tv_nsec };
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
	show("a second later", adj(0));
	tx.constant = 0;
	adj(ADJ_TAI);
}

/* clock_adjtime: CLOCK_REALTIME only; the struct is copied back on success only. */
static void clock_adj(void)
{
	int clocks[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1, -2, -6, -5, (int)0x80000000 };
	for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		memset(&tx, 0, sizeof(tx));
		tx.tai = 0x1234;
		tx.modes = 0;
		long r = sys2(SYS_clock_adjtime, clocks[i], (long)&tx);
		printf("clock_adjtime(%d): ", clocks[i]);
		show("", r);
		printf("  tai field %#x\n", tx.tai);
	}
	show("clock_adjtime(12, NULL)", sys2(SYS_clock_adjtime, 12, 0));
	show("clock_adjtime(0, bad)", sys2(SYS_clock_adjtime, 0, 1));
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_ADJTIME;
	tx.tai = 0x77;
	show("clock_adjtime(0, ADJ_ADJTIME)", sys2(SYS_clock_adjtime, 0, (long)&tx));
	printf("  tai field %#x\n", tx.tai);
}

/* Without CAP_SYS_TIME: reading is allowed, any change EPERM. */
static void unprivileged(void)
{
	fflush(stdout);
	if (fork() == 0) {
		sys3(SYS_setresuid, 65534, 65534, 65534);
		unsigned modes[] = { 0, ADJ_OFFSET_SS_READ, ADJ_OFFSET_SINGLESHOT, ADJ_STATUS,
				     ADJ_TICK, ADJ_SETOFFSET, ADJ_NANO, ADJ_TAI, ADJ_ADJTIME,
				     ADJ_OFFSET_SS_READ | ADJ_SETOFFSET };
		for (unsigned i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
			memset(&tx, 0, sizeof(tx));
			tx.tick = 1;
			char what[64];
			snprintf(what, sizeof(what), "uid 65534 modes %#x", modes[i]);
			long r = adj(modes[i]);
			show(what, r < 0 ? r : 0);
		}
		fflush(stdout);
		_exit(0);
	}
	wait(NULL);
}

int main(void)
{
	struct timespec saved, m0, m1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_REALTIME, &saved);
	clock_gettime(CLOCK_MONOTONIC, &m0);
	show_tx("first read", adj(0));
	errors();
	modes();
	offsets();
	singleshot();
	tai();
	settime_clears();
	leap(1);
	leap(0);
	clock_adj();
	unprivileged();
	reset();
	clock_gettime(CLOCK_MONOTONIC, &m1);
	saved.tv_sec += m1.tv_sec - m0.tv_sec;
	sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&saved);
	show_tx("last read", adj(0));
	return 0;
}
