// SPDX-License-Identifier: MIT
/*
 * Deliberate kernel crashes, run only when named (test=crash_...): each must end in a full panic
 * report and QEMU's panic status. tools/runtests checks the reports; a user can watch one with
 * `make selftest TEST=crash_null_deref`.
 */
#include "kernel/selftest.h"
#include "kernel/panic.h"
#include "arch/x86_64/layout.h"
#include "mm/frame.h"
#include "mm/vmalloc.h"

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

/* Starts the recursion on the stack whose top is sp (never returns: the recursion is endless). */
static void __noinline recurse_on(u64 sp)
{
	__asm__ __volatile__("mov %0, %%rsp\n\t"
			     "xor %%edi, %%edi\n\t"
			     "call %P1\n\t"
			     "ud2"
			     :
			     : "r"(sp), "i"(recurse)
			     : "memory");
}

/* A task's kernel stack (vmalloc'd, guard page below) overflowing: a reported double fault. */
SELFTEST_CRASH(crash_task_stack_overflow)
{
	u8 *stack = vmalloc(KSTACK_SIZE, GFP_KERNEL);

	BUG_ON(!stack);
	recurse_on((u64)stack + KSTACK_SIZE);
}
