// SPDX-License-Identifier: MIT
/*
 * Extended attributes, read side only (Linux 6.1's fs/xattr.c): getxattr, lgetxattr,
 * fgetxattr, listxattr, llistxattr, flistxattr. No file here has an attribute, so the answers
 * are those of Linux's tmpfs (the initramfs root) and procfs with none set: a name tmpfs has a
 * handler for (security.*, trusted.*, system.posix_acl_*) is ENODATA, any other name (user.*:
 * tmpfs has no user handler in 6.1) and any name on /proc or a pipe is EOPNOTSUPP, and a list is
 * empty. Dynamically linked programs ask: GNU ls -l reads security.selinux (libselinux) and the
 * ACLs of each file, and reports an error it does not expect (ENOSYS) for every one.
 */
#include "fs/fs_context.h"
#include "fs/vfs.h"
#include "fs/fdtable.h"
#include "fs/syscalls.h"
#include "kernel/err.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/uaccess.h"

#define XATTR_NAME_MAX 255

/* Whether name starts with prefix. */
static bool has_prefix(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

/* The attribute `name` of inode, which never exists: ENODATA or EOPNOTSUPP (vfs_getxattr). */
static long vfs_getxattr(struct inode *inode, const char *name)
{
	if (inode->i_sb->s_magic != TMPFS_MAGIC)
		return -EOPNOTSUPP; /* procfs, pipefs: no xattr handlers */
	if (has_prefix(name, "user.")) {
		/* xattr_permission: user.* exists only on regular files and directories */
		if (!S_ISREG(inode->i_mode) && !S_ISDIR(inode->i_mode))
			return -ENODATA;
		return -EOPNOTSUPP;
	}
	if (has_prefix(name, "security.") || has_prefix(name, "trusted.") ||
	    !strcmp(name, "system.posix_acl_access") || !strcmp(name, "system.posix_acl_default"))
		return -ENODATA;
	return -EOPNOTSUPP;
}

/* Copies the name in and asks (Linux's getxattr): ERANGE for an empty or too long name. */
static long getxattr(struct inode *inode, const char __user *uname)
{
	char kname[XATTR_NAME_MAX + 1];
	long n = strncpy_from_user(kname, uname, sizeof(kname));

	if (n == 0 || n == (long)sizeof(kname))
		return -ERANGE;
	if (n < 0)
		return n;
	return vfs_getxattr(inode, kname);
}

/* getxattr and lgetxattr: the path's lookup first, then the name. */
static long path_getxattr(const char __user *pathname, const char __user *uname,
			  unsigned int lookup_flags)
{
	struct inode *inode;
	char *name = getname(pathname, false);

	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = path_lookupat(AT_FDCWD, name, lookup_flags, &inode);
	putname(name);
	if (err)
		return err;
	err = getxattr(inode, uname);
	iput(inode);
	return err;
}

long sys_getxattr(const char __user *path, const char __user *name, void __user *value, u64 size)
{
	(void)value;
	(void)size;
	return path_getxattr(path, name, LOOKUP_FOLLOW);
}

long sys_lgetxattr(const char __user *path, const char __user *name, void __user *value, u64 size)
{
	(void)value;
	(void)size;
	return path_getxattr(path, name, 0);
}

long sys_fgetxattr(int fd, const char __user *name, void __user *value, u64 size)
{
	struct file *f = fget(fd);

	(void)value;
	(void)size;
	if (!f)
		return -EBADF;
	long err = getxattr(f->f_inode, name);
	fput(f);
	return err;
}

/* listxattr and llistxattr: the path must exist; the list is empty. */
static long path_listxattr(const char __user *pathname, unsigned int lookup_flags)
{
	struct inode *inode;
	char *name = getname(pathname, false);

	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = path_lookupat(AT_FDCWD, name, lookup_flags, &inode);
	putname(name);
	if (err)
		return err;
	iput(inode);
	return 0;
}

long sys_listxattr(const char __user *path, char __user *list, u64 size)
{
	(void)list;
	(void)size;
	return path_listxattr(path, LOOKUP_FOLLOW);
}

long sys_llistxattr(const char __user *path, char __user *list, u64 size)
{
	(void)list;
	(void)size;
	return path_listxattr(path, 0);
}

long sys_flistxattr(int fd, char __user *list, u64 size)
{
	struct file *f = fget(fd);

	(void)list;
	(void)size;
	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}
