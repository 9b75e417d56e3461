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

unsigned int sysctl_nr_open = NR_OPEN_MAX;

/* The slot of fd in a table whose chunk for it exists. */
static struct file **fd_slot(struct files_struct *files, unsigned int fd)
{
	return &files->fd[fd / FDS_PER_CHUNK][fd % FDS_PER_CHUNK];
}

/* The file installed at fd, or NULL. */
struct file *lookup_fd(struct files_struct *files, unsigned int fd)
{
	if (!files || fd >= files->max_fds || !test_fd(files->open_fds, fd))
		return NULL;
	return *fd_slot(files, fd);
}

unsigned int nofile_limit(void)
{
	u64 cur = current->signal->rlim[RLIMIT_NOFILE].rlim_cur;

	return cur < sysctl_nr_open ? (unsigned int)cur : sysctl_nr_open;
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

/* Frees the directory and bitmaps of a table unless they are its built-in ones. */
static void free_fdtable_arrays(struct files_struct *files)
{
	if (files->fd != files->fd_init) {
		kfree(files->fd);
		kfree(files->open_fds);
		kfree(files->close_on_exec);
	}
}

/*
 * Gives a table room for nr_fds descriptors (a power of two, a multiple of NR_OPEN_DEFAULT,
 * larger than max_fds): new directory and bitmaps holding the old ones (Linux's expand_fdtable).
 * 0 or -ENOMEM, the table unchanged.
 */
static int grow_fdtable(struct files_struct *files, unsigned int nr_fds)
{
	struct file ***fd = kzalloc(nr_fds / FDS_PER_CHUNK * sizeof(*fd), GFP_KERNEL);
	u64 *open = kzalloc(nr_fds / 8, GFP_KERNEL), *cloexec = kzalloc(nr_fds / 8, GFP_KERNEL);

	if (!fd || !open || !cloexec) {
		kfree(fd);
		kfree(open);
		kfree(cloexec);
		return -ENOMEM;
	}
	memcpy(fd, files->fd, files->max_fds / FDS_PER_CHUNK * sizeof(*fd));
	memcpy(open, files->open_fds, files->max_fds / 8);
	memcpy(cloexec, files->close_on_exec, files->max_fds / 8);
	free_fdtable_arrays(files);
	files->fd = fd;
	files->open_fds = open;
	files->close_on_exec = cloexec;
	files->max_fds = nr_fds;
	return 0;
}

/* The room a table needs for descriptor nr: the next power of two above it, NR_OPEN_DEFAULT at
 * least, and never past nr_open rounded up to a chunk. */
static unsigned int fdtable_size_for(unsigned int nr)
{
	unsigned int size = NR_OPEN_DEFAULT;

	while (size <= nr)
		size *= 2;
	return min(size, (unsigned int)ALIGN_UP(sysctl_nr_open, FDS_PER_CHUNK));
}

#define LINUX_NR_OPEN_DEFAULT 64 /* BITS_PER_LONG: the fdtable inside Linux's files_struct */

/*
 * The size Linux's alloc_fdtable gives a table that must hold descriptor nr: 1 KiB of
 * pointers (128) doubled until nr fits, never past nr_open rounded up to 64.
 */
static unsigned int linux_fdtable_size(unsigned int nr)
{
	unsigned int size = 128;

	while (size / 128 < nr / 128 + 1)
		size *= 2;
	if (size > sysctl_nr_open)
		size = ((sysctl_nr_open - 1) | 63) + 1;
	return size;
}

/*
 * Makes room for descriptor nr in a table and the chunk of slots holding it (Linux's
 * expand_files): 0, -EMFILE at or past nr_open, -ENOMEM. The Linux-sized table grows as
 * Linux's would.
 */
static int files_expand(struct files_struct *files, unsigned int nr)
{
	if (nr >= files->max_fds || nr >= files->linux_max_fds) {
		if (nr >= sysctl_nr_open)
			return -EMFILE;
	}
	if (nr >= files->max_fds) {
		int err = grow_fdtable(files, fdtable_size_for(nr));
		if (err)
			return err;
	}
	if (nr >= files->linux_max_fds)
		files->linux_max_fds = linux_fdtable_size(nr);
	struct file ***chunk = &files->fd[nr / FDS_PER_CHUNK];
	if (!*chunk)
		*chunk = kzalloc(PAGE_SIZE, GFP_KERNEL);
	return *chunk ? 0 : -ENOMEM;
}

int expand_files(unsigned int nr)
{
	return files_expand(current->files, nr);
}

/* The lowest clear bit >= from in a bitmap of size bits (size if none). */
static unsigned int find_next_zero_fd(const u64 *map, unsigned int size, unsigned int from)
{
	while (from < size) {
		u64 w = ~map[from / 64] & (~0ULL << (from % 64));
		if (w)
			return ALIGN_DOWN(from, 64) + (unsigned int)__builtin_ctzll(w);
		from = ALIGN_DOWN(from, 64) + 64;
	}
	return size;
}

int alloc_fd(unsigned int start, unsigned int flags)
{
	struct files_struct *files = current->files;
	unsigned int limit = nofile_limit();
	unsigned int fd = max(start, files->next_fd);

	if (fd < files->max_fds)
		fd = find_next_zero_fd(files->open_fds, files->max_fds, fd);
	if (fd >= limit)
		return -EMFILE;
	int err = files_expand(files, fd);
	if (err)
		return err;
	if (start <= files->next_fd)
		files->next_fd = fd + 1;
	assign_fd(files->open_fds, fd, true);
	assign_fd(files->close_on_exec, fd, flags & O_CLOEXEC);
	return (int)fd;
}

int get_unused_fd_flags(unsigned int flags)
{
	return alloc_fd(0, flags);
}

/* Marks fd free in a table (Linux's __put_unused_fd). */
static void release_fd(struct files_struct *files, unsigned int fd)
{
	assign_fd(files->open_fds, fd, false);
	assign_fd(files->close_on_exec, fd, false);
	if (fd < files->next_fd)
		files->next_fd = fd;
}

void put_unused_fd(unsigned int fd)
{
	release_fd(current->files, fd);
}

void fd_install(unsigned int fd, struct file *file)
{
	*fd_slot(current->files, fd) = file;
}

int replace_fd(unsigned int fd, struct file *file, unsigned int flags)
{
	struct files_struct *files = current->files;
	int err = files_expand(files, fd);

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
	release_fd(files, fd);
	fput(f);
	return 0;
}

int close_fd(unsigned int fd)
{
	return files_close(current->files, fd);
}

bool files_get_close_on_exec(struct files_struct *files, unsigned int fd)
{
	return fd < files->max_fds && test_fd(files->close_on_exec, fd);
}

bool get_close_on_exec(unsigned int fd)
{
	return files_get_close_on_exec(current->files, fd);
}

void set_close_on_exec(unsigned int fd, bool on)
{
	if (fd < current->files->max_fds)
		assign_fd(current->files->close_on_exec, fd, on);
}

/* An empty table with one reference. */
static struct files_struct *files_alloc(void)
{
	struct files_struct *files = kzalloc(sizeof(*files), GFP_KERNEL);

	if (files) {
		files->count = 1;
		files->max_fds = NR_OPEN_DEFAULT;
		files->linux_max_fds = LINUX_NR_OPEN_DEFAULT;
		files->fd = files->fd_init;
		files->open_fds = files->open_fds_init;
		files->close_on_exec = files->close_on_exec_init;
	}
	return files;
}

struct files_struct *files_alloc_console(void)
{
	struct files_struct *files = files_alloc();

	if (!files || files_expand(files, 0)) {
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

/* One past the highest open descriptor of a table (0 if none). */
static unsigned int count_open_files(struct files_struct *files)
{
	for (unsigned int w = files->max_fds / 64; w > 0; w--)
		if (files->open_fds[w - 1])
			return (w - 1) * 64 + 64 -
			       (unsigned int)__builtin_clzll(files->open_fds[w - 1]);
	return 0;
}

struct files_struct *dup_files(struct files_struct *old)
{
	struct files_struct *files = files_alloc();
	unsigned int open = count_open_files(old);

	if (!files)
		return NULL;
	/* Linux's dup_fd sizes the copy by the open descriptors, counted in longs of 64 */
	if (ALIGN_UP(open, 64) > LINUX_NR_OPEN_DEFAULT)
		files->linux_max_fds = linux_fdtable_size(ALIGN_UP(open, 64) - 1);
	if (open > files->max_fds && grow_fdtable(files, fdtable_size_for(open - 1))) {
		put_files(files);
		return NULL;
	}
	/* Only the descriptors in use: the bitmap, 64 at a time, not every slot. */
	for (unsigned int w = 0; w < DIV_ROUND_UP(open, 64); w++) {
		for (u64 bits = old->open_fds[w]; bits; bits &= bits - 1) {
			unsigned int fd = w * 64 + (unsigned int)__builtin_ctzll(bits);
			struct file *f = lookup_fd(old, fd);
			if (!f)
				continue;
			if (files_expand(files, fd)) {
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
	for (unsigned int w = 0; w < files->max_fds / 64; w++)
		for (u64 bits = files->open_fds[w]; bits; bits &= bits - 1)
			files_close(files, w * 64 + (unsigned int)__builtin_ctzll(bits));
	for (unsigned int i = 0; i < files->max_fds / FDS_PER_CHUNK; i++)
		kfree(files->fd[i]);
	free_fdtable_arrays(files);
	kfree(files);
}

void files_close_on_exec(struct files_struct *files)
{
	for (unsigned int w = 0; w < files->max_fds / 64; w++)
		for (u64 bits = files->close_on_exec[w]; bits; bits &= bits - 1)
			files_close(files, w * 64 + (unsigned int)__builtin_ctzll(bits));
}
