// SPDX-License-Identifier: MIT
/*
 * Opening files, and the calls on paths that neither read nor change the tree: open, openat,
 * creat, close, truncate, ftruncate, access, faccessat, chdir, fchdir, umask. The checks follow
 * Linux 6.1 (build_open_flags, do_open, may_open, do_dentry_open) in order.
 */
#include "fs/ramfs.h"
#include "fs/mount.h"
#include "fs/fs_context.h"
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "fs/syscalls.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/memfd.h"

/* What an open asks of the inode: MAY_READ/MAY_WRITE from O_ACCMODE, and O_TRUNC writes. */
static int open_acc_mode(int flags)
{
	int acc = (flags & O_ACCMODE) == O_RDONLY   ? MAY_READ
		  : (flags & O_ACCMODE) == O_WRONLY ? MAY_WRITE
						    : MAY_READ | MAY_WRITE;

	return (flags & O_TRUNC) ? acc | MAY_WRITE : acc;
}

/*
 * Opens an inode a walk found (Linux's may_open, do_dentry_open and handle_truncate): the file,
 * or an ERR_PTR. A created file is neither checked nor truncated.
 */
static struct file *vfs_open(struct inode *inode, int flags, int acc_mode, bool created)
{
	if (created)
		acc_mode = 0;
	/* do_open: truncating a regular file takes write access to the mount first */
	else if (S_ISREG(inode->i_mode) && (flags & O_TRUNC) && inode_is_readonly(inode))
		return ERR_PTR(-EROFS);
	switch (inode->i_mode & S_IFMT) {
	case S_IFLNK:
		return ERR_PTR(-ELOOP);
	case S_IFDIR:
		if (acc_mode & MAY_WRITE)
			return ERR_PTR(-EISDIR);
		if (acc_mode & MAY_EXEC)
			return ERR_PTR(-EACCES);
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (!may_open_dev(inode))
			return ERR_PTR(-EACCES); /* a nodev mount */
		/* fallthrough */
	case S_IFIFO:
		if (acc_mode & MAY_EXEC)
			return ERR_PTR(-EACCES);
		flags &= ~O_TRUNC;
		break;
	case S_IFREG:
		if ((acc_mode & MAY_EXEC) && path_noexec(inode))
			return ERR_PTR(-EACCES); /* execve from a noexec mount */
		break;
	}
	/* sb_permission and do_dentry_open's mnt_want_write: special files may still be written */
	if ((acc_mode & MAY_WRITE) && (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode)) &&
	    inode_is_readonly(inode))
		return ERR_PTR(-EROFS);
	int err = inode_permission(inode, acc_mode);
	if (err)
		return ERR_PTR(err);
	/* O_NOATIME only for the owner or CAP_FOWNER (may_open) */
	if ((flags & O_NOATIME) && !inode_owner_or_capable(inode))
		return ERR_PTR(-EPERM);
	/* get_write_access (and handle_truncate's): a running program's file is not written */
	if ((acc_mode & MAY_WRITE) && S_ISREG(inode->i_mode) && inode->i_exec_count)
		return ERR_PTR(-ETXTBSY);
	struct file *f = alloc_file(inode, (u32)flags, inode->i_fop);
	if (!f)
		return ERR_PTR(-ENOMEM);
	if ((f->f_mode & FMODE_WRITE) && S_ISREG(inode->i_mode)) {
		inode->i_writecount++; /* get_write_access: execve of it is ETXTBSY until the last
					  fput */
		inode->i_sb->s_writers++; /* mnt_want_write: remount ro is EBUSY until then */
		f->f_mode |= FMODE_WRITER;
	}
	if (f->f_op && f->f_op->open) {
		err = f->f_op->open(inode, f);
		if (err) {
			f->f_op = NULL; /* never opened: nothing to release */
			fput(f);
			return ERR_PTR(err);
		}
	}
	/* No direct I/O in a memory file system (tmpfs gained it in 6.6). */
	if (f->f_flags & O_DIRECT)
		err = -EINVAL;
	else if ((flags & O_TRUNC) && !created && S_ISREG(inode->i_mode) && !inode->i_sb->s_fixed)
		err = do_truncate(inode, 0); /* proc's files take O_TRUNC and stay (proc_setattr) */
	if (err) {
		fput(f);
		return ERR_PTR(err);
	}
	return f;
}

/*
 * The inode an open of the walk's final component names, created if O_CREAT asks and it is
 * missing (*created says so). A trailing symlink is followed unless O_NOFOLLOW, or O_CREAT with
 * O_EXCL; a trailing slash with O_CREAT is EISDIR.
 */
