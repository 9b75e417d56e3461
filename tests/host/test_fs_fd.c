// SPDX-License-Identifier: MIT
/*
 * fs/ descriptors and special files: dup/dup2/dup3/fcntl and close-on-exec, RLIMIT_NOFILE,
 * fork's copy of the table, pipes (the paths that do not sleep), ioctl, the console files of
 * fds 0-2, /dev/null, /dev/zero and /dev/console.
 */
#include <string.h>

#include "tests/host/test_fs.h"
#include "fs/pipe.h"

HOST_TEST(fs_dup_fcntl)
{
	fs_test_boot(NULL, 0);
	int h = (int)sys_open("/tmp/h", O_CREAT | O_RDWR, 0644);
	CHECK_EQ(h, 3);
	CHECK_EQ(sys_write(h, "0123456789", 10), 10);
	int d = (int)sys_dup(h);
	CHECK_EQ(d, 4);
	CHECK_EQ(sys_lseek(d, 2, SEEK_SET), 2);
	CHECK_EQ(sys_lseek(h, 0, SEEK_CUR), 2); /* the offset is shared */
	CHECK_EQ(sys_fcntl(d, F_GETFD, 0), 0);
	CHECK_EQ(sys_dup2(h, h), h);
	CHECK_EQ(sys_dup2(h, 10), 10);
	CHECK_EQ(sys_lseek(10, 0, SEEK_CUR), 2);
	CHECK_EQ(sys_dup2(d, 10), 10);
	CHECK_EQ(sys_dup2(99, 11), -EBADF);
	CHECK_EQ(sys_dup2(99, 99), -EBADF);
	CHECK_EQ(sys_fcntl(11, F_GETFD, 0), -EBADF);
	CHECK_EQ(sys_dup2(h, (unsigned int)-1), -EBADF);
	CHECK_EQ(sys_dup2(h, 1024), -EBADF);
	CHECK_EQ(sys_dup2(h, 1023), 1023);
	CHECK_EQ(sys_close(1023), 0);
	CHECK_EQ(sys_dup3(h, h, 0), -EINVAL);
	CHECK_EQ(sys_dup3(h, h, O_CLOEXEC), -EINVAL);
	CHECK_EQ(sys_dup3(h, 50, -1), -EINVAL);
	CHECK_EQ(sys_dup3((unsigned int)-1, 50, 0), -EBADF);
	CHECK_EQ(sys_dup3(h, 1024, 0), -EBADF);
	CHECK_EQ(sys_dup3(h, 12, O_CLOEXEC), 12);
	CHECK_EQ(sys_fcntl(12, F_GETFD, 0), FD_CLOEXEC);
	CHECK_EQ(sys_dup3(h, 13, 1), -EINVAL);
	CHECK_EQ(sys_fcntl(12, F_SETFD, 0), 0);
	CHECK_EQ(sys_fcntl(12, F_GETFD, 0), 0);
	CHECK_EQ(sys_fcntl(12, F_SETFD, ~0UL), 0);
	CHECK_EQ(sys_fcntl(12, F_GETFD, 0), FD_CLOEXEC);
	CHECK_EQ(sys_fcntl(h, F_DUPFD, 20), 20);
	CHECK_EQ(sys_fcntl(h, F_DUPFD_CLOEXEC, 20), 21);
	CHECK_EQ(sys_fcntl(21, F_GETFD, 0), FD_CLOEXEC);
	CHECK_EQ(sys_fcntl(h, F_DUPFD, (unsigned long)-1), -EINVAL);
	CHECK_EQ(sys_fcntl(h, F_DUPFD, 1024), -EINVAL);
	CHECK_EQ(sys_fcntl(h, F_DUPFD, 0x7fffffff), -EINVAL);
	CHECK_EQ(sys_fcntl(h, F_DUPFD, 1023), 1023);
	CHECK_EQ(sys_fcntl(h, F_DUPFD, 1023), -EMFILE);
	CHECK_EQ(sys_fcntl(h, 0x7fff, 0), -EINVAL);
	CHECK_EQ(sys_fcntl(h, (unsigned int)-1, 0), -EINVAL);
	CHECK_EQ(sys_fcntl((unsigned int)-1, F_GETFD, 0), -EBADF);
	CHECK_EQ(sys_dup((unsigned int)-1), -EBADF);
	CHECK_EQ(sys_dup(99), -EBADF);
	/* F_GETFL and F_SETFL: only O_APPEND, O_NONBLOCK, O_NOATIME change. */
	CHECK_EQ(sys_fcntl(h, F_GETFL, 0), 0x8002);
	CHECK_EQ(sys_fcntl(h, F_SETFL, O_NONBLOCK | O_APPEND), 0);
	CHECK_EQ(sys_fcntl(h, F_GETFL, 0), 0x8c02);
	CHECK_EQ(sys_fcntl(h, F_SETFL, O_RDONLY | O_CREAT | O_EXCL | O_TRUNC), 0);
	CHECK_EQ(sys_fcntl(h, F_GETFL, 0), 0x8002);
	CHECK_EQ(sys_fcntl(h, F_SETFL, O_DIRECT), -EINVAL);
	CHECK_EQ(sys_close(10), 0);
	CHECK_EQ(sys_close(d), 0);
	CHECK_EQ(sys_lseek(h, 0, SEEK_CUR), 2);
	CHECK_EQ(sys_close(h), 0);
	CHECK_EQ(sys_dup(h), -EBADF);
	/* The lowest free descriptor is reused. */
	CHECK_EQ(sys_open("/tmp/h", O_RDONLY, 0), 3);
}

