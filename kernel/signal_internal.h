/* SPDX-License-Identifier: MIT */
/*
 * What the two halves of the signal code share (kernel/signal.c: one task's signals, delivery and
 * the syscalls; kernel/signal_group.c: a thread group's signals, routing, group exit and group
 * stop): the signal classes, the lock of the pending sets, and small helpers.
 */
#ifndef WARDEN_SIGNAL_INTERNAL_H
#define WARDEN_SIGNAL_INTERNAL_H

#include "kernel/sched.h"
#include "kernel/signal.h"
#include "arch/x86_64/cpu.h"

/* Signals that are never blocked. */
#define UNBLOCKABLE (sigmask(SIGKILL) | sigmask(SIGSTOP))

/* Signals caused by the instruction stream: dequeued before any other (Linux's SYNCHRONOUS_MASK).
 */
#define SYNCHRONOUS_MASK                                                           \
	(sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | sigmask(SIGTRAP) | \
	 sigmask(SIGFPE) | sigmask(SIGSYS))

/* Signals whose default action dumps core (wait status core bit, case 41). */
#define CORE_MASK                                                                   \
	(sigmask(SIGQUIT) | sigmask(SIGILL) | sigmask(SIGTRAP) | sigmask(SIGABRT) | \
	 sigmask(SIGBUS) | sigmask(SIGFPE) | sigmask(SIGSEGV) | sigmask(SIGXCPU) |  \
	 sigmask(SIGXFSZ) | sigmask(SIGSYS))

/* Signals whose default action is to stop the task (job control). */
#define STOP_SIGNALS_MASK \
	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))

/* Signals whose default action is to do nothing. */
#define DEFAULT_IGNORED_MASK \
	(sigmask(SIGCHLD) | sigmask(SIGURG) | sigmask(SIGWINCH) | sigmask(SIGCONT))

/*
 * The pending sets and their siginfo (every task's t->pending, t->sig.info) are changed from
 * interrupts too: the terminal's receive interrupt sends ^C's SIGINT to a process group
 * (drivers/tty/n_tty.c). Every change to them runs with interrupts off, the one-CPU form of
 * Linux's sighand->siglock (SMP will make it a lock per sighand). Nests.
 */
static inline u64 siglock_irqsave(void)
{
	u64 flags;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void siglock_irqrestore(u64 flags)
{
	if (flags & X86_EFLAGS_IF)
		__asm__ __volatile__("sti" ::: "memory");
}

/* Would a signal with this handler be thrown away (SIG_IGN, or SIG_DFL whose default is ignore)? */
static inline bool sig_handler_ignored(u64 handler, int sig)
{
	return handler == SIG_IGN || (handler == SIG_DFL && (DEFAULT_IGNORED_MASK & sigmask(sig)));
}

/* Is t the first process, PID 1 (Linux's is_global_init)? */
static inline bool is_global_init(const struct task_struct *t)
{
	return t->tgid == 1;
}

/* The action of sig in t's (shared) handler table. */
static inline struct k_sigaction *action_of(struct task_struct *t, int sig)
{
	return &t->sighand->action[sig - 1];
}

/* Would sig, pending for t, end it when acted on (Linux's sig_fatal)? */
static inline bool sig_fatal(struct task_struct *t, int sig)
{
	return !((DEFAULT_IGNORED_MASK | STOP_SIGNALS_MASK) & sigmask(sig)) &&
	       action_of(t, sig)->handler == SIG_DFL;
}

/* One pending set: a thread's own (t->pending) or its process's shared one. */
struct sigpending_set {
	u64 *signal;
	struct kernel_siginfo *info;
	struct sigpending_queue *queue;
};

/* Thread t's own pending set. */
static inline struct sigpending_set task_pending_set(struct task_struct *t)
{
	return (struct sigpending_set){ &t->pending, t->sig.info, &t->sig.queue };
}

/* The shared pending set of a process. */
static inline struct sigpending_set shared_pending_set(struct signal_struct *s)
{
	return (struct sigpending_set){ &s->shared_pending, s->shared_info, &s->shared_queue };
}

/*
 * Makes one instance of sig pending in set (kernel/sigqueue.c; the caller has checked that it
 * is not ignored): 0, or -EAGAIN when a real-time signal from sigqueue finds t's
 * RLIMIT_SIGPENDING reached.
 */
int sigqueue_add(struct sigpending_set set, struct task_struct *t, int sig,
		 const struct kernel_siginfo *info);

/* Takes the oldest instance of pending signal sig out of set, its siginfo into info. */
void sigqueue_take(struct sigpending_set set, int sig, struct kernel_siginfo *info);

/* Discards every pending instance of the signals in mask (Linux's flush_sigqueue_mask). */
void sigqueue_flush(struct sigpending_set set, u64 mask);

/*
 * Takes the next signal outside blocked for the current thread: its own pending set first, then
 * its process's (Linux's dequeue_signal). 0 if there is none.
 */
int dequeue_signal(u64 blocked, struct kernel_siginfo *info);

/*
 * Linux's prepare_signal: SIGCONT and stop signals cancel each other in the whole group. false
 * when the signal is dropped: during a core dump (signal->core_state) every signal but SIGKILL.
 */
bool prepare_signal(struct task_struct *t, int sig);

/* Linux's complete_signal: wakes a thread to take sig, or takes the whole group down. */
void complete_signal(int sig, struct task_struct *p, bool group);

/*
 * A POSIX timer's preallocated signal instance, counted against RLIMIT_SIGPENDING from
 * timer_create (false: the limit is reached) to timer_delete.
 */
bool sigpending_charge_timer(struct task_struct *t);
void sigpending_uncharge_timer(void);

/* Would sig be thrown away by t (ignored, or a default action of nothing)? */
bool sig_ignored(struct task_struct *t, int sig, bool force);

/*
 * The pending instance of a POSIX timer's signal (SI_TIMER, timer id) in set, or NULL: a timer
 * has one preallocated instance, so a second expiry while it is pending is an overrun.
 */
struct kernel_siginfo *sigqueue_find_timer(struct sigpending_set set, int sig, int id);

#endif
