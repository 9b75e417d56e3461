// SPDX-License-Identifier: MIT
/*
 * Mounts under ASan (fs/namespace.c, fs/super.c, fs/mount_syscalls.c): a tmpfs mounted, walked
 * into and out of, its pages and inodes counted and given back, umount refused while busy, a
 * lazy umount whose tree goes with the last close, nested mounts detached together, and the
 * /proc/self/mountinfo lines. Each test checks that every frame taken comes back.
 */
#include <string.h>

#include "tests/host/test_fs.h"
#include "fs/mount.h"

/* mount(2) of a tmpfs; the options in a page of their own, as mount(2) reads a whole page. */
static long mount_tmpfs(const char *dir, unsigned long flags, const char *data)
{
	static char page[4096];

	if (!data)
		return sys_mount("t", dir, "tmpfs", flags, NULL);
	strcpy(page, data);
	return sys_mount("t", dir, "tmpfs", flags, page);
}

/* The inode number of path, or -errno. */
static long ino_of(const char *path)
{
	struct stat st;
	long err = sys_stat(path, &st);

	return err ? err : (long)st.st_ino;
}

HOST_TEST(fs_mount_walk_and_umount)
{
	fs_test_boot(NULL, 0);
	u64 free_before = host_free_frames();
	long tmp_ino = ino_of("/tmp");

	CHECK_EQ(sys_mkdir("/tmp/m", 0755), 0);
	CHECK_EQ(mount_tmpfs("/tmp/m", 0, "size=8k,nr_inodes=3"), 0);
	CHECK_EQ(ino_of("/tmp/m"), 1); /* tmpfs numbers from 1: its root */
	CHECK_EQ(sys_mkdir("/tmp/m/d", 0755), 0);
	CHECK_EQ(sys_mkdir("/tmp/m/d/e", 0755), 0);
	CHECK_EQ(ino_of("/tmp/m/d/e/../../.."), tmp_ino);
	CHECK_EQ(sys_mkdir("/tmp/m/d/f", 0755), -ENOSPC); /* nr_inodes=3: the root, d, e */
	long fd = sys_open("/tmp/m/d/file", O_CREAT | O_RDWR, 0644);
	CHECK_EQ(fd, -ENOSPC);
	CHECK_EQ(sys_chdir("/tmp/m/d/e"), 0);
	CHECK_EQ(ino_of(".."), ino_of("/tmp/m/d"));
	CHECK_EQ(ino_of("../../.."), tmp_ino);
	CHECK_EQ(sys_chdir("/"), 0);
	CHECK_EQ(sys_rmdir("/tmp/m/d/e"), 0);
	fd = sys_open("/tmp/m/d/file", O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0);
	static char buf[12288];
	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(sys_write((unsigned int)fd, buf, sizeof(buf)), 8192); /* size=8k */
	CHECK_EQ(sys_write((unsigned int)fd, buf, 1), -ENOSPC);
	CHECK_EQ(sys_umount2("/tmp/m", 0), -EBUSY);
	CHECK_EQ(sys_rmdir("/tmp/m"), -EBUSY);
	CHECK_EQ(sys_close((unsigned int)fd), 0);
	CHECK_EQ(sys_chdir("/tmp/m/d"), 0);
	CHECK_EQ(sys_umount2("/tmp/m", 0), -EBUSY);
	CHECK_EQ(sys_chdir("/"), 0);
	CHECK_EQ(sys_umount2("/tmp/m/d", 0), -EINVAL); /* not a mount's root */
	CHECK_EQ(sys_umount2("/tmp/m", 0), 0);
	CHECK_EQ(ino_of("/tmp/m/d"), -ENOENT);
	CHECK_EQ(sys_rmdir("/tmp/m"), 0);
	CHECK_EQ(host_free_frames(), free_before);
}

HOST_TEST(fs_mount_lazy_and_nested)
{
	fs_test_boot(NULL, 0);
	u64 free_before = host_free_frames();

	CHECK_EQ(sys_mkdir("/tmp/m", 0755), 0);
	CHECK_EQ(mount_tmpfs("/tmp/m", 0, NULL), 0);
	CHECK_EQ(sys_mkdir("/tmp/m/in", 0755), 0);
	CHECK_EQ(sys_mount("r", "/tmp/m/in", "ramfs", 0, NULL), 0);
	long fd = sys_open("/tmp/m/in/f", O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(sys_write((unsigned int)fd, "hello", 5), 5);
	CHECK_EQ(sys_umount2("/tmp/m", 0), -EBUSY); /* a mount on it */
	CHECK_EQ(sys_umount2("/tmp/m", MNT_DETACH), 0);
	CHECK_EQ(ino_of("/tmp/m/in"), -ENOENT);
	/* the detached ramfs lives while its file is open, then goes with everything under it */
	CHECK_EQ(sys_write((unsigned int)fd, "!", 1), 1);
	CHECK_EQ(sys_close((unsigned int)fd), 0);
	CHECK_EQ(sys_rmdir("/tmp/m"), 0);
	CHECK_EQ(host_free_frames(), free_before);
}

HOST_TEST(fs_mount_readonly_and_mountinfo)
{
	fs_test_boot(NULL, 0);
	static char buf[2048];

	CHECK_EQ(sys_mkdir("/tmp/m", 0755), 0);
	CHECK_EQ(mount_tmpfs("/tmp/m", MS_NOEXEC, "mode=700"), 0);
	long fd = sys_open("/tmp/m/f", O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(sys_mount(NULL, "/tmp/m", NULL, MS_REMOUNT | MS_RDONLY, NULL), -EBUSY);
	CHECK_EQ(sys_close((unsigned int)fd), 0);
	CHECK_EQ(sys_mount(NULL, "/tmp/m", NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
	CHECK_EQ(sys_mkdir("/tmp/m/d", 0755), -EROFS);
	CHECK_EQ(sys_mkdir("/tmp/m/f", 0755), -EEXIST);
	CHECK_EQ(sys_open("/tmp/m/f", O_WRONLY, 0), -EROFS);
	fd = sys_open("/proc/self/mountinfo", O_RDONLY, 0);
	CHECK(fd >= 0);
	long n = sys_read((unsigned int)fd, buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = '\0';
	CHECK(strstr(buf, "1 1 0:2 / / rw - rootfs rootfs rw,size="));
	CHECK(strstr(buf, " / /proc rw,relatime - proc proc rw\n"));
	/* remount replaced the mount's flags (noexec went), the atime flag stayed */
	CHECK(strstr(buf, " / /tmp/m ro,relatime - tmpfs t ro,mode=700,inode64\n"));
	CHECK_EQ(sys_close((unsigned int)fd), 0);
	CHECK_EQ(sys_umount2("/tmp/m", 0), 0);
}
