// SPDX-License-Identifier: MIT
/*
 * Self-tests of where a woken task is queued (kernel/sched_rq.c's select_task_rq and
 * wake_up_state) and of the affinity system calls' checks, on a task that is never run: queued
 * on its own CPU when that is allowed and idle, on an allowed CPU otherwise.
 */
#include "kernel/selftest.h"
#include "kernel/errno.h"
#include "kernel/sched_rq.h"
#include "kernel/sys.h"
#include "mm/slab.h"

/* A task for the scheduler's bookkeeping only: on no list, never switched to. */
static struct task_struct *fake_task(u64 allowed, unsigned int cpu)
{
	struct task_struct *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (t) {
		t->pid = 999999;
		t->state = TASK_RUNNING;
		t->cpus_allowed.bits = allowed;
		t->cpu = cpu;
	}
	return t;
}

SELFTEST(sched_select_task_rq_follows_affinity)
{
	unsigned int last = nr_cpu_ids - 1;
	struct task_struct *t = fake_task(1ULL << last, 0);

	ST_ASSERT(t);
	ST_ASSERT_EQ(select_task_rq(t), last); /* CPU 0 is not allowed: the one allowed CPU */
	t->cpu = last;
	t->cpus_allowed.bits = (1ULL << nr_cpu_ids) - 1;
	if (!cpu_busy(last))
		ST_ASSERT_EQ(select_task_rq(t), last); /* allowed where it was, and idle: stays */
	t->cpus_allowed.bits = 1;
	ST_ASSERT_EQ(select_task_rq(t), 0);
	t->cpus_allowed.bits = 1ULL << 40; /* no online CPU allowed: this CPU, never out of range */
	ST_ASSERT(select_task_rq(t) < nr_cpu_ids);
	kfree(t);
}

/*
 * wake_up_state (ptrace's resume and detach, SIGKILL of a stopped task, SIGCONT): only from one of
 * the states asked for, and the woken task is queued like any wake-up, on an allowed CPU even
 * when the CPU it last ran on is not allowed any more. The fake task is taken off the queue
 * again before any CPU could run it (they need the kernel lock, which the self-tests hold).
 */
SELFTEST(sched_wake_up_state_queues)
{
	unsigned int last = nr_cpu_ids - 1;
	struct task_struct *t = fake_task(1ULL << last, 0);

	ST_ASSERT(t);
	t->state = TASK_TRACED;
	ST_ASSERT(!wake_up_state(t, TASK_STATE_BIT(TASK_STOPPED)));
	ST_ASSERT_EQ(t->state, TASK_TRACED);
	ST_ASSERT_EQ(t->cpu, 0);
	ST_ASSERT(wake_up_state(t, TASK_STATE_BIT(TASK_STOPPED) | TASK_STATE_BIT(TASK_TRACED)));
	ST_ASSERT_EQ(t->state, TASK_RUNNING);
	ST_ASSERT_EQ(t->cpu, last);
	ST_ASSERT(t->on_rq && t->rq_queued);
	ST_ASSERT(!wake_up_state(t, TASK_STATE_BIT(TASK_INTERRUPTIBLE))); /* already running */
	sched_dequeue_task(t);
	ST_ASSERT(!t->on_rq && !t->rq_queued);
	t->state = TASK_STOPPED;
	t->cpu = 0;
	wake_up_process(t); /* a stopped task is no sleeper: it stays stopped */
	ST_ASSERT_EQ(t->state, TASK_STOPPED);
	ST_ASSERT_EQ(t->cpu, 0);
	ST_ASSERT(!t->on_rq);
	kfree(t);
}

SELFTEST(sched_affinity_errors)
{
	/* the checks that come before any user memory is touched */
	ST_ASSERT_EQ(sys_sched_getaffinity(0, 4, NULL), -EINVAL);
	ST_ASSERT_EQ(sys_sched_getaffinity(0, 12, NULL), -EINVAL);
	ST_ASSERT_EQ(sys_sched_getaffinity(0, 0, NULL), nr_cpu_ids > 0 ? -EINVAL : 0);
	ST_ASSERT_EQ(sys_sched_getaffinity(-5, 8, NULL), -ESRCH);
	/* len * 8 is an unsigned int on Linux: 0x20000000 wraps to 0, fewer bits than CPUs */
	ST_ASSERT_EQ(sys_sched_getaffinity(0, 0x20000000, NULL), -EINVAL);
	ST_ASSERT_EQ(sys_sched_setaffinity(0, 0, NULL), -EINVAL); /* an empty mask */
}
