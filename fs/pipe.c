// SPDX-License-Identifier: MIT
/* Pipes: the ring buffer, blocking reads and writes, pipe() and pipe2(). */
#include "fs/pipe.h"
#include "fs/poll.h"
#include "fs/fdtable.h"
#include "fs/syscalls.h"
#include "fs/uio.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "mm/slab.h"

void free_pipe_info(struct pipe_inode_info *pipe)
{
	if (!pipe)
		return;
	for (int i = 0; i < PIPE_BUFFERS; i++)
		if (pipe->bufs[i])
			put_page(pipe->bufs[i]);
	kfree(pipe);
}

/* Where ring offset pos is in kernel memory (its page must exist). */
static char *ring_addr(struct pipe_inode_info *pipe, u32 pos)
{
	return (char *)page_address(pipe->bufs[pos / PAGE_SIZE]) + pos % PAGE_SIZE;
}

/*
 * Is the ring not full as Linux counts its buffers: fewer than PIPE_BUFFERS pages hold data (a
 * page partly read still counts)? pipe_poll's POLLOUT.
 */
static bool pipe_writable(const struct pipe_inode_info *pipe)
{
	u32 pages =
		pipe->len ? (pipe->head % PAGE_SIZE + pipe->len + PAGE_SIZE - 1) / PAGE_SIZE : 0;

	return pages < PIPE_BUFFERS;
}

/* Reads what the pipe holds, waiting for a first byte unless O_NONBLOCK; 0 at end-of-file. */
static ssize_t pipe_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct pipe_inode_info *pipe = file->f_inode->i_pipe;
	ssize_t total = 0;
	bool wake_writer = false;

	(void)ppos;
	if (!iov_iter_count(to))
		return 0;
	for (;;) {
		while (pipe->len && iov_iter_count(to)) {
			/*
			 * Writers are woken only if one may be waiting: the ring was full as
			 * pipe_poll counts it, or had less room than an atomic write needs (Linux
			 * wakes them only when the pipe was full, so an edge-triggered EPOLLOUT
			 * item sees no event for a read of a pipe that had room).
			 */
			wake_writer |= !pipe_writable(pipe) || PIPE_SIZE - pipe->len < PIPE_BUF;
			size_t n = min((size_t)pipe->len, PAGE_SIZE - pipe->head % PAGE_SIZE);

			n = min(n, iov_iter_count(to));
			/* A piece that cannot be copied whole stays in the pipe, as in Linux. */
			if (copy_to_iter(ring_addr(pipe, pipe->head), n, to) < n) {
				if (!total)
					total = -EFAULT;
				goto out;
			}
			pipe->head = (pipe->head + n) % PIPE_SIZE;
			pipe->len -= n;
			total += n;
		}
		if (total || !pipe->writers)
			break;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		long err = wait_event_interruptible(pipe->rd_wait, pipe->len || !pipe->writers);
		if (err)
			return err;
	}
out:
	if (wake_writer) /* room for writers: an epoll item watching EPOLLIN ignores it */
		wake_up_poll(&pipe->wr_wait, POLLOUT | POLLWRNORM);
	return total;
}

/* Appends up to n bytes from the iterator to the ring, which has room for them; returns the
 * bytes added and sets *err if it stopped short (a piece that faults part-way is not added). */
static size_t pipe_fill(struct pipe_inode_info *pipe, struct iov_iter *from, size_t n, int *err)
{
	size_t done = 0;

	while (done < n) {
		u32 tail = (pipe->head + pipe->len) % PIPE_SIZE;
		size_t chunk = min(n - done, PAGE_SIZE - tail % PAGE_SIZE);
		struct page **buf = &pipe->bufs[tail / PAGE_SIZE];

		if (!*buf && !(*buf = alloc_page(GFP_KERNEL))) {
			*err = -ENOMEM;
			break;
		}
		if (copy_from_iter(ring_addr(pipe, tail), chunk, from) < chunk) {
			*err = -EFAULT;
			break;
		}
		pipe->len += chunk;
		done += chunk;
	}
	return done;
}

/* Writes into the pipe, waiting for room unless O_NONBLOCK; EPIPE without readers. */
static ssize_t pipe_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	struct pipe_inode_info *pipe = file->f_inode->i_pipe;
	size_t count = iov_iter_count(from);
	ssize_t total = 0;

	(void)ppos;
	if (!count)
		return 0;
	while (iov_iter_count(from)) {
		size_t left = iov_iter_count(from);
		/* Up to PIPE_BUF bytes go in at once or not at all. */
		size_t need = count <= PIPE_BUF ? left : 1;

		if (!pipe->readers) {
			send_sig_pipe();
			if (!total)
				total = -EPIPE;
			break;
		}
		if (PIPE_SIZE - pipe->len >= need) {
			int err = 0;
			size_t n = pipe_fill(pipe, from, min(left, (size_t)(PIPE_SIZE - pipe->len)),
					     &err);

			total += n;
			if (n) /* data for readers, as Linux's pipe_write */
				wake_up_poll(&pipe->rd_wait, POLLIN | POLLRDNORM);
			if (err) {
				if (!total)
					total = err;
				break;
			}
			continue;
		}
		if (file->f_flags & O_NONBLOCK) {
			if (!total)
				total = -EAGAIN;
			break;
		}
		long err = wait_event_interruptible(pipe->wr_wait, PIPE_SIZE - pipe->len >= need ||
									   !pipe->readers);
		if (err) {
			if (!total)
				total = err;
			break;
		}
	}
	return total;
}

