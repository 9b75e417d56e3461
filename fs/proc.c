// SPDX-License-Identifier: MIT
/* procfs: /proc, /proc/self, /proc/<pid>/exe and generated files. */
#include "fs/mount.h"
#include "fs/proc.h"
#include "fs/proc_internal.h"
#include "fs/uio.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/rwsem.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/slab.h"

static struct inode *proc_root; /* /proc */
static struct inode *proc_task_dir; /* the entries of every /proc/<pid> (their templates) */
struct task_struct *(*proc_pid_task)(const struct inode *inode);
struct mm_struct *(*proc_pid_mm_get)(struct inode *inode, unsigned int mode);
int (*proc_pid_revalidate)(struct inode *inode, int mask);
bool (*proc_pid_link_allowed)(struct task_struct *t);

/*
 * An open generated file: its text, and for a file that reads a task's memory (maps, smaps,
 * smaps_rollup: i_ptrace_mode) the mm it was opened on, kept with mmgrab (Linux's
 * proc_mem_open), so that a later exec of the task does not change what the file reads.
 */
struct proc_file {
	/*
	 * Held for writing as a mutex (Linux's seq_file m->lock) by each read, across the fill of
	 * m and the copy out of it: the copy may sleep on a user fault, and another thread's read
	 * of the same open file from offset 0 would otherwise refill m meanwhile and free the
	 * buffer being copied from (seq_grow). Protects m.
	 */
	struct rw_semaphore lock;
	struct seq_buf m;
	struct mm_struct *mm;
};

/*
 * What a show() runs for, on the stack of the task running it (current->proc_show): a show may
 * sleep (mmap_lock, a fault-in), and another task's show runs meanwhile, so this is per task.
 */
struct proc_show_ctx {
	struct task_struct *task; /* the task the file describes (NULL: current) */
	struct inode *inode; /* the file */
	struct mm_struct *mm; /* the mm the file pinned at open (NULL: none) */
};

struct task_struct *proc_task(void)
{
	struct proc_show_ctx *ctx = current->proc_show;

	return ctx && ctx->task ? ctx->task : current;
}

struct task_struct *proc_task_recheck(void)
{
	struct proc_show_ctx *ctx = current->proc_show;

	if (!ctx || !ctx->inode->i_pid)
		return current;
	ctx->task = proc_pid_task ? proc_pid_task(ctx->inode) : NULL;
	return ctx->task;
}

struct inode *proc_show_inode(void)
{
	struct proc_show_ctx *ctx = current->proc_show;

	return ctx ? ctx->inode : NULL;
}

struct mm_struct *proc_show_mm(void)
{
	struct proc_show_ctx *ctx = current->proc_show;

	return ctx ? ctx->mm : NULL;
}

int proc_inode_revalidate(struct inode *inode, int mask)
{
	if (inode->i_sb != &proc_sb || !inode->i_pid || !proc_pid_revalidate)
		return 0;
	return proc_pid_revalidate(inode, mask);
}

struct inode *proc_root_dir(void)
{
	return proc_root;
}

struct inode *proc_pid_template_dir(void)
{
	return proc_task_dir;
}

/* Makes room for need bytes in all; false when memory runs out. */
static bool seq_grow(struct seq_buf *m, size_t need)
{
	size_t size = max(max(need, m->size * 2), (size_t)256);
	char *buf = kmalloc(size, GFP_KERNEL);

	if (!buf)
		return false;
	if (m->len)
		memcpy(buf, m->buf, m->len);
	kfree(m->buf);
	m->buf = buf;
	m->size = size;
	return true;
}

void seq_write(struct seq_buf *m, const void *data, size_t len)
{
	if (m->overflow || (m->size - m->len < len && !seq_grow(m, m->len + len))) {
		m->overflow = true;
		return;
	}
	memcpy(m->buf + m->len, data, len);
	m->len += len;
}

