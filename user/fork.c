/* fork: process creation and reaping, with Linux's wait status encoding.
 *
 * - fork(2) returns 0 in the child and the child's pid in the parent; the
 *   child's getppid() is the parent's getpid(); the child has a copy of the
 *   parent's memory (a write in the child is not seen by the parent);
 * - children that exit with 0, 3 and 255 (exit_group), one that returns from
 *   main, one killed by SIGKILL and one by SIGTERM sent with kill(2) while it
 *   sleeps (wait4 with WNOHANG sees it still running first), one killed by
 *   SIGSEGV from a write to NULL (no core dump: RLIMIT_CORE is 0, so no 0x80
 *   bit), one killed by SIGILL (ud2): for each the raw status in hex and
 *   WIFEXITED/WEXITSTATUS/WIFSIGNALED/WTERMSIG;
 * - wait4(-1) reaps any child (two children, statuses printed sorted);
 * - wait4 with no children left gives ECHILD, also with WNOHANG; bad options
 *   give EINVAL; wait4 on a pid that is not a child gives ECHILD.
 *
 * stdout is flushed before every fork, so no buffered line is written twice,
 * and the parent prints only after wait4, so the order of the lines is fixed.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static int global = 1;

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

static void describe(const char *what, int status)
{
	printf("%s: status 0x%04x, WIFEXITED %d", what, status, WIFEXITED(status) ? 1 : 0);
	if (WIFEXITED(status))
		printf(", WEXITSTATUS %d", WEXITSTATUS(status));
	printf(", WIFSIGNALED %d", WIFSIGNALED(status) ? 1 : 0);
	if (WIFSIGNALED(status))
		printf(", WTERMSIG %d, WCOREDUMP %d", WTERMSIG(status), WCOREDUMP(status) ? 1 : 0);
	printf("\n");
}

/* Fork with stdout flushed first; exits on failure. */
static pid_t xfork(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("fork: -1 %s\n", errname(errno));
		exit(1);
	}
	return pid;
}

/* wait4(pid) and describe the status; says whether wait4 returned pid. */
static void reap(const char *what, pid_t pid)
{
	int status = 0;
	long r = sys4(SYS_wait4, pid, (long)&status, 0, 0);
	if (is_err(r)) {
		show(what, r);
		return;
	}
	printf("%s: wait4 returned the child's pid: %s\n", what, yes(r == pid));
	describe(what, status);
}

static void sleep_forever(void)
{
	struct timespec ts = { 1, 0 };
	for (;;)
		sys2(SYS_nanosleep, (long)&ts, 0);
}

int main(void)
{
	pid_t parent = getpid();

	printf("-- exit statuses\n");
	static const int codes[] = { 0, 3, 255 };
	for (int i = 0; i < 3; i++) {
		pid_t pid = xfork();
		if (pid == 0) {
			printf("child %d: fork returned 0, getppid() == parent's getpid(): %s, "
			       "getpid() != parent's: %s\n",
			       codes[i], yes(getppid() == parent), yes(getpid() != parent));
			exit(codes[i]);
		}
		char what[32];
		snprintf(what, sizeof what, "exit(%d)", codes[i]);
		reap(what, pid);
	}

	pid_t pid = xfork();
	if (pid == 0) {
		global = 2;
		printf("child: wrote global = %d\n", global);
		return 7; /* from main: the same as exit(7) */
	}
	reap("return 7 from main", pid);
	printf("parent: global after the child wrote it: %d\n", global);

	printf("-- killed by signals\n");
	static const struct {
		int sig;
		const char *name;
	} kills[] = { { SIGKILL, "SIGKILL" }, { SIGTERM, "SIGTERM" } };
	for (int i = 0; i < 2; i++) {
		pid = xfork();
		if (pid == 0)
			sleep_forever();
		int status = 0x1234;
		char what[64];
		snprintf(what, sizeof what, "wait4(child, WNOHANG) while it sleeps");
		show(what, sys4(SYS_wait4, pid, (long)&status, WNOHANG, 0));
		printf("%s: status untouched: %s\n", what, yes(status == 0x1234));
		snprintf(what, sizeof what, "kill(child, %s)", kills[i].name);
		show(what, sys2(SYS_kill, pid, kills[i].sig));
		reap(what, pid);
	}

	pid = xfork();
	if (pid == 0) {
		*(volatile int *)0 = 1;
		printf("child: survived a write to NULL\n");
		exit(0);
	}
	reap("write to NULL (SIGSEGV)", pid);

	pid = xfork();
	if (pid == 0) {
		__asm__ volatile("ud2");
		printf("child: survived ud2\n");
		exit(0);
	}
	reap("ud2 (SIGILL)", pid);

	printf("-- wait4(-1)\n");
	pid_t a = xfork();
	if (a == 0)
		exit(1);
	pid_t b = xfork();
	if (b == 0)
		exit(2);
	int st[2] = { 0, 0 }, got_a = 0, got_b = 0;
	for (int i = 0; i < 2; i++) {
		long r = sys4(SYS_wait4, -1, (long)&st[i], 0, 0);
		if (is_err(r))
			show("wait4(-1)", r);
		got_a += r == a;
		got_b += r == b;
	}
	if (st[0] > st[1]) {
		int t = st[0];
		st[0] = st[1];
		st[1] = t;
	}
	printf("wait4(-1) twice: reaped both children once each: %s\n",
	       yes(got_a == 1 && got_b == 1));
	describe("wait4(-1) first status (sorted)", st[0]);
	describe("wait4(-1) second status (sorted)", st[1]);

	printf("-- errors\n");
	int status;
	show("wait4(-1) with no children", sys4(SYS_wait4, -1, (long)&status, 0, 0));
	show("wait4(-1, WNOHANG) with no children", sys4(SYS_wait4, -1, (long)&status, WNOHANG, 0));
	show("wait4(the reaped child)", sys4(SYS_wait4, a, (long)&status, 0, 0));
	show("wait4(1) (not a child)", sys4(SYS_wait4, 1, (long)&status, 0, 0));
	show("wait4(-1, bad options 0x10000000)",
	     sys4(SYS_wait4, -1, (long)&status, 0x10000000, 0));
	show("kill(the reaped child, 0)", sys2(SYS_kill, a, 0));
	show("kill(getpid(), 0)", sys2(SYS_kill, parent, 0));
	return 0;
}
