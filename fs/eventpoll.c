// SPDX-License-Identifier: MIT
/*
 * epoll (Linux 6.1's fs/eventpoll.c): an "[eventpoll]" file holds a set of items, each a watched
 * (file, fd) pair with the events it wants. An item puts a wake-up function on each wait queue
 * its file's ->poll names; a wake-up whose events it watches links it on the set's ready list,
 * in order of arrival, and wakes the set's waiters and pollers. epoll_wait (fs/eventpoll_wait.c)
 * polls the ready items again and reports the ones that really are. This file: the set, its
 * items, epoll_ctl with Linux's checks in Linux's order, and the last close of a watched file.
 */
#include "fs/eventpoll_internal.h"
#include "fs/fdtable.h"
#include "fs/syscalls.h"
#include "fs/proc.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/sys.h"
#include "mm/frame.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3
#define EPOLL_CLOEXEC O_CLOEXEC
#define CAP_BLOCK_SUSPEND 36

/* Linux's cost of a watch (sizeof epitem + eppoll_entry), for the default of max_user_watches. */
#define EP_ITEM_COST 200

/* /proc/sys/fs/epoll/max_user_watches: the watches one user's sets may hold in all. */
static u64 max_user_watches;

/* Every set, for the per-user count (kernel lock). */
static struct list_head ep_all = { &ep_all, &ep_all };

/*
 * Serialises the loop checks of epoll_ctl with each other and with the removal of items at a
 * file's last close and at a set's release (Linux's epmutex): taken before any ep->mtx.
 */
static struct rw_semaphore epmutex = RWSEM_INIT(epmutex);
static u64 loop_check_gen;
static struct eventpoll *inserting_into;

static const struct file_operations eventpoll_fops;

bool is_file_epoll(const struct file *f)
{
	return f->f_op == &eventpoll_fops;
}

/* The watches held by uid's sets (Linux keeps user->epoll_watches; this sum cannot drift). */
static u64 user_watches(u32 uid)
{
	u64 n = 0;
	struct eventpoll *ep;

	list_for_each_entry(ep, &ep_all, all)
		if (ep->uid == uid)
			n += ep->nitems;
	return n;
}

bool ep_events_available(struct eventpoll *ep)
{
	return !list_empty(&ep->rdllist) || !list_empty(&ep->ovflist) || ep->scanning;
}

__poll_t ep_item_poll(struct epitem *epi, poll_table *pt)
{
	return vfs_poll(epi->file, pt) & epi->event.events;
}

/*
 * Wakes what waits on ep once an item became ready: one epoll_wait sleeper (they wait
 * exclusively) and every poller of the set's own file (poll, select, an outer set: at most
 * EP_MAX_NESTS levels deep, so the nesting of these calls is bounded).
 */
static void ep_wake(struct eventpoll *ep)
{
	wake_up(&ep->wq);
	wake_up_poll(&ep->poll_wait, EPOLLIN | EPOLLRDNORM);
}

/*
 * The wake-up function of an item on a watched queue (Linux's ep_poll_callback), under that
 * queue's lock: links the item on the ready list (the overflow list while a scan runs) unless it
 * is disabled or the event is not one it watches, then wakes the set. Returns whether an
 * exclusive wake-up should count as delivered.
 */
static int ep_poll_callback(struct wait_queue_entry *wait, unsigned int key)
{
	struct eppoll_entry *pwq = container_of(wait, struct eppoll_entry, wait);
	struct epitem *epi = pwq->base;
	struct eventpoll *ep = epi->ep;
	int ewake = 0;
	bool woke = false;
	u64 f = spin_lock_irqsave(&ep->lock);

	if (!(epi->event.events & ~EP_PRIVATE_BITS))
		goto out_unlock;
	if (key && !(key & epi->event.events))
		goto out_unlock;
	if (list_empty(&epi->rdllink))
		list_add_tail(&epi->rdllink, ep->scanning ? &ep->ovflist : &ep->rdllist);
	woke = true;
	if (ep->wq.head && (epi->event.events & EPOLLEXCLUSIVE) && !(key & POLLFREE_KEY)) {
		switch (key & EPOLLINOUT_BITS) {
		case EPOLLIN:
			ewake = !!(epi->event.events & EPOLLIN);
			break;
		case EPOLLOUT:
			ewake = !!(epi->event.events & EPOLLOUT);
			break;
		case 0:
			ewake = 1;
			break;
		}
	}
out_unlock:
	spin_unlock_irqrestore(&ep->lock, f);
	if (woke)
		ep_wake(ep);
	if (!(epi->event.events & EPOLLEXCLUSIVE))
		ewake = 1;
	if (key & POLLFREE_KEY)
		pwq->whead = NULL; /* wake_up_pollfree took the entry off already */
	return ewake;
}

