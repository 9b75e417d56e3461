// SPDX-License-Identifier: MIT
/* Unpacking a newc cpio archive (the initramfs) into the root file system. */
#include "fs/cpio.h"
#include "fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/slab.h"

#define CPIO_HDR_SIZE 110
#define CPIO_FIELDS 13

/* The header fields, in archive order. */
enum {
	H_INO,
	H_MODE,
	H_UID,
	H_GID,
	H_NLINK,
	H_MTIME,
	H_FILESIZE,
	H_DEVMAJOR,
	H_DEVMINOR,
	H_RDEVMAJOR,
	H_RDEVMINOR,
	H_NAMESIZE,
	H_CHECK
};

/* Parses 8 hex digits; false if any is not one. */
static bool parse_hex8(const char *s, u32 *val)
{
	*val = 0;
	for (int i = 0; i < 8; i++) {
		char c = s[i];
		u32 digit = c >= '0' && c <= '9'   ? (u32)(c - '0')
			    : c >= 'a' && c <= 'f' ? (u32)(c - 'a' + 10)
			    : c >= 'A' && c <= 'F' ? (u32)(c - 'A' + 10)
						   : 16;

		if (digit == 16)
			return false;
		*val = *val << 4 | digit;
	}
	return true;
}

/* Creates the missing directories above name (0755), as `mkdir -p` of its dirname. */
static int cpio_mkdirs(const char *name)
{
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	int err = 0;

	if (!path)
		return -ENOMEM;
	strlcpy(path, name, PATH_MAX);
	for (char *s = strchr(path, '/'); s && !err; s = strchr(s + 1, '/')) {
		struct inode *dir;
		struct nameidata nd;

		*s = '\0';
		err = vfs_path_lookup(fs_root, path, LOOKUP_FOLLOW, &dir);
		if (!err) {
			iput(dir);
		} else if (err == -ENOENT && !(err = vfs_path_parent(fs_root, path, &nd))) {
			struct dentry *d = NULL;

			if (nd.last_type == LAST_NORM)
				d = lookup_for_change(nd.dir, nd.last, nd.last_len);
			if (IS_ERR(d))
				err = (int)PTR_ERR(d);
			else if (d)
				err = -ENOENT; /* a dangling symlink */
			else if (nd.last_type == LAST_NORM)
				err = vfs_mknod(nd.dir, nd.last, nd.last_len, S_IFDIR | 0755, 0,
						NULL);
			nd_release(&nd);
		}
		*s = '/';
	}
	kfree(path);
	return err;
}

/* Fills a new regular file with size bytes of data. */
static int cpio_write(struct inode *inode, const char *data, size_t size)
{
	for (size_t done = 0; done < size; done += PAGE_SIZE) {
		struct page *page = filemap_get_page(inode, done / PAGE_SIZE, true);

		if (!page)
			return -ENOMEM;
		memcpy(page_address(page), data + done, min(size - done, (size_t)PAGE_SIZE));
	}
	inode->i_size = (s64)size;
	return 0;
}

/*
 * Sets what the archive says of an inode: permission bits, owner, times. Not for a mount point
 * (/proc): on Linux the archive's directory is the one under the mount, which nobody sees.
 */
static void cpio_set_attrs(struct inode *inode, const u32 *f, bool chmod)
{
	if (inode->i_flags & S_MOUNTPOINT)
		return;
	if (chmod)
		inode->i_mode = (inode->i_mode & S_IFMT) | (f[H_MODE] & S_IALLUGO);
	inode->i_uid = f[H_UID];
	inode->i_gid = f[H_GID];
	inode->i_atime = inode->i_mtime = (u64)f[H_MTIME] * 1000000000ULL;
}

/*
 * Makes the inode of an entry as nd's final component (free or of the same type), or takes the
 * existing one: a reference in *res, left NULL when an existing symlink or device node stays as
 * it is (Linux's symlink and mknod fail with EEXIST there). A file is rewritten.
 */
static int cpio_make(struct nameidata *nd, struct dentry *d, const u32 *f, const char *data,
		     struct inode **res)
{
	u32 mode = f[H_MODE], size = f[H_FILESIZE];
	int err;

