/* SPDX-License-Identifier: MIT */
/*
 * userfaultfd(2) (Linux 6.1's fs/userfaultfd.c and mm/userfaultfd.c): a file through which a
 * thread handles the page faults of a range of private anonymous memory or shmem. A fault on a
 * missing page of a registered range (VM_UFFD_MISSING; VM_UFFD_WP: a write to a write-protected
 * page; VM_UFFD_MINOR: a shmem page cached but not mapped) queues a uffd_msg that read(2)
 * returns and blocks the faulting thread, with mmap_lock dropped, until an ioctl resolves it (or
 * the uffd is closed, or a signal arrives); the fault is then retried. mm/userfaultfd.c is the
 * file and its registration ioctls, mm/userfaultfd_fault.c the fault side (handle_userfault, the
 * waits, COPY, ZEROPAGE, WAKE, WRITEPROTECT, CONTINUE), mm/userfaultfd_event.c the events.
 */
#ifndef WARDEN_MM_USERFAULTFD_H
#define WARDEN_MM_USERFAULTFD_H

#include "mm/mm.h"
#include "kernel/spinlock.h"
#include "kernel/wait.h"

/* The ABI (include/uapi/linux/userfaultfd.h). */
#define UFFD_API 0xAAULL
#define UFFD_USER_MODE_ONLY 1
#define UFFD_EVENT_PAGEFAULT 0x12
#define UFFD_EVENT_FORK 0x13
#define UFFD_EVENT_REMAP 0x14
#define UFFD_EVENT_REMOVE 0x15
#define UFFD_EVENT_UNMAP 0x16
#define UFFD_PAGEFAULT_FLAG_WRITE (1ULL << 0)
#define UFFD_PAGEFAULT_FLAG_WP (1ULL << 1)
#define UFFD_PAGEFAULT_FLAG_MINOR (1ULL << 2)

#define UFFD_FEATURE_PAGEFAULT_FLAG_WP (1U << 0)
#define UFFD_FEATURE_EVENT_FORK (1U << 1)
#define UFFD_FEATURE_EVENT_REMAP (1U << 2)
#define UFFD_FEATURE_EVENT_REMOVE (1U << 3)
#define UFFD_FEATURE_EVENT_UNMAP (1U << 6)
#define UFFD_FEATURE_MISSING_SHMEM (1U << 5)
#define UFFD_FEATURE_SIGBUS (1U << 7)
#define UFFD_FEATURE_THREAD_ID (1U << 8)
#define UFFD_FEATURE_MINOR_SHMEM (1U << 10)
#define UFFD_FEATURE_EXACT_ADDRESS (1U << 11)
/* What Warden offers: missing-page faults of private anonymous memory, with these options. */
#define UFFD_API_FEATURES                                                                      \
	(UFFD_FEATURE_PAGEFAULT_FLAG_WP | UFFD_FEATURE_EVENT_FORK | UFFD_FEATURE_EVENT_REMAP | \
	 UFFD_FEATURE_EVENT_REMOVE | UFFD_FEATURE_EVENT_UNMAP | UFFD_FEATURE_SIGBUS |          \
	 UFFD_FEATURE_THREAD_ID | UFFD_FEATURE_MISSING_SHMEM | UFFD_FEATURE_MINOR_SHMEM |      \
	 UFFD_FEATURE_EXACT_ADDRESS)
/* Set in ctx->features by the first UFFDIO_API (Linux's UFFD_FEATURE_INITIALIZED). */
#define UFFD_FEATURE_INITIALIZED (1U << 31)

#define _UFFDIO_REGISTER 0x00
#define _UFFDIO_UNREGISTER 0x01
#define _UFFDIO_WAKE 0x02
#define _UFFDIO_COPY 0x03
#define _UFFDIO_ZEROPAGE 0x04
#define _UFFDIO_WRITEPROTECT 0x06
#define _UFFDIO_CONTINUE 0x07
#define _UFFDIO_API 0x3F
#define UFFD_API_IOCTLS \
	((1ULL << _UFFDIO_REGISTER) | (1ULL << _UFFDIO_UNREGISTER) | (1ULL << _UFFDIO_API))
/* What a registered range offers (and WRITEPROTECT with MODE_WP, CONTINUE with MODE_MINOR). */
#define UFFD_API_RANGE_IOCTLS \
	((1ULL << _UFFDIO_WAKE) | (1ULL << _UFFDIO_COPY) | (1ULL << _UFFDIO_ZEROPAGE))

