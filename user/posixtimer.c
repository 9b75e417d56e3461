/* posixtimer: issue 21 item 3, POSIX timers as Linux 6.1 answers them: timer_create's clocks
 * (EINVAL for unknown ones, EOPNOTSUPP for those without timers), sigevents (SIGEV_SIGNAL,
 * SIGEV_NONE, SIGEV_THREAD, SIGEV_THREAD_ID, a NULL one: SIGALRM with the id as sival_int),
 * ids counted from 0 per process and never reused, used up by a create that fails late;
 * timer_settime (relative, TIMER_ABSTIME, intervals, the old value), timer_gettime,
 * timer_getoverrun (an interval timer's missed periods while its signal is blocked, clamped at
 * DELAYTIMER_MAX), timer_delete; the queued siginfo (SI_TIMER, si_timerid, si_overrun,
 * si_value); CPU-clock timers; RLIMIT_SIGPENDING; fork (not inherited) and execve (deleted,
 * pending timer signals dropped). Times are printed as ranges. Raw system calls throughout.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define BAD ((long)0x10)
#define SI_TIMER_CODE (-2)

struct ksigevent {
	long value;
	int signo;
	int notify;
	int tid;
	int pad[11];
};

struct kspec {
	struct timespec interval, value;
};

static long tcreate(int clock, struct ksigevent *ev, int *id)
{
	return sys3(SYS_timer_create, clock, (long)ev, (long)id);
}

static long tset(int id, int flags, const struct kspec *n, struct kspec *o)
{
	return sys4(SYS_timer_settime, id, flags, (long)n, (long)o);
}

static long tget(int id, struct kspec *s)
{
	return sys2(SYS_timer_gettime, id, (long)s);
}

static long tdel(int id)
{
	return sys1(SYS_timer_delete, id);
}

static long long ns(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static long long now_ns(int clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return ns(&ts);
}

static void yes(const char *what, int cond)
{
	printf("%s: %s\n", what, cond ? "yes" : "no");
}

static struct ksigevent sev(int notify, int signo, long value)
{
	struct ksigevent e;
	memset(&e, 0, sizeof e);
	e.notify = notify;
	e.signo = signo;
	e.value = value;
	return e;
}

static void create_show(const char *what, int clock, struct ksigevent *ev)
{
	int id = -1;
	long r = tcreate(clock, ev, &id);
	if (is_err(r))
		printf("%s: -1 %s\n", what, errname((int)-r));
	else
		printf("%s: id %d\n", what, id);
}

static volatile int got, got_code, got_id, got_overrun, got_sig;
static volatile long got_value;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got++;
	got_sig = sig;
	got_code = si->si_code;
	got_id = si->si_timerid;
	got_overrun = si->si_overrun;
	got_value = (long)si->si_value.sival_ptr;
}

static void catch(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(sig, &sa, NULL);
}

static void block(int sig, int how)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(how, &s, NULL);
}

static void ids_and_errors(void)
{
	struct ksigevent e;
	create_show("create(REALTIME, NULL)", CLOCK_REALTIME, NULL);
	create_show("create(MONOTONIC, NULL)", CLOCK_MONOTONIC, NULL);
	create_show("create(BOOTTIME, NULL)", CLOCK_BOOTTIME, NULL);
	show("delete(1)", tdel(1));
	show("delete(1) again", tdel(1));
	create_show("create(MONOTONIC, NULL) after delete(1)", CLOCK_MONOTONIC, NULL);
	create_show("create(PROCESS_CPUTIME_ID)", CLOCK_PROCESS_CPUTIME_ID, NULL);
	create_show("create(THREAD_CPUTIME_ID)", CLOCK_THREAD_CPUTIME_ID, NULL);
	create_show("create(TAI)", 11, NULL);
	create_show("create(MONOTONIC_RAW)", CLOCK_MONOTONIC_RAW, NULL);
	create_show("create(REALTIME_COARSE)", CLOCK_REALTIME_COARSE, NULL);
	create_show("create(MONOTONIC_COARSE)", CLOCK_MONOTONIC_COARSE, NULL);
	create_show("create(10)", 10, NULL);
	create_show("create(12)", 12, NULL);
	create_show("create(1000)", 1000, NULL);
	create_show("create(CLOCKFD of fd 0)", (int)((~0u << 3) | 3), NULL);
	create_show("create(which 3 of pid 0... (~0 << 3) | 7)", (int)((~0u << 3) | 7), NULL);
	create_show("create(my pid's process clock)", (int)((~(unsigned)getpid() << 3) | 2), NULL);
	create_show("create(pid 99999's process clock)", (int)((~99999u << 3) | 2), NULL);
	create_show("create(after the failed CPU clock)", CLOCK_MONOTONIC, NULL);
	e = sev(SIGEV_SIGNAL, 0, 0);
	create_show("create(SIGEV_SIGNAL, signo 0)", CLOCK_MONOTONIC, &e);
	e = sev(SIGEV_SIGNAL, 65, 0);
	create_show("create(SIGEV_SIGNAL, signo 65)", CLOCK_MONOTONIC, &e);
	e = sev(SIGEV_SIGNAL, -1, 0);
	create_show("create(SIGEV_SIGNAL, signo -1)", CLOCK_MONOTONIC, &e);
	e = sev(SIGEV_SIGNAL, 64, 0);
	create_show("create(SIGEV_SIGNAL, signo 64)", CLOCK_MONOTONIC, &e);
	e = sev(SIGEV_NONE, 0, 0);
	create_show("create(SIGEV_NONE, signo 0)", CLOCK_MONOTONIC, &e);
	e = sev(SIGEV_THREAD, SIGUSR1, 0);
	create_show("create(SIGEV_THREAD, SIGUSR1)", CLOCK_MONOTONIC, &e);
	e = sev(3, SIGUSR1, 0);
	create_show("create(notify 3)", CLOCK_MONOTONIC, &e);
	e = sev(5, SIGUSR1, 0);
	create_show("create(notify 5)", CLOCK_MONOTONIC, &e);
	e = sev(SIGEV_THREAD_ID, SIGUSR1, 0);
	e.tid = (int)sys0(SYS_gettid);
	create_show("create(SIGEV_THREAD_ID, my tid)", CLOCK_MONOTONIC, &e);
	e.tid = 99999;
	create_show("create(SIGEV_THREAD_ID, tid 99999)", CLOCK_MONOTONIC, &e);
	e.tid = 0;
	create_show("create(SIGEV_THREAD_ID, tid 0)", CLOCK_MONOTONIC, &e);
	e = sev(SIGEV_THREAD_ID, 0, 0);
	e.tid = (int)sys0(SYS_gettid);
	create_show("create(SIGEV_THREAD_ID, my tid, signo 0)", CLOCK_MONOTONIC, &e);
	show("create(MONOTONIC, bad sigevent, &id)", tcreate(CLOCK_MONOTONIC, (void *)BAD, NULL));
	show("create(1000, bad sigevent)", tcreate(1000, (void *)BAD, NULL));
	show("create(MONOTONIC, NULL, bad id)", tcreate(CLOCK_MONOTONIC, NULL, (void *)BAD));
	show("create(1000, NULL, bad id)", tcreate(1000, NULL, (void *)BAD));
	create_show("create(MONOTONIC) after the bad id", CLOCK_MONOTONIC, NULL);

	struct kspec s = { { 0, 0 }, { 1, 0 } }, o;
	show("settime(0, NULL)", tset(0, 0, NULL, NULL));
	show("settime(999, ...)", tset(999, 0, &s, NULL));
	show("settime(-1, ...)", tset(-1, 0, &s, NULL));
	show("settime(0, bad)", tset(0, 0, (void *)BAD, NULL));
	show("settime(999, bad)", tset(999, 0, (void *)BAD, NULL));
	struct kspec b = { { 0, 0 }, { 0, 1000000000 } };
	show("settime(0, nsec 10^9)", tset(0, 0, &b, NULL));
	b = (struct kspec){ { 0, -1 }, { 1, 0 } };
	show("settime(0, interval nsec -1)", tset(0, 0, &b, NULL));
	b = (struct kspec){ { 0, 0 }, { -1, 0 } };
	show("settime(0, sec -1)", tset(0, 0, &b, NULL));
	show("settime(999, sec -1)", tset(999, 0, &b, NULL));
	show("settime(0, flags 0xfe, 1 s)", tset(0, 0xfe, &s, NULL));
	show("settime(0, 1 s, bad old)", tset(0, 0, &s, (void *)BAD));
	show("gettime(0)", tget(0, &o));
	yes("armed anyway: value in (0.9 s, 1 s]", ns(&o.value) > 900000000 && ns(&o.value) <= 1000000000);
	show("gettime(999)", tget(999, &o));
	show("gettime(0, bad)", tget(0, (void *)BAD));
	show("gettime(999, bad)", tget(999, (void *)BAD));
	show("getoverrun(0)", sys1(SYS_timer_getoverrun, 0));
	show("getoverrun(999)", sys1(SYS_timer_getoverrun, 999));
	show("delete(999)", tdel(999));
	show("delete(-5)", tdel(-5));
}

static void values(void)
{
	int id;
	struct kspec s = { { 0, 500000000 }, { 2, 0 } }, o;
	tcreate(CLOCK_MONOTONIC, NULL, &id);
	show("gettime of a new timer", tget(id, &o));
	printf("value %lld interval %lld\n", ns(&o.value), ns(&o.interval));
	show("settime(2 s every 0.5 s)", tset(id, 0, &s, &o));
	printf("old: value %lld interval %lld\n", ns(&o.value), ns(&o.interval));
	tget(id, &o);
	yes("value in (1.9 s, 2 s]", ns(&o.value) > 1900000000 && ns(&o.value) <= 2000000000);
	printf("interval %lld\n", ns(&o.interval));
	struct kspec z = { { 3, 0 }, { 0, 0 } };
	show("settime(value 0, interval 3 s): disarms", tset(id, 0, &z, &o));
	yes("old value in (1.9 s, 2 s]", ns(&o.value) > 1900000000 && ns(&o.value) <= 2000000000);
	printf("old interval %lld\n", ns(&o.interval));
	tget(id, &o);
	printf("after disarm: value %lld interval %lld\n", ns(&o.value), ns(&o.interval));
	/* absolute on CLOCK_MONOTONIC and CLOCK_REALTIME */
	struct kspec a = { { 0, 0 }, { 0, 0 } };
	long long t = now_ns(CLOCK_MONOTONIC) + 3000000000LL;
	a.value.tv_sec = t / 1000000000;
	a.value.tv_nsec = t % 1000000000;
	show("settime(ABSTIME, monotonic now + 3 s)", tset(id, TIMER_ABSTIME, &a, NULL));
	tget(id, &o);
	yes("value in (2.9 s, 3 s]", ns(&o.value) > 2900000000LL && ns(&o.value) <= 3000000000LL);
	int rid;
	tcreate(CLOCK_REALTIME, NULL, &rid);
	t = now_ns(CLOCK_REALTIME) + 4000000000LL;
	a.value.tv_sec = t / 1000000000;
	a.value.tv_nsec = t % 1000000000;
	show("settime(REALTIME, ABSTIME, now + 4 s)", tset(rid, TIMER_ABSTIME, &a, NULL));
	tget(rid, &o);
	yes("value in (3.9 s, 4 s]", ns(&o.value) > 3900000000LL && ns(&o.value) <= 4000000000LL);
	/* a SIGEV_NONE timer counts down; once past, a one-shot reads 0, an interval one the time
	 * to its next period */
	struct ksigevent e = sev(SIGEV_NONE, 0, 0);
	int nid;
	tcreate(CLOCK_MONOTONIC, &e, &nid);
	struct kspec n = { { 0, 0 }, { 0, 100000000 } };
	tset(nid, 0, &n, NULL);
	tget(nid, &o);
	yes("SIGEV_NONE: value in (0, 100 ms]", ns(&o.value) > 0 && ns(&o.value) <= 100000000);
	sleep_ms(150);
	tget(nid, &o);
	printf("SIGEV_NONE one-shot past: value %lld\n", ns(&o.value));
	n = (struct kspec){ { 0, 40000000 }, { 0, 20000000 } };
	tset(nid, 0, &n, NULL);
	sleep_ms(150);
	tget(nid, &o);
	yes("SIGEV_NONE interval past: value in (0, 40 ms]", ns(&o.value) > 0 && ns(&o.value) <= 40000000);
	printf("interval %lld\n", ns(&o.interval));
	show("getoverrun of a SIGEV_NONE timer", sys1(SYS_timer_getoverrun, nid));
	/* a time already past fires at once */
	a.value = (struct timespec){ 1, 0 };
	got = 0;
	catch(SIGALRM);
	int pid_;
	tcreate(CLOCK_MONOTONIC, NULL, &pid_);
	tset(pid_, TIMER_ABSTIME, &a, NULL);
	for (int i = 0; i < 100 && !got; i++)
		sleep_ms(10);
	yes("ABSTIME in the past: SIGALRM at once", got == 1);
	printf("si_code %d, si_timerid is the id: %s, sival_int is the id: %s\n", got_code,
	       got_id == pid_ ? "yes" : "no", (int)got_value == pid_ ? "yes" : "no");
	tget(pid_, &o);
	printf("after it fired: value %lld\n", ns(&o.value));
}

