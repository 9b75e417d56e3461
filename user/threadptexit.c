/* threadptexit: a tracer that exits while it holds the zombie of a thread whose leader waits
 * for it (Warden only, warden suite). Process P: leader L, threads X and M. Tracer T attaches
 * to X; X exits (a traced zombie, kept for T); M execs, becomes the leader and exits at once
 * (a delayed leader: X is still on its thread list); P's parent ignores SIGCHLD. When T exits,
 * releasing X releases M too: the kernel must not touch either again. Runs ROUNDS times
 * (default 20); the exit status is the number of failures, each printed as a FAIL line.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

static volatile int *shared; /* [0] X's tid, [1] X may exit, [2] M may exec, [3] done */
static int failures;

static int x_fn(void *arg)
{
	(void)arg;
	shared[0] = (int)sys0(SYS_gettid);
	while (!shared[1])
		thread_sleep_ms(1);
	return 0;
}

static int m_fn(void *arg)
{
	static char *argv[] = { "/prog", "exit", NULL };
	static char *envp[] = { NULL };

	(void)arg;
	while (!shared[2])
		thread_sleep_ms(1);
	sys3(SYS_execve, (long)"/prog", (long)argv, (long)envp);
	return 99;
}

static void fail(int round, const char *what, long v)
{
	printf("FAIL round %d: %s (%ld)\n", round, what, v);
	failures++;
}

static void round_once(int round)
{
	int st;

	memset((void *)shared, 0, 4096);
	pid_t g = fork();
	if (g == 0) {
		signal(SIGCHLD, SIG_IGN); /* P is released as soon as it is done */
		if (fork() == 0) {
			static int cx, cm;

			thread_start(x_fn, NULL, &cx);
			thread_start(m_fn, NULL, &cm);
			for (;;)
				thread_sleep_ms(1000); /* killed by M's execve */
		}
		while (!shared[3])
			thread_sleep_ms(1);
		_exit(0);
	}
	while (!shared[0])
		thread_sleep_ms(1);
	pid_t t = fork();
	if (t == 0) {
		int xtid = shared[0], s;

		if (ptrace(PTRACE_ATTACH, xtid, 0, 0))
			_exit(10);
		if (waitpid(xtid, &s, __WALL) != xtid || !WIFSTOPPED(s))
			_exit(11);
		if (ptrace(PTRACE_CONT, xtid, 0, 0))
			_exit(12);
		shared[1] = 1; /* X exits: a zombie for us */
		thread_sleep_ms(50);
		shared[2] = 1; /* M execs and exits: a zombie leader waiting for X */
		thread_sleep_ms(100);
		_exit(0); /* X and M released here */
	}
	if (waitpid(t, &st, 0) != t || st != 0)
		fail(round, "tracer's status", st);
	shared[3] = 1;
	if (waitpid(g, &st, 0) != g || st != 0)
		fail(round, "intermediate's status", st);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20;

	if (argc > 1 && !strcmp(argv[1], "exit"))
		return 0; /* M after its execve */
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < rounds; i++)
		round_once(i);
	printf("threadptexit: %d round(s), %d failure(s)\n", rounds, failures);
	return failures;
}
