// SPDX-License-Identifier: MIT
/*
 * /proc/PID/ns (Linux 6.1's fs/proc/namespaces.c) with the namespaces Warden has: time and
 * time_for_children, links that read "time:[INUM]" and, followed, reach the namespace's nsfs
 * file (Linux's fs/nsfs.c), which setns(2) takes. Warden has one namespace of every other kind
 * and shows no link for them.
 */
#include "fs/abi.h"
#include "fs/proc.h"
#include "fs/vfs.h"
#include "kernel/err.h"
#include "kernel/errno.h"
#include "kernel/proc_ns.h"
#include "kernel/ptrace.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/time_namespace.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"

#define NSFS_MAGIC 0x6e736673

/* The entries of a ns directory, in Linux's order; i_private of a link is its index. */
static const char *const proc_ns_names[] = { "time", "time_for_children" };
#define PROC_NS_ENTRIES (sizeof(proc_ns_names) / sizeof(proc_ns_names[0]))

static void nsfs_evict(struct inode *inode);

/* nsfs: one inode per open of a namespace file, which holds a reference on the namespace. */
static struct super_block nsfs_sb = {
	.s_dev = 4,
	.s_blocksize = PAGE_SIZE,
	.s_fixed = true, /* no truncate: a kernel-made file */
	.s_magic = NSFS_MAGIC,
	.s_evict = nsfs_evict,
};

/* Reading a namespace file is EINVAL (no read), as Linux's ns_file_operations. */
static const struct file_operations ns_file_operations;

/* An nsfs inode is freed: its namespace loses the reference the inode held. */
static void nsfs_evict(struct inode *inode)
{
	put_time_ns(inode->i_private);
}

struct time_namespace *nsfs_time_ns(struct file *file)
{
	struct inode *inode = file->f_inode;

	return inode->i_sb == &nsfs_sb ? inode->i_private : NULL;
}

/* The namespace a link names, with a reference; NULL once the task exited. */
static struct time_namespace *proc_ns_get(struct task_struct *t, unsigned int which)
{
	struct time_namespace *ns = which ? task_time_ns_for_children(t) : task_time_ns(t);

	return ns ? get_time_ns(ns) : NULL;
}

/*
 * The task a link describes, when the caller may look at its namespaces (Linux's
 * ptrace_may_access(PTRACE_MODE_READ_FSCREDS)): else an ERR_PTR(-EACCES), also once the task
 * is reaped.
 */
static struct task_struct *proc_ns_task(struct inode *inode)
{
	struct task_struct *t = inode->i_pid ? proc_pid_task(inode) : current;

	if (!t || ptrace_may_access(t, PTRACE_MODE_READ_FSCREDS))
		return ERR_PTR(-EACCES);
	return t;
}

/* readlink: "time:[INUM]" for both links (Linux's ns_get_name); ENOENT once the task exited. */
static char *proc_ns_get_link(struct inode *inode)
{
	struct task_struct *t = proc_ns_task(inode);
	char name[32];

	if (IS_ERR(t))
		return ERR_PTR(PTR_ERR(t));
	struct time_namespace *ns = proc_ns_get(t, (unsigned int)(uintptr_t)inode->i_private);
	if (!ns)
		return ERR_PTR(-ENOENT);
	snprintf(name, sizeof(name), "time:[%u]", ns->inum);
	put_time_ns(ns);
	return proc_strdup(name);
}

/* Following the link reaches the namespace's nsfs file (Linux's ns_get_path, nd_jump_link). */
static struct inode *proc_ns_jump_link(struct inode *inode)
{
	struct task_struct *t = proc_ns_task(inode);

	if (IS_ERR(t))
		return ERR_PTR(PTR_ERR(t));
	struct time_namespace *ns = proc_ns_get(t, (unsigned int)(uintptr_t)inode->i_private);
	if (!ns)
		return ERR_PTR(-ENOENT);
	struct inode *file = new_inode(&nsfs_sb, S_IFREG | 0444);
	if (!file) {
		put_time_ns(ns);
		return ERR_PTR(-ENOMEM);
	}
	file->i_ino = ns->inum;
	file->i_private = ns;
	file->i_fop = &ns_file_operations;
	return file;
}

/* The link NAME in a ns directory (lrwxrwxrwx, owned as the task's other files). */
static struct inode *proc_ns_lookup(struct inode *dir, const char *name, u32 len)
{
	struct task_struct *t = proc_pid_task(dir);

	if (!t)
		return ERR_PTR(-ENOENT); /* reaped: Linux's proc_ns_dir_lookup */
	for (unsigned int i = 0; i < PROC_NS_ENTRIES; i++) {
		if (strlen(proc_ns_names[i]) != len || memcmp(proc_ns_names[i], name, len))
			continue;
		struct inode *inode = new_inode(&proc_sb, S_IFLNK | 0777);
		if (!inode)
			return NULL;
		inode->i_get_link = proc_ns_get_link;
		inode->i_jump_link = proc_ns_jump_link;
		inode->i_private = (void *)(uintptr_t)i;
		inode->i_pid = dir->i_pid;
		inode->i_pid_serial = dir->i_pid_serial;
		task_dump_owner(t, inode->i_mode, &inode->i_uid, &inode->i_gid);
		return inode;
	}
	return NULL;
}

/* getdents of a ns directory: ".", "..", then the links. ENOENT once the task is reaped. */
static int proc_ns_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->f_inode;

	if (!proc_pid_task(dir))
		return -ENOENT;
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
	for (s64 i = ctx->pos - 2; i < (s64)PROC_NS_ENTRIES; i++) {
		const char *name = proc_ns_names[i];

		if (!ctx->actor(ctx, name, (u32)strlen(name), i + 2, dir->i_ino + 1 + (u64)i,
				DT_LNK))
			return 0;
		ctx->pos = i + 3;
	}
	return 0;
}

static struct file_operations proc_ns_dir_fops;

struct inode *proc_ns_dir(struct inode *parent, struct task_struct *t)
{
	struct inode *inode = proc_new_dir(parent);

	if (!inode)
		return NULL;
	if (!proc_ns_dir_fops.iterate) {
		proc_ns_dir_fops = dcache_dir_operations;
		proc_ns_dir_fops.iterate = proc_ns_readdir;
	}
	inode->i_mode = S_IFDIR | 0511;
	inode->i_pid = parent->i_pid;
	inode->i_pid_serial = parent->i_pid_serial;
	inode->i_lookup = proc_ns_lookup;
	inode->i_fop = &proc_ns_dir_fops;
	task_dump_owner(t, inode->i_mode, &inode->i_uid, &inode->i_gid);
	return inode;
}
