// SPDX-License-Identifier: MIT
/*
 * read, write, readv, writev, pread64, pwrite64, lseek and their kernel forms, with Linux 6.1's
 * checks in order: the descriptor (EBADF), the open mode (EBADF), a file that cannot do it
 * (EINVAL), the user range (EFAULT), the position (EINVAL); counts are capped at MAX_RW_COUNT.
 */
#include "fs/vfs.h"
#include "fs/fdtable.h"
#include "fs/syscalls.h"
#include "fs/uio.h"
#include "kernel/errno.h"
#include "mm/slab.h"

/* The position a read or write uses: the file's, or none for a stream (pipe, console device). */
static s64 *file_ppos(struct file *f)
{
	return (f->f_mode & FMODE_STREAM) ? NULL : &f->f_pos;
}

/*
 * Linux's rw_verify_area(): the range [*ppos, *ppos + count) must be a valid file range; a file
 * with unsigned positions (/proc/self/mem) takes any, as long as the range does not wrap.
 */
static int rw_verify_area(struct file *f, const s64 *ppos, size_t count)
{
	if ((ssize_t)count < 0)
		return -EINVAL;
	if (!ppos)
		return 0;
	s64 pos = *ppos;
	if (pos < 0) {
		if (!(f->f_mode & FMODE_UNSIGNED_OFFSET))
			return -EINVAL;
		if (count >= -(u64)pos)
			return -EOVERFLOW;
	} else if ((s64)((u64)pos + count) < 0 && !(f->f_mode & FMODE_UNSIGNED_OFFSET)) {
		return -EINVAL;
	}
	return 0;
}

/* Calls the file's read or write with a copy of the position, which it updates on success. */
static ssize_t call_rw(struct file *f, struct iov_iter *iter, s64 *ppos, bool write)
{
	s64 pos = ppos ? *ppos : 0;
	ssize_t ret = write ? f->f_op->write(f, iter, ppos ? &pos : NULL)
			    : f->f_op->read(f, iter, ppos ? &pos : NULL);

	if (ret >= 0 && ppos)
		*ppos = pos;
	return ret;
}

/* The checks every read or write starts with: the open mode, then whether the file can. */
static int rw_check_mode(struct file *f, bool write)
{
	if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (!(write ? f->f_op->write : f->f_op->read))
		return -EINVAL;
	return 0;
}

/* read/write/pread64/pwrite64 of one user buffer (Linux's vfs_read and vfs_write). */
static ssize_t vfs_rw(struct file *f, char __user *buf, size_t count, s64 *ppos, bool write)
{
	struct iovec iov = { buf, min(count, (size_t)MAX_RW_COUNT) };
	struct iov_iter iter;
	int err = rw_check_mode(f, write);

	if (err)
		return err;
	if (!access_ok(buf, count))
		return -EFAULT;
	err = rw_verify_area(f, ppos, count);
	if (err)
		return err;
	iov_iter_init(&iter, false, &iov, 1, iov.iov_len);
	return call_rw(f, &iter, ppos, write);
}

/* readv/writev and the kernel's reads and writes, on a prepared iterator. */
static ssize_t do_iter_rw(struct file *f, struct iov_iter *iter, s64 *ppos, bool write)
{
	int err = rw_check_mode(f, write);

	if (err)
		return err;
	if (!iov_iter_count(iter))
		return 0;
	err = rw_verify_area(f, ppos, iov_iter_count(iter));
	if (err)
		return err;
	return call_rw(f, iter, ppos, write);
}

long sys_read(unsigned int fd, char __user *buf, size_t count)
{
	struct file *f = fget((int)fd);

	if (!f)
		return -EBADF;
	long ret = vfs_rw(f, buf, count, file_ppos(f), false);
	fput(f);
	return ret;
}

long sys_write(unsigned int fd, const char __user *buf, size_t count)
{
	struct file *f = fget((int)fd);

	if (!f)
		return -EBADF;
	long ret = vfs_rw(f, (char __user *)buf, count, file_ppos(f), true);
	fput(f);
	return ret;
}

long sys_pread64(unsigned int fd, char __user *buf, size_t count, s64 pos)
{
	if (pos < 0)
		return -EINVAL;
	struct file *f = fget((int)fd);
	if (!f)
		return -EBADF;
	long ret = (f->f_mode & FMODE_PREAD) ? vfs_rw(f, buf, count, &pos, false) : -ESPIPE;
	fput(f);
	return ret;
}

