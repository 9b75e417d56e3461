/* futexshared: futexes between tasks (issue 17 item 4). Warden has no threads yet, so the
 * waiters are forked children waiting on MAP_SHARED words (shared futexes), and CLONE_VM
 * children for the cases that need one address space: the same page mapped at two addresses
 * (mremap with old_size 0 makes an alias) and CLONE_CHILD_CLEARTID's wake at exit.
 *
 * Deterministic: before the waker acts, it waits until the waiters are really queued, counted
 * with FUTEX_REQUEUE from a word to itself with nr_wake 0 (Linux 6.1 moves each waiter of the
 * word to the word itself and returns how many there were, waking none). Children record
 * their results in shared memory; only the parent prints. No pid, address or time is printed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include "common.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define P 128 /* FUTEX_PRIVATE_FLAG */
#define OP(op, oparg, cmp, cmparg) \
	((((op)&0xf) << 28) | (((cmp)&0xf) << 24) | (((oparg)&0xfff) << 12) | ((cmparg)&0xfff))

#define CLONE_VM 0x00000100
#define CLONE_CHILD_CLEARTID 0x00200000

static long futex(const void *uaddr, long op, long val, long utime, const void *uaddr2, long val3)
{
	return sys6(SYS_futex, (long)uaddr, op, val, utime, (long)uaddr2, val3);
}

/* What the parent and its children share. */
struct shm {
	uint32_t w[16];
	volatile long res[4];
	volatile int handler_runs;
	volatile int ready;
};
static struct shm *shm;

/* Prints a result as show() does, without a libc errno. */
static void R(const char *what, long r)
{
	show(what, r);
}

/* Raw millisecond sleep (also safe in a CLONE_VM child: no libc state). */
static void nap(void)
{
	struct timespec t = { 0, 1000000 };

	sys2(SYS_nanosleep, (long)&t, 0);
}

/* How many tasks wait on uaddr (priv: with FUTEX_PRIVATE_FLAG's key), none woken. */
static long count_waiters(uint32_t *uaddr, int priv)
{
	return futex(uaddr, FUTEX_REQUEUE | priv, 0, INT_MAX, uaddr, 0);
}

/* Waits (up to 20 s) until n tasks wait on uaddr; 1 if they did. */
static int wait_waiters(uint32_t *uaddr, int priv, long n)
{
	for (int i = 0; i < 20000; i++) {
		if (count_waiters(uaddr, priv) == n)
			return 1;
		nap();
	}
	printf("FAIL: %ld waiter(s) never came\n", n);
	return 0;
}

/* Forks a child that runs fn(arg), then exits 0. */
static pid_t spawn(void (*fn)(int), int arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return pid;
}

static void reap(pid_t pid)
{
	int st;

	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("  child ended with status 0x%x\n", st);
}

/* res[i] = FUTEX_WAIT on w[i] (value 0), shared. */
static void wait_w(int i)
{
	shm->res[i & 3] = futex(&shm->w[i >> 2], FUTEX_WAIT, shm->w[i >> 2], 0, 0, 0);
}

static void test_wait_wake(void)
{
	printf("-- a forked child waits, its parent wakes\n");
	shm->w[0] = 0;
	pid_t c = spawn(wait_w, 0 << 2 | 0);
	if (wait_waiters(&shm->w[0], 0, 1))
		R("WAKE(1) from the parent", futex(&shm->w[0], FUTEX_WAKE, 1, 0, 0, 0));
	reap(c);
	R("  the child's WAIT", shm->res[0]);
	R("WAKE(1) again", futex(&shm->w[0], FUTEX_WAKE, 1, 0, 0, 0));
}

/* res[0] = FUTEX_WAIT|PRIVATE on w[1], 200 ms. */
static void wait_private(int unused)
{
	struct timespec t = { 0, 200000000 };

	(void)unused;
	shm->ready = 1;
	shm->res[0] = futex(&shm->w[1], FUTEX_WAIT | P, 0, (long)&t, 0, 0);
}

