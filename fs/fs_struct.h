/* SPDX-License-Identifier: MIT */
/*
 * A task's place in the file system: its working directory and its umask. Reference-counted so
 * threads can share it (CLONE_FS: count++); fork copies it.
 */
#ifndef WARDEN_FS_FS_STRUCT_H
#define WARDEN_FS_FS_STRUCT_H

#include "fs/vfs.h"

struct fs_struct {
	u32 count;
	u32 umask;
	struct inode *pwd; /* a reference */
};

/* The first task's: working directory /, umask 022. NULL without memory. */
struct fs_struct *fs_alloc_root(void);

/* A copy for fork (same directory, one more reference to it). NULL without memory. */
struct fs_struct *copy_fs(struct fs_struct *old);

/* Drops a reference; the last one frees it. */
void put_fs(struct fs_struct *fs);

/* The current task's working directory (the root for a task without one). */
struct inode *current_pwd(void);

/* The current task's umask (022 for a task without an fs_struct). */
u32 current_umask(void);

#endif
