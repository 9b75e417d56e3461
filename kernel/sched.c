// SPDX-License-Identifier: MIT
/*
 * The scheduler: round robin over every task in creation order, a tick that preempts user
 * code and wakes timed sleepers, and wait queues. The boot context becomes the idle task (pid 0)
 * of CPU 0, and each other CPU has its own idle task, which runs only when nothing else can.
 *
 * Several CPUs: every scheduler decision is made under the kernel lock (kernel/kernel_lock.h),
 * so the task list doubles as the run queue. A task has a CPU (task->cpu): a wake-up queues it
 * there, or on an allowed idle CPU, and sends that CPU a reschedule IPI; a CPU picks the
 * runnable tasks of its own first, round robin, then pulls one whose CPU is busy (balancing by
 * idle CPUs). A task that another CPU is still running (on_cpu) is never picked.
 */
#include "kernel/sched.h"
#include "kernel/sys.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/process.h"
#include "arch/x86_64/time.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/hrtimer.h"
#include "kernel/kernel_lock.h"
#include "kernel/lockcheck.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/gdt.h"
#include "mm/uaccess.h"

extern u8 boot_stack_bottom[];

static struct task_struct idle_task;
static struct signal_struct idle_signal = { .count = 1, .live = 1 };
static struct task_struct *task_list = &idle_task; /* idle first, then every task */
spinlock_t tasklist_lock = SPINLOCK_INIT;
int nr_threads; /* tasks on task_list after the idle task */
static u64 jiffies;
u64 cpu_ticks_busy[NR_CPUS], cpu_ticks_idle[NR_CPUS];

void sched_init(void)
{
	idle_task.pid = 0;
	idle_task.state = TASK_RUNNING;
	idle_task.stack = boot_stack_bottom;
	memcpy(idle_task.comm, "swapper", 8);
	idle_task.signal = &idle_signal;
	idle_task.group_leader = &idle_task;
	attach_thread(&idle_task);
	rlimit_init(&idle_task); /* Linux's init_task limits: kernel code maps memory unlimited */
	cred_init(&idle_task.cred); /* init_cred: the kernel (fs_init, initramfs) runs as root */
	init_waitqueue_head(&idle_signal.wait_chldexit);
	idle_task.on_cpu = 1;
	idle_task.cpus_allowed.bits = (1ULL << NR_CPUS) - 1; /* init inherits every CPU */
	this_cpu()->current_task = &idle_task;
	this_cpu()->idle_task = &idle_task;
	this_cpu()->kernel_rsp = (u64)boot_stack_bottom + KSTACK_SIZE;
}

struct task_struct *idle_task_create(unsigned int cpu)
{
	struct task_struct *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	t->stack = vmalloc(KSTACK_SIZE, GFP_KERNEL);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	t->pid = 0;
	t->state = TASK_RUNNING;
	snprintf(t->comm, sizeof(t->comm), "swapper/%u", cpu);
	t->signal = &idle_signal;
	t->group_leader = t;
	t->cred = idle_task.cred;
	t->on_cpu = 1;
	t->cpu = cpu;
	cpumask_set_cpu(cpu, &t->cpus_allowed);
	percpu_data[cpu].idle_task = t;
	return t;
}

void sched_init_ap(unsigned int cpu)
{
	struct task_struct *idle = percpu_data[cpu].idle_task;

	this_cpu()->current_task = idle;
	this_cpu()->kernel_rsp = (u64)idle->stack + KSTACK_SIZE;
	tss_set_rsp0(this_cpu()->kernel_rsp);
}

/* Appends a new task to the list (it runs once its state is TASK_RUNNING). */
void sched_add_task(struct task_struct *t)
{
	u64 f = spin_lock_irqsave(&tasklist_lock);
	struct task_struct *last = task_list;
	while (last->run_next)
		last = last->run_next;
	last->run_next = t;
	t->run_next = NULL;
	nr_threads++;
	spin_unlock_irqrestore(&tasklist_lock, f);
}

