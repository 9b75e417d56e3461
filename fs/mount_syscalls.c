// SPDX-License-Identifier: MIT
/*
 * mount(2) and umount2(2), with the checks of Linux 6.1's fs/namespace.c in its order: the
 * strings copied in (EFAULT, EINVAL for one of a page or more), the mount point walked
 * (ENOENT, ENOTDIR, ...), MS_NOUSER (EINVAL), CAP_SYS_ADMIN (EPERM), then what the flags ask:
 * a remount (of the super block, or with MS_BIND of the mount only), a propagation change, or
 * a new mount (EINVAL without a type, ENODEV for an unknown one, the options' EINVAL, ENOTDIR
 * on a non-directory). Bind and move mounts are not there (EINVAL): docs/mounts.md.
 */
#include "fs/mount.h"
#include "fs/fs_context.h"
#include "fs/fs_struct.h"
#include "fs/syscalls.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

/* Linux's copy_mount_string (strndup_user with a page): NULL for NULL, or an ERR_PTR. */
static char *copy_mount_string(const char __user *s)
{
	if (!s)
		return NULL;
	char *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	long len = strncpy_from_user(buf, s, PAGE_SIZE);
	if (len < 0 || len >= (long)PAGE_SIZE) {
		kfree(buf);
		return ERR_PTR(len < 0 ? len : -EINVAL);
	}
	return buf;
}

/*
 * Linux's copy_mount_options: up to a page of data, as much as can be read (a string may end
 * just before an unmapped page); EFAULT only if not one byte can. The last byte is always NUL.
 */
static char *copy_mount_options(const void __user *data)
{
	if (!data)
		return NULL;
	char *copy = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!copy)
		return ERR_PTR(-ENOMEM);
	size_t done = 0;
	if (copy_from_user(copy, data, PAGE_SIZE)) {
		while (done < PAGE_SIZE &&
		       !copy_from_user(copy + done, (const char __user *)data + done, 1))
			done++;
		if (!done) {
			kfree(copy);
			return ERR_PTR(-EFAULT);
		}
	}
	copy[PAGE_SIZE - 1] = '\0';
	return copy;
}

/* The per-mount flags mount(2)'s flags ask for (path_mount). */
static int mnt_flags_of(unsigned long flags, struct mount *mnt)
{
	int mnt_flags = (flags & MS_NOATIME) ? 0 : MNT_RELATIME;

	if (flags & MS_NOSUID)
		mnt_flags |= MNT_NOSUID;
	if (flags & MS_NODEV)
		mnt_flags |= MNT_NODEV;
	if (flags & MS_NOEXEC)
		mnt_flags |= MNT_NOEXEC;
	if (flags & MS_NOATIME)
		mnt_flags |= MNT_NOATIME;
	if (flags & MS_NODIRATIME)
		mnt_flags |= MNT_NODIRATIME;
	if (flags & MS_STRICTATIME)
		mnt_flags &= ~(MNT_RELATIME | MNT_NOATIME);
	if (flags & MS_RDONLY)
		mnt_flags |= MNT_READONLY;
	if (flags & MS_NOSYMFOLLOW)
		mnt_flags |= MNT_NOSYMFOLLOW;
	/* a remount keeps the atime flags unless it names one */
	if ((flags & MS_REMOUNT) &&
	    !(flags & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME))) {
		mnt_flags &= ~MNT_ATIME_MASK;
		mnt_flags |= mnt->mnt_flags & MNT_ATIME_MASK;
	}
	return mnt_flags;
}

/* set_mount_attributes: the flags a user may set are replaced, the others kept. */
static void set_mount_attributes(struct mount *mnt, int mnt_flags)
{
	mnt->mnt_flags = mnt_flags | (mnt->mnt_flags & ~MNT_USER_SETTABLE_MASK);
}

