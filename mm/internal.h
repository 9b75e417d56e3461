/* SPDX-License-Identifier: MIT */
/* Helpers shared inside mm/ (mmap.c, mprotect.c, fault.c, proc maps): not for the rest. */
#ifndef WARDEN_MM_INTERNAL_H
#define WARDEN_MM_INTERNAL_H

#include "mm/mm.h"

#define PAGE_ALIGN(x) ALIGN_UP((u64)(x), (u64)PAGE_SIZE)

/* Splits v at addr: v keeps [vm_start, addr), a new VMA after it gets [addr, vm_end). 0/-ENOMEM. */
int split_vma(struct mm_struct *mm, struct vm_area_struct *v, u64 addr);

/* Rewrites the PTEs of [start, end) for new vm_flags and flushes the TLB. */
void change_protection(struct mm_struct *mm, u64 start, u64 end, u64 vm_flags);

#endif
