/* SPDX-License-Identifier: MIT */
/*
 * The page fault without the kernel lock (mm/fault_lockless.c): anonymous private memory's
 * not-present pages, under mmap_lock for reading and mm->page_table_lock, on several CPUs at
 * once. Everything else falls back to handle_mm_fault under the kernel lock.
 */
#ifndef WARDEN_MM_FAULT_LOCKLESS_H
#define WARDEN_MM_FAULT_LOCKLESS_H

#include "mm/mm.h"

/* handle_mm_fault_lockless's result bits (0: not handled, take the slow path). */
#define FAULT_LOCKLESS_DONE 0x1 /* handled: the access may be retried */
/* mmap_lock had sleepers when it was let go: wake them (rwsem_wake_deferred) under the kernel
 * lock, whether or not the fault was handled. */
#define FAULT_LOCKLESS_WAKE 0x2

/*
 * Tries the fault at addr in mm (error_code as the CPU pushed it) without the kernel lock, as
 * the #PF handler does for a user-mode fault before it takes the lock. Never sleeps, never takes
 * the kernel lock, never sends a signal; the caller holds no lock. Returns the bits above.
 */
int handle_mm_fault_lockless(struct mm_struct *mm, u64 addr, u64 error_code);

struct seq_buf;

/*
 * /proc/warden/faults: faults the lockless path handled, left to the slow path (the early
 * refusals of a kernel-mode fault are not counted), and races it lost (a PTE or a page table
 * another CPU installed first; its frame went back).
 */
int fault_lockless_stats_show(struct seq_buf *m);

#endif