static void signals(void)
{
	catch(SIGUSR1);
	struct ksigevent e = sev(SIGEV_SIGNAL, SIGUSR1, 1234);
	int id;
	tcreate(CLOCK_MONOTONIC, &e, &id);
	struct kspec s = { { 0, 0 }, { 0, 100000000 } };
	long long t0 = now_ns(CLOCK_MONOTONIC);
	tset(id, 0, &s, NULL);
	while (!got)
		pause();
	long long dt = now_ns(CLOCK_MONOTONIC) - t0;
	yes("SIGUSR1 after >= 100 ms", dt >= 100000000);
	yes("and within 2 s", dt < 2000000000);
	printf("signo %d si_code %d si_timerid is the id: %s si_overrun %d si_value %ld\n", got_sig, got_code,
	       got_id == id ? "yes" : "no", got_overrun, got_value);

	/* interval 10 ms, the signal blocked for 200 ms: one signal, about 19 overruns */
	int rt = SIGRTMIN + 2;
	catch(rt);
	block(rt, SIG_BLOCK);
	e = sev(SIGEV_SIGNAL, rt, 77);
	int iid;
	tcreate(CLOCK_MONOTONIC, &e, &iid);
	got = 0;
	s = (struct kspec){ { 0, 10000000 }, { 0, 10000000 } };
	tset(iid, 0, &s, NULL);
	sleep_ms(205);
	struct kspec o;
	tget(iid, &o);
	yes("while pending: value in (0, 10 ms]", ns(&o.value) > 0 && ns(&o.value) <= 10000000);
	show("getoverrun before the signal is taken", sys1(SYS_timer_getoverrun, iid));
	block(rt, SIG_UNBLOCK);
	s = (struct kspec){ { 0, 0 }, { 0, 0 } };
	tset(iid, 0, &s, NULL);
	yes("one signal", got == 1);
	yes("si_overrun in [10, 60]", got_overrun >= 10 && got_overrun <= 60);
	long orun = sys1(SYS_timer_getoverrun, iid);
	printf("getoverrun after a settime: %ld\n", orun);

	/* sigwaitinfo takes it too: the overrun is the same for getoverrun */
	block(rt, SIG_BLOCK);
	s = (struct kspec){ { 0, 10000000 }, { 0, 10000000 } };
	tset(iid, 0, &s, NULL);
	sleep_ms(105);
	sigset_t w;
	sigemptyset(&w);
	sigaddset(&w, rt);
	siginfo_t si;
	int r = sigwaitinfo(&w, &si);
	orun = sys1(SYS_timer_getoverrun, iid);
	s = (struct kspec){ { 0, 0 }, { 0, 0 } };
	tset(iid, 0, &s, NULL);
	yes("sigwaitinfo took it", r == rt);
	yes("si_overrun in [5, 40]", si.si_overrun >= 5 && si.si_overrun <= 40);
	yes("getoverrun equals si_overrun", orun == si.si_overrun);
	printf("si_value %d\n", si.si_value.sival_int);

	/* DELAYTIMER_MAX: a 1 ns interval, blocked for 2.5 s, is more than INT_MAX periods */
	s = (struct kspec){ { 0, 1 }, { 0, 1 } };
	tset(iid, 0, &s, NULL);
	sleep_ms(2500);
	r = sigwaitinfo(&w, &si);
	orun = sys1(SYS_timer_getoverrun, iid);
	tdel(iid);
	printf("1 ns interval: si_overrun %d getoverrun %ld\n", si.si_overrun, orun);
	signal(rt, SIG_IGN); /* a signal queued again since is dropped */
	catch(rt);
	/* the signal of a deleted timer stays pending */
	e = sev(SIGEV_SIGNAL, rt, 5);
	tcreate(CLOCK_MONOTONIC, &e, &iid);
	s = (struct kspec){ { 0, 0 }, { 0, 1000000 } };
	tset(iid, 0, &s, NULL);
	sleep_ms(50);
	show("delete with its signal pending", tdel(iid));
	got = 0;
	block(rt, SIG_UNBLOCK);
	yes("the signal still arrives", got == 1 && got_code == SI_TIMER_CODE);
	/* an ignored signal does not stop an interval timer: a handler set later gets it */
	signal(SIGUSR2, SIG_IGN);
	e = sev(SIGEV_SIGNAL, SIGUSR2, 0);
	tcreate(CLOCK_MONOTONIC, &e, &iid);
	s = (struct kspec){ { 0, 20000000 }, { 0, 20000000 } };
	tset(iid, 0, &s, NULL);
	sleep_ms(100);
	got = 0;
	catch(SIGUSR2);
	for (int i = 0; i < 100 && !got; i++)
		sleep_ms(10);
	tdel(iid);
	yes("ignored, then caught: delivered", got >= 1);
	/* SIGEV_THREAD_ID: to this thread */
	e = sev(SIGEV_THREAD_ID, SIGUSR1, 9);
	e.tid = (int)sys0(SYS_gettid);
	tcreate(CLOCK_MONOTONIC, &e, &iid);
	block(SIGUSR1, SIG_BLOCK);
	s = (struct kspec){ { 0, 0 }, { 0, 10000000 } };
	tset(iid, 0, &s, NULL);
	sleep_ms(50);
	sigset_t p;
	sigpending(&p);
	yes("SIGEV_THREAD_ID: pending", sigismember(&p, SIGUSR1));
	got = 0;
	block(SIGUSR1, SIG_UNBLOCK);
	printf("delivered %d, si_value %ld\n", got, got_value);
}

