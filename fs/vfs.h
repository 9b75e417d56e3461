/* SPDX-License-Identifier: MIT */
/*
 * The virtual file system: inodes, directory entries, open files and path lookup, with Linux's
 * names and rules.
 *
 * An inode is a file of any type. It lives while it has a name (i_nlink > 0 and an entry) or a
 * reference (i_count > 0: an open file, a working directory, a walk in progress, a child
 * directory's ".."): an unlinked file that is still open stays readable until its last close,
 * and a nameless inode (a pipe, a console file) goes with its last reference.
 *
 * A directory holds its entries (struct dentry: a name and the inode it names) in a list, newest
 * first, which is the order Linux 6.1's tmpfs lists them in. Each directory knows its parent
 * (i_parent) and every inode knows its entry (i_dentry), so a path can be rebuilt (getcwd,
 * d_path). There is no link() yet: an inode has at most one name.
 *
 * Concurrency: Warden has one CPU and no kernel preemption, so file-system code runs without
 * interruption except where it sleeps (pipes), and there it holds references to what it uses.
 * The locks SMP will need are not there yet.
 */
#ifndef WARDEN_FS_VFS_H
#define WARDEN_FS_VFS_H

#include "fs/abi.h"
#include "fs/filemap.h"
#include "kernel/err.h"

struct file;
struct iov_iter;
struct dir_context;
struct seq_buf;
struct pipe_inode_info;

struct file_system_type;
struct mount;

/* A mounted file system: what its inodes share (fs/super.c makes them, fs/mount.h shows them). */
struct super_block {
	u32 s_dev; /* st_dev of its inodes */
	u32 s_blocksize; /* st_blksize */
	bool s_fixed; /* built by the kernel (proc): names cannot be created, removed or moved */
	bool s_dead; /* unmounted and torn down: freed with its last inode */
	u32 s_magic; /* statfs's f_type: Linux's magic number of the file system it plays */
	u64 s_nr_inodes; /* inodes alive on it (tmpfs's inode count in statfs) */
	u64 s_next_ino; /* a mounted tmpfs numbers its inodes from 1; 0: the global counter */
	unsigned long s_flags; /* SB_RDONLY, SB_SYNCHRONOUS, ... (fs/mount.h) */
	const struct file_system_type *s_type; /* NULL: never mounted (pipefs, anon_inode) */
	struct mount *s_mount; /* the mount showing it (the first, for proc) */
	struct inode *s_root; /* a reference (the mount's) */
	/* tmpfs: size= in pages and nr_inodes= (0: no limit), the pages its files hold, and the
	 * mode, uid and gid its root was made with (what /proc/PID/mounts shows) */
	u64 s_max_blocks, s_max_inodes, s_used_blocks;
	u32 s_root_mode, s_root_uid, s_root_gid;
	u32 s_writers; /* open files that may write (FMODE_WRITER): remount ro is EBUSY */
	u32 s_active; /* open files and working directories on it: umount is EBUSY */
	/* Called as one of its inodes is freed, to let go of what its i_private holds (nsfs) */
	void (*s_evict)(struct inode *inode);
};

extern struct super_block rootfs_sb, proc_sb, pipefs_sb;

/* A doubly linked list node, circular with a head node (a directory's entries). */
struct d_list {
	struct d_list *next, *prev;
};

/* A name in a directory. */
struct dentry {
	struct d_list d_child; /* in d_parent's i_subdirs, newest first */
	struct inode *d_parent;
	struct inode *d_inode; /* NULL for a readdir cursor (see dcache_readdir) */
	struct dentry *d_alias; /* the next name of d_inode (hard links), from its i_dentry */
	u32 d_len;
	char d_name[]; /* NUL-terminated */
};

/* i_flags: a directory something is mounted on (fs/mount.h): walks go on into the mount, rmdir
 * and rename of it are EBUSY */
