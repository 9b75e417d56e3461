/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 side of ptrace (Linux's arch/x86/kernel/ptrace.c): a stopped tracee's registers as
 * struct user_regs_struct (PTRACE_GETREGS/SETREGS, PTRACE_PEEKUSER/POKEUSER and the NT_PRSTATUS
 * regset), its FXSAVE image (NT_PRFPREG, PTRACE_GETFPREGS/SETFPREGS), its XSAVE image
 * (NT_X86_XSTATE) and the debug-register words of struct user.
 *
 * What a tracer may write is what Linux's putreg allows, and nothing that could make the return
 * to user mode run in ring 0 or fault inside the kernel: selectors need RPL 3 (CS and SS are
 * never null), RFLAGS keeps IOPL, VM, IF and the other system bits (FLAG_MASK), FS and GS bases
 * stay below TASK_SIZE_MAX. RIP and RSP may be anything: Warden always returns to user mode with
 * IRETQ, never SYSRET, and an IRETQ that faults on a non-canonical RIP or a bad selector is turned
 * into the user's SIGSEGV (arch/x86_64/traps.c, fixup_bad_iret), as on Linux.
 *
 * Hardware breakpoints (arch/x86_64/debugreg.c): DR0-DR3 keep the user addresses a tracer writes
 * and DR7 enables them, checked as Linux checks them; DR6 is the virtual DR6.
 *
 * Warden does not keep per-task data selectors (user mode runs with null DS, ES, FS and GS and
 * nothing reloads them): the ds/es/fs/gs words of user_regs_struct read 0 after execve, and what
 * a tracer writes there is validated as Linux validates it and read back, but not loaded.
 */
#ifndef WARDEN_ARCH_PTRACE_H
#define WARDEN_ARCH_PTRACE_H

#include "kernel/types.h"
#include "arch/x86_64/cpu.h"

struct task_struct;
struct pt_regs;

#define X86_EFLAGS_CF 0x00000001UL
#define X86_EFLAGS_PF 0x00000004UL
#define X86_EFLAGS_AF 0x00000010UL
#define X86_EFLAGS_ZF 0x00000040UL
#define X86_EFLAGS_SF 0x00000080UL
#define X86_EFLAGS_TF 0x00000100UL
#define X86_EFLAGS_DF 0x00000400UL
#define X86_EFLAGS_OF 0x00000800UL
#define X86_EFLAGS_NT 0x00004000UL
#define X86_EFLAGS_RF 0x00010000UL

/*
 * The RFLAGS bits user space may set through rt_sigreturn (Linux's FIX_EFLAGS) and, with NT,
 * through ptrace (FLAG_MASK); IF, IOPL, VM, VIF, VIP and ID always stay the kernel's.
 */
#define FIX_EFLAGS                                                                       \
	(X86_EFLAGS_AC | X86_EFLAGS_OF | X86_EFLAGS_DF | X86_EFLAGS_TF | X86_EFLAGS_SF | \
	 X86_EFLAGS_ZF | X86_EFLAGS_AF | X86_EFLAGS_PF | X86_EFLAGS_CF | X86_EFLAGS_RF)
#define FLAG_MASK (FIX_EFLAGS | X86_EFLAGS_NT)

/* RFLAGS with the bits of mask taken from value and every other bit kept from old. */
static inline u64 user_rflags_merge(u64 old, u64 value, u64 mask)
{
	return (old & ~mask) | (value & mask);
}

/* Can a tracer put this selector in a segment register (null, or RPL 3)? Linux's rule. */
static inline bool invalid_selector(u16 value)
{
	return value != 0 && (value & 3) != 3;
}

/* The per-task state ptrace keeps beyond pt_regs (Linux's part of thread_struct). */
struct thread_ptrace {
	u8 bp_set; /* bit n: DR<n> holds a breakpoint (Linux's ptrace_bps[n] != NULL) */
	u8 bp_len[4]; /* its length in bytes (1, 2, 4, 8; an execute breakpoint: 1) */
	u8 bp_type[4]; /* DR7's R/W: 0 execute (its range is sizeof(long)), 1 write, 3 read/write */
	u8 bp_enabled; /* bit n: DR7 enables DR<n> (Linux's !attr.disabled); loaded while it runs */
	u64 debugreg[4]; /* DR0-DR3: the addresses */
	u64 virtual_dr6; /* DR6 as Linux keeps it, XORed with DR6_RESERVED */
	u64 ptrace_dr7; /* the last DR7 value written */
};

/* PTRACE_PEEKUSER of debug register n (0-7) of stopped task t (Linux's ptrace_get_debugreg). */
u64 ptrace_get_debugreg(struct task_struct *t, int n);

/* PTRACE_POKEUSER of debug register n: 0, -EINVAL (an address or DR7 Linux refuses) or -EIO. */
int ptrace_set_debugreg(struct task_struct *t, int n, u64 value);

/* Reads DR6 and resets it for the next #DB; returns it in positive polarity (Linux's). */
u64 debug_read_clear_dr6(void);

/*
 * A #DB from user mode (Linux's exc_debug_user): the virtual DR6 keeps DR6's single-step bit and
 * the bits of the task's breakpoints hit; SIGTRAP with TRAP_TRACE, TRAP_HWBKPT or TRAP_BRKPT
 * (INT1) and si_addr the user RIP.
 */
void exc_debug_user(struct pt_regs *regs, u64 dr6);

/*
 * A #DB from kernel mode, on its IST stack (Linux's exc_debug_kernel): DR7 off while it runs, a
 * user breakpoint hit by a kernel access to user memory is ignored, a user TF
 * that leaked into an entry is cleared from the kernel frame. Never fatal, never sleeps.
 */
void exc_debug_kernel(struct pt_regs *regs);

/* Loads next's enabled breakpoints into this CPU, or clears DR7 (interrupts off). */
void switch_debugreg(struct task_struct *next);

/* fork: no breakpoint, but DR6 and DR7 as PEEKUSER read them (Linux's copy_thread). */
void fork_thread_ptrace(struct task_struct *child, const struct task_struct *parent);

/* execve: no debug registers, unloaded at once (Linux's flush_ptrace_hw_breakpoint). */
void flush_thread_ptrace(struct task_struct *t);

/* struct iovec, as PTRACE_GETREGSET/SETREGSET take it. */
struct user_iovec {
	u64 iov_base;
	u64 iov_len;
};

/* PTRACE_GETREGSET/SETREGSET of regset type on a stopped tracee (Linux's ptrace_regset). */
long arch_ptrace_regset(struct task_struct *t, long request, u64 type, struct user_iovec *iov);

/*
 * The architecture's requests (Linux's arch_ptrace): PEEKUSER, POKEUSER, GETREGS, SETREGS,
 * GETFPREGS, SETFPREGS on a stopped tracee; -EIO for a request nobody knows.
 */
long arch_ptrace(struct task_struct *t, long request, u64 addr, u64 data);

/*
 * A regset of a stopped task (or the current one, its FPU state saved) for a core dump's notes
 * (Linux's regset_get): core_regset_size is its size in bytes (NT_PRSTATUS, NT_PRFPREG,
 * NT_X86_XSTATE; 0 if the CPU has none), core_regset_get fills len bytes of a zeroed buf.
 */
u32 core_regset_size(u32 type);
int core_regset_get(struct task_struct *t, u32 type, void *buf, u32 len);

#endif
