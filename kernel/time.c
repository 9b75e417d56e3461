// SPDX-License-Identifier: MIT
/* clock_gettime, gettimeofday, time, nanosleep, clock_nanosleep. */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/sys.h"
#include "arch/x86_64/time.h"
#include "mm/uaccess.h"

#define NSEC_PER_SEC 1000000000ULL
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1

struct timespec64 {
	s64 tv_sec;
	s64 tv_nsec;
};

/* The clock's current value in nanoseconds; false for an unknown clock. */
static bool clock_now(int clk, u64 *ns)
{
	u64 mono = ktime_get_ns();

	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = boot_wall_seconds() * NSEC_PER_SEC + mono;
		return true;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
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

long sys_clock_gettime(int clk, struct timespec64 *tp)
{
	u64 ns;

	if (!clock_now(clk, &ns))
		return -EINVAL;
	return put_timespec(ns, tp);
}

long sys_clock_getres(int clk, struct timespec64 *tp)
{
	u64 ns;

	if (!clock_now(clk, &ns))
		return -EINVAL;
	return tp ? put_timespec(1, tp) : 0;
}

long sys_gettimeofday(void *tv, void *tz)
{
	u64 ns;
	clock_now(CLOCK_REALTIME, &ns);
	s64 t[2] = { (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC / 1000) };

	if (tv && copy_to_user(tv, t, sizeof(t)))
		return -EFAULT;
	if (tz && clear_user(tz, 8))
		return -EFAULT;
	return 0;
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

/* Sleeps until the monotonic time reaches deadline; -EINTR if a signal comes first. */
static long sleep_until(u64 deadline)
{
	struct task_struct *t = current;

	while (ktime_get_ns() < deadline) {
		if (t->pending & ~t->blocked)
			return -EINTR;
		t->wake_at_ns = deadline;
		t->state = TASK_INTERRUPTIBLE;
		schedule();
	}
	t->wake_at_ns = 0;
	t->state = TASK_RUNNING;
	return 0;
}

/* Reads and checks a user timespec: 0 <= tv_nsec < 1e9 and tv_sec >= 0. */
static long get_timespec_ns(const struct timespec64 *u, u64 *ns)
{
	struct timespec64 ts;

	if (copy_from_user(&ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (u64)ts.tv_sec > ~0ULL / NSEC_PER_SEC
		      ? ~0ULL
		      : (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	return 0;
}

/* Sleeps for ns; on -EINTR writes the remaining time to rem (if given). */
static long do_nanosleep(u64 ns, struct timespec64 *rem)
{
	u64 start = ktime_get_ns();
	u64 deadline = ns > ~0ULL - start ? ~0ULL : start + ns;
	long r = sleep_until(deadline);

	if (r == -EINTR && rem) {
		u64 now = ktime_get_ns();
		if (put_timespec(deadline > now ? deadline - now : 0, rem))
			return -EFAULT;
	}
	return r;
}

long sys_nanosleep(const struct timespec64 *req, struct timespec64 *rem)
{
	u64 ns;
	long r = get_timespec_ns(req, &ns);

	return r ? r : do_nanosleep(ns, rem);
}

long sys_clock_nanosleep(int clk, int flags, const struct timespec64 *req, struct timespec64 *rem)
{
	u64 ns, now;

	if (!clock_now(clk, &now))
		return -EINVAL;
	if (clk == CLOCK_THREAD_CPUTIME_ID)
		return -EOPNOTSUPP; /* that clock has no sleep (Linux) */
	long r = get_timespec_ns(req, &ns);
	if (r)
		return r;
	if (flags & TIMER_ABSTIME)
		return sleep_until(ktime_get_ns() + (ns > now ? ns - now : 0));
	return do_nanosleep(ns, rem);
}

long sys_pause(void)
{
	while (!(current->pending & ~current->blocked)) {
		current->state = TASK_INTERRUPTIBLE;
		schedule();
	}
	return -EINTR;
}
