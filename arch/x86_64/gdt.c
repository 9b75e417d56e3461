// SPDX-License-Identifier: MIT
/* GDT, TSS and interrupt stacks. */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"
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

static struct ist_stack ist_stacks[3];
static const char *const ist_names[3] = { "double-fault", "NMI", "machine-check" };
static struct tss tss;

/*
 * Segment descriptors. Long mode ignores base and limit for code and data; what matters is the
 * type, DPL and the L bit. The 32-bit entries exist so that selectors equal Linux's.
 */
static u64 gdt[10] = {
	[GDT_KERNEL_CS32 >> 3] = 0x00cf9b000000ffff, [GDT_KERNEL_CS >> 3] = 0x00af9b000000ffff,
	[GDT_KERNEL_DS >> 3] = 0x00cf93000000ffff,   [GDT_USER_CS32 >> 3] = 0x00cffb000000ffff,
	[GDT_USER_DS >> 3] = 0x00cff3000000ffff,     [GDT_USER_CS >> 3] = 0x00affb000000ffff,
};

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

/* Writes the 16-byte TSS descriptor (available 64-bit TSS, present, DPL 0). */
static void set_tss_descriptor(void)
{
	u64 base = (u64)&tss, limit = sizeof(tss) - 1;

	gdt[GDT_TSS >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
			    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[(GDT_TSS >> 3) + 1] = base >> 32;
}

void gdt_init(void)
{
	struct desc_ptr p = { sizeof(gdt) - 1, (u64)gdt };

	for (int i = 0; i < 3; i++)
		tss.ist[i] = (u64)(ist_stacks[i].stack + IST_STACK_SIZE);
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap: user port I/O faults */
	set_tss_descriptor();
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
}

void gdt_protect_ist_stacks(void)
{
	for (int i = 0; i < 3; i++) {
		pgtable_unmap(kernel_pml4, (u64)ist_stacks[i].guard);
		flush_tlb_one_kernel((u64)ist_stacks[i].guard);
	}
}

void tss_set_rsp0(u64 rsp0)
{
	tss.rsp[0] = rsp0;
}

bool ist_guard_contains(u64 addr, const char **name)
{
	for (int i = 0; i < 3; i++) {
		if (addr - (u64)ist_stacks[i].guard < PAGE_SIZE) {
			*name = ist_names[i];
			return true;
		}
	}
	return false;
}
