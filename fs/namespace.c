// SPDX-License-Identifier: MIT
/*
 * The mount table (Linux 6.1's fs/namespace.c, one namespace, no propagation): mounts and their
 * ids, the walk across mount points, the flags each mount gives its files, and what keeps a
 * mount busy. mount(2) and umount2(2) are in fs/mount_syscalls.c; docs/mounts.md has the model.
 */
#include "fs/mount.h"
#include "fs/fs_context.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/slab.h"

/* Every mount alive, attached ones in mount order; detached ones stay until their files close. */
struct mount *mount_table;

struct mount *inode_mount(struct inode *inode)
{
	return inode->i_sb->s_mount;
}

/* The topmost attached mount on the directory inode, or NULL. */
static struct mount *lookup_mnt(struct inode *inode)
{
	struct mount *found = NULL;

	for (struct mount *m = mount_table; m; m = m->mnt_next)
		if (!m->mnt_detached && m->mnt_parent != m && m->mnt_mountpoint == inode)
			found = m; /* a later one is mounted over an earlier one */
	return found;
}

struct inode *follow_mount(struct inode *inode, struct mount **mnt)
{
	while (inode->i_flags & S_MOUNTPOINT) {
		struct mount *m = lookup_mnt(inode);

		if (!m)
			break;
		iput(inode);
		inode = iget(m->mnt_root);
		if (mnt)
			*mnt = m;
	}
	return inode;
}

struct inode *follow_dotdot(struct inode *dir, struct mount **mnt)
{
	struct mount *m = mnt && *mnt ? *mnt : inode_mount(dir);

	while (dir->i_parent == dir) {
		if (!m || m->mnt_root != dir)
			m = inode_mount(dir);
		if (!m || m->mnt_root != dir || m->mnt_parent == m)
			break; /* "/", or a detached mount's root: ".." stays */
		dir = m->mnt_mountpoint;
		m = m->mnt_parent;
	}
	if (mnt)
		*mnt = m;
	return follow_mount(iget(dir->i_parent), mnt);
}

/* Linux's __mnt_is_readonly for the (one) mount of inode, or its super block's SB_RDONLY. */
bool inode_is_readonly(struct inode *inode)
{
	struct mount *m = inode_mount(inode);

	return (inode->i_sb->s_flags & SB_RDONLY) || (m && (m->mnt_flags & MNT_READONLY));
}

int mnt_want_write(struct inode *inode)
{
	return inode_is_readonly(inode) ? -EROFS : 0;
}

/* The mount flags of inode's mount (0 for inodes that are on none). */
static int inode_mnt_flags(struct inode *inode)
{
	struct mount *m = inode_mount(inode);

	return m ? m->mnt_flags : 0;
}

bool path_noexec(struct inode *inode)
{
	return inode_mnt_flags(inode) & MNT_NOEXEC;
}

bool path_nosuid(struct inode *inode)
{
	return inode_mnt_flags(inode) & MNT_NOSUID;
}

bool may_open_dev(struct inode *inode)
{
	return !(inode_mnt_flags(inode) & MNT_NODEV);
}

/* The lowest mount id no live mount has (Linux's mnt_id_ida), from 1. */
static int mnt_alloc_id(void)
{
	for (int id = 1;; id++) {
		struct mount *m = mount_table;

		while (m && m->mnt_id != id)
			m = m->mnt_next;
		if (!m)
			return id;
	}
}

struct mount *alloc_mount(struct super_block *sb, const char *devname)
{
	struct mount *m = kzalloc(sizeof(*m), GFP_KERNEL);
	size_t len = strlen(devname);

	if (!m)
		return NULL;
	m->mnt_devname = kmalloc(len + 1, GFP_KERNEL);
	if (!m->mnt_devname) {
		kfree(m);
		return NULL;
	}
	memcpy(m->mnt_devname, devname, len + 1);
	m->mnt_id = mnt_alloc_id();
	m->mnt_sb = sb;
	m->mnt_root = iget(sb->s_root);
	return m;
}

void attach_mnt(struct mount *m, struct mount *parent, struct inode *mountpoint)
{
	struct mount **pp = &mount_table;

	m->mnt_parent = parent ? parent : m;
	m->mnt_mountpoint = iget(mountpoint);
	if (parent)
		mountpoint->i_flags |= S_MOUNTPOINT;
	if (!m->mnt_sb->s_mount || m->mnt_sb->s_mount->mnt_detached)
		m->mnt_sb->s_mount = m;
	while (*pp)
		pp = &(*pp)->mnt_next;
	*pp = m;
}

