// SPDX-License-Identifier: MIT
/*
 * Signals: sending (to a thread, to a process, faults), the pending sets with each signal's
 * siginfo, dequeueing on the way back to user mode (get_signal), the default actions and stops.
 * The system calls are in kernel/signal_syscalls.c, what is particular to thread groups in
 * kernel/signal_group.c; the frame a handler runs on is built by the architecture
 * (arch/x86_64/signal.c: setup_rt_frame, rt_sigreturn).
 */
#include "kernel/signal.h"
#include "kernel/signal_internal.h"
#include "kernel/coredump.h"
#include "kernel/posix_timers.h"
#include "kernel/itimer.h"
#include "kernel/errno.h"
#include "kernel/exit.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall_nr.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/signal.h"
#include "arch/x86_64/traps.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

struct sighand_struct *sighand_alloc(const struct sighand_struct *parent)
{
	struct sighand_struct *sh = kzalloc(sizeof(*sh), GFP_KERNEL);

	if (sh && parent)
		memcpy(sh->action, parent->action, sizeof(sh->action));
	if (sh) {
		sh->count = 1;
		init_waitqueue_head(&sh->signalfd_wqh);
	}
	return sh;
}

void sighand_put(struct sighand_struct *sh)
{
	if (sh && --sh->count == 0) {
		/* epoll items watching a signalfd of these handlers let go of its queue */
		wake_up_pollfree(&sh->signalfd_wqh);
		kfree(sh);
	}
}

/* The child of fork keeps the parent's mask and alternate stack; nothing is pending. */
void copy_signal_state(struct task_struct *child, const struct task_struct *parent)
{
	child->blocked = parent->blocked;
	child->real_blocked = 0;
	child->pending = 0;
	child->sig.queue = (struct sigpending_queue){ 0, NULL };
	child->sig.altstack = parent->sig.altstack;
}

/* SIGKILL and SIGSTOP: no handler, no mask, and even init cannot always refuse them. */
static bool sig_kernel_only(int sig)
{
	return sig == SIGKILL || sig == SIGSTOP;
}

/*
 * Would t throw sig away at once (Linux's sig_task_ignored)? The global init never takes SIGKILL
 * or SIGSTOP; an unkillable task (init) takes no signal whose action is the default, unless
 * the kernel forces SIGKILL or SIGSTOP on it; then SIG_IGN and default-ignore signals.
 */
static bool sig_task_ignored(struct task_struct *t, int sig, bool force)
{
	u64 handler = action_of(t, sig)->handler;

	if (is_global_init(t) && sig_kernel_only(sig))
		return true;
	if ((t->signal->flags & SIGNAL_UNKILLABLE) && handler == SIG_DFL &&
	    !(force && sig_kernel_only(sig)))
		return true;
	return sig_handler_ignored(handler, sig);
}

/*
 * Linux's sig_ignored: a blocked signal is never ignored (the handler may change before it is
 * unblocked; blocked before rt_sigtimedwait took it out of the mask counts), nor one for a traced
 * task but SIGKILL (its tracer wants to see it).
 */
bool sig_ignored(struct task_struct *t, int sig, bool force)
{
	if ((t->blocked | t->real_blocked) & sigmask(sig))
		return false;
	if (t->ptracer && sig != SIGKILL)
		return false;
	return sig_task_ignored(t, sig, force);
}

/*
 * send_signal_info's work, with interrupts off (siglock_irqsave): group says whether the signal
 * is for the whole process (kill, a process group's signal, SIGCHLD: the shared pending set) or
 * for thread t alone (tkill, tgkill, faults: t's own). 1 if it is pending (or was already), 0 if
 * it was ignored, -EAGAIN if a real-time signal from sigqueue found RLIMIT_SIGPENDING reached.
 */
