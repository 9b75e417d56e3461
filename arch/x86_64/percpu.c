// SPDX-License-Identifier: MIT
/* Per-CPU data areas and the GS base that points at them. */
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/cpu.h"

struct percpu percpu_data[NR_CPUS];

/* IA32_TSC_AUX: what RDTSCP returns in ECX and RDPID in its register. */
#define MSR_TSC_AUX 0xc0000103

/*
 * Whether this CPU has RDTSCP (CPUID 0x80000001 EDX bit 27) or RDPID (CPUID 7 ECX bit 22), read
 * directly: the boot CPU comes here before cpu_detect.
 */
static bool cpu_has_tsc_aux(void)
{
	u32 max = cpuid(0, 0).eax, max_ext = cpuid(0x80000000, 0).eax;

	if (max_ext >= 0x80000001 && (cpuid(0x80000001, 0).edx & (1U << 27)))
		return true;
	return max >= 7 && (cpuid(7, 0).ecx & (1U << 22));
}

void percpu_init(unsigned int cpu)
{
	struct percpu *p = &percpu_data[cpu];

	p->self = p;
	p->cpu = cpu;
	wrmsr(MSR_GS_BASE, (u64)p);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	/* Linux's setup_getcpu: user space reads cpu | node << 12 (node 0) with RDTSCP or RDPID. */
	if (cpu_has_tsc_aux())
		wrmsr(MSR_TSC_AUX, cpu);
}
