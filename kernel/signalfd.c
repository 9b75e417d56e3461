// SPDX-License-Identifier: MIT
/*
 * signalfd and signalfd4 and the file they make (Linux 6.1's fs/signalfd.c): a descriptor that
 * reads the pending signals of a mask as 128-byte struct signalfd_siginfo records, instead of
 * having them delivered. The file holds only the mask: a read or poll always looks at the
 * signals of the task doing it (its own pending set, then its process's), so a descriptor
 * inherited by fork reads the child's signals. SIGKILL and SIGSTOP are silently left out of the
 * mask. The queueing of a signal (kernel/sigqueue.c) wakes readers and pollers through the wait
 * queue in the handler table. The file is an anon_inode "[signalfd]" with a "sigmask:" fdinfo
 * line.
 */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal_internal.h"
#include "kernel/sys.h"
#include "kernel/wait.h"
#include "fs/fdtable.h"
#include "fs/poll.h"
#include "fs/proc.h"
#include "fs/uio.h"
#include "fs/vfs.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define SFD_CLOEXEC O_CLOEXEC
#define SFD_NONBLOCK O_NONBLOCK
#define SI_SIGIO (-5)
#define NSIGPOLL 6

struct signalfd_ctx {
	/* the signals NOT read (the complement of the user's mask): a "blocked" set */
	u64 sigmask;
};

/* The record read(2) gives for one signal (Linux's struct signalfd_siginfo, 128 bytes). */
struct signalfd_siginfo {
	u32 ssi_signo;
	s32 ssi_errno;
	s32 ssi_code;
	u32 ssi_pid;
	u32 ssi_uid;
	s32 ssi_fd;
	u32 ssi_tid;
	u32 ssi_band;
	u32 ssi_overrun;
	u32 ssi_trapno;
	s32 ssi_status;
	s32 ssi_int;
	u64 ssi_ptr;
	u64 ssi_utime;
	u64 ssi_stime;
	u64 ssi_addr;
	u16 ssi_addr_lsb;
	u16 pad2;
	s32 ssi_syscall;
	u64 ssi_call_addr;
	u32 ssi_arch;
	u8 pad[28];
};

_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo is 128 bytes");

static const struct file_operations signalfd_fops;

void signalfd_notify(struct task_struct *t)
{
	if (t->sighand && t->sighand->signalfd_wqh.head)
		wake_up(&t->sighand->signalfd_wqh);
}

/* Has the current task a pending signal outside mask, in its own set or its process's? */
static bool signalfd_ready(const struct signalfd_ctx *ctx)
{
	struct task_struct *t = current;

	return (t->pending & ~ctx->sigmask) || (t->signal->shared_pending & ~ctx->sigmask);
}

static __poll_t signalfd_poll(struct file *file, poll_table *wait)
{
	struct signalfd_ctx *ctx = file->private_data;

	poll_wait(file, &current->sighand->signalfd_wqh, wait);
	return signalfd_ready(ctx) ? POLLIN : 0;
}

/* Which union of siginfo_t a signal carries, as Linux's siginfo_layout decides for x86-64. */
enum siginfo_layout { SIL_KILL, SIL_TIMER, SIL_POLL, SIL_FAULT, SIL_CHLD, SIL_RT, SIL_SYS };

static enum siginfo_layout siginfo_layout(int sig, int code)
{
	/* the highest kernel si_code of each signal with its own layout (NSIGILL, ...) */
	static const struct {
		int sig, limit;
		enum siginfo_layout layout;
	} filter[] = {
		{ SIGILL, 11, SIL_FAULT }, { SIGFPE, 15, SIL_FAULT }, { SIGSEGV, 9, SIL_FAULT },
		{ SIGBUS, 5, SIL_FAULT },  { SIGTRAP, 6, SIL_FAULT }, { SIGCHLD, 6, SIL_CHLD },
		{ SIGSYS, 2, SIL_SYS },
	};

	if (code > SI_USER && code < SI_KERNEL) {
		for (unsigned int i = 0; i < sizeof(filter) / sizeof(filter[0]); i++)
			if (filter[i].sig == sig)
				return code <= filter[i].limit ? filter[i].layout
				       : code <= NSIGPOLL      ? SIL_POLL
							       : SIL_KILL;
		return code <= NSIGPOLL ? SIL_POLL : SIL_KILL;
	}
	if (code == SI_TIMER)
		return SIL_TIMER;
	if (code == SI_SIGIO)
		return SIL_POLL;
	return code < 0 ? SIL_RT : SIL_KILL;
}

/*
 * The record of one dequeued signal (Linux's signalfd_copyinfo): the fields of its siginfo's
 * layout, the rest zero. kernel_siginfo's fields[] is the union at byte 16 of siginfo_t.
 */
