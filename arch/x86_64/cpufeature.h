/* SPDX-License-Identifier: MIT */
/*
 * CPU identification and the protection features Warden uses: detected once at boot from CPUID,
 * reported on the console, and switched on when present (CR0.WP, EFER.NXE, CR4.SMEP/SMAP/UMIP).
 */
#ifndef WARDEN_ARCH_CPUFEATURE_H
#define WARDEN_ARCH_CPUFEATURE_H

#include "kernel/types.h"

enum cpu_feature {
	X86_FEATURE_FPU,
	X86_FEATURE_TSC,
	X86_FEATURE_APIC,
	X86_FEATURE_FXSR,
	X86_FEATURE_SSE,
	X86_FEATURE_SSE2,
	X86_FEATURE_X2APIC,
	X86_FEATURE_XSAVE,
	X86_FEATURE_OSXSAVE,
	X86_FEATURE_AVX,
	X86_FEATURE_RDRAND,
	X86_FEATURE_TSC_DEADLINE,
	X86_FEATURE_PCID,
	X86_FEATURE_FSGSBASE,
	X86_FEATURE_SMEP,
	X86_FEATURE_INVPCID,
	X86_FEATURE_SMAP,
	X86_FEATURE_UMIP,
	X86_FEATURE_PKU,
	X86_FEATURE_OSPKE,
	X86_FEATURE_LA57,
	X86_FEATURE_SYSCALL,
	X86_FEATURE_NX,
	X86_FEATURE_PDPE1GB,
	X86_FEATURE_RDTSCP,
	X86_FEATURE_LM,
	X86_NR_FEATURES
};

struct cpuinfo {
	char vendor[13];
	char model_name[49];
	u32 family, model, stepping;
	u32 phys_bits, virt_bits;
	u64 features; /* bit n = enum cpu_feature n */
};

extern struct cpuinfo boot_cpu_data;

/* Reads CPUID into boot_cpu_data. */
void cpu_detect(void);

static inline bool cpu_has(enum cpu_feature f)
{
	return boot_cpu_data.features & (1UL << f);
}

/*
 * Turns on WP, SMEP, SMAP, UMIP, SSE state support, XSAVE (XCR0) and protection keys (CR4.PKE,
 * pku_enabled) where the CPU has them.
 */
void cpu_enable_protections(void);

/* The same protections on a secondary CPU as it comes up (CR0, CR4, XCR0), after the boot CPU's. */
void cpu_enable_protections_ap(void);

/* Prints the CPU, its features and what the kernel switched on. */
void cpu_report(void);

/* Lowercase name of a feature, as in /proc/cpuinfo ("smep"). */
const char *cpu_feature_name(enum cpu_feature f);

#endif
