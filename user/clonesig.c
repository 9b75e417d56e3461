/* clonesig: clone's exit signal and wait4's __WCLONE/__WALL (issue 15, item 7, "processes").
 *
 * The low byte of clone's flags (CSIGNAL) is the signal the parent gets when the child exits
 * (0: none); a "clone child" is one whose exit signal is not SIGCHLD, and wait4 sees only clone
 * children with __WCLONE, only the others without it, both with __WALL (Linux's eligible_child).
 * The signal carries SIGCHLD's siginfo (CLD_EXITED, the status); stops are still told with
 * SIGCHLD; an ignored SIGCHLD reaps only children whose exit signal is SIGCHLD; an exit signal
 * above 64 is accepted by the legacy clone and sends nothing; a parent that has exec'd since
 * gets SIGCHLD instead, and a child given to a subreaper reports with SIGCHLD (at once, if it
 * is a zombie already). The upper 32 bits of clone's flags are ignored, and a bad
 * CLONE_PARENT_SETTID pointer does not fail the clone.
 *
 * Everything runs in forked children of the program (PID 1 on Warden, not on Linux), one
 * "case" process each, so the program's own state never matters. No pid is printed.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#ifndef PR_SET_CHILD_SUBREAPER
#define PR_SET_CHILD_SUBREAPER 36
#endif

#ifndef __WCLONE
#define __WCLONE 0x80000000
#define __WALL 0x40000000
#endif
#define CLONE_PARENT_SETTID 0x00100000

/* What the handler saw, per signal: how many came, the last one's si_code and si_status. */
static volatile sig_atomic_t got_count[65], got_code[65], got_status[65], got_total;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_count[sig]++;
	got_code[sig] = si->si_code;
	got_status[sig] = si->si_status;
	got_total++;
}

static void catch(int sig)
{
	struct sigaction sa = { .sa_sigaction = on_sig, .sa_flags = SA_SIGINFO | SA_RESTART };

	sigaction(sig, &sa, NULL);
}

/* clone with flags (exit signal in the low byte) whose child exits with code at once. */
static long clone_exit(unsigned long flags, int code)
{
	long pid = sys6(SYS_clone, (long)flags, 0, 0, 0, 0, 0);
	if (pid == 0)
		sys1(SYS_exit, code);
	return pid;
}

/* wait4 as a raw call: the pid (as "child") or -errno. */
static const char *wait_str(long pid, int options, int *st)
{
	static char buf[64];
	long r = sys4(SYS_wait4, pid, (long)st, options, 0);

	if (r == pid && pid > 0)
		snprintf(buf, sizeof(buf), "child, status %#x", *st);
	else if (r > 0)
		snprintf(buf, sizeof(buf), "another child");
	else if (r == 0)
		snprintf(buf, sizeof(buf), "0");
	else
		snprintf(buf, sizeof(buf), "-1 %s", errname((int)-r));
	return buf;
}

/* Sleeps until a signal came (at most ~2 s). */
static void await_signal(void)
{
	for (int i = 0; i < 2000 && !got_total; i++)
		sleep_ms(1);
}

/* Prints every signal the handler saw since the last call, in signal order, and forgets them. */
static void show_signal(const char *what)
{
	printf("%s:", what);
	if (!got_total)
		printf(" no signal");
	for (int s = 1; s <= 64; s++) {
		if (got_count[s])
			printf(" signal %d x%d code %d status %d;", s, got_count[s], got_code[s],
			       got_status[s]);
		got_count[s] = got_code[s] = got_status[s] = 0;
	}
	got_total = 0;
	printf("\n");
}

/* Exit signal SIGUSR1: the parent's handler sees CLD_EXITED; only __WCLONE/__WALL wait for it. */
static void case_sigusr1(void)
{
	int st = 0;

	catch(SIGUSR1);
	catch(SIGCHLD);
	long pid = clone_exit(SIGUSR1, 7);
	printf("item 7: clone(SIGUSR1): %s\n", pid > 0 ? "a pid" : errname((int)-pid));
	await_signal();
	show_signal("item 7: clone(SIGUSR1) child exited");
	printf("item 7: wait4(pid, 0): %s\n", wait_str(pid, 0, &st));
	printf("item 7: wait4(-1, WNOHANG): %s\n", wait_str(-1, WNOHANG, &st));
	printf("item 7: wait4(pid, __WCLONE): %s\n", wait_str(pid, __WCLONE, &st));
	printf("item 7: wait4(-1, __WALL) after: %s\n", wait_str(-1, __WALL, &st));
}

