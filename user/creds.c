/* creds: a task's user and group ids and capabilities (Linux 6.1's kernel/sys.c and
 * security/commoncap.c rules; docs/credentials.md). Raw system calls, each case in a forked
 * child (dropping root cannot be undone): what getres[ug]id and /proc/self/status (Uid:, Gid:,
 * CapPrm:, CapEff:) say after setuid, setgid, setreuid, setregid, setresuid, setresgid, setfsuid
 * and setfsgid, as root and as a user (EPERM cases, -1 meaning "unchanged" or EINVAL), the
 * capabilities following the uids, execve (saved ids become the effective ones, AT_SECURE,
 * AT_UID/AT_EUID), kill and sigqueue permission between users, the siginfo's si_uid. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

/* Prints the ids and the capability sets of the calling thread. */
static void ids(const char *what)
{
	unsigned r, e, s, gr, ge, gs;
	char buf[4096], uid[128] = "", gid[128] = "", prm[64] = "", eff[64] = "";
	sys3(SYS_getresuid, (long)&r, (long)&e, (long)&s);
	sys3(SYS_getresgid, (long)&gr, (long)&ge, (long)&gs);
	FILE *f = fopen("/proc/thread-self/status", "r");
	while (f && fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\n")] = 0;
		for (char *p = buf; *p; p++)
			if (*p == '\t')
				*p = ' ';
		if (!strncmp(buf, "Uid:", 4))
			snprintf(uid, sizeof uid, "%.100s", buf + 5);
		if (!strncmp(buf, "Gid:", 4))
			snprintf(gid, sizeof gid, "%.100s", buf + 5);
		if (!strncmp(buf, "CapPrm:", 7))
			snprintf(prm, sizeof prm, "%.40s", buf + 8);
		if (!strncmp(buf, "CapEff:", 7))
			snprintf(eff, sizeof eff, "%.40s", buf + 8);
	}
	if (f)
		fclose(f);
	printf("  %s: uid %u/%u/%u gid %u/%u/%u; status Uid %s Gid %s CapPrm %s CapEff %s\n", what,
	       r, e, s, gr, ge, gs, uid, gid, prm, eff);
}

#define CALL(expr) show("  " #expr, (expr))

static void root_calls(void)
{
	ids("start");
	CALL(sys1(SYS_setuid, -1));
	CALL(sys1(SYS_setgid, -1));
	CALL(sys3(SYS_setresuid, -1, -1, -1));
	CALL(sys3(SYS_setresgid, -1, -1, -1));
	CALL(sys2(SYS_setreuid, -1, -1));
	CALL(sys2(SYS_setregid, -1, -1));
	CALL(sys1(SYS_setfsuid, -1));
	CALL(sys1(SYS_setfsgid, -1));
	CALL(sys2(SYS_setregid, 7, 8));
	ids("setregid(7, 8)");
	CALL(sys2(SYS_setregid, -1, 7));
	ids("setregid(-1, 7)");
	CALL(sys2(SYS_setregid, -1, 9));
	ids("setregid(-1, 9)");
	CALL(sys1(SYS_setgid, 3));
	ids("setgid(3) with CAP_SETGID");
	CALL(sys3(SYS_setresgid, 10, -1, 12));
	ids("setresgid(10, -1, 12)");
	CALL(sys1(SYS_setfsgid, 99));
	CALL(sys1(SYS_setfsgid, -1));
	ids("setfsgid(99)");
	CALL(sys1(SYS_setfsuid, 1234));
	CALL(sys1(SYS_setfsuid, -1));
	ids("setfsuid(1234)");
	CALL(sys1(SYS_setfsuid, 0));
	ids("setfsuid(0)");
	CALL(sys3(SYS_getresuid, 8, 0, 0));
	CALL(sys3(SYS_getresgid, (long)&(unsigned){ 0 }, 8, 0));
}

static void euid_dance(void)
{
	CALL(sys2(SYS_setreuid, -1, 1000));
	ids("setreuid(-1, 1000)");
	CALL(sys1(SYS_setuid, 2000));
	CALL(sys3(SYS_setresgid, 1, 1, 1));
	CALL(sys1(SYS_setfsuid, 0));
	CALL(sys1(SYS_setfsuid, -1));
	CALL(sys2(SYS_setreuid, -1, 0));
	ids("setreuid(-1, 0)");
	CALL(sys3(SYS_setresuid, 0, 1000, 0));
	ids("setresuid(0, 1000, 0)");
	CALL(sys1(SYS_setuid, 0));
	ids("setuid(0) back from the saved uid");
	CALL(sys1(SYS_setuid, 1000));
	ids("setuid(1000) with CAP_SETUID: all four");
	CALL(sys1(SYS_setuid, 0));
}

