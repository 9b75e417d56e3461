// SPDX-License-Identifier: MIT
/*
 * poll, ppoll, select and pselect6 (Linux 6.1's fs/select.c): each scans its files through
 * vfs_poll() with a poll table that puts the task on every queue a file names, then sleeps until
 * a wake-up on one of them, a signal or the end time, and scans again. Times are timespecs of
 * the monotonic clock (end_time; 0/0 means "do not wait"), the ppoll/pselect6 sigmask is
 * installed for the wait and restored as Linux's restore_saved_sigmask_unless does.
 */
#include "fs/poll.h"
#include "fs/fdtable.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"
#include "kernel/ktime.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "arch/x86_64/time.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define STICKY_TIMEOUTS 0x4000000 /* personality flag: no remaining time is written back */

struct poll_table_page {
	struct poll_table_page *next;
	unsigned int used;
	struct poll_table_entry entries[];
};

#define ENTRIES_PER_PAGE \
	((PAGE_SIZE - sizeof(struct poll_table_page)) / sizeof(struct poll_table_entry))

/* A table that collects wait queues (poll_initwait). */
static void poll_initwait(poll_table *pt)
{
	pt->qproc = true;
	pt->queue_proc = NULL;
	pt->error = 0;
	pt->table = NULL;
}

/* Takes the task off every queue it was put on and drops the files (poll_freewait). */
static void poll_freewait(poll_table *pt)
{
	struct poll_table_page *p = pt->table;

	while (p) {
		struct poll_table_page *next = p->next;

		for (unsigned int i = 0; i < p->used; i++) {
			remove_wait_queue(p->entries[i].wait_address, &p->entries[i].wait);
			fput(p->entries[i].filp);
		}
		kfree(p);
		p = next;
	}
	pt->table = NULL;
}

void __pollwait(struct file *filp, struct wait_queue_head *wq, poll_table *pt)
{
	struct poll_table_page *p = pt->table;
	struct poll_table_entry *e;

	if (pt->queue_proc) {
		pt->queue_proc(filp, wq, pt);
		return;
	}
	if (!p || p->used == ENTRIES_PER_PAGE) {
		struct poll_table_page *n = kmalloc(PAGE_SIZE, GFP_KERNEL);

		if (!n) {
			pt->error = -ENOMEM;
			return;
		}
		n->used = 0;
		n->next = p;
		pt->table = p = n;
	}
	e = &p->entries[p->used++];
	e->filp = get_file(filp);
	e->wait_address = wq;
	add_wait_queue(wq, &e->wait);
}

/*
 * The end time of a relative timeout, as poll_select_set_timeout: -EINVAL unless the timespec
 * is valid; 0/0 for a zero timeout (no wait), else now + ts, saturated at TIME64_MAX seconds.
 */