static void test_private(void)
{
	printf("-- a private futex is the process's own\n");
	shm->w[1] = 0;
	shm->ready = 0;
	pid_t c = spawn(wait_private, 0);
	while (!shm->ready)
		nap();
	R("count of the child's private waiters, seen from the parent",
	  count_waiters(&shm->w[1], P));
	R("WAKE|PRIVATE(1) from the parent", futex(&shm->w[1], FUTEX_WAKE | P, 1, 0, 0, 0));
	R("WAKE(1) (shared) from the parent", futex(&shm->w[1], FUTEX_WAKE, 1, 0, 0, 0));
	reap(c);
	R("  the child's WAIT|PRIVATE with a 200 ms timeout", shm->res[0]);
}

static void test_requeue(void)
{
	printf("-- FUTEX_CMP_REQUEUE between two words\n");
	shm->w[2] = shm->w[3] = 0;
	pid_t c1 = spawn(wait_w, 2 << 2 | 0), c2 = spawn(wait_w, 2 << 2 | 1);
	if (wait_waiters(&shm->w[2], 0, 2)) {
		R("CMP_REQUEUE(w2 -> w3, nr_wake 0, nr_requeue 1, val3 1)",
		  futex(&shm->w[2], FUTEX_CMP_REQUEUE, 0, 1, &shm->w[3], 1));
		R("CMP_REQUEUE(w2 -> w3, nr_wake 0, nr_requeue 1, val3 0)",
		  futex(&shm->w[2], FUTEX_CMP_REQUEUE, 0, 1, &shm->w[3], 0));
		R("  waiters on w2", count_waiters(&shm->w[2], 0));
		R("  waiters on w3", count_waiters(&shm->w[3], 0));
		R("  waiters on w3, private key", count_waiters(&shm->w[3], P));
		R("CMP_REQUEUE(w2 -> w3, nr_wake 1, nr_requeue 5, val3 0)",
		  futex(&shm->w[2], FUTEX_CMP_REQUEUE, 1, 5, &shm->w[3], 0));
		R("WAKE(w2, INT_MAX)", futex(&shm->w[2], FUTEX_WAKE, INT_MAX, 0, 0, 0));
		R("WAKE(w3, INT_MAX)", futex(&shm->w[3], FUTEX_WAKE, INT_MAX, 0, 0, 0));
	}
	reap(c1);
	reap(c2);
	R("  first child's WAIT", shm->res[0]);
	R("  second child's WAIT", shm->res[1]);

	printf("-- FUTEX_REQUEUE: one woken, one moved\n");
	shm->w[2] = shm->w[3] = 0;
	c1 = spawn(wait_w, 2 << 2 | 0);
	c2 = spawn(wait_w, 2 << 2 | 1);
	if (wait_waiters(&shm->w[2], 0, 2)) {
		R("REQUEUE(w2 -> w3, 1, 1)", futex(&shm->w[2], FUTEX_REQUEUE, 1, 1, &shm->w[3], 0));
		R("  waiters on w2", count_waiters(&shm->w[2], 0));
		if (wait_waiters(&shm->w[3], 0, 1))
			R("WAKE(w3, 1)", futex(&shm->w[3], FUTEX_WAKE, 1, 0, 0, 0));
	}
	reap(c1);
	reap(c2);
	R("  first child's WAIT", shm->res[0]);
	R("  second child's WAIT", shm->res[1]);
}

/* res[0] = FUTEX_WAIT on w[5] with its value at the start. */
static void wait_w5(int unused)
{
	(void)unused;
	shm->res[0] = futex(&shm->w[5], FUTEX_WAIT, shm->w[5], 0, 0, 0);
}

/* One FUTEX_WAKE_OP(w4, w5) with a waiter on w5 (value before): woken or not by the cmp. */
static void wake_op_case(const char *what, uint32_t before, long op)
{
	char line[160];

	shm->w[5] = before;
	pid_t c = spawn(wait_w5, 0);
	if (!wait_waiters(&shm->w[5], 0, 1))
		return;
	long r = futex(&shm->w[4], FUTEX_WAKE_OP, 1, 1, &shm->w[5], op);
	snprintf(line, sizeof line, "WAKE_OP(%s) on 0x%x", what, before);
	printf("%s: %ld, w5 now 0x%x\n", line, r, shm->w[5]);
	if (r == 0)
		futex(&shm->w[5], FUTEX_WAKE, 1, 0, 0, 0);
	reap(c);
}

