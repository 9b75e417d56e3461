// SPDX-License-Identifier: MIT
/*
 * futex_waitv(2) (syscall 449, Linux 5.16+): one task waits on up to 128 futex words at once
 * and is woken by a FUTEX_WAKE on any of them; the result is the index of the word that woke
 * it. As Linux 6.1's futex_wait_multiple: each word's key first, then, marked asleep, each word
 * is locked, read and queued in turn, so a wake of any queued word between two of these steps
 * makes the task runnable and is seen when the queueing ends (kernel/futex.c's argument, once
 * per word).
 */
#include "kernel/time_namespace.h"
#include "kernel/futex.h"
#include "kernel/errno.h"
#include "kernel/ktime.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/slab.h"

#define FUTEX_32 2 /* the word's size: the only one there is */
#define FUTEX_WAITV_MAX 128
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

/* One element of the user's array (struct futex_waitv, 24 bytes). */
struct futex_waitv {
	u64 val; /* compared with the word's 32 bits as a u32 */
	u64 uaddr;
	u32 flags; /* FUTEX_32, optionally FUTEX_PRIVATE_FLAG */
	u32 __reserved;
};

/* A word to wait on and its waiter (Linux's struct futex_vector). */
struct futex_vector {
	struct futex_waitv w;
	struct futex_q q;
};

/* Reads and checks the user's array (Linux's futex_parse_waitv): EFAULT, EINVAL for flags
 * other than FUTEX_32 | FUTEX_PRIVATE_FLAG, a missing FUTEX_32, or a reserved field set. */
static int futex_parse_waitv(struct futex_vector *v, const struct futex_waitv __user *uwaitv,
			     unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		struct futex_waitv aux;

		if (copy_from_user(&aux, &uwaitv[i], sizeof(aux)))
			return -EFAULT;
		if ((aux.flags & ~(u32)(FUTEX_32 | FUTEX_PRIVATE_FLAG)) || aux.__reserved)
			return -EINVAL;
		if (!(aux.flags & FUTEX_32))
			return -EINVAL;
		v[i].w = aux;
		v[i].q.bitset = FUTEX_BITSET_MATCH_ANY;
	}
	return 0;
}

/* Takes the first count waiters off their chains: the index of the last one a waker had
 * already taken off (woken), or -1 if none was (Linux's unqueue_multiple). */
static int unqueue_multiple(struct futex_vector *v, int count)
{
	int ret = -1;

	for (int i = 0; i < count; i++)
		if (!futex_unqueue(&v[i].q))
			ret = i;
	return ret;
}

/*
 * Queues a waiter on every word (Linux's futex_wait_multiple_setup): 0 when all are queued
 * and the task is marked asleep; 1 with *woken set if a word was woken meanwhile; -EAGAIN
 * when a word no longer holds its value, -EFAULT, -EINVAL (every queued waiter taken off).
 */
static int futex_wait_multiple_setup(struct futex_vector *vs, int count, int *woken)
{
	for (int i = 0; i < count; i++) {
		int ret = get_futex_key((u32 __user *)(uintptr_t)vs[i].w.uaddr,
					!(vs[i].w.flags & FUTEX_PRIVATE_FLAG), &vs[i].q.key,
					FUTEX_READ);
		if (ret)
			return ret;
	}
retry:
	current->state = TASK_INTERRUPTIBLE;
	for (int i = 0; i < count; i++) {
		u32 __user *uaddr = (u32 __user *)(uintptr_t)vs[i].w.uaddr;
		struct futex_q *q = &vs[i].q;
		struct futex_hash_bucket *hb = futex_hash(&q->key);
		u32 uval;

		spin_lock(&hb->lock);
		int ret = futex_get_value_locked(&uval, uaddr);
		if (!ret && uval == (u32)vs[i].w.val) {
			q->task = current;
			__futex_queue(hb, q);
			spin_unlock(&hb->lock);
			continue;
		}
		spin_unlock(&hb->lock);
		current->state = TASK_RUNNING;
		*woken = unqueue_multiple(vs, i);
		if (*woken >= 0)
			return 1;
		if (ret) {
			/* Fault it in without the lock (a userfaultfd page waits), then again. */
			if (get_user_u32(&uval, uaddr))
				return -EFAULT;
			goto retry;
		}
		return -EAGAIN;
	}
	return 0;
}

/* Waits on every word until one is woken (its index), the monotonic deadline passes
 * (-ETIMEDOUT) or a signal comes (-ERESTARTSYS) (Linux's futex_wait_multiple). */
static int futex_wait_multiple(struct futex_vector *vs, int count, const u64 *deadline)
{
	struct task_struct *t = current;
	int ret, hint = 0;

	for (;;) {
		ret = futex_wait_multiple_setup(vs, count, &hint);
		if (ret)
			return ret > 0 ? hint : ret;
		bool woken = false;
		for (int i = 0; i < count && !woken; i++)
			woken = !__atomic_load_n(&vs[i].q.lock_ptr, __ATOMIC_ACQUIRE);
		if (deadline)
			t->wake_at_ns = *deadline ? *deadline : 1;
		if (!woken && !signal_pending_current() &&
		    (!deadline || ktime_get_ns() < *deadline))
			schedule();
		t->wake_at_ns = 0;
		t->state = TASK_RUNNING;
		ret = unqueue_multiple(vs, count);
		if (ret >= 0)
			return ret;
		if (deadline && ktime_get_ns() >= *deadline)
			return -ETIMEDOUT;
		if (signal_pending_current())
			return -ERESTARTSYS;
		/* a spurious wake-up: queue again */
	}
}

/*
 * futex_waitv(waiters, nr_futexes, flags, timeout, clockid): flags must be 0, nr_futexes 1 to
 * 128 and waiters not NULL (EINVAL); the timeout is absolute on CLOCK_MONOTONIC or
 * CLOCK_REALTIME (any other clock: EINVAL), read before the array. A signal gives
 * -ERESTARTSYS: EINTR for a handler without SA_RESTART, else the call is made again.
 */
long sys_futex_waitv(const struct futex_waitv __user *waiters, unsigned int nr_futexes,
		     unsigned int flags, const struct timespec64 __user *timeout, int clockid)
{
	struct futex_vector *v;
	u64 deadline = 0;
	int ret;

	if (flags)
		return -EINVAL;
	if (!nr_futexes || nr_futexes > FUTEX_WAITV_MAX || !waiters)
		return -EINVAL;
	if (timeout) {
		struct timespec64 ts;

		if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC)
			return -EINVAL;
		if (copy_from_user(&ts, timeout, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || (u64)ts.tv_nsec >= NSEC_PER_SEC)
			return -EINVAL;
		u64 t = timespec_to_ktime(&ts);

		if (clockid == CLOCK_MONOTONIC)
			t = timens_ktime_to_host(CLOCK_MONOTONIC,
						 t); /* the caller's time namespace */
		deadline = futex_deadline(t, clockid == CLOCK_REALTIME ? FLAGS_CLOCKRT : 0);
	}
	v = kzalloc(nr_futexes * sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	ret = futex_parse_waitv(v, waiters, nr_futexes);
	if (!ret)
		ret = futex_wait_multiple(v, (int)nr_futexes, timeout ? &deadline : NULL);
	kfree(v);
	return ret;
}
