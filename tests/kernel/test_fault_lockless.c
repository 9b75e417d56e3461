// SPDX-License-Identifier: MIT
/*
 * Self-tests of the page fault without the kernel lock (mm/fault_lockless.c). Every online CPU
 * faults the same fresh pages of one address space at the same moment (the others in a cross-CPU
 * call, this one directly): racing for one PTE, and for the page directory and page table that
 * must be created on the way. Afterwards each page must be mapped exactly once, by a frame of
 * its own holding zeroes with one reference, and the frames the losers allocated must be back
 * (the free-frame count moved by exactly the pages kept; the runner checks for leaks after
 * mmput). A last race puts this CPU on the fault under the lock (handle_mm_fault) against the
 * others' lockless ones. The fall-backs (what the lockless path must leave alone) run on one CPU.
 */
#include "kernel/selftest.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/time.h"
#include "arch/x86_64/traps.h"
#include "mm/fault_lockless.h"
#include "mm/frame.h"
#include "mm/mmap_lock.h"
#include "mm/oom_kill.h"
#include "mm/vma.h"
#include "kernel/string.h"

#define FL_VA 0x40000000UL /* 1 GiB: no page directory or page table there yet */
#define FL_PAGES 64

enum race_mode {
	RACE_SAME, /* every CPU writes every page, in the same order: one PTE at a time */
	RACE_SPREAD, /* CPU i writes pages i, i + n, ...: only the tables are shared */
	RACE_READ_WRITE, /* even CPUs read, odd ones write: zero page against private page */
	RACE_SLOW, /* as RACE_SAME, this CPU through handle_mm_fault under the lock */
};

struct race {
	struct mm_struct *mm;
	enum race_mode mode;
	unsigned int n; /* CPUs racing */
	unsigned int caller; /* the CPU that started the race (index 0) */
	u32 ready, go, done, not_done; /* not_done: lockless faults that fell back */
};

/* One CPU's part: idx of n, waiting for the start signal, then its faults. */
static void race_part(struct race *r, unsigned int idx)
{
	__atomic_add_fetch(&r->ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&r->go, __ATOMIC_ACQUIRE))
		cpu_relax();
	for (unsigned int p = 0; p < FL_PAGES; p++) {
		if (r->mode == RACE_SPREAD && p % r->n != idx)
			continue;
		u64 addr = FL_VA + (u64)p * PAGE_SIZE + idx * 8;
		bool write = r->mode != RACE_READ_WRITE || (idx & 1);
		u64 code = X86_PF_USER | (write ? X86_PF_WRITE : 0);
		if (r->mode == RACE_SLOW && idx == 0) {
			int pkey;
			mmap_read_lock(r->mm);
			int res = handle_mm_fault(r->mm, addr, code, &pkey);
			mmap_read_unlock(r->mm);
			if (res)
				__atomic_add_fetch(&r->not_done, 1, __ATOMIC_SEQ_CST);
			continue;
		}
		int res = handle_mm_fault_lockless(r->mm, addr, code);
		/* A write after another CPU's read found the zero page: the slow path's COW. */
		if (!(res & FAULT_LOCKLESS_DONE) && r->mode != RACE_READ_WRITE)
			__atomic_add_fetch(&r->not_done, 1, __ATOMIC_SEQ_CST);
	}
}

/* The cross-CPU call: this CPU's index is its rank among the online CPUs but the caller. */
static void race_remote(void *info)
{
	struct race *r = info;
	unsigned int idx = 1, cpu, self = smp_processor_id();

	for_each_online_cpu(cpu)
	{
		if (cpu == self)
			break;
		if (cpu != r->caller)
			idx++;
	}
	race_part(r, idx);
	__atomic_add_fetch(&r->done, 1, __ATOMIC_SEQ_CST);
}

