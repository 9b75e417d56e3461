// SPDX-License-Identifier: MIT
/*
 * statfs and fstatfs, as Linux 6.1's fs/statfs.c: what a file system says of itself. Warden has
 * one mount of each of its file systems: the root (a tmpfs on Linux's initramfs, so it answers as
 * shmem_statfs does), proc and the pipes' pipefs (simple_statfs); a memfd lives, as on Linux, in
 * the kernel's internal shmem mount, which has no limits.
 */
#include "fs/vfs.h"
#include "fs/fdtable.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/frame.h"

/*
 * The tmpfs counts (shmem_statfs): a tmpfs mounted without size= or nr_inodes= may hold half
 * the RAM in pages and as many inodes. Warden does not count the pages of its files apart from
 * the rest of memory, so every frame in use counts as used: f_bfree falls as files grow.
 */
static void tmpfs_counts(struct super_block *sb, struct statfs *buf)
{
	u64 managed = nr_managed_frames(), used = managed - nr_free_frames();
	u64 blocks = managed / 2, files = managed / 2;

	buf->f_blocks = (long)blocks;
	buf->f_bfree = buf->f_bavail = blocks > used ? (long)(blocks - used) : 0;
	buf->f_files = (long)files;
	buf->f_ffree = files > sb->s_inodes ? (long)(files - sb->s_inodes) : 0;
}

/*
 * Fills buf for the file system of inode (statfs_by_dentry and vfs_statfs): the magic, the block
 * size, the name length, the counts and the flags of its mount. A tmpfs has an fsid (Linux
 * folds a random UUID into it; Warden has none and uses the device number, different for the
 * internal shmem mount of memfds); proc and pipefs have none.
 */
static void vfs_statfs(struct inode *inode, struct statfs *buf)
{
	struct super_block *sb = inode->i_sb;

	memset(buf, 0, sizeof(*buf));
	buf->f_type = sb->s_magic;
	buf->f_bsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	if (sb->s_magic == TMPFS_MAGIC) {
		if (inode->i_flags & S_MEMFD) {
			buf->f_fsid[0] = (int)sb->s_dev + 1; /* shm_mnt: no limits, no counts */
		} else {
			tmpfs_counts(sb, buf);
			buf->f_fsid[0] = (int)sb->s_dev;
		}
	}
	buf->f_frsize = buf->f_bsize;
	buf->f_flags = sb->s_statfs_flags;
}

/* Copies the answer for inode to user space (do_statfs_native). */
static long do_statfs_native(struct inode *inode, struct statfs __user *ubuf)
{
	struct statfs buf;

	vfs_statfs(inode, &buf);
	return copy_to_user(ubuf, &buf, sizeof(buf)) ? -EFAULT : 0;
}

long sys_statfs(const char __user *pathname, struct statfs __user *buf)
{
	struct inode *inode;
	char *name = getname(pathname, false);

	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = path_lookupat(AT_FDCWD, name, LOOKUP_FOLLOW, &inode);
	putname(name);
	if (err)
		return err;
	err = do_statfs_native(inode, buf);
	iput(inode);
	return err;
}

long sys_fstatfs(unsigned int fd, struct statfs __user *buf)
{
	struct file *f = fget_raw((int)fd); /* fdget_raw: an O_PATH descriptor will do */

	if (!f)
		return -EBADF;
	long err = do_statfs_native(f->f_inode, buf);
	fput(f);
	return err;
}
