// SPDX-License-Identifier: MIT
/*
 * fs/ path lookup and tree changes through the system calls: the errno of every edge case,
 * checked against what Linux (6.1, tmpfs) returns for the same call: trailing slashes, ".",
 * "..", symlinks (ELOOP past 40), ENAMETOOLONG, O_CREAT/O_EXCL/O_DIRECTORY, mkdir, unlink,
 * rmdir, rename, chdir and getcwd.
 */
#include <string.h>

#include "tests/host/test_fs.h"
#include "kernel/vsprintf.h"

/* Creates a file with some content and closes it; 0 or -errno. */
static long make_file(const char *path, const char *content)
{
	long fd = sys_open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0)
		return fd;
	sys_write((unsigned int)fd, content, strlen(content));
	return sys_close((unsigned int)fd);
}

/* The st_mode of path (0 if stat fails). */
static u32 mode_of(const char *path)
{
	struct stat st;

	return sys_lstat(path, &st) ? 0 : st.st_mode;
}

/* Opens and closes; the open's result or 0 when it succeeded. */
static long try_open(const char *path, int flags)
{
	long fd = sys_open(path, flags, 0644);

	if (fd >= 0) {
		sys_close((unsigned int)fd);
		return 0;
	}
	return fd;
}

HOST_TEST(fs_root_layout)
{
	CHECK_EQ(fs_test_boot(NULL, 0), 0);
	CHECK_EQ(mode_of("/"), S_IFDIR | 01777);
	CHECK_EQ(mode_of("/tmp"), S_IFDIR | 01777);
	CHECK_EQ(mode_of("/dev"), S_IFDIR | 0755);
	CHECK_EQ(mode_of("/proc"), S_IFDIR | 0555);
	CHECK_EQ(mode_of("/dev/null"), S_IFCHR | 0666);
	CHECK_EQ(mode_of("/dev/zero"), S_IFCHR | 0666);
	CHECK_EQ(mode_of("/dev/console"), S_IFCHR | 0600);
	struct stat st;
	CHECK_EQ(sys_stat("/dev/null", &st), 0);
	CHECK_EQ(st.st_rdev, 0x103);
	CHECK_EQ(sys_stat("/", &st), 0);
	CHECK_EQ(st.st_nlink, 5); /* ".", and the ".." of dev, tmp, proc */
	CHECK_EQ(st.st_size, 40 + 3 * 20);
	/* ".." of the root is the root, however many times. */
	struct stat root;
	CHECK_EQ(sys_stat("/../../..", &root), 0);
	CHECK_EQ(root.st_ino, st.st_ino);
	CHECK_EQ(sys_stat("//tmp///..//", &root), 0);
	CHECK_EQ(root.st_ino, st.st_ino);
}

