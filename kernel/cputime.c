// SPDX-License-Identifier: MIT
/*
 * CPU time accounting and what reads it: the tick's charge (Linux's account_process_tick without
 * VIRT_CPU_ACCOUNTING), the exact runtime kept at each switch (update_curr), a process's totals
 * (thread_group_cputime), times(2), getrusage(2) and wait4's rusage, and the CPU clocks of
 * clock_gettime and clock_getres (posix-cpu-timers.c's pid_for_clock, cpu_clock_sample).
 */
#include "kernel/cputime.h"
#include "kernel/errno.h"
#include "kernel/itimer.h"
#include "kernel/ktime.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/time.h"
#include "mm/mm.h"
#include "mm/mmap_lock.h"
#include "mm/oom_kill.h"
#include "mm/uaccess.h"

#define USER_HZ 100
#define TICK_NSEC ((NSEC_PER_SEC + HZ / 2) / HZ)
/* Linux's jiffies start 5 minutes before wrapping a 32-bit count (INITIAL_JIFFIES). */
#define INITIAL_JIFFIES ((u64)(u32)(-300 * HZ))

/* CPU clock ids (include/linux/posix-timers.h): ~pid << 3 | per-thread (4) | which (0..2). */
#define CPUCLOCK_PROF 0
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_SCHED 2
#define CPUCLOCK_MAX 3
#define CPUCLOCK_PERTHREAD_MASK 4
#define CPUCLOCK_WHICH(c) ((c)&3)
#define CPUCLOCK_PERTHREAD(c) (((c)&CPUCLOCK_PERTHREAD_MASK) != 0)
#define CPUCLOCK_PID(c) ((int)~((c) >> 3))

struct kernel_old_timeval {
	s64 tv_sec;
	s64 tv_usec;
};