static int send_signal_info_locked(struct task_struct *t, int sig,
				   const struct kernel_siginfo *info, bool group)
{
	/*
	 * Linux's send_signal_locked: a signal is the kernel's own ("forced", which init cannot
	 * refuse for SIGKILL/SIGSTOP unless it is the global init) when its siginfo says SI_KERNEL;
	 * kill, tkill, tgkill, faults and SIGCHLD are not.
	 */
	bool force = info->si_code == SI_KERNEL;

	if (group && (!task_alive(t) || !t->sighand))
		t = group_live_thread(t); /* a zombie leader: its process lives in its threads */
	if (!t || !task_alive(t) || !t->sighand)
		return 0; /* a zombie has nothing left to signal: kill() still succeeds, as Linux */
	if (!prepare_signal(t, sig) || sig_ignored(t, sig, force))
		return 0;
	struct sigpending_set set = group ? shared_pending_set(t->signal) : task_pending_set(t);
	/* One instance of a standard signal: a second is dropped (Linux's legacy_queue). */
	if (sig < SIGRTMIN && (*set.signal & sigmask(sig)))
		return 1;
	int err = sigqueue_add(set, t, sig, info);
	if (err)
		return err;
	complete_signal(sig, t, group);
	return 1;
}

/* Queues sig for thread t (see send_signal_info_locked), with the pending sets locked. */
bool send_signal_info(struct task_struct *t, int sig, const struct kernel_siginfo *info)
{
	u64 flags = siglock_irqsave();
	int queued = send_signal_info_locked(t, sig, info, false);

	siglock_irqrestore(flags);
	return queued > 0;
}

bool send_group_signal_info(struct task_struct *p, int sig, const struct kernel_siginfo *info)
{
	u64 flags = siglock_irqsave();
	int queued = send_signal_info_locked(p, sig, info, true);

	siglock_irqrestore(flags);
	return queued > 0;
}

int send_sigqueue_info(struct task_struct *t, int sig, const struct kernel_siginfo *info,
		       bool group)
{
	u64 flags = siglock_irqsave();
	int ret = send_signal_info_locked(t, sig, info, group);

	siglock_irqrestore(flags);
	return ret < 0 ? ret : 0;
}

void send_group_signal(struct task_struct *p, int sig)
{
	struct kernel_siginfo info = { .si_signo = sig, .si_code = SI_KERNEL };

	send_group_signal_info(p, sig, &info);
}

void send_signal(struct task_struct *t, int sig)
{
	struct kernel_siginfo info = { .si_signo = sig, .si_code = SI_KERNEL };

	send_signal_info(t, sig, &info);
}

/*
 * Sends a signal the current task caused and cannot wait for or ignore (Linux's
 * force_sig_info_to_task): blocked or ignored means the default action. Once the action is the
 * default, init loses its protection (SIGNAL_UNKILLABLE), so a fault kills it; not while it is
 * traced: debugging must not leave init killable.
 */
static void force_sig_info(const struct kernel_siginfo *info)
{
	struct task_struct *t = current;
	int sig = info->si_signo;
	struct k_sigaction *ka = action_of(t, sig);

	if ((t->blocked & sigmask(sig)) || ka->handler == SIG_IGN) {
		ka->handler = SIG_DFL;
		t->blocked &= ~sigmask(sig);
	}
	if (ka->handler == SIG_DFL && !t->ptracer)
		t->signal->flags &= ~SIGNAL_UNKILLABLE;
	send_signal_info(t, sig, info);
}

void force_sig_fault(int sig, int code, u64 addr)
{
	struct kernel_siginfo info = { .si_signo = sig, .si_code = code, .fields = { addr, 0 } };

	force_sig_info(&info);
}

void force_sig_pkuerr(u64 addr, u32 pkey)
{
	struct kernel_siginfo info = { .si_signo = SIGSEGV,
				       .si_code = SEGV_PKUERR,
				       .fields = { addr, 0, pkey } };

	force_sig_info(&info);
}

void force_sig_mceerr(int code, u64 addr, short lsb)
{
	/* si_addr_lsb is the short right after si_addr (siginfo offset 0x18) */
	struct kernel_siginfo info = { .si_signo = SIGBUS,
				       .si_code = code,
				       .fields = { addr, (u16)lsb } };

	force_sig_info(&info);
}

void send_sig_mceerr(int code, u64 addr, short lsb, struct task_struct *t)
{
	struct kernel_siginfo info = { .si_signo = SIGBUS,
				       .si_code = code,
				       .fields = { addr, (u16)lsb } };

	send_signal_info(t, SIGBUS, &info);
}

void force_sig(int sig)
{
	force_sig_fault(sig, SI_KERNEL, 0);
}

void force_sigsegv(int sig)
{
	if (sig == SIGSEGV)
		action_of(current, SIGSEGV)->handler = SIG_DFL; /* a second failure would loop */
	force_sig(SIGSEGV);
}

