/* SPDX-License-Identifier: MIT */
/*
 * Waiting for several files at once (Linux's poll.h): a file's ->poll reports its readiness as
 * POLL* bits and calls poll_wait() for each wait queue whose wake-up may change it. poll, ppoll,
 * select and pselect6 (fs/select.c) scan their files once with a poll table that records those
 * queues, then sleep until a wake-up on any of them, a signal or the timeout, and scan again.
 * The bits have Linux's x86-64 values (mangle_poll is the identity there).
 */
#ifndef WARDEN_FS_POLL_H
#define WARDEN_FS_POLL_H

#include "fs/vfs.h"
#include "kernel/wait.h"

#define POLLIN 0x0001
#define POLLPRI 0x0002
#define POLLOUT 0x0004
#define POLLERR 0x0008
#define POLLHUP 0x0010
#define POLLNVAL 0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200
#define POLLMSG 0x0400
#define POLLRDHUP 0x2000

/* What a file without ->poll is: always readable and writable (regular files, /dev/null). */
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

struct poll_table_entry {
	struct file *filp; /* a reference: the queue lives as long as the file */
	struct wait_queue_head *wait_address;
	struct wait_queue_entry wait;
};

/* Entries in page-sized blocks, as Linux's poll_table_page: never one unbounded allocation. */
struct poll_table_page;

/*
 * A poll table (Linux's poll_wqueues with its poll_table): while qproc is set, poll_wait() adds
 * the caller to the queue; it is cleared once one file is ready or after the first scan, since
 * the queues are already known then. error is -ENOMEM when an entry could not be allocated.
 */
typedef struct poll_table_struct {
	bool qproc;
	/* NULL for poll and select; epoll's own registration (fs/eventpoll.c) otherwise */
	void (*queue_proc)(struct file *filp, struct wait_queue_head *wq,
			   struct poll_table_struct *p);
	int error;
	struct poll_table_page *table;
} poll_table;

/* Registers the current task on a wait queue of filp, if the table is collecting them. */
void __pollwait(struct file *filp, struct wait_queue_head *wq, poll_table *p);

static inline void poll_wait(struct file *filp, struct wait_queue_head *wq, poll_table *p)
{
	if (p && p->qproc && wq)
		__pollwait(filp, wq, p);
}

/* The readiness of a file: its ->poll, or DEFAULT_POLLMASK without one (vfs_poll). */
static inline __poll_t vfs_poll(struct file *file, poll_table *pt)
{
	if (!file->f_op || !file->f_op->poll)
		return DEFAULT_POLLMASK;
	return file->f_op->poll(file, pt);
}

/*
 * The end time of a relative timeout (fs/select.c, Linux's poll_select_set_timeout): -EINVAL for
 * an invalid timespec; 0/0 for a zero one (do not wait), else now + (sec, nsec), saturated.
 */
struct timespec64;
int poll_select_set_timeout(struct timespec64 *to, s64 sec, s64 nsec);

/*
 * Installs a ppoll/pselect6/epoll_pwait mask for the wait (set_user_sigmask): 0, -EINVAL for a
 * sigsetsize other than 8, -EFAULT; nothing without a mask. The caller restores it.
 */
int set_user_sigmask(const u64 __user *umask, u64 sigsetsize);

#endif
