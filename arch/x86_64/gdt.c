// SPDX-License-Identifier: MIT
/* GDT, TSS and interrupt stacks. */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlb.h"
#include "kernel/compiler.h"
#include "kernel/string.h"

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

/* An IST stack with the guard page that gdt_protect_ist_stacks() unmaps. */
struct ist_stack {
	u8 guard[PAGE_SIZE];
	u8 stack[IST_STACK_SIZE];
} __aligned(PAGE_SIZE);

/* Each CPU's IST stacks, TSS and GDT (a CPU's copy differs in the TSS, LDT and CPU number). */
static struct ist_stack ist_stacks[NR_CPUS][NR_IST_STACKS];
static const char *const ist_names[NR_IST_STACKS] = { "double-fault", "NMI", "machine-check",
						      "debug" };
static struct tss tss[NR_CPUS] __aligned(64);

/*
 * Segment descriptors, Linux's GDT_ENTRIES (16) of them. Long mode ignores base and limit for
 * code and data; what matters is the type, DPL and the L bit. The 32-bit entries exist so that
 * selectors equal Linux's. What user mode can load from here: the three DPL-3 segments and the
 * CPU-number segment; every other entry is DPL 0, a system descriptor (TSS, LDT: never loadable
 * into a segment register) or null, and there is no gate. A per-CPU copy for SMP will differ in
 * the TSS and LDT descriptors and the CPU number only.
 */
static const u64 gdt_template[GDT_ENTRIES] = {
	[GDT_KERNEL_CS32 >> 3] = 0x00cf9b000000ffff,
	[GDT_KERNEL_CS >> 3] = 0x00af9b000000ffff,
	[GDT_KERNEL_DS >> 3] = 0x00cf93000000ffff,
	[GDT_USER_CS32 >> 3] = 0x00cffb000000ffff,
	[GDT_USER_DS >> 3] = 0x00cff3000000ffff,
	[GDT_USER_CS >> 3] = 0x00affb000000ffff,
	/*
	 * Linux's GDT_ENTRY_CPUNODE: read-only data, DPL 3, present, 32-bit; the limit holds the
	 * CPU number (and node << 12) for LSL (vDSO getcpu). CPU 0, node 0: limit 0.
	 */
	[GDT_CPUNODE >> 3] = 0x0040f50000000000,
};

static u64 gdt[NR_CPUS][GDT_ENTRIES] __aligned(64);

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

/* Writes a 16-byte system descriptor (type: 0x89 available 64-bit TSS, 0x82 LDT; DPL 0). */
static void set_system_descriptor(u64 *table, unsigned int sel, u64 base, u64 limit, u64 type)
{
	table[sel >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (type << 40) |
			  (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	table[(sel >> 3) + 1] = base >> 32;
}

/* Writes a CPU's TSS descriptor: limit sizeof(tss) - 1, so the I/O bitmap offset lies past it. */
static void set_tss_descriptor(unsigned int cpu)
{
	set_system_descriptor(gdt[cpu], GDT_TSS, (u64)&tss[cpu], sizeof(tss[cpu]) - 1, 0x89);
}

void load_ldt(const void *entries, unsigned int nr_entries)
{
	if (!nr_entries) {
		__asm__ __volatile__("lldt %w0" ::"r"(0) : "memory");
		return;
	}
	set_system_descriptor(gdt[smp_processor_id()], GDT_LDT, (u64)entries, nr_entries * 8UL - 1,
			      0x82);
	__asm__ __volatile__("lldt %w0" ::"r"(GDT_LDT) : "memory");
}

/*
 * This CPU's descriptor tables and segment registers: the GDT, the kernel's segments, the TSS
 * (TR) and a null LDT (LDTR). The reset value of LDTR is a usable LDT at linear address 0 that
 * user memory could supply (with a call gate to the kernel's code segment): nothing may run
 * before a null LDT is loaded. Run on every CPU as it comes up, with its own GDT, TSS and IST
 * stacks; the CPU-number segment's limit holds cpu (what LSL and the vDSO's getcpu read).
 */
void gdt_init(unsigned int cpu)
{
	struct desc_ptr p = { sizeof(gdt[cpu]) - 1, (u64)gdt[cpu] };

	memcpy(gdt[cpu], gdt_template, sizeof(gdt_template));
	gdt[cpu][GDT_CPUNODE >> 3] |= cpu & 0xffff;
	for (int i = 0; i < NR_IST_STACKS; i++)
		tss[cpu].ist[i] = (u64)(ist_stacks[cpu][i].stack + IST_STACK_SIZE);
	/*
	 * No I/O permission bitmap: its offset is past the TSS limit, and IOPL stays 0 (SYSCALL's
	 * FMASK clears it, sigreturn and ptrace cannot set it), so IN/OUT from user mode is #GP.
	 */
	tss[cpu].iomap_base = sizeof(tss[cpu]);
	set_tss_descriptor(cpu);
	__asm__ __volatile__("lgdt %0\n\t"
			     "mov %1, %%ds\n\t"
			     "mov %1, %%es\n\t"
			     "mov %1, %%ss\n\t"
			     "pushq %2\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "ltr %w3"
			     :
			     : "m"(p), "r"((u64)GDT_KERNEL_DS), "i"(GDT_KERNEL_CS), "r"(GDT_TSS)
			     : "rax", "memory");
	load_ldt(NULL, 0);
}

void gdt_protect_ist_stacks(void)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		for (int i = 0; i < NR_IST_STACKS; i++) {
			pgtable_unmap(kernel_pml4, (u64)ist_stacks[cpu][i].guard);
			flush_tlb_one_kernel((u64)ist_stacks[cpu][i].guard);
		}
}

void tss_set_rsp0(u64 rsp0)
{
	tss[smp_processor_id()].rsp[0] = rsp0;
}

bool ist_guard_contains(u64 addr, const char **name)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		for (int i = 0; i < NR_IST_STACKS; i++) {
			if (addr - (u64)ist_stacks[cpu][i].guard < PAGE_SIZE) {
				*name = ist_names[i];
				return true;
			}
		}
	return false;
}
