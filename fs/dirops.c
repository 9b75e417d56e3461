// SPDX-License-Identifier: MIT
/*
 * Changing the tree: creating, removing and renaming names, with Linux's checks in Linux's order
 * (fs/namei.c's do_mkdirat, do_unlinkat, do_rmdir, do_renameat2 and the may_create/may_delete
 * rules: write and search permission on the directory, the sticky bit), new names owned by the
 * caller's file-system ids, and the tmpfs bookkeeping of link counts, directory sizes and times.
 */
#include "fs/ramfs.h"
#include "fs/fs_context.h"
#include "fs/mount.h"
#include "fs/fs_struct.h"
#include "fs/syscalls.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/slab.h"

/* What an entry adds to its directory's st_size: tmpfs's 20 bytes; ramfs keeps 0. */
static s64 bogo_dirent_size(struct inode *dir)
{
	return dir->i_sb->s_magic == RAMFS_MAGIC ? 0 : BOGO_DIRENT_SIZE;
}

int vfs_add_entry(struct inode *dir, const char *name, u32 len, struct inode *inode)
{
	if (!d_add(dir, name, len, inode))
		return -ENOMEM;
	if (S_ISDIR(inode->i_mode))
		dir->i_nlink++;
	dir->i_size += bogo_dirent_size(dir);
	inode_touch(dir);
	return 0;
}

/* Takes an entry out of its directory: the inode loses the link (a directory all of them). */
static void dir_remove(struct dentry *dentry)
{
	struct inode *dir = dentry->d_parent, *inode = dentry->d_inode;

	d_delete(dentry);
	dir->i_size -= bogo_dirent_size(dir);
	inode_touch(dir);
	inode->i_ctime = dir->i_ctime;
	if (S_ISDIR(inode->i_mode)) {
		dir->i_nlink--;
		inode->i_nlink = 0;
	} else {
		inode->i_nlink--;
	}
}

int vfs_mknod(struct inode *dir, const char *name, u32 len, u32 mode, u32 rdev, struct inode **res)
{
	if (!dir->i_nlink)
		return -ENOENT;
	int err = may_create_perm(dir);
	if (err)
		return err;
	if ((S_ISCHR(mode) || (mode & S_IFMT) == S_IFBLK) && !capable(CAP_MKNOD))
		return -EPERM;
	if (dir->i_sb->s_fixed)
		return -EPERM;
	err = shmem_reserve_inode(dir->i_sb); /* tmpfs nr_inodes= */
	if (err)
		return err;
	struct inode *inode = ramfs_new_inode(dir, mode, rdev);
	if (!inode)
		return -ENOMEM;
	err = vfs_add_entry(dir, name, len, inode);
	if (err || !res)
		iput(inode);
	else
		*res = inode;
	return err;
}

int vfs_symlink(struct inode *dir, const char *name, u32 len, const char *target)
{
	if (!dir->i_nlink)
		return -ENOENT;
	int err = may_create_perm(dir);
	if (err)
		return err;
	if (dir->i_sb->s_fixed)
		return -EPERM;
	size_t tlen = strlen(target);
	err = shmem_reserve_inode(dir->i_sb);
	if (err)
		return err;
	struct inode *inode = ramfs_new_inode(dir, S_IFLNK | S_IRWXUGO, 0);
	if (!inode)
		return -ENOMEM;
	inode->i_link = kmalloc(tlen + 1, GFP_KERNEL);
	err = -ENOMEM;
	if (inode->i_link) {
		memcpy(inode->i_link, target, tlen + 1);
		inode->i_size = (s64)tlen;
		err = vfs_add_entry(dir, name, len, inode);
	}
	iput(inode);
	return err;
}

/*
 * Linux's may_delete(): whether the entry may be removed from dir (or replaced by a rename):
 * write and search permission on dir and the sticky rule first, then the entry's type.
 */
static int may_delete(struct inode *dir, struct dentry *victim, bool isdir)
{
	struct inode *inode = victim->d_inode;
	int err = may_delete_perm(dir, inode);

	if (err)
		return err;
	if (isdir) {
		if (!S_ISDIR(inode->i_mode))
			return -ENOTDIR;
		if (inode == fs_root)
			return -EBUSY;
	} else if (S_ISDIR(inode->i_mode)) {
		return -EISDIR;
	}
	if (!dir->i_nlink)
		return -ENOENT;
	return 0;
}

int vfs_unlink(struct inode *dir, struct dentry *dentry)
{
	int err = may_delete(dir, dentry, false);

	if (err)
		return err;
	if (dir->i_sb->s_fixed)
		return -EPERM;
	struct inode *inode = iget(dentry->d_inode);
	dir_remove(dentry);
	iput(inode); /* frees it unless it is still open */
	return 0;
}

int vfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	int err = may_delete(dir, dentry, true);

	if (err)
		return err;
	if (dir->i_sb->s_fixed)
		return -EPERM;
	struct inode *inode = dentry->d_inode;
	if (inode->i_flags & S_MOUNTPOINT)
		return -EBUSY;
	if (!d_dir_empty(inode))
		return -ENOTEMPTY;
	iget(inode);
	dir_remove(dentry);
	iput(inode); /* stays while it is someone's working directory */
	return 0;
}

/*
 * Linux's filename_create(): walks to where name would be created and checks it is free. On
 * success nd holds the parent directory and the name (nd_release() it).
 */
int filename_create(int dfd, const char *name, bool want_dir, struct nameidata *nd)
{
	int err = path_parentat(dfd, name, nd);

	if (err)
		return err;
	err = -EEXIST; /* ".", "..", "/" */
	if (nd->last_type == LAST_NORM) {
		struct dentry *d = lookup_for_change(nd->dir, nd->last, nd->last_len);

		if (IS_ERR(d))
			err = (int)PTR_ERR(d);
		else if (d)
			err = -EEXIST;
		else if (nd->last_slash && !want_dir)
			err = -ENOENT; /* "newfile/" asks for a directory */
		else if (!(err = mnt_want_write(nd->dir)))
			return 0; /* EROFS only once the name is known to be free */
	}
	nd_release(nd);
	return err;
}

long sys_mkdirat(int dfd, const char __user *pathname, u32 mode)
{
	char *name = getname(pathname, false);
	struct nameidata nd;

	if (IS_ERR(name))
		return PTR_ERR(name);
	int err = filename_create(dfd, name, true, &nd);
	if (!err) {
		mode = (mode & ~current_umask()) & (S_IRWXUGO | S_ISVTX);
		err = vfs_mknod(nd.dir, nd.last, nd.last_len, S_IFDIR | mode, 0, NULL);
		nd_release(&nd);
	}
	putname(name);
	return err;
}

long sys_mkdir(const char __user *pathname, u32 mode)
{
	return sys_mkdirat(AT_FDCWD, pathname, mode);
}

long sys_symlinkat(const char __user *oldname, int newdfd, const char __user *newname)
{
	char *from = getname(oldname, false);
	char *to = getname(newname, false);
	struct nameidata nd;
	long err = IS_ERR(from) ? PTR_ERR(from) : IS_ERR(to) ? PTR_ERR(to) : 0;

	if (!err) {
		err = filename_create(newdfd, to, false, &nd);
		if (!err) {
			err = vfs_symlink(nd.dir, nd.last, nd.last_len, from);
			nd_release(&nd);
		}
	}
	if (!IS_ERR(from))
		putname(from);
	if (!IS_ERR(to))
		putname(to);
	return err;
}

long sys_symlink(const char __user *oldname, const char __user *newname)
{
	return sys_symlinkat(oldname, AT_FDCWD, newname);
}

/* unlink() of a kernel path (also the kernel's own, for init's files: kernel/init.c). */
long do_unlinkat(int dfd, const char *name)
{
	struct nameidata nd;
	int err = path_parentat(dfd, name, &nd);

	if (err)
		return err;
	if (nd.last_type != LAST_NORM) {
		err = -EISDIR;
	} else if (!(err = mnt_want_write(nd.dir))) {
		struct dentry *d = lookup_for_change(nd.dir, nd.last, nd.last_len);

		if (IS_ERR(d))
			err = (int)PTR_ERR(d);
		else if (!d)
			err = -ENOENT;
		else if (nd.last_slash)
			err = S_ISDIR(d->d_inode->i_mode) ? -EISDIR : -ENOTDIR;
		else
			err = vfs_unlink(nd.dir, d);
	}
	nd_release(&nd);
	return err;
}

/* rmdir() of a kernel path. */
static long do_rmdir(int dfd, const char *name)
{
	struct nameidata nd;
	int err = path_parentat(dfd, name, &nd);

	if (err)
		return err;
	switch (nd.last_type) {
	case LAST_DOTDOT:
		err = -ENOTEMPTY;
		break;
	case LAST_DOT:
		err = -EINVAL;
		break;
	case LAST_ROOT:
		err = -EBUSY;
		break;
	default: {
		struct dentry *d = lookup_for_change(nd.dir, nd.last, nd.last_len);

		err = mnt_want_write(nd.dir); /* before the name is looked at */
		if (err)
			break;
		if (IS_ERR(d))
			err = (int)PTR_ERR(d);
		else if (!d)
			err = -ENOENT;
		else
			err = vfs_rmdir(nd.dir, d);
	}
	}
	nd_release(&nd);
	return err;
}

