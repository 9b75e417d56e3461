// SPDX-License-Identifier: MIT
/*
 * Self-tests of the reader/writer semaphore (kernel/rwsem.h) that mmap_lock is built on: who may
 * take it when, without contention (one CPU, no second task here: the sleeping side is exercised
 * by threads in user space, user/threadstress).
 */
#include "kernel/selftest.h"
#include "kernel/rwsem.h"

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
