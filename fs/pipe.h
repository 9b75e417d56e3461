/* SPDX-License-Identifier: MIT */
/*
 * Pipes: a 64 KiB ring of pages between a read end and a write end, with Linux's rules. A read
 * returns what is there (at least one byte: it sleeps on an empty pipe while a writer exists, or
 * says EAGAIN with O_NONBLOCK) and 0 once the pipe is empty with no writer left. A write of at
 * most PIPE_BUF bytes goes in whole or waits; a larger one may be split. Writing with no reader
 * left raises SIGPIPE (send_sig_pipe()) and fails with EPIPE.
 */
#ifndef WARDEN_FS_PIPE_H
#define WARDEN_FS_PIPE_H

#include "kernel/wait.h"
#include "fs/vfs.h"

#define PIPE_BUFFERS 16
#define PIPE_SIZE (PIPE_BUFFERS * PAGE_SIZE) /* capacity: Linux's default, 65536 bytes */
#define PIPE_BUF PAGE_SIZE /* writes up to this size are atomic */

struct pipe_inode_info {
	struct page *bufs[PIPE_BUFFERS]; /* the ring; a page is allocated when first written */
	u32 head; /* ring offset of the first unread byte */
	u32 len; /* unread bytes */
	u32 readers, writers; /* open read and write ends */
	u32 r_counter, w_counter; /* read and write opens of a FIFO ever (fifo_open's waits) */
	struct wait_queue_head rd_wait; /* readers waiting for data */
	struct wait_queue_head wr_wait; /* writers waiting for room */
};

/* The file operations of pipes and FIFOs (a FIFO's open is fifo_open, fs/fifo.c). */
extern const struct file_operations pipefifo_fops;

/* Opens a FIFO as Linux's fifo_open: 0 or -ENXIO, -ENOMEM, -ERESTARTSYS (fs/fifo.c). */
int fifo_open(struct inode *inode, struct file *filp);

/* Frees a pipe's buffer (when its inode goes). */
void free_pipe_info(struct pipe_inode_info *pipe);

/* Makes the two ends of a new pipe (files[0] reads, files[1] writes), with O_NONBLOCK from flags
 * in both f_flags and O_DIRECT (packet mode, not implemented) in the write end's. 0 or -ENOMEM. */
int create_pipe_files(struct file **files, int flags);

/* Raises SIGPIPE on the current task (kernel/signal.c). */
void send_sig_pipe(void);

#endif