int poll_select_set_timeout(struct timespec64 *to, s64 sec, s64 nsec)
{
	if (sec < 0 || nsec < 0 || (u64)nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if (!sec && !nsec) {
		to->tv_sec = to->tv_nsec = 0;
		return 0;
	}
	u64 now = ktime_get_ns();
	s64 s = (s64)(now / NSEC_PER_SEC), ns = (s64)(now % NSEC_PER_SEC) + nsec;

	if (ns >= (s64)NSEC_PER_SEC) {
		ns -= NSEC_PER_SEC;
		s++;
	}
	if (sec > TIME64_MAX - s) {
		to->tv_sec = TIME64_MAX;
		to->tv_nsec = 0;
	} else {
		to->tv_sec = s + sec;
		to->tv_nsec = ns;
	}
	return 0;
}

/*
 * Sleeps (the caller set TASK_INTERRUPTIBLE before its scan, so a wake-up during the scan is
 * not lost) until a wake-up, a signal or the deadline. False once the deadline has passed.
 */
static bool poll_schedule_timeout(u64 expire)
{
	struct task_struct *t = current;

	if (ktime_get_ns() < expire && !signal_pending_current()) {
		t->wake_at_ns = expire == KTIME_MAX ? 0 : expire;
		schedule();
		t->wake_at_ns = 0;
	}
	t->state = TASK_RUNNING;
	return ktime_get_ns() < expire;
}

/* The deadline of an end time, KTIME_MAX without one. */
static u64 end_time_ktime(const struct timespec64 *end_time)
{
	return end_time ? timespec_to_ktime(end_time) : KTIME_MAX;
}

/* Installs a ppoll/pselect6 mask for the wait (set_user_sigmask): 0, -EINVAL or -EFAULT. */
int set_user_sigmask(const u64 __user *umask, u64 sigsetsize)
{
	u64 kmask;

	if (!umask)
		return 0;
	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (copy_from_user(&kmask, umask, sizeof(kmask)))
		return -EFAULT;
	current->sig.restore_sigmask = true;
	current->sig.saved_sigmask = current->blocked;
	set_current_blocked(kmask);
	return 0;
}

/*
 * The end of every call (poll_select_finish): the old mask comes back now unless a signal
 * interrupted the wait (then after its handler ran, or at once without one), and the time left
 * goes to p unless the timeout was zero or STICKY_TIMEOUTS is set; if it cannot be written an
 * interrupted call becomes EINTR instead of being restarted (the time would be wrong).
 */
static long poll_select_finish(struct timespec64 *end_time, void __user *p, bool timeval, long ret)
{
	if (ret != -ERESTARTNOHAND && current->sig.restore_sigmask) {
		current->sig.restore_sigmask = false;
		set_current_blocked(current->sig.saved_sigmask);
	}
	if (!p)
		return ret;
	if (!(current->personality & STICKY_TIMEOUTS)) {
		if (!end_time->tv_sec && !end_time->tv_nsec)
			return ret;
		u64 now = ktime_get_ns();
		s64 sec = end_time->tv_sec - (s64)(now / NSEC_PER_SEC);
		s64 nsec = end_time->tv_nsec - (s64)(now % NSEC_PER_SEC);

		if (nsec < 0) {
			nsec += NSEC_PER_SEC;
			sec--;
		}
		if (sec < 0)
			sec = nsec = 0;
		s64 out[2] = { sec, timeval ? nsec / (s64)NSEC_PER_USEC : nsec };

		if (!copy_to_user(p, out, sizeof(out)))
			return ret;
	}
	if (ret == -ERESTARTNOHAND)
		ret = -EINTR;
	return ret;
}

/* poll */

struct pollfd {
	int fd;
	short events;
	short revents;
};

struct poll_list {
	struct poll_list *next;
	unsigned int len;
	struct pollfd entries[];
};

#define POLL_STACK_ALLOC 256
#define N_STACK_PPS ((POLL_STACK_ALLOC - sizeof(struct poll_list)) / sizeof(struct pollfd))
#define POLLFD_PER_PAGE ((PAGE_SIZE - sizeof(struct poll_list)) / sizeof(struct pollfd))

/* One pollfd: its revents (the events asked for plus POLLERR/POLLHUP; POLLNVAL if fd is not
 * open; 0 for a negative fd). Non-zero if ready. */
static __poll_t do_pollfd(struct pollfd *pfd, poll_table *pt)
{
	__poll_t mask = 0;

	if (pfd->fd >= 0) {
		struct file *f = fget(pfd->fd);

		mask = POLLNVAL;
		if (f) {
			__poll_t filter = (u16)pfd->events | POLLERR | POLLHUP;

			mask = vfs_poll(f, pt) & filter;
			fput(f);
		}
	}
	pfd->revents = (short)mask;
	return mask;
}

/* Scans until one fd is ready, a signal, an allocation failure or the end time (do_poll). */
static int do_poll(struct poll_list *list, poll_table *pt, struct timespec64 *end_time)
{
	bool timed_out = false;
	int count = 0;
	u64 expire = end_time_ktime(end_time);

	if (end_time && !end_time->tv_sec && !end_time->tv_nsec) {
		pt->qproc = false;
		timed_out = true;
	}
	for (;;) {
		current->state = TASK_INTERRUPTIBLE;
		for (struct poll_list *walk = list; walk; walk = walk->next)
			for (unsigned int i = 0; i < walk->len; i++)
				if (do_pollfd(&walk->entries[i], pt)) {
					count++;
					pt->qproc = false;
				}
		pt->qproc = false;
		if (!count) {
			count = pt->error;
			if (signal_pending_current())
				count = -ERESTARTNOHAND;
		}
		if (count || timed_out)
			break;
		if (!poll_schedule_timeout(expire))
			timed_out = true;
	}
	current->state = TASK_RUNNING;
	return count;
}

/*
 * Copies the array in, in page-sized chunks (Linux's poll_list: never one allocation the size
 * of nfds), polls, and writes every revents back: EINVAL above RLIMIT_NOFILE, EFAULT, ENOMEM.
 */
static long do_sys_poll(struct pollfd __user *ufds, unsigned int nfds, struct timespec64 *end_time)
{
	long stack_pps[POLL_STACK_ALLOC / sizeof(long)];
	struct poll_list *const head = (struct poll_list *)stack_pps;
	struct poll_list *walk = head;
	unsigned long todo = nfds;
	long err = -EFAULT;
	unsigned int len;
	poll_table table;

	if (nfds > current->signal->rlim[RLIMIT_NOFILE].rlim_cur)
		return -EINVAL;
	len = min((unsigned long)nfds, (unsigned long)N_STACK_PPS);
	for (;;) {
		walk->next = NULL;
		walk->len = len;
		if (!len)
			break;
		if (copy_from_user(walk->entries, ufds + (nfds - todo),
				   sizeof(struct pollfd) * walk->len))
			goto out_fds;
		todo -= walk->len;
		if (!todo)
			break;
		len = min(todo, (unsigned long)POLLFD_PER_PAGE);
		walk = walk->next = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!walk) {
			err = -ENOMEM;
			goto out_fds;
		}
	}
	poll_initwait(&table);
	long fdcount = do_poll(head, &table, end_time);
	poll_freewait(&table);
	for (walk = head; walk; walk = walk->next) {
		for (unsigned int j = 0; j < walk->len; j++, ufds++)
			if (copy_to_user(&ufds->revents, &walk->entries[j].revents, sizeof(short)))
				goto out_fds;
	}
	err = fdcount;
out_fds:
	walk = head->next;
	while (walk) {
		struct poll_list *pos = walk;

		walk = walk->next;
		kfree(pos);
	}
	return err;
}

