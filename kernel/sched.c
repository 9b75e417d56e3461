// SPDX-License-Identifier: MIT
/*
 * Tasks and time: the list of every task in creation order, idle tasks, a tick that preempts
 * user code and wakes timed sleepers, and wait queues. The boot context becomes the idle task
 * (pid 0) of CPU 0, and each other CPU has its own idle task, which runs only when nothing else
 * can. Choosing what runs where is kernel/sched_rq.c's: per-CPU run queues, wake-ups, the
 * switch and the idle loop.
 */
#include "kernel/sched_rq.h"
#include "kernel/sys.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/process.h"
#include "arch/x86_64/clockevent.h"
#include "arch/x86_64/time.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/hrtimer.h"
#include "kernel/kernel_lock.h"
#include "kernel/lockcheck.h"
#include "kernel/sched_stats.h"
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
	init_rq(0, &idle_task);
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
	init_rq(cpu, t);
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
	clockevent_program(); /* this CPU's event for the next expiry, the others' may be later */
	return woken;
}

u64 timers_next_event(void)
{
	return min(__atomic_load_n(&sched_next_wake_ns, __ATOMIC_RELAXED), hrtimer_next_expiry());
}

/*
 * Runs the due timers and timed wake-ups now if this CPU holds the kernel lock (the interrupt
 * came in kernel code), a woken task getting the CPU as from the tick; else leaves them to the
 * lock's next holder: this CPU itself on its way back to user mode or out of its halt, or the
 * holder's successor when another CPU holds it (kernel_lock_run_pending).
 */
void hrtimer_interrupt(void)
{
	if (kernel_lock_held()) {
		if (sched_timer_wakeups())
			current->need_resched = true;
	} else if (ktime_get_ns() >= timers_next_event()) {
		kernel_lock_defer(KERNEL_PENDING_TICK);
		schedstat_inc(timers_deferred);
	}
}

/* Every this many ticks a CPU reschedules even when nothing is queued for it. */
#define SCHED_FORCE_TICKS 8

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
	else if (ktime_get_ns() >= timers_next_event()) {
		kernel_lock_defer(KERNEL_PENDING_TICK); /* only if due */
		schedstat_inc(timers_deferred);
	}
	/*
	 * Round robin: a task queued here wants this CPU. Without the lock (user mode, idle), only
	 * then, or every SCHED_FORCE_TICKS-th tick, so a CPU running user code alone does not take
	 * the lock every tick.
	 */
	if (kernel_lock_held() || READ_ONCE(cpu_rq(cpu)->nr_queued) ||
	    this_cpu()->ticks % SCHED_FORCE_TICKS == 0)
		current->need_resched = true;
}

/* Links e into wq: at the head, or at the tail if exclusive (wq->lock held). */
static void __add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	struct wait_queue_entry **pp = &wq->head;

	if (e->flags & WQ_FLAG_EXCLUSIVE)
		while (*pp)
			pp = &(*pp)->next;
	e->next = *pp;
	*pp = e;
}

/* Queues the current task on wq (once) and marks it sleeping. */
static void __prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *e,
			      unsigned int flags)
{
	u64 f = spin_lock_irqsave(&wq->lock);
	e->task = current;
	bool queued = false;
	for (struct wait_queue_entry *i = wq->head; i; i = i->next)
		queued |= i == e;
	if (!queued) {
		e->func = NULL;
		e->flags = flags;
		__add_wait_queue(wq, e);
	}
	current->state = TASK_INTERRUPTIBLE;
	spin_unlock_irqrestore(&wq->lock, f);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	__prepare_to_wait(wq, e, 0);
}

void prepare_to_wait_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	__prepare_to_wait(wq, e, WQ_FLAG_EXCLUSIVE);
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
	add_wait_queue_func(wq, e, NULL, 0);
}

void add_wait_queue_func(struct wait_queue_head *wq, struct wait_queue_entry *e,
			 wait_queue_func_t func, unsigned int flags)
{
	u64 f = spin_lock_irqsave(&wq->lock);
	e->task = current;
	e->func = func;
	e->flags = flags;
	__add_wait_queue(wq, e);
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
	wake_up_poll(wq, 0);
}

/*
 * Linux's __wake_up_common: every entry in order, each task woken or its function called, up to
 * the first exclusive entry that woke someone.
 */
void wake_up_poll(struct wait_queue_head *wq, unsigned int key)
{
	u64 f = spin_lock_irqsave(&wq->lock);
	for (struct wait_queue_entry *e = wq->head, *next; e; e = next) {
		next = e->next;
		int woke = e->func ? e->func(e, key) : (wake_up_process(e->task), 1);

		if (woke && (e->flags & WQ_FLAG_EXCLUSIVE))
			break;
	}
	spin_unlock_irqrestore(&wq->lock, f);
}

void wake_up_pollfree(struct wait_queue_head *wq)
{
	u64 f = spin_lock_irqsave(&wq->lock);
	struct wait_queue_entry **pp = &wq->head;

	while (*pp) {
		struct wait_queue_entry *e = *pp;

		if (!e->func) {
			pp = &e->next;
			continue;
		}
		*pp = e->next;
		e->next = NULL;
		e->func(e, POLLFREE_KEY);
	}
	spin_unlock_irqrestore(&wq->lock, f);
}