static struct inode *open_last(struct nameidata *nd, int flags, u32 mode, bool *created)
{
	unsigned int lflags = (flags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0;
	struct inode *inode;

	if (!(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL))
		lflags |= LOOKUP_FOLLOW;
	for (;;) {
		if (nd->last_type == LAST_DOTDOT) {
			inode = follow_dotdot(nd->dir, &nd->mnt);
			break;
		}
		if (nd->last_type != LAST_NORM) {
			inode = iget(nd->dir);
			break;
		}
		if (!(flags & O_CREAT)) {
			if (nd->last_slash)
				lflags |= LOOKUP_FOLLOW | LOOKUP_DIRECTORY;
			inode = lookup_child(nd->dir, nd->last, nd->last_len);
			if (IS_ERR(inode))
				return inode;
			inode = follow_mount(inode, &nd->mnt);
		} else {
			if (nd->last_slash)
				return ERR_PTR(-EISDIR);
			if (nd->dir->i_sb->s_fixed) {
				/* proc: an existing name may be one its directory makes on
				 * lookup (/proc/self/comm), which no dentry holds */
				inode = lookup_child(nd->dir, nd->last, nd->last_len);
				if (IS_ERR(inode))
					return inode;
				goto found;
			}
			struct dentry *d = lookup_for_change(nd->dir, nd->last, nd->last_len);
			if (IS_ERR(d))
				return (struct inode *)d;
			if (!d) {
				int err = mnt_want_write(nd->dir); /* lookup_open's create_error */

				if (!err) {
					/* vfs_prepare_mode: S_ISGID stripped, then the umask */
					mode = mode_strip_sgid(nd->dir, S_IFREG | mode);
					err = vfs_mknod(nd->dir, nd->last, nd->last_len,
							S_IFREG | (mode & ~current_umask()), 0,
							&inode);
				}
				if (err)
					return ERR_PTR(err);
				*created = true;
				break;
			}
			inode = follow_mount(iget(d->d_inode), &nd->mnt);
		}
	found:
		if (!S_ISLNK(inode->i_mode) || !(lflags & LOOKUP_FOLLOW))
			break;
		int err = nd_follow_link(nd, inode);
		iput(inode);
		if (err)
			return ERR_PTR(err);
	}
	int err = 0;
	if ((flags & O_CREAT) && (flags & O_EXCL) && !*created)
		err = -EEXIST;
	else if ((flags & O_CREAT) && S_ISDIR(inode->i_mode))
		err = -EISDIR;
	else if ((lflags & LOOKUP_DIRECTORY) && !S_ISDIR(inode->i_mode))
		err = -ENOTDIR; /* 6.1 also leaves the file O_CREAT|O_DIRECTORY made */
	if (err) {
		iput(inode);
		return ERR_PTR(err);
	}
	return inode;
}

/* O_PATH: a handle on the place in the tree; no permission check, no open of the inode. */
static struct file *open_path(int dfd, const char *name, int flags)
{
	unsigned int lflags = (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	struct inode *inode;

	if (flags & O_DIRECTORY)
		lflags |= LOOKUP_DIRECTORY;
	int err = path_lookupat(dfd, name, lflags, &inode);
	if (err)
		return ERR_PTR(err);
	struct file *f = alloc_file(inode, (u32)flags, NULL);
	iput(inode);
	return f ? f : ERR_PTR(-ENOMEM);
}

/* O_TMPFILE: a new regular file with no name, in the directory name names. */
static struct file *open_tmpfile(int dfd, const char *name, int flags, u32 mode)
{
	struct inode *dir, *inode;
	int err = path_lookupat(dfd, name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);

	if (err)
		return ERR_PTR(err);
	err = mnt_want_write(dir);
	if (!err)
		err = inode_permission(dir, MAY_WRITE | MAY_EXEC); /* vfs_tmpfile */
	if (!err && dir->i_sb->s_fixed)
		err = -EOPNOTSUPP;
	if (!err)
		err = shmem_reserve_inode(dir->i_sb);
	if (err) {
		iput(dir);
		return ERR_PTR(err);
	}
	mode = mode_strip_sgid(dir, S_IFREG | mode);
	inode = ramfs_new_inode(dir, S_IFREG | (mode & ~current_umask()), 0);
	iput(dir);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_nlink = 0;
	struct file *f = vfs_open(inode, flags, 0, true);
	iput(inode);
	return f;
}

struct file *file_open_at(int dfd, const char *name, int flags, u32 mode)
{
	struct nameidata nd;
	bool created = false;

