/* SPDX-License-Identifier: MIT */
/* The architecture's part of tasks: register state, FPU state, the switch between tasks. */
#ifndef WARDEN_ARCH_PROCESS_H
#define WARDEN_ARCH_PROCESS_H

#include "kernel/types.h"

struct task_struct;
struct pt_regs;

/* Prepares a new task's kernel stack so its first switch_to() enters ret_from_fork. */
void arch_setup_new_task(struct task_struct *t);

/* Makes a new task start in the kernel at fn(arg), then leave for user mode through its pt_regs. */
void arch_setup_kernel_thread(struct task_struct *t, void (*fn)(void *), void *arg);

/* Switches registers, address space, FS base, FPU state and PKRU from prev to next. */
void arch_switch_to(struct task_struct *prev, struct task_struct *next);

/*
 * Sets user registers for a fresh program image of the current task: RIP, RSP, the user
 * selectors, RFLAGS.IF, orig_rax kept (execve's number), everything else zero; and no debug
 * registers or data selectors for ptrace (Linux's start_thread and flush_thread).
 */
void start_thread(struct pt_regs *regs, u64 rip, u64 rsp);

/* Records the running task's DS, ES, FS, GS selectors and FS/GS bases in t (fork, switch). */
void save_user_segments(struct task_struct *t);

/* arch_prctl's FS and GS base of the running task: set (the selector becomes null, as Linux). */
void x86_fsbase_write(u64 base);
void x86_gsbase_write(u64 base);

/* The running task's FS and GS bases as they are now (a selector load may have changed them). */
u64 x86_fsbase_read(void);
u64 x86_gsbase_read(void);

/* Sets up SYSCALL (STAR, LSTAR, FMASK, EFER.SCE) on this CPU. */
void syscall_init(void);

#endif