void seq_printf(struct seq_buf *m, const char *fmt, ...)
{
	va_list ap;

	if (!m->buf && !seq_grow(m, 256))
		m->overflow = true;
	while (!m->overflow) {
		size_t room = m->size - m->len;

		va_start(ap, fmt);
		int n = vsnprintf(m->buf + m->len, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < room) {
			m->len += (size_t)n;
			return;
		}
		if (!seq_grow(m, m->len + (size_t)n + 1))
			m->overflow = true;
	}
}

/*
 * Makes a generated file's content into m (emptied first): a /proc/<pid> file's show() runs with
 * proc_task() returning that task (ESRCH if it was reaped since the lookup). 0 or -errno.
 */
static int proc_file_fill(struct inode *inode, struct proc_file *pf)
{
	struct seq_buf *m = &pf->m;
	struct task_struct *t = NULL;

	if (inode->i_pid && (!proc_pid_task || !(t = proc_pid_task(inode))))
		return -ESRCH;
	m->len = 0;
	m->overflow = false;
	struct proc_show_ctx ctx = { .task = t, .inode = inode, .mm = pf->mm };
	struct proc_show_ctx *outer = current->proc_show;
	current->proc_show = &ctx;
	int err = inode->i_show(m);
	current->proc_show = outer;
	if (!err && m->overflow)
		err = -ENOMEM;
	return err;
}

/* Frees an open generated file's text and lets go of its mm. */
static void proc_file_free(struct proc_file *pf)
{
	if (pf->mm)
		mmdrop(pf->mm);
	kfree(pf->m.buf);
	kfree(pf);
}

/*
 * Opening a generated file makes its content once, so that the open fails as the show() says
 * (ESRCH, EACCES, ENOMEM); a read from offset 0 makes it again (below). A file that reads the
 * task's memory first takes its mm if the opener may read it (Linux's proc_mem_open: EACCES),
 * and its text comes from that mm ever after; such a file opens whatever its text says (Linux
 * makes it only at read, where smaps_rollup of a gone mm says ESRCH).
 */
int proc_file_open(struct inode *inode, struct file *file)
{
	struct proc_file *pf = kzalloc(sizeof(*pf), GFP_KERNEL);

	if (!pf)
		return -ENOMEM;
	init_rwsem(&pf->lock);
	if (inode->i_ptrace_mode && proc_pid_mm_get) {
		struct mm_struct *mm = proc_pid_mm_get(inode, inode->i_ptrace_mode);

		if (IS_ERR(mm)) {
			kfree(pf);
			return (int)PTR_ERR(mm);
		}
		pf->mm = mm;
	}
	int err = proc_file_fill(inode, pf);
	if (err && !inode->i_ptrace_mode) {
		proc_file_free(pf);
		return err;
	}
	file->private_data = pf;
	return 0;
}

/* Frees the content made at open. */
void proc_file_release(struct inode *inode, struct file *file)
{
	(void)inode;
	proc_file_free(file->private_data);
}

/*
 * Reads from the content made at open (or at the last read from offset 0), under the file's
 * lock (held by the caller).
 */
static ssize_t proc_snapshot_copy(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct seq_buf *m = &((struct proc_file *)file->private_data)->m;
	struct inode *inode = file_inode(file);

	if ((u64)*ppos >= m->len)
		return 0;
	if (inode->i_pid && (!proc_pid_task || !proc_pid_task(inode)))
		return -ESRCH; /* Linux makes the text at read: the task is gone */
	size_t n = min(m->len - (size_t)*ppos, iov_iter_count(to));
	size_t copied = copy_to_iter(m->buf + *ppos, n, to);
	if (!copied && n)
		return -EFAULT;
	*ppos += (s64)copied;
	return (ssize_t)copied;
}

/* Reads from the content made at open (proc_create_seq's files). */
static ssize_t proc_snapshot_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct proc_file *pf = file->private_data;

	down_write(&pf->lock);
	ssize_t ret = proc_snapshot_copy(file, to, ppos);
	up_write(&pf->lock);
	return ret;
}

/*
 * Reads a generated file. Linux makes the text at read time (seq_read_iter starts over at
 * offset 0), so a read from offset 0 makes it again: what changed between the open and the read
 * shows (musl's fopen opens before it mallocs its FILE, which may map memory: /proc/self/maps
 * must show that mapping). Reads further on continue the same text.
 */
