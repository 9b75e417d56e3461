/* sigtimedwait: rt_sigtimedwait (128), rt_sigqueueinfo (129) and rt_tgsigqueueinfo (297) with raw
 * calls, and the queueing of real-time signals (docs/signals.md). rt_sigtimedwait: its EINVAL
 * (sigsetsize, timespec) and EFAULT cases, a zero and a short timeout (EAGAIN), a pending signal
 * taken at once with the whole 128-byte siginfo written, EINTR when another signal runs its
 * handler, SIGKILL/SIGSTOP left out of the set. sigqueue: each instance of a real-time signal is
 * kept and taken in order (lowest number first), a standard one only once; RLIMIT_SIGPENDING
 * (EAGAIN for a queued real-time signal past it, lost siginfo for others; the count given back
 * when a process with queued signals exits, status's SigQ: count). rt_sigqueueinfo/rt_tgsigqueueinfo: EPERM for
 * si_code >= 0 or SI_TKILL to another task, ESRCH, EINVAL, EFAULT, E2BIG for an unknown si_code
 * with bytes past the kernel's siginfo, the value reaching the receiver. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define BAD ((void *)8)

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

static uint64_t set_of(int a, int b)
{
	uint64_t s = 0;
	if (a)
		s |= 1ULL << (a - 1);
	if (b)
		s |= 1ULL << (b - 1);
	return s;
}

static long tw(uint64_t set, siginfo_t *si, long sec, long nsec)
{
	struct timespec ts = { sec, nsec };
	return sys4(SYS_rt_sigtimedwait, (long)&set, (long)si, sec < 0 && nsec < 0 ? 0 : (long)&ts,
		    8);
}

static long queue(int pid, int sig, int code, int value)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = sig;
	si.si_code = code;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = value;
	return sys3(SYS_rt_sigqueueinfo, pid, sig, (long)&si);
}

static long tgqueue(int tgid, int tid, int sig, int code, int value)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_code = code;
	si.si_pid = getpid();
	si.si_value.sival_int = value;
	return sys4(SYS_rt_tgsigqueueinfo, tgid, tid, sig, (long)&si);
}

/* Takes one signal of set at once and prints what it was. */
static void take(const char *what, uint64_t set)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	long r = tw(set, &si, 0, 0);
	if (r < 0) {
		show(what, r);
		return;
	}
	printf("%s: SIGRTMIN%+ld si_code %d value %d si_pid is mine %s\n", what, r - SIGRTMIN,
	       si.si_code, si.si_value.sival_int, yes(si.si_pid == getpid()));
}

static volatile int usr2_hits;
static void on_usr2(int sig)
{
	(void)sig;
	usr2_hits++;
}

static void block_all(void)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
}

static void errors(void)
{
	uint64_t set = set_of(SIGUSR1, 0);
	struct timespec ts = { 0, 0 };
	siginfo_t si;

	show("sigtimedwait sigsetsize 7", sys4(SYS_rt_sigtimedwait, (long)&set, 0, (long)&ts, 7));
	show("sigtimedwait sigsetsize 16", sys4(SYS_rt_sigtimedwait, (long)&set, 0, (long)&ts, 16));
	show("sigtimedwait set unreadable", sys4(SYS_rt_sigtimedwait, (long)BAD, 0, (long)&ts, 8));
	show("sigtimedwait timespec unreadable",
	     sys4(SYS_rt_sigtimedwait, (long)&set, 0, (long)BAD, 8));
	show("sigtimedwait tv_nsec 1000000000", tw(set, &si, 0, 1000000000));
	show("sigtimedwait tv_nsec -1", tw(set, &si, 0, -1));
	show("sigtimedwait tv_sec -1", tw(set, &si, -1, 0));
	show("sigtimedwait timeout 0, nothing pending", tw(set, &si, 0, 0));
	show("sigtimedwait SIGKILL|SIGSTOP only, timeout 0", tw(set_of(SIGKILL, SIGSTOP), &si, 0, 0));
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	long r = tw(set, &si, 0, 50000000);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	show("sigtimedwait 50 ms", r);
	printf("sigtimedwait 50 ms: waited at least 45 ms: %s\n", yes(ms >= 45));
}

