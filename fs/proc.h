/* SPDX-License-Identifier: MIT */
/*
 * /proc: /proc/self is a symlink to the caller's pid; /proc/<pid> exists for every live task
 * (kernel/proc_base.c). The entries added "to /proc/self" (PROC_SELF) go into one template
 * directory; looking a name up in /proc/<pid> copies the template entry with inode->i_pid set,
 * so its generator describes that task (proc_task()) rather than the caller. Entries with file
 * operations of their own (mem, pagemap, environ, oom_score_adj...) find their task by i_pid
 * too; Warden's ptwalk only in the caller's own /proc/<pid>. Other files are "generated files":
 * a callback writes their whole content into a seq_buf when the file is opened (so the open
 * fails as it says) and again at each read from offset 0, as Linux makes the text at read; reads
 * further on, lseek and pread are served from that copy (a /proc/<pid> file whose task was
 * reaped since reads ESRCH). Those that show a task's memory (maps, smaps, smaps_rollup) keep
 * the mm their open found and always describe it (proc_show_mm).
 * Nothing in /proc can be created, removed or renamed; its st_blksize is 1024, as on Linux.
 */
#ifndef WARDEN_FS_PROC_H
#define WARDEN_FS_PROC_H

#include "fs/vfs.h"

struct task_struct;
struct mm_struct;

/* A growing text buffer; overflow is set (and the open fails with ENOMEM) if memory runs out. */
struct seq_buf {
	char *buf;
	size_t size;
	size_t len;
	bool overflow;
};

/* Appends formatted text (kernel/vsprintf.h's conversions). */
void seq_printf(struct seq_buf *m, const char *fmt, ...) __printf(2, 3);

/* Appends len bytes. */
void seq_write(struct seq_buf *m, const void *data, size_t len);

/* Where a proc entry goes: /proc itself, or the calling task's directory /proc/self. */
enum proc_dir { PROC_ROOT, PROC_SELF };

/*
 * Creates the generated file NAME in /proc or /proc/self, with permission bits mode (0444 for a
 * read-only file). show() fills the content for the calling task each time the file is opened
 * and at each read from offset 0: 0, or -errno for the open (or read) to fail with. 0 or -errno
 * (EEXIST, ENOMEM).
 */
int proc_create_file(enum proc_dir where, const char *name, u32 mode,
		     int (*show)(struct seq_buf *m));

/*
 * A generated file NAME in dir (NULL: /proc) whose text is made at open only (show() may take
 * what it shows away: /proc/warden/trace), that may also be written: write (NULL for a read-only
 * file) gets each write(2) whole.
 */
int proc_create_seq(struct inode *dir, const char *name, u32 mode, int (*show)(struct seq_buf *m),
		    ssize_t (*write)(struct file *file, struct iov_iter *from, s64 *ppos));

/* A file NAME in /proc or /proc/self with file operations of its own (e.g. /proc/self/pagemap). */
int proc_create_fops(enum proc_dir where, const char *name, u32 mode,
		     const struct file_operations *fops);

/* Creates the symlink NAME in /proc or /proc/self whose target get_link() makes at each use
 * (a kmalloc'd string, or an ERR_PTR). 0 or -errno. */
int proc_create_link(enum proc_dir where, const char *name, char *(*get_link)(struct inode *));

/* Creates the directory NAME in dir (NULL: /proc itself) and returns it (NULL without memory). */
struct inode *proc_mkdir(struct inode *dir, const char *name);

/* /proc/sys/NAME, found or made (several subsystems add files to one directory); NULL without
 * memory. The caller drops the reference it returns. */
struct inode *proc_sys_subdir(const char *name);

/*
 * Reads what a write to a number sysctl file holds, as Linux's proc_get_long with
 * sysctl_writes_strict: 1 with *val (and *neg for a leading '-') when it is one number, in
 * decimal, octal ("0") or hexadecimal ("0x"), between blanks; 0 when the write is accepted with
 * no number (empty, or at a non-zero position: ignored); -EINVAL or -EFAULT. *taken is the
 * bytes the write takes (fs/proc_sysctl.c).
 */
