// SPDX-License-Identifier: MIT
/*
 * fs/ directories and the user ABI: struct stat and struct linux_dirent64 byte for byte as
 * Linux x86-64 lays them out, getdents64 in Linux 6.1's tmpfs order and positions (newest
 * first, d_off counting entries, a cursor that survives changes between calls), and /proc.
 */
#include <string.h>

#include "tests/host/test_fs.h"
#include "fs/proc.h"
#include "kernel/vsprintf.h"

/* One record of a getdents64 buffer, as a program would read it. */
struct dent {
	u64 ino;
	s64 off;
	u16 reclen;
	u8 type;
	char name[256];
};

/* Parses the records of buf (n bytes) into out; returns how many. */
static int parse_dents(const char *buf, long n, struct dent *out, int max)
{
	int count = 0;

	for (long pos = 0; pos < n && count < max; count++) {
		const struct linux_dirent64 *d = (const void *)(buf + pos);

		out[count].ino = d->d_ino;
		out[count].off = d->d_off;
		out[count].reclen = d->d_reclen;
		out[count].type = d->d_type;
		strcpy(out[count].name, d->d_name);
		pos += d->d_reclen;
	}
	return count;
}

HOST_TEST(fs_stat_layout)
{
	CHECK_EQ(sizeof(struct stat), 144);
	CHECK_EQ(offsetof(struct stat, st_dev), 0);
	CHECK_EQ(offsetof(struct stat, st_ino), 8);
	CHECK_EQ(offsetof(struct stat, st_nlink), 16);
	CHECK_EQ(offsetof(struct stat, st_mode), 24);
	CHECK_EQ(offsetof(struct stat, st_uid), 28);
	CHECK_EQ(offsetof(struct stat, st_gid), 32);
	CHECK_EQ(offsetof(struct stat, st_rdev), 40);
	CHECK_EQ(offsetof(struct stat, st_size), 48);
	CHECK_EQ(offsetof(struct stat, st_blksize), 56);
	CHECK_EQ(offsetof(struct stat, st_blocks), 64);
	CHECK_EQ(offsetof(struct stat, st_atime), 72);
	CHECK_EQ(offsetof(struct stat, st_atime_nsec), 80);
	CHECK_EQ(offsetof(struct stat, st_mtime), 88);
	CHECK_EQ(offsetof(struct stat, st_mtime_nsec), 96);
	CHECK_EQ(offsetof(struct stat, st_ctime), 104);
	CHECK_EQ(offsetof(struct stat, st_ctime_nsec), 112);
	CHECK_EQ(offsetof(struct linux_dirent64, d_ino), 0);
	CHECK_EQ(offsetof(struct linux_dirent64, d_off), 8);
	CHECK_EQ(offsetof(struct linux_dirent64, d_reclen), 16);
	CHECK_EQ(offsetof(struct linux_dirent64, d_type), 18);
	CHECK_EQ(offsetof(struct linux_dirent64, d_name), 19);
	CHECK_EQ(sizeof(struct iovec), 16);
	CHECK_EQ(mkdev(1, 3), 0x103);
	CHECK_EQ(mkdev(4, 65), 0x441);
	CHECK_EQ(mkdev(259, 300), 0x11032c); /* glibc makedev(259, 300) */

	/* The bytes a stat writes, all 144 of them (padding zeroed). */
	fs_test_boot(NULL, 0);
	u8 raw[160];
	memset(raw, 0xee, sizeof(raw));
	CHECK_EQ(sys_stat("/dev/null", (struct stat *)raw), 0);
	CHECK_EQ(raw[144], 0xee);
	u32 pad;
	memcpy(&pad, raw + 36, 4);
	CHECK_EQ(pad, 0);
	for (int i = 120; i < 144; i++)
		CHECK_EQ(raw[i], 0);
	struct stat st, st2;
	memcpy(&st, raw, sizeof(st));
	CHECK_EQ(st.st_rdev, 0x103);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_EQ(st.st_uid, 0);
	CHECK(st.st_mtime >= 1700000000);
	CHECK_EQ(sys_stat("/proc/self/exe", &st2), -ENOENT); /* /prog does not exist here */
	CHECK_EQ(sys_lstat("/proc/self/exe", &st2), 0);
	CHECK(st2.st_dev != st.st_dev);
	CHECK_EQ(st2.st_blksize, 1024);
}

