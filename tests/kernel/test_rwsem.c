// SPDX-License-Identifier: MIT
/*
 * Self-tests of the reader/writer semaphore (kernel/rwsem.h) that mmap_lock is built on: who may
 * take it when, without contention (one CPU, no second task here: the sleeping side is exercised
 * by threads in user space, user/threadstress), and a writer spinning for a lockless reader on
 * another CPU.
 */
#include "kernel/selftest.h"
#include "kernel/rwsem.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/time.h"

/* Readers share it; a writer cannot enter while one reads, nor a reader while one writes. */
SELFTEST(rwsem_readers_and_writer_exclude)
{
	struct rw_semaphore sem;

	init_rwsem(&sem);
	ST_ASSERT(!rwsem_is_locked(&sem));
	down_read(&sem);
	ST_ASSERT(down_read_trylock(&sem));
	ST_ASSERT(!down_write_trylock(&sem));
	up_read(&sem);
	ST_ASSERT(!down_write_trylock(&sem));
	up_read(&sem);
	ST_ASSERT(!rwsem_is_locked(&sem));

	down_write(&sem);
	ST_ASSERT(rwsem_is_write_locked_by_current(&sem));
	ST_ASSERT(!down_read_trylock(&sem));
	ST_ASSERT(!down_write_trylock(&sem));
	up_write(&sem);
	ST_ASSERT(!rwsem_is_write_locked_by_current(&sem));
	ST_ASSERT(down_write_trylock(&sem));
	up_write(&sem);
	ST_ASSERT(!rwsem_is_locked(&sem));
}

/* A waiting writer keeps new readers out (no starvation), and lets them in once it is done. */
SELFTEST(rwsem_waiting_writer_blocks_new_readers)
{
	struct rw_semaphore sem;

	init_rwsem(&sem);
	down_read(&sem);
	sem.writers_waiting++; /* what a writer asleep in down_write() leaves behind */
	ST_ASSERT(!down_read_trylock(&sem));
	sem.writers_waiting--;
	ST_ASSERT(down_read_trylock(&sem));
	up_read(&sem);
	up_read(&sem);
	ST_ASSERT(!rwsem_is_locked(&sem));
}

static struct rw_semaphore spin_sem;
static u32 spin_held, spin_woke;

/* On another CPU: holds spin_sem as a lockless reader for about 20 ms, then lets go. */
static void hold_nolock(void *info)
{
	(void)info;
	if (!down_read_trylock_nolock(&spin_sem))
		return;
	__atomic_store_n(&spin_held, 1, __ATOMIC_RELEASE);
	u64 t0 = ktime_get_ns();
	while (ktime_get_ns() - t0 < 20000000ULL)
		cpu_relax();
	__atomic_store_n(&spin_woke, up_read_defer_wake(&spin_sem) ? 2 : 1, __ATOMIC_RELEASE);
}

/*
 * A writer that finds only a lockless reader (the page fault without the kernel lock, on another
 * CPU) waits for it by spinning: it gets the lock once the reader lets go, and the reader finds
 * no sleeper to wake. A waiting writer also turns new lockless readers away.
 */
SELFTEST(rwsem_writer_spins_for_lockless_readers)
{
	unsigned int cpu = smp_processor_id() ? 0 : 1;

	if (nr_cpu_ids < 2)
		ST_SKIP("one CPU");
	init_rwsem(&spin_sem);
	spin_held = spin_woke = 0;
	smp_call_function_single(cpu, hold_nolock, NULL, false);
	u64 t0 = ktime_get_ns();
	while (!__atomic_load_n(&spin_held, __ATOMIC_ACQUIRE))
		if (ktime_get_ns() - t0 > 2000000000ULL)
			ST_FAIL("CPU %u did not take the lock", cpu);
	down_write(&spin_sem);
	ST_ASSERT(__atomic_load_n(&spin_woke, __ATOMIC_ACQUIRE) == 1); /* no sleeper queued */
	ST_ASSERT(rwsem_is_write_locked_by_current(&spin_sem));
	ST_ASSERT(!down_read_trylock_nolock(&spin_sem));
	up_write(&spin_sem);
	ST_ASSERT(down_read_trylock_nolock(&spin_sem));
	ST_ASSERT(!up_read_defer_wake(&spin_sem));
	ST_ASSERT(!rwsem_is_locked(&spin_sem));
}
