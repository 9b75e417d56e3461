// SPDX-License-Identifier: MIT
/*
 * Inode attributes set by system calls, as Linux 6.1's fs/open.c (chmod_common, chown_common) and
 * fs/utimes.c: chmod, fchmod, fchmodat; chown, fchown, lchown, fchownat; utimensat, utimes and
 * utime.
 * Linux's argument checking (EINVAL for unknown flags and bad times, EFAULT, EBADF, ENOENT,
 * ENOTDIR, ELOOP, EACCES from the lookup), then its permission rules (setattr_prepare,
 * notify_change): chmod only by the owner or with CAP_FOWNER, and S_ISGID dropped when the
 * caller is not in the file's group and lacks CAP_FSETID; chown of the owner only with
 * CAP_CHOWN, of the group by the owner to one of its groups or with CAP_CHOWN; setting explicit
 * times only by the owner or with CAP_FOWNER (EPERM), setting them to now also with write
 * permission (EACCES). What a change does to the inode: chmod keeps the file type and sets the
 * 07777 bits; chown of a non-directory clears S_ISUID, and S_ISGID when group execute is set
 * (ATTR_KILL_SUID/ATTR_KILL_SGID, done even for root); each change sets ctime to now,
 * utimensat sets atime and mtime (UTIME_NOW, UTIME_OMIT).
 */
#include "fs/mount.h"
#include "fs/vfs.h"
#include "fs/fdtable.h"
#include "fs/syscalls.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/ktime.h"
#include "mm/uaccess.h"

#define UTIME_NOW ((1L << 30) - 1)
#define UTIME_OMIT ((1L << 30) - 2)

/*
 * The new mode as setattr_prepare allows it: EPERM unless the caller owns the inode or has
 * CAP_FOWNER; S_ISGID dropped unless gid (the group the file will have) is one of the caller's
 * or it has CAP_FSETID.
 */
static long setattr_mode(const struct inode *inode, u32 gid, u32 *mode)
{
	if (!inode_owner_or_capable(inode))
		return -EPERM;
	if (!in_group_p(gid) && !capable(CAP_FSETID))
		*mode &= ~(u32)S_ISGID;
	return 0;
}

/* Sets the permission bits of inode (chmod_common, then notify_change's checks). */
static long chmod_common(struct inode *inode, u32 mode)
{
	if (inode_is_readonly(inode))
		return -EROFS; /* mnt_want_write, before anything else */
	mode &= S_IALLUGO;
	long err = setattr_mode(inode, inode->i_gid, &mode);

	if (err)
		return err;
	inode->i_mode = (inode->i_mode & S_IFMT) | mode;
	inode->i_ctime = current_time_ns();
	return 0;
}

/* Looks up a user path from dfd with lookup flags, for the attribute calls. */
static long attr_lookup(int dfd, const char __user *filename, unsigned int lflags,
			struct inode **res)
{
	char *name = getname(filename, lflags & LOOKUP_EMPTY);

	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = path_lookupat(dfd, name, lflags, res);
	putname(name);
	return err;
}

long sys_fchmodat(int dfd, const char __user *filename, u32 mode)
{
	struct inode *inode;
	long err = attr_lookup(dfd, filename, LOOKUP_FOLLOW, &inode);

	if (err)
		return err;
	err = chmod_common(inode, mode);
	iput(inode);
	return err;
}

long sys_chmod(const char __user *filename, u32 mode)
{
	return sys_fchmodat(AT_FDCWD, filename, mode);
}

long sys_fchmod(unsigned int fd, u32 mode)
{
	struct file *f = fget((int)fd);

	if (!f)
		return -EBADF;
	long err = chmod_common(f->f_inode, mode);
	fput(f);
	return err;
}

/* May the caller give the inode owner uid (Linux's chown_ok)? */
static bool chown_ok(const struct inode *inode, u32 uid)
{
	if (inode->i_uid == current->cred.fsuid && uid == inode->i_uid)
		return true;
	return capable(CAP_CHOWN);
}

/* May the caller give the inode group gid: its owner to one of its groups (chgrp_ok)? */
static bool chgrp_ok(const struct inode *inode, u32 gid)
{
	if (inode->i_uid == current->cred.fsuid && (gid == inode->i_gid || in_group_p(gid)))
		return true;
	return capable(CAP_CHOWN);
}

/*
 * Sets owner and group ((u32)-1: unchanged), as chown_common and notify_change: a non-directory
 * loses S_ISUID, and S_ISGID when group execute is set; then setattr_prepare's checks (EPERM),
 * with those of chmod when a bit is to go. Nothing changes when a check fails.
 */
static long chown_common(struct inode *inode, u32 user, u32 group)
{
	if (inode_is_readonly(inode))
		return -EROFS; /* do_fchownat's mnt_want_write */
	u32 mode = inode->i_mode & S_IALLUGO, uid = inode->i_uid, gid = inode->i_gid;
	bool mode_changes = false;

	if (!S_ISDIR(inode->i_mode)) {
		if (mode & S_ISUID) {
			mode &= ~(u32)S_ISUID;
			mode_changes = true;
		}
		if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) {
			mode &= ~(u32)S_ISGID;
			mode_changes = true;
		}
	}
	if (user != (u32)-1) {
		if (!chown_ok(inode, user))
			return -EPERM;
		uid = user;
	}
	if (group != (u32)-1) {
		if (!chgrp_ok(inode, group))
			return -EPERM;
		gid = group;
	}
	if (mode_changes) {
		long err = setattr_mode(inode, gid, &mode);

		if (err)
			return err;
	}
	inode->i_uid = uid;
	inode->i_gid = gid;
	inode->i_mode = (inode->i_mode & S_IFMT) | mode;
	inode->i_ctime = current_time_ns();
	return 0;
}

