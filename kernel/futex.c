// SPDX-License-Identifier: MIT
/*
 * Futexes, part one: keys, hash buckets, FUTEX_WAIT and FUTEX_WAKE (with their _BITSET forms)
 * and the futex(2) entry, as Linux 6.1's kernel/futex/{core,waitwake,syscalls}.c. The
 * two-word operations are in kernel/futex_requeue.c, robust lists in kernel/futex_robust.c.
 *
 * Why no wake-up is lost. A waiter and a waker race on a word: the waiter read the word in user
 * space, saw it "locked" and calls FUTEX_WAIT(val); the waker stores a new value and calls
 * FUTEX_WAKE. The waiter takes the bucket lock first, then reads the word again, and puts
 * itself on the bucket's chain (marked asleep) before it lets go of the lock. The waker takes
 * the same lock after its store. So either the waker's lock comes first, and then its store
 * came before the waiter's read under the lock: the waiter sees the new value and returns
 * EAGAIN instead of sleeping; or the waiter's lock comes first, and then the waker, holding
 * the lock after it, finds the waiter on the chain and wakes it. The lock's acquire and
 * release order the store and the read (Linux needs full barriers only because its waker
 * peeks at a waiter count without the lock; Warden's always takes the lock).
 */
#include "kernel/futex.h"
#include "kernel/errno.h"
#include "kernel/ktime.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "arch/x86_64/futex.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/time.h"
#include "arch/x86_64/traps.h"
#include "mm/filemap.h"
#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/mmap_lock.h"
#include "kernel/time_namespace.h"

/* 256 buckets, as Linux on one CPU (256 * CPUs, rounded to a power of two). */
#define FUTEX_HASHSIZE 256

static struct futex_hash_bucket futex_queues[FUTEX_HASHSIZE];

/* Mixes a key's three fields into a bucket index (a 64-bit finaliser, as splitmix64's). */
struct futex_hash_bucket *futex_hash(const struct futex_key *key)
{
	u64 h = key->word * 0x9e3779b97f4a7c15ULL;

	h ^= key->object * 0xc2b2ae3d27d4eb4fULL;
	h ^= key->offset;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 29;
	return &futex_queues[h & (FUTEX_HASHSIZE - 1)];
}

/* Do two keys name the same futex word? */
bool futex_match(const struct futex_key *a, const struct futex_key *b)
{
	return a->word == b->word && a->object == b->object && a->offset == b->offset;
}

/*
 * Is the page at address (in the VMA v) the page-cache page of v's file? For a private file
 * mapping read but never written, the page tables map the file's own page (mm/fault.c).
 */
static bool maps_file_page(struct mm_struct *mm, struct vm_area_struct *v, u64 address, u64 pgoff)
{
	int level;
	pte_t *e = pgtable_walk(mm->pgd, address, PG_LEVEL_4K, false, &level);
	struct page *cached;

	if (!e || level != PG_LEVEL_4K || !pte_has_frame(*e))
		return false;
	cached = filemap_get_page(file_inode(v->vm_file), pgoff, false);
	return cached && page_to_phys(cached) == (*e & PTE_ADDR_MASK);
}

/*
 * The key of a shared operation (Linux's get_user_pages_fast path of get_futex_key): the page
 * is faulted in for writing as get_user_pages(FOLL_WRITE) would (a private page gets its own
 * copy), or, where writing is refused and the operation only reads, for reading. A page of a
 * file or of shared anonymous memory (whose file is an unlinked ramfs inode, mm/mmap.c) is keyed
 * by (inode number, page offset), so every mapping of it meets; a private page that could be
 * written by (mm, address); a private page that can only be read is EFAULT unless it still is
 * the file's page, as Linux's "ro" anonymous page is.
 */
static int __get_shared_key(struct mm_struct *mm, u64 address, struct futex_key *key,
			    enum futex_access rw)
{
	struct vm_area_struct *v;
	bool ro = false;
	int pkey, r;

