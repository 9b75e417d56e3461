// SPDX-License-Identifier: MIT
/* TLB flushing: invlpg for a few pages, a CR4.PGE toggle for everything. */
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/cpu.h"
#include "mm/memory.h"
#include "mm/mm.h"
#include "arch/x86_64/smp.h"

/*
 * A stopgap until the TLB shootdown (the tlb branch) lands: every other CPU that may hold the
 * translations flushes everything. mm NULL: the kernel half (every CPU); else the CPUs whose
 * loaded_mm is mm (idle CPUs keep theirs lazily, so they count).
 */
static void flush_others(void *info)
{
	struct mm_struct *mm = info;

	if (!mm)
		flush_tlb_all();
	else if (this_cpu()->loaded_mm == mm)
		write_cr3(read_cr3());
}

static void shootdown(struct mm_struct *mm)
{
	cpumask_t mask = { 0 };
	unsigned int cpu;

	if (nr_cpu_ids < 2)
		return;
	for_each_online_cpu(cpu) if (!mm || percpu_data[cpu].loaded_mm == mm)
		cpumask_set_cpu(cpu, &mask);
	smp_call_function_many(&mask, flush_others, mm, true);
}

/* Past this many pages one full flush is cheaper than invlpg per page. */
#define FLUSH_ALL_THRESHOLD 33

void flush_tlb_one_kernel(u64 va)
{
	__asm__ __volatile__("invlpg (%0)" ::"r"(va) : "memory");
	shootdown(NULL);
}

void flush_tlb_kernel_range(u64 start, u64 end)
{
	shootdown(NULL);
	if ((end - start) / PAGE_SIZE > FLUSH_ALL_THRESHOLD) {
		flush_tlb_all();
		return;
	}
	for (u64 va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		__asm__ __volatile__("invlpg (%0)" ::"r"(va) : "memory");
}

void flush_tlb_mm_range(struct mm_struct *mm, u64 start, u64 end)
{
	shootdown(mm);
	if (read_cr3() != virt_to_phys(mm->pgd))
		return; /* not loaded here: switching CR3 to it will drop stale user entries */
	if ((end - start) / PAGE_SIZE > FLUSH_ALL_THRESHOLD) {
		write_cr3(read_cr3()); /* user mappings are never global */
		return;
	}
	for (u64 va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		__asm__ __volatile__("invlpg (%0)" ::"r"(va) : "memory");
}

/*
 * After page tables were unlinked. The CPU caches not only leaf translations but also PML4,
 * PDPT and PD entries (the paging-structure caches), and may walk through a cached one, even
 * speculatively, into a table frame that was freed and reused. Both INVLPG and a CR3 write
 * drop every paging-structure-cache entry of the current PCID (Warden uses none), so the
 * ordinary range flush covers them on this CPU, and an mm not loaded here caches nothing once
 * CR3 moved away from it. For SMP this is the flush that must reach every CPU that ran the mm
 * since its last flush, lazily idle ones included (Linux's freed_tables shootdown), and the
 * tables may be freed only after all of them acknowledged it.
 */
void flush_tlb_mm_freed_tables(struct mm_struct *mm, u64 start, u64 end)
{
	flush_tlb_mm_range(mm, start, end);
}

void flush_tlb_all(void)
{
	u64 cr4 = read_cr4();

	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}
