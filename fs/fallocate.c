// SPDX-License-Identifier: MIT
/*
 * fallocate, as Linux 6.1's vfs_fallocate (fs/open.c) checks it and tmpfs (shmem_fallocate)
 * does it: the root file system's regular files (and memfds) may get pages for a range, growing
 * the file unless FALLOC_FL_KEEP_SIZE, or have a hole punched (FALLOC_FL_PUNCH_HOLE, with
 * KEEP_SIZE); the other modes are EOPNOTSUPP, as on tmpfs. Seals apply: F_SEAL_GROW refuses
 * growth, F_SEAL_WRITE and F_SEAL_FUTURE_WRITE refuse punching (EPERM).
 */
#include "fs/vfs.h"
#include "fs/fdtable.h"
#include "fs/ramfs.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/memfd.h"

#define FALLOC_FL_KEEP_SIZE 0x01
#define FALLOC_FL_PUNCH_HOLE 0x02
#define FALLOC_FL_NO_HIDE_STALE 0x04
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#define FALLOC_FL_ZERO_RANGE 0x10
#define FALLOC_FL_INSERT_RANGE 0x20
#define FALLOC_FL_UNSHARE_RANGE 0x40
#define FALLOC_FL_SUPPORTED_MASK                                                    \
	(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_NO_HIDE_STALE |     \
	 FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | \
	 FALLOC_FL_UNSHARE_RANGE)
#define MAX_NON_LFS 0x7fffffffLL /* proc's s_maxbytes */

/* Zeroes bytes [from, to) of the cached page at pgoff, if there is one (a hole reads zero). */
static void zero_page_part(struct inode *inode, u64 pgoff, u64 from, u64 to)
{
	struct page *page = filemap_get_page(inode, pgoff, false);

	if (page && to > from)
		memset((char *)page_address(page) + from, 0, to - from);
}

/*
 * FALLOC_FL_PUNCH_HOLE (shmem_truncate_range): the whole pages of [offset, offset + len) leave the
 * cache and the page tables that map them (private copies stay), the partial pages at the edges
 * are zeroed. The size does not change.
 */
static int shmem_punch_hole(struct inode *inode, s64 offset, s64 len)
{
	u64 start = (u64)offset, end = (u64)offset + (u64)len; /* bytes [start, end) */
	u64 first = (start + PAGE_SIZE - 1) / PAGE_SIZE, last = end / PAGE_SIZE; /* whole pages */

	if (inode->i_seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	if (first > last) { /* inside one page */
		zero_page_part(inode, start / PAGE_SIZE, start % PAGE_SIZE, end % PAGE_SIZE);
	} else {
		if (start % PAGE_SIZE)
			zero_page_part(inode, start / PAGE_SIZE, start % PAGE_SIZE, PAGE_SIZE);
		if (end % PAGE_SIZE)
			zero_page_part(inode, end / PAGE_SIZE, 0, end % PAGE_SIZE);
		if (last > first) {
			unmap_mapping_cache_range(inode, first, last);
			filemap_remove_range(inode, first, last);
		}
	}
	inode_touch(inode);
	return 0;
}

/*
 * Allocation (shmem_fallocate): every page of [offset, offset + len) gets a frame (zeroed, as a
 * hole reads), and the file grows to offset + len unless FALLOC_FL_KEEP_SIZE. ENOSPC when the
 * files' pages would pass what the file system may hold (half the RAM, as statfs says; Warden
 * counts the range whole, allocated or not) or when memory runs out
 * (the pages already given stay, as blocks allocated past a failure would on Linux: they are
 * zeroes either way).
 */
static int shmem_allocate(struct inode *inode, int mode, s64 offset, s64 len)
{
	u64 start = (u64)offset / PAGE_SIZE,
	    end = ((u64)offset + (u64)len + PAGE_SIZE - 1) / PAGE_SIZE;

	if ((inode->i_seals & F_SEAL_GROW) && offset + len > inode->i_size)
		return -EPERM;
	if (nr_file_pages + (end - start) > nr_managed_frames() / 2)
		return -ENOSPC; /* the files' pages may not pass half the RAM (tmpfs's max_blocks)
				 */
	for (u64 idx = start; idx < end; idx++)
		if (!filemap_get_page(inode, idx, true))
			return -ENOSPC;
	if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > inode->i_size)
		inode->i_size = offset + len;
	inode->i_ctime = current_time_ns();
	return 0;
}

/* vfs_fallocate's checks, in Linux's order, then the file system's fallocate. */
static long vfs_fallocate(struct file *f, int mode, s64 offset, s64 len)
{
	struct inode *inode = f->f_inode;
	s64 maxbytes = inode->i_sb->s_fixed ? MAX_NON_LFS : MAX_LFS_FILESIZE;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~FALLOC_FL_SUPPORTED_MASK)
		return -EOPNOTSUPP;
	if ((mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) ==
	    (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_COLLAPSE_RANGE) && (mode & ~FALLOC_FL_COLLAPSE_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_INSERT_RANGE) && (mode & ~FALLOC_FL_INSERT_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_UNSHARE_RANGE) &&
	    (mode & ~(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE)))
		return -EINVAL;
	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	/* (IS_APPEND and IS_IMMUTABLE, EPERM: inode attributes Warden's files never have) */
	if (S_ISFIFO(inode->i_mode))
		return -ESPIPE;
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode) && (inode->i_mode & S_IFMT) != S_IFBLK)
		return -ENODEV;
	if ((u64)offset + (u64)len > (u64)maxbytes) /* both are >= 0: no wrap in u64 */
		return -EFBIG;
	/* only tmpfs (the root and memfds) has a fallocate; proc and block devices do not */
	if (inode->i_fop != &ramfs_file_operations)
		return -EOPNOTSUPP;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE)
		return shmem_punch_hole(inode, offset, len);
	return shmem_allocate(inode, mode, offset, len);
}

long sys_fallocate(int fd, int mode, long offset, long len)
{
	struct file *f = fget(fd); /* fdget: an O_PATH descriptor is EBADF */

	if (!f)
		return -EBADF;
	long err = vfs_fallocate(f, mode, offset, len);
	fput(f);
	return err;
}
