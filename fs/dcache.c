// SPDX-License-Identifier: MIT
/*
 * Directory entries. A directory's entries are a circular list, newest first; getdents64 walks it
 * with a cursor (an entry without an inode) that each open directory owns and keeps just before
 * the next entry to return, as Linux 6.1's dcache_readdir does. So a listing goes newest to
 * oldest, positions count entries (".", "..", then 2, 3, ...), an entry created while a listing
 * is under way is not returned by it, and one removed is never returned twice.
 */
#include "fs/vfs.h"
#include "fs/uio.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/slab.h"

/* Makes an empty list (or a node in no list). */
static void list_init(struct d_list *head)
{
	head->next = head->prev = head;
}

/* Inserts node right after pos. */
static void list_add_after(struct d_list *node, struct d_list *pos)
{
	node->next = pos->next;
	node->prev = pos;
	pos->next->prev = node;
	pos->next = node;
}

/* Takes node out of its list (harmless if it is in none). */
static void list_del_init(struct d_list *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	list_init(node);
}

/* The entry a list node belongs to. */
static struct dentry *dentry_of(struct d_list *node)
{
	return container_of(node, struct dentry, d_child);
}

void d_init_dir(struct inode *inode, struct inode *parent)
{
	list_init(&inode->i_subdirs);
	inode->i_parent = parent == inode ? inode : iget(parent);
}

struct dentry *d_lookup(struct inode *dir, const char *name, u32 len)
{
	for (struct d_list *p = dir->i_subdirs.next; p != &dir->i_subdirs; p = p->next) {
		struct dentry *d = dentry_of(p);

		if (d->d_inode && d->d_len == len && memcmp(d->d_name, name, len) == 0)
			return d;
	}
	return NULL;
}

struct dentry *d_add(struct inode *dir, const char *name, u32 len, struct inode *inode)
{
	struct dentry *d = kmalloc(sizeof(*d) + len + 1, GFP_KERNEL);

	if (!d)
		return NULL;
	d->d_parent = dir;
	d->d_inode = inode;
	d->d_len = len;
	memcpy(d->d_name, name, len);
	d->d_name[len] = '\0';
	list_add_after(&d->d_child, &dir->i_subdirs);
	d->d_alias = inode->i_dentry;
	inode->i_dentry = d;
	return d;
}

void d_delete(struct dentry *dentry)
{
	struct dentry **pp = &dentry->d_inode->i_dentry;

	list_del_init(&dentry->d_child);
	while (*pp && *pp != dentry)
		pp = &(*pp)->d_alias;
	if (*pp)
		*pp = dentry->d_alias;
	kfree(dentry);
}

/* The count-th entry after node (cursors do not count), or NULL if the list ends first. */
static struct dentry *scan_positives(struct d_list *node, struct d_list *head, s64 count)
{
	while ((node = node->next) != head) {
		struct dentry *d = dentry_of(node);

		if (d->d_inode && --count == 0)
			return d;
	}
	return NULL;
}

struct dentry *d_first_child(struct inode *dir)
{
	return scan_positives(&dir->i_subdirs, &dir->i_subdirs, 1);
}

bool d_dir_empty(struct inode *dir)
{
	return !scan_positives(&dir->i_subdirs, &dir->i_subdirs, 1);
}

struct inode *d_parent_dir(struct inode *dir)
{
	return dir->i_parent;
}

/* The d_type of an inode: its file type bits. */
static u32 dtype(u32 mode)
{
	return (mode & S_IFMT) >> 12;
}

/* Gives an open directory its cursor, not yet in the list. */
static int dcache_dir_open(struct inode *inode, struct file *file)
{
	struct dentry *cursor = kzalloc(sizeof(*cursor), GFP_KERNEL);

	if (!cursor)
		return -ENOMEM;
	cursor->d_parent = inode;
	list_init(&cursor->d_child);
	file->private_data = cursor;
	return 0;
}

/* Takes the cursor out of the directory and frees it. */
static void dcache_dir_close(struct inode *inode, struct file *file)
{
	struct dentry *cursor = file->private_data;

	(void)inode;
	list_del_init(&cursor->d_child);
	kfree(cursor);
}

/* Emits ".", "..", then the entries after the cursor, until the caller's buffer is full. */
static int dcache_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->f_inode;
	struct dentry *cursor = file->private_data, *next;
	struct d_list *head = &dir->i_subdirs, *p;

	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 0, dir->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->actor(ctx, "..", 2, 1, d_parent_dir(dir)->i_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	if (ctx->pos == 2)
		p = head;
	else if (cursor->d_child.next != &cursor->d_child)
		p = &cursor->d_child;
	else
		return 0;
	while ((next = scan_positives(p, head, 1))) {
		if (!ctx->actor(ctx, next->d_name, next->d_len, ctx->pos, next->d_inode->i_ino,
				dtype(next->d_inode->i_mode)))
			break;
		ctx->pos++;
		p = &next->d_child;
	}
	list_del_init(&cursor->d_child);
	if (next)
		list_add_after(&cursor->d_child, next->d_child.prev);
	return 0;
}

/* lseek on a directory: SEEK_SET or SEEK_CUR to a position >= 0, which moves the cursor. */
static s64 dcache_dir_lseek(struct file *file, s64 offset, int whence)
{
	struct inode *dir = file->f_inode;

	switch (whence) {
	case SEEK_CUR:
		if (__builtin_add_overflow(offset, file->f_pos, &offset))
			return -EINVAL;
		fallthrough;
	case SEEK_SET:
		if (offset >= 0)
			break;
		fallthrough;
	default:
		return -EINVAL;
	}
	if (offset != file->f_pos) {
		struct dentry *cursor = file->private_data;
		struct dentry *to = NULL;

		if (offset > 2)
			to = scan_positives(&dir->i_subdirs, &dir->i_subdirs, offset - 2);
		list_del_init(&cursor->d_child);
		if (to)
			list_add_after(&cursor->d_child, &to->d_child);
		file->f_pos = offset;
	}
	return offset;
}

/* read() of a directory is EISDIR, whatever the count. */
static ssize_t dcache_dir_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	(void)file;
	(void)to;
	(void)ppos;
	return -EISDIR;
}

const struct file_operations dcache_dir_operations = {
	.open = dcache_dir_open,
	.release = dcache_dir_close,
	.read = dcache_dir_read,
	.llseek = dcache_dir_lseek,
	.iterate = dcache_readdir,
};