static void test_wake_op(void)
{
	printf("-- FUTEX_WAKE_OP with a waiter on the second word\n");
	static const struct {
		const char *name;
		int cmp, arg;
	} cases[] = {
		{ "EQ 5", 0, 5 }, { "EQ 4", 0, 4 }, { "NE 5", 1, 5 }, { "NE 4", 1, 4 },
		{ "LT 6", 2, 6 }, { "LT 5", 2, 5 }, { "LE 5", 3, 5 }, { "LE 4", 3, 4 },
		{ "GT 4", 4, 4 }, { "GT 5", 4, 5 }, { "GE 5", 5, 5 }, { "GE 6", 5, 6 },
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char what[48];
		snprintf(what, sizeof what, "ADD 1, cmp %s", cases[i].name);
		wake_op_case(what, 5, OP(1, 1, cases[i].cmp, cases[i].arg));
	}
	wake_op_case("SET 0, cmp LT 0 (signed)", 0xffffffff, OP(0, 0, 2, 0));
	wake_op_case("SET 0, cmp GT -2048 (signed)", 0xfffff801, OP(0, 0, 4, -2048));
	wake_op_case("SET 0, cmp GT 2047", 0x80000000, OP(0, 0, 4, 2047));

	shm->w[4] = 0;
	shm->w[5] = 5;
	pid_t c1 = spawn(wait_w, 4 << 2 | 1);
	pid_t c2 = spawn(wait_w5, 0);
	if (wait_waiters(&shm->w[4], 0, 1) && wait_waiters(&shm->w[5], 0, 1))
		R("WAKE_OP(w4 and w5 waited on, SET 7, cmp EQ 5)",
		  futex(&shm->w[4], FUTEX_WAKE_OP, 1, 1, &shm->w[5], OP(0, 7, 0, 5)));
	reap(c1);
	reap(c2);
	R("  w4's waiter", shm->res[1]);
	R("  w5's waiter", shm->res[0]);
}

/* res[i & 3] = FUTEX_WAIT_BITSET on w[6] (value 0) with bitset 1. */
static void wait_bitset(int i)
{
	shm->res[i & 3] = futex(&shm->w[6], FUTEX_WAIT_BITSET, 0, 0, 0, 1);
}

static void test_bitset_counts(void)
{
	printf("-- bitsets, wake counts\n");
	shm->w[6] = 0;
	pid_t c = spawn(wait_bitset, 0);
	if (wait_waiters(&shm->w[6], 0, 1)) {
		R("WAKE_BITSET(INT_MAX, 0x2)", futex(&shm->w[6], FUTEX_WAKE_BITSET, INT_MAX, 0, 0, 2));
		R("WAKE_BITSET(INT_MAX, 0x3)", futex(&shm->w[6], FUTEX_WAKE_BITSET, INT_MAX, 0, 0, 3));
	}
	reap(c);
	R("  the waiter's WAIT_BITSET(0x1)", shm->res[0]);

	shm->w[7] = 0;
	pid_t c1 = spawn(wait_w, 7 << 2 | 0), c2 = spawn(wait_w, 7 << 2 | 1);
	pid_t c3 = spawn(wait_w, 7 << 2 | 2);
	if (wait_waiters(&shm->w[7], 0, 3)) {
		R("WAKE(0) with three waiters", futex(&shm->w[7], FUTEX_WAKE, 0, 0, 0, 0));
		R("WAKE(-1)", futex(&shm->w[7], FUTEX_WAKE, -1, 0, 0, 0));
		R("  waiters left", count_waiters(&shm->w[7], 0));
		R("WAKE(INT_MAX)", futex(&shm->w[7], FUTEX_WAKE, INT_MAX, 0, 0, 0));
	}
	reap(c1);
	reap(c2);
	reap(c3);
	R("  their WAITs (sum)", shm->res[0] + shm->res[1] + shm->res[2]);
}

static void on_usr1(int sig)
{
	(void)sig;
	shm->handler_runs++;
}

/* A waiter on w[8] with a SIGUSR1 handler: mode 0 no SA_RESTART, 1 SA_RESTART, 2 SA_RESTART
 * and a 10 s relative timeout, 3 SA_RESTART and an absolute WAIT_BITSET timeout in 10 s. */
