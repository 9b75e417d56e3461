// SPDX-License-Identifier: MIT
/* CPUID decoding, the boot report of CPU features, and switching protections on. */
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/pkru.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

struct cpuinfo boot_cpu_data;
bool smap_enabled;

/* Where each feature lives: CPUID leaf, subleaf, register (0 eax .. 3 edx), bit. */
static const struct {
	const char *name;
	u32 leaf, subleaf;
	u8 reg, bit;
} feature_table[X86_NR_FEATURES] = {
	[X86_FEATURE_FPU] = { "fpu", 1, 0, 3, 0 },
	[X86_FEATURE_TSC] = { "tsc", 1, 0, 3, 4 },
	[X86_FEATURE_APIC] = { "apic", 1, 0, 3, 9 },
	[X86_FEATURE_FXSR] = { "fxsr", 1, 0, 3, 24 },
	[X86_FEATURE_SSE] = { "sse", 1, 0, 3, 25 },
	[X86_FEATURE_SSE2] = { "sse2", 1, 0, 3, 26 },
	[X86_FEATURE_X2APIC] = { "x2apic", 1, 0, 2, 21 },
	[X86_FEATURE_TSC_DEADLINE] = { "tsc_deadline_timer", 1, 0, 2, 24 },
	[X86_FEATURE_XSAVE] = { "xsave", 1, 0, 2, 26 },
	[X86_FEATURE_OSXSAVE] = { "osxsave", 1, 0, 2, 27 },
	[X86_FEATURE_AVX] = { "avx", 1, 0, 2, 28 },
	[X86_FEATURE_RDRAND] = { "rdrand", 1, 0, 2, 30 },
	[X86_FEATURE_PCID] = { "pcid", 1, 0, 2, 17 },
	[X86_FEATURE_FSGSBASE] = { "fsgsbase", 7, 0, 1, 0 },
	[X86_FEATURE_SMEP] = { "smep", 7, 0, 1, 7 },
	[X86_FEATURE_INVPCID] = { "invpcid", 7, 0, 1, 10 },
	[X86_FEATURE_SMAP] = { "smap", 7, 0, 1, 20 },
	[X86_FEATURE_UMIP] = { "umip", 7, 0, 2, 2 },
	[X86_FEATURE_PKU] = { "pku", 7, 0, 2, 3 },
	[X86_FEATURE_OSPKE] = { "ospke", 7, 0, 2, 4 },
	[X86_FEATURE_LA57] = { "la57", 7, 0, 2, 16 },
	[X86_FEATURE_SYSCALL] = { "syscall", 0x80000001, 0, 3, 11 },
	[X86_FEATURE_NX] = { "nx", 0x80000001, 0, 3, 20 },
	[X86_FEATURE_PDPE1GB] = { "pdpe1gb", 0x80000001, 0, 3, 26 },
	[X86_FEATURE_RDTSCP] = { "rdtscp", 0x80000001, 0, 3, 27 },
	[X86_FEATURE_LM] = { "lm", 0x80000001, 0, 3, 29 },
};

const char *cpu_feature_name(enum cpu_feature f)
{
	return feature_table[f].name;
}

static u32 reg_of(struct cpuid_regs r, int reg)
{
	return reg == 0 ? r.eax : reg == 1 ? r.ebx : reg == 2 ? r.ecx : r.edx;
}

/* Copies the 48-byte brand string from leaves 0x80000002..4, without leading spaces. */
static void read_model_name(struct cpuinfo *c)
{
	u32 buf[13] = { 0 }; /* 48 bytes and a terminator */

	for (u32 i = 0; i < 3; i++) {
		struct cpuid_regs r = cpuid(0x80000002 + i, 0);
		buf[i * 4 + 0] = r.eax;
		buf[i * 4 + 1] = r.ebx;
		buf[i * 4 + 2] = r.ecx;
		buf[i * 4 + 3] = r.edx;
	}
	const char *s = (const char *)buf;
	while (*s == ' ')
		s++;
	strlcpy(c->model_name, s, sizeof(c->model_name));
}

/*
 * clearcpuid=NAME[,NAME...]: the kernel acts as if the CPU lacked these features (Linux 6.1's
 * option of that name, by /proc/cpuinfo name; Linux's feature numbers are not taken). For a
 * machine that claims a feature it cannot run, e.g. a hypervisor whose instruction emulator
 * lacks clac (tools/kvm-env). User space's CPUID still shows them, as on Linux.
 */
static void clear_cpuid_option(struct cpuinfo *c)
{
	const char *arg = cmdline_get("clearcpuid");
	char opt[32], line[200];
	size_t n = 0;

	if (!arg || !*arg)
		return;
	line[0] = '\0';
	while (*arg) {
		size_t len = 0;

		while (arg[len] && arg[len] != ',')
			len++;
		if (len < sizeof(opt)) {
			memcpy(opt, arg, len);
			opt[len] = '\0';
		} else {
			opt[0] = '\0';
		}
		int found = -1;
		for (int f = 0; f < X86_NR_FEATURES; f++)
			if (opt[0] && !strcmp(feature_table[f].name, opt))
				found = f;
		if (found >= 0)
			c->features &= ~(1UL << found);
		if (n < sizeof(line))
			n += snprintf(line + n, sizeof(line) - n,
				      found >= 0 ? " %s" : " (unknown: %s)",
				      found >= 0 ? feature_table[found].name : opt);
		arg += len;
		if (*arg == ',')
			arg++;
	}
	pr_info("Clearing CPUID bits:%s\n", line);
}

