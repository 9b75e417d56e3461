// SPDX-License-Identifier: MIT
/* I/O vector iterators and copying iovec arrays in from user space. */
#include "fs/uio.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/slab.h"

void iov_iter_init(struct iov_iter *i, bool kernel, const struct iovec *iov, unsigned long nr_segs,
		   size_t count)
{
	*i = (struct iov_iter){ kernel, iov, nr_segs, 0, count };
}

/* The next contiguous piece of the buffers, at most n bytes: its address and length (0: none). */
static size_t iter_chunk(struct iov_iter *i, size_t n, char **base)
{
	while (i->nr_segs && i->iov_offset == i->iov->iov_len) {
		i->iov++;
		i->nr_segs--;
		i->iov_offset = 0;
	}
	if (!i->nr_segs || !i->count)
		return 0;
	*base = (char *)i->iov->iov_base + i->iov_offset;
	return min(n, min(i->count, i->iov->iov_len - i->iov_offset));
}

/* Moves the iterator past n bytes of the current piece. */
static void iter_consume(struct iov_iter *i, size_t n)
{
	i->iov_offset += n;
	i->count -= n;
}

size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i)
{
	size_t done = 0;

	while (done < n) {
		char *base;
		size_t len = iter_chunk(i, n - done, &base);

		if (!len)
			break;
		size_t left = 0;
		if (i->kernel)
			memcpy(base, (const char *)src + done, len);
		else
			left = copy_to_user(base, (const char *)src + done, len);
		iter_consume(i, len - left);
		done += len - left;
		if (left)
			break;
	}
	return done;
}

size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i)
{
	size_t done = 0;

	while (done < n) {
		char *base;
		size_t len = iter_chunk(i, n - done, &base);

		if (!len)
			break;
		size_t left = 0;
		if (i->kernel)
			memcpy((char *)dst + done, base, len);
		else
			left = copy_from_user((char *)dst + done, base, len);
		iter_consume(i, len - left);
		done += len - left;
		if (left)
			break;
	}
	return done;
}

size_t iov_iter_zero(size_t n, struct iov_iter *i)
{
	size_t done = 0;

	while (done < n) {
		char *base;
		size_t len = iter_chunk(i, n - done, &base);

		if (!len)
			break;
		size_t left = 0;
		if (i->kernel)
			memset(base, 0, len);
		else
			left = clear_user(base, len);
		iter_consume(i, len - left);
		done += len - left;
		if (left)
			break;
	}
	return done;
}

ssize_t import_iovec(const struct iovec __user *uvec, unsigned long nr_segs, struct iovec *fast,
		     unsigned long nfast, struct iovec **iovp, struct iov_iter *i)
{
	struct iovec *iov = fast;
	size_t total = 0;

	*iovp = NULL;
	if (nr_segs > UIO_MAXIOV)
		return -EINVAL;
	if (nr_segs > nfast) {
		iov = kmalloc(nr_segs * sizeof(*iov), GFP_KERNEL);
		if (!iov)
			return -ENOMEM;
		*iovp = iov;
	}
	if (copy_from_user(iov, uvec, nr_segs * sizeof(*iov)))
		goto efault;
	for (unsigned long s = 0; s < nr_segs; s++)
		if ((ssize_t)iov[s].iov_len < 0)
			goto einval;
	for (unsigned long s = 0; s < nr_segs; s++) {
		if (!access_ok(iov[s].iov_base, iov[s].iov_len))
			goto efault;
		if (iov[s].iov_len > MAX_RW_COUNT - total)
			iov[s].iov_len = MAX_RW_COUNT - total;
		total += iov[s].iov_len;
	}
	iov_iter_init(i, false, iov, nr_segs, total);
	return (ssize_t)total;
einval:
	kfree(*iovp);
	*iovp = NULL;
	return -EINVAL;
efault:
	kfree(*iovp);
	*iovp = NULL;
	return -EFAULT;
}
