// SPDX-License-Identifier: MIT
/*
 * Path lookup, as Linux's fs/namei.c does it. A walk resolves every component but the last
 * (link_path_walk), following symlinks as it meets them: a symlink in the middle of a path is
 * replaced by its target, and the rest of the path is resumed when the target is used up, so
 * nesting needs a small stack, never recursion. The caller then decides what the final component
 * means: look it up (stat, open), create it (mkdir, O_CREAT), or remove it (unlink, rmdir).
 *
 * The rules: "" is ENOENT; a path of PATH_MAX bytes or more, or a component of more than NAME_MAX,
 * is ENAMETOOLONG; a component other than the last that is not a directory is ENOTDIR, as is a
 * trailing slash after a non-directory; a trailing slash also makes a final symlink be followed;
 * ".." of the root is the root; more than MAXSYMLINKS symlinks in one resolution is ELOOP; a
 * component (the last one too, and "." and "..") in a directory the caller may not search is
 * EACCES (Linux's may_lookup).
 */
#include "fs/vfs.h"
#include "fs/mount.h"
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/slab.h"

struct inode *fs_root;

char *getname(const char __user *filename, bool empty_ok)
{
	char *name = kmalloc(PATH_MAX, GFP_KERNEL);

	if (!name)
		return ERR_PTR(-ENOMEM);
	long len = strncpy_from_user(name, filename, PATH_MAX);
	long err = 0;

	if (len < 0)
		err = len; /* EFAULT */
	else if (len >= PATH_MAX)
		err = -ENAMETOOLONG;
	else if (!len && !empty_ok)
		err = -ENOENT;
	if (err) {
		kfree(name);
		return ERR_PTR(err);
	}
	return name;
}

void putname(char *name)
{
	kfree(name);
}

char *inode_get_link(struct inode *inode)
{
	if (inode->i_get_link)
		return inode->i_get_link(inode);
	size_t len = strlen(inode->i_link);
	char *body = kmalloc(len + 1, GFP_KERNEL);

	if (!body)
		return ERR_PTR(-ENOMEM);
	memcpy(body, inode->i_link, len + 1);
	return body;
}