static long do_restart_poll(struct restart_block *rb);

/* An interrupted poll without a handler comes back through restart_syscall with the same end
 * time (Linux's do_restart_poll); with a handler it is EINTR. */
static long poll_restart(long ret, struct pollfd __user *ufds, unsigned int nfds,
			 struct timespec64 *end_time)
{
	struct restart_block *rb = &current->restart_block;

	if (ret != -ERESTARTNOHAND)
		return ret;
	rb->poll.ufds = ufds;
	rb->poll.nfds = nfds;
	rb->poll.has_timeout = end_time != NULL;
	if (end_time) {
		rb->poll.tv_sec = end_time->tv_sec;
		rb->poll.tv_nsec = end_time->tv_nsec;
	}
	rb->fn = do_restart_poll;
	return -ERESTART_RESTARTBLOCK;
}

static long do_restart_poll(struct restart_block *rb)
{
	struct pollfd __user *ufds = rb->poll.ufds;
	unsigned int nfds = rb->poll.nfds;
	struct timespec64 end_time = { rb->poll.tv_sec, rb->poll.tv_nsec }, *to = NULL;

	if (rb->poll.has_timeout)
		to = &end_time;
	return poll_restart(do_sys_poll(ufds, nfds, to), ufds, nfds, to);
}

long sys_poll(struct pollfd __user *ufds, unsigned int nfds, int timeout_msecs)
{
	struct timespec64 end_time, *to = NULL;

	if (timeout_msecs >= 0) {
		to = &end_time;
		poll_select_set_timeout(to, timeout_msecs / 1000,
					(s64)(timeout_msecs % 1000) * (s64)NSEC_PER_MSEC);
	}
	return poll_restart(do_sys_poll(ufds, nfds, to), ufds, nfds, to);
}

