// SPDX-License-Identifier: MIT
/* The console files: fds 0-2 of the first task, and /dev/console. */
#include "fs/console.h"
#include "fs/uio.h"
#include "kernel/console.h"
#include "kernel/errno.h"

/* Sends what the iterator holds to a console stream; the bytes sent, or -EFAULT if none. */
static ssize_t console_send(int stream, struct iov_iter *from)
{
	char buf[256];
	ssize_t total = 0;

	while (iov_iter_count(from)) {
		size_t want = min(sizeof(buf), iov_iter_count(from));
		size_t n = copy_from_iter(buf, want, from);

		if (n)
			user_console_write(stream, buf, n);
		total += n;
		if (n < want)
			return total ? total : -EFAULT;
	}
	return total;
}

/* fd 0 is an empty file: every read is at its end. */
static ssize_t stdio_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	(void)file;
	(void)to;
	(void)ppos;
	return 0;
}

/* fds 1 and 2: the bytes go out, and the file grows as a redirected stdout's would. */
static ssize_t stdio_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	struct inode *inode = file->f_inode;
	s64 pos = (file->f_flags & O_APPEND) ? inode->i_size : *ppos;
	ssize_t n = console_send((int)(uintptr_t)inode->i_private, from);

	if (n > 0) {
		pos += n;
		if (pos > inode->i_size)
			inode->i_size = pos;
		inode_touch(inode);
		*ppos = pos;
	}
	return n;
}

static const struct file_operations console_stdio_fops = {
	.read = stdio_read,
	.write = stdio_write,
	.llseek = generic_file_llseek,
};

struct file *console_stdio_open(unsigned int fd)
{
	struct inode *inode = new_inode(&rootfs_sb, S_IFREG | 0644);

	if (!inode)
		return NULL;
	inode->i_fop = &console_stdio_fops;
	inode->i_private = (void *)(uintptr_t)(fd == 2 ? CONSOLE_STDERR : CONSOLE_STDOUT);
	struct file *f =
		alloc_file(inode, (fd ? O_WRONLY : O_RDONLY) | O_LARGEFILE, &console_stdio_fops);
	iput(inode);
	return f;
}

/* /dev/console has no position (a terminal's is not seekable). */
static int console_open(struct inode *inode, struct file *file)
{
	(void)inode;
	stream_open(file);
	return 0;
}

/* /dev/console writes go to stdout's stream. */
static ssize_t console_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	(void)file;
	(void)ppos;
	return console_send(CONSOLE_STDOUT, from);
}

const struct file_operations console_fops = {
	.open = console_open,
	.read = stdio_read,
	.write = console_write,
};