HOST_TEST(fs_open_errors)
{
	fs_test_boot(NULL, 0);
	CHECK_EQ(sys_chdir("/tmp"), 0);
	CHECK_EQ(sys_mkdir("d", 0777), 0);
	CHECK_EQ(make_file("f", "data"), 0);
	CHECK_EQ(try_open("f/", O_RDONLY), -ENOTDIR);
	CHECK_EQ(try_open("f/", O_CREAT | O_RDONLY), -EISDIR);
	CHECK_EQ(try_open("d/", O_CREAT | O_RDONLY), -EISDIR);
	CHECK_EQ(try_open("new/", O_CREAT | O_RDONLY), -EISDIR);
	CHECK_EQ(try_open("new/", O_RDONLY), -ENOENT);
	CHECK_EQ(try_open(".", O_CREAT | O_RDONLY), -EISDIR);
	CHECK_EQ(try_open(".", O_CREAT | O_EXCL | O_RDONLY), -EEXIST);
	CHECK_EQ(try_open("d", O_CREAT | O_EXCL | O_RDONLY), -EEXIST);
	CHECK_EQ(try_open("f", O_CREAT | O_EXCL | O_RDONLY), -EEXIST);
	CHECK_EQ(try_open("d", O_WRONLY), -EISDIR);
	CHECK_EQ(try_open("d", O_RDWR), -EISDIR);
	CHECK_EQ(try_open("d", O_RDONLY | O_TRUNC), -EISDIR);
	CHECK_EQ(try_open("d", O_CREAT | O_RDWR), -EISDIR);
	CHECK_EQ(try_open("f", O_DIRECTORY), -ENOTDIR);
	CHECK_EQ(try_open("f/x", O_RDONLY), -ENOTDIR);
	CHECK_EQ(try_open("f/x", O_CREAT | O_RDWR), -ENOTDIR);
	CHECK_EQ(try_open("nope/x", O_CREAT | O_RDWR), -ENOENT);
	CHECK_EQ(try_open("", O_RDONLY), -ENOENT);
	CHECK_EQ(sys_open(NULL, O_RDONLY, 0), -EFAULT);
	CHECK_EQ(try_open("d", O_RDONLY), 0);
	CHECK_EQ(try_open("d/.", O_RDONLY | O_DIRECTORY), 0);
	/* Linux 6.1: O_DIRECTORY|O_CREAT on a missing name makes a file, then says ENOTDIR. */
	CHECK_EQ(try_open("g", O_DIRECTORY | O_CREAT), -ENOTDIR);
	CHECK_EQ(mode_of("g"), S_IFREG | 0644);
	CHECK_EQ(try_open("d", O_DIRECTORY | O_CREAT), -EISDIR);
	/* No direct I/O on a memory file system, no O_TMPFILE without write access. */
	CHECK_EQ(try_open("f", O_RDONLY | O_DIRECT), -EINVAL);
	CHECK_EQ(try_open("d", O_TMPFILE | O_RDONLY), -EINVAL);
	CHECK_EQ(try_open("d", O_TMPFILE | O_CREAT | O_RDWR), -EINVAL);
	/* The mode of a new file goes through the umask. */
	CHECK_EQ(try_open("m", O_CREAT | O_WRONLY), 0);
	CHECK_EQ(mode_of("m"), S_IFREG | 0644);
	CHECK_EQ(sys_umask(0), 022);
	CHECK_EQ(sys_creat("m2", 07777), 3);
	CHECK_EQ(mode_of("m2"), S_IFREG | 07777);
	CHECK_EQ(sys_umask(01777), 0);
	CHECK_EQ(sys_umask(022), 0777);
	/* O_RDONLY|O_TRUNC truncates a regular file, as on Linux. */
	CHECK_EQ(try_open("f", O_RDONLY | O_TRUNC), 0);
	struct stat st;
	CHECK_EQ(sys_stat("f", &st), 0);
	CHECK_EQ(st.st_size, 0);
	/* O_ACCMODE 3 opens, but neither reads nor writes. */
	long fd = sys_open("f", 3, 0);
	CHECK(fd >= 0);
	char c;
	CHECK_EQ(sys_read((unsigned int)fd, &c, 1), -EBADF);
	CHECK_EQ(sys_write((unsigned int)fd, "x", 1), -EBADF);
}

