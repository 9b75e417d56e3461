// SPDX-License-Identifier: MIT
/*
 * Futexes, part two: the operations on two futex words, as Linux 6.1's
 * kernel/futex/{requeue,waitwake}.c. FUTEX_REQUEUE and FUTEX_CMP_REQUEUE wake some waiters of
 * one word and move others to a second word without waking them (a condition variable's
 * broadcast moves its waiters to the mutex instead of letting them all fight for it);
 * FUTEX_WAKE_OP changes the second word atomically and wakes waiters of the first, and of the
 * second if its old value passes a comparison. Both hold the two buckets' locks together
 * (double_lock_hb), so waiters cannot come or go half-way.
 */
#include "kernel/futex.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "arch/x86_64/futex.h"

int futex_requeue(u32 __user *uaddr1, unsigned int flags, u32 __user *uaddr2, int nr_wake,
		  int nr_requeue, const u32 *cmpval)
{
	struct futex_hash_bucket *hb1, *hb2;
	struct futex_key key1, key2;
	struct futex_q *q, *next;
	int task_count = 0, ret;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	ret = get_futex_key(uaddr1, flags & FLAGS_SHARED, &key1, FUTEX_READ);
	if (ret)
		return ret;
	ret = get_futex_key(uaddr2, flags & FLAGS_SHARED, &key2, FUTEX_READ);
	if (ret)
		return ret;
	hb1 = futex_hash(&key1);
	hb2 = futex_hash(&key2);
retry:
	double_lock_hb(hb1, hb2);
	if (cmpval) {
		u32 curval;

		ret = futex_get_value_locked(&curval, uaddr1);
		if (ret) {
			/* Fault the word in without the locks (a userfaultfd page waits), again. */
			double_unlock_hb(hb1, hb2);
			if (get_user_u32(&curval, uaddr1))
				return -EFAULT;
			goto retry;
		}
		if (curval != *cmpval) {
			ret = -EAGAIN;
			goto out_unlock;
		}
	}
	for (q = hb1->first; q; q = next) {
		next = q->next;
		if (task_count - nr_wake >= nr_requeue)
			break;
		if (!futex_match(&q->key, &key1))
			continue;
		if (++task_count <= nr_wake)
			futex_wake_mark(hb1, q);
		else
			futex_requeue_q(q, hb1, hb2, &key2);
	}
out_unlock:
	double_unlock_hb(hb1, hb2);
	return ret ? ret : task_count;
}

/* Sign-extends the low `bits` bits of v (Linux's sign_extend32 with index bits - 1). */
static int sign_extend(u32 v, int bits)
{
	return (int)(v << (32 - bits)) >> (32 - bits);
}

/* FUTEX_WAKE_OP's new value of the word: op applied to the old value and oparg. */
static u32 futex_op_apply(unsigned int op, u32 oldval, u32 oparg)
{
	switch (op) {
	case FUTEX_OP_SET:
		return oparg;
	case FUTEX_OP_ADD:
		return oldval + oparg;
	case FUTEX_OP_OR:
		return oldval | oparg;
	case FUTEX_OP_ANDN:
		return oldval & ~oparg;
	default: /* FUTEX_OP_XOR */
		return oldval ^ oparg;
	}
}

/*
 * Applies op to the user word atomically (Linux's arch_futex_atomic_op_inuser): a cmpxchg loop
 * from the value read, which the page-fault handler fills in or refuses. The old value in
 * *oldval; 0, -EFAULT, or -ENOSYS for an op that does not exist (5-7), checked after the range.
 */
static int futex_atomic_op(unsigned int op, u32 oparg, u32 *oldval, u32 __user *uaddr)
{
	u32 old, cur;
	int ret;

	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	if (op > FUTEX_OP_XOR)
		return -ENOSYS;
	if (get_user_u32(&old, uaddr))
		return -EFAULT;
	for (;;) {
		ret = futex_atomic_cmpxchg_inatomic(&cur, uaddr, old,
						    futex_op_apply(op, old, oparg));
		if (ret)
			return ret;
		if (cur == old)
			break;
		old = cur; /* changed under us (another CPU): again from what is there now */
	}
	*oldval = old;
	return 0;
}

