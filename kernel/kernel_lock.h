/* SPDX-License-Identifier: MIT */
/*
 * The big kernel lock (Linux 2.0-2.4's BKL): one lock that a CPU holds whenever it runs kernel
 * code on behalf of a task, so that kernel code stays serialised across CPUs as it was on one
 * CPU, while user code runs in parallel on every CPU. docs/locking.md says what it protects,
 * where it is taken and released, how it nests, and how it is to shrink.
 *
 * It belongs to a CPU, not to a task: schedule() is called with it held and the task switched to
 * returns from its own schedule() (or starts in ret_from_fork) holding it, on the same CPU. So a
 * task that sleeps gives it up by switching away, and whichever task runs next on that CPU holds
 * it; the idle loop lets it go before halting.
 *
 * A CPU waiting for it spins with interrupts enabled, so it still answers IPIs (TLB shootdowns,
 * function calls), whose handlers never take it. Interrupt handlers take it only with
 * kernel_trylock(); work that needs it while it is elsewhere (the tick's timed wake-ups, the
 * serial port's input) is left pending and done by the next CPU to take it.
 */
#ifndef WARDEN_KERNEL_LOCK_H
#define WARDEN_KERNEL_LOCK_H

#include "kernel/types.h"

#define KERNEL_LOCK_UNLOCKED (-1)

/*
 * A ticket lock (CPUs get it in the order they asked, so one that lets go and asks again at once
 * goes behind the waiters), and the CPU that holds it.
 */
struct kernel_lock_struct {
	u32 next; /* the next ticket to hand out */
	u32 serving; /* the ticket that holds the lock */
	int owner; /* the CPU that holds it, or KERNEL_LOCK_UNLOCKED */
	u64 acquired; /* times taken, for /proc/warden and tests */
	u64 contended; /* times a CPU had to wait for it */
};

extern struct kernel_lock_struct kernel_lock_data;

/*
 * Takes the kernel lock for this CPU, spinning with interrupts enabled; the interrupt state is
 * as before on return. Runs the work interrupts left pending (kernel_lock_run_pending) once held.
 */
void kernel_lock(void);

/* Takes it if free (interrupt handlers); true if this CPU now holds it. */
bool kernel_trylock(void);

/* Releases it; this CPU must hold it. */
void kernel_unlock(void);

/* True if this CPU holds the kernel lock. */
bool kernel_lock_held(void);

/*
 * Lets the CPUs waiting for the lock have it once, then takes it again (a long kernel loop's
 * cond_resched: Linux's BKL was let go in schedule()). Other CPUs run kernel code meanwhile: the
 * caller holds no spinlock, has interrupts on, leaves nothing half-changed, and holds no pointer
 * that only the kernel lock kept valid (see cond_resched in kernel/sched.h).
 */
void kernel_lock_yield(void);

/* Work deferred by interrupt handlers that found the lock elsewhere (kernel_pending bits). */
#define KERNEL_PENDING_TICK 0x1 /* the timed wake-ups of a tick */
#define KERNEL_PENDING_SERIAL 0x2 /* the serial port's input */

/* Records deferred work, for the next CPU that takes the lock. */
void kernel_lock_defer(u32 work);

/* True if deferred work waits for the next holder. */
bool kernel_lock_work_pending(void);

/* Does the deferred work; the caller holds the kernel lock. */
void kernel_lock_run_pending(void);

/* The entry from user mode (syscall, exception, interrupt): takes the lock. */
void kernel_enter_from_user(void);

/* The way back to user mode, interrupts off: releases the lock. */
void kernel_exit_to_user(void);

#endif
