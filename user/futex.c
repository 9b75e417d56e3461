/* futex: futex(2) in one task (issue 17 item 4): the errors of every operation, the timeouts,
 * FUTEX_WAKE_OP's change of the second word, and which words can be waited on.
 *
 * Each line is "call: result" with a raw futex syscall (no libc wrapper). Nothing here waits
 * for another task, so every wait either fails at once (EAGAIN, EINVAL, EFAULT, ENOSYS) or
 * times out (ETIMEDOUT, 20 ms). Waiting and waking between processes is user/futexshared.c;
 * robust lists are user/robustlist.c. The protection-key lines need a CPU with PKU: on one
 * without (qemu64) the program says so instead (tests/user/futex.percpu).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include "common.h"
#include "pkeys.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_FD 2
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define P FUTEX_PRIVATE_FLAG

#define OP(op, oparg, cmp, cmparg) \
	((((op)&0xf) << 28) | (((cmp)&0xf) << 24) | (((oparg)&0xfff) << 12) | ((cmparg)&0xfff))
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8
#define FUTEX_OP_CMP_EQ 0

static long futex(const void *uaddr, long op, long val, long utime, const void *uaddr2, long val3)
{
	return sys6(SYS_futex, (long)uaddr, op, val, utime, (long)uaddr2, val3);
}

static void R(const char *what, long r)
{
	show(what, r);
}

static struct timespec ts(long sec, long nsec)
{
	return (struct timespec){ sec, nsec };
}

/* An absolute time ms milliseconds from now on clock clk. */
static struct timespec abs_ms(clockid_t clk, long ms)
{
	struct timespec t;

	clock_gettime(clk, &t);
	t.tv_nsec += ms * 1000000;
	t.tv_sec += t.tv_nsec / 1000000000;
	t.tv_nsec %= 1000000000;
	return t;
}

static uint32_t word[4] __attribute__((aligned(16)));

