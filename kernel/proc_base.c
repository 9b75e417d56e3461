// SPDX-License-Identifier: MIT
/*
 * /proc/<pid> for every task (Linux's fs/proc/base.c): looking up a decimal pid in /proc makes a
 * directory (with no name, freed with its last reference) that remembers the pid; looking up a
 * name in it copies the template entry of /proc/self (fs/proc.c) with the pid, so generated
 * files describe that task (proc_task()) at open, and fd/ and cwd describe it too. A task reaped
 * since the lookup is ESRCH for new names and at open, as Linux. Pids are reused after a wrap
 * (kernel/fork.c), so an inode keeps the task's pid_serial too and names only that task.
 */
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "fs/proc.h"
#include "kernel/err.h"
#include "kernel/errno.h"
#include "kernel/proc_ns.h"
#include "kernel/ptrace.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/memfd.h"

/*
 * The live task (zombies included) a /proc/<pid> inode was made for: NULL once reaped, and NULL
 * for a task that got the same pid later (another pid_serial), as Linux's struct pid.
 */
static struct task_struct *proc_find_task(const struct inode *inode)
{
	struct task_struct *t = find_task_by_pid(inode->i_pid);

	return t && t->pid_serial == inode->i_pid_serial ? t : NULL;
}

/* The task a /proc inode describes: its pid's, or the caller for /proc/self's own entries. */
static struct task_struct *proc_inode_task(struct inode *inode)
{
	return inode->i_pid ? proc_find_task(inode) : current;
}

/*
 * inode belongs to task t: owned by its effective ids, or root's when it is not dumpable
 * (task_dump_owner; Linux's pid_update_inode at each lookup), so its mode bits say who may
 * open it (proc_owner_permission).
 */
static void proc_set_owner(struct inode *inode, struct task_struct *t)
{
	task_dump_owner(t, inode->i_mode, &inode->i_uid, &inode->i_gid);
}

/* inode describes the same task as dir (a name inside /proc/<pid>), and is owned as it says. */
static void proc_bind_task(struct inode *inode, const struct inode *dir)
{
	struct task_struct *t = proc_find_task(dir);

	inode->i_pid = dir->i_pid;
	inode->i_pid_serial = dir->i_pid_serial;
	if (t)
		proc_set_owner(inode, t);
}

static struct inode *proc_pid_lookup(struct inode *dir, const char *name, u32 len);
static struct inode *proc_tid_lookup(struct inode *dir, const char *name, u32 len);

/*
 * proc_pid_revalidate (fs/proc.h): the inode's owner from its task again (Linux's
 * pid_update_inode at each revalidation, and pid_getattr for /proc/PID and task/TID, which show
 * root's ids once the task is reaped), then fdinfo's check (Linux's proc_fdinfo_permission: the
 * task must still be there, ESRCH, and the caller may read it, PTRACE_MODE_READ_FSCREDS, EACCES).
 */
static int proc_revalidate(struct inode *inode, int mask)
{
	struct task_struct *t = proc_find_task(inode);

	if (t) {
		proc_set_owner(inode, t);
		inode->i_mode &= ~(u32)(S_ISUID | S_ISGID);
	} else if (mask == PROC_REVALIDATE_STAT && S_ISDIR(inode->i_mode) &&
		   (inode->i_lookup == proc_pid_lookup || inode->i_lookup == proc_tid_lookup)) {
		inode->i_uid = inode->i_gid = 0;
	}
	if (mask == PROC_REVALIDATE_STAT || !(inode->i_flags & S_PROC_FDINFO))
		return 0;
	if (!t)
		return -ESRCH;
	return ptrace_may_access(t, PTRACE_MODE_READ_FSCREDS) ? -EACCES : 0;
}

/*
 * proc_pid_mm_get (fs/proc.h): Linux's proc_mem_open for a file that shows a task's memory: the
 * task's mm, grabbed, when mm_access allows it; ESRCH once the task is reaped, EACCES when
 * mm_access refuses.
 */
