// SPDX-License-Identifier: MIT
/* The flush that ends a gather, and the frees that follow it (mm/mmu_gather.h, docs/tlb.md). */
#include "mm/mmu_gather.h"
#include "arch/x86_64/tlb.h"

void tlb_flush_mmu(struct mmu_gather *tlb)
{
	if (tlb->start < tlb->end) {
		if (tlb->freed_tables)
			flush_tlb_mm_freed_tables(tlb->mm, tlb->start, tlb->end);
		else
			flush_tlb_mm_range(tlb->mm, tlb->start, tlb->end);
	}
	/* Every CPU has acknowledged: no TLB reaches these frames any more. */
	for (struct page *pg = tlb->freed, *next; pg; pg = next) {
		next = pg->next_free;
		pg->next_free = NULL;
		free_page(pg);
	}
	tlb->start = ~0ULL;
	tlb->end = 0;
	tlb->freed_tables = false;
	tlb->freed = NULL;
}