ssize_t proc_file_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct proc_file *pf = file->private_data;
	ssize_t ret = 0;

	down_write(&pf->lock);
	if (*ppos == 0)
		ret = proc_file_fill(file_inode(file), pf);
	if (!ret)
		ret = proc_snapshot_copy(file, to, ppos);
	up_write(&pf->lock);
	return ret;
}

/* lseek of a generated file: SEEK_SET and SEEK_CUR to positions >= 0 (Linux's seq_lseek). */
s64 proc_file_lseek(struct file *file, s64 offset, int whence)
{
	if (whence == SEEK_CUR && __builtin_add_overflow(offset, file->f_pos, &offset))
		return -EINVAL;
	if ((whence != SEEK_SET && whence != SEEK_CUR) || offset < 0)
		return -EINVAL;
	return file->f_pos = offset;
}

static const struct file_operations proc_file_fops = {
	.open = proc_file_open,
	.release = proc_file_release,
	.read = proc_file_read,
	.llseek = proc_file_lseek,
};

/* A generated file that also takes writes: the handler is in i_private. */
static ssize_t proc_seq_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	ssize_t (*write)(struct file *, struct iov_iter *, s64 *) = file_inode(file)->i_private;

	return write(file, from, ppos);
}

/*
 * A Warden file made with proc_create_seq (/proc/warden/trace, control): its text is made at open
 * only, since making it takes the trace records out of their rings.
 */
static const struct file_operations proc_seq_fops = {
	.open = proc_file_open,
	.release = proc_file_release,
	.read = proc_snapshot_read,
	.llseek = proc_file_lseek,
};

static const struct file_operations proc_seq_rw_fops = {
	.open = proc_file_open,
	.release = proc_file_release,
	.read = proc_snapshot_read,
	.write = proc_seq_write,
	.llseek = proc_file_lseek,
};

/* The directory an entry of where goes in. */
static struct inode *proc_dir(enum proc_dir where)
{
	return where == PROC_SELF ? proc_task_dir : proc_root;
}

/* Adds a new proc inode as dir/name; 0 or -errno. */
int proc_add(struct inode *dir, const char *name, struct inode *inode)
{
	u32 len = (u32)strlen(name);
	int err = d_lookup(dir, name, len) ? -EEXIST : 0;

	if (!err && !d_add(dir, name, len, inode))
		err = -ENOMEM;
	iput(inode); /* the entry keeps it */
	return err;
}

int proc_create_file(enum proc_dir where, const char *name, u32 mode,
		     int (*show)(struct seq_buf *m))
{
	struct inode *inode = new_inode(&proc_sb, S_IFREG | (mode & S_IALLUGO));

	if (!inode)
		return -ENOMEM;
	inode->i_fop = &proc_file_fops;
	inode->i_show = show;
	return proc_add(proc_dir(where), name, inode);
}

int proc_create_seq(struct inode *dir, const char *name, u32 mode, int (*show)(struct seq_buf *m),
		    ssize_t (*write)(struct file *file, struct iov_iter *from, s64 *ppos))
{
	struct inode *inode = new_inode(&proc_sb, S_IFREG | (mode & S_IALLUGO));

	if (!inode)
		return -ENOMEM;
	inode->i_fop = write ? &proc_seq_rw_fops : &proc_seq_fops;
	inode->i_show = show;
	inode->i_private = (void *)write;
	return proc_add(dir ? dir : proc_root, name, inode);
}

int proc_create_fops(enum proc_dir where, const char *name, u32 mode,
		     const struct file_operations *fops)
{
	struct inode *inode = new_inode(&proc_sb, S_IFREG | (mode & S_IALLUGO));

	if (!inode)
		return -ENOMEM;
	inode->i_fop = fops;
	return proc_add(proc_dir(where), name, inode);
}

int proc_create_link(enum proc_dir where, const char *name, char *(*get_link)(struct inode *))
{
	struct inode *inode = new_inode(&proc_sb, S_IFLNK | S_IRWXUGO);

	if (!inode)
		return -ENOMEM;
	inode->i_get_link = get_link;
	return proc_add(proc_dir(where), name, inode);
}