	r = handle_mm_fault(mm, address, X86_PF_USER | X86_PF_WRITE, &pkey);
	if (r && rw == FUTEX_READ) {
		r = handle_mm_fault(mm, address, X86_PF_USER, &pkey);
		ro = true;
	}
	if (r)
		return r == -ENOMEM ? -ENOMEM : -EFAULT;
	v = find_vma(mm, address);
	if (!v || v->vm_start > address)
		return -EFAULT;
	u64 pgoff = v->vm_pgoff + ((address - v->vm_start) >> PAGE_SHIFT);
	if (v->vm_file &&
	    ((v->vm_flags & VM_MAYSHARE) || (ro && maps_file_page(mm, v, address, pgoff)))) {
		key->offset |= FUT_OFF_INODE;
		key->object = file_inode(v->vm_file)->i_ino;
		key->word = pgoff;
		return 0;
	}
	if (ro)
		return -EFAULT;
	key->offset |= FUT_OFF_MMSHARED;
	key->object = (u64)(uintptr_t)mm;
	key->word = address;
	return 0;
}

/* get_shared_key under the mmap lock for reading: the fault and the VMA look-up need it. */
static int get_shared_key(struct mm_struct *mm, u64 address, struct futex_key *key,
			  enum futex_access rw)
{
	mmap_read_lock(mm);
	int r = __get_shared_key(mm, address, key, rw);
	mmap_read_unlock(mm);
	return r;
}

/*
 * The key of the futex word at uaddr (Linux's get_futex_key): -EINVAL unless it is 4-byte
 * aligned, -EFAULT outside the user half; a private key is (mm, address) with no look at the
 * memory at all (the word is read later), a shared one needs the page (get_shared_key).
 */
int get_futex_key(u32 __user *uaddr, bool fshared, struct futex_key *key, enum futex_access rw)
{
	u64 address = (u64)(uintptr_t)uaddr;
	struct mm_struct *mm = current->mm;

	key->offset = address % PAGE_SIZE;
	if (address % sizeof(u32))
		return -EINVAL;
	address -= key->offset;
	if (!access_ok(uaddr, sizeof(u32)) || !mm)
		return -EFAULT;
	if (!fshared) {
		key->object = (u64)(uintptr_t)mm;
		key->word = address;
		return 0;
	}
	return get_shared_key(mm, address, key, rw);
}

/*
 * Reads the futex word with the bucket lock held (Linux's futex_get_value_locked). A kernel
 * access to user memory never sleeps in Warden (a page that needs filling in is filled in by
 * the fault handler without sleeping), so the read may fault: -EFAULT only for a word that
 * cannot be read at all (unmapped, PROT_NONE, refused by the protection key).
 */
int futex_get_value_locked(u32 *dest, u32 __user *from)
{
	current->pagefault_disabled++; /* a userfaultfd page fails (EFAULT) instead of sleeping */
	int ret = get_user_u32(dest, from);
	current->pagefault_disabled--;
	return ret;
}

/*
 * Makes the futex word present and writable, called without any lock held (Linux's
 * fault_in_user_writeable): a locked cmpxchg always writes on x86, so it takes the write fault
 * and changes nothing. 0 or -EFAULT. Linux's fixup_user_fault is not allowed to retry there, so
 * a userfaultfd page fails (VM_FAULT_SIGBUS) rather than waits for its handler: the same here.
 */
int fault_in_user_writeable(u32 __user *uaddr)
{
	u32 cur;
	int ret;

	current->pagefault_disabled++;
	ret = futex_atomic_cmpxchg_inatomic(&cur, uaddr, 0, 0) ? -EFAULT : 0;
	current->pagefault_disabled--;
	return ret;
}

/* Locks both buckets, the lower address first so two such callers cannot deadlock. */
void double_lock_hb(struct futex_hash_bucket *hb1, struct futex_hash_bucket *hb2)
{
	if (hb1 > hb2) {
		struct futex_hash_bucket *t = hb1;

		hb1 = hb2;
		hb2 = t;
	}
	spin_lock(&hb1->lock);
	if (hb1 != hb2)
		spin_lock(&hb2->lock);
}