static struct mm_struct *proc_mm_get(struct inode *inode, unsigned int mode)
{
	struct task_struct *t = proc_inode_task(inode);
	struct mm_struct *mm;

	if (!t)
		return ERR_PTR(-ESRCH);
	mm = mm_access(t, mode);
	if (!IS_ERR_OR_NULL(mm))
		mmgrab(mm);
	return mm;
}

/*
 * A /proc name as a number, as Linux's name_to_int: decimal digits only, no leading zero
 * (so "0" is 0 and "01" is not a number), and no more than fits; -1 if it is not one.
 */
static int proc_name_to_int(const char *name, u32 len)
{
	u32 n = 0;

	if (len == 0 || len > 10 || (name[0] == '0' && len > 1))
		return -1;
	for (u32 i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9' || n >= (~0U - 9) / 10)
			return -1;
		n = n * 10 + (u32)(name[i] - '0');
	}
	return n > 0x7fffffffU ? -1 : (int)n;
}

/* The path of inode as a kmalloc'd link target (proc's links name files by path). */
static char *proc_path_link(struct inode *inode)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL), *path;

	if (!buf)
		return ERR_PTR(-ENOMEM);
	path = d_path(inode, buf, PATH_MAX);
	if (!IS_ERR(path))
		path = proc_strdup(path);
	kfree(buf);
	return path;
}

/*
 * Linux's proc_fd_access_allowed: the cwd and fd links of another user's process are refused
 * (EACCES) unless the caller may inspect it (ptrace_may_access, PTRACE_MODE_READ_FSCREDS).
 */
static bool proc_fd_access_allowed(struct task_struct *t)
{
	return t && !ptrace_may_access(t, PTRACE_MODE_READ_FSCREDS);
}

/* /proc/<pid>/cwd -> the task's working directory (ENOENT for a zombie: it has none). */
static char *proc_cwd_get_link(struct inode *inode)
{
	struct task_struct *t = proc_inode_task(inode);

	if (t && !proc_fd_access_allowed(t))
		return ERR_PTR(-EACCES);
	if (!t || !t->fs || !t->fs->pwd)
		return ERR_PTR(-ENOENT);
	return proc_path_link(t->fs->pwd);
}

/*
 * /proc/<pid>/fd/<n> -> what the descriptor refers to: a file's path, or "pipe:[ino]" for a
 * pipe and "socket:[ino]" for a socket, as Linux's d_path of their dentries. ENOENT once the
 * descriptor is closed.
 */
static char *proc_fd_get_link(struct inode *inode)
{
	struct task_struct *t = proc_inode_task(inode);
	struct file *file =
		t ? lookup_fd(t->files, (unsigned int)(uintptr_t)inode->i_private) : NULL;
	char pipe[32];

	if (t && !proc_fd_access_allowed(t))
		return ERR_PTR(-EACCES);
	if (!file)
		return ERR_PTR(-ENOENT);
	if (file->f_anon_name) {
		snprintf(pipe, sizeof(pipe), "anon_inode:%s", file->f_anon_name);
		return proc_strdup(pipe);
	}
	if (!file->f_inode->i_dentry && memfd_name(file->f_inode)) {
		char *link = kmalloc(PATH_MAX, GFP_KERNEL);

		if (!link)
			return ERR_PTR(-ENOMEM);
		snprintf(link, PATH_MAX, "/%s (deleted)", memfd_name(file->f_inode));
		return link;
	}
	if (file->f_inode->i_dentry ||
	    !(S_ISFIFO(file->f_inode->i_mode) || S_ISSOCK(file->f_inode->i_mode)))
		return proc_path_link(file->f_inode);
	snprintf(pipe, sizeof(pipe), "%s:[%llu]",
		 S_ISFIFO(file->f_inode->i_mode) ? "pipe" : "socket",
		 (unsigned long long)file->f_inode->i_ino);
	return proc_strdup(pipe);
}

/*
 * Following /proc/<pid>/fd/<n> reaches the descriptor's own inode, as Linux's proc_fd_link: an
 * unlinked file, a memfd or a pipe is opened again by its inode (with the new open's flags and
 * permission check; a socket's open is ENXIO). ENOENT once the descriptor is closed.
 */
