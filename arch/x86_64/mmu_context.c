// SPDX-License-Identifier: MIT
/*
 * Address-space switches (Linux's arch/x86/mm/tlb.c switch_mm_irqs_off). Every CR3 change for a
 * user mm goes through switch_mm_irqs_off(), which keeps this CPU's loaded_mm (the mm whose
 * translations this CPU's TLB may hold) and the mm's cpumask (the CPUs that may hold them): the
 * TLB shootdown (tlb.c, docs/tlb.md) asks exactly the CPUs in the mask.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ldt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlb.h"
#include "mm/mm.h"

/*
 * The order matters against a shootdown running on another CPU: next's bit is set before CR3
 * is loaded (a flush whose PTE changes this load may miss is then sent here), and loaded_mm says
 * next only once the generation is recorded. prev's bit is cleared after the CR3 load, which
 * without PCID drops every translation of prev: from then on this CPU cannot hold any.
 * Staying on the mm already loaded (a lazy CPU going back to it) changes nothing: every flush
 * since reached this CPU, as its bit stayed set.
 */
void switch_mm_irqs_off(struct mm_struct *prev, struct mm_struct *next)
{
	struct percpu *pc = this_cpu();
	struct mm_struct *real_prev = pc->loaded_mm;
	unsigned int cpu = (unsigned int)pc->cpu;

	(void)prev; /* the mm CR3 really holds is loaded_mm (the lazy mm, for an idle CPU) */
	if (real_prev != next) {
		if (next)
			cpumask_set_cpu(cpu, mm_cpumask(next));
		WRITE_ONCE(pc->loaded_mm, NULL); /* no debug_tlb suspect while in between */
		write_cr3(virt_to_phys(next ? next->pgd : kernel_pml4));
		tlb_set_loaded_gen(next ? __atomic_load_n(&next->tlb_gen, __ATOMIC_SEQ_CST) : 0);
		WRITE_ONCE(pc->loaded_mm, next);
		if (real_prev)
			cpumask_clear_cpu(cpu, mm_cpumask(real_prev));
	}
	load_mm_ldt(next);
}
