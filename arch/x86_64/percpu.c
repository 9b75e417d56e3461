// SPDX-License-Identifier: MIT
/* Per-CPU data areas and the GS base that points at them. */
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/cpu.h"

struct percpu percpu_data[NR_CPUS];

void percpu_init(unsigned int cpu)
{
	struct percpu *p = &percpu_data[cpu];

	p->self = p;
	p->cpu = cpu;
	wrmsr(MSR_GS_BASE, (u64)p);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
