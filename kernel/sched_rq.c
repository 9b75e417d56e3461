// SPDX-License-Identifier: MIT
/*
 * Per-CPU run queues (Linux's kernel/sched/core.c, small): each CPU has a struct rq with its own
 * lock and a FIFO of the runnable tasks waiting for it; schedule() puts the task it leaves (if
 * still runnable) at the tail and runs the head, round robin. A wake-up (try_to_wake_up) picks a
 * CPU (select_task_rq), queues the task there and sends that CPU a reschedule IPI if it idles.
 * An idle CPU pulls a task queued on a busy CPU (idle_balance). The idle loop polls a little
 * before it halts, and a waker that finds it polling needs no IPI (Linux's haltpoll and
 * TIF_POLLING_NRFLAG).
 *
 * Locking (docs/locking.md): a task's pi_lock serialises its wake-ups; rq->lock covers one
 * queue; two queues are locked lower CPU first (double_rq_lock). The callers still hold the
 * kernel lock today, so the run-queue locks are never contended yet, but the code does not
 * rely on it: schedule() holds its queue's lock from the choice of the next task across the
 * switch, and the next task lets go of it in finish_task_switch after marking the previous one
 * off the CPU (on_cpu 0), so a task is never picked, pulled or woken onto a CPU while another
 * still runs on its stack.
 */
#include "kernel/sched_rq.h"
#include "kernel/sched_stats.h"
#include "kernel/lockcheck.h"
#include "arch/x86_64/clockevent.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/process.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/tlb.h"

struct rq runqueues[NR_CPUS];
u64 sched_next_wake_ns;

/* How long an idle CPU polls its queue before halting, in TSC cycles (about 20 us at 2 GHz). */
#define IDLE_POLL_CYCLES 40000

void init_rq(unsigned int cpu, struct task_struct *idle)
{
	struct rq *rq = cpu_rq(cpu);

	rq->cpu = cpu;
	rq->idle = idle;
	rq->curr = idle;
	if (cpu == 0)
		lockcheck_register_array(runqueues, sizeof(runqueues[0]), NR_CPUS);
}

/* Appends p to rq's queue: runnable there, waiting for the CPU. rq->lock held. */
static void enqueue_task(struct rq *rq, struct task_struct *p)
{
	p->rq_next = NULL;
	if (rq->tail)
		rq->tail->rq_next = p;
	else
		rq->head = p;
	rq->tail = p;
	WRITE_ONCE(rq->nr_queued, rq->nr_queued + 1);
	p->rq_queued = true;
	p->on_rq = 1;
	p->cpu = rq->cpu;
}

/* Takes queued p off rq's queue; it stays on_rq (the caller runs or moves it). rq->lock held. */
static void dequeue_task(struct rq *rq, struct task_struct *p)
{
	struct task_struct **pp = &rq->head, *prev = NULL;

	while (*pp && *pp != p) {
		prev = *pp;
		pp = &(*pp)->rq_next;
	}
	if (!*pp)
		return;
	*pp = p->rq_next;
	if (rq->tail == p)
		rq->tail = prev;
	p->rq_next = NULL;
	p->rq_queued = false;
	WRITE_ONCE(rq->nr_queued, rq->nr_queued - 1);
}

void sched_dequeue_task(struct task_struct *p)
{
	struct rq *rq = cpu_rq(p->cpu);
	u64 f = spin_lock_irqsave(&rq->lock);

	if (p->rq_queued)
		dequeue_task(rq, p);
	p->on_rq = 0;
	spin_unlock_irqrestore(&rq->lock, f);
}

/*
 * Locks the run queue p is on (Linux's task_rq_lock without pi_lock): p->cpu may change until
 * its queue's lock is held, so look again once it is. Interrupts off on return (flags saved).
 */
static struct rq *task_rq_lock(struct task_struct *p, u64 *flags)
{
	for (;;) {
		struct rq *rq = cpu_rq(READ_ONCE(p->cpu));

		*flags = spin_lock_irqsave(&rq->lock);
		if (rq->cpu == READ_ONCE(p->cpu))
			return rq;
		spin_unlock_irqrestore(&rq->lock, *flags);
	}
}

