/* threadstress: processes whose threads clone more threads, exit, exit_group, fork, execve,
 * fault, signal themselves and wait, while the parent kills, stops and continues them, under a
 * fast tick (tests/warden/threadstress.append: hz=2000, debug_vm, poison). Warden only (the
 * warden suite): the kernel must neither crash nor hang, every process must be reaped exactly
 * once with a status one of its threads could have caused, and nothing may be left at the end.
 *
 *   threadstress [SEED [ROUNDS]]     (default seed 1, 2000 rounds; 400 with several CPUs)
 *
 * With several CPUs (the warden-smp4 suite) a thread's kill(SIGUSR1) of its own process or
 * tgkill(SIGUSR2) of its leader can race another thread's execve: the signal stays pending across
 * the exec, whose image has the default action, and kills it. Linux allows that too, so SIGUSR1
 * and SIGUSR2 are then accepted as well.
 *
 * The threads use raw system calls only (threads.h). Every failure prints a line starting with
 * FAIL; the exit status is the number of failures.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

static unsigned long rng = 1;
static char *exec_argv[] = { "/prog", "exec", NULL };
static int tally[64], failures;

static unsigned long next(unsigned long r)
{
	return r * 6364136223846793005ULL + 1442695040888963407ULL;
}

/* Twenty random steps; the ones that end the thread or the process do so at once. */
static int worker(void *arg)
{
	unsigned long r = (unsigned long)arg;

	for (int i = 0; i < 20; i++) {
		r = next(r);
		unsigned pick = (unsigned)(r >> 33), rare = (unsigned)(r >> 45);
		switch (pick % 12) {
		case 0: {
			static int ctid; /* nobody waits for these words */
			thread_start(worker, (void *)(r ^ 0x55), &ctid);
			break;
		}
		case 1:
			sys1(SYS_exit, 0);
			break;
		case 2:
			if (rare % 8 == 0)
				sys1(SYS_exit_group, 3);
			break;
		case 3:
			if (sys0(SYS_fork) == 0)
				sys1(SYS_exit_group, 4);
			break;
		case 4:
			sys2(SYS_kill, sys0(SYS_getpid), SIGUSR1);
			break;
		case 5:
			sys3(SYS_tgkill, sys0(SYS_getpid), sys0(SYS_getpid), SIGUSR2);
			break;
		case 6: {
			int st;
			sys4(SYS_wait4, -1, (long)&st, WNOHANG | __WALL, 0);
			break;
		}
		case 7:
			if (rare % 16 == 0)
				sys3(SYS_execve, (long)"/proc/self/exe", (long)exec_argv, 0);
			break;
		case 8:
			thread_sleep_ms(1);
			break;
		case 9:
			sys0(SYS_sched_yield);
			break;
		case 10: {
			unsigned long m = 1UL << (SIGUSR1 - 1);
			sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&m, 0, 8);
			break;
		}
		case 11:
			if (rare % 32 == 0) {
				volatile int *volatile null_page = NULL;
				null_page[0] = 1;
			}
			break;
		}
	}
	return 0;
}

static void handler(int sig)
{
	(void)sig;
}

/* A status the process could end with: exit 0 (its last thread's exit), 3 (exit_group), 7 (the
 * exec'd image), or SIGKILL, SIGSEGV, SIGTERM. */
static int several_cpus;

static int expected(int st)
{
	if (WIFSIGNALED(st) && several_cpus &&
	    (WTERMSIG(st) == SIGUSR1 || WTERMSIG(st) == SIGUSR2))
		return 1;
	if (WIFSIGNALED(st))
		return WTERMSIG(st) == SIGKILL || WTERMSIG(st) == SIGSEGV || WTERMSIG(st) == SIGTERM;
	return WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 3 ||
				 WEXITSTATUS(st) == 7);
}

static void round_(int i)
{
	pid_t pid = fork();
	int st, reaped = 0;
	pid_t w;

	if (pid == 0) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = handler;
		sigaction(SIGUSR1, &sa, NULL);
		sigaction(SIGUSR2, &sa, NULL);
		rng ^= (unsigned long)i * 977;
		for (int k = 0; k < 4; k++) {
			static int ctid;
			thread_start(worker, (void *)(rng + k), &ctid);
		}
		worker((void *)rng);
		sys1(SYS_exit, 0);
	}
	rng = next(rng);
	switch ((rng >> 33) % 6) {
	case 0:
		kill(pid, SIGKILL);
		break;
	case 1:
		kill(pid, SIGSTOP);
		thread_sleep_ms(1);
		kill(pid, SIGCONT);
		break;
	case 2:
		kill(pid, SIGTERM);
		break;
	}
	while ((w = waitpid(-1, &st, __WALL)) > 0) {
		if (w != pid) {
			tally[63]++; /* a grandchild given to us (we are init on Warden) */
			continue;
		}
		reaped++;
		tally[WIFSIGNALED(st) ? WTERMSIG(st) & 31 : 32 + (WEXITSTATUS(st) & 31)]++;
		if (!expected(st)) {
			printf("FAIL round %d: status %#x\n", i, st);
			failures++;
		}
	}
	if (reaped != 1) {
		printf("FAIL round %d: the process was reaped %d times\n", i, reaped);
		failures++;
	}
}

int main(int argc, char **argv)
{
	int rounds = 2000;

	if (argc == 2 && !strcmp(argv[1], "exec"))
		return 7;
	several_cpus = sysconf(_SC_NPROCESSORS_ONLN) > 1;
	if (several_cpus)
		rounds = 400; /* within the 4-CPU suite's time and its 60 s limit */
	if (argc > 1)
		rng = strtoul(argv[1], NULL, 10);
	if (argc > 2)
		rounds = atoi(argv[2]);
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 0; i < rounds; i++)
		round_(i);
	for (int i = 0; i < 63; i++)
		if (tally[i])
			printf("%s %d: %d\n", i < 32 ? "signal" : "exit", i < 32 ? i : i - 32, tally[i]);
	printf("grandchildren reaped: %d\n", tally[63]);
	printf("%d rounds, %d failures\n", rounds, failures);
	return failures;
}
