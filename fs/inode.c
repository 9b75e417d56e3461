// SPDX-License-Identifier: MIT
/*
 * Inodes: allocation, reference counting and freeing. An inode is freed when its last reference
 * goes and it has no name left (unlinked, removed, or anonymous like a pipe); freeing a directory
 * drops its reference to its parent, which may free that one too, so the walk up is a loop.
 */
#include "fs/vfs.h"
#include "fs/proc.h"
#include "fs/fs_context.h"
#include "fs/pipe.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "arch/x86_64/time.h"
#include "mm/slab.h"
#include "mm/overcommit.h"

/* st_dev of each file system: anonymous devices 0:N, as Linux gives in-memory file systems. */
/* Magic numbers: TMPFS_MAGIC (the initramfs root is a tmpfs), PROC_SUPER_MAGIC, PIPEFS_MAGIC. */
struct super_block rootfs_sb = { .s_dev = 2, .s_blocksize = PAGE_SIZE, .s_magic = 0x01021994 };
struct super_block proc_sb = {
	.s_dev = 22, .s_blocksize = 1024, .s_fixed = true, .s_magic = 0x9fa0
};
struct super_block pipefs_sb = { .s_dev = 13, .s_blocksize = PAGE_SIZE, .s_magic = 0x50495045 };

static u64 last_ino;

u64 current_time_ns(void)
{
	u64 wall = boot_wall_seconds();

	/* Before time_init() has read the clock (and calibrated the TSC), it is 1970. */
	return wall ? wall * 1000000000ULL + ktime_get_ns() : 0;
}

struct inode *new_inode(struct super_block *sb, u32 mode)
{
	struct inode *inode = kzalloc(sizeof(*inode), GFP_KERNEL);

	if (!inode)
		return NULL;
	inode->i_ino = sb->s_next_ino ? sb->s_next_ino++ : ++last_ino;
	sb->s_nr_inodes++;
	inode->i_mode = mode;
	inode->i_nlink = 1;
	inode->i_count = 1;
	inode->i_sb = sb;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time_ns();
	return inode;
}

struct inode *iget(struct inode *inode)
{
	inode->i_count++;
	return inode;
}

void inode_touch(struct inode *inode)
{
	inode->i_mtime = inode->i_ctime = current_time_ns();
}

/* Frees an unused inode and what it owns; returns its parent directory's reference to drop. */
static struct inode *evict(struct inode *inode)
{
	struct inode *parent = NULL;

	switch (inode->i_mode & S_IFMT) {
	case S_IFREG:
		filemap_remove_from(inode, 0);
		if (inode->i_flags & S_ACCOUNT)
			vm_unacct_memory((long)DIV_ROUND_UP((u64)inode->i_size, PAGE_SIZE));
		if (inode->i_flags & S_MEMFD)
			kfree(inode->i_private);
		break;
	case S_IFDIR:
		BUG_ON(!d_dir_empty(inode));
		if (inode->i_parent != inode)
			parent = inode->i_parent;
		break;
	case S_IFLNK:
		kfree(inode->i_link);
		break;
	case S_IFIFO:
		free_pipe_info(inode->i_pipe);
		break;
	}
	struct super_block *sb = inode->i_sb;
	if (sb->s_evict)
		sb->s_evict(inode);
	sb->s_nr_inodes--;
	kfree(inode);
	sb_inode_gone(sb); /* an unmounted file system goes with its last inode */
	return parent;
}

void iput(struct inode *inode)
{
	while (inode) {
		BUG_ON(inode->i_count == 0);
		if (--inode->i_count || (inode->i_nlink && inode->i_dentry))
			return;
		inode = evict(inode);
	}
}
