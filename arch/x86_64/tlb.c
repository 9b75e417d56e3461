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
#include "kernel/sched.h"
#include "arch/x86_64/smp.h"
#include "mm/memory.h"
#include "mm/mm.h"

/*
 * The generation of its loaded_mm (percpu.h) each CPU has flushed up to: written by its own CPU
 * only (in interrupt context for a flush IPI), read by debug_tlb on the initiator.
 */
static u64 cpu_tlb_gen[NR_CPUS];

struct tlb_stats tlb_stats;
bool debug_tlb;

/* One shootdown: what each target CPU drops (Linux's flush_tlb_info). */
struct flush_tlb_info {
	struct mm_struct *mm;
	u64 start, end;
	u64 new_gen; /* the mm's generation once this flush is done */
	bool full; /* a CR3 reload instead of INVLPG per page */
	u64 sent; /* TSC when the IPIs went out (for ipi_latency_cycles) */
};

/* Adds one to a counter that several CPUs may bump at once. */
static void tlb_stat_inc(u64 *counter, u64 n)
{
	__atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
}

/* A kernel range to drop on every CPU (the kernel half is in every page table). */
struct flush_kernel_info {
	u64 start, end;
};

/* Drops [start, end) of the kernel half on this CPU: INVLPG up to the ceiling, all beyond. */
static void __flush_tlb_kernel_range(u64 start, u64 end)
{
	if ((end - start) / PAGE_SIZE > TLB_SINGLE_PAGE_FLUSH_CEILING) {
		flush_tlb_all();
		return;
	}
	for (u64 va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		__asm__ __volatile__("invlpg (%0)" ::"r"(va) : "memory");
}

/* A kernel-range shootdown's IPI on a target CPU. */
static void flush_tlb_kernel_func(void *info)
{
	const struct flush_kernel_info *f = info;

	__flush_tlb_kernel_range(f->start, f->end);
}

/*
 * Kernel mappings (vmalloc'd stacks, guard pages) are shared by every mm, so every online CPU
 * may cache them, lazy or not: the flush goes to all of them, with a wait (Linux's
 * flush_tlb_kernel_range). Before the other CPUs are up, only this one.
 */
void flush_tlb_kernel_range(u64 start, u64 end)
{
	struct flush_kernel_info f = { start, end };

	__flush_tlb_kernel_range(start, end);
	if (nr_cpu_ids > 1)
		smp_call_function_many(&cpu_online_mask, flush_tlb_kernel_func, &f, true);
}

void flush_tlb_one_kernel(u64 va)
{
	flush_tlb_kernel_range(va, va + PAGE_SIZE);
}

/*
 * The flush one CPU does, the initiator itself or a target in its IPI handler (Linux's
 * flush_tlb_func): nothing if it no longer has the mm loaded (its CR3 switch dropped every entry).
 */
static void flush_tlb_func(const struct flush_tlb_info *f)
{
	unsigned int cpu = smp_processor_id();

	if (this_cpu()->loaded_mm != f->mm)
		return;
	if (f->full) {
		write_cr3(read_cr3()); /* user mappings are never global */
		tlb_stat_inc(&tlb_stats.local_flush_all, 1);
	} else {
		for (u64 va = f->start & PAGE_MASK; va < f->end; va += PAGE_SIZE)
			__asm__ __volatile__("invlpg (%0)" ::"r"(va) : "memory");
		tlb_stat_inc(&tlb_stats.local_flush_one, (f->end - f->start) / PAGE_SIZE);
	}
	if (cpu_tlb_gen[cpu] < f->new_gen)
		cpu_tlb_gen[cpu] = f->new_gen;
}

/* flush_tlb_func as the initiator's part of a shootdown (smp_call_function_many_local). */
static void flush_tlb_func_local(void *info)
{
	flush_tlb_func(info);
}

void tlb_set_loaded_gen(u64 gen)
{
	cpu_tlb_gen[smp_processor_id()] = gen;
}

void leave_mm(void)
{
	struct percpu *pc = this_cpu();
	struct mm_struct *mm = pc->loaded_mm;

	if (!mm)
		return;
	WRITE_ONCE(pc->loaded_mm, NULL);
	write_cr3(virt_to_phys(kernel_pml4));
	cpumask_clear_cpu((unsigned int)pc->cpu, mm_cpumask(mm));
}

/*
 * A shootdown's IPI on a target CPU (interrupt context, interrupts off). A CPU whose running
 * task does not use the mm only has it loaded lazily (idle, or a kernel thread, since its last
 * task of the mm left): rather than flush, it leaves the mm, which is also what a freed-tables
 * flush needs from it. Otherwise it flushes as the initiator did.
 */
static void flush_tlb_func_remote(void *info)
{
	const struct flush_tlb_info *f = info;
	struct task_struct *t = current;

	tlb_stat_inc(&tlb_stats.remote_flush_received, 1);
	tlb_stat_inc(&tlb_stats.ipi_latency_cycles, rdtsc() - f->sent);
	if (this_cpu()->loaded_mm != f->mm)
		return; /* switched away meanwhile: the CR3 load dropped everything */
	if (!t || t->mm != f->mm) {
		leave_mm();
		return;
	}
	flush_tlb_func(f);
}

/*
 * debug_tlb: after a shootdown, every CPU that has the mm loaded must have flushed up to the
 * shootdown's generation; otherwise a frame the caller frees next could still be reached
 * through that CPU's TLB. Checked on every online CPU, not only the mm's cpumask, so that a
 * wrong mask shows too. A violation is a kernel bug: panic with what was missed.
 */
static void tlb_check_flushed(const struct flush_tlb_info *f)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
	{
		if (READ_ONCE(percpu_data[cpu].loaded_mm) == f->mm &&
		    READ_ONCE(cpu_tlb_gen[cpu]) < f->new_gen)
			panic("debug_tlb: CPU %u may still hold %#llx-%#llx of mm %p: flushed to "
			      "generation %llu, the shootdown was %llu (mm_cpumask %#llx)",
			      cpu, (unsigned long long)f->start, (unsigned long long)f->end, f->mm,
			      (unsigned long long)cpu_tlb_gen[cpu], (unsigned long long)f->new_gen,
			      (unsigned long long)mm_cpumask(f->mm)->bits);
	}
}