long sys_fchownat(int dfd, const char __user *filename, u32 user, u32 group, int flag)
{
	struct inode *inode;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	unsigned int lflags = (flag & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (flag & AT_EMPTY_PATH)
		lflags |= LOOKUP_EMPTY;
	long err = attr_lookup(dfd, filename, lflags, &inode);
	if (err)
		return err;
	err = chown_common(inode, user, group);
	iput(inode);
	return err;
}

long sys_chown(const char __user *filename, u32 user, u32 group)
{
	return sys_fchownat(AT_FDCWD, filename, user, group, 0);
}

long sys_lchown(const char __user *filename, u32 user, u32 group)
{
	return sys_fchownat(AT_FDCWD, filename, user, group, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown(unsigned int fd, u32 user, u32 group)
{
	struct file *f = fget((int)fd);

	if (!f)
		return -EBADF;
	long err = chown_common(f->f_inode, user, group);
	fput(f);
	return err;
}

/* A nanosecond field utimensat accepts: 0..999999999, UTIME_NOW or UTIME_OMIT (nsec_valid). */
static bool nsec_valid(long nsec)
{
	return nsec == UTIME_OMIT || nsec == UTIME_NOW || (nsec >= 0 && nsec <= 999999999);
}

/*
 * Who may set the times (notify_change's ATTR_TOUCH and setattr_prepare's ATTR_TIMES_SET):
 * to now (times NULL, or both UTIME_NOW) the owner, CAP_FOWNER or a caller with write
 * permission (else EACCES); anything else only the owner or CAP_FOWNER (EPERM).
 */
static long may_utimes(struct inode *inode, const struct timespec64 *times)
{
	if (inode_owner_or_capable(inode))
		return 0;
	if (!times || (times[0].tv_nsec == UTIME_NOW && times[1].tv_nsec == UTIME_NOW))
		return inode_permission(inode, MAY_WRITE);
	return -EPERM;
}

/* Sets atime and mtime from times (NULL: now) and ctime to now (vfs_utimes). */
static long vfs_utimes(struct inode *inode, const struct timespec64 *times)
{
	u64 now = current_time_ns();
	long err;

	if (inode_is_readonly(inode))
		return -EROFS; /* vfs_utimes' mnt_want_write, before setattr_prepare */
	err = may_utimes(inode, times);
	if (err)
		return err;
	if (!times) {
		inode->i_atime = inode->i_mtime = now;
	} else {
		if (times[0].tv_nsec != UTIME_OMIT)
			inode->i_atime =
				times[0].tv_nsec == UTIME_NOW
					? now
					: (u64)times[0].tv_sec * 1000000000 + (u64)times[0].tv_nsec;
		if (times[1].tv_nsec != UTIME_OMIT)
			inode->i_mtime =
				times[1].tv_nsec == UTIME_NOW
					? now
					: (u64)times[1].tv_sec * 1000000000 + (u64)times[1].tv_nsec;
	}
	inode->i_ctime = now;
	return 0;
}

/* utimensat's work once the times are read (do_utimes): a path, or the file dfd when NULL. */
static long do_utimes(int dfd, const char __user *filename, struct timespec64 *times, int flags)
{
	struct inode *inode;
	long err;

	if (times && (!nsec_valid(times[0].tv_nsec) || !nsec_valid(times[1].tv_nsec)))
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!filename && dfd != AT_FDCWD) {
		if (flags)
			return -EINVAL;
		struct file *f = fget(dfd);
		if (!f)
			return -EBADF;
		err = vfs_utimes(f->f_inode, times);
		fput(f);
		return err;
	}
	unsigned int lflags = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lflags |= LOOKUP_EMPTY;
	err = attr_lookup(dfd, filename, lflags, &inode);
	if (err)
		return err;
	err = vfs_utimes(inode, times);
	iput(inode);
	return err;
}

long sys_utimensat(int dfd, const char __user *filename, const struct timespec64 __user *utimes,
		   int flags)
{
	struct timespec64 t[2];

	if (utimes) {
		if (copy_from_user(t, utimes, sizeof(t)))
			return -EFAULT;
		if (t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT)
			return 0;
	}
	return do_utimes(dfd, filename, utimes ? t : NULL, flags);
}

/* struct timeval of utimes(2). */
struct old_timeval {
	s64 tv_sec;
	s64 tv_usec;
};

long sys_utimes(const char __user *filename, const struct old_timeval __user *utimes)
{
	struct old_timeval tv[2];
	struct timespec64 t[2];

	if (utimes) {
		if (copy_from_user(tv, utimes, sizeof(tv)))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
			t[i].tv_sec = tv[i].tv_sec;
			t[i].tv_nsec = tv[i].tv_usec * 1000;
		}
	}
	return do_utimes(AT_FDCWD, filename, utimes ? t : NULL, 0);
}

/* struct utimbuf of utime(2): whole seconds. */
struct utimbuf {
	s64 actime;
	s64 modtime;
};

/* utime(2): utimes with whole seconds (NULL: now, with utimensat's permission rules). */
long sys_utime(const char __user *filename, const struct utimbuf __user *times)
{
	struct utimbuf tb;
	struct timespec64 t[2];

	if (times) {
		if (copy_from_user(&tb, times, sizeof(tb)))
			return -EFAULT;
		t[0] = (struct timespec64){ .tv_sec = tb.actime };
		t[1] = (struct timespec64){ .tv_sec = tb.modtime };
	}
	return do_utimes(AT_FDCWD, filename, times ? t : NULL, 0);
}
