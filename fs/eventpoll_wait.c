// SPDX-License-Identifier: MIT
/*
 * epoll_wait, epoll_pwait and epoll_pwait2 (Linux 6.1's ep_poll and ep_send_events): harvest the
 * ready list of a set, sleeping until it has an item, a signal or the end time. An item is
 * polled again as it is harvested; one with no event left is dropped, a level-triggered one
 * goes back at the tail (so the next call starts with the items not reported: round robin), an
 * edge-triggered one waits for its next wake-up, a one-shot one is disabled until EPOLL_CTL_MOD.
 */
#include "fs/eventpoll_internal.h"
#include "fs/fdtable.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"
#include "kernel/ktime.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/sys.h"
#include "arch/x86_64/time.h"
#include "mm/uaccess.h"

/*
 * Takes the ready list for a scan (ep_start_scan): its items move to txlist, and items that
 * become ready meanwhile gather on ovflist, so copying to user memory (which may sleep and let
 * other CPUs wake items) never races with the walk.
 */
static void ep_start_scan(struct eventpoll *ep)
{
	u64 f = spin_lock_irqsave(&ep->lock);

	list_splice_init(&ep->rdllist, &ep->txlist);
	ep->scanning = true;
	spin_unlock_irqrestore(&ep->lock, f);
}

/*
 * Ends a scan (ep_done_scan): the ready list becomes the items not reached, then those that
 * became ready during the scan, then the level-triggered ones put back; another waiter is woken
 * if anything is left.
 */
static void ep_done_scan(struct eventpoll *ep)
{
	u64 f = spin_lock_irqsave(&ep->lock);

	ep->scanning = false;
	list_splice_init(&ep->ovflist, &ep->rdllist);
	list_splice_init(&ep->txlist, &ep->rdllist);
	bool left = !list_empty(&ep->rdllist);

	spin_unlock_irqrestore(&ep->lock, f);
	if (left)
		wake_up(&ep->wq);
}

/*
 * Reports up to maxevents ready items to events (ep_send_events): the count, or -EFAULT if not
 * even the first could be written (that item stays ready).
 */
static int ep_send_events(struct eventpoll *ep, struct epoll_event __user *events, int maxevents)
{
	int res = 0;

	ep_mutex_lock(&ep->mtx);
	ep_start_scan(ep);
	while (res < maxevents) {
		u64 f = spin_lock_irqsave(&ep->lock);

		if (list_empty(&ep->txlist)) {
			spin_unlock_irqrestore(&ep->lock, f);
			break;
		}
		struct epitem *epi = list_first_entry(&ep->txlist, struct epitem, rdllink);

		list_del_init(&epi->rdllink);
		spin_unlock_irqrestore(&ep->lock, f);

		__poll_t revents = ep_item_poll(epi, NULL);

		if (!revents)
			continue;
		struct epoll_event ev = { .events = revents, .data = epi->event.data };

		if (copy_to_user(&events[res], &ev, sizeof(ev))) {
			f = spin_lock_irqsave(&ep->lock);
			if (list_empty(&epi->rdllink))
				list_add(&epi->rdllink, &ep->txlist);
			spin_unlock_irqrestore(&ep->lock, f);
			if (!res)
				res = -EFAULT;
			break;
		}
		res++;
		if (epi->event.events & EPOLLONESHOT) {
			epi->event.events &= EP_PRIVATE_BITS;
		} else if (!(epi->event.events & EPOLLET)) {
			f = spin_lock_irqsave(&ep->lock);
			if (list_empty(&epi->rdllink))
				list_add_tail(&epi->rdllink, &ep->rdllist);
			spin_unlock_irqrestore(&ep->lock, f);
		}
	}
	ep_done_scan(ep);
	ep_mutex_unlock(&ep->mtx);
	return res;
}

