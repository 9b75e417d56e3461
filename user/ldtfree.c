// SPDX-License-Identifier: MIT
/*
 * ldtfree (Warden suite, and warden-smp4 with 4 CPUs; booted with debug_vm poison lockcheck, so
 * freed memory is poisoned): no CPU ever uses an LDT after it was freed. A thread pinned to
 * CPU 1 loads GS from LDT entry 1 over and over and reads through it, while the main thread on
 * CPU 0 replaces the table 3000 times (every replacement frees the old one), grows it to
 * different sizes (different kmalloc caches), and now and then forks a child that writes its
 * own LDT and exits (its mm, and its table, go while CPUs may still describe it). A CPU that
 * kept a freed table would read a poisoned descriptor: SIGSEGV, or a wrong value.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct user_desc_raw {
	unsigned int entry_number, base_addr, limit;
	unsigned int flags; /* seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1 ... */
};

#define NVALS 8
static volatile int vals[NVALS];
static volatile int stop, loads, stray;

#define SEL ((unsigned short)(1 << 3 | 4 | 3)) /* LDT entry 1, RPL 3 */

/* Points LDT entry n at vals[k % NVALS]: a 32-bit read/write data segment. */
static long set_entry(unsigned int n, int k)
{
	struct user_desc_raw d = { n, (unsigned int)(unsigned long)&vals[k % NVALS], 0xfff,
				   1 | (1 << 4) };
	return syscall(SYS_modify_ldt, 1, &d, sizeof d);
}

static int read_gs(void)
{
	int v;

	__asm__ volatile("mov %w1, %%gs\n\tmovl %%gs:0, %0" : "=r"(v) : "r"(SEL) : "memory");
	return v;
}

static void pin(int cpu)
{
	unsigned long m = 1UL << cpu;

	syscall(SYS_sched_setaffinity, 0, sizeof m, &m); /* one CPU: EINVAL for 1, stays */
}

static void *worker(void *arg)
{
	(void)arg;
	pin(1);
	while (!stop) {
		int v = read_gs();

		if (v < 2000 || v >= 2000 + NVALS)
			stray++;
		loads++;
		if (sysconf(_SC_NPROCESSORS_ONLN) < 2 && loads % 64 == 0)
			sched_yield();
	}
	__asm__ volatile("mov %w0, %%gs" ::"r"(0));
	return NULL;
}

int main(void)
{
	pthread_t t;
	int failures = 0, children = 0;

	for (int i = 0; i < NVALS; i++)
		vals[i] = 2000 + i;
	pin(0);
	if (set_entry(1, 0)) {
		printf("FAIL ldtfree: modify_ldt\n");
		return 1;
	}
	if (pthread_create(&t, NULL, worker, NULL)) {
		printf("FAIL ldtfree: pthread_create\n");
		return 1;
	}
	for (int k = 0; k < 3000; k++) {
		if (set_entry(1, k))
			failures++;
		if (k % 300 == 0) /* a bigger table: another kmalloc size */
			set_entry(2 + (unsigned int)(k / 300) * 700, k);
		if (k % 500 == 0) {
			pid_t pid = fork();
			int st;

			if (pid == 0) {
				set_entry(3, k); /* the child's own copy, replaced, then freed */
				_exit(read_gs() == 2000 + k % NVALS ? 0 : 1);
			}
			if (waitpid(pid, &st, 0) != pid || st != 0) {
				printf("FAIL ldtfree: child %d status %#x\n", k, st);
				failures++;
			}
			children++;
		}
		if (sysconf(_SC_NPROCESSORS_ONLN) < 2 && k % 16 == 0)
			sched_yield();
	}
	stop = 1;
	pthread_join(t, NULL);
	if (stray) {
		printf("FAIL ldtfree: %d of %d loads read a wrong value\n", stray, loads);
		failures++;
	}
	if (read_gs() != 2000 + 2999 % NVALS) {
		printf("FAIL ldtfree: the last table is not the one in use\n");
		failures++;
	}
	__asm__ volatile("mov %w0, %%gs" ::"r"(0));
	printf("ldtfree: %d replacements, %d children, %s\n", 3000, children,
	       failures ? "failed" : "ok");
	return failures;
}