HOST_TEST(fs_fd_limits)
{
	fs_test_boot(NULL, 0);
	int n = 0;
	while (sys_dup(0) >= 0)
		n++;
	CHECK_EQ(n, 1024 - 3);
	CHECK_EQ(sys_dup(0), -EMFILE);
	CHECK_EQ(sys_open("/nope", O_RDONLY, 0), -EMFILE); /* before the walk */
	CHECK_EQ(sys_open("", O_RDONLY, 0), -ENOENT); /* but after the path copy */
	int p[2] = { -1, -1 };
	CHECK_EQ(sys_pipe(p), -EMFILE);
	CHECK_EQ(sys_close(1000), 0);
	CHECK_EQ(sys_pipe(p), -EMFILE); /* needs two */
	CHECK_EQ(sys_dup(0), 1000);
	/* A higher RLIMIT_NOFILE lets the table grow past 4096 descriptors (up to nr_open). */
	host_task.signal->rlim[7].rlim_cur = 20000;
	CHECK_EQ(sys_dup2(0, 4095), 4095);
	CHECK_EQ(sys_dup2(0, 4096), 4096);
	CHECK_EQ(sys_dup2(0, 19999), 19999);
	CHECK_EQ(sys_dup2(0, 20000), -EBADF);
	CHECK_EQ(sys_fcntl(0, F_DUPFD, 2000), 2000);
	CHECK_EQ(sys_fcntl(0, F_DUPFD, 19999), -EMFILE);
	CHECK_EQ(sys_fcntl(0, F_DUPFD, 20000), -EINVAL);
	/* fork's copy holds the high descriptors too. */
	struct files_struct *copy = dup_files(host_task.files);
	CHECK(copy != NULL);
	CHECK(copy->max_fds >= 20000);
	put_files(copy);
	host_task.signal->rlim[7].rlim_cur = 1024;
	CHECK_EQ(sys_dup(0), -EMFILE);
	CHECK_EQ(sys_close(4095), 0);
	CHECK_EQ(sys_close(4096), 0);
	CHECK_EQ(sys_close(19999), 0);
	CHECK_EQ(sys_close(2000), 0);
}

