/* SPDX-License-Identifier: MIT */
/*
 * Mounts (Linux 6.1's fs/mount.h and fs/namespace.c, without namespaces, propagation or block
 * devices): docs/mounts.md.
 *
 * A mount shows one file system (a super_block) at a directory of another: its mount point.
 * The table lists every attached mount in the order they were made, the root mount ("/") first.
 * Warden mounts each super_block once (no bind mounts), except proc, whose one tree of inodes
 * may be shown at several places: so a mount is found from any of its inodes through
 * sb->s_mount, and a mount root's ".." goes to the mount point of the mount the walk came
 * through (nameidata's mnt), else of sb->s_mount.
 *
 * A directory with something mounted on it has S_MOUNTPOINT in i_flags: a walk that reaches it
 * goes on at the root of the topmost mount there (follow_mount), and rmdir and rename of it are
 * EBUSY. All of it runs under the kernel lock (docs/locking.md): there is no mount_lock.
 */
#ifndef WARDEN_FS_MOUNT_H
#define WARDEN_FS_MOUNT_H

#include "fs/vfs.h"

/* mnt_flags: Linux's values (include/linux/mount.h) */
#define MNT_NOSUID 0x01
#define MNT_NODEV 0x02
#define MNT_NOEXEC 0x04
#define MNT_NOATIME 0x08
#define MNT_NODIRATIME 0x10
#define MNT_RELATIME 0x20
#define MNT_READONLY 0x40
#define MNT_NOSYMFOLLOW 0x80
#define MNT_ATIME_MASK (MNT_NOATIME | MNT_NODIRATIME | MNT_RELATIME)
#define MNT_USER_SETTABLE_MASK                                                               \
	(MNT_NOSUID | MNT_NODEV | MNT_NOEXEC | MNT_NOATIME | MNT_NODIRATIME | MNT_RELATIME | \
	 MNT_READONLY | MNT_NOSYMFOLLOW)

/* mount(2) flags (include/uapi/linux/mount.h) */
#define MS_RDONLY 0x1
#define MS_NOSUID 0x2
#define MS_NODEV 0x4
#define MS_NOEXEC 0x8
#define MS_SYNCHRONOUS 0x10
#define MS_REMOUNT 0x20
#define MS_MANDLOCK 0x40
#define MS_DIRSYNC 0x80
#define MS_NOSYMFOLLOW 0x100
#define MS_NOATIME 0x400
#define MS_NODIRATIME 0x800
#define MS_BIND 0x1000
#define MS_MOVE 0x2000
#define MS_REC 0x4000
#define MS_SILENT 0x8000
#define MS_POSIXACL (1 << 16)
#define MS_UNBINDABLE (1 << 17)
#define MS_PRIVATE (1 << 18)
#define MS_SLAVE (1 << 19)
#define MS_SHARED (1 << 20)
#define MS_RELATIME (1 << 21)
#define MS_I_VERSION (1 << 23)
#define MS_STRICTATIME (1 << 24)
#define MS_LAZYTIME (1 << 25)
#define MS_NOUSER (1UL << 31)
#define MS_MGC_VAL 0xC0ED0000UL
#define MS_MGC_MSK 0xffff0000UL

/* s_flags: the super block's own (SB_*, the same bits as MS_*) */
#define SB_RDONLY MS_RDONLY
#define SB_SYNCHRONOUS MS_SYNCHRONOUS
#define SB_MANDLOCK MS_MANDLOCK
#define SB_DIRSYNC MS_DIRSYNC
#define SB_SILENT MS_SILENT
#define SB_POSIXACL MS_POSIXACL
#define SB_I_VERSION MS_I_VERSION
#define SB_LAZYTIME MS_LAZYTIME
/* what remount may change of them (MS_RMT_MASK) */
#define MS_RMT_MASK (MS_RDONLY | MS_SYNCHRONOUS | MS_MANDLOCK | MS_I_VERSION | MS_LAZYTIME)

/* umount2(2) flags */
#define MNT_FORCE 0x1
#define MNT_DETACH 0x2
#define MNT_EXPIRE 0x4
#define UMOUNT_NOFOLLOW 0x8