HOST_TEST(fs_getdents_order_and_layout)
{
	static char buf[4096];
	struct dent d[16];
	long fd, n;

	fs_test_boot(NULL, 0);
	CHECK_EQ(sys_mkdir("/tmp/g", 0755), 0);
	CHECK_EQ(sys_close((unsigned int)sys_open("/tmp/g/a", O_CREAT | O_WRONLY, 0644)), 0);
	CHECK_EQ(sys_close((unsigned int)sys_open("/tmp/g/bb", O_CREAT | O_WRONLY, 0644)), 0);
	CHECK_EQ(sys_mkdir("/tmp/g/c", 0755), 0);
	CHECK_EQ(sys_symlink("x", "/tmp/g/l"), 0);
	fd = sys_open("/tmp/g", O_RDONLY | O_DIRECTORY, 0);
	n = sys_getdents64((unsigned int)fd, (void *)buf, sizeof(buf));
	CHECK_EQ(n, 6 * 24);
	CHECK_EQ(parse_dents(buf, n, d, 16), 6);
	static const char *const names[] = { ".", "..", "l", "c", "bb", "a" };
	static const u8 types[] = { DT_DIR, DT_DIR, DT_LNK, DT_DIR, DT_REG, DT_REG };
	for (int i = 0; i < 6; i++) {
		CHECK_STR_EQ(d[i].name, names[i]);
		CHECK_EQ(d[i].type, types[i]);
		CHECK_EQ(d[i].off, i + 1);
		CHECK_EQ(d[i].reclen, 24);
	}
	struct stat st;
	CHECK_EQ(sys_stat("/tmp/g", &st), 0);
	CHECK_EQ(d[0].ino, st.st_ino);
	CHECK_EQ(sys_stat("/tmp", &st), 0);
	CHECK_EQ(d[1].ino, st.st_ino);
	CHECK_EQ(sys_lstat("/tmp/g/l", &st), 0);
	CHECK_EQ(d[2].ino, st.st_ino);
	CHECK_EQ(sys_getdents64((unsigned int)fd, (void *)buf, sizeof(buf)), 0);
	CHECK_EQ(sys_lseek((unsigned int)fd, 0, SEEK_CUR), 6);
	/* Record lengths: 19 + name + NUL, rounded up to 8. */
	char name[256];
	memset(name, 'n', 255);
	name[255] = '\0';
	CHECK_EQ(sys_mkdir("/tmp/h", 0755), 0);
	CHECK_EQ(sys_chdir("/tmp/h"), 0);
	CHECK_EQ(sys_close((unsigned int)sys_open(name, O_CREAT | O_WRONLY, 0644)), 0);
	CHECK_EQ(sys_close((unsigned int)sys_open("12345", O_CREAT | O_WRONLY, 0644)), 0);
	long hfd = sys_open(".", O_RDONLY, 0);
	n = sys_getdents64((unsigned int)hfd, (void *)buf, sizeof(buf));
	CHECK_EQ(n, 24 + 24 + 32 + 280);
	CHECK_EQ(parse_dents(buf, n, d, 16), 4);
	CHECK_STR_EQ(d[2].name, "12345");
	CHECK_EQ(d[2].reclen, 32);
	CHECK_EQ(d[3].reclen, 280);
	CHECK_STR_EQ(d[3].name, name);
	/* Buffers too small for one record; bad buffers; not a directory. */
	CHECK_EQ(sys_lseek((unsigned int)hfd, 0, SEEK_SET), 0);
	CHECK_EQ(sys_getdents64((unsigned int)hfd, (void *)buf, 0), -EINVAL);
	CHECK_EQ(sys_getdents64((unsigned int)hfd, (void *)buf, 23), -EINVAL);
	CHECK_EQ(sys_getdents64((unsigned int)hfd, (void *)buf, 0xffffffffu), -EINVAL);
	CHECK_EQ(sys_getdents64((unsigned int)hfd, NULL, 4096), -EFAULT);
	CHECK_EQ(sys_getdents64((unsigned int)hfd, (void *)0xffff800000000000UL, 4096), -EFAULT);
	CHECK_EQ(sys_getdents64(99, (void *)buf, 4096), -EBADF);
	long ffd = sys_open("12345", O_RDONLY, 0);
	CHECK_EQ(sys_getdents64((unsigned int)ffd, (void *)buf, 4096), -ENOTDIR);
	long pfd = sys_open(".", O_PATH, 0);
	CHECK_EQ(sys_getdents64((unsigned int)pfd, (void *)buf, 4096), -EBADF);
	/* One record per call: positions move on by one, d_off says where. */
	CHECK_EQ(sys_lseek((unsigned int)fd, 0, SEEK_SET), 0);
	for (int i = 0; i < 6; i++) {
		CHECK_EQ(sys_getdents64((unsigned int)fd, (void *)buf, 30), 24);
		CHECK_EQ(parse_dents(buf, 24, d, 1), 1);
		CHECK_STR_EQ(d[0].name, names[i]);
		CHECK_EQ(d[0].off, i + 1);
	}
	CHECK_EQ(sys_getdents64((unsigned int)fd, (void *)buf, 30), 0);
	/* The cursor: entries made during a listing are not returned, removed ones not twice. */
	CHECK_EQ(sys_lseek((unsigned int)fd, 3, SEEK_SET), 3);
	CHECK_EQ(sys_getdents64((unsigned int)fd, (void *)buf, 30), 24);
	CHECK_EQ(parse_dents(buf, 24, d, 1), 1);
	CHECK_STR_EQ(d[0].name, "c");
	CHECK_EQ(sys_close((unsigned int)sys_open("/tmp/g/new", O_CREAT | O_WRONLY, 0644)), 0);
	CHECK_EQ(sys_unlink("/tmp/g/bb"), 0);
	n = sys_getdents64((unsigned int)fd, (void *)buf, sizeof(buf));
	CHECK_EQ(parse_dents(buf, n, d, 16), 1);
	CHECK_STR_EQ(d[0].name, "a");
	CHECK_EQ(d[0].off, 5);
	CHECK_EQ(sys_lseek((unsigned int)fd, 2, SEEK_SET), 2);
	n = sys_getdents64((unsigned int)fd, (void *)buf, sizeof(buf));
	CHECK_EQ(parse_dents(buf, n, d, 16), 4);
	CHECK_STR_EQ(d[0].name, "new");
	CHECK_EQ(sys_lseek((unsigned int)fd, 0, SEEK_END), -EINVAL);
	CHECK_EQ(sys_lseek((unsigned int)fd, -1, SEEK_SET), -EINVAL);
	CHECK_EQ(sys_lseek((unsigned int)fd, 100, SEEK_SET), 100);
	CHECK_EQ(sys_getdents64((unsigned int)fd, (void *)buf, sizeof(buf)), 0);
	/* An empty directory */
	long efd = sys_open("/tmp/g/c", O_RDONLY, 0);
	n = sys_getdents64((unsigned int)efd, (void *)buf, sizeof(buf));
	CHECK_EQ(parse_dents(buf, n, d, 16), 2);
	CHECK_EQ(d[1].off, 2);
}

