/* mount: issue 21 item 3, mount(2) and umount2(2) as Linux 6.1 answers them (fs/namespace.c):
 * tmpfs with its options (size=, nr_inodes=, mode=, uid=, gid=) and their limits (ENOSPC),
 * ramfs and proc, stacked mounts, the walk across mount points in both directions ("..", getcwd),
 * what a mount point refuses (rmdir, rename: EBUSY; rename and link across mounts: EXDEV), the
 * errors of both calls in Linux's order, EPERM without CAP_SYS_ADMIN, the busy checks of umount2
 * (open files, working directories, child mounts), MNT_DETACH, MNT_EXPIRE and UMOUNT_NOFOLLOW,
 * and the lines /proc/self/mounts and /proc/self/mountinfo give for each mount (mount ids and
 * device numbers shown as relations, as they depend on what the system mounted before).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "common.h"

#define BAD ((long)0x10)
#define M "/tmp/mnt"

static long do_mount(const char *src, const char *dir, const char *type, unsigned long flags,
		     const char *data)
{
	return sys6(SYS_mount, (long)src, (long)dir, (long)type, (long)flags, (long)data, 0);
}

static long do_umount(const char *dir, int flags)
{
	return sys2(SYS_umount2, (long)dir, flags);
}

/* Reads a whole file into buf (NUL-terminated): its length, or -errno. */
static long slurp(const char *path, char *buf, long size)
{
	int fd = open(path, O_RDONLY);
	long total = 0, n;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return total;
}

/* The /proc/self/mounts lines whose mount point starts with M, as they are. */
static void show_mounts(const char *what)
{
	static char buf[16384];

	printf("%s: /proc/self/mounts\n", what);
	if (slurp("/proc/self/mounts", buf, sizeof buf) < 0)
		return;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char dev[256], dir[256];
		if (sscanf(line, "%255s %255s", dev, dir) == 2 && !strncmp(dir, M, strlen(M)))
			printf("  %s\n", line);
	}
}

/*
 * The /proc/self/mountinfo lines whose mount point starts with M: the mount id and the parent's
 * as "id" and the number of a line above ("parent=#N", or "parent=other"), the major device
 * number (the minor is an anonymous device's, which depends on earlier mounts), then the rest.
 */
static void show_mountinfo(const char *what)
{
	static char buf[16384];
	int ids[64], n = 0;

	printf("%s: /proc/self/mountinfo\n", what);
	if (slurp("/proc/self/mountinfo", buf, sizeof buf) < 0)
		return;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		int id, parent, major, minor, off = 0;
		char root[256], dir[256];
		if (sscanf(line, "%d %d %d:%d %255s %255s %n", &id, &parent, &major, &minor, root, dir,
			   &off) != 6 || strncmp(dir, M, strlen(M)))
			continue;
		int p = -1;
		for (int i = 0; i < n; i++)
			if (ids[i] == parent)
				p = i;
		if (n < 64)
			ids[n++] = id;
		printf("  #%d parent=", n - 1);
		if (p >= 0)
			printf("#%d", p);
		else
			printf("other");
		printf(" %s %d:N %s %s %s\n", id > parent ? "id>parent" : "id<parent", major, root,
		       dir, line + off);
	}
}

/* A statfs count: its value up to 4096, else "many" (the defaults depend on the RAM). */
static const char *num(unsigned long v)
{
	static char bufs[4][24];
	static int i;
	char *b = bufs[i++ % 4];

	if (v > 4096)
		return "many";
	snprintf(b, 24, "%lu", v);
	return b;
}

static void show_statfs(const char *what, const char *path)
{
	struct statfs s;
	long r = sys2(SYS_statfs, (long)path, (long)&s);

	if (is_err(r)) {
		show(what, r);
		return;
	}
	/* tmpfs's defaults are half the RAM: shown as "many" */
	printf("%s: type %#lx bsize %ld blocks %s bfree %s files %s ffree %s namelen %ld flags %#lx\n",
	       what, (long)s.f_type, (long)s.f_bsize, num(s.f_blocks), num(s.f_bfree),
	       num(s.f_files), num(s.f_ffree), (long)s.f_namelen, (long)s.f_flags);
}