void send_sig_pipe(void)
{
	struct kernel_siginfo info = { .si_signo = SIGPIPE, .si_code = SI_USER };

	siginfo_set_pid_uid(&info, current->tgid, current->cred.uid);
	send_signal_info(current, SIGPIPE, &info);
}

void send_sig_xfsz(void)
{
	struct kernel_siginfo info = { .si_signo = SIGXFSZ, .si_code = SI_USER };

	siginfo_set_pid_uid(&info, current->tgid, current->cred.uid);
	send_signal_info(current, SIGXFSZ, &info);
}

bool signal_pending_current(void)
{
	return task_sigpending(current);
}

bool fatal_signal_pending_current(void)
{
	struct task_struct *t = current;
	u64 ready = (t->pending | t->signal->shared_pending) & ~t->blocked;

	if (t->pending & sigmask(SIGKILL))
		return true;
	/* A traced task's signals go to its tracer first; init's default actions are dropped. */
	if (t->ptracer || (t->signal->flags & SIGNAL_UNKILLABLE))
		return false;
	for (int sig = 1; sig <= _NSIG; sig++)
		if ((ready & sigmask(sig)) && sig_fatal(t, sig))
			return true;
	return false;
}

void set_current_blocked(u64 mask)
{
	current->blocked = mask & ~UNBLOCKABLE;
}

void do_exit_signal(int sig)
{
	current->signaled = true; /* Linux's PF_SIGNALED */
	/* after a core dump the group's status is the signal, with 0x80 if a core was written */
	do_group_exit(sig); /* a fatal signal ends the whole process */
}

/*
 * The next deliverable signal in one pending set: synchronous faults first, then the lowest
 * number; its oldest instance is taken out. 0 if none is outside blocked.
 */
static int dequeue_from(struct sigpending_set set, u64 blocked, struct kernel_siginfo *info)
{
	u64 ready = *set.signal & ~blocked;

	if (!ready)
		return 0;
	if (ready & SYNCHRONOUS_MASK)
		ready &= SYNCHRONOUS_MASK;
	int sig = __builtin_ctzll(ready) + 1;
	sigqueue_take(set, sig, info);
	return sig;
}

int dequeue_signal(u64 blocked, struct kernel_siginfo *info)
{
	struct task_struct *t = current;
	u64 flags = siglock_irqsave();
	int sig = dequeue_from(task_pending_set(t), blocked, info);

	bool shared = !sig;

	if (shared)
		sig = dequeue_from(shared_pending_set(t->signal), blocked, info);
	siglock_irqrestore(flags);
	/* ITIMER_REAL's interval restarts as its signal is taken (itimer_real_rearm). */
	if (shared && sig == SIGALRM)
		itimer_real_rearm(t->signal);
	/* A POSIX timer's signal: an interval timer runs again (Linux's posixtimer_rearm). */
	if (sig && info->si_code == SI_TIMER && info->fields[2])
		posixtimer_rearm(info);
	return sig;
}

/*
 * SIGCHLD's siginfo (any exit signal carries it): code CLD_*, t's pid, status or signal, and its
 * user and system time in clock ticks.
 */
static void chld_info(struct kernel_siginfo *info, int sig, struct task_struct *t, int code,
		      int status)
{
	*info = (struct kernel_siginfo){ .si_signo = sig, .si_code = code };
	siginfo_set_pid_uid(info, t->tgid, t->cred.uid);
	info->fields[1] = (u32)status;
	chld_cputime(t, code == CLD_EXITED || code == CLD_KILLED || code == CLD_DUMPED,
		     &info->fields[2], &info->fields[3]);
}

/*
 * Tells t's parent that t stopped or continued (Linux's do_notify_parent_cldstop): always
 * SIGCHLD, whatever t's exit signal, and not when the parent's SIGCHLD action has
 * SA_NOCLDSTOP. A default or ignored SIGCHLD is simply dropped by send_signal_info.
 */
void do_notify_parent(struct task_struct *t, int code, int status)
{
	struct task_struct *p = t->parent;
	struct kernel_siginfo info;

	if (!p || !p->sighand || p->state >= EXIT_ZOMBIE)
		return;
	if (action_of(p, SIGCHLD)->flags & SA_NOCLDSTOP)
		return;
	chld_info(&info, SIGCHLD, t, code, status);
	send_group_signal_info(p, SIGCHLD, &info);
}