struct rusage {
	struct kernel_old_timeval ru_utime, ru_stime;
	s64 ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap, ru_inblock,
		ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

struct tms {
	s64 tms_utime, tms_stime, tms_cutime, tms_cstime;
};

/* Is t the idle task, which no process owns? */
static bool is_idle_task(const struct task_struct *t)
{
	return t->pid == 0;
}

/*
 * The tick interrupted the current task: the time since the previous tick is its user time if
 * the tick came from user mode, else its system time (this CPU's last_tick_ns: each tick is
 * charged its true length, as hz= changes the period). The caller then checks the CPU-clock
 * timers (run_posix_cpu_timers) once it holds the kernel lock, since they send signals.
 */
void account_process_tick(bool user_tick)
{
	struct task_struct *t = current;
	u64 now = ktime_get_ns();
	u64 *last = &this_cpu()->last_tick_ns;
	u64 delta = *last && now > *last ? now - *last : TICK_NSEC;

	*last = now;
	if (is_idle_task(t) || !t->signal)
		return;
	if (user_tick)
		t->acct.utime += delta;
	else
		t->acct.stime += delta;
	__atomic_add_fetch(&t->signal->cputime_prof, delta, __ATOMIC_RELAXED);
}

/*
 * Linux's __schedule bookkeeping: a task that leaves the CPU asleep switched voluntarily
 * (nvcsw), one still runnable was preempted or yielded (nivcsw). Its exact runtime grows by this
 * run, and the next task's run starts now.
 */
void account_switch(struct task_struct *prev, struct task_struct *next)
{
	u64 now = ktime_get_ns();

	if (!is_idle_task(prev)) {
		if (prev->state == TASK_RUNNING)
			prev->acct.nivcsw++;
		else
			prev->acct.nvcsw++;
		if (now > prev->acct.exec_start)
			prev->acct.sum_exec_runtime += now - prev->acct.exec_start;
	}
	next->acct.exec_start = now;
}

u64 task_sched_runtime(struct task_struct *t)
{
	u64 ns = t->acct.sum_exec_runtime;

	if (t == current && !is_idle_task(t)) {
		u64 now = ktime_get_ns();
		if (now > t->acct.exec_start)
			ns += now - t->acct.exec_start;
	}
	return ns;
}

void account_thread_gone(struct task_struct *t)
{
	struct signal_acct *s = &t->signal->acct;

	s->utime += t->acct.utime;
	s->stime += t->acct.stime;
	s->sum_sched_runtime += task_sched_runtime(t);
	s->nvcsw += t->acct.nvcsw;
	s->nivcsw += t->acct.nivcsw;
	s->min_flt += t->acct.min_flt;
	s->maj_flt += t->acct.maj_flt;
}

void thread_group_cputime(struct task_struct *t, struct task_cputime *times)
{
	struct signal_struct *sig = t->signal;
	struct task_struct *th;
	u64 f = spin_lock_irqsave(&tasklist_lock);

	times->utime = sig->acct.utime;
	times->stime = sig->acct.stime;
	times->sum_exec_runtime = sig->acct.sum_sched_runtime;
	for_each_thread(t, th) {
		times->utime += th->acct.utime;
		times->stime += th->acct.stime;
		times->sum_exec_runtime += task_sched_runtime(th);
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
}

/* Pages resident in mm now (anonymous and file), under its lock for reading. */
static u64 mm_rss_pages(struct mm_struct *mm)
{
	struct oom_mm_counters c;

	if (!mmget_not_zero(mm))
		return 0;
	mmap_read_lock(mm);
	oom_mm_count(mm, &c);
	mmap_read_unlock(mm);
	mmput(mm);
	return c.anon + c.file + c.shmem;
}

/*
 * Linux keeps a high-water mark of each mm's rss (hiwater_rss, raised before memory is
 * unmapped); Warden samples the rss where Linux folds the mark into signal->maxrss: at execve
 * (the old mm) and at exit.
 */
void account_maxrss(struct task_struct *t)
{
	if (!t->mm)
		return;
	u64 kb = mm_rss_pages(t->mm) * (PAGE_SIZE / 1024);
	if (kb > t->signal->acct.maxrss)
		t->signal->acct.maxrss = kb;
}

/* Linux's wait_task_zombie: the child process's totals go to the reaper's c* counts. */
void account_reaped_child(struct task_struct *parent, struct task_struct *child)
{
	struct signal_acct *ps = &parent->signal->acct, *cs = &child->signal->acct;
	struct task_cputime tg;
	struct task_struct *th;

	thread_group_cputime(child, &tg);
	ps->cutime += tg.utime + cs->cutime;
	ps->cstime += tg.stime + cs->cstime;
	ps->cnvcsw += cs->nvcsw + cs->cnvcsw;
	ps->cnivcsw += cs->nivcsw + cs->cnivcsw;
	ps->cmin_flt += cs->min_flt + cs->cmin_flt;
	ps->cmaj_flt += cs->maj_flt + cs->cmaj_flt;
	for_each_thread(child, th) {
		ps->cnvcsw += th->acct.nvcsw;
		ps->cnivcsw += th->acct.nivcsw;
		ps->cmin_flt += th->acct.min_flt;
		ps->cmaj_flt += th->acct.maj_flt;
	}
	u64 m = cs->maxrss > cs->cmaxrss ? cs->maxrss : cs->cmaxrss;
	if (ps->cmaxrss < m)
		ps->cmaxrss = m;
}

static struct kernel_old_timeval ns_to_timeval(u64 ns)
{
	return (struct kernel_old_timeval){ (s64)(ns / NSEC_PER_SEC),
					    (s64)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

/* One thread's counts added to r (Linux's accumulate_thread_rusage). */
static void accumulate_thread_rusage(const struct task_struct *t, struct rusage *r)
{
	r->ru_nvcsw += (s64)t->acct.nvcsw;
	r->ru_nivcsw += (s64)t->acct.nivcsw;
	r->ru_minflt += (s64)t->acct.min_flt;
	r->ru_majflt += (s64)t->acct.maj_flt;
}

void getrusage_fill(struct task_struct *p, int who, void *ru)
{
	struct signal_acct *s = &p->signal->acct;
	struct rusage *r = ru;
	u64 utime = 0, stime = 0, maxrss = 0;
	struct task_struct *th;

	memset(r, 0, sizeof(*r));
	if (who == RUSAGE_THREAD) {
		utime = current->acct.utime;
		stime = current->acct.stime;
		accumulate_thread_rusage(p, r);
		maxrss = s->maxrss;
		goto out_thread;
	}
	if (who == RUSAGE_BOTH || who == RUSAGE_CHILDREN) {
		utime = s->cutime;
		stime = s->cstime;
		r->ru_nvcsw = (s64)s->cnvcsw;
		r->ru_nivcsw = (s64)s->cnivcsw;
		r->ru_minflt = (s64)s->cmin_flt;
		r->ru_majflt = (s64)s->cmaj_flt;
		maxrss = s->cmaxrss;
		if (who == RUSAGE_CHILDREN)
			goto out_children;
	}
	r->ru_nvcsw += (s64)s->nvcsw;
	r->ru_nivcsw += (s64)s->nivcsw;
	r->ru_minflt += (s64)s->min_flt;
	r->ru_majflt += (s64)s->maj_flt;
	if (maxrss < s->maxrss)
		maxrss = s->maxrss;
	u64 f = spin_lock_irqsave(&tasklist_lock);
	for_each_thread(p, th)
		accumulate_thread_rusage(th, r);
	spin_unlock_irqrestore(&tasklist_lock, f);
	struct task_cputime tg;
	thread_group_cputime(p, &tg);
	utime += tg.utime;
	stime += tg.stime;
out_thread:
	if (p->state < EXIT_ZOMBIE && p->mm) {
		u64 kb = mm_rss_pages(p->mm) * (PAGE_SIZE / 1024);
		if (kb > maxrss)
			maxrss = kb;
	}
out_children:
	r->ru_maxrss = (s64)maxrss;
	r->ru_utime = ns_to_timeval(utime);
	r->ru_stime = ns_to_timeval(stime);
}

long sys_getrusage(int who, void *ru)
{
	struct rusage r;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	getrusage_fill(current, who, &r);
	return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}

/* Nanoseconds as USER_HZ clock ticks (nsec_to_clock_t). */
static s64 nsec_to_clock_t(u64 ns)
{
	return (s64)(ns / (NSEC_PER_SEC / USER_HZ));
}

void chld_cputime(struct task_struct *t, bool exited, u64 *utime, u64 *stime)
{
	u64 ut = t->acct.utime, st = t->acct.stime;

	if (exited) {
		ut += t->signal->acct.utime;
		st += t->signal->acct.stime;
	}
	*utime = (u64)nsec_to_clock_t(ut);
	*stime = (u64)nsec_to_clock_t(st);
}

/*
 * times(2): the process's and its reaped children's times in clock ticks, and the ticks since an
 * arbitrary point: Linux's jiffies (which start at INITIAL_JIFFIES) in USER_HZ.
 */
long sys_times(void *tbuf)
{
	if (tbuf) {
		struct task_cputime tg;
		struct tms tmp;

		thread_group_cputime(current, &tg);
		tmp.tms_utime = nsec_to_clock_t(tg.utime);
		tmp.tms_stime = nsec_to_clock_t(tg.stime);
		tmp.tms_cutime = nsec_to_clock_t(current->signal->acct.cutime);
		tmp.tms_cstime = nsec_to_clock_t(current->signal->acct.cstime);
		if (copy_to_user(tbuf, &tmp, sizeof(tmp)))
			return -EFAULT;
	}
	u64 jiffies = INITIAL_JIFFIES + ktime_get_ns() / TICK_NSEC;
	return (long)(jiffies * USER_HZ / HZ);
}

/*
 * The task a CPU clock names (Linux's pid_for_clock): pid 0 is the caller (its thread or its
 * process); a thread clock must name a thread of the caller's process; a process clock a
 * process's pid (a thread's own tid too, when reading the time). NULL: EINVAL.
 */
static struct task_struct *cpu_clock_task(int clock, bool gettime)
{
	bool thread = CPUCLOCK_PERTHREAD(clock);
	int pid = CPUCLOCK_PID(clock);
	struct task_struct *t;

	if (CPUCLOCK_WHICH(clock) >= CPUCLOCK_MAX)
		return NULL;
	if (pid == 0)
		return thread ? current : current->group_leader;
	t = find_task_by_pid(pid);
	if (!t)
		return NULL;
	if (thread)
		return same_thread_group(t, current) ? t : NULL;
	if (gettime && t == current)
		return t;
	return thread_group_leader(t) ? t : NULL;
}

int posix_cpu_clock_get(int clock, u64 *ns)
{
	struct task_struct *t = cpu_clock_task(clock, true);
	int which = CPUCLOCK_WHICH(clock);

	if (!t)
		return -EINVAL;
	if (CPUCLOCK_PERTHREAD(clock)) {
		if (which == CPUCLOCK_SCHED)
			*ns = task_sched_runtime(t);
		else
			*ns = t->acct.utime + (which == CPUCLOCK_PROF ? t->acct.stime : 0);
		return 0;
	}
	struct task_cputime tg;
	thread_group_cputime(t, &tg);
	if (which == CPUCLOCK_SCHED)
		*ns = tg.sum_exec_runtime;
	else
		*ns = tg.utime + (which == CPUCLOCK_PROF ? tg.stime : 0);
	return 0;
}

int posix_cpu_clock_getres(int clock, u64 *ns)
{
	if (!cpu_clock_task(clock, false))
		return -EINVAL;
	*ns = CPUCLOCK_WHICH(clock) == CPUCLOCK_SCHED ? 1 : (NSEC_PER_SEC + HZ - 1) / HZ;
	return 0;
}

/*
 * /proc/PID/stat's fields 10 to 17 (Linux's do_task_stat): minflt, cminflt, majflt, cmajflt,
 * then utime, stime, cutime, cstime in clock ticks; the faults and times of t's whole process
 * (whole: /proc/PID/stat) or of the thread t alone (task/TID/stat), the children's either way.
 */
void task_stat_times(struct task_struct *t, bool whole, u64 out[8])
{
	struct signal_acct *s = &t->signal->acct;
	struct task_cputime tg;
	struct task_struct *th;
	u64 min_flt = t->acct.min_flt, maj_flt = t->acct.maj_flt;

	if (whole) {
		u64 f = spin_lock_irqsave(&tasklist_lock);

		min_flt = s->min_flt;
		maj_flt = s->maj_flt;
		for_each_thread(t, th) {
			min_flt += th->acct.min_flt;
			maj_flt += th->acct.maj_flt;
		}
		spin_unlock_irqrestore(&tasklist_lock, f);
		thread_group_cputime(t, &tg);
	} else {
		tg.utime = t->acct.utime;
		tg.stime = t->acct.stime;
	}
	out[0] = min_flt;
	out[1] = s->cmin_flt;
	out[2] = maj_flt;
	out[3] = s->cmaj_flt;
	out[4] = (u64)nsec_to_clock_t(tg.utime);
	out[5] = (u64)nsec_to_clock_t(tg.stime);
	out[6] = (u64)nsec_to_clock_t(s->cutime);
	out[7] = (u64)nsec_to_clock_t(s->cstime);
}
