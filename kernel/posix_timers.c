// SPDX-License-Identifier: MIT
/*
 * POSIX timers: the system calls (Linux 6.1's checks in its order), expiry into a queued
 * SI_TIMER signal, re-arming when the signal is taken, and the CPU-clock timers checked from the
 * tick. What the model keeps of Linux's (posix-timers.c, posix-cpu-timers.c):
 *  - ids count up per process from 0 and are never reused before wrapping; a timer_create that
 *    fails after the id was taken (a bad sigevent, an unwritable id, no such CPU clock) uses it
 *    up all the same;
 *  - each timer holds one preallocated signal instance, charged to RLIMIT_SIGPENDING from
 *    timer_create (EAGAIN past it) to timer_delete;
 *  - an interval timer whose signal is queued is not running: it_requeue_pending is odd until
 *    the signal is taken, when the timer is forwarded past now and the periods it missed become
 *    si_overrun (and timer_getoverrun's value, clamped at DELAYTIMER_MAX, INT_MAX);
 *  - a signal that is ignored does not stop an interval timer (at least a jiffy per period, as
 *    Linux's high-resolution posix_timer_fn).
 */
#include "kernel/posix_timers.h"
#include "kernel/posix_timers_internal.h"
#include "kernel/cputime.h"
#include "kernel/errno.h"
#include "kernel/hrtimer.h"
#include "kernel/ktime.h"
#include "kernel/sched.h"
#include "kernel/signal_internal.h"
#include "kernel/spinlock.h"
#include "kernel/sys.h"
#include "kernel/time_namespace.h"
#include "arch/x86_64/time.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

spinlock_t posix_timers_lock = SPINLOCK_INIT;
struct k_itimer *cpu_timers;
static struct k_itimer *real_timers; /* every BASE_REAL timer, through real_next */

struct user_sigevent {
	u64 sigev_value;
	int sigev_signo;
	int sigev_notify;
	int sigev_tid; /* the union's first int: _tid */
	int pad[11];
};