struct mount {
	struct mount *mnt_parent; /* the mount the mount point is in; itself for "/" and once
				   * detached */
	struct inode *mnt_mountpoint; /* a reference: the directory it covers (its own root for
				       * "/") */
	struct inode *mnt_root; /* a reference: the file system's root */
	struct super_block *mnt_sb;
	int mnt_flags; /* MNT_* */
	int mnt_id; /* /proc/PID/mountinfo's first field */
	bool mnt_expiry_mark; /* MNT_EXPIRE asked once and nobody used it since */
	bool mnt_detached; /* off the table (umount): lives until its files are closed */
	char *mnt_devname; /* the source mount(2) was given (kmalloc'd) */
	struct mount *mnt_next; /* the table, in mount order */
};

/* The mount table's first entry: "/". */
extern struct mount *mount_table;

/* The mount an inode is shown through (sb->s_mount), or NULL for pipes and anonymous inodes. */
struct mount *inode_mount(struct inode *inode);

/*
 * Takes a walk from a directory covered by mounts to the root of the topmost one: returns the
 * inode to continue at, the reference to inode moved to it, and sets *mnt (if not NULL) to the
 * mount crossed into.
 */
struct inode *follow_mount(struct inode *inode, struct mount **mnt);

/*
 * The directory ".." of dir names, crossing mount roots upward as Linux's follow_dotdot (the
 * mount root of "/" stays): a borrowed inode. mnt, if not NULL, is the mount the walk is in and
 * becomes the mount of the result.
 */
struct inode *follow_dotdot(struct inode *dir, struct mount **mnt);

/* Whether writes to inode's file system are refused (mount or super block read-only). */
bool inode_is_readonly(struct inode *inode);

/* Linux's mnt_want_write: -EROFS if inode's mount or file system is read-only, else 0. */
int mnt_want_write(struct inode *inode);

/* Linux's path_noexec: whether inode's mount is noexec (execve EACCES, mmap PROT_EXEC EPERM). */
bool path_noexec(struct inode *inode);

/*
 * True when inode's mount is nosuid, so the set-user-ID and set-group-ID bits of a program on it
 * do nothing at execve (the opposite of Linux's mnt_may_suid; kernel/cred.c's bprm_fill_uid).
 */
bool path_nosuid(struct inode *inode);

/* Linux's may_open_dev: whether device nodes on inode's mount may be opened (not nodev). */
bool may_open_dev(struct inode *inode);

/*
 * Open files and working directories on a super block: umount is EBUSY while any is left, and
 * a lazily unmounted file system goes with the last one. sb_writer_get/put count the files
 * open for writing (remount read-only is EBUSY while any is left).
 */
void sb_active_get(struct super_block *sb);
void sb_active_put(struct super_block *sb);

/* ---- the table's own operations, for mount(2) and umount2(2) (fs/mount_syscalls.c) ---- */

/* A new mount of sb (its root taken from sb->s_root) with the source name devname; NULL
 * without memory. Not in the table until attach_mnt(). */
struct mount *alloc_mount(struct super_block *sb, const char *devname);

/* Puts m at the end of the table, mounted on mountpoint in parent (NULL: m is "/"). */
void attach_mnt(struct mount *m, struct mount *parent, struct inode *mountpoint);

/* Whether m has mounts on it, or open files or working directories (umount's EBUSY). */
bool mnt_has_children(struct mount *m);
bool mnt_busy(struct mount *m);

/* Detaches m and the mounts under it; each goes now if unused, else with its last file. */
void umount_tree(struct mount *m);

/*
 * Resolves a path as path_lookupat() does and also says which mount the result is seen through
 * (*mnt, borrowed: valid until the table next changes).
 */
int path_lookup_mnt(int dfd, const char *name, unsigned int flags, struct inode **res,
		    struct mount **mnt);

/* Builds the mount table at boot: "/" (the ramfs) and /proc. 0 or -ENOMEM. */
int mnt_init(struct inode *proc_root);

/* Shows the table as /proc/PID/mounts and /proc/PID/mountinfo do (fs/proc_namespace.c). */
struct seq_buf;
int mounts_show(struct seq_buf *m);
int mountinfo_show(struct seq_buf *m);

/* Makes /proc/PID/mounts, /proc/PID/mountinfo and the link /proc/mounts. 0 or -ENOMEM. */
int proc_namespace_init(void);

#endif