#define S_MOUNTPOINT 0x1
/* i_flags: a memfd (mm/memfd.c) or SysV segment (ipc/shm.c): i_private is its kmalloc'd name,
 * "memfd:NAME" or "SYSVkkkkkkkk", freed with it */
#define S_MEMFD 0x2
/*
 * i_flags: shmem whose size is charged to the commit limit (shared anonymous memory, a SysV
 * segment; mm/overcommit.h): the charge goes back when the inode is freed (shmem_evict_inode).
 */
#define S_ACCOUNT 0x4
/* i_flags: a /proc/sys entry: its mode bits hold for root too (Linux's sysctl_perm) */
#define S_SYSCTL 0x8
/* i_flags: a /proc/PID/fd directory: its own process may always use it (proc_fd_permission) */
#define S_PROC_FD 0x10
/* i_flags: /proc/PID/fdinfo and its files: using them needs ptrace read access to the task
 * (proc_fdinfo_permission) */
#define S_PROC_FDINFO 0x20
/* i_flags: a file of /proc/PID/task/TID: it describes that thread, not its whole process (stat) */
#define S_PROC_TID 0x40

struct inode {
	u64 i_ino;
	u32 i_mode; /* S_IFMT type and permission bits */
	u32 i_nlink; /* names, plus "." and the ".." of subdirectories for a directory */
	u32 i_count; /* references */
	u32 i_exec_count; /* address spaces running it (mm->exe_inode): writes are ETXTBSY */
	u32 i_writecount; /* open files that may write it (FMODE_WRITER): execve is ETXTBSY */
	u32 i_uid, i_gid;
	u32 i_rdev; /* device nodes: mkdev(major, minor) */
	u32 i_flags;
	u32 i_seals; /* ramfs regular files: F_SEAL_* (mm/memfd.h), F_SEAL_SEAL unless a memfd
		      * made with MFD_ALLOW_SEALING */
	s64 i_size;
	u64 i_atime, i_mtime, i_ctime; /* nanoseconds since 1970 */
	struct super_block *i_sb;
	const struct file_operations *i_fop; /* what open() gives the file */
	struct dentry *
		i_dentry; /* its newest name (others: d_alias), NULL once unlinked or never named */
	struct page_tree i_pages; /* regular files of the ramfs: the page cache (storage) */
	union {
		struct { /* directories */
			struct d_list i_subdirs;
			struct inode *i_parent; /* a reference; the root is its own parent */
			/* Looks up names not in the list (/proc/<pid>): a reference or NULL */
			/* a new name's inode, NULL (ENOENT) or an ERR_PTR */
			struct inode *(*i_lookup)(struct inode *dir, const char *name, u32 len);
		};
		struct { /* symlinks: a stored target, or one made at each use (proc) */
			char *i_link;
			char *(*i_get_link)(struct inode *inode); /* kmalloc'd string or ERR_PTR */
			/* A magic link (proc): following it reaches this inode (a reference or an
			 * ERR_PTR) instead of walking the text, which readlink still gives */
			struct inode *(*i_jump_link)(struct inode *inode);
		};
		struct pipe_inode_info *i_pipe; /* pipes */
		int (*i_show)(struct seq_buf *m); /* proc's generated files: the content at open */
	};
	void *i_private;
	int i_pid; /* proc: the pid whose /proc/PID this inode is in (0: the caller's) */
	u64 i_pid_serial; /* proc: that task's pid_serial, so a reused pid names nobody here */
	/* proc: the ptrace access mode (kernel/ptrace.h) an open needs on the task, 0 for none */
	u32 i_ptrace_mode;
};

/* f_mode */
#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define FMODE_LSEEK 0x4
#define FMODE_PREAD 0x8
#define FMODE_PWRITE 0x10
#define FMODE_EXEC 0x20
#define FMODE_STREAM 0x40 /* no position: pipes, the console device */
#define FMODE_UNSIGNED_OFFSET 0x2000 /* positions are unsigned: /proc/self/mem's addresses */
#define FMODE_PATH 0x4000 /* O_PATH: only a place in the tree, no I/O */
#define FMODE_WRITER 0x8000 /* counted in the regular file's i_writecount until the last fput */

