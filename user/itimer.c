/* itimer: issue 21 item 1, alarm, getitimer and setitimer as Linux 6.1 answers them.
 * Values read back exactly (intervals, the old value of a disarmed timer) are printed; times
 * that depend on when the call runs are printed as ranges ("in (a, b]: yes"). CPU itimers are
 * set one tick (4 ms at Linux's and Warden's HZ 250) further than asked and read back a tick
 * when due. Errors: EINVAL for a bad which or timeval, EFAULT, and which comes after the value
 * is read (setitimer) but before the result is written (getitimer). Signals: SIGALRM,
 * SIGVTALRM and SIGPROF with si_code SI_KERNEL; an interval ITIMER_REAL fires again; a fork
 * starts with no itimer, an execve keeps them. The program runs in children (on Warden it is
 * PID 1, which a default SIGALRM would not kill).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define BAD ((long)0x10)

static long set(int which, const struct itimerval *v, struct itimerval *o)
{
	return sys3(SYS_setitimer, which, (long)v, (long)o);
}

static long get(int which, struct itimerval *v)
{
	return sys2(SYS_getitimer, which, (long)v);
}

static long alarm_(unsigned s)
{
	return sys1(SYS_alarm, s);
}

static long long tv_us(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000 + tv->tv_usec;
}

static long long now_us(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void yes(const char *what, int cond)
{
	printf("%s: %s\n", what, cond ? "yes" : "no");
}

static volatile int got[65];
static volatile int last_code;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got[sig]++;
	last_code = si->si_code;
}

static void catch(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(sig, &sa, NULL);
}

static void run(const char *title, void (*fn)(void))
{
	printf("-- %s\n", title);
	int st = child_status(fn);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("child status %#x\n", st);
}

static void alarms(void)
{
	show("alarm(0) with none", alarm_(0));
	show("alarm(5)", alarm_(5));
	show("alarm(3) after alarm(5): seconds left", alarm_(3));
	struct itimerval v;
	show("getitimer(REAL)", get(ITIMER_REAL, &v));
	yes("REAL value in (2.9 s, 3 s]", tv_us(&v.it_value) > 2900000 && tv_us(&v.it_value) <= 3000000);
	printf("REAL interval: %lld us\n", tv_us(&v.it_interval));
	show("alarm(0) after alarm(3)", alarm_(0));
	show("alarm(0) again", alarm_(0));
	/* 0.4 s left rounds up to 1 (never 0 while pending); 1.6 s rounds to 2, 1.4 s to 1 */
	struct itimerval n = { { 0, 0 }, { 0, 400000 } };
	set(ITIMER_REAL, &n, NULL);
	show("alarm(0) with 0.4 s left", alarm_(0));
	n.it_value = (struct timeval){ 1, 600000 };
	set(ITIMER_REAL, &n, NULL);
	show("alarm(0) with 1.6 s left", alarm_(0));
	n.it_value = (struct timeval){ 1, 400000 };
	set(ITIMER_REAL, &n, NULL);
	show("alarm(0) with 1.4 s left", alarm_(0));
	show("alarm(UINT_MAX)", alarm_(0xffffffffu));
	show("alarm(0) after alarm(UINT_MAX)", alarm_(0));
}

static void real_values(void)
{
	struct itimerval n = { { 1, 250000 }, { 2, 500000 } }, o;
	show("setitimer(REAL, 2.5 s every 1.25 s)", set(ITIMER_REAL, &n, &o));
	printf("old: value %lld us interval %lld us\n", tv_us(&o.it_value), tv_us(&o.it_interval));
	show("getitimer(REAL)", get(ITIMER_REAL, &o));
	yes("value in (2.4 s, 2.5 s]", tv_us(&o.it_value) > 2400000 && tv_us(&o.it_value) <= 2500000);
	printf("interval: %lld us\n", tv_us(&o.it_interval));
	struct itimerval z = { { 7, 0 }, { 0, 0 } };
	show("setitimer(REAL, value 0, interval 7 s): disarms", set(ITIMER_REAL, &z, &o));
	yes("old value in (2.4 s, 2.5 s]", tv_us(&o.it_value) > 2400000 && tv_us(&o.it_value) <= 2500000);
	printf("old interval: %lld us\n", tv_us(&o.it_interval));
	show("getitimer(REAL)", get(ITIMER_REAL, &o));
	printf("value %lld us interval %lld us (an interval without a value is not kept)\n",
	       tv_us(&o.it_value), tv_us(&o.it_interval));
	/* 1 us: a timeval's microseconds, read back truncated from nanoseconds */
	n = (struct itimerval){ { 0, 1 }, { 100, 999999 } };
	set(ITIMER_REAL, &n, NULL);
	show("setitimer(REAL, NULL, &old): disarms", set(ITIMER_REAL, NULL, &o));
	printf("old interval: %lld us\n", tv_us(&o.it_interval));
	yes("old value in (100.9 s, 101 s)", tv_us(&o.it_value) > 100900000 && tv_us(&o.it_value) < 101000000);
	show("getitimer(REAL) after NULL", get(ITIMER_REAL, &o));
	printf("value %lld us\n", tv_us(&o.it_value));
	/* large values */
	n = (struct itimerval){ { 0, 0 }, { 0x7fffffffffffffffLL, 999999 } };
	show("setitimer(REAL, LONG_MAX s)", set(ITIMER_REAL, &n, NULL));
	get(ITIMER_REAL, &o);
	yes("value > 290 years", o.it_value.tv_sec > 290LL * 365 * 86400);
	set(ITIMER_REAL, NULL, NULL);
}