struct inode *proc_mkdir(struct inode *dir, const char *name)
{
	struct inode *parent = dir ? dir : proc_root, *inode = proc_new_dir(parent);

	if (!inode)
		return NULL;
	iget(inode); /* proc_add drops one reference: the caller keeps this one */
	if (proc_add(parent, name, inode)) {
		iput(inode);
		return NULL;
	}
	return inode;
}

/* /proc/sys/NAME, found or made (another part of the kernel may have made it first). */
struct inode *proc_sys_subdir(const char *name)
{
	struct inode *sys = lookup_child(proc_root_dir(), "sys", 3), *dir;

	if (IS_ERR(sys))
		sys = proc_mkdir(NULL, "sys");
	if (IS_ERR_OR_NULL(sys))
		return NULL;
	dir = lookup_child(sys, name, (u32)strlen(name));
	if (IS_ERR(dir))
		dir = proc_mkdir(sys, name);
	iput(sys);
	return IS_ERR(dir) ? NULL : dir;
}

/* vm.nr_hugepages: Warden has no huge pages, so none of those asked for can be allocated. */
static int nr_hugepages_store(int *value, int v)
{
	(void)v;
	*value = 0; /* as Linux when it finds no memory for them: the count stays what it got */
	return 0;
}

static int sysctl_nr_hugepages;

int hugetlb_sysctl_init(void)
{
	struct inode *sys = lookup_child(proc_root, "sys", 3), *vm;
	int err;

	if (IS_ERR(sys))
		return PTR_ERR(sys);
	vm = lookup_child(sys, "vm", 2);
	iput(sys);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	err = proc_create_int_store(vm, "nr_hugepages", 0644, &sysctl_nr_hugepages, 0, 0x7fffffff,
				    nr_hugepages_store);
	iput(vm);
	return err;
}

/* A kmalloc'd copy of s, for a link target (fs/proc.h). */
char *proc_strdup(const char *s)
{
	size_t len = strlen(s);
	char *copy = kmalloc(len + 1, GFP_KERNEL);

	if (!copy)
		return ERR_PTR(-ENOMEM);
	memcpy(copy, s, len + 1);
	return copy;
}

/* /proc/self -> "<tgid>" */
static char *proc_self_get_link(struct inode *inode)
{
	char pid[16];

	(void)inode;
	if (!current)
		return ERR_PTR(-ENOENT);
	snprintf(pid, sizeof(pid), "%d", current->tgid);
	return proc_strdup(pid);
}

/* /proc/thread-self -> "<tgid>/task/<tid>": the calling thread's own directory */
static char *proc_thread_self_get_link(struct inode *inode)
{
	char path[48];

	(void)inode;
	if (!current)
		return ERR_PTR(-ENOENT);
	snprintf(path, sizeof(path), "%d/task/%d", current->tgid, current->pid);
	return proc_strdup(path);
}

/*
 * /proc/<pid>/exe -> the program the task runs; another user's process only for a caller that
 * may read it (proc_pid_link_allowed, Linux's proc_pid_get_link and proc_pid_readlink: EACCES).
 */
static char *proc_exe_get_link(struct inode *inode)
{
	struct task_struct *t = current;

	if (inode->i_pid)
		t = proc_pid_task ? proc_pid_task(inode) : NULL;
	if (t && inode->i_pid && proc_pid_link_allowed && !proc_pid_link_allowed(t))
		return ERR_PTR(-EACCES);
	if (!t || !t->exe_path[0] || t->state >= EXIT_ZOMBIE)
		return ERR_PTR(-ENOENT);
	return proc_strdup(t->exe_path);
}

/* /proc/<pid>: before proc_base_init() (and on the host), only the caller's own pid. */
static struct inode *proc_root_lookup(struct inode *dir, const char *name, u32 len)
{
	u64 pid = 0;

