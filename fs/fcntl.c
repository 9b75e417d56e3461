// SPDX-License-Identifier: MIT
/* dup, dup2, dup3 and fcntl, as Linux 6.1's fs/file.c and fs/fcntl.c. */
#include "fs/fdtable.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"
#include "mm/memfd.h"

long sys_dup(unsigned int fildes)
{
	struct file *f = fget_raw((int)fildes);

	if (!f)
		return -EBADF;
	int fd = get_unused_fd_flags(0);
	if (fd < 0)
		fput(f);
	else
		fd_install((unsigned int)fd, f);
	return fd;
}

long sys_dup3(unsigned int oldfd, unsigned int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd >= nofile_limit())
		return -EBADF;
	/* Room for newfd first, as Linux: a bad oldfd is EBADF even when that failed. */
	int err = expand_files(newfd);
	struct file *f = fget_raw((int)oldfd);
	if (!f)
		return -EBADF;
	if (err) {
		fput(f);
		return err == -EMFILE ? -EBADF : err;
	}
	long ret = replace_fd(newfd, f, (unsigned int)flags);
	fput(f);
	return ret;
}

long sys_dup2(unsigned int oldfd, unsigned int newfd)
{
	if (oldfd == newfd) {
		struct file *f = fget_raw((int)oldfd);

		if (!f)
			return -EBADF;
		fput(f);
		return newfd;
	}
	return sys_dup3(oldfd, newfd, 0);
}

/* F_DUPFD: the lowest free descriptor >= from (EINVAL if from is not below RLIMIT_NOFILE). */
static long f_dupfd(unsigned int from, struct file *f, unsigned int flags)
{
	if (from >= nofile_limit())
		return -EINVAL;
	int fd = alloc_fd(from, flags);
	if (fd >= 0)
		fd_install((unsigned int)fd, get_file(f));
	return fd;
}

/* The flags F_SETFL may change; the others stay. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME)

/*
 * F_SETFL: O_NOATIME of another user's file is EPERM, O_DIRECT is EINVAL except on a pipe; the
 * rest of SETFL_MASK is taken as is.
 */
static long setfl(struct file *f, unsigned long arg)
{
	/* O_NOATIME may be turned on only by the owner or with CAP_FOWNER (Linux's setfl) */
	if ((arg & O_NOATIME) && !(f->f_flags & O_NOATIME) && !inode_owner_or_capable(f->f_inode))
		return -EPERM;
	/* Only a pipe takes O_DIRECT (packet mode); memory files have no direct I/O in 6.1. */
	if ((arg & O_DIRECT) && !S_ISFIFO(f->f_inode->i_mode))
		return -EINVAL;
	f->f_flags = ((u32)arg & SETFL_MASK) | (f->f_flags & ~SETFL_MASK);
	return 0;
}

long sys_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fget_raw((int)fd);
	unsigned int argi = (unsigned int)arg;
	long ret;

	if (!f)
		return -EBADF;
	/* An O_PATH descriptor only takes the descriptor commands and F_GETFL. */
	if ((f->f_mode & FMODE_PATH) && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC &&
	    cmd != F_GETFD && cmd != F_SETFD && cmd != F_GETFL) {
		fput(f);
		return -EBADF;
	}
	switch (cmd) {
	case F_DUPFD:
		ret = f_dupfd(argi, f, 0);
		break;
	case F_DUPFD_CLOEXEC:
		ret = f_dupfd(argi, f, O_CLOEXEC);
		break;
	case F_GETFD:
		ret = get_close_on_exec(fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		set_close_on_exec(fd, argi & FD_CLOEXEC);
		ret = 0;
		break;
	case F_GETFL:
		ret = f->f_flags;
		break;
	case F_SETFL:
		ret = setfl(f, arg);
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		ret = memfd_fcntl(f, cmd, arg);
		break;
	default:
		ret = -EINVAL;
	}
	fput(f);
	return ret;
}
