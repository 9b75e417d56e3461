/* SPDX-License-Identifier: MIT */
/*
 * The file ABI of Linux x86-64 that user programs see: open flags, *at() flags, mode bits,
 * lseek and fcntl commands, the ioctls every file answers, and the layouts of struct stat,
 * struct linux_dirent64 and struct iovec. Values are Linux's, byte for byte.
 */
#ifndef WARDEN_FS_ABI_H
#define WARDEN_FS_ABI_H

#include "kernel/compiler.h"
#include "mm/uaccess.h"

#define PATH_MAX 4096 /* bytes in a path, its NUL included */
#define NAME_MAX 255 /* bytes in one path component */

/* open() flags (octal, as in asm-generic/fcntl.h) */
#define O_ACCMODE 00000003
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_NOCTTY 00000400
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_NONBLOCK 00004000
#define O_DSYNC 00010000
#define FASYNC 00020000
#define O_DIRECT 00040000
#define O_LARGEFILE 00100000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW 00400000
#define O_NOATIME 01000000
#define O_CLOEXEC 02000000
#define __O_SYNC 04000000
#define O_PATH 010000000
#define __O_TMPFILE 020000000
#define O_TMPFILE (__O_TMPFILE | O_DIRECTORY)
#define VALID_OPEN_FLAGS                                                                       \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | \
	 FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC |  \
	 __O_SYNC | O_PATH | __O_TMPFILE)
/* What O_PATH keeps of the other flags. */
#define O_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

/* The *at() calls */
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_EACCESS 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000
#define AT_STATX_SYNC_TYPE 0x6000

/* st_mode */
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define S_ISUID 0004000
#define S_ISGID 0002000
#define S_ISVTX 0001000
#define S_IRWXUGO 00777
#define S_IALLUGO 07777
#define S_IXUGO 00111
#define S_IXGRP 00010
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)
#define S_ISCHR(m) (((m)&S_IFMT) == S_IFCHR)
#define S_ISFIFO(m) (((m)&S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m)&S_IFMT) == S_IFSOCK)

/* access() modes */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

/* lseek() */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4
#define SEEK_MAX SEEK_HOLE

/* fcntl() */
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

/* ioctl() requests every file answers, and the terminal ones it refuses */
#define TCGETS 0x5401
#define TIOCGWINSZ 0x5413
#define FIONREAD 0x541b
#define FIONBIO 0x5421
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define FIOASYNC 0x5452

/* d_type of getdents64: the file type bits of st_mode, shifted down */
#define DT_UNKNOWN 0
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

/* renameat2() */
#define RENAME_NOREPLACE 1

/* The largest file offset (MAX_LFS_FILESIZE) and the most one read or write moves. */
#define MAX_LFS_FILESIZE 0x7fffffffffffffffLL
#define MAX_RW_COUNT (0x7fffffff & ~(PAGE_SIZE - 1))

/* Device numbers in the encoding stat() reports (Linux's new_encode_dev). */
static inline u32 mkdev(u32 major, u32 minor)
{
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/* struct stat of x86-64: 144 bytes. */
struct stat {
	u64 st_dev;
	u64 st_ino;
	u64 st_nlink;
	u32 st_mode;
	u32 st_uid;
	u32 st_gid;
	u32 __pad0;
	u64 st_rdev;
	s64 st_size;
	s64 st_blksize;
	s64 st_blocks; /* 512-byte units */
	u64 st_atime;
	u64 st_atime_nsec;
	u64 st_mtime;
	u64 st_mtime_nsec;
	u64 st_ctime;
	u64 st_ctime_nsec;
	s64 __reserved[3];
};

/* One getdents64 record; d_reclen rounds offsetof(d_name) + the name + its NUL up to 8. */
struct linux_dirent64 {
	u64 d_ino;
	s64 d_off; /* where the next record starts (lseek position) */
	u16 d_reclen;
	u8 d_type;
	char d_name[];
};

/* One buffer of readv/writev. */
struct iovec {
	void __user *iov_base;
	size_t iov_len;
};
#define UIO_MAXIOV 1024

#endif
