// SPDX-License-Identifier: MIT
/*
 * POSIX timers on CPU clocks (Linux's posix-cpu-timers.c, the timer half): a timer measures a
 * thread's or a process's CPU time (PROF: user and system, VIRT: user, SCHED: the exact
 * runtime), is checked at each tick of the task whose time it measures, fires at once when set
 * for a time already past, and reads back 1 ns when due but not yet fired. A one-shot timer is
 * cleared as it fires; an interval timer waits for its signal to be taken (posixtimer_rearm).
 */
#include "kernel/posix_timers.h"
#include "kernel/posix_timers_internal.h"
#include "kernel/cputime.h"
#include "kernel/itimer.h"
#include "kernel/errno.h"
#include "kernel/sched.h"

/* The task a CPU timer measures, or NULL once it is gone. */
static struct task_struct *cpu_timer_task(const struct k_itimer *tm)
{
	struct task_struct *t = find_task_by_pid(tm->cpu_pid);

	if (!t || (!tm->cpu_thread && !thread_group_leader(t)))
		return NULL;
	return t;
}

/* The time of the CPU clock a timer runs on (Linux's cpu_clock_sample[_group]). */
static u64 cpu_timer_sample(const struct k_itimer *tm, struct task_struct *p)
{
	if (tm->cpu_thread) {
		if (tm->cpu_which == CPUCLOCK_SCHED)
			return task_sched_runtime(p);
		return p->acct.utime + (tm->cpu_which == CPUCLOCK_PROF ? p->acct.stime : 0);
	}
	struct task_cputime tg;
	thread_group_cputime(p, &tg);
	if (tm->cpu_which == CPUCLOCK_SCHED)
		return tg.sum_exec_runtime;
	return tg.utime + (tm->cpu_which == CPUCLOCK_PROF ? tg.stime : 0);
}

/* A CPU-clock timer moved past its expiry by intervals and waiting again (Linux's rearm). */
void cpu_timer_rearm(struct k_itimer *tm)
{
	struct task_struct *p = cpu_timer_task(tm);

	if (!p)
		return;
	u64 now = cpu_timer_sample(tm, p);
	tm->it_overrun += (s64)timer_forward(&tm->expires, now, tm->it_interval);
	tm->cpu_armed = true;
}

/* A CPU-clock timer's expiry (Linux's cpu_timer_fire). Under posix_timers_lock. */
static void cpu_timer_fire(struct k_itimer *tm)
{
	tm->cpu_armed = false;
	if (tm->it_sigev_notify == SIGEV_NONE) {
		tm->expires = 0;
	} else if (!tm->it_interval) {
		posix_timer_event(tm, 0); /* a one-shot timer is cleared as it fires */
		tm->expires = 0;
	} else if (posix_timer_event(tm, ++tm->it_requeue_pending) > 0) {
		cpu_timer_rearm(tm);
		++tm->it_requeue_pending;
	}
}

void run_posix_cpu_timer_list(struct task_struct *t)
{
	if (!cpu_timers)
		return;
	u64 f = spin_lock_irqsave(&posix_timers_lock);
	for (struct k_itimer *tm = cpu_timers; tm; tm = tm->cpu_next) {
		if (!tm->cpu_armed)
			continue;
		if (tm->cpu_thread ? tm->cpu_pid != t->pid : tm->cpu_pid != t->tgid)
			continue;
		if (cpu_timer_sample(tm, t) >= tm->expires)
			cpu_timer_fire(tm);
	}
	spin_unlock_irqrestore(&posix_timers_lock, f);
}

/* The CPU clock's task for a new timer (Linux's posix_cpu_timer_create): 0 or -EINVAL. */
int cpu_timer_create(struct k_itimer *tm)
{
	int clock = tm->it_clock == 2 ? -6 : tm->it_clock == 3 ? -2 : tm->it_clock;
	int pid = CPUCLOCK_PID(clock);
	bool thread = CPUCLOCK_PERTHREAD(clock);
	struct task_struct *t;

	if (CPUCLOCK_WHICH(clock) >= CPUCLOCK_MAX)
		return -EINVAL;
	if (pid == 0) {
		t = thread ? current : current->group_leader;
	} else {
		t = find_task_by_pid(pid);
		if (!t || (thread && !same_thread_group(t, current)) ||
		    (!thread && !thread_group_leader(t)))
			return -EINVAL;
	}
	tm->cpu_pid = thread ? t->pid : t->tgid;
	tm->cpu_thread = thread;
	tm->cpu_which = CPUCLOCK_WHICH(clock);
	return 0;
}

/* A CPU-clock timer's current setting (Linux's posix_cpu_timer_get). */
void cpu_timer_get(struct k_itimer *tm, struct kernel_itimerspec *cur)
{
	struct task_struct *p = cpu_timer_task(tm);

	if (!p)
		return;
	cur->it_interval = ns_to_ts(tm->it_interval);
	if (!tm->expires)
		return;
	u64 now = cpu_timer_sample(tm, p);
	if (now < tm->expires)
		cur->it_value = ns_to_ts(tm->expires - now);
	else
		cur->it_value.tv_nsec = 1;
}

/* Arms a CPU-clock timer (Linux's posix_cpu_timer_set): 0 or -ESRCH (its task is gone). */
int cpu_timer_set(struct k_itimer *tm, int flags, const struct kernel_itimerspec *new,
		  struct kernel_itimerspec *old)
{
	struct task_struct *p = cpu_timer_task(tm);
	u64 new_expires = timespec_to_ktime(&new->it_value), old_incr = tm->it_interval;

	if (!p)
		return -ESRCH;
	u64 val = cpu_timer_sample(tm, p), old_expires = tm->expires;
	tm->cpu_armed = false;
	if (old) {
		if (old_expires) {
			/* an overrun already: the next reload time, as Linux's bump_cpu_timer */
			if (tm->it_interval && val >= tm->expires)
				tm->it_overrun +=
					(s64)timer_forward(&tm->expires, val, tm->it_interval);
			if (val < tm->expires)
				old->it_value = ns_to_ts(tm->expires - val);
			else
				old->it_value = (struct timespec64){ 0, 1 };
		}
	}
	if (new_expires && !(flags & TIMER_ABSTIME))
		new_expires = ktime_add_safe(new_expires, val);
	tm->expires = new_expires;
	if (new_expires && val < new_expires)
		tm->cpu_armed = true;
	tm->it_interval = timespec_to_ktime(&new->it_interval);
	tm->it_requeue_pending = (tm->it_requeue_pending + 2) & ~REQUEUE_PENDING;
	tm->it_overrun_last = 0;
	tm->it_overrun = -1;
	if (new_expires && val >= new_expires)
		cpu_timer_fire(tm); /* already past: at once, even if the task never runs again */
	if (old)
		old->it_interval = ns_to_ts(old_incr);
	return 0;
}

bool posix_cpu_timers_armed(struct task_struct *t)
{
	const struct signal_itimers *its;

	if (!t->signal || t->pid == 0)
		return false;
	its = &t->signal->itimers;
	return READ_ONCE(cpu_timers) || READ_ONCE(its->it[CPUCLOCK_PROF].expires) ||
	       READ_ONCE(its->it[CPUCLOCK_VIRT].expires) ||
	       READ_ONCE(t->signal->cputime_prof) >= READ_ONCE(t->signal->rlim_cpu_nextevt);
}
