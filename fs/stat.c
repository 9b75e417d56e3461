// SPDX-License-Identifier: MIT
/* stat, lstat, fstat, newfstatat, readlink and readlinkat, as Linux 6.1's fs/stat.c. */
#include "fs/proc.h"
#include "fs/vfs.h"
#include "fs/fdtable.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/slab.h"

void generic_fillattr(struct inode *inode, struct stat *st)
{
	*st = (struct stat){
		.st_dev = inode->i_sb->s_dev,
		.st_ino = inode->i_ino,
		.st_nlink = inode->i_nlink,
		.st_mode = inode->i_mode,
		.st_uid = inode->i_uid,
		.st_gid = inode->i_gid,
		.st_rdev = inode->i_rdev,
		.st_size = inode->i_size,
		.st_blksize = inode->i_sb->s_blocksize,
		.st_blocks = (s64)(inode->i_pages.nrpages * (PAGE_SIZE / 512)),
		.st_atime = inode->i_atime / 1000000000,
		.st_atime_nsec = inode->i_atime % 1000000000,
		.st_mtime = inode->i_mtime / 1000000000,
		.st_mtime_nsec = inode->i_mtime % 1000000000,
		.st_ctime = inode->i_ctime / 1000000000,
		.st_ctime_nsec = inode->i_ctime % 1000000000,
	};
}

/* Copies an inode's stat to user space (a /proc/PID inode's owner taken from its task first). */
static long cp_new_stat(struct inode *inode, struct stat __user *statbuf)
{
	struct stat st;

	proc_inode_revalidate(inode, PROC_REVALIDATE_STAT);
	generic_fillattr(inode, &st);
	return copy_to_user(statbuf, &st, sizeof(st)) ? -EFAULT : 0;
}

long sys_newfstatat(int dfd, const char __user *filename, struct stat __user *statbuf, int flag)
{
	struct inode *inode;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	char *name = getname(filename, flag & AT_EMPTY_PATH);
	if (IS_ERR(name))
		return PTR_ERR(name);
	unsigned int lflags = (flag & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (flag & AT_EMPTY_PATH)
		lflags |= LOOKUP_EMPTY;
	long err = path_lookupat(dfd, name, lflags, &inode);
	putname(name);
	if (err)
		return err;
	err = cp_new_stat(inode, statbuf);
	iput(inode);
	return err;
}

long sys_stat(const char __user *filename, struct stat __user *statbuf)
{
	return sys_newfstatat(AT_FDCWD, filename, statbuf, 0);
}

long sys_lstat(const char __user *filename, struct stat __user *statbuf)
{
	return sys_newfstatat(AT_FDCWD, filename, statbuf, AT_SYMLINK_NOFOLLOW);
}

long sys_fstat(unsigned int fd, struct stat __user *statbuf)
{
	struct file *f = fget_raw((int)fd);

	if (!f)
		return -EBADF;
	long err = cp_new_stat(f->f_inode, statbuf);
	fput(f);
	return err;
}

long sys_readlinkat(int dfd, const char __user *pathname, char __user *buf, int bufsiz)
{
	struct inode *inode;

	if (bufsiz <= 0)
		return -EINVAL;
	char *name = getname(pathname, true);
	if (IS_ERR(name))
		return PTR_ERR(name);
	bool empty = !*name;
	long err = path_lookupat(dfd, name, LOOKUP_EMPTY, &inode);
	putname(name);
	if (err)
		return err;
	if (!S_ISLNK(inode->i_mode)) {
		iput(inode);
		return empty ? -ENOENT : -EINVAL;
	}
	char *target = inode_get_link(inode);
	iput(inode);
	if (IS_ERR(target))
		return PTR_ERR(target);
	size_t len = min(strlen(target), (size_t)bufsiz);
	err = copy_to_user(buf, target, len) ? -EFAULT : (long)len;
	kfree(target);
	return err;
}

long sys_readlink(const char __user *path, char __user *buf, int bufsiz)
{
	return sys_readlinkat(AT_FDCWD, path, buf, bufsiz);
}