static void taking(void)
{
	unsigned char buf[128];
	siginfo_t *si = (siginfo_t *)buf;
	sigset_t pend;

	sys2(SYS_tkill, (long)sys0(SYS_gettid), SIGUSR1);
	memset(buf, 0xaa, sizeof buf);
	long r = tw(set_of(SIGUSR1, SIGUSR2), si, -1, -1);
	int zero = 1;
	for (int i = 48; i < 128; i++)
		zero &= buf[i] == 0;
	printf("pending SIGUSR1 taken with no timeout: %ld, si_signo %d, si_code SI_TKILL %s, "
	       "si_pid mine %s, bytes 48..127 zeroed %s\n",
	       r, si->si_signo, yes(si->si_code == SI_TKILL), yes(si->si_pid == getpid()), yes(zero));
	kill(getpid(), SIGUSR2);
	show("pending SIGUSR2 taken, siginfo NULL", tw(set_of(SIGUSR1, SIGUSR2), NULL, 0, 0));
	kill(getpid(), SIGUSR1);
	show("siginfo unwritable", tw(set_of(SIGUSR1, 0), BAD, 0, 0));
	sigpending(&pend);
	printf("the signal is taken all the same: %s\n", yes(!sigismember(&pend, SIGUSR1)));
}

static void interrupted(void)
{
	struct sigaction sa;
	sigset_t s;
	siginfo_t si;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	pid_t c = fork();
	if (c == 0) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	long r = tw(set_of(SIGUSR1, 0), &si, 5, 0);
	show("sigtimedwait(SIGUSR1) while SIGUSR2's handler runs", r);
	printf("handler ran: %d\n", usr2_hits);
	waitpid(c, NULL, 0);
	sigprocmask(SIG_BLOCK, &s, NULL);
	/* A signal that comes during the wait, from another process. */
	c = fork();
	if (c == 0) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
		queue(getppid(), SIGRTMIN + 4, SI_QUEUE, 77);
		_exit(0);
	}
	memset(&si, 0, sizeof si);
	r = tw(set_of(SIGRTMIN + 4, 0), &si, 5, 0);
	printf("sigtimedwait until another process queues SIGRTMIN+4: %s, value %d, si_code "
	       "SI_QUEUE %s\n",
	       yes(r == SIGRTMIN + 4), si.si_value.sival_int, yes(si.si_code == SI_QUEUE));
	waitpid(c, NULL, 0);
}

/* The count of queued signals /proc/self/status shows (SigQ:'s first number). */
static long sigq(void)
{
	char b[4096];
	long n = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(b, sizeof b, f))
		if (!strncmp(b, "SigQ:", 5))
			n = strtol(b + 6, NULL, 10);
	if (f)
		fclose(f);
	return n;
}

static void queueing(void)
{
	uint64_t rt = set_of(SIGRTMIN + 1, SIGRTMIN + 2);
	sigset_t pend;

	for (int v = 1; v <= 3; v++)
		show("sigqueue SIGRTMIN+1", queue(getpid(), SIGRTMIN + 1, SI_QUEUE, v));
	show("sigqueue SIGRTMIN+2", queue(getpid(), SIGRTMIN + 2, SI_QUEUE, 20));
	show("sigqueue SIGRTMIN+1", queue(getpid(), SIGRTMIN + 1, SI_QUEUE, 4));
	printf("SigQ: %ld queued\n", sigq());
	for (int i = 0; i < 5; i++) {
		take("take", rt);
		sigpending(&pend);
		printf("  SIGRTMIN+1 still pending: %s\n", yes(sigismember(&pend, SIGRTMIN + 1)));
	}
	take("take", rt);
	show("sigqueue SIGUSR1 value 7", queue(getpid(), SIGUSR1, SI_QUEUE, 7));
	show("sigqueue SIGUSR1 value 8", queue(getpid(), SIGUSR1, SI_QUEUE, 8));
	siginfo_t si;
	memset(&si, 0, sizeof si);
	long r = tw(set_of(SIGUSR1, 0), &si, 0, 0);
	printf("SIGUSR1 taken: %ld value %d\n", r, si.si_value.sival_int);
	show("SIGUSR1 again", tw(set_of(SIGUSR1, 0), &si, 0, 0));
	/* kill() of a real-time signal queues too */
	kill(getpid(), SIGRTMIN + 1);
	kill(getpid(), SIGRTMIN + 1);
	memset(&si, 0, sizeof si);
	r = tw(rt, &si, 0, 0);
	printf("kill twice: first %s SI_USER %s, ", yes(r == SIGRTMIN + 1), yes(si.si_code == SI_USER));
	r = tw(rt, &si, 0, 0);
	printf("second %s, third ", yes(r == SIGRTMIN + 1));
	show("", tw(rt, &si, 0, 0));
}