long sys_unlinkat(int dfd, const char __user *pathname, int flag)
{
	if (flag & ~AT_REMOVEDIR)
		return -EINVAL;
	char *name = getname(pathname, false);
	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = (flag & AT_REMOVEDIR) ? do_rmdir(dfd, name) : do_unlinkat(dfd, name);
	putname(name);
	return err;
}

long sys_unlink(const char __user *pathname)
{
	return sys_unlinkat(AT_FDCWD, pathname, 0);
}

long sys_rmdir(const char __user *pathname)
{
	return sys_unlinkat(AT_FDCWD, pathname, AT_REMOVEDIR);
}

/*
 * Linux's lock_rename() trap: when one parent is above the other, the entry of the upper one on
 * the way down to the lower one (renaming it would move a directory into itself), else NULL.
 */
static struct dentry *rename_trap(struct inode *new_dir, struct inode *old_dir)
{
	if (new_dir == old_dir)
		return NULL;
	for (struct inode *d = new_dir; d->i_parent != d; d = d->i_parent)
		if (d->i_parent == old_dir)
			return d->i_dentry;
	for (struct inode *d = old_dir; d->i_parent != d; d = d->i_parent)
		if (d->i_parent == new_dir)
			return d->i_dentry;
	return NULL;
}

/* Linux's vfs_rename() with shmem_rename2(): moves old to new_dir/name, replacing target. */
static int vfs_rename(struct inode *old_dir, struct dentry *old, struct inode *new_dir,
		      struct dentry *target, const char *name, u32 len)
{
	struct inode *source = old->d_inode;
	bool is_dir = S_ISDIR(source->i_mode);
	int err;

	if (target && target->d_inode == source)
		return 0;
	err = may_delete(old_dir, old, is_dir);
	if (!err && !target && !new_dir->i_nlink)
		err = -ENOENT;
	if (!err && !target)
		err = may_create_perm(new_dir);
	if (!err && target)
		err = may_delete(new_dir, target, is_dir);
	if (err)
		return err;
	if (old_dir->i_sb->s_fixed)
		return -EPERM;
	/* a directory moving to another parent gets a new "..": it must be writable */
	if (new_dir != old_dir && is_dir) {
		err = inode_permission(source, MAY_WRITE);
		if (err)
			return err;
	}
	if ((source->i_flags & S_MOUNTPOINT) ||
	    (target && (target->d_inode->i_flags & S_MOUNTPOINT)))
		return -EBUSY;
	if (target && S_ISDIR(target->d_inode->i_mode) && !d_dir_empty(target->d_inode))
		return -ENOTEMPTY;

	/* The new name first: nothing has changed yet if memory runs out. */
	if (!d_add(new_dir, name, len, source))
		return -ENOMEM;
	if (target) {
		struct inode *victim = iget(target->d_inode);

		dir_remove(target);
		iput(victim);
	}
	d_delete(old);
	old_dir->i_size -= bogo_dirent_size(old_dir);
	new_dir->i_size += bogo_dirent_size(new_dir);
	if (is_dir) {
		old_dir->i_nlink--;
		new_dir->i_nlink++;
		struct inode *old_parent = source->i_parent;
		source->i_parent = iget(new_dir);
		iput(old_parent);
	}
	inode_touch(old_dir);
	inode_touch(new_dir);
	source->i_ctime = old_dir->i_ctime;
	return 0;
}

/* rename of kernel paths, as Linux's do_renameat2(). */
static long do_renameat2(int olddfd, const char *from, int newdfd, const char *to,
			 unsigned int flags)
{
	struct nameidata old_nd, new_nd;
	int err;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	err = path_parentat(olddfd, from, &old_nd);
	if (err)
		return err;
	err = path_parentat(newdfd, to, &new_nd);
	if (err)
		goto out_old;
	err = -EXDEV;
	if (old_nd.dir->i_sb != new_nd.dir->i_sb)
		goto out;
	err = -EBUSY;
	if (old_nd.last_type != LAST_NORM)
		goto out;
	if (flags & RENAME_NOREPLACE)
		err = -EEXIST;
	if (new_nd.last_type != LAST_NORM)
		goto out;
	err = mnt_want_write(old_nd.dir);
	if (err)
		goto out;
	struct dentry *trap = rename_trap(new_nd.dir, old_nd.dir);
	struct dentry *old = lookup_for_change(old_nd.dir, old_nd.last, old_nd.last_len);
	err = IS_ERR(old) ? (int)PTR_ERR(old) : -ENOENT;
	if (IS_ERR_OR_NULL(old))
		goto out;
	struct dentry *new = lookup_for_change(new_nd.dir, new_nd.last, new_nd.last_len);
	err = (int)PTR_ERR(new);
	if (IS_ERR(new))
		goto out;
	err = -EEXIST;
	if ((flags & RENAME_NOREPLACE) && new)
		goto out;
	err = -ENOTDIR;
	if (!S_ISDIR(old->d_inode->i_mode) && (old_nd.last_slash || new_nd.last_slash))
		goto out;
	err = -EINVAL; /* a directory into itself */
	if (old == trap)
		goto out;
	err = -ENOTEMPTY; /* over one of its own parents */
	if (new &&new == trap)
		goto out;
	err = vfs_rename(old_nd.dir, old, new_nd.dir, new, new_nd.last, new_nd.last_len);
out:
	nd_release(&new_nd);
out_old:
	nd_release(&old_nd);
	return err;
}