/* An open file: what open() returns, shared by dup() and fork(). */
struct file {
	u32 f_count;
	u32 f_mode;
	u32 f_flags; /* O_* as F_GETFL reports them */
	s64 f_pos;
	struct inode *f_inode; /* a reference */
	const struct file_operations *f_op;
	void *private_data;
	const char *f_anon_name; /* an anon_inode file's name ("[timerfd]"), else NULL */
	struct file *f_put_next; /* on the closing task's list of last references (fput) */
	struct epitem *f_ep; /* the epoll items watching this file (fs/eventpoll.c), or NULL */
};

/*
 * What a file does. A NULL read or write makes the call EINVAL, a NULL llseek ESPIPE, a NULL
 * iterate ENOTDIR (getdents64), a NULL ioctl ENOTTY. ppos is NULL for streams (pipes).
 */
struct poll_table_struct;
struct vm_area_struct;
struct seq_buf;
typedef unsigned int __poll_t;

struct file_operations {
	int (*open)(struct inode *inode, struct file *file);
	void (*release)(struct inode *inode, struct file *file);
	ssize_t (*read)(struct file *file, struct iov_iter *to, s64 *ppos);
	ssize_t (*write)(struct file *file, struct iov_iter *from, s64 *ppos);
	s64 (*llseek)(struct file *file, s64 offset, int whence);
	int (*iterate)(struct file *file, struct dir_context *ctx);
	long (*ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	/* Readiness (POLLIN...) and, through poll_wait(), the queues to sleep on; NULL: always
	 * ready for reading and writing (DEFAULT_POLLMASK, fs/poll.h) */
	__poll_t (*poll)(struct file *file, struct poll_table_struct *pt);
	/*
	 * A VMA mapping the file was made or copied (mmap, fork, split, mremap) or is freed
	 * (Linux's vm_ops->open and ->close: a SysV shm attach counts them, ipc/shm.c). A file
	 * with vm_close is mapped from its inode's page cache, and its VMAs never merge.
	 */
	void (*vm_open)(struct vm_area_struct *vma);
	void (*vm_close)(struct vm_area_struct *vma);
	/* The lines /proc/PID/fdinfo/N adds after its own (timerfd's clock and setting) */
	void (*show_fdinfo)(struct seq_buf *m, struct file *file);
};

/* Where getdents64 is: actor() takes one entry at position pos and returns false when full. */
struct dir_context {
	bool (*actor)(struct dir_context *ctx, const char *name, u32 len, s64 pos, u64 ino,
		      u32 type);
	s64 pos;
};

/* inode_permission() masks */
#define MAY_EXEC 0x1
#define MAY_WRITE 0x2
#define MAY_READ 0x4
#define MAY_ACCESS 0x10 /* access(2) asks (Linux's): alone for F_OK */

/* ---- inodes (fs/inode.c) ---- */

/* A new inode of sb with one reference and one link, its times set to now (NULL: no memory). */
struct inode *new_inode(struct super_block *sb, u32 mode);

/* Takes a reference to an inode and returns it. */
struct inode *iget(struct inode *inode);

/* Drops a reference; an inode with neither references nor names is freed (and its pages). */
void iput(struct inode *inode);

/* The wall-clock time in nanoseconds, for timestamps (0 until time_init() has run). */
u64 current_time_ns(void);

/* Sets mtime and ctime to now (the content changed). */
void inode_touch(struct inode *inode);

/* ---- permission checks (fs/permission.c) ---- */

/*
 * Whether the caller may access the inode with mask (MAY_READ|MAY_WRITE|MAY_EXEC; MAY_EXEC on a
 * directory is search): 0 or -EACCES, by its file-system ids, groups and capabilities (Linux's
 * inode_permission); /proc/sys files by sysctl's rule.
 */
int inode_permission(struct inode *inode, int mask);
/* The mode-bit check with the capability overrides (Linux's generic_permission). */
int generic_permission(const struct inode *inode, int mask);
/* Does the caller own the inode (fsuid) or have CAP_FOWNER (Linux's inode_owner_or_capable)? */
bool inode_owner_or_capable(const struct inode *inode);
/* The permission part of Linux's may_create: write and search on dir (0 or -EACCES). */
int may_create_perm(struct inode *dir);
/* The permission part of Linux's may_delete: write and search on dir, then the sticky rule
 * (-EPERM unless the caller owns victim or dir or has CAP_FOWNER). */
int may_delete_perm(struct inode *dir, const struct inode *victim);
/* A new file's mode without S_ISGID when dir would give its group and the caller is not in it
 * and lacks CAP_FSETID (Linux's mode_strip_sgid; dir may be NULL). */
u32 mode_strip_sgid(const struct inode *dir, u32 mode);
/* Gives a new inode its owner: the caller's fsuid, and its fsgid, or dir's group when dir is
 * set-group-ID (a new directory then is too): Linux's inode_init_owner. */
void inode_init_owner(struct inode *inode, const struct inode *dir);
/*
 * What a write or truncate must clear (ATTR_KILL_SUID|ATTR_KILL_SGID): a regular file's S_ISUID,
 * and S_ISGID with group execute, unless the caller has CAP_FSETID (should_remove_suid).
 */
#define ATTR_KILL_SUID 0x800
#define ATTR_KILL_SGID 0x1000
int should_remove_suid(const struct inode *inode);
/* Clears the bits kill names and sets ctime when it names any. */
void remove_privs(struct inode *inode, int kill);
/* Linux's file_remove_privs, before a write: 0. */
int file_remove_privs(struct file *file);

/* ---- directory entries (fs/dcache.c) ---- */

/* Makes inode a directory with no entries whose parent is parent (a reference is taken). */
void d_init_dir(struct inode *inode, struct inode *parent);

/* The entry called name in dir, or NULL. */
struct dentry *d_lookup(struct inode *dir, const char *name, u32 len);

/* Adds the entry name -> inode to dir, as its newest; NULL when memory runs out. */
struct dentry *d_add(struct inode *dir, const char *name, u32 len, struct inode *inode);

/* Removes an entry from its directory and frees it (the inode's links are the caller's). */
void d_delete(struct dentry *dentry);

/* The directory's newest entry (cursors skipped), or NULL if it has none. */
struct dentry *d_first_child(struct inode *dir);

/* True if the directory has no entries. */
bool d_dir_empty(struct inode *dir);

/* The directory ".." names: the parent, or dir itself at the root. */
struct inode *d_parent_dir(struct inode *dir);

/* The file operations of every directory: getdents64 in Linux 6.1's dcache order, lseek. */
extern const struct file_operations dcache_dir_operations;

/*
 * The absolute path of inode written at the end of buf: returns where it starts, or
 * ERR_PTR(-ENAMETOOLONG) if it does not fit, ERR_PTR(-ENOENT) if the inode has no name.
 */
char *d_path(struct inode *inode, char *buf, size_t size);

/* ---- path lookup (fs/namei.c) ---- */

#define MAXSYMLINKS 40

/* lookup flags */
#define LOOKUP_FOLLOW 0x1 /* follow a final symlink */
#define LOOKUP_DIRECTORY 0x2 /* the result must be a directory */
#define LOOKUP_EMPTY 0x4 /* "" names dfd itself */
#define LOOKUP_NO_EXPIRE 0x8 /* umount2's walk: not a use that clears MNT_EXPIRE's mark */

/* last_type: what the final component is */
/* LAST_JUMP: the final component was a magic link (/proc/PID/fd/N) and the walk jumped to its
 * file: nd->dir is the answer and may be of any type (Linux's nd_jump_link). */
enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT, LAST_JUMP };

