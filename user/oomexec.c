/* oomexec: a task the OOM killer chooses while execve builds its new image (after the point of
 * no return) dies of that SIGKILL, as Linux's bprm_execve leaves it (force_fatal_sig(SIGSEGV)
 * only when no fatal signal is pending), not of the SIGSEGV a failed load gives (issue 15,
 * defect 4 and item 7). Self-checking, run as PID 1 in the warden suite
 * (tests/warden/oomexec.append): Linux copies the strings into the new stack before the point
 * of no return, so the same squeeze cannot be set up there.
 *
 * A child raises RLIMIT_STACK (so the strings may take 6 MiB) and waits; the parent fills RAM
 * until FREE bytes are left: room for execve's copy of the strings (a kernel buffer that grows
 * to 8 MiB, 12 MiB while it doubles) but not for the new stack as well. The child then execs
 * /prog with 6 MiB of arguments (60 pointers to one 100 KiB string): its new stack finds no
 * frame, the child (init is never chosen) is the victim, and the load fails. Lines: "ok NAME"
 * or "FAIL NAME". */
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define MIB (1024L * 1024)
#define FREE (13 * MIB)
#define STR (100 * 1024)
#define NARGS 60

/* MemFree from /proc/meminfo, in bytes. */
static long mem_free(void)
{
	char buf[512];
	int fd = open("/proc/meminfo", O_RDONLY);
	long n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	char *p = strstr(buf, "MemFree:");
	return p ? strtol(p + 8, NULL, 10) * 1024 : -1;
}

/* The child: waits for go, then execs /prog with NARGS copies of one STR-byte string. */
static void child(int go)
{
	static char *argv[NARGS + 1];
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	char *s = malloc(STR), c;

	setrlimit(RLIMIT_STACK, &rl);
	memset(s, 'a', STR - 1);
	s[STR - 1] = '\0';
	for (int i = 0; i < NARGS; i++)
		argv[i] = s;
	if (read(go, &c, 1) != 1)
		_exit(5);
	long r = sys3(SYS_execve, (long)"/prog", (long)argv, (long)(char *[]){ NULL });
	printf("FAIL oom_during_exec: execve returned %s (no OOM kill after the point of no "
	       "return)\n", errname((int)-r));
	fflush(stdout);
	_exit(6);
}

int main(int argc, char **argv)
{
	int go[2], st;

	(void)argv;
	if (argc > 1)
		return 0; /* the exec'd image: never gets this far */
	pipe(go);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(go[1]);
		child(go[0]);
	}
	close(go[0]);
	sleep_ms(50);
	long bytes = (mem_free() - FREE) / 513 * 512 & ~4095L;
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (long i = 0; i < bytes; i += 4096)
		p[i] = 1;
	write(go[1], "g", 1);
	waitpid(pid, &st, 0);
	munmap(p, bytes);
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		printf("ok oom_during_exec\n");
	else if (WIFSIGNALED(st))
		printf("FAIL oom_during_exec: the child died of signal %d, not SIGKILL\n",
		       WTERMSIG(st));
	else
		printf("FAIL oom_during_exec: the child exited %d\n", WEXITSTATUS(st));
	return !(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}