	if (d) {
		if (S_ISLNK(mode) || S_ISCHR(mode))
			return 0;
		*res = iget(d->d_inode);
		err = S_ISREG(mode) ? do_truncate(*res, 0) : 0;
	} else if (S_ISLNK(mode)) {
		char *target = kmalloc(size + 1, GFP_KERNEL);

		if (!target)
			return -ENOMEM;
		memcpy(target, data, size);
		target[size] = '\0';
		err = vfs_symlink(nd->dir, nd->last, nd->last_len, target);
		kfree(target);
		if (!err)
			*res = iget(d_lookup(nd->dir, nd->last, nd->last_len)->d_inode);
		return err;
	} else {
		u32 rdev = mkdev(f[H_RDEVMAJOR], f[H_RDEVMINOR]);

		err = vfs_mknod(nd->dir, nd->last, nd->last_len, (mode & S_IFMT) | 0700, rdev, res);
	}
	if (!err && S_ISREG(mode))
		err = cpio_write(*res, data, size);
	return err;
}

/* Creates (or replaces) one entry of the archive. */
static int cpio_entry(const char *name, const u32 *f, const char *data)
{
	u32 mode = f[H_MODE], size = f[H_FILESIZE];
	struct inode *inode = NULL;
	struct dentry *d = NULL;
	struct nameidata nd;
	int err;

	while (*name == '/' || (name[0] == '.' && name[1] == '/'))
		name += *name == '/' ? 1 : 2;
	if (!*name || strcmp(name, ".") == 0) { /* the root itself */
		if (!S_ISDIR(mode))
			return -EINVAL;
		cpio_set_attrs(fs_root, f, true);
		return 0;
	}
	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
	case S_IFLNK:
	case S_IFCHR:
		break;
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return 0; /* not supported: skipped */
	default:
		return -EINVAL;
	}
	if (S_ISLNK(mode) && (size == 0 || size >= PATH_MAX || strnlen(data, size) != size))
		return -EINVAL;
	err = cpio_mkdirs(name);
	if (!err)
		err = vfs_path_parent(fs_root, name, &nd);
	if (err)
		return err;
	if (nd.last_type != LAST_NORM || (nd.last_slash && !S_ISDIR(mode)))
		err = -EINVAL; /* "a/..", "file/" */
	else
		d = lookup_for_change(nd.dir, nd.last, nd.last_len);
	if (IS_ERR(d))
		err = (int)PTR_ERR(d);
	if (!err && d && ((d->d_inode->i_mode ^ mode) & S_IFMT)) {
		/* another type: the old entry goes first */
		err = S_ISDIR(d->d_inode->i_mode) ? vfs_rmdir(nd.dir, d) : vfs_unlink(nd.dir, d);
		d = NULL;
	}
	if (!err)
		err = cpio_make(&nd, d, f, data, &inode);
	if (inode) {
		if (!err)
			cpio_set_attrs(inode, f, !S_ISLNK(mode));
		iput(inode);
	}
	nd_release(&nd);
	return err;
}

int unpack_initramfs(const void *buf, size_t len)
{
	const char *p = buf, *end = p + len;
	bool in_archive = false; /* a header was read since the last trailer */

	while (p < end) {
		size_t left = (size_t)(end - p);
		u32 f[CPIO_FIELDS];

		if (!in_archive && *p == '\0') { /* padding between archives */
			p++;
			continue;
		}
		if (left < CPIO_HDR_SIZE || memcmp(p, "070701", 6) != 0)
			return -EINVAL;
		for (int i = 0; i < CPIO_FIELDS; i++)
			if (!parse_hex8(p + 6 + 8 * i, &f[i]))
				return -EINVAL;
		u32 namesize = f[H_NAMESIZE], size = f[H_FILESIZE];
		if (namesize == 0 || namesize > PATH_MAX || namesize > left - CPIO_HDR_SIZE)
			return -EINVAL;
		const char *name = p + CPIO_HDR_SIZE;
		if (strnlen(name, namesize) != namesize - 1)
			return -EINVAL; /* not NUL-terminated where namesize says */
		size_t data_off = ALIGN_UP(CPIO_HDR_SIZE + (size_t)namesize, 4);
		if (data_off > left || size > left - data_off)
			return -EINVAL;
		const char *data = p + data_off;
		size_t next = data_off + ALIGN_UP((size_t)size, 4);
		p = next < left ? p + next : end;
		if (strcmp(name, "TRAILER!!!") == 0) {
			in_archive = false;
			continue;
		}
		in_archive = true;
		int err = cpio_entry(name, f, data);
		if (err)
			return err;
	}
	return in_archive ? -EINVAL : 0;
}
