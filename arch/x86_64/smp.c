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
#include "kernel/cmdline.h"
#include "kernel/string.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/sched_stats.h"

struct call_single_data {
	struct call_single_data *next;
	void (*func)(void *info);
	void *info;
	u32 locked; /* 1 from queueing until the target ran func */
	u32 counted; /* part of a halting caller's call: the target counts it in call_waits */
};

/*
 * A caller's halting wait (csd_wait_halts): how many of its targets have not yet run its function,
 * and whether it may halt, in which case the target that brings pending to 0 sends it an IPI. One
 * per CPU; written by the caller before it queues and by the targets (atomic operations).
 */
struct call_wait {
	u32 pending;
	u32 halts;
};

static struct call_wait call_waits[NR_CPUS];

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
		bool counted = csd->counted;
		unsigned int caller = (unsigned int)((csd - &csd_data[0][0]) / NR_CPUS);

		/* Read next, func and info before unlocking: the caller may reuse csd at once. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		func(info);
		__atomic_store_n(&csd->locked, 0, __ATOMIC_SEQ_CST);
		/*
		 * The last target of a halting caller wakes it, if it said it halts. It says so
		 * before it looks at pending, and this looks after taking pending to 0 (both
		 * sequentially consistent), so one of them sees the other: no wake-up is lost.
		 */
		if (counted) {
			struct call_wait *w = &call_waits[caller];

			if (!__atomic_sub_fetch(&w->pending, 1, __ATOMIC_SEQ_CST) &&
			    __atomic_load_n(&w->halts, __ATOMIC_SEQ_CST)) {
				schedstat_inc(ipi_csd_wake);
				lapic_send_ipi(percpu_data[caller].apic_id, CALL_FUNCTION_VECTOR);
			}
		}
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

/*
 * Whether a caller that waits for other CPUs with interrupts on halts after a short spin, woken by
 * the last target's acknowledgement (an IPI), instead of spinning until then. Under a hypervisor
 * (CPUID.1:ECX bit 31) a spinning virtual CPU keeps its host thread busy while the targets' host
 * threads may be waiting for a core, so halting gives the host the time to run them; on real
 * hardware every CPU runs, the acknowledgement comes in microseconds, and spinning answers
 * faster (Linux's native smp_call_function spins). The boot option csd_wait=spin or
 * csd_wait=halt overrides the choice. Decided at the first wait: 1 halt, 2 spin, 0 not yet.
 */
static int csd_wait_mode;

/* How long a waiter spins before it halts, in TSC cycles (about 20 us at 2 GHz). */
#define CSD_SPIN_CYCLES 40000

static bool csd_wait_halts(void)
{
	int mode = READ_ONCE(csd_wait_mode);

	if (!mode) {
		const char *opt = cmdline_get("csd_wait");
		bool hypervisor = cpuid(1, 0).ecx & (1U << 31);

		if (opt && !strcmp(opt, "spin"))
			hypervisor = false;
		else if (opt && !strcmp(opt, "halt"))
			hypervisor = true;
		mode = hypervisor ? 1 : 2;
		WRITE_ONCE(csd_wait_mode, mode);
	}
	return mode == 1;
}

/*
 * The wait of a caller whose interrupts were on, under a hypervisor: spins a while for w's
 * targets, then halts with interrupts on until the last one's IPI (or any interrupt) wakes it.
 * Returns with interrupts off.
 */
static void call_wait_halt(struct call_wait *w)
{
	u64 start = rdtsc();

	while (rdtsc() - start < CSD_SPIN_CYCLES) {
		if (!__atomic_load_n(&w->pending, __ATOMIC_ACQUIRE))
			return;
		flush_call_queue();
		cpu_relax();
	}
	for (;;) {
		local_irq_disable();
		__atomic_store_n(&w->halts, 1, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&w->pending, __ATOMIC_SEQ_CST))
			break;
		schedstat_inc(csd_halts);
		/* An IPI sent since halts was set wakes the hlt: sti holds interrupts off one
		 * more instruction. The handler runs this CPU's own queue. */
		__asm__ __volatile__("sti; hlt" ::: "memory");
	}
	__atomic_store_n(&w->halts, 0, __ATOMIC_RELAXED);
}

/* Queues a request for func(info) on cpu (this CPU's csd for it) and sends the IPI. */
static struct call_single_data *queue_call(unsigned int cpu, void (*func)(void *), void *info,
					   bool counted)
{
	struct call_single_data *csd = &csd_data[smp_processor_id()][cpu];
	struct call_queue *q = &call_queues[cpu];

	csd_lock_wait(csd); /* the previous request without wait may still be queued */
	csd->func = func;
	csd->info = info;
	csd->next = NULL;
	csd->counted = counted;
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

/*
 * smp_call_function_many, with local(local_info) run on this CPU (interrupts off) once the IPIs
 * are sent and before the wait, so that its work overlaps the targets' (Linux's
 * smp_call_function_many_cond with SCF_RUN_LOCAL).
 */
static void call_many(const cpumask_t *mask, void (*func)(void *info), void *info, bool wait,
		      void (*local)(void *info), void *local_info)
{
	cpumask_t targets = { mask->bits & cpu_online_mask.bits };
	unsigned int self, cpu, n = 0;
	u64 f = read_rflags();

	/* Interrupts off: this CPU's number and its csds stay its own until all are queued. */
	local_irq_disable();
	self = smp_processor_id();
	cpumask_clear_cpu(self, &targets);
	/*
	 * A halting wait counts its targets' acknowledgements; not in an interrupt handler that
	 * came while this CPU halted in such a wait already (call_waits[self] is in use).
	 */
	struct call_wait *w = &call_waits[self];
	bool halt = wait && (f & X86_EFLAGS_IF) && csd_wait_halts() &&
		    !__atomic_load_n(&w->pending, __ATOMIC_RELAXED);
	if (halt) {
		for_each_cpu(cpu, &targets) n++;
		__atomic_store_n(&w->pending, n, __ATOMIC_SEQ_CST);
	}
	for_each_cpu(cpu, &targets) queue_call(cpu, func, info, halt);
	if (local)
		local(local_info);
	if (wait) {
		u64 t0 = rdtsc();

		if (halt)
			call_wait_halt(w);
		else
			for_each_cpu(cpu, &targets) csd_lock_wait(&csd_data[self][cpu]);
		schedstat_add(csd_wait_cycles, rdtsc() - t0);
	}
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

void smp_call_function_many(const cpumask_t *mask, void (*func)(void *info), void *info, bool wait)
{
	call_many(mask, func, info, wait, NULL, NULL);
}

void smp_call_function_many_local(const cpumask_t *mask, void (*func)(void *info), void *info,
				  void (*local)(void *info), void *local_info)
{
	call_many(mask, func, info, true, local, local_info);
}

void smp_call_function_single(unsigned int cpu, void (*func)(void *info), void *info, bool wait)
{
	u64 f = read_rflags();

	local_irq_disable();
	if (cpu == smp_processor_id()) {
		func(info);
	} else if (cpu < NR_CPUS && cpumask_test_cpu(cpu, &cpu_online_mask)) {
		struct call_single_data *csd = queue_call(cpu, func, info, false);
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
