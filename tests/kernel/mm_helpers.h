/* SPDX-License-Identifier: MIT */
/* Helpers the address-space self-tests share. */
#ifndef WARDEN_TESTS_KERNEL_MM_HELPERS_H
#define WARDEN_TESTS_KERNEL_MM_HELPERS_H

#include "kernel/sched.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

/* Runs put_user in another address space, as its task would, and comes back. */
static inline int write_in(struct mm_struct *mm, u64 addr, u64 value)
{
	struct mm_struct *saved = current->mm;

	current->mm = mm;
	switch_mm(mm);
	int r = put_user_u64(value, (u64 *)addr);
	current->mm = saved;
	switch_mm(saved);
	return r;
}

#endif
