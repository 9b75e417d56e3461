/* tlbshoot.h: the TLB-shootdown tests' writer (issue 18 item 5). A thread pinned to CPU 1 (when
 * there is one: sched_setaffinity may fail, on one CPU, and that is fine) writes a counter into
 * a page in a tight loop, so that its CPU caches the page's translation, while the main thread,
 * pinned to CPU 0, changes the mapping under it (mprotect, munmap, mremap, pkey_mprotect,
 * MADV_DONTNEED, fork). Once the call returned, at most the one write already in flight may
 * still land through the old translation; the next one must fault (or, for MADV_DONTNEED and
 * fork, land where the new mapping says). On one CPU the writer is simply preempted.
 *
 * Each scenario runs ITERATIONS times, to give a stale TLB entry a real chance to show, and the
 * program prints only yes/no verdicts over all of them: never a count that depends on timing.
 *
 * Protocol (all through struct shared, in its own page): main sets target and bumps go; the
 * writer resets done and writes 1, 2, 3... into *target, storing each value in done after the
 * store; it stops when stop is set or when a write faults (the SIGSEGV handler records si_code
 * and si_addr, then siglongjmps back); either way it records done in end_done and sets ack = go.
 */
#ifndef USER_TLBSHOOT_H
#define USER_TLBSHOOT_H

#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ITERATIONS 200
#define WARM_WRITES 64 /* writes the writer does before the call: its TLB holds the page */
#define NO_FAULT_LIMIT 2000000 /* writes after the call without a fault: the test failed */
#define PG 4096UL

struct shared {
	volatile unsigned long *volatile target;
	volatile unsigned long go, ack, stop, quit;
	volatile unsigned long done, end_done;
	volatile long fault_code; /* si_code of the fault that ended the run, 0: none */
	volatile unsigned long fault_addr;
};

static struct shared *sh;
static sigjmp_buf writer_env;
static pthread_t writer_thread;

static inline const char *yes(int c)
{
	return c ? "yes" : "no";
}

/* Pins the calling thread to cpu; on a machine without it nothing happens (no output either). */
static inline void pin_to(int cpu)
{
	unsigned long mask = 1UL << cpu;

	syscall(SYS_sched_setaffinity, 0, sizeof(mask), &mask);
}

/* The writer's SIGSEGV: note why, and go back to waiting for the next run. */
static void writer_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	sh->fault_code = si->si_code;
	sh->fault_addr = (unsigned long)si->si_addr;
	siglongjmp(writer_env, 1);
}

static void *writer(void *arg)
{
	static volatile unsigned long seen; /* survives the siglongjmp */

	(void)arg;
	pin_to(1);
	if (sigsetjmp(writer_env, 1)) {
		sh->end_done = sh->done;
		sh->ack = seen;
	}
	for (;;) {
		while (sh->go == seen)
			sched_yield();
		seen = sh->go;
		if (sh->quit)
			return NULL;
		volatile unsigned long *p = sh->target;
		unsigned long n = 0;
		sh->done = 0;
		while (!sh->stop) {
			*p = ++n;
			sh->done = n;
		}
		sh->end_done = sh->done;
		sh->ack = seen;
	}
}

/* Sets up the shared page, the SIGSEGV handler and the writer thread; exits on failure. */
static inline void tlbshoot_init(void)
{
	struct sigaction sa;

	setvbuf(stdout, NULL, _IONBF, 0);
	sh = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		printf("mmap of the shared page failed\n");
		exit(1);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = writer_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	pin_to(0);
	if (pthread_create(&writer_thread, NULL, writer, NULL)) {
		printf("pthread_create failed\n");
		exit(1);
	}
}

/* Starts a run of the writer on page p and returns once it has written WARM_WRITES times. */
static inline void writer_start(volatile unsigned long *p)
{
	sh->target = p;
	sh->stop = 0;
	sh->fault_code = 0;
	sh->fault_addr = 0;
	sh->done = 0;
	sh->go++;
	while (sh->ack != sh->go && sh->done < WARM_WRITES)
		sched_yield();
}

/*
 * Waits for the run to end by itself (a fault). Gives up, stopping the writer, once it wrote
 * NO_FAULT_LIMIT more times than from: then fault_code stays 0.
 */
static inline void writer_wait_fault(unsigned long from)
{
	while (sh->ack != sh->go) {
		if (sh->done - from > NO_FAULT_LIMIT)
			sh->stop = 1;
		sched_yield();
	}
}

/* Lets the writer write at least n more times than from, then stops it and waits for it. */
static inline void writer_run_then_stop(unsigned long from, unsigned long n)
{
	while (sh->ack != sh->go && sh->done < from + n)
		sched_yield();
	sh->stop = 1;
	while (sh->ack != sh->go)
		sched_yield();
}

/* Ends the writer thread. */
static inline void tlbshoot_exit(void)
{
	sh->quit = 1;
	sh->go++;
	pthread_join(writer_thread, NULL);
}

/* A fresh private page, written once (present and writable in the page tables). */
static inline volatile unsigned long *fresh_page(void)
{
	volatile unsigned long *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("mmap failed\n");
		exit(1);
	}
	*p = 0;
	return p;
}

static inline const char *segv_name(long code)
{
	switch (code) {
	case 0:
		return "none";
	case SEGV_MAPERR:
		return "SEGV_MAPERR";
	case SEGV_ACCERR:
		return "SEGV_ACCERR";
	case 4:
		return "SEGV_PKUERR";
	default:
		return "other";
	}
}

/* The verdicts of a faulting scenario, gathered over the iterations. */
struct verdict {
	int runs;
	int wrong_code; /* runs whose fault was not the expected one (or none) */
	int wrong_addr; /* runs whose si_addr was not the page */
	int late_writes; /* runs where more than one write landed after the call returned */
	int other; /* the scenario's own check failed */
	long first_wrong_code; /* the first wrong si_code seen, to say what happened */
};

/*
 * Records one run that should have ended by a fault with code at page p, the writer's done
 * count having been at_return when the call returned.
 */
static inline void verdict_fault(struct verdict *v, long code, volatile unsigned long *p,
			  unsigned long at_return)
{
	v->runs++;
	if (sh->fault_code != code) {
		if (!v->wrong_code)
			v->first_wrong_code = sh->fault_code;
		v->wrong_code++;
	}
	if (sh->fault_addr != (unsigned long)p)
		v->wrong_addr++;
	if (sh->end_done > at_return + 1)
		v->late_writes++;
}

/* Prints a faulting scenario's verdicts: the same lines on Linux and Warden when all is well. */
static inline void verdict_print(const char *what, const struct verdict *v, long code)
{
	printf("%s: %d runs\n", what, v->runs);
	printf("  writer faulted with %s every time: %s", segv_name(code), yes(!v->wrong_code));
	if (v->wrong_code)
		printf(" (%d runs wrong, first %s)", v->wrong_code,
		       segv_name(v->first_wrong_code));
	printf("\n  si_addr the page every time: %s\n", yes(!v->wrong_addr));
	printf("  writes after return <= 1 every time: %s", yes(!v->late_writes));
	if (v->late_writes)
		printf(" (%d runs had more)", v->late_writes);
	printf("\n");
}

#endif
