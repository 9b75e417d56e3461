// SPDX-License-Identifier: MIT
/*
 * timerfd_create, timerfd_settime, timerfd_gettime and the file they make (Linux 6.1's
 * fs/timerfd.c): a timer on CLOCK_REALTIME, MONOTONIC or BOOTTIME (or their alarm clocks) whose
 * expirations are counted and read as a u64. An interval timer is not re-armed by its expiry but
 * by the read or gettime that sees it (the periods missed meanwhile are added to the count), so
 * a short period nobody reads costs one expiry, not a storm. A REALTIME timer set with
 * TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET is cancelled by a change of the wall clock: its
 * read says ECANCELED once. The file is an anon_inode "[timerfd]" with Linux's fdinfo lines.
 */
#include "kernel/errno.h"
#include "kernel/hrtimer.h"
#include "kernel/ktime.h"
#include "kernel/cred.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/sys.h"
#include "kernel/time_namespace.h"
#include "kernel/wait.h"
#include "fs/fdtable.h"
#include "fs/poll.h"
#include "fs/proc.h"
#include "fs/uio.h"
#include "fs/vfs.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define TFD_TIMER_ABSTIME 1
#define TFD_TIMER_CANCEL_ON_SET 2
#define TFD_SETTIME_FLAGS (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)
#define TFD_CREATE_FLAGS (O_CLOEXEC | O_NONBLOCK)
#define CAP_WAKE_ALARM 35

struct timerfd_ctx {
	struct hrtimer t; /* on the monotonic clock: REALTIME times are converted */
	bool armed; /* t was started by the last setup (its expires is the setting) */
	u64 tintv; /* the interval, ns */
	struct wait_queue_head wqh; /* readers and pollers */
	u64 ticks; /* expirations not yet read */
	int clockid;
	bool expired; /* fired since the last setup or re-arm */
	int settime_flags;
	/* CANCEL_ON_SET: the wall clock's offset when set; KTIME_MAX once a change cancelled it */
	bool might_cancel;
	u64 moffs;
	struct timerfd_ctx *cancel_next; /* cancel_list */
	/* armed absolute on the wall clock: t.expires follows its changes (real_list) */
	bool on_real_list;
	u64 real_offs; /* the wall clock's offset t.expires was computed with */
	struct timerfd_ctx *real_next; /* real_list */
};

/*
 * timerfd_lock protects every timerfd's fields (ticks, expired, the setting), the list of
 * timerfds that a clock change cancels and the list of those whose expiry follows it. Taken with
 * interrupts off: the expiry runs in the tick. hrtimer_lock and the wait queue's lock nest inside
 * it.
 */
static spinlock_t timerfd_lock = SPINLOCK_INIT;
static struct timerfd_ctx *cancel_list;
static struct timerfd_ctx *real_list;

static const struct file_operations timerfd_fops;

struct kernel_itimerspec {
	struct timespec64 it_interval, it_value;
};

static bool isalarm(const struct timerfd_ctx *ctx)
{
	return ctx->clockid == CLOCK_REALTIME_ALARM || ctx->clockid == CLOCK_BOOTTIME_ALARM;
}

/* The timer expired (Linux's timerfd_tmrproc): one more tick, readers woken. */
static void timerfd_tmrproc(struct hrtimer *t)
{
	struct timerfd_ctx *ctx = (struct timerfd_ctx *)t; /* t is the first member */
	u64 f = spin_lock_irqsave(&timerfd_lock);

	ctx->expired = true;
	ctx->ticks++;
	spin_unlock_irqrestore(&timerfd_lock, f);
	wake_up(&ctx->wqh);
}

/* Was the clock set since this CANCEL_ON_SET timer was (Linux's timerfd_canceled)? Once. */
static bool timerfd_canceled(struct timerfd_ctx *ctx)
{
	if (!ctx->might_cancel || ctx->moffs != KTIME_MAX)
		return false;
	ctx->moffs = realtime_offset_ns();
	return true;
}

/*
 * Moves the monotonic expiry of a timer armed absolute on the wall clock by what the clock moved
 * since it was computed (Linux keeps such timers on the realtime base, which clock_was_set
 * re-programs): set ahead past its time, it fires at once (clock_was_set). Under timerfd_lock.
 */
static void timerfd_follow_clock(struct timerfd_ctx *ctx, u64 moffs)
{
	s64 moved = (s64)(moffs - ctx->real_offs);
	u64 expires = ctx->t.expires;

	ctx->real_offs = moffs;
	if (!ctx->armed || expires == KTIME_MAX || !moved)
		return;
	if (moved > 0)
		expires = (u64)moved > expires ? 0 : expires - (u64)moved;
	else
		expires = -(u64)moved > KTIME_MAX - expires ? KTIME_MAX : expires - (u64)moved;
	if (hrtimer_active(&ctx->t))
		hrtimer_start(&ctx->t, expires);
	else
		ctx->t.expires = expires; /* expired: a forward starts from here */
}