/* Unlocks what double_lock_hb locked. */
void double_unlock_hb(struct futex_hash_bucket *hb1, struct futex_hash_bucket *hb2)
{
	spin_unlock(&hb1->lock);
	if (hb1 != hb2)
		spin_unlock(&hb2->lock);
}

/* Takes q off hb's chain (hb locked). */
static void __futex_unqueue(struct futex_hash_bucket *hb, struct futex_q *q)
{
	if (q->prev)
		q->prev->next = q->next;
	else
		hb->first = q->next;
	if (q->next)
		q->next->prev = q->prev;
	else
		hb->last = q->prev;
	q->prev = q->next = NULL;
	q->queued = false;
}

/* Puts q at the tail of hb's chain (hb locked): waiters are woken in arrival order. */
void __futex_queue(struct futex_hash_bucket *hb, struct futex_q *q)
{
	q->next = NULL;
	q->prev = hb->last;
	if (hb->last)
		hb->last->next = q;
	else
		hb->first = q;
	hb->last = q;
	q->queued = true;
	q->lock_ptr = &hb->lock;
}

/*
 * Wakes the waiter q (hb locked; Linux's futex_wake_mark and wake_up_q in one): off the chain,
 * its task made runnable, and only then lock_ptr cleared with release order. A waiter that sees
 * lock_ptr NULL may return and free q at once, so this is the last touch of q or of its task;
 * one that sees it set takes the lock and waits for this to finish.
 */
void futex_wake_mark(struct futex_hash_bucket *hb, struct futex_q *q)
{
	__futex_unqueue(hb, q);
	wake_up_process(q->task);
	__atomic_store_n(&q->lock_ptr, NULL, __ATOMIC_RELEASE);
}

/* Moves a waiter from hb1's chain to hb2's under key2 (both locked; Linux's requeue_futex). */
void futex_requeue_q(struct futex_q *q, struct futex_hash_bucket *hb1,
		     struct futex_hash_bucket *hb2, const struct futex_key *key2)
{
	if (hb1 != hb2) {
		__futex_unqueue(hb1, q);
		__futex_queue(hb2, q);
	}
	q->key = *key2;
}

/*
 * The waiter's own removal after it woke (Linux's futex_unqueue): 1 if it was still queued (a
 * timeout, a signal or a spurious wake-up), 0 if a waker took it off. lock_ptr may change under
 * us while a requeue moves q, so the lock taken is checked against it again.
 */
int futex_unqueue(struct futex_q *q)
{
	spinlock_t *lock_ptr;
	int ret = 0;

	for (;;) {
		lock_ptr = __atomic_load_n(&q->lock_ptr, __ATOMIC_ACQUIRE);
		if (!lock_ptr)
			return 0;
		spin_lock(lock_ptr);
		if (lock_ptr == q->lock_ptr)
			break;
		spin_unlock(lock_ptr);
	}
	if (q->queued) {
		__futex_unqueue(container_of(lock_ptr, struct futex_hash_bucket, lock), q);
		ret = 1;
	}
	q->lock_ptr = NULL;
	spin_unlock(lock_ptr);
	return ret;
}

int futex_wake(u32 __user *uaddr, unsigned int flags, int nr_wake, u32 bitset)
{
	struct futex_hash_bucket *hb;
	struct futex_q *q, *next;
	struct futex_key key;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, flags & FLAGS_SHARED, &key, FUTEX_READ);
	if (ret)
		return ret;
	hb = futex_hash(&key);
	spin_lock(&hb->lock);
	for (q = hb->first; q; q = next) {
		next = q->next;
		if (!futex_match(&q->key, &key) || !(q->bitset & bitset))
			continue;
		futex_wake_mark(hb, q);
		if (++ret >= nr_wake) /* so 0 or a negative count wakes one, as Linux */
			break;
	}
	spin_unlock(&hb->lock);
	return ret;
}

