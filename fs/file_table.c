// SPDX-License-Identifier: MIT
/* Open files: allocation and reference counting. */
#include "fs/devices.h"
#include "fs/ramfs.h"
#include "fs/mount.h"
#include "mm/slab.h"
#include "kernel/lockcheck.h"
#include "kernel/sched.h"
#include "net/socket.h"

struct file *alloc_file(struct inode *inode, u32 flags, const struct file_operations *fop)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	f->f_count = 1;
	/* What F_GETFL shows: the creation flags and O_CLOEXEC (a descriptor's) are not kept. */
	f->f_flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	if (flags & O_PATH) {
		f->f_mode = FMODE_PATH;
	} else {
		u32 acc = flags & O_ACCMODE;

		f->f_mode = FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
		if (acc == O_RDONLY || acc == O_RDWR)
			f->f_mode |= FMODE_READ;
		if (acc == O_WRONLY || acc == O_RDWR)
			f->f_mode |= FMODE_WRITE;
	}
	f->f_inode = iget(inode);
	f->f_op = fop;
	sb_active_get(inode->i_sb); /* an open file keeps its mount busy */
	return f;
}

struct file *get_file(struct file *f)
{
	f->f_count++;
	return f;
}

/* Frees a file whose last reference is gone: its release, then its inode and mount. */
static void __fput(struct file *f)
{
	if (f->f_ep)
		eventpoll_release_file(f); /* the last close leaves every epoll set */
	if (f->f_op && f->f_op->release)
		f->f_op->release(f->f_inode, f);
	struct inode *inode = f->f_inode;
	struct super_block *sb = inode->i_sb;

	if (f->f_mode & FMODE_WRITER) {
		inode->i_writecount--;
		sb->s_writers--;
	}
	kfree(f);
	iput(inode);
	sb_active_put(sb); /* may free a lazily unmounted file system */
}

/*
 * Drops a reference; the last one frees the file. A release may drop the last reference to other
 * files (a unix socket's queue holds the files passed in SCM_RIGHTS messages, which may be
 * sockets holding more): those are queued on the task and freed by the outermost fput in a loop,
 * as Linux defers them to task work, so a chain of any length never nests on the kernel stack.
 */
void fput(struct file *f)
{
	struct task_struct *t = current;

	if (--f->f_count) {
		if (unix_tot_inflight)
			unix_gc_file_put(f);
		return;
	}
	if (t->fput_running) {
		f->f_put_next = t->fput_pending;
		t->fput_pending = f;
		return;
	}
	lockcheck_fput(); /* no lock its release may take is held (with `lockcheck`) */
	t->fput_running = true;
	__fput(f);
	while ((f = t->fput_pending)) {
		t->fput_pending = f->f_put_next;
		__fput(f);
	}
	t->fput_running = false;
	unix_gc_run_deferred(); /* releases of unix sockets above asked for a collection */
}

struct inode *file_inode(struct file *f)
{
	return f->f_inode;
}

bool file_writable(struct file *f)
{
	return f->f_mode & FMODE_WRITE;
}

void stream_open(struct file *f)
{
	f->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	f->f_mode |= FMODE_STREAM;
}

int file_mmap_kind(struct file *f)
{
	if (f->f_op == &ramfs_file_operations || f->f_op->vm_open)
		return FILE_MMAP_PAGES; /* vm_open: a SysV shm attach, the segment's pages */
	if (f->f_op == &zero_fops)
		return FILE_MMAP_ANON;
	return FILE_MMAP_NONE;
}
