/* SPDX-License-Identifier: MIT */
/*
 * epoll's objects (Linux's fs/eventpoll.c), shared by fs/eventpoll.c (the set, its items and
 * epoll_ctl) and fs/eventpoll_wait.c (the ready list's scan and epoll_wait). docs/epoll.md has
 * the design; docs/locking.md the two locks' place in the lock order.
 */
#ifndef WARDEN_FS_EVENTPOLL_INTERNAL_H
#define WARDEN_FS_EVENTPOLL_INTERNAL_H

#include "fs/poll.h"
#include "kernel/list.h"
#include "kernel/lockcheck.h"
#include "kernel/rwsem.h"

#define EPOLLIN 0x00000001
#define EPOLLOUT 0x00000004
#define EPOLLERR 0x00000008
#define EPOLLHUP 0x00000010
#define EPOLLRDNORM 0x00000040
#define EPOLLEXCLUSIVE (1U << 28)
#define EPOLLWAKEUP (1U << 29)
#define EPOLLONESHOT (1U << 30)
#define EPOLLET (1U << 31)

/* The bits that are not events: an item with none of the others is disabled (ONESHOT fired). */
#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EPOLLINOUT_BITS (EPOLLIN | EPOLLOUT)
#define EPOLLEXCLUSIVE_OK_BITS \
	(EPOLLINOUT_BITS | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)

#define EP_MAX_NESTS 4

/* The user's struct (packed on x86-64: 12 bytes). */
struct epoll_event {
	u32 events;
	u64 data;
} __attribute__((packed));

#define EP_MAX_EVENTS (0x7fffffff / (int)sizeof(struct epoll_event))

/* One wait queue an item is on (Linux's eppoll_entry): most files have one, some two. */
struct eppoll_entry {
	struct eppoll_entry *next;
	struct epitem *base;
	struct wait_queue_entry wait;
	struct wait_queue_head *whead; /* NULL once the queue went away (POLLFREE) */
};

/* A watched (file, fd) pair in one epoll set (Linux's epitem). */
struct epitem {
	struct list_head link; /* in ep->items, sorted by (file, fd) as Linux's tree */
	struct list_head rdllink; /* on rdllist, txlist or ovflist (ep->lock); else unlinked */
	struct epitem *fnext, **fpprev; /* on file->f_ep: the sets that watch the file */
	struct file *file; /* no reference: the item goes when the file's last one does */
	int fd;
	struct eventpoll *ep;
	struct eppoll_entry *pwqlist;
	struct epoll_event event; /* events (EP_PRIVATE_BITS included) and data; ep->mtx */
};

/*
 * One epoll set: the private data of an "[eventpoll]" file.
 *
 * mtx (Linux's ep->mtx, a sleeping lock) protects items, every item's event and the scan of the
 * ready list (one epoll_wait at a time harvests it). lock (a spinlock, irqsave: wake-up functions
 * run under the watched queue's lock, from interrupts too) protects rdllist, txlist, ovflist,
 * scanning and every item's rdllink.
 */
struct eventpoll {
	struct rw_semaphore mtx;
	spinlock_t lock;
	struct wait_queue_head wq; /* tasks in epoll_wait (exclusive waiters) */
	struct wait_queue_head poll_wait; /* poll/select/an outer epoll on this file */
	struct list_head rdllist; /* ready items, in the order they became ready */
	struct list_head txlist; /* items taken off rdllist by the scan in progress */
	struct list_head ovflist; /* items that became ready during that scan */
	bool scanning;
	struct list_head items;
	struct list_head all; /* on the list of every set (the per-user watch count) */
	u32 uid; /* the creator's real uid: its watches count against max_user_watches */
	unsigned int nitems;
	struct file *file;
	u64 gen; /* loop_check_gen of the last loop check that visited it */
	int loop_check_depth;
};

bool is_file_epoll(const struct file *f);

/* Takes and lets go of epmutex or a set's mtx, counted by the lock checker: __fput takes both
 * (eventpoll_release_file), so no file's last fput may come under them. */
static inline void ep_mutex_lock(struct rw_semaphore *m)
{
	down_write(m);
	lockcheck_nofput_acquire(m);
}

static inline void ep_mutex_unlock(struct rw_semaphore *m)
{
	lockcheck_nofput_release(m);
	up_write(m);
}

/* The item's events now, as the file reports them, restricted to the ones it watches. */
__poll_t ep_item_poll(struct epitem *epi, poll_table *pt);

/* Is anything on the ready list (or arriving during a scan)? */
bool ep_events_available(struct eventpoll *ep);

#endif
