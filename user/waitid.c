/* waitid: every id type, option and error of Linux 6.1's waitid, and the siginfo it fills
 * (issue 21).
 *
 * waitid shares wait4's search (Linux's do_wait) but reports through a siginfo: si_signo
 * SIGCHLD, si_errno 0, si_code CLD_EXITED/KILLED/STOPPED/TRAPPED/CONTINUED, si_pid, si_uid and
 * si_status, and nothing else of the siginfo (the other bytes keep what they held). The same
 * six fields are written whatever the outcome: zeros when WNOHANG finds nothing and with any
 * error, so a bad infop turns even EINVAL into EFAULT. The options are checked first (unknown
 * bits, none of WEXITED/WSTOPPED/WCONTINUED: EINVAL), then the id type and id (P_PID <= 0,
 * P_PGID < 0, P_PIDFD < 0, unknown types: EINVAL; a descriptor that is no pidfd: EBADF), then
 * the children (ECHILD). WNOWAIT leaves what it reports to be reported again; the rusage is
 * copied only when a child was reported, before infop.
 *
 * Every case runs in a forked "case" process, so the program's own children never matter. No
 * pid or time is printed: a pid is compared with the child's.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#ifndef __WCLONE
#define __WCLONE 0x80000000
#define __WALL 0x40000000
#define __WNOTHREAD 0x20000000
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static unsigned char info[128];
static pid_t child;

/* Raw waitid into info, after filling it with 0xaa so that unwritten bytes show. */
static long do_waitid(long which, long id, long options, void *ru)
{
	memset(info, 0xaa, sizeof(info));
	return sys6(SYS_waitid, which, id, (long)info, options, (long)ru, 0);
}

/* The six fields waitid writes, the pid as "child", 0 or "other", and which other bytes changed.
 */
static void show_info(const char *what)
{
	int32_t f[7];
	int changed = 0;

	memcpy(f, info, sizeof(f));
	for (int i = 12; i < 16; i++)
		changed += info[i] != 0xaa;
	for (int i = 28; i < 128; i++)
		changed += info[i] != 0xaa;
	printf("%s: signo %d errno %d code %d pid %s uid %d status %#x, %d other bytes written\n",
	       what, f[0], f[1], f[2], f[4] == child ? "child" : f[4] ? "other" : "0", f[5],
	       (unsigned)f[6], changed);
}

/* A child that exits with code at once. */
static pid_t fork_exit(int code)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(code);
	return pid;
}