static void limits(void)
{
	struct rlimit old, lim = { 3, 3 };
	uint64_t rt = set_of(SIGRTMIN + 1, SIGRTMIN + 3);
	siginfo_t si;

	/* A child queues signals it never takes and exits: the count comes back. */
	pid_t c = fork();
	if (c == 0) {
		for (int i = 0; i < 3; i++)
			queue(getpid(), SIGRTMIN + 1, SI_QUEUE, i);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	getrlimit(RLIMIT_SIGPENDING, &old);
	setrlimit(RLIMIT_SIGPENDING, &lim);
	for (int v = 1; v <= 4; v++)
		show("RLIMIT_SIGPENDING 3: sigqueue SIGRTMIN+1", queue(getpid(), SIGRTMIN + 1, SI_QUEUE, v));
	show("past it: kill SIGRTMIN+3", kill(getpid(), SIGRTMIN + 3) ? -errno : 0);
	show("past it: sigqueue SIGUSR1", queue(getpid(), SIGUSR1, SI_QUEUE, 9));
	show("past it: tkill SIGUSR2", sys2(SYS_tkill, (long)sys0(SYS_gettid), SIGUSR2));
	show("past it: sigqueue SIGRTMIN+3 with si_code SI_USER", queue(getpid(), SIGRTMIN + 3, SI_USER, 5));
	for (int i = 0; i < 3; i++)
		take("take", rt);
	memset(&si, 0xff, sizeof si);
	long r = tw(rt, &si, 0, 0);
	printf("SIGRTMIN+3 without its siginfo: %s si_code SI_USER %s si_pid %d si_uid %d\n",
	       yes(r == SIGRTMIN + 3), yes(si.si_code == SI_USER), si.si_pid, (int)si.si_uid);
	show("only once", tw(rt, &si, 0, 0));
	memset(&si, 0xff, sizeof si);
	r = tw(set_of(SIGUSR1, SIGUSR2), &si, 0, 0);
	printf("SIGUSR1 without its siginfo: %s si_code SI_USER %s si_pid %d value %d\n",
	       yes(r == SIGUSR1), yes(si.si_code == SI_USER), si.si_pid, si.si_value.sival_int);
	memset(&si, 0xff, sizeof si);
	r = tw(set_of(SIGUSR1, SIGUSR2), &si, 0, 0);
	printf("SIGUSR2 without its siginfo: %s si_code SI_USER %s si_pid %d\n", yes(r == SIGUSR2),
	       yes(si.si_code == SI_USER), si.si_pid);
	show("room again: sigqueue SIGRTMIN+1", queue(getpid(), SIGRTMIN + 1, SI_QUEUE, 1));
	take("take", rt);
	setrlimit(RLIMIT_SIGPENDING, &old);
}

static void sigqueue_errors(void)
{
	siginfo_t si;
	pid_t me = getpid(), tid = (pid_t)sys0(SYS_gettid);
	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	show("sigqueueinfo si_code SI_USER to another process", queue(c, SIGUSR1, SI_USER, 0));
	show("sigqueueinfo si_code SI_TKILL to another process", queue(c, SIGUSR1, SI_TKILL, 0));
	show("sigqueueinfo si_code SI_KERNEL to another process", queue(c, SIGUSR1, SI_KERNEL, 0));
	show("sigqueueinfo si_code SI_QUEUE to another process, signal 0", queue(c, 0, SI_QUEUE, 0));
	show("sigqueueinfo pid 0", queue(0, SIGUSR1, SI_QUEUE, 0));
	show("sigqueueinfo pid -1", queue(-1, SIGUSR1, SI_QUEUE, 0));
	show("sigqueueinfo pid 0 si_code SI_USER", queue(0, SIGUSR1, SI_USER, 0));
	show("sigqueueinfo pid 99999", queue(99999, SIGUSR1, SI_QUEUE, 0));
	show("sigqueueinfo signal 65", queue(me, 65, SI_QUEUE, 0));
	show("sigqueueinfo signal -1", queue(me, -1, SI_QUEUE, 0));
	show("sigqueueinfo siginfo unreadable", sys3(SYS_rt_sigqueueinfo, me, SIGUSR1, (long)BAD));
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);

	memset(&si, 0, sizeof si);
	si.si_code = -20;
	((unsigned char *)&si)[100] = 1;
	show("sigqueueinfo si_code -20 with byte 100 set", sys3(SYS_rt_sigqueueinfo, me, SIGUSR1, (long)&si));
	si.si_code = -60; /* SI_ASYNCNL: a layout Linux knows */
	show("sigqueueinfo si_code SI_ASYNCNL with byte 100 set", sys3(SYS_rt_sigqueueinfo, me, SIGUSR1, (long)&si));
	memset(&si, 0, sizeof si);
	tw(set_of(SIGUSR1, 0), &si, 0, 0);
	printf("  taken si_code %d\n", si.si_code);
	memset(&si, 0, sizeof si);
	si.si_code = -20;
	si.si_signo = SIGUSR2; /* replaced by the signal number */
	show("sigqueueinfo si_code -20 zeros past 48", sys3(SYS_rt_sigqueueinfo, me, SIGUSR1, (long)&si));
	memset(&si, 0, sizeof si);
	long r = tw(set_of(SIGUSR1, 0), &si, 0, 0);
	printf("  taken %ld si_signo %d si_code %d\n", r, si.si_signo, si.si_code);
	show("sigqueueinfo si_code SI_USER to myself", queue(me, SIGUSR1, SI_USER, 3));
	show("sigqueueinfo si_code SEGV_MAPERR to myself", queue(me, SIGUSR2, 1, 3));
	memset(&si, 0, sizeof si);
	r = tw(set_of(SIGUSR1, SIGUSR2), &si, 0, 0);
	printf("  taken %ld si_code %d\n", r, si.si_code);
	memset(&si, 0, sizeof si);
	r = tw(set_of(SIGUSR1, SIGUSR2), &si, 0, 0);
	printf("  taken %ld si_code %d\n", r, si.si_code);

	show("tgsigqueueinfo tgid 0", tgqueue(0, tid, SIGUSR1, SI_QUEUE, 0));
	show("tgsigqueueinfo tid 0", tgqueue(me, 0, SIGUSR1, SI_QUEUE, 0));
	show("tgsigqueueinfo tid -1 si_code SI_USER", tgqueue(me, -1, SIGUSR1, SI_USER, 0));
	show("tgsigqueueinfo tid 99999 si_code SI_USER", tgqueue(me, 99999, SIGUSR1, SI_USER, 0));
	show("tgsigqueueinfo tid 99999", tgqueue(me, 99999, SIGUSR1, SI_QUEUE, 0));
	show("tgsigqueueinfo wrong tgid", tgqueue(me + 1, tid, SIGUSR1, SI_QUEUE, 0));
	show("tgsigqueueinfo signal 65", tgqueue(me, tid, 65, SI_QUEUE, 0));
	show("tgsigqueueinfo signal 0", tgqueue(me, tid, 0, SI_QUEUE, 0));
	show("tgsigqueueinfo siginfo unreadable", sys4(SYS_rt_tgsigqueueinfo, me, tid, SIGUSR1, (long)BAD));
	show("tgsigqueueinfo SIGRTMIN+1 value 5", tgqueue(me, tid, SIGRTMIN + 1, SI_QUEUE, 5));
	show("tgsigqueueinfo SIGRTMIN+1 value 6 si_code SI_TKILL", tgqueue(me, tid, SIGRTMIN + 1, SI_TKILL, 6));
	take("take", set_of(SIGRTMIN + 1, 0));
	take("take", set_of(SIGRTMIN + 1, 0));
}

int main(void)
{
	alarm(30);
	block_all();
	errors();
	taking();
	interrupted();
	queueing();
	limits();
	sigqueue_errors();
	return 0;
}
