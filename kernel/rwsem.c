// SPDX-License-Identifier: MIT
/*
 * Reader/writer semaphores: see kernel/rwsem.h. Each operation takes the spinlock, decides, and
 * either leaves with the lock held or sleeps on the wait queue and decides again when woken.
 * Releases wake every sleeper (readers and writers decide for themselves); with one CPU and
 * rare contention that is simpler than handing the lock over and costs nothing measurable.
 */
#include "kernel/rwsem.h"
#include "arch/x86_64/cpu.h"
#include "kernel/panic.h"
#include "kernel/sched.h"

/* Panics if the running task already holds sem for writing: taking it again would never end. */
static void rwsem_check_recursion(struct rw_semaphore *sem, const char *how)
{
	if (sem->owner && sem->owner == current)
		panic("rwsem %p: taken for %s by the task that holds it for writing", sem, how);
}

/* Sleeps on sem's queue until try() takes it; try runs with sem->lock held. */
static void rwsem_wait(struct rw_semaphore *sem, bool (*try)(struct rw_semaphore *sem))
{
	struct wait_queue_entry we;

	for (;;) {
		prepare_to_wait_uninterruptible(&sem->wait, &we);
		spin_lock(&sem->lock);
		bool taken = try(sem);
		spin_unlock(&sem->lock);
		if (taken)
			break;
		/*
		 * Only a release wakes us (a signal's wake-up just makes the loop ask again): the
		 * wait is neither interruptible nor killable, as Linux's plain
		 * down_read/down_write.
		 */
		schedule();
	}
	finish_wait(&sem->wait, &we);
}

/*
 * Wakes the sleepers after a release. A sleeper is queued before it looks at the count under
 * sem->lock, so one that is not queued yet will see the release itself: an empty queue needs
 * no wake-up (the common case, kept cheap).
 */
static void rwsem_wake(struct rw_semaphore *sem)
{
	if (READ_ONCE(sem->wait.head))
		wake_up(&sem->wait);
}

/* A reader may enter when no writer holds or waits for sem (sem->lock held). */
static bool try_read(struct rw_semaphore *sem)
{
	if (sem->count < 0 || sem->writers_waiting)
		return false;
	sem->count++;
	return true;
}

/* A writer may enter when nobody holds sem (sem->lock held). */
static bool try_write(struct rw_semaphore *sem)
{
	if (sem->count)
		return false;
	sem->count = -1;
	sem->owner = current;
	return true;
}

/* A sleeping writer's attempt: it stops counting as waiting once it has the lock. */
static bool try_write_waiting(struct rw_semaphore *sem)
{
	if (!try_write(sem))
		return false;
	sem->writers_waiting--;
	return true;
}

bool down_read_trylock(struct rw_semaphore *sem)
{
	spin_lock(&sem->lock);
	bool taken = try_read(sem);

	spin_unlock(&sem->lock);
	return taken;
}

void down_read(struct rw_semaphore *sem)
{
	spin_lock(&sem->lock);
	bool taken = try_read(sem);

	if (!taken)
		rwsem_check_recursion(sem, "reading");
	spin_unlock(&sem->lock);
	if (!taken)
		rwsem_wait(sem, try_read);
}

void up_read(struct rw_semaphore *sem)
{
	spin_lock(&sem->lock);

	if (sem->count <= 0)
		panic("rwsem %p: up_read without a reader (count %ld)", sem, sem->count);
	bool last = --sem->count == 0;
	spin_unlock(&sem->lock);
	if (last)
		rwsem_wake(sem);
}

bool down_read_trylock_nolock(struct rw_semaphore *sem)
{
	spin_lock(&sem->lock);
	bool taken = try_read(sem);

	if (taken)
		sem->nolock_readers++;
	spin_unlock(&sem->lock);
	return taken;
}

bool up_read_defer_wake(struct rw_semaphore *sem)
{
	spin_lock(&sem->lock);

	if (sem->count <= 0 || sem->nolock_readers <= 0)
		panic("rwsem %p: up_read_defer_wake without a lockless reader (count %ld)", sem,
		      sem->count);
	sem->nolock_readers--;
	bool last = --sem->count == 0;
	spin_unlock(&sem->lock);
	/* As rwsem_wake: a sleeper queues itself before it looks at the count. */
	return last && READ_ONCE(sem->wait.head);
}

void rwsem_wake_deferred(struct rw_semaphore *sem)
{
	rwsem_wake(sem);
}

bool down_write_trylock(struct rw_semaphore *sem)
{
	spin_lock(&sem->lock);
	bool taken = try_write(sem);

	spin_unlock(&sem->lock);
	return taken;
}

/*
 * A writer that finds only lockless readers (sem->lock held) waits for them by spinning, not
 * sleeping: they hold it for one page fault, never sleep and never wait for this CPU or the
 * kernel lock meanwhile, and they stop coming once a writer waits. So a writer never sleeps
 * because of them, and mmap_lock stays uncontended among its holders under the kernel lock: a
 * fault taken with a spinlock held (a futex word's read under its bucket lock) never has to
 * sleep behind such a writer. True if the writer then took sem.
 */
static bool spin_for_lockless_readers(struct rw_semaphore *sem)
{
	while (sem->count > 0 && sem->count == sem->nolock_readers) {
		spin_unlock(&sem->lock);
		cpu_relax();
		spin_lock(&sem->lock);
	}
	return try_write_waiting(sem);
}

void down_write(struct rw_semaphore *sem)
{
	spin_lock(&sem->lock);
	bool taken = try_write(sem);

	if (!taken) {
		rwsem_check_recursion(sem, "writing");
		sem->writers_waiting++;
		taken = spin_for_lockless_readers(sem);
	}
	spin_unlock(&sem->lock);
	if (!taken)
		rwsem_wait(sem, try_write_waiting);
}

void up_write(struct rw_semaphore *sem)
{
	spin_lock(&sem->lock);

	if (sem->count != -1 || sem->owner != current)
		panic("rwsem %p: up_write by a task that does not hold it", sem);
	sem->count = 0;
	sem->owner = NULL;
	spin_unlock(&sem->lock);
	rwsem_wake(sem);
}

bool rwsem_is_write_locked_by_current(struct rw_semaphore *sem)
{
	return READ_ONCE(sem->count) == -1 && READ_ONCE(sem->owner) == current;
}
