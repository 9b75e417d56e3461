/* pgrpkill: signals and waits by process group, and orphaned process groups (issue 16, item 2).
 *
 * - kill(0, sig) reaches every process of the caller's group and no other; kill(-pgid, sig)
 *   every process of group pgid, with SI_USER and the sender's pid; ESRCH for a group with no
 *   process, EINVAL for a bad signal only when the group exists (Linux checks the signal per
 *   process);
 * - wait4(0, ...) waits for children in the caller's group, wait4(-pgid, ...) for children in
 *   group pgid: ECHILD when no child is in it, even when other children exist;
 * - a process group that becomes orphaned (no member has a parent in another group of the same
 *   session) while a member is stopped gets SIGHUP then SIGCONT from the kernel (SI_KERNEL);
 *   a group without a stopped member gets nothing;
 * - in an orphaned group SIGTSTP, SIGTTIN and SIGTTOU with their default action are discarded
 *   (the process goes on), SIGSTOP still stops.
 *
 * Everything runs in a forked child that makes a session of its own; no pid is printed.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#ifndef PR_SET_CHILD_SUBREAPER
#define PR_SET_CHILD_SUBREAPER 36
#endif
#define NOPID 0x7fffffff

/* Shared between the test processes (MAP_SHARED survives fork). */
struct box {
	volatile int ready[4];
	volatile int got[4];
	volatile int code[4];
	volatile int from_sender[4];
	volatile int quit;
	volatile int sender;
	volatile int qpid;
	volatile int nlog;
	volatile char log[64][8];
};
static struct box *box;
static int slot;

static void logit(const char *s)
{
	int n = __atomic_fetch_add(&box->nlog, 1, __ATOMIC_SEQ_CST);

	if (n < 64)
		strncpy((char *)box->log[n], s, 7);
}

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	box->got[slot]++;
	box->code[slot] = si->si_code;
	box->from_sender[slot] = si->si_pid == box->sender;
}

/* A member that counts SIGUSR1 until told to quit. */
static pid_t start_member(int s, int own_group)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct sigaction sa = { 0 };
		slot = s;
		sa.sa_sigaction = on_usr1;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGUSR1, &sa, NULL);
		if (own_group)
			sys2(SYS_setpgid, 0, 0);
		box->ready[s] = 1;
		for (int i = 0; i < 500 && !box->quit; i++)
			sleep_ms(10);
		_exit(0);
	}
	while (!box->ready[s])
		sleep_ms(5);
	return pid;
}

static void reset(void)
{
	memset((void *)box, 0, sizeof(*box));
	box->sender = getpid();
}

/* Waits until the members in want got their signal (or 2 s), then a little for the others. */
static void settle(int want)
{
	for (int i = 0; i < 200; i++) {
		int ok = 1;
		for (int s = 0; s < 4; s++)
			if ((want & (1 << s)) && !box->got[s])
				ok = 0;
		if (ok)
			break;
		sleep_ms(10);
	}
	sleep_ms(100);
}

static void print_got(const char *what)
{
	printf("%s: got", what);
	for (int s = 0; s < 4; s++)
		printf(" %c=%d", 'A' + s, box->got[s]);
	printf("\n");
}

