/* SPDX-License-Identifier: MIT */
/*
 * mlock, mlock2, munlock, mlockall and munlockall (mm/mlock.c), as Linux 6.1: VM_LOCKED and
 * VM_LOCKONFAULT in vm_flags, split and merged like any other flag, and locked ranges faulted in.
 * Warden has no swap and no reclaim of mapped pages, so a locked page stays as every page does:
 * what locking changes is what a program can see (the flags in smaps, Locked:, VmLck, the
 * population, madvise's and msync's refusals, fork).
 */
#ifndef WARDEN_MM_MLOCK_H
#define WARDEN_MM_MLOCK_H

#include "kernel/types.h"

struct mm_struct;

#define MLOCK_ONFAULT 0x01
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4

/*
 * Pages of mm's VM_LOCKED VMAs (Linux's mm->locked_vm, VmLck in /proc/PID/status). Counted from
 * the VMAs each time, as mm/vm_limits.c counts total_vm, so it can never drift from them.
 */
u64 mm_locked_vm(struct mm_struct *mm);

/*
 * Linux's can_do_mlock(): a non-zero RLIMIT_MEMLOCK, or CAP_IPC_LOCK, which every Warden task
 * has (it has no credentials: everything runs as root).
 */
bool can_do_mlock(void);

/*
 * May mm get len more bytes of VM_LOCKED memory (flags) from mmap, brk or mremap (Linux's
 * mlock_future_check)? 0 or -EAGAIN over RLIMIT_MEMLOCK without CAP_IPC_LOCK.
 */
int mlock_future_check(struct mm_struct *mm, u64 flags, u64 len);

long sys_mlock(u64 start, u64 len);
long sys_mlock2(u64 start, u64 len, u64 flags);
long sys_munlock(u64 start, u64 len);
long sys_mlockall(u64 flags);
long sys_munlockall(void);

#endif