void timerfd_clock_was_set(void)
{
	u64 f = spin_lock_irqsave(&timerfd_lock), moffs = realtime_offset_ns();

	for (struct timerfd_ctx *ctx = real_list; ctx; ctx = ctx->real_next)
		timerfd_follow_clock(ctx, moffs);
	for (struct timerfd_ctx *ctx = cancel_list; ctx; ctx = ctx->cancel_next) {
		if (ctx->moffs != moffs) {
			ctx->moffs = KTIME_MAX;
			ctx->ticks++; /* readable: the read says ECANCELED */
			wake_up(&ctx->wqh);
		}
	}
	spin_unlock_irqrestore(&timerfd_lock, f);
}

/* Puts ctx on real_list (on, with the offset its expiry was computed with) or takes it off. */
static void timerfd_set_real(struct timerfd_ctx *ctx, bool on, u64 moffs)
{
	ctx->real_offs = moffs;
	if (on == ctx->on_real_list)
		return;
	ctx->on_real_list = on;
	if (on) {
		ctx->real_next = real_list;
		real_list = ctx;
		return;
	}
	for (struct timerfd_ctx **pp = &real_list; *pp; pp = &(*pp)->real_next)
		if (*pp == ctx) {
			*pp = ctx->real_next;
			break;
		}
}

/* Takes ctx off cancel_list. Under timerfd_lock. */
static void timerfd_remove_cancel(struct timerfd_ctx *ctx)
{
	if (!ctx->might_cancel)
		return;
	ctx->might_cancel = false;
	for (struct timerfd_ctx **pp = &cancel_list; *pp; pp = &(*pp)->cancel_next)
		if (*pp == ctx) {
			*pp = ctx->cancel_next;
			break;
		}
}

/* A REALTIME timer set absolute with CANCEL_ON_SET goes on cancel_list; others come off. */
static void timerfd_setup_cancel(struct timerfd_ctx *ctx, int flags)
{
	if ((ctx->clockid == CLOCK_REALTIME || ctx->clockid == CLOCK_REALTIME_ALARM) &&
	    (flags & TFD_TIMER_ABSTIME) && (flags & TFD_TIMER_CANCEL_ON_SET)) {
		if (!ctx->might_cancel) {
			ctx->might_cancel = true;
			ctx->cancel_next = cancel_list;
			cancel_list = ctx;
		}
	} else {
		timerfd_remove_cancel(ctx);
	}
}

/* Time left until the timer's expiry, 0 if past or disarmed (timerfd_get_remaining). */
static u64 timerfd_get_remaining(struct timerfd_ctx *ctx)
{
	u64 now = ktime_get_ns();

	return ctx->armed && ctx->t.expires > now ? ctx->t.expires - now : 0;
}

/* An expired interval timer forwarded past now and started again; the periods it moved. */
static u64 timerfd_forward_now(struct timerfd_ctx *ctx)
{
	u64 now = ktime_get_ns(), orun = 0;

	if (now >= ctx->t.expires) {
		orun = (now - ctx->t.expires) / ctx->tintv + 1;
		ctx->t.expires += orun * ctx->tintv;
	}
	hrtimer_start(&ctx->t, ctx->t.expires);
	return orun;
}

/* Programs the timer (Linux's timerfd_setup): 0, or -ECANCELED if the clock was set since. */
static int timerfd_setup(struct timerfd_ctx *ctx, int flags, const struct kernel_itimerspec *k)
{
	u64 texp = timespec_to_ktime(&k->it_value);

	ctx->expired = false;
	ctx->ticks = 0;
	ctx->tintv = timespec_to_ktime(&k->it_interval);
	ctx->armed = false;
	hrtimer_cancel(&ctx->t);
	ctx->t.expires = 0;
	timerfd_set_real(ctx, false, 0);
	if (texp) {
		if (!(flags & TFD_TIMER_ABSTIME)) {
			texp = ktime_add_safe(ktime_get_ns(), texp);
		} else if (ctx->clockid == CLOCK_MONOTONIC || ctx->clockid == CLOCK_BOOTTIME ||
			   ctx->clockid == CLOCK_BOOTTIME_ALARM) {
			texp = timens_ktime_to_host(ctx->clockid,
						    texp); /* the caller's namespace */
		} else if (ctx->clockid == CLOCK_REALTIME || ctx->clockid == CLOCK_REALTIME_ALARM) {
			u64 off = realtime_offset_ns();
			texp = texp == KTIME_MAX ? KTIME_MAX : texp > off ? texp - off : 0;
			timerfd_set_real(ctx, true, off);
		}
		ctx->armed = true;
		hrtimer_start(&ctx->t, texp);
		if (timerfd_canceled(ctx))
			return -ECANCELED;
	}
	ctx->settime_flags = flags & TFD_SETTIME_FLAGS;
	return 0;
}