/* A walk in progress: the directory reached and the final component, not yet looked up. */
struct nameidata {
	struct inode *dir; /* a reference */
	const char *last; /* the final component, not NUL-terminated */
	u32 last_len;
	int last_type;
	bool last_slash; /* a slash follows the final component */
	int total_links; /* symlinks followed so far */
	char *link_body; /* the symlink target last points into, if any (kmalloc'd) */
	struct mount *mnt; /* the mount dir is seen through (fs/mount.h; borrowed) */
};

/* The root directory. */
extern struct inode *fs_root;

/*
 * Copies a user path into a PATH_MAX kernel buffer. Returns it, or ERR_PTR(-EFAULT),
 * ERR_PTR(-ENAMETOOLONG), or ERR_PTR(-ENOENT) for "" unless empty_ok. Free with putname().
 */
char *getname(const char __user *filename, bool empty_ok);
void putname(char *name);

/* Resolves a path relative to dfd (AT_FDCWD: the working directory) to an inode reference. */
int path_lookupat(int dfd, const char *name, unsigned int flags, struct inode **res);

/* Walks to the directory holding the final component of name; nd_release() when done. */
int path_parentat(int dfd, const char *name, struct nameidata *nd);
void nd_release(struct nameidata *nd);

/* The same two from a directory of the kernel's choosing (relative names start at start). */
int vfs_path_lookup(struct inode *start, const char *name, unsigned int flags, struct inode **res);
int vfs_path_parent(struct inode *start, const char *name, struct nameidata *nd);

