// SPDX-License-Identifier: MIT
/*
 * /dev/null (1:3) and /dev/zero (1:5), as Linux's drivers/char/mem.c: writes to either take
 * every byte without reading it; reads give nothing (null) or zeros (zero); lseek always lands
 * at 0.
 */
#include "fs/devices.h"
#include "fs/uio.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"

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

/*
 * /dev/zero reads are zeros, up to a fault (EFAULT if none could be written). A page at a time
 * (Linux's read_iter_zero): up to MAX_RW_COUNT bytes (2 GiB, over an address space the user
 * made of many views of a few pages) would otherwise hold the CPU and the kernel lock for
 * seconds; other tasks run between pages, and a signal ends the read with what was written.
 */
static ssize_t read_zero(struct file *file, struct iov_iter *to, s64 *ppos)
{
	size_t written = 0;

	(void)file;
	(void)ppos;
	while (iov_iter_count(to)) {
		size_t chunk = min(iov_iter_count(to), (size_t)PAGE_SIZE);
		size_t n = iov_iter_zero(chunk, to);

		if (!n)
			return written ? (ssize_t)written : -EFAULT;
		written += n;
		if (signal_pending_current())
			return (ssize_t)written;
		cond_resched();
	}
	return (ssize_t)written;
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
