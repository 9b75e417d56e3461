// SPDX-License-Identifier: MIT
/* Paths from inodes: d_path() and getcwd(). */
#include "fs/vfs.h"
#include "fs/mount.h"
#include "fs/fs_struct.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/slab.h"

char *d_path(struct inode *inode, char *buf, size_t size)
{
	char *p = buf + size;

	if (size < 2)
		return ERR_PTR(-ENAMETOOLONG);
	*--p = '\0';
	if (inode == fs_root) {
		*--p = '/';
		return p;
	}
	while (inode != fs_root) {
		struct dentry *d = inode->i_dentry;
		struct mount *m = inode_mount(inode);

		if (!d && m && m->mnt_root == inode && m->mnt_parent != m) {
			inode = m->mnt_mountpoint; /* a mount's root: on at its mount point */
			continue;
		}
		if (!d)
			return ERR_PTR(-ENOENT);
		if ((size_t)(p - buf) < d->d_len + 1)
			return ERR_PTR(-ENAMETOOLONG);
		p -= d->d_len;
		memcpy(p, d->d_name, d->d_len);
		*--p = '/';
		inode = d->d_parent;
	}
	return p;
}

long sys_getcwd(char __user *buf, unsigned long size)
{
	char *page = kmalloc(PATH_MAX, GFP_KERNEL);
	long err;

	if (!page)
		return -ENOMEM;
	char *path = d_path(current_pwd(), page, PATH_MAX);
	if (IS_ERR(path)) {
		err = PTR_ERR(path); /* ENOENT: the directory was removed */
	} else {
		size_t len = (size_t)(page + PATH_MAX - path);

		if (len > size)
			err = -ERANGE;
		else if (copy_to_user(buf, path, len))
			err = -EFAULT;
		else
			err = (long)len;
	}
	kfree(page);
	return err;
}