/*
 * Runs one race on every online CPU. The other CPUs use r, which lives on the caller's stack,
 * until they count themselves done, so this waits for all of them however long they take (a CPU
 * that never finishes is the boot's timeout): under kvm_pvm a remote CPU took over two seconds for
 * its part, and the deadline this had let it go on in a later test's stack (n 0: a divide error).
 */
static void run_race(struct race *r)
{
	cpumask_t others;
	unsigned int cpu;
	u64 t0;

	r->caller = smp_processor_id();
	cpumask_copy(&others, &cpu_online_mask);
	cpumask_clear_cpu(r->caller, &others);
	for_each_online_cpu(cpu) r->n++;
	smp_call_function_many(&others, race_remote, r, false);
	t0 = ktime_get_ns();
	while (__atomic_load_n(&r->ready, __ATOMIC_ACQUIRE) < r->n - 1)
		if (ktime_get_ns() - t0 > 2000000000ULL)
			break;
	__atomic_store_n(&r->go, 1, __ATOMIC_RELEASE);
	race_part(r, 0);
	while (__atomic_load_n(&r->done, __ATOMIC_ACQUIRE) < r->n - 1)
		cpu_relax();
}

/* Fresh anonymous memory at FL_VA in a new mm, its anon_vma made (as the first fault would). */
static struct mm_struct *race_mm(void)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	if (do_mmap(mm, NULL, FL_VA, FL_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0) != (long)FL_VA ||
	    anon_vma_prepare(find_vma(mm, FL_VA))) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* Records a failed page check (selftest_fail) and returns -1 for check_pages. */
#define PAGE_BAD(fmt, ...) (selftest_fail(__FILE__, __LINE__, fmt, ##__VA_ARGS__), -1)

/*
 * Checks every page after a race: mapped, by the zero page read-only (only where reads raced) or
 * by a frame of its own (one reference, no other page's) holding zeroes. Returns the number of
 * private frames, or -1 (the failure recorded) on a violation.
 */
static int check_pages(struct mm_struct *mm, bool reads)
{
	struct page *seen[FL_PAGES];
	int own = 0;

	for (unsigned int p = 0; p < FL_PAGES; p++) {
		int level;
		pte_t pte = pgtable_lookup(mm->pgd, FL_VA + (u64)p * PAGE_SIZE, &level);
		if (!pte || level != PG_LEVEL_4K || !(pte & _PAGE_PRESENT))
			return PAGE_BAD("page %u not mapped", p);
		struct page *pg = phys_to_page(pte & PTE_ADDR_MASK);
		if (pg == zero_page) {
			if (!reads || (pte & _PAGE_RW))
				return PAGE_BAD("page %u: the zero page, pte %#llx", p,
						(unsigned long long)pte);
			continue;
		}
		if (!(pte & _PAGE_RW) || pg->refcount != 1 || (pg->flags & PG_free))
			return PAGE_BAD("page %u: pte %#llx refcount %u", p,
					(unsigned long long)pte, pg->refcount);
		for (int i = 0; i < own; i++)
			if (seen[i] == pg)
				return PAGE_BAD("page %u shares a frame with another", p);
		const u64 *w = page_address(pg);
		for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
			if (w[i])
				return PAGE_BAD("page %u not zeroed", p);
		seen[own++] = pg;
	}
	return own;
}

/* One race of mode on a fresh mm: the checks above, and the frame and table counts. */
static void race_once(enum race_mode mode, int round)
{
	struct race r = { .mode = mode };

	r.mm = race_mm();
	ST_ASSERT(r.mm);
	u64 tables = pgtable_nr_tables(), frames = nr_free_frames() + tables;
	run_race(&r);
	if (r.not_done)
		ST_FAIL("mode %d round %d: %u faults not handled", mode, round, r.not_done);
	int own = check_pages(r.mm, mode == RACE_READ_WRITE);
	if (own < 0)
		return;
	if (mode != RACE_READ_WRITE && own != FL_PAGES)
		ST_FAIL("mode %d round %d: %d private pages", mode, round, own);
	/* the PDPT, the page directory and the page table: once each, whoever won */
	ST_ASSERT_EQ(pgtable_nr_tables() - tables, 3);
	ST_ASSERT_EQ(frames - (nr_free_frames() + pgtable_nr_tables()), (u64)own);
	mmput(r.mm);
}

