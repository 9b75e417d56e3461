// SPDX-License-Identifier: MIT
/*
 * The signal system calls (Linux's half of kernel/signal.c that user space calls): kill, tkill,
 * tgkill and the process-group sends with the orphaned-group test, rt_sigaction, rt_sigprocmask,
 * rt_sigpending, rt_sigsuspend and sigaltstack. Sending and delivery: kernel/signal.c.
 */
#include "kernel/signal.h"
#include "kernel/signal_internal.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "arch/x86_64/traps.h"
#include "mm/uaccess.h"

/* The flags rt_sigaction keeps; unknown bits read back as 0 (Linux's UAPI_SA_FLAGS). */
#define SA_KNOWN_FLAGS                                                                            \
	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | 0x800 /* SA_EXPOSE_TAGBITS */ | SA_RESTORER | \
	 SA_ONSTACK | SA_RESTART | SA_NODEFER | SA_RESETHAND)

/*
 * May the current task's user signal t (Linux's kill_ok_by_cred)? The sender's real or effective
 * uid must be the target's real or saved uid, or the sender has CAP_KILL.
 */
static bool kill_ok_by_cred(const struct task_struct *t)
{
	const struct cred *c = &current->cred, *tc = &t->cred;

	return c->euid == tc->suid || c->euid == tc->uid || c->uid == tc->suid ||
	       c->uid == tc->uid || capable(CAP_KILL);
}

int check_kill_permission(int sig, const struct task_struct *t)
{
	if (same_thread_group(current, t) || kill_ok_by_cred(t))
		return 0;
	if (sig == SIGCONT && t->signal->sid == current->signal->sid)
		return 0; /* job control within a session */
	return -EPERM;
}

/*
 * Sends sig from the current task with a kill-style siginfo: to t's whole process (kill), or to
 * thread t alone (tkill, tgkill). EPERM when the sender may not signal t (signal 0 too).
 */
static long kill_task(struct task_struct *t, int sig, int code, bool group)
{
	struct kernel_siginfo info = { .si_signo = sig, .si_code = code };

	if (!t)
		return -ESRCH;
	int err = check_kill_permission(sig, t);
	if (err)
		return err;
	siginfo_set_pid_uid(&info, current->tgid, current->cred.uid);
	if (sig && group)
		send_group_signal_info(t, sig, &info);
	else if (sig)
		send_signal_info(t, sig, &info);
	return 0;
}

int kill_pgrp(int pgid, int sig, int priv)
{
	struct kernel_siginfo info = { .si_signo = sig, .si_code = priv ? SI_KERNEL : SI_USER };
	bool any = false, sent = false;

	if (!priv)
		siginfo_set_pid_uid(&info, current->tgid, current->cred.uid);
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		/* processes only (a thread group's leader), not the idle task, not the freed */
		if (t->pid == 0 || t->pid != t->tgid || t->state == EXIT_DEAD ||
		    t->signal->pgid != pgid)
			continue;
		any = true;
		if (!priv && check_kill_permission(sig, t))
			continue; /* EPERM only if no member could be signalled */
		sent = true;
		if (sig)
			send_group_signal_info(t, sig, &info);
	}
	return !any ? -ESRCH : sent ? 0 : -EPERM;
}

bool will_become_orphaned_pgrp(int pgid, struct task_struct *ignored)
{
	for (struct task_struct *p = first_task(); p; p = p->run_next) {
		if (p->pid == 0 || p->pid != p->tgid || p->state == EXIT_DEAD ||
		    p->signal->pgid != pgid)
			continue;
		if (p == ignored || (p->state == EXIT_ZOMBIE && thread_group_empty(p)) ||
		    !p->parent || is_global_init(p->parent))
			continue;
		if (p->parent->signal->pgid != pgid && p->parent->signal->sid == p->signal->sid)
			return false; /* a link to a parent outside the group, in the session */
	}
	return true;
}

bool is_current_pgrp_orphaned(void)
{
	return will_become_orphaned_pgrp(current->signal->pgid, NULL);
}

/*
 * kill(-1, sig): every process (with a live thread) except init and the caller's; ESRCH if
 * there is none.
 */
static long kill_all(int sig)
{
	bool any = false;

	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		if (t->pid > 1 && t->pid == t->tgid && !same_thread_group(t, current) &&
		    t->signal->live > 0) {
			any = true;
			kill_task(t, sig, SI_USER, true);
		}
	}
	return any ? 0 : -ESRCH;
}

/*
 * kill(2) as Linux's kill_something_info: a process, every process (-1), the caller's group (0)
 * or group -pid. The signal number is checked per target, as Linux: with no target the answer
 * is ESRCH even for a bad signal.
 */
long sys_kill(int pid, int sig)
{
	bool valid = sig >= 0 && sig <= _NSIG;
	long ret;

	if (pid > 0) {
		struct task_struct *t = find_task_by_pid(pid);

		return t && !valid ? -EINVAL : kill_task(t, sig, SI_USER, true);
	}
	if (pid == (int)0x80000000)
		return -ESRCH; /* -INT_MIN does not exist */
	if (pid == -1)
		ret = kill_all(valid ? sig : 0);
	else
		ret = kill_pgrp(pid ? -pid : current->signal->pgid, valid ? sig : 0, 0);
	return ret || valid ? ret : -EINVAL;
}

/*
 * tkill and tgkill's work (Linux's do_send_specific): the thread first (ESRCH when there is
 * none, or when tgid > 0 names another process), only then the signal number (EINVAL).
 */
