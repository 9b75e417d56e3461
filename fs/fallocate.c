// SPDX-License-Identifier: MIT
/*
 * fallocate(2) (Linux 6.1's vfs_fallocate and shmem_fallocate): the checks in Linux's order,
 * then, for a tmpfs (ramfs) regular file, mode 0 and FALLOC_FL_KEEP_SIZE allocate the pages of
 * the range (growing the size unless KEEP_SIZE) and FALLOC_FL_PUNCH_HOLE | KEEP_SIZE zeroes the
 * range and frees its whole pages, unmapping them first; every other mode is EOPNOTSUPP, as
 * tmpfs's. RLIMIT_FSIZE is not applied here (write(2) applies it: fs/ramfs.c).
 */
#include "fs/fs_context.h"
#include "fs/vfs.h"
#include "fs/fdtable.h"
#include "fs/filemap.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/memfd.h"

#define FALLOC_FL_KEEP_SIZE 0x01
#define FALLOC_FL_PUNCH_HOLE 0x02
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#define FALLOC_FL_ZERO_RANGE 0x10
#define FALLOC_FL_INSERT_RANGE 0x20
#define FALLOC_FL_UNSHARE_RANGE 0x40
#define FALLOC_FL_SUPPORTED_MASK                                                 \
	(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | \
	 FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE)

/* Zeroes bytes [from, to) of page pgoff if it is cached. */
static void zero_page_range(struct inode *inode, u64 pgoff, size_t from, size_t to)
{
	struct page *page = filemap_get_page(inode, pgoff, false);

	if (page && to > from)
		memset((char *)page_address(page) + from, 0, to - from);
}

/*
 * FALLOC_FL_PUNCH_HOLE: the partial pages at the ends are zeroed, the whole pages in between
 * taken out of every mapping (private copies stay) and then out of the cache (Linux's
 * shmem_fallocate: unmap_mapping_range, shmem_truncate_range), so the next touch of a mapping
 * there faults in a new zero page. A page still mapped is freed with its last mapping.
 */
static int shmem_punch_hole(struct inode *inode, s64 offset, s64 len)
{
	u64 start = (u64)offset, end = (u64)offset + (u64)len;
	u64 first = (start + PAGE_SIZE - 1) / PAGE_SIZE,
	    last = end / PAGE_SIZE; /* whole: [first, last) */

	if (inode->i_seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	if (first > last) { /* within one page */
		zero_page_range(inode, start / PAGE_SIZE, start % PAGE_SIZE, end % PAGE_SIZE);
		return 0;
	}
	if (start % PAGE_SIZE)
		zero_page_range(inode, start / PAGE_SIZE, start % PAGE_SIZE, PAGE_SIZE);
	if (end % PAGE_SIZE)
		zero_page_range(inode, last, 0, end % PAGE_SIZE);
	if (first == last)
		return 0;
	unmap_mapping_cache_range(inode, first, last);
	filemap_remove_range(inode, first, last);
	return 0;
}

/* Mode 0 and KEEP_SIZE: the range's pages, the size grown unless KEEP_SIZE (shmem_fallocate). */
static int shmem_allocate(struct inode *inode, int mode, s64 offset, s64 len)
{
	u64 end = (u64)offset + (u64)len, start_pg = (u64)offset / PAGE_SIZE;
	u64 end_pg = (end + PAGE_SIZE - 1) / PAGE_SIZE, max_blocks = nr_managed_frames() / 2;
	u64 used = nr_file_pages;
	struct super_block *sb = inode->i_sb;

	if (sb->s_max_blocks) { /* a tmpfs mounted with its own size= */
		max_blocks = sb->s_max_blocks;
		used = sb->s_used_blocks;
	}

	if ((inode->i_seals & F_SEAL_GROW) && (s64)end > inode->i_size)
		return -EPERM;
	/* tmpfs's size limit (default half the RAM): a range that cannot fit is refused at once */
	if (end_pg - start_pg > max_blocks)
		return -ENOSPC;
	u64 missing = 0;
	for (u64 pg = start_pg; pg < end_pg; pg++)
		missing += !filemap_get_page(inode, pg, false);
	if (used + missing > max_blocks)
		return -ENOSPC; /* before any page is taken: Linux undoes a failed allocation */
	for (u64 pg = start_pg; pg < end_pg; pg++)
		if (!filemap_get_page(inode, pg, true))
			return -ENOSPC;
	if (!(mode & FALLOC_FL_KEEP_SIZE) && (s64)end > inode->i_size)
		inode->i_size = (s64)end;
	inode_touch(inode);
	return 0;
}

long vfs_fallocate(struct file *f, int mode, s64 offset, s64 len)
{
	struct inode *inode = f->f_inode;
	long err;

	if (offset < 0 || len <= 0)
		err = -EINVAL;
	else if (mode & ~FALLOC_FL_SUPPORTED_MASK)
		err = -EOPNOTSUPP;
	else if ((mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) ==
		 (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))
		err = -EOPNOTSUPP;
	else if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		err = -EOPNOTSUPP;
	else if ((mode & FALLOC_FL_COLLAPSE_RANGE) && (mode & ~FALLOC_FL_COLLAPSE_RANGE))
		err = -EINVAL;
	else if ((mode & FALLOC_FL_INSERT_RANGE) && (mode & ~FALLOC_FL_INSERT_RANGE))
		err = -EINVAL;
	else if ((mode & FALLOC_FL_UNSHARE_RANGE) &&
		 (mode & ~(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE)))
		err = -EINVAL;
	else if (!(f->f_mode & FMODE_WRITE))
		err = -EBADF;
	else if (S_ISFIFO(inode->i_mode))
		err = -ESPIPE;
	else if (S_ISDIR(inode->i_mode))
		err = -EISDIR;
	else if (!S_ISREG(inode->i_mode))
		err = -ENODEV;
	else if ((u64)offset + (u64)len > (u64)MAX_LFS_FILESIZE) /* s_maxbytes, or wrapped */
		err = -EFBIG;
	else if (inode->i_sb->s_magic != TMPFS_MAGIC || inode->i_fop == &hugetlbfs_file_operations)
		err = -EOPNOTSUPP; /* no fallocate in the file's operations (proc) */
	else if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		err = -EOPNOTSUPP; /* what tmpfs does not do */
	else if (mode & FALLOC_FL_PUNCH_HOLE)
		err = shmem_punch_hole(inode, offset, len);
	else
		err = shmem_allocate(inode, mode, offset, len);
	return err;
}

long sys_fallocate(int fd, int mode, s64 offset, s64 len)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	long err = vfs_fallocate(f, mode, offset, len);
	fput(f);
	return err;
}