static void timerfd_release(struct inode *inode, struct file *file)
{
	struct timerfd_ctx *ctx = file->private_data;
	u64 f = spin_lock_irqsave(&timerfd_lock);

	(void)inode;
	timerfd_remove_cancel(ctx);
	timerfd_set_real(ctx, false, 0);
	hrtimer_cancel(&ctx->t);
	spin_unlock_irqrestore(&timerfd_lock, f);
	kfree(ctx);
}

static __poll_t timerfd_poll(struct file *file, poll_table *wait)
{
	struct timerfd_ctx *ctx = file->private_data;

	poll_wait(file, &ctx->wqh, wait);
	return ctx->ticks ? POLLIN | POLLRDNORM : 0;
}

/*
 * read(2): at least 8 bytes (else EINVAL), waiting for an expiration unless O_NONBLOCK (EAGAIN);
 * the count since the last read, and an interval timer re-armed with the periods it missed
 * added. ECANCELED once after a wall-clock change for a CANCEL_ON_SET timer.
 */
static ssize_t timerfd_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct timerfd_ctx *ctx = file->private_data;
	ssize_t res;
	u64 ticks = 0;

	(void)ppos;
	if (iov_iter_count(to) < sizeof(ticks))
		return -EINVAL;
	if (file->f_flags & O_NONBLOCK)
		res = -EAGAIN;
	else
		res = wait_event_interruptible(ctx->wqh, ctx->ticks);
	u64 f = spin_lock_irqsave(&timerfd_lock);
	if (timerfd_canceled(ctx)) {
		ctx->ticks = 0;
		ctx->expired = false;
		res = -ECANCELED;
	}
	if (ctx->ticks) {
		ticks = ctx->ticks;
		if (ctx->expired && ctx->tintv)
			ticks += timerfd_forward_now(ctx) - 1;
		ctx->expired = false;
		ctx->ticks = 0;
	}
	spin_unlock_irqrestore(&timerfd_lock, f);
	if (ticks)
		res = copy_to_iter(&ticks, sizeof(ticks), to) < sizeof(ticks)
			      ? -EFAULT
			      : (ssize_t)sizeof(ticks);
	return res;
}

/* The setting as timerfd_gettime shows it: the time left and the interval. */
static void timerfd_fill(struct timerfd_ctx *ctx, struct kernel_itimerspec *t)
{
	u64 rem = timerfd_get_remaining(ctx);

	t->it_value = (struct timespec64){ (s64)(rem / NSEC_PER_SEC), (s64)(rem % NSEC_PER_SEC) };
	t->it_interval = (struct timespec64){ (s64)(ctx->tintv / NSEC_PER_SEC),
					      (s64)(ctx->tintv % NSEC_PER_SEC) };
}

/*
 * Re-arms an expired interval timer before its setting is read (do_timerfd_gettime). An expiry
 * due while another CPU held the kernel lock waits for the lock's next holder (kernel_lock_defer),
 * where Linux's runs from the interrupt: an interval timer whose expiry has passed but is still
 * queued is taken off the list and fired here, as Linux's would have been by now (else the time
 * left would read 0 until it runs). If the clock event already took it (hrtimer_cancel fails),
 * its expiry is about to run and count.
 */
static void timerfd_get(struct timerfd_ctx *ctx, struct kernel_itimerspec *t)
{
	if (ctx->armed && ctx->tintv && !ctx->expired && ctx->t.expires <= ktime_get_ns() &&
	    hrtimer_cancel(&ctx->t)) {
		ctx->expired = true;
		ctx->ticks++;
		wake_up(&ctx->wqh);
	}
	if (ctx->expired && ctx->tintv) {
		ctx->expired = false;
		ctx->ticks += timerfd_forward_now(ctx) - 1;
	}
	timerfd_fill(ctx, t);
}

/* /proc/PID/fdinfo/N's lines for a timerfd (Linux's timerfd_show). */
static void timerfd_show(struct seq_buf *m, struct file *file)
{
	struct timerfd_ctx *ctx = file->private_data;
	struct kernel_itimerspec t;
	u64 f = spin_lock_irqsave(&timerfd_lock);
	u64 ticks = ctx->ticks;

	timerfd_fill(ctx, &t);
	spin_unlock_irqrestore(&timerfd_lock, f);
	seq_printf(m,
		   "clockid: %d\nticks: %llu\nsettime flags: 0%o\nit_value: (%llu, %llu)\n"
		   "it_interval: (%llu, %llu)\n",
		   ctx->clockid, (unsigned long long)ticks, ctx->settime_flags,
		   (unsigned long long)t.it_value.tv_sec, (unsigned long long)t.it_value.tv_nsec,
		   (unsigned long long)t.it_interval.tv_sec,
		   (unsigned long long)t.it_interval.tv_nsec);
}

