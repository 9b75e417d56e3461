// SPDX-License-Identifier: MIT
/* TLB flushing: invlpg for a few pages, a CR4.PGE toggle for everything. */
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/cpu.h"
#include "mm/memory.h"
#include "mm/mm.h"

/* Past this many pages one full flush is cheaper than invlpg per page. */
#define FLUSH_ALL_THRESHOLD 33

void flush_tlb_one_kernel(u64 va)
{
	__asm__ __volatile__("invlpg (%0)" ::"r"(va) : "memory");
}

void flush_tlb_kernel_range(u64 start, u64 end)
{
	if ((end - start) / PAGE_SIZE > FLUSH_ALL_THRESHOLD) {
		flush_tlb_all();
		return;
	}
	for (u64 va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		flush_tlb_one_kernel(va);
}

void flush_tlb_mm_range(struct mm_struct *mm, u64 start, u64 end)
{
	if (read_cr3() != virt_to_phys(mm->pgd))
		return; /* not loaded here: switching CR3 to it will drop stale user entries */
	if ((end - start) / PAGE_SIZE > FLUSH_ALL_THRESHOLD) {
		write_cr3(read_cr3()); /* user mappings are never global */
		return;
	}
	for (u64 va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		__asm__ __volatile__("invlpg (%0)" ::"r"(va) : "memory");
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