/* FIONREAD: the bytes waiting to be read. */
static long pipe_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (cmd != FIONREAD)
		return -ENOTTY;
	return put_user_u32(file->f_inode->i_pipe->len, (u32 __user *)arg);
}

/*
 * Readiness as Linux 6.1's pipe_poll: the read end is readable with data and hung up (POLLHUP)
 * once no writer is left; the write end is writable while the ring is not full and in error
 * (POLLERR) once no reader is left. Full means all PIPE_BUFFERS pages hold data, as Linux counts
 * its buffers (a page partly read still counts).
 */
static __poll_t pipe_poll(struct file *file, poll_table *wait)
{
	struct pipe_inode_info *pipe = file->f_inode->i_pipe;
	__poll_t mask = 0;

	if (file->f_mode & FMODE_READ)
		poll_wait(file, &pipe->rd_wait, wait);
	if (file->f_mode & FMODE_WRITE)
		poll_wait(file, &pipe->wr_wait, wait);
	if (file->f_mode & FMODE_READ) {
		if (pipe->len)
			mask |= POLLIN | POLLRDNORM;
		if (!pipe->writers)
			mask |= POLLHUP;
	}
	if (file->f_mode & FMODE_WRITE) {
		if (pipe_writable(pipe))
			mask |= POLLOUT | POLLWRNORM;
		if (!pipe->readers)
			mask |= POLLERR;
	}
	return mask;
}

/* Closing an end: the other side's sleepers wake to see it (EOF, EPIPE). */
static void pipe_release(struct inode *inode, struct file *file)
{
	struct pipe_inode_info *pipe = inode->i_pipe;

	if (file->f_mode & FMODE_READ)
		pipe->readers--;
	if (file->f_mode & FMODE_WRITE)
		pipe->writers--;
	wake_up(&pipe->rd_wait);
	wake_up(&pipe->wr_wait);
}

const struct file_operations pipefifo_fops = {
	.open = fifo_open,
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.release = pipe_release,
};

int create_pipe_files(struct file **files, int flags)
{
	struct inode *inode = new_inode(&pipefs_sb, S_IFIFO | 0600);
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);

	if (inode)
		inode_init_owner(inode, NULL); /* get_pipe_inode: the caller's fsuid and fsgid */
	if (!inode || !pipe) {
		kfree(pipe);
		if (inode)
			iput(inode);
		return -ENOMEM;
	}
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	pipe->readers = pipe->writers = 1; /* each end's release drops its own */
	inode->i_pipe = pipe;
	inode->i_fop = &pipefifo_fops;
	files[0] = alloc_file(inode, O_RDONLY | (flags & O_NONBLOCK), &pipefifo_fops);
	files[1] = alloc_file(inode, O_WRONLY | (flags & (O_NONBLOCK | O_DIRECT)), &pipefifo_fops);
	iput(inode);
	if (!files[0] || !files[1]) {
		if (files[0])
			fput(files[0]);
		if (files[1])
			fput(files[1]);
		return -ENOMEM;
	}
	stream_open(files[0]);
	stream_open(files[1]);
	return 0;
}

long sys_pipe2(int __user *fildes, int flags)
{
	struct file *files[2];
	int fd[2];

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	int err = create_pipe_files(files, flags);
	if (err)
		return err;
	fd[0] = get_unused_fd_flags(flags);
	if (fd[0] < 0) {
		err = fd[0];
		goto out_files;
	}
	fd[1] = get_unused_fd_flags(flags);
	if (fd[1] < 0) {
		err = fd[1];
		put_unused_fd(fd[0]);
		goto out_files;
	}
	if (copy_to_user(fildes, fd, sizeof(fd))) {
		put_unused_fd(fd[0]);
		put_unused_fd(fd[1]);
		err = -EFAULT;
		goto out_files;
	}
	fd_install(fd[0], files[0]);
	fd_install(fd[1], files[1]);
	return 0;
out_files:
	fput(files[0]);
	fput(files[1]);
	return err;
}

long sys_pipe(int __user *fildes)
{
	return sys_pipe2(fildes, 0);
}
