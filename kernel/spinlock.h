/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks. Warden runs on one CPU today; the locks are real (test-and-set with pause) so that
 * code written now is already correct when SMP arrives. The _irqsave forms also keep interrupt
 * handlers on this CPU from deadlocking against the holder.
 */
#ifndef WARDEN_SPINLOCK_H
#define WARDEN_SPINLOCK_H

#include "kernel/compiler.h"
#ifndef WARDEN_HOST
#include "kernel/lockcheck.h"
#endif

typedef struct {
	volatile u32 locked;
} spinlock_t;

#define SPINLOCK_INIT \
	{             \
		0     \
	}

#ifndef WARDEN_HOST
/* The lock checker's hooks (boot option `lockcheck`, kernel/lockcheck.h). */
#define spin_check_acquire(l)                    \
	do {                                     \
		if (unlikely(lockcheck_enabled)) \
			lockcheck_acquire(l);    \
	} while (0)
#define spin_check_acquired(l)                   \
	do {                                     \
		if (unlikely(lockcheck_enabled)) \
			lockcheck_acquired(l);   \
	} while (0)
#define spin_check_release(l)                    \
	do {                                     \
		if (unlikely(lockcheck_enabled)) \
			lockcheck_release(l);    \
	} while (0)
#define spin_check_acquire_class(l, key)                 \
	do {                                             \
		if (unlikely(lockcheck_enabled))         \
			lockcheck_acquire_class(l, key); \
	} while (0)
#else
#define spin_check_acquire(l) ((void)(l))
#define spin_check_acquired(l) ((void)(l))
#define spin_check_release(l) ((void)(l))
#define spin_check_acquire_class(l, key) ((void)(l), (void)(key))
#endif

/* Spins until the lock is ours; no lock-checker hook (the callers below add it). */
static inline void arch_spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(l->locked))
			__asm__ __volatile__("pause" ::: "memory");
}

static inline void spin_lock(spinlock_t *l)
{
	spin_check_acquire(l);
	arch_spin_lock(l);
}

/*
 * Takes a lock that lives in allocated memory (one per mm, say) and belongs to the lock class
 * key, a static object: the lock checker records and checks the lock's order under key, as
 * lockdep's lock classes, so every instance of the lock is checked against the others' orders.
 */
static inline void spin_lock_class(spinlock_t *l, const void *key)
{
	spin_check_acquire_class(l, key);
	arch_spin_lock(l);
}

static inline bool spin_trylock(spinlock_t *l)
{
	bool got = !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);

	if (got)
		spin_check_acquired(l);
	return got;
}

static inline void spin_unlock(spinlock_t *l)
{
	spin_check_release(l);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#ifndef WARDEN_HOST
/* Disables interrupts, takes the lock and returns the previous interrupt state. */
static inline u64 spin_lock_irqsave(spinlock_t *l)
{
	u64 flags;
	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	spin_lock(l);
	return flags;
}

/* Releases the lock and restores the interrupt state saved by spin_lock_irqsave(). */
static inline void spin_unlock_irqrestore(spinlock_t *l, u64 flags)
{
	spin_unlock(l);
	if (flags & (1UL << 9))
		__asm__ __volatile__("sti" ::: "memory");
}
#else
static inline u64 spin_lock_irqsave(spinlock_t *l)
{
	spin_lock(l);
	return 0;
}
static inline void spin_unlock_irqrestore(spinlock_t *l, u64 flags)
{
	(void)flags;
	spin_unlock(l);
}
#endif

#endif