static void test_wait(void)
{
	struct timespec t = ts(0, 20000000);

	printf("-- FUTEX_WAIT, FUTEX_WAIT_BITSET\n");
	word[0] = 1;
	R("WAIT(word == 1, val 0)", futex(word, FUTEX_WAIT, 0, 0, 0, 0));
	R("WAIT|PRIVATE(word == 1, val 0)", futex(word, FUTEX_WAIT | P, 0, 0, 0, 0));
	R("WAIT(word == 1, val 0, timeout 20 ms)", futex(word, FUTEX_WAIT, 0, (long)&t, 0, 0));
	R("WAIT(word == 1, val 1, timeout 20 ms)", futex(word, FUTEX_WAIT, 1, (long)&t, 0, 0));
	R("WAIT|PRIVATE(word == 1, val 1, timeout 20 ms)",
	  futex(word, FUTEX_WAIT | P, 1, (long)&t, 0, 0));
	t = ts(0, 0);
	R("WAIT(val 1, timeout 0)", futex(word, FUTEX_WAIT, 1, (long)&t, 0, 0));
	R("WAIT(val 0, timeout 0) (the value first)", futex(word, FUTEX_WAIT, 0, (long)&t, 0, 0));
	t = ts(0, -1);
	R("WAIT(val 1, timeout {0, -1})", futex(word, FUTEX_WAIT, 1, (long)&t, 0, 0));
	t = ts(-1, 0);
	R("WAIT(val 1, timeout {-1, 0})", futex(word, FUTEX_WAIT, 1, (long)&t, 0, 0));
	t = ts(0, 1000000000);
	R("WAIT(val 1, timeout {0, 1000000000})", futex(word, FUTEX_WAIT, 1, (long)&t, 0, 0));
	R("WAIT(val 0, timeout {0, 1000000000}) (the timeout first)",
	  futex(word, FUTEX_WAIT, 0, (long)&t, 0, 0));
	R("WAIT(val 1, timeout 0xffff800000000000)",
	  futex(word, FUTEX_WAIT, 1, 0xffff800000000000L, 0, 0));
	R("WAIT(val 1, timeout 1)", futex(word, FUTEX_WAIT, 1, 1, 0, 0));

	t = abs_ms(CLOCK_MONOTONIC, 20);
	R("WAIT_BITSET(val 1, monotonic now + 20 ms, any)",
	  futex(word, FUTEX_WAIT_BITSET, 1, (long)&t, 0, -1));
	t = abs_ms(CLOCK_REALTIME, 20);
	R("WAIT_BITSET|CLOCK_REALTIME(val 1, realtime now + 20 ms, any)",
	  futex(word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, (long)&t, 0, -1));
	t = abs_ms(CLOCK_REALTIME, 20);
	R("WAIT_BITSET|CLOCK_REALTIME|PRIVATE(val 1, realtime now + 20 ms, 0x10)",
	  futex(word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME | P, 1, (long)&t, 0, 0x10));
	t = ts(0, 0);
	R("WAIT_BITSET(val 1, monotonic 0 (past), any)",
	  futex(word, FUTEX_WAIT_BITSET, 1, (long)&t, 0, -1));
	R("WAIT_BITSET|CLOCK_REALTIME(val 1, realtime 0 (past), any)",
	  futex(word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, (long)&t, 0, -1));
	R("WAIT_BITSET(val 1, past, bitset 0)", futex(word, FUTEX_WAIT_BITSET, 1, (long)&t, 0, 0));
	R("WAIT_BITSET(val 0, past, bitset 0) (the bitset first)",
	  futex(word, FUTEX_WAIT_BITSET, 0, (long)&t, 0, 0));
	R("WAIT_BITSET(val 0, no timeout, any)", futex(word, FUTEX_WAIT_BITSET, 0, 0, 0, -1));
	t = ts(0, 20000000);
	R("WAIT|CLOCK_REALTIME(val 1, timeout 20 ms)",
	  futex(word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 1, (long)&t, 0, 0));
	R("WAIT|CLOCK_REALTIME(val 1, timeout 0xffff800000000000) (the timeout first)",
	  futex(word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 1, 0xffff800000000000L, 0, 0));
	R("WAKE|CLOCK_REALTIME(1)", futex(word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, 0, 0, 0));
	t = ts(LONG_MAX, 999999999);
	R("WAIT(val 0, timeout {LONG_MAX, 999999999})",
	  futex(word, FUTEX_WAIT, 0, (long)&t, 0, 0));
}

static void test_wake(void)
{
	printf("-- FUTEX_WAKE, FUTEX_WAKE_BITSET (no waiters)\n");
	R("WAKE(1)", futex(word, FUTEX_WAKE, 1, 0, 0, 0));
	R("WAKE|PRIVATE(INT_MAX)", futex(word, FUTEX_WAKE | P, INT_MAX, 0, 0, 0));
	R("WAKE(0)", futex(word, FUTEX_WAKE, 0, 0, 0, 0));
	R("WAKE(-1)", futex(word, FUTEX_WAKE, -1, 0, 0, 0));
	R("WAKE_BITSET(1, any)", futex(word, FUTEX_WAKE_BITSET, 1, 0, 0, -1));
	R("WAKE_BITSET(1, 0)", futex(word, FUTEX_WAKE_BITSET, 1, 0, 0, 0));
	R("WAKE_BITSET|PRIVATE(1, 0)", futex(word, FUTEX_WAKE_BITSET | P, 1, 0, 0, 0));
}

