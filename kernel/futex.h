/* SPDX-License-Identifier: MIT */
/*
 * Futexes, as Linux 6.1's kernel/futex/: a 32-bit word in user memory that tasks wait on and
 * wake each other through. The kernel keeps no state for a futex nobody waits on; a waiter is a
 * futex_q on the stack of the waiting task, hashed by its futex_key into futex_queues[]. The
 * key names the word: (mm, address) for a private futex, (file, page offset) for a word in a
 * shared mapping, so that two processes that map the page at different addresses meet.
 * docs/futex.md tells the whole story.
 *
 * kernel/futex.c: keys, hash buckets, FUTEX_WAIT/WAKE and the futex(2) entry;
 * kernel/futex_requeue.c: the two-word operations FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP;
 * kernel/futex_robust.c: set_robust_list, get_robust_list and the robust-list walk at exit/exec;
 * kernel/futex_waitv.c: futex_waitv(2), a wait on several words at once;
 * arch/x86_64/futex.asm: the atomic read-modify-write of a user word under the exception table.
 */
#ifndef WARDEN_FUTEX_H
#define WARDEN_FUTEX_H

#include "kernel/types.h"
#include "kernel/spinlock.h"
#include "mm/uaccess.h"

struct task_struct;
struct timespec64;

/* futex(2) operations (Linux's uapi values). */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_FD 2
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI 12
#define FUTEX_LOCK_PI2 13
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY 0xffffffffU

/* The futex word of a robust mutex: the owner's tid, and two flag bits. */
#define FUTEX_WAITERS 0x80000000U
#define FUTEX_OWNER_DIED 0x40000000U
#define FUTEX_TID_MASK 0x3fffffffU

/* FUTEX_WAKE_OP's encoded operation: op (bits 28-30, 31 is OPARG_SHIFT), cmp, oparg, cmparg. */
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_LE 3
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP_CMP_GE 5

/* Internal flags of an operation (Linux's FLAGS_*), kept in a restart block. */
#define FLAGS_SHARED 0x01
#define FLAGS_CLOCKRT 0x02
#define FLAGS_HAS_TIMEOUT 0x04

/* key.offset's low bits (the offset itself is a multiple of 4): what the key's object is. */
#define FUT_OFF_INODE 1 /* object is a file's inode number, word a page offset in it */
#define FUT_OFF_MMSHARED 2 /* a shared operation on private memory: (mm, address) */

/*
 * What identifies a futex word (Linux's union futex_key). Two operations meet when all three
 * fields are equal: a private operation (object: the mm, word: the page's address), a shared
 * one on a MAP_SHARED page (object: the file's inode number, which Warden never reuses, word:
 * the page's offset in the file; FUT_OFF_INODE), a shared one on private memory (the mm and
 * address again, with FUT_OFF_MMSHARED: it does not meet the private operations on that word,
 * as on Linux). offset is the word's offset in its page with the flag bits.
 */
struct futex_key {
	u64 word;
	u64 object;
	u32 offset;
};

/*
 * One waiting task (Linux's struct futex_q), on the waiter's kernel stack. It sits on the
 * chain of the bucket its key hashes to while lock_ptr points to that bucket's lock; a waker
 * takes it off the chain, wakes the task and then clears lock_ptr, the last touch of q by
 * anyone but its owner. requeue moves it to another bucket (new key, new lock_ptr).
 */
struct futex_q {
	struct futex_q *prev, *next; /* on the bucket's chain, in arrival order */
	struct task_struct *task;
	spinlock_t *volatile lock_ptr; /* the bucket lock while queued; NULL once woken */
	struct futex_key key;
	u32 bitset; /* FUTEX_WAIT_BITSET's mask: a wake must share a bit with it */
	bool queued; /* on a chain (changed only under the bucket lock) */
};

/*
 * A hash bucket (Linux's struct futex_hash_bucket): the waiters of every key that hashes here.
 * lock protects the chain, every queued futex_q's links, queued flag, key and lock_ptr, and is
 * what a waiter holds from its read of the futex word until it is on the chain, so a waker
 * that changed the word and then takes the lock cannot miss it (kernel/futex.c says why).
 */
struct futex_hash_bucket {
	spinlock_t lock;
	struct futex_q *first, *last;
};

enum futex_access { FUTEX_READ, FUTEX_WRITE };

/* kernel/futex.c, for the other futex files. */
int get_futex_key(u32 __user *uaddr, bool fshared, struct futex_key *key, enum futex_access rw);
struct futex_hash_bucket *futex_hash(const struct futex_key *key);
bool futex_match(const struct futex_key *a, const struct futex_key *b);
void futex_wake_mark(struct futex_hash_bucket *hb, struct futex_q *q);
void __futex_queue(struct futex_hash_bucket *hb, struct futex_q *q);
int futex_unqueue(struct futex_q *q);
u64 futex_deadline(u64 abs_time, unsigned int flags);
void futex_requeue_q(struct futex_q *q, struct futex_hash_bucket *hb1,
		     struct futex_hash_bucket *hb2, const struct futex_key *key2);
void double_lock_hb(struct futex_hash_bucket *hb1, struct futex_hash_bucket *hb2);
void double_unlock_hb(struct futex_hash_bucket *hb1, struct futex_hash_bucket *hb2);
int futex_get_value_locked(u32 *dest, u32 __user *from);
int fault_in_user_writeable(u32 __user *uaddr);
int futex_requeue(u32 __user *uaddr1, unsigned int flags, u32 __user *uaddr2, int nr_wake,
		  int nr_requeue, const u32 *cmpval);
int futex_wake_op(u32 __user *uaddr1, unsigned int flags, u32 __user *uaddr2, int nr_wake,
		  int nr_wake2, u32 op);

/*
 * Wakes up to nr_wake tasks waiting on uaddr whose bitset shares a bit with bitset (Linux's
 * futex_wake; flags: FLAGS_SHARED for a shared key). The number woken, or -EINVAL / -EFAULT.
 * mm_release uses it for the CLONE_CHILD_CLEARTID word, the robust-list walk for a dead owner.
 */
int futex_wake(u32 __user *uaddr, unsigned int flags, int nr_wake, u32 bitset);

/*
 * The task lets go of its futexes (Linux's futex_exit_release / futex_exec_release): its
 * robust list is walked (locks it held get FUTEX_OWNER_DIED, a waiter is woken) and forgotten.
 * Called with the task's own mm still current, before mm_release clears clear_child_tid.
 */
void futex_exit_release(struct task_struct *t);
void futex_exec_release(struct task_struct *t);

long sys_futex(u32 __user *uaddr, int op, u32 val, const struct timespec64 __user *utime,
	       u32 __user *uaddr2, u32 val3);
long sys_set_robust_list(void __user *head, u64 len);
long sys_get_robust_list(int pid, void __user *head_ptr, u64 __user *len_ptr);
struct futex_waitv;
long sys_futex_waitv(const struct futex_waitv __user *waiters, unsigned int nr_futexes,
		     unsigned int flags, const struct timespec64 __user *timeout, int clockid);

#endif
