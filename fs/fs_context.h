/* SPDX-License-Identifier: MIT */
/*
 * File system types and the context a mount or remount is built in (Linux 6.1's
 * include/linux/fs_context.h, reduced): fs/super.c has the types Warden mounts (tmpfs, ramfs,
 * proc) and parses mount(2)'s option string into a context as Linux's
 * parse_monolithic_mount_data and vfs_parse_fs_param do.
 */
#ifndef WARDEN_FS_FS_CONTEXT_H
#define WARDEN_FS_FS_CONTEXT_H

#include "fs/vfs.h"

struct seq_buf;

/* statfs's f_type of each (include/uapi/linux/magic.h) */
#define TMPFS_MAGIC 0x01021994
#define RAMFS_MAGIC 0x858458f6
#define PROC_SUPER_MAGIC 0x9fa0

/* tmpfs options seen (SHMEM_SEEN_*) */
#define SHMEM_SEEN_BLOCKS 0x1
#define SHMEM_SEEN_INODES 0x2

/* What a mount or a remount asks for. */
struct fs_context {
	const struct file_system_type *fs_type;
	unsigned long sb_flags; /* SB_* asked for */
	unsigned long sb_flags_mask; /* the SB_* a remount may change */
	bool reconfigure; /* a remount (MS_REMOUNT) */
	/* tmpfs and ramfs options */
	u64 blocks, inodes;
	u32 mode, uid, gid;
	u32 seen; /* SHMEM_SEEN_* */
};

struct file_system_type {
	const char *name;
	/* One option (value NULL for a bare key): 0, -EINVAL, or -ENOPARAM if not its own. */
	int (*parse_param)(struct fs_context *fc, const char *key, const char *value);
	/* A new super block and its root for a mount (super.c's sget part done): 0 or -errno. */
	int (*fill_super)(struct super_block *sb, struct fs_context *fc);
	/* A remount's own checks and changes (after the options): 0 or -errno. */
	int (*reconfigure)(struct super_block *sb, struct fs_context *fc);
	/* The options after "rw"/"ro" in /proc/PID/mounts (",size=...", each with its comma). */
	void (*show_options)(struct seq_buf *m, struct super_block *sb);
};

/* An option that is not the file system's own (Linux's ENOPARAM, never returned to users). */
#define ENOPARAM 519

/* The type called name, or NULL (mount(2)'s ENODEV). */
const struct file_system_type *get_fs_type(const char *name);

/*
 * Parses mount(2)'s data (a NUL-terminated string of comma-separated options, or NULL) into fc:
 * the super block flags every file system takes (ro, rw, sync, ...), then the type's own. 0 or
 * -EINVAL.
 */
int parse_monolithic_mount_data(struct fs_context *fc, char *data);

/* A new super block of fc's type with its root: an ERR_PTR on failure. */
struct super_block *vfs_get_tree(struct fs_context *fc);

/* Applies a parsed remount to sb (Linux's reconfigure_super): 0, -EBUSY, -EINVAL. */
int reconfigure_super(struct super_block *sb, struct fs_context *fc);

/* Removes every name in a dead file system's tree so its inodes go with their last reference. */
void kill_litter_super(struct super_block *sb);

/* Gives the boot's super blocks (the root, /proc) their types. */
void sb_init_types(void);

/* An inode of sb was freed: a dead (unmounted) super block goes with its last one. */
void sb_inode_gone(struct super_block *sb);

/* tmpfs: no page left under size= (writes are then ENOSPC). */
bool shmem_full(struct super_block *sb);

/* tmpfs: -ENOSPC when nr_inodes= inodes are alive (a new one is refused), else 0. */
int shmem_reserve_inode(struct super_block *sb);

#endif