static void test_bad_args(char *none, char *ro, char *shro)
{
	struct timespec t = ts(0, 0);

	printf("-- bad words and operations\n");
	R("WAIT(word + 1)", futex((char *)word + 1, FUTEX_WAIT, 1, 0, 0, 0));
	R("WAIT(word + 2)", futex((char *)word + 2, FUTEX_WAIT | P, 1, 0, 0, 0));
	R("WAKE(word + 1)", futex((char *)word + 1, FUTEX_WAKE, 1, 0, 0, 0));
	R("WAKE|PRIVATE(word + 3)", futex((char *)word + 3, FUTEX_WAKE | P, 1, 0, 0, 0));
	R("WAIT(NULL)", futex(NULL, FUTEX_WAIT, 0, 0, 0, 0));
	R("WAIT|PRIVATE(NULL)", futex(NULL, FUTEX_WAIT | P, 0, 0, 0, 0));
	R("WAKE(NULL)", futex(NULL, FUTEX_WAKE, 1, 0, 0, 0));
	R("WAKE|PRIVATE(NULL) (no look at the memory)", futex(NULL, FUTEX_WAKE | P, 1, 0, 0, 0));
	R("WAIT|PRIVATE(0xffff800000000000)",
	  futex((void *)0xffff800000000000L, FUTEX_WAIT | P, 0, 0, 0, 0));
	R("WAKE|PRIVATE(0xffff800000000000)",
	  futex((void *)0xffff800000000000L, FUTEX_WAKE | P, 1, 0, 0, 0));
	R("WAKE|PRIVATE(0x7ffffffffffc)", futex((void *)0x7ffffffffffcL, FUTEX_WAKE | P, 1, 0, 0, 0));
	R("WAKE|PRIVATE(0x7ffffffff000)", futex((void *)0x7ffffffff000L, FUTEX_WAKE | P, 1, 0, 0, 0));
	R("WAIT(PROT_NONE word)", futex(none, FUTEX_WAIT, 0, 0, 0, 0));
	R("WAIT|PRIVATE(PROT_NONE word)", futex(none, FUTEX_WAIT | P, 0, 0, 0, 0));
	R("WAKE(PROT_NONE word)", futex(none, FUTEX_WAKE, 1, 0, 0, 0));
	R("WAKE|PRIVATE(PROT_NONE word)", futex(none, FUTEX_WAKE | P, 1, 0, 0, 0));
	R("WAIT(private read-only word == 0, val 1)", futex(ro, FUTEX_WAIT, 1, 0, 0, 0));
	R("WAIT|PRIVATE(private read-only word == 0, val 1)",
	  futex(ro, FUTEX_WAIT | P, 1, 0, 0, 0));
	R("WAIT|PRIVATE(private read-only word == 0, val 0, timeout 0)",
	  futex(ro, FUTEX_WAIT | P, 0, (long)&t, 0, 0));
	R("WAKE(private read-only word)", futex(ro, FUTEX_WAKE, 1, 0, 0, 0));
	R("WAIT(shared read-only word == 0, val 1)", futex(shro, FUTEX_WAIT, 1, 0, 0, 0));
	R("WAIT(shared read-only word == 0, val 0, timeout 0)",
	  futex(shro, FUTEX_WAIT, 0, (long)&t, 0, 0));
	R("WAKE(shared read-only word)", futex(shro, FUTEX_WAKE, 1, 0, 0, 0));
	R("FUTEX_FD", futex(word, FUTEX_FD, 0, 0, 0, 0));
	R("op 14", futex(word, 14, 0, 0, 0, 0));
	R("op 99", futex(word, 99, 0, 0, 0, 0));
	R("op -1", futex(word, -1, 0, 0, 0, 0));
	R("op WAKE | 0x200", futex(word, FUTEX_WAKE | 0x200, 1, 0, 0, 0));
	R("op WAKE | 0x40000000", futex(word, FUTEX_WAKE | 0x40000000, 1, 0, 0, 0));
	R("op WAKE | 1 << 32 (an int: ignored)", futex(word, FUTEX_WAKE | (1L << 32), 1, 0, 0, 0));
}

