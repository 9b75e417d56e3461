// SPDX-License-Identifier: MIT
/*
 * Self-tests of kernel access to user memory (mm/uaccess.h) in a scratch address space: a
 * NULL, unmapped, kernel-half, non-canonical or wrapping pointer never faults the kernel; a copy
 * stops exactly at the first inaccessible byte; pages are filled in on demand.
 */
#include "kernel/selftest.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

#define BASE 0x10000000UL

/* Runs a test body with a fresh address space: one RW page at BASE, then a hole, then RO. */
static struct mm_struct *scratch_mm(void)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	if (do_mmap(mm, NULL, BASE, PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0) != (long)BASE ||
	    do_mmap(mm, NULL, BASE + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0) != (long)(BASE + 2 * PAGE_SIZE)) {
		mmput(mm);
		return NULL;
	}
	current->mm = mm; /* the page-fault handler resolves faults in current->mm */
	switch_mm(mm);
	return mm;
}

static void drop_scratch(struct mm_struct *mm)
{
	current->mm = NULL;
	switch_mm(NULL);
	mmput(mm);
}

/* The user pointers every uaccess function must refuse without touching anything. */
static const u64 bad_pointers[] = {
	0, /* NULL: no VMA */
	BASE + PAGE_SIZE, /* the hole */
	0xffff800000000000UL, /* kernel half */
	0xffffffff80100000UL, /* the kernel image */
	0x0000800000000000UL, /* first non-canonical address */
	0x8000000000000000UL,
};

SELFTEST(uaccess_bad_pointers)
{
	struct mm_struct *mm = scratch_mm();
	u8 buf[64];
	char str[16];

	ST_ASSERT(mm);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_pointers); i++) {
		void *p = (void *)bad_pointers[i];
		ST_ASSERT_EQ(copy_from_user(buf, p, sizeof(buf)), sizeof(buf));
		ST_ASSERT_EQ(copy_to_user(p, buf, sizeof(buf)), sizeof(buf));
		ST_ASSERT_EQ(clear_user(p, sizeof(buf)), sizeof(buf));
		ST_ASSERT_EQ(strncpy_from_user(str, p, sizeof(str)), -EFAULT);
	}
	/* Ranges that wrap around the end of the address space, or end in the kernel half. */
	ST_ASSERT_EQ(copy_to_user((void *)(BASE + 8), buf, ~0UL), ~0UL);
	ST_ASSERT_EQ(clear_user((void *)(BASE + 8), ~0UL - 8), ~0UL - 8);
	ST_ASSERT_EQ(copy_to_user((void *)(USER_TOP - 8), buf, 16), 16);
	drop_scratch(mm);
}

/* A copy that runs off the end of the mapping stops at the first bad byte and says how much is
 * left. */
SELFTEST(uaccess_partial_copy)
{
	struct mm_struct *mm = scratch_mm();
	u8 buf[256];

	ST_ASSERT(mm);
	memset(buf, 0x5a, sizeof(buf));
	u8 *edge = (u8 *)(BASE + PAGE_SIZE - 100);
	ST_ASSERT_EQ(copy_to_user(edge, buf, sizeof(buf)), sizeof(buf) - 100);
	memset(buf, 0xff, sizeof(buf));
	ST_ASSERT_EQ(copy_from_user(buf, edge, sizeof(buf)), sizeof(buf) - 100);
	ST_ASSERT_EQ(buf[0], 0x5a);
	ST_ASSERT_EQ(buf[99], 0x5a);
	ST_ASSERT_EQ(buf[100], 0); /* the uncopied tail is zeroed, as Linux does */
	drop_scratch(mm);
}

/* Writing to a read-only mapping fails; reading it works (and fills the page in with zeros). */
SELFTEST(uaccess_respects_vma_permissions)
{
	struct mm_struct *mm = scratch_mm();
	u64 v = 1;

	ST_ASSERT(mm);
	void *ro = (void *)(BASE + 2 * PAGE_SIZE);
	ST_ASSERT_EQ(copy_to_user(ro, &v, sizeof(v)), sizeof(v));
	ST_ASSERT_EQ(get_user_u64(&v, ro), 0);
	ST_ASSERT_EQ(v, 0);
	ST_ASSERT_EQ(put_user_u64(42, (u64 *)BASE), 0);
	ST_ASSERT_EQ(get_user_u64(&v, (u64 *)BASE), 0);
	ST_ASSERT_EQ(v, 42);
	drop_scratch(mm);
}

/* strncpy_from_user: the length, -EFAULT when the string runs into a hole, n when too long. */
SELFTEST(uaccess_strncpy)
{
	struct mm_struct *mm = scratch_mm();
	char out[32];

	ST_ASSERT(mm);
	ST_ASSERT_EQ(copy_to_user((void *)BASE, "hello", 6), 0);
	ST_ASSERT_EQ(strncpy_from_user(out, (void *)BASE, sizeof(out)), 5);
	ST_ASSERT(strcmp(out, "hello") == 0);
	ST_ASSERT_EQ(strncpy_from_user(out, (void *)BASE, 3), 3);
	char *tail = (char *)(BASE + PAGE_SIZE - 4);
	ST_ASSERT_EQ(copy_to_user(tail, "abcd", 4), 0); /* no NUL before the hole */
	ST_ASSERT_EQ(strncpy_from_user(out, tail, sizeof(out)), -EFAULT);
	drop_scratch(mm);
}
