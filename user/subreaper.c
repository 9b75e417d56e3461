/* subreaper: prctl(PR_SET_CHILD_SUBREAPER) and where orphans go.
 *
 * An orphan goes to its nearest living ancestor that made itself a child
 * subreaper, else to init (PID 1); wait4(-1) collects the orphans a subreaper
 * inherited, zombies included, and says ECHILD once none is left. The flag is
 * not inherited by fork, and a process that becomes a subreaper after its
 * descendants were forked still inherits their orphans. Also PR_SET_NAME and
 * PR_GET_NAME, and prctl's errors.
 *
 * Everything runs below one child of the program (the "top"), since the
 * program is PID 1 on Warden but a child of the harness's init on Linux.
 * Processes report through exit statuses and pipes; the order in which
 * wait4(-1) returns children is not deterministic, so the statuses are
 * sorted before they are printed. No pid is printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

#ifndef PR_SET_CHILD_SUBREAPER
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#endif

/* Sleeps about a millisecond. */
static void nap(void)
{
	struct timespec ts = { 0, 1000000 };

	nanosleep(&ts, NULL);
}

/* Waits (at most ~5 s) until this process's parent is no longer old; returns the new one. */
static pid_t wait_reparented(pid_t old)
{
	for (int i = 0; i < 5000 && getppid() == old; i++)
		nap();
	return getppid();
}

/* The subreaper flag of the caller, or -1 ENAME. */
static int get_subreaper(void)
{
	int v = -1;

	if (prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0) != 0)
		return -errno;
	return v;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Collects every child with wait4(-1) until ECHILD; prints the sorted statuses. */
static void reap_all(const char *what)
{
	int st, n = 0, statuses[16];
	long r;

	while ((r = wait4(-1, &st, 0, NULL)) > 0) {
		if (n < 16)
			statuses[n++] = st;
	}
	qsort(statuses, n, sizeof(int), cmp_int);
	printf("%s: reaped %d:", what, n);
	for (int i = 0; i < n; i++)
		printf(" %#x", statuses[i]);
	printf("; then wait4(-1): -1 %s\n", errname(errno));
}

/* A child of a subreaper forks a sleeper and a quick child, then exits first. */
static void orphans_to_subreaper(void)
{
	pid_t me = getpid(), a;

	show("prctl(PR_SET_CHILD_SUBREAPER, 1)", prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	printf("PR_GET_CHILD_SUBREAPER: %d\n", get_subreaper());
	a = fork();
	if (a == 0) {
		pid_t apid = getpid();
		int inherited = get_subreaper();

		if (fork() == 0) /* B: outlives A, must end up with the subreaper */
			_exit(wait_reparented(apid) == me ? 9 : 1);
		if (fork() == 0) /* C: exits at once, a zombie when A goes */
			_exit(5);
		nap();
		_exit(inherited == 0 ? 7 : 1); /* the flag is not inherited */
	}
	reap_all("subreaper");
}

/* Nested subreapers: the nearest one inherits. */
static void nearest_subreaper(void)
{
	pid_t r = fork();

	if (r == 0) {
		pid_t rpid = getpid();

		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
		if (fork() == 0) {
			pid_t apid = getpid();

			if (fork() == 0)
				_exit(wait_reparented(apid) == rpid ? 11 : 1);
			_exit(10);
		}
		int st, n = 0, sum = 0;
		while (wait(&st) > 0) {
			n++;
			sum += WEXITSTATUS(st);
		}
		/* 2 children reaped by the inner subreaper, exit codes 10 + 11 */
		_exit(errno == ECHILD && n == 2 ? sum : 1);
	}
	reap_all("nested: outer subreaper");
}

/* Becoming a subreaper after the descendants were forked still works (the flag propagates). */
static void late_subreaper(void)
{
	int go[2];
	pid_t me = getpid();

	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	pipe(go);
	if (fork() == 0) {
		pid_t apid = getpid();
		char c;

		close(go[1]);
		read(go[0], &c, 1); /* the parent is a subreaper now */
		if (fork() == 0)
			_exit(wait_reparented(apid) == me ? 13 : 1);
		_exit(12);
	}
	close(go[0]);
	show("late prctl(PR_SET_CHILD_SUBREAPER, 1)", prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	write(go[1], "g", 1);
	close(go[1]);
	reap_all("late subreaper");
}

/* Without a subreaper, an orphan goes to init (PID 1); it reports through a pipe. */
static void orphan_to_init(void)
{
	int rep[2];
	char c = '?';

	show("prctl(PR_SET_CHILD_SUBREAPER, 0)", prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0));
	printf("PR_GET_CHILD_SUBREAPER: %d\n", get_subreaper());
	pipe(rep);
	if (fork() == 0) {
		pid_t apid = getpid();

		if (fork() == 0) {
			close(rep[0]);
			c = wait_reparented(apid) == 1 ? 'y' : 'n';
			write(rep[1], &c, 1);
			_exit(0);
		}
		_exit(14);
	}
	close(rep[1]);
	reap_all("no subreaper");
	read(rep[0], &c, 1);
	printf("orphan's parent is PID 1: %c\n", c);
}

/* prctl's errors and the process name. */
static void prctl_misc(void)
{
	char name[32];

	show("prctl(PR_GET_CHILD_SUBREAPER, NULL)", sys2(SYS_prctl, PR_GET_CHILD_SUBREAPER, 0));
	show("prctl(PR_GET_CHILD_SUBREAPER, kernel address)",
	     sys2(SYS_prctl, PR_GET_CHILD_SUBREAPER, (long)0xffff800000000000UL));
	show("prctl(PR_SET_CHILD_SUBREAPER, 2)", sys2(SYS_prctl, PR_SET_CHILD_SUBREAPER, 2));
	printf("PR_GET_CHILD_SUBREAPER after 2: %d\n", get_subreaper());
	show("prctl(0x7fff)", sys2(SYS_prctl, 0x7fff, 0));
	show("prctl(-1)", sys2(SYS_prctl, -1, 0));
	memset(name, 'x', sizeof(name));
	show("prctl(PR_GET_NAME)", sys2(SYS_prctl, PR_GET_NAME, (long)name));
	printf("name: \"%s\"\n", name);
	show("prctl(PR_SET_NAME, \"a-long-process-name\")",
	     sys2(SYS_prctl, PR_SET_NAME, (long)"a-long-process-name"));
	memset(name, 'x', sizeof(name));
	sys2(SYS_prctl, PR_GET_NAME, (long)name);
	printf("name: \"%s\" (byte 16: %c)\n", name, name[16]);
	show("prctl(PR_SET_NAME, NULL)", sys2(SYS_prctl, PR_SET_NAME, 0));
	show("prctl(PR_GET_NAME, NULL)", sys2(SYS_prctl, PR_GET_NAME, 0));
}

int main(void)
{
	pid_t top;
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	top = fork();
	if (top == 0) {
		printf("PR_GET_CHILD_SUBREAPER at start: %d\n", get_subreaper());
		orphans_to_subreaper();
		nearest_subreaper();
		late_subreaper();
		orphan_to_init();
		prctl_misc();
		_exit(0);
	}
	waitpid(top, &st, 0);
	printf("top: status %#x\n", st);
	return 0;
}
