/* SPDX-License-Identifier: MIT */
/*
 * The lock checker (boot option `lockcheck`; Linux's lockdep, small). Each CPU keeps a stack of
 * the spinlocks and the kernel lock it holds. Reported (a panic with both locks and a
 * backtrace): taking a lock this CPU already holds (recursion), releasing one it does not hold,
 * sleeping (schedule()) with a spinlock held, and an order inversion: the first time lock A is
 * held while B is taken, A -> B is recorded, and taking A while holding B later is reported.
 * Orders are recorded only between locks in the kernel image (static locks: their address is
 * their class); a lock inside allocated memory is checked for the rest only, since its address
 * may later belong to an unrelated lock, unless it is taken with spin_lock_class(), which names
 * its class (mm->page_table_lock). Sleeping locks (rwsem) are not tracked.
 */
#ifndef WARDEN_LOCKCHECK_H
#define WARDEN_LOCKCHECK_H

#include "kernel/types.h"

/* Set from the command line at boot (`lockcheck`); never changes afterwards. */
extern bool lockcheck_enabled;

/* Before taking lock (spin_lock, kernel_lock): recursion and order checks, then recorded held. */
void lockcheck_acquire(const void *lock);

/*
 * The same for a lock in allocated memory that belongs to the class key (a static object: one
 * per kind of lock, as lockdep's lock_class_key): orders are recorded and checked under key.
 */
void lockcheck_acquire_class(const void *lock, const void *key);

/* The order check alone (the kernel lock, whose own code reports recursion). */
void lockcheck_check_order(const void *lock);

/* After a successful trylock: recorded held, no order check (a trylock cannot deadlock). */
void lockcheck_acquired(const void *lock);

/* At release: the lock must be held by this CPU. */
void lockcheck_release(const void *lock);

/* At schedule(): no spinlock may be held (the kernel lock may). */
void lockcheck_might_sleep(const void *kernel_lock);

/*
 * Sleeping locks that a file's last release may need (Linux's u->iolock; epmutex and ep->mtx,
 * which __fput takes to take the file out of epoll sets; a socket's release runs the AF_UNIX
 * collector) are counted per task while it holds them (the sem taken and let go). The last
 * fput of a file while the task holds one, or while this CPU holds a spinlock, is reported:
 * what a lock's holder frees must be freed after it is let go. Linux defers __fput to task
 * work, so its releases never run under a caller's lock; Warden's run at once.
 */
#ifndef WARDEN_HOST
void lockcheck_nofput_acquire(const void *sem);
void lockcheck_nofput_release(const void *sem);
/* At a file's last fput (fs/file_table.c), before its release. */
void lockcheck_fput(void);
#else /* the host's unit tests: no checker */
static inline void lockcheck_nofput_acquire(const void *sem)
{
	(void)sem;
}

static inline void lockcheck_nofput_release(const void *sem)
{
	(void)sem;
}

static inline void lockcheck_fput(void)
{
}
#endif

/* Locks held now on this CPU (self-tests). */
unsigned int lockcheck_depth(void);

/* Forgets the recorded orders (self-tests that provoke a report run on a clean table). */
void lockcheck_reset_orders(void);

/*
 * Declares n locks, stride bytes apart from base (the per-CPU run queues' rq->lock), one class
 * whose members nest only in address order: taking one while holding a later one is reported as
 * an inversion the first time, without the other order having been seen (Linux's
 * double_rq_lock rule). At most LOCKCHECK_ARRAYS arrays.
 */
void lockcheck_register_array(const void *base, size_t stride, unsigned int n);

/* Called instead of panic() while a self-test expects a report: counts it (NULL: panic). */
extern void (*lockcheck_report_hook)(const char *what);

#endif