static void wait_signalled(int mode)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = mode ? SA_RESTART : 0 };
	struct timespec t = { 10, 0 };

	sigaction(SIGUSR1, &sa, NULL);
	if (mode == 3) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		t.tv_sec += 10;
		shm->res[0] = futex(&shm->w[8], FUTEX_WAIT_BITSET, 0, (long)&t, 0, -1);
	} else {
		shm->res[0] = futex(&shm->w[8], FUTEX_WAIT, 0, mode >= 2 ? (long)&t : 0, 0, 0);
	}
}

static void test_signals(void)
{
	static const char *const modes[] = {
		"handler without SA_RESTART, no timeout",
		"handler with SA_RESTART, no timeout",
		"handler with SA_RESTART, relative timeout",
		"handler with SA_RESTART, WAIT_BITSET absolute timeout",
	};

	printf("-- a waiter and a signal\n");
	for (int mode = 0; mode < 4; mode++) {
		shm->w[8] = 0;
		shm->handler_runs = 0;
		shm->res[0] = 12345;
		pid_t c = spawn(wait_signalled, mode);
		printf("%s:\n", modes[mode]);
		if (!wait_waiters(&shm->w[8], 0, 1))
			continue;
		kill(c, SIGUSR1);
		while (!shm->handler_runs)
			nap();
		if (mode == 1 && wait_waiters(&shm->w[8], 0, 1)) {
			printf("  waiting again after the handler\n");
			R("  WAKE(1)", futex(&shm->w[8], FUTEX_WAKE, 1, 0, 0, 0));
		}
		reap(c);
		R("  the WAIT", shm->res[0]);
		printf("  handler runs: %d\n", shm->handler_runs);
	}
}

