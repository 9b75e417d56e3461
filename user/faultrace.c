// SPDX-License-Identifier: MIT
/*
 * Run with 4 CPUs (tests/user/smp4-only): page faults racing on several CPUs in one address
 * space. Four threads, pinned to CPUs 0-3, start each round together (a spin barrier) and fault
 * fresh private anonymous pages at the same moment:
 *   same PTE:   all four write their own byte of the same page, page after page (one of them
 *               installs the page, the others find it: no write may land on a page that is
 *               then replaced, so all four bytes must be there);
 *   new table:  each writes its own page of a 2 MiB block no page table covers yet (one page
 *               table must be installed, the others' discarded, every page kept);
 *   read/write: two read a page while two write it (the zero page and a private page race; the
 *               readers see 0 or a written byte, and the written bytes stay).
 * After each round every page's contents are checked word by word and mincore must report each
 * touched page resident and each untouched one not. Each round has memory of its own, cut from
 * one mapping.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NTHREADS 4
#define PAGE 4096UL
#define SAME_PAGES 64 /* pages per same-PTE round */
#define BLOCK (2UL << 20) /* what one page table maps */
#define ROUNDS 30

static char *area; /* this round's memory */
static int kind; /* this round's race */
static volatile int go, done, readers_bad;

enum { SAME_PTE, NEW_TABLE, READ_WRITE, STOP };

static int pin(int cpu)
{
	unsigned long m = 1UL << cpu;

	return (int)syscall(SYS_sched_setaffinity, 0, sizeof m, &m);
}

/* Thread idx's part of a same-PTE round: its byte of every page, all threads in the same order. */
static void same_pte(int idx)
{
	for (unsigned long p = 0; p < SAME_PAGES; p++)
		area[p * PAGE + (unsigned long)idx * 8] = (char)(idx + 1);
}

/* Thread idx's part of a new-table round: its own 16 pages, interleaved with the others'. */
static void new_table(int idx)
{
	for (unsigned long k = 0; k < 16; k++)
		area[BLOCK + (k * NTHREADS + (unsigned long)idx) * PAGE + 100] = (char)(idx + 1);
}

/* Even threads write their byte of each page; odd ones read it (0 or the writer's value). */
static void read_write(int idx)
{
	for (unsigned long p = 0; p < SAME_PAGES; p++) {
		volatile char *c = &area[p * PAGE + (unsigned long)(idx & ~1) * 8];
		if (idx & 1) {
			char v = *c;
			if (v != 0 && v != (char)((idx & ~1) + 1))
				__atomic_add_fetch(&readers_bad, 1, __ATOMIC_SEQ_CST);
		} else {
			*c = (char)(idx + 1);
		}
	}
}

static void run(int idx)
{
	if (kind == SAME_PTE)
		same_pte(idx);
	else if (kind == NEW_TABLE)
		new_table(idx);
	else
		read_write(idx);
}

static void *worker(void *arg)
{
	int idx = (int)(long)arg, seen = 0;

	pin(idx);
	for (;;) {
		while (__atomic_load_n(&go, __ATOMIC_ACQUIRE) == seen)
			;
		seen = go;
		if (kind == STOP)
			return NULL;
		run(idx);
		__atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
	}
}

/* Runs one round of kind k on fresh memory of len bytes (its first page touched beforehand). */
static void round_start(int k)
{
	kind = k;
	done = 0;
	__atomic_add_fetch(&go, 1, __ATOMIC_RELEASE);
	run(0);
	__atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < NTHREADS)
		;
}

/* Counts the pages of [p, p + n pages) that mincore reports resident. */
static int resident(char *p, unsigned long n)
{
	unsigned char vec[1024];
	int r = 0;

	if (n > sizeof vec || mincore(p, n * PAGE, vec))
		return -1;
	for (unsigned long i = 0; i < n; i++)
		r += vec[i] & 1;
	return r;
}

/* Checks a same-PTE or read/write round: the writers' bytes and nothing else in each page. */
static int check_pages(int writers_mask)
{
	int bad = 0;

	for (unsigned long p = 0; p < SAME_PAGES; p++) {
		const unsigned long *w = (const unsigned long *)(area + p * PAGE);
		for (unsigned long i = 0; i < PAGE / 8; i++) {
			unsigned long want = 0;
			if (i < NTHREADS && (writers_mask >> i & 1))
				want = i + 1; /* byte 8 * i, little-endian */
			bad += w[i] != want;
		}
	}
	return bad;
}

/* Checks a new-table round: each thread's 16 pages hold its byte, the rest of the block zero. */
static int check_block(void)
{
	int bad = 0;

	for (unsigned long p = 0; p < 64; p++) {
		const unsigned long *w = (const unsigned long *)(area + BLOCK + p * PAGE);
		for (unsigned long i = 0; i < PAGE / 8; i++)
			bad += w[i] != (i == 12 ? (p % NTHREADS + 1) << 32 : 0); /* byte 100 */
	}
	return bad;
}

static char *pool; /* one mapping, block-aligned, 2 blocks per round and race */
static int pool_next;

/*
 * Fresh memory: the next 2 blocks of the pool, which nothing touched yet, so no page table maps
 * them; the last page of the first block is touched, so its page table exists (and the rounds
 * never touch that page). One mapping for the whole run: no munmap, so no TLB shootdown, between
 * the rounds.
 */
static char *fresh(void)
{
	char *a = pool + (unsigned long)pool_next++ * 2 * BLOCK;

	a[BLOCK - PAGE] = 1;
	return a;
}

int main(void)
{
	pthread_t t[NTHREADS];
	int bad_same = 0, bad_table = 0, bad_rw = 0, res_bad = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pin(0)) {
		printf("sched_setaffinity failed: run with 4 CPUs\n");
		return 1;
	}
	unsigned long len = (2UL * ROUNDS * 2 + 1) * BLOCK;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	if (m == MAP_FAILED) {
		printf("mmap failed\n");
		return 1;
	}
	pool = (char *)(((unsigned long)m + BLOCK - 1) & ~(BLOCK - 1));
	for (long i = 1; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int r = 0; r < ROUNDS; r++) {
		area = fresh();
		round_start(SAME_PTE);
		bad_same += check_pages(0xf);
		res_bad += resident(area, SAME_PAGES) != SAME_PAGES;
		round_start(NEW_TABLE);
		bad_table += check_block();
		res_bad += resident(area + BLOCK, BLOCK / PAGE) != 64;

		area = fresh();
		round_start(READ_WRITE);
		bad_rw += check_pages(0x5);
		res_bad += resident(area, SAME_PAGES + 1) != SAME_PAGES;
	}
	kind = STOP;
	__atomic_add_fetch(&go, 1, __ATOMIC_RELEASE);
	for (int i = 1; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	printf("%d rounds of 4 threads on 4 CPUs\n", ROUNDS);
	printf("same PTE: %d pages x 4 writers, wrong words %d\n", SAME_PAGES, bad_same);
	printf("new page table: 64 pages, wrong words %d\n", bad_table);
	printf("read/write: wrong words %d, readers saw a wrong value %d\n", bad_rw, readers_bad);
	printf("mincore: rounds with a wrong resident count %d\n", res_bad);
	return 0;
}
