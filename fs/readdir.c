// SPDX-License-Identifier: MIT
/*
 * getdents64, as Linux 6.1's fs/readdir.c: records of struct linux_dirent64 packed into the
 * caller's buffer, each record's d_off being the position of the one after it. EINVAL if not
 * even one record fits; a fault after some records returns what was written.
 */
#include "fs/vfs.h"
#include "fs/fdtable.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"
#include "kernel/string.h"

struct getdents_callback64 {
	struct dir_context ctx;
	char __user *current_dir; /* where the next record goes */
	int prev_reclen; /* the length of the last record written (0: none yet) */
	int count; /* bytes left */
	int error;
};

/* Writes one record; the previous record's d_off becomes this one's position. */
static bool filldir64(struct dir_context *ctx, const char *name, u32 namlen, s64 offset, u64 ino,
		      u32 d_type)
{
	struct getdents_callback64 *buf = container_of(ctx, struct getdents_callback64, ctx);
	size_t head = offsetof(struct linux_dirent64, d_name);
	int reclen = (int)ALIGN_UP(head + namlen + 1, sizeof(u64));
	char rec[offsetof(struct linux_dirent64, d_name) + NAME_MAX + 1];
	struct linux_dirent64 hdr = {
		.d_ino = ino, .d_off = offset, .d_reclen = (u16)reclen, .d_type = (u8)d_type
	};

	buf->error = -EINVAL; /* only used if nothing fits */
	if (reclen > buf->count)
		return false;
	char __user *dirent = buf->current_dir;
	if (buf->prev_reclen &&
	    copy_to_user(dirent - buf->prev_reclen + offsetof(struct linux_dirent64, d_off),
			 &offset, sizeof(offset)))
		goto efault;
	/* The header, the name and its NUL; like Linux, the padding bytes are left alone. */
	memcpy(rec, &hdr, head);
	memcpy(rec + head, name, namlen);
	rec[head + namlen] = '\0';
	if (copy_to_user(dirent, rec, head + namlen + 1))
		goto efault;
	buf->prev_reclen = reclen;
	buf->current_dir = dirent + reclen;
	buf->count -= reclen;
	return true;
efault:
	buf->error = -EFAULT;
	return false;
}

long sys_getdents64(unsigned int fd, struct linux_dirent64 __user *dirent, unsigned int count)
{
	struct getdents_callback64 buf = {
		.ctx.actor = filldir64,
		.current_dir = (char __user *)dirent,
		.count = (int)count,
	};
	struct file *f = fget((int)fd);
	long err;

	if (!f)
		return -EBADF;
	if (!f->f_op->iterate) {
		err = -ENOTDIR;
	} else if (!f->f_inode->i_nlink) {
		err = -ENOENT; /* a removed directory */
	} else {
		buf.ctx.pos = f->f_pos;
		err = f->f_op->iterate(f, &buf.ctx);
		f->f_pos = buf.ctx.pos;
		if (err >= 0)
			err = buf.error;
		if (buf.prev_reclen) {
			s64 d_off = buf.ctx.pos;
			char __user *last = buf.current_dir - buf.prev_reclen;

			if (copy_to_user(last + offsetof(struct linux_dirent64, d_off), &d_off,
					 sizeof(d_off)))
				err = -EFAULT;
			else
				err = (long)count - buf.count;
		}
	}
	fput(f);
	return err;
}