/* Locks two run queues, the lower CPU's first (Linux's double_rq_lock); interrupts off. */
static void double_rq_lock(struct rq *a, struct rq *b)
{
	if (a == b) {
		spin_lock(&a->lock);
	} else if (a->cpu < b->cpu) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

/* Unlocks what double_rq_lock locked. */
static void double_rq_unlock(struct rq *a, struct rq *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

/*
 * Tells cpu that its queue got a task: a reschedule IPI if it idles, unless its idle loop is
 * polling (it sees the queue without one). The running task there finds it at its next tick.
 */
static void resched_idle_cpu(unsigned int cpu)
{
	struct percpu *pc = &percpu_data[cpu];

	if (cpu == smp_processor_id()) {
		if (current == cpu_rq(cpu)->idle)
			current->need_resched = true;
		return;
	}
	if (cpu_busy(cpu))
		return;
	__atomic_store_n(&pc->idle_kick, 1, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&pc->idle_polling, __ATOMIC_SEQ_CST))
		smp_send_reschedule(cpu);
}

unsigned int select_task_rq(struct task_struct *p)
{
	cpumask_t allowed = { p->cpus_allowed.bits & cpu_online_mask.bits };
	unsigned int cpu = p->cpu, c;

	if (cpu >= nr_cpu_ids || !cpumask_test_cpu(cpu, &allowed))
		cpu = cpumask_first(&allowed);
	if (cpu >= nr_cpu_ids)
		return smp_processor_id(); /* no online CPU allowed: never out of range */
	if (!cpu_busy(cpu))
		return cpu;
	for_each_cpu(c, &allowed) if (!cpu_busy(c)) return c;
	return cpu;
}

/* Queues runnable p (on_rq 0) on the CPU select_task_rq chooses, and tells that CPU. */
static void activate_task(struct task_struct *p)
{
	unsigned int cpu = select_task_rq(p);
	struct rq *rq = cpu_rq(cpu);
	u64 f = spin_lock_irqsave(&rq->lock);

	enqueue_task(rq, p);
	spin_unlock_irqrestore(&rq->lock, f);
	schedstat_inc(ttwu);
	if (cpu == smp_processor_id())
		schedstat_inc(ttwu_local);
	else
		schedstat_inc(ttwu_remote);
	resched_idle_cpu(cpu);
}

void wake_up_new_task(struct task_struct *p)
{
	u64 f = spin_lock_irqsave(&p->pi_lock);

	p->state = TASK_RUNNING;
	activate_task(p);
	spin_unlock_irqrestore(&p->pi_lock, f);
}

/*
 * Makes p runnable if its state is one of states (Linux's try_to_wake_up). Under p->pi_lock, so
 * one waker at a time. A task still on a run queue (running, maybe about to sleep in schedule(),
 * or queued) only gets TASK_RUNNING back (ttwu_runnable): schedule() then keeps it. Otherwise
 * it went to sleep in schedule(), which took it off its queue under the queue's lock; it is
 * queued anew once its CPU has finished switching away from it (on_cpu 0).
 */
bool wake_up_state(struct task_struct *p, unsigned int states)
{
	u64 f = spin_lock_irqsave(&p->pi_lock), rf;
	bool woken = false;

	if (!(states & TASK_STATE_BIT(p->state)))
		goto out;
	woken = true;
	struct rq *rq = task_rq_lock(p, &rf);
	if (p->on_rq) {
		p->state = TASK_RUNNING;
		spin_unlock_irqrestore(&rq->lock, rf);
		goto out;
	}
	spin_unlock_irqrestore(&rq->lock, rf);
	while (__atomic_load_n(&p->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax();
	p->state = TASK_RUNNING;
	activate_task(p);
out:
	spin_unlock_irqrestore(&p->pi_lock, f);
	return woken;
}

void wake_up_process(struct task_struct *t)
{
	wake_up_state(t, TASK_STATE_BIT(TASK_INTERRUPTIBLE));
}

void set_cpus_allowed_ptr(struct task_struct *p, cpumask_t mask)
{
	u64 f = spin_lock_irqsave(&p->pi_lock), rf;
	struct rq *rq = task_rq_lock(p, &rf);
	bool requeue = false;

	p->cpus_allowed = mask;
	if (cpumask_test_cpu(rq->cpu, &mask)) {
		/* allowed where it is */
	} else if (rq->curr == p) {
		p->need_resched = true;
		if (rq->cpu != smp_processor_id())
			smp_send_reschedule(rq->cpu);
	} else if (p->rq_queued) {
		dequeue_task(rq, p);
		p->on_rq = 0;
		requeue = true;
	} else {
		p->cpu = cpumask_first(&(cpumask_t){ mask.bits & cpu_online_mask.bits });
		if (p->cpu >= nr_cpu_ids)
			p->cpu = smp_processor_id();
	}
	spin_unlock_irqrestore(&rq->lock, rf);
	if (requeue)
		activate_task(p);
	spin_unlock_irqrestore(&p->pi_lock, f);
}

void kick_process(struct task_struct *p)
{
	unsigned int cpu = READ_ONCE(p->cpu);

	if (cpu != smp_processor_id() && cpu < nr_cpu_ids && READ_ONCE(cpu_rq(cpu)->curr) == p) {
		schedstat_inc(kick);
		smp_send_reschedule(cpu);
	}
}

/*
 * An idle CPU takes a task queued on a busy CPU (Linux's newidle balance, one task): the first
 * one allowed here that no CPU runs. Interrupts off, no run-queue lock held.
 */
static void idle_balance(struct rq *this_rq)
{
	unsigned int n = nr_cpu_ids;

	for (unsigned int i = 1; i < n; i++) {
		struct rq *src = cpu_rq((this_rq->cpu + i) % n);
		struct task_struct *p;

		if (!READ_ONCE(src->nr_queued) || !cpu_busy(src->cpu))
			continue;
		double_rq_lock(this_rq, src);
		for (p = src->head; p; p = p->rq_next)
			if (!p->on_cpu && cpumask_test_cpu(this_rq->cpu, &p->cpus_allowed))
				break;
		if (p) {
			dequeue_task(src, p);
			enqueue_task(this_rq, p);
			schedstat_inc(pull);
		}
		double_rq_unlock(this_rq, src);
		if (p)
			return;
	}
}

/*
 * After the switch, on the new task's stack, with the run queue's lock that schedule() took:
 * the task switched away from may now run elsewhere (on_cpu 0, Linux's finish_task_switch),
 * then the lock goes. A task that left a CPU it may no longer use is queued on an allowed one,
 * and a task that exited for good (an auto-reaped child) is freed: its stack could not be freed
 * while it was running on it.
 */
void finish_task_switch(void)
{
	struct percpu *c = this_cpu();
	struct task_struct *prev = c->prev_task, *dead = c->dead_task;
	bool migrate = false;

	if (prev) {
		c->prev_task = NULL;
		migrate = prev->migrate_pending;
		prev->migrate_pending = false;
		__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	}
	spin_unlock(&cpu_rq(smp_processor_id())->lock);
	if (migrate) {
		u64 f = spin_lock_irqsave(&prev->pi_lock);

		activate_task(prev);
		spin_unlock_irqrestore(&prev->pi_lock, f);
	}
	if (!dead)
		return;
	c->dead_task = NULL;
	sched_remove_task(dead);
	free_task(dead);
}

/*
 * Puts prev back where it belongs as schedule() leaves it, rq->lock held: off the queue if it
 * sleeps, stopped or exited; to another CPU (migrate_pending) if this one is no longer allowed;
 * else at the tail of the queue, behind the tasks waiting (round robin).
 */
static void put_prev_task(struct rq *rq, struct task_struct *prev)
{
	if (prev == rq->idle)
		return;
	if (prev->state != TASK_RUNNING) {
		prev->on_rq = 0;
		if (prev->state == TASK_INTERRUPTIBLE && prev->wake_at_ns &&
		    prev->wake_at_ns < sched_next_wake_ns) {
			WRITE_ONCE(sched_next_wake_ns, prev->wake_at_ns);
			clockevent_timer_armed(prev->wake_at_ns); /* this CPU wakes it on time */
		}
	} else if (!cpumask_test_cpu(rq->cpu, &prev->cpus_allowed)) {
		prev->on_rq = 0;
		prev->migrate_pending = true;
	} else {
		enqueue_task(rq, prev);
	}
}

/* The next task to run here: the head of the queue, else the idle task. rq->lock held. */
static struct task_struct *pick_next_task(struct rq *rq)
{
	struct task_struct *next = rq->head;

	if (!next)
		return rq->idle;
	dequeue_task(rq, next);
	return next;
}

void schedule(void)
{
	u64 f = read_rflags();

	if (lockcheck_enabled)
		lockcheck_might_sleep(&kernel_lock_data);
	local_irq_disable();
	struct rq *rq = cpu_rq(smp_processor_id());
	struct task_struct *prev = current, *next;

	if (!READ_ONCE(rq->nr_queued) && (prev == rq->idle || prev->state != TASK_RUNNING))
		idle_balance(rq);
	spin_lock(&rq->lock);
	prev->need_resched = false;
	put_prev_task(rq, prev);
	next = pick_next_task(rq);
	if (next != prev) {
		account_switch(prev, next);
		next->on_cpu = 1;
		WRITE_ONCE(rq->curr, next);
		this_cpu()->prev_task = prev;
		arch_switch_to(prev, next);
		finish_task_switch(); /* lets go of rq->lock */
	} else {
		spin_unlock(&rq->lock);
	}
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

/*
 * Polls for work for a short while before halting (Linux's cpuidle haltpoll): a wake-up soon
 * after the CPU went idle then costs no IPI and no halt. idle_polling tells wakers not to send
 * the IPI; it is cleared before the last look, so a wake-up after it sends one. Interrupts off.
 */
static bool idle_poll(struct percpu *c, struct rq *rq)
{
	u64 start = rdtsc();
	bool found = false;

	__atomic_store_n(&c->idle_polling, 1, __ATOMIC_SEQ_CST);
	while (!found && rdtsc() - start < IDLE_POLL_CYCLES) {
		cpu_relax();
		found = READ_ONCE(c->idle_kick) || READ_ONCE(rq->nr_queued);
	}
	__atomic_store_n(&c->idle_polling, 0, __ATOMIC_SEQ_CST);
	found = found || READ_ONCE(c->idle_kick) || READ_ONCE(rq->nr_queued);
	if (found)
		schedstat_inc(idle_poll_found);
	return found;
}

/*
 * The idle loop, entered without the kernel lock: take it, run whatever is runnable here, let it
 * go, poll a little and halt if nothing is. Interrupts stay off from the last look at the run
 * queue to the halt ("sti; hlt" cannot lose a wake-up's IPI in between). A halt that ends without
 * a reason to look again (a reschedule IPI, deferred work, a queued task, or every 8th wake-up,
 * to pull tasks queued on busy CPUs) halts again without taking the lock: idle CPUs do not
 * contend for it on every tick.
 */
void cpu_idle(void)
{
	struct percpu *c = this_cpu();
	struct rq *rq = cpu_rq(smp_processor_id());

	for (;;) {
		local_irq_enable();
		kernel_lock();
		local_irq_disable();
		c->idle_kick = 0;
		schedule();
		bool idle = !READ_ONCE(rq->nr_queued);
		kernel_unlock();
		if (idle && idle_poll(c, rq))
			idle = false;
		/*
		 * Going to halt: leave the mm held lazily (Linux's leave_mm on entering an idle
		 * state that loses the TLB), so shootdowns and the exit of its last user need no
		 * IPI to wake this CPU.
		 */
		if (idle)
			leave_mm();
		while (idle) {
			c->idle_kick = 0;
			schedstat_inc(idle_halts);
			__asm__ __volatile__("sti; hlt; cli" ::: "memory");
			idle = !c->idle_kick && !kernel_lock_work_pending() &&
			       !READ_ONCE(rq->nr_queued) && ++c->idle_wakeups % 8 != 0;
		}
	}
}
