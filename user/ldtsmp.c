// SPDX-License-Identifier: MIT
/*
 * Run with 4 CPUs (tests/user/smp4-only): modify_ldt(2) while another thread of the process runs
 * on another CPU with an LDT selector in GS. Thread W, pinned to CPU 1, loads GS from LDT entry 1
 * (a data segment whose base is one of the values below) and reads through it; the main thread,
 * pinned to CPU 0, rewrites entry 1 with another base. Linux reloads the LDT on every CPU running
 * the mm before modify_ldt returns (flush_ldt), so W's next GS load must see the new descriptor,
 * never the old table (which is freed). Then 2000 rewrites in lockstep, and 2000 more where W
 * reloads GS without waiting (any of the written values, never a fault or a stale base read from
 * freed memory).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

struct user_desc_raw {
	unsigned int entry_number, base_addr, limit;
	unsigned int flags; /* seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1
				seg_not_present:1 useable:1 lm:1 */
};

#define NVALS 16
static volatile int vals[NVALS]; /* the bases LDT entry 1 points at: a static binary, below 4 GiB */
static volatile int seq, ack, stop;
static volatile int wrong, stray;

#define SEL ((unsigned short)(1 << 3 | 4 | 3)) /* LDT entry 1, RPL 3 */

/* Points LDT entry 1 at vals[k % NVALS]: a 32-bit read/write data segment, limit 4 KiB. */
static long set_entry(int k)
{
	struct user_desc_raw d = { 1, (unsigned int)(unsigned long)&vals[k % NVALS], 0xfff,
				   1 | (1 << 4) };
	return syscall(SYS_modify_ldt, 1, &d, sizeof d);
}

/* Loads GS from LDT entry 1 and reads the int at its base. */
static int read_gs(void)
{
	int v;

	__asm__ volatile("mov %w1, %%gs\n\tmovl %%gs:0, %0" : "=r"(v) : "r"(SEL) : "memory");
	return v;
}

static void clear_gs(void)
{
	__asm__ volatile("mov %w0, %%gs" ::"r"(0));
}

static int pin(int cpu)
{
	unsigned long m = 1UL << cpu;

	return (int)syscall(SYS_sched_setaffinity, 0, sizeof m, &m);
}

static int current_cpu(void)
{
	unsigned int cpu = 99;

	if (syscall(SYS_getcpu, &cpu, NULL, NULL))
		return -1;
	return (int)cpu;
}

static volatile int w_cpu = -1, first = -1, second = -1;

static void *worker(void *arg)
{
	(void)arg;
	if (pin(1))
		return (void *)1L;
	w_cpu = current_cpu();
	first = read_gs();
	ack = 1;
	while (seq != 1) /* spin in user mode with the old LDT loaded */
		;
	second = read_gs();
	ack = 2;
	/* lockstep: after rewrite k returns, the next load sees vals[k % NVALS] */
	for (int k = 2; k < 2002; k++) {
		while (seq != k)
			;
		if (read_gs() != 1000 + k % NVALS)
			wrong++;
		ack = k + 1;
	}
	/* free-running: every load reads one of the values, never anything else */
	while (!stop) {
		int v = read_gs();
		if (v < 1000 || v >= 1000 + NVALS)
			stray++;
	}
	clear_gs();
	return NULL;
}

int main(void)
{
	pthread_t t;

	for (int i = 0; i < NVALS; i++)
		vals[i] = 1000 + i;
	if (pin(0)) {
		printf("sched_setaffinity failed\n");
		return 1;
	}
	if (set_entry(0)) {
		printf("modify_ldt failed\n");
		return 1;
	}
	if (pthread_create(&t, NULL, worker, NULL)) {
		printf("pthread_create failed\n");
		return 1;
	}
	while (ack != 1)
		;
	set_entry(1);
	seq = 1;
	while (ack != 2)
		;
	for (int k = 2; k < 2002; k++) {
		set_entry(k);
		seq = k;
		while (ack != k + 1)
			;
	}
	for (int k = 0; k < 2000; k++)
		set_entry(k);
	stop = 1;
	pthread_join(t, NULL);
	printf("worker on another CPU: %s\n", w_cpu > 0 ? "yes" : "no");
	printf("before rewrite: %d, after: %d\n", first, second);
	printf("lockstep rewrites seen late: %d\n", wrong);
	printf("free-running loads of a wrong value: %d\n", stray);
	return 0;
}
