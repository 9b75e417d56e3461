// SPDX-License-Identifier: MIT
/*
 * getitimer, setitimer and alarm (Linux's kernel/time/itimer.c) and the tick's check of the CPU
 * itimers (check_cpu_itimer of posix-cpu-timers.c), with Linux 6.1's values: a timeval's
 * microseconds become nanoseconds; a CPU itimer is set one tick further than asked (the tick in
 * progress may be charged already) and reads back one tick when it is about to fire; ITIMER_REAL
 * reads back 1 µs while due but not yet fired; alarm rounds the seconds left to the nearest.
 */
#include "kernel/itimer.h"
#include "kernel/cputime.h"
#include "kernel/errno.h"
#include "kernel/ktime.h"
#include "kernel/posix_timers.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/signal_internal.h"
#include "kernel/string.h"
#include "kernel/sys.h"
#include "arch/x86_64/time.h"
#include "mm/uaccess.h"

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2
#define CPUCLOCK_PROF 0
#define CPUCLOCK_VIRT 1
#define TICK_NSEC ((NSEC_PER_SEC + HZ / 2) / HZ)
#define USEC_PER_SEC 1000000

struct kernel_old_timeval {
	s64 tv_sec;
	s64 tv_usec;
};

struct kernel_old_itimerval {
	struct kernel_old_timeval it_interval, it_value;
};

/* An itimer's value in nanoseconds (Linux's itimerspec64). */
struct itimer_ns {
	u64 value, interval;
};

/*
 * ITIMER_REAL expired: SIGALRM to the process (Linux's it_real_fn, SEND_SIG_PRIV). An interval
 * timer is not re-armed here but when the signal is dequeued (itimer_real_rearm): with
 * high-resolution timers a short interval whose signal is blocked or ignored would otherwise
 * interrupt the CPU without end (Linux's reason too).
 */
static void it_real_fn(struct hrtimer *timer)
{
	struct signal_struct *sig = container_of(timer, struct signal_struct, itimers.real_timer);

	if (sig->thread_head)
		send_group_signal(sig->thread_head, SIGALRM);
}

void itimer_real_rearm(struct signal_struct *sig)
{
	struct hrtimer *timer = &sig->itimers.real_timer;
	u64 incr = sig->itimers.it_real_incr, now = ktime_get_ns(), next = timer->expires;

	if (hrtimer_active(timer) || !incr)
		return;
	/* hrtimer_forward: the first period boundary after now */
	if (next <= now)
		next += ((now - next) / incr + 1) * incr;
	hrtimer_start(timer, next);
}

void itimers_init(struct signal_struct *sig)
{
	hrtimer_init(&sig->itimers.real_timer, it_real_fn);
}

void itimers_exit(struct signal_struct *sig)
{
	hrtimer_cancel(&sig->itimers.real_timer);
	sig->itimers.it_real_incr = 0;
}

/* The time left on ITIMER_REAL (Linux's itimer_get_remtime): 1 µs if due, 0 if disarmed. */
static u64 itimer_get_remtime(struct signal_struct *sig)
{
	s64 rem;

	if (!hrtimer_active(&sig->itimers.real_timer))
		return 0;
	rem = hrtimer_get_remaining(&sig->itimers.real_timer);
	return rem <= 0 ? NSEC_PER_USEC : (u64)rem;
}

/* The process's CPU time on clock_id: user (VIRT) or user plus system (PROF). */
static u64 cpu_itimer_sample(struct task_struct *t, int clock_id)
{
	struct task_cputime tg;

	thread_group_cputime(t, &tg);
	return clock_id == CPUCLOCK_VIRT ? tg.utime : tg.utime + tg.stime;
}

/* A CPU itimer's value: the CPU time left (one tick if already due) and its interval. */
static void get_cpu_itimer(struct task_struct *t, int clock_id, struct itimer_ns *v)
{
	u64 now = cpu_itimer_sample(t, clock_id); /* before the signal lock: tasklist_lock */
	u64 f = siglock_irqsave();
	struct cpu_itimer *it = &t->signal->itimers.it[clock_id];
	u64 val = it->expires;

	if (val)
		val = val < now ? TICK_NSEC : val - now;
	v->value = val;
	v->interval = it->incr;
	siglock_irqrestore(f);
}