/*
 * The first half of a wait (Linux's futex_wait_setup): the key, the bucket locked, the word
 * read under the lock. 0 with *hbp locked when the word still holds val; otherwise unlocked
 * and -EAGAIN (EWOULDBLOCK), -EFAULT or -EINVAL.
 */
static int futex_wait_setup(u32 __user *uaddr, u32 val, unsigned int flags, struct futex_q *q,
			    struct futex_hash_bucket **hbp)
{
	struct futex_hash_bucket *hb;
	u32 uval;
	int ret;

	ret = get_futex_key(uaddr, flags & FLAGS_SHARED, &q->key, FUTEX_READ);
	if (ret)
		return ret;
	hb = futex_hash(&q->key);
retry:
	spin_lock(&hb->lock);
	ret = futex_get_value_locked(&uval, uaddr);
	if (ret) {
		/* Fault the word in without the lock (a userfaultfd page waits), then again. */
		spin_unlock(&hb->lock);
		if (get_user_u32(&uval, uaddr))
			return -EFAULT;
		goto retry;
	}
	if (uval != val)
		ret = -EAGAIN;
	if (ret) {
		spin_unlock(&hb->lock);
		return ret;
	}
	*hbp = hb;
	return 0;
}

/*
 * Queues q on the locked bucket hb and sleeps (Linux's futex_wait_queue) until a waker takes it
 * off, the monotonic deadline passes (has_deadline), or a signal is pending. The task is marked
 * asleep before the lock goes, so a wake-up in between only makes schedule() return at once.
 */
static void futex_wait_queue(struct futex_hash_bucket *hb, struct futex_q *q, bool has_deadline,
			     u64 deadline)
{
	struct task_struct *t = current;

	q->task = t;
	t->state = TASK_INTERRUPTIBLE;
	__futex_queue(hb, q);
	spin_unlock(&hb->lock);
	if (has_deadline)
		t->wake_at_ns = deadline ? deadline : 1;
	if (__atomic_load_n(&q->lock_ptr, __ATOMIC_ACQUIRE) && !signal_pending_current() &&
	    (!has_deadline || ktime_get_ns() < deadline))
		schedule();
	t->wake_at_ns = 0;
	t->state = TASK_RUNNING;
}

/* An absolute futex time (ns on CLOCK_REALTIME with FLAGS_CLOCKRT, else monotonic) as a
 * monotonic deadline: the wall clock is the monotonic clock plus the boot time. */
u64 futex_deadline(u64 abs_time, unsigned int flags)
{
	u64 offset = (flags & FLAGS_CLOCKRT) ? boot_wall_seconds() * NSEC_PER_SEC : 0;

	if (abs_time == KTIME_MAX)
		return KTIME_MAX;
	return abs_time > offset ? abs_time - offset : 0;
}

static long futex_wait_restart(struct restart_block *rb);

/*
 * FUTEX_WAIT and FUTEX_WAIT_BITSET (Linux's futex_wait): sleeps while *uaddr == val until a
 * wake whose bitset shares a bit with bitset (0), the absolute time abs_time (NULL: none;
 * -ETIMEDOUT) or a signal. A signal gives -ERESTARTSYS without a timeout (EINTR for a handler
 * without SA_RESTART, a restart otherwise, and after a stop); with one, the restart block
 * (EINTR for any handler; after a stop the wait resumes with the same deadline).
 */
