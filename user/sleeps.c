/* sleeps: nanosleep and clock_nanosleep as Linux 6.1 (issue 15, defect 6).
 * - far-future sleeps (tv_sec LONG_MAX, 2^47-1, KTIME_SEC_MAX around, absolute and relative, on
 *   every clock that sleeps) sleep: a child still sleeps after 150 ms (absolute ones returned 0
 *   at once before the fix: ns overflowed);
 * - each clock id (-5: a dynamic clock by fd; -1, -2: CPU clocks of the thread itself): which sleep
 * (REALTIME, MONOTONIC, BOOTTIME, TAI), which are EOPNOTSUPP and which EINVAL; tv_nsec outside [0,
 * 999999999] and a negative tv_sec EINVAL, relative or absolute; a bad request EFAULT; an absolute
 * time in the past returns at once;
 * - a sleep interrupted by a handled signal: EINTR (with SA_RESTART too), the remaining time in
 *   rmtp for a relative sleep (0 < rem < requested), rmtp untouched for an absolute one, EFAULT
 *   for a bad rmtp only then (never when the sleep ends normally);
 * - a sleep stopped and continued (SIGSTOP, SIGCONT) is restarted: it returns 0 and ends when it
 *   would have ended without the stop (Linux's restart block), not later. */
#define _GNU_SOURCE
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#ifndef CLOCK_TAI
#define CLOCK_TAI 11
#endif

struct ts {
	long sec, nsec;
};

static long cns(long clk, long flags, const void *req, void *rem)
{
	return sys4(SYS_clock_nanosleep, clk, flags, (long)req, (long)rem);
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static const char *yesno(int b)
{
	return b ? "yes" : "no";
}

static const char *res(long r)
{
	static char buf[32];
	if (is_err(r))
		return errname((int)-r);
	snprintf(buf, sizeof(buf), "%ld", r);
	return buf;
}

/* A child makes the sleep; after 150 ms it must still sleep. Prints what it returned if not. */
static void far(const char *what, long nr, long clk, long flags, long sec, long nsec)
{
	struct ts t = { sec, nsec };
	pid_t pid = fork();

	if (pid == 0) {
		long r = nr == SYS_nanosleep ? sys2(SYS_nanosleep, (long)&t, 0)
					     : cns(clk, flags, &t, 0);
		_exit(is_err(r) ? 100 + (int)-r : 50);
	}
	sleep_ms(150);
	int st;
	long w = wait4(pid, &st, WNOHANG, NULL);
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		printf("issue15.6 far future %s: still asleep after 150 ms: yes\n", what);
	} else {
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		printf("issue15.6 far future %s: still asleep after 150 ms: no (%s)\n", what,
		       code == 50   ? "returned 0"
		       : code > 100 ? errname(code - 100)
				    : "died");
	}
}

/* A sleep that must return at once (or fail): its result. */
static void quick(const char *what, long clk, long flags, const void *req, void *rem)
{
	long t0 = now_ms(), r = cns(clk, flags, req, rem);
	printf("issue15.6 %s: %s%s\n", what, res(r), now_ms() - t0 < 100 ? "" : " (slept)");
}

static volatile int got;
static void on_usr1(int s)
{
	(void)s;
	got++;
}

/* Forks a child that sends sig to this process after ms, and returns its pid. */
static pid_t signal_me_after(int sig, long ms)
{
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		sleep_ms(ms);
		kill(parent, sig);
		_exit(0);
	}
	return pid;
}

/* A 2 s sleep interrupted after 100 ms by a handled SIGUSR1; what it returns and leaves in rem. */
static void interrupted(const char *what, int sa_flags, long clk, long flags, void *rem_arg)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = sa_flags;
	sigaction(SIGUSR1, &sa, NULL);
	struct ts req = { 2, 0 }, rem = { -7, -7 };
	if (flags) {
		struct timespec n;
		clock_gettime((clockid_t)clk, &n);
		req.sec = n.tv_sec + 2;
		req.nsec = n.tv_nsec;
	}
	got = 0;
	pid_t pid = signal_me_after(SIGUSR1, 100);
	long r = clk < 0 ? sys2(SYS_nanosleep, (long)&req, (long)(rem_arg ? rem_arg : &rem))
			 : cns(clk, flags, &req, rem_arg ? rem_arg : &rem);
	waitpid(pid, NULL, 0);
	long rem_ns = rem.sec * 1000000000L + rem.nsec;
	printf("issue15.6 %s: %s, handler ran: %s, rem %s\n", what, res(r), yesno(got == 1),
	       rem.sec == -7 && rem.nsec == -7 ? "untouched"
	       : rem_ns > 1000000000L && rem_ns < 2000000000L && rem.nsec >= 0 &&
			       rem.nsec < 1000000000L
		       ? "in (1 s, 2 s)"
		       : "wrong");
	signal(SIGUSR1, SIG_DFL);
}

