// SPDX-License-Identifier: MIT
/*
 * ioctl, and fsync/fdatasync. Every file answers FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC and, for
 * regular files, FIONREAD; anything else goes to the file (a pipe's FIONREAD) or is ENOTTY: no
 * file here is a terminal, so TCGETS and TIOCGWINSZ are ENOTTY, as for a redirected stdout.
 */
#include "fs/fdtable.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"

long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fget((int)fd);
	struct inode *inode;
	u32 on;
	long ret = 0;

	if (!f)
		return -EBADF;
	inode = f->f_inode;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		set_close_on_exec(fd, cmd == FIOCLEX);
		break;
	case FIONBIO:
		ret = get_user_u32(&on, (const u32 __user *)arg);
		if (!ret)
			f->f_flags = on ? f->f_flags | O_NONBLOCK : f->f_flags & ~O_NONBLOCK;
		break;
	case FIOASYNC:
		/* No file here can signal I/O readiness: turning it on is ENOTTY. */
		ret = get_user_u32(&on, (const u32 __user *)arg);
		if (!ret && !on != !(f->f_flags & FASYNC))
			ret = -ENOTTY;
		break;
	case FIONREAD:
		if (S_ISREG(inode->i_mode)) {
			ret = put_user_u32((u32)(inode->i_size - f->f_pos), (u32 __user *)arg);
			break;
		}
		fallthrough;
	default:
		ret = f->f_op->ioctl ? f->f_op->ioctl(f, cmd, arg) : -ENOTTY;
	}
	fput(f);
	return ret;
}

long sys_fsync(unsigned int fd)
{
	struct file *f = fget((int)fd);

	if (!f)
		return -EBADF;
	/* Memory files are always in sync; pipes and devices have no fsync (EINVAL). */
	u32 mode = f->f_inode->i_mode;
	long ret = (S_ISREG(mode) || S_ISDIR(mode)) && !f->f_inode->i_sb->s_fixed ? 0 : -EINVAL;
	fput(f);
	return ret;
}

long sys_fdatasync(unsigned int fd)
{
	return sys_fsync(fd);
}
