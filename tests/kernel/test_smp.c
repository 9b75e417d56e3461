// SPDX-License-Identifier: MIT
/*
 * Self-tests of the cross-CPU calls (arch/x86_64/smp.c): every other online CPU runs the function
 * exactly once, in interrupt context on itself; wait returns only after all of them finished;
 * without wait the call still happens; a CPU can be asked alone. Skipped on one CPU.
 */
#include "kernel/selftest.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/time.h"
#include "kernel/string.h"

static u32 ran[NR_CPUS];
static u32 finished[NR_CPUS];

/* Counts a run on this CPU; with a non-NULL delay, spins that many ns first. */
static void count_run(void *delay)
{
	unsigned int cpu = smp_processor_id();
	u64 t0 = ktime_get_ns();

	while (delay && ktime_get_ns() - t0 < (u64)delay)
		cpu_relax();
	__atomic_fetch_add(&ran[cpu], 1, __ATOMIC_SEQ_CST);
	if (read_rflags() & X86_EFLAGS_IF)
		ran[cpu] += 1000; /* must run with interrupts off */
	__atomic_store_n(&finished[cpu], 1, __ATOMIC_RELEASE);
}

/* Waits up to a second for every CPU in mask other than this one to set finished. */
static bool wait_finished(const cpumask_t *mask)
{
	u64 t0 = ktime_get_ns();
	unsigned int cpu;

	for_each_cpu(cpu, mask)
	{
		if (cpu == smp_processor_id())
			continue;
		while (!__atomic_load_n(&finished[cpu], __ATOMIC_ACQUIRE))
			if (ktime_get_ns() - t0 > 1000000000ULL)
				return false;
	}
	return true;
}

SELFTEST(smp_call_function_many_runs_once_per_cpu)
{
	unsigned int cpu, self = smp_processor_id();

	if (nr_cpu_ids < 2)
		ST_SKIP("one CPU");
	for (int round = 0; round < 50; round++) {
		memset(ran, 0, sizeof(ran));
		memset(finished, 0, sizeof(finished));
		/* wait: every target has finished (including a slow one) when the call returns */
		smp_call_function_many(&cpu_online_mask, count_run,
				       (void *)(round ? 0UL : 2000000UL), true);
		for_each_online_cpu(cpu)
		{
			u32 want = cpu == self ? 0 : 1;
			if (ran[cpu] != want || finished[cpu] != want)
				ST_FAIL("round %d: CPU %u ran the function %u times (want %u)",
					round, cpu, ran[cpu], want);
		}
		for (cpu = nr_cpu_ids; cpu < NR_CPUS; cpu++)
			ST_ASSERT(ran[cpu] == 0);
	}
}

SELFTEST(smp_call_function_many_nowait_and_subset)
{
	cpumask_t mask = { 0 };
	unsigned int cpu;

	if (nr_cpu_ids < 2)
		ST_SKIP("one CPU");
	memset(ran, 0, sizeof(ran));
	memset(finished, 0, sizeof(finished));
	/* only the last CPU, and this one (which must be left out) */
	cpumask_set_cpu(nr_cpu_ids - 1, &mask);
	cpumask_set_cpu(smp_processor_id(), &mask);
	smp_call_function_many(&mask, count_run, NULL, false);
	ST_ASSERT(wait_finished(&mask));
	for_each_online_cpu(cpu) ST_ASSERT(ran[cpu] == (cpu == nr_cpu_ids - 1 ? 1u : 0u));
	/* single: another CPU with wait, and this CPU (runs at once) */
	memset(ran, 0, sizeof(ran));
	smp_call_function_single(1, count_run, NULL, true);
	ST_ASSERT(ran[1] == 1);
	smp_call_function_single(smp_processor_id(), count_run, NULL, true);
	ST_ASSERT(ran[smp_processor_id()] == 1);
	/* with interrupts off on the caller */
	memset(ran, 0, sizeof(ran));
	local_irq_disable();
	smp_call_function_many(&cpu_online_mask, count_run, NULL, true);
	local_irq_enable();
	for_each_online_cpu(cpu) ST_ASSERT(ran[cpu] == (cpu == smp_processor_id() ? 0u : 1u));
}

static u32 pingpong_done;

/* Counts that this CPU ran a call. */
static void call_back(void *unused)
{
	(void)unused;
	__atomic_fetch_add(&pingpong_done, 1, __ATOMIC_SEQ_CST);
}

/*
 * Run on another CPU in its IPI handler: calls every other CPU, the test's CPU included, and
 * waits. (Only this test calls from a handler: it stands for a second CPU that calls at the
 * same moment as the first, each waiting for the other.)
 */
static void ask_everyone(void *unused)
{
	(void)unused;
	smp_call_function_many(&cpu_online_mask, call_back, NULL, true);
}

SELFTEST(smp_call_function_many_concurrent_callers)
{
	if (nr_cpu_ids < 2)
		ST_SKIP("one CPU");
	/*
	 * This CPU waits for CPU 1 with interrupts off while CPU 1 waits for this CPU: without
	 * serving its own queue while it waits, either would wait forever.
	 */
	for (int round = 0; round < 20; round++) {
		pingpong_done = 0;
		local_irq_disable();
		smp_call_function_single(1, ask_everyone, NULL, true);
		local_irq_enable();
		ST_ASSERT_EQ(pingpong_done, nr_cpu_ids - 1);
	}
}
