// SPDX-License-Identifier: MIT
/*
 * /proc/PID/mounts and /proc/PID/mountinfo (Linux 6.1's fs/proc_namespace.c): one line per
 * attached mount in mount order, in Linux's exact formats (show_vfsmnt, show_mountinfo). Names
 * have space, tab, newline and backslash written as \ooo, as Linux's mangle() does. Every mount
 * here is private, so mountinfo has no optional fields.
 */
#include "fs/mount.h"
#include "fs/fs_context.h"
#include "fs/proc.h"
#include "kernel/errno.h"
#include "mm/slab.h"

/* Writes s with the characters mount lines cannot hold in octal. */
static void mangle(struct seq_buf *m, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			seq_printf(m, "\\%03o", (unsigned char)*s);
		else
			seq_write(m, s, 1);
	}
}

/* The mount point's path (Linux's seq_path_root). */
static void show_mountpoint(struct seq_buf *m, struct mount *mnt)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	char *path = buf ? d_path(mnt->mnt_mountpoint, buf, PATH_MAX) : ERR_PTR(-ENOMEM);

	mangle(m, IS_ERR(path) ? "?" : path);
	kfree(buf);
}

/* show_sb_opts: the super block's flags that are options. */
static void show_sb_opts(struct seq_buf *m, struct super_block *sb)
{
	if (sb->s_flags & SB_SYNCHRONOUS)
		seq_printf(m, ",sync");
	if (sb->s_flags & SB_DIRSYNC)
		seq_printf(m, ",dirsync");
	if (sb->s_flags & SB_MANDLOCK)
		seq_printf(m, ",mand");
	if (sb->s_flags & SB_LAZYTIME)
		seq_printf(m, ",lazytime");
}

/* show_mnt_opts: the mount's flags. */
static void show_mnt_opts(struct seq_buf *m, struct mount *mnt)
{
	static const struct {
		int flag;
		const char *str;
	} opts[] = {
		{ MNT_NOSUID, ",nosuid" },	     { MNT_NODEV, ",nodev" },
		{ MNT_NOEXEC, ",noexec" },	     { MNT_NOATIME, ",noatime" },
		{ MNT_NODIRATIME, ",nodiratime" },   { MNT_RELATIME, ",relatime" },
		{ MNT_NOSYMFOLLOW, ",nosymfollow" },
	};
	for (u32 i = 0; i < ARRAY_SIZE(opts); i++)
		if (mnt->mnt_flags & opts[i].flag)
			seq_printf(m, "%s", opts[i].str);
}

/* The file system's own options, each after a comma. */
static void show_fs_options(struct seq_buf *m, struct super_block *sb)
{
	if (sb->s_type && sb->s_type->show_options)
		sb->s_type->show_options(m, sb);
}

int mounts_show(struct seq_buf *m)
{
	for (struct mount *mnt = mount_table; mnt; mnt = mnt->mnt_next) {
		struct super_block *sb = mnt->mnt_sb;

		if (mnt->mnt_detached)
			continue;
		mangle(m, mnt->mnt_devname);
		seq_printf(m, " ");
		show_mountpoint(m, mnt);
		seq_printf(m, " %s %s", sb->s_type->name,
			   inode_is_readonly(mnt->mnt_root) ? "ro" : "rw");
		show_sb_opts(m, sb);
		show_mnt_opts(m, mnt);
		show_fs_options(m, sb);
		seq_printf(m, " 0 0\n");
	}
	return 0;
}

/* /proc/mounts -> "self/mounts", as Linux's proc_root_init makes it. */
static char *proc_mounts_get_link(struct inode *inode)
{
	(void)inode;
	return proc_strdup("self/mounts");
}

int proc_namespace_init(void)
{
	int err = proc_create_file(PROC_SELF, "mounts", 0444, mounts_show);

	if (!err)
		err = proc_create_file(PROC_SELF, "mountinfo", 0444, mountinfo_show);
	if (!err)
		err = proc_create_link(PROC_ROOT, "mounts", proc_mounts_get_link);
	return err;
}

int mountinfo_show(struct seq_buf *m)
{
	for (struct mount *mnt = mount_table; mnt; mnt = mnt->mnt_next) {
		struct super_block *sb = mnt->mnt_sb;

		if (mnt->mnt_detached)
			continue;
		seq_printf(m, "%d %d 0:%u / ", mnt->mnt_id, mnt->mnt_parent->mnt_id, sb->s_dev);
		show_mountpoint(m, mnt);
		seq_printf(m, " %s", mnt->mnt_flags & MNT_READONLY ? "ro" : "rw");
		show_mnt_opts(m, mnt);
		seq_printf(m, " - %s ", sb->s_type->name);
		mangle(m, mnt->mnt_devname);
		seq_printf(m, " %s", sb->s_flags & SB_RDONLY ? "ro" : "rw");
		show_sb_opts(m, sb);
		show_fs_options(m, sb);
		seq_printf(m, "\n");
	}
	return 0;
}
