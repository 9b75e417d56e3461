// SPDX-License-Identifier: MIT
/* Pending signals and their default actions; kill, sigaction and sigprocmask bookkeeping. */
#include "kernel/signal.h"
#include "kernel/errno.h"
#include "kernel/exit.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "arch/x86_64/cpu.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define SIG_DFL 0
#define SIG_IGN 1

struct sighand_struct *sighand_alloc(const struct sighand_struct *parent)
{
	struct sighand_struct *sh = kzalloc(sizeof(*sh), GFP_KERNEL);

	if (sh && parent)
		memcpy(sh->action, parent->action, sizeof(sh->action));
	if (sh)
		sh->count = 1;
	return sh;
}

void sighand_put(struct sighand_struct *sh)
{
	if (sh && --sh->count == 0)
		kfree(sh);
}

static struct k_sigaction *action_of(struct task_struct *t, int sig)
{
	return &t->sighand->action[sig - 1];
}

/* Signals whose default action is to do nothing. */
static bool default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

void send_signal(struct task_struct *t, int sig)
{
	if (t->state >= EXIT_ZOMBIE || !t->sighand)
		return; /* a zombie has nothing left to signal: kill() still succeeds, as Linux */
	if (action_of(t, sig)->handler == SIG_IGN && sig != SIGKILL && sig != SIGSTOP)
		return;
	if (action_of(t, sig)->handler == SIG_DFL && default_ignored(sig))
		return;
	t->pending |= sigmask(sig);
	wake_up_process(t);
}

void force_sig(int sig)
{
	struct task_struct *t = current;

	/* A synchronous fault cannot be blocked or ignored (Linux resets it to SIG_DFL). */
	action_of(t, sig)->handler = SIG_DFL;
	t->blocked &= ~sigmask(sig);
	t->pending |= sigmask(sig);
}

void send_sig_pipe(void)
{
	send_signal(current, SIGPIPE);
}

bool fatal_signal_pending_current(void)
{
	/* Without handler delivery every unblocked pending signal ends the task. */
	return current->pending & (~current->blocked | sigmask(SIGKILL));
}

/* Acts on the lowest pending unblocked signal: every default action here ends the task. */
static void do_signal(void)
{
	struct task_struct *t = current;
	u64 ready = t->pending & (~t->blocked | sigmask(SIGKILL) | sigmask(SIGSTOP));

	if (!ready)
		return;
	int sig = __builtin_ctzll(ready) + 1;
	t->pending &= ~sigmask(sig);
	do_exit(sig); /* wait status: the signal number; no core file is written */
}

/*
 * The last work before user mode. The final check runs with interrupts off and they stay off
 * until IRETQ, so a tick cannot set need_resched unseen in between.
 */
void exit_to_user_mode(struct pt_regs *regs)
{
	(void)regs;
	for (;;) {
		local_irq_disable();
		bool resched = current->need_resched;
		bool signal = current->pending & (~current->blocked | sigmask(SIGKILL));
		if (!resched && !signal)
			break;
		local_irq_enable();
		if (resched)
			schedule();
		else
			do_signal();
	}
}

static long kill_task(struct task_struct *t, int sig)
{
	if (!t)
		return -ESRCH;
	if (sig)
		send_signal(t, sig);
	return 0;
}

/* kill(-1, sig): every process except init and the caller; ESRCH if there is none. */
static long kill_all(int sig)
{
	bool any = false;

	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		if (t->pid > 1 && t != current && t->state < EXIT_ZOMBIE) {
			any = true;
			if (sig)
				send_signal(t, sig);
		}
	}
	return any ? 0 : -ESRCH;
}

long sys_kill(int pid, int sig)
{
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid > 0)
		return kill_task(find_task_by_pid(pid), sig);
	if (pid == (int)0x80000000)
		return -ESRCH; /* -INT_MIN does not exist */
	if (pid == -1)
		return kill_all(sig);
	if (pid == 0)
		return kill_task(current, sig); /* our process group: one process so far */
	return kill_task(find_task_by_pid(-pid), sig);
}

long sys_tkill(int tid, int sig)
{
	if (tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	return kill_task(find_task_by_pid(tid), sig);
}

long sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	struct task_struct *t = find_task_by_pid(tid);
	return kill_task(t && t->tgid == tgid ? t : NULL, sig);
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
		k.mask &= ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
		*cur = k;
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
		s &= ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
		if (how == 0)
			current->blocked |= s;
		else if (how == 1)
			current->blocked &= ~s;
		else if (how == 2)
			current->blocked = s;
		else
			return -EINVAL;
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

void flush_signal_handlers(struct task_struct *t)
{
	for (int s = 1; s <= _NSIG; s++) {
		struct k_sigaction *a = action_of(t, s);
		if (a->handler != SIG_IGN)
			memset(a, 0, sizeof(*a));
	}
}