/* _IOWR(0xAA, nr, size) and _IOR(0xAA, nr, size) */
#define UFFDIO_IOC(dir, nr, size) (((dir) << 30) | ((u32)(size) << 16) | (0xAAU << 8) | (nr))
#define UFFDIO_API UFFDIO_IOC(3U, _UFFDIO_API, 24)
#define UFFDIO_REGISTER UFFDIO_IOC(3U, _UFFDIO_REGISTER, 32)
#define UFFDIO_UNREGISTER UFFDIO_IOC(2U, _UFFDIO_UNREGISTER, 16)
#define UFFDIO_WAKE UFFDIO_IOC(2U, _UFFDIO_WAKE, 16)
#define UFFDIO_COPY UFFDIO_IOC(3U, _UFFDIO_COPY, 40)
#define UFFDIO_ZEROPAGE UFFDIO_IOC(3U, _UFFDIO_ZEROPAGE, 32)
#define UFFDIO_WRITEPROTECT UFFDIO_IOC(3U, _UFFDIO_WRITEPROTECT, 24)
#define UFFDIO_CONTINUE UFFDIO_IOC(3U, _UFFDIO_CONTINUE, 32)

#define UFFDIO_REGISTER_MODE_MISSING (1ULL << 0)
#define UFFDIO_REGISTER_MODE_WP (1ULL << 1)
#define UFFDIO_REGISTER_MODE_MINOR (1ULL << 2)
#define UFFDIO_COPY_MODE_DONTWAKE (1ULL << 0)
#define UFFDIO_COPY_MODE_WP (1ULL << 1)
#define UFFDIO_ZEROPAGE_MODE_DONTWAKE (1ULL << 0)
#define UFFDIO_WRITEPROTECT_MODE_WP (1ULL << 0)
#define UFFDIO_WRITEPROTECT_MODE_DONTWAKE (1ULL << 1)
#define UFFDIO_CONTINUE_MODE_DONTWAKE (1ULL << 0)

/*
 * One message read(2) returns: 32 bytes, Linux's union as three words. A page fault: arg[0] the
 * flags, arg[1] the address, arg[2]'s low half the thread id. FORK: arg[0]'s low half the new
 * uffd. REMAP: from, to, len. REMOVE and UNMAP: start, end.
 */
struct uffd_msg {
	u8 event;
	u8 reserved1;
	u16 reserved2;
	u32 reserved3;
	u64 arg[3];
};

struct uffdio_range {
	u64 start;
	u64 len;
};

/*
 * A fault waiting for its page (Linux's userfaultfd_wait_queue), on the faulting thread's stack:
 * linked in its ctx's list from the moment it is queued until a wake-up (or the thread's own
 * return) takes it off. read(2) marks it read; it stays listed until woken.
 */
struct userfaultfd_wait_queue {
	struct uffd_msg msg;
	struct task_struct *task;
	struct userfaultfd_wait_queue *next;
	bool read; /* returned by read(2) already */
	bool waken; /* taken off by a wake-up covering its address */
};

/*
 * One userfaultfd (Linux's userfaultfd_ctx). refcount: the file, plus one per fault waiting on
 * it (a fault may outlive the file's release). The mm is grabbed (mmgrab), not used.
 */
/*
 * A non-cooperative event (Linux's userfaultfd_wait_queue of an event): prepared, kmalloc'd, by
 * the operation that causes it under mmap_lock for writing (it holds a reference on ctx and
 * raises ctx->mmap_changing), kept on the task's list (task_struct.uffd_events) until the
 * operation has let go of its locks, then queued on ctx->events; the task waits (killably)
 * until read(2) has taken it (done) or the uffd is released, then frees it.
 */
struct userfaultfd_event {
	struct uffd_msg msg;
	struct userfaultfd_ctx *ctx;
	struct userfaultfd_ctx *fork_ctx; /* FORK: the child's uffd, made an fd by read(2) */
	struct userfaultfd_event *next;
	bool done; /* read(2) took it */
	bool claimed; /* a read(2) took it off ctx->events and works on it without ctx->lock */
};

struct userfaultfd_ctx {
	int refcount; /* under the kernel lock, as every file's count */
	unsigned int flags; /* O_CLOEXEC, O_NONBLOCK, UFFD_USER_MODE_ONLY as created */
	unsigned int features; /* UFFD_FEATURE_* asked by UFFDIO_API, | UFFD_FEATURE_INITIALIZED */
	bool released; /* the file is being closed: no new fault waits */
	struct mm_struct *mm;
	/*
	 * lock protects the list of waiting faults (faults, each entry's read and waken), taken by
	 * the fault that queues itself, read(2), poll, the wake-ups and fdinfo. Nothing nests in
	 * it but the wait queues' own locks.
	 */
	spinlock_t lock;
	struct userfaultfd_wait_queue *faults; /* oldest first */
	struct wait_queue_head fault_wqh; /* the faulting threads sleep here */
	struct wait_queue_head fd_wqh; /* readers and pollers */
	struct userfaultfd_event *events; /* queued events, oldest first (under lock) */
	struct wait_queue_head event_wqh; /* the tasks waiting for their events to be read */
	/* Events prepared and not yet read: COPY and ZEROPAGE say EAGAIN meanwhile (under the
	 * kernel lock, as Linux's atomic mmap_changing) */
	int mmap_changing;
};

