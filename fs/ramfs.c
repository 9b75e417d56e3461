// SPDX-License-Identifier: MIT
/* The ramfs: new inodes, and regular files read and written through the page cache. */
#include "fs/ramfs.h"
#include "fs/fs_context.h"
#include "fs/pipe.h"
#include "fs/uio.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/memfd.h"

/* A new inode of sb, set up for its type (see ramfs_new_inode). */
static struct inode *ramfs_get_inode(struct super_block *sb, struct inode *parent, u32 mode,
				     u32 rdev)
{
	struct inode *inode = new_inode(sb, mode);

	if (!inode)
		return NULL;
	inode_init_owner(inode, parent); /* the caller's fsuid and fsgid (or parent's group) */
	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_fop = &ramfs_file_operations;
		inode->i_seals = F_SEAL_SEAL; /* as tmpfs: only a memfd may allow sealing */
		break;
	case S_IFDIR:
		inode->i_fop = &dcache_dir_operations;
		inode->i_nlink = 2;
		inode->i_size = sb->s_magic == RAMFS_MAGIC ? 0 : 2 * BOGO_DIRENT_SIZE;
		d_init_dir(inode, parent ? parent : inode);
		break;
	case S_IFCHR:
		inode->i_fop = &def_chr_fops;
		inode->i_rdev = rdev;
		break;
	case S_IFBLK:
		inode->i_fop = &no_dev_fops; /* no block drivers: blkdev_open finds no disk */
		inode->i_rdev = rdev;
		break;
	case S_IFSOCK:
		inode->i_fop = &no_dev_fops; /* sockets are connected to, never opened */
		break;
	case S_IFIFO:
		inode->i_fop = &pipefifo_fops;
		break;
	}
	return inode;
}

struct inode *ramfs_new_inode(struct inode *parent, u32 mode, u32 rdev)
{
	return ramfs_get_inode(parent ? parent->i_sb : &rootfs_sb, parent, mode, rdev);
}

struct inode *ramfs_new_root(struct super_block *sb, u32 mode)
{
	return ramfs_get_inode(sb, NULL, mode, 0);
}

/* The open of a block device without a driver, or of a socket: ENXIO, as Linux's. */
static int no_dev_open(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	return -ENXIO;
}

const struct file_operations no_dev_fops = {
	.open = no_dev_open,
};

/* Reads from the page cache; holes and the tail of the last page read as zeros. */
static ssize_t ramfs_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct inode *inode = file->f_inode;
	s64 pos = *ppos;
	ssize_t total = 0;

	while (iov_iter_count(to) && pos < inode->i_size) {
		size_t off = (size_t)(pos % PAGE_SIZE);
		size_t n = min(PAGE_SIZE - off, (size_t)(inode->i_size - pos));
		struct page *page = filemap_get_page(inode, (u64)pos / PAGE_SIZE, false);

		if (page && PageHWPoison(page)) { /* memory failure kept it in the cache */
			if (!total)
				total = -EIO;
			break;
		}
		n = min(n, iov_iter_count(to));
		size_t copied = page ? copy_to_iter((char *)page_address(page) + off, n, to)
				     : iov_iter_zero(n, to);
		pos += copied;
		total += copied;
		if (copied < n) {
			if (!total)
				total = -EFAULT;
			break;
		}
	}
	*ppos = pos;
	return total;
}

/* Writes into the page cache, allocating pages as needed and growing i_size. */
static ssize_t ramfs_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	struct inode *inode = file->f_inode;
	s64 pos = (file->f_flags & O_APPEND) ? inode->i_size : *ppos;
	ssize_t total = 0;
	int err = 0;

	if (!iov_iter_count(from))
		return 0;
	/* RLIMIT_FSIZE (Linux's generic_write_check_limits): SIGXFSZ and EFBIG at it, else cut */
	u64 limit = current->signal->rlim[RLIMIT_FSIZE].rlim_cur;
	if (limit != RLIM_INFINITY && (u64)pos >= limit) {
		send_sig_xfsz();
		return -EFBIG;
	}
	if (pos >= MAX_LFS_FILESIZE)
		return -EFBIG;
	file_remove_privs(file); /* a write clears set-user-ID (generic_file_write_iter) */
	size_t left = min(iov_iter_count(from), (size_t)(MAX_LFS_FILESIZE - pos));
	if (limit != RLIM_INFINITY)
		left = min(left, (size_t)(limit - (u64)pos));
	while (left) {
		size_t off = (size_t)(pos % PAGE_SIZE);
		size_t n = min(PAGE_SIZE - off, left);
		/* The seals are looked at page by page, as Linux's shmem_write_begin. */
		err = shmem_write_check(inode, pos, n);
		if (err)
			break;
		struct page *page = filemap_get_page(inode, (u64)pos / PAGE_SIZE, true);

		if (!page) {
			err = shmem_full(inode->i_sb) ? -ENOSPC : -ENOMEM;
			break;
		}
		if (PageHWPoison(page)) { /* Linux's shmem_write_begin */
			err = -EIO;
			break;
		}
		size_t copied = copy_from_iter((char *)page_address(page) + off, n, from);
		pos += copied;
		total += copied;
		left -= copied;
		if (pos > inode->i_size)
			inode->i_size = pos;
		if (copied < n) {
			err = -EFAULT;
			break;
		}
	}
	if (total)
		inode_touch(inode);
	*ppos = pos;
	return total ? total : err;
}

/* lseek; SEEK_DATA and SEEK_HOLE see cached pages as data and missing ones as holes (tmpfs). */
static s64 ramfs_llseek(struct file *file, s64 offset, int whence)
{
	struct inode *inode = file->f_inode;

	if (whence != SEEK_DATA && whence != SEEK_HOLE)
		return generic_file_llseek(file, offset, whence);
	if (offset < 0 || offset >= inode->i_size)
		return -ENXIO;
	u64 pg = (u64)offset / PAGE_SIZE;
	if (whence == SEEK_DATA) {
		u64 next = filemap_next_page(inode, pg);

		if (next != pg) {
			if (next > (u64)(inode->i_size - 1) / PAGE_SIZE)
				return -ENXIO;
			offset = (s64)(next * PAGE_SIZE);
		}
	} else {
		u64 hole = pg;

		while (filemap_get_page(inode, hole, false))
			hole++;
		if (hole != pg)
			offset = min((s64)(hole * PAGE_SIZE), inode->i_size);
	}
	file->f_pos = offset;
	return offset;
}

const struct file_operations ramfs_file_operations = {
	.read = ramfs_read,
	.write = ramfs_write,
	.llseek = ramfs_llseek,
};

/*
 * A hugetlb memfd (MFD_HUGETLB, mm/memfd.c): read and lseek as any ramfs file, no write (EINVAL,
 * as hugetlbfs has none), and no huge pages to map.
 */
const struct file_operations hugetlbfs_file_operations = {
	.read = ramfs_read,
	.llseek = ramfs_llseek,
};