bool do_notify_parent_exit(struct task_struct *t)
{
	struct task_struct *p = t->parent;
	int status = t->exit_code, sig = t->exit_signal, code = CLD_EXITED;
	bool autoreap = false;
	struct kernel_siginfo info;

	if (!p || !p->sighand || p->state >= EXIT_ZOMBIE)
		return false;
	/* A parent that exec'd since the fork may not know the signal: it gets SIGCHLD. */
	if (sig != SIGCHLD && t->parent_exec_id != p->self_exec_id)
		sig = SIGCHLD;
	if (status & 0x7f)
		code = status & 0x80 ? CLD_DUMPED : CLD_KILLED;
	chld_info(&info, sig, t, code, code == CLD_EXITED ? (status >> 8) & 0xff : status & 0x7f);
	/*
	 * POSIX: a parent that ignores SIGCHLD (or set SA_NOCLDWAIT) wants no zombies of the
	 * children that report with SIGCHLD; an ignored SIGCHLD is then not even sent.
	 */
	const struct k_sigaction *ka = action_of(p, SIGCHLD);
	if (!t->ptracer && sig == SIGCHLD &&
	    (ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT))) {
		autoreap = true;
		if (ka->handler == SIG_IGN)
			sig = 0;
	}
	if (sig > 0 && sig <= _NSIG) /* clone takes any byte; only a valid signal is sent */
		send_group_signal_info(p, sig, &info);
	return autoreap;
}

void do_notify_tracer_exit(struct task_struct *t)
{
	struct task_struct *tracer = t->ptracer;
	int status = t->exit_code, code = CLD_EXITED;
	struct kernel_siginfo info;

	if (!tracer || !tracer->sighand || tracer->state >= EXIT_ZOMBIE)
		return;
	if (status & 0x7f)
		code = status & 0x80 ? CLD_DUMPED : CLD_KILLED;
	chld_info(&info, SIGCHLD, t, code,
		  code == CLD_EXITED ? (status >> 8) & 0xff : status & 0x7f);
	send_group_signal_info(tracer, SIGCHLD, &info);
}

/*
 * Stops the current task with sig (TASK_STOPPED for job control, TASK_TRACED for its tracer),
 * tells the parent and the tracer (their wait4 reports it), and sleeps until SIGCONT,
 * PTRACE_CONT or SIGKILL sets it running again. A traced task's part in a group stop is a stop
 * for its tracer (Linux's JOBCTL_TRAP_STOP, do_jobctl_trap): whichever thread took the stop
 * signal, the tracer's wait4 reports the tracee stopped, and only PTRACE_CONT (whose signal is
 * dropped) or SIGKILL resumes it, not SIGCONT.
 */
static void do_stop(int sig, enum task_state state)
{
	struct task_struct *t = current;
	bool group = state == TASK_STOPPED;

	if (t->pending & sigmask(SIGKILL))
		return; /* about to die: no stop (Linux's ptrace_stop checks the same) */
	if (group && t->ptracer) {
		t->resume_sig = 0;
		state = TASK_TRACED;
	}
	t->stop_sig = sig;
	t->stop_reported = false;
	t->continued = false;
	t->state = state;
	if (group)
		group_stop_done(t, sig); /* the group's last thread to stop tells the parent */
	else if (t->parent) /* init has none; its tracer, if any, is woken below */
		wake_up(&t->parent->signal->wait_chldexit);
	if (t->ptracer && t->ptracer != t->parent)
		wake_up(&t->ptracer->signal->wait_chldexit);
	while (t->state == (int)state)
		schedule();
	/*
	 * Detached (or its tracer gone) from a group stop's trap while the group stays stopped:
	 * stopped again for job control until SIGCONT, as Linux's __ptrace_detach re-arms it.
	 */
	if (group && state == TASK_TRACED && !t->ptracer &&
	    (t->signal->flags & SIGNAL_STOP_STOPPED) && !(t->pending & sigmask(SIGKILL))) {
		t->state = TASK_STOPPED;
		while (t->state == TASK_STOPPED)
			schedule();
	}
}

/*
 * A traced task's signal goes to its tracer first (Linux's ptrace_signal): the task stops, and
 * PTRACE_CONT says which signal to go on with (0: none, the signal is discarded).
 */
