// SPDX-License-Identifier: MIT
/*
 * copy_from_user and friends: range checks here, the copying itself in arch/x86_64/uaccess.asm
 * under the exception table, inside a SMAP window.
 */
#include "mm/uaccess.h"
#include "arch/x86_64/smap.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "mm/poison.h"

size_t __copy_user(void *dst, const void *src, size_t n);
size_t __clear_user(void *dst, size_t n);
long __strnlen_user(const char *src, char *dst, long n);

size_t copy_from_user(void *dst, const void __user *src, size_t n)
{
	size_t left = n;

	if (access_ok(src, n)) {
		user_access_begin();
		left = __copy_user(dst, src, n);
		user_access_end();
	}
	if (left)
		memset((u8 *)dst + (n - left), 0,
		       left); /* as Linux: never leak stale kernel bytes */
	return left;
}

void poison_check_copy(void __user *dst, const void *src, size_t n, const void *caller)
{
	size_t off, run;
	char sym[96];

	if (!poison_find(src, n, &off, &run))
		return;
	ksym_format(sym, sizeof(sym), (u64)(uintptr_t)caller);
	panic("poison: %zu uninitialised kernel bytes (poison) at offset %zu of a %zu-byte copy "
	      "to user %#llx from %#llx, copy by %s",
	      run, off, n, (unsigned long long)(uintptr_t)dst, (unsigned long long)(uintptr_t)src,
	      sym);
}

/*
 * Every write of kernel bytes to user memory ends here (copy_to_user, put_user_*): with the
 * poison option on, the bytes are checked first, and caller names who asked for the copy.
 */
static size_t copy_to_user_from(void __user *dst, const void *src, size_t n, const void *caller)
{
	if (!access_ok(dst, n))
		return n;
	if (unlikely(debug_poison))
		poison_check_copy(dst, src, n, caller);
	user_access_begin();
	size_t left = __copy_user(dst, src, n);
	user_access_end();
	return left;
}

size_t copy_to_user(void __user *dst, const void *src, size_t n)
{
	return copy_to_user_from(dst, src, n, __builtin_return_address(0));
}

size_t clear_user(void __user *dst, size_t n)
{
	if (!access_ok(dst, n))
		return n;
	user_access_begin();
	size_t left = __clear_user(dst, n);
	user_access_end();
	return left;
}

long strncpy_from_user(char *dst, const char __user *src, long n)
{
	if (n <= 0)
		return 0;
	/* Only the part below TASK_SIZE_MAX can be read; the string must end before it. */
	u64 a = (u64)(uintptr_t)src;
	if (a >= TASK_SIZE_MAX)
		return -EFAULT;
	long max = (long)min((u64)n, TASK_SIZE_MAX - a);
	user_access_begin();
	long len = __strnlen_user(src, dst, max);
	user_access_end();
	if (len < 0 || (len == max && max < n))
		return -EFAULT;
	return len;
}

int get_user_u64(u64 *val, const u64 __user *p)
{
	return copy_from_user(val, p, sizeof(*val)) ? -EFAULT : 0;
}

int put_user_u64(u64 val, u64 __user *p)
{
	return copy_to_user_from(p, &val, sizeof(val), __builtin_return_address(0)) ? -EFAULT : 0;
}

int get_user_u32(u32 *val, const u32 __user *p)
{
	return copy_from_user(val, p, sizeof(*val)) ? -EFAULT : 0;
}

int put_user_u32(u32 val, u32 __user *p)
{
	return copy_to_user_from(p, &val, sizeof(val), __builtin_return_address(0)) ? -EFAULT : 0;
}