static void test_requeue(void)
{
	printf("-- FUTEX_REQUEUE, FUTEX_CMP_REQUEUE (no waiters)\n");
	word[0] = 5;
	word[1] = 6;
	R("CMP_REQUEUE(word == 5, val3 4)",
	  futex(&word[0], FUTEX_CMP_REQUEUE, 1, 1, &word[1], 4));
	R("CMP_REQUEUE(word == 5, val3 5)",
	  futex(&word[0], FUTEX_CMP_REQUEUE, 1, 1, &word[1], 5));
	R("CMP_REQUEUE|PRIVATE(word == 5, val3 5)",
	  futex(&word[0], FUTEX_CMP_REQUEUE | P, 1, 1, &word[1], 5));
	R("CMP_REQUEUE(nr_wake -1)", futex(&word[0], FUTEX_CMP_REQUEUE, -1, 1, &word[1], 5));
	R("CMP_REQUEUE(nr_requeue -1)",
	  futex(&word[0], FUTEX_CMP_REQUEUE, 1, 0xffffffffL, &word[1], 5));
	R("CMP_REQUEUE(nr_requeue 1 << 32 (its low 32 bits: 0))",
	  futex(&word[0], FUTEX_CMP_REQUEUE, 1, 1L << 32, &word[1], 5));
	R("CMP_REQUEUE(nr_requeue 0x80000000)",
	  futex(&word[0], FUTEX_CMP_REQUEUE, 1, 0x80000000L, &word[1], 5));
	R("CMP_REQUEUE(nr_requeue -1, val3 4) (the counts first)",
	  futex(&word[0], FUTEX_CMP_REQUEUE, 1, -1, &word[1], 4));
	R("CMP_REQUEUE(uaddr == uaddr2)", futex(&word[0], FUTEX_CMP_REQUEUE, 1, 1, &word[0], 5));
	R("CMP_REQUEUE|PRIVATE(uaddr == uaddr2)",
	  futex(&word[0], FUTEX_CMP_REQUEUE | P, 1, 1, &word[0], 5));
	R("REQUEUE(uaddr == uaddr2)", futex(&word[0], FUTEX_REQUEUE, 1, 1, &word[0], 0));
	R("REQUEUE(1, 1)", futex(&word[0], FUTEX_REQUEUE, 1, 1, &word[1], 0));
	R("REQUEUE(uaddr2 + 1)", futex(&word[0], FUTEX_REQUEUE, 1, 1, (char *)&word[1] + 1, 0));
	R("REQUEUE(uaddr2 NULL)", futex(&word[0], FUTEX_REQUEUE, 1, 1, NULL, 0));
	R("REQUEUE|PRIVATE(uaddr2 NULL)", futex(&word[0], FUTEX_REQUEUE | P, 1, 1, NULL, 0));
	R("CMP_REQUEUE|PRIVATE(uaddr NULL)", futex(NULL, FUTEX_CMP_REQUEUE | P, 1, 1, &word[1], 0));
	R("REQUEUE|PRIVATE(uaddr NULL)", futex(NULL, FUTEX_REQUEUE | P, 1, 1, &word[1], 0));
	R("REQUEUE|PRIVATE(uaddr2 0xffff800000000000)",
	  futex(&word[0], FUTEX_REQUEUE | P, 1, 1, (void *)0xffff800000000000L, 0));
}

/* One FUTEX_WAKE_OP on word[1] (set to before first); prints the result and the new word. */
static void wake_op(const char *what, uint32_t before, long op)
{
	char line[160];

	word[1] = before;
	long r = futex(&word[0], FUTEX_WAKE_OP | P, 1, 1, &word[1], op);
	snprintf(line, sizeof line, "WAKE_OP(%s), word2 0x%x", what, before);
	if (is_err(r))
		printf("%s: -1 %s, word2 now 0x%x\n", line, errname((int)-r), word[1]);
	else
		printf("%s: %ld, word2 now 0x%x\n", line, r, word[1]);
}