static void show_stat(const char *what, const char *path)
{
	struct stat st;
	long r = sys2(SYS_stat, (long)path, (long)&st);

	if (is_err(r))
		show(what, r);
	else
		printf("%s: mode %o uid %u gid %u nlink %lu size %ld\n", what, st.st_mode,
		       st.st_uid, st.st_gid, (unsigned long)st.st_nlink, (long)st.st_size);
}

/* The options tmpfs takes, and what it refuses. */
static void tmpfs_options(void)
{
	static const char *const opts[] = {
		"size=64k,nr_inodes=4,mode=0700,uid=12,gid=34",
		"size=1m",
		"size=2G",
		"size=0",
		"nr_blocks=8",
		"nr_inodes=1k",
		"mode=1777",
		"mode=17777",
		"size=abc",
		"size=12x",
		"size",
		"size=",
		"nr_inodes=-1",
		"mode=8",
		"mode=",
		"uid=abc",
		"uid=-1",
		"gid=4294967295",
		"bogus=1",
		"bogus",
		"ro",
		"rw,ro",
		"ro,rw",
		"sync,dirsync",
		",,size=4k,,",
		"huge=never",
		"huge=bad",
		"inode64",
		"source=foo",
		NULL,
	};
	for (int i = 0; opts[i]; i++) {
		char what[128];
		snprintf(what, sizeof what, "mount tmpfs \"%s\"", opts[i]);
		long r = do_mount("opt", M, "tmpfs", 0, opts[i]);
		show(what, r);
		if (r)
			continue;
		show_mounts("  ");
		show_statfs("  statfs", M);
		show_stat("  stat", M);
		show("  umount", do_umount(M, 0));
	}
}

/* What a full tmpfs answers: a short write then ENOSPC, no more inodes: ENOSPC. */
static void tmpfs_limits(void)
{
	static char page[4096];
	char path[64];

	show("mount size=16k", do_mount("lim", M, "tmpfs", 0, "size=16k,nr_inodes=3"));
	show_statfs("statfs empty", M);
	int fd = open(M "/f", O_CREAT | O_RDWR, 0644);
	show_libc("open f", fd);
	memset(page, 'x', sizeof page);
	for (int i = 0; i < 6; i++) {
		char what[32];
		snprintf(what, sizeof what, "write %d", i);
		show(what, sys3(SYS_write, fd, (long)page, 3000));
	}
	show_statfs("statfs full", M);
	show("ftruncate 64k (no blocks needed)", sys2(SYS_ftruncate, fd, 65536));
	show("fallocate 8k at 64k", sys4(SYS_fallocate, fd, 0, 65536, 8192));
	show("ftruncate 4k", sys2(SYS_ftruncate, fd, 4096));
	show_statfs("statfs after truncate", M);
	show("write after truncate", sys4(SYS_pwrite64, fd, (long)page, 4096, 4096));
	close(fd);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, M "/n%d", i);
		show_libc(path, open(path, O_CREAT | O_RDONLY, 0644));
	}
	show("mkdir d", sys2(SYS_mkdir, (long)M "/d", 0755));
	show("symlink s", sys2(SYS_symlink, (long)"f", (long)M "/s"));
	show_statfs("statfs no inodes", M);
	show("unlink n0", sys1(SYS_unlink, (long)M "/n0"));
	show("mkdir d", sys2(SYS_mkdir, (long)M "/d", 0755));
	show("umount", do_umount(M, 0));
	show("mount size=16k", do_mount("lim", M, "tmpfs", 0, "size=16k"));
	fd = open(M "/f", O_CREAT | O_RDWR, 0644);
	show("write 12k", sys3(SYS_write, fd, (long)page, 4096) + sys3(SYS_write, fd, (long)page, 4096) +
				  sys3(SYS_write, fd, (long)page, 4096));
	close(fd);
	show("remount size=8k", do_mount("lim", M, "tmpfs", MS_REMOUNT, "size=8k"));
	show("remount size=32k", do_mount("lim", M, "tmpfs", MS_REMOUNT, "size=32k"));
	show_statfs("statfs", M);
	show("remount nr_inodes=1", do_mount("lim", M, "tmpfs", MS_REMOUNT, "nr_inodes=1"));
	show("remount mode=0700 uid=5", do_mount("lim", M, "tmpfs", MS_REMOUNT, "mode=0700,uid=5"));
	show_stat("stat after remount", M);
	show_mounts("after remounts");
	show("umount", do_umount(M, 0));
	show("mount unlimited", do_mount("lim", M, "tmpfs", 0, "size=16k"));
	show("remount size=0", do_mount("lim", M, "tmpfs", MS_REMOUNT, "size=0"));
	show_mounts("size=0");
	show("remount size=16k", do_mount("lim", M, "tmpfs", MS_REMOUNT, "size=16k"));
	show("umount", do_umount(M, 0));
}