/* Linux's message for a shift outside 0..31 (rate-limited there; here the first ten). */
static void warn_shift(int oparg)
{
	static int warnings;

	if (warnings >= 10)
		return;
	warnings++;
	pr_info("futex_wake_op: %s tries to shift op by %d; fix this program\n", current->comm,
		oparg);
}

/*
 * Decodes FUTEX_WAKE_OP's val3, applies its operation to *uaddr and compares the old value
 * (Linux's futex_atomic_op_inuser): 1 or 0 for the comparison, or -errno. The operation is done
 * even when the comparison does not exist (-ENOSYS after the write, as Linux). A shift by more
 * than 31 (or a negative one) is masked to 0..31 with a message, as Linux 6.1 does.
 */
static int futex_atomic_op_inuser(u32 encoded_op, u32 __user *uaddr)
{
	unsigned int op = (encoded_op & 0x70000000) >> 28;
	unsigned int cmp = (encoded_op & 0x0f000000) >> 24;
	int oparg = sign_extend((encoded_op & 0x00fff000) >> 12, 12);
	int cmparg = sign_extend(encoded_op & 0x00000fff, 12);
	u32 arg = (u32)oparg, uold;
	int oldval, ret;

	if (encoded_op & (FUTEX_OP_OPARG_SHIFT << 28)) {
		if (oparg < 0 || oparg > 31) {
			warn_shift(oparg);
			oparg &= 31;
		}
		arg = 1U << oparg;
	}
	ret = futex_atomic_op(op, arg, &uold, uaddr);
	if (ret)
		return ret;
	oldval = (int)uold;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		return oldval == cmparg;
	case FUTEX_OP_CMP_NE:
		return oldval != cmparg;
	case FUTEX_OP_CMP_LT:
		return oldval < cmparg;
	case FUTEX_OP_CMP_GE:
		return oldval >= cmparg;
	case FUTEX_OP_CMP_LE:
		return oldval <= cmparg;
	case FUTEX_OP_CMP_GT:
		return oldval > cmparg;
	default:
		return -ENOSYS;
	}
}

/* Wakes up to nr waiters of key on hb's chain (locked); how many were woken. */
static int wake_key(struct futex_hash_bucket *hb, const struct futex_key *key, int nr)
{
	struct futex_q *q, *next;
	int woken = 0;

	for (q = hb->first; q; q = next) {
		next = q->next;
		if (!futex_match(&q->key, key))
			continue;
		futex_wake_mark(hb, q);
		if (++woken >= nr)
			break;
	}
	return woken;
}

int futex_wake_op(u32 __user *uaddr1, unsigned int flags, u32 __user *uaddr2, int nr_wake,
		  int nr_wake2, u32 op)
{
	struct futex_hash_bucket *hb1, *hb2;
	struct futex_key key1, key2;
	int ret, op_ret;

	ret = get_futex_key(uaddr1, flags & FLAGS_SHARED, &key1, FUTEX_READ);
	if (ret)
		return ret;
	ret = get_futex_key(uaddr2, flags & FLAGS_SHARED, &key2, FUTEX_WRITE);
	if (ret)
		return ret;
	hb1 = futex_hash(&key1);
	hb2 = futex_hash(&key2);
retry:
	double_lock_hb(hb1, hb2);
	/* No sleeping under the two bucket locks: a userfaultfd page fails the op (EFAULT). */
	current->pagefault_disabled++;
	op_ret = futex_atomic_op_inuser(op, uaddr2);
	current->pagefault_disabled--;
	if (op_ret < 0) {
		double_unlock_hb(hb1, hb2);
		if (op_ret != -EFAULT)
			return op_ret;
		/* Fault the word in writable without the locks (a uffd page: EFAULT), again. */
		ret = fault_in_user_writeable(uaddr2);
		if (ret)
			return ret;
		goto retry;
	}
	ret = wake_key(hb1, &key1, nr_wake);
	if (op_ret > 0)
		ret += wake_key(hb2, &key2, nr_wake2);
	double_unlock_hb(hb1, hb2);
	return ret;
}