/* Linux's noop_llseek: the position stays (0). */
static s64 timerfd_llseek(struct file *file, s64 offset, int whence)
{
	(void)offset;
	(void)whence;
	return file->f_pos;
}

static const struct file_operations timerfd_fops = {
	.release = timerfd_release,
	.poll = timerfd_poll,
	.read = timerfd_read,
	.llseek = timerfd_llseek,
	.show_fdinfo = timerfd_show,
};

long sys_timerfd_create(int clockid, int flags)
{
	if ((flags & ~TFD_CREATE_FLAGS) ||
	    (clockid != CLOCK_MONOTONIC && clockid != CLOCK_REALTIME &&
	     clockid != CLOCK_REALTIME_ALARM && clockid != CLOCK_BOOTTIME &&
	     clockid != CLOCK_BOOTTIME_ALARM))
		return -EINVAL;
	if ((clockid == CLOCK_REALTIME_ALARM || clockid == CLOCK_BOOTTIME_ALARM) &&
	    !capable(CAP_WAKE_ALARM))
		return -EPERM;
	struct timerfd_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	init_waitqueue_head(&ctx->wqh);
	ctx->clockid = clockid;
	ctx->moffs = realtime_offset_ns();
	hrtimer_init(&ctx->t, timerfd_tmrproc);
	int fd = anon_inode_getfd("[timerfd]", &timerfd_fops, ctx,
				  O_RDWR | (u32)(flags & TFD_CREATE_FLAGS));
	if (fd < 0)
		kfree(ctx);
	return fd;
}

/* The timerfd behind ufd: EBADF if none, EINVAL if it is another kind of file. */
static long timerfd_fget(int ufd, struct file **fp)
{
	struct file *f = fget((unsigned int)ufd);

	if (!f)
		return -EBADF;
	if (f->f_op != &timerfd_fops) {
		fput(f);
		return -EINVAL;
	}
	*fp = f;
	return 0;
}

static bool timespec_valid(const struct timespec64 *ts)
{
	return ts->tv_sec >= 0 && (u64)ts->tv_nsec < NSEC_PER_SEC;
}

long sys_timerfd_settime(int ufd, int flags, const void *utmr, void *otmr)
{
	struct kernel_itimerspec new, old;
	struct file *file;
	long ret;

	if (copy_from_user(&new, utmr, sizeof(new)))
		return -EFAULT;
	if ((flags & ~TFD_SETTIME_FLAGS) || !timespec_valid(&new.it_value) ||
	    !timespec_valid(&new.it_interval))
		return -EINVAL;
	ret = timerfd_fget(ufd, &file);
	if (ret)
		return ret;
	struct timerfd_ctx *ctx = file->private_data;
	if (isalarm(ctx) && !capable(CAP_WAKE_ALARM)) {
		fput(file);
		return -EPERM;
	}
	u64 f = spin_lock_irqsave(&timerfd_lock);
	timerfd_setup_cancel(ctx, flags);
	bool queued = hrtimer_cancel(&ctx->t);
	u64 now = ktime_get_ns();
	/*
	 * An expired interval timer advanced, so the old value is its next expiry; one whose expiry
	 * passed while it waited for the kernel lock counts as expired, as in timerfd_get.
	 */
	if (ctx->tintv && (ctx->expired || (queued && ctx->t.expires <= now))) {
		if (now >= ctx->t.expires)
			ctx->t.expires += ((now - ctx->t.expires) / ctx->tintv + 1) * ctx->tintv;
	}
	timerfd_fill(ctx, &old);
	ret = timerfd_setup(ctx, flags, &new);
	spin_unlock_irqrestore(&timerfd_lock, f);
	fput(file);
	if (ret)
		return ret;
	if (otmr && copy_to_user(otmr, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_timerfd_gettime(int ufd, void *otmr)
{
	struct kernel_itimerspec t;
	struct file *file;
	long ret = timerfd_fget(ufd, &file);

	if (ret)
		return ret;
	u64 f = spin_lock_irqsave(&timerfd_lock);
	timerfd_get(file->private_data, &t);
	spin_unlock_irqrestore(&timerfd_lock, f);
	fput(file);
	return copy_to_user(otmr, &t, sizeof(t)) ? -EFAULT : 0;
}