long sys_renameat2(int olddfd, const char __user *oldname, int newdfd, const char __user *newname,
		   unsigned int flags)
{
	char *from = getname(oldname, false);
	char *to = getname(newname, false);
	long err = IS_ERR(from) ? PTR_ERR(from) : IS_ERR(to) ? PTR_ERR(to) : 0;

	if (!err)
		err = do_renameat2(olddfd, from, newdfd, to, flags);
	if (!IS_ERR(from))
		putname(from);
	if (!IS_ERR(to))
		putname(to);
	return err;
}

long sys_renameat(int olddfd, const char __user *oldname, int newdfd, const char __user *newname)
{
	return sys_renameat2(olddfd, oldname, newdfd, newname, 0);
}

long sys_rename(const char __user *oldname, const char __user *newname)
{
	return sys_renameat2(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

/* Linux's vfs_link(): a new name in dir for the existing non-directory inode. */
int vfs_link(struct inode *inode, struct inode *dir, const char *name, u32 len)
{
	if (dir->i_sb != inode->i_sb)
		return -EXDEV; /* do_linkat's check of the mounts */
	int err = may_create_perm(dir);
	if (err)
		return err;
	if (dir->i_sb->s_fixed)
		return -EPERM;
	if (S_ISDIR(inode->i_mode))
		return -EPERM;
	if (!inode->i_nlink)
		return -ENOENT;
	err = vfs_add_entry(dir, name, len, inode);
	if (err)
		return err;
	inode->i_nlink++;
	inode->i_ctime = dir->i_ctime;
	return 0;
}

/* Linux's do_linkat(): the new name's checks come after the old name's lookup. */
static long do_linkat(int olddfd, const char *from, int newdfd, const char *to, int flags)
{
	unsigned int lflags = (flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0;
	struct inode *inode;
	struct nameidata nd;

	if (flags & AT_EMPTY_PATH)
		lflags |= LOOKUP_EMPTY;
	long err = path_lookupat(olddfd, from, lflags, &inode);
	if (err)
		return err;
	err = filename_create(newdfd, to, false, &nd);
	if (!err) {
		err = vfs_link(inode, nd.dir, nd.last, nd.last_len);
		nd_release(&nd);
	}
	iput(inode);
	return err;
}

long sys_linkat(int olddfd, const char __user *oldname, int newdfd, const char __user *newname,
		int flags)
{
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	char *from = getname(oldname, flags & AT_EMPTY_PATH);
	if (IS_ERR(from))
		return PTR_ERR(from);
	char *to = getname(newname, false);
	long err = IS_ERR(to) ? PTR_ERR(to) : do_linkat(olddfd, from, newdfd, to, flags);
	if (!IS_ERR(to))
		putname(to);
	putname(from);
	return err;
}

long sys_link(const char __user *oldname, const char __user *newname)
{
	return sys_linkat(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

/* Linux's do_mknodat(): a regular file, device node, FIFO or socket, type checked first. */
long sys_mknodat(int dfd, const char __user *filename, u32 mode, unsigned int dev)
{
	struct nameidata nd;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	char *name = getname(filename, false);
	if (IS_ERR(name))
		return PTR_ERR(name);
	int err = filename_create(dfd, name, false, &nd);
	if (!err) {
		mode = mode_strip_sgid(nd.dir, mode);
		mode = (mode & S_IFMT) | ((mode & ~S_IFMT) & ~current_umask() & S_IALLUGO);
		err = vfs_mknod(nd.dir, nd.last, nd.last_len, mode,
				(mode & S_IFMT) == S_IFCHR || (mode & S_IFMT) == S_IFBLK ? dev : 0,
				NULL);
		nd_release(&nd);
	}
	putname(name);
	return err;
}

long sys_mknod(const char __user *filename, u32 mode, unsigned int dev)
{
	return sys_mknodat(AT_FDCWD, filename, mode, dev);
}
