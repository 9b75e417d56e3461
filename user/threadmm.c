/* threadmm: threads of one process that fault, change protections, remap, fork and exit at
 * once, under a fast timer tick (tests/warden/threadmm.append boots with hz=2000), checking
 * all their data (issue 17). One address space, one set of page tables, many tasks changing it.
 *
 *   threadmm [THREADS [ITERATIONS]]     (default 4 threads, 30 iterations)
 *
 * Each worker thread owns a private anonymous region filled with a pattern naming the worker and
 * the iteration. Each iteration it checks and rewrites the region; write-protects one page and
 * writes to it, expecting a SIGSEGV in this very thread (the handler compares gettid); moves the
 * region with mremap; forks a child, which must find the region as it was and only one thread in
 * itself, and starts and joins a short-lived thread that adds to a shared checksum. Meanwhile a
 * flipper thread keeps turning one shared page read-only and back while the workers read it and
 * write to it: each write either lands or faults, never both and never half.
 * Every failure prints a line starting with FAIL; the exit status is the number of failures.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGES 16
#define MAX_THREADS 16

static int iterations = 30;
static volatile int failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* checksum, failures */
static uint64_t checksum, want_checksum;

static volatile uint64_t *flip_page; /* turned read-only and back by the flipper */
static volatile int flipping = 1;

static __thread sigjmp_buf fault_jmp; /* where this thread's SIGSEGV handler returns to */
static __thread volatile int expect_fault;
static __thread volatile long fault_tid;

/* Reports a failure (from any thread or a forked child). */
static void fail(const char *what, long a, long b)
{
	printf("FAIL %s (%ld, %ld)\n", what, a, b);
	fflush(stdout);
	pthread_mutex_lock(&lock);
	failures++;
	pthread_mutex_unlock(&lock);
}

/* The value of word i of a region written by (owner, generation). */
static uint64_t pat(uint64_t owner, uint64_t gen, uint64_t i)
{
	uint64_t x = (owner << 48) ^ (gen << 32) ^ i;

	x ^= x >> 17;
	x *= 0xed5ad4bb;
	return x ^ (x >> 11);
}

static void fill(volatile uint64_t *p, uint64_t owner, uint64_t gen)
{
	for (uint64_t i = 0; i < PAGES * PAGE / 8; i++)
		p[i] = pat(owner, gen, i);
}

/* The number of words of p that do not hold (owner, gen)'s pattern. */
static long check(volatile uint64_t *p, uint64_t owner, uint64_t gen)
{
	long bad = 0;

	for (uint64_t i = 0; i < PAGES * PAGE / 8; i++)
		bad += p[i] != pat(owner, gen, i);
	return bad;
}

/* SIGSEGV: must come to the thread that faulted, and only where it expects one. */
static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	fault_tid = syscall(SYS_gettid);
	if (expect_fault)
		siglongjmp(fault_jmp, 1);
	fail("unexpected SIGSEGV", fault_tid, 0);
	_exit(100);
}

/* Writes v to *p; returns 1 if the write faulted (and so did not land). */
static int try_write(volatile uint64_t *p, uint64_t v)
{
	expect_fault = 1;
	if (sigsetjmp(fault_jmp, 1)) {
		expect_fault = 0;
		return 1;
	}
	*p = v;
	expect_fault = 0;
	return 0;
}

/* Keeps turning the shared page read-only and back until the workers are done. */
static void *flipper(void *arg)
{
	while (flipping) {
		mprotect((void *)flip_page, PAGE, PROT_READ);
		sched_yield();
		mprotect((void *)flip_page, PAGE, PROT_READ | PROT_WRITE);
		sched_yield();
	}
	return arg;
}

