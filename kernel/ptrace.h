/* SPDX-License-Identifier: MIT */
/*
 * ptrace, the subset a debugger's first steps and Linux's protection_keys selftest use:
 * PTRACE_TRACEME, PTRACE_ATTACH (the tracee stops with SIGSTOP), the tracee's signals reported
 * to the tracer as stops (wait4), PTRACE_PEEKTEXT/PEEKDATA/POKETEXT/POKEDATA (the tracee's
 * memory, ignoring the tracer's PKRU), PTRACE_GETREGSET/SETREGSET with NT_X86_XSTATE (the XSAVE
 * image, PKRU included), PTRACE_CONT, PTRACE_KILL and PTRACE_DETACH. Other requests are EIO.
 */
#ifndef WARDEN_KERNEL_PTRACE_H
#define WARDEN_KERNEL_PTRACE_H

#include "kernel/types.h"

struct task_struct;

long sys_ptrace(long request, long pid, u64 addr, u64 data);

/* At exit: a tracer lets its tracees go (stopped ones run on, zombies go to their parents); a
 * tracee leaves its tracer, or, if the tracer is not its parent, stays traced until the tracer's
 * wait4 has reported its exit. */
void ptrace_exit(struct task_struct *t);

#endif
