/* SPDX-License-Identifier: MIT */
/*
 * Counters of the scheduler's work on several CPUs (/proc/warden/sched, docs/smp.md): what a
 * wake-up, a thread's creation and exit, or an idle CPU cost in IPIs, halts and waits. Bumped
 * with relaxed atomic adds from any CPU, in any context; read without a lock (each value is
 * exact, the set is not a snapshot). Times are TSC cycles (guest instructions under -icount).
 */
#ifndef WARDEN_SCHED_STATS_H
#define WARDEN_SCHED_STATS_H

#include "kernel/types.h"

struct seq_buf;

struct sched_stats {
	u64 ttwu; /* tasks made runnable (try_to_wake_up, wake_up_new_task) */
	u64 ttwu_local; /* ... queued on the waker's own CPU */
	u64 ttwu_remote; /* ... queued on another CPU */
	u64 ipi_resched; /* reschedule IPIs sent (wake-ups, kicks, affinity) */
	u64 ipi_call; /* function-call IPIs sent (TLB shootdowns, LDT, ...) */
	u64 ipi_lock_wake; /* IPIs that woke a CPU halted waiting for the kernel lock */
	u64 kick; /* signal wake-ups of a task running on another CPU (kick_process) */
	u64 idle_halts; /* hlt executed by idle loops */
	u64 idle_poll_found; /* idle loops that found work while polling, before halting */
	u64 pull; /* tasks pulled by a CPU from another CPU's run queue */
	u64 lock_wait_cycles; /* time CPUs spent waiting for the kernel lock */
	u64 csd_wait_cycles; /* time callers spent waiting for cross-CPU calls to finish */
	u64 csd_halts; /* hlt executed by callers waiting for cross-CPU calls (under a hypervisor)
			*/
	u64 ipi_csd_wake; /* IPIs that acknowledged a cross-CPU call to a halted caller */
	u64 stack_cache_hit; /* kernel stacks reused from a CPU's cache (fork.c) */
	u64 stack_cache_miss; /* kernel stacks vmalloc'd */
	u64 clockevent_tick; /* clock event interrupts that were a CPU's periodic tick */
	u64 clockevent_hrtimer; /* ... between ticks, for an hrtimer or a timed wake-up */
	u64 timers_deferred; /* due timers left to the kernel lock's next holder */
};

extern struct sched_stats sched_stats;

/* Adds n to one counter of sched_stats (any CPU, any context). */
#define schedstat_add(field, n) __atomic_add_fetch(&sched_stats.field, (n), __ATOMIC_RELAXED)
#define schedstat_inc(field) schedstat_add(field, 1)

/* /proc/warden/sched: one "name value" line per counter, then the kernel lock's counts. */
int sched_stats_show(struct seq_buf *m);

#endif