/* Removes a reaped task from the list. */
void sched_remove_task(struct task_struct *t)
{
	u64 f = spin_lock_irqsave(&tasklist_lock);
	for (struct task_struct **pp = &task_list; *pp; pp = &(*pp)->run_next) {
		if (*pp == t) {
			*pp = t->run_next;
			nr_threads--;
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
}

void attach_thread(struct task_struct *t)
{
	u64 f = spin_lock_irqsave(&tasklist_lock);
	struct task_struct **pp = &t->signal->thread_head;

	while (*pp)
		pp = &(*pp)->thread_next;
	*pp = t;
	t->thread_next = NULL;
	t->signal->nr_threads++;
	spin_unlock_irqrestore(&tasklist_lock, f);
}

void detach_thread(struct task_struct *t)
{
	u64 f = spin_lock_irqsave(&tasklist_lock);

	for (struct task_struct **pp = &t->signal->thread_head; *pp; pp = &(*pp)->thread_next) {
		if (*pp == t) {
			*pp = t->thread_next;
			t->signal->nr_threads--;
			account_thread_gone(t); /* its times stay the process's */
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
}

struct task_struct *first_task(void)
{
	return task_list;
}

struct task_struct *find_task_by_pid(int pid)
{
	if (pid <= 0)
		return NULL; /* the idle task (pid 0) is no task a pid from user space names */
	for (struct task_struct *t = task_list; t; t = t->run_next)
		if (t->pid == pid && t->state != EXIT_DEAD)
			return t;
	return NULL;
}

/* True if t may run on cpu now: runnable, allowed there, and no other CPU is running it. */
static bool can_run_here(struct task_struct *t, struct task_struct *prev, unsigned int cpu)
{
	return t->pid != 0 && t->state == TASK_RUNNING && (!t->on_cpu || t == prev) &&
	       cpumask_test_cpu(cpu, &t->cpus_allowed);
}

/* True if cpu is running something other than its idle task. */
static bool cpu_busy(unsigned int cpu)
{
	return percpu_data[cpu].current_task != percpu_data[cpu].idle_task;
}

/*
 * The next task for this CPU after prev in list order, wrapping: the first runnable one queued
 * here, else one queued on a busy or disallowed CPU (pulled here), else the idle task.
 */
static struct task_struct *pick_next_task(struct task_struct *prev)
{
	unsigned int cpu = smp_processor_id();
	struct task_struct *t = prev->run_next ? prev->run_next : task_list, *pull = NULL;

	for (int pass = 0; pass < 2; pass++) {
		for (; t; t = t->run_next) {
			if (!can_run_here(t, prev, cpu))
				continue;
			if (t->cpu == cpu)
				return t;
			if (!pull && (t->cpu >= nr_cpu_ids || cpu_busy(t->cpu) ||
				      !cpumask_test_cpu(t->cpu, &t->cpus_allowed)))
				pull = t;
		}
		t = task_list;
	}
	return pull ? pull : this_cpu()->idle_task;
}

/*
 * After the switch, on the new task's stack: the task switched away from may now be picked by
 * other CPUs (Linux's finish_task_switch clearing on_cpu), and a task that exited for good
 * (an auto-reaped child) is freed: its stack could not be freed while it was running on it.
 */
static void finish_task_switch(void)
{
	struct percpu *c = this_cpu();
	struct task_struct *prev = c->prev_task, *dead = c->dead_task;

	if (prev) {
		c->prev_task = NULL;
		__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
		/* Still runnable but no longer allowed here (sched_setaffinity): wake its CPU. */
		if (prev->state == TASK_RUNNING && prev->cpu != smp_processor_id())
			smp_send_reschedule(prev->cpu);
	}
	if (!dead)
		return;
	c->dead_task = NULL;
	sched_remove_task(dead);
	free_task(dead);
}

/*
 * Whether a runnable task may be waiting for a CPU: set by every wake-up and recomputed by each
 * schedule(). A tick that arrives while this CPU runs user code reads it without the kernel lock
 * and asks for a reschedule (which takes the lock) only when it is set, or every
 * SCHED_FORCE_TICKS-th tick in case a task became runnable some other way.
 */
static bool sched_tasks_waiting = true;
#define SCHED_FORCE_TICKS 8

/*
 * The earliest wake_at_ns of a timed sleeper (~0: none), so that a tick without the kernel lock
 * defers the timed wake-ups only when one is due. Lowered by schedule() as a timed sleeper goes
 * to sleep, recomputed by each sched_timer_wakeups(); both under the kernel lock, read without.
 */
static u64 sched_next_wake_ns;

/*
 * True if a runnable task other than next is on no CPU, or prev is still runnable but loses its
 * CPU to next: someone waits. Kernel lock held.
 */
static bool tasks_waiting(struct task_struct *prev, struct task_struct *next)
{
	if (prev != next && prev->pid != 0 && prev->state == TASK_RUNNING)
		return true;
	for (struct task_struct *t = task_list; t; t = t->run_next)
		if (t != next && t != prev && t->pid != 0 && t->state == TASK_RUNNING && !t->on_cpu)
			return true;
	return false;
}

void schedule(void)
{
	u64 f = read_rflags();

	if (lockcheck_enabled)
		lockcheck_might_sleep(&kernel_lock_data);
	local_irq_disable();
	struct task_struct *prev = current, *next = pick_next_task(prev);
	prev->need_resched = false;
	__atomic_store_n(&sched_tasks_waiting, tasks_waiting(prev, next), __ATOMIC_RELAXED);
	if (prev->state == TASK_INTERRUPTIBLE && prev->wake_at_ns &&
	    prev->wake_at_ns < sched_next_wake_ns)
		__atomic_store_n(&sched_next_wake_ns, prev->wake_at_ns, __ATOMIC_RELAXED);
	if (next != prev) {
		account_switch(prev, next);
		next->on_cpu = 1;
		next->cpu = smp_processor_id();
		this_cpu()->prev_task = prev;
		arch_switch_to(prev, next);
		finish_task_switch();
	}
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

/* Runs first in a new task, after the switch into it. */
void schedule_tail(void);
void schedule_tail(void)
{
	struct task_struct *t = current;

	finish_task_switch();
	if (t->set_child_tid) {
		put_user_u32((u32)t->pid, (u32 *)t->set_child_tid);
		t->set_child_tid = 0;
	}
	local_irq_enable();
}

/*
 * Queues a task that became runnable on a CPU (Linux's try_to_wake_up's select_task_rq): its own
 * CPU if allowed and not busy, else an allowed idle CPU, else its own (or the first allowed); a
 * CPU other than this one gets a reschedule IPI if it idles. A task still on a CPU (it is about
 * to sleep there) stays where it is.
 */
void sched_enqueue_task(struct task_struct *t)
{
	unsigned int cpu = t->cpu, c;

	if (t->on_cpu)
		return;
	if (cpu >= nr_cpu_ids || !cpumask_test_cpu(cpu, &t->cpus_allowed) ||
	    !cpumask_test_cpu(cpu, &cpu_online_mask))
		cpu = cpumask_first(&(cpumask_t){ t->cpus_allowed.bits & cpu_online_mask.bits });
	if (cpu >= nr_cpu_ids)
		cpu = smp_processor_id();
	if (cpu_busy(cpu)) {
		for_each_online_cpu(c) if (cpumask_test_cpu(c, &t->cpus_allowed) && !cpu_busy(c))
		{
			cpu = c;
			break;
		}
	}
	t->cpu = cpu;
	__atomic_store_n(&sched_tasks_waiting, true, __ATOMIC_RELAXED);
	if (cpu != smp_processor_id() && !cpu_busy(cpu))
		smp_send_reschedule(cpu);
}

/*
 * Makes t runnable if its state is one of states (a mask of TASK_STATE_BIT()s) and queues it on a
 * CPU (Linux's wake_up_state / try_to_wake_up): the one way a sleeping, stopped or traced task
 * becomes runnable, so it always gets a valid CPU and an idle CPU its reschedule IPI.
 */
bool wake_up_state(struct task_struct *t, unsigned int states)
{
	if (!(states & TASK_STATE_BIT(t->state)))
		return false;
	t->state = TASK_RUNNING;
	sched_enqueue_task(t);
	return true;
}

void wake_up_process(struct task_struct *t)
{
	wake_up_state(t, TASK_STATE_BIT(TASK_INTERRUPTIBLE));
}

bool sched_timer_wakeups(void)
{
	u64 now = ktime_get_ns(), next = ~0ULL;
	bool woken = timers_run(now); /* alarms, POSIX timers, timerfds (kernel/hrtimer.c) */

	for (struct task_struct *t = task_list; t; t = t->run_next) {
		if (t->state != TASK_INTERRUPTIBLE || !t->wake_at_ns)
			continue;
		if (t->wake_at_ns <= now) {
			wake_up_process(t);
			woken = true;
		} else if (t->wake_at_ns < next)
			next = t->wake_at_ns;
	}
	__atomic_store_n(&sched_next_wake_ns, next, __ATOMIC_RELAXED);
	return woken;
}

void scheduler_tick(void)
{
	unsigned int cpu = smp_processor_id();

	if (cpu == 0)
		jiffies++;
	if (cpu_busy(cpu))
		cpu_ticks_busy[cpu]++;
	else
		cpu_ticks_idle[cpu]++;
	this_cpu()->ticks++;
	if (kernel_lock_held())
		sched_timer_wakeups();
	else if (cpu == 0 &&
		 ktime_get_ns() >= min(__atomic_load_n(&sched_next_wake_ns, __ATOMIC_RELAXED),
				       hrtimer_next_expiry()))
		kernel_lock_defer(
			KERNEL_PENDING_TICK); /* one CPU's tick is enough, and only if due */
	/*
	 * Round robin: another task may want this CPU. Without the lock (user mode, idle), only if
	 * one may be waiting, so a CPU running user code alone does not take the lock every tick.
	 */
	if (kernel_lock_held() || __atomic_load_n(&sched_tasks_waiting, __ATOMIC_RELAXED) ||
	    this_cpu()->ticks % SCHED_FORCE_TICKS == 0)
		current->need_resched = true;
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	u64 f = spin_lock_irqsave(&wq->lock);
	e->task = current;
	bool queued = false;
	for (struct wait_queue_entry *i = wq->head; i; i = i->next)
		queued |= i == e;
	if (!queued) {
		e->next = wq->head;
		wq->head = e;
	}
	current->state = TASK_INTERRUPTIBLE;
	spin_unlock_irqrestore(&wq->lock, f);
}

void prepare_to_wait_uninterruptible(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	prepare_to_wait(wq, e);
	current->sleep_uninterruptible = true;
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	u64 f = spin_lock_irqsave(&wq->lock);
	current->state = TASK_RUNNING;
	current->sleep_uninterruptible = false;
	for (struct wait_queue_entry **pp = &wq->head; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	spin_unlock_irqrestore(&wq->lock, f);
}

void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	u64 f = spin_lock_irqsave(&wq->lock);
	e->task = current;
	e->next = wq->head;
	wq->head = e;
	spin_unlock_irqrestore(&wq->lock, f);
}

void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	u64 f = spin_lock_irqsave(&wq->lock);
	for (struct wait_queue_entry **pp = &wq->head; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	spin_unlock_irqrestore(&wq->lock, f);
}

void wake_up(struct wait_queue_head *wq)
{
	u64 f = spin_lock_irqsave(&wq->lock);
	for (struct wait_queue_entry *e = wq->head; e; e = e->next)
		wake_up_process(e->task);
	spin_unlock_irqrestore(&wq->lock, f);
}

/*
 * The idle loop, entered without the kernel lock: take it, run whatever is runnable here, let it
 * go and halt if nothing is. Interrupts stay off from the last look at the run queue to the halt
 * ("sti; hlt" cannot lose a wake-up's IPI in between). A halt that ends without a reason to look
 * again (a reschedule IPI, deferred work, or every 8th wake-up, to pull tasks queued on busy
 * CPUs) halts again without taking the lock: idle CPUs do not contend for it on every tick.
 */
void cpu_idle(void)
{
	struct percpu *c = this_cpu();

	for (;;) {
		local_irq_enable();
		kernel_lock();
		local_irq_disable();
		schedule();
		bool idle = pick_next_task(current) == current;
		kernel_unlock();
		while (idle) {
			c->idle_kick = 0;
			__asm__ __volatile__("sti; hlt; cli" ::: "memory");
			idle = !c->idle_kick && !kernel_lock_work_pending() &&
			       ++c->idle_wakeups % 8 != 0;
		}
	}
}