struct ep_pqueue {
	poll_table pt;
	struct epitem *epi; /* NULL once an allocation failed */
};

/* The poll table's registration (Linux's ep_ptable_queue_proc): one more queue for the item. */
static void ep_ptable_queue_proc(struct file *file, struct wait_queue_head *whead, poll_table *pt)
{
	struct ep_pqueue *epq = container_of(pt, struct ep_pqueue, pt);
	struct epitem *epi = epq->epi;

	(void)file;
	if (!epi)
		return;
	struct eppoll_entry *pwq = kzalloc(sizeof(*pwq), GFP_KERNEL);

	if (!pwq) {
		epq->epi = NULL;
		return;
	}
	pwq->whead = whead;
	pwq->base = epi;
	pwq->next = epi->pwqlist;
	epi->pwqlist = pwq;
	add_wait_queue_func(whead, &pwq->wait, ep_poll_callback,
			    (epi->event.events & EPOLLEXCLUSIVE) ? WQ_FLAG_EXCLUSIVE : 0);
}

/* Takes the item off every queue it is on (ep_unregister_pollwait). */
static void ep_unregister_pollwait(struct epitem *epi)
{
	while (epi->pwqlist) {
		struct eppoll_entry *pwq = epi->pwqlist;

		epi->pwqlist = pwq->next;
		if (pwq->whead)
			remove_wait_queue(pwq->whead, &pwq->wait);
		kfree(pwq);
	}
}

/* Removes an item from its set and its file and frees it (ep_remove; ep->mtx held). */
static void ep_remove(struct eventpoll *ep, struct epitem *epi)
{
	ep_unregister_pollwait(epi);
	*epi->fpprev = epi->fnext;
	if (epi->fnext)
		epi->fnext->fpprev = epi->fpprev;
	list_del_init(&epi->link);
	u64 f = spin_lock_irqsave(&ep->lock);
	if (!list_empty(&epi->rdllink))
		list_del_init(&epi->rdllink);
	spin_unlock_irqrestore(&ep->lock, f);
	ep->nitems--;
	kfree(epi);
}

/* The item for (file, fd) in ep, or NULL (ep_find). */
static struct epitem *ep_find(struct eventpoll *ep, struct file *file, int fd)
{
	struct epitem *epi;

	list_for_each_entry(epi, &ep->items, link)
		if (epi->file == file && epi->fd == fd)
			return epi;
	return NULL;
}

/* Links epi into ep->items at its place in (file, fd) order, as Linux's red-black tree. */
static void ep_items_insert(struct eventpoll *ep, struct epitem *epi)
{
	struct list_head *at = &ep->items;
	struct epitem *i;

	list_for_each_entry(i, &ep->items, link) {
		if ((uintptr_t)i->file > (uintptr_t)epi->file ||
		    (i->file == epi->file && i->fd > epi->fd)) {
			at = &i->link;
			break;
		}
	}
	list_add_tail(&epi->link, at);
}

/* Links epi on ep's ready list if it is not on one, and wakes the set (ep->mtx held). */
static void ep_make_ready(struct eventpoll *ep, struct epitem *epi)
{
	bool woke = false;
	u64 f = spin_lock_irqsave(&ep->lock);

	if (list_empty(&epi->rdllink)) {
		list_add_tail(&epi->rdllink, &ep->rdllist);
		woke = true;
	}
	spin_unlock_irqrestore(&ep->lock, f);
	if (woke)
		ep_wake(ep);
}

