/* SPDX-License-Identifier: MIT */
/* Memory failure (mm/memory_failure.c): poisoned frames, as MADV_HWPOISON injects them. */
#ifndef WARDEN_MM_MEMORY_FAILURE_H
#define WARDEN_MM_MEMORY_FAILURE_H

#include "kernel/types.h"

struct page;
struct mm_struct;

/* Frames poisoned since boot: /proc/meminfo's HardwareCorrupted (in pages). */
extern u64 num_poisoned_pages;

/* vm.memory_failure_early_kill and vm.memory_failure_recovery. */
extern int sysctl_memory_failure_early_kill;
extern int sysctl_memory_failure_recovery;

struct inode;

/* Creates those two files in /proc/sys/vm (vm). 0 or -errno. */
int memory_failure_sysctl_init(struct inode *vm);

/*
 * Poisons p (Linux's memory_failure with MF_COUNT_INCREASED | MF_SW_SIMULATED), whose reference
 * the caller took and hands over: every mapping of it becomes a hwpoison entry and the frame is
 * never used again. 0, -EHWPOISON when it was poisoned already, -EBUSY for a kernel page (the
 * zero page), which is counted but left as it is.
 */
int memory_failure(struct page *p);

/*
 * Retires p, mapped at addr of mm, after moving its data to a new frame that takes its place
 * in every mapping and in its file's cache (Linux's soft_offline_page with MF_COUNT_INCREASED):
 * the data stays, the old frame is poisoned. Takes over the caller's reference. 0 (also when p
 * was poisoned already), -EIO for a kernel page, -ENOMEM.
 */
int soft_offline_page(struct mm_struct *mm, u64 addr, struct page *p);

#endif
