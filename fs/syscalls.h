/* SPDX-License-Identifier: MIT */
/*
 * The file-system system calls, with Linux x86-64's argument types. Each returns its result or a
 * negative errno, with Linux 6.1's errors checked in Linux's order. Every user pointer goes
 * through mm/uaccess.h; paths are copied in with getname() (ENAMETOOLONG at PATH_MAX).
 */
#ifndef WARDEN_FS_SYSCALLS_H
#define WARDEN_FS_SYSCALLS_H

#include "fs/abi.h"

struct file;

/* fs/read_write.c */
long sys_read(unsigned int fd, char __user *buf, size_t count);
long sys_write(unsigned int fd, const char __user *buf, size_t count);
long sys_pread64(unsigned int fd, char __user *buf, size_t count, s64 pos);
long sys_pwrite64(unsigned int fd, const char __user *buf, size_t count, s64 pos);
long sys_readv(unsigned long fd, const struct iovec __user *vec, unsigned long vlen);
long sys_writev(unsigned long fd, const struct iovec __user *vec, unsigned long vlen);
long sys_lseek(unsigned int fd, s64 offset, unsigned int whence);

/* fs/open.c */
long sys_open(const char __user *filename, int flags, u32 mode);
long sys_openat(int dfd, const char __user *filename, int flags, u32 mode);
long sys_creat(const char __user *pathname, u32 mode);
long sys_close(unsigned int fd);
long sys_truncate(const char __user *path, long length);
long sys_ftruncate(unsigned int fd, unsigned long length);
long sys_access(const char __user *filename, int mode);
long sys_faccessat(int dfd, const char __user *filename, int mode);
long sys_faccessat2(int dfd, const char __user *filename, int mode, int flags);
long sys_chdir(const char __user *filename);
long sys_fchdir(unsigned int fd);
long sys_umask(int mask);

/* fs/fcntl.c */
long sys_dup(unsigned int fildes);
long sys_dup2(unsigned int oldfd, unsigned int newfd);
long sys_dup3(unsigned int oldfd, unsigned int newfd, int flags);
long sys_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg);

/* fs/pipe.c */
long sys_pipe(int __user *fildes);
long sys_pipe2(int __user *fildes, int flags);
/* fs/select.c */
struct pollfd;
struct old_timeval;
struct timespec64;
long sys_poll(struct pollfd __user *ufds, unsigned int nfds, int timeout_msecs);
long sys_ppoll(struct pollfd __user *ufds, unsigned int nfds, const struct timespec64 __user *tsp,
	       const u64 __user *sigmask, u64 sigsetsize);
long sys_select(int n, void __user *inp, void __user *outp, void __user *exp,
		struct old_timeval __user *tvp);
long sys_pselect6(int n, void __user *inp, void __user *outp, void __user *exp,
		  const struct timespec64 __user *tsp, const u64 __user *sig);
/* fs/eventpoll.c, fs/eventpoll_wait.c (docs/epoll.md) */
long sys_epoll_create(int size);
long sys_epoll_create1(int flags);
long sys_epoll_ctl(int epfd, int op, int fd, void __user *event);
long sys_epoll_wait(int epfd, void __user *events, int maxevents, int timeout);
long sys_epoll_pwait(int epfd, void __user *events, int maxevents, int timeout,
		     const void __user *sigmask, u64 sigsetsize);
long sys_epoll_pwait2(int epfd, void __user *events, int maxevents, const void __user *timeout,
		      const void __user *sigmask, u64 sigsetsize);
/* /proc/sys/fs/epoll/max_user_watches */
int epoll_sysctl_init(void);

/* fs/stat.c */
long sys_stat(const char __user *filename, struct stat __user *statbuf);
long sys_lstat(const char __user *filename, struct stat __user *statbuf);
long sys_fstat(unsigned int fd, struct stat __user *statbuf);
/* statfs, fstatfs (fs/statfs.c): the file system's magic number and sizes, as Linux 6.1's. */
/* fallocate (fs/fallocate.c): tmpfs's modes (0, KEEP_SIZE, PUNCH_HOLE|KEEP_SIZE). */
long sys_fallocate(int fd, int mode, s64 offset, s64 len);
/*
 * fallocate on an open file (Linux's vfs_fallocate): sys_fallocate's checks and work without the
 * descriptor; madvise's MADV_REMOVE punches its hole with it. 0 or -errno.
 */
