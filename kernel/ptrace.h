/* SPDX-License-Identifier: MIT */
/*
 * ptrace, the subset debuggers and Linux's protection_keys selftest use: PTRACE_TRACEME,
 * PTRACE_ATTACH (the tracee stops with SIGSTOP), the tracee's signals reported to the tracer as
 * stops (wait4), the stop after execve (a SIGTRAP, or with PTRACE_O_TRACEEXEC the event stop
 * SIGTRAP | PTRACE_EVENT_EXEC << 8 whose PTRACE_GETEVENTMSG is the pid), PTRACE_SETOPTIONS
 * (every Linux option is accepted; TRACEEXEC, TRACEFORK, TRACEVFORK, TRACECLONE,
 * TRACEVFORKDONE and EXITKILL act, the exit and seccomp events are not reported yet),
 * PTRACE_PEEKTEXT/PEEKDATA/POKETEXT/POKEDATA (the tracee's memory, ignoring the tracer's PKRU), the
 * registers (arch/x86_64/ptrace.h: GETREGS/SETREGS, PEEKUSER/POKEUSER, GETFPREGS/SETFPREGS,
 * GETREGSET/SETREGSET of NT_PRSTATUS, NT_PRFPREG, NT_X86_XSTATE, NT_386_IOPERM), PTRACE_CONT,
 * PTRACE_KILL and PTRACE_DETACH. Other requests are EIO.
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

/*
 * After a successful execve (Linux's ptrace_event(PTRACE_EVENT_EXEC, old_pid)): a traced task
 * stops for its tracer with the event when it set PTRACE_O_TRACEEXEC, else sends itself SIGTRAP.
 */
void ptrace_event_exec(int old_pid);

/*
 * The event a clone with flags and exit_signal reports to the current task's tracer (Linux's
 * kernel_clone): PTRACE_EVENT_VFORK for CLONE_VFORK, PTRACE_EVENT_CLONE for an exit signal other
 * than SIGCHLD (threads), else PTRACE_EVENT_FORK; 0 when the tracer did not ask for it with its
 * PTRACE_O_TRACE* option, or for CLONE_UNTRACED.
 */
int ptrace_clone_event(u64 flags, int exit_signal);

/*
 * A new task starts traced by its creator's tracer, with the same options and a SIGSTOP pending
 * that stops it first (Linux's ptrace_init_task), when ptrace says so (CLONE_PTRACE or a
 * reported event) and the creator is traced.
 */
void ptrace_init_task(struct task_struct *child, bool ptrace);

/*
 * An event stop of the current task whose PTRACE_GETEVENTMSG is pid, if its tracer asked for
 * event (Linux's ptrace_event_pid).
 */
void ptrace_event_pid(int event, int pid);

#define PTRACE_EVENT_FORK 1
#define PTRACE_EVENT_VFORK 2
#define PTRACE_EVENT_CLONE 3
#define PTRACE_EVENT_VFORK_DONE 5

#endif
