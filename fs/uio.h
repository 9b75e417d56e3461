/* SPDX-License-Identifier: MIT */
/*
 * I/O vectors: where the bytes of a read or write go or come from. One iterator walks the
 * buffers of read/write (one), readv/writev (up to UIO_MAXIOV) or kernel_read (kernel memory),
 * so every file's read and write is written once. A copy into or out of user memory stops at the
 * first byte that faults and reports how much it moved: the caller returns the partial count, or
 * EFAULT if it is zero, as Linux does.
 */
#ifndef WARDEN_FS_UIO_H
#define WARDEN_FS_UIO_H

#include "fs/abi.h"

struct iov_iter {
	bool kernel; /* the buffers are kernel memory */
	const struct iovec *iov; /* the current buffer */
	unsigned long nr_segs; /* buffers left, the current one included */
	size_t iov_offset; /* bytes of the current buffer already used */
	size_t count; /* bytes left in all of them */
};

#define UIO_FASTIOV 8

/* Sets up an iterator over nr_segs buffers holding count bytes in all. */
void iov_iter_init(struct iov_iter *i, bool kernel, const struct iovec *iov, unsigned long nr_segs,
		   size_t count);

/* Bytes the iterator still has room for (read) or holds (write). */
static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

/* Copies up to n bytes from src into the buffers; returns how many it copied (short on a fault). */
size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i);

/* Copies up to n bytes from the buffers to dst; returns how many it copied (short on a fault). */
size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i);

/* Zeroes up to n bytes of the buffers; returns how many it zeroed (short on a fault). */
size_t iov_iter_zero(size_t n, struct iov_iter *i);

/*
 * Copies a user iovec array in and sets up the iterator, with Linux's checks: EINVAL for more than
 * UIO_MAXIOV buffers or a length that is negative as ssize_t, EFAULT for an unreadable array or a
 * buffer outside user space; the total is capped at MAX_RW_COUNT. The array goes in fast (nfast
 * entries) when it fits, else in *iovp (kmalloc'd: the caller kfree()s *iovp, NULL otherwise).
 * Returns the total length or -errno.
 */
ssize_t import_iovec(const struct iovec __user *uvec, unsigned long nr_segs, struct iovec *fast,
		     unsigned long nfast, struct iovec **iovp, struct iov_iter *i);

#endif