/* Exit signal SIGCHLD: not a clone child; __WCLONE does not see it. */
static void case_sigchld(void)
{
	int st = 0;

	catch(SIGCHLD);
	long pid = clone_exit(SIGCHLD, 3);
	await_signal();
	show_signal("item 7: clone(SIGCHLD) child exited");
	printf("item 7: wait4(pid, __WCLONE): %s\n", wait_str(pid, __WCLONE, &st));
	printf("item 7: wait4(pid, __WCLONE|__WALL): %s\n",
	       wait_str(pid, __WCLONE | __WALL, &st));
}

/* Exit signal 0: no signal; a clone child; __WALL waits for it. */
static void case_zero(void)
{
	int st = 0;

	catch(SIGCHLD);
	long pid = clone_exit(0, 5);
	sleep_ms(100);
	show_signal("item 7: clone(0) child exited");
	printf("item 7: wait4(-1, 0): %s\n", wait_str(-1, 0, &st));
	printf("item 7: wait4(pid, __WALL): %s\n", wait_str(pid, __WALL, &st));
}

/* A fork child and a clone child: each wait sees its own kind. */
static void case_mixed(void)
{
	int st = 0;

	signal(SIGUSR2, SIG_IGN);
	long a = clone_exit(SIGCHLD, 1);
	long b = clone_exit(SIGUSR2, 2);
	sleep_ms(100);
	long r = sys4(SYS_wait4, -1, (long)&st, __WCLONE, 0);
	printf("item 7: wait4(-1, __WCLONE): %s, status %#x\n",
	       r == b ? "the clone child" : r == a ? "the fork child" : "?", st);
	r = sys4(SYS_wait4, -1, (long)&st, __WCLONE | WNOHANG, 0);
	printf("item 7: wait4(-1, __WCLONE|WNOHANG) again: %ld\n", r < 0 ? -1 : r);
	r = sys4(SYS_wait4, -1, (long)&st, 0, 0);
	printf("item 7: wait4(-1, 0): %s, status %#x\n",
	       r == a ? "the fork child" : r == b ? "the clone child" : "?", st);
}

