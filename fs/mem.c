// SPDX-License-Identifier: MIT
/*
 * /dev/null (1:3) and /dev/zero (1:5), as Linux's drivers/char/mem.c: writes to either take
 * every byte without reading it; reads give nothing (null) or zeros (zero); lseek always lands
 * at 0.
 */
#include "fs/devices.h"
#include "fs/uio.h"
#include "kernel/errno.h"

/* /dev/null reads are end-of-file. */
static ssize_t read_null(struct file *file, struct iov_iter *to, s64 *ppos)
{
	(void)file;
	(void)to;
	(void)ppos;
	return 0;
}

/* Writes to /dev/null and /dev/zero take every byte, untouched. */
static ssize_t write_null(struct file *file, struct iov_iter *from, s64 *ppos)
{
	(void)file;
	(void)ppos;
	return (ssize_t)iov_iter_count(from);
}

/* lseek lands at 0, whatever is asked. */
static s64 null_lseek(struct file *file, s64 offset, int whence)
{
	(void)offset;
	(void)whence;
	return file->f_pos = 0;
}

/* /dev/zero reads are zeros, up to a fault (EFAULT if none could be written). */
static ssize_t read_zero(struct file *file, struct iov_iter *to, s64 *ppos)
{
	size_t want = iov_iter_count(to);
	size_t n = iov_iter_zero(want, to);

	(void)file;
	(void)ppos;
	return n || !want ? (ssize_t)n : -EFAULT;
}

const struct file_operations null_fops = {
	.read = read_null,
	.write = write_null,
	.llseek = null_lseek,
};

const struct file_operations zero_fops = {
	.read = read_zero,
	.write = write_null,
	.llseek = null_lseek,
};
