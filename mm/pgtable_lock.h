/* SPDX-License-Identifier: MIT */
/*
 * mm->page_table_lock (Linux's name): the spinlock that orders the changes to an address space's
 * user page tables made while mmap_lock is held only for reading. The lockless page fault
 * (mm/fault_lockless.c) installs PTEs and page tables under it on several CPUs at once; the
 * fault under the kernel lock and the zaps take it as well. What it protects, and why every
 * other path is safe without it, is in docs/locking.md.
 *
 * Rules: taken inside mmap_lock, never around a wait for another CPU (no TLB shootdown, no
 * cross-CPU call), never around a sleep or a user-memory access; the frame allocator nests
 * inside it. Not taken in interrupts, so plain spin_lock. Lock-checked as one class for every
 * mm (page_table_lock_key).
 */
#ifndef WARDEN_MM_PGTABLE_LOCK_H
#define WARDEN_MM_PGTABLE_LOCK_H

#include "mm/mm.h"

/* The lock class of every mm's page_table_lock, for the lock checker. */
extern char page_table_lock_key; /* in .bss: the checker names classes in the image's data */

static inline void pt_lock(struct mm_struct *mm)
{
	spin_lock_class(&mm->page_table_lock, &page_table_lock_key);
}

static inline void pt_unlock(struct mm_struct *mm)
{
	spin_unlock(&mm->page_table_lock);
}

#endif