static void signalfd_fill(struct signalfd_siginfo *n, const struct kernel_siginfo *k)
{
	u32 lo0 = (u32)k->fields[0], hi0 = (u32)(k->fields[0] >> 32);

	*n = (struct signalfd_siginfo){ .ssi_signo = (u32)k->si_signo,
					.ssi_errno = k->si_errno,
					.ssi_code = k->si_code };
	switch (siginfo_layout(k->si_signo, k->si_code)) {
	case SIL_KILL:
		n->ssi_pid = lo0;
		n->ssi_uid = hi0;
		break;
	case SIL_TIMER: /* si_tid, si_overrun, si_value */
		n->ssi_tid = lo0;
		n->ssi_overrun = hi0;
		n->ssi_ptr = k->fields[1];
		n->ssi_int = (s32)k->fields[1];
		break;
	case SIL_POLL: /* si_band (long), si_fd */
		n->ssi_band = (u32)k->fields[0];
		n->ssi_fd = (s32)k->fields[1];
		break;
	case SIL_FAULT: /* si_addr; x86-64 fills no trapno */
		n->ssi_addr = k->fields[0];
		break;
	case SIL_CHLD: /* si_pid, si_uid, si_status, si_utime, si_stime */
		n->ssi_pid = lo0;
		n->ssi_uid = hi0;
		n->ssi_status = (s32)k->fields[1];
		n->ssi_utime = k->fields[2];
		n->ssi_stime = k->fields[3];
		break;
	case SIL_RT: /* si_pid, si_uid, si_value */
		n->ssi_pid = lo0;
		n->ssi_uid = hi0;
		n->ssi_ptr = k->fields[1];
		n->ssi_int = (s32)k->fields[1];
		break;
	case SIL_SYS: /* si_call_addr, si_syscall, si_arch */
		n->ssi_call_addr = k->fields[0];
		n->ssi_syscall = (s32)k->fields[1];
		n->ssi_arch = (u32)(k->fields[1] >> 32);
		break;
	}
}

/*
 * One signal outside the mask taken from the current task's pending sets (Linux's
 * signalfd_dequeue): its number, -EAGAIN if none and nonblock, else waits for one; -ERESTARTSYS
 * if a signal the mask does not hold interrupts the wait.
 */
static int signalfd_dequeue(struct signalfd_ctx *ctx, struct kernel_siginfo *info, bool nonblock)
{
	for (;;) {
		int sig = dequeue_signal(ctx->sigmask, info);

		if (sig)
			return sig;
		if (nonblock)
			return -EAGAIN;
		int err = wait_event_interruptible(current->sighand->signalfd_wqh,
						   signalfd_ready(ctx));
		if (err)
			return err;
	}
}

/*
 * read(2): as many whole records as fit (EINVAL if not one), waiting for the first unless
 * O_NONBLOCK (EAGAIN); the later ones only if already pending. Returns the bytes read.
 */
static ssize_t signalfd_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct signalfd_ctx *ctx = file->private_data;
	size_t count = iov_iter_count(to) / sizeof(struct signalfd_siginfo);
	bool nonblock = file->f_flags & O_NONBLOCK;
	ssize_t total = 0, ret = 0;

	(void)ppos;
	if (!count)
		return -EINVAL;
	do {
		struct kernel_siginfo info;
		struct signalfd_siginfo rec;

		ret = signalfd_dequeue(ctx, &info, nonblock);
		if (ret <= 0)
			break;
		signalfd_fill(&rec, &info);
		if (copy_to_iter(&rec, sizeof(rec), to) < sizeof(rec)) {
			ret = -EFAULT;
			break;
		}
		total += sizeof(rec);
		nonblock = true;
	} while (--count);
	return total ? total : ret;
}

static void signalfd_release(struct inode *inode, struct file *file)
{
	(void)inode;
	kfree(file->private_data);
}

/* /proc/PID/fdinfo/N's line for a signalfd (Linux's signalfd_show_fdinfo): the user's mask. */
static void signalfd_show(struct seq_buf *m, struct file *file)
{
	struct signalfd_ctx *ctx = file->private_data;

	seq_printf(m, "sigmask:\t%016llx\n", (unsigned long long)~ctx->sigmask);
}

/* Linux's noop_llseek: the position stays (0). */
static s64 signalfd_llseek(struct file *file, s64 offset, int whence)
{
	(void)offset;
	(void)whence;
	return file->f_pos;
}

static const struct file_operations signalfd_fops = {
	.release = signalfd_release,
	.poll = signalfd_poll,
	.read = signalfd_read,
	.llseek = signalfd_llseek,
	.show_fdinfo = signalfd_show,
};

/*
 * Linux's do_signalfd4: ufd -1 makes a new signalfd with the mask; otherwise ufd's signalfd
 * (EBADF if no file, EINVAL if not a signalfd) gets the new mask and its waiters re-check.
 */
static long do_signalfd4(int ufd, u64 mask, int flags)
{
	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	mask &= ~UNBLOCKABLE;
	mask = ~mask;
	if (ufd == -1) {
		struct signalfd_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

		if (!ctx)
			return -ENOMEM;
		ctx->sigmask = mask;
		ufd = anon_inode_getfd("[signalfd]", &signalfd_fops, ctx,
				       O_RDWR | (u32)(flags & (SFD_CLOEXEC | SFD_NONBLOCK)));
		if (ufd < 0)
			kfree(ctx);
		return ufd;
	}
	struct file *f = fget((unsigned int)ufd);
	if (!f)
		return -EBADF;
	if (f->f_op != &signalfd_fops) {
		fput(f);
		return -EINVAL;
	}
	struct signalfd_ctx *ctx = f->private_data;
	u64 irq = siglock_irqsave();
	ctx->sigmask = mask;
	siglock_irqrestore(irq);
	wake_up(&current->sighand->signalfd_wqh);
	fput(f);
	return ufd;
}

long sys_signalfd4(int ufd, const u64 *user_mask, u64 sizemask, int flags)
{
	u64 mask;

	if (sizemask != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, user_mask, sizeof(mask)))
		return -EFAULT;
	return do_signalfd4(ufd, mask, flags);
}

long sys_signalfd(int ufd, const u64 *user_mask, u64 sizemask)
{
	return sys_signalfd4(ufd, user_mask, sizemask, 0);
}
