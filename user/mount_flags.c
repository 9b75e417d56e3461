/* mount_flags: issue 21 item 3, what a mount's flags do in Linux 6.1: a read-only mount (EROFS on
 * every call that would write: open for writing or creating, O_TRUNC, mkdir, mknod, symlink,
 * link, unlink, rmdir, rename, chmod, chown, utimes, truncate, access(W_OK); the errors that
 * come first), remount read-only refused while a file is open for writing or mapped shared and
 * writable (EBUSY), noexec (execve EACCES; the spec's case 20: mmap PROT_EXEC of a file EPERM,
 * mprotect adding PROT_EXEC EACCES; a MAP_PRIVATE read mapping is fine), nodev (a device node
 * opens EACCES), and each flag as statfs's f_flags and /proc/self/mounts show it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "common.h"

#define M "/tmp/flags"

static long do_mount(const char *src, const char *dir, const char *type, unsigned long flags,
		     const char *data)
{
	return sys6(SYS_mount, (long)src, (long)dir, (long)type, (long)flags, (long)data, 0);
}

/* The mount line of M in /proc/self/mounts (type and options). */
static void show_line(const char *what)
{
	static char buf[16384];
	int fd = open("/proc/self/mounts", O_RDONLY);
	long n = 0, r;

	while (fd >= 0 && (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char dev[256], dir[256];
		if (sscanf(line, "%255s %255s", dev, dir) == 2 && !strcmp(dir, M))
			printf("%s: %s\n", what, line);
	}
}

static void show_flags(const char *what)
{
	struct statfs s;
	long r = sys2(SYS_statfs, (long)M, (long)&s);

	if (is_err(r))
		show(what, r);
	else
		printf("%s: statfs f_flags %#lx\n", what, (long)s.f_flags);
	show_line(what);
}

static long op(const char *path, int flags)
{
	long r = sys4(SYS_openat, AT_FDCWD, (long)path, flags, 0644);
	if (!is_err(r)) {
		close((int)r);
		r = 0;
	}
	return r;
}

/* Each mount flag through mount(2): statfs and /proc/self/mounts. */
static void each_flag(void)
{
	static const struct {
		const char *name;
		unsigned long flags;
	} f[] = {
		{ "0", 0 },
		{ "MS_RDONLY", MS_RDONLY },
		{ "MS_NOSUID", MS_NOSUID },
		{ "MS_NODEV", MS_NODEV },
		{ "MS_NOEXEC", MS_NOEXEC },
		{ "MS_NOATIME", MS_NOATIME },
		{ "MS_NODIRATIME", MS_NODIRATIME },
		{ "MS_STRICTATIME", MS_STRICTATIME },
		{ "MS_RELATIME", MS_RELATIME },
		{ "MS_SYNCHRONOUS", MS_SYNCHRONOUS },
		{ "MS_DIRSYNC", MS_DIRSYNC },
		{ "MS_NOSYMFOLLOW", 256 },
		{ "MS_SILENT", MS_SILENT },
		{ "MS_LAZYTIME", 1 << 25 },
		{ "all", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME },
		{ NULL, 0 },
	};
	for (int i = 0; f[i].name; i++) {
		long r = do_mount("fl", M, "tmpfs", f[i].flags, NULL);
		if (r) {
			show(f[i].name, r);
			continue;
		}
		show_flags(f[i].name);
		sys2(SYS_umount2, (long)M, 0);
	}
	/* remount changes the flags: they are replaced, atime kept unless given */
	do_mount("fl", M, "tmpfs", MS_NOATIME | MS_NOSUID, NULL);
	show_flags("noatime,nosuid");
	show("remount nodev", do_mount("fl", M, "tmpfs", MS_REMOUNT | MS_NODEV, NULL));
	show_flags("  after");
	show("remount strictatime", do_mount("fl", M, "tmpfs", MS_REMOUNT | MS_STRICTATIME, NULL));
	show_flags("  after");
	show("remount ro via data", do_mount("fl", M, "tmpfs", MS_REMOUNT, "ro"));
	show_flags("  after");
	show("remount rw", do_mount("fl", M, "tmpfs", MS_REMOUNT, NULL));
	show_flags("  after");
	show("remount bind ro", do_mount("fl", M, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
	show_flags("  after");
	show("remount rw", do_mount("fl", M, "tmpfs", MS_REMOUNT, NULL));
	show_flags("  after");
	sys2(SYS_umount2, (long)M, 0);
}

/* A read-only mount: every writing call is EROFS, after the errors that come before it. */
static void read_only(void)
{
	struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };

	do_mount("ro", M, "tmpfs", 0, NULL);
	int w = open(M "/file", O_CREAT | O_RDWR, 0644);
	write(w, "some bytes", 10);
	close(w);
	sys2(SYS_mkdir, (long)M "/dir", 0755);
	sys2(SYS_mkdir, (long)M "/full", 0755);
	close(open(M "/full/x", O_CREAT | O_RDWR, 0644));
	sys3(SYS_mknod, (long)M "/null", S_IFCHR | 0666, makedev(1, 3));
	sys3(SYS_mknod, (long)M "/fifo", S_IFIFO | 0666, 0);
	int fd = open(M "/file", O_RDWR);
	show("remount ro with a file open for writing",
	     do_mount("ro", M, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	show("remount ro with a shared writable mapping",
	     do_mount("ro", M, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	munmap(p, 4096);
	fd = open(M "/file", O_RDONLY);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	show("remount ro with a read-only file and mapping",
	     do_mount("ro", M, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	show_flags("read-only");
	show("mprotect the shared read mapping PROT_WRITE", sys3(SYS_mprotect, (long)p, 4096,
								 PROT_READ | PROT_WRITE));
	show("mmap shared writable of the O_RDONLY fd",
	     (long)mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == -1 ? -errno : 0);
	void *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	show("mmap private writable", q == MAP_FAILED ? -errno : 0);
	if (q != MAP_FAILED)
		*(char *)q = 1;
	munmap(p, 4096);
	close(fd);

	show("open O_RDONLY", op(M "/file", O_RDONLY));
	show("open O_WRONLY", op(M "/file", O_WRONLY));
	show("open O_RDWR", op(M "/file", O_RDWR));
	show("open O_RDONLY|O_TRUNC", op(M "/file", O_RDONLY | O_TRUNC));
	show("open O_CREAT existing", op(M "/file", O_CREAT | O_RDONLY));
	show("open O_CREAT|O_EXCL existing", op(M "/file", O_CREAT | O_EXCL | O_RDONLY));
	show("open O_CREAT new", op(M "/new", O_CREAT | O_RDONLY));
	show("open O_CREAT new in a missing dir", op(M "/nodir/new", O_CREAT | O_RDONLY));
	show("open O_TMPFILE", op(M, O_TMPFILE | O_RDWR));
	show("open dir O_RDONLY", op(M "/dir", O_RDONLY));
	show("open dir O_WRONLY", op(M "/dir", O_WRONLY));
	show("open device O_RDWR", op(M "/null", O_RDWR));
	show("open fifo O_RDWR", op(M "/fifo", O_RDWR));
	show("open missing O_WRONLY", op(M "/missing", O_WRONLY));
	show("mkdir", sys2(SYS_mkdir, (long)M "/newdir", 0755));
	show("mkdir existing", sys2(SYS_mkdir, (long)M "/dir", 0755));
	show("mkdir in a missing dir", sys2(SYS_mkdir, (long)M "/nodir/x", 0755));
	show("mknod", sys3(SYS_mknod, (long)M "/node", S_IFIFO | 0644, 0));
	show("symlink", sys2(SYS_symlink, (long)"file", (long)M "/link"));
	show("link", sys2(SYS_link, (long)M "/file", (long)M "/link"));
	show("unlink", sys1(SYS_unlink, (long)M "/file"));
	show("unlink missing", sys1(SYS_unlink, (long)M "/missing"));
	show("unlink dir", sys1(SYS_unlink, (long)M "/dir"));
	show("rmdir", sys1(SYS_rmdir, (long)M "/dir"));
	show("rmdir non-empty", sys1(SYS_rmdir, (long)M "/full"));
	show("rmdir missing", sys1(SYS_rmdir, (long)M "/missing"));
	show("rmdir .", sys1(SYS_rmdir, (long)M "/dir/."));
	show("rename", sys2(SYS_rename, (long)M "/file", (long)M "/file2"));
	show("rename missing", sys2(SYS_rename, (long)M "/missing", (long)M "/file2"));
	show("rename out", sys2(SYS_rename, (long)M "/file", (long)"/tmp/file2"));
	show("chmod", sys2(SYS_chmod, (long)M "/file", 0600));
	show("chmod missing", sys2(SYS_chmod, (long)M "/missing", 0600));
	show("chown", sys3(SYS_chown, (long)M "/file", 1, 1));
	show("chown -1 -1", sys3(SYS_chown, (long)M "/file", -1, -1));
	show("utimensat", sys4(SYS_utimensat, AT_FDCWD, (long)M "/file", (long)ts, 0));
	show("utimensat NULL", sys4(SYS_utimensat, AT_FDCWD, (long)M "/file", 0, 0));
	show("truncate", sys2(SYS_truncate, (long)M "/file", 0));
	show("truncate dir", sys2(SYS_truncate, (long)M "/dir", 0));
	show("access W_OK", sys2(SYS_access, (long)M "/file", W_OK));
	show("access R_OK", sys2(SYS_access, (long)M "/file", R_OK));
	show("access W_OK device", sys2(SYS_access, (long)M "/null", W_OK));
	show("access W_OK missing", sys2(SYS_access, (long)M "/missing", W_OK));
	fd = open(M "/file", O_RDONLY);
	show("fchmod", sys2(SYS_fchmod, fd, 0600));
	show("fchown", sys3(SYS_fchown, fd, 1, 1));
	show("futimens", sys4(SYS_utimensat, fd, 0, (long)ts, 0));
	show("ftruncate (O_RDONLY fd)", sys2(SYS_ftruncate, fd, 0));
	close(fd);
	fd = open(M "/null", O_RDWR);
	show("write the device", sys3(SYS_write, fd, (long)"x", 1));
	close(fd);
	show("remount rw", do_mount("ro", M, NULL, MS_REMOUNT, NULL));
	show("open O_WRONLY after rw", op(M "/file", O_WRONLY));
	show("umount", sys2(SYS_umount2, (long)M, 0));
	show("mount ro (new)", do_mount("ro", M, "tmpfs", MS_RDONLY, NULL));
	show("  open O_CREAT in the empty root", op(M "/x", O_CREAT | O_WRONLY));
	show("  umount", sys2(SYS_umount2, (long)M, 0));
}

/* Copies this program to path (mode 0755). */
static void copy_self(const char *path)
{
	static char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY), out = open(path, O_CREAT | O_WRONLY, 0755);
	long n;

	while ((n = read(in, buf, sizeof buf)) > 0)
		write(out, buf, n);
	close(in);
	close(out);
}

static void exec_it(void)
{
	char *argv[] = { M "/prog", "child", NULL };
	long r = sys3(SYS_execve, (long)argv[0], (long)argv, 0);
	show("  execve", r);
	_exit(1);
}

/* noexec: execve, and the spec's case 20 (mmap PROT_EXEC EPERM, mprotect EACCES). */
static void no_exec(void)
{
	do_mount("nx", M, "tmpfs", MS_NOEXEC, NULL);
	copy_self(M "/prog");
	int st = child_status(exec_it);
	printf("execve on noexec: status %d\n", WEXITSTATUS(st));
	show("access X_OK", sys2(SYS_access, (long)M "/prog", X_OK));
	int fd = open(M "/prog", O_RDONLY);
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	show("case 20: mmap PROT_READ|PROT_EXEC private", p == MAP_FAILED ? -errno : 0);
	p = mmap(NULL, 4096, PROT_EXEC, MAP_SHARED, fd, 0);
	show("mmap PROT_EXEC shared", p == MAP_FAILED ? -errno : 0);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	show("mmap PROT_READ", p == MAP_FAILED ? -errno : 0);
	show("case 20: mprotect PROT_READ|PROT_EXEC",
	     sys3(SYS_mprotect, (long)p, 4096, PROT_READ | PROT_EXEC));
	show("mprotect PROT_READ|PROT_WRITE", sys3(SYS_mprotect, (long)p, 4096,
						   PROT_READ | PROT_WRITE));
	printf("read through it: %d\n", ((unsigned char *)p)[1]);
	munmap(p, 4096);
	close(fd);
	fd = open(M "/prog", O_RDWR);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	show("mmap shared writable", p == MAP_FAILED ? -errno : 0);
	show("mprotect shared +PROT_EXEC", sys3(SYS_mprotect, (long)p, 4096,
						PROT_READ | PROT_EXEC));
	munmap(p, 4096);
	close(fd);
	show("remount exec", do_mount("nx", M, NULL, MS_REMOUNT, NULL));
	fd = open(M "/prog", O_RDONLY);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	show("mmap PROT_EXEC after remount", p == MAP_FAILED ? -errno : 0);
	close(fd);
	st = child_status(exec_it);
	printf("execve after remount: status %d\n", WEXITSTATUS(st));
	show("umount", sys2(SYS_umount2, (long)M, MNT_DETACH));
}

/* nodev: device nodes do not open (EACCES); FIFOs do. */
static void no_dev(void)
{
	do_mount("nd", M, "tmpfs", MS_NODEV, NULL);
	show("mknod char", sys3(SYS_mknod, (long)M "/null", S_IFCHR | 0666, makedev(1, 3)));
	show("mknod block", sys3(SYS_mknod, (long)M "/blk", S_IFBLK | 0666, makedev(7, 0)));
	show("mknod fifo", sys3(SYS_mknod, (long)M "/fifo", S_IFIFO | 0666, 0));
	show("open char", op(M "/null", O_RDWR));
	show("open char O_PATH", op(M "/null", O_PATH));
	show("open block", op(M "/blk", O_RDONLY));
	show("open fifo", op(M "/fifo", O_RDWR));
	show("remount dev", do_mount("nd", M, NULL, MS_REMOUNT, NULL));
	show("open char", op(M "/null", O_RDWR));
	show("open block", op(M "/blk", O_RDONLY));
	show("umount", sys2(SYS_umount2, (long)M, 0));
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		printf("  running from the mount\n");
		return 0;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	ensure_tmp();
	sys2(SYS_mkdir, (long)M, 0755);
	each_flag();
	read_only();
	no_exec();
	no_dev();
	return 0;
}