static int ptrace_signal(int sig, struct kernel_siginfo *info)
{
	struct task_struct *t = current;

	t->resume_sig = 0;
	t->last_siginfo = info;
	do_stop(sig, TASK_TRACED);
	t->last_siginfo = NULL;
	int next = t->resume_sig;
	if (!next || (t->pending & sigmask(SIGKILL)))
		return 0;
	if (next != sig) {
		*info = (struct kernel_siginfo){ .si_signo = next, .si_code = SI_USER };
		siginfo_set_pid_uid(info, t->ptracer ? t->ptracer->tgid : 0,
				    t->ptracer ? t->ptracer->cred.uid : 0);
	}
	if (t->blocked & sigmask(next)) {
		send_signal_info(t, next, info); /* blocked: it waits like any other */
		return 0;
	}
	return next;
}

void ptrace_notify(int exit_code)
{
	struct task_struct *t = current;

	if (!t->ptracer || (t->pending & sigmask(SIGKILL)))
		return;
	/* what PTRACE_GETSIGINFO reads at an event stop (Linux's ptrace_do_notify) */
	struct kernel_siginfo info = { .si_signo = SIGTRAP, .si_code = exit_code };
	siginfo_set_pid_uid(&info, t->pid, t->cred.uid);
	t->resume_sig = 0;
	t->last_siginfo = &info;
	do_stop(exit_code, TASK_TRACED); /* the signal PTRACE_CONT gives here is not delivered */
	t->last_siginfo = NULL;
}

/*
 * Finds the next signal that has a handler, acting on the others on the way: a traced task's
 * go to its tracer first, ignored ones are dropped, stop signals stop the task, fatal ones end
 * it here. Returns 0 when nothing is left to deliver.
 */
static int get_signal(struct kernel_siginfo *info, struct k_sigaction *ka)
{
	for (;;) {
		/*
		 * A pending SIGKILL ends the task before any other signal is looked at, even for a
		 * tracer (Linux's signal_group_exit check): another signal first could stop it for
		 * its tracer with SIGKILL pending, for good.
		 */
		if (current->pending & sigmask(SIGKILL)) {
			u64 flags = siglock_irqsave();

			sigqueue_flush(task_pending_set(current), sigmask(SIGKILL));
			siglock_irqrestore(flags);
			do_exit_signal(SIGKILL);
		}
		if (current->jobctl_stop) { /* another thread started a group stop */
			int stop = current->jobctl_stop;

			current->jobctl_stop = 0;
			do_stop(stop, TASK_STOPPED);
			continue;
		}
		int sig = dequeue_signal(current->blocked, info);
		if (!sig)
			return 0;
		if (current->ptracer && sig != SIGKILL) {
			sig = ptrace_signal(sig, info);
			if (!sig)
				continue;
		}
		struct k_sigaction *cur = action_of(current, sig);
		if (cur->handler == SIG_IGN)
			continue;
		if (cur->handler != SIG_DFL) {
			*ka = *cur;
			if (cur->flags & SA_RESETHAND)
				cur->handler = SIG_DFL;
			return sig;
		}
		if (DEFAULT_IGNORED_MASK & sigmask(sig))
			continue;
		/*
		 * Init takes no default action but SIGKILL's and SIGSTOP's, which reach here only
		 * when the kernel forced them or its tracer gave them back (PTRACE_CONT/DETACH);
		 * the others (queued while blocked, or given back by a tracer) are dropped (Linux's
		 * get_signal).
		 */
		if ((current->signal->flags & SIGNAL_UNKILLABLE) && !sig_kernel_only(sig))
			continue;
		if (STOP_SIGNALS_MASK & sigmask(sig)) {
			/* job-control stops do nothing in an orphaned group, SIGSTOP stops */
			if (sig != SIGSTOP && is_current_pgrp_orphaned())
				continue;
			group_stop_start(sig);
			do_stop(sig, TASK_STOPPED);
			continue;
		}
		if (CORE_MASK & sigmask(sig))
			do_coredump(info); /* kernel/coredump.c: Linux's sig_kernel_coredump */
		do_exit_signal(sig);
	}
}

/*
 * Is this saved frame a syscall whose result still counts (not an exception, not sigreturn)?
 * Linux's syscall_get_nr() != -1: orig_rax read as an int, as the dispatcher reads the number,
 * so a call made with bits above 31 set (bit 63 too) is restarted or made EINTR like any other.
 */