/* A waiter on w[9] that is stopped and continued: mode 0 no timeout, 1 a 300 ms timeout. */
static void wait_stopped(int mode)
{
	struct timespec t = { 0, 300000000 }, t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	shm->res[0] = futex(&shm->w[9], FUTEX_WAIT, 0, mode ? (long)&t : 0, 0, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	shm->res[1] = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
}

static void test_stop(void)
{
	printf("-- a waiter stopped and continued\n");
	for (int mode = 0; mode < 2; mode++) {
		int st;

		shm->w[9] = 0;
		pid_t c = spawn(wait_stopped, mode);
		if (!wait_waiters(&shm->w[9], 0, 1))
			continue;
		kill(c, SIGSTOP);
		waitpid(c, &st, WUNTRACED);
		printf("%s: stopped: %s\n", mode ? "300 ms timeout" : "no timeout",
		       WIFSTOPPED(st) ? "yes" : "no");
		kill(c, SIGCONT);
		if (mode == 0 && wait_waiters(&shm->w[9], 0, 1)) {
			printf("  waiting again after SIGCONT\n");
			R("  WAKE(1)", futex(&shm->w[9], FUTEX_WAKE, 1, 0, 0, 0));
		}
		reap(c);
		R("  the WAIT", shm->res[0]);
		if (mode)
			printf("  it ended within 300 ms to 3 s of its start: %s\n",
			       shm->res[1] >= 290 && shm->res[1] < 3000 ? "yes" : "no");
	}

	shm->w[9] = 0;
	pid_t c = spawn(wait_stopped, 0);
	if (wait_waiters(&shm->w[9], 0, 1)) {
		int st;
		kill(c, SIGKILL);
		waitpid(c, &st, 0);
		printf("SIGKILL to a waiter: killed by signal %d\n",
		       WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		R("  waiters left", count_waiters(&shm->w[9], 0));
	}
}

static char child_stack[65536] __attribute__((aligned(16)));
static uint32_t *vm_word;
static int vm_op;
static volatile long vm_res;

/* clone(CLONE_VM) with a stack of its own: the child runs fn there, then exits with its value. */
static long clone_vm(unsigned long flags, int (*fn)(void), uint32_t *ctid)
{
	fflush(stdout); /* before the register variables: a call would clobber r10 and r8 */
	register long r10 __asm__("r10") = (long)ctid;
	register long r8 __asm__("r8") = 0;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "call *%%rbx\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov $60, %%eax\n\t"
			 "syscall\n\t"
			 "hlt\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(SYS_clone), "D"(flags), "S"(child_stack + sizeof(child_stack)),
			   "d"(0), "r"(r10), "r"(r8), "b"(fn)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The CLONE_VM child: vm_res = FUTEX_WAIT(vm_op) on *vm_word (value 0). */
static int vm_waiter(void)
{
	vm_res = futex(vm_word, vm_op, 0, 0, 0, 0);
	return 0;
}

static void test_alias(void)
{
	printf("-- one page at two addresses (mremap old_size 0)\n");
	uint32_t *a = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint32_t *b = mremap(a, 0, 4096, MREMAP_MAYMOVE);
	if (a == MAP_FAILED || b == MAP_FAILED) {
		printf("mmap or mremap failed\n");
		return;
	}
	a[1] = 7;
	printf("the alias shows the same word: %s, at another address: %s\n",
	       b[1] == 7 ? "yes" : "no", a != b ? "yes" : "no");
	for (int priv = 0; priv <= P; priv += P) {
		const char *kind = priv ? "private" : "shared";
		int st;

		a[0] = 0;
		vm_word = &a[0];
		vm_op = FUTEX_WAIT | priv;
		vm_res = 12345;
		long pid = clone_vm(CLONE_VM | SIGCHLD, vm_waiter, NULL);
		if (pid < 0) {
			R("clone(CLONE_VM)", pid);
			return;
		}
		printf("CLONE_VM child waits (%s) at the first address\n", kind);
		if (wait_waiters(&a[0], priv, 1)) {
			R("  waiters counted at the alias", count_waiters(&b[0], priv));
			R("  WAKE at the alias", futex(&b[0], FUTEX_WAKE | priv, 1, 0, 0, 0));
			R("  WAKE at the first address", futex(&a[0], FUTEX_WAKE | priv, 1, 0, 0, 0));
		}
		waitpid(pid, &st, 0);
		R("  the child's WAIT", vm_res);
	}

	printf("-- a file mapped by two processes at different addresses\n");
	ensure_tmp();
	int fd = open("/tmp/futexshared.f", O_RDWR | O_CREAT | O_TRUNC, 0600);
	ftruncate(fd, 8192);
	unlink("/tmp/futexshared.f");
	uint32_t *f = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	f[1024 + 3] = 0;
	shm->ready = 0;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		/* the second page only, at a new address, after a 3-page hole */
		uint32_t *g = mmap(NULL, 5 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		g = mmap((char *)g + 3 * 4096, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			 fd, 4096);
		shm->ready = g != f + 1024;
		shm->res[0] = futex(&g[3], FUTEX_WAIT, 0, 0, 0, 0);
		_exit(0);
	}
	if (wait_waiters(&f[1024 + 3], 0, 1)) {
		printf("the child's address differs: %s\n", shm->ready ? "yes" : "no");
		R("WAKE at the parent's address of the word", futex(&f[1024 + 3], FUTEX_WAKE, 1, 0, 0, 0));
	}
	reap(c);
	R("  the child's WAIT", shm->res[0]);
}

/* The CLONE_CHILD_CLEARTID child: exits once its parent waits on the tid word. */
static int vm_exiter(void)
{
	for (int i = 0; i < 20000 && count_waiters(vm_word, vm_op) != 1; i++)
		nap();
	return 0;
}

static void test_cleartid(void)
{
	static uint32_t tid_word;

	printf("-- CLONE_CHILD_CLEARTID: the word cleared and a waiter woken at exit\n");
	for (int priv = 0; priv <= P; priv += P) {
		struct timespec t = { 0, 300000000 };
		int st;

		tid_word = 12345;
		vm_word = &tid_word;
		vm_op = priv;
		long pid = clone_vm(CLONE_VM | CLONE_CHILD_CLEARTID | SIGCHLD, vm_exiter, &tid_word);
		if (pid < 0) {
			R("clone(CLONE_VM | CLONE_CHILD_CLEARTID)", pid);
			return;
		}
		R(priv ? "WAIT|PRIVATE(tid word, 300 ms) (the kernel's wake is shared)"
		       : "WAIT(tid word) (shared)",
		  futex(&tid_word, FUTEX_WAIT | priv, 12345, priv ? (long)&t : 0, 0, 0));
		waitpid(pid, &st, 0);
		printf("  tid word now %u\n", tid_word);
	}
}

int main(void)
{
	shm = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		printf("mmap failed\n");
		return 1;
	}
	test_wait_wake();
	test_private();
	test_requeue();
	test_wake_op();
	test_bitset_counts();
	test_signals();
	test_stop();
	test_alias();
	test_cleartid();
	printf("futexshared: done\n");
	return 0;
}