static void finish(pid_t *pids, int n)
{
	box->quit = 1;
	for (int i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
}

/* kill(0) and kill(-pgid): who gets the signal, and the errors. */
static void case_kill(void)
{
	pid_t pids[3];

	sys2(SYS_setpgid, 0, 0); /* a group of our own, the leader stays out of it */
	signal(SIGUSR1, SIG_IGN); /* the caller is in the group too: it ignores the signal */
	reset();
	pids[0] = start_member(0, 0); /* A: the caller's group */
	pids[1] = start_member(1, 0); /* B: the caller's group */
	pids[2] = start_member(2, 1); /* C: a group of its own */
	show("issue 16 item 2: kill(0, SIGUSR1)", sys2(SYS_kill, 0, SIGUSR1));
	settle(3);
	print_got("  after kill(0)");
	printf("  A's si_code %s, si_pid == sender: %d\n",
	       box->code[0] == SI_USER ? "SI_USER" : "other", box->from_sender[0]);
	show("  kill(-C, SIGUSR1)", sys2(SYS_kill, -pids[2], SIGUSR1));
	settle(7);
	print_got("  after kill(-C)");
	printf("  C's si_code %s, si_pid == sender: %d\n",
	       box->code[2] == SI_USER ? "SI_USER" : "other", box->from_sender[2]);
	show("  kill(-own pgid, SIGUSR1)", sys2(SYS_kill, -getpgrp(), SIGUSR1));
	settle(3);
	print_got("  after kill(-own pgid)");
	show("  kill(-C, 0)", sys2(SYS_kill, -pids[2], 0));
	show("  kill(0, 0)", sys2(SYS_kill, 0, 0));
	show("  kill(-A, 0) (A leads no group)", sys2(SYS_kill, -pids[0], 0));
	show("  kill(-nonexistent, 0)", sys2(SYS_kill, -NOPID, 0));
	show("  kill(-nonexistent, SIGUSR1)", sys2(SYS_kill, -NOPID, SIGUSR1));
	show("  kill(-nonexistent, 99) (no group: ESRCH first)", sys2(SYS_kill, -NOPID, 99));
	show("  kill(-C, 99)", sys2(SYS_kill, -pids[2], 99));
	show("  kill(0, 99)", sys2(SYS_kill, 0, 99));
	show("  kill(0, -1)", sys2(SYS_kill, 0, -1));
	show("  kill(INT_MIN, 0)", sys2(SYS_kill, (int)0x80000000, 0));
	finish(pids, 3);
	show("  kill(-C, 0) after C is reaped", sys2(SYS_kill, -pids[2], 0));
}

/* wait4 by group: 0 is the caller's group, -pgid another. */
static void case_wait(void)
{
	int st = 0;
	pid_t pids[2];

	sys2(SYS_setpgid, 0, 0);
	reset();
	pids[0] = start_member(0, 0); /* A: the caller's group */
	pids[1] = start_member(1, 1); /* B: a group of its own */
	show("issue 16 item 2: wait4(-B, WNOHANG) while B runs", sys4(SYS_wait4, -pids[1], 0,
									WNOHANG, 0));
	show("  wait4(-nonexistent, WNOHANG)", sys4(SYS_wait4, -NOPID, 0, WNOHANG, 0));
	show("  wait4(-A, WNOHANG) (A leads no group)", sys4(SYS_wait4, -pids[0], 0, WNOHANG, 0));
	box->quit = 1;
	long r = sys4(SYS_wait4, -pids[1], (long)&st, 0, 0);
	printf("  wait4(-B): %s, exited %d\n", r == pids[1] ? "B" : r == pids[0] ? "A" : "other",
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	show("  wait4(-B) again", sys4(SYS_wait4, -pids[1], 0, 0, 0));
	r = sys4(SYS_wait4, 0, (long)&st, 0, 0);
	printf("  wait4(0): %s\n", r == pids[0] ? "A" : r == pids[1] ? "B" : "other");
	show("  wait4(0) again", sys4(SYS_wait4, 0, 0, 0, 0));

	/* Only a child of another group: wait4(0) has nothing to wait for. */
	reset();
	pids[0] = start_member(0, 1);
	show("  wait4(0, WNOHANG), the only child in another group", sys4(SYS_wait4, 0, 0, WNOHANG,
									  0));
	/* A child the caller moves into a group of its own leaves wait4(0)'s view. */
	pids[1] = start_member(1, 0);
	show("  setpgid(child, 0)", sys2(SYS_setpgid, pids[1], 0));
	show("  wait4(0, WNOHANG) after it", sys4(SYS_wait4, 0, 0, WNOHANG, 0));
	show("  wait4(-1, WNOHANG)", sys4(SYS_wait4, -1, 0, WNOHANG, 0));
	finish(pids, 2);
}

static void on_hup_cont(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGHUP)
		logit(si->si_code == SI_KERNEL ? "HUP/K" : "HUP/?");
	else
		logit(si->si_code == SI_KERNEL ? "CONT/K" : "CONT/?");
}

/* The stopped (or not) member Q of a group whose only outside link is its parent P. */
static void member_q(int stop)
{
	struct sigaction sa = { 0 };

	sa.sa_sigaction = on_hup_cont;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask); /* one handler at a time: the log shows the order they ran */
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	sys2(SYS_setpgid, 0, 0);
	box->qpid = getpid();
	if (stop) {
		kill(getpid(), SIGSTOP);
		logit("resumed");
		/* Now orphaned: job-control stops are discarded, SIGSTOP is not. */
		kill(getpid(), SIGTSTP);
		logit("TSTP");
		kill(getpid(), SIGTTIN);
		logit("TTIN");
		kill(getpid(), SIGTTOU);
		logit("TTOU");
		kill(getpid(), SIGSTOP);
		logit("STOP");
	} else {
		while (!box->quit)
			sleep_ms(10);
	}
	_exit(0);
}

