// SPDX-License-Identifier: MIT
/*
 * Address-space switches (Linux's arch/x86/mm/tlb.c switch_mm_irqs_off). Every CR3 change for a
 * user mm goes through switch_mm_irqs_off(), which keeps this CPU's loaded_mm: the mm whose
 * translations this CPU's TLB may hold. The TLB shootdown reads it to know which CPUs to ask.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ldt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlb.h"
#include "mm/mm.h"

void switch_mm_irqs_off(struct mm_struct *prev, struct mm_struct *next)
{
	u64 pa = virt_to_phys(next ? next->pgd : kernel_pml4);

	(void)prev; /* mm_cpumask: see tlb.c */
	this_cpu()->loaded_mm = next;
	if (read_cr3() != pa)
		write_cr3(pa);
	load_mm_ldt(next);
}