/* A child sleeps 500 ms and is stopped at 100 ms, continued at 250 ms: result and end time. */
static void stopped(const char *what, long clk, long flags)
{
	pid_t pid = fork();
	if (pid == 0) {
		long t0 = now_ms();
		struct ts req = { 0, 500000000 };
		if (flags) {
			struct timespec n;
			clock_gettime((clockid_t)clk, &n);
			req.sec = n.tv_sec + (n.tv_nsec + 500000000) / 1000000000;
			req.nsec = (n.tv_nsec + 500000000) % 1000000000;
		}
		long r = clk < 0 ? sys2(SYS_nanosleep, (long)&req, 0) : cns(clk, flags, &req, 0);
		long ms = now_ms() - t0;
		/* Restarted with the first deadline: about 500 ms; begun again: 650 ms or more. */
		_exit(is_err(r) ? 100 + (int)-r : ms >= 490 && ms < 620 ? 1 : 2);
	}
	sleep_ms(100);
	kill(pid, SIGSTOP);
	sleep_ms(150);
	kill(pid, SIGCONT);
	int st;
	waitpid(pid, &st, 0);
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	printf("issue15.6 %s stopped and continued: %s\n", what,
	       code == 1    ? "0, ends on time"
	       : code == 2  ? "0, ends late or early"
	       : code > 100 ? errname(code - 100)
			    : "died");
}

