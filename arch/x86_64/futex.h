/* SPDX-License-Identifier: MIT */
/*
 * Atomic access to a user futex word (Linux's asm/futex.h): a compare-and-exchange done with
 * lock cmpxchg under the exception table (arch/x86_64/futex.asm), inside the SMAP window. The
 * kernel runs with the task's PKRU, so a word its protection key forbids faults here as it
 * would in user mode, and the caller gets -EFAULT.
 */
#ifndef WARDEN_ARCH_FUTEX_H
#define WARDEN_ARCH_FUTEX_H

#include "arch/x86_64/smap.h"
#include "kernel/errno.h"
#include "mm/uaccess.h"

int __futex_cmpxchg_user(u32 __user *uaddr, u32 oldval, u32 newval, u32 *curval);

/*
 * If *uaddr is oldval, makes it newval, atomically; *curval gets what was there. 0 or -EFAULT
 * (unmapped, not writable, refused by the protection key, outside the user half).
 */
static inline int futex_atomic_cmpxchg_inatomic(u32 *curval, u32 __user *uaddr, u32 oldval,
						u32 newval)
{
	int ret;

	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	user_access_begin();
	ret = __futex_cmpxchg_user(uaddr, oldval, newval, curval);
	user_access_end();
	return ret;
}

#endif