static int futex_wait(u32 __user *uaddr, unsigned int flags, u32 val, const u64 *abs_time,
		      u32 bitset)
{
	struct futex_q q = { .bitset = bitset };
	struct futex_hash_bucket *hb;
	u64 deadline = abs_time ? futex_deadline(*abs_time, flags) : 0;
	int ret;

	if (!bitset)
		return -EINVAL;
	for (;;) {
		ret = futex_wait_setup(uaddr, val, flags, &q, &hb);
		if (ret)
			return ret;
		futex_wait_queue(hb, &q, abs_time != NULL, deadline);
		if (!futex_unqueue(&q))
			return 0; /* woken: a success, whatever else happened */
		if (abs_time && ktime_get_ns() >= deadline)
			return -ETIMEDOUT;
		if (signal_pending_current())
			break;
		/* a spurious wake-up: wait again (the word is read again) */
	}
	if (!abs_time)
		return -ERESTARTSYS;
	struct restart_block *rb = &current->restart_block;
	rb->futex.uaddr = uaddr;
	rb->futex.val = val;
	rb->futex.time = *abs_time;
	rb->futex.bitset = bitset;
	rb->futex.flags = flags | FLAGS_HAS_TIMEOUT;
	rb->fn = futex_wait_restart;
	return -ERESTART_RESTARTBLOCK;
}

/* restart_syscall(2) of a timed wait a stop interrupted: the same wait, the same deadline. */
static long futex_wait_restart(struct restart_block *rb)
{
	u64 t = rb->futex.time;

	rb->fn = NULL; /* do_no_restart_syscall from now on */
	return futex_wait(rb->futex.uaddr, rb->futex.flags, rb->futex.val,
			  (rb->futex.flags & FLAGS_HAS_TIMEOUT) ? &t : NULL, rb->futex.bitset);
}

/*
 * futex(2) after the timeout was read (Linux's do_futex): the command's flags, the
 * FUTEX_CLOCK_REALTIME rule (only for the commands with an absolute timeout: ENOSYS
 * otherwise), then the command. The priority-inheritance commands are not implemented: ENOSYS,
 * as Linux built without CONFIG_FUTEX_PI answers; FUTEX_FD (gone since 2.6.26) too.
 */
static long do_futex(u32 __user *uaddr, int op, u32 val, const u64 *timeout, u32 __user *uaddr2,
		     u32 val2, u32 val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	unsigned int flags = 0;

	if (!(op & FUTEX_PRIVATE_FLAG))
		flags |= FLAGS_SHARED;
	if (op & FUTEX_CLOCK_REALTIME) {
		flags |= FLAGS_CLOCKRT;
		if (cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI &&
		    cmd != FUTEX_LOCK_PI2)
			return -ENOSYS;
	}
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, flags, val, timeout, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, flags, val, timeout, val3);
	case FUTEX_WAKE:
		return futex_wake(uaddr, flags, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, flags, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, flags, uaddr2, (int)val, (int)val2, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, flags, uaddr2, (int)val, (int)val2, &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, flags, uaddr2, (int)val, (int)val2, val3);
	}
	return -ENOSYS;
}

/* Does the command take a timeout (so that futex(2)'s fourth argument is read as one)? */
static bool futex_cmd_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 ||
	       cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAIT_REQUEUE_PI;
}

/*
 * futex(2). For the waiting commands utime is a timeout, read first (EFAULT, EINVAL for a
 * negative or unnormalised one): FUTEX_WAIT's is relative to now on the monotonic clock, the
 * others' absolute (monotonic, or realtime with FUTEX_CLOCK_REALTIME). For the others its low
 * 32 bits are a count (val2: nr_requeue, nr_wake2).
 */
long sys_futex(u32 __user *uaddr, int op, u32 val, const struct timespec64 __user *utime,
	       u32 __user *uaddr2, u32 val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	struct timespec64 ts;
	u64 t, *tp = NULL;

	if (utime && futex_cmd_has_timeout(cmd)) {
		if (copy_from_user(&ts, utime, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || (u64)ts.tv_nsec >= NSEC_PER_SEC)
			return -EINVAL;
		t = timespec_to_ktime(&ts);
		if (cmd == FUTEX_WAIT)
			t = ktime_add_safe(ktime_get_ns(), t);
		else if (cmd != FUTEX_LOCK_PI && !(op & FUTEX_CLOCK_REALTIME))
			t = timens_ktime_to_host(1 /* CLOCK_MONOTONIC */, t); /* the namespace's */
		tp = &t;
	}
	return do_futex(uaddr, op, val, tp, uaddr2, (u32)(uintptr_t)utime, val3);
}
