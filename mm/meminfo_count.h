/* SPDX-License-Identifier: MIT */
/*
 * The /proc/meminfo counts Warden computes when the file is read (mm/meminfo_count.c), as
 * Linux 6.1 keeps them in its vmstat counters: each page counts once however many address
 * spaces map it.
 */
#ifndef WARDEN_MM_MEMINFO_COUNT_H
#define WARDEN_MM_MEMINFO_COUNT_H

#include "kernel/types.h"

struct meminfo_counts {
	u64 anon; /* AnonPages: anonymous pages mapped (NR_ANON_MAPPED) */
	u64 mapped; /* Mapped: page-cache (tmpfs-like) pages mapped (NR_FILE_MAPPED) */
	u64 mlocked; /* Mlocked: pages mapped in a VM_LOCKED VMA (NR_MLOCK) */
	u64 pgtables; /* PageTables: user page-table pages below each PML4 */
	u64 kernel_stack_kb; /* KernelStack: KSTACK_SIZE per task not yet exited */
	u64 vmalloc_pages; /* VmallocUsed: pages vmalloc has mapped */
};

/* Walks every address space and task once. In pages, except kernel_stack_kb. */
void meminfo_count(struct meminfo_counts *c);

#endif
