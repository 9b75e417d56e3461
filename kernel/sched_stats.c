// SPDX-License-Identifier: MIT
/* The scheduler's counters and /proc/warden/sched (kernel/sched_stats.h). */
#include "kernel/sched_stats.h"
#include "kernel/kernel_lock.h"
#include "fs/proc.h"

struct sched_stats sched_stats;

int sched_stats_show(struct seq_buf *m)
{
	const struct {
		const char *name;
		const u64 *v;
	} rows[] = {
		{ "ttwu", &sched_stats.ttwu },
		{ "ttwu_local", &sched_stats.ttwu_local },
		{ "ttwu_remote", &sched_stats.ttwu_remote },
		{ "ipi_resched", &sched_stats.ipi_resched },
		{ "ipi_call", &sched_stats.ipi_call },
		{ "ipi_lock_wake", &sched_stats.ipi_lock_wake },
		{ "kick", &sched_stats.kick },
		{ "idle_halts", &sched_stats.idle_halts },
		{ "idle_poll_found", &sched_stats.idle_poll_found },
		{ "pull", &sched_stats.pull },
		{ "lock_wait_cycles", &sched_stats.lock_wait_cycles },
		{ "csd_wait_cycles", &sched_stats.csd_wait_cycles },
		{ "csd_halts", &sched_stats.csd_halts },
		{ "ipi_csd_wake", &sched_stats.ipi_csd_wake },
		{ "stack_cache_hit", &sched_stats.stack_cache_hit },
		{ "stack_cache_miss", &sched_stats.stack_cache_miss },
		{ "clockevent_tick", &sched_stats.clockevent_tick },
		{ "clockevent_hrtimer", &sched_stats.clockevent_hrtimer },
		{ "timers_deferred", &sched_stats.timers_deferred },
		{ "kernel_lock_acquired", &kernel_lock_data.acquired },
		{ "kernel_lock_contended", &kernel_lock_data.contended },
	};

	for (unsigned int i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		seq_printf(m, "%s %llu\n", rows[i].name,
			   (unsigned long long)__atomic_load_n(rows[i].v, __ATOMIC_RELAXED));
	return 0;
}