/*
 * EPOLL_CTL_ADD (ep_insert): ENOSPC past max_user_watches, then the item goes on its file and in
 * the set, registers on the file's queues through one poll, and is ready at once if that poll
 * found events.
 */
static int ep_insert(struct eventpoll *ep, const struct epoll_event *event, struct file *tfile,
		     int fd)
{
	if (user_watches(ep->uid) >= max_user_watches)
		return -ENOSPC;
	struct epitem *epi = kzalloc(sizeof(*epi), GFP_KERNEL);

	if (!epi)
		return -ENOMEM;
	INIT_LIST_HEAD(&epi->rdllink);
	epi->ep = ep;
	epi->file = tfile;
	epi->fd = fd;
	epi->event = *event;
	epi->fnext = tfile->f_ep;
	if (epi->fnext)
		epi->fnext->fpprev = &epi->fnext;
	tfile->f_ep = epi;
	epi->fpprev = &tfile->f_ep;
	ep_items_insert(ep, epi);
	ep->nitems++;

	struct ep_pqueue epq = { .pt = { .qproc = true, .queue_proc = ep_ptable_queue_proc },
				 .epi = epi };
	__poll_t revents = ep_item_poll(epi, &epq.pt);

	if (!epq.epi) {
		ep_remove(ep, epi);
		return -ENOMEM;
	}
	if (revents)
		ep_make_ready(ep, epi);
	return 0;
}

/* EPOLL_CTL_MOD (ep_modify): new events and data; ready at once if the file has them now. */
static int ep_modify(struct eventpoll *ep, struct epitem *epi, const struct epoll_event *event)
{
	epi->event.events = event->events;
	epi->event.data = event->data;
	if (ep_item_poll(epi, NULL))
		ep_make_ready(ep, epi);
	return 0;
}

/*
 * How deep the sets below ep go (ep_loop_check_proc), more than EP_MAX_NESTS if inserting_into
 * is among them (a loop) or they go too deep. The recursion stops past EP_MAX_NESTS levels, and
 * a set is visited once per check (gen). Runs without sleeping, so under the kernel lock no
 * set changes meanwhile.
 */
static int ep_loop_check_proc(struct eventpoll *ep, int depth)
{
	int result = 0;
	struct epitem *epi;

	if (ep->gen == loop_check_gen)
		return ep->loop_check_depth;
	ep->gen = loop_check_gen;
	list_for_each_entry(epi, &ep->items, link) {
		if (!is_file_epoll(epi->file))
			continue;
		struct eventpoll *ep_tovisit = epi->file->private_data;

		if (ep_tovisit == inserting_into || depth > EP_MAX_NESTS)
			result = EP_MAX_NESTS + 1;
		else {
			int sub = ep_loop_check_proc(ep_tovisit, depth + 1) + 1;

			result = max(result, sub);
		}
		if (result > EP_MAX_NESTS)
			break;
	}
	ep->loop_check_depth = result;
	return result;
}

/* How many sets ep is nested in above it (ep_get_upwards_depth_proc); bounded as every add was. */
static int ep_get_upwards_depth_proc(struct eventpoll *ep, int depth)
{
	int result = 0;

	if (ep->gen == loop_check_gen)
		return ep->loop_check_depth;
	for (struct epitem *epi = ep->file->f_ep; epi; epi = epi->fnext) {
		int up = ep_get_upwards_depth_proc(epi->ep, depth + 1) + 1;

		result = max(result, up);
	}
	ep->gen = loop_check_gen;
	ep->loop_check_depth = result;
	return result;
}

/* May the set to go into ep: no loop, and no chain longer than EP_MAX_NESTS (ep_loop_check). */
static bool ep_loop_check(struct eventpoll *ep, struct eventpoll *to)
{
	inserting_into = ep;
	int depth = ep_loop_check_proc(to, 0);

	if (depth > EP_MAX_NESTS)
		return false;
	return depth + 1 + ep_get_upwards_depth_proc(ep, 0) <= EP_MAX_NESTS;
}

