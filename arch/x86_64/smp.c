// SPDX-License-Identifier: MIT
/*
 * Cross-CPU function calls (Linux's kernel/smp.c, small). Each CPU has a queue of call requests
 * (struct call_single_data) that other CPUs append to before sending it CALL_FUNCTION_VECTOR; its
 * interrupt handler empties the queue and runs each function. A caller owns one request per
 * target CPU (csd[caller][target]); a request is "locked" from the moment it is queued until the
 * target has run the function, and the caller waits for that before reusing it (csd_lock_wait)
 * and, with wait, before returning. While waiting, a caller runs its own queue, so CPUs that call
 * each other with interrupts off still make progress.
 */
#include "arch/x86_64/smp.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/sched_stats.h"

struct call_single_data {
	struct call_single_data *next;
	void (*func)(void *info);
	void *info;
	u32 locked; /* 1 from queueing until the target ran func */
};

/* One CPU's queue of requests from other CPUs. */
struct call_queue {
	spinlock_t lock; /* protects head and tail (taken with interrupts off) */
	struct call_single_data *head, *tail;
};

static struct call_queue call_queues[NR_CPUS];
static struct call_single_data csd_data[NR_CPUS][NR_CPUS];

/* Runs every request queued for this CPU, oldest first (interrupts off). */
static void flush_call_queue(void)
{
	struct call_queue *q = &call_queues[smp_processor_id()];
	u64 f = spin_lock_irqsave(&q->lock);
	struct call_single_data *csd = q->head;

	q->head = q->tail = NULL;
	spin_unlock_irqrestore(&q->lock, f);
	while (csd) {
		struct call_single_data *next = csd->next;
		void (*func)(void *) = csd->func;
		void *info = csd->info;

		/* Read next, func and info before unlocking: the caller may reuse csd at once. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		func(info);
		__atomic_store_n(&csd->locked, 0, __ATOMIC_RELEASE);
		csd = next;
	}
}

/* Waits until the target has run csd's function, running this CPU's own queue meanwhile. */
static void csd_lock_wait(struct call_single_data *csd)
{
	while (__atomic_load_n(&csd->locked, __ATOMIC_ACQUIRE)) {
		flush_call_queue();
		cpu_relax();
	}
}

/* Queues a request for func(info) on cpu (this CPU's csd for it) and sends the IPI. */
static struct call_single_data *queue_call(unsigned int cpu, void (*func)(void *), void *info)
{
	struct call_single_data *csd = &csd_data[smp_processor_id()][cpu];
	struct call_queue *q = &call_queues[cpu];

	csd_lock_wait(csd); /* the previous request without wait may still be queued */
	csd->func = func;
	csd->info = info;
	csd->next = NULL;
	csd->locked = 1;
	u64 f = spin_lock_irqsave(&q->lock);
	if (q->tail)
		q->tail->next = csd;
	else
		q->head = csd;
	q->tail = csd;
	spin_unlock_irqrestore(&q->lock, f);
	schedstat_inc(ipi_call);
	lapic_send_ipi(percpu_data[cpu].apic_id, CALL_FUNCTION_VECTOR);
	return csd;
}

void smp_call_function_many(const cpumask_t *mask, void (*func)(void *info), void *info, bool wait)
{
	cpumask_t targets = { mask->bits & cpu_online_mask.bits };
	unsigned int self, cpu;
	u64 f = read_rflags();

	/* Interrupts off: this CPU's number and its csds stay its own until all are queued. */
	local_irq_disable();
	self = smp_processor_id();
	cpumask_clear_cpu(self, &targets);
	for_each_cpu(cpu, &targets) queue_call(cpu, func, info);
	if (wait) {
		u64 t0 = rdtsc();

		for_each_cpu(cpu, &targets) csd_lock_wait(&csd_data[self][cpu]);
		schedstat_add(csd_wait_cycles, rdtsc() - t0);
	}
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

void smp_call_function_single(unsigned int cpu, void (*func)(void *info), void *info, bool wait)
{
	u64 f = read_rflags();

	local_irq_disable();
	if (cpu == smp_processor_id()) {
		func(info);
	} else if (cpu < NR_CPUS && cpumask_test_cpu(cpu, &cpu_online_mask)) {
		struct call_single_data *csd = queue_call(cpu, func, info);
		if (wait)
			csd_lock_wait(csd);
	}
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

void smp_send_reschedule(unsigned int cpu)
{
	if (cpu < NR_CPUS && cpumask_test_cpu(cpu, &cpu_online_mask)) {
		schedstat_inc(ipi_resched);
		lapic_send_ipi(percpu_data[cpu].apic_id, RESCHEDULE_VECTOR);
	}
}

void smp_call_function_interrupt(void)
{
	flush_call_queue();
}

void smp_reschedule_interrupt(void)
{
	struct task_struct *t = current;

	this_cpu()->idle_kick = 1;
	if (t)
		t->need_resched = true;
}
