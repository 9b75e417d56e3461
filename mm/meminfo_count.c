// SPDX-License-Identifier: MIT
/*
 * The counts of /proc/meminfo that Linux keeps as per-node vmstat counters (NR_ANON_MAPPED,
 * NR_FILE_MAPPED, NR_MLOCK, NR_PAGETABLE, NR_KERNEL_STACK_KB) and vmalloc_nr_pages(), which
 * Warden computes when the file is read: it walks every address space once (threads share one)
 * and counts each frame once, however many address spaces map it (a page shared copy-on-write
 * after fork is one anonymous page, as in Linux), with a bitmap of the frames seen. The zero
 * page counts nowhere (vm_normal_page). Reading it costs a walk of every page table.
 */
#include "mm/meminfo_count.h"
#include "mm/mm.h"
#include "mm/frame.h"
#include "mm/proc_maps.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/pgtable.h"
#include "kernel/sched.h"
#include "kernel/string.h"

/* Sets a frame's bit and says whether it was clear (the frame is new to the count). */
static bool test_and_set(u64 *bits, u64 pfn)
{
	u64 mask = 1ULL << (pfn % 64);
	bool fresh = !(bits[pfn / 64] & mask);

	bits[pfn / 64] |= mask;
	return fresh;
}

/* Counts the page tables under one table (level 4: the PML4's user half), the table excluded. */
static u64 count_tables(const pte_t *table, int level, int entries)
{
	u64 n = 0;

	for (int i = 0; level > PG_LEVEL_4K && i < entries; i++) {
		if (!(table[i] & _PAGE_PRESENT) || (table[i] & _PAGE_PSE))
			continue;
		n += 1 + count_tables(phys_to_virt(table[i] & PTE_ADDR_MASK), level - 1, 512);
	}
	return n;
}

/* Adds what one address space maps that no address space counted before. */
static void count_mm(struct mm_struct *mm, u64 *seen, u64 *seen_locked, struct meminfo_counts *c)
{
	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next) {
		for (u64 va = v->vm_start, run_end; va < v->vm_end; va = run_end) {
			pte_t *e = pgtable_pte_run(mm->pgd, va, v->vm_end, &run_end);

			for (; e && va < run_end; va += PAGE_SIZE, e++) {
				if (!pte_has_frame(*e))
					continue;
				struct page *pg = phys_to_page(*e & PTE_ADDR_MASK);
				u64 pfn = page_to_pfn(pg);
				if (is_zero_page(pg) || pfn >= max_pfn)
					continue;
				if ((v->vm_flags & VM_LOCKED) && test_and_set(seen_locked, pfn))
					c->mlocked++;
				if (!test_and_set(seen, pfn))
					continue;
				if (is_page_cache_page(v, va, pg))
					c->mapped++;
				else
					c->anon++;
			}
		}
	}
	c->pgtables += count_tables(mm->pgd, 4, 256); /* PGDs are not counted (x86's pgd_alloc) */
}

/* Whether an earlier task in the list has the same address space (threads share one). */
static bool mm_seen_before(struct task_struct *t)
{
	for (struct task_struct *p = first_task(); p && p != t; p = p->run_next)
		if (p->mm == t->mm && p->state < EXIT_ZOMBIE)
			return true;
	return false;
}

void meminfo_count(struct meminfo_counts *c)
{
	size_t words = (max_pfn + 63) / 64;
	u64 *seen = kzalloc(words * sizeof(u64), GFP_KERNEL);
	u64 *seen_locked = kzalloc(words * sizeof(u64), GFP_KERNEL);

	*c = (struct meminfo_counts){ .vmalloc_pages = vmalloc_nr_pages };
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		if (t->state >= EXIT_ZOMBIE)
			continue; /* a zombie's stack is gone on Linux */
		c->kernel_stack_kb += KSTACK_SIZE / 1024;
		if (!t->mm || !seen || !seen_locked || mm_seen_before(t))
			continue;
		count_mm(t->mm, seen, seen_locked, c);
	}
	kfree(seen);
	kfree(seen_locked);
}