HOST_TEST(fs_fork_exec_exit)
{
	fs_test_boot(NULL, 0);
	u64 free_before = host_free_frames();
	int fd = (int)sys_open("/tmp/x", O_CREAT | O_RDWR, 0644);
	CHECK_EQ(sys_write(fd, "abc", 3), 3);
	CHECK_EQ(sys_dup3(fd, 7, O_CLOEXEC), 7);
	CHECK_EQ(sys_dup2(fd, 300), 300);
	struct files_struct *parent = host_task.files;
	struct files_struct *child = dup_files(parent);
	CHECK(child != NULL);
	struct fs_struct *child_fs = copy_fs(host_task.fs);
	CHECK(child_fs != NULL);
	/* The child sees the same open files (shared offsets) and close-on-exec bits. */
	host_task.files = child;
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 3);
	CHECK_EQ(sys_lseek(300, 1, SEEK_SET), 1);
	CHECK_EQ(sys_fcntl(7, F_GETFD, 0), FD_CLOEXEC);
	files_close_on_exec(child);
	CHECK_EQ(sys_fcntl(7, F_GETFD, 0), -EBADF);
	CHECK_EQ(sys_fcntl(300, F_GETFD, 0), 0);
	CHECK_EQ(sys_write(1, "child\n", 6), 6);
	put_files(child);
	put_fs(child_fs);
	host_task.files = parent;
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 1);
	CHECK_EQ(sys_fcntl(7, F_GETFD, 0), FD_CLOEXEC);
	CHECK_EQ(sys_close(7), 0);
	CHECK_EQ(sys_close(300), 0);
	CHECK_EQ(sys_unlink("/tmp/x"), 0);
	CHECK(host_free_frames() < free_before); /* still open as fd */
	CHECK_EQ(sys_close(fd), 0);
	CHECK_EQ(host_free_frames(), free_before);
	/* Exit: the last reference to the table closes everything. */
	fd = (int)sys_open("/tmp/y", O_CREAT | O_RDWR, 0644);
	CHECK_EQ(sys_write(fd, "abc", 3), 3);
	CHECK_EQ(sys_unlink("/tmp/y"), 0);
	u64 free_open = host_free_frames();
	parent->count++; /* a thread sharing it (CLONE_FILES) */
	put_files(parent);
	CHECK_EQ(host_free_frames(), free_open);
	put_files(parent);
	CHECK(host_free_frames() > free_open);
	host_task.files = files_alloc_console();
	CHECK(host_task.files != NULL);
}

