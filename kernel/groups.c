// SPDX-License-Identifier: MIT
/*
 * Supplementary groups (Linux 6.1's kernel/groups.c): each task's credentials point at a
 * reference-counted, sorted list of group ids (struct group_info; NULL is the empty list the
 * first task has, Linux's init_groups). fork and clone share the list and take a reference;
 * setgroups gives the calling thread a new one (libc makes every thread call it, as for setuid).
 * in_group_p and in_egroup_p answer "is this gid one of mine?" for the permission checks.
 */
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

/* A new list for count groups, one reference, not yet filled (NULL: no memory). */
static struct group_info *groups_alloc(u32 count)
{
	struct group_info *gi = kmalloc(sizeof(*gi) + count * sizeof(u32), GFP_KERNEL);

	if (!gi)
		return NULL;
	gi->usage = 1;
	gi->ngroups = count;
	return gi;
}

struct group_info *get_group_info(struct group_info *gi)
{
	if (gi)
		gi->usage++;
	return gi;
}

void put_group_info(struct group_info *gi)
{
	if (gi && !--gi->usage)
		kfree(gi);
}

/* Moves a[r] down the max-heap a[0..end) until its children are smaller. */
static void sift_down(u32 *a, u32 r, u32 end)
{
	for (u32 c; (c = 2 * r + 1) < end; r = c) {
		if (c + 1 < end && a[c + 1] > a[c])
			c++;
		if (a[r] >= a[c])
			return;
		u32 t = a[r];
		a[r] = a[c];
		a[c] = t;
	}
}

/* Sorts the ids in ascending order (a heap sort, as Linux's sort(): no recursion, no memory). */
static void groups_sort(struct group_info *gi)
{
	u32 *a = gi->gid, n = gi->ngroups;

	for (u32 i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (u32 end = n; end > 1;) {
		end--;
		u32 t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end);
	}
}

/* Is gid in the sorted list (Linux's groups_search, a binary search)? */
static bool groups_search(const struct group_info *gi, u32 gid)
{
	u32 lo = 0, hi = gi ? gi->ngroups : 0;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (gi->gid[mid] == gid)
			return true;
		if (gi->gid[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool in_group_p(u32 gid)
{
	const struct cred *c = &current->cred;

	return gid == c->fsgid || groups_search(c->group_info, gid);
}

bool in_egroup_p(u32 gid)
{
	const struct cred *c = &current->cred;

	return gid == c->egid || groups_search(c->group_info, gid);
}

/*
 * getgroups(2): the number of supplementary groups; with size > 0 also the ids, in ascending
 * order (EINVAL when they do not fit, EFAULT when list cannot take them).
 */
long sys_getgroups(int size, u32 __user *list)
{
	const struct group_info *gi = current->cred.group_info;
	u32 n = gi ? gi->ngroups : 0;

	if (size < 0)
		return -EINVAL;
	if (size) {
		if (n > (u32)size)
			return -EINVAL;
		if (n && copy_to_user(list, gi->gid, n * sizeof(u32)))
			return -EFAULT;
	}
	return n;
}

/*
 * setgroups(2): replaces the calling thread's supplementary groups. Linux's order: no
 * CAP_SETGID is EPERM, more than NGROUPS_MAX EINVAL, an unreadable list EFAULT, an id of -1
 * EINVAL. Nothing changes unless all of it succeeds.
 */
long sys_setgroups(int size, const u32 __user *list)
{
	struct group_info *gi;

	if (!capable(CAP_SETGID))
		return -EPERM;
	if ((u32)size > NGROUPS_MAX)
		return -EINVAL;
	gi = groups_alloc((u32)size);
	if (!gi)
		return -ENOMEM;
	for (u32 i = 0; i < (u32)size; i++) {
		long err = 0;

		if (get_user_u32(&gi->gid[i], list + i))
			err = -EFAULT;
		else if (gi->gid[i] == (u32)-1)
			err = -EINVAL;
		if (err) {
			put_group_info(gi);
			return err;
		}
	}
	groups_sort(gi);
	put_group_info(current->cred.group_info);
	current->cred.group_info = gi;
	return 0;
}