/* epoll_ctl after the copy of the event (do_epoll_ctl), its errors in Linux's order. */
static long do_epoll_ctl(int epfd, int op, int fd, struct epoll_event *epds)
{
	long error = -EBADF;
	bool full_check = false;
	struct file *f = fget(epfd), *tf;

	if (!f)
		return -EBADF;
	tf = fget(fd);
	if (!tf)
		goto error_fput;
	error = -EPERM;
	if (!tf->f_op || !tf->f_op->poll)
		goto error_tgt_fput;
	if (op != EPOLL_CTL_DEL && (epds->events & EPOLLWAKEUP) && !capable(CAP_BLOCK_SUSPEND))
		epds->events &= ~EPOLLWAKEUP;
	error = -EINVAL;
	if (f == tf || !is_file_epoll(f))
		goto error_tgt_fput;
	if (op != EPOLL_CTL_DEL && (epds->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			goto error_tgt_fput;
		if (op == EPOLL_CTL_ADD &&
		    (is_file_epoll(tf) || (epds->events & ~EPOLLEXCLUSIVE_OK_BITS)))
			goto error_tgt_fput;
	}
	struct eventpoll *ep = f->private_data;

	if (op == EPOLL_CTL_ADD && is_file_epoll(tf)) {
		ep_mutex_lock(&epmutex);
		full_check = true;
		loop_check_gen++;
		error = -ELOOP;
		if (!ep_loop_check(ep, tf->private_data))
			goto error_tgt_fput;
	}
	ep_mutex_lock(&ep->mtx);
	struct epitem *epi = ep_find(ep, tf, fd);

	error = -EINVAL;
	switch (op) {
	case EPOLL_CTL_ADD:
		if (!epi) {
			epds->events |= EPOLLERR | EPOLLHUP;
			error = ep_insert(ep, epds, tf, fd);
		} else {
			error = -EEXIST;
		}
		break;
	case EPOLL_CTL_DEL:
		if (epi) {
			ep_remove(ep, epi);
			error = 0;
		} else {
			error = -ENOENT;
		}
		break;
	case EPOLL_CTL_MOD:
		if (epi) {
			if (!(epi->event.events & EPOLLEXCLUSIVE)) {
				epds->events |= EPOLLERR | EPOLLHUP;
				error = ep_modify(ep, epi, epds);
			}
		} else {
			error = -ENOENT;
		}
		break;
	}
	ep_mutex_unlock(&ep->mtx);
error_tgt_fput:
	if (full_check) {
		loop_check_gen++;
		ep_mutex_unlock(&epmutex);
	}
	fput(tf);
error_fput:
	fput(f);
	return error;
}

long sys_epoll_ctl(int epfd, int op, int fd, void __user *event)
{
	struct epoll_event epds = { 0 };

	if (op != EPOLL_CTL_DEL && copy_from_user(&epds, event, sizeof(epds)))
		return -EFAULT;
	return do_epoll_ctl(epfd, op, fd, &epds);
}

void eventpoll_release_file(struct file *file)
{
	ep_mutex_lock(&epmutex);
	while (file->f_ep) {
		struct epitem *epi = file->f_ep;
		struct eventpoll *ep = epi->ep;

		ep_mutex_lock(&ep->mtx);
		if (file->f_ep == epi) /* still there after a sleep for the lock */
			ep_remove(ep, epi);
		ep_mutex_unlock(&ep->mtx);
	}
	ep_mutex_unlock(&epmutex);
}

/* The last close of a set (ep_free): every item leaves its file's queues, then the set goes. */
static void ep_eventpoll_release(struct inode *inode, struct file *file)
{
	struct eventpoll *ep = file->private_data;

	(void)inode;
	ep_mutex_lock(&epmutex);
	ep_mutex_lock(&ep->mtx);
	while (!list_empty(&ep->items))
		ep_remove(ep, list_first_entry(&ep->items, struct epitem, link));
	ep_mutex_unlock(&ep->mtx);
	list_del_init(&ep->all);
	ep_mutex_unlock(&epmutex);
	kfree(ep);
}

/*
 * The readiness of a set's own file (ep_eventpoll_poll): readable when one of its ready items
 * still has an event (polled without a table; a nested set recurses at most EP_MAX_NESTS deep).
 * Items are not dropped here; the next scan of epoll_wait does that.
 */
static __poll_t ep_eventpoll_poll(struct file *file, poll_table *pt)
{
	struct eventpoll *ep = file->private_data;
	struct list_head *lists[3] = { &ep->txlist, &ep->rdllist, &ep->ovflist };
	struct epitem *epi;

	poll_wait(file, &ep->poll_wait, pt);
	for (int i = 0; i < 3; i++)
		list_for_each_entry(epi, lists[i], rdllink)
			if (ep_item_poll(epi, NULL))
				return EPOLLIN | EPOLLRDNORM;
	return 0;
}

/* /proc/PID/fdinfo/N of a set (ep_show_fdinfo): one line per item. */
static void ep_show_fdinfo(struct seq_buf *m, struct file *file)
{
	struct eventpoll *ep = file->private_data;
	struct epitem *epi;

	ep_mutex_lock(&ep->mtx);
	list_for_each_entry(epi, &ep->items, link) {
		struct inode *inode = epi->file->f_inode;

		seq_printf(m, "tfd: %8d events: %8x data: %16llx  pos:%lli ino:%lx sdev:%x\n",
			   epi->fd, epi->event.events, (unsigned long long)epi->event.data,
			   (long long)epi->file->f_pos, (unsigned long)inode->i_ino,
			   (unsigned int)inode->i_sb->s_dev);
	}
	ep_mutex_unlock(&ep->mtx);
}

/* Linux's noop_llseek: the position stays. */
static s64 ep_llseek(struct file *file, s64 offset, int whence)
{
	(void)offset;
	(void)whence;
	return file->f_pos;
}

static const struct file_operations eventpoll_fops = {
	.release = ep_eventpoll_release,
	.poll = ep_eventpoll_poll,
	.llseek = ep_llseek,
	.show_fdinfo = ep_show_fdinfo,
};

/* epoll_create1 (do_epoll_create): EINVAL for any flag but EPOLL_CLOEXEC. */
long sys_epoll_create1(int flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	struct eventpoll *ep = kzalloc(sizeof(*ep), GFP_KERNEL);

	if (!ep)
		return -ENOMEM;
	init_rwsem(&ep->mtx);
	ep->lock = (spinlock_t)SPINLOCK_INIT;
	init_waitqueue_head(&ep->wq);
	init_waitqueue_head(&ep->poll_wait);
	INIT_LIST_HEAD(&ep->rdllist);
	INIT_LIST_HEAD(&ep->txlist);
	INIT_LIST_HEAD(&ep->ovflist);
	INIT_LIST_HEAD(&ep->items);
	ep->uid = current->cred.uid;

	int fd = get_unused_fd_flags(O_RDWR | ((u32)flags & O_CLOEXEC));

	if (fd < 0) {
		kfree(ep);
		return fd;
	}
	struct file *file = anon_inode_getfile("[eventpoll]", &eventpoll_fops, ep,
					       O_RDWR | ((u32)flags & O_CLOEXEC));
	if (!file) {
		put_unused_fd(fd);
		kfree(ep);
		return -ENOMEM;
	}
	ep->file = file;
	list_add_tail(&ep->all, &ep_all);
	fd_install((unsigned int)fd, file);
	return fd;
}

long sys_epoll_create(int size)
{
	if (size <= 0)
		return -EINVAL;
	return sys_epoll_create1(0);
}

/* /proc/sys/fs/epoll/max_user_watches, 4% of RAM's worth of items as Linux's eventpoll_init. */
int epoll_sysctl_init(void)
{
	max_user_watches = nr_managed_frames() * PAGE_SIZE / 25 / EP_ITEM_COST;
	struct inode *fs = proc_sys_subdir("fs");
	struct inode *dir = fs ? proc_mkdir(fs, "epoll") : NULL;
	int err = dir ? proc_create_ulong(dir, "max_user_watches", 0644, &max_user_watches, NULL)
		      : -ENOMEM;

	if (dir)
		iput(dir);
	if (fs)
		iput(fs);
	return err;
}