static struct inode *proc_fd_jump_link(struct inode *inode)
{
	struct task_struct *t = proc_inode_task(inode);
	struct file *file =
		t ? lookup_fd(t->files, (unsigned int)(uintptr_t)inode->i_private) : NULL;

	if (t && !proc_fd_access_allowed(t))
		return ERR_PTR(-EACCES);
	if (!file)
		return ERR_PTR(-ENOENT);
	return iget(file->f_inode);
}

/*
 * /proc/<pid>/fd/<n>: a link for each open descriptor, lrwx------ style as Linux (r-x for
 * reading, -wx for writing, owner only).
 */
static struct inode *proc_fd_lookup(struct inode *dir, const char *name, u32 len)
{
	struct task_struct *t = proc_inode_task(dir);
	int fd = proc_name_to_int(name, len);
	struct file *file = t && fd >= 0 && t->state < EXIT_ZOMBIE
				    ? lookup_fd(t->files, (unsigned int)fd)
				    : NULL;
	u32 mode = S_IFLNK;

	if (!file)
		return NULL;
	if (file->f_mode & FMODE_READ)
		mode |= 0500;
	if (file->f_mode & FMODE_WRITE)
		mode |= 0300;
	struct inode *inode = new_inode(&proc_sb, mode);
	if (!inode)
		return NULL;
	inode->i_get_link = proc_fd_get_link;
	inode->i_jump_link = proc_fd_jump_link;
	inode->i_private = (void *)(uintptr_t)fd;
	proc_bind_task(inode, dir);
	return inode;
}

/* getdents positions of /proc/<pid> and its fd/: ".", "..", then one per entry from 2 on. */
#define PROC_FIRST_ENTRY 2

/* Emits "." and ".." of a /proc/<pid> directory (Linux's dir_emit_dots); false when full. */
static bool proc_emit_dots(struct inode *dir, struct dir_context *ctx)
{
	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 0, dir->i_ino, DT_DIR))
			return false;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->actor(ctx, "..", 2, 1, d_parent_dir(dir)->i_ino, DT_DIR))
			return false;
		ctx->pos = PROC_FIRST_ENTRY;
	}
	return true;
}

/*
 * getdents of /proc/<pid>/fd (Linux's proc_readfd): ".", "..", then each open descriptor of
 * the task in increasing order at position fd + 2, as a link. ENOENT once the task is reaped.
 */
static int proc_fd_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->f_inode;
	struct task_struct *t = proc_inode_task(dir);
	char name[12];

	if (!t)
		return -ENOENT;
	if (!proc_emit_dots(dir, ctx) || !t->files)
		return 0;
	for (s64 fd = ctx->pos - PROC_FIRST_ENTRY; fd < t->files->max_fds; fd++) {
		if (!lookup_fd(t->files, (unsigned int)fd))
			continue;
		int len = snprintf(name, sizeof(name), "%d", (int)fd);
		if (!ctx->actor(ctx, name, (u32)len, fd + PROC_FIRST_ENTRY, dir->i_ino + 1 + fd,
				DT_LNK))
			return 0;
		ctx->pos = fd + PROC_FIRST_ENTRY + 1;
	}
	return 0;
}

/*
 * getdents of /proc/<pid>/fdinfo (Linux's proc_readfdinfo): as fd/, each open descriptor at
 * position fd + 2, as a regular file.
 */
static int proc_fdinfo_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->f_inode;
	struct task_struct *t = proc_inode_task(dir);
	char name[12];

	if (!t)
		return -ENOENT;
	if (!proc_emit_dots(dir, ctx) || !t->files)
		return 0;
	for (s64 fd = ctx->pos - PROC_FIRST_ENTRY; fd < t->files->max_fds; fd++) {
		if (!lookup_fd(t->files, (unsigned int)fd))
			continue;
		int len = snprintf(name, sizeof(name), "%d", (int)fd);
		if (!ctx->actor(ctx, name, (u32)len, fd + PROC_FIRST_ENTRY, dir->i_ino + 1 + fd,
				DT_REG))
			return 0;
		ctx->pos = fd + PROC_FIRST_ENTRY + 1;
	}
	return 0;
}