static long do_tkill(int tgid, int tid, int sig)
{
	struct task_struct *t = find_task_by_pid(tid);

	if (!t || (tgid > 0 && t->tgid != tgid))
		return -ESRCH;
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	return kill_task(t, sig, SI_TKILL, false);
}

long sys_tkill(int tid, int sig)
{
	if (tid <= 0)
		return -EINVAL;
	return do_tkill(0, tid, sig);
}

long sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

long sys_rt_sigaction(int sig, const void *act, void *oact, u64 sigsetsize)
{
	struct k_sigaction k;

	/* Linux's order: size, copy in, validate, install, then copy the old action out. */
	if (sigsetsize != 8)
		return -EINVAL;
	if (act && copy_from_user(&k, act, sizeof(k)))
		return -EFAULT;
	if (sig < 1 || sig > _NSIG || ((sig == SIGKILL || sig == SIGSTOP) && act))
		return -EINVAL;
	struct k_sigaction *cur = action_of(current, sig), old = *cur;
	if (act) {
		k.mask &= ~UNBLOCKABLE;
		k.flags &= SA_KNOWN_FLAGS;
		*cur = k;
		/* A signal that is now ignored is dropped from the pending set, blocked or not. */
		if (sig_handler_ignored(k.handler, sig)) {
			u64 flags = siglock_irqsave();
			struct task_struct *t;

			sigqueue_flush(shared_pending_set(current->signal), sigmask(sig));
			for_each_thread(current, t)
				sigqueue_flush(task_pending_set(t), sigmask(sig));
			siglock_irqrestore(flags);
		}
	}
	if (oact && copy_to_user(oact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, const u64 *set, u64 *oset, u64 sigsetsize)
{
	u64 s = 0, old = current->blocked;

	if (sigsetsize != 8)
		return -EINVAL;
	if (set) {
		if (copy_from_user(&s, set, sizeof(s)))
			return -EFAULT;
		if (how == 0)
			set_current_blocked(old | s);
		else if (how == 1)
			set_current_blocked(old & ~s);
		else if (how == 2)
			set_current_blocked(s);
		else
			return -EINVAL;
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(u64 *set, u64 sigsetsize)
{
	u64 p = (current->pending | current->signal->shared_pending) & current->blocked;

	if (sigsetsize > sizeof(p))
		return -EINVAL;
	if (copy_to_user(set, &p, sigsetsize))
		return -EFAULT;
	return 0;
}

long sys_rt_sigsuspend(const u64 *set, u64 sigsetsize)
{
	struct task_struct *t = current;
	u64 mask;

	if (sigsetsize != 8)
		return -EINVAL;
	if (copy_from_user(&mask, set, sizeof(mask)))
		return -EFAULT;
	t->sig.saved_sigmask = t->blocked;
	set_current_blocked(mask);
	while (!signal_pending_current()) {
		t->state = TASK_INTERRUPTIBLE;
		schedule();
	}
	t->sig.restore_sigmask = true; /* the handler's frame saves the old mask, not this one */
	return -ERESTARTNOHAND;
}

bool on_sig_stack(u64 sp)
{
	const struct sigaltstack_state *ss = &current->sig.altstack;

	if (ss->ss_flags & SS_AUTODISARM)
		return false;
	return sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

int sas_ss_flags(u64 sp)
{
	if (!current->sig.altstack.ss_size)
		return SS_DISABLE;
	return on_sig_stack(sp) ? SS_ONSTACK : 0;
}

long do_sigaltstack(const struct sigaltstack_state *ss, struct sigaltstack_state *oss, u64 sp)
{
	struct sigaltstack_state *cur = &current->sig.altstack;

	if (oss) {
		*oss = *cur;
		oss->ss_flags = (u32)sas_ss_flags(sp) | (cur->ss_flags & SS_AUTODISARM);
	}
	if (!ss)
		return 0;
	if (on_sig_stack(sp))
		return -EPERM;
	u32 mode = ss->ss_flags & ~SS_AUTODISARM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (cur->ss_sp == ss->ss_sp && cur->ss_size == ss->ss_size && cur->ss_flags == ss->ss_flags)
		return 0;
	struct sigaltstack_state n = *ss;
	if (mode == SS_DISABLE) {
		n.ss_sp = 0;
		n.ss_size = 0;
	} else if (n.ss_size < MINSIGSTKSZ) {
		return -ENOMEM;
	}
	*cur = n;
	return 0;
}

/* stack_t as user mode has it. */
struct user_stack {
	u64 ss_sp;
	s32 ss_flags;
	s32 pad;
	u64 ss_size;
};

long sys_sigaltstack(const void *uss, void *uoss)
{
	struct user_stack u;
	struct sigaltstack_state n, o;

	if (uss) {
		if (copy_from_user(&u, uss, sizeof(u)))
			return -EFAULT;
		n = (struct sigaltstack_state){ u.ss_sp, u.ss_size, (u32)u.ss_flags };
	}
	long err = do_sigaltstack(uss ? &n : NULL, uoss ? &o : NULL, task_pt_regs(current)->rsp);
	if (!err && uoss) {
		u = (struct user_stack){ o.ss_sp, (s32)o.ss_flags, 0, o.ss_size };
		if (copy_to_user(uoss, &u, sizeof(u)))
			return -EFAULT;
	}
	return err;
}