/* Walks across mount points: into a mount, "..", getcwd, and the names a mount hides. */
static void walk(void)
{
	struct stat a, b, c;
	char cwd[256];

	sys2(SYS_mkdir, (long)M "/under", 0755);
	stat(M, &a);
	show("mount", do_mount("walk", M, "tmpfs", 0, "mode=0711"));
	stat(M, &b);
	printf("stat before and after: same dev %d same ino %d\n", a.st_dev == b.st_dev,
	       a.st_ino == b.st_ino);
	show_stat("stat mnt", M);
	show_stat("stat mnt/under (hidden)", M "/under");
	show("mkdir mnt/sub", sys2(SYS_mkdir, (long)M "/sub", 0755));
	show("chdir mnt/sub", sys1(SYS_chdir, (long)M "/sub"));
	show("getcwd", sys2(SYS_getcwd, (long)cwd, sizeof cwd) > 0);
	printf("  %s\n", cwd);
	stat("../..", &c);
	stat("/tmp", &a);
	printf("stat ../.. is /tmp: %d\n", a.st_dev == c.st_dev && a.st_ino == c.st_ino);
	stat("..", &c);
	printf("stat .. is the mount's root: %d\n", c.st_dev == b.st_dev && c.st_ino == b.st_ino);
	stat(M "/sub/../../mnt/sub/..", &c);
	printf("stat mnt/sub/../../mnt/sub/.. is the mount's root: %d\n",
	       c.st_dev == b.st_dev && c.st_ino == b.st_ino);
	show("umount while cwd inside", do_umount(M, 0));
	show("chdir /", sys1(SYS_chdir, (long)"/"));
	show("rmdir mnt (a mount point)", sys1(SYS_rmdir, (long)M));
	show("rename mnt", sys2(SYS_rename, (long)M, (long)"/tmp/mnt2"));
	show("rename over mnt", sys2(SYS_rename, (long)"/tmp/mntx", (long)M));
	sys2(SYS_mkdir, (long)"/tmp/mntx", 0755);
	show("rename dir over mnt", sys2(SYS_rename, (long)"/tmp/mntx", (long)M));
	sys1(SYS_rmdir, (long)"/tmp/mntx");
	int fd = open(M "/file", O_CREAT | O_RDWR, 0644);
	close(fd);
	show("rename across mounts", sys2(SYS_rename, (long)M "/file", (long)"/tmp/file"));
	show("link across mounts", sys2(SYS_link, (long)M "/file", (long)"/tmp/file"));
	show("rmdir mnt/sub", sys1(SYS_rmdir, (long)M "/sub"));
	show("rmdir mnt/.", sys1(SYS_rmdir, (long)M "/."));
	show("unlink mnt", sys1(SYS_unlink, (long)M));
	show("mkdir mnt", sys2(SYS_mkdir, (long)M, 0755));

	/* stacked: a second mount on the same place hides the first */
	show("mount again (stacked)", do_mount("top", M, "tmpfs", 0, "size=8k"));
	show_stat("stat mnt/file (hidden)", M "/file");
	show_mounts("stacked");
	show_mountinfo("stacked");
	show("umount top", do_umount(M, 0));
	show_stat("stat mnt/file (back)", M "/file");

	/* a mount inside the mount */
	show("mkdir mnt/inner", sys2(SYS_mkdir, (long)M "/inner", 0755));
	show("mount inner", do_mount("inner", M "/inner", "ramfs", 0, "anything=goes"));
	show_mountinfo("nested");
	show("umount outer (child mount)", do_umount(M, 0));
	show("umount inner via ..", do_umount(M "/inner/../inner", 0));
	show("umount", do_umount(M, 0));
	show_stat("stat mnt/under (back)", M "/under");
	sys1(SYS_rmdir, (long)M "/under");
}