/*
 * /proc/<pid>/fdinfo/<n> (Linux's seq_show): the position, the flags in octal (with O_CLOEXEC
 * when the descriptor has it), the mount id and the inode number. ENOENT once it is closed.
 * The file is held across the show, as Linux's: an epoll set's show sleeps for the set's mtx,
 * and the descriptor may be closed meanwhile; its last reference may then be ours (its release
 * takes epmutex and the mtx under proc_file.lock: docs/locking.md).
 */
static int proc_fdinfo_show(struct seq_buf *m)
{
	struct task_struct *t = proc_task();
	unsigned int fd = (unsigned int)(uintptr_t)proc_show_inode()->i_private;
	struct file *file = t->files && t->state < EXIT_ZOMBIE ? lookup_fd(t->files, fd) : NULL;

	if (!file)
		return -ENOENT;
	get_file(file);
	u32 flags = file->f_flags;
	if (files_get_close_on_exec(t->files, fd))
		flags |= O_CLOEXEC;
	seq_printf(m, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%llu\n", (long long)file->f_pos,
		   flags, 1, (unsigned long long)file->f_inode->i_ino);
	if (file->f_op && file->f_op->show_fdinfo)
		file->f_op->show_fdinfo(m, file);
	fput(file);
	return 0;
}

/* /proc/<pid>/fdinfo/<n>: a file (0444) for each open descriptor. */
static struct inode *proc_fdinfo_lookup(struct inode *dir, const char *name, u32 len)
{
	struct task_struct *t = proc_inode_task(dir);
	int fd = proc_name_to_int(name, len);

	if (!t || fd < 0 || t->state >= EXIT_ZOMBIE || !lookup_fd(t->files, (unsigned int)fd))
		return NULL;
	struct inode *inode = proc_new_file(0444, proc_fdinfo_show);
	if (!inode)
		return NULL;
	inode->i_private = (void *)(uintptr_t)fd;
	inode->i_flags |= S_PROC_FDINFO;
	proc_bind_task(inode, dir);
	return inode;
}

/* The entries with file operations of their own that find their task by pid (Linux's). */
static bool proc_pid_fops_name(const char *name, u32 len)
{
	static const char *const names[] = { "mem",	"pagemap", "clear_refs",    "oom_score_adj",
					     "oom_adj", "environ", "timens_offsets" };

	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && !memcmp(name, names[i], len))
			return true;
	return false;
}

/* Whether the template entry tmpl shows in pid's directory (proc_pid_lookup finds it there). */
static bool proc_pid_entry_shown(struct inode *tmpl, int pid)
{
	if (current->tgid == pid)
		return true;
	if (S_ISLNK(tmpl->i_mode))
		return true;
	struct inode *copy = proc_pid_entry(tmpl, pid);
	iput(copy); /* the same test as proc_pid_entry's, without a second copy of it */
	return copy != NULL;
}

/*
 * getdents of /proc/<pid>/task (Linux's proc_task_readdir): ".", "..", then a directory for each
 * thread of the process, in creation order, at positions 2, 3, ... ENOENT once it is reaped.
 */
static int proc_task_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->f_inode;
	struct task_struct *p = proc_find_task(dir), *t;
	s64 pos = PROC_FIRST_ENTRY;
	char name[12];

	if (!p)
		return -ENOENT;
	if (!proc_emit_dots(dir, ctx))
		return 0;
	for_each_thread(p, t) {
		if (t->state == EXIT_DEAD || pos++ < ctx->pos)
			continue;
		int len = snprintf(name, sizeof(name), "%d", t->pid);
		if (!ctx->actor(ctx, name, (u32)len, pos - 1, 0x40000000ULL + t->pid, DT_DIR))
			return 0;
		ctx->pos = pos;
	}
	return 0;
}