/* The content of /proc/self/test_gen: a line with the caller's pid, and a long tail. */
static int show_test(struct seq_buf *m)
{
	seq_printf(m, "pid %d\n", current->tgid);
	for (int i = 0; i < 300; i++)
		seq_printf(m, "line %03d\n", i);
	return 0;
}

static int show_fail(struct seq_buf *m)
{
	(void)m;
	return -EIO;
}

HOST_TEST(fs_proc)
{
	char buf[64];
	struct stat st;

	fs_test_boot(NULL, 0);
	CHECK_EQ(sys_readlink("/proc/self/exe", buf, sizeof(buf)), 5);
	CHECK_MEM_EQ(buf, "/prog", 5);
	CHECK_EQ(sys_readlink("/proc/self/exe", buf, 1), 1);
	CHECK_EQ(sys_readlink("/proc/self/exe", buf, 0), -EINVAL);
	CHECK_EQ(sys_readlink("/proc/self/exe", NULL, 64), -EFAULT);
	CHECK_EQ(sys_readlink("/proc/self", buf, sizeof(buf)), 2);
	CHECK_MEM_EQ(buf, "42", 2);
	CHECK_EQ(sys_readlink("/proc/42/exe", buf, sizeof(buf)), 5);
	CHECK_EQ(sys_readlink("/proc/43/exe", buf, sizeof(buf)), -ENOENT);
	CHECK_EQ(sys_readlink("/proc/042/exe", buf, sizeof(buf)), -ENOENT);
	CHECK_EQ(sys_lstat("/proc/self", &st), 0);
	CHECK_EQ(st.st_mode, S_IFLNK | 0777);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(sys_stat("/proc/self", &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 0555);
	CHECK_EQ(sys_open("/proc/self/exe", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	/* exec's path changes what the link says; an empty one is ENOENT. */
	strcpy(host_task.exe_path, "/bin/other");
	CHECK_EQ(sys_readlink("/proc/self/exe", buf, sizeof(buf)), 10);
	host_task.exe_path[0] = '\0';
	CHECK_EQ(sys_readlink("/proc/self/exe", buf, sizeof(buf)), -ENOENT);
	/* /proc/meminfo: Linux's format, the allocator's counts. */
	char mi[256];
	long fd0 = sys_open("/proc/meminfo", O_RDONLY, 0);
	CHECK(fd0 >= 0);
	long mn = sys_read((unsigned int)fd0, mi, sizeof(mi) - 1);
	CHECK(mn >= 3 * 28);
	mi[mn > 0 ? mn : 0] = '\0';
	CHECK_MEM_EQ(mi, "MemTotal:       ", 16);
	CHECK(strstr(mi, "\nMemFree:        ") != NULL);
	CHECK(strstr(mi, "\nMemAvailable:   ") != NULL);
	CHECK_MEM_EQ(mi + 24, " kB\n", 4);
	sys_close((unsigned int)fd0);
	/* A generated file, as /proc/self/maps will be. */
	CHECK_EQ(proc_create_file(PROC_SELF, "test_gen", 0444, show_test), 0);
	CHECK_EQ(proc_create_file(PROC_SELF, "test_gen", 0444, show_test), -EEXIST);
	CHECK_EQ(proc_create_file(PROC_ROOT, "test_fail", 0444, show_fail), 0);
	CHECK_EQ(sys_open("/proc/test_fail", O_RDONLY, 0), -EIO);
	CHECK_EQ(sys_stat("/proc/self/test_gen", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0444);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(st.st_blksize, 1024);
	long fd = sys_open("/proc/self/test_gen", O_RDONLY, 0);
	CHECK(fd >= 0);
	CHECK_EQ(sys_read((unsigned int)fd, buf, 7), 7);
	CHECK_MEM_EQ(buf, "pid 42\n", 7);
	CHECK_EQ(sys_read((unsigned int)fd, buf, 9), 9);
	CHECK_MEM_EQ(buf, "line 000\n", 9);
	CHECK_EQ(sys_lseek((unsigned int)fd, 7 + 9 * 299, SEEK_SET), 7 + 9 * 299);
	CHECK_EQ(sys_read((unsigned int)fd, buf, sizeof(buf)), 9);
	CHECK_MEM_EQ(buf, "line 299\n", 9);
	CHECK_EQ(sys_read((unsigned int)fd, buf, sizeof(buf)), 0);
	CHECK_EQ(sys_lseek((unsigned int)fd, 0, SEEK_END), -EINVAL);
	CHECK_EQ(sys_lseek((unsigned int)fd, -1, SEEK_CUR), 7 + 9 * 300 - 1);
	CHECK_EQ(sys_lseek((unsigned int)fd, -10000, SEEK_CUR), -EINVAL);
	CHECK_EQ(sys_pread64((unsigned int)fd, buf, 3, 0), 3);
	CHECK_EQ(sys_write((unsigned int)fd, "x", 1), -EBADF);
	sys_close((unsigned int)fd);
	fd = sys_open("/proc/self/test_gen", O_WRONLY, 0);
	CHECK(fd >= 0);
	CHECK_EQ(sys_write((unsigned int)fd, "x", 1), -EINVAL);
	sys_close((unsigned int)fd);
	/* proc_setattr accepts O_TRUNC and changes nothing */
	fd = sys_open("/proc/self/test_gen", O_RDONLY | O_TRUNC, 0);
	CHECK(fd >= 0);
	CHECK_EQ(sys_ftruncate((unsigned int)fd, 0), -EINVAL); /* not open for writing */
	sys_close((unsigned int)fd);
	/* getdents of /proc/self lists its entries; ".." is /proc. */
	static char dbuf[512];
	fd = sys_open("/proc/self", O_RDONLY | O_DIRECTORY, 0);
	long n = sys_getdents64((unsigned int)fd, (void *)dbuf, sizeof(dbuf));
	CHECK_EQ(n, 24 + 24 + 32 + 32 + 32 + 24); /* ., .., test_gen, mountinfo, mounts, exe */
	CHECK_STR_EQ(((struct linux_dirent64 *)(dbuf + 48))->d_name, "test_gen");
	CHECK_EQ(sys_fchdir((unsigned int)fd), 0);
	CHECK_EQ(sys_readlink("exe", buf, sizeof(buf)), -ENOENT);
	CHECK_EQ(sys_stat("../self", &st), 0);
	CHECK_EQ(sys_chdir("/proc"), 0);
	CHECK_EQ(sys_getcwd(buf, sizeof(buf)), 6);
	CHECK_STR_EQ(buf, "/proc");
	CHECK_EQ(sys_rename("/proc/self/test_gen", "/proc/self/x"), -ENOENT);
	CHECK_EQ(sys_rename("/proc/self/test_gen", "/proc/self/exe"), -EPERM);
}

/* A random path among a few names two levels under /tmp/r (some made symlinks). */
static const char *random_path(u64 *seed, char *buf)
{
	static const char *const names[] = { "a", "b", "c", "..", ".", "l" };
	int depth = 1 + (int)(host_random(seed) % 3);
	char *p = buf + snprintf(buf, 64, "/tmp/r");

	for (int i = 0; i < depth; i++)
		p += snprintf(p, 16, "/%s", names[host_random(seed) % 6]);
	if (host_random(seed) % 8 == 0)
		strcpy(p, "/");
	return buf;
}

/* Removes path and everything under it, as `rm -rf` does with getdents64, unlink and rmdir. */
static void rm_rf(const char *path)
{
	char buf[1024], child[512];
	long fd, n;

	if (sys_unlink(path) == 0)
		return;
	fd = sys_open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (fd < 0)
		return;
	while ((n = sys_getdents64((unsigned int)fd, (void *)buf, sizeof(buf))) > 0) {
		for (long pos = 0; pos < n;) {
			const struct linux_dirent64 *d = (const void *)(buf + pos);

			if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
				snprintf(child, sizeof(child), "%s/%s", path, d->d_name);
				rm_rf(child);
			}
			pos += d->d_reclen;
		}
	}
	sys_close((unsigned int)fd);
	sys_rmdir(path);
}

HOST_TEST(fs_random_operations)
{
	static char buf[4 * PAGE_SIZE];
	char p1[64], p2[64];
	u64 seed = 7;
	struct stat st;

	fs_test_boot(NULL, 0);
	u64 free_before = host_free_frames();
	CHECK_EQ(sys_mkdir("/tmp/r", 0755), 0);
	for (int i = 0; i < 20000; i++) {
		u64 op = host_random(&seed) % 23;
		int fd = 3 + (int)(host_random(&seed) % 12);
		const char *a = random_path(&seed, p1), *b = random_path(&seed, p2);
		size_t len = host_random(&seed) % 3 ? host_random(&seed) % 64
						    : host_random(&seed) % (3 * PAGE_SIZE);
		s64 pos = (s64)(host_random(&seed) % (4 * PAGE_SIZE));
		int flags = (int)(host_random(&seed) &
				  (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_DIRECTORY |
				   O_NOFOLLOW | O_NONBLOCK));

		switch (op) {
		case 0:
		case 1: {
			long r = sys_open(a, flags, 0644);
			if (r >= 0 && r != fd) {
				sys_dup2((unsigned int)r, (unsigned int)fd);
				sys_close((unsigned int)r);
			}
			break;
		}
		case 2:
			sys_close((unsigned int)fd);
			break;
		case 3:
			sys_write((unsigned int)fd, buf, len);
			break;
		case 4:
			sys_pread64((unsigned int)fd, buf, len, pos);
			break;
		case 5:
			sys_pwrite64((unsigned int)fd, buf, len, pos);
			break;
		case 6:
			sys_ftruncate((unsigned int)fd, (unsigned long)pos);
			break;
		case 7:
			sys_unlink(a);
			break;
		case 8:
			sys_rmdir(a);
			break;
		case 9:
		case 10:
			sys_mkdir(a, 0755);
			break;
		case 11:
			sys_rename(a, b);
			break;
		case 12:
			sys_symlink(host_random(&seed) % 2 ? "a" : "../b/c", a);
			break;
		case 13:
			sys_getdents64((unsigned int)fd, (void *)buf, (unsigned int)(24 + len));
			break;
		case 14:
			sys_lseek((unsigned int)fd, pos, (unsigned int)(host_random(&seed) % 5));
			break;
		case 15: {
			int p[2];
			if (sys_pipe2(p, O_NONBLOCK) == 0) {
				sys_write(p[1], buf, len);
				sys_dup2(p[host_random(&seed) % 2], (unsigned int)fd);
				sys_close(p[0]);
				sys_close(p[1]);
			}
			break;
		}
		case 16:
			sys_read((unsigned int)fd, buf, len);
			break;
		case 17:
			sys_chdir(a);
			break;
		case 18:
			sys_stat(a, &st);
			sys_readlink(a, buf, 64);
			break;
		case 19:
			sys_link(a, b);
			break;
		case 20:
			sys_mknod(a, (host_random(&seed) % 2 ? S_IFSOCK : S_IFREG) | 0644,
				  0); /* a FIFO would block */
			break;
		case 21:
			sys_chmod(a, (u32)host_random(&seed));
			sys_chown(a, (u32)host_random(&seed) % 3, (u32)-1);
			break;
		default:
			sys_dup2((unsigned int)fd, 3 + (unsigned int)(host_random(&seed) % 12));
		}
	}
	/* Close everything and remove what was made: every page must come back. */
	for (unsigned int fd = 3; fd < 20; fd++)
		sys_close(fd);
	CHECK_EQ(sys_chdir("/"), 0);
	static const char *const made[] = { "/tmp/r", "/tmp/a", "/tmp/b", "/tmp/c", "/tmp/l",
					    "/a",     "/b",	"/c",	  "/l" };
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++)
		rm_rf(made[i]);
	CHECK_EQ(sys_stat("/tmp/r", &st), -ENOENT);
	CHECK_EQ(host_free_frames(), free_before);
}

HOST_TEST(fs_hard_links)
{
	struct stat st;
	long fd;

	fs_test_boot(NULL, 0);
	u64 free_before = host_free_frames();
	CHECK_EQ(sys_mkdir("/tmp/h", 0755), 0);
	fd = sys_open("/tmp/h/a", O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(sys_write((unsigned int)fd, "data", 4), 4);
	CHECK_EQ(sys_close((unsigned int)fd), 0);
	CHECK_EQ(sys_link("/tmp/h/a", "/tmp/h/b"), 0);
	CHECK_EQ(sys_link("/tmp/h/b", "/tmp/h/c"), 0);
	CHECK_EQ(sys_link("/tmp/h/a", "/tmp/h/c"), -EEXIST);
	CHECK_EQ(sys_link("/tmp/h", "/tmp/h2"), -EPERM);
	CHECK_EQ(sys_stat("/tmp/h/a", &st), 0);
	CHECK_EQ(st.st_nlink, 3);
	/* the newest name goes first, then the oldest: the inode lives through the middle one */
	CHECK_EQ(sys_unlink("/tmp/h/c"), 0);
	CHECK_EQ(sys_unlink("/tmp/h/a"), 0);
	CHECK_EQ(sys_stat("/tmp/h/b", &st), 0);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_EQ(st.st_size, 4);
	CHECK_EQ(sys_chmod("/tmp/h/b", 04755), 0);
	CHECK_EQ(sys_chown("/tmp/h/b", 3, 4), 0);
	CHECK_EQ(sys_stat("/tmp/h/b", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0755);
	CHECK_EQ(st.st_uid, 3);
	CHECK_EQ(st.st_gid, 4);
	CHECK_EQ(sys_mknod("/tmp/h/p", S_IFIFO | 0666, 0), 0);
	CHECK_EQ(sys_open("/tmp/h/p", O_WRONLY | O_NONBLOCK, 0), -ENXIO);
	fd = sys_open("/tmp/h/p", O_RDONLY | O_NONBLOCK, 0);
	CHECK(fd >= 0);
	CHECK_EQ(sys_close((unsigned int)fd), 0);
	CHECK_EQ(sys_unlink("/tmp/h/p"), 0);
	CHECK_EQ(sys_unlink("/tmp/h/b"), 0);
	CHECK_EQ(sys_rmdir("/tmp/h"), 0);
	CHECK_EQ(host_free_frames(), free_before);
}
