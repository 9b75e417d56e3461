/* SPDX-License-Identifier: MIT */
/*
 * Per-address-space LDTs and modify_ldt(2), as Linux 6.1 with CONFIG_MODIFY_LDT_SYSCALL.
 *
 * An mm has no LDT until a program writes one with modify_ldt; the CPU then runs with a null LDTR
 * (every LDT selector faults with #GP). A write builds a new table (copy of the old plus the one
 * changed descriptor), installs it and frees the old one: a table is never modified while a CPU
 * may use it: after publishing the new table, every CPU running the mm reloads LDTR and every
 * other CPU that still describes the old table loads a null LDT (flush_ldt on all online CPUs,
 * waited for) before the old table is freed. A CPU switching to a kernel thread or its idle task
 * drops its LDT too. The descriptors in a table are only ever those Linux's
 * fill_ldt builds from a struct user_desc: code or data segments (S = 1), DPL 3, never a system
 * descriptor, call gate or 64-bit code segment; 16-bit segments are refused (see ldt.c).
 *
 * LDTR follows the running task's mm: switch_mm() calls load_mm_ldt(); fork copies the table
 * (ldt_dup_context); the last mmput frees it (destroy_context_ldt).
 */
#ifndef WARDEN_ARCH_LDT_H
#define WARDEN_ARCH_LDT_H

#include "kernel/types.h"

#define LDT_ENTRIES 8192
#define LDT_ENTRY_SIZE 8

struct mm_struct;

/* An installed LDT: nr_entries descriptors, never changed once installed. */
struct ldt_struct {
	u64 *entries;
	unsigned int nr_entries;
	u64 gen; /* unique per table: a CPU's LDTR describes it iff percpu ldt and ldt_gen match */
};

/* Makes this CPU's LDTR mm's LDT (null for NULL or an mm without one). */
void load_mm_ldt(struct mm_struct *mm);

/* Gives a forked mm a copy of old's LDT. 0, or -ENOMEM. */
int ldt_dup_context(struct mm_struct *old, struct mm_struct *mm);

/* Frees mm's LDT (the mm is going away). */
void destroy_context_ldt(struct mm_struct *mm);

/* modify_ldt(func, ptr, bytecount): Linux's return value, an int zero-extended to 64 bits. */
long sys_modify_ldt(int func, void *ptr, u64 bytecount);

#endif