HOST_TEST(fs_symlinks)
{
	char buf[64];

	fs_test_boot(NULL, 0);
	CHECK_EQ(sys_chdir("/tmp"), 0);
	CHECK_EQ(sys_mkdir("d", 0777), 0);
	CHECK_EQ(make_file("f", "data"), 0);
	CHECK_EQ(sys_symlink("f", "lf"), 0);
	CHECK_EQ(sys_symlink("nonexist", "ldang"), 0);
	CHECK_EQ(sys_symlink("d", "ld"), 0);
	CHECK_EQ(sys_symlink("/tmp/d/", "labs"), 0);
	CHECK_EQ(mode_of("lf"), S_IFLNK | 0777);
	struct stat st;
	CHECK_EQ(sys_lstat("lf", &st), 0);
	CHECK_EQ(st.st_size, 1);
	CHECK_EQ(sys_stat("lf", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	CHECK_EQ(mode_of("ld/"), S_IFDIR | 0755); /* a trailing slash follows even lstat */
	CHECK_EQ(mode_of("labs/."), S_IFDIR | 0755);
	CHECK_EQ(try_open("lf", O_NOFOLLOW), -ELOOP);
	long fd = sys_open("lf", O_NOFOLLOW | O_PATH, 0);
	CHECK(fd >= 0);
	CHECK_EQ(sys_readlinkat((int)fd, "", buf, sizeof(buf)), 1);
	CHECK_EQ(sys_read((unsigned int)fd, buf, 1), -EBADF);
	CHECK_EQ(sys_fcntl((unsigned int)fd, F_GETFL, 0), O_PATH | O_NOFOLLOW);
	CHECK_EQ(sys_fcntl((unsigned int)fd, F_SETFL, 0), -EBADF);
	CHECK_EQ(sys_fchdir((unsigned int)fd), -ENOTDIR);
	CHECK_EQ(sys_lseek((unsigned int)fd, 0, SEEK_SET), -EBADF);
	CHECK_EQ(sys_fstat((unsigned int)fd, &st), 0);
	CHECK_EQ(st.st_mode, S_IFLNK | 0777);
	CHECK_EQ(sys_close((unsigned int)fd), 0);
	CHECK_EQ(try_open("lf/", O_NOFOLLOW), -ENOTDIR);
	CHECK_EQ(try_open("ld/", O_NOFOLLOW), 0);
	/* O_CREAT|O_EXCL does not follow; O_CREAT alone creates the target of a dangling link. */
	CHECK_EQ(try_open("ldang", O_CREAT | O_EXCL | O_WRONLY), -EEXIST);
	CHECK_EQ(sys_access("nonexist", F_OK), -ENOENT);
	CHECK_EQ(try_open("ldang", O_CREAT | O_WRONLY), 0);
	CHECK_EQ(sys_access("nonexist", F_OK), 0);
	CHECK_EQ(sys_symlink("nodir/x", "dang2"), 0);
	CHECK_EQ(try_open("dang2", O_CREAT | O_RDWR), -ENOENT);
	CHECK_EQ(sys_symlink("d/", "sl"), 0);
	CHECK_EQ(try_open("sl", O_CREAT | O_RDWR), -EISDIR);
	CHECK_EQ(sys_symlink("/tmp/nothere", "abs"), 0);
	CHECK_EQ(try_open("abs", O_CREAT | O_RDWR), 0);
	CHECK_EQ(mode_of("/tmp/nothere"), S_IFREG | 0644);
	/* symlink() errors */
	CHECK_EQ(sys_symlink("", "e"), -ENOENT);
	CHECK_EQ(sys_symlink("x", "newl/"), -ENOENT);
	CHECK_EQ(sys_symlink("x", "f"), -EEXIST);
	CHECK_EQ(sys_symlink("x", "ldang"), -EEXIST);
	CHECK_EQ(sys_symlink("x", "."), -EEXIST);
	CHECK_EQ(sys_symlink("x", "d/.."), -EEXIST);
	/* readlink() */
	CHECK_EQ(sys_readlink("lf", buf, 0), -EINVAL);
	CHECK_EQ(sys_readlink("lf", buf, -1), -EINVAL);
	CHECK_EQ(sys_readlink("f", buf, 10), -EINVAL);
	CHECK_EQ(sys_readlink("", buf, 10), -ENOENT);
	CHECK_EQ(sys_readlink("nope", buf, 10), -ENOENT);
	CHECK_EQ(sys_readlink("labs", buf, sizeof(buf)), 7);
	CHECK_MEM_EQ(buf, "/tmp/d/", 7);
	memset(buf, 'Z', sizeof(buf));
	CHECK_EQ(sys_readlink("labs", buf, 3), 3);
	CHECK_MEM_EQ(buf, "/tmZ", 4); /* truncated, no NUL */
	CHECK_EQ(sys_readlink("labs", NULL, 3), -EFAULT);
	/* rmdir and unlink never follow */
	CHECK_EQ(sys_rmdir("ld"), -ENOTDIR);
	CHECK_EQ(sys_unlink("ld"), 0);
	CHECK_EQ(mode_of("d"), S_IFDIR | 0755);
}

HOST_TEST(fs_symlink_loops)
{
	char name[16], target[16];

	fs_test_boot(NULL, 0);
	CHECK_EQ(sys_chdir("/tmp"), 0);
	CHECK_EQ(make_file("target", ""), 0);
	CHECK_EQ(sys_mkdir("dd", 0755), 0);
	for (int i = 0; i < 45; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		snprintf(target, sizeof(target), i ? "l%d" : "target", i - 1);
		CHECK_EQ(sys_symlink(target, name), 0);
		snprintf(name, sizeof(name), "m%d", i);
		snprintf(target, sizeof(target), i ? "m%d" : "dd", i - 1);
		CHECK_EQ(sys_symlink(target, name), 0);
	}
	/* l39 is 40 links away from the file: the most one resolution may follow. */
	CHECK_EQ(try_open("l38", O_RDONLY), 0);
	CHECK_EQ(try_open("l39", O_RDONLY), 0);
	CHECK_EQ(try_open("l40", O_RDONLY), -ELOOP);
	CHECK_EQ(try_open("l44", O_RDONLY), -ELOOP);
	CHECK_EQ(try_open("m39/", O_RDONLY), 0);
	CHECK_EQ(try_open("m39/.", O_RDONLY), 0);
	CHECK_EQ(try_open("m40/", O_RDONLY), -ELOOP);
	CHECK_EQ(try_open("m40/x", O_RDONLY), -ELOOP);
	CHECK_EQ(sys_symlink("loop2", "loop1"), 0);
	CHECK_EQ(sys_symlink("loop1", "loop2"), 0);
	CHECK_EQ(try_open("loop1", O_RDONLY), -ELOOP);
	CHECK_EQ(try_open("loop1/x", O_RDONLY), -ELOOP);
	CHECK_EQ(try_open("loop1", O_CREAT | O_RDWR), -ELOOP);
	struct stat st;
	CHECK_EQ(sys_lstat("loop1", &st), 0);
	CHECK_EQ(sys_symlink("self/x", "self"), 0);
	CHECK_EQ(try_open("self", O_RDONLY), -ELOOP);
	/* A link in the middle of a link's target, nested: m2/../m1/ -> dd */
	CHECK_EQ(sys_symlink("m2/../m1/", "nest"), 0);
	CHECK_EQ(mode_of("nest/"), S_IFDIR | 0755);
}

HOST_TEST(fs_names_too_long)
{
	static char path[5000];
	char name[300];

	fs_test_boot(NULL, 0);
	CHECK_EQ(sys_chdir("/tmp"), 0);
	memset(name, 'a', 256);
	name[256] = '\0';
	CHECK_EQ(try_open(name, O_RDONLY), -ENAMETOOLONG);
	CHECK_EQ(try_open(name, O_CREAT | O_RDWR), -ENAMETOOLONG);
	CHECK_EQ(sys_mkdir(name, 0755), -ENAMETOOLONG);
	CHECK_EQ(sys_unlink(name), -ENAMETOOLONG);
	CHECK_EQ(sys_rmdir(name), -ENAMETOOLONG);
	CHECK_EQ(sys_symlink("x", name), -ENAMETOOLONG);
	CHECK_EQ(sys_rename(name, "zz"), -ENAMETOOLONG);
	CHECK_EQ(make_file("f", ""), 0);
	CHECK_EQ(sys_rename("f", name), -ENAMETOOLONG);
	snprintf(path, sizeof(path), "nope/%s", name);
	CHECK_EQ(try_open(path, O_RDONLY), -ENOENT); /* the walk fails before the long name */
	snprintf(path, sizeof(path), "%s/x", name);
	CHECK_EQ(try_open(path, O_RDONLY), -ENAMETOOLONG);
	name[255] = '\0';
	CHECK_EQ(try_open(name, O_CREAT | O_RDWR), 0);
	CHECK_EQ(sys_unlink(name), 0);
	/* Paths: 4095 bytes and the NUL fit, 4096 do not. */
	memset(path, 'b', sizeof(path) - 1);
	path[0] = '/';
	CHECK_EQ(try_open(path, O_RDONLY), -ENAMETOOLONG);
	CHECK_EQ(sys_chdir(path), -ENAMETOOLONG);
	path[4096] = '\0';
	CHECK_EQ(try_open(path, O_RDONLY), -ENAMETOOLONG);
	path[4095] = '\0';
	CHECK_EQ(try_open(path, O_RDONLY), -ENAMETOOLONG); /* one 4094-byte component */
	for (int i = 100; i < 4095; i += 100)
		path[i] = '/';
	CHECK_EQ(try_open(path, O_RDONLY), -ENOENT);
	/* A path that runs into memory that faults is EFAULT. */
	memcpy(path, "/tmp", 4);
	host_user_fault_range(path + 4, 16);
	CHECK_EQ(try_open(path, O_RDONLY), -EFAULT);
	CHECK_EQ(sys_chdir(path), -EFAULT);
	host_user_fault_range(NULL, 0);
}

HOST_TEST(fs_mkdir_unlink_rmdir)
{
	struct stat st;

	fs_test_boot(NULL, 0);
	CHECK_EQ(sys_chdir("/tmp"), 0);
	CHECK_EQ(sys_mkdir("d", 0777), 0);
	CHECK_EQ(mode_of("d"), S_IFDIR | 0755);
	CHECK_EQ(make_file("f", "x"), 0);
	CHECK_EQ(sys_symlink("nonexist", "ldang"), 0);
	CHECK_EQ(sys_mkdir("d", 0777), -EEXIST);
	CHECK_EQ(sys_mkdir("f", 0777), -EEXIST);
	CHECK_EQ(sys_mkdir("ldang", 0777), -EEXIST);
	CHECK_EQ(sys_mkdir(".", 0777), -EEXIST);
	CHECK_EQ(sys_mkdir("d/..", 0777), -EEXIST);
	CHECK_EQ(sys_mkdir("/", 0777), -EEXIST);
	CHECK_EQ(sys_mkdir("", 0777), -ENOENT);
	CHECK_EQ(sys_mkdir("nope/x", 0777), -ENOENT);
	CHECK_EQ(sys_mkdir("f/x", 0777), -ENOTDIR);
	CHECK_EQ(sys_mkdir("newd/", 0700), 0);
	CHECK_EQ(mode_of("newd"), S_IFDIR | 0700);
	CHECK_EQ(sys_mkdir("sticky", 01777), 0);
	CHECK_EQ(mode_of("sticky"), S_IFDIR | 01755);
	CHECK_EQ(sys_unlink("d"), -EISDIR);
	CHECK_EQ(sys_unlink("."), -EISDIR);
	CHECK_EQ(sys_unlink("/"), -EISDIR);
	CHECK_EQ(sys_unlink("f/"), -ENOTDIR);
	CHECK_EQ(sys_unlink("d/"), -EISDIR);
	CHECK_EQ(sys_unlink("nope/"), -ENOENT);
	CHECK_EQ(sys_unlink("nope"), -ENOENT);
	CHECK_EQ(sys_unlink("f/x"), -ENOTDIR);
	CHECK_EQ(sys_unlink(""), -ENOENT);
	CHECK_EQ(sys_rmdir("."), -EINVAL);
	CHECK_EQ(sys_rmdir("d/."), -EINVAL);
	CHECK_EQ(sys_rmdir(".."), -ENOTEMPTY);
	CHECK_EQ(sys_rmdir("/"), -EBUSY);
	CHECK_EQ(sys_rmdir("f"), -ENOTDIR);
	CHECK_EQ(sys_rmdir("nope"), -ENOENT);
	CHECK_EQ(sys_rmdir(""), -ENOENT);
	CHECK_EQ(sys_mkdir("d/sub", 0777), 0);
	CHECK_EQ(sys_stat("d", &st), 0);
	CHECK_EQ(st.st_nlink, 3);
	CHECK_EQ(st.st_size, 60);
	CHECK_EQ(sys_rmdir("d"), -ENOTEMPTY);
	CHECK_EQ(sys_rmdir("d/sub/"), 0);
	CHECK_EQ(sys_stat("d", &st), 0);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(st.st_size, 40);
	CHECK_EQ(sys_unlinkat(AT_FDCWD, "d", 0x100), -EINVAL);
	CHECK_EQ(sys_unlinkat(AT_FDCWD, "d", 0), -EISDIR);
	CHECK_EQ(sys_unlinkat(AT_FDCWD, "d", AT_REMOVEDIR), 0);
	CHECK_EQ(sys_unlinkat(AT_FDCWD, "f", AT_REMOVEDIR), -ENOTDIR);
	CHECK_EQ(sys_unlinkat(AT_FDCWD, "f", 0), 0);
	CHECK_EQ(sys_stat("f", &st), -ENOENT);
	/* /proc cannot change */
	CHECK_EQ(sys_rmdir("/proc"), -EBUSY);
	CHECK_EQ(sys_unlink("/proc"), -EISDIR);
	CHECK_EQ(sys_mkdir("/proc/x", 0755), -ENOENT);
	CHECK_EQ(try_open("/proc/x", O_CREAT | O_RDWR), -ENOENT);
	CHECK_EQ(sys_symlink("x", "/proc/x"), -ENOENT);
	CHECK_EQ(sys_unlink("/proc/self/exe"), -EPERM);
	CHECK_EQ(sys_unlink("/proc/self"), -EPERM);
	CHECK_EQ(sys_rmdir("/proc/self"), -ENOTDIR);
}

HOST_TEST(fs_rename_rules)
{
	struct stat st;

	fs_test_boot(NULL, 0);
	CHECK_EQ(sys_chdir("/tmp"), 0);
	CHECK_EQ(sys_mkdir("d", 0777), 0);
	CHECK_EQ(sys_mkdir("d/sub", 0777), 0);
	CHECK_EQ(sys_mkdir("newd", 0777), 0);
	CHECK_EQ(make_file("f", "ff"), 0);
	CHECK_EQ(sys_rename("d", "d/sub/x"), -EINVAL);
	CHECK_EQ(sys_rename("d", "d/x"), -EINVAL);
	CHECK_EQ(sys_rename("d/sub", "d"), -ENOTEMPTY);
	CHECK_EQ(sys_rename("f", "d"), -EISDIR);
	CHECK_EQ(sys_rename("d", "f"), -ENOTDIR);
	CHECK_EQ(sys_rename("f", "f"), 0);
	CHECK_EQ(sys_rename("f/", "g"), -ENOTDIR);
	CHECK_EQ(sys_rename("f", "g/"), -ENOTDIR);
	CHECK_EQ(sys_rename(".", "g"), -EBUSY);
	CHECK_EQ(sys_rename("f", "."), -EBUSY);
	CHECK_EQ(sys_rename("/", "g"), -EBUSY);
	CHECK_EQ(sys_rename("nope", "g"), -ENOENT);
	CHECK_EQ(sys_rename("f", "nope/g"), -ENOENT);
	CHECK_EQ(sys_rename("", "g"), -ENOENT);
	CHECK_EQ(sys_rename("f", ""), -ENOENT);
	CHECK_EQ(sys_rename(NULL, "g"), -EFAULT);
	CHECK_EQ(sys_rename("f", NULL), -EFAULT);
	CHECK_EQ(sys_rename("newd", "d"), -ENOTEMPTY);
	CHECK_EQ(sys_rename("/proc/self", "/tmp/x"), -EXDEV);
	CHECK_EQ(sys_rename("/proc", "/tmp/x"), -EBUSY);
	CHECK_EQ(sys_renameat2(AT_FDCWD, "f", AT_FDCWD, "d", RENAME_NOREPLACE), -EEXIST);
	CHECK_EQ(sys_renameat2(AT_FDCWD, "f", AT_FDCWD, "g", 8), -EINVAL);
	/* An empty directory replaces an empty directory; link counts follow. */
	CHECK_EQ(sys_rename("newd", "d/sub"), 0);
	CHECK_EQ(sys_stat("newd", &st), -ENOENT);
	CHECK_EQ(sys_stat("d", &st), 0);
	CHECK_EQ(st.st_nlink, 3);
	CHECK_EQ(sys_stat(".", &st), 0);
	CHECK_EQ(st.st_nlink, 3); /* ".", "..", d */
	/* A file moves between directories and replaces another, which is freed. */
	CHECK_EQ(make_file("d/victim", "vv"), 0);
	CHECK_EQ(sys_rename("f", "d/victim"), 0);
	CHECK_EQ(sys_stat("d/victim", &st), 0);
	CHECK_EQ(st.st_size, 2);
	char buf[4];
	long fd = sys_open("d/victim", O_RDONLY, 0);
	CHECK_EQ(sys_read((unsigned int)fd, buf, 4), 2);
	CHECK_MEM_EQ(buf, "ff", 2);
	sys_close((unsigned int)fd);
	/* A directory moved keeps its contents and its new ".." is right. */
	CHECK_EQ(sys_rename("d/sub", "moved"), 0);
	CHECK_EQ(sys_chdir("moved"), 0);
	char cwd[64];
	CHECK_EQ(sys_getcwd(cwd, sizeof(cwd)), 11);
	CHECK_STR_EQ(cwd, "/tmp/moved");
	CHECK_EQ(sys_stat("../d/victim", &st), 0);
}

HOST_TEST(fs_cwd)
{
	char buf[300];
	struct stat st;

	fs_test_boot(NULL, 0);
	CHECK_EQ(sys_getcwd(buf, sizeof(buf)), 2);
	CHECK_STR_EQ(buf, "/");
	CHECK_EQ(sys_getcwd(buf, 1), -ERANGE);
	CHECK_EQ(sys_getcwd(NULL, 0), -ERANGE);
	CHECK_EQ(sys_getcwd(NULL, 10), -EFAULT);
	CHECK_EQ(sys_mkdir("/tmp/a", 0755), 0);
	CHECK_EQ(sys_mkdir("/tmp/a/b", 0755), 0);
	CHECK_EQ(sys_chdir("/tmp/a/b"), 0);
	CHECK_EQ(sys_getcwd(buf, 8), -ERANGE);
	CHECK_EQ(sys_getcwd(buf, 9), 9);
	CHECK_STR_EQ(buf, "/tmp/a/b");
	CHECK_EQ(sys_stat("../../a/./b/../b", &st), 0);
	CHECK_EQ(sys_chdir("f"), -ENOENT);
	CHECK_EQ(sys_chdir(""), -ENOENT);
	CHECK_EQ(make_file("f", ""), 0);
	CHECK_EQ(sys_chdir("f"), -ENOTDIR);
	long fd = sys_open("f", O_RDONLY, 0);
	CHECK_EQ(sys_fchdir((unsigned int)fd), -ENOTDIR);
	CHECK_EQ(sys_fchdir(99), -EBADF);
	sys_close((unsigned int)fd);
	/* A removed working directory: getcwd ENOENT, nothing can be created, ".." still works. */
	CHECK_EQ(sys_mkdir("gone", 0755), 0);
	CHECK_EQ(sys_chdir("gone"), 0);
	CHECK_EQ(sys_rmdir("/tmp/a/b/gone"), 0);
	CHECK_EQ(sys_getcwd(buf, sizeof(buf)), -ENOENT);
	CHECK_EQ(try_open("x", O_CREAT | O_RDWR), -ENOENT);
	CHECK_EQ(sys_mkdir("x", 0777), -ENOENT);
	CHECK_EQ(try_open(".", O_RDONLY), 0);
	CHECK_EQ(sys_stat(".", &st), 0);
	CHECK_EQ(st.st_nlink, 0);
	fd = sys_open(".", O_RDONLY, 0);
	CHECK_EQ(sys_getdents64((unsigned int)fd, (void *)buf, sizeof(buf)), -ENOENT);
	sys_close((unsigned int)fd);
	CHECK_EQ(sys_chdir(".."), 0);
	CHECK_EQ(sys_getcwd(buf, sizeof(buf)), 9);
	/* fchdir to an O_PATH directory descriptor */
	fd = sys_open("/tmp/a", O_PATH, 0);
	CHECK_EQ(sys_fchdir((unsigned int)fd), 0);
	CHECK_EQ(sys_getcwd(buf, sizeof(buf)), 7);
	CHECK_STR_EQ(buf, "/tmp/a");
}

HOST_TEST(fs_at_calls)
{
	struct stat st;

	fs_test_boot(NULL, 0);
	CHECK_EQ(sys_mkdir("/tmp/d", 0755), 0);
	CHECK_EQ(make_file("/tmp/d/f", "12345"), 0);
	long dfd = sys_open("/tmp/d", O_RDONLY | O_DIRECTORY, 0);
	CHECK_EQ(dfd, 3);
	CHECK_EQ(sys_newfstatat((int)dfd, "f", &st, 0), 0);
	CHECK_EQ(st.st_size, 5);
	CHECK_EQ(sys_newfstatat((int)dfd, "", &st, AT_EMPTY_PATH), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);
	CHECK_EQ(sys_newfstatat((int)dfd, "", &st, 0), -ENOENT);
	CHECK_EQ(sys_newfstatat((int)dfd, "f", &st, 0x12345), -EINVAL);
	CHECK_EQ(sys_newfstatat((int)dfd, NULL, &st, 0x8000), -EINVAL);
	CHECK_EQ(sys_newfstatat(-1, "f", &st, 0), -EBADF);
	CHECK_EQ(sys_newfstatat(-1, "", &st, AT_EMPTY_PATH), -EBADF);
	CHECK_EQ(sys_newfstatat(-1, "/tmp/d/f", &st, 0), 0);
	CHECK_EQ(sys_newfstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 01777);
	long fd = sys_openat((int)dfd, "f", O_RDONLY, 0);
	CHECK_EQ(fd, 4);
	CHECK_EQ(sys_openat((int)fd, "x", O_RDONLY, 0), -ENOTDIR);
	CHECK_EQ(sys_newfstatat((int)fd, "", &st, AT_EMPTY_PATH), 0);
	CHECK_EQ(st.st_size, 5);
	CHECK_EQ(sys_openat(AT_FDCWD, "f", O_RDONLY, 0), -ENOENT);
	CHECK_EQ(sys_openat(99, "f", O_RDONLY, 0), -EBADF);
	CHECK_EQ(sys_openat(-5, "/tmp/d/f", O_RDONLY, 0), 5);
	CHECK_EQ(sys_mkdirat((int)dfd, "sub", 0700), 0);
	CHECK_EQ(sys_symlinkat("f", (int)dfd, "lnk"), 0);
	char buf[8];
	CHECK_EQ(sys_readlinkat((int)dfd, "lnk", buf, sizeof(buf)), 1);
	CHECK_EQ(sys_renameat((int)dfd, "lnk", AT_FDCWD, "/tmp/lnk2"), 0);
	CHECK_EQ(sys_unlinkat((int)dfd, "sub", AT_REMOVEDIR), 0);
	CHECK_EQ(sys_faccessat((int)dfd, "f", R_OK | W_OK), 0);
	CHECK_EQ(sys_faccessat((int)dfd, "f", X_OK), -EACCES);
	CHECK_EQ(sys_faccessat((int)dfd, "f", 8), -EINVAL);
	CHECK_EQ(sys_access("/", -1), -EINVAL);
	CHECK_EQ(sys_access("/", X_OK), 0);
	CHECK_EQ(sys_faccessat2((int)dfd, "f", F_OK, 0x4000), -EINVAL);
	CHECK_EQ(sys_faccessat2((int)fd, "", F_OK, AT_EMPTY_PATH), 0);
	CHECK_EQ(sys_access("/tmp/lnk2", F_OK), -ENOENT); /* its target is relative to /tmp */
	CHECK_EQ(sys_faccessat2(AT_FDCWD, "/tmp/lnk2", F_OK, AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ(sys_stat("/", NULL), -EFAULT);
	CHECK_EQ(sys_fstat(99, &st), -EBADF);
}