/* __handle_mm_fault's answer for a missing page of a VM_UFFD_MISSING VMA. */
#define FAULT_UFFD 0x200
/* ... and for a write to a page UFFDIO_WRITEPROTECT protected in a VM_UFFD_WP VMA. */
#define FAULT_UFFD_WP 0x202
/* ... and for a shmem page in the page cache but not mapped, in a VM_UFFD_MINOR VMA. */
#define FAULT_UFFD_MINOR 0x203
/* handle_userfault's: the thread waited (or need not): retry the access, nothing counted. */
#define FAULT_UFFD_RETRY 0x201

/*
 * A missing page of v (registered for missing faults) was touched: called with mmap_lock held
 * for reading, returns with it let go. FAULT_UFFD_RETRY after the thread waited for the page
 * (or a signal, or the uffd's release), FAULT_SIGBUS when it may not wait (UFFD_FEATURE_SIGBUS,
 * a kernel access to a UFFD_USER_MODE_ONLY uffd, a fatal signal in a kernel access, a caller
 * that cannot drop the lock).
 */
int handle_userfault(struct mm_struct *mm, struct vm_area_struct *v, u64 addr, u64 error_code,
		     u64 reason);

/*
 * Write-protects the present pages of [start, end) of v (enable: read-only with _PAGE_UFFD_WP)
 * or takes the protection off (writable again where the page is the VMA's own), as Linux's
 * uffd_wp_range. Under mmap_lock; the TLB is flushed.
 */
void uffd_wp_range(struct mm_struct *mm, struct vm_area_struct *v, u64 start, u64 end, bool enable);

/* Wakes the faults of ctx whose address lies in [start, start+len) (len 0: all of them). */
void wake_userfault(struct userfaultfd_ctx *ctx, u64 start, u64 len);

/* UFFDIO_COPY, ZEROPAGE, WAKE, WRITEPROTECT and CONTINUE (mm/userfaultfd_fault.c). */
long userfaultfd_copy(struct userfaultfd_ctx *ctx, unsigned long arg);
long userfaultfd_zeropage(struct userfaultfd_ctx *ctx, unsigned long arg);
long userfaultfd_wake(struct userfaultfd_ctx *ctx, unsigned long arg);
long userfaultfd_writeprotect(struct userfaultfd_ctx *ctx, unsigned long arg);
long userfaultfd_continue(struct userfaultfd_ctx *ctx, unsigned long arg);

/* Is v shmem (Linux's vma_is_shmem): a tmpfs file, a memfd, shared anonymous memory? */
bool vma_is_shmem(const struct vm_area_struct *v);

/* Linux's validate_range: page-aligned, not empty, inside the user address space. */
int uffd_validate_range(u64 start, u64 len);

void userfaultfd_ctx_get(struct userfaultfd_ctx *ctx);
void userfaultfd_ctx_put(struct userfaultfd_ctx *ctx);

/* A new context for mm (the uffd's file, or a forked child's), refcount 1; NULL without memory. */
struct userfaultfd_ctx *userfaultfd_ctx_alloc(struct mm_struct *mm, unsigned int flags,
					      unsigned int features);

/* Makes an fd of ctx (whose reference it takes over), as userfaultfd(2) does. */
int userfaultfd_ctx_getfd(struct userfaultfd_ctx *ctx);

/*
 * What the release does, without dropping the file's reference: no fault waits any more, every
 * VMA of ctx's mm registered with it is unregistered, the waiting faults and events are woken.
 */
void userfaultfd_ctx_release(struct userfaultfd_ctx *ctx);

/*
 * The events (mm/userfaultfd_event.c). The _prep functions run under mmap_lock for writing and
 * put an event on the current task's list (0, or -ENOMEM); userfaultfd_events_complete sends
 * them and waits for each to be read, with no lock held: at the end of the syscall (do_syscall)
 * and, for fork, before the child first runs.
 */
int userfaultfd_unmap_prep(struct mm_struct *mm, u64 start, u64 end);
/* (Never fails: without memory for the event, the REMAP is not reported.) */
void userfaultfd_remap_prep(struct vm_area_struct *new_vma, u64 from, u64 to, u64 len);
int dup_userfaultfd(struct vm_area_struct *child_vma, struct mm_struct *child_mm);
int userfaultfd_remove_prep(struct mm_struct *mm, u64 start, u64 end, int behavior);
void userfaultfd_events_complete(void);

/* read(2)'s side: the oldest queued event, taken (its FORK fd made) into *msg; 0, -EAGAIN when
 * none, or the fd's error. Under the kernel lock; called with no ctx->lock held. */
int userfaultfd_event_read(struct userfaultfd_ctx *ctx, struct uffd_msg *msg);

/* Does a fork keep parent's registration in the child's copy (dup_userfaultfd's test)? */
static inline bool userfaultfd_fork_keeps(const struct vm_area_struct *parent)
{
	const struct userfaultfd_ctx *ctx = parent->vm_userfaultfd_ctx;

	return ctx && (ctx->features & UFFD_FEATURE_EVENT_FORK) && !READ_ONCE(ctx->released);
}

/* /proc/sys/vm/unprivileged_userfaultfd. */
int userfaultfd_sysctl_init(void);

long sys_userfaultfd(int flags);

#endif