struct inode *lookup_child(struct inode *dir, const char *name, u32 len)
{
	if (len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	struct dentry *dentry = d_lookup(dir, name, len);
	if (dentry)
		return iget(dentry->d_inode);
	if (dir->i_lookup) {
		struct inode *inode = dir->i_lookup(dir, name, len);
		if (inode)
			return inode; /* or an ERR_PTR: proc's -ESRCH for a task that is gone */
	}
	return ERR_PTR(-ENOENT);
}

struct dentry *lookup_for_change(struct inode *dir, const char *name, u32 len)
{
	if (!dir->i_nlink)
		return ERR_PTR(-ENOENT); /* a removed directory gets no new entries */
	if (len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	struct dentry *dentry = d_lookup(dir, name, len);
	if (!dentry && dir->i_sb->s_fixed)
		return ERR_PTR(-ENOENT); /* proc has no negative entries */
	return dentry;
}

/* Whether a component is ".", ".." or a name. */
static int component_type(const char *name, u32 len)
{
	if (name[0] == '.' && len == 1)
		return LAST_DOT;
	if (name[0] == '.' && name[1] == '.' && len == 2)
		return LAST_DOTDOT;
	return LAST_NORM;
}

/* Moves the walk to dir, whose reference it takes over. */
static void nd_set_dir(struct nameidata *nd, struct inode *dir)
{
	struct inode *old = nd->dir;

	nd->dir = dir;
	iput(old);
}

/*
 * Starts following the symlink link: counts it, reads its target and moves the walk to the root
 * if the target is absolute. Returns the target (kmalloc'd) with *start past its leading slashes.
 */
static char *nd_get_link(struct nameidata *nd, struct inode *link, const char **start)
{
	if (++nd->total_links > MAXSYMLINKS)
		return ERR_PTR(-ELOOP);
	char *body = inode_get_link(link);
	if (IS_ERR(body))
		return body;
	const char *s = body;
	if (*s == '/') {
		nd_set_dir(nd, iget(fs_root));
		nd->mnt = mount_table;
		while (*s == '/')
			s++;
	}
	*start = s;
	return body;
}

/* Follows a magic link (Linux's proc_fd_link and nd_jump_link): counts it as a symlink (ELOOP
 * past MAXSYMLINKS) and returns the inode it reaches, a reference, or an ERR_PTR. */
static struct inode *nd_jump_target(struct nameidata *nd, struct inode *link)
{
	if (++nd->total_links > MAXSYMLINKS)
		return ERR_PTR(-ELOOP);
	return link->i_jump_link(link);
}

/*
 * Walks name from nd->dir up to its final component, which it leaves in nd (not looked up). A
 * name made only of slashes leaves LAST_ROOT: the directory reached is the answer.
 */
static int link_path_walk(struct nameidata *nd, const char *name)
{
	/* Where to resume when the target of a symlink met mid-path is used up. */
	struct {
		const char *rest;
		char *body;
	} stack[MAXSYMLINKS];
	int depth = 0, err = 0;

	nd->last = name;
	nd->last_len = 0;
	nd->last_type = LAST_ROOT;
	nd->last_slash = false;
	for (;;) {
		while (*name == '/')
			name++;
		if (!*name) {
			if (!depth)
				break;
			depth--;
			kfree(stack[depth].body);
			name = stack[depth].rest;
			continue;
		}
		/* may_lookup: each component needs search permission on the directory it is in */
		err = inode_permission(nd->dir, MAY_EXEC);
		if (err)
			break;
		const char *comp = name;
		u32 len = 0;
		while (comp[len] && comp[len] != '/')
			len++;
		name = comp + len;
		const char *rest = name;
		while (*rest == '/')
			rest++;
		int type = component_type(comp, len);
		if (!depth && !*rest) {
			nd->last = comp;
			nd->last_len = len;
			nd->last_type = type;
			nd->last_slash = *name == '/';
			break;
		}
		name = rest;
		if (type == LAST_DOT)
			continue;
		if (type == LAST_DOTDOT) {
			nd_set_dir(nd, follow_dotdot(nd->dir, &nd->mnt));
			continue;
		}
		struct inode *child = lookup_child(nd->dir, comp, len);
		if (IS_ERR(child)) {
			err = (int)PTR_ERR(child);
			break;
		}
		child = follow_mount(child, &nd->mnt);
		if (S_ISLNK(child->i_mode) && child->i_jump_link) {
			struct inode *target = nd_jump_target(nd, child);

			iput(child);
			if (IS_ERR(target)) {
				err = (int)PTR_ERR(target);
				break;
			}
			if (!S_ISDIR(target->i_mode)) {
				iput(target);
				err = -ENOTDIR;
				break;
			}
			nd_set_dir(nd, target);
			nd->mnt = inode_mount(target) ? inode_mount(target) : nd->mnt;
			continue;
		}
		if (S_ISLNK(child->i_mode)) {
			const char *start;
			char *body = nd_get_link(nd, child, &start);

			iput(child);
			if (IS_ERR(body)) {
				err = (int)PTR_ERR(body);
				break;
			}
			/* depth <= total_links <= MAXSYMLINKS: the stack cannot overflow */
			stack[depth].rest = name;
			stack[depth].body = body;
			depth++;
			name = start;
			continue;
		}
		if (!S_ISDIR(child->i_mode)) {
			iput(child);
			err = -ENOTDIR;
			break;
		}
		nd_set_dir(nd, child);
	}
	while (depth)
		kfree(stack[--depth].body);
	return err;
}

int nd_follow_link(struct nameidata *nd, struct inode *link)
{
	const char *start;

	if (link->i_jump_link) {
		struct inode *target = nd_jump_target(nd, link);

		if (IS_ERR(target))
			return (int)PTR_ERR(target);
		nd_set_dir(nd, target);
		nd->mnt = inode_mount(target) ? inode_mount(target) : nd->mnt;
		nd->last_type = LAST_JUMP;
		return 0;
	}
	char *body = nd_get_link(nd, link, &start);

	if (IS_ERR(body))
		return (int)PTR_ERR(body);
	kfree(nd->link_body);
	nd->link_body = body;
	return link_path_walk(nd, start);
}

/* Resolves the final component a walk stopped at, to an inode reference. */
static struct inode *walk_last(struct nameidata *nd, unsigned int flags)
{
	for (;;) {
		struct inode *inode;

		if (nd->last_type == LAST_NORM && nd->last_slash)
			flags |= LOOKUP_FOLLOW | LOOKUP_DIRECTORY;
		if (nd->last_type == LAST_DOTDOT) {
			inode = follow_dotdot(nd->dir, &nd->mnt);
		} else if (nd->last_type != LAST_NORM) {
			inode = iget(nd->dir);
		} else {
			inode = lookup_child(nd->dir, nd->last, nd->last_len);
			if (IS_ERR(inode))
				return inode;
			inode = follow_mount(inode, &nd->mnt);
			if (S_ISLNK(inode->i_mode) && (flags & LOOKUP_FOLLOW)) {
				int err = nd_follow_link(nd, inode);

				iput(inode);
				if (err)
					return ERR_PTR(err);
				continue;
			}
		}
		if ((flags & LOOKUP_DIRECTORY) && !S_ISDIR(inode->i_mode)) {
			iput(inode);
			return ERR_PTR(-ENOTDIR);
		}
		return inode;
	}
}

/*
 * The directory a walk of name starts from, as a reference: the root for an absolute name, else
 * the working directory (AT_FDCWD) or dfd's directory. With LOOKUP_EMPTY, "" names dfd's file,
 * of any type.
 */
static struct inode *path_start(int dfd, const char *name, unsigned int flags)
{
	if (*name == '/')
		return iget(fs_root);
	if (dfd == AT_FDCWD)
		return iget(current_pwd());
	struct file *f = fget_raw(dfd);
	if (!f)
		return ERR_PTR(-EBADF);
	struct inode *inode = iget(f->f_inode);
	fput(f);
	if ((*name || !(flags & LOOKUP_EMPTY)) && !S_ISDIR(inode->i_mode)) {
		iput(inode);
		return ERR_PTR(-ENOTDIR);
	}
	return inode;
}

void nd_release(struct nameidata *nd)
{
	if (nd->dir)
		iput(nd->dir);
	nd->dir = NULL;
	kfree(nd->link_body);
	nd->link_body = NULL;
}

/*
 * path_lookupat() from a known start directory (whose reference it takes over); *mnt, if mnt is
 * not NULL, gets the mount the result is seen through.
 */
static int lookup_from(struct inode *start, const char *name, unsigned int flags,
		       struct inode **res, struct mount **mnt)
{
	struct nameidata nd = { .dir = start, .mnt = inode_mount(start) };
	int err;

