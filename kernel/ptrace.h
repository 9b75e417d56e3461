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

/*
 * The access modes of ptrace_may_access (Linux's PTRACE_MODE_*): READ to look (/proc/PID/maps,
 * environ, pagemap), ATTACH to take control (PTRACE_ATTACH, /proc/PID/mem); FSCREDS compares the
 * caller's file-system ids (and effective capabilities), REALCREDS its real ids (and permitted
 * capabilities). Exactly one of the two must be given.
 */
#define PTRACE_MODE_READ 0x01
#define PTRACE_MODE_ATTACH 0x02
#define PTRACE_MODE_NOAUDIT 0x04
#define PTRACE_MODE_FSCREDS 0x08
#define PTRACE_MODE_REALCREDS 0x10
#define PTRACE_MODE_READ_FSCREDS (PTRACE_MODE_READ | PTRACE_MODE_FSCREDS)
#define PTRACE_MODE_READ_REALCREDS (PTRACE_MODE_READ | PTRACE_MODE_REALCREDS)
#define PTRACE_MODE_ATTACH_FSCREDS (PTRACE_MODE_ATTACH | PTRACE_MODE_FSCREDS)
#define PTRACE_MODE_ATTACH_REALCREDS (PTRACE_MODE_ATTACH | PTRACE_MODE_REALCREDS)

/*
 * May the current task inspect (PTRACE_MODE_READ) or control (PTRACE_MODE_ATTACH) task t
 * (Linux's __ptrace_may_access with cap_ptrace_access_check, kernel/ptrace_access.c)? 0 or
 * -EPERM: its own thread group always; else the caller's real (REALCREDS) or file-system
 * (FSCREDS) uid and gid must equal t's real, effective and saved ones, t's mm must be dumpable
 * and t's permitted capabilities a subset of the caller's, each unless the caller has
 * CAP_SYS_PTRACE.
 */
int ptrace_may_access(struct task_struct *t, unsigned int mode);

/*
 * The owner of t's /proc files (Linux's task_dump_owner with suid_dumpable 0): t's effective
 * uid and gid, but root's when t's mm is not dumpable or t has none (a zombie), except for the
 * world-readable directories (mode S_IFDIR | 0555: /proc/PID, task/, fdinfo/).
 */
void task_dump_owner(struct task_struct *t, u32 mode, u32 *uid, u32 *gid);

/*
 * The address space of t for a /proc file that reads it (Linux's mm_access): t's mm, NULL for a
 * task without one (a zombie), or ERR_PTR(-EACCES) when it is not the caller's own and
 * ptrace_may_access(t, mode) refuses.
 */
struct mm_struct *mm_access(struct task_struct *t, unsigned int mode);

/*
 * May the current task ask parent to trace it (PTRACE_TRACEME, Linux's cap_ptrace_traceme)? 0
 * when its permitted capabilities are a subset of parent's or parent has CAP_SYS_PTRACE, else
 * -EPERM. No uid is compared.
 */
int ptrace_traceme_ok(struct task_struct *parent);

#define PTRACE_EVENT_FORK 1
#define PTRACE_EVENT_VFORK 2
#define PTRACE_EVENT_CLONE 3
#define PTRACE_EVENT_VFORK_DONE 5

#endif