static void test_wake_op(char *none, char *ro)
{
	printf("-- FUTEX_WAKE_OP (no waiters: the change of the second word)\n");
	wake_op("SET 3", 5, OP(FUTEX_OP_SET, 3, FUTEX_OP_CMP_EQ, 0));
	wake_op("ADD 3", 5, OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 0));
	wake_op("ADD -1", 0, OP(FUTEX_OP_ADD, -1, FUTEX_OP_CMP_EQ, 0));
	wake_op("ADD 2047", 0xffffffff, OP(FUTEX_OP_ADD, 2047, FUTEX_OP_CMP_EQ, 0));
	wake_op("OR 3", 5, OP(FUTEX_OP_OR, 3, FUTEX_OP_CMP_EQ, 0));
	wake_op("ANDN 4", 5, OP(FUTEX_OP_ANDN, 4, FUTEX_OP_CMP_EQ, 0));
	wake_op("XOR 3", 5, OP(FUTEX_OP_XOR, 3, FUTEX_OP_CMP_EQ, 0));
	wake_op("SET -2048", 5, OP(FUTEX_OP_SET, -2048, FUTEX_OP_CMP_EQ, 0));
	wake_op("SET 1 << 4", 5,
		OP(FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 4, FUTEX_OP_CMP_EQ, 0));
	wake_op("OR 1 << 31", 5,
		OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 31, FUTEX_OP_CMP_EQ, 0));
	wake_op("OR 1 << 40 (masked: 1 << 8)", 5,
		OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 40, FUTEX_OP_CMP_EQ, 0));
	wake_op("XOR 1 << -1 (masked: 1 << 31)", 5,
		OP(FUTEX_OP_XOR | FUTEX_OP_OPARG_SHIFT, -1, FUTEX_OP_CMP_EQ, 0));
	for (int cmp = 1; cmp < 8; cmp++) {
		char what[48];
		snprintf(what, sizeof what, "ADD 1, cmp %d", cmp);
		wake_op(what, 5, OP(FUTEX_OP_ADD, 1, cmp, 5));
	}
	wake_op("ADD 1, cmp 15", 5, OP(FUTEX_OP_ADD, 1, 15, 5));
	for (int op = 5; op < 8; op++) {
		char what[48];
		snprintf(what, sizeof what, "op %d", op);
		wake_op(what, 5, OP(op, 1, FUTEX_OP_CMP_EQ, 5));
	}
	wake_op("op 13 (5 with OPARG_SHIFT)", 5, OP(13, 1, FUTEX_OP_CMP_EQ, 5));
	R("WAKE_OP(uaddr2 word + 1)",
	  futex(&word[0], FUTEX_WAKE_OP | P, 1, 1, (char *)&word[1] + 1, 0));
	R("WAKE_OP(uaddr word + 1)",
	  futex((char *)&word[0] + 1, FUTEX_WAKE_OP | P, 1, 1, &word[1], 0));
	R("WAKE_OP|PRIVATE(uaddr2 NULL)", futex(&word[0], FUTEX_WAKE_OP | P, 1, 1, NULL, 0));
	R("WAKE_OP|PRIVATE(uaddr2 NULL, op 7)",
	  futex(&word[0], FUTEX_WAKE_OP | P, 1, 1, NULL, OP(7, 0, 0, 0)));
	R("WAKE_OP(uaddr2 NULL)", futex(&word[0], FUTEX_WAKE_OP, 1, 1, NULL, 0));
	R("WAKE_OP|PRIVATE(uaddr NULL)", futex(NULL, FUTEX_WAKE_OP | P, 1, 1, &word[1], 0));
	R("WAKE_OP|PRIVATE(uaddr2 PROT_NONE)", futex(&word[0], FUTEX_WAKE_OP | P, 1, 1, none, 0));
	R("WAKE_OP|PRIVATE(uaddr2 read-only)", futex(&word[0], FUTEX_WAKE_OP | P, 1, 1, ro, 0));
	R("WAKE_OP(uaddr2 read-only)", futex(&word[0], FUTEX_WAKE_OP, 1, 1, ro, 0));
	R("WAKE_OP|PRIVATE(uaddr2 0xffff800000000000)",
	  futex(&word[0], FUTEX_WAKE_OP | P, 1, 1, (void *)0xffff800000000000L, 0));
	word[1] = 0;
	R("WAKE_OP(shared, SET 9)", futex(&word[0], FUTEX_WAKE_OP, 1, 1, &word[1], OP(0, 9, 0, 0)));
	printf("  word2 now %u\n", word[1]);
}