/* A child that waits in pause() until a signal ends it. */
static pid_t fork_pause(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/* The argument errors, in Linux's order, and what they leave in infop. */
static void errors(void)
{
	show("options 0", do_waitid(P_ALL, 0, 0, NULL));
	show_info("  info");
	show("unknown option 0x10", do_waitid(P_ALL, 0, WEXITED | 0x10, NULL));
	show("WNOWAIT alone", do_waitid(P_ALL, 0, WNOWAIT, NULL));
	show("WNOHANG alone", do_waitid(P_ALL, 0, WNOHANG, NULL));
	show("idtype 4", do_waitid(4, 0, WEXITED, NULL));
	show("idtype -1", do_waitid(-1, 0, WEXITED, NULL));
	show("P_PID 0", do_waitid(P_PID, 0, WEXITED, NULL));
	show("P_PID -1", do_waitid(P_PID, -1, WEXITED, NULL));
	show("P_PGID -1", do_waitid(P_PGID, -1, WEXITED, NULL));
	show("P_PIDFD -1", do_waitid(P_PIDFD, -1, WEXITED, NULL));
	show("P_PIDFD fd 1 (a file)", do_waitid(P_PIDFD, 1, WEXITED, NULL));
	show("P_PIDFD fd 999", do_waitid(P_PIDFD, 999, WEXITED, NULL));
	show("bad option before bad idtype", do_waitid(9, -1, 0x10, NULL));
	show("no child", do_waitid(P_ALL, 0, WEXITED, NULL));
	show_info("  info");
	show("no child, WNOHANG", do_waitid(P_ALL, 0, WEXITED | WNOHANG, NULL));
	show("no such pid", do_waitid(P_PID, 0x3fffff, WEXITED, NULL));
	show("no such group", do_waitid(P_PGID, 0x3fffff, WEXITED, NULL));
	show("own group, no child", do_waitid(P_PGID, 0, WEXITED, NULL));
	show("no child, NULL infop", sys6(SYS_waitid, P_ALL, 0, 0, WEXITED, 0, 0));
	show("EINVAL, NULL infop", sys6(SYS_waitid, P_ALL, 0, 0, 0, 0, 0));
	show("EINVAL, bad infop", sys6(SYS_waitid, P_ALL, 0, 1, 0, 0, 0));
	show("ECHILD, kernel infop", sys6(SYS_waitid, P_ALL, 0, (long)0xffff800000000000, WEXITED, 0, 0));
	show("ECHILD, bad rusage", sys6(SYS_waitid, P_ALL, 0, (long)info, WEXITED, 1, 0));
}

/* Exits and deaths by signal, each id type. */
static void exits(void)
{
	child = fork_exit(7);
	show("P_ALL exit 7", do_waitid(P_ALL, 0, WEXITED, NULL));
	show_info("  info");
	child = fork_exit(255);
	show("P_PID exit 255", do_waitid(P_PID, child, WEXITED, NULL));
	show_info("  info");
	child = fork_pause();
	kill(child, SIGKILL);
	show("P_PGID 0 SIGKILL", do_waitid(P_PGID, 0, WEXITED, NULL));
	show_info("  info");
	child = fork_pause();
	kill(child, SIGFPE); /* RLIMIT_CORE 0: no core, CLD_KILLED */
	show("P_PID SIGFPE", do_waitid(P_PID, child, WEXITED, NULL));
	show_info("  info");
	child = fork_pause();
	kill(child, SIGTERM);
	show("WEXITED|WSTOPPED|WCONTINUED SIGTERM",
	     do_waitid(P_ALL, 0, WEXITED | WSTOPPED | WCONTINUED, NULL));
	show_info("  info");
	show("then", do_waitid(P_ALL, 0, WEXITED, NULL));
}

/* A child in its own process group: P_PGID by its group, not by the caller's. */
static void groups(void)
{
	fflush(stdout);
	child = fork();
	if (child == 0) {
		setpgid(0, 0);
		pause();
		_exit(1);
	}
	setpgid(child, child);
	show("P_PGID own group, child elsewhere", do_waitid(P_PGID, 0, WEXITED | WNOHANG, NULL));
	show("P_PGID child's group, running", do_waitid(P_PGID, child, WEXITED | WNOHANG, NULL));
	show_info("  info");
	kill(child, SIGKILL);
	show("P_PGID child's group", do_waitid(P_PGID, child, WEXITED, NULL));
	show_info("  info");
	show("P_PID of the parent", do_waitid(P_PID, getppid(), WEXITED | WNOHANG, NULL));
	show("P_PID of self", do_waitid(P_PID, getpid(), WEXITED | WNOHANG, NULL));
}

/* WNOHANG and WNOWAIT with a running child and a zombie; WEXITED missing. */
static void nohang_nowait(void)
{
	struct rusage ru;

	child = fork_pause();
	show("WNOHANG, running child", do_waitid(P_ALL, 0, WEXITED | WNOHANG, NULL));
	show_info("  info");
	memset(&ru, 0xaa, sizeof(ru));
	show("WNOHANG, rusage", do_waitid(P_ALL, 0, WEXITED | WNOHANG, &ru));
	printf("  rusage untouched: %s\n", ((unsigned char *)&ru)[0] == 0xaa ? "yes" : "no");
	kill(child, SIGKILL);
	show("WNOWAIT", do_waitid(P_ALL, 0, WEXITED | WNOWAIT, NULL));
	show_info("  info");
	show("WNOWAIT again, WNOHANG", do_waitid(P_PID, child, WEXITED | WNOWAIT | WNOHANG, NULL));
	show_info("  info");
	show("zombie, WSTOPPED only, WNOHANG", do_waitid(P_ALL, 0, WSTOPPED | WNOHANG, NULL));
	show("zombie, WCONTINUED only, WNOHANG", do_waitid(P_ALL, 0, WCONTINUED | WNOHANG, NULL));
	memset(&ru, 0xaa, sizeof(ru));
	show("reap with rusage", do_waitid(P_ALL, 0, WEXITED, &ru));
	printf("  rusage written: %s, utime usec < 1e6: %s\n",
	       ((unsigned char *)&ru)[0] != 0xaa ? "yes" : "no",
	       ru.ru_utime.tv_usec < 1000000 ? "yes" : "no");
	show("then", do_waitid(P_ALL, 0, WEXITED | WNOHANG, NULL));
}

/* Stops and continues: CLD_STOPPED once (or again with WNOWAIT), then CLD_CONTINUED. */
static void stops(void)
{
	int st;

	child = fork_pause();
	kill(child, SIGSTOP);
	show("WEXITED only, stopped child, WNOHANG", do_waitid(P_ALL, 0, WEXITED | WNOHANG, NULL));
	show("WSTOPPED|WNOWAIT", do_waitid(P_ALL, 0, WSTOPPED | WNOWAIT, NULL));
	show_info("  info");
	show("WSTOPPED", do_waitid(P_PID, child, WSTOPPED, NULL));
	show_info("  info");
	show("WSTOPPED again, WNOHANG", do_waitid(P_PID, child, WSTOPPED | WNOHANG, NULL));
	show_info("  info");
	kill(child, SIGCONT);
	show("WCONTINUED|WNOWAIT", do_waitid(P_ALL, 0, WCONTINUED | WNOWAIT, NULL));
	show_info("  info");
	show("WCONTINUED", do_waitid(P_ALL, 0, WCONTINUED, NULL));
	show_info("  info");
	show("WCONTINUED again, WNOHANG", do_waitid(P_ALL, 0, WCONTINUED | WNOHANG, NULL));
	kill(child, SIGSTOP);
	show("wait4 WUNTRACED", wait4(child, &st, WUNTRACED, NULL) == child ? st : -1);
	show("waitid after wait4, WNOHANG", do_waitid(P_ALL, 0, WSTOPPED | WNOHANG, NULL));
	kill(child, SIGCONT);
	show("waitid WCONTINUED", do_waitid(P_ALL, 0, WCONTINUED, NULL));
	show("wait4 WCONTINUED after it", wait4(child, &st, WCONTINUED | WNOHANG, NULL));
	kill(child, SIGKILL);
	show("reap", do_waitid(P_ALL, 0, WEXITED, NULL));
	show_info("  info");
}

/* A traced child's stops are CLD_TRAPPED, reported without WSTOPPED. */
static void traced(void)
{
	fflush(stdout);
	child = fork();
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGUSR1);
		_exit(3);
	}
	show("traced stop, WEXITED only", do_waitid(P_PID, child, WEXITED, NULL));
	show_info("  info");
	show("again, WNOHANG", do_waitid(P_PID, child, WEXITED | WSTOPPED | WNOHANG, NULL));
	ptrace(PTRACE_CONT, child, 0, 0);
	show("exit", do_waitid(P_PID, child, WEXITED, NULL));
	show_info("  info");
}