long vfs_fallocate(struct file *f, int mode, s64 offset, s64 len);
struct statfs;
long sys_statfs(const char __user *pathname, struct statfs __user *buf);
long sys_mount(const char __user *dev_name, const char __user *dir_name, const char __user *type,
	       unsigned long flags, const void __user *data);
long sys_umount2(const char __user *name, int flags);
long sys_fstatfs(unsigned int fd, struct statfs __user *buf);
/* Extended attributes (fs/xattr.c): none exist; read side only. */
long sys_getxattr(const char __user *path, const char __user *name, void __user *value, u64 size);
long sys_lgetxattr(const char __user *path, const char __user *name, void __user *value, u64 size);
long sys_fgetxattr(int fd, const char __user *name, void __user *value, u64 size);
long sys_listxattr(const char __user *path, char __user *list, u64 size);
long sys_llistxattr(const char __user *path, char __user *list, u64 size);
long sys_flistxattr(int fd, char __user *list, u64 size);
long sys_newfstatat(int dfd, const char __user *filename, struct stat __user *statbuf, int flag);
long sys_readlink(const char __user *path, char __user *buf, int bufsiz);
long sys_readlinkat(int dfd, const char __user *pathname, char __user *buf, int bufsiz);

/* fs/dirops.c */
long sys_mkdir(const char __user *pathname, u32 mode);
long sys_mkdirat(int dfd, const char __user *pathname, u32 mode);
long sys_unlink(const char __user *pathname);
long sys_unlinkat(int dfd, const char __user *pathname, int flag);
long sys_rmdir(const char __user *pathname);
long sys_rename(const char __user *oldname, const char __user *newname);
long sys_renameat(int olddfd, const char __user *oldname, int newdfd, const char __user *newname);
long sys_renameat2(int olddfd, const char __user *oldname, int newdfd, const char __user *newname,
		   unsigned int flags);
long sys_symlink(const char __user *oldname, const char __user *newname);
long sys_symlinkat(const char __user *oldname, int newdfd, const char __user *newname);

/* fs/readdir.c */
long sys_getdents64(unsigned int fd, struct linux_dirent64 __user *dirent, unsigned int count);

/* fs/d_path.c */
long sys_getcwd(char __user *buf, unsigned long size);

/* fs/ioctl.c */
long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg);
long sys_fsync(unsigned int fd);
long sys_fdatasync(unsigned int fd);

long sys_linkat(int olddfd, const char __user *oldname, int newdfd, const char __user *newname,
		int flags);
long sys_link(const char __user *oldname, const char __user *newname);
long sys_mknodat(int dfd, const char __user *filename, u32 mode, unsigned int dev);
long sys_mknod(const char __user *filename, u32 mode, unsigned int dev);

/* fs/attr.c: modes, owners and times */
struct timespec64;
struct old_timeval;
long sys_chmod(const char __user *filename, u32 mode);
long sys_fchmod(unsigned int fd, u32 mode);
long sys_fchmodat(int dfd, const char __user *filename, u32 mode);
long sys_chown(const char __user *filename, u32 user, u32 group);
long sys_fchown(unsigned int fd, u32 user, u32 group);
long sys_lchown(const char __user *filename, u32 user, u32 group);
long sys_fchownat(int dfd, const char __user *filename, u32 user, u32 group, int flag);
long sys_utimensat(int dfd, const char __user *filename, const struct timespec64 __user *utimes,
		   int flags);
long sys_utimes(const char __user *filename, const struct old_timeval __user *utimes);
struct utimbuf;
long sys_utime(const char __user *filename, const struct utimbuf __user *times);

#endif
