// SPDX-License-Identifier: MIT
/*
 * Signals with their siginfo, to and from user space: rt_sigtimedwait (sigwait, sigwaitinfo,
 * sigtimedwait) takes a pending signal of a set without a handler, waiting for one with the set
 * unblocked meanwhile; rt_sigqueueinfo and rt_tgsigqueueinfo (sigqueue, pthread_sigqueue) send
 * one with a siginfo the caller wrote, real-time ones queued (kernel/sigqueue.c). As Linux 6.1's
 * kernel/signal.c; see docs/signals.md.
 */
#include "kernel/signal.h"
#include "kernel/signal_internal.h"
#include "kernel/errno.h"
#include "kernel/ktime.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/uaccess.h"

/* The bytes of a user siginfo_t past the kernel's (Linux's SI_EXPANSION_SIZE). */
#define SIGINFO_SIZE 128
#define SI_EXPANSION_SIZE (SIGINFO_SIZE - sizeof(struct kernel_siginfo))

#define SI_DETHREAD (-7)
#define SI_ASYNCNL (-60)

/* The highest si_code each signal with codes of its own has (Linux's sig_sicodes). */
static int sig_sicodes_limit(int sig)
{
	switch (sig) {
	case SIGILL:
		return 11;
	case SIGFPE:
		return 15;
	case SIGSEGV:
		return 9;
	case SIGBUS:
		return 5;
	case SIGTRAP:
		return 6;
	case SIGCHLD:
		return 6;
	case SIGIO: /* SIGPOLL */
		return 6;
	case SIGSYS:
		return 2;
	}
	return 0;
}

/*
 * Does Linux know the layout of this si_code for sig (known_siginfo_layout)? If not, the bytes a
 * kernel_siginfo does not hold must be zero, so that they read back the same.
 */
static bool known_siginfo_layout(int sig, int code)
{
	if (code == SI_KERNEL)
		return true;
	if (code > SI_USER) {
		int limit = sig_sicodes_limit(sig);

		return limit ? code <= limit : code <= 6 /* NSIGPOLL */;
	}
	return code >= SI_DETHREAD || code == SI_ASYNCNL;
}

/*
 * Reads a siginfo from user space for signal sig (Linux's __copy_siginfo_from_user): si_signo
 * becomes sig; an si_code of unknown layout needs zero bytes past the kernel's part (E2BIG).
 */
static long copy_siginfo_from_user(int sig, struct kernel_siginfo *info, const void *uinfo)
{
	u8 rest[SI_EXPANSION_SIZE];

	if (copy_from_user(info, uinfo, sizeof(*info)))
		return -EFAULT;
	info->si_signo = sig;
	if (known_siginfo_layout(sig, info->si_code))
		return 0;
	if (copy_from_user(rest, (const u8 *)uinfo + sizeof(*info), sizeof(rest)))
		return -EFAULT;
	for (size_t i = 0; i < sizeof(rest); i++)
		if (rest[i])
			return -E2BIG;
	return 0;
}

/* Writes a whole user siginfo_t: the kernel's part, then zeros (copy_siginfo_to_user). */
static long copy_siginfo_to_user(void *uinfo, const struct kernel_siginfo *info)
{
	u8 buf[SIGINFO_SIZE];

	memset(buf, 0, sizeof(buf));
	memcpy(buf, info, sizeof(*info));
	return copy_to_user(uinfo, buf, sizeof(buf)) ? -EFAULT : 0;
}

/*
 * Waits for a signal of set (Linux's do_sigtimedwait): one already pending is taken at once;
 * otherwise, unless the timeout is zero, the thread sleeps with the set taken out of its mask
 * (real_blocked keeps the real one, so complete_signal picks this thread and does not take a
 * fatal one as a group exit) until a signal is pending or the timeout (relative, KTIME_MAX:
 * none) passes. The signal, -EAGAIN when the time ran out, -EINTR when another signal came.
 */
static long do_sigtimedwait(u64 set, struct kernel_siginfo *info, u64 timeout)
{
	struct task_struct *t = current;
	u64 mask = ~(set & ~UNBLOCKABLE); /* what dequeue_signal leaves alone */
	int sig = dequeue_signal(mask, info);
	bool interrupted = false;

	if (sig || !timeout)
		return sig ? sig : -EAGAIN;
	u64 flags = siglock_irqsave();
	u64 deadline = ktime_add_safe(ktime_get_ns(), timeout);

	t->real_blocked = t->blocked;
	t->blocked &= mask;
	siglock_irqrestore(flags);
	for (;;) {
		/* asleep before the check: a signal sent from an interrupt after it wakes us */
		t->state = TASK_INTERRUPTIBLE;
		if (task_sigpending(t)) {
			interrupted = true;
			break;
		}
		if (ktime_get_ns() >= deadline)
			break;
		t->wake_at_ns = deadline == KTIME_MAX ? 0 : deadline;
		schedule();
	}
	t->wake_at_ns = 0;
	t->state = TASK_RUNNING;
	flags = siglock_irqsave();
	t->blocked = t->real_blocked;
	t->real_blocked = 0;
	siglock_irqrestore(flags);
	sig = dequeue_signal(mask, info);
	if (sig)
		return sig;
	return interrupted ? -EINTR : -EAGAIN;
}

long sys_rt_sigtimedwait(const u64 *uthese, void *uinfo, const void *uts, u64 sigsetsize)
{
	struct kernel_siginfo info;
	struct timespec64 ts;
	u64 these, timeout = KTIME_MAX;

	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (copy_from_user(&these, uthese, sizeof(these)))
		return -EFAULT;
	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || (u64)ts.tv_nsec >= NSEC_PER_SEC)
			return -EINVAL;
		timeout = timespec_to_ktime(&ts);
	}
	long ret = do_sigtimedwait(these, &info, timeout);
	if (ret > 0 && uinfo && copy_siginfo_to_user(uinfo, &info))
		return -EFAULT; /* the signal is taken all the same, as Linux */
	return ret;
}

/*
 * Nobody may pretend to be the kernel or kill/tgkill (which give the sender themselves) to
 * another task: si_code >= 0 or SI_TKILL only to the caller's own tid (Linux's check).
 */
static bool sigqueue_code_allowed(const struct kernel_siginfo *info, int pid)
{
	return (info->si_code < 0 && info->si_code != SI_TKILL) || pid == current->pid;
}

long sys_rt_sigqueueinfo(int pid, int sig, const void *uinfo)
{
	struct kernel_siginfo info;
	long err = copy_siginfo_from_user(sig, &info, uinfo);

	if (err)
		return err;
	if (!sigqueue_code_allowed(&info, pid))
		return -EPERM;
	struct task_struct *p = pid > 0 ? find_task_by_pid(pid) : NULL;
	if (!p)
		return -ESRCH;
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	err = check_kill_permission(sig, p);
	if (err)
		return err;
	return sig ? send_sigqueue_info(p, sig, &info, true) : 0; /* to p's whole process */
}

long sys_rt_tgsigqueueinfo(int tgid, int pid, int sig, const void *uinfo)
{
	struct kernel_siginfo info;
	long err = copy_siginfo_from_user(sig, &info, uinfo);

	if (err)
		return err;
	if (pid <= 0 || tgid <= 0)
		return -EINVAL;
	if (!sigqueue_code_allowed(&info, pid))
		return -EPERM;
	struct task_struct *p = find_task_by_pid(pid);
	if (!p || p->tgid != tgid)
		return -ESRCH;
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	err = check_kill_permission(sig, p);
	if (err)
		return err;
	return sig ? send_sigqueue_info(p, sig, &info, false) : 0;
}
