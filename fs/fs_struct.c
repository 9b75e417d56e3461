// SPDX-License-Identifier: MIT
/* Working directories and umasks. */
#include "fs/fs_struct.h"
#include "fs/mount.h"
#include "kernel/sched.h"
#include "mm/slab.h"

/* A new fs_struct with one reference, in directory pwd. */
static struct fs_struct *fs_alloc(struct inode *pwd, u32 umask)
{
	struct fs_struct *fs = kmalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	fs->count = 1;
	fs->umask = umask;
	fs->pwd = iget(pwd);
	sb_active_get(pwd->i_sb); /* a working directory keeps its mount busy */
	return fs;
}

struct fs_struct *fs_alloc_root(void)
{
	return fs_alloc(fs_root, 022);
}

struct fs_struct *copy_fs(struct fs_struct *old)
{
	return fs_alloc(old->pwd, old->umask);
}

void put_fs(struct fs_struct *fs)
{
	if (--fs->count)
		return;
	struct inode *pwd = fs->pwd;
	struct super_block *sb = pwd->i_sb;

	kfree(fs);
	iput(pwd);
	sb_active_put(sb);
}

struct inode *current_pwd(void)
{
	struct task_struct *t = current;

	return t && t->fs ? t->fs->pwd : fs_root;
}

u32 current_umask(void)
{
	struct task_struct *t = current;

	return t && t->fs ? t->fs->umask : 022;
}
