/* SPDX-License-Identifier: MIT */
/*
 * TLB flushing. Every flush in the kernel goes through these functions, so that SMP can turn
 * them into shootdowns in one place.
 */
#ifndef WARDEN_ARCH_TLB_H
#define WARDEN_ARCH_TLB_H

#include "kernel/types.h"

/* Drops the translation of one page of the kernel half (global or not) on this CPU. */
void flush_tlb_one_kernel(u64 va);

/* Drops the translations of [start, end) of the kernel half. */
void flush_tlb_kernel_range(u64 start, u64 end);

struct mm_struct;

/* Drops the translations of [start, end) of a user address space, if it is live on this CPU. */
void flush_tlb_mm_range(struct mm_struct *mm, u64 start, u64 end);

/*
 * Drops the translations of [start, end) of a user address space from which page tables were
 * unlinked, together with every cached intermediate entry (the page-walk caches), so that the
 * table frames can be freed and reused afterwards (Linux: flush_tlb_mm_range's freed_tables).
 */
void flush_tlb_mm_freed_tables(struct mm_struct *mm, u64 start, u64 end);

/*
 * Loads next's page tables on this CPU (kernel_pml4 for NULL) after prev's, with interrupts off,
 * and records next as this CPU's loaded_mm (arch/x86_64/mmu_context.c). The scheduler, execve
 * and exit switch address spaces only through it.
 */
void switch_mm_irqs_off(struct mm_struct *prev, struct mm_struct *next);

/* Drops every translation, global ones included. */
void flush_tlb_all(void);

#endif
