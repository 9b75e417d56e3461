/* tlbshoot_upgrade: mprotect that only adds permissions, while another thread (pinned to another
 * CPU when there is one) keeps reading the page, so that its CPU caches the old, stricter
 * translation. Warden sends no shootdown when only write permission is added (docs/tlb.md): the
 * reader's first write after the upgrade may take a spurious page fault, which must be resolved,
 * not turned into a signal (execution added is flushed). Then a downgrade must still reach the
 * reader at once.
 *
 *   1. PROT_READ -> PROT_READ|PROT_WRITE: the reader's next write lands, without a signal.
 *   2. then PROT_READ again: the reader's next write faults (SEGV_ACCERR).
 *   3. PROT_READ -> PROT_READ|PROT_EXEC of a page holding `ret`: the reader's call returns.
 * Each runs ITERATIONS times; only verdicts over all of them are printed. Under QEMU's TCG the
 * spurious fault never shows (its TLB re-walks the page tables on a permission miss), so the
 * upgrade must simply work; a downgrade wrongly spared its flush fails step 2. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ITERATIONS 200
#define PG 4096UL
#define WARM_READS 64

enum { IDLE, READ, WRITE, CALL, QUIT };

static volatile int cmd, phase; /* main's command, and how far the reader got (its ack) */
static volatile unsigned long *volatile page;
static volatile unsigned long sink, value;
static volatile long fault_code; /* si_code of the reader's last SIGSEGV, 0: none */
static sigjmp_buf reader_env;

static void pin_to(int cpu)
{
	unsigned long mask = 1UL << cpu;

	syscall(SYS_sched_setaffinity, 0, sizeof(mask), &mask);
}

static void reader_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	fault_code = si->si_code;
	siglongjmp(reader_env, 1);
}

/* Reads the page until told to write to it (or call it); acks each step through phase. */
static void *reader(void *arg)
{
	(void)arg;
	pin_to(1);
	for (;;) {
		while (cmd == IDLE)
			sched_yield();
		if (cmd == QUIT)
			return NULL;
		if (sigsetjmp(reader_env, 1)) {
			phase = 2;
			while (cmd != IDLE)
				sched_yield();
			phase = 0;
			continue;
		}
		for (int i = 0; i < WARM_READS; i++)
			sink += page[0];
		phase = 1; /* the translation is cached (read-only, or not executable) */
		while (cmd == READ)
			sink += page[0];
		if (cmd == WRITE)
			page[0] = value;
		else
			((void (*)(void))page)();
		phase = 2;
		while (cmd != IDLE)
			sched_yield();
		phase = 0;
	}
}

/* Tells the reader to read the page, then runs change(), then asks for what, and waits. */
static void step(int what, void (*change)(void))
{
	fault_code = 0;
	cmd = READ;
	while (phase != 1)
		sched_yield();
	change();
	cmd = what;
	while (phase != 2)
		sched_yield();
	cmd = IDLE;
	while (phase != 0)
		sched_yield();
}

static void make_writable(void)
{
	mprotect((void *)page, PG, PROT_READ | PROT_WRITE);
}

static void make_read_only(void)
{
	mprotect((void *)page, PG, PROT_READ);
}

static void make_executable(void)
{
	mprotect((void *)page, PG, PROT_READ | PROT_EXEC);
}

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

int main(void)
{
	struct sigaction sa;
	pthread_t t;
	int write_ok = 0, write_faulted = 0, ro_faulted = 0, ro_kept = 0, call_ok = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = reader_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	pin_to(0);
	pthread_create(&t, NULL, reader, NULL);
	for (int i = 0; i < ITERATIONS; i++) {
		page = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		page[0] = 1;
		make_read_only();
		value = (unsigned long)i + 2;
		step(WRITE, make_writable);
		write_ok += !fault_code && page[0] == value;
		write_faulted += fault_code != 0;
		value = (unsigned long)i + 1000;
		step(WRITE, make_read_only);
		ro_faulted += fault_code == SEGV_ACCERR;
		ro_kept += page[0] == (unsigned long)i + 2;
		munmap((void *)page, PG);

		page = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		*(volatile unsigned char *)page = 0xc3; /* ret */
		make_read_only();
		step(CALL, make_executable);
		call_ok += !fault_code;
		munmap((void *)page, PG);
	}
	cmd = QUIT;
	pthread_join(t, NULL);
	printf("PROT_READ -> PROT_READ|PROT_WRITE under a reader (%d times)\n", ITERATIONS);
	printf("  its next write landed, without a signal: %s\n", yes(write_ok == ITERATIONS));
	printf("  a write raised SIGSEGV: %s\n", yes(write_faulted));
	printf("then PROT_READ again\n");
	printf("  its next write faulted with SEGV_ACCERR: %s\n", yes(ro_faulted == ITERATIONS));
	printf("  the page kept the write before: %s\n", yes(ro_kept == ITERATIONS));
	printf("PROT_READ -> PROT_READ|PROT_EXEC of a ret under a reader\n");
	printf("  its next call returned, without a signal: %s\n", yes(call_ok == ITERATIONS));
	return 0;
}
