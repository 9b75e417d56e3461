/* SPDX-License-Identifier: MIT */
/*
 * mmap_lock: the lock of an address space's VMAs and page tables (Linux's mm->mmap_lock, a
 * reader/writer semaphore: kernel/rwsem.h). Threads share one mm, so one thread's mprotect must
 * not run while another's page fault looks at the same VMAs. What it covers is listed at its
 * field in mm/mm.h; who takes it, in docs/locking.md.
 *
 * The rule that keeps it deadlock-free: never touch user memory (copy_to_user and friends) while
 * holding it, since the page fault that access may cause takes it for reading. Code that needs
 * pages of an address space while holding it calls handle_mm_fault() itself, as
 * access_remote_vm does.
 */
#ifndef WARDEN_MM_MMAP_LOCK_H
#define WARDEN_MM_MMAP_LOCK_H

#include "mm/mm.h"
#include "kernel/rwsem.h"

static inline void mmap_read_lock(struct mm_struct *mm)
{
	down_read(&mm->mmap_lock);
}

static inline bool mmap_read_trylock(struct mm_struct *mm)
{
	return down_read_trylock(&mm->mmap_lock);
}

/*
 * The lockless page fault's read lock (kernel/rwsem.h: down_read_trylock_nolock): a writer
 * that finds only such readers spins for them instead of sleeping. Let go with
 * up_read_defer_wake(&mm->mmap_lock).
 */
static inline bool mmap_read_trylock_nolock(struct mm_struct *mm)
{
	return down_read_trylock_nolock(&mm->mmap_lock);
}

static inline void mmap_read_unlock(struct mm_struct *mm)
{
	up_read(&mm->mmap_lock);
}

static inline void mmap_write_lock(struct mm_struct *mm)
{
	down_write(&mm->mmap_lock);
}

static inline void mmap_write_unlock(struct mm_struct *mm)
{
	up_write(&mm->mmap_lock);
}

/* Is mm's lock held (by anyone, for reading or writing)? For assertions under debug_vm. */
static inline bool mmap_lock_is_held(struct mm_struct *mm)
{
	return rwsem_is_locked(&mm->mmap_lock);
}

#endif