/* The names getdents of /proc/<pid> and /proc/<pid>/task/<tid> list before the template's. */
static const struct {
	const char *name;
	u32 type;
} proc_pid_fixed[] = { { "task", DT_DIR },
		       { "fd", DT_DIR },
		       { "fdinfo", DT_DIR },
		       { "ns", DT_DIR },
		       { "children", DT_REG } };

/*
 * getdents of /proc/<pid> (Linux's proc_pident_readdir): ".", "..", "task", "fd", "fdinfo", "ns"
 * (and "children" in a thread's directory: nfixed 5), then the entries of the template directory
 * the task's directory shows, in its order, at the positions that follow. ENOENT once the task is
 * reaped.
 */
static int proc_pident_readdir(struct file *file, struct dir_context *ctx, int nfixed)
{
	struct inode *dir = file->f_inode, *tmpl_dir = proc_pid_template_dir();
	struct d_list *head = &tmpl_dir->i_subdirs;
	s64 pos = PROC_FIRST_ENTRY + nfixed;

	if (!proc_find_task(dir))
		return -ENOENT;
	if (!proc_emit_dots(dir, ctx))
		return 0;
	for (int i = 0; i < nfixed; i++) {
		const char *name = proc_pid_fixed[i].name;

		if (ctx->pos != PROC_FIRST_ENTRY + i)
			continue;
		if (!ctx->actor(ctx, name, (u32)strlen(name), ctx->pos, dir->i_ino + 1 + i,
				proc_pid_fixed[i].type))
			return 0;
		ctx->pos++;
	}
	for (struct d_list *n = head->next; n != head; n = n->next) {
		struct dentry *d = container_of(n, struct dentry, d_child);

		if (!d->d_inode || (!proc_pid_entry_shown(d->d_inode, dir->i_pid) &&
				    !proc_pid_fops_name(d->d_name, d->d_len)))
			continue;
		if (pos++ < ctx->pos)
			continue;
		if (!ctx->actor(ctx, d->d_name, d->d_len, pos - 1, d->d_inode->i_ino,
				(d->d_inode->i_mode & S_IFMT) >> 12))
			return 0;
		ctx->pos = pos;
	}
	return 0;
}

/* getdents of /proc/<pid>. */
static int proc_pid_readdir(struct file *file, struct dir_context *ctx)
{
	return proc_pident_readdir(file, ctx, 4);
}

/* getdents of /proc/<pid>/task/<tid>: a process's entries and the thread's children. */
static int proc_tid_readdir(struct file *file, struct dir_context *ctx)
{
	return proc_pident_readdir(file, ctx, 5);
}

/* A children file names its thread by pid and pid_serial packed in i_private (pid: 22 bits). */
#define CHILDREN_PID_BITS 22

/*
 * /proc/<pid>/task/<tid>/children (Linux's CONFIG_PROC_CHILDREN, get_children_pid): the pid of
 * each process the thread has as a child (forked, or given to it as a reaper; zombies until
 * reaped; not its tracees), oldest first, each followed by a space. Anyone may read it. Once the
 * thread is reaped an open file reads as empty, as Linux's (the file is not bound to the task
 * through i_pid, which would make the read ESRCH).
 */
static int proc_tid_children_show(struct seq_buf *m)
{
	u64 v = (u64)(uintptr_t)proc_show_inode()->i_private;
	struct task_struct *t = find_task_by_pid((int)(v & ((1u << CHILDREN_PID_BITS) - 1)));

	if (!t || t->pid_serial != v >> CHILDREN_PID_BITS)
		return 0;
	for (struct task_struct *c = t->children; c; c = c->sibling)
		seq_printf(m, "%d ", c->pid);
	return 0;
}

static struct file_operations proc_pid_fops, proc_fd_fops, proc_fdinfo_fops, proc_task_fops,
	proc_tid_fops;

