// SPDX-License-Identifier: MIT
/*
 * TLB flushing (docs/tlb.md): INVLPG for a few pages, a CR3 reload for a longer user range, a
 * CR4.PGE toggle for everything. A user flush is a shootdown: it reaches every CPU that may
 * cache the mm's translations, and returns only when all of them dropped them, so that the
 * caller may then free the frames the translations pointed to.
 *
 * Each mm counts its flushes (tlb_gen, Linux's context.tlb_gen); each CPU records the mm it has
 * loaded and the generation it has flushed up to. Loading an mm's CR3 flushes everything it
 * held of it, so a CPU that switches to an mm is up to date with the mm's current generation.
 */
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pgtable.h"
#include "fs/proc.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/trace.h"
#include "mm/memory.h"
#include "mm/mm.h"

/* What one CPU's TLB may hold: translations of loaded_mm, flushed up to generation tlb_gen. */
struct tlb_state {
	struct mm_struct *loaded_mm; /* the mm CR3 holds; NULL: the kernel's page tables */
	u64 tlb_gen; /* loaded_mm->tlb_gen when this CPU last flushed or loaded it */
};

/* Written by its own CPU only (in interrupt context for a flush IPI); read by debug_tlb. */
static struct tlb_state cpu_tlbstate[NR_CPUS];

struct tlb_stats tlb_stats;
bool debug_tlb;

/* One shootdown: what each target CPU drops (Linux's flush_tlb_info). */
struct flush_tlb_info {
	struct mm_struct *mm;
	u64 start, end;
	u64 new_gen; /* the mm's generation once this flush is done */
	bool full; /* a CR3 reload instead of INVLPG per page */
};

/* This CPU's TLB state. */
static struct tlb_state *this_tlbstate(void)
{
	return &cpu_tlbstate[this_cpu()->cpu];
}

/* Adds one to a counter that several CPUs may bump at once. */
static void tlb_stat_inc(u64 *counter, u64 n)
{
	__atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
}

void flush_tlb_one_kernel(u64 va)
{
	__asm__ __volatile__("invlpg (%0)" ::"r"(va) : "memory");
}

void flush_tlb_kernel_range(u64 start, u64 end)
{
	if ((end - start) / PAGE_SIZE > TLB_SINGLE_PAGE_FLUSH_CEILING) {
		flush_tlb_all();
		return;
	}
	for (u64 va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		flush_tlb_one_kernel(va);
}

/*
 * The flush one CPU does, the initiator itself or a target in its IPI handler (Linux's
 * flush_tlb_func): nothing if it no longer has the mm loaded (its CR3 switch dropped every entry).
 */
static void flush_tlb_func(const struct flush_tlb_info *f)
{
	struct tlb_state *s = this_tlbstate();

	if (s->loaded_mm != f->mm)
		return;
	if (f->full) {
		write_cr3(read_cr3()); /* user mappings are never global */
		tlb_stat_inc(&tlb_stats.local_flush_all, 1);
	} else {
		for (u64 va = f->start & PAGE_MASK; va < f->end; va += PAGE_SIZE)
			__asm__ __volatile__("invlpg (%0)" ::"r"(va) : "memory");
		tlb_stat_inc(&tlb_stats.local_flush_one, (f->end - f->start) / PAGE_SIZE);
	}
	if (s->tlb_gen < f->new_gen)
		s->tlb_gen = f->new_gen;
}

/*
 * debug_tlb: after a shootdown, every CPU that has the mm loaded must have flushed up to the
 * shootdown's generation; otherwise a frame the caller frees next could still be reached
 * through that CPU's TLB. A violation is a kernel bug: panic with what was missed.
 */
static void tlb_check_flushed(const struct flush_tlb_info *f)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct tlb_state *s = &cpu_tlbstate[cpu];
		if (READ_ONCE(s->loaded_mm) == f->mm && READ_ONCE(s->tlb_gen) < f->new_gen)
			panic("debug_tlb: CPU %u may still hold %#llx-%#llx of mm %p: flushed to "
			      "generation %llu, the shootdown was %llu",
			      cpu, (unsigned long long)f->start, (unsigned long long)f->end, f->mm,
			      (unsigned long long)s->tlb_gen, (unsigned long long)f->new_gen);
	}
}