HOST_TEST(fs_pipes)
{
	int p[2];
	char buf[64];
	struct stat st;

	fs_test_boot(NULL, 0);
	u64 free_before = host_free_frames();
	CHECK_EQ(sys_pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	CHECK_EQ(p[0], 3);
	CHECK_EQ(p[1], 4);
	CHECK_EQ(sys_fcntl(p[0], F_GETFD, 0), FD_CLOEXEC);
	CHECK_EQ(sys_fcntl(p[0], F_GETFL, 0), O_NONBLOCK);
	CHECK_EQ(sys_fcntl(p[1], F_GETFL, 0), O_WRONLY | O_NONBLOCK);
	CHECK_EQ(sys_fstat(p[0], &st), 0);
	CHECK_EQ(st.st_mode, S_IFIFO | 0600);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(sys_read(p[0], buf, 10), -EAGAIN);
	CHECK_EQ(sys_write(p[1], "abc", 3), 3);
	CHECK_EQ(sys_read(p[0], buf, 0), 0);
	u32 n = 0;
	CHECK_EQ(sys_ioctl(p[0], FIONREAD, (unsigned long)&n), 0);
	CHECK_EQ(n, 3);
	CHECK_EQ(sys_ioctl(p[0], FIONREAD, 0), -EFAULT);
	CHECK_EQ(sys_ioctl(p[0], TCGETS, (unsigned long)buf), -ENOTTY);
	CHECK_EQ(sys_lseek(p[0], 0, SEEK_SET), -ESPIPE);
	CHECK_EQ(sys_lseek(p[0], 0, 9), -EINVAL);
	CHECK_EQ(sys_pread64(p[0], buf, 1, 0), -ESPIPE);
	CHECK_EQ(sys_pread64(p[0], buf, 1, -1), -EINVAL);
	CHECK_EQ(sys_pwrite64(p[1], buf, 1, 0), -ESPIPE);
	CHECK_EQ(sys_read(p[1], buf, 1), -EBADF);
	CHECK_EQ(sys_write(p[0], buf, 1), -EBADF);
	/* A read that faults part-way leaves the data in the pipe; so does a faulting write. */
	host_user_fault_range(buf + 2, 8);
	CHECK_EQ(sys_read(p[0], buf, 10), -EFAULT);
	host_user_fault_range(NULL, 0);
	CHECK_EQ(sys_read(p[0], buf, 10), 3);
	CHECK_MEM_EQ(buf, "abc", 3);
	memcpy(buf, "0123456789", 10);
	host_user_fault_range(buf + 6, 4);
	CHECK_EQ(sys_write(p[1], buf, 10), -EFAULT);
	CHECK_EQ(sys_write(p[1], NULL, 16), -EFAULT);
	host_user_fault_range(NULL, 0);
	CHECK_EQ(sys_read(p[0], buf, 10), -EAGAIN);
	/* 64 KiB fit; then EAGAIN; a large write takes what fits. */
	static char big[PIPE_SIZE + 100];
	for (int i = 0; i < 16; i++)
		CHECK_EQ(sys_write(p[1], big, PAGE_SIZE), PAGE_SIZE);
	CHECK_EQ(sys_write(p[1], "x", 1), -EAGAIN);
	CHECK_EQ(sys_read(p[0], big, 100), 100);
	CHECK_EQ(sys_write(p[1], big, PIPE_BUF), -EAGAIN); /* atomic: all or nothing */
	CHECK_EQ(sys_write(p[1], big, PIPE_BUF + 1), 100);
	CHECK_EQ(sys_read(p[0], big, sizeof(big)), PIPE_SIZE);
	/* The ring wraps around. */
	for (int i = 0; i < 40; i++) {
		char out[3000], in[3000];

		memset(out, 'a' + i % 26, sizeof(out));
		CHECK_EQ(sys_write(p[1], out, sizeof(out)), sizeof(out));
		CHECK_EQ(sys_read(p[0], in, sizeof(in)), sizeof(in));
		CHECK_MEM_EQ(in, out, sizeof(out));
	}
	/* The writer's close makes the reader see the rest, then end-of-file. */
	CHECK_EQ(sys_write(p[1], "tail", 4), 4);
	CHECK_EQ(sys_close(p[1]), 0);
	CHECK_EQ(sys_read(p[0], buf, 2), 2);
	CHECK_EQ(sys_read(p[0], buf, 10), 2);
	CHECK_EQ(sys_read(p[0], buf, 10), 0);
	CHECK_EQ(sys_close(p[0]), 0);
	/* No reader: EPIPE and SIGPIPE. */
	CHECK_EQ(sys_pipe(p), 0);
	CHECK_EQ(sys_fcntl(p[0], F_GETFL, 0), O_RDONLY);
	CHECK_EQ(sys_write(p[1], "x", 1), 1);
	CHECK_EQ(sys_close(p[0]), 0);
	CHECK_EQ(sys_write(p[1], "x", 1), -EPIPE);
	CHECK_EQ(host_sigpipe_count, 1);
	CHECK_EQ(sys_write(p[1], "", 0), 0);
	CHECK_EQ(host_sigpipe_count, 1);
	CHECK_EQ(sys_close(p[1]), 0);
	/* Bad flags and bad arrays leak no descriptor. */
	CHECK_EQ(sys_pipe2(p, O_RDWR), -EINVAL);
	CHECK_EQ(sys_pipe2(p, -1), -EINVAL);
	CHECK_EQ(sys_pipe(NULL), -EFAULT);
	CHECK_EQ(sys_pipe((int *)0xffff800000000000UL), -EFAULT);
	CHECK_EQ(sys_dup(0), 3);
	CHECK_EQ(sys_close(3), 0);
	CHECK_EQ(host_free_frames(), free_before);
}

HOST_TEST(fs_ioctl)
{
	fs_test_boot(NULL, 0);
	int fd = (int)sys_open("/tmp/i", O_CREAT | O_RDWR, 0644);
	char buf[64];
	u32 v;

	CHECK_EQ(sys_write(fd, buf, 50), 50);
	CHECK_EQ(sys_ioctl(99, TCGETS, (unsigned long)buf), -EBADF);
	CHECK_EQ(sys_ioctl(fd, TCGETS, (unsigned long)buf), -ENOTTY);
	CHECK_EQ(sys_ioctl(fd, TCGETS, 0), -ENOTTY);
	CHECK_EQ(sys_ioctl(fd, TIOCGWINSZ, (unsigned long)buf), -ENOTTY);
	CHECK_EQ(sys_ioctl(fd, 0, 0), -ENOTTY);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(sys_ioctl(i, TCGETS, (unsigned long)buf), -ENOTTY);
		CHECK_EQ(sys_ioctl(i, TIOCGWINSZ, (unsigned long)buf), -ENOTTY);
	}
	int con = (int)sys_open("/dev/console", O_RDWR, 0);
	CHECK_EQ(sys_ioctl(con, TCGETS, (unsigned long)buf), -ENOTTY);
	CHECK_EQ(sys_ioctl(con, TIOCGWINSZ, (unsigned long)buf), -ENOTTY);
	CHECK_EQ(sys_ioctl(fd, FIOCLEX, 0), 0);
	CHECK_EQ(sys_fcntl(fd, F_GETFD, 0), FD_CLOEXEC);
	CHECK_EQ(sys_ioctl(fd, FIONCLEX, 0), 0);
	CHECK_EQ(sys_fcntl(fd, F_GETFD, 0), 0);
	CHECK_EQ(sys_ioctl(fd, FIONBIO, 0), -EFAULT);
	v = 1;
	CHECK_EQ(sys_ioctl(fd, FIONBIO, (unsigned long)&v), 0);
	CHECK_EQ(sys_fcntl(fd, F_GETFL, 0) & O_NONBLOCK, O_NONBLOCK);
	v = 0;
	CHECK_EQ(sys_ioctl(fd, FIONBIO, (unsigned long)&v), 0);
	CHECK_EQ(sys_fcntl(fd, F_GETFL, 0) & O_NONBLOCK, 0);
	CHECK_EQ(sys_lseek(fd, 10, SEEK_SET), 10);
	CHECK_EQ(sys_ioctl(fd, FIONREAD, (unsigned long)&v), 0);
	CHECK_EQ(v, 40);
	CHECK_EQ(sys_ioctl(fd, FIONREAD, 0x7ffffffff000UL), -EFAULT);
	int dfd = (int)sys_open("/tmp", O_RDONLY, 0);
	CHECK_EQ(sys_ioctl(dfd, FIONREAD, (unsigned long)&v), -ENOTTY);
	int pfd = (int)sys_open("/tmp/i", O_PATH, 0);
	CHECK_EQ(sys_ioctl(pfd, FIONREAD, (unsigned long)&v), -EBADF);
	CHECK_EQ(sys_fsync(fd), 0);
	CHECK_EQ(sys_fdatasync(dfd), 0);
	CHECK_EQ(sys_fsync(con), -EINVAL);
	CHECK_EQ(sys_fsync(99), -EBADF);
	CHECK_EQ(sys_fsync(1), 0);
}

