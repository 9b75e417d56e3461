/* clocksetsleep: absolute clock_nanosleep, timerfds and POSIX timers on CLOCK_REALTIME follow
 * the clock when it is set.
 *
 * A child sleeps while its parent sets the wall clock (clock_settime): an absolute sleep on
 * CLOCK_REALTIME ends as soon as the clock is set past its time, and lasts longer when the clock
 * is set back; a relative sleep on CLOCK_REALTIME and an absolute one on CLOCK_MONOTONIC keep
 * their length. A timerfd or a POSIX timer armed absolute on CLOCK_REALTIME does the same. Only coarse, load-proof facts are printed (elapsed time below or above a bound of
 * seconds). The clock is put back at the end.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

static double mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Moves CLOCK_REALTIME by delta seconds. */
static long shift_clock(long delta)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += delta;
	return sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&t);
}

/*
 * A child sleeps on clk (absolute: until now + secs on that clock; else for secs) while the
 * parent, after settle_ms, moves the wall clock by delta seconds. Prints how long the child slept
 * against the bounds lo and hi (seconds of the monotonic clock).
 */
static void sleep_case(const char *what, int clk, int flags, long secs, long delta, double lo,
		       double hi)
{
	int fds[2];

	fflush(stdout);
	if (pipe(fds))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec until;
		double start = mono_now();

		if (flags) {
			clock_gettime(clk, &until);
			until.tv_sec += secs;
		} else {
			until.tv_sec = secs;
			until.tv_nsec = 0;
		}
		close(fds[0]);
		if (write(fds[1], "x", 1) != 1)
			_exit(2);
		long r = sys4(SYS_clock_nanosleep, clk, flags, (long)&until, 0);
		double slept = mono_now() - start;
		printf("%s: %s, slept %s %.0f s, %s %.0f s\n", what, r ? "error" : "0",
		       slept >= lo ? ">=" : "<", lo, slept < hi ? "<" : ">=", hi);
		fflush(stdout);
		_exit(0);
	}
	char c;
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1)
		return;
	close(fds[0]);
	usleep(300000);
	long r = shift_clock(delta);
	if (r)
		show("clock_settime", r);
	waitpid(pid, NULL, 0);
}

/*
 * A timerfd on CLOCK_REALTIME armed (absolute: at now + secs; else in secs) is read while a
 * child, after 300 ms, moves the wall clock by delta seconds. Prints how long the read waited.
 */
static void timerfd_case(const char *what, int flags, long secs, long delta, double lo, double hi)
{
	int fd = timerfd_create(CLOCK_REALTIME, 0);
	struct itimerspec its = { { 0, 0 }, { secs, 0 } };
	unsigned long long ticks = 0;

	if (flags) {
		clock_gettime(CLOCK_REALTIME, &its.it_value);
		its.it_value.tv_sec += secs;
	}
	double start = mono_now();
	show("timerfd_settime", timerfd_settime(fd, flags, &its, NULL));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(300000);
		long r = shift_clock(delta);
		if (r)
			show("clock_settime", r);
		fflush(stdout);
		_exit(0);
	}
	long n = read(fd, &ticks, sizeof(ticks));
	double waited = mono_now() - start;
	printf("%s: read %ld, ticks %llu, waited %s %.0f s, %s %.0f s\n", what, n, ticks,
	       waited >= lo ? ">=" : "<", lo, waited < hi ? "<" : ">=", hi);
	waitpid(pid, NULL, 0);
	close(fd);
}

/*
 * A POSIX timer on CLOCK_REALTIME (SIGUSR1, blocked and waited for) armed as timerfd_case's
 * timerfd, while a child moves the clock by delta seconds after 300 ms.
 */
