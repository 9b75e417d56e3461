// SPDX-License-Identifier: MIT
/* clock_gettime, gettimeofday, time, nanosleep, clock_nanosleep, restart_syscall. */
#include "kernel/cputime.h"
#include "kernel/cred.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "kernel/hrtimer.h"
#include "kernel/ktime.h"
#include "kernel/ntp.h"
#include "kernel/posix_timers.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/sys.h"
#include "kernel/time_namespace.h"
#include "arch/x86_64/time.h"
#include "mm/uaccess.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11 /* REALTIME plus the TAI offset (adjtimex ADJ_TAI, leap seconds) */
#define CLOCKFD 3 /* a negative id with these low bits names a dynamic clock by fd */
#define CLOCKFD_MASK 7
#define TIMER_ABSTIME 1
#define USEC_PER_SEC_T 1000000
/* The caller's process and thread CPU clocks as CPU clock ids (MAKE_*_CPUCLOCK(0, SCHED)). */
#define PROCESS_CLOCK (-6)
#define THREAD_CLOCK (-2)
#define LOW_RES_NSEC (NSEC_PER_SEC / HZ) /* the coarse clocks' resolution: a tick */

/*
 * What clock_settime, settimeofday, adjtimex's ADJ_SETOFFSET and leap seconds changed the wall
 * clock by (ns), CLOCK_TAI - CLOCK_REALTIME in seconds (Linux's tai_offset), and the time zone
 * settimeofday keeps for gettimeofday (Linux's sys_tz). Changed with interrupts off.
 */
static s64 realtime_adjust;
static s32 tai_offset;
static struct {
	int tz_minuteswest;
	int tz_dsttime;
} sys_tz;

/*
 * The sleepers of absolute clock_nanosleep on a wall clock (CLOCK_REALTIME, its alarm clock,
 * CLOCK_TAI): woken when the wall clock changes, to measure what is left again (Linux's
 * clock_was_set re-programming the realtime hrtimer bases).
 */
static struct wait_queue_head clock_set_wq = WAIT_QUEUE_HEAD_INIT;

void clock_was_set(void)
{
	posix_timers_clock_was_set();
	timerfd_clock_was_set();
	wake_up(&clock_set_wq);
	/*
	 * A timer the change made due fires now, before the caller returns to user space, as
	 * Linux's retrigger_next_event re-programs every CPU at once: not at a later clock event,
	 * after which a read of a cancelled timerfd would find a second expiry.
	 */
	u64 f = local_irq_save();
	timers_run(ktime_get_ns());
	local_irq_restore(f);
}

u64 realtime_offset_ns(void)
{
	return (u64)((s64)(boot_wall_seconds() * NSEC_PER_SEC) + realtime_adjust);
}

u64 ktime_get_real_ns(void)
{
	return realtime_offset_ns() + ktime_get_ns();
}

s32 timekeeping_tai_offset(void)
{
	return tai_offset;
}

void timekeeping_set_tai_offset(s32 tai)
{
	tai_offset = tai;
}

void timekeeping_leap(int leap)
{
	realtime_adjust += (s64)leap * (s64)NSEC_PER_SEC;
	tai_offset -= leap;
}

/* The clock's current value in nanoseconds; false for an unknown clock. */
static bool clock_now(int clk, u64 *ns)
{
	u64 mono = ktime_get_ns();

	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
		*ns = realtime_offset_ns() + mono;
		return true;
	case CLOCK_TAI:
		*ns = realtime_offset_ns() + mono + (u64)((s64)tai_offset * (s64)NSEC_PER_SEC);
		return true;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*ns = mono;
		return true;
	default:
		return false;
	}
}

