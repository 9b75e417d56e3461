// SPDX-License-Identifier: MIT
/*
 * Warden-only (tests/warden/kickcheck.append boots with hz=19, a 52 ms tick; run with 4 CPUs by
 * the user-smp4 suite): a signal to a thread running in user mode on another CPU is handled at
 * once, not at that CPU's next tick, because the sender's CPU kicks it with a reschedule IPI
 * (kick_process, docs/smp.md). user/sigkick checks the same against Linux, without times.
 *
 * 1. tgkill(SIGUSR1) from CPU 0 to a thread spinning in user mode on CPU 1, 21 rounds: each a
 *    kick (/proc/warden/sched's "kick" grows by at least one per round, but for rounds where
 *    the handler's return was still under way), and each round ends within 2 s.
 * 2. SIGKILL of a child process whose three threads spin on CPUs 1-3, 5 rounds: each thread
 *    kicked (at least 2 kicks a round: a thread may be in the kernel already), and every
 *    round ended within 2 s.
 * The times are printed, not bounded: with kicks the tgkill median is microseconds on an idle
 * host, but QEMU's vCPU threads on a loaded host are preempted for milliseconds (measured with
 * kicks: medians from 5 us to 19 ms; without them, at hz=19: 58 ms, and 143 ms for SIGKILL,
 * whose exit also takes the kernel lock on every CPU at once); the kick counts are the exact
 * check (0 without kick_process).
 * Prints FAIL lines and exits 1 if a check fails; with one CPU it says so and exits 0.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 21
#define KILL_ROUNDS 5
#define LIMIT_NS 2000000000LL

static volatile sig_atomic_t handled;
static volatile int stop, spinner_tid, up;
static int failed;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int pin_to(int cpu)
{
	unsigned long mask = 1UL << cpu;

	return (int)syscall(SYS_sched_setaffinity, 0, sizeof mask, &mask);
}

/* The "kick" counter of /proc/warden/sched. */
static long kicks(void)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/warden/sched", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "kick %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static void on_usr1(int sig)
{
	(void)sig;
	handled = 1;
}

static void *spinner(void *arg)
{
	pin_to((int)(long)arg);
	spinner_tid = (int)syscall(SYS_gettid);
	__atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
	while (!stop)
		;
	return NULL;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* The median of n times (sorts them). */
static long long median(long long *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp_ll);
	return v[n / 2];
}

static void tgkill_rounds(void)
{
	long long lat[ROUNDS];
	long k0 = kicks();

	for (int r = 0; r < ROUNDS; r++) {
		handled = 0;
		long long t0 = now_ns(), t;

		syscall(SYS_tgkill, getpid(), spinner_tid, SIGUSR1);
		do {
			for (int i = 0; i < 1000 && !handled; i++)
				__asm__ __volatile__("pause");
			t = now_ns() - t0; /* a system call: not at every turn */
		} while (!handled && t < LIMIT_NS);
		lat[r] = t;
	}
	long dk = kicks() - k0;
	long long m = median(lat, ROUNDS);

	if (dk < ROUNDS / 2) {
		printf("FAIL tgkill: %ld kicks for %d signals\n", dk, ROUNDS);
		failed = 1;
	}
	if (lat[ROUNDS - 1] >= LIMIT_NS) {
		printf("FAIL tgkill: a round took %lld ns\n", lat[ROUNDS - 1]);
		failed = 1;
	}
	printf("tgkill to a thread spinning on CPU 1: median %lld us, %ld kicks\n", m / 1000, dk);
}

/* The child of a SIGKILL round: three threads spin on CPUs 1-3, the main thread sleeps. */
static void kill_child_body(int fd)
{
	pthread_t t;

	for (long cpu = 1; cpu <= 3; cpu++)
		pthread_create(&t, NULL, spinner, (void *)cpu);
	while (__atomic_load_n(&up, __ATOMIC_SEQ_CST) < 4)
		;
	if (write(fd, "x", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

static void kill_rounds(void)
{
	long long lat[KILL_ROUNDS];
	long k0 = kicks();

	for (int r = 0; r < KILL_ROUNDS; r++) {
		int fds[2], status = 0;
		char c;

		if (pipe(fds))
			exit(1);
		pid_t pid = fork();
		if (pid == 0) {
			close(fds[0]);
			kill_child_body(fds[1]);
		}
		close(fds[1]);
		if (read(fds[0], &c, 1) != 1)
			printf("FAIL: the child did not start\n");
		close(fds[0]);
		long long t0 = now_ns();
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		lat[r] = now_ns() - t0;
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
			printf("FAIL: the child's status is %#x\n", status);
			failed = 1;
		}
	}
	long dk = kicks() - k0;
	long long m = median(lat, KILL_ROUNDS);

	if (dk < 2 * KILL_ROUNDS) {
		printf("FAIL SIGKILL: %ld kicks in %d rounds\n", dk, KILL_ROUNDS);
		failed = 1;
	}
	if (lat[KILL_ROUNDS - 1] >= LIMIT_NS) {
		printf("FAIL SIGKILL: a round took %lld ns\n", lat[KILL_ROUNDS - 1]);
		failed = 1;
	}
	printf("SIGKILL of a process spinning on CPUs 1-3: median %lld us, %ld kicks\n", m / 1000,
	       dk);
}

int main(void)
{
	pthread_t t;
	struct sigaction sa;

	if (pin_to(1)) {
		printf("one CPU: nothing to kick\n");
		return 0;
	}
	pin_to(0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_create(&t, NULL, spinner, (void *)1L);
	while (!up)
		;
	tgkill_rounds();
	stop = 1;
	pthread_join(t, NULL);
	stop = 0;
	kill_rounds();
	return failed;
}
