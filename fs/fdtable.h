/* SPDX-License-Identifier: MIT */
/*
 * A task's open files: the table from file descriptors to struct file, with a close-on-exec bit
 * per descriptor. New descriptors are the lowest free ones below RLIMIT_NOFILE (EMFILE beyond).
 * The table is reference-counted so threads can share it (CLONE_FILES: count++); fork copies it.
 * The syscall-facing functions act on current->files.
 */
#ifndef WARDEN_FS_FDTABLE_H
#define WARDEN_FS_FDTABLE_H

#include "fs/vfs.h"

#define NR_OPEN_MAX 4096 /* descriptors a table can hold: RLIMIT_NOFILE's hard limit */
#define FDS_PER_CHUNK (PAGE_SIZE / sizeof(struct file *))
#define FD_CHUNKS (NR_OPEN_MAX / FDS_PER_CHUNK)

struct files_struct {
	u32 count;
	struct file **fd[FD_CHUNKS]; /* FDS_PER_CHUNK slots each, allocated when first needed */
	u64 open_fds[NR_OPEN_MAX / 64]; /* allocated descriptors (a slot may be NULL while one is
					 * being set up) */
	u64 close_on_exec[NR_OPEN_MAX / 64];
};

/* A table with fds 0, 1 and 2 on the console (stdin at EOF, stdout, stderr); NULL without
 * memory. The first task's. */
struct files_struct *files_alloc_console(void);

/* A copy of a table for fork: the same open files, each with one more reference. NULL without
 * memory. */
struct files_struct *dup_files(struct files_struct *old);

/* Drops a reference to a table; the last one closes every descriptor. */
void put_files(struct files_struct *files);

/* Closes the descriptors marked close-on-exec (execve). */
void files_close_on_exec(struct files_struct *files);

/* The current RLIMIT_NOFILE: descriptors must be below it. */
unsigned int nofile_limit(void);

/* The open file of a descriptor of the current task, with a reference (fput() it), or NULL.
 * fget() leaves out O_PATH files, as the I/O calls must; fget_raw() includes them. */
struct file *fget(int fd);
struct file *fget_raw(int fd);

/* Reserves the lowest free descriptor >= start (with close-on-exec if flags has O_CLOEXEC):
 * the descriptor, -EMFILE or -ENOMEM. fd_install() fills it, put_unused_fd() gives it back. */
int alloc_fd(unsigned int start, unsigned int flags);
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);
void fd_install(unsigned int fd, struct file *file);

/* Makes fd refer to file (another reference), closing what it referred to (dup2/dup3). */
int replace_fd(unsigned int fd, struct file *file, unsigned int flags);

/* Closes a descriptor: 0 or -EBADF. */
int close_fd(unsigned int fd);

/* The close-on-exec bit of an open descriptor of the current task. */
bool get_close_on_exec(unsigned int fd);
void set_close_on_exec(unsigned int fd, bool on);

#endif
