/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 signal frame, byte for byte as Linux builds it (spec §4.5): struct rt_sigframe with
 * the return address (sa_restorer), struct ucontext (flags, link, altstack, struct sigcontext,
 * mask) and the siginfo, below a 64-byte aligned FXSAVE/XSAVE-format FPU area.
 */
#ifndef WARDEN_ARCH_SIGNAL_H
#define WARDEN_ARCH_SIGNAL_H

#include "kernel/types.h"

struct pt_regs;
struct k_sigaction;
struct kernel_siginfo;

/* uc_flags. */
#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4

/* The software-reserved words at byte 464 of the FPU area, and the XSAVE frame's magic numbers. */
#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U

/* struct sigcontext (64-bit): glibc's gregs[] index = offset / 8. */
struct sigcontext {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	u16 cs, gs, fs, ss;
	u64 err, trapno, oldmask, cr2;
	u64 fpstate;
	u64 reserved1[8];
};

/* stack_t. */
struct user_stack_t {
	u64 ss_sp;
	s32 ss_flags;
	s32 pad;
	u64 ss_size;
};

struct ucontext {
	u64 uc_flags;
	u64 uc_link;
	struct user_stack_t uc_stack;
	struct sigcontext uc_mcontext;
	u64 uc_sigmask;
};

/* The user's siginfo_t: 128 bytes. */
struct user_siginfo {
	s32 si_signo;
	s32 si_errno;
	s32 si_code;
	s32 pad;
	u64 fields[14];
};

struct rt_sigframe {
	u64 pretcode;
	struct ucontext uc;
	struct user_siginfo info;
};

/* Builds the frame for a handler and points the registers at it; 0, or -EFAULT (SIGSEGV follows).
 */
int setup_rt_frame(int sig, const struct k_sigaction *ka, const struct kernel_siginfo *info,
		   u64 oldset, struct pt_regs *regs);

long sys_rt_sigreturn(void);

#endif
