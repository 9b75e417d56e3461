/* SPDX-License-Identifier: MIT */
/*
 * The ramfs: the root file system, kept entirely in memory with tmpfs's visible behaviour
 * (Linux 6.1's initramfs root is a tmpfs). Regular files keep their data in the page cache
 * (fs/filemap.h); a directory's st_size is 40 bytes plus 20 per entry, as tmpfs makes it up.
 */
#ifndef WARDEN_FS_RAMFS_H
#define WARDEN_FS_RAMFS_H

#include "fs/vfs.h"

#define BOGO_DIRENT_SIZE 20

/* The file operations of ramfs regular files: read, write and lseek on the page cache. */
extern const struct file_operations ramfs_file_operations;

/* A hugetlb memfd's: read and lseek, no write (mm/memfd.c). */
extern const struct file_operations hugetlbfs_file_operations;

/* The operations of device nodes: open() finds the driver by i_rdev (ENXIO if none). */
extern const struct file_operations def_chr_fops;

/*
 * A new ramfs inode of mode (type and permission bits), not yet named: a directory gets parent
 * as its parent (itself for the root, when parent is NULL), a device node rdev. Owned by the
 * caller's file-system ids, or parent's group when parent is set-group-ID (inode_init_owner).
 * NULL without memory.
 */
struct inode *ramfs_new_inode(struct inode *parent, u32 mode, u32 rdev);

/* The root directory of a new tmpfs or ramfs super block (its own parent). NULL without memory. */
struct inode *ramfs_new_root(struct super_block *sb, u32 mode);

/* What opening a block device (no drivers) or a socket gives: ENXIO. */
extern const struct file_operations no_dev_fops;

/* kernel/signal.c: SIGXFSZ to the current task, for a write past RLIMIT_FSIZE. */
void send_sig_xfsz(void);

#endif
