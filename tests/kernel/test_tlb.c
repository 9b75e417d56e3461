// SPDX-License-Identifier: MIT
/*
 * Self-tests of the TLB shootdown (arch/x86_64/tlb.c, docs/tlb.md) with a second CPU: CPU 1
 * loads a test mm in a cross-CPU call and reads a page through it, so its TLB caches the
 * translation. A PTE changed behind its back (no flush) still reads the old frame there: the
 * stale entry the shootdown exists for. flush_tlb_mm_range from this CPU must then reach CPU 1:
 * while CPU 1 "runs" the mm (its task's mm is the test mm) it flushes and reads the new frame;
 * while it only has the mm loaded lazily (idle) it leaves the mm; and freeing the mm's tables
 * makes it leave first. Skipped on one CPU.
 */
#include "kernel/selftest.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/smap.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/tlb.h"
#include "kernel/sched.h"
#include "mm/frame.h"
#include "mm/mm.h"
#include "tests/kernel/mm_helpers.h"

#define TLB_TEST_VA 0x30000000UL

/* What a call on CPU 1 is asked to do, and what it saw. */
struct remote_op {
	struct mm_struct *mm;
	bool use; /* make the mm its running task's (not lazy) or give it back */
	u64 value; /* what it read at TLB_TEST_VA */
};

/* On CPU 1: load op->mm (its task using it when op->use) and read the test page through it. */
static void remote_load_and_read(void *info)
{
	struct remote_op *op = info;

	if (op->use)
		current->mm = op->mm;
	switch_mm_irqs_off(this_cpu()->loaded_mm, op->mm);
	user_access_begin();
	op->value = *(volatile u64 *)TLB_TEST_VA;
	user_access_end();
}

/* On CPU 1: read the test page again through whatever its TLB holds. */
static void remote_read(void *info)
{
	struct remote_op *op = info;

	user_access_begin();
	op->value = *(volatile u64 *)TLB_TEST_VA;
	user_access_end();
}

/* On CPU 1: back to idle, the kernel's page tables loaded. */
static void remote_release(void *info)
{
	(void)info;
	current->mm = NULL;
	leave_mm();
}

/* A test mm with one private page at TLB_TEST_VA holding value; NULL if out of memory. */
static struct mm_struct *tlb_test_mm(u64 value)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	if (do_mmap(mm, NULL, TLB_TEST_VA, PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0) != (long)TLB_TEST_VA ||
	    write_in(mm, TLB_TEST_VA, value)) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

SELFTEST(tlb_shootdown_flushes_a_cpu_running_the_mm)
{
	struct remote_op op = { .use = true };
	int level;

	if (nr_cpu_ids < 2)
		ST_SKIP("one CPU");
	op.mm = tlb_test_mm(0x1111);
	ST_ASSERT(op.mm);
	smp_call_function_single(1, remote_load_and_read, &op, true);
	ST_ASSERT_EQ(op.value, 0x1111ULL);
	ST_ASSERT(cpumask_test_cpu(1, mm_cpumask(op.mm)));

	/* Point the PTE at another frame behind CPU 1's back: its TLB still has the old one. */
	pte_t *e = pgtable_walk(op.mm->pgd, TLB_TEST_VA, PG_LEVEL_4K, false, &level);
	ST_ASSERT(e && level == PG_LEVEL_4K);
	struct page *fresh = alloc_page(GFP_ZERO);
	ST_ASSERT(fresh);
	*(u64 *)page_address(fresh) = 0x2222;
	pte_t old = *e;
	*e = page_to_phys(fresh) | (old & ~PTE_ADDR_MASK);
	smp_call_function_single(1, remote_read, &op, true);
	bool stale_seen = op.value == 0x1111; /* QEMU's TLB caches it, as hardware does */

	u64 received = tlb_stats.remote_flush_received;
	flush_tlb_mm_range(op.mm, TLB_TEST_VA, TLB_TEST_VA + PAGE_SIZE);
	ST_ASSERT(tlb_stats.remote_flush_received > received);
	smp_call_function_single(1, remote_read, &op, true);
	u64 after = op.value;
	bool still_loaded = READ_ONCE(percpu_data[1].loaded_mm) == op.mm;

	/* Put the old frame back (flushed everywhere again) before anything can fail. */
	*e = old;
	flush_tlb_mm_range(op.mm, TLB_TEST_VA, TLB_TEST_VA + PAGE_SIZE);
	free_page(fresh);
	smp_call_function_single(1, remote_release, NULL, true);
	mmput(op.mm);
	ST_ASSERT_EQ(after, 0x2222ULL); /* the shootdown dropped CPU 1's stale entry */
	ST_ASSERT(still_loaded); /* a CPU using the mm flushes, it does not leave */
	if (!stale_seen)
		ST_SKIP("this CPU model did not keep the stale entry: shootdown unobservable");
}

SELFTEST(tlb_shootdown_makes_a_lazy_cpu_leave)
{
	struct remote_op op = { .use = false };

	if (nr_cpu_ids < 2)
		ST_SKIP("one CPU");
	op.mm = tlb_test_mm(0x3333);
	ST_ASSERT(op.mm);
	smp_call_function_single(1, remote_load_and_read, &op, true);
	ST_ASSERT_EQ(op.value, 0x3333ULL);
	ST_ASSERT(READ_ONCE(percpu_data[1].loaded_mm) == op.mm);
	/* CPU 1's task (its idle task) has no mm: it holds op.mm lazily and leaves at a flush. */
	flush_tlb_mm_range(op.mm, TLB_TEST_VA, TLB_TEST_VA + PAGE_SIZE);
	bool left = READ_ONCE(percpu_data[1].loaded_mm) == NULL;
	bool in_mask = cpumask_test_cpu(1, mm_cpumask(op.mm));
	smp_call_function_single(1, remote_release, NULL, true);
	mmput(op.mm);
	ST_ASSERT(left);
	ST_ASSERT(!in_mask);
}

SELFTEST(tlb_freeing_the_tables_makes_lazy_cpus_leave)
{
	struct remote_op op = { .use = false };

	if (nr_cpu_ids < 2)
		ST_SKIP("one CPU");
	op.mm = tlb_test_mm(0x4444);
	ST_ASSERT(op.mm);
	smp_call_function_single(1, remote_load_and_read, &op, true);
	ST_ASSERT(READ_ONCE(percpu_data[1].loaded_mm) == op.mm);
	struct mm_struct *mm = op.mm;
	mmput(mm); /* the last user: pgd_free must first move CPU 1 off the tables */
	bool left = READ_ONCE(percpu_data[1].loaded_mm) != mm;
	smp_call_function_single(1, remote_release, NULL, true);
	ST_ASSERT(left);
}