SELFTEST(fault_lockless_races_on_every_cpu)
{
	if (nr_cpu_ids < 2)
		ST_SKIP("one CPU");
	for (int round = 0; round < 25; round++) {
		race_once(RACE_SAME, round);
		race_once(RACE_SPREAD, round);
		race_once(RACE_READ_WRITE, round);
		race_once(RACE_SLOW, round);
	}
}

SELFTEST(fault_lockless_leaves_the_rest_to_the_slow_path)
{
	struct mm_struct *mm = mm_alloc();
	u64 w = X86_PF_USER | X86_PF_WRITE;

	ST_ASSERT(mm);
	ST_ASSERT_EQ(do_mmap(mm, NULL, FL_VA, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
		     (long)FL_VA);
	ST_ASSERT_EQ(do_mmap(mm, NULL, FL_VA + 8 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
		     (long)(FL_VA + 8 * PAGE_SIZE));
	u64 before = nr_free_frames() + pgtable_nr_tables();
	/* no anon_vma yet: the first private page links it, under the lock */
	ST_ASSERT_EQ(handle_mm_fault_lockless(mm, FL_VA, w), 0);
	ST_ASSERT_EQ(anon_vma_prepare(find_vma(mm, FL_VA)), 0);
	before = nr_free_frames() + pgtable_nr_tables(); /* the anon_vma's slab is not counted */
	ST_ASSERT_EQ(handle_mm_fault_lockless(mm, FL_VA + 5 * PAGE_SIZE, w), 0); /* no VMA */
	ST_ASSERT_EQ(handle_mm_fault_lockless(mm, FL_VA + 8 * PAGE_SIZE, w), 0); /* read-only */
	ST_ASSERT_EQ(handle_mm_fault_lockless(mm, FL_VA, w | X86_PF_PROT), 0); /* present */
	ST_ASSERT_EQ(handle_mm_fault_lockless(mm, FL_VA, X86_PF_WRITE), 0); /* kernel mode */
	ST_ASSERT_EQ(handle_mm_fault_lockless(mm, USER_TOP, w), 0);
	mm->flags |= MMF_UNSTABLE; /* the OOM reaper's: no page may come back */
	ST_ASSERT_EQ(handle_mm_fault_lockless(mm, FL_VA, w), 0);
	ST_ASSERT_EQ(pgtable_lookup(mm->pgd, FL_VA, NULL), 0);
	mm->flags &= ~(unsigned long)MMF_UNSTABLE;
	ST_ASSERT_EQ(nr_free_frames() + pgtable_nr_tables(), before); /* whatever it took, back */
	/* and the case it is for: a read maps the zero page, a write then needs the COW */
	ST_ASSERT_EQ(handle_mm_fault_lockless(mm, FL_VA, X86_PF_USER), FAULT_LOCKLESS_DONE);
	ST_ASSERT(phys_to_page(pgtable_lookup(mm->pgd, FL_VA, NULL) & PTE_ADDR_MASK) == zero_page);
	ST_ASSERT_EQ(handle_mm_fault_lockless(mm, FL_VA, w), 0);
	ST_ASSERT_EQ(handle_mm_fault_lockless(mm, FL_VA + PAGE_SIZE, w), FAULT_LOCKLESS_DONE);
	ST_ASSERT_EQ(handle_mm_fault_lockless(mm, FL_VA + PAGE_SIZE, w), FAULT_LOCKLESS_DONE);
	ST_ASSERT_EQ(before - (nr_free_frames() + pgtable_nr_tables()), 1);
	mmput(mm);
}