/* Words whose protection key forbids access (or writes): the kernel's read honours PKRU. */
static void test_pkeys(void)
{
	printf("-- protection keys\n");
	if (!has_ospke()) {
		printf("no protection keys on this CPU\n");
		return;
	}
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	m[0] = m[4096] = s[0] = 0;
	long k1 = sys2(SYS_pkey_alloc, 0, PKEY_DISABLE_ACCESS);
	long k2 = sys2(SYS_pkey_alloc, 0, PKEY_DISABLE_WRITE);
	printf("pkey_alloc twice: %s\n", k1 > 0 && k2 > 0 ? "ok" : "failed");
	R("pkey_mprotect(page 1, no access key)",
	  sys4(SYS_pkey_mprotect, (long)m, 4096, PROT_READ | PROT_WRITE, k1));
	R("pkey_mprotect(page 2, no write key)",
	  sys4(SYS_pkey_mprotect, (long)m + 4096, 4096, PROT_READ | PROT_WRITE, k2));
	R("pkey_mprotect(shared page, no write key)",
	  sys4(SYS_pkey_mprotect, (long)s, 4096, PROT_READ | PROT_WRITE, k2));
	R("WAIT|PRIVATE(no-access word)", futex(m, FUTEX_WAIT | P, 1, 0, 0, 0));
	R("WAIT(no-access word)", futex(m, FUTEX_WAIT, 1, 0, 0, 0));
	R("WAKE|PRIVATE(no-access word)", futex(m, FUTEX_WAKE | P, 1, 0, 0, 0));
	R("WAKE(no-access word)", futex(m, FUTEX_WAKE, 1, 0, 0, 0));
	R("WAKE_OP|PRIVATE(uaddr2 no-access word)",
	  futex(word, FUTEX_WAKE_OP | P, 1, 1, m, 0));
	R("CMP_REQUEUE|PRIVATE(uaddr no-access word)",
	  futex(m, FUTEX_CMP_REQUEUE | P, 1, 1, word, 0));
	R("WAIT|PRIVATE(no-write word == 0, val 1)", futex(m + 4096, FUTEX_WAIT | P, 1, 0, 0, 0));
	R("WAIT(private no-write word == 0, val 1)", futex(m + 4096, FUTEX_WAIT, 1, 0, 0, 0));
	R("WAIT(shared no-write word == 0, val 1)", futex(s, FUTEX_WAIT, 1, 0, 0, 0));
	R("WAKE_OP|PRIVATE(uaddr2 no-write word)",
	  futex(word, FUTEX_WAKE_OP | P, 1, 1, m + 4096, 0));
	printf("  no-write word still %d\n", m[4096]);
	/* the same words readable again: the keys were all that refused them */
	sys4(SYS_pkey_mprotect, (long)m, 8192, PROT_READ | PROT_WRITE, 0);
	R("WAIT|PRIVATE(word == 0, val 1) after pkey_mprotect(key 0)",
	  futex(m, FUTEX_WAIT | P, 1, 0, 0, 0));
}

int main(void)
{
	char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *sh = mmap(NULL, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED || sh == MAP_FAILED) {
		printf("mmap failed\n");
		return 1;
	}
	char *none = m, *ro = m + 4096;
	mprotect(none, 4096, PROT_NONE);
	mprotect(ro, 4096, PROT_READ);
	test_wait();
	test_wake();
	test_bad_args(none, ro, sh);
	test_requeue();
	test_wake_op(none, ro);
	fflush(stdout);
	test_pkeys();
	printf("futex: done\n");
	return 0;
}
