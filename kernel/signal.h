/* SPDX-License-Identifier: MIT */
/*
 * Signals as Linux x86-64 has them: per-task pending sets with their siginfo, handlers
 * installed by rt_sigaction and delivered on the way back to user mode with a Linux rt_sigframe
 * (arch/x86_64/signal.c), the signal mask, the alternate signal stack, and the default actions
 * (terminate, core, ignore). Synchronous faults are forced: a blocked or ignored fault signal is
 * unblocked and reset to SIG_DFL, so the task dies. See docs/signals.md.
 */
#ifndef WARDEN_SIGNAL_H
#define WARDEN_SIGNAL_H

#include "kernel/types.h"
#include "kernel/wait.h"

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 32 /* the kernel's first real-time signal (libc keeps a few for itself) */
#define _NSIG 64

#define sigmask(sig) (1ULL << ((sig)-1))

/*
 * task_struct's signal_flags: init takes no signal whose action is the default, unless the
 * kernel forces it (Linux's SIGNAL_UNKILLABLE, same value).
 */
#define SIGNAL_UNKILLABLE 0x00000040

#define SIG_DFL 0
#define SIG_IGN 1

/* sa_flags. */
/* SIGCHLD's si_code. */
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

/* si_code values. */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_TKILL (-6)
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define FPE_FLTDIV 3
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define SEGV_PKUERR 4
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define BUS_MCEERR_AR 4 /* a poisoned page was accessed (action required) */
#define BUS_MCEERR_AO 5 /* a poisoned page found (action optional: early kill) */
#define TRAP_BRKPT 1
#define TRAP_TRACE 2
#define TRAP_HWBKPT 4 /* a hardware breakpoint or watchpoint */

/* sigaltstack. */
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ 2048

/* Syscall results that ask for a restart after a signal (never seen by user mode). */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

struct task_struct;
struct pt_regs;

/* struct sigaction as the x86-64 kernel sees it. */
struct k_sigaction {
	u64 handler;
	u64 flags;
	u64 restorer;
	u64 mask;
};

/* A task's signal handlers; reference-counted so CLONE_SIGHAND threads can share them later. */
struct sighand_struct {
	int count;
	struct k_sigaction action[_NSIG]; /* action[sig - 1] */
	/* readers and pollers of signalfds in the tasks that share these handlers */
	struct wait_queue_head signalfd_wqh;
};

/*
 * A signal was queued for t (kernel/sigqueue.c): wakes the signalfd readers and pollers of t's
 * handlers (Linux's signalfd_notify, kernel/signalfd.c).
 */
void signalfd_notify(struct task_struct *t);

/*
 * The siginfo of a pending signal: the first 48 bytes of the user's 128-byte siginfo_t (the
 * rest is always zero), as Linux's kernel_siginfo. fields[] is the union after si_code: si_addr
 * (faults), or si_pid and si_uid (kill), then si_value (sigqueue), si_addr_lsb, si_pkey.
 */
#define KERNEL_SIGINFO_FIELDS 4

struct kernel_siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	int pad;
	u64 fields[KERNEL_SIGINFO_FIELDS];
};

/* Sets the pid/uid words of a siginfo (kill, tkill). */
static inline void siginfo_set_pid_uid(struct kernel_siginfo *info, int pid, int uid)
{
	info->fields[0] = (u32)pid | ((u64)(u32)uid << 32);
}

/* A real-time signal queued behind the first pending instance of its number (kernel/sigqueue.c). */
struct sigqueue {
	struct sigqueue *next;
	struct kernel_siginfo info;
};

/*
 * What a pending set keeps besides its bits and its siginfo slots (one per number): which slots
 * hold a counted siginfo (RLIMIT_SIGPENDING; a slot without one gives SI_USER with no sender,
 * Linux's lost information), and the further instances of real-time signals, oldest first.
 */
struct sigpending_queue {
	u64 has_info;
	struct sigqueue *head;
};

/* The alternate signal stack of a task (sigaltstack). */
struct sigaltstack_state {
	u64 ss_sp;
	u64 ss_size;
	u32 ss_flags;
};

/*
 * A task's signal state besides the handlers: pending set and the siginfo of each pending
 * signal (one per signal number: a second instance of a pending signal is dropped), the mask
 * saved by rt_sigsuspend, the alternate stack, and the last exception's trap number, error code
 * and CR2, which the signal frame reports (Linux's thread.trap_nr/error_code/cr2).
 */