/* SIGCHLD ignored: a child with exit signal SIGCHLD is reaped at once, a clone child is not. */
static void case_ignored(void)
{
	int st = 0;

	signal(SIGCHLD, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	clone_exit(SIGCHLD, 1);
	long b = clone_exit(SIGUSR1, 2);
	sleep_ms(100);
	printf("item 7: SIGCHLD ignored: wait4(-1, __WALL): %s\n", wait_str(b, __WALL, &st));
	printf("item 7: SIGCHLD ignored: again: %s\n", wait_str(-1, __WALL, &st));
}

/* A clone child's stop is told with SIGCHLD, and reported to WUNTRACED|__WCLONE. */
static void case_stop(void)
{
	int st = 0;

	catch(SIGCHLD);
	catch(SIGUSR1);
	long pid = sys6(SYS_clone, SIGUSR1, 0, 0, 0, 0, 0);
	if (pid == 0) {
		sys2(SYS_kill, sys0(SYS_getpid), SIGSTOP);
		sys1(SYS_exit, 4);
	}
	await_signal();
	show_signal("item 7: clone(SIGUSR1) child stopped");
	printf("item 7: wait4(pid, WUNTRACED): %s\n", wait_str(pid, WUNTRACED, &st));
	printf("item 7: wait4(pid, WUNTRACED|__WCLONE): %s\n",
	       wait_str(pid, WUNTRACED | __WCLONE, &st));
	kill((pid_t)pid, SIGCONT);
	printf("item 7: wait4(pid, __WCLONE): %s\n", wait_str(pid, __WCLONE, &st));
	sleep_ms(50);
	show_signal("item 7: after SIGCONT and its exit");
}

/* Exit signals above 64 (legacy clone does not check them) send nothing. */
static void case_invalid(void)
{
	int st = 0;

	catch(SIGCHLD);
	catch(64);
	for (unsigned s = 64; s <= 255; s += 191) {
		long pid = clone_exit(s, 6);
		printf("item 7: clone(exit signal %u): %s\n", s,
		       pid > 0 ? "a pid" : errname((int)-pid));
		if (pid <= 0)
			continue;
		sleep_ms(100);
		if (s == 64)
			await_signal();
		show_signal("item 7: its exit");
		printf("item 7: wait4(pid, __WCLONE): %s\n", wait_str(pid, __WCLONE, &st));
	}
	long pid = clone_exit(65, 6);
	printf("item 7: clone(exit signal 65): %s\n", pid > 0 ? "a pid" : errname((int)-pid));
	sleep_ms(100);
	show_signal("item 7: its exit");
	printf("item 7: wait4(pid, __WALL): %s\n", wait_str(pid, __WALL, &st));
}

/* Exit signal SIGKILL: the parent dies when its child exits. */
static void case_sigkill(void)
{
	clone_exit(SIGKILL, 0);
	for (int i = 0; i < 2000; i++)
		sleep_ms(1);
	printf("item 7: clone(SIGKILL): the parent is still alive\n");
}

/* The upper 32 bits of clone's flags are ignored; a bad parent_tid pointer is not an error. */
static void case_flags(void)
{
	int st = 0;

	long pid = clone_exit(0xffffffff00000000UL | SIGCHLD, 9);
	printf("item 7: clone(upper bits | SIGCHLD): %s\n", pid > 0 ? "a pid" : errname((int)-pid));
	if (pid > 0)
		printf("item 7: wait4(pid, 0): %s\n", wait_str(pid, 0, &st));
	pid = sys6(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, 1, 0, 0, 0);
	if (pid == 0)
		sys1(SYS_exit, 8);
	printf("item 7: clone(CLONE_PARENT_SETTID, bad pointer): %s\n",
	       pid > 0 ? "a pid" : errname((int)-pid));
	if (pid > 0)
		printf("item 7: wait4(pid, 0): %s\n", wait_str(pid, 0, &st));
}

/*
 * The parent execs after the clone: the child's exit signal becomes SIGCHLD (Linux's
 * parent_exec_id check), but the child is still a clone child for wait4.
 */
static void case_exec(void)
{
	int p[2];

	if (pipe(p))
		return;
	long pid = sys6(SYS_clone, SIGUSR1, 0, 0, 0, 0, 0);
	if (pid == 0) {
		char c;
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			sys1(SYS_exit, 1);
		sys1(SYS_exit, 2);
	}
	close(p[0]);
	char fd[16], cpid[32];
	snprintf(fd, sizeof(fd), "%d", p[1]);
	snprintf(cpid, sizeof(cpid), "%ld", pid);
	execl("/proc/self/exe", "clonesig", "after-exec", fd, cpid, (char *)NULL);
	printf("item 7: exec failed\n");
}

/* The exec'd image of case_exec: releases the child and sees which signal it sends. */
static int after_exec(int fd, long pid)
{
	int st = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	catch(SIGCHLD);
	catch(SIGUSR1);
	if (write(fd, "x", 1) != 1)
		return 1;
	await_signal();
	show_signal("item 7: after the parent's exec, the clone(SIGUSR1) child exited");
	printf("item 7: wait4(pid, 0): %s\n", wait_str(pid, 0, &st));
	printf("item 7: wait4(pid, __WCLONE): %s\n", wait_str(pid, __WCLONE, &st));
	return 0;
}

/*
 * A clone(SIGUSR1) zombie whose parent exits goes to the subreaper, reporting with SIGCHLD from
 * then on: the subreaper is told at once (before its exited child's own SIGCHLD, which finds
 * SIGCHLD already pending while blocked and is dropped), and wait4 without __WCLONE takes it.
 */
static void case_reparent(void)
{
	int st = 0;
	sigset_t set;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	catch(SIGCHLD);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int p[2];
	if (pipe(p))
		return;
	pid_t m = fork();
	if (m == 0) {
		signal(SIGUSR1, SIG_IGN);
		long c = clone_exit(SIGUSR1, 21);
		sleep_ms(100); /* c is a zombie now */
		if (write(p[1], &c, sizeof(c)) != sizeof(c))
			_exit(1);
		_exit(22);
	}
	long c = 0;
	if (read(p[0], &c, sizeof(c)) != sizeof(c))
		return;
	printf("item 7: the middle process: %s\n", wait_str(m, 0, &st));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	show_signal("item 7: subreaper, SIGCHLD unblocked");
	printf("item 7: the orphaned clone(SIGUSR1) zombie, wait4(pid, 0): %s\n",
	       wait_str(c, 0, &st));
}

static void run(const char *name, void (*fn)(void))
{
	int st = child_status(fn);

	if (WIFSIGNALED(st))
		printf("%s: case process killed by signal %d\n", name, WTERMSIG(st));
	else
		printf("%s: case process exited %d\n", name, WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "after-exec"))
		return after_exec(atoi(argv[2]), atol(argv[3]));
	setvbuf(stdout, NULL, _IONBF, 0);
	run("sigusr1", case_sigusr1);
	run("sigchld", case_sigchld);
	run("zero", case_zero);
	run("mixed", case_mixed);
	run("ignored", case_ignored);
	run("stop", case_stop);
	run("invalid", case_invalid);
	run("sigkill", case_sigkill);
	run("flags", case_flags);
	run("exec", case_exec);
	run("reparent", case_reparent);
	return 0;
}