long sys_ppoll(struct pollfd __user *ufds, unsigned int nfds, const struct timespec64 __user *tsp,
	       const u64 __user *sigmask, u64 sigsetsize)
{
	struct timespec64 ts, end_time, *to = NULL;
	long ret;

	if (tsp) {
		if (copy_from_user(&ts, tsp, sizeof(ts)))
			return -EFAULT;
		to = &end_time;
		if (poll_select_set_timeout(to, ts.tv_sec, ts.tv_nsec))
			return -EINVAL;
	}
	ret = set_user_sigmask(sigmask, sigsetsize);
	if (ret)
		return ret;
	ret = do_sys_poll(ufds, nfds, to);
	return poll_select_finish(&end_time, (void __user *)tsp, false, ret);
}

/* select */

#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET (POLLPRI)
#define FDS_LONGS(n) (((unsigned long)(n) + 63) / 64)
#define FDS_BYTES(n) (FDS_LONGS(n) * sizeof(u64))

/* in, out, ex: the sets asked about; res_*: the answer. */
struct fd_set_bits {
	u64 *in, *out, *ex, *res_in, *res_out, *res_ex;
};

/* One past the highest fd in the sets, or -EBADF if a set names an fd that is not open
 * (max_select_fd; bits at or above n are not looked at). */
static int max_select_fd(unsigned long n, struct fd_set_bits *fds)
{
	const u64 *open_fds = current->files->open_fds;
	int max = 0;

	for (unsigned long w = 0; w < FDS_LONGS(n); w++) {
		u64 set = fds->in[w] | fds->out[w] | fds->ex[w];

		if (w == n / 64 && n % 64)
			set &= ~(~0ULL << (n % 64));
		if (!set)
			continue;
		if (set & ~open_fds[w])
			return -EBADF;
		max = (int)(w * 64 + 64 - (unsigned long)__builtin_clzll(set));
	}
	return max;
}

/* Scans the sets until an fd is ready, a signal, an allocation failure or the end time
 * (do_select): the number of bits set in the answer, or an error. */
static int do_select(int n, struct fd_set_bits *fds, struct timespec64 *end_time)
{
	poll_table table;
	bool timed_out = false;
	int retval, max = max_select_fd((unsigned long)n, fds);
	u64 expire = end_time_ktime(end_time);

	if (max < 0)
		return max;
	n = max;
	poll_initwait(&table);
	if (end_time && !end_time->tv_sec && !end_time->tv_nsec) {
		table.qproc = false;
		timed_out = true;
	}
	for (;;) {
		retval = 0;
		current->state = TASK_INTERRUPTIBLE;
		for (int i = 0; i < n; i++) {
			u64 bit = 1ULL << (i % 64);
			unsigned long w = (unsigned long)i / 64;
			u64 in = fds->in[w], out = fds->out[w], ex = fds->ex[w];

			if (!((in | out | ex) & bit))
				continue;
			__poll_t mask = POLLNVAL;
			struct file *f = fget(i);

			if (f) {
				mask = vfs_poll(f, &table);
				fput(f);
			}
			if ((mask & POLLIN_SET) && (in & bit)) {
				fds->res_in[w] |= bit;
				retval++;
				table.qproc = false;
			}
			if ((mask & POLLOUT_SET) && (out & bit)) {
				fds->res_out[w] |= bit;
				retval++;
				table.qproc = false;
			}
			if ((mask & POLLEX_SET) && (ex & bit)) {
				fds->res_ex[w] |= bit;
				retval++;
				table.qproc = false;
			}
		}
		table.qproc = false;
		if (retval || timed_out || signal_pending_current())
			break;
		if (table.error) {
			retval = table.error;
			break;
		}
		if (!poll_schedule_timeout(expire))
			timed_out = true;
	}
	current->state = TASK_RUNNING;
	poll_freewait(&table);
	return retval;
}

/* Reads one user set of n bits (all zero if the pointer is NULL). */
static int get_fd_set(unsigned long n, const void __user *ufdset, u64 *fdset)
{
	if (ufdset)
		return copy_from_user(fdset, ufdset, FDS_BYTES(n)) ? -EFAULT : 0;
	memset(fdset, 0, FDS_BYTES(n));
	return 0;
}

