// SPDX-License-Identifier: MIT
/*
 * The capability sets seen from user space (Linux's kernel/capability.c and the prctls of
 * security/commoncap.c): capget and capset with the three header versions, and the bounding
 * set, keep-caps, securebits and ambient prctls, with Linux 6.1's checks in Linux's order.
 * Each thread has its own sets (struct cred); capset changes only the calling thread's.
 * See docs/credentials.md.
 */
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "mm/uaccess.h"

#define _LINUX_CAPABILITY_VERSION_1 0x19980330
#define _LINUX_CAPABILITY_VERSION_2 0x20071026
#define _LINUX_CAPABILITY_VERSION_3 0x20080522

#define PR_CAPBSET_READ 23
#define PR_CAPBSET_DROP 24
#define PR_GET_KEEPCAPS 7
#define PR_SET_KEEPCAPS 8
#define PR_GET_SECUREBITS 27
#define PR_SET_SECUREBITS 28
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_IS_SET 1
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_LOWER 3
#define PR_CAP_AMBIENT_CLEAR_ALL 4

struct __user_cap_header_struct {
	u32 version;
	int pid;
};

struct __user_cap_data_struct {
	u32 effective;
	u32 permitted;
	u32 inheritable;
};

static bool cap_valid(u64 cap)
{
	return cap <= CAP_LAST_CAP;
}

/*
 * The number of u32 halves of each set the header's version carries (Linux's
 * cap_validate_magic); an unknown version gets version 3 written back and is EINVAL.
 */
static long cap_validate_magic(struct __user_cap_header_struct *header, unsigned int *tocopy)
{
	u32 version;

	if (copy_from_user(&version, &header->version, sizeof(version)))
		return -EFAULT;
	switch (version) {
	case _LINUX_CAPABILITY_VERSION_1:
		*tocopy = 1;
		return 0;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		*tocopy = 2;
		return 0;
	default:
		version = _LINUX_CAPABILITY_VERSION_3;
		if (copy_to_user(&header->version, &version, sizeof(version)))
			return -EFAULT;
		return -EINVAL;
	}
}

/*
 * capget(2): a thread's effective, permitted and inheritable sets. A NULL data pointer only
 * probes the version: 0 for a good one and, as Linux, 0 for a bad one too (once the header
 * holds version 3).
 */
long sys_capget(struct __user_cap_header_struct *header, struct __user_cap_data_struct *data)
{
	struct __user_cap_data_struct kdata[2];
	const struct cred *c = &current->cred;
	unsigned int tocopy, i;
	long ret;
	int pid;

	ret = cap_validate_magic(header, &tocopy);
	if (!data || ret)
		return !data && ret == -EINVAL ? 0 : ret;
	if (copy_from_user(&pid, &header->pid, sizeof(pid)))
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	if (pid && pid != current->pid) {
		struct task_struct *t = find_task_by_pid(pid);

		if (!t)
			return -ESRCH;
		c = &t->cred;
	}
	for (i = 0; i < tocopy; i++) {
		kdata[i].effective = (u32)(c->cap_effective >> (32 * i));
		kdata[i].permitted = (u32)(c->cap_permitted >> (32 * i));
		kdata[i].inheritable = (u32)(c->cap_inheritable >> (32 * i));
	}
	if (copy_to_user(data, kdata, tocopy * sizeof(kdata[0])))
		return -EFAULT;
	return 0;
}

/* Is every capability of a also in b? */
static bool cap_issubset(u64 a, u64 b)
{
	return !(a & ~b);
}

/*
 * capset(2) on the calling thread (Linux's sys_capset and cap_capset): without CAP_SETPCAP the
 * new inheritable set stays within the old inheritable and permitted sets, and always within
 * the old inheritable and bounding sets; permitted can only shrink; effective stays within the
 * new permitted set. Ambient capabilities no longer both permitted and inheritable go.
 */