/* A short-lived thread: adds its argument to the checksum and exits. */
static void *adder(void *arg)
{
	pthread_mutex_lock(&lock);
	checksum += (uint64_t)(uintptr_t)arg;
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* A forked child of a worker: the region as the parent left it, and one thread only. */
static void child_checks(volatile uint64_t *r, uint64_t id, uint64_t gen)
{
	char line[64];
	int threads = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %d", &threads) == 1)
			break;
	if (f)
		fclose(f);
	if (threads != 1)
		_exit(1);
	if (check(r, id, gen))
		_exit(2);
	fill(r, id, gen + 1000); /* copy on write: the parent must not see this */
	_exit(0);
}

/* One worker's iteration: check and rewrite, a fault of its own, mremap, fork, a thread. */
static volatile uint64_t *iterate(volatile uint64_t *r, uint64_t id, uint64_t gen)
{
	long tid = syscall(SYS_gettid), bad;
	volatile uint64_t *moved;
	pid_t pid;
	int st;
	pthread_t t;

	if ((bad = check(r, id, gen)))
		fail("region lost its pattern", (long)id, bad);
	fill(r, id, gen + 1);
	mprotect((void *)(r + PAGE / 8), PAGE, PROT_READ);
	if (!try_write(r + PAGE / 8, 1) || fault_tid != tid)
		fail("write to a read-only page: no fault in this thread", (long)id, fault_tid == tid);
	mprotect((void *)(r + PAGE / 8), PAGE, PROT_READ | PROT_WRITE);
	moved = mremap((void *)r, PAGES * PAGE, PAGES * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		       (char *)r + (gen % 2 ? -1 : 1) * (long)(64 * PAGE));
	if (moved == MAP_FAILED) {
		fail("mremap", (long)id, 0);
		moved = r;
	}
	pid = fork();
	if (pid == 0)
		child_checks(moved, id, gen + 1);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		fail("forked child", (long)id, pid < 0 ? -1 : st);
	if ((bad = check(moved, id, gen + 1)))
		fail("the child's writes reached the parent", (long)id, bad);
	if (pthread_create(&t, NULL, adder, (void *)(uintptr_t)(id * 1000 + gen)) ||
	    pthread_join(t, NULL))
		fail("pthread_create/join", (long)id, 0);
	return moved;
}

/* A worker: its own region, away from the others', moved up and down by each iteration. */
static void *worker(void *arg)
{
	uint64_t id = (uintptr_t)arg;
	char *base = mmap(NULL, 256 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile uint64_t *r;
	int flips = 0;

	r = mmap(base + 64 * PAGE, PAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (base == MAP_FAILED || r == MAP_FAILED) {
		fail("mmap", (long)id, 0);
		return NULL;
	}
	fill(r, id, 0);
	for (int gen = 0; gen < iterations; gen++) {
		r = iterate(r, id, (uint64_t)gen);
		/* The flipped page: a write either lands (and is read back) or faults. */
		uint64_t v = id << 32 | (uint64_t)gen;
		if (!try_write(flip_page + id, v)) {
			if (flip_page[id] != v)
				fail("a write to the flipped page did not land", (long)id, gen);
		} else {
			flips++;
		}
	}
	if (check(r, id, (uint64_t)iterations))
		fail("region at the end", (long)id, 0);
	munmap(base, 256 * PAGE);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t workers[MAX_THREADS], flip;
	struct sigaction sa;

	if (argc > 2)
		iterations = atoi(argv[2]);
	if (n < 1 || n > MAX_THREADS)
		n = 4;
	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	flip_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (flip_page == MAP_FAILED || pthread_create(&flip, NULL, flipper, NULL)) {
		printf("FAIL setup\n");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (pthread_create(&workers[i], NULL, worker, (void *)(uintptr_t)(i + 1))) {
			printf("FAIL pthread_create of worker %d\n", i + 1);
			return 1;
		}
		for (int gen = 0; gen < iterations; gen++)
			want_checksum += (uint64_t)(i + 1) * 1000 + (uint64_t)gen;
	}
	for (int i = 0; i < n; i++)
		pthread_join(workers[i], NULL);
	flipping = 0;
	pthread_join(flip, NULL);
	if (checksum != want_checksum)
		fail("checksum of the short-lived threads", (long)checksum, (long)want_checksum);
	printf("threadmm: %d workers x %d iterations, %d failures\n", n, iterations, failures);
	return failures;
}