static void errors(void)
{
	struct itimerval v = { { 0, 0 }, { 1, 0 } }, o;
	show("getitimer(3)", get(3, &o));
	show("getitimer(-1)", get(-1, &o));
	show("getitimer(3, bad)", get(3, (void *)BAD));
	show("getitimer(REAL, bad)", get(ITIMER_REAL, (void *)BAD));
	show("getitimer(VIRTUAL, bad)", get(ITIMER_VIRTUAL, (void *)BAD));
	show("setitimer(3)", set(3, &v, &o));
	show("setitimer(3, NULL)", set(3, NULL, NULL));
	show("setitimer(3, bad value)", set(3, (void *)BAD, &o));
	struct itimerval bad = { { 0, 0 }, { 0, 1000000 } };
	show("setitimer(REAL, usec 1000000)", set(ITIMER_REAL, &bad, &o));
	show("setitimer(3, usec 1000000)", set(3, &bad, &o));
	bad = (struct itimerval){ { 0, 0 }, { -1, 0 } };
	show("setitimer(REAL, sec -1)", set(ITIMER_REAL, &bad, &o));
	bad = (struct itimerval){ { 0, -1 }, { 1, 0 } };
	show("setitimer(PROF, interval usec -1)", set(ITIMER_PROF, &bad, &o));
	bad = (struct itimerval){ { -5, 0 }, { 0, 0 } };
	show("setitimer(VIRTUAL, interval sec -5, value 0)", set(ITIMER_VIRTUAL, &bad, &o));
	show("setitimer(REAL, 1 s, bad old)", set(ITIMER_REAL, &v, (void *)BAD));
	show("getitimer(REAL) after: armed anyway", get(ITIMER_REAL, &o));
	yes("value in (0.9 s, 1 s]", tv_us(&o.it_value) > 900000 && tv_us(&o.it_value) <= 1000000);
	show("setitimer(REAL, bad value)", set(ITIMER_REAL, (void *)BAD, &o));
	show("setitimer(REAL, NULL, NULL)", set(ITIMER_REAL, NULL, NULL));
}

static void cpu_values(void)
{
	static const int which[2] = { ITIMER_VIRTUAL, ITIMER_PROF };
	static const char *names[2] = { "VIRTUAL", "PROF" };
	for (int i = 0; i < 2; i++) {
		struct itimerval n = { { 0, 300000 }, { 1, 0 } }, o;
		char what[96];
		snprintf(what, sizeof what, "setitimer(%s, 1 s every 0.3 s)", names[i]);
		show(what, set(which[i], &n, &o));
		printf("old: value %lld us interval %lld us\n", tv_us(&o.it_value), tv_us(&o.it_interval));
		get(which[i], &o);
		/* one tick (4 ms) added, and up to a tick or two already charged */
		yes("value in [0.99 s, 1.004 s]", tv_us(&o.it_value) >= 990000 && tv_us(&o.it_value) <= 1004000);
		printf("interval: %lld us\n", tv_us(&o.it_interval));
		struct itimerval z = { { 0, 0 }, { 0, 0 } };
		set(which[i], &z, &o);
		yes("old value in [0.99 s, 1.004 s]", tv_us(&o.it_value) >= 990000 && tv_us(&o.it_value) <= 1004000);
		printf("old interval: %lld us\n", tv_us(&o.it_interval));
		get(which[i], &o);
		printf("after disarm: value %lld us interval %lld us\n", tv_us(&o.it_value), tv_us(&o.it_interval));
	}
}

