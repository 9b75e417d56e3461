// SPDX-License-Identifier: MIT
/* File descriptor tables: lowest-free allocation, close-on-exec, fork's copy, close. */
#include "fs/fdtable.h"
#include "fs/console.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/slab.h"

/* Whether fd's bit is set in a descriptor bitmap. */
static bool test_fd(const u64 *map, unsigned int fd)
{
	return map[fd / 64] & (1ULL << (fd % 64));
}

/* Sets or clears fd's bit in a descriptor bitmap. */
static void assign_fd(u64 *map, unsigned int fd, bool on)
{
	if (on)
		map[fd / 64] |= 1ULL << (fd % 64);
	else
		map[fd / 64] &= ~(1ULL << (fd % 64));
}

/* The slot of fd in a table whose chunk for it exists. */
static struct file **fd_slot(struct files_struct *files, unsigned int fd)
{
	return &files->fd[fd / FDS_PER_CHUNK][fd % FDS_PER_CHUNK];
}

/* The file installed at fd, or NULL. */
static struct file *lookup_fd(struct files_struct *files, unsigned int fd)
{
	if (!files || fd >= NR_OPEN_MAX || !test_fd(files->open_fds, fd))
		return NULL;
	return *fd_slot(files, fd);
}

unsigned int nofile_limit(void)
{
	u64 cur = current->rlim[RLIMIT_NOFILE].rlim_cur;

	return cur < NR_OPEN_MAX ? (unsigned int)cur : NR_OPEN_MAX;
}

struct file *fget_raw(int fd)
{
	struct file *f = lookup_fd(current->files, (unsigned int)fd);

	return f ? get_file(f) : NULL;
}

struct file *fget(int fd)
{
	struct file *f = lookup_fd(current->files, (unsigned int)fd);

	return f && !(f->f_mode & FMODE_PATH) ? get_file(f) : NULL;
}

/* Makes sure the chunk holding fd's slot exists: 0 or -ENOMEM. */
static int expand_files(struct files_struct *files, unsigned int fd)
{
	struct file ***chunk = &files->fd[fd / FDS_PER_CHUNK];

	if (!*chunk)
		*chunk = kzalloc(PAGE_SIZE, GFP_KERNEL);
	return *chunk ? 0 : -ENOMEM;
}

int alloc_fd(unsigned int start, unsigned int flags)
{
	struct files_struct *files = current->files;
	unsigned int limit = nofile_limit();
	unsigned int fd = start;

	while (fd < limit && test_fd(files->open_fds, fd))
		fd = files->open_fds[fd / 64] == ~0ULL ? ALIGN_DOWN(fd, 64) + 64 : fd + 1;
	if (fd >= limit)
		return -EMFILE;
	if (expand_files(files, fd))
		return -ENOMEM;
	assign_fd(files->open_fds, fd, true);
	assign_fd(files->close_on_exec, fd, flags & O_CLOEXEC);
	return (int)fd;
}

int get_unused_fd_flags(unsigned int flags)
{
	return alloc_fd(0, flags);
}

void put_unused_fd(unsigned int fd)
{
	assign_fd(current->files->open_fds, fd, false);
	assign_fd(current->files->close_on_exec, fd, false);
}

void fd_install(unsigned int fd, struct file *file)
{
	*fd_slot(current->files, fd) = file;
}

int replace_fd(unsigned int fd, struct file *file, unsigned int flags)
{
	struct files_struct *files = current->files;
	int err = expand_files(files, fd);

	if (err)
		return err;
	struct file *old = *fd_slot(files, fd);
	if (!old && test_fd(files->open_fds, fd))
		return -EBUSY; /* reserved by a call still setting it up */
	*fd_slot(files, fd) = get_file(file);
	assign_fd(files->open_fds, fd, true);
	assign_fd(files->close_on_exec, fd, flags & O_CLOEXEC);
	if (old)
		fput(old);
	return (int)fd;
}

/* Takes fd out of a table and drops its file: 0 or -EBADF. */
static int files_close(struct files_struct *files, unsigned int fd)
{
	struct file *f = lookup_fd(files, fd);

	if (!f)
		return -EBADF;
	*fd_slot(files, fd) = NULL;
	assign_fd(files->open_fds, fd, false);
	assign_fd(files->close_on_exec, fd, false);
	fput(f);
	return 0;
}

int close_fd(unsigned int fd)
{
	return files_close(current->files, fd);
}

bool get_close_on_exec(unsigned int fd)
{
	return fd < NR_OPEN_MAX && test_fd(current->files->close_on_exec, fd);
}

void set_close_on_exec(unsigned int fd, bool on)
{
	assign_fd(current->files->close_on_exec, fd, on);
}

/* An empty table with one reference. */
static struct files_struct *files_alloc(void)
{
	struct files_struct *files = kzalloc(sizeof(*files), GFP_KERNEL);

	if (files)
		files->count = 1;
	return files;
}

struct files_struct *files_alloc_console(void)
{
	struct files_struct *files = files_alloc();

	if (!files || expand_files(files, 0)) {
		kfree(files);
		return NULL;
	}
	for (unsigned int fd = 0; fd < 3; fd++) {
		struct file *f = console_stdio_open(fd);

		if (!f) {
			put_files(files);
			return NULL;
		}
		*fd_slot(files, fd) = f;
		assign_fd(files->open_fds, fd, true);
	}
	return files;
}

struct files_struct *dup_files(struct files_struct *old)
{
	struct files_struct *files = files_alloc();

	if (!files)
		return NULL;
	/* Only the descriptors in use: the bitmap, 64 at a time, not all NR_OPEN_MAX slots. */
	for (unsigned int w = 0; w < NR_OPEN_MAX / 64; w++) {
		for (u64 bits = old->open_fds[w]; bits; bits &= bits - 1) {
			unsigned int fd = w * 64 + (unsigned int)__builtin_ctzll(bits);
			struct file *f = lookup_fd(old, fd);
			if (!f)
				continue;
			if (expand_files(files, fd)) {
				put_files(files);
				return NULL;
			}
			*fd_slot(files, fd) = get_file(f);
			assign_fd(files->open_fds, fd, true);
			assign_fd(files->close_on_exec, fd, test_fd(old->close_on_exec, fd));
		}
	}
	return files;
}

void put_files(struct files_struct *files)
{
	if (--files->count)
		return;
	for (unsigned int w = 0; w < NR_OPEN_MAX / 64; w++)
		for (u64 bits = files->open_fds[w]; bits; bits &= bits - 1)
			files_close(files, w * 64 + (unsigned int)__builtin_ctzll(bits));
	for (unsigned int i = 0; i < FD_CHUNKS; i++)
		kfree(files->fd[i]);
	kfree(files);
}

void files_close_on_exec(struct files_struct *files)
{
	for (unsigned int w = 0; w < NR_OPEN_MAX / 64; w++)
		for (u64 bits = files->close_on_exec[w]; bits; bits &= bits - 1)
			files_close(files, w * 64 + (unsigned int)__builtin_ctzll(bits));
}
