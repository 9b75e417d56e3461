// SPDX-License-Identifier: MIT
/*
 * Robust futexes (Linux 6.1's set_robust_list, get_robust_list and exit_robust_list): a
 * thread keeps, in its own memory, a list of the locks it holds, and tells the kernel where
 * the list's head is. When it dies (or execs) holding one, the kernel finds the lock on the
 * list, marks its word FUTEX_OWNER_DIED and wakes a waiter, which then owns a lock whose data
 * may be inconsistent instead of waiting forever (pthread mutexes with PTHREAD_MUTEX_ROBUST).
 *
 * The list is user memory: any pointer in it may be bad, unaligned, looping or hostile. The
 * walk reads each word through the uaccess routines (a bad one ends the walk), visits at most
 * ROBUST_LIST_LIMIT entries (a loop ends there), and only ever writes a word whose owner bits
 * are the dying thread's own tid, as Linux does.
 *
 * The head, 24 bytes (struct robust_list_head): list.next (the first entry, or the head itself
 * when empty), futex_offset (from an entry to its lock word, signed), list_op_pending (a lock
 * being taken or released, 0 if none). Bit 0 of an entry pointer marks a PI futex.
 */
#include "kernel/futex.h"
#include "kernel/errno.h"
#include "kernel/ptrace.h"
#include "kernel/sched.h"
#include "arch/x86_64/futex.h"

#define ROBUST_LIST_HEAD_SIZE 24
#define ROBUST_LIST_LIMIT 2048 /* entries walked at most: a looping list ends here */

long sys_set_robust_list(void __user *head, u64 len)
{
	if (len != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	current->robust_list = (u64)(uintptr_t)head;
	return 0;
}

/*
 * get_robust_list(pid, head_ptr, len_ptr): the head of pid's list (0: the caller's). ESRCH for
 * no such task (a zombie is still one: its list is gone, 0); then another process's task must
 * pass ptrace_may_access(PTRACE_MODE_READ_REALCREDS), else EPERM (Linux's
 * futex_get_robust_list_common: the head tells where a thread's locks live). The size is
 * written before the head.
 */
long sys_get_robust_list(int pid, void __user *head_ptr, u64 __user *len_ptr)
{
	struct task_struct *p = current;

	if (pid) {
		p = find_task_by_pid(pid);
		if (!p)
			return -ESRCH;
	}
	if (ptrace_may_access(p, PTRACE_MODE_READ_REALCREDS))
		return -EPERM;
	u64 head = p->robust_list;
	if (put_user_u64(ROBUST_LIST_HEAD_SIZE, len_ptr))
		return -EFAULT;
	return put_user_u64(head, head_ptr) ? -EFAULT : 0;
}

/*
 * One lock of the dying thread's list (Linux's handle_futex_death): -1 ends the walk (a word
 * that is unaligned or cannot be read or written). A word owned by this thread gets
 * FUTEX_OWNER_DIED (FUTEX_WAITERS kept, the tid cleared) and, if it had waiters, one of them is
 * woken. The pending lock (pending_op) that this thread does not own is one it may have been
 * releasing or just woken for: if the word is free or has no FUTEX_WAITERS, one waiter is woken
 * so that a wake-up this thread owed is not lost.
 */
static int handle_futex_death(u64 addr, struct task_struct *t, bool pi, bool pending_op)
{
	u32 __user *uaddr = (u32 __user *)(uintptr_t)addr;
	u32 uval, nval, mval;
	int retries = 0;

	if (addr % sizeof(u32))
		return -1;
	for (;;) {
		if (get_user_u32(&uval, uaddr))
			return -1;
		u32 owner = uval & FUTEX_TID_MASK;
		if (owner != (u32)t->pid) {
			if (pending_op && !pi && (!owner || !(uval & FUTEX_WAITERS)))
				futex_wake(uaddr, FLAGS_SHARED, 1, FUTEX_BITSET_MATCH_ANY);
			return 0;
		}
		mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		if (futex_atomic_cmpxchg_inatomic(&nval, uaddr, uval, mval))
			return -1; /* not writable: the lock stays as it is */
		if (nval == uval)
			break;
		if (++retries > 1000) /* changing under us all the time (another CPU): give up */
			return -1;
	}
	if (!pi && (uval & FUTEX_WAITERS))
		futex_wake(uaddr, FLAGS_SHARED, 1, FUTEX_BITSET_MATCH_ANY);
	return 0;
}

/* Reads a list pointer at addr: the entry, with bit 0 (PI) split off. 0 or -EFAULT. */
static int fetch_robust_entry(u64 *entry, u64 addr, bool *pi)
{
	u64 v;

	if (get_user_u64(&v, (u64 __user *)(uintptr_t)addr))
		return -EFAULT;
	*entry = v & ~1ULL;
	*pi = v & 1;
	return 0;
}

/*
 * Walks t's robust list (Linux's exit_robust_list): each entry other than the pending one,
 * then the pending one, each lock word at entry + futex_offset. Any sign of trouble ends the
 * walk quietly.
 */
static void exit_robust_list(struct task_struct *t)
{
	u64 head = t->robust_list, entry, next_entry, pending, futex_offset;
	unsigned int limit = ROBUST_LIST_LIMIT;
	bool pi, next_pi, pip;

	if (fetch_robust_entry(&entry, head, &pi))
		return;
	if (get_user_u64(&futex_offset, (u64 __user *)(uintptr_t)(head + 8)))
		return;
	if (fetch_robust_entry(&pending, head + 16, &pip))
		return;
	while (entry != head) {
		/* the next entry first: handling this one may change it */
		int rc = fetch_robust_entry(&next_entry, entry, &next_pi);

		if (entry != pending && handle_futex_death(entry + futex_offset, t, pi, false))
			return;
		if (rc)
			return;
		entry = next_entry;
		pi = next_pi;
		if (!--limit)
			break;
		cond_resched();
	}
	if (pending)
		handle_futex_death(pending + futex_offset, t, pip, true);
}

/* Walks and forgets the current task's robust list (exit and exec alike). */
static void futex_cleanup(struct task_struct *t)
{
	if (t->robust_list) {
		exit_robust_list(t);
		t->robust_list = 0;
	}
}

void futex_exit_release(struct task_struct *t)
{
	futex_cleanup(t);
}

void futex_exec_release(struct task_struct *t)
{
	futex_cleanup(t);
}