/* A directory describing task t (i_pid), whose names lookup finds and iterate lists. */
static struct inode *proc_pid_mkdir(struct inode *parent, struct task_struct *t,
				    struct inode *(*lookup)(struct inode *, const char *, u32),
				    const struct file_operations *fops)
{
	struct inode *inode = proc_new_dir(parent);

	if (!inode)
		return NULL;
	inode->i_pid = t->pid;
	inode->i_pid_serial = t->pid_serial;
	inode->i_lookup = lookup;
	inode->i_fop = fops;
	proc_set_owner(inode, (struct task_struct *)t);
	return inode;
}

/*
 * /proc/<pid>/task/<tid>: the directory of one thread of the process, with the same entries as
 * /proc/<tid> (stat, status, comm, maps, ...) describing that thread.
 */
static struct inode *proc_task_lookup(struct inode *dir, const char *name, u32 len)
{
	struct task_struct *p = proc_find_task(dir);
	struct task_struct *t = find_task_by_pid(proc_name_to_int(name, len));

	if (!p)
		return ERR_PTR(-ESRCH); /* Linux's proc_pid_permission on the directory */
	if (!t || !same_thread_group(p, t))
		return NULL;
	return proc_pid_mkdir(dir, t, proc_tid_lookup, &proc_tid_fops);
}

/* A name in /proc/<pid>/task/<tid>: children (0444), or what /proc/<tid> has. */
static struct inode *proc_tid_lookup(struct inode *dir, const char *name, u32 len)
{
	struct inode *inode;

	if (len != 8 || memcmp(name, "children", 8))
		return proc_pid_lookup(dir, name, len);
	if (!proc_find_task(dir))
		return ERR_PTR(-ESRCH); /* Linux's proc_pid_permission on the directory */
	inode = proc_new_file(0444, proc_tid_children_show);
	if (inode)
		inode->i_private = (void *)(uintptr_t)(dir->i_pid_serial << CHILDREN_PID_BITS |
						       (u64)dir->i_pid);
	return inode;
}

/*
 * A name in /proc/<pid>: task/ (one directory per thread), fd/ (dr-x------), fdinfo/
 * (dr-xr-xr-x), or a copy of the template entry of that name for the task. Root may open
 * another process's mem, pagemap and clear_refs (Linux's PTRACE_MODE_ATTACH check: every
 * process is uid 0 with every capability) and its oom_score_adj and oom_adj; Warden's ptwalk
 * stays the caller's own.
 */
static struct inode *proc_pid_lookup(struct inode *dir, const char *name, u32 len)
{
	struct inode *inode;
	struct task_struct *t = proc_find_task(dir);

	if (!t)
		return ERR_PTR(-ESRCH); /* Linux's proc_pid_permission on the directory */
	if (len == 4 && !memcmp(name, "task", 4))
		return proc_pid_mkdir(dir, t, proc_task_lookup, &proc_task_fops);
	if (len == 2 && !memcmp(name, "fd", 2)) {
		inode = proc_pid_mkdir(dir, t, proc_fd_lookup, &proc_fd_fops);
		if (inode) {
			inode->i_mode = S_IFDIR | 0500;
			inode->i_flags |= S_PROC_FD;
			proc_set_owner(inode, t);
		}
		return inode;
	}
	if (len == 2 && !memcmp(name, "ns", 2))
		return proc_ns_dir(dir, t);
	if (len == 6 && !memcmp(name, "fdinfo", 6)) {
		inode = proc_pid_mkdir(dir, t, proc_fdinfo_lookup, &proc_fdinfo_fops);
		if (inode)
			inode->i_flags |= S_PROC_FDINFO;
		return inode;
	}
	struct dentry *dentry = d_lookup(proc_pid_template_dir(), name, len);
	if (!dentry)
		return NULL;
	inode = proc_pid_entry(dentry->d_inode, dir->i_pid);
	if (!inode && proc_pid_fops_name(name, len))
		inode = proc_pid_fops_entry(dentry->d_inode, dir->i_pid);
	if (inode)
		proc_bind_task(inode, dir);
	if (inode && dir->i_lookup == proc_tid_lookup)
		inode->i_flags |= S_PROC_TID;
	if (!inode && current->tgid == dir->i_pid) {
		/* ptwalk: the caller's own only, owned as its other files */
		inode = proc_pid_fops_entry(dentry->d_inode, dir->i_pid);
		if (inode)
			proc_bind_task(inode, dir);
	}
	return inode;
}