/* The base of clock's timers, or -EINVAL / -EOPNOTSUPP (Linux's clockid_to_kclock). */
static int clock_timer_base(int clock)
{
	if (clock < 0)
		return (clock & CLOCKFD_MASK) == CLOCKFD ? -EOPNOTSUPP : BASE_CPU;
	switch (clock) {
	case 0: /* REALTIME */
	case 8: /* REALTIME_ALARM */
	case 11: /* TAI */
		return BASE_REAL;
	case 1: /* MONOTONIC */
	case 7: /* BOOTTIME */
	case 9: /* BOOTTIME_ALARM */
		return BASE_MONO;
	case 2: /* PROCESS_CPUTIME_ID */
	case 3: /* THREAD_CPUTIME_ID */
		return BASE_CPU;
	case 4: /* MONOTONIC_RAW */
	case 5: /* REALTIME_COARSE */
	case 6: /* MONOTONIC_COARSE */
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/* The process's timer with this id, or NULL (Linux's lock_timer). Under posix_timers_lock. */
static struct k_itimer *find_timer(struct signal_struct *sig, int id)
{
	if (id < 0)
		return NULL;
	for (struct k_itimer *t = sig->itimers.posix_timers; t; t = t->next)
		if (t->it_id == id)
			return t;
	return NULL;
}

/* The monotonic time, in the base of a wall-clock timer. */
static u64 base_now(void)
{
	return ktime_get_ns();
}

u64 timer_forward(u64 *expires, u64 now, u64 interval)
{
	if ((s64)(now - *expires) < 0 || !interval)
		return 0;
	u64 orun = (now - *expires) / interval + 1;
	*expires += orun * interval;
	return orun;
}

int posix_timer_event(struct k_itimer *tm, int si_private)
{
	bool group = tm->it_sigev_notify != (SIGEV_SIGNAL | SIGEV_THREAD_ID);
	struct task_struct *t = find_task_by_pid(tm->it_pid);
	struct kernel_siginfo info = { .si_signo = tm->it_signo, .si_code = SI_TIMER };
	int sig = tm->it_signo, ret = 1;

	info.fields[0] = (u32)tm->it_id;
	info.fields[1] = tm->it_sigval;
	info.fields[2] = (u32)si_private;
	if (group && t && (!task_alive(t) || !t->sighand))
		t = group_live_thread(t);
	if (!t || !task_alive(t) || !t->sighand || t->signal != tm->sig)
		return -1;
	u64 flags = siglock_irqsave();
	if (!prepare_signal(t, sig) || sig_ignored(t, sig, false))
		goto out;
	ret = 0;
	struct sigpending_set set = group ? shared_pending_set(t->signal) : task_pending_set(t);
	struct kernel_siginfo *queued = sigqueue_find_timer(set, sig, tm->it_id);
	if (queued) {
		u32 orun = (u32)(queued->fields[0] >> 32) + 1;
		queued->fields[0] = (u32)queued->fields[0] | ((u64)orun << 32);
		goto out;
	}
	if (!sigqueue_add(set, t, sig, &info))
		complete_signal(sig, t, group);
out:
	siglock_irqrestore(flags);
	return ret;
}

/* A wall-clock timer expired (Linux's posix_timer_fn). */
static void posix_timer_fn(struct hrtimer *timer)
{
	struct k_itimer *tm =
		(struct k_itimer *)((char *)timer - __builtin_offsetof(struct k_itimer, timer));
	u64 f = spin_lock_irqsave(&posix_timers_lock);
	int si_private = 0;

	tm->it_active = false;
	if (tm->it_interval)
		si_private = ++tm->it_requeue_pending;
	if (posix_timer_event(tm, si_private) > 0 && tm->it_interval) {
		/* ignored: keeps running, at most one expiry a jiffy (Linux's guard) */
		u64 now = base_now();
		if (tm->it_interval < NSEC_PER_SEC / HZ)
			now += NSEC_PER_SEC / HZ;
		tm->it_overrun += (s64)timer_forward(&tm->expires, now, tm->it_interval);
		hrtimer_start(&tm->timer, tm->expires);
		++tm->it_requeue_pending;
		tm->it_active = true;
	}
	spin_unlock_irqrestore(&posix_timers_lock, f);
}

void posixtimer_rearm(struct kernel_siginfo *info)
{
	int id = (int)(u32)info->fields[0], si_private = (int)(u32)info->fields[2];
	u64 f = spin_lock_irqsave(&posix_timers_lock);
	struct k_itimer *tm = find_timer(current->signal, id);

	info->fields[2] = 0; /* si_sys_private is not for user space */
	if (tm && tm->it_interval && tm->it_requeue_pending == si_private) {
		if (tm->base == BASE_CPU) {
			cpu_timer_rearm(tm);
		} else {
			tm->it_overrun +=
				(s64)timer_forward(&tm->expires, base_now(), tm->it_interval);
			hrtimer_start(&tm->timer, tm->expires);
		}
		tm->it_active = true;
		tm->it_overrun_last = tm->it_overrun;
		tm->it_overrun = -1;
		++tm->it_requeue_pending;
		s64 sum = tm->it_overrun_last + (s64)(u32)(info->fields[0] >> 32);
		u32 orun = sum > INT_MAX ? INT_MAX : (u32)sum;
		info->fields[0] = (u32)info->fields[0] | ((u64)orun << 32);
	}
	spin_unlock_irqrestore(&posix_timers_lock, f);
}

/* Takes a timer off its lists and disarms it. Under posix_timers_lock. */
static void timer_unlink(struct k_itimer *tm)
{
	struct k_itimer **pp;

	for (pp = &tm->sig->itimers.posix_timers; *pp; pp = &(*pp)->next)
		if (*pp == tm) {
			*pp = tm->next;
			break;
		}
	if (tm->base == BASE_CPU)
		for (pp = &cpu_timers; *pp; pp = &(*pp)->cpu_next)
			if (*pp == tm) {
				*pp = tm->cpu_next;
				break;
			}
	if (tm->base == BASE_REAL)
		for (pp = &real_timers; *pp; pp = &(*pp)->real_next)
			if (*pp == tm) {
				*pp = tm->real_next;
				break;
			}
	hrtimer_cancel(&tm->timer);
}

/*
 * The checks of Linux's good_sigevent: SIGEV_THREAD_ID must name a thread of this process; a
 * signal must be 1..SIGRTMAX; SIGEV_NONE needs no signal. The target pid, or 0: EINVAL.
 */
static int good_sigevent(const struct user_sigevent *ev)
{
	int pid = current->tgid;

	switch (ev->sigev_notify) {
	case SIGEV_SIGNAL | SIGEV_THREAD_ID: {
		struct task_struct *t = find_task_by_pid(ev->sigev_tid);
		if (!t || !same_thread_group(t, current))
			return 0;
		pid = t->pid;
	}
		/* fallthrough */
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:
		if (ev->sigev_signo <= 0 || ev->sigev_signo > SIGRTMAX)
			return 0;
		/* fallthrough */
	case SIGEV_NONE:
		return pid;
	default:
		return 0;
	}
}

/* The next free id of the process (Linux's posix_timer_add): -EAGAIN when all are taken. */
static int posix_timer_add(struct signal_struct *sig)
{
	int first = sig->itimers.posix_timer_id;

	for (;;) {
		int id = sig->itimers.posix_timer_id;
		bool used = find_timer(sig, id) != NULL;

		if (++sig->itimers.posix_timer_id < 0)
			sig->itimers.posix_timer_id = 0;
		if (!used)
			return id;
		if (sig->itimers.posix_timer_id == first)
			return -EAGAIN;
	}
}

long sys_timer_create(int clock, const void *sevp, int *timerid)
{
	struct user_sigevent ev;
	struct signal_struct *sig = current->signal;
	int base, id, err;

	if (sevp && copy_from_user(&ev, sevp, sizeof(ev)))
		return -EFAULT;
	base = clock_timer_base(clock);
	if (base < 0)
		return base;
	if (!sigpending_charge_timer(current))
		return -EAGAIN;
	struct k_itimer *tm = kzalloc(sizeof(*tm), GFP_KERNEL);
	if (!tm) {
		sigpending_uncharge_timer();
		return -EAGAIN;
	}
	hrtimer_init(&tm->timer, posix_timer_fn);
	u64 f = spin_lock_irqsave(&posix_timers_lock);
	id = posix_timer_add(sig);
	spin_unlock_irqrestore(&posix_timers_lock, f);
	err = id;
	if (id < 0)
		goto out;
	tm->it_id = id;
	tm->it_clock = clock;
	tm->base = (enum timer_base)base;
	tm->it_overrun = -1;
	tm->sig = sig;
	if (sevp) {
		tm->it_pid = good_sigevent(&ev);
		err = -EINVAL;
		if (!tm->it_pid)
			goto out;
		tm->it_sigev_notify = ev.sigev_notify;
		tm->it_signo = ev.sigev_signo;
		tm->it_sigval = ev.sigev_value;
	} else {
		tm->it_sigev_notify = SIGEV_SIGNAL;
		tm->it_signo = SIGALRM;
		tm->it_sigval = (u32)id; /* sival_int: the id, the rest of the union zero */
		tm->it_pid = current->tgid;
	}
	err = -EFAULT;
	if (put_user_u32((u32)id, (u32 *)timerid))
		goto out;
	if (base == BASE_CPU) {
		err = cpu_timer_create(tm);
		if (err)
			goto out;
	}
	f = spin_lock_irqsave(&posix_timers_lock);
	tm->next = sig->itimers.posix_timers;
	sig->itimers.posix_timers = tm;
	if (base == BASE_CPU) {
		tm->cpu_next = cpu_timers;
		cpu_timers = tm;
	}
	if (base == BASE_REAL) {
		tm->real_next = real_timers;
		real_timers = tm;
	}
	spin_unlock_irqrestore(&posix_timers_lock, f);
	return 0;
out:
	kfree(tm);
	sigpending_uncharge_timer();
	return err;
}

/* timespec64_valid: tv_sec >= 0 and 0 <= tv_nsec < 10^9. */
static bool timespec_valid(const struct timespec64 *ts)
{
	return ts->tv_sec >= 0 && (u64)ts->tv_nsec < NSEC_PER_SEC;
}

/* A wall-clock timer's current setting (Linux's common_timer_get). Under posix_timers_lock. */
static void common_timer_get(struct k_itimer *tm, struct kernel_itimerspec *cur)
{
	bool sig_none = tm->it_sigev_notify == SIGEV_NONE;
	u64 iv = tm->it_interval;

	if (iv)
		cur->it_interval = ns_to_ts(iv);
	else if (!tm->it_active && !sig_none)
		return;
	u64 now = base_now();
	if (iv && ((tm->it_requeue_pending & REQUEUE_PENDING) || sig_none))
		tm->it_overrun += (s64)timer_forward(&tm->expires, now, iv);
	s64 remaining = (s64)(tm->expires - now);
	if (remaining <= 0) {
		if (!sig_none)
			cur->it_value.tv_nsec = 1;
	} else {
		cur->it_value = ns_to_ts((u64)remaining);
	}
}

static void timer_get(struct k_itimer *tm, struct kernel_itimerspec *cur)
{
	*cur = (struct kernel_itimerspec){ { 0, 0 }, { 0, 0 } };
	if (tm->base == BASE_CPU)
		cpu_timer_get(tm, cur);
	else
		common_timer_get(tm, cur);
}

/*
 * The wall clock moved: every timer armed absolute on it moves its monotonic expiry by as much
 * (Linux keeps them on the realtime base, which clock_was_set re-programs), so one set ahead
 * past its time fires at once (clock_was_set runs it) and one set back fires later. An expired
 * interval timer waiting for its signal to be taken is forwarded from there when re-armed.
 */
void posix_timers_clock_was_set(void)
{
	u64 f = spin_lock_irqsave(&posix_timers_lock), moffs = realtime_offset_ns();

	for (struct k_itimer *tm = real_timers; tm; tm = tm->real_next) {
		s64 moved = (s64)(moffs - tm->it_real_offs);
		if (!tm->it_real_abs || !moved)
			continue;
		tm->it_real_offs = moffs;
		tm->expires = (u64)((s64)tm->expires - moved);
		if (tm->it_active && hrtimer_active(&tm->timer))
			hrtimer_start(&tm->timer, (s64)tm->expires < 0 ? 0 : tm->expires);
	}
	spin_unlock_irqrestore(&posix_timers_lock, f);
}

/* Arms a wall-clock timer (Linux's common_timer_set). Under posix_timers_lock. */
static void common_timer_set(struct k_itimer *tm, int flags, const struct kernel_itimerspec *new,
			     struct kernel_itimerspec *old)
{
	if (old)
		timer_get(tm, old);
	tm->it_interval = 0;
	hrtimer_cancel(&tm->timer);
	tm->it_active = false;
	tm->it_real_abs = false;
	tm->it_requeue_pending = (tm->it_requeue_pending + 2) & ~REQUEUE_PENDING;
	tm->it_overrun_last = 0;
	if (!new->it_value.tv_sec && !new->it_value.tv_nsec)
		return;
	tm->it_interval = timespec_to_ktime(&new->it_interval);
	u64 expires = timespec_to_ktime(&new->it_value), now = base_now();
	if (!(flags & TIMER_ABSTIME)) {
		expires = ktime_add_safe(now, expires);
	} else if (tm->base != BASE_REAL) {
		/* a monotonic or boot time counted in the caller's time namespace */
		expires = timens_ktime_to_host(tm->it_clock, expires);
	} else {
		/* a wall-clock time before boot stays where it is: negative, as an s64 */
		if (expires != KTIME_MAX) {
			tm->it_real_offs = realtime_offset_ns();
			tm->it_real_abs = true;
			expires -= tm->it_real_offs;
		}
	}
	tm->expires = expires;
	if (tm->it_sigev_notify != SIGEV_NONE) {
		hrtimer_start(&tm->timer, (s64)expires < 0 ? 0 : expires);
		tm->it_active = true;
	}
}

long sys_timer_settime(int id, int flags, const void *new_setting, void *old_setting)
{
	struct kernel_itimerspec new, old;
	int err;

	if (!new_setting)
		return -EINVAL;
	if (copy_from_user(&new, new_setting, sizeof(new)))
		return -EFAULT;
	if (!timespec_valid(&new.it_interval) || !timespec_valid(&new.it_value))
		return -EINVAL;
	old = (struct kernel_itimerspec){ { 0, 0 }, { 0, 0 } };
	u64 f = spin_lock_irqsave(&posix_timers_lock);
	struct k_itimer *tm = find_timer(current->signal, id);
	if (!tm) {
		err = -EINVAL;
	} else if (tm->base == BASE_CPU) {
		err = cpu_timer_set(tm, flags, &new, old_setting ? &old : NULL);
	} else {
		common_timer_set(tm, flags, &new, old_setting ? &old : NULL);
		err = 0;
	}
	spin_unlock_irqrestore(&posix_timers_lock, f);
	if (!err && old_setting && copy_to_user(old_setting, &old, sizeof(old)))
		err = -EFAULT;
	return err;
}

long sys_timer_gettime(int id, void *setting)
{
	struct kernel_itimerspec cur;
	u64 f = spin_lock_irqsave(&posix_timers_lock);
	struct k_itimer *tm = find_timer(current->signal, id);

	if (tm)
		timer_get(tm, &cur);
	spin_unlock_irqrestore(&posix_timers_lock, f);
	if (!tm)
		return -EINVAL;
	return copy_to_user(setting, &cur, sizeof(cur)) ? -EFAULT : 0;
}

long sys_timer_getoverrun(int id)
{
	u64 f = spin_lock_irqsave(&posix_timers_lock);
	struct k_itimer *tm = find_timer(current->signal, id);
	s64 orun = tm ? tm->it_overrun_last : 0;

	spin_unlock_irqrestore(&posix_timers_lock, f);
	if (!tm)
		return -EINVAL;
	return orun > INT_MAX ? INT_MAX : (long)orun;
}

long sys_timer_delete(int id)
{
	u64 f = spin_lock_irqsave(&posix_timers_lock);
	struct k_itimer *tm = find_timer(current->signal, id);

	if (tm)
		timer_unlink(tm);
	spin_unlock_irqrestore(&posix_timers_lock, f);
	if (!tm)
		return -EINVAL;
	kfree(tm);
	sigpending_uncharge_timer();
	return 0;
}

void exit_itimers(struct signal_struct *sig)
{
	for (;;) {
		u64 f = spin_lock_irqsave(&posix_timers_lock);
		struct k_itimer *tm = sig->itimers.posix_timers;

		if (tm)
			timer_unlink(tm);
		spin_unlock_irqrestore(&posix_timers_lock, f);
		if (!tm)
			return;
		kfree(tm);
		sigpending_uncharge_timer();
	}
}
