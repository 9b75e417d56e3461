/* futexwaitv: futex_waitv(2) (syscall 449): waiting on several futex words at once, woken by
 * a FUTEX_WAKE on any of them (the result is that word's index); its errors in Linux 6.1's
 * order; absolute timeouts on CLOCK_MONOTONIC and CLOCK_REALTIME; a signal.
 *
 * The waits between processes are made deterministic as in futexshared.c: the parent counts
 * the waiters of a word (FUTEX_REQUEUE from the word to itself, nr_wake 0) before it wakes.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include "common.h"

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_32 2

struct futex_waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t __reserved;
};

static long futex(const void *uaddr, long op, long val, long utime, const void *uaddr2, long val3)
{
	return sys6(SYS_futex, (long)uaddr, op, val, utime, (long)uaddr2, val3);
}

static long waitv(const void *w, long nr, long flags, const void *timeout, long clk)
{
	return sys6(SYS_futex_waitv, (long)w, nr, flags, (long)timeout, clk, 0);
}

static struct timespec abs_ms(clockid_t clk, long ms)
{
	struct timespec t;

	clock_gettime(clk, &t);
	t.tv_nsec += ms * 1000000;
	t.tv_sec += t.tv_nsec / 1000000000;
	t.tv_nsec %= 1000000000;
	return t;
}

struct shm {
	uint32_t w[4];
	volatile long res;
	volatile int handler_runs;
};
static struct shm *shm;
static uint32_t word[4];
static struct futex_waitv v[130];

static void set(int i, void *uaddr, uint64_t val, uint32_t flags)
{
	v[i] = (struct futex_waitv){ val, (uint64_t)(uintptr_t)uaddr, flags, 0 };
}

static void nap(void)
{
	struct timespec t = { 0, 1000000 };

	sys2(SYS_nanosleep, (long)&t, 0);
}

static int wait_waiters(uint32_t *uaddr, long n)
{
	for (int i = 0; i < 20000; i++) {
		if (futex(uaddr, FUTEX_REQUEUE, 0, INT_MAX, uaddr, 0) == n)
			return 1;
		nap();
	}
	printf("FAIL: %ld waiter(s) never came\n", n);
	return 0;
}

static void test_errors(void)
{
	struct timespec t = { 0, 0 };
	const uint32_t P32 = FUTEX_32 | FUTEX_PRIVATE_FLAG;

	printf("-- errors\n");
	word[0] = 1;
	word[1] = 2;
	set(0, &word[0], 1, P32);
	set(1, &word[1], 2, FUTEX_32);
	show("flags 1", waitv(v, 2, 1, NULL, 0));
	show("nr 0", waitv(v, 0, 0, NULL, 0));
	show("nr 129", waitv(v, 129, 0, NULL, 0));
	show("nr 1 << 32 (an unsigned int: 0)", waitv(v, 1L << 32, 0, NULL, 0));
	show("waiters NULL", waitv(NULL, 1, 0, NULL, 0));
	show("waiters 0xffff800000000000", waitv((void *)0xffff800000000000L, 1, 0, NULL, 0));
	show("clock 2 with a timeout", waitv(v, 2, 0, &t, 2));
	show("clock 99 with a timeout (before the array)", waitv(NULL, 2, 0, &t, 99));
	show("timeout 0xffff800000000000", waitv(v, 2, 0, (void *)0xffff800000000000L, 1));
	t = (struct timespec){ 0, 1000000000 };
	show("timeout {0, 1000000000}", waitv(v, 2, 0, &t, 1));
	t = (struct timespec){ -1, 0 };
	show("timeout {-1, 0}", waitv(v, 2, 0, &t, 1));
	t = (struct timespec){ 0, 0 };
	show("timeout 0 (past), values match", waitv(v, 2, 0, &t, 1));
	show("timeout 0 (past) on CLOCK_REALTIME", waitv(v, 2, 0, &t, 0));
	set(1, &word[1], 3, FUTEX_32);
	show("second value differs", waitv(v, 2, 0, &t, 1));
	set(1, &word[1], 2 | (7ULL << 32), FUTEX_32);
	show("second value differs in bits 32-63 only (timeout 0)", waitv(v, 2, 0, &t, 1));
	set(1, &word[1], 2, 0);
	show("flags 0 (no FUTEX_32)", waitv(v, 2, 0, &t, 1));
	set(1, &word[1], 2, FUTEX_32 | 1);
	show("flags FUTEX_32 | 1", waitv(v, 2, 0, &t, 1));
	set(1, &word[1], 2, FUTEX_32 | 0x100);
	show("flags FUTEX_32 | 0x100", waitv(v, 2, 0, &t, 1));
	set(1, &word[1], 2, FUTEX_32);
	v[1].__reserved = 1;
	show("__reserved 1", waitv(v, 2, 0, &t, 1));
	set(1, (char *)&word[1] + 1, 2, FUTEX_32);
	show("uaddr unaligned", waitv(v, 2, 0, &t, 1));
	set(1, NULL, 0, P32);
	show("uaddr NULL, private", waitv(v, 2, 0, &t, 1));
	set(1, NULL, 0, FUTEX_32);
	show("uaddr NULL, shared", waitv(v, 2, 0, &t, 1));
	set(1, (void *)0xffff800000000000L, 0, P32);
	show("uaddr 0xffff800000000000", waitv(v, 2, 0, &t, 1));
	set(0, &word[0], 1, 0);
	set(1, &word[1], 9, FUTEX_32);
	show("flags wrong in the first, value wrong in the second", waitv(v, 2, 0, &t, 1));
	set(0, &word[0], 1, P32);
	set(1, &word[1], 2, FUTEX_32);
	t = abs_ms(CLOCK_MONOTONIC, 20);
	show("monotonic now + 20 ms", waitv(v, 2, 0, &t, 1));
	t = abs_ms(CLOCK_REALTIME, 20);
	show("realtime now + 20 ms", waitv(v, 2, 0, &t, 0));
	set(1, &word[1], 9, FUTEX_32);
	show("no timeout, clock 99 (unused), second value differs", waitv(v, 2, 0, NULL, 99));
	for (int i = 0; i < 128; i++)
		set(i, &word[i % 2], i % 2 + 1, P32);
	t = (struct timespec){ 0, 0 };
	show("128 waiters, timeout 0", waitv(v, 128, 0, &t, 1));
}

static void on_usr1(int sig)
{
	(void)sig;
	shm->handler_runs++;
}

static void test_wake(void)
{
	printf("-- a forked child waits on three words\n");
	for (int which = 0; which < 3; which++) {
		int st;

		shm->w[0] = shm->w[1] = shm->w[2] = 0;
		fflush(stdout);
		pid_t c = fork();
		if (c == 0) {
			set(0, &shm->w[0], 0, FUTEX_32);
			set(1, &shm->w[1], 0, FUTEX_32);
			set(2, &shm->w[2], 0, FUTEX_32);
			shm->res = waitv(v, 3, 0, NULL, 0);
			_exit(0);
		}
		if (wait_waiters(&shm->w[which], 1))
			printf("WAKE(word %d): %ld\n", which,
			       futex(&shm->w[which], FUTEX_WAKE, 1, 0, 0, 0));
		waitpid(c, &st, 0);
		show("  futex_waitv", shm->res);
		printf("  waiters left on the others: %ld\n",
		       futex(&shm->w[(which + 1) % 3], FUTEX_REQUEUE, 0, INT_MAX,
			     &shm->w[(which + 1) % 3], 0) +
			       futex(&shm->w[(which + 2) % 3], FUTEX_REQUEUE, 0, INT_MAX,
				     &shm->w[(which + 2) % 3], 0));
	}

	printf("-- a signal with a handler\n");
	for (int restart = 0; restart < 2; restart++) {
		int st;

		shm->w[0] = 0;
		shm->handler_runs = 0;
		fflush(stdout);
		pid_t c = fork();
		if (c == 0) {
			struct sigaction sa = { .sa_handler = on_usr1,
						.sa_flags = restart ? SA_RESTART : 0 };
			sigaction(SIGUSR1, &sa, NULL);
			set(0, &shm->w[0], 0, FUTEX_32);
			shm->res = waitv(v, 1, 0, NULL, 0);
			_exit(0);
		}
		printf("%s:\n", restart ? "SA_RESTART" : "no SA_RESTART");
		if (!wait_waiters(&shm->w[0], 1))
			continue;
		kill(c, SIGUSR1);
		while (!shm->handler_runs)
			nap();
		if (restart && wait_waiters(&shm->w[0], 1))
			show("  waiting again; WAKE", futex(&shm->w[0], FUTEX_WAKE, 1, 0, 0, 0));
		waitpid(c, &st, 0);
		show("  futex_waitv", shm->res);
	}
}

int main(void)
{
	shm = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		printf("mmap failed\n");
		return 1;
	}
	test_errors();
	test_wake();
	printf("futexwaitv: done\n");
	return 0;
}