/*
 * The shootdown (Linux's flush_tlb_mm_range + native_flush_tlb_multi): a new generation, the
 * local flush, and the wait for every other CPU that may hold the mm's translations.
 */
static void __flush_tlb_mm_range(struct mm_struct *mm, u64 start, u64 end, bool freed_tables)
{
	struct flush_tlb_info f = {
		.mm = mm,
		.start = start,
		.end = end,
		.full = (end - start) / PAGE_SIZE > TLB_SINGLE_PAGE_FLUSH_CEILING,
	};
	u64 cpus = 0;

	(void)freed_tables; /* a CR3 reload and INVLPG both drop the page-walk caches */
	f.new_gen = __atomic_add_fetch(&mm->tlb_gen, 1, __ATOMIC_ACQ_REL);
	if (this_tlbstate()->loaded_mm == mm) {
		flush_tlb_func(&f);
		cpus |= 1ULL << this_cpu()->cpu;
	} else {
		tlb_stat_inc(&tlb_stats.local_skipped, 1);
	}
	trace_event(TRACE_TLB_FLUSH, this_cpu()->cpu, cpus, start, end, (end - start) / PAGE_SIZE,
		    cpus ? f.full : 2);
	if (debug_tlb)
		tlb_check_flushed(&f);
}

void flush_tlb_mm_range(struct mm_struct *mm, u64 start, u64 end)
{
	__flush_tlb_mm_range(mm, start, end, false);
}

/*
 * After page tables were unlinked. The CPU caches not only leaf translations but also PML4,
 * PDPT and PD entries (the paging-structure caches), and may walk through a cached one, even
 * speculatively, into a table frame that was freed and reused. Both INVLPG and a CR3 write
 * drop every paging-structure-cache entry of the current PCID (Warden uses none), so the
 * ordinary range flush covers them on this CPU, and an mm not loaded here caches nothing once
 * CR3 moved away from it. This flush must reach every CPU that has the mm loaded, lazily idle
 * ones included (Linux's freed_tables shootdown), and the tables may be freed only after all of
 * them acknowledged it.
 */
void flush_tlb_mm_freed_tables(struct mm_struct *mm, u64 start, u64 end)
{
	__flush_tlb_mm_range(mm, start, end, true);
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

void switch_mm_irqs_off(struct mm_struct *prev, struct mm_struct *next)
{
	struct tlb_state *s = this_tlbstate();
	u64 pa = virt_to_phys(next ? next->pgd : kernel_pml4);

	(void)prev;
	if (read_cr3() == pa)
		return;
	/*
	 * Loaded, then up to date with every flush whose PTE changes came before the load:
	 * holding no mm in between, this CPU is nobody's debug_tlb suspect meanwhile.
	 */
	WRITE_ONCE(s->loaded_mm, NULL);
	write_cr3(pa);
	s->tlb_gen = next ? __atomic_load_n(&next->tlb_gen, __ATOMIC_ACQUIRE) : 0;
	WRITE_ONCE(s->loaded_mm, next);
}

struct mm_struct *tlb_loaded_mm(void)
{
	return this_tlbstate()->loaded_mm;
}

void tlb_mm_release(struct mm_struct *mm)
{
	if (this_tlbstate()->loaded_mm == mm)
		switch_mm_irqs_off(mm, NULL);
}

int tlb_stats_show(struct seq_buf *m)
{
	seq_printf(m, "nr_tlb_local_flush_one %llu\nnr_tlb_local_flush_all %llu\n",
		   (unsigned long long)tlb_stats.local_flush_one,
		   (unsigned long long)tlb_stats.local_flush_all);
	seq_printf(m, "nr_tlb_remote_flush %llu\nnr_tlb_remote_flush_received %llu\n",
		   (unsigned long long)tlb_stats.remote_flush,
		   (unsigned long long)tlb_stats.remote_flush_received);
	seq_printf(m, "nr_tlb_flush_not_loaded %llu\n",
		   (unsigned long long)tlb_stats.local_skipped);
	return 0;
}

void tlb_init(void)
{
	debug_tlb = cmdline_get("debug_tlb") != NULL;
}
