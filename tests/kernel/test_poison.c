// SPDX-License-Identifier: MIT
/*
 * Self-tests of the `poison` boot option (mm/poison.h): the pattern's layout, what the copy
 * check reports and what it lets through, the allocators' fill, and (a deliberate crash, run by
 * tools/runtests' panic-report suite) a poisoned buffer copied to user space must panic with a
 * report naming the copy's caller, so the checker itself cannot break silently.
 */
#include "kernel/selftest.h"
#include "kernel/ksyms.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/poison.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define BASE 0x10000000UL

/* The byte the fill puts at address a. */
static u8 pattern_at(const void *a)
{
	return (u8)(POISON_PATTERN >> (8 * ((uintptr_t)a & 7)));
}

/* The fill follows the address phase at any start and length; nothing outside is touched. */
SELFTEST(poison_fill_layout)
{
	u8 buf[64] __aligned(8);

	for (int start = 0; start < 9; start++) {
		memset(buf, 0, sizeof(buf));
		poison_fill(buf + start, 37);
		for (int i = 0; i < 64; i++)
			ST_ASSERT_EQ(buf[i],
				     (i >= start && i < start + 37) ? pattern_at(&buf[i]) : 0);
	}
}

/* A run of 16 pattern bytes is found at every phase and every offset, and where it starts. */
SELFTEST(poison_find_runs)
{
	u8 src[32] __aligned(8), buf[96] __aligned(8);
	size_t off, run;

	poison_fill(src, sizeof(src));
	for (int phase = 0; phase < 8; phase++) {
		for (int at = 0; at < 40; at++) {
			memset(buf, 0, sizeof(buf));
			memcpy(buf + at, src + phase, 16);
			ST_ASSERT(poison_find(buf, sizeof(buf), &off, &run));
			ST_ASSERT_EQ(off, (size_t)at);
			ST_ASSERT_EQ(run, 16);
			/* Inside a copy that starts at the run's middle: not a whole run any more.
			 */
			ST_ASSERT(!poison_find(buf + at + 8, 8, &off, &run) ||
				  ((uintptr_t)(buf + at + 8) & 7) == 0);
		}
	}
}

/*
 * Fifteen bytes at another phase are not reported; an aligned word holding the pattern in its
 * own phase (a stale u64) is, on its own; zeros, text and near misses are not.
 */
SELFTEST(poison_find_limits)
{
	u8 src[32] __aligned(8), buf[64] __aligned(8);
	size_t off, run;

	poison_fill(src, sizeof(src));
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 3, src + 5, 15);
	ST_ASSERT(!poison_find(buf, sizeof(buf), &off, &run));
	memset(buf, 0, sizeof(buf));
	poison_fill(buf + 24, 8);
	ST_ASSERT(poison_find(buf, sizeof(buf), &off, &run));
	ST_ASSERT_EQ(off, 24);
	ST_ASSERT_EQ(run, 8);
	ST_ASSERT(!poison_find(buf, 31, &off, &run)); /* the word cut short */
	buf[27] ^= 1;
	ST_ASSERT(!poison_find(buf, sizeof(buf), &off, &run));
	memset(buf, 'A', sizeof(buf));
	ST_ASSERT(!poison_find(buf, sizeof(buf), &off, &run));
	for (int i = 0; i < 1000; i++) {
		for (unsigned int j = 0; j < sizeof(buf); j += 8) {
			u64 r = selftest_random();
			memcpy(buf + j, &r, 8);
		}
		ST_ASSERT(!poison_find(buf, sizeof(buf), &off, &run));
	}
}

/* With the option on, kmalloc and alloc_page poison what they hand out; __GFP_ZERO zeroes. */
SELFTEST(poison_allocators)
{
	bool was = debug_poison;
	size_t off, run;

	debug_poison = true;
	u8 *k = kmalloc(200, GFP_KERNEL), *z = kmalloc(200, GFP_ZERO);
	struct page *pg = alloc_page(GFP_KERNEL);
	debug_poison = was;
	ST_ASSERT(k && z && pg);
	ST_ASSERT(poison_find(k, 200, &off, &run) && off == 0 && run == 200);
	ST_ASSERT(!poison_find(z, 200, &off, &run));
	ST_ASSERT(poison_find(page_address(pg), PAGE_SIZE, &off, &run) && run == PAGE_SIZE);
	kfree(k);
	kfree(z);
	free_page(pg);
}

/*
 * A kmalloc'd buffer with its first 8 bytes written, copied whole to user memory with the option
 * on: the copy check must panic ("poison: 56 uninitialised kernel bytes ... at offset 8 of a
 * 64-byte copy ... copy by selftest_crash_poison_copy+0x..."), checked by tools/runtests.
 */
SELFTEST_CRASH(crash_poison_copy)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm || do_mmap(mm, NULL, BASE, PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0) != (long)BASE)
		return;
	current->mm = mm;
	switch_mm(mm);
	debug_poison = true;
	u64 *buf = kmalloc(64, GFP_KERNEL);
	if (!buf)
		return;
	buf[0] = 42;
	copy_to_user((void __user *)BASE, buf, 64);
}

void poison_kernel_stack(void); /* arch/x86_64/poison.asm: RAX, RCX, RDI clobbered */

static u8 *scribbled;

/* Leaves zero bytes on the stack below its caller's frame; scribbled: 512 of them. */
static __noinline void scribble(void)
{
	volatile u8 area[2048];

	for (unsigned int i = 0; i < sizeof(area); i++)
		area[i] = 0;
	scribbled = (u8 *)(uintptr_t)__builtin_frame_address(0) - 1024;
}

/*
 * The entry code's re-poisoning (run on each entry from user mode): what an earlier call left
 * below the stack pointer becomes poison again; the live frames above it are untouched.
 */
SELFTEST(poison_kernel_stack_refill)
{
	bool was = debug_poison;
	volatile u64 live = 0x1234;
	size_t off, run;

	scribble();
	ST_ASSERT(!poison_find(scribbled, 512, &off, &run));
	debug_poison = true;
	poison_kernel_stack();
	debug_poison = was;
	ST_ASSERT(poison_find(scribbled, 512, &off, &run) && off == 0 && run == 512);
	ST_ASSERT_EQ(live, 0x1234);
}

/* Does one of the first window bytes of the code at fn start a CALL rel32 to target? */
static bool code_calls(u64 fn, u64 window, u64 target)
{
	for (u64 a = fn; fn && a + 5 <= fn + window; a++) {
		const u8 *p = (const u8 *)a;
		s32 rel;
		memcpy(&rel, p + 1, sizeof(rel));
		if (p[0] == 0xe8 && a + 5 + (u64)(s64)rel == target)
			return true;
	}
	return false;
}

/*
 * The refill above only helps if the entry code runs it: the SYSCALL entry and the common
 * exception/interrupt entry (for entries from user mode) must call poison_kernel_stack before
 * the C handler, within their first 128 bytes (the SYSCALL entry: about 60; trap_common: about
 * 80).
 */
SELFTEST(poison_entry_paths_refill)
{
	u64 refill = ksym_address("poison_kernel_stack");

	ST_ASSERT(refill);
	ST_ASSERT(code_calls(ksym_address("entry_syscall"), 128, refill));
	ST_ASSERT(code_calls(ksym_address("trap_common"), 128, refill));
}
