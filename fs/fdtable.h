/* SPDX-License-Identifier: MIT */
/*
 * A task's open files: the table from file descriptors to struct file, with a close-on-exec bit
 * per descriptor. New descriptors are the lowest free ones below RLIMIT_NOFILE (EMFILE beyond).
 * The table is reference-counted so threads can share it (CLONE_FILES: count++); fork copies it.
 * The syscall-facing functions act on current->files.
 *
 * The table grows as Linux's expand_files does, up to sysctl_nr_open (1048576) descriptors: it
 * starts with room for NR_OPEN_DEFAULT in the files_struct itself, and a descriptor beyond the
 * room makes the bitmaps and the chunk directory grow to the next power of two. Slots live in
 * page-sized chunks, allocated when first used, so a table with a few high descriptors stays
 * small. fork and exit walk the bitmaps only up to max_fds.
 */
#ifndef WARDEN_FS_FDTABLE_H
#define WARDEN_FS_FDTABLE_H

#include "fs/vfs.h"

#define NR_OPEN_MAX (1U << 20) /* Linux's sysctl_nr_open default (and its largest here) */
#define FDS_PER_CHUNK (PAGE_SIZE / sizeof(struct file *))
#define NR_OPEN_DEFAULT FDS_PER_CHUNK /* descriptors a new table has room for */

/* The most descriptors a table may have: RLIMIT_NOFILE's hard limit may not exceed it. */
extern unsigned int sysctl_nr_open;

struct files_struct {
	u32 count;
	unsigned int max_fds; /* room: a multiple of FDS_PER_CHUNK, a power of two */
	/*
	 * The size Linux's fdtable would have (64, then 128, 256, ... as alloc_fdtable grows
	 * it): what select clamps nfds to and /proc/PID/status shows as FDSize. Never more
	 * than max_fds needs to be: only a number.
	 */
	unsigned int linux_max_fds;
	unsigned int next_fd; /* no free descriptor below it (Linux's next_fd) */
	struct file ***fd; /* max_fds / FDS_PER_CHUNK chunks of slots, each allocated when
			    * first needed */
	u64 *open_fds; /* max_fds bits: allocated descriptors (a slot may be NULL while one is
			* being set up) */
	u64 *close_on_exec; /* max_fds bits */
	/* The room of a new table. */
	struct file **fd_init[NR_OPEN_DEFAULT / FDS_PER_CHUNK];
	u64 open_fds_init[NR_OPEN_DEFAULT / 64];
	u64 close_on_exec_init[NR_OPEN_DEFAULT / 64];
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
/* The file at fd in files (no reference taken), or NULL (/proc/PID/fd of another task). */
struct file *lookup_fd(struct files_struct *files, unsigned int fd);
struct file *fget(int fd);
struct file *fget_raw(int fd);

/* Reserves the lowest free descriptor >= start below RLIMIT_NOFILE (with close-on-exec if flags
 * has O_CLOEXEC): the descriptor, -EMFILE or -ENOMEM. fd_install() fills it, put_unused_fd() gives
 * it back. */
int alloc_fd(unsigned int start, unsigned int flags);
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);
void fd_install(unsigned int fd, struct file *file);

/* Makes room in the current table for descriptor nr: 0, -EMFILE (nr >= nr_open) or -ENOMEM. */
int expand_files(unsigned int nr);

/* Makes fd refer to file (another reference), closing what it referred to (dup2/dup3). The
 * room for fd must exist (expand_files). */
int replace_fd(unsigned int fd, struct file *file, unsigned int flags);

/* Closes a descriptor: 0 or -EBADF. */
int close_fd(unsigned int fd);

/* The close-on-exec bit of an open descriptor of the current task. */
bool get_close_on_exec(unsigned int fd);
/* The same for a descriptor of any table (/proc/PID/fdinfo). */
bool files_get_close_on_exec(struct files_struct *files, unsigned int fd);
void set_close_on_exec(unsigned int fd, bool on);

#endif
