// SPDX-License-Identifier: MIT
/*
 * Run with 4 CPUs (tests/user/smp4-only): a signal sent to a thread that runs in user mode on
 * another CPU must interrupt it (Linux's signal_wake_up -> kick_process: a reschedule IPI to the
 * target's CPU, so the target enters the kernel and handles the signal).
 *
 * 1. A thread pinned to CPU 1 spins in user mode (no system call); the main thread, on CPU 0,
 *    sends it SIGUSR1 with tgkill and spins until the handler has run: 31 rounds.
 * 2. The same with a POSIX timer whose signal goes to the spinning thread (SIGEV_THREAD_ID),
 *    armed 1 ms ahead.
 * 3. SIGKILL of a child process whose three threads spin on CPUs 1-3 (its main thread sleeps),
 *    until wait4 returns: 9 rounds.
 * Each round must end within 2 s. The times themselves vary from run to run (and QEMU's TCG on
 * a loaded host makes Linux's take milliseconds), so they are printed only with -v; the
 * Warden-only user/kickcheck holds Warden to a bound far below a tick.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 31
#define KILL_ROUNDS 9
#define LIMIT_NS 2000000000LL

static volatile sig_atomic_t handled;
static int verbose;
static volatile int stop, spinner_tid;
static volatile unsigned long spins;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void pin_to(int cpu)
{
	unsigned long mask = 1UL << cpu;

	if (syscall(SYS_sched_setaffinity, 0, sizeof mask, &mask))
		perror("sched_setaffinity");
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
	while (!stop)
		spins++;
	return NULL;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Prints how many rounds ended within LIMIT_NS (and with -v the median and longest time). */
static void report(const char *what, long long *lat, int n)
{
	int ended = 0;

	for (int i = 0; i < n; i++)
		ended += lat[i] < LIMIT_NS;
	qsort(lat, n, sizeof(lat[0]), cmp_ll);
	printf("%s: %d of %d rounds ended\n", what, ended, n);
	if (verbose)
		printf("  median %lld ns, max %lld ns\n", lat[n / 2], lat[n - 1]);
}

/* Waits (spinning) for the handler, at most LIMIT_NS from t0; the time taken. */
static long long wait_handled(long long t0)
{
	long long t;

	do {
		for (int i = 0; i < 1000 && !handled; i++)
			__asm__ __volatile__("pause");
		t = now_ns() - t0; /* a system call: not at every turn */
	} while (!handled && t < LIMIT_NS);
	return handled ? t : LIMIT_NS;
}

static void tgkill_rounds(void)
{
	long long lat[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		handled = 0;
		long long t0 = now_ns();

		syscall(SYS_tgkill, getpid(), spinner_tid, SIGUSR1);
		lat[r] = wait_handled(t0);
	}
	report("tgkill to a thread spinning on CPU 1", lat, ROUNDS);
}

static void timer_rounds(void)
{
	long long lat[ROUNDS];
	struct sigevent sev;
	timer_t timer;

	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_notify_thread_id = spinner_tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer)) {
		perror("timer_create");
		return;
	}
	for (int r = 0; r < ROUNDS; r++) {
		struct itimerspec its = { .it_value = { 0, 1000000 } };
		struct timespec exp;

		handled = 0;
		clock_gettime(CLOCK_MONOTONIC, &exp);
		timer_settime(timer, 0, &its, NULL);
		long long t0 = exp.tv_sec * 1000000000LL + exp.tv_nsec + 1000000;

		while (!handled && now_ns() - t0 < LIMIT_NS)
			;
		lat[r] = handled ? now_ns() - t0 : LIMIT_NS;
		if (lat[r] < 0)
			lat[r] = 0;
	}
	timer_delete(timer);
	report("timer signal to a thread spinning on CPU 1", lat, ROUNDS);
}

static void *child_spinner(void *arg)
{
	pin_to((int)(long)arg);
	__atomic_add_fetch(&spins, 1, __ATOMIC_SEQ_CST);
	for (;;)
		;
	return NULL;
}

/* A child whose threads spin on CPUs 1-3; it tells the parent through the pipe once all run. */
static void kill_child_body(int fd)
{
	pthread_t t;

	spins = 0;
	for (long cpu = 1; cpu <= 3; cpu++)
		pthread_create(&t, NULL, child_spinner, (void *)cpu);
	while (__atomic_load_n(&spins, __ATOMIC_SEQ_CST) < 3)
		;
	if (write(fd, "x", 1) != 1)
		_exit(1);
	for (;;)
		pause(); /* on CPU 0 with the parent: asleep, so the parent runs */
}

static void kill_rounds(void)
{
	long long lat[KILL_ROUNDS];
	int killed = 0;

	for (int r = 0; r < KILL_ROUNDS; r++) {
		int fds[2], status = 0;
		char c;

		if (pipe(fds))
			return;
		pid_t pid = fork();
		if (pid == 0) {
			close(fds[0]);
			kill_child_body(fds[1]);
		}
		close(fds[1]);
		if (read(fds[0], &c, 1) != 1)
			printf("child did not start\n");
		close(fds[0]);
		long long t0 = now_ns();
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		lat[r] = now_ns() - t0;
		killed += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	}
	printf("SIGKILL of a process spinning on CPUs 1-3: killed %d of %d\n", killed,
	       KILL_ROUNDS);
	report("SIGKILL of a process spinning on CPUs 1-3", lat, KILL_ROUNDS);
}

int main(int argc, char **argv)
{
	pthread_t t;
	struct sigaction sa;

	verbose = argc > 1 && !strcmp(argv[1], "-v");
	pin_to(0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_create(&t, NULL, spinner, (void *)1L);
	while (!spinner_tid || spins < 1000)
		;
	tgkill_rounds();
	timer_rounds();
	stop = 1;
	pthread_join(t, NULL);
	kill_rounds();
	return 0;
}