long sys_pwrite64(unsigned int fd, const char __user *buf, size_t count, s64 pos)
{
	if (pos < 0)
		return -EINVAL;
	struct file *f = fget((int)fd);
	if (!f)
		return -EBADF;
	long ret = (f->f_mode & FMODE_PWRITE) ? vfs_rw(f, (char __user *)buf, count, &pos, true)
					      : -ESPIPE;
	fput(f);
	return ret;
}

/* readv/writev: the iovec array is copied in before the file's mode is checked (6.1). */
static long do_readv_writev(unsigned long fd, const struct iovec __user *vec, unsigned long vlen,
			    bool write)
{
	struct iovec fast[UIO_FASTIOV], *iov;
	struct iov_iter iter;
	struct file *f = fget((int)(unsigned int)fd);

	if (!f)
		return -EBADF;
	long ret = import_iovec(vec, vlen, fast, UIO_FASTIOV, &iov, &iter);
	if (ret >= 0)
		ret = do_iter_rw(f, &iter, file_ppos(f), write);
	kfree(iov);
	fput(f);
	return ret;
}

long sys_readv(unsigned long fd, const struct iovec __user *vec, unsigned long vlen)
{
	return do_readv_writev(fd, vec, vlen, false);
}

long sys_writev(unsigned long fd, const struct iovec __user *vec, unsigned long vlen)
{
	return do_readv_writev(fd, vec, vlen, true);
}

ssize_t kernel_read(struct file *f, void *kbuf, size_t len, u64 pos)
{
	struct iovec iov = { kbuf, len };
	struct iov_iter iter;
	s64 spos = (s64)pos;

	iov_iter_init(&iter, true, &iov, 1, len);
	if (!(f->f_mode & FMODE_READ))
		return -EINVAL;
	return do_iter_rw(f, &iter, (f->f_mode & FMODE_STREAM) ? NULL : &spos, false);
}

ssize_t kernel_write(struct file *f, const void *kbuf, size_t len, u64 pos)
{
	struct iovec iov = { (void *)kbuf, len };
	struct iov_iter iter;
	s64 spos = (s64)pos;

	iov_iter_init(&iter, true, &iov, 1, len);
	if (!(f->f_mode & FMODE_WRITE))
		return -EINVAL;
	return do_iter_rw(f, &iter, (f->f_mode & FMODE_STREAM) ? NULL : &spos, true);
}

s64 generic_file_llseek(struct file *file, s64 offset, int whence)
{
	s64 eof = file->f_inode->i_size;

	switch (whence) {
	case SEEK_END:
		if (__builtin_add_overflow(offset, eof, &offset))
			return -EINVAL;
		break;
	case SEEK_CUR:
		if (offset == 0)
			return file->f_pos;
		if (__builtin_add_overflow(offset, file->f_pos, &offset))
			return -EINVAL;
		break;
	case SEEK_DATA:
		if (offset < 0 || offset >= eof)
			return -ENXIO;
		break;
	case SEEK_HOLE:
		if (offset < 0 || offset >= eof)
			return -ENXIO;
		offset = eof;
		break;
	}
	if (offset < 0)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

/*
 * Linux's default_llseek: any offset that is not negative; SEEK_DATA and SEEK_HOLE compare with
 * i_size only when the offset is not below it (a negative SEEK_DATA is EINVAL, not ENXIO).
 */
s64 default_llseek(struct file *file, s64 offset, int whence)
{
	s64 size = file->f_inode->i_size;

	switch (whence) {
	case SEEK_END:
		if (__builtin_add_overflow(offset, size, &offset))
			return -EINVAL;
		break;
	case SEEK_CUR:
		if (offset == 0)
			return file->f_pos;
		if (__builtin_add_overflow(offset, file->f_pos, &offset))
			return -EINVAL;
		break;
	case SEEK_DATA:
		if (offset >= size)
			return -ENXIO;
		break;
	case SEEK_HOLE:
		if (offset >= size)
			return -ENXIO;
		offset = size;
		break;
	}
	if (offset < 0)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

long sys_lseek(unsigned int fd, s64 offset, unsigned int whence)
{
	struct file *f = fget((int)fd);

	if (!f)
		return -EBADF;
	long ret = -EINVAL;
	if (whence <= SEEK_MAX)
		ret = (f->f_mode & FMODE_LSEEK) && f->f_op->llseek
			      ? f->f_op->llseek(f, offset, (int)whence)
			      : -ESPIPE;
	fput(f);
	return ret;
}
