/* SPDX-License-Identifier: MIT */
/*
 * Kernel access to user memory. Every user pointer a syscall receives goes through these
 * functions: a pointer that is NULL, unmapped, not accessible with the needed permission,
 * kernel-half, non-canonical, or whose range wraps never faults the kernel; the access stops at
 * the first bad byte (an exception-table fixup) and the caller turns that into EFAULT, exactly as
 * Linux does. With SMAP on, user memory is touched only between stac and clac.
 */
#ifndef WARDEN_MM_UACCESS_H
#define WARDEN_MM_UACCESS_H

#include "kernel/compiler.h"
#include "arch/x86_64/layout.h"

/* Marks a pointer as a user-space address (documentation, as Linux's sparse annotation). */
#define __user

/* Linux's TASK_SIZE_MAX: the last user page (just below 2^47) is never mapped. */
#define TASK_SIZE_MAX (USER_TOP - PAGE_SIZE)

/* True if [p, p+n) lies below TASK_SIZE_MAX and does not wrap (Linux's access_ok). */
static inline bool access_ok(const void __user *p, size_t n)
{
	u64 a = (u64)(uintptr_t)p;

	return a <= TASK_SIZE_MAX && n <= TASK_SIZE_MAX - a;
}

/* Copies n bytes from user src to kernel dst; returns the number of bytes NOT copied (0 = all). */
size_t copy_from_user(void *dst, const void __user *src, size_t n);

/* Copies n bytes from kernel src to user dst; returns the number of bytes NOT copied (0 = all). */
size_t copy_to_user(void __user *dst, const void *src, size_t n);

/* Zeroes n bytes of user memory; returns the number of bytes NOT zeroed. */
size_t clear_user(void __user *dst, size_t n);

/*
 * Copies a NUL-terminated user string into dst (at most n bytes including the NUL). Returns the
 * string's length, -EFAULT if it is not readable, or n if no NUL was found in n bytes (the caller
 * decides: ENAMETOOLONG for paths, E2BIG for exec arguments).
 */
long strncpy_from_user(char *dst, const char __user *src, long n);

/* Reads/writes one naturally sized value; 0 or -EFAULT. */
int get_user_u64(u64 *val, const u64 __user *p);
int put_user_u64(u64 val, u64 __user *p);
int get_user_u32(u32 *val, const u32 __user *p);
int put_user_u32(u32 val, u32 __user *p);

#endif
