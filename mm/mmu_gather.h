/* SPDX-License-Identifier: MIT */
/*
 * Freeing frames only after the TLB flush (Linux's mmu_gather, docs/tlb.md). Whoever clears
 * PTEs or unlinks page tables gathers what it took here: the range whose translations changed,
 * and the frames whose last reference went. tlb_flush_mmu() flushes that range on every CPU
 * that may hold it, waits for them, and only then frees the frames: until then a CPU may still
 * read or write a frame through a stale TLB entry, and a frame reused meanwhile would leak
 * another owner's data or be corrupted by it (a page table reused would be walked as one).
 *
 * The frames wait on a list threaded through struct page (next_free, unused while a frame is
 * in use), so gathering never allocates and never needs an early flush.
 */
#ifndef WARDEN_MM_MMU_GATHER_H
#define WARDEN_MM_MMU_GATHER_H

#include "mm/frame.h"

struct mm_struct;

struct mmu_gather {
	struct mm_struct *mm;
	u64 start, end; /* the user range to flush; start >= end: nothing changed */
	bool freed_tables; /* page tables were unlinked: Linux's freed_tables flush */
	struct page *freed; /* frames to free after the flush, through next_free */
};

/* Starts gathering the changes to mm's page tables (Linux's tlb_gather_mmu). */
static inline void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb->mm = mm;
	tlb->start = ~0ULL;
	tlb->end = 0;
	tlb->freed_tables = false;
	tlb->freed = NULL;
}

/* The translations of [start, end) changed (a PTE cleared or made stricter): flush them. */
static inline void tlb_flush_pte_range(struct mmu_gather *tlb, u64 start, u64 end)
{
	if (start < tlb->start)
		tlb->start = start;
	if (end > tlb->end)
		tlb->end = end;
}

/*
 * A PTE that mapped pg was cleared or replaced (its range given to tlb_flush_pte_range, once for
 * a whole walk): drops the mapping's reference to pg, and, if it was the last one, keeps the
 * frame until the flush (Linux's tlb_remove_page).
 */
static inline void tlb_remove_page(struct mmu_gather *tlb, struct page *pg)
{
	if (put_page_testzero(pg)) {
		pg->next_free = tlb->freed;
		tlb->freed = pg;
	}
}

/*
 * A page table translating [start, end) was unlinked: its frame is freed after the flush, which
 * must also reach the CPUs that cache it in their page-walk caches (Linux's tlb_remove_table).
 */
static inline void tlb_remove_table(struct mmu_gather *tlb, struct page *table, u64 start, u64 end)
{
	tlb_flush_pte_range(tlb, start, end);
	tlb->freed_tables = true;
	table->next_free = tlb->freed;
	tlb->freed = table;
}

/*
 * Flushes what was gathered on every CPU that may hold it, waits for them, then frees the
 * gathered frames; the gather can go on afterwards (Linux's tlb_flush_mmu).
 */
void tlb_flush_mmu(struct mmu_gather *tlb);

/* Ends a gather: the last flush and frees (Linux's tlb_finish_mmu). */
static inline void tlb_finish_mmu(struct mmu_gather *tlb)
{
	tlb_flush_mmu(tlb);
}

#endif