HOST_TEST(fs_console)
{
	char buf[16];
	struct stat st;

	fs_test_boot(NULL, 0);
	CHECK_EQ(sys_read(0, buf, sizeof(buf)), 0);
	CHECK_EQ(sys_write(0, "x", 1), -EBADF);
	CHECK_EQ(sys_write(1, "hello ", 6), 6);
	CHECK_EQ(sys_write(2, "oops\n", 5), 5);
	struct iovec iov[2] = { { "wor", 3 }, { "ld\n", 3 } };
	CHECK_EQ(sys_writev(1, iov, 2), 6);
	CHECK_EQ(host_console_len[1], 12);
	CHECK_MEM_EQ(host_console[1], "hello world\n", 12);
	CHECK_MEM_EQ(host_console[2], "oops\n", 5);
	CHECK_EQ(sys_read(1, buf, 1), -EBADF);
	/* They look like the regular files a redirected program gets on Linux. */
	CHECK_EQ(sys_fcntl(0, F_GETFL, 0), O_RDONLY | O_LARGEFILE);
	CHECK_EQ(sys_fcntl(1, F_GETFL, 0), O_WRONLY | O_LARGEFILE);
	CHECK_EQ(sys_fstat(1, &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	CHECK_EQ(st.st_size, 12);
	CHECK_EQ(sys_lseek(1, 0, SEEK_CUR), 12);
	CHECK_EQ(sys_lseek(0, 0, SEEK_END), 0);
	CHECK_EQ(sys_fstat(0, &st), 0);
	CHECK_EQ(st.st_size, 0);
	/* A write from memory that faults part-way sends what came before it. */
	memcpy(buf, "abcdefgh", 8);
	host_user_fault_range(buf + 4, 4);
	CHECK_EQ(sys_write(2, buf, 8), 4);
	CHECK_EQ(sys_write(2, buf + 4, 4), -EFAULT);
	host_user_fault_range(NULL, 0);
	CHECK_MEM_EQ(host_console[2], "oops\nabcd", 9);
	/* /dev/console: a stream to stdout that reads end-of-file. */
	int con = (int)sys_open("/dev/console", O_RDWR, 0);
	CHECK_EQ(sys_write(con, "!", 1), 1);
	CHECK_EQ(host_console[1][12], '!');
	CHECK_EQ(sys_read(con, buf, sizeof(buf)), 0);
	CHECK_EQ(sys_lseek(con, 0, SEEK_SET), -ESPIPE);
	CHECK_EQ(sys_fstat(con, &st), 0);
	CHECK_EQ(st.st_rdev, 0x501);
	/* Fds 0-2 of the first task: closing them frees their inodes. */
	CHECK_EQ(sys_close(0), 0);
	CHECK_EQ(sys_open("/dev/null", O_RDONLY, 0), 0);
}

HOST_TEST(fs_dev_null_zero)
{
	char buf[64];
	struct stat st;

	fs_test_boot(NULL, 0);
	int z = (int)sys_open("/dev/zero", O_RDWR, 0);
	CHECK_EQ(sys_fstat(z, &st), 0);
	CHECK_EQ(st.st_mode, S_IFCHR | 0666);
	CHECK_EQ(st.st_rdev, 0x105);
	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(sys_read(z, buf, 48), 48);
	for (int i = 0; i < 48; i++)
		CHECK_EQ(buf[i], 0);
	CHECK_EQ(buf[48], 'x');
	CHECK_EQ(sys_write(z, buf, 5), 5);
	CHECK_EQ(sys_lseek(z, 55, SEEK_SET), 0);
	CHECK_EQ(sys_read(z, NULL, 16), -EFAULT);
	int n = (int)sys_open("/dev/null", O_RDWR, 0);
	CHECK_EQ(sys_fcntl(n, F_GETFL, 0), O_RDWR | O_LARGEFILE);
	CHECK_EQ(sys_write(n, buf, 5), 5);
	CHECK_EQ(sys_write(n, NULL, 16), 16);
	CHECK_EQ(sys_write(n, (void *)0xffff800000000000UL, 16), -EFAULT);
	CHECK_EQ(sys_read(n, buf, sizeof(buf)), 0);
	CHECK_EQ(sys_read(n, NULL, 16), 0);
	CHECK_EQ(sys_read(n, buf, (size_t)-1), -EFAULT);
	CHECK_EQ(sys_lseek(n, 100, SEEK_SET), 0);
	CHECK_EQ(sys_lseek(n, -5, SEEK_SET), 0);
	CHECK_EQ(sys_lseek(n, 0, 9), -EINVAL);
	CHECK_EQ(sys_pread64(n, buf, 1, 5), 0);
	CHECK_EQ(sys_open("/dev/null", O_RDONLY | O_DIRECT, 0), -EINVAL);
	CHECK_EQ(sys_open("/dev/null", O_RDONLY | O_TRUNC, 0), 5);
	/* A device node without a driver */
	struct inode *dev;
	CHECK_EQ(path_lookupat(AT_FDCWD, "/dev", 0, &dev), 0);
	CHECK_EQ(vfs_mknod(dev, "ttyS1", 5, S_IFCHR | 0600, mkdev(4, 65), NULL), 0);
	iput(dev);
	CHECK_EQ(sys_open("/dev/ttyS1", O_RDWR, 0), -ENXIO);
	CHECK_EQ(sys_stat("/dev/ttyS1", &st), 0);
	CHECK_EQ(st.st_rdev, 0x441);
}
