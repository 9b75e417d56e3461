/* SPDX-License-Identifier: MIT */
/*
 * The GDT (Linux's layout, so user-visible selectors match) and the TSS with its interrupt stack
 * table: double fault, NMI and machine check run on their own stacks, each with a guard page, so
 * a kernel stack overflow is reported instead of resetting the machine.
 */
#ifndef WARDEN_ARCH_GDT_H
#define WARDEN_ARCH_GDT_H

#include "kernel/types.h"

#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MCE 3
#define IST_DEBUG 4 /* #DB: see entry.asm, paranoid_entry */
#define NR_IST_STACKS 4
#define IST_STACK_SIZE 0x2000

/* Loads CPU cpu's own GDT, TSS and a null LDT and reloads the segment registers (each CPU). */
void gdt_init(unsigned int cpu);

/*
 * Makes LDTR this CPU's view of an LDT of nr_entries descriptors at entries (kernel memory), or
 * null (nr_entries 0: every LDT selector faults). Only arch/x86_64/ldt.c calls it with entries.
 */
void load_ldt(const void *entries, unsigned int nr_entries);

/* Unmaps the guard page below each IST stack (after the kernel page tables are live). */
void gdt_protect_ist_stacks(void);

/* Sets the stack this CPU switches to on an interrupt from user mode. */
void tss_set_rsp0(u64 rsp0);

/* True if addr lies in the guard page of an IST stack; *name gets which one. */
bool ist_guard_contains(u64 addr, const char **name);

#endif
