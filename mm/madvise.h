/* SPDX-License-Identifier: MIT */
/* madvise (mm/madvise.c): advice about a range of the address space, as Linux 6.1 takes it. */
#ifndef WARDEN_MM_MADVISE_H
#define WARDEN_MM_MADVISE_H

#include "kernel/types.h"

struct mm_struct;

/* madvise(start, len_in, behavior) on mm: 0 or -errno, with Linux's checks in Linux's order. */
long do_madvise(struct mm_struct *mm, u64 start, u64 len_in, int behavior);

long sys_madvise(u64 start, u64 len_in, int behavior);

#endif