/*
 * The shootdown (Linux's flush_tlb_mm_range + native_flush_tlb_multi): a new generation, an IPI
 * to every other CPU in the mm's cpumask, the local flush while they travel, and the wait for all
 * of them (halting under a hypervisor, smp.c). Lazy CPUs get it too, for every flush (Linux spares
 * them all but freed-tables flushes): they leave the mm at the first one, so later flushes no
 * longer reach them, and it keeps the rule simple. Called with kernel_lock held, never from
 * interrupt context.
 */
static void __flush_tlb_mm_range(struct mm_struct *mm, u64 start, u64 end, bool freed_tables)
{
	struct flush_tlb_info f = {
		.mm = mm,
		.start = start,
		.end = end,
		.full = (end - start) / PAGE_SIZE > TLB_SINGLE_PAGE_FLUSH_CEILING,
	};
	unsigned int cpu = smp_processor_id();
	cpumask_t targets;
	u64 cpus = 0, nr_ipis = 0;
	unsigned int t;

	(void)freed_tables; /* a CR3 reload, INVLPG and leave_mm all drop the page-walk caches */
	/* The PTE changes are done: a CPU that loads the mm from here on sees them. */
	f.new_gen = __atomic_add_fetch(&mm->tlb_gen, 1, __ATOMIC_SEQ_CST);
	bool local = this_cpu()->loaded_mm == mm;
	if (local)
		cpus |= 1ULL << cpu;
	cpumask_copy(&targets, mm_cpumask(mm));
	cpumask_clear_cpu(cpu, &targets);
	if (cpumask_empty(&targets)) {
		if (local)
			flush_tlb_func(&f);
	} else {
		/* The local flush runs while the IPIs travel (Linux's SCF_RUN_LOCAL). */
		f.sent = rdtsc();
		smp_call_function_many_local(&targets, flush_tlb_func_remote, &f,
					     local ? flush_tlb_func_local : NULL, &f);
		tlb_stat_inc(&tlb_stats.wait_cycles, rdtsc() - f.sent);
		tlb_stat_inc(&tlb_stats.remote_flush, 1);
		for_each_cpu(t, &targets) nr_ipis++;
		tlb_stat_inc(&tlb_stats.remote_ipis, nr_ipis);
		cpus |= targets.bits;
	}
	if (!cpus)
		tlb_stat_inc(&tlb_stats.local_skipped, 1);
	trace_event(TRACE_TLB_FLUSH, cpu, cpus, start, end, (end - start) / PAGE_SIZE,
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

bool pte_needs_flush(u64 old_pte, u64 new_pte)
{
	/* Changes that only grant more, when set: the old entry faults where the new allows. */
	const u64 grant_on_set = _PAGE_RW | _PAGE_DIRTY;
	const u64 ignored =
		_PAGE_ACCESSED | _PAGE_SOFT_DIRTY | _PAGE_PROTNONE | _PAGE_LAZYFREE | _PAGE_UFFD_WP;
	u64 diff = (old_pte ^ new_pte) & ~ignored;

	if (!(old_pte & _PAGE_PRESENT))
		return false;
	if (!(new_pte & _PAGE_PRESENT))
		return true;
	/* Write permission or the dirty bit taken away. */
	if (diff & old_pte & grant_on_set)
		return true;
	/*
	 * The frame, the user bit, caching, the key, execution given or taken (a fetch through a
	 * stale NX entry is a protection fault that the fault path, as Linux's access_error, cannot
	 * tell from a real one), anything else: flush.
	 */
	return diff & ~grant_on_set;
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

/* On a CPU that may have mm loaded: leave it (a smp_call_function target). */
static void leave_mm_func(void *info)
{
	if (this_cpu()->loaded_mm == info)
		leave_mm();
}

void tlb_mm_release(struct mm_struct *mm)
{
	unsigned int cpu = smp_processor_id();
	cpumask_t targets;
	u64 flags = read_rflags();

	local_irq_disable();
	if (this_cpu()->loaded_mm == mm)
		leave_mm();
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
	cpumask_copy(&targets, mm_cpumask(mm));
	cpumask_clear_cpu(cpu, &targets);
	if (!cpumask_empty(&targets))
		smp_call_function_many(&targets, leave_mm_func, mm, true);
	if (!debug_tlb)
		return;
	for_each_online_cpu(cpu) if (READ_ONCE(percpu_data[cpu].loaded_mm) == mm)
		panic("debug_tlb: CPU %u still has mm %p loaded as its tables are freed", cpu, mm);
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
	seq_printf(m, "nr_tlb_remote_ipis %llu\ntlb_ipi_latency_cycles %llu\n",
		   (unsigned long long)tlb_stats.remote_ipis,
		   (unsigned long long)tlb_stats.ipi_latency_cycles);
	seq_printf(m, "tlb_wait_cycles %llu\nnr_tlb_flush_spared %llu\n",
		   (unsigned long long)tlb_stats.wait_cycles, (unsigned long long)tlb_stats.spared);
	return 0;
}

void tlb_init(void)
{
	debug_tlb = cmdline_get("debug_tlb") != NULL;
}
