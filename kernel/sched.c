// SPDX-License-Identifier: MIT
/*
 * The scheduler: round robin over every task in creation order, a tick that preempts user
 * code and wakes timed sleepers, and wait queues. The boot context becomes the idle task (pid 0),
 * which runs only when nothing else can.
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
#include "arch/x86_64/gdt.h"
#include "mm/uaccess.h"

extern u8 boot_stack_bottom[];

static struct task_struct idle_task;
static struct signal_struct idle_signal = { .count = 1, .live = 1 };
static struct task_struct *task_list = &idle_task; /* idle first, then every task */
spinlock_t tasklist_lock = SPINLOCK_INIT;
int nr_threads; /* tasks on task_list after the idle task */
static u64 jiffies;

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
	init_waitqueue_head(&idle_signal.wait_chldexit);
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

/* The next runnable task after prev in list order, wrapping; idle if none. */
static struct task_struct *pick_next_task(struct task_struct *prev)
{
	struct task_struct *t = prev->run_next ? prev->run_next : task_list;

	for (int pass = 0; pass < 2; pass++) {
		for (; t; t = t->run_next)
			if (t != &idle_task && t->state == TASK_RUNNING)
				return t;
		t = task_list;
	}
	return &idle_task;
}

/*
 * Frees the task that just switched away from this CPU for the last time (an auto-reaped child,
 * Linux's finish_task_switch): its stack could not be freed while it was running on it.
 */
static void finish_task_switch(void)
{
	struct task_struct *dead = this_cpu()->dead_task;

	if (!dead)
		return;
	this_cpu()->dead_task = NULL;
	sched_remove_task(dead);
	free_task(dead);
}

void schedule(void)
{
	u64 f = read_rflags();
	local_irq_disable();
	struct task_struct *prev = current, *next = pick_next_task(prev);
	prev->need_resched = false;
	if (next != prev) {
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

void wake_up_process(struct task_struct *t)
{
	if (t->state == TASK_INTERRUPTIBLE)
		t->state = TASK_RUNNING;
}

void scheduler_tick(void)
{
	u64 now = ktime_get_ns();

	if (smp_processor_id() != 0)
		return; /* the scheduler runs tasks on the boot CPU only, for now */

	jiffies++;
	for (struct task_struct *t = task_list; t; t = t->run_next)
		if (t->state == TASK_INTERRUPTIBLE && t->wake_at_ns && t->wake_at_ns <= now)
			wake_up_process(t);
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

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	u64 f = spin_lock_irqsave(&wq->lock);
	current->state = TASK_RUNNING;
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

/* The idle loop: run whatever is runnable, else halt until the next interrupt. */
void cpu_idle(void)
{
	if (smp_processor_id() != 0)
		for (;;) /* APs only answer IPIs for now */
			__asm__ __volatile__("sti; hlt" ::: "memory");
	for (;;) {
		local_irq_disable();
		schedule();
		/* Halt only if still nothing to run; "sti; hlt" cannot lose a wake-up in between.
		 */
		if (pick_next_task(current) == current)
			__asm__ __volatile__("sti; hlt" ::: "memory");
		else
			local_irq_enable();
	}
}