static void posix_timer_case(const char *what, int flags, long secs, long delta, double lo,
			     double hi)
{
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct itimerspec its = { { 0, 0 }, { secs, 0 } };
	struct timespec limit = { 10, 0 };
	sigset_t set;
	timer_t id;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	show("timer_create", timer_create(CLOCK_REALTIME, &sev, &id));
	if (flags) {
		clock_gettime(CLOCK_REALTIME, &its.it_value);
		its.it_value.tv_sec += secs;
	}
	double start = mono_now();
	show("timer_settime", timer_settime(id, flags, &its, NULL));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(300000);
		long r = shift_clock(delta);
		if (r)
			show("clock_settime", r);
		fflush(stdout);
		_exit(0);
	}
	int sig = sigtimedwait(&set, NULL, &limit);
	double waited = mono_now() - start;
	printf("%s: signal %d, waited %s %.0f s, %s %.0f s\n", what, sig, waited >= lo ? ">=" : "<",
	       lo, waited < hi ? "<" : ">=", hi);
	waitpid(pid, NULL, 0);
	timer_delete(id);
}

/* A SIGEV_NONE timer armed absolute at now + 100 s: timer_gettime after the clock went back. */
static void posix_timer_none(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	struct itimerspec its = { { 0, 0 }, { 0, 0 } }, cur;
	timer_t id;

	timer_create(CLOCK_REALTIME, &sev, &id);
	clock_gettime(CLOCK_REALTIME, &its.it_value);
	its.it_value.tv_sec += 100;
	timer_settime(id, TIMER_ABSTIME, &its, NULL);
	shift_clock(-50);
	timer_gettime(id, &cur);
	printf("SIGEV_NONE absolute +100 s, clock set 50 s back: left > 140 s: %s, <= 150 s: %s\n",
	       cur.it_value.tv_sec > 140 ? "yes" : "no", cur.it_value.tv_sec <= 150 ? "yes" : "no");
	shift_clock(50);
	timer_delete(id);
}

int main(void)
{
	struct timespec saved, m0, m1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_REALTIME, &saved);
	clock_gettime(CLOCK_MONOTONIC, &m0);
	sleep_case("REALTIME absolute +10 s, clock set 20 s ahead", CLOCK_REALTIME, TIMER_ABSTIME,
		   10, 20, 0, 5);
	sleep_case("REALTIME absolute +1 s, clock set 3 s back", CLOCK_REALTIME, TIMER_ABSTIME, 1, -3,
		   3, 8);
	sleep_case("REALTIME relative 2 s, clock set 20 s ahead", CLOCK_REALTIME, 0, 2, 20, 2, 6);
	sleep_case("REALTIME relative 1 s, clock set 3 s back", CLOCK_REALTIME, 0, 1, -3, 1, 3);
	sleep_case("MONOTONIC absolute +2 s, clock set 20 s ahead", CLOCK_MONOTONIC, TIMER_ABSTIME,
		   2, 20, 2, 6);
	sleep_case("TAI absolute +10 s, clock set 20 s ahead", CLOCK_TAI, TIMER_ABSTIME, 10, 20, 0,
		   5);
	timerfd_case("timerfd absolute +10 s, clock set 20 s ahead", TFD_TIMER_ABSTIME, 10, 20, 0, 5);
	timerfd_case("timerfd absolute +1 s, clock set 3 s back", TFD_TIMER_ABSTIME, 1, -3, 3, 8);
	timerfd_case("timerfd relative 1 s, clock set 3 s back", 0, 1, -3, 1, 3);
	posix_timer_case("timer absolute +10 s, clock set 20 s ahead", TIMER_ABSTIME, 10, 20, 0, 5);
	posix_timer_case("timer absolute +1 s, clock set 3 s back", TIMER_ABSTIME, 1, -3, 3, 8);
	posix_timer_case("timer relative 1 s, clock set 3 s back", 0, 1, -3, 1, 3);
	posix_timer_none();
	clock_gettime(CLOCK_MONOTONIC, &m1);
	saved.tv_sec += m1.tv_sec - m0.tv_sec;
	saved.tv_nsec += m1.tv_nsec - m0.tv_nsec;
	if (saved.tv_nsec < 0) {
		saved.tv_nsec += 1000000000;
		saved.tv_sec--;
	} else if (saved.tv_nsec >= 1000000000) {
		saved.tv_nsec -= 1000000000;
		saved.tv_sec++;
	}
	show("clock put back", sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&saved));
	return 0;
}
