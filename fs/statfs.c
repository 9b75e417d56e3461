// SPDX-License-Identifier: MIT
/*
 * statfs and fstatfs (Linux 6.1's fs/statfs.c): each file system's magic number and sizes as
 * Linux reports them. The root (ramfs, which plays the initramfs's tmpfs) answers as
 * shmem_statfs with tmpfs's default limits, half the RAM in pages and in inodes; proc, pipefs
 * and the anonymous inodes answer as simple_statfs (only the block size and the name length).
 */
#include "fs/vfs.h"
#include "fs/fdtable.h"
#include "fs/filemap.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/uaccess.h"

#define NAME_MAX 255
#define ST_VALID 0x0020
#define ST_RELATIME 0x1000

/* struct statfs of x86-64 (120 bytes). */
struct statfs {
	s64 f_type, f_bsize;
	u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	s32 f_fsid[2];
	s64 f_namelen, f_frsize, f_flags, f_spare[4];
};

/* tmpfs's default size and inode limit (shmem_default_max_blocks and _inodes): half the RAM. */
static void shmem_statfs(struct super_block *sb, struct statfs *buf)
{
	u64 max_blocks = nr_managed_frames() / 2, used = nr_file_pages;

	buf->f_blocks = max_blocks;
	buf->f_bavail = buf->f_bfree = used < max_blocks ? max_blocks - used : 0;
	buf->f_files = max_blocks;
	buf->f_ffree = sb->s_nr_inodes < max_blocks ? max_blocks - sb->s_nr_inodes : 0;
	/* Linux folds a uuid made at mount time into the fsid: any fixed non-zero value here */
	buf->f_fsid[0] = (s32)(0x57415244 ^ sb->s_dev);
	buf->f_fsid[1] = (s32)sb->s_magic;
}

/* Linux's statfs_by_dentry and calculate_f_flags for the file system inode lives on. */
static void vfs_statfs(struct inode *inode, struct statfs *buf)
{
	struct super_block *sb = inode->i_sb;

	memset(buf, 0, sizeof(*buf));
	buf->f_type = sb->s_magic;
	buf->f_bsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	if (sb == &rootfs_sb)
		shmem_statfs(sb, buf);
	buf->f_frsize = buf->f_bsize;
	buf->f_flags = ST_VALID | sb->s_statfs_flags;
}

static long do_statfs_native(struct inode *inode, struct statfs __user *ubuf)
{
	struct statfs st;

	vfs_statfs(inode, &st);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
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

/* fstatfs(2): any descriptor, O_PATH ones too (Linux's fdget_raw). */
long sys_fstatfs(unsigned int fd, struct statfs __user *buf)
{
	struct file *f = fget_raw((int)fd);

	if (!f)
		return -EBADF;
	long err = do_statfs_native(f->f_inode, buf);
	fput(f);
	return err;
}