/* The errors of mount(2), one at a time, in the order Linux checks them. */
static void mount_errors(void)
{
	static char longname[5000];

	memset(longname, 'a', sizeof longname - 1);
	int fd = open("/tmp/mntfile", O_CREAT | O_RDWR, 0644);
	close(fd);
	symlink("/tmp/mntfile", "/tmp/mntlink");
	symlink(M, "/tmp/mntdirlink");
	show("bad type pointer", do_mount("x", M, (char *)BAD, 0, NULL));
	show("bad source pointer", do_mount((char *)BAD, M, "tmpfs", 0, NULL));
	show("bad data pointer", do_mount("x", M, "tmpfs", 0, (char *)BAD));
	show("bad dir pointer", do_mount("x", (char *)BAD, "tmpfs", 0, NULL));
	show("long type", do_mount("x", M, longname, 0, NULL));
	show("type too long and bad dir", do_mount("x", (char *)BAD, longname, 0, NULL));
	show("unknown type", do_mount("x", M, "nosuchfs", 0, NULL));
	show("unknown type, no dir", do_mount("x", "/tmp/nonexistent", "nosuchfs", 0, NULL));
	show("NULL type", do_mount("x", M, NULL, 0, NULL));
	show("empty type", do_mount("x", M, "", 0, NULL));
	show("no dir", do_mount("x", "/tmp/nonexistent", "tmpfs", 0, NULL));
	show("empty dir", do_mount("x", "", "tmpfs", 0, NULL));
	show("dir in a file", do_mount("x", "/tmp/mntfile/x", "tmpfs", 0, NULL));
	show("on a file", do_mount("x", "/tmp/mntfile", "tmpfs", 0, NULL));
	show("on a link to a file", do_mount("x", "/tmp/mntlink", "tmpfs", 0, NULL));
	show("bad option on a file", do_mount("x", "/tmp/mntfile", "tmpfs", 0, "bogus"));
	show("MS_NOUSER", do_mount("x", M, "tmpfs", 1UL << 31, NULL));
	show("MS_NOUSER no dir", do_mount("x", "/tmp/nonexistent", "tmpfs", 1UL << 31, NULL));
	show("remount not mounted", do_mount("x", M, "tmpfs", MS_REMOUNT, NULL));
	show("remount /tmp/mntfile", do_mount("x", "/tmp/mntfile", NULL, MS_REMOUNT, NULL));
	show("magic and flags", do_mount("x", M, "tmpfs", 0xC0ED0000 | MS_NOSUID, NULL));
	show("  umount", do_umount(M, 0));
	show("via link to dir", do_mount("x", "/tmp/mntdirlink", "tmpfs", 0, NULL));
	show_mounts("  ");
	show("  umount via link", do_umount("/tmp/mntdirlink", 0));
	show("  umount nofollow link", do_umount("/tmp/mntdirlink", UMOUNT_NOFOLLOW));
	show("  umount", do_umount(M, 0));
	unlink("/tmp/mntlink");
	unlink("/tmp/mntdirlink");
}