	if (!*name) {
		if (!(flags & LOOKUP_EMPTY)) {
			iput(start);
			return -ENOENT;
		}
		*res = start;
		if (mnt)
			*mnt = nd.mnt;
		return 0;
	}
	err = link_path_walk(&nd, name);
	if (!err) {
		struct inode *inode = walk_last(&nd, flags);

		if (IS_ERR(inode))
			err = (int)PTR_ERR(inode);
		else
			*res = inode;
		if (mnt)
			*mnt = nd.mnt;
		/* a use of the mount (Linux's mntput): MNT_EXPIRE has to ask twice again */
		if (nd.mnt && !(flags & LOOKUP_NO_EXPIRE))
			nd.mnt->mnt_expiry_mark = false;
	}
	nd_release(&nd);
	return err;
}

int path_lookupat(int dfd, const char *name, unsigned int flags, struct inode **res)
{
	return path_lookup_mnt(dfd, name, flags, res, NULL);
}

int path_lookup_mnt(int dfd, const char *name, unsigned int flags, struct inode **res,
		    struct mount **mnt)
{
	struct inode *start = path_start(dfd, name, flags);

	if (IS_ERR(start))
		return (int)PTR_ERR(start);
	return lookup_from(start, name, flags, res, mnt);
}

int vfs_path_lookup(struct inode *start, const char *name, unsigned int flags, struct inode **res)
{
	return lookup_from(iget(*name == '/' ? fs_root : start), name, flags, res, NULL);
}

/* path_parentat() from a known start directory (whose reference it takes over). */
static int parent_from(struct inode *start, const char *name, struct nameidata *nd)
{
	*nd = (struct nameidata){ .dir = start, .mnt = inode_mount(start) };
	int err = *name ? link_path_walk(nd, name) : -ENOENT;
	if (err)
		nd_release(nd);
	return err;
}

int path_parentat(int dfd, const char *name, struct nameidata *nd)
{
	*nd = (struct nameidata){ 0 };
	if (!*name)
		return -ENOENT;
	struct inode *start = path_start(dfd, name, 0);
	if (IS_ERR(start))
		return (int)PTR_ERR(start);
	return parent_from(start, name, nd);
}

int vfs_path_parent(struct inode *start, const char *name, struct nameidata *nd)
{
	return parent_from(iget(*name == '/' ? fs_root : start), name, nd);
}