int proc_sysctl_get_number(struct iov_iter *from, s64 *ppos, u64 *val, bool *neg, size_t *taken);

/*
 * Writing an unsigned long sysctl (Linux's proc_doulongvec_minmax): *value becomes the number
 * written (a negative one is EINVAL) and stays as it is after an empty write or one at a
 * non-zero position. The bytes taken, or -errno.
 */
ssize_t proc_sysctl_write_ulong(struct iov_iter *from, s64 *ppos, u64 *value);

/*
 * Creates an unsigned long file NAME in dir (Linux's proc_doulongvec_minmax, no bounds): reading
 * gives the value and a newline; a write of one number sets it (a negative one is EINVAL). When
 * store is not NULL, every accepted write calls store(value, number), with the value unchanged
 * for an empty write or one at a non-zero position, as Linux's handlers run after any write that
 * returns 0.
 */
int proc_create_ulong(struct inode *dir, const char *name, u32 mode, u64 *value,
		      void (*store)(u64 *value, u64 v));

/*
 * Creates an integer file ("sysctl") NAME in dir with permission bits mode: reading gives the
 * value and a newline; writing one number (proc_sysctl_get_number) sets it, or fails with EINVAL
 * if it is not a number or lies outside [min, max] (Linux's proc_dointvec_minmax).
 */
int proc_create_int(struct inode *dir, const char *name, u32 mode, int *value, int min, int max);

/*
 * As proc_create_int, but a valid number written goes to store(value, number), which sets
 * *value to what it could do and returns 0, or fails the write with -errno. An empty write, or
 * one at a non-zero position, calls store(value, *value): Linux runs its handlers after those.
 */
int proc_create_int_store(struct inode *dir, const char *name, u32 mode, int *value, int min,
			  int max, int (*store)(int *value, int v));

/*
 * /proc/sys/vm/nr_hugepages (after mm_sysctl_init made /proc/sys/vm): readable, writable by
 * root; Warden has no huge pages, so it reads back 0 after any write. 0 or -errno.
 */
int hugetlb_sysctl_init(void);

/*
 * /proc/sys/kernel: ostype, osrelease, tainted, threads-max, pid_max, core_pattern
 * (kernel/sysctl_kernel.c). 0 or -errno.
 */
int sysctl_kernel_init(void);

/*
 * The task whose /proc/PID file show() is generating (set around each show() call: generators
 * describe it, not the caller), or current outside a /proc/PID open.
 */
struct task_struct *proc_task(void);

/*
 * For a show() that may have slept (mmap_lock, a fault-in): the task looked up again, as the one
 * found before may have been reaped and freed meanwhile (Warden's tasks have no reference count:
 * Linux's show functions hold one). NULL if it is gone (the show then fails with ESRCH); the
 * pointer proc_task() returned before must not be used again.
 */
struct task_struct *proc_task_recheck(void);

/* The inode whose show() is running (its i_private says which fd for fdinfo), or NULL. */
struct inode *proc_show_inode(void);

/* Set by kernel/proc_base.c: the live task (zombies included) with this pid, or NULL. */
extern struct task_struct *(*proc_pid_task)(const struct inode *inode);

/*
 * Set by kernel/proc_base.c: brings a /proc/PID inode (i_pid set) up to date with its task
 * before the VFS looks at its owner (Linux's pid_revalidate and pid_getattr: the owner follows
 * the task's credentials and dumpable flag, task_dump_owner), then checks what the proc file
 * adds to the mode bits for a permission mask (fdinfo: ptrace_may_access, EACCES; its task
 * reaped, ESRCH), for any mask, access(F_OK)'s MAY_ACCESS alone included. PROC_REVALIDATE_STAT
 * is a stat: no check, and a /proc/PID directory whose task was reaped shows root's ids. 0 or
 * -errno.
 */