/* A clone child (exit signal 0) is seen only with __WCLONE or __WALL. */
static void clones(void)
{
	fflush(stdout);
	child = (pid_t)sys6(SYS_clone, 0, 0, 0, 0, 0, 0);
	if (child == 0)
		sys1(SYS_exit, 4);
	show("clone child, no __WCLONE", do_waitid(P_ALL, 0, WEXITED | WNOHANG, NULL));
	show("clone child, __WCLONE|WNOWAIT", do_waitid(P_ALL, 0, WEXITED | __WCLONE | WNOWAIT, NULL));
	show_info("  info");
	show("clone child, __WALL", do_waitid(P_PID, child, WEXITED | __WALL, NULL));
	show_info("  info");
	child = fork_exit(5);
	show("fork child, __WCLONE", do_waitid(P_ALL, 0, WEXITED | __WCLONE | WNOHANG, NULL));
	show("fork child, __WNOTHREAD", do_waitid(P_ALL, 0, WEXITED | __WNOTHREAD, NULL));
	show_info("  info");
}

/* Faults: a bad rusage or infop after the child was reaped; a bad infop leaves it reaped. */
static void faults(void)
{
	child = fork_exit(6);
	sys6(SYS_waitid, P_ALL, 0, 0, WEXITED | WNOWAIT, 0, 0);
	show("bad rusage", do_waitid(P_ALL, 0, WEXITED, (void *)1));
	show_info("  info");
	show("then", do_waitid(P_ALL, 0, WEXITED | WNOHANG, NULL));
	child = fork_exit(6);
	show("bad infop", sys6(SYS_waitid, P_ALL, 0, 8, WEXITED, 0, 0));
	show("then", do_waitid(P_ALL, 0, WEXITED | WNOHANG, NULL));
	child = fork_exit(6);
	show("NULL infop", sys6(SYS_waitid, P_ALL, 0, 0, WEXITED, 0, 0) == child ? -1 : 0);
	show("then", do_waitid(P_ALL, 0, WEXITED | WNOHANG, NULL));
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A signal whose handler has no SA_RESTART ends a blocking waitid with EINTR, infop zeroed. */
static void interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	sigaction(SIGUSR1, &sa, NULL);
	pid_t parent = getpid();
	child = fork_pause();
	fflush(stdout);
	pid_t killer = fork();
	if (killer == 0) {
		sleep_ms(100);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	show("interrupted", do_waitid(P_PID, child, WEXITED, NULL));
	show_info("  info");
	kill(child, SIGKILL);
	show("reap", do_waitid(P_PID, child, WEXITED, NULL));
	show("reap the other", do_waitid(P_PID, killer, WEXITED, NULL));
}

static void run(const char *name, void (*fn)(void))
{
	printf("== %s\n", name);
	int st = child_status(fn);
	if (st)
		printf("case status %#x\n", st);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run("errors", errors);
	run("exits", exits);
	run("groups", groups);
	run("nohang_nowait", nohang_nowait);
	run("stops", stops);
	run("traced", traced);
	run("clones", clones);
	run("faults", faults);
	run("interrupted", interrupted);
	return 0;
}
