// SPDX-License-Identifier: MIT
/*
 * Files with no place in the tree (Linux's fs/anon_inodes.c): every one shares one inode of
 * mode 0600 and no file type, as Linux's anon_inode_inode, and is named "anon_inode:NAME" in
 * /proc/PID/fd. timerfd's files are made here.
 */
#include "fs/vfs.h"
#include "fs/fdtable.h"
#include "fs/ramfs.h"
#include "kernel/errno.h"

/* ANON_INODE_FS_MAGIC */
struct super_block anon_inode_sb = { .s_dev = 14, .s_blocksize = PAGE_SIZE, .s_magic = 0x09041934 };
static struct inode *anon_inode_inode; /* made at the first use, never freed */

struct file *anon_inode_getfile(const char *name, const struct file_operations *fops, void *priv,
				u32 flags)
{
	if (!anon_inode_inode) {
		anon_inode_inode = new_inode(&anon_inode_sb, 0600);
		if (!anon_inode_inode)
			return NULL;
		/* reopened through /proc/PID/fd/N: ENXIO, as Linux's no_open_fops */
		anon_inode_inode->i_fop = &no_dev_fops;
	}
	struct file *f = alloc_file(anon_inode_inode, flags, fops);

	if (!f)
		return NULL;
	f->private_data = priv;
	f->f_anon_name = name;
	f->f_mode &= ~(u32)(FMODE_PREAD | FMODE_PWRITE); /* no pread: ESPIPE, as Linux */
	return f;
}

int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv, u32 flags)
{
	int fd = get_unused_fd_flags(flags);

	if (fd < 0)
		return fd;
	struct file *f = anon_inode_getfile(name, fops, priv, flags);
	if (!f) {
		put_unused_fd(fd);
		return -ENOMEM;
	}
	fd_install((unsigned int)fd, f);
	return fd;
}
