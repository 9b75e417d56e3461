/* SPDX-License-Identifier: MIT */
/*
 * What the rest of the kernel uses of the file system: boot (fs_init), the per-task state
 * (files_struct, fs_struct: first task, fork, exit, execve), and open files for execve and mmap
 * (filp_open, open_exec, kernel_read, fput, file_inode, filemap_get_page). See fs/vfs.h for the
 * model and docs/source-map.md for where each part lives.
 */
#ifndef WARDEN_FS_FS_H
#define WARDEN_FS_FS_H

#include "fs/vfs.h"
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "fs/proc.h"

#endif