/* MS_REMOUNT|MS_BIND (do_reconfigure_mnt): the mount's flags only, read-only included. */
static int do_reconfigure_mnt(struct inode *inode, struct mount *mnt, int mnt_flags)
{
	if (inode != mnt->mnt_root)
		return -EINVAL;
	if ((mnt_flags & MNT_READONLY) && !(mnt->mnt_flags & MNT_READONLY) &&
	    mnt->mnt_sb->s_writers)
		return -EBUSY; /* mnt_make_readonly: a file open for writing */
	set_mount_attributes(mnt, mnt_flags);
	return 0;
}

/* MS_REMOUNT (do_remount): the super block's flags and options, then the mount's flags. */
static int do_remount(struct inode *inode, struct mount *mnt, unsigned long sb_flags, int mnt_flags,
		      char *data)
{
	struct super_block *sb = mnt->mnt_sb;

	if (inode != mnt->mnt_root)
		return -EINVAL;
	struct fs_context fc = { .fs_type = sb->s_type,
				 .sb_flags = sb_flags,
				 .sb_flags_mask = MS_RMT_MASK,
				 .reconfigure = true };
	int err = parse_monolithic_mount_data(&fc, data);
	if (!err)
		err = reconfigure_super(sb, &fc);
	if (!err)
		set_mount_attributes(mnt, mnt_flags);
	return err;
}

/* MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE (do_change_type): one of them, on a mount's
 * root. Every mount here is private and stays so. */
static int do_change_type(struct inode *inode, struct mount *mnt, unsigned long flags)
{
	unsigned long type = flags & ~(MS_REC | MS_SILENT);

	if (inode != mnt->mnt_root)
		return -EINVAL;
	if (type != MS_SHARED && type != MS_PRIVATE && type != MS_SLAVE && type != MS_UNBINDABLE)
		return -EINVAL;
	return 0;
}

/* A new mount of type on the directory inode seen through parent (do_new_mount). */
static int do_new_mount(struct inode *inode, struct mount *parent, const char *type,
			unsigned long sb_flags, int mnt_flags, const char *name, char *data)
{
	if (!type)
		return -EINVAL;
	const struct file_system_type *fs_type = get_fs_type(type);
	if (!fs_type)
		return -ENODEV;
	/* proc's one tree cannot be mounted inside itself (Linux's would be a new super block;
	 * here the walk would come back to where it started) */
	if (fs_type == proc_sb.s_type && inode->i_sb == &proc_sb)
		return -EBUSY;
	struct fs_context fc = { .fs_type = fs_type, .sb_flags = sb_flags };
	fc.mode = strcmp(type, "ramfs") ? 01777 : 0755;
	int err = parse_monolithic_mount_data(&fc, data);
	if (err)
		return err;
	struct super_block *sb = vfs_get_tree(&fc);
	if (IS_ERR(sb))
		return (int)PTR_ERR(sb);
	/* graft_tree: a directory over a directory; get_mountpoint: not a removed one */
	if (!S_ISDIR(inode->i_mode))
		err = -ENOTDIR;
	else if (!inode->i_nlink)
		err = -ENOENT;
	struct mount *m = err ? NULL : alloc_mount(sb, name ? name : "none");
	if (!m) {
		kill_litter_super(sb);
		return err ? err : -ENOMEM;
	}
	m->mnt_flags = mnt_flags;
	attach_mnt(m, parent, inode);
	return 0;
}

/* Linux's path_mount, once the strings are in and the mount point is found. */
static long path_mount(const char *dev_name, struct inode *inode, struct mount *mnt,
		       const char *type, unsigned long flags, char *data)
{
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (flags & MS_NOUSER)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (!mnt || mnt->mnt_detached)
		return -EINVAL; /* check_mnt: a lazily unmounted tree takes no mounts */
	int mnt_flags = mnt_flags_of(flags, mnt);
	unsigned long sb_flags = flags & (SB_RDONLY | SB_SYNCHRONOUS | SB_MANDLOCK | SB_DIRSYNC |
					  SB_SILENT | SB_POSIXACL | SB_LAZYTIME | SB_I_VERSION);

	if ((flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND))
		return do_reconfigure_mnt(inode, mnt, mnt_flags);
	if (flags & MS_REMOUNT)
		return do_remount(inode, mnt, sb_flags, mnt_flags, data);
	if (flags & MS_BIND)
		return -EINVAL; /* no bind mounts: docs/mounts.md */
	if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))
		return do_change_type(inode, mnt, flags);
	if (flags & MS_MOVE)
		return -EINVAL; /* no moving mounts: docs/mounts.md */
	return do_new_mount(inode, mnt, type, sb_flags, mnt_flags, dev_name, data);
}