/* Continues a walk into the target of link, the final component nd named: counts it (ELOOP past
 * MAXSYMLINKS) and leaves nd at the target's final component. */
int nd_follow_link(struct nameidata *nd, struct inode *link);

/* The inode name refers to in dir (a reference): ERR_PTR(-ENOENT), ERR_PTR(-ENAMETOOLONG). */
struct inode *lookup_child(struct inode *dir, const char *name, u32 len);

/*
 * The entry of name in dir for a call that changes dir: the entry, NULL if there is none, or
 * ERR_PTR(-ENAMETOOLONG), ERR_PTR(-ENOENT) in a removed directory or a proc directory.
 */
struct dentry *lookup_for_change(struct inode *dir, const char *name, u32 len);

/* The target of a symlink as a kmalloc'd string, or an ERR_PTR. */
char *inode_get_link(struct inode *inode);

/* ---- changing the tree (fs/dirops.c), for the kernel (cpio) and the syscalls ---- */

/* Creates name in dir: a regular file, a device node or a directory (mode's type decides). Puts
 * a reference to the new inode in *res when res is not NULL. */
int vfs_mknod(struct inode *dir, const char *name, u32 len, u32 mode, u32 rdev, struct inode **res);

/* Walks to where name would be created and checks it is free (Linux's filename_create): 0 with
 * nd at the parent (nd_release() it), EEXIST for a name that exists, or the walk's error. */
int filename_create(int dfd, const char *name, bool want_dir, struct nameidata *nd);

/* Gives inode the name in dir, with the bookkeeping of a new entry (dir's size and times, and
 * its link count for a subdirectory). The name must be free and valid. */
int vfs_add_entry(struct inode *dir, const char *name, u32 len, struct inode *inode);

/* Creates the symlink name -> target in dir. */
int vfs_symlink(struct inode *dir, const char *name, u32 len, const char *target);
int vfs_link(struct inode *inode, struct inode *dir, const char *name, u32 len);

/* Removes a non-directory entry (EISDIR for a directory). */
int vfs_unlink(struct inode *dir, struct dentry *dentry);

/* unlink() of a kernel path relative to dfd: 0 or -errno. */
long do_unlinkat(int dfd, const char *name);

/* Removes an empty directory's entry (ENOTDIR, EBUSY, ENOTEMPTY). */
int vfs_rmdir(struct inode *dir, struct dentry *dentry);