void cpu_detect(void)
{
	struct cpuinfo *c = &boot_cpu_data;
	struct cpuid_regs r = cpuid(0, 0);
	u32 max_leaf = r.eax, max_ext = cpuid(0x80000000, 0).eax;

	memcpy(c->vendor + 0, &r.ebx, 4);
	memcpy(c->vendor + 4, &r.edx, 4);
	memcpy(c->vendor + 8, &r.ecx, 4);
	c->vendor[12] = '\0';
	r = cpuid(1, 0);
	c->family = (r.eax >> 8) & 0xf;
	c->model = (r.eax >> 4) & 0xf;
	c->stepping = r.eax & 0xf;
	if (c->family == 0xf)
		c->family += (r.eax >> 20) & 0xff;
	if (c->family >= 6)
		c->model |= ((r.eax >> 16) & 0xf) << 4;
	if (max_ext >= 0x80000004)
		read_model_name(c);
	if (max_ext >= 0x80000008) {
		r = cpuid(0x80000008, 0);
		c->phys_bits = r.eax & 0xff;
		c->virt_bits = (r.eax >> 8) & 0xff;
	}
	c->features = 0;
	for (int f = 0; f < X86_NR_FEATURES; f++) {
		u32 leaf = feature_table[f].leaf;
		if ((leaf < 0x80000000 && leaf > max_leaf) ||
		    (leaf >= 0x80000000 && leaf > max_ext))
			continue;
		r = cpuid(leaf, feature_table[f].subleaf);
		if (reg_of(r, feature_table[f].reg) & (1U << feature_table[f].bit))
			c->features |= 1UL << f;
	}
	clear_cpuid_option(c);
}

/*
 * Switches on this CPU's protections and extensions (CR0 and CR4) from the boot CPU's features:
 * the same bits on every CPU, so a task sees the same machine wherever it runs. Returns CR4.
 */
static u64 cpu_init_protections(void)
{
	u64 cr0 = read_cr0(), cr4 = read_cr4();

	/* Linux's CR0_STATE: AM makes EFLAGS.AC alignment checking work in user mode. */
	cr0 |= X86_CR0_WP | X86_CR0_MP | X86_CR0_NE | X86_CR0_AM;
	cr0 &= ~X86_CR0_EM;
	if (cpu_has(X86_FEATURE_FXSR))
		cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	if (cpu_has(X86_FEATURE_SMEP))
		cr4 |= X86_CR4_SMEP;
	if (cpu_has(X86_FEATURE_SMAP))
		cr4 |= X86_CR4_SMAP;
	if (cpu_has(X86_FEATURE_UMIP))
		cr4 |= X86_CR4_UMIP;
	if (cpu_has(X86_FEATURE_XSAVE))
		cr4 |= X86_CR4_OSXSAVE;
	if (cpu_has(X86_FEATURE_PKU))
		cr4 |= X86_CR4_PKE;
	cr4 |= X86_CR4_PGE;
	write_cr0(cr0);
	write_cr4(cr4);
	return cr4;
}

void cpu_enable_protections(void)
{
	u64 cr4 = cpu_init_protections();

	smap_enabled = cr4 & X86_CR4_SMAP;
	/* CPUID now reports what the OS switched on (OSXSAVE, OSPKE), as user mode will see it. */
	if (cr4 & X86_CR4_OSXSAVE)
		boot_cpu_data.features |= 1UL << X86_FEATURE_OSXSAVE;
	if (cr4 & X86_CR4_PKE) {
		boot_cpu_data.features |= 1UL << X86_FEATURE_OSPKE;
		pku_enabled = true; /* PKRU is 0 (all open) until the first task gets its own */
	}
	fpu__init_system();
}

void cpu_enable_protections_ap(void)
{
	cpu_init_protections();
	fpu__init_cpu();
}

void cpu_report(void)
{
	const struct cpuinfo *c = &boot_cpu_data;
	char line[400];
	size_t n = 0;

	pr_info("cpu: %s \"%s\" family %u model %u stepping %u, %u-bit physical, %u-bit virtual\n",
		c->vendor, c->model_name, c->family, c->model, c->stepping, c->phys_bits,
		c->virt_bits);
	for (int f = 0; f < X86_NR_FEATURES; f++)
		if (cpu_has(f) && n < sizeof(line))
			n += snprintf(line + n, sizeof(line) - n, " %s", feature_table[f].name);
	pr_info("cpu: features:%s\n", line);
	n = 0;
	line[0] = '\0';
	for (int f = 0; f < X86_NR_FEATURES; f++)
		if (!cpu_has(f) && n < sizeof(line))
			n += snprintf(line + n, sizeof(line) - n, " %s", feature_table[f].name);
	pr_info("cpu: absent:%s\n", n ? line : " (none)");

	u64 cr0 = read_cr0(), cr4 = read_cr4(), efer = rdmsr(MSR_EFER);
	pr_info("cpu: protections: CR0.WP=%d EFER.NXE=%d CR4.SMEP=%d CR4.SMAP=%d CR4.UMIP=%d "
		"CR4.PKE=%d CR4.OSXSAVE=%d\n",
		!!(cr0 & X86_CR0_WP), !!(efer & EFER_NXE), !!(cr4 & X86_CR4_SMEP),
		!!(cr4 & X86_CR4_SMAP), !!(cr4 & X86_CR4_UMIP), !!(cr4 & X86_CR4_PKE),
		!!(cr4 & X86_CR4_OSXSAVE));
}