int main(void)
{
	const long big = LONG_MAX, b47 = (1L << 47) - 1, ksec = 9223372036L;
	setvbuf(stdout, NULL, _IONBF, 0);

	far("MONOTONIC abs LONG_MAX", 0, CLOCK_MONOTONIC, TIMER_ABSTIME, big, 0);
	far("MONOTONIC abs 2^47-1", 0, CLOCK_MONOTONIC, TIMER_ABSTIME, b47, 0);
	far("MONOTONIC abs LONG_MAX.999999999", 0, CLOCK_MONOTONIC, TIMER_ABSTIME, big, 999999999);
	far("MONOTONIC abs KTIME_SEC_MAX", 0, CLOCK_MONOTONIC, TIMER_ABSTIME, ksec, 0);
	far("MONOTONIC abs KTIME_SEC_MAX-1", 0, CLOCK_MONOTONIC, TIMER_ABSTIME, ksec - 1,
	    999999999);
	far("MONOTONIC abs 2^63/2^30 s", 0, CLOCK_MONOTONIC, TIMER_ABSTIME, 1L << 33, 0);
	far("REALTIME abs LONG_MAX", 0, CLOCK_REALTIME, TIMER_ABSTIME, big, 0);
	far("REALTIME abs 2^47-1", 0, CLOCK_REALTIME, TIMER_ABSTIME, b47, 0);
	far("REALTIME abs KTIME_SEC_MAX-1", 0, CLOCK_REALTIME, TIMER_ABSTIME, ksec - 1, 0);
	far("BOOTTIME abs LONG_MAX", 0, CLOCK_BOOTTIME, TIMER_ABSTIME, big, 0);
	far("TAI abs 2^47-1", 0, CLOCK_TAI, TIMER_ABSTIME, b47, 0);
	far("MONOTONIC rel LONG_MAX", 0, CLOCK_MONOTONIC, 0, big, 999999999);
	far("MONOTONIC rel KTIME_SEC_MAX-1", 0, CLOCK_MONOTONIC, 0, ksec - 1, 0);
	far("REALTIME rel 2^47-1", 0, CLOCK_REALTIME, 0, b47, 0);
	far("BOOTTIME rel LONG_MAX", 0, CLOCK_BOOTTIME, 0, big, 0);
	far("TAI rel LONG_MAX", 0, CLOCK_TAI, 0, big, 0);
	far("MONOTONIC rel flags 2 (ignored)", 0, CLOCK_MONOTONIC, 2, big, 0);
	far("nanosleep LONG_MAX", SYS_nanosleep, 0, 0, big, 999999999);
	far("nanosleep 2^47-1", SYS_nanosleep, 0, 0, b47, 0);

	struct ts ok = { 0, 1000 }, past = { 0, 0 }, one = { 1, 0 };
	struct ts bad[] = {
		{ 0, -1 }, { 0, 1000000000 }, { -1, 0 }, { LONG_MIN, 0 }, { 0, LONG_MAX }
	};
	const char *badname[] = { "tv_nsec -1", "tv_nsec 1e9", "tv_sec -1", "tv_sec LONG_MIN",
				  "tv_nsec LONG_MAX" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char what[96];
		snprintf(what, sizeof(what), "nanosleep %s", badname[i]);
		printf("issue15.6 %s: %s\n", what, res(sys2(SYS_nanosleep, (long)&bad[i], 0)));
		snprintf(what, sizeof(what), "clock_nanosleep MONOTONIC rel %s", badname[i]);
		quick(what, CLOCK_MONOTONIC, 0, &bad[i], 0);
		snprintf(what, sizeof(what), "clock_nanosleep REALTIME abs %s", badname[i]);
		quick(what, CLOCK_REALTIME, TIMER_ABSTIME, &bad[i], 0);
	}
	/* Not a relative sleep on the process CPU clock (2): it never ends while the process
	 * sleeps, on Linux. */
	static const long clocks[] = { 0,  1,  2,  3,  4,   5,	     6,	 7,  8,	 9,
				       10, 11, 12, 16, 100, INT_MAX, -1, -2, -5, 0x100000000L };
	for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		char what[64];
		snprintf(what, sizeof(what), "clock %ld: 1 us relative", clocks[i]);
		if (clocks[i] != 2)
			quick(what, clocks[i], 0, &ok, 0);
		snprintf(what, sizeof(what), "clock %ld: absolute 0", clocks[i]);
		quick(what, clocks[i], TIMER_ABSTIME, &past, 0);
		snprintf(what, sizeof(what), "clock %ld: NULL request", clocks[i]);
		quick(what, clocks[i], 0, NULL, 0);
	}
	quick("REALTIME_ALARM, flags 2", 8, 2, &ok, 0);
	quick("BOOTTIME_ALARM, flags 3", 9, 3, &past, 0);
	quick("MONOTONIC, flags 2 (ignored)", CLOCK_MONOTONIC, 2, &ok, 0);
	quick("MONOTONIC abs 1 s (past)", CLOCK_MONOTONIC, TIMER_ABSTIME, &one, 0);
	quick("REALTIME abs 1 s (past)", CLOCK_REALTIME, TIMER_ABSTIME, &one, 0);
	quick("BOOTTIME abs 0 (past)", CLOCK_BOOTTIME, TIMER_ABSTIME, &past, 0);
	quick("MONOTONIC rel bad request", CLOCK_MONOTONIC, 0, (void *)16, 0);
	quick("MONOTONIC rel 1 us, bad rmtp (never written)", CLOCK_MONOTONIC, 0, &ok, (void *)16);
	printf("issue15.6 nanosleep 1 us, bad rmtp (never written): %s\n",
	       res(sys2(SYS_nanosleep, (long)&ok, 16)));
	printf("issue15.6 nanosleep bad request: %s\n", res(sys2(SYS_nanosleep, 16, 0)));
	printf("issue15.6 nanosleep 0: %s\n", res(sys2(SYS_nanosleep, (long)&past, 0)));

	interrupted("nanosleep 2 s, SIGUSR1 handler", 0, -1, 0, NULL);
	interrupted("nanosleep 2 s, SA_RESTART handler", SA_RESTART, -1, 0, NULL);
	interrupted("MONOTONIC rel 2 s, handler", 0, CLOCK_MONOTONIC, 0, NULL);
	interrupted("REALTIME rel 2 s, SA_RESTART handler", SA_RESTART, CLOCK_REALTIME, 0, NULL);
	interrupted("MONOTONIC abs +2 s, handler", 0, CLOCK_MONOTONIC, TIMER_ABSTIME, NULL);
	interrupted("REALTIME abs +2 s, SA_RESTART handler", SA_RESTART, CLOCK_REALTIME,
		    TIMER_ABSTIME, NULL);
	interrupted("nanosleep 2 s, handler, bad rmtp", 0, -1, 0, (void *)16);
	interrupted("MONOTONIC rel 2 s, handler, bad rmtp", 0, CLOCK_MONOTONIC, 0, (void *)16);
	interrupted("MONOTONIC abs +2 s, handler, bad rmtp", 0, CLOCK_MONOTONIC, TIMER_ABSTIME,
		    (void *)16);

	stopped("nanosleep 500 ms", -1, 0);
	stopped("MONOTONIC rel 500 ms", CLOCK_MONOTONIC, 0);
	stopped("MONOTONIC abs +500 ms", CLOCK_MONOTONIC, TIMER_ABSTIME);
	stopped("REALTIME abs +500 ms", CLOCK_REALTIME, TIMER_ABSTIME);
	return 0;
}