extern int (*proc_pid_revalidate)(struct inode *inode, int mask);

/*
 * Set by kernel/proc_base.c: may the caller follow or read the links of task t's directory
 * (exe, cwd, fd/N)? Linux's proc_fd_access_allowed: ptrace_may_access(PTRACE_MODE_READ_FSCREDS).
 */
extern bool (*proc_pid_link_allowed)(struct task_struct *t);

/* proc_pid_revalidate's mask for a stat (a permission mask is MAY_* bits, possibly none else). */
#define PROC_REVALIDATE_STAT 0x40000000

/* Calls proc_pid_revalidate for a proc inode that describes a task; 0 for any other inode. */
int proc_inode_revalidate(struct inode *inode, int mask);

/*
 * Set by kernel/proc_base.c: the address space a /proc/PID file that reads the task's memory
 * opens on, if the caller may read it with ptrace access mode (Linux's proc_mem_open through
 * mm_access): the mm with an mmgrab reference the caller drops (mmdrop), NULL for a task
 * without one (a zombie), ERR_PTR(-ESRCH) once reaped or ERR_PTR(-EACCES).
 */
extern struct mm_struct *(*proc_pid_mm_get)(struct inode *inode, unsigned int mode);

/*
 * The mm the file whose show() is running pinned at open (maps, smaps, smaps_rollup), or NULL:
 * what it must describe, even after the task exec'd another program (then the old mm, which
 * reads as empty once gone).
 */
struct mm_struct *proc_show_mm(void);

/*
 * Opening the template entry NAME of every /proc/PID needs ptrace access mode on the task (the
 * files that show its memory: maps, smaps, environ, mem, pagemap). 0 or -ENOENT.
 */
int proc_require_ptrace(const char *name, unsigned int mode);

/* /proc itself. */
struct inode *proc_root_dir(void);

/* The directory whose entries every /proc/PID copies (what PROC_SELF adds to). */
struct inode *proc_pid_template_dir(void);

/*
 * A copy of the template entry tmpl that describes pid's task (inode->i_pid = pid); NULL for an
 * entry with file operations of its own (only the caller's directory has them) or no memory.
 */
struct inode *proc_pid_entry(struct inode *tmpl, int pid);

/*
 * A copy of a template entry with file operations of its own (mem, pagemap, oom_score_adj)
 * for pid: its open and read find the task by i_pid. NULL without memory.
 */
struct inode *proc_pid_fops_entry(struct inode *tmpl, int pid);

/* A new nameless generated file (mode's permission bits) whose content show() makes at open. */
struct inode *proc_new_file(u32 mode, int (*show)(struct seq_buf *m));

/* A new empty proc directory (0555) inside parent, with no name: NULL without memory. */
struct inode *proc_new_dir(struct inode *parent);

/* kernel/proc_base.c: /proc/<pid> for every task, with fd/ and cwd. 0 or -errno. */
int proc_base_init(void);

/* kernel/proc_array.c: /proc/<pid>/{stat,status,statm,cmdline,comm}. 0 or -errno. */
int proc_array_init(void);

/* kernel/proc_misc.c: /proc/{uptime,loadavg,stat,version,filesystems}, /proc/PID/mounts and
 * the link /proc/mounts. 0 or -errno. */
int proc_misc_init(void);

/* fs/proc_meminfo.c: the content of /proc/meminfo. */
int meminfo_show(struct seq_buf *m);

/* arch/x86_64/paging.c: /proc/meminfo's DirectMap lines (Linux's arch_report_meminfo). */
void arch_report_meminfo(struct seq_buf *m);

/* Builds /proc (self and self/exe) and mounts it on /proc in the root. 0 or -ENOMEM. */
int proc_init(void);

/* A kmalloc'd copy of s (a symlink's target), or ERR_PTR(-ENOMEM). */
char *proc_strdup(const char *s);

#endif