static void real_signal(void)
{
	catch(SIGALRM);
	long long t0 = now_us(CLOCK_MONOTONIC);
	struct itimerval n = { { 0, 0 }, { 0, 100000 } };
	set(ITIMER_REAL, &n, NULL);
	while (!got[SIGALRM])
		pause();
	long long dt = now_us(CLOCK_MONOTONIC) - t0;
	yes("SIGALRM after >= 100 ms", dt >= 100000);
	yes("SIGALRM within 2 s", dt < 2000000);
	printf("si_code: %#x\n", last_code);
	struct itimerval o;
	get(ITIMER_REAL, &o);
	printf("after it fired: value %lld us\n", tv_us(&o.it_value));
	/* an interval timer: 5 signals of a 20 ms period take at least 100 ms */
	got[SIGALRM] = 0;
	n = (struct itimerval){ { 0, 20000 }, { 0, 20000 } };
	t0 = now_us(CLOCK_MONOTONIC);
	set(ITIMER_REAL, &n, NULL);
	while (got[SIGALRM] < 5)
		pause();
	dt = now_us(CLOCK_MONOTONIC) - t0;
	set(ITIMER_REAL, NULL, NULL);
	yes("5 SIGALRMs of a 20 ms interval after >= 100 ms", dt >= 100000);
	/* alarm's default action kills (in a grandchild) */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		signal(SIGALRM, SIG_DFL);
		alarm_(1);
		for (;;)
			pause();
	}
	int st;
	waitpid(c, &st, 0);
	printf("alarm(1) and pause: killed by signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
}

static void spin_until(volatile int *flag)
{
	long long t0 = now_us(CLOCK_MONOTONIC);
	while (!*flag && now_us(CLOCK_MONOTONIC) - t0 < 20000000)
		;
}

static void cpu_signals(void)
{
	catch(SIGVTALRM);
	catch(SIGPROF);
	struct itimerval n = { { 0, 0 }, { 0, 50000 } };
	long long c0 = now_us(CLOCK_PROCESS_CPUTIME_ID);
	set(ITIMER_VIRTUAL, &n, NULL);
	spin_until(&got[SIGVTALRM]);
	long long used = now_us(CLOCK_PROCESS_CPUTIME_ID) - c0;
	yes("SIGVTALRM after 50 ms of user time", got[SIGVTALRM] == 1);
	yes("CPU time used >= 40 ms", used >= 40000);
	printf("si_code: %#x\n", last_code);
	c0 = now_us(CLOCK_PROCESS_CPUTIME_ID);
	set(ITIMER_PROF, &n, NULL);
	spin_until(&got[SIGPROF]);
	used = now_us(CLOCK_PROCESS_CPUTIME_ID) - c0;
	yes("SIGPROF after 50 ms of CPU time", got[SIGPROF] == 1);
	yes("CPU time used >= 40 ms", used >= 40000);
	printf("si_code: %#x\n", last_code);
	/* with an interval: three SIGPROFs */
	n = (struct itimerval){ { 0, 20000 }, { 0, 20000 } };
	got[SIGPROF] = 0;
	set(ITIMER_PROF, &n, NULL);
	long long t0 = now_us(CLOCK_MONOTONIC);
	while (got[SIGPROF] < 3 && now_us(CLOCK_MONOTONIC) - t0 < 20000000)
		;
	set(ITIMER_PROF, NULL, NULL);
	yes("3 SIGPROFs of a 20 ms interval", got[SIGPROF] >= 3);
	/* sleeping uses no CPU time: no SIGVTALRM in 200 ms of sleep */
	got[SIGVTALRM] = 0;
	n = (struct itimerval){ { 0, 0 }, { 0, 100000 } };
	set(ITIMER_VIRTUAL, &n, NULL);
	sleep_ms(200);
	yes("no SIGVTALRM while asleep", got[SIGVTALRM] == 0);
	set(ITIMER_VIRTUAL, NULL, NULL);
}

static void print_timers(const char *who)
{
	struct itimerval o;
	for (int w = 0; w < 3; w++) {
		get(w, &o);
		printf("%s: itimer %d armed: %s, interval %lld us\n", who, w, tv_us(&o.it_value) ? "yes" : "no",
		       tv_us(&o.it_interval));
	}
}

static void fork_exec(void)
{
	struct itimerval n = { { 3, 0 }, { 50, 0 } };
	set(ITIMER_REAL, &n, NULL);
	n = (struct itimerval){ { 4, 0 }, { 60, 0 } };
	set(ITIMER_VIRTUAL, &n, NULL);
	n = (struct itimerval){ { 5, 0 }, { 70, 0 } };
	set(ITIMER_PROF, &n, NULL);
	print_timers("parent");
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		print_timers("forked child");
		show("forked child: alarm(0)", alarm_(0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	print_timers("parent after fork");
	fflush(stdout);
	/* this process execs itself: its itimers stay */
	char *argv[] = { "/prog", "exec", NULL };
	execv("/proc/self/exe", argv);
	printf("execv failed\n");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec")) {
		print_timers("after execve");
		long left = alarm_(0);
		yes("after execve: alarm(0) in [49, 50]", left >= 49 && left <= 50);
		return 0;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	run("alarm", alarms);
	run("ITIMER_REAL values", real_values);
	run("errors", errors);
	run("CPU itimer values", cpu_values);
	run("SIGALRM", real_signal);
	run("SIGVTALRM and SIGPROF", cpu_signals);
	run("fork and execve", fork_exec);
	return 0;
}
