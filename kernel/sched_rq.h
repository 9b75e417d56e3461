/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU run queues (kernel/sched_rq.c, docs/smp.md): what kernel/sched.c and the
 * scheduler's self-tests share. Lock order: the kernel lock, a task's pi_lock, then rq->lock;
 * two run queues' locks lower CPU first (double_rq_lock). Nothing else is taken under rq->lock.
 */
#ifndef WARDEN_SCHED_RQ_H
#define WARDEN_SCHED_RQ_H

#include "kernel/sched.h"

/* One CPU's run queue (Linux's struct rq, round robin instead of CFS). */
struct rq {
	/*
	 * Protects the queue (head, tail, each queued task's rq_next), nr_queued, curr, and the
	 * on_rq, rq_queued and cpu of every task on this queue. Held by schedule() across the
	 * switch, released by the next task in finish_task_switch.
	 */
	spinlock_t lock;
	struct task_struct *head, *tail; /* runnable tasks waiting for this CPU, oldest first */
	unsigned int nr_queued; /* tasks on the queue (the running one is not): read by the tick */
	struct task_struct *curr; /* the task this CPU runs */
	struct task_struct *idle; /* this CPU's idle task, never queued */
	unsigned int cpu;
};

extern struct rq runqueues[NR_CPUS];

/* CPU cpu's run queue. */
static inline struct rq *cpu_rq(unsigned int cpu)
{
	return &runqueues[cpu];
}

/* True if cpu runs something other than its idle task (read without the lock). */
static inline bool cpu_busy(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	return READ_ONCE(rq->curr) != rq->idle;
}

/* Ends a switch, on the new task's stack: lets go of the run queue's lock (schedule_tail too). */
void finish_task_switch(void);

/* Sets up CPU cpu's run queue with idle as its idle and running task. */
void init_rq(unsigned int cpu, struct task_struct *idle);

/*
 * The earliest wake_at_ns of a timed sleeper (~0: none), so that a tick without the kernel lock
 * defers the timed wake-ups only when one is due. Lowered by schedule() as a timed sleeper goes
 * to sleep, recomputed by each sched_timer_wakeups(); both under the kernel lock, read without.
 */
extern u64 sched_next_wake_ns;

#endif