/* Waits (up to 3 s) for a wait4 result of pid with options; 0 on timeout. */
static long wait_for(pid_t pid, int *st, int options)
{
	for (int i = 0; i < 300; i++) {
		long r = sys4(SYS_wait4, pid, (long)st, options | WNOHANG, 0);
		if (r)
			return r;
		sleep_ms(10);
	}
	return 0;
}

static void print_log(const char *what)
{
	printf("%s:", what);
	for (int i = 0; i < box->nlog && i < 64; i++)
		printf(" %s", (const char *)box->log[i]);
	printf("\n");
}

/*
 * T (a subreaper, in its own session) has P, which makes a session of its own and forks Q,
 * which leads group Q in P's session. When P exits, Q goes to T, in another session: group Q
 * is orphaned.
 */
static void orphan_case(int stop)
{
	int st = 0;

	reset();
	sys2(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		sys0(SYS_setsid);
		pid_t q = fork();
		if (q == 0)
			member_q(stop);
		if (stop) {
			long r = wait_for(q, &st, WUNTRACED);
			box->ready[0] = r == q && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP;
		} else {
			while (!box->qpid)
				sleep_ms(5);
			box->ready[0] = 1;
		}
		_exit(0); /* Q's group loses its link: P's session has no other group */
	}
	waitpid(p, &st, 0);
	printf("  P saw Q %s, P exited %d\n", stop ? "stopped" : "running", WEXITSTATUS(st));
	pid_t q = box->qpid;
	if (stop) {
		long r = wait_for(q, &st, WUNTRACED);
		if (r == q && WIFSTOPPED(st))
			printf("  T: Q stopped again by %s\n",
			       WSTOPSIG(st) == SIGSTOP ? "SIGSTOP" : "another signal");
		else
			printf("  T: Q did not stop again\n");
		kill(q, SIGCONT);
	} else {
		sleep_ms(200); /* time for a wrong SIGHUP to arrive */
		box->quit = 1;
	}
	long r = wait_for(q, &st, 0);
	if (r != q) {
		printf("  T: Q did not exit, killing it\n");
		kill(q, SIGKILL);
		waitpid(q, &st, 0);
	} else {
		printf("  T: Q %s %d\n", WIFEXITED(st) ? "exited" : "killed by",
		       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	}
	print_log("  Q's log");
}

static void case_orphan_stopped(void)
{
	printf("issue 16 item 2: orphaned group with a stopped member\n");
	orphan_case(1);
}

static void case_orphan_running(void)
{
	printf("issue 16 item 2: orphaned group without a stopped member\n");
	orphan_case(0);
}

/* Control: in a group that is not orphaned, SIGTSTP stops as before. */
static void case_not_orphaned(void)
{
	int st = 0;

	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		sys2(SYS_setpgid, 0, 0); /* parent in another group of the same session */
		kill(getpid(), SIGTSTP);
		_exit(0);
	}
	long r = wait_for(c, &st, WUNTRACED);
	printf("issue 16 item 2: SIGTSTP in a group that is not orphaned: %s\n",
	       r == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP ? "stopped" : "not stopped");
	kill(c, SIGCONT);
	waitpid(c, &st, 0);
}

static void run(const char *name, void (*fn)(void))
{
	int st = child_status(fn);

	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("%s: case process status %#x\n", name, st);
}

static void leader(void)
{
	sys0(SYS_setsid);
	run("kill", case_kill);
	run("wait", case_wait);
	run("orphan_stopped", case_orphan_stopped);
	run("orphan_running", case_orphan_running);
	run("not_orphaned", case_not_orphaned);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	box = mmap(NULL, sizeof(*box), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (box == MAP_FAILED)
		return 90;
	int st = child_status(leader);
	printf("leader: status %#x\n", st);
	return 0;
}