/* ---- open files (fs/file_table.c, fs/open.c, fs/read_write.c) ---- */

/* A new open file of inode with open flags (O_ACCMODE decides f_mode) and operations. */
struct file *alloc_file(struct inode *inode, u32 flags, const struct file_operations *fop);

/*
 * A file on the shared anonymous inode (fs/anon_inodes.c), with private_data priv; and one
 * installed at a new descriptor (flags: O_CLOEXEC for the descriptor, the rest for the file):
 * the fd, or -EMFILE / -ENOMEM.
 */
extern struct super_block anon_inode_sb;
/*
 * The last reference to file is gone: it leaves every epoll set watching it (Linux's
 * eventpoll_release, fs/eventpoll.c). Called by __fput before the file's release.
 */
void eventpoll_release_file(struct file *file);

struct file *anon_inode_getfile(const char *name, const struct file_operations *fops, void *priv,
				u32 flags);
int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv, u32 flags);

/* Takes another reference to an open file and returns it. */
struct file *get_file(struct file *f);

/* Drops a reference; the last one releases the file (and may free an unlinked inode). */
void fput(struct file *f);

/* The inode behind an open file. */
struct inode *file_inode(struct file *f);

/* True if the file was opened for writing (MAP_SHARED with PROT_WRITE needs it). */
bool file_writable(struct file *f);

/* How mmap() may map a file: its pages come from filemap_get_page() (ramfs regular files), or it
 * maps as private zero pages like anonymous memory (/dev/zero), or it cannot be mapped: pipes,
 * directories, /dev/null, the console, proc files (Linux's answer: ENODEV). */
enum { FILE_MMAP_NONE, FILE_MMAP_PAGES, FILE_MMAP_ANON };
int file_mmap_kind(struct file *f);

/* Marks a file as a stream: no position, and ESPIPE for lseek, pread and pwrite. */
void stream_open(struct file *f);

/* Opens a kernel path (relative paths from the working directory): a file or an ERR_PTR. */
struct file *filp_open(const char *kpath, int flags, u32 mode);

/* Opens a path relative to dfd, as openat() does after copying the path in. */
struct file *file_open_at(int dfd, const char *kpath, int flags, u32 mode);

/*
 * Opens a program for execve: an ERR_PTR unless it is a regular file with an x bit (EACCES for
 * a directory or a file without one, as Linux). The file is readable with kernel_read().
 */
struct file *open_exec(const char *kpath);
/* execveat's open: dfd-relative, AT_SYMLINK_NOFOLLOW (ELOOP on a symlink), AT_EMPTY_PATH; any
 * other flag is EINVAL. */
struct file *do_open_execat(int dfd, const char *kpath, int flags);

/* Reads/writes up to len bytes at pos with a kernel buffer: bytes moved or -errno. */
ssize_t kernel_read(struct file *f, void *kbuf, size_t len, u64 pos);
ssize_t kernel_write(struct file *f, const void *kbuf, size_t len, u64 pos);

/* lseek of a file whose end is i_size (SEEK_DATA: all data, SEEK_HOLE: only at the end). */
s64 generic_file_llseek(struct file *file, s64 offset, int whence);
/* lseek with no upper bound and SEEK_DATA/SEEK_HOLE only past a non-negative offset (proc). */
s64 default_llseek(struct file *file, s64 offset, int whence);

/* Sets a regular file's size: frees the pages past it, zeroes the tail of the last one. */
int do_truncate(struct inode *inode, s64 length);

/* Fills a struct stat for the inode, as Linux x86-64 reports it. */
void generic_fillattr(struct inode *inode, struct stat *st);

/* ---- boot ---- */

/* Builds the root (/, /dev with null, zero and console, /proc, /tmp) and unpacks the initramfs
 * (a newc cpio archive in kernel memory) into it when len > 0. 0 or -errno. */
int fs_init(void *initrd, size_t len);

#endif