struct task_signal {
	struct kernel_siginfo info[_NSIG];
	struct sigpending_queue queue;
	u64 saved_sigmask;
	bool restore_sigmask;
	struct sigaltstack_state altstack;
	u64 trap_nr;
	u64 error_code;
	u64 cr2;
};

/* New handlers for a task: all SIG_DFL, or a copy of parent's (fork). NULL without memory. */
struct sighand_struct *sighand_alloc(const struct sighand_struct *parent);
void sighand_put(struct sighand_struct *sh);

/* At fork: what the child inherits of the parent's signal state (mask, altstack). */
void copy_signal_state(struct task_struct *child, const struct task_struct *parent);

/* At execve: handlers go back to SIG_DFL, SIG_IGN stays (as Linux); the altstack is cleared. */
void flush_signal_handlers(struct task_struct *t);

/*
 * A signal for the whole process p belongs to (kill, a process group's, SIGCHLD): pending in
 * the process's shared set, taken by whichever thread does not block it (complete_signal).
 * False if it was ignored. send_group_signal: the kernel's own (SI_KERNEL).
 */
bool send_group_signal_info(struct task_struct *p, int sig, const struct kernel_siginfo *info);
void send_group_signal(struct task_struct *p, int sig);

/* A thread of p's process that is alive and not exiting (a zombie leader's stand-in), or NULL. */
struct task_struct *group_live_thread(struct task_struct *p);

/* Is every live thread of p's process stopped, and is there one (a group stop complete)? */
bool thread_group_stopped(const struct task_struct *p);

/*
 * Group stop (kernel/signal_group.c): the current thread acts on stop signal sig, and asks every
 * other live thread to stop too; each thread that stops calls group_stop_done, and the last one
 * tells the parent, once, for the process.
 */
void group_stop_start(int sig);
void group_stop_done(struct task_struct *t, int sig);

/* Makes sig pending for thread t (kernel-generated, SI_KERNEL) and wakes t if it sleeps. */
void send_signal(struct task_struct *t, int sig);

/* Makes sig pending for t with the given siginfo; false if it was ignored. */
bool send_signal_info(struct task_struct *t, int sig, const struct kernel_siginfo *info);

/*
 * sigqueue's send (rt_sigqueueinfo, rt_tgsigqueueinfo): to thread t, or with group to its whole
 * process; 0 (sent or ignored) or -EAGAIN when a real-time signal finds RLIMIT_SIGPENDING
 * reached (Linux's queue overflow).
 */
int send_sigqueue_info(struct task_struct *t, int sig, const struct kernel_siginfo *info,
		       bool group);

/* The signals counted against RLIMIT_SIGPENDING for the user (status's SigQ:; one user here). */
u64 sigpending_user_count(void);

/* Frees what t's pending set holds (a task being freed): its queued signals and their count. */
void flush_task_sigqueue(struct task_struct *t);

/* execve: the pending signals of POSIX timers go (Linux's flush_itimer_signals). */
void flush_itimer_signals(struct task_struct *t);

/* Frees a process's shared pending set (its signal_struct is being freed). */
struct signal_struct;
void flush_shared_sigqueue(struct signal_struct *sig);

/*
 * Sends a synchronous fault signal to the current task (Linux's force_sig_fault): if the signal
 * is blocked or ignored it is unblocked and its handler reset to SIG_DFL, so it cannot be lost.
 */
void force_sig_fault(int sig, int code, u64 addr);

/* SIGSEGV SEGV_PKUERR for a protection-key fault, with si_pkey (Linux's force_sig_pkuerr). */
void force_sig_pkuerr(u64 addr, u32 pkey);

/*
 * SIGBUS for memory poisoning (Linux's force_sig_mceerr): code BUS_MCEERR_AR or _AO, the address,
 * and si_addr_lsb, the shift of the poisoned block's size.
 */
void force_sig_mceerr(int code, u64 addr, short lsb);

/* The same sent to thread t, not forced: blocked, it waits; ignored, it is lost (send_sig_mceerr).
 */
void send_sig_mceerr(int code, u64 addr, short lsb, struct task_struct *t);

/* force_sig_fault with SI_KERNEL and no address (#GP, int3, a bad sigreturn frame). */
void force_sig(int sig);

/* A frame could not be built for sig: SIGSEGV, fatal if sig was SIGSEGV (force_sigsegv). */
void force_sigsegv(int sig);

/* True if an unblocked signal is pending: an interruptible sleep should end. */
bool signal_pending_current(void);

/*
 * True if a pending signal will end the current task (SIGKILL, or an unblocked one whose action
 * is a default that kills): a killable sleep (vfork's wait) should end.
 */
bool fatal_signal_pending_current(void);