long sys_capset(struct __user_cap_header_struct *header, const struct __user_cap_data_struct *data)
{
	struct __user_cap_data_struct kdata[2] = {};
	struct cred *c = &current->cred;
	u64 eff = 0, prm = 0, inh = 0;
	unsigned int tocopy, i;
	long ret;
	int pid;

	ret = cap_validate_magic(header, &tocopy);
	if (ret)
		return ret;
	if (copy_from_user(&pid, &header->pid, sizeof(pid)))
		return -EFAULT;
	if (pid != 0 && pid != current->pid)
		return -EPERM;
	if (copy_from_user(kdata, data, tocopy * sizeof(kdata[0])))
		return -EFAULT;
	for (i = 0; i < tocopy; i++) {
		eff |= (u64)kdata[i].effective << (32 * i);
		prm |= (u64)kdata[i].permitted << (32 * i);
		inh |= (u64)kdata[i].inheritable << (32 * i);
	}
	/* the bits past CAP_LAST_CAP (VFS capability bits) are dropped */
	eff &= CAP_FULL_SET;
	prm &= CAP_FULL_SET;
	inh &= CAP_FULL_SET;
	if (!capable(CAP_SETPCAP) && !cap_issubset(inh, c->cap_inheritable | c->cap_permitted))
		return -EPERM;
	if (!cap_issubset(inh, c->cap_inheritable | c->cap_bset))
		return -EPERM;
	if (!cap_issubset(prm, c->cap_permitted))
		return -EPERM;
	if (!cap_issubset(eff, prm))
		return -EPERM;
	c->cap_effective = eff;
	c->cap_inheritable = inh;
	c->cap_permitted = prm;
	c->cap_ambient &= prm & inh;
	return 0;
}

/*
 * PR_SET_SECUREBITS (Linux's cap_task_prctl): a locked bit cannot change, a lock cannot be
 * released, unknown bits are refused, and CAP_SETPCAP is needed, all EPERM.
 */
static long cap_set_securebits(struct cred *c, u64 bits)
{
	u64 old = c->securebits;

	if ((((old & SECURE_ALL_LOCKS) >> 1) & (old ^ bits)) || (old & SECURE_ALL_LOCKS & ~bits) ||
	    (bits & ~(u64)(SECURE_ALL_LOCKS | SECURE_ALL_BITS)) || !capable(CAP_SETPCAP))
		return -EPERM;
	c->securebits = (u32)bits;
	return 0;
}

/* PR_CAP_AMBIENT's four operations, checked in Linux's order. */
static long cap_ambient(struct cred *c, u64 op, u64 cap, u64 arg4, u64 arg5)
{
	if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap | arg4 | arg5)
			return -EINVAL;
		c->cap_ambient = 0;
		return 0;
	}
	if (!cap_valid(cap) || arg4 || arg5)
		return -EINVAL;
	if (op == PR_CAP_AMBIENT_IS_SET)
		return (c->cap_ambient >> cap) & 1;
	if (op != PR_CAP_AMBIENT_RAISE && op != PR_CAP_AMBIENT_LOWER)
		return -EINVAL;
	if (op == PR_CAP_AMBIENT_RAISE) {
		if (!((c->cap_permitted >> cap) & 1) || !((c->cap_inheritable >> cap) & 1) ||
		    cred_issecure(c, SECURE_NO_CAP_AMBIENT_RAISE))
			return -EPERM;
		c->cap_ambient |= 1ULL << cap;
	} else {
		c->cap_ambient &= ~(1ULL << cap);
	}
	return 0;
}

long cap_task_prctl(int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5)
{
	struct cred *c = &current->cred;

	switch (option) {
	case PR_CAPBSET_READ:
		if (!cap_valid(arg2))
			return -EINVAL;
		return (c->cap_bset >> arg2) & 1;
	case PR_CAPBSET_DROP:
		if (!capable(CAP_SETPCAP))
			return -EPERM;
		if (!cap_valid(arg2))
			return -EINVAL;
		c->cap_bset &= ~(1ULL << arg2);
		return 0;
	case PR_SET_SECUREBITS:
		return cap_set_securebits(c, arg2);
	case PR_GET_SECUREBITS:
		return c->securebits;
	case PR_GET_KEEPCAPS:
		return cred_issecure(c, SECURE_KEEP_CAPS);
	case PR_SET_KEEPCAPS:
		if (arg2 > 1)
			return -EINVAL;
		if (cred_issecure(c, SECURE_KEEP_CAPS_LOCKED))
			return -EPERM;
		if (arg2)
			c->securebits |= 1U << SECURE_KEEP_CAPS;
		else
			c->securebits &= ~(1U << SECURE_KEEP_CAPS);
		return 0;
	case PR_CAP_AMBIENT:
		return cap_ambient(c, arg2, arg3, arg4, arg5);
	default:
		return -ENOSYS;
	}
}