static int put_timespec(u64 ns, struct timespec64 *u)
{
	struct timespec64 ts = { (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC) };

	return copy_to_user(u, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/*
 * The CPU clocks by id: the caller's process and thread clocks are CPU clock ids of pid 0;
 * other negative ids are CPU clocks by pid, or (low bits CLOCKFD) dynamic clocks, of which
 * Warden has none (EINVAL, as Linux for an fd that is no clock).
 */
static int cpu_clock_id(int clk)
{
	if (clk == CLOCK_PROCESS_CPUTIME_ID)
		return PROCESS_CLOCK;
	if (clk == CLOCK_THREAD_CPUTIME_ID)
		return THREAD_CLOCK;
	return clk;
}

long sys_clock_gettime(int clk, struct timespec64 *tp)
{
	u64 ns;
	int id = cpu_clock_id(clk);

	if (id < 0) {
		int err = (id & CLOCKFD_MASK) == CLOCKFD ? -EINVAL : posix_cpu_clock_get(id, &ns);
		if (err)
			return err;
	} else if (!clock_now(clk, &ns)) {
		return -EINVAL;
	} else {
		ns = timens_clock_to_ns(clk, ns); /* the caller's time namespace's offset */
	}
	return put_timespec(ns, tp);
}

/*
 * The resolutions of Linux 6.1 with high-resolution timers: 1 ns, a tick for the coarse clocks,
 * and for the CPU clocks a tick (PROF, VIRT) or 1 ns (SCHED).
 */
long sys_clock_getres(int clk, struct timespec64 *tp)
{
	u64 ns, res = 1;
	int id = cpu_clock_id(clk);

	if (id < 0) {
		int err =
			(id & CLOCKFD_MASK) == CLOCKFD ? -EINVAL : posix_cpu_clock_getres(id, &res);
		if (err)
			return err;
	} else if (!clock_now(clk, &ns)) {
		return -EINVAL;
	} else if (clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE) {
		res = LOW_RES_NSEC;
	}
	return tp ? put_timespec(res, tp) : 0;
}

long sys_gettimeofday(void *tv, void *tz)
{
	u64 ns;
	clock_now(CLOCK_REALTIME, &ns);
	s64 t[2] = { (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC / 1000) };

	if (tv && copy_to_user(tv, t, sizeof(t)))
		return -EFAULT;
	if (tz && copy_to_user(tz, &sys_tz, sizeof(sys_tz)))
		return -EFAULT;
	return 0;
}

#define CAP_SYS_TIME 25
#define TIME_UPTIME_SEC_MAX (30LL * 365 * 24 * 3600)
#define TIME_SETTOD_SEC_MAX ((s64)KTIME_SEC_MAX - TIME_UPTIME_SEC_MAX)

/* Linux's timespec64_valid_settod: a valid time that CLOCK_REALTIME can hold for 30 years. */
static bool timespec_valid_settod(const struct timespec64 *ts)
{
	return ts->tv_sec >= 0 && (u64)ts->tv_nsec < NSEC_PER_SEC &&
	       (u64)ts->tv_sec < (u64)TIME_SETTOD_SEC_MAX;
}

/*
 * Sets the wall clock to t ns (Linux's do_settimeofday64): EINVAL for a time before boot (the
 * monotonic clock's now). Either way the NTP state is cleared and CANCEL_ON_SET timerfds are told
 * the clock was set, as Linux's TK_CLEAR_NTP and clock_was_set run on its error path too.
 */
static long do_settimeofday64(u64 t)
{
	u64 mono = ktime_get_ns();
	long err = 0;

	if (t < mono)
		err = -EINVAL; /* the wall clock would be before boot */
	else
		realtime_adjust = (s64)(t - mono) - (s64)(boot_wall_seconds() * NSEC_PER_SEC);
	ntp_clear();
	clock_was_set();
	return err;
}

int timekeeping_inject_offset(s64 sec, s64 nsec)
{
	s64 real = (s64)ktime_get_real_ns(), delta, t;
	struct timespec64 ts;
	int err = -EINVAL;

	if (!__builtin_mul_overflow(sec, (s64)NSEC_PER_SEC, &delta) &&
	    !__builtin_add_overflow(delta, nsec, &delta) &&
	    !__builtin_add_overflow(real, delta, &t) && t >= 0) {
		ts = (struct timespec64){ t / (s64)NSEC_PER_SEC, t % (s64)NSEC_PER_SEC };
		if (timespec_valid_settod(&ts) && (u64)t >= ktime_get_ns()) {
			realtime_adjust += delta;
			err = 0;
		}
	}
	ntp_clear();
	clock_was_set();
	return err;
}

/*
 * Sets the wall clock and the time zone (Linux's do_sys_settimeofday64): EINVAL for a time it
 * cannot hold, EPERM without CAP_SYS_TIME, EINVAL for a zone beyond +-15 hours or a time before
 * boot (the monotonic clock's now). Only CLOCK_REALTIME (and TAI, gettimeofday, time) moves;
 * sleeps, POSIX timers and timerfds armed absolute on the wall clocks follow it (clock_was_set),
 * relative ones keep their monotonic expiry, and CANCEL_ON_SET timerfds are cancelled.
 */
static long do_sys_settimeofday64(const struct timespec64 *tv, const void *tz)
{
	struct {
		int tz_minuteswest;
		int tz_dsttime;
	} new_tz;

	if (tv && !timespec_valid_settod(tv))
		return -EINVAL;
	if (!capable(CAP_SYS_TIME))
		return -EPERM;
	if (tz) {
		memcpy(&new_tz, tz, sizeof(new_tz));
		if (new_tz.tz_minuteswest > 15 * 60 || new_tz.tz_minuteswest < -15 * 60)
			return -EINVAL;
		sys_tz.tz_minuteswest = new_tz.tz_minuteswest;
		sys_tz.tz_dsttime = new_tz.tz_dsttime;
	}
	if (!tv)
		return 0;
	return do_settimeofday64(timespec_to_ktime(tv));
}

long sys_settimeofday(const void *utv, const void *utz)
{
	struct timespec64 ts;
	s64 tv[2];
	int tz[2];

	if (utv) {
		if (copy_from_user(tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv[1] > (s64)USEC_PER_SEC_T || tv[1] < 0)
			return -EINVAL;
		ts.tv_sec = tv[0];
		ts.tv_nsec = tv[1] * (s64)NSEC_PER_USEC;
	}
	if (utz && copy_from_user(tz, utz, sizeof(tz)))
		return -EFAULT;
	return do_sys_settimeofday64(utv ? &ts : NULL, utz ? tz : NULL);
}

/*
 * clock_settime(2): CLOCK_REALTIME is set (settimeofday's rules); a CPU clock by pid is never
 * set (EINVAL for no such task, else EPERM); the other clocks have no clock_set: EINVAL before
 * the time is read.
 */
long sys_clock_settime(int clk, const struct timespec64 *tp)
{
	struct timespec64 ts;
	bool cpu = clk < 0 && (clk & CLOCKFD_MASK) != CLOCKFD;

	if (clk != CLOCK_REALTIME && !cpu && !(clk < 0))
		return -EINVAL;
	if (copy_from_user(&ts, tp, sizeof(ts)))
		return -EFAULT;
	if (clk < 0 && !cpu)
		return -EINVAL; /* a dynamic clock: Warden has none */
	if (cpu) {
		u64 ns;
		return posix_cpu_clock_getres(clk, &ns) ? -EINVAL : -EPERM;
	}
	return do_sys_settimeofday64(&ts, NULL);
}

long sys_time(s64 *tloc)
{
	u64 ns;
	clock_now(CLOCK_REALTIME, &ns);
	s64 t = (s64)(ns / NSEC_PER_SEC);

	if (tloc && copy_to_user(tloc, &t, sizeof(t)))
		return -EFAULT;
	return t;
}

/*
 * Sleeps until the monotonic time reaches deadline (KTIME_MAX: never). 0 when it did, 1 when an
 * unblocked signal is pending first (the caller decides between EINTR and a restart).
 */
static int sleep_until(u64 deadline)
{
	struct task_struct *t = current;
	int r = 0;

	while (ktime_get_ns() < deadline) {
		if (task_sigpending(t)) {
			r = 1;
			break;
		}
		t->wake_at_ns = deadline;
		t->state = TASK_INTERRUPTIBLE;
		schedule();
	}
	t->wake_at_ns = 0;
	t->state = TASK_RUNNING;
	return r;
}

/* Reads a user timespec: -EFAULT, or -EINVAL unless tv_sec >= 0 and 0 <= tv_nsec < 1e9. */
static long get_timespec(const struct timespec64 *u, struct timespec64 *ts)
{
	if (copy_from_user(ts, u, sizeof(*ts)))
		return -EFAULT;
	if (ts->tv_sec < 0 || (u64)ts->tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	return 0;
}

/* restart_syscall after a sleep was interrupted by a signal with no handler: nothing to redo. */
static long do_no_restart_syscall(struct restart_block *rb)
{
	(void)rb;
	return -EINTR;
}

static long nanosleep_restart(struct restart_block *rb);

/*
 * A relative sleep until the monotonic deadline (hrtimer_nanosleep). When a signal comes
 * first the time left goes to rmtp (if given; -EFAULT if it cannot be written) and the sleep
 * asks for a restart through the restart block: EINTR if a handler runs, else the same
 * deadline again (after a stop and SIGCONT), so the sleep ends when it would have ended.
 */
static long nanosleep_until(u64 deadline, struct timespec64 *rmtp)
{
	struct restart_block *rb = &current->restart_block;

	if (!sleep_until(deadline))
		return 0;
	if (rmtp) {
		u64 now = ktime_get_ns();
		if (deadline <= now)
			return 0;
		if (put_timespec(deadline - now, rmtp))
			return -EFAULT;
	}
	rb->fn = nanosleep_restart;
	rb->nanosleep.expires = deadline;
	rb->nanosleep.rmtp = rmtp;
	return -ERESTART_RESTARTBLOCK;
}

/* restart_syscall of an interrupted relative sleep: the same deadline, the same rmtp. */
static long nanosleep_restart(struct restart_block *rb)
{
	return nanosleep_until(rb->nanosleep.expires, rb->nanosleep.rmtp);
}

/*
 * As Linux: the block's function, which stays set (a second call resumes the same sleep: past
 * its deadline, 0) until rt_sigreturn or the next sleep resets it; none (NULL: a new task, or
 * after rt_sigreturn) is do_no_restart_syscall. The block only ever holds kernel functions and
 * a user pointer that is checked when written (user/restartsys).
 */
long sys_restart_syscall(void)
{
	struct restart_block *rb = &current->restart_block;

	return rb->fn ? rb->fn(rb) : do_no_restart_syscall(rb);
}

long sys_nanosleep(const struct timespec64 *req, struct timespec64 *rem)
{
	struct timespec64 ts;
	long r = get_timespec(req, &ts);

	if (r)
		return r;
	current->restart_block.fn = do_no_restart_syscall;
	return nanosleep_until(ktime_add_safe(ktime_get_ns(), timespec_to_ktime(&ts)), rem);
}

/* Does clk sleep? 0, -EINVAL (no such clock) or -EOPNOTSUPP (a clock without nsleep), as 6.1. */
static long nsleep_clock_check(int clk)
{
	if (clk < 0) /* CPU clocks by pid; dynamic (fd) clocks have no nsleep */
		return (clk & CLOCKFD_MASK) == CLOCKFD ? -EOPNOTSUPP : 0;
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_BOOTTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
	case CLOCK_TAI:
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/*
 * An absolute time on clk as a monotonic deadline: the wall clocks (REALTIME, TAI and its alarm
 * clock) are the monotonic clock plus the boot time; a time before boot is already past, and
 * KTIME_MAX stays "never".
 */
static u64 abs_to_monotonic(int clk, u64 t)
{
	u64 offset = 0;

	if (clk == CLOCK_REALTIME || clk == CLOCK_REALTIME_ALARM)
		offset = realtime_offset_ns();
	if (clk == CLOCK_TAI)
		offset = realtime_offset_ns() + (u64)((s64)tai_offset * (s64)NSEC_PER_SEC);
	if (t == KTIME_MAX)
		return KTIME_MAX;
	return t > offset ? t - offset : 0;
}

/*
 * Sleeps until the wall clock clk reads t (ns): the deadline on the monotonic clock is measured
 * again whenever the wall clock is set or leaps (clock_was_set), so setting the clock past t
 * ends the sleep and setting it back lengthens it, as Linux's absolute timers on the realtime
 * base. 0, or 1 when an unblocked signal comes first (sleep_until's contract).
 */
static int sleep_until_wall(int clk, u64 t)
{
	struct task_struct *tsk = current;
	struct wait_queue_entry e;
	int r = 0;

	for (;;) {
		prepare_to_wait(&clock_set_wq, &e);
		u64 deadline = abs_to_monotonic(clk, t);
		if (ktime_get_ns() >= deadline)
			break;
		if (task_sigpending(tsk)) {
			r = 1;
			break;
		}
		tsk->wake_at_ns = deadline == KTIME_MAX ? 0 : deadline;
		schedule();
	}
	tsk->wake_at_ns = 0;
	finish_wait(&clock_set_wq, &e);
	return r;
}

long sys_clock_nanosleep(int clk, int flags, const struct timespec64 *req, struct timespec64 *rem)
{
	struct timespec64 ts;
	long r = nsleep_clock_check(clk);

	if (r)
		return r;
	r = get_timespec(req, &ts);
	if (r)
		return r;
	/*
	 * Warden keeps no CPU time: the process CPU clock sleeps on the monotonic clock, and the
	 * clocks of other processes or threads, by pid, are refused (Linux: EINVAL for the
	 * calling thread's own and for a pid that does not exist).
	 */
	if (clk < 0)
		return -EINVAL;
	if ((clk == CLOCK_REALTIME_ALARM || clk == CLOCK_BOOTTIME_ALARM) &&
	    (flags & ~TIMER_ABSTIME))
		return -EINVAL;
	current->restart_block.fn = do_no_restart_syscall;
	u64 t = timespec_to_ktime(&ts);
	if (!(flags & TIMER_ABSTIME))
		return nanosleep_until(ktime_add_safe(ktime_get_ns(), t), rem);
	/*
	 * Absolute: no rmtp; after a stop the same call is simply made again (ERESTARTNOHAND).
	 * A monotonic or boot time is counted in the caller's time namespace.
	 */
	if (clk == CLOCK_MONOTONIC || clk == CLOCK_BOOTTIME || clk == CLOCK_BOOTTIME_ALARM)
		return sleep_until(timens_ktime_to_host(clk, t)) ? -ERESTARTNOHAND : 0;
	return sleep_until_wall(clk, t) ? -ERESTARTNOHAND : 0;
}

long sys_pause(void)
{
	while (!task_sigpending(current)) {
		current->state = TASK_INTERRUPTIBLE;
		schedule();
	}
	return -EINTR;
}
