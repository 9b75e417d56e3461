/* SPDX-License-Identifier: MIT */
/*
 * Wait queues: how a task sleeps until something happens (a child exits, a pipe gets data, time
 * passes) instead of spinning. wait_event() re-checks its condition after every wake-up, so
 * spurious wake-ups are harmless. Interrupt handlers may call wake_up().
 */
#ifndef WARDEN_WAIT_H
#define WARDEN_WAIT_H

#include "kernel/spinlock.h"

struct task_struct;

struct wait_queue_entry;

/*
 * A wake-up function (Linux's wait_queue_func_t): called under the queue's lock instead of waking
 * entry->task, with the POLL* bits of the event (0: any). Returns true if it woke a task, which
 * counts against the one task an exclusive entry lets a wake-up reach.
 */
typedef int (*wait_queue_func_t)(struct wait_queue_entry *entry, unsigned int key);

#define POLLFREE_KEY 0x4000 /* Linux's POLLFREE: the queue is going away */
#define WQ_FLAG_EXCLUSIVE 0x01 /* at the tail; a wake-up stops after the first one woken */

struct wait_queue_entry {
	struct task_struct *task;
	struct wait_queue_entry *next;
	wait_queue_func_t func; /* NULL: wake task */
	unsigned int flags;
};

struct wait_queue_head {
	spinlock_t lock;
	struct wait_queue_entry *head;
};

#define WAIT_QUEUE_HEAD_INIT        \
	{                           \
		SPINLOCK_INIT, NULL \
	}

static inline void init_waitqueue_head(struct wait_queue_head *wq)
{
	wq->lock = (spinlock_t)SPINLOCK_INIT;
	wq->head = NULL;
}

/* Puts the current task on wq and marks it sleeping; the caller then checks and calls schedule().
 */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *entry);

/*
 * prepare_to_wait for a sleep that signals do not end (Linux's TASK_UNINTERRUPTIBLE and
 * TASK_KILLABLE): the same wait, shown as "D" in /proc/PID/stat until finish_wait.
 */
void prepare_to_wait_uninterruptible(struct wait_queue_head *wq, struct wait_queue_entry *entry);

/* Takes the current task off wq and marks it running again. */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *entry);

/* Adds entry (for the current task) to wq without sleeping yet, and takes it off again: poll
 * tables stay on many queues at once (fs/select.c). */
void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *entry);
void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *entry);

/*
 * Adds an entry whose func is called at each wake-up instead of waking a task (epoll's items on
 * the queues of the files they watch, fs/eventpoll.c); WQ_FLAG_EXCLUSIVE in flags puts it at the
 * tail, after every non-exclusive entry.
 */
void add_wait_queue_func(struct wait_queue_head *wq, struct wait_queue_entry *entry,
			 wait_queue_func_t func, unsigned int flags);

/* prepare_to_wait for a sleeper a wake-up reaches alone (Linux's prepare_to_wait_exclusive). */
void prepare_to_wait_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *entry);

/* Wakes every task sleeping on wq (and calls every wake-up function). */
void wake_up(struct wait_queue_head *wq);

/*
 * Wakes wq for the events in key (Linux's wake_up_poll): a wake-up function whose watched events
 * are not among them ignores it. wake_up() is wake_up_poll(wq, 0), "any event".
 */
void wake_up_poll(struct wait_queue_head *wq, unsigned int key);

/*
 * The queue is about to be freed (Linux's wake_up_pollfree): every wake-up function is called
 * once with POLLFREE and its entry taken off, so no epoll item keeps a pointer into it.
 */
void wake_up_pollfree(struct wait_queue_head *wq);

/* True if the current task has an unblocked signal pending (its sleep should end). */
bool signal_pending_current(void);

void schedule(void);

/*
 * Sleeps until cond is true. Evaluates to 0, or -ERESTARTSYS if a signal arrived first: the
 * caller returns it, and on the way out to user mode it becomes EINTR or a restart of the
 * syscall (SA_RESTART), as Linux decides (kernel/signal.c).
 */
#define wait_event_interruptible(wq, cond)                      \
	({                                                      \
		struct wait_queue_entry __we;                   \
		long __ret = 0;                                 \
		for (;;) {                                      \
			prepare_to_wait(&(wq), &__we);          \
			if (cond)                               \
				break;                          \
			if (signal_pending_current()) {         \
				__ret = -512 /* ERESTARTSYS */; \
				break;                          \
			}                                       \
			schedule();                             \
		}                                               \
		finish_wait(&(wq), &__we);                      \
		__ret;                                          \
	})

#endif