static void spin_cpu_ms(long ms)
{
	long long end = now_ns(CLOCK_PROCESS_CPUTIME_ID) + ms * 1000000LL;
	while (now_ns(CLOCK_PROCESS_CPUTIME_ID) < end && !got)
		;
}

static void cpu_timers(void)
{
	catch(SIGUSR1);
	struct ksigevent e = sev(SIGEV_SIGNAL, SIGUSR1, 3);
	int id;
	show("create(PROCESS_CPUTIME_ID, SIGUSR1)", tcreate(CLOCK_PROCESS_CPUTIME_ID, &e, &id));
	struct kspec s = { { 0, 0 }, { 0, 50000000 } }, o;
	tset(id, 0, &s, NULL);
	tget(id, &o);
	yes("value in (40 ms, 50 ms]", ns(&o.value) > 40000000 && ns(&o.value) <= 50000000);
	long long c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	spin_cpu_ms(5000);
	long long used = now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0;
	yes("SIGUSR1 after >= 45 ms of CPU time", got == 1 && used >= 45000000);
	printf("si_code %d si_value %ld\n", got_code, got_value);
	tget(id, &o);
	printf("after it fired: value %lld\n", ns(&o.value));
	/* sleeping uses no CPU time */
	got = 0;
	tset(id, 0, &s, NULL);
	sleep_ms(200);
	yes("asleep: no signal", got == 0);
	tget(id, &o);
	yes("asleep: value still in (40 ms, 50 ms]", ns(&o.value) > 40000000 && ns(&o.value) <= 50000000);
	tdel(id);
	/* a thread clock timer with an interval */
	e = sev(SIGEV_SIGNAL, SIGUSR1, 4);
	tcreate(CLOCK_THREAD_CPUTIME_ID, &e, &id);
	s = (struct kspec){ { 0, 20000000 }, { 0, 20000000 } };
	tset(id, 0, &s, NULL);
	got = 0;
	long long t0 = now_ns(CLOCK_MONOTONIC);
	while (got < 3 && now_ns(CLOCK_MONOTONIC) - t0 < 20000000000LL)
		;
	tdel(id);
	yes("thread clock, 20 ms interval: 3 signals", got >= 3);
	/* ABSTIME on a CPU clock, already past: at once */
	e = sev(SIGEV_SIGNAL, SIGUSR1, 5);
	tcreate(CLOCK_PROCESS_CPUTIME_ID, &e, &id);
	s = (struct kspec){ { 0, 0 }, { 0, 1 } };
	got = 0;
	tset(id, TIMER_ABSTIME, &s, NULL);
	yes("CPU ABSTIME past: delivered at once", got == 1);
	/* a child's process clock; after the child is reaped, settime says ESRCH */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		sleep_ms(200);
		_exit(0);
	}
	int cid;
	show("create(child's process clock)", tcreate((int)((~(unsigned)c << 3) | 2), NULL, &cid));
	waitpid(c, NULL, 0);
	s = (struct kspec){ { 0, 0 }, { 1, 0 } };
	show("settime after the child is reaped", tset(cid, 0, &s, NULL));
	show("gettime after the child is reaped", tget(cid, &o));
	printf("value %lld interval %lld\n", ns(&o.value), ns(&o.interval));
	show("delete", tdel(cid));
}

