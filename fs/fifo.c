// SPDX-License-Identifier: MIT
/*
 * FIFOs (named pipes) as Linux 6.1's fs/pipe.c fifo_open: a FIFO inode of the ramfs gets its pipe
 * at the first open and keeps it while the inode lives; then it is read and written as a pipe
 * (pipefifo_fops). An open for reading waits for a writer and one for writing waits for a reader
 * (wait_for_partner: the partner's open counter changing, so that a partner that opened and
 * closed meanwhile still counts), unless O_NONBLOCK: then a read open succeeds alone and a write
 * open without a reader is ENXIO. O_RDWR never waits. A signal ends a wait with -ERESTARTSYS.
 */
#include "fs/vfs.h"
#include "fs/pipe.h"
#include "kernel/errno.h"
#include "kernel/wait.h"
#include "mm/slab.h"

/* The FIFO's pipe, made at its first open. */
static struct pipe_inode_info *fifo_pipe(struct inode *inode)
{
	struct pipe_inode_info *pipe = inode->i_pipe;

	if (pipe)
		return pipe;
	pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);
	if (!pipe)
		return NULL;
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	inode->i_pipe = pipe;
	return pipe;
}

int fifo_open(struct inode *inode, struct file *filp)
{
	struct pipe_inode_info *pipe = fifo_pipe(inode);
	bool nonblock = filp->f_flags & O_NONBLOCK;
	u32 cur;
	long err;

	if (!pipe)
		return -ENOMEM;
	stream_open(filp);
	switch (filp->f_flags & O_ACCMODE) {
	case O_RDONLY:
		pipe->r_counter++;
		pipe->readers++;
		wake_up(&pipe->wr_wait);
		if (!pipe->writers && !nonblock) {
			cur = pipe->w_counter;
			err = wait_event_interruptible(pipe->rd_wait, pipe->w_counter != cur);
			if (err) {
				pipe->readers--;
				return (int)err;
			}
		}
		break;
	case O_WRONLY:
		if (!pipe->readers && nonblock)
			return -ENXIO;
		pipe->w_counter++;
		pipe->writers++;
		wake_up(&pipe->rd_wait);
		if (!pipe->readers) {
			cur = pipe->r_counter;
			err = wait_event_interruptible(pipe->wr_wait, pipe->r_counter != cur);
			if (err) {
				pipe->writers--;
				wake_up(&pipe->rd_wait);
				return (int)err;
			}
		}
		break;
	case O_RDWR:
		pipe->r_counter++;
		pipe->w_counter++;
		pipe->readers++;
		pipe->writers++;
		wake_up(&pipe->rd_wait);
		wake_up(&pipe->wr_wait);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}