	if (flags & O_PATH)
		return open_path(dfd, name, flags);
	if (flags & __O_TMPFILE)
		return open_tmpfile(dfd, name, flags, mode);
	int err = path_parentat(dfd, name, &nd);
	if (err)
		return ERR_PTR(err);
	struct inode *inode = open_last(&nd, flags, mode, &created);
	nd_release(&nd);
	if (IS_ERR(inode))
		return (struct file *)inode;
	struct file *f = vfs_open(inode, flags, open_acc_mode(flags), created);
	iput(inode);
	return f;
}

/* Linux's build_open_how/build_open_flags for open and openat: the flags as they will be used,
 * with *mode kept only for a creating open; or -EINVAL. */
static int build_open_flags(int flags, u32 *mode)
{
	flags &= VALID_OPEN_FLAGS;
	if (flags & O_PATH)
		flags &= O_PATH_FLAGS;
	*mode = (flags & (O_CREAT | __O_TMPFILE)) ? *mode & S_IALLUGO : 0;
	if (flags & __O_TMPFILE) {
		if ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE)
			return -EINVAL;
		if (!(open_acc_mode(flags) & MAY_WRITE))
			return -EINVAL;
	}
	if (flags & __O_SYNC)
		flags |= O_DSYNC;
	return flags;
}

struct file *filp_open(const char *kpath, int flags, u32 mode)
{
	flags = build_open_flags(flags | O_LARGEFILE, &mode);
	if (flags < 0)
		return ERR_PTR(flags);
	return file_open_at(AT_FDCWD, kpath, flags, mode);
}

struct file *do_open_execat(int dfd, const char *kpath, int flags)
{
	unsigned int lflags = LOOKUP_FOLLOW;
	struct inode *inode;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return ERR_PTR(-EINVAL);
	if (flags & AT_SYMLINK_NOFOLLOW)
		lflags &= ~LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lflags |= LOOKUP_EMPTY;
	int err = path_lookupat(dfd, kpath, lflags, &inode);
	if (err)
		return ERR_PTR(err);
	/* may_open: a symlink (not followed) is ELOOP, a directory or device EACCES */
	struct file *f = vfs_open(inode, O_RDONLY | O_LARGEFILE, MAY_EXEC, false);
	iput(inode);
	if (IS_ERR(f))
		return f;
	if (!S_ISREG(inode->i_mode)) {
		fput(f);
		return ERR_PTR(-EACCES);
	}
	if (file_inode(f)->i_writecount) {
		fput(f);
		return ERR_PTR(
			-ETXTBSY); /* deny_write_access: a file open for writing is not run */
	}
	f->f_mode |= FMODE_EXEC;
	return f;
}

struct file *open_exec(const char *kpath)
{
	return do_open_execat(AT_FDCWD, kpath, 0);
}

/* open/openat/creat: the descriptor of the opened file, or -errno. */
static long do_sys_open(int dfd, const char __user *filename, int flags, u32 mode)
{
	flags = build_open_flags(flags | O_LARGEFILE, &mode);
	if (flags < 0)
		return flags;
	char *name = getname(filename, false);
	if (IS_ERR(name))
		return PTR_ERR(name);
	long fd = get_unused_fd_flags((unsigned int)flags);
	if (fd >= 0) {
		struct file *f = file_open_at(dfd, name, flags, mode);

		if (IS_ERR(f)) {
			put_unused_fd((unsigned int)fd);
			fd = PTR_ERR(f);
		} else {
			fd_install((unsigned int)fd, f);
		}
	}
	putname(name);
	return fd;
}

long sys_openat(int dfd, const char __user *filename, int flags, u32 mode)
{
	return do_sys_open(dfd, filename, flags, mode);
}

long sys_open(const char __user *filename, int flags, u32 mode)
{
	return do_sys_open(AT_FDCWD, filename, flags, mode);
}

long sys_creat(const char __user *pathname, u32 mode)
{
	return do_sys_open(AT_FDCWD, pathname, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

long sys_close(unsigned int fd)
{
	return close_fd(fd);
}

int do_truncate(struct inode *inode, s64 length)
{
	/* proc_setattr (proc_sys_setattr for /proc/sys) accepts a new size and ignores it: an
	 * open with O_TRUNC, fopen(path, "w"), truncate and ftruncate of a /proc file succeed */
	if (inode->i_sb->s_fixed)
		return 0;
	if (S_ISREG(inode->i_mode)) {
		int err = shmem_setsize_check(inode, length); /* the seals (mm/memfd.h) */

		if (err)
			return err;
	}
	/* a truncation clears set-user-ID and set-group-ID as a write does (do_truncate) */
	remove_privs(inode, should_remove_suid(inode));
	if (length < inode->i_size) {
		size_t tail = (size_t)(length % PAGE_SIZE);

		unmap_mapping_pages(inode, ((u64)length + PAGE_SIZE - 1) / PAGE_SIZE);
		filemap_remove_from(inode, ((u64)length + PAGE_SIZE - 1) / PAGE_SIZE);
		if (tail) {
			struct page *page = filemap_get_page(inode, (u64)length / PAGE_SIZE, false);

			if (page)
				memset((char *)page_address(page) + tail, 0, PAGE_SIZE - tail);
		}
	}
	inode->i_size = length;
	inode_touch(inode);
	return 0;
}

long sys_ftruncate(unsigned int fd, unsigned long length)
{
	if ((long)length < 0)
		return -EINVAL;
	struct file *f = fget((int)fd);
	if (!f)
		return -EBADF;
	long err = -EINVAL;
	if (S_ISREG(f->f_inode->i_mode) && (f->f_mode & FMODE_WRITE))
		err = do_truncate(f->f_inode, (s64)length);
	fput(f);
	return err;
}

long sys_truncate(const char __user *path, long length)
{
	struct inode *inode;

	if (length < 0)
		return -EINVAL;
	char *name = getname(path, false);
	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = path_lookupat(AT_FDCWD, name, LOOKUP_FOLLOW, &inode);
	putname(name);
	if (err)
		return err;
	if (S_ISDIR(inode->i_mode))
		err = -EISDIR;
	else if (!S_ISREG(inode->i_mode))
		err = -EINVAL;
	else if (inode_is_readonly(inode))
		err = -EROFS; /* vfs_truncate's mnt_want_write */
	else if ((err = inode_permission(inode, MAY_WRITE)))
		; /* vfs_truncate: then write permission */
	else if (inode->i_exec_count)
		err = -ETXTBSY; /* vfs_truncate's get_write_access */
	else
		err = do_truncate(inode, length);
	iput(inode);
	return err;
}

/*
 * access() and faccessat2(): whether the caller could use the file in mode (R_OK|W_OK|X_OK),
 * asked with the real uid and gid (the walk too) unless AT_EACCESS, as Linux's do_faccessat.
 */
static long do_faccessat(int dfd, const char __user *filename, int mode, int flags)
{
	struct inode *inode;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	unsigned int lflags = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lflags |= LOOKUP_EMPTY;
	char *name = getname(filename, flags & AT_EMPTY_PATH);
	if (IS_ERR(name))
		return PTR_ERR(name);
	struct cred saved = current->cred;
	if (!(flags & AT_EACCESS))
		access_override_creds();
	long err = path_lookupat(dfd, name, lflags, &inode);
	putname(name);
	if (!err) {
		u32 type = inode->i_mode & S_IFMT;
		bool special =
			type == S_IFCHR || type == S_IFBLK || type == S_IFIFO || type == S_IFSOCK;

		if ((mode & X_OK) && type == S_IFREG && path_noexec(inode))
			err = -EACCES;
		else
			err = inode_permission(inode, mode | MAY_ACCESS);
		/* "SuS v2 requires we report a read only fs too" */
		if (!err && (mode & W_OK) && !special && inode_is_readonly(inode))
			err = -EROFS;
		iput(inode);
	}
	if (!(flags & AT_EACCESS))
		access_revert_creds(&saved);
	return err;
}

long sys_faccessat2(int dfd, const char __user *filename, int mode, int flags)
{
	return do_faccessat(dfd, filename, mode, flags);
}

long sys_faccessat(int dfd, const char __user *filename, int mode)
{
	return do_faccessat(dfd, filename, mode, 0);
}

long sys_access(const char __user *filename, int mode)
{
	return do_faccessat(AT_FDCWD, filename, mode, 0);
}

/* Makes dir (a reference, taken over) the current working directory. */
static void set_fs_pwd(struct inode *dir)
{
	struct fs_struct *fs = current->fs;
	struct inode *old = fs->pwd;

	fs->pwd = dir;
	sb_active_get(dir->i_sb); /* umount of its file system is EBUSY */
	sb_active_put(old->i_sb);
	iput(old);
}

long sys_chdir(const char __user *filename)
{
	struct inode *dir;
	char *name = getname(filename, false);

	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = path_lookupat(AT_FDCWD, name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	putname(name);
	if (err)
		return err;
	err = inode_permission(dir, MAY_EXEC);
	if (err)
		iput(dir);
	else
		set_fs_pwd(dir);
	return err;
}

long sys_fchdir(unsigned int fd)
{
	struct file *f = fget_raw((int)fd);

	if (!f)
		return -EBADF;
	long err = -ENOTDIR;
	if (S_ISDIR(f->f_inode->i_mode))
		err = inode_permission(f->f_inode, MAY_EXEC);
	if (!err)
		set_fs_pwd(iget(f->f_inode));
	fput(f);
	return err;
}

long sys_umask(int mask)
{
	struct fs_struct *fs = current->fs;
	u32 old = fs->umask;

	fs->umask = (u32)mask & S_IRWXUGO;
	return old;
}
