// SPDX-License-Identifier: MIT
/*
 * statfs and fstatfs (Linux 6.1's fs/statfs.c): each file system's magic number and sizes as
 * Linux reports them. The root (ramfs, which plays the initramfs's tmpfs) answers as
 * shmem_statfs with tmpfs's default limits, half the RAM in pages and in inodes; a mounted tmpfs
 * with its own size= and nr_inodes= (0: no limit, counts 0); ramfs, proc, pipefs and the
 * anonymous inodes answer as simple_statfs (only the block size and the name length). f_flags
 * are the mount's and the super block's (calculate_f_flags).
 */
#include "fs/vfs.h"
#include "fs/fs_context.h"
#include "fs/mount.h"
#include "fs/fdtable.h"
#include "fs/filemap.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/uaccess.h"

#define NAME_MAX 255
#define ST_RDONLY 0x0001
#define ST_NOSUID 0x0002
#define ST_NODEV 0x0004
#define ST_NOEXEC 0x0008
#define ST_SYNCHRONOUS 0x0010
#define ST_VALID 0x0020
#define ST_MANDLOCK 0x0040
#define ST_NOATIME 0x0400
#define ST_NODIRATIME 0x0800
#define ST_RELATIME 0x1000
#define ST_NOSYMFOLLOW 0x2000

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

/* A mounted tmpfs (shmem_statfs): its own limits, and no counts where it has none. */
static void shmem_mounted_statfs(struct super_block *sb, struct statfs *buf)
{
	if (sb->s_max_blocks) {
		buf->f_blocks = sb->s_max_blocks;
		buf->f_bavail = buf->f_bfree = sb->s_max_blocks - sb->s_used_blocks;
	}
	if (sb->s_max_inodes) {
		buf->f_files = sb->s_max_inodes;
		buf->f_ffree = sb->s_max_inodes - sb->s_nr_inodes;
	}
	buf->f_fsid[0] = (s32)(0x57415244 ^ sb->s_dev);
	buf->f_fsid[1] = (s32)sb->s_magic;
}

/* calculate_f_flags: the ST_* of the mount's flags and of the super block's. */
static s64 calculate_f_flags(struct super_block *sb, struct mount *mnt)
{
	static const struct {
		int mnt;
		s64 st;
	} by_mnt[] = {
		{ MNT_READONLY, ST_RDONLY },   { MNT_NOSUID, ST_NOSUID },
		{ MNT_NODEV, ST_NODEV },       { MNT_NOEXEC, ST_NOEXEC },
		{ MNT_NOATIME, ST_NOATIME },   { MNT_NODIRATIME, ST_NODIRATIME },
		{ MNT_RELATIME, ST_RELATIME }, { MNT_NOSYMFOLLOW, ST_NOSYMFOLLOW },
	};
	s64 flags = ST_VALID;

	for (u32 i = 0; mnt && i < ARRAY_SIZE(by_mnt); i++)
		if (mnt->mnt_flags & by_mnt[i].mnt)
			flags |= by_mnt[i].st;
	if (sb->s_flags & SB_RDONLY)
		flags |= ST_RDONLY;
	if (sb->s_flags & SB_SYNCHRONOUS)
		flags |= ST_SYNCHRONOUS;
	if (sb->s_flags & SB_MANDLOCK)
		flags |= ST_MANDLOCK;
	return flags;
}

/* Linux's statfs_by_dentry and calculate_f_flags for inode seen through mnt. */
static void vfs_statfs(struct inode *inode, struct mount *mnt, struct statfs *buf)
{
	struct super_block *sb = inode->i_sb;

	memset(buf, 0, sizeof(*buf));
	buf->f_type = sb->s_magic;
	buf->f_bsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	if (sb == &rootfs_sb)
		shmem_statfs(sb, buf);
	else if (sb->s_magic == TMPFS_MAGIC)
		shmem_mounted_statfs(sb, buf);
	buf->f_frsize = buf->f_bsize;
	buf->f_flags = calculate_f_flags(sb, mnt);
}

static long do_statfs_native(struct inode *inode, struct mount *mnt, struct statfs __user *ubuf)
{
	struct statfs st;

	vfs_statfs(inode, mnt, &st);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

long sys_statfs(const char __user *pathname, struct statfs __user *buf)
{
	struct inode *inode;
	struct mount *mnt;
	char *name = getname(pathname, false);

	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = path_lookup_mnt(AT_FDCWD, name, LOOKUP_FOLLOW, &inode, &mnt);
	putname(name);
	if (err)
		return err;
	err = do_statfs_native(inode, mnt, buf);
	iput(inode);
	return err;
}

/* fstatfs(2): any descriptor, O_PATH ones too (Linux's fdget_raw). */
long sys_fstatfs(unsigned int fd, struct statfs __user *buf)
{
	struct file *f = fget_raw((int)fd);

	if (!f)
		return -EBADF;
	long err = do_statfs_native(f->f_inode, inode_mount(f->f_inode), buf);
	fput(f);
	return err;
}