/* Work before returning to user mode: reschedule, deliver pending signals. */
void exit_to_user_mode(struct pt_regs *regs);

/* SIGKILL to every other live thread of p's process: a group exit (Linux's zap_other_threads). */
void zap_other_threads(struct task_struct *p);

/* Ends the current process as signal sig's default action does (after do_coredump, if any). */
void do_exit_signal(int sig) __attribute__((noreturn));

/* Is sp on the current task's alternate signal stack? */
bool on_sig_stack(u64 sp);

/* The ss_flags of the current altstack as user mode sees them at stack pointer sp. */
int sas_ss_flags(u64 sp);

/* Changes the altstack as sigaltstack(2) does; 0 or -errno. sp is the user stack pointer. */
long do_sigaltstack(const struct sigaltstack_state *ss, struct sigaltstack_state *oss, u64 sp);

/* Installs a new signal mask (SIGKILL and SIGSTOP are never blocked). */
void set_current_blocked(u64 mask);

/*
 * Sends sig to every process of process group pgid (Linux's __kill_pgrp_info): priv 1 for the
 * kernel's own signal (a terminal's ^C, an orphaned group's SIGHUP: si_code SI_KERNEL), 0 on
 * behalf of the current task (kill(-pgid): SI_USER with its pid). sig 0 only checks. 0 if the
 * group has a process (a zombie counts, as Linux), -ESRCH if it has none.
 */
int kill_pgrp(int pgid, int sig, int priv);

/*
 * Would process group pgid be orphaned without task ignored (NULL: none)? A group is orphaned
 * when no member has a parent in another group of the same session (POSIX; Linux's
 * will_become_orphaned_pgrp: zombies and children of init do not count).
 */
bool will_become_orphaned_pgrp(int pgid, struct task_struct *ignored);

/* Is the current task's process group orphaned (its stop signals are then discarded)? */
bool is_current_pgrp_orphaned(void);

/*
 * May the current task send sig to t (Linux's check_kill_permission for a signal from user
 * space)? 0 or -EPERM: another process needs a matching real or saved uid, or CAP_KILL; SIGCONT
 * within the session is always allowed.
 */
int check_kill_permission(int sig, const struct task_struct *t);

long sys_kill(int pid, int sig);
long sys_tkill(int tid, int sig);
long sys_tgkill(int tgid, int tid, int sig);
long sys_rt_sigaction(int sig, const void *act, void *oact, u64 sigsetsize);
long sys_rt_sigprocmask(int how, const u64 *set, u64 *oset, u64 sigsetsize);
long sys_rt_sigpending(u64 *set, u64 sigsetsize);
long sys_rt_sigsuspend(const u64 *set, u64 sigsetsize);
long sys_sigaltstack(const void *uss, void *uoss);
long sys_rt_sigtimedwait(const u64 *uthese, void *uinfo, const void *uts, u64 sigsetsize);
long sys_rt_sigqueueinfo(int pid, int sig, const void *uinfo);
long sys_rt_tgsigqueueinfo(int tgid, int pid, int sig, const void *uinfo);

/* Called when a write finds a pipe with no readers. */
void send_sig_pipe(void);

/* A write at or past RLIMIT_FSIZE: SIGXFSZ to the current task (Linux's send_sig, SI_USER). */
void send_sig_xfsz(void);

/* SIGCHLD to t's parent: CLD_STOPPED/CLD_CONTINUED with the signal. */
void do_notify_parent(struct task_struct *t, int code, int status);

/*
 * A ptrace event stop of the current task (Linux's ptrace_notify): it stops for its tracer, whose
 * wait4 reports exit_code (SIGTRAP | event << 8) as the stop signal, unless SIGKILL is pending.
 */
void ptrace_notify(int exit_code);

/*
 * Tells t's parent that t exited (its exit_code is set): t's exit signal (SIGCHLD, the signal
 * clone chose, none for 0 or an invalid one; SIGCHLD if the parent exec'd since) with SIGCHLD's
 * siginfo. True if the parent wants no zombie (SIGCHLD ignored or SA_NOCLDWAIT, for a child
 * that reports with SIGCHLD and is not traced): t is to be freed now (Linux's do_notify_parent).
 */
bool do_notify_parent_exit(struct task_struct *t);

/*
 * Tells t's tracer, when it is not t's parent, that t exited (Linux's do_notify_parent to the
 * ptrace parent): SIGCHLD with SIGCHLD's siginfo. The parent hears of it once the tracer is done.
 */
void do_notify_tracer_exit(struct task_struct *t);

#endif