/* mount(2): the strings and the mount point in, then path_mount. */
long sys_mount(const char __user *dev_name, const char __user *dir_name, const char __user *type,
	       unsigned long flags, const void __user *data)
{
	char *ktype = copy_mount_string(type), *kdev = NULL, *options = NULL, *dir = NULL;
	long err = IS_ERR(ktype) ? PTR_ERR(ktype) : 0;

	if (!err) {
		kdev = copy_mount_string(dev_name);
		err = IS_ERR(kdev) ? PTR_ERR(kdev) : 0;
	}
	if (!err) {
		options = copy_mount_options(data);
		err = IS_ERR(options) ? PTR_ERR(options) : 0;
	}
	if (!err) {
		dir = getname(dir_name, false);
		err = IS_ERR(dir) ? PTR_ERR(dir) : 0;
	}
	if (!err) {
		struct inode *inode;
		struct mount *mnt;

		err = path_lookup_mnt(AT_FDCWD, dir, LOOKUP_FOLLOW, &inode, &mnt);
		if (!err) {
			err = path_mount(kdev, inode, mnt, ktype, flags, options);
			iput(inode);
		}
	}
	if (!IS_ERR_OR_NULL(dir))
		putname(dir);
	if (!IS_ERR_OR_NULL(options))
		kfree(options);
	if (!IS_ERR_OR_NULL(kdev))
		kfree(kdev);
	if (!IS_ERR_OR_NULL(ktype))
		kfree(ktype);
	return err;
}

/* Unmounting "/" without MNT_DETACH remounts it read-only (do_umount_root). */
static int do_umount_root(struct super_block *sb)
{
	if (sb->s_flags & SB_RDONLY)
		return 0;
	if (sb->s_writers)
		return -EBUSY;
	sb->s_flags |= SB_RDONLY;
	return 0;
}

/* Linux's do_umount for a mount that may be unmounted. */
static int do_umount(struct mount *mnt, int flags)
{
	if (flags & MNT_EXPIRE) {
		if (mnt == mount_table || (flags & (MNT_FORCE | MNT_DETACH)))
			return -EINVAL;
		if (mnt_busy(mnt))
			return -EBUSY;
		if (!mnt->mnt_expiry_mark) {
			mnt->mnt_expiry_mark = true;
			return -EAGAIN; /* again with nobody using it in between: it goes */
		}
	}
	if (mnt == mount_table) {
		if (flags & MNT_DETACH)
			return -EINVAL; /* Warden keeps its root: docs/mounts.md */
		return do_umount_root(mnt->mnt_sb);
	}
	if (!(flags & MNT_DETACH) && mnt_busy(mnt))
		return -EBUSY;
	umount_tree(mnt);
	return 0;
}

/* umount2(2): the flags, the path, can_umount's checks, then do_umount. */
long sys_umount2(const char __user *name, int flags)
{
	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	char *path = getname(name, false);
	if (IS_ERR(path))
		return PTR_ERR(path);
	struct inode *inode;
	struct mount *mnt;
	unsigned int lflags = LOOKUP_NO_EXPIRE | ((flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW);
	long err = path_lookup_mnt(AT_FDCWD, path, lflags, &inode, &mnt);
	putname(path);
	if (err)
		return err;
	/* can_umount */
	if (!capable(CAP_SYS_ADMIN))
		err = -EPERM;
	else if (!mnt || inode != mnt->mnt_root || mnt->mnt_detached)
		err = -EINVAL;
	iput(inode); /* the walk's reference: not one that makes the mount busy */
	return err ? err : do_umount(mnt, flags);
}