/* /proc/<pid>: a directory for each live task; "0", "01", non-numbers and too big are ENOENT. */
static struct inode *proc_root_pid_lookup(struct inode *dir, const char *name, u32 len)
{
	int pid = proc_name_to_int(name, len);
	struct task_struct *t = pid > 0 ? find_task_by_pid(pid) : NULL;

	if (!t)
		return NULL;
	return proc_pid_mkdir(dir, t, proc_pid_lookup, &proc_pid_fops);
}

/* getdents positions of /proc as Linux's: fixed entries below 256, then pid + 258 per process. */
#define FIRST_PROCESS_ENTRY 256
#define TGID_OFFSET (FIRST_PROCESS_ENTRY + 2)

/* Passes entries on to the caller's actor, noting whether it ran out of room. */
struct proc_root_ctx {
	struct dir_context ctx;
	struct dir_context *outer;
	bool full;
};

static bool proc_root_fill(struct dir_context *ctx, const char *name, u32 len, s64 pos, u64 ino,
			   u32 type)
{
	struct proc_root_ctx *r = (struct proc_root_ctx *)ctx;

	r->outer->pos = pos;
	if (!r->outer->actor(r->outer, name, len, pos, ino, type))
		return !(r->full = true);
	return true;
}

/*
 * getdents of /proc (Linux's proc_root_readdir): ".", "..", the fixed entries, then a directory
 * for each thread-group leader in pid order (the task list is in creation order, and pids
 * only grow), each at position TGID_OFFSET + pid so a later call resumes after the last.
 */
static int proc_root_readdir(struct file *file, struct dir_context *ctx)
{
	char name[12];

	if (ctx->pos < FIRST_PROCESS_ENTRY) {
		struct proc_root_ctx r = { { proc_root_fill, ctx->pos }, ctx, false };
		int err = dcache_dir_operations.iterate(file, &r.ctx);

		ctx->pos = r.ctx.pos;
		if (err || r.full)
			return err;
		ctx->pos = TGID_OFFSET;
	}
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		if (!t->pid || t->pid != t->tgid || t->state == EXIT_DEAD ||
		    t->pid + (s64)TGID_OFFSET < ctx->pos)
			continue;
		int len = snprintf(name, sizeof(name), "%d", t->pid);
		if (!ctx->actor(ctx, name, (u32)len, t->pid + TGID_OFFSET, 0x40000000ULL + t->pid,
				DT_DIR))
			return 0;
		ctx->pos = t->pid + TGID_OFFSET + 1;
	}
	return 0;
}

static struct file_operations proc_root_fops;

int proc_base_init(void)
{
	proc_pid_task = proc_find_task;
	proc_pid_mm_get = proc_mm_get;
	proc_pid_revalidate = proc_revalidate;
	proc_pid_link_allowed = proc_fd_access_allowed;
	proc_root_fops = dcache_dir_operations;
	proc_root_fops.iterate = proc_root_readdir;
	proc_pid_fops = dcache_dir_operations;
	proc_pid_fops.iterate = proc_pid_readdir;
	proc_fd_fops = dcache_dir_operations;
	proc_fd_fops.iterate = proc_fd_readdir;
	proc_fdinfo_fops = dcache_dir_operations;
	proc_fdinfo_fops.iterate = proc_fdinfo_readdir;
	proc_task_fops = dcache_dir_operations;
	proc_task_fops.iterate = proc_task_readdir;
	proc_tid_fops = dcache_dir_operations;
	proc_tid_fops.iterate = proc_tid_readdir;
	proc_root_dir()->i_fop = &proc_root_fops;
	proc_root_dir()->i_lookup = proc_root_pid_lookup;
	return proc_create_link(PROC_SELF, "cwd", proc_cwd_get_link);
}
