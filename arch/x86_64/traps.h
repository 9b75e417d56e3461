/* SPDX-License-Identifier: MIT */
/*
 * Exceptions and interrupts: the saved register frame, the dispatcher, and two ways kernel code
 * survives a fault it expects:
 *  - the exception table: an instruction listed in __ex_table resumes at its fixup address when it
 *    faults (used for every kernel access to user memory, and probe_read_u64());
 *  - a fault catch: self-tests arm one around code that must fault, and learn the vector, error
 *    code and CR2 of the fault that came.
 */
#ifndef WARDEN_ARCH_TRAPS_H
#define WARDEN_ARCH_TRAPS_H

#include "kernel/types.h"

/* The register frame trap_common builds; same order as Linux's pt_regs. */
struct pt_regs {
	u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	u64 rax, rcx, rdx, rsi, rdi;
	u64 vector;
	u64 error_code;
	u64 rip, cs, rflags, rsp, ss;
};

#define X86_TRAP_DE 0
#define X86_TRAP_DB 1
#define X86_TRAP_NMI 2
#define X86_TRAP_BP 3
#define X86_TRAP_OF 4
#define X86_TRAP_BR 5
#define X86_TRAP_UD 6
#define X86_TRAP_NM 7
#define X86_TRAP_DF 8
#define X86_TRAP_TS 10
#define X86_TRAP_NP 11
#define X86_TRAP_SS 12
#define X86_TRAP_GP 13
#define X86_TRAP_PF 14
#define X86_TRAP_MF 16
#define X86_TRAP_AC 17
#define X86_TRAP_MC 18
#define X86_TRAP_XF 19
#define X86_TRAP_CP 21

/* Page-fault error code bits. */
#define X86_PF_PROT (1UL << 0)
#define X86_PF_WRITE (1UL << 1)
#define X86_PF_USER (1UL << 2)
#define X86_PF_RSVD (1UL << 3)
#define X86_PF_INSTR (1UL << 4)
#define X86_PF_PK (1UL << 5)
#define X86_PF_SHSTK (1UL << 6)
#define X86_PF_SGX (1UL << 15)

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) == 3;
}

/* Called by trap_common for every vector. */
void do_trap(struct pt_regs *regs);

/* #DB, NMI, #MC from kernel mode and #DF, on an IST stack (entry.asm's paranoid_entry). */
void do_paranoid_trap(struct pt_regs *regs);

/* Loads the IDT on this CPU (every CPU shares the one table idt_init() filled). */
void idt_load(void);

/* Fills and loads the IDT: all vectors point at their stubs; #DF, NMI and #MC use IST stacks. */
void idt_init(void);

/* Name of an exception vector ("page fault"), or "interrupt" above 31. */
const char *trap_name(u64 vector);

/* Short mnemonic of an exception vector ("#PF"). */
const char *trap_mnemonic(u64 vector);

/* What a caught fault looked like. */
struct fault_info {
	u64 vector;
	u64 error_code;
	u64 cr2;
	u64 rip;
};

/* Saved context of fault_catch_enter(); layout fixed by entry.asm. */
struct fault_catch {
	u64 rbx, rbp, r12, r13, r14, r15, rsp, rip;
	struct fault_info info;
};

/*
 * Runs fn(arg) with a fault catch armed. Returns true if it faulted (info says how; execution
 * resumed here and fn's remaining work was abandoned), false if fn returned normally.
 */
bool run_catching_faults(void (*fn)(void *), void *arg, struct fault_info *info);

/* Reads a word that may be unmapped: 0, or -EFAULT through the exception table. */
int probe_read_u64(const u64 *addr, u64 *out);

#endif
