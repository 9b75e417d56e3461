/* SPDX-License-Identifier: MIT */
/*
 * What procfs's own files share (fs/proc.c, fs/proc_sysctl.c): the file operations of a
 * generated file, whose text is made by its inode's i_show at open and at a read from offset 0,
 * and adding an entry to a /proc directory. Not for the rest of the kernel: fs/proc.h is.
 */
#ifndef FS_PROC_INTERNAL_H
#define FS_PROC_INTERNAL_H

#include "fs/vfs.h"

/* Makes the file's text (its inode's i_show); the open fails as the show() does. */
int proc_file_open(struct inode *inode, struct file *file);
/* Frees the text made at open. */
void proc_file_release(struct inode *inode, struct file *file);
/* Reads the text, making it again at offset 0. */
ssize_t proc_file_read(struct file *file, struct iov_iter *to, s64 *ppos);
/* seq_lseek: SEEK_SET and SEEK_CUR to positions >= 0. */
s64 proc_file_lseek(struct file *file, s64 offset, int whence);
/* Adds inode as dir/name (dropping the caller's reference); 0 or -errno. */
int proc_add(struct inode *dir, const char *name, struct inode *inode);

#endif
