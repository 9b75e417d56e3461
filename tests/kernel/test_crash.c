// SPDX-License-Identifier: MIT
/*
 * Deliberate kernel crashes, run only when named (test=crash_...): each must end in a full panic
 * report and QEMU's panic status. tools/runtests checks the reports; a user can watch one with
 * `make selftest TEST=crash_null_deref`.
 */
#include "kernel/selftest.h"
#include "kernel/panic.h"

/* The pointer is volatile so the compiler cannot see the NULL and turn the store into a trap. */
static int *volatile null_pointer;

SELFTEST_CRASH(crash_null_deref)
{
	*null_pointer = 1;
}

/* Recursion deep enough to run through the boot stack's guard page: a reported double fault. */
static volatile u64 recursion_limit = ~0ULL;

static __noinline u64 recurse(u64 depth)
{
	volatile u8 frame[256];

	frame[0] = (u8)depth;
	if (depth >= recursion_limit)
		return frame[0];
	return recurse(depth + 1) + frame[0];
}

SELFTEST_CRASH(crash_stack_overflow)
{
	recurse(0);
}

SELFTEST_CRASH(crash_invalid_opcode)
{
	__asm__ __volatile__("ud2");
}

SELFTEST_CRASH(crash_bug_on)
{
	volatile int broken = 1;
	BUG_ON(broken);
}