static void limits(void)
{
	struct rlimit rl = { 4, 4 };
	setrlimit(RLIMIT_SIGPENDING, &rl);
	int id, n = 0;
	long r;
	while (!is_err(r = tcreate(CLOCK_MONOTONIC, NULL, &id)) && n < 100)
		n++;
	printf("RLIMIT_SIGPENDING 4: %d timers, then %s\n", n, errname((int)-r));
	show("delete the last", tdel(id));
	create_show("create again", CLOCK_MONOTONIC, NULL);
}

static void fork_exec(void)
{
	int id;
	struct ksigevent e = sev(SIGEV_SIGNAL, SIGUSR2, 0);
	tcreate(CLOCK_MONOTONIC, &e, &id);
	tcreate(CLOCK_MONOTONIC, NULL, &id);
	struct kspec s = { { 0, 0 }, { 5, 0 } }, o;
	tset(id, 0, &s, NULL);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		show("forked child: gettime(1)", tget(1, &o));
		create_show("forked child: create", CLOCK_MONOTONIC, NULL);
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	show("parent: gettime(1)", tget(1, &o));
	/* timer 0's SIGUSR2 pending (blocked) at execve goes */
	block(SIGUSR2, SIG_BLOCK);
	s = (struct kspec){ { 0, 0 }, { 0, 1000000 } };
	tset(0, 0, &s, NULL);
	sleep_ms(50);
	sigset_t p;
	sigpending(&p);
	yes("before execve: SIGUSR2 pending", sigismember(&p, SIGUSR2));
	char *argv[] = { "/prog", "exec", NULL };
	execv("/proc/self/exe", argv);
	printf("execv failed\n");
}

static void run(const char *title, void (*fn)(void))
{
	printf("-- %s\n", title);
	int st = child_status(fn);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("child status %#x\n", st);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "exec")) {
		struct kspec o;
		show("after execve: gettime(0)", tget(0, &o));
		show("after execve: gettime(1)", tget(1, &o));
		create_show("after execve: create", CLOCK_MONOTONIC, NULL);
		sigset_t p;
		sigpending(&p);
		yes("after execve: SIGUSR2 pending", sigismember(&p, SIGUSR2));
		return 0;
	}
	run("ids and errors", ids_and_errors);
	run("values", values);
	run("signals", signals);
	run("CPU clocks", cpu_timers);
	run("RLIMIT_SIGPENDING", limits);
	run("fork and execve", fork_exec);
	return 0;
}
