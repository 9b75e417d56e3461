/* SPDX-License-Identifier: MIT */
/*
 * Reader/writer semaphores (Linux's rw_semaphore): a sleeping lock that many readers or one
 * writer hold. A task that cannot have it sleeps on its wait queue, so a holder may itself sleep
 * (wait for memory, yield in a long walk). Writers go first: once one waits, new readers wait
 * behind it, so a stream of readers cannot starve it; the price is Linux's rule that a reader
 * must not take the same lock for reading again (it could wait behind a writer that waits for
 * it). A holder taking its own write lock again is a kernel bug, reported with a panic instead of
 * a silent hang.
 *
 * The fields are behind a spinlock, so the lock is taken and released on several CPUs at once
 * without the kernel lock too (the lockless page fault's down_read_trylock_nolock and
 * up_read_defer_wake); only waking a sleeper needs the kernel lock (the scheduler's), and a
 * writer that finds only such readers spins for them rather than sleep.
 */
#ifndef WARDEN_RWSEM_H
#define WARDEN_RWSEM_H

#include "kernel/spinlock.h"
#include "kernel/wait.h"

struct rw_semaphore {
	spinlock_t lock; /* protects count, writers_waiting and owner; never taken in interrupts */
	long count; /* readers holding it; -1 while a writer holds it; 0 when free */
	int writers_waiting; /* writers waiting for it: new readers queue behind them */
	int nolock_readers; /* of count, readers without the kernel lock (down_read_trylock_nolock)
			     */
	struct task_struct *owner; /* the writer holding it, or NULL */
	struct wait_queue_head wait; /* tasks asleep for it */
};

#define RWSEM_INIT(name)                                                                      \
	{                                                                                     \
		.lock = SPINLOCK_INIT, .count = 0, .writers_waiting = 0, .nolock_readers = 0, \
		.owner = NULL, .wait = WAIT_QUEUE_HEAD_INIT                                   \
	}

static inline void init_rwsem(struct rw_semaphore *sem)
{
	*sem = (struct rw_semaphore)RWSEM_INIT(*sem);
}

/* Takes sem for reading, sleeping while a writer holds it or waits for it. */
void down_read(struct rw_semaphore *sem);

/* Takes sem for reading if that needs no sleep; true if taken. */
bool down_read_trylock(struct rw_semaphore *sem);

void up_read(struct rw_semaphore *sem);

/*
 * down_read_trylock for a holder that runs without the kernel lock and lets go after a short,
 * bounded section without sleeping or waiting for another CPU (the lockless page fault,
 * mm/fault_lockless.c). It is counted apart: a writer that finds only such readers spins until
 * they leave instead of sleeping. Released with up_read_defer_wake.
 */
bool down_read_trylock_nolock(struct rw_semaphore *sem);

/*
 * up_read for a down_read_trylock_nolock holder: waking a sleeper needs the scheduler, which
 * the kernel lock still guards, so the wake-up is left to the caller. True if sleepers wait
 * (writers that found other readers too): the caller must then call rwsem_wake_deferred(sem)
 * once it holds the kernel lock.
 */
bool up_read_defer_wake(struct rw_semaphore *sem);

/* The wake-up up_read_defer_wake left to its caller, who now holds the kernel lock. */
void rwsem_wake_deferred(struct rw_semaphore *sem);

/* Takes sem for writing, sleeping until no reader and no writer holds it. */
void down_write(struct rw_semaphore *sem);

/* Takes sem for writing if it is free; true if taken. */
bool down_write_trylock(struct rw_semaphore *sem);

void up_write(struct rw_semaphore *sem);

/* Is sem held for writing by the running task? (assertions) */
bool rwsem_is_write_locked_by_current(struct rw_semaphore *sem);

/* Is sem held at all? (assertions) */
static inline bool rwsem_is_locked(struct rw_semaphore *sem)
{
	return READ_ONCE(sem->count) != 0;
}

#endif