/* The errors of umount2(2), and MNT_DETACH, MNT_EXPIRE, MNT_FORCE. */
static void umount_errors(void)
{
	char buf[16];

	show("umount bad flags", do_umount(M, 0x10));
	show("umount bad flags, bad pointer", do_umount((char *)BAD, 0x10));
	show("umount bad pointer", do_umount((char *)BAD, 0));
	show("umount no such", do_umount("/tmp/nonexistent", 0));
	show("umount not a mount point", do_umount(M, 0));
	show("umount a file", do_umount("/tmp/mntfile", 0));
	show("umount empty", do_umount("", 0));
	show("umount /tmp/mntfile/x", do_umount("/tmp/mntfile/x", 0));

	do_mount("busy", M, "tmpfs", 0, NULL);
	int fd = open(M "/f", O_CREAT | O_RDWR, 0644);
	write(fd, "hello", 5);
	show("umount with a file open", do_umount(M, 0));
	show("umount MNT_FORCE with a file open", do_umount(M, MNT_FORCE));
	show("umount MNT_EXPIRE with a file open", do_umount(M, MNT_EXPIRE));
	show("umount MNT_EXPIRE|MNT_DETACH", do_umount(M, MNT_EXPIRE | MNT_DETACH));
	show("umount MNT_EXPIRE|MNT_FORCE", do_umount(M, MNT_EXPIRE | MNT_FORCE));
	show("umount MNT_DETACH with a file open", do_umount(M, MNT_DETACH));
	show_stat("stat mnt/f after detach", M "/f");
	show("pread the detached file", sys4(SYS_pread64, fd, (long)buf, 5, 0));
	show("write the detached file", sys3(SYS_write, fd, (long)"!", 1));
	show_mounts("after detach");
	close(fd);

	do_mount("exp", M, "tmpfs", 0, NULL);
	show("umount MNT_EXPIRE", do_umount(M, MNT_EXPIRE));
	show("umount MNT_EXPIRE again", do_umount(M, MNT_EXPIRE));
	show_mounts("after expire");
	do_mount("exp", M, "tmpfs", 0, NULL);
	show("umount MNT_EXPIRE", do_umount(M, MNT_EXPIRE));
	show_stat("stat mnt in between", M);
	show("umount MNT_EXPIRE after a use", do_umount(M, MNT_EXPIRE));
	show("umount MNT_EXPIRE third", do_umount(M, MNT_EXPIRE));
	show_mounts("after expire");

	do_mount("force", M, "tmpfs", 0, NULL);
	show("umount MNT_FORCE", do_umount(M, MNT_FORCE));
}

/* Without CAP_SYS_ADMIN (a child that became uid 65534): EPERM, after the path's errors. */
static void unprivileged(void)
{
	sys1(SYS_setuid, 65534);
	show("unprivileged mount", do_mount("x", M, "tmpfs", 0, NULL));
	show("unprivileged mount no dir", do_mount("x", "/tmp/nonexistent", "tmpfs", 0, NULL));
	show("unprivileged mount unknown type", do_mount("x", M, "nosuchfs", 0, NULL));
	show("unprivileged mount bad type pointer", do_mount("x", M, (char *)BAD, 0, NULL));
	show("unprivileged umount", do_umount("/proc", 0));
	show("unprivileged umount not a mount point", do_umount(M, 0));
	show("unprivileged umount bad flags", do_umount(M, 0x10));
}

/* proc and ramfs mounted by hand. */
static void other_types(void)
{
	struct stat st;

	show("mount proc", do_mount("myproc", M, "proc", MS_NOSUID | MS_NOEXEC, NULL));
	show("  stat mnt/self/status", stat(M "/self/status", &st) ? -errno : 0);
	show_statfs("  statfs", M);
	show_mounts("  proc");
	show("  mount proc with a bad option", do_mount("p", M, "proc", MS_REMOUNT, "bogus"));
	show("  umount", do_umount(M, 0));
	show("mount ramfs", do_mount("myramfs", M, "ramfs", MS_NODEV, "mode=700,size=1k,bogus"));
	show_statfs("  statfs", M);
	show_stat("  stat", M);
	show_mounts("  ramfs");
	show("  umount", do_umount(M, 0));
	show("mount ramfs mode=abc", do_mount("myramfs", M, "ramfs", 0, "mode=abc"));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	ensure_tmp();
	sys2(SYS_mkdir, (long)M, 0755);
	tmpfs_options();
	tmpfs_limits();
	walk();
	mount_errors();
	umount_errors();
	printf("child: status %d\n", child_status(unprivileged));
	other_types();
	show_mounts("at the end");
	return 0;
}