/*
 * The wait itself (ep_poll): expire is the deadline (KTIME_MAX: none; 0: do not sleep). Reports
 * events as soon as there are some; -EINTR for a signal (never restarted, as Linux), 0 at the
 * deadline. Sleepers wait exclusively: one wake-up wakes one of them.
 */
static int ep_poll(struct eventpoll *ep, struct epoll_event __user *events, int maxevents,
		   u64 expire)
{
	bool timed_out = expire == 0;
	bool eavail = ep_events_available(ep);
	struct wait_queue_entry wait;
	struct task_struct *t = current;

	for (;;) {
		if (eavail) {
			int res = ep_send_events(ep, events, maxevents);

			if (res)
				return res;
		}
		if (timed_out)
			return 0;
		if (signal_pending_current())
			return -EINTR;
		prepare_to_wait_exclusive(&ep->wq, &wait);
		eavail = ep_events_available(ep);
		if (!eavail) {
			if (ktime_get_ns() < expire && !signal_pending_current()) {
				t->wake_at_ns = expire == KTIME_MAX ? 0 : expire;
				schedule();
				t->wake_at_ns = 0;
			}
			timed_out = ktime_get_ns() >= expire;
		}
		finish_wait(&ep->wq, &wait);
		eavail = true;
	}
}

/* The checks of every epoll_wait variant in Linux's order (do_epoll_wait), then the wait. */
static long do_epoll_wait(int epfd, struct epoll_event __user *events, int maxevents, u64 expire)
{
	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!access_ok(events, (size_t)maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	struct file *f = fget(epfd);

	if (!f)
		return -EBADF;
	long error = -EINVAL;

	if (is_file_epoll(f))
		error = ep_poll(f->private_data, events, maxevents, expire);
	fput(f);
	return error;
}

/* The deadline of a timeout in milliseconds (ep_timeout_to_timespec): negative waits forever. */
static u64 ep_timeout_ms(int timeout)
{
	if (timeout < 0)
		return KTIME_MAX;
	if (!timeout)
		return 0;
	return ktime_add_safe(ktime_get_ns(), (u64)timeout * NSEC_PER_MSEC);
}

/* epoll_pwait's tail (do_epoll_pwait): the mask for the wait, kept for the handler on EINTR. */
static long do_epoll_pwait(int epfd, struct epoll_event __user *events, int maxevents, u64 expire,
			   const u64 __user *sigmask, u64 sigsetsize)
{
	long error = set_user_sigmask(sigmask, sigsetsize);

	if (error)
		return error;
	error = do_epoll_wait(epfd, events, maxevents, expire);
	if (error != -EINTR && current->sig.restore_sigmask) {
		current->sig.restore_sigmask = false;
		set_current_blocked(current->sig.saved_sigmask);
	}
	return error;
}

long sys_epoll_wait(int epfd, void __user *events, int maxevents, int timeout)
{
	return do_epoll_wait(epfd, events, maxevents, ep_timeout_ms(timeout));
}

long sys_epoll_pwait(int epfd, void __user *events, int maxevents, int timeout,
		     const void __user *sigmask, u64 sigsetsize)
{
	return do_epoll_pwait(epfd, events, maxevents, ep_timeout_ms(timeout), sigmask, sigsetsize);
}

/* epoll_pwait2: a timespec timeout (EFAULT, EINVAL before anything else), NULL for none. */
long sys_epoll_pwait2(int epfd, void __user *events, int maxevents, const void __user *timeout,
		      const void __user *sigmask, u64 sigsetsize)
{
	u64 expire = KTIME_MAX;

	if (timeout) {
		s64 ts[2];
		struct timespec64 to;

		if (copy_from_user(ts, timeout, sizeof(ts)))
			return -EFAULT;
		if (poll_select_set_timeout(&to, ts[0], ts[1]))
			return -EINVAL;
		expire = (to.tv_sec || to.tv_nsec) ? timespec_to_ktime(&to) : 0;
	}
	return do_epoll_pwait(epfd, events, maxevents, expire, sigmask, sigsetsize);
}