/* Frees a mount taken off the table, and its file system if nothing else shows it. */
static void free_mount(struct mount *m)
{
	struct super_block *sb = m->mnt_sb;
	struct mount **pp = &mount_table;

	while (*pp != m)
		pp = &(*pp)->mnt_next;
	*pp = m->mnt_next;
	iput(m->mnt_root);
	kfree(m->mnt_devname);
	kfree(m);
	if (sb->s_mount == m) {
		sb->s_mount = NULL;
		for (struct mount *o = mount_table; o; o = o->mnt_next)
			if (o->mnt_sb == sb && !o->mnt_detached)
				sb->s_mount = o; /* proc shown elsewhere too */
	}
	if (!sb->s_mount)
		kill_litter_super(sb);
}

/* Whether mounts other than m are on m's mount point inode. */
static bool mountpoint_shared(struct mount *m)
{
	for (struct mount *o = mount_table; o; o = o->mnt_next)
		if (o != m && !o->mnt_detached && o->mnt_mountpoint == m->mnt_mountpoint &&
		    o->mnt_parent != o)
			return true;
	return false;
}

/* Takes m off its mount point (it stays alive, detached, while its files are open). */
static void detach_mnt(struct mount *m)
{
	if (!mountpoint_shared(m))
		m->mnt_mountpoint->i_flags &= ~S_MOUNTPOINT;
	iput(m->mnt_mountpoint);
	m->mnt_mountpoint = m->mnt_root;
	m->mnt_parent = m;
	m->mnt_detached = true;
}

/* Whether a super block still has open files or working directories (the mount's "count"). */
static bool sb_busy(struct super_block *sb)
{
	return sb->s_active > 0;
}

/* Whether m has mounts on its directories. */
bool mnt_has_children(struct mount *m)
{
	for (struct mount *o = mount_table; o; o = o->mnt_next)
		if (o != m && !o->mnt_detached && o->mnt_parent == m)
			return true;
	return false;
}

bool mnt_busy(struct mount *m)
{
	return mnt_has_children(m) || sb_busy(m->mnt_sb);
}

/*
 * Linux's umount_tree: detaches m and every mount under it, children first; each is freed now
 * if nothing uses it, else when its last file or working directory goes (sb_active_put).
 */
void umount_tree(struct mount *m)
{
	for (;;) {
		struct mount *leaf = m, *o;

		/* a mount under m with no children of its own */
		for (bool again = true; again;) {
			again = false;
			for (o = mount_table; o; o = o->mnt_next) {
				if (o != leaf && !o->mnt_detached && o->mnt_parent == leaf) {
					leaf = o;
					again = true;
					break;
				}
			}
		}
		detach_mnt(leaf);
		if (!sb_busy(leaf->mnt_sb) || leaf->mnt_sb == &proc_sb)
			free_mount(leaf);
		if (leaf == m)
			return;
	}
}

void sb_active_get(struct super_block *sb)
{
	sb->s_active++;
}

void sb_active_put(struct super_block *sb)
{
	if (--sb->s_active)
		return;
	for (struct mount *m = mount_table; m; m = m->mnt_next) {
		if (m->mnt_sb == sb && m->mnt_detached) {
			free_mount(m); /* a lazily unmounted file system, now unused */
			return;
		}
	}
}

int mnt_init(struct inode *proc_root)
{
	struct mount *root, *proc;

	sb_init_types();
#ifdef WARDEN_HOST
	mount_table = NULL; /* the host's unit tests boot again and again */
	rootfs_sb.s_active = proc_sb.s_active = 0;
	rootfs_sb.s_writers = proc_sb.s_writers = 0;
	rootfs_sb.s_mount = proc_sb.s_mount = NULL;
#endif
	rootfs_sb.s_root = iget(fs_root);
	proc_sb.s_root = iget(proc_root);
	root = alloc_mount(&rootfs_sb, "rootfs");
	if (!root)
		return -ENOMEM;
	attach_mnt(root, NULL, fs_root);
	struct inode *dir = lookup_child(fs_root, "proc", 4);
	if (IS_ERR(dir))
		return (int)PTR_ERR(dir);
	proc = alloc_mount(&proc_sb, "proc");
	if (proc) {
		proc->mnt_flags = MNT_RELATIME;
		attach_mnt(proc, root, dir);
	}
	iput(dir);
	return proc ? 0 : -ENOMEM;
}