	(void)dir;
	if (!current || len == 0 || len > 10 || (name[0] == '0' && len > 1))
		return NULL;
	for (u32 i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return NULL;
		pid = pid * 10 + (u64)(name[i] - '0');
	}
	return pid == (u64)current->tgid ? iget(proc_task_dir) : NULL;
}

/*
 * The entry tmpl of the template directory as it appears in /proc/<pid>: a copy that describes
 * pid's task. NULL without memory, or for a file with operations of its own (they describe the
 * caller, so only the caller's own directory has them).
 */
struct inode *proc_pid_entry(struct inode *tmpl, int pid)
{
	bool gen = S_ISREG(tmpl->i_mode) &&
		   (tmpl->i_fop == &proc_file_fops || tmpl->i_fop == &proc_seq_rw_fops);

	if (!gen && !S_ISLNK(tmpl->i_mode))
		return NULL;
	struct inode *inode = new_inode(&proc_sb, tmpl->i_mode);
	if (!inode)
		return NULL;
	inode->i_fop = tmpl->i_fop;
	if (gen)
		inode->i_show = tmpl->i_show;
	else
		inode->i_get_link = tmpl->i_get_link;
	inode->i_private = tmpl->i_private;
	inode->i_pid = pid;
	inode->i_ptrace_mode = tmpl->i_ptrace_mode;
	return inode;
}

struct inode *proc_pid_fops_entry(struct inode *tmpl, int pid)
{
	if (!S_ISREG(tmpl->i_mode))
		return NULL;
	struct inode *inode = new_inode(&proc_sb, tmpl->i_mode);
	if (!inode)
		return NULL;
	inode->i_fop = tmpl->i_fop;
	inode->i_show = tmpl->i_show;
	inode->i_private = tmpl->i_private;
	inode->i_pid = pid;
	inode->i_ptrace_mode = tmpl->i_ptrace_mode;
	return inode;
}

int proc_require_ptrace(const char *name, unsigned int mode)
{
	struct dentry *d = d_lookup(proc_task_dir, name, (u32)strlen(name));

	if (!d || !d->d_inode)
		return -ENOENT;
	d->d_inode->i_ptrace_mode = mode;
	return 0;
}

struct inode *proc_new_file(u32 mode, int (*show)(struct seq_buf *m))
{
	struct inode *inode = new_inode(&proc_sb, S_IFREG | (mode & S_IALLUGO));

	if (inode) {
		inode->i_fop = &proc_file_fops;
		inode->i_show = show;
	}
	return inode;
}

/* A new proc directory inside parent. */
struct inode *proc_new_dir(struct inode *parent)
{
	struct inode *inode = new_inode(&proc_sb, S_IFDIR | 0555);

	if (!inode)
		return NULL;
	inode->i_fop = &dcache_dir_operations;
	inode->i_nlink = 2;
	d_init_dir(inode, parent);
	return inode;
}

int proc_init(void)
{
	proc_root = new_inode(&proc_sb, S_IFDIR | 0555);
	if (!proc_root)
		return -ENOMEM;
	proc_root->i_fop = &dcache_dir_operations;
	proc_root->i_nlink = 2;
	d_init_dir(proc_root, proc_root); /* a file system's root: its own parent */
	proc_root->i_lookup = proc_root_lookup;
	proc_task_dir = proc_new_dir(proc_root); /* its reference pins it: it has no entry */
	if (!proc_task_dir)
		return -ENOMEM;
	int err = proc_create_link(PROC_ROOT, "self", proc_self_get_link);
	if (!err)
		err = proc_create_link(PROC_ROOT, "thread-self", proc_thread_self_get_link);
	if (!err)
		err = proc_create_link(PROC_SELF, "exe", proc_exe_get_link);
	if (!err)
		err = proc_create_file(PROC_ROOT, "meminfo", 0444, meminfo_show);
	if (!err)
		err = proc_namespace_init();
	if (!err)
		err = vfs_mknod(fs_root, "proc", 4, S_IFDIR | 0555, 0, NULL);
	if (!err)
		err = mnt_init(proc_root); /* mounts it on /proc */
	iput(proc_root); /* the mount keeps it */
	return err;
}