/* Writes one answer set back (if the caller gave one). */
static int set_fd_set(unsigned long n, void __user *ufdset, const u64 *fdset)
{
	if (ufdset)
		return copy_to_user(ufdset, fdset, FDS_BYTES(n)) ? -EFAULT : 0;
	return 0;
}

/*
 * select's common part (core_sys_select): EINVAL for a negative n, n clamped to the table's
 * room as Linux sizes it (64 descriptors, then 128, 256, ...: bits past it are neither looked
 * at nor written back; max_fds bounds the bitmaps read), the sets copied in, scanned and written
 * back; an interrupted select that found nothing is -ERESTARTNOHAND.
 */
static long core_sys_select(int n, void __user *inp, void __user *outp, void __user *exp,
			    struct timespec64 *end_time)
{
	struct fd_set_bits fds;
	unsigned int max_fds = min(current->files->linux_max_fds, current->files->max_fds);
	long ret;

	if (n < 0)
		return -EINVAL;
	if ((unsigned int)n > max_fds)
		n = (int)max_fds;
	size_t size = FDS_BYTES(n);
	u64 *bits = kmalloc(size ? 6 * size : 1, GFP_KERNEL);

	if (!bits)
		return -ENOMEM;
	size /= sizeof(u64);
	fds.in = bits;
	fds.out = bits + size;
	fds.ex = bits + 2 * size;
	fds.res_in = bits + 3 * size;
	fds.res_out = bits + 4 * size;
	fds.res_ex = bits + 5 * size;
	if ((ret = get_fd_set(n, inp, fds.in)) || (ret = get_fd_set(n, outp, fds.out)) ||
	    (ret = get_fd_set(n, exp, fds.ex)))
		goto out;
	memset(fds.res_in, 0, 3 * size * sizeof(u64));
	ret = do_select(n, &fds, end_time);
	if (ret < 0)
		goto out;
	if (!ret) {
		ret = -ERESTARTNOHAND;
		if (signal_pending_current())
			goto out;
		ret = 0;
	}
	if (set_fd_set(n, inp, fds.res_in) || set_fd_set(n, outp, fds.res_out) ||
	    set_fd_set(n, exp, fds.res_ex))
		ret = -EFAULT;
out:
	kfree(bits);
	return ret;
}

struct old_timeval {
	s64 tv_sec;
	s64 tv_usec;
};

long sys_select(int n, void __user *inp, void __user *outp, void __user *exp,
		struct old_timeval __user *tvp)
{
	struct timespec64 end_time, *to = NULL;
	struct old_timeval tv;
	long ret;

	if (tvp) {
		if (copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		to = &end_time;
		/* as Linux, in C's signed arithmetic (the sums below cannot overflow: usec / 1e6
		 * is small, and sec + small stays in range except at the edges, which wrap) */
		s64 sec = (s64)((u64)tv.tv_sec + (u64)(tv.tv_usec / 1000000));
		s64 nsec = (tv.tv_usec % 1000000) * (s64)NSEC_PER_USEC;

		if (poll_select_set_timeout(to, sec, nsec))
			return -EINVAL;
	}
	ret = core_sys_select(n, inp, outp, exp, to);
	return poll_select_finish(&end_time, tvp, true, ret);
}

long sys_pselect6(int n, void __user *inp, void __user *outp, void __user *exp,
		  const struct timespec64 __user *tsp, const u64 __user *sig)
{
	struct timespec64 ts, end_time, *to = NULL;
	u64 pack[2] = { 0, 0 }; /* the mask's address and size */
	long ret;

	if (sig && copy_from_user(pack, sig, sizeof(pack)))
		return -EFAULT;
	if (tsp) {
		if (copy_from_user(&ts, tsp, sizeof(ts)))
			return -EFAULT;
		to = &end_time;
		if (poll_select_set_timeout(to, ts.tv_sec, ts.tv_nsec))
			return -EINVAL;
	}
	ret = set_user_sigmask((const u64 __user *)pack[0], pack[1]);
	if (ret)
		return ret;
	ret = core_sys_select(n, inp, outp, exp, to);
	return poll_select_finish(&end_time, (void __user *)tsp, false, ret);
}
