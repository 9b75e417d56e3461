/* SPDX-License-Identifier: MIT */
/*
 * TLB flushing. Every flush in the kernel goes through these functions: this is the one place
 * that turns "these translations changed" into INVLPGs, CR3 reloads and, on several CPUs,
 * shootdowns (docs/tlb.md). Each user flush bumps the mm's flush generation (Linux's tlb_gen);
 * each CPU records the generation it has flushed up to, which the debug_tlb boot option checks.
 */
#ifndef WARDEN_ARCH_TLB_H
#define WARDEN_ARCH_TLB_H

#include "kernel/types.h"

/*
 * Past this many pages one full flush (a CR3 reload) is cheaper than INVLPG per page (Linux's
 * tlb_single_page_flush_ceiling).
 */
#define TLB_SINGLE_PAGE_FLUSH_CEILING 33

/* Drops the translation of one page of the kernel half (global or not) on every CPU. */
void flush_tlb_one_kernel(u64 va);

/* Drops the translations of [start, end) of the kernel half on every CPU, and waits for them. */
void flush_tlb_kernel_range(u64 start, u64 end);

struct mm_struct;

/*
 * Drops the translations of [start, end) of a user address space on every CPU that may hold
 * them, and returns when all of them have (Linux's flush_tlb_mm_range).
 */
void flush_tlb_mm_range(struct mm_struct *mm, u64 start, u64 end);

/*
 * Drops the translations of [start, end) of a user address space from which page tables were
 * unlinked, together with every cached intermediate entry (the page-walk caches), so that the
 * table frames can be freed and reused afterwards (Linux: flush_tlb_mm_range's freed_tables).
 */
void flush_tlb_mm_freed_tables(struct mm_struct *mm, u64 start, u64 end);

/*
 * Whether a user PTE that was old and is now new needs a flush before the change may be relied
 * upon (Linux's pte_needs_flush, which x86 gives mprotect): not if old_pte was not present (no TLB
 * caches it), nor if new_pte only adds write permission or sets the dirty bit, or changes software
 * bits or the accessed bit. A CPU that still caches the old, read-only entry takes a spurious
 * page fault at its next write there, and the CPU drops the faulting address's entries when it
 * delivers a page fault (Intel SDM 4.10.4.3, AMD APM 5.5.2), so the write succeeds once the fault
 * handler, finding the PTE allows it, returns. Execution added still flushes: a fetch through a
 * stale NX entry is a protection fault the handler refuses (as Linux's access_error). Linux 6.1
 * also flushes when write permission is added; Warden does not.
 */
bool pte_needs_flush(u64 old_pte, u64 new_pte);

/* Drops every translation, global ones included, on this CPU. */
void flush_tlb_all(void);

/*
 * Loads next's page tables on this CPU (kernel_pml4 for NULL) after prev's, with interrupts off
 * (arch/x86_64/mmu_context.c): records next as this CPU's loaded_mm, up to date with next's
 * flush generation, and moves this CPU from prev's mm_cpumask to next's. The scheduler, execve
 * and exit switch address spaces only through it.
 */
void switch_mm_irqs_off(struct mm_struct *prev, struct mm_struct *next);

/*
 * A lazy CPU's exit from the mm it still has loaded (Linux's leave_mm): the kernel's page
 * tables in CR3, and out of the mm's cpumask. Interrupts off.
 */
void leave_mm(void);

/* switch_mm_irqs_off's bookkeeping: this CPU is up to date with generation gen of its mm. */
void tlb_set_loaded_gen(u64 gen);

/*
 * Before mm's page tables are freed for good (its last mmput): every CPU that still has it
 * loaded (lazily, after its last task left) switches to the kernel's page tables.
 */
void tlb_mm_release(struct mm_struct *mm);

/* Set by the boot option debug_tlb: after each user flush, check that every CPU flushed. */
extern bool debug_tlb;

/* The flush counters /proc/warden/tlb shows (Linux's /proc/vmstat nr_tlb_* names). */
struct tlb_stats {
	u64 local_flush_one; /* INVLPGs of user pages */
	u64 local_flush_all; /* CR3 reloads for a user range past the ceiling */
	u64 remote_flush; /* shootdowns that sent IPIs */
	u64 remote_flush_received; /* flush IPIs handled */
	u64 local_skipped; /* flushes of an mm that no CPU had loaded: nothing to do */
	u64 remote_ipis; /* IPIs sent by user shootdowns (one per target CPU) */
	u64 ipi_latency_cycles; /* sum over those of the time from the send to the handler */
	u64 wait_cycles; /* initiators' time from the first send to the last acknowledgement */
	u64 spared; /* protection changes that needed no flush (pte_needs_flush) */
};
extern struct tlb_stats tlb_stats;

/* Counts a protection change that needed no flush. */
static inline void tlb_stats_inc_spared(void)
{
	__atomic_add_fetch(&tlb_stats.spared, 1, __ATOMIC_RELAXED);
}

struct seq_buf;

/* /proc/warden/tlb: the counters, one "name value" line each, as /proc/vmstat prints them. */
int tlb_stats_show(struct seq_buf *m);

/* Reads the debug_tlb boot option. */
void tlb_init(void);

#endif