static void user_calls(void)
{
	CALL(sys3(SYS_setresgid, 100, 100, 100));
	CALL(sys3(SYS_setresuid, 1000, 1001, 1002));
	ids("setresuid(1000, 1001, 1002)");
	CALL(sys1(SYS_setuid, 0));
	CALL(sys1(SYS_setuid, 1003));
	CALL(sys1(SYS_setuid, 1000));
	ids("setuid(1000): effective only");
	CALL(sys1(SYS_setuid, 1002));
	ids("setuid(1002): the saved uid");
	CALL(sys2(SYS_setreuid, 1001, -1));
	CALL(sys2(SYS_setreuid, 1002, -1));
	ids("setreuid(1002, -1)");
	CALL(sys2(SYS_setreuid, -1, 1000));
	ids("setreuid(-1, 1000)");
	CALL(sys3(SYS_setresuid, 1002, 1002, 1000));
	ids("setresuid(1002, 1002, 1000)");
	CALL(sys3(SYS_setresuid, 5, -1, -1));
	CALL(sys3(SYS_setresuid, -1, -1, 0));
	CALL(sys1(SYS_setfsuid, 1000));
	CALL(sys1(SYS_setfsuid, 7));
	CALL(sys1(SYS_setfsuid, -1));
	CALL(sys1(SYS_setgid, 100));
	CALL(sys1(SYS_setgid, 0));
	CALL(sys2(SYS_setregid, 100, 200));
	CALL(sys3(SYS_setresgid, -1, -1, 300));
	CALL(sys1(SYS_setfsgid, 0));
	CALL(sys1(SYS_setfsgid, -1));
	ids("end");
	CALL(kill(getppid(), 0) ? -errno : 0);
	CALL(kill(1, 0) ? -errno : 0);
	CALL(kill(getpid(), 0) ? -errno : 0);
	CALL(kill(-getpgrp(), 0) ? -errno : 0);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_code = SI_QUEUE;
	CALL(sys3(SYS_rt_sigqueueinfo, getppid(), 0, (long)&si));
	CALL(sys4(SYS_rt_tgsigqueueinfo, getppid(), getppid(), 0, (long)&si));
	CALL(sys2(SYS_tkill, getppid(), 0));
}

static void sender(void)
{
	/* a child of another user: its SIGCHLD and its kill carry its real uid */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, NULL);
	pid_t me = getpid();
	pid_t c = fork();
	if (c == 0) {
		sys3(SYS_setresuid, 1000, 0, 0); /* CAP_KILL kept with euid 0 */
		kill(me, SIGUSR1);
		_exit(0);
	}
	siginfo_t si;
	memset(&si, 0, sizeof si);
	sigwaitinfo(&s, &si);
	printf("  first signal %s si_uid %u\n", si.si_signo == SIGUSR1 ? "SIGUSR1" : "?", si.si_uid);
	memset(&si, 0, sizeof si);
	sigwaitinfo(&s, &si);
	printf("  then %s si_uid %u\n", si.si_signo == SIGCHLD ? "SIGCHLD" : "?", si.si_uid);
	waitpid(c, NULL, 0);
}

static char *self;

static void execs(void)
{
	CALL(sys3(SYS_setresuid, 0, 1000, 0));
	CALL(sys3(SYS_setresgid, 5, 6, 7));
	fflush(stdout);
	char *argv[] = { self, "exec", NULL };
	execv("/proc/self/exe", argv);
	printf("  execv failed\n");
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 1 && !strcmp(argv[1], "exec")) {
		ids("after execve");
		printf("  AT_SECURE %lu AT_UID %lu AT_EUID %lu AT_GID %lu AT_EGID %lu\n",
		       getauxval(AT_SECURE), getauxval(AT_UID), getauxval(AT_EUID), getauxval(AT_GID),
		       getauxval(AT_EGID));
		return 0;
	}
	run_case("root", root_calls);
	run_case("root's effective uid away and back", euid_dance);
	run_case("as a user", user_calls);
	run_case("si_uid", sender);
	run_case("execve", execs);
	printf("root again in the parent: uid %ld euid %ld gid %ld egid %ld\n", sys0(SYS_getuid),
	       sys0(SYS_geteuid), sys0(SYS_getgid), sys0(SYS_getegid));
	return 0;
}