static int do_getitimer(int which, struct itimer_ns *v)
{
	struct signal_struct *sig = current->signal;

	switch (which) {
	case ITIMER_REAL: {
		u64 f = siglock_irqsave();
		v->value = itimer_get_remtime(sig);
		v->interval = sig->itimers.it_real_incr;
		siglock_irqrestore(f);
		return 0;
	}
	case ITIMER_VIRTUAL:
		get_cpu_itimer(current, CPUCLOCK_VIRT, v);
		return 0;
	case ITIMER_PROF:
		get_cpu_itimer(current, CPUCLOCK_PROF, v);
		return 0;
	default:
		return -EINVAL;
	}
}

/* Nanoseconds as a timeval, microseconds truncated (put_itimerval). */
static struct kernel_old_timeval ns_to_old_timeval(u64 ns)
{
	return (struct kernel_old_timeval){ (s64)(ns / NSEC_PER_SEC),
					    (s64)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

static int put_itimerval(void *u, const struct itimer_ns *v)
{
	struct kernel_old_itimerval k = { ns_to_old_timeval(v->interval),
					  ns_to_old_timeval(v->value) };

	return copy_to_user(u, &k, sizeof(k)) ? -EFAULT : 0;
}

long sys_getitimer(int which, void *value)
{
	struct itimer_ns v;
	int err = do_getitimer(which, &v);

	if (!err && put_itimerval(value, &v))
		err = -EFAULT;
	return err;
}

/*
 * Sets a CPU itimer (Linux's set_cpu_itimer and set_process_cpu_timer): a non-zero value is
 * relative CPU time, one tick more, from the process's CPU time now; the old value is what was
 * left (a tick if due).
 */
static void set_cpu_itimer(struct task_struct *t, int clock_id, const struct itimer_ns *v,
			   struct itimer_ns *ov)
{
	u64 now = cpu_itimer_sample(t, clock_id); /* before the signal lock: tasklist_lock */
	u64 f = siglock_irqsave();
	struct cpu_itimer *it = &t->signal->itimers.it[clock_id];
	u64 oval = it->expires, ointerval = it->incr, nval = v->value;

	if (oval || nval) {
		if (nval > 0)
			nval += TICK_NSEC;
		if (oval)
			oval = oval <= now ? TICK_NSEC : oval - now;
		if (nval)
			nval += now;
	}
	it->expires = nval;
	it->incr = v->interval;
	siglock_irqrestore(f);
	if (ov) {
		ov->value = oval;
		ov->interval = ointerval;
	}
}

static int do_setitimer(int which, const struct itimer_ns *v, struct itimer_ns *ov)
{
	struct signal_struct *sig = current->signal;

	switch (which) {
	case ITIMER_REAL: {
		u64 f = siglock_irqsave();
		if (ov) {
			ov->value = itimer_get_remtime(sig);
			ov->interval = sig->itimers.it_real_incr;
		}
		hrtimer_cancel(&sig->itimers.real_timer);
		if (v->value) {
			sig->itimers.it_real_incr = v->interval;
			hrtimer_start(&sig->itimers.real_timer,
				      ktime_add_safe(ktime_get_ns(), v->value));
		} else {
			sig->itimers.it_real_incr = 0;
		}
		siglock_irqrestore(f);
		return 0;
	}
	case ITIMER_VIRTUAL:
		set_cpu_itimer(current, CPUCLOCK_VIRT, v, ov);
		return 0;
	case ITIMER_PROF:
		set_cpu_itimer(current, CPUCLOCK_PROF, v, ov);
		return 0;
	default:
		return -EINVAL;
	}
}

/* A timeval as nanoseconds, saturated (timespec64_to_ktime). */
static u64 timeval_to_ns(const struct kernel_old_timeval *tv)
{
	struct timespec64 ts = { tv->tv_sec, tv->tv_usec * (s64)NSEC_PER_USEC };

	return timespec_to_ktime(&ts);
}

/* Reads a user itimerval: EFAULT, or EINVAL unless each tv_sec >= 0 and tv_usec < 10^6. */
static int get_itimerval(struct itimer_ns *v, const void *u)
{
	struct kernel_old_itimerval k;

	if (copy_from_user(&k, u, sizeof(k)))
		return -EFAULT;
	if (k.it_value.tv_sec < 0 || (u64)k.it_value.tv_usec >= USEC_PER_SEC ||
	    k.it_interval.tv_sec < 0 || (u64)k.it_interval.tv_usec >= USEC_PER_SEC)
		return -EINVAL;
	v->value = timeval_to_ns(&k.it_value);
	v->interval = timeval_to_ns(&k.it_interval);
	return 0;
}

/* setitimer(2): a NULL value disarms the timer (a misfeature Linux 6.1 still accepts). */
long sys_setitimer(int which, const void *value, void *ovalue)
{
	struct itimer_ns v = { 0, 0 }, ov;
	int err;

	if (value) {
		err = get_itimerval(&v, value);
		if (err)
			return err;
	}
	err = do_setitimer(which, &v, ovalue ? &ov : NULL);
	if (err || !ovalue)
		return err;
	return put_itimerval(ovalue, &ov);
}

/*
 * alarm(2): ITIMER_REAL for whole seconds; the seconds that were left, rounded to the nearest
 * and never 0 while an alarm was pending (Linux's alarm_setitimer).
 */
long sys_alarm(unsigned int seconds)
{
	struct itimer_ns v = { (u64)seconds * NSEC_PER_SEC, 0 }, ov;

	do_setitimer(ITIMER_REAL, &v, &ov);
	u64 sec = ov.value / NSEC_PER_SEC, nsec = ov.value % NSEC_PER_SEC;
	if ((!sec && nsec) || nsec >= NSEC_PER_SEC / 2)
		sec++;
	return (long)sec;
}

/* One CPU itimer against the process's time now (Linux's check_cpu_itimer). */
static void check_cpu_itimer(struct task_struct *t, struct cpu_itimer *it, u64 now, int signo)
{
	if (!it->expires || now < it->expires)
		return;
	it->expires = it->incr ? it->expires + it->incr : 0;
	send_group_signal(t, signo);
}

/*
 * A limit in seconds as nanoseconds, wrapping past 2^64 as Linux's (u64)soft * NSEC_PER_SEC does
 * (a soft limit of 18446744074 s is due after about 0.29 s, there as here).
 */
static u64 rlimit_cpu_ns(u64 seconds)
{
	return seconds * NSEC_PER_SEC;
}

void rlimit_cpu_update(struct signal_struct *sig)
{
	u64 soft = sig->rlim[RLIMIT_CPU].rlim_cur;

	WRITE_ONCE(sig->rlim_cpu_nextevt, soft == RLIM_INFINITY ? ~0ULL : rlimit_cpu_ns(soft));
}

/*
 * RLIMIT_CPU against the process's CPU time, user and system (Linux's check_process_timers):
 * at the hard limit SIGKILL and nothing more; at the soft limit SIGXCPU, and the soft limit
 * moves one second on, so that the signal comes again after each further second (getrlimit
 * shows the moved limit, as on Linux). True when SIGKILL was sent.
 */
static bool check_rlimit_cpu(struct task_struct *t, u64 ptime)
{
	struct rlimit64 *r = &t->signal->rlim[RLIMIT_CPU];
	u64 soft = r->rlim_cur, hard = r->rlim_max;

	if (soft == RLIM_INFINITY)
		return false;
	if (hard != RLIM_INFINITY && ptime >= rlimit_cpu_ns(hard)) {
		send_group_signal(t, SIGKILL);
		return true;
	}
	if (ptime >= rlimit_cpu_ns(soft)) {
		send_group_signal(t, SIGXCPU);
		r->rlim_cur = soft + 1;
		rlimit_cpu_update(t->signal);
	}
	return false;
}

void run_posix_cpu_timers(struct task_struct *t)
{
	struct signal_itimers *its = &t->signal->itimers;
	struct task_cputime tg;

	run_posix_cpu_timer_list(t);
	if (!its->it[CPUCLOCK_PROF].expires && !its->it[CPUCLOCK_VIRT].expires &&
	    READ_ONCE(t->signal->cputime_prof) < t->signal->rlim_cpu_nextevt)
		return; /* no itimer, and RLIMIT_CPU not yet due: no tasklist_lock */
	thread_group_cputime(t, &tg);
	if (check_rlimit_cpu(t, tg.utime + tg.stime))
		return;
	check_cpu_itimer(t, &its->it[CPUCLOCK_PROF], tg.utime + tg.stime, SIGPROF);
	check_cpu_itimer(t, &its->it[CPUCLOCK_VIRT], tg.utime, SIGVTALRM);
}