static bool in_syscall(const struct pt_regs *regs)
{
	return regs->vector == ~0ULL && (int)regs->error_code != -1;
}

/* The syscall is entered again on return: its number back in RAX, RIP back on the SYSCALL. */
static void restart_syscall_regs(struct pt_regs *regs)
{
	regs->rax = regs->error_code;
	regs->rip -= 2;
}

/* Delivers one signal to its handler: syscall restart decision, the frame, the new mask. */
static void handle_signal(int sig, struct kernel_siginfo *info, struct k_sigaction *ka,
			  struct pt_regs *regs)
{
	struct task_struct *t = current;

	if (in_syscall(regs)) {
		switch ((s64)regs->rax) {
		case -ERESTART_RESTARTBLOCK: /* the block stays until rt_sigreturn, as Linux */
		case -ERESTARTNOHAND:
			regs->rax = (u64)-EINTR;
			break;
		case -ERESTARTSYS:
			if (!(ka->flags & SA_RESTART)) {
				regs->rax = (u64)-EINTR;
				break;
			}
			restart_syscall_regs(regs);
			break;
		case -ERESTARTNOINTR:
			restart_syscall_regs(regs);
			break;
		}
	}
	u64 oldset = t->sig.restore_sigmask ? t->sig.saved_sigmask : t->blocked;
	if (setup_rt_frame(sig, ka, info, oldset, regs)) {
		force_sigsegv(sig);
		return;
	}
	t->sig.restore_sigmask = false;
	u64 blocked = t->blocked | ka->mask;
	if (!(ka->flags & SA_NODEFER))
		blocked |= sigmask(sig);
	set_current_blocked(blocked);
}

/*
 * Acts on pending signals before user mode: delivers the first one with a handler. When none
 * has one, an interrupted syscall is restarted and a mask saved by rt_sigsuspend comes back.
 */
static void do_signal(struct pt_regs *regs)
{
	struct kernel_siginfo info;
	struct k_sigaction ka;
	int sig = get_signal(&info, &ka);

	if (sig) {
		handle_signal(sig, &info, &ka, regs);
		return;
	}
	if (in_syscall(regs)) {
		s64 r = (s64)regs->rax;
		if (r == -ERESTARTNOHAND || r == -ERESTARTSYS || r == -ERESTARTNOINTR ||
		    r == -ERESTART_RESTARTBLOCK) {
			restart_syscall_regs(regs);
			if (r == -ERESTART_RESTARTBLOCK) /* resume from the restart block */
				regs->rax = __NR_restart_syscall;
			regs->error_code =
				~0ULL; /* restarted once: no second fix-up on this return */
		}
	}
	if (current->sig.restore_sigmask) {
		current->sig.restore_sigmask = false;
		set_current_blocked(current->sig.saved_sigmask);
	}
}

/*
 * The last work before user mode. The final check runs with interrupts off and they stay off
 * until IRETQ, so a tick cannot set need_resched unseen in between.
 */
/* The work before a return to user mode: rescheduling and signals, until none is left. */
static __attribute__((noinline)) void exit_to_user_mode_loop(struct pt_regs *regs)
{
	for (;;) {
		local_irq_disable();
		bool resched = current->need_resched;
		bool signal = signal_pending_current() || current->sig.restore_sigmask;
		if (!resched && !signal)
			break;
		local_irq_enable();
		if (resched)
			schedule();
		else
			do_signal(regs);
	}
}

void exit_to_user_mode(struct pt_regs *regs)
{
	struct task_struct *t = current;

	local_irq_disable();
	/* The common case, nothing to do, without the loop's stack frame. */
	if (__builtin_expect(!t->need_resched && !task_sigpending(t) && !t->sig.restore_sigmask, 1))
		return;
	exit_to_user_mode_loop(regs);
}

void flush_signal_handlers(struct task_struct *t)
{
	for (int s = 1; s <= _NSIG; s++) {
		struct k_sigaction *a = action_of(t, s);
		u64 handler = a->handler == SIG_IGN ? SIG_IGN : SIG_DFL;
		memset(a, 0, sizeof(*a));
		a->handler = handler;
	}
	memset(&t->sig.altstack, 0, sizeof(t->sig.altstack));
}
