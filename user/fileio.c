/* fileio: the file-descriptor and file-system calls a static program uses,
 * with Linux's results and errno values, on files under /tmp/fileio.d:
 * open/openat (O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, lowest free
 * fd), read/write/pread64/pwrite64/readv/writev, lseek with every whence and
 * past EOF (the hole reads as zeros), ftruncate growing and shrinking,
 * fstat/stat/lstat/newfstatat sizes, types and modes, unlink, rename, mkdir,
 * rmdir, chdir/getcwd, access, the errors EEXIST, ENOENT, EISDIR, ENOTDIR,
 * ENOTEMPTY, EBADF, ESPIPE, EPIPE, EAGAIN, getdents64 of a fresh directory
 * (names sorted, since the order is the file system's), dup/dup2/dup3 and
 * fcntl, pipe2, /dev/zero and /dev/null, readlink("/proc/self/exe").
 *
 * Each line is "what: result", the result being the return value or
 * "-1 ENAME". The calls under test are raw system calls (common.h), so libc
 * neither hides nor adds anything. The umask is set to 022 first.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common.h"

#define D "/tmp/fileio.d"

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

/* Print up to n bytes as a quoted string, escaping non-printables. */
static void show_bytes(const char *what, const char *buf, long n)
{
	printf("%s: \"", what);
	print_escaped(buf, n);
	printf("\"\n");
}

static const char *type_of(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "regular";
	case S_IFDIR:
		return "directory";
	case S_IFCHR:
		return "char-device";
	case S_IFBLK:
		return "block-device";
	case S_IFIFO:
		return "fifo";
	case S_IFLNK:
		return "symlink";
	case S_IFSOCK:
		return "socket";
	}
	return "unknown";
}

/* "what: 0, <type>, mode 0644, size N, nlink N" or "what: -1 ENAME". Only
 * fields whose values do not depend on the file system's implementation: no
 * size or link count for directories (tmpfs makes them up), no mode for
 * devices, no inode numbers, times, blocks or st_dev. */
static void show_stat(const char *what, long r, const struct stat *st)
{
	if (is_err(r)) {
		show(what, r);
		return;
	}
	printf("%s: %ld, %s", what, r, type_of(st->st_mode));
	if (S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))
		printf(", mode 0%03o", st->st_mode & 07777);
	if (S_ISREG(st->st_mode))
		printf(", size %lld, nlink %lu", (long long)st->st_size,
		       (unsigned long)st->st_nlink);
	if (S_ISCHR(st->st_mode))
		printf(", rdev %u:%u", major(st->st_rdev), minor(st->st_rdev));
	printf("\n");
}

static long sys_open(const char *path, int flags, int mode)
{
	return sys3(SYS_open, (long)path, flags, mode);
}

static long sys_write_str(int fd, const char *s)
{
	return sys3(SYS_write, fd, (long)s, (long)strlen(s));
}

/* Remove what an earlier run (natively) may have left. */
static void cleanup(void)
{
	static const char *files[] = {
		D "/f",	    D "/g",	D "/h",	    D "/renamed",   D "/app",
		D "/dir/a", D "/dir/b", D "/dir/c", D "/dir/sub/x", D "/vec"
	};
	static const char *dirs[] = { D "/dir/sub", D "/dir", D "/empty", D "/full", D };
	for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++)
		sys1(SYS_unlink, (long)files[i]);
	sys1(SYS_unlink, (long)D "/full/x");
	for (unsigned i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		sys1(SYS_rmdir, (long)dirs[i]);
}

static void test_basic_io(void)
{
	char buf[256];
	struct stat st;
	long fd, r;

	printf("-- open, write, read, lseek\n");
	fd = sys_open(D "/f", O_CREAT | O_RDWR | O_TRUNC, 0666);
	show("open(f, O_CREAT|O_RDWR|O_TRUNC, 0666) (lowest free fd)", fd);
	show("write(f, \"hello world\\n\")", sys_write_str(fd, "hello world\n"));
	show("lseek(f, 0, SEEK_CUR)", sys3(SYS_lseek, fd, 0, SEEK_CUR));
	show("read(f) at EOF", sys3(SYS_read, fd, (long)buf, sizeof buf));
	show("lseek(f, 0, SEEK_SET)", sys3(SYS_lseek, fd, 0, SEEK_SET));
	r = sys3(SYS_read, fd, (long)buf, 5);
	show("read(f, 5)", r);
	show_bytes("read(f, 5) data", buf, r);
	show("lseek(f, 1, SEEK_CUR)", sys3(SYS_lseek, fd, 1, SEEK_CUR));
	r = sys3(SYS_read, fd, (long)buf, sizeof buf);
	show("read(f, 256)", r);
	show_bytes("read(f, 256) data", buf, r);
	show("lseek(f, 0, SEEK_END)", sys3(SYS_lseek, fd, 0, SEEK_END));
	show("lseek(f, -3, SEEK_END)", sys3(SYS_lseek, fd, -3, SEEK_END));
	show("lseek(f, -100, SEEK_CUR)", sys3(SYS_lseek, fd, -100, SEEK_CUR));
	show("lseek(f, -1, SEEK_SET)", sys3(SYS_lseek, fd, -1, SEEK_SET));
	show("lseek(f, 0, 7) (bad whence)", sys3(SYS_lseek, fd, 0, 7));
	show("lseek(f, 0, SEEK_CUR) after the failures", sys3(SYS_lseek, fd, 0, SEEK_CUR));

	/* Past EOF: the gap reads back as zeros. */
	show("lseek(f, 20, SEEK_SET) (past EOF)", sys3(SYS_lseek, fd, 20, SEEK_SET));
	show("read(f) past EOF", sys3(SYS_read, fd, (long)buf, sizeof buf));
	show("write(f, \"X\") at 20", sys_write_str(fd, "X"));
	show_stat("fstat(f) after the sparse write", sys2(SYS_fstat, fd, (long)&st), &st);
	r = sys4(SYS_pread64, fd, (long)buf, sizeof buf, 0);
	show("pread64(f, 256, 0)", r);
	show_bytes("pread64(f, 256, 0) data", buf, r);

	printf("-- pread64, pwrite64\n");
	show("lseek(f, 4, SEEK_SET)", sys3(SYS_lseek, fd, 4, SEEK_SET));
	show("pwrite64(f, \"LL\", 2, 2)", sys4(SYS_pwrite64, fd, (long)"LL", 2, 2));
	show("lseek(f, 0, SEEK_CUR) (pwrite64 keeps the offset)", sys3(SYS_lseek, fd, 0, SEEK_CUR));
	r = sys4(SYS_pread64, fd, (long)buf, 5, 0);
	show("pread64(f, 5, 0)", r);
	show_bytes("pread64(f, 5, 0) data", buf, r);
	show("lseek(f, 0, SEEK_CUR) (pread64 keeps the offset)", sys3(SYS_lseek, fd, 0, SEEK_CUR));
	show("pread64(f, 5, -1)", sys4(SYS_pread64, fd, (long)buf, 5, -1));
	show("pwrite64(f, 1, -1)", sys4(SYS_pwrite64, fd, (long)"z", 1, -1));
	show("pread64(f, 5, 1000) (past EOF)", sys4(SYS_pread64, fd, (long)buf, 5, 1000));
	show("pwrite64(f, \"Y\", 1, 30) (past EOF)", sys4(SYS_pwrite64, fd, (long)"Y", 1, 30));
	show_stat("fstat(f)", sys2(SYS_fstat, fd, (long)&st), &st);

	printf("-- ftruncate\n");
	show("ftruncate(f, 100)", sys2(SYS_ftruncate, fd, 100));
	show_stat("fstat(f)", sys2(SYS_fstat, fd, (long)&st), &st);
	memset(buf, 'Q', sizeof buf);
	r = sys4(SYS_pread64, fd, (long)buf, sizeof buf, 28);
	show("pread64(f, 256, 28)", r);
	show_bytes("pread64(f, 256, 28) data", buf, r);
	show("ftruncate(f, 5)", sys2(SYS_ftruncate, fd, 5));
	show_stat("fstat(f)", sys2(SYS_fstat, fd, (long)&st), &st);
	r = sys4(SYS_pread64, fd, (long)buf, sizeof buf, 0);
	show("pread64(f, 256, 0)", r);
	show_bytes("pread64(f, 256, 0) data", buf, r);
	show("lseek(f, 0, SEEK_CUR) (ftruncate keeps the offset)",
	     sys3(SYS_lseek, fd, 0, SEEK_CUR));
	show("ftruncate(f, -1)", sys2(SYS_ftruncate, fd, -1));
	show("close(f)", sys1(SYS_close, fd));
	show("close(f) again", sys1(SYS_close, fd));

	printf("-- access modes, O_APPEND, readv, writev\n");
	fd = sys_open(D "/f", O_RDONLY, 0);
	show("open(f, O_RDONLY)", fd);
	show("write(f opened O_RDONLY)", sys_write_str(fd, "x"));
	show("ftruncate(f opened O_RDONLY)", sys2(SYS_ftruncate, fd, 0));
	show("fcntl(f, F_GETFL) & O_ACCMODE", sys2(SYS_fcntl, fd, F_GETFL) & O_ACCMODE);
	show("close(f)", sys1(SYS_close, fd));
	fd = sys_open(D "/f", O_WRONLY, 0);
	show("open(f, O_WRONLY)", fd);
	show("read(f opened O_WRONLY)", sys3(SYS_read, fd, (long)buf, 1));
	show("close(f)", sys1(SYS_close, fd));

	fd = sys_open(D "/app", O_CREAT | O_WRONLY | O_APPEND, 0600);
	show("open(app, O_CREAT|O_WRONLY|O_APPEND, 0600)", fd);
	show("write(app, \"one\\n\")", sys_write_str(fd, "one\n"));
	show("lseek(app, 0, SEEK_SET)", sys3(SYS_lseek, fd, 0, SEEK_SET));
	show("write(app, \"two\\n\") (appends anyway)", sys_write_str(fd, "two\n"));
	show("lseek(app, 0, SEEK_CUR)", sys3(SYS_lseek, fd, 0, SEEK_CUR));
	show("fcntl(app, F_GETFL) & (O_ACCMODE|O_APPEND) == O_WRONLY|O_APPEND",
	     (sys2(SYS_fcntl, fd, F_GETFL) & (O_ACCMODE | O_APPEND)) == (O_WRONLY | O_APPEND));
	struct iovec wv[3] = { { "thr", 3 }, { "", 0 }, { "ee\n", 3 } };
	show("writev(app, {\"thr\", \"\", \"ee\\n\"})", sys3(SYS_writev, fd, (long)wv, 3));
	show("close(app)", sys1(SYS_close, fd));
	fd = sys_open(D "/app", O_RDONLY, 0);
	char a[5] = { 0 }, b[64] = { 0 };
	struct iovec rv[2] = { { a, 5 }, { b, sizeof b } };
	r = sys3(SYS_readv, fd, (long)rv, 2);
	show("readv(app, {5, 64})", r);
	show_bytes("readv(app) first buffer", a, 5);
	show_bytes("readv(app) second buffer", b, r > 5 ? r - 5 : 0);
	show_stat("fstat(app)", sys2(SYS_fstat, fd, (long)&st), &st);
	show("close(app)", sys1(SYS_close, fd));
}

static void test_names(void)
{
	struct stat st;
	long fd;

	printf("-- stat, lstat, newfstatat\n");
	long r = sys2(SYS_stat, (long)"/", (long)&st);
	if (is_err(r))
		show("stat(/)", r);
	else /* not its mode: 01777 in run-linux's initramfs, 0755 on most systems */
		printf("stat(/): %ld, %s\n", r, type_of(st.st_mode));
	show_stat("stat(" D ")", sys2(SYS_stat, (long)D, (long)&st), &st);
	show_stat("stat(f)", sys2(SYS_stat, (long)D "/f", (long)&st), &st);
	show_stat("lstat(f)", sys2(SYS_lstat, (long)D "/f", (long)&st), &st);
	show_stat("stat(nonexistent)", sys2(SYS_stat, (long)D "/nope", (long)&st), &st);
	show_stat("stat(f/x) (f is a file)", sys2(SYS_stat, (long)D "/f/x", (long)&st), &st);
	show_stat("stat(\"\")", sys2(SYS_stat, (long)"", (long)&st), &st);
	show_stat("newfstatat(AT_FDCWD, " D "/f, 0)",
		  sys4(SYS_newfstatat, AT_FDCWD, (long)D "/f", (long)&st, 0), &st);
	long dfd = sys_open(D, O_RDONLY | O_DIRECTORY, 0);
	show("open(" D ", O_RDONLY|O_DIRECTORY)", dfd);
	show_stat("newfstatat(dirfd, \"f\", 0)", sys4(SYS_newfstatat, dfd, (long)"f", (long)&st, 0),
		  &st);
	show_stat("newfstatat(dirfd, \"f\", AT_SYMLINK_NOFOLLOW)",
		  sys4(SYS_newfstatat, dfd, (long)"f", (long)&st, AT_SYMLINK_NOFOLLOW), &st);
	show_stat("newfstatat(dirfd, \"\", AT_EMPTY_PATH)",
		  sys4(SYS_newfstatat, dfd, (long)"", (long)&st, AT_EMPTY_PATH), &st);
	show_stat("newfstatat(dirfd, \"\", 0)", sys4(SYS_newfstatat, dfd, (long)"", (long)&st, 0),
		  &st);
	show_stat("newfstatat(dirfd, \"f\", 0x12345) (bad flags)",
		  sys4(SYS_newfstatat, dfd, (long)"f", (long)&st, 0x12345), &st);
	show_stat("newfstatat(-1, \"f\", 0)", sys4(SYS_newfstatat, -1, (long)"f", (long)&st, 0),
		  &st);
	show_stat("newfstatat(-1, " D "/f, 0) (absolute path ignores dirfd)",
		  sys4(SYS_newfstatat, -1, (long)D "/f", (long)&st, 0), &st);
	fd = sys4(SYS_openat, dfd, (long)"f", O_RDONLY, 0);
	show("openat(dirfd, \"f\", O_RDONLY)", fd);
	show("close", sys1(SYS_close, fd));
	show("openat(AT_FDCWD, \"f\") (cwd is not " D ")",
	     sys4(SYS_openat, AT_FDCWD, (long)"f", O_RDONLY, 0));
	show("openat(99, \"f\")", sys4(SYS_openat, 99, (long)"f", O_RDONLY, 0));
	fd = sys_open(D "/f", O_RDONLY, 0);
	show("openat(f as dirfd, \"x\")", sys4(SYS_openat, fd, (long)"x", O_RDONLY, 0));
	show("close", sys1(SYS_close, fd));
	show("close(dirfd)", sys1(SYS_close, dfd));

	printf("-- open errors\n");
	show("open(f, O_CREAT|O_EXCL)", sys_open(D "/f", O_CREAT | O_EXCL | O_RDWR, 0644));
	show("open(" D ", O_CREAT|O_EXCL)", sys_open(D, O_CREAT | O_EXCL | O_RDWR, 0644));
	show("open(nonexistent, O_RDONLY)", sys_open(D "/nope", O_RDONLY, 0));
	show("open(nonexistent/x, O_CREAT)", sys_open(D "/nope/x", O_CREAT | O_RDWR, 0644));
	show("open(" D ", O_WRONLY)", sys_open(D, O_WRONLY, 0));
	show("open(" D ", O_RDWR)", sys_open(D, O_RDWR, 0));
	show("open(" D ", O_CREAT|O_RDWR)", sys_open(D, O_CREAT | O_RDWR, 0644));
	show("open(f/x) (f is a file)", sys_open(D "/f/x", O_RDONLY, 0));
	show("open(f, O_DIRECTORY)", sys_open(D "/f", O_RDONLY | O_DIRECTORY, 0));
	show("open(\"\")", sys_open("", O_RDONLY, 0));
	fd = sys_open(D, O_RDONLY, 0);
	show("open(" D ", O_RDONLY)", fd);
	char c;
	show("read(directory fd)", sys3(SYS_read, fd, (long)&c, 1));
	show("close", sys1(SYS_close, fd));

	printf("-- mkdir, rmdir, unlink, rename\n");
	show("mkdir(" D ") again", sys2(SYS_mkdir, (long)D, 0755));
	show("mkdir(f) (a file)", sys2(SYS_mkdir, (long)D "/f", 0755));
	show("mkdir(nonexistent/x)", sys2(SYS_mkdir, (long)D "/nope/x", 0755));
	show("mkdir(empty, 0700)", sys2(SYS_mkdir, (long)D "/empty", 0700));
	show_stat("stat(empty)", sys2(SYS_stat, (long)D "/empty", (long)&st), &st);
	show("mkdir(full)", sys2(SYS_mkdir, (long)D "/full", 0755));
	fd = sys_open(D "/full/x", O_CREAT | O_WRONLY, 0644);
	show("open(full/x, O_CREAT)", fd);
	show("close", sys1(SYS_close, fd));
	show("rmdir(full) (not empty)", sys1(SYS_rmdir, (long)D "/full"));
	show("rmdir(f) (a file)", sys1(SYS_rmdir, (long)D "/f"));
	show("rmdir(nonexistent)", sys1(SYS_rmdir, (long)D "/nope"));
	show("unlink(full) (a directory)", sys1(SYS_unlink, (long)D "/full"));
	show("unlink(full/x)", sys1(SYS_unlink, (long)D "/full/x"));
	show("unlink(full/x) again", sys1(SYS_unlink, (long)D "/full/x"));
	show("unlink(f/x) (f is a file)", sys1(SYS_unlink, (long)D "/f/x"));
	show("rmdir(full)", sys1(SYS_rmdir, (long)D "/full"));
	show_stat("stat(full)", sys2(SYS_stat, (long)D "/full", (long)&st), &st);
	show("rmdir(empty)", sys1(SYS_rmdir, (long)D "/empty"));

	fd = sys_open(D "/g", O_CREAT | O_WRONLY, 0644);
	show("open(g, O_CREAT)", fd);
	show("write(g, \"gg\")", sys_write_str(fd, "gg"));
	show("rename(g, renamed)", sys2(SYS_rename, (long)D "/g", (long)D "/renamed"));
	show_stat("stat(g)", sys2(SYS_stat, (long)D "/g", (long)&st), &st);
	show_stat("stat(renamed)", sys2(SYS_stat, (long)D "/renamed", (long)&st), &st);
	show("write(g's fd, \"G\") (still open after the rename)", sys_write_str(fd, "G"));
	show_stat("stat(renamed)", sys2(SYS_stat, (long)D "/renamed", (long)&st), &st);
	show("close", sys1(SYS_close, fd));
	show("rename(renamed, f) (replaces f)", sys2(SYS_rename, (long)D "/renamed", (long)D "/f"));
	show_stat("stat(f)", sys2(SYS_stat, (long)D "/f", (long)&st), &st);
	show("rename(nonexistent, h)", sys2(SYS_rename, (long)D "/nope", (long)D "/h"));
	show("rename(f, nonexistent/h)", sys2(SYS_rename, (long)D "/f", (long)D "/nope/h"));
	show("mkdir(empty)", sys2(SYS_mkdir, (long)D "/empty", 0755));
	show("rename(f, empty) (file over a directory)",
	     sys2(SYS_rename, (long)D "/f", (long)D "/empty"));
	show("rename(empty, f) (directory over a file)",
	     sys2(SYS_rename, (long)D "/empty", (long)D "/f"));
	show("rename(empty, empty/sub) (into itself)",
	     sys2(SYS_rename, (long)D "/empty", (long)D "/empty/sub"));
	show("rename(f, f)", sys2(SYS_rename, (long)D "/f", (long)D "/f"));
	show("rmdir(empty)", sys1(SYS_rmdir, (long)D "/empty"));

	printf("-- access, chdir, getcwd\n");
	show("access(f, F_OK)", sys2(SYS_access, (long)D "/f", F_OK));
	show("access(f, R_OK|W_OK)", sys2(SYS_access, (long)D "/f", R_OK | W_OK));
	show("access(nonexistent, F_OK)", sys2(SYS_access, (long)D "/nope", F_OK));
	char cwd[256];
	r = sys2(SYS_getcwd, (long)cwd, sizeof cwd);
	show("getcwd (length with the NUL)", r);
	if (r > 0)
		printf("getcwd: \"%s\"\n", cwd);
	show("chdir(" D ")", sys1(SYS_chdir, (long)D));
	r = sys2(SYS_getcwd, (long)cwd, sizeof cwd);
	show("getcwd", r);
	if (r > 0)
		printf("getcwd: \"%s\"\n", cwd);
	show_stat("stat(\"f\") (relative)", sys2(SYS_stat, (long)"f", (long)&st), &st);
	show_stat("stat(\"../fileio.d/./f\")", sys2(SYS_stat, (long)"../fileio.d/./f", (long)&st),
		  &st);
	show("chdir(\"f\") (a file)", sys1(SYS_chdir, (long)"f"));
	show("chdir(nonexistent)", sys1(SYS_chdir, (long)"nope"));
	show("chdir(\"/\")", sys1(SYS_chdir, (long)"/"));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_getdents(void)
{
	printf("-- getdents64\n");
	show("mkdir(dir)", sys2(SYS_mkdir, (long)D "/dir", 0755));
	const char *names[] = { "c", "a", "b" };
	for (int i = 0; i < 3; i++) {
		char path[64];
		snprintf(path, sizeof path, D "/dir/%s", names[i]);
		long fd = sys_open(path, O_CREAT | O_WRONLY, 0644);
		sys1(SYS_close, fd);
	}
	show("mkdir(dir/sub)", sys2(SYS_mkdir, (long)D "/dir/sub", 0755));

	long fd = sys_open(D "/dir", O_RDONLY | O_DIRECTORY, 0);
	show("open(dir, O_DIRECTORY)", fd);
	static char buf[4096];
	char *found[16], lines[16][64];
	int n = 0;
	long r;
	int calls = 0;
	while ((r = sys3(SYS_getdents64, fd, (long)buf, sizeof buf)) > 0 && calls++ < 16) {
		for (long off = 0; off < r;) {
			struct {
				unsigned long long d_ino;
				long long d_off;
				unsigned short d_reclen;
				unsigned char d_type;
				char d_name[];
			} *d = (void *)(buf + off);
			if (n < 16) {
				const char *t = d->d_type == DT_DIR	  ? "DT_DIR"
						: d->d_type == DT_REG	  ? "DT_REG"
						: d->d_type == DT_UNKNOWN ? "DT_UNKNOWN"
									  : "other";
				snprintf(lines[n], sizeof lines[n], "%s %s%s", d->d_name, t,
					 d->d_ino ? "" : " (d_ino 0)");
				found[n] = lines[n];
				n++;
			}
			if (d->d_reclen == 0 || d->d_reclen % 8)
				printf("getdents64: bad d_reclen %u\n", d->d_reclen);
			if (d->d_reclen == 0)
				break;
			off += d->d_reclen;
		}
	}
	show("getdents64 at the end of the directory", r);
	qsort(found, n, sizeof found[0], cmp_str);
	printf("getdents64: %d entries\n", n);
	for (int i = 0; i < n; i++)
		printf("getdents64: %s\n", found[i]);
	show("lseek(dir, 0, SEEK_SET)", sys3(SYS_lseek, fd, 0, SEEK_SET));
	r = sys3(SYS_getdents64, fd, (long)buf, sizeof buf);
	printf("getdents64 after rewinding: returns entries again: %s\n", yes(r > 0));
	show("lseek(dir, 0, SEEK_SET)", sys3(SYS_lseek, fd, 0, SEEK_SET));
	show("getdents64(dir, buf, 1) (too small)", sys3(SYS_getdents64, fd, (long)buf, 1));
	show("close(dir)", sys1(SYS_close, fd));
	fd = sys_open(D "/dir/a", O_RDONLY, 0);
	show("getdents64(a regular file)", sys3(SYS_getdents64, fd, (long)buf, sizeof buf));
	show("close", sys1(SYS_close, fd));
	show("getdents64(-1)", sys3(SYS_getdents64, -1, (long)buf, sizeof buf));
}

static void test_dup(void)
{
	printf("-- dup, dup2, dup3, fcntl\n");
	long fd = sys_open(D "/h", O_CREAT | O_RDWR | O_TRUNC, 0644);
	show("open(h)", fd);
	show("write(h, \"0123456789\")", sys_write_str(fd, "0123456789"));
	long d = sys1(SYS_dup, fd);
	show("dup(h) (lowest free fd)", d);
	show("lseek(dup, 2, SEEK_SET)", sys3(SYS_lseek, d, 2, SEEK_SET));
	show("lseek(h, 0, SEEK_CUR) (the offset is shared)", sys3(SYS_lseek, fd, 0, SEEK_CUR));
	show("fcntl(dup, F_GETFD)", sys2(SYS_fcntl, d, F_GETFD));
	show("dup2(h, h)", sys2(SYS_dup2, fd, fd));
	show("dup2(h, 10)", sys2(SYS_dup2, fd, 10));
	show("lseek(10, 0, SEEK_CUR)", sys3(SYS_lseek, 10, 0, SEEK_CUR));
	show("dup2(dup, 10) (replaces 10)", sys2(SYS_dup2, d, 10));
	show("dup2(99, 11) (bad oldfd)", sys2(SYS_dup2, 99, 11));
	show("fcntl(11, F_GETFD) (not created)", sys2(SYS_fcntl, 11, F_GETFD));
	show("dup2(h, -1)", sys2(SYS_dup2, fd, -1));
	show("dup3(h, h, 0)", sys3(SYS_dup3, fd, fd, 0));
	show("dup3(h, 12, O_CLOEXEC)", sys3(SYS_dup3, fd, 12, O_CLOEXEC));
	show("fcntl(12, F_GETFD)", sys2(SYS_fcntl, 12, F_GETFD));
	show("dup3(h, 13, 1) (bad flags)", sys3(SYS_dup3, fd, 13, 1));
	show("fcntl(12, F_SETFD, 0)", sys3(SYS_fcntl, 12, F_SETFD, 0));
	show("fcntl(12, F_GETFD)", sys2(SYS_fcntl, 12, F_GETFD));
	show("fcntl(h, F_DUPFD, 20)", sys3(SYS_fcntl, fd, F_DUPFD, 20));
	show("fcntl(h, F_DUPFD_CLOEXEC, 20)", sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 20));
	show("fcntl(21, F_GETFD)", sys2(SYS_fcntl, 21, F_GETFD));
	show("dup(-1)", sys1(SYS_dup, -1));
	show("dup(99)", sys1(SYS_dup, 99));
	show("close(10)", sys1(SYS_close, 10));
	show("close(12)", sys1(SYS_close, 12));
	show("close(20)", sys1(SYS_close, 20));
	show("close(21)", sys1(SYS_close, 21));
	show("close(dup)", sys1(SYS_close, d));
	show("lseek(h, 0, SEEK_CUR) (h still open)", sys3(SYS_lseek, fd, 0, SEEK_CUR));
	show("close(h)", sys1(SYS_close, fd));
	show("dup(h) after close", sys1(SYS_dup, fd));
}

static void test_pipe(void)
{
	printf("-- pipe2\n");
	int p[2] = { -1, -1 };
	char buf[64];
	struct stat st;
	show("pipe2(p, 0)", sys2(SYS_pipe2, (long)p, 0));
	printf("pipe2: fds %d %d\n", p[0], p[1]);
	show_stat("fstat(read end)", sys2(SYS_fstat, p[0], (long)&st), &st);
	show("write(write end, \"ping\")", sys_write_str(p[1], "ping"));
	long r = sys3(SYS_read, p[0], (long)buf, sizeof buf);
	show("read(read end, 64)", r);
	show_bytes("read(read end) data", buf, r);
	show("lseek(read end)", sys3(SYS_lseek, p[0], 0, SEEK_CUR));
	show("pread64(read end)", sys4(SYS_pread64, p[0], (long)buf, 1, 0));
	show("read(write end)", sys3(SYS_read, p[1], (long)buf, 1));
	show("write(read end)", sys3(SYS_write, p[0], (long)"x", 1));
	show("write(write end, \"abc\")", sys_write_str(p[1], "abc"));
	show("close(write end)", sys1(SYS_close, p[1]));
	r = sys3(SYS_read, p[0], (long)buf, sizeof buf);
	show("read(read end) (data written before the close)", r);
	show_bytes("read(read end) data", buf, r);
	show("read(read end) (EOF)", sys3(SYS_read, p[0], (long)buf, sizeof buf));
	show("close(read end)", sys1(SYS_close, p[0]));

	show("pipe2(p, O_NONBLOCK|O_CLOEXEC)", sys2(SYS_pipe2, (long)p, O_NONBLOCK | O_CLOEXEC));
	show("fcntl(read end, F_GETFD)", sys2(SYS_fcntl, p[0], F_GETFD));
	show("fcntl(read end, F_GETFL) & O_NONBLOCK != 0",
	     (sys2(SYS_fcntl, p[0], F_GETFL) & O_NONBLOCK) != 0);
	show("read(empty non-blocking pipe)", sys3(SYS_read, p[0], (long)buf, sizeof buf));
	show("close(read end)", sys1(SYS_close, p[0]));
	signal(SIGPIPE, SIG_IGN);
	show("write(write end, no reader, SIGPIPE ignored)", sys_write_str(p[1], "x"));
	show("close(write end)", sys1(SYS_close, p[1]));
	show("pipe2(p, 0x1234) (bad flags)", sys2(SYS_pipe2, (long)p, 0x1234));
	show("pipe(p)", sys1(SYS_pipe, (long)p));
	printf("pipe: fds %d %d\n", p[0], p[1]);
	sys1(SYS_close, p[0]);
	sys1(SYS_close, p[1]);
}

static void test_devices(const char *argv0)
{
	printf("-- /dev/zero, /dev/null, /proc/self/exe\n");
	char buf[64];
	struct stat st;
	long fd = sys_open("/dev/zero", O_RDWR, 0);
	if (fd == -ENOENT) {
		/* run-linux's initramfs has no /dev/zero: make it (as root) and say
		 * nothing, so the output is the same as on a system that has it. */
		sys3(SYS_mknod, (long)"/dev/zero", S_IFCHR | 0666, makedev(1, 5));
		fd = sys_open("/dev/zero", O_RDWR, 0);
	}
	show("open(/dev/zero, O_RDWR)", fd);
	show_stat("fstat(/dev/zero)", sys2(SYS_fstat, fd, (long)&st), &st);
	memset(buf, 0x5a, sizeof buf);
	long r = sys3(SYS_read, fd, (long)buf, 48);
	show("read(/dev/zero, 48)", r);
	int zero = 1;
	for (int i = 0; i < 48; i++)
		zero &= buf[i] == 0;
	printf("read(/dev/zero): 48 zero bytes, rest untouched: %s\n",
	       yes(zero && buf[48] == 0x5a && buf[63] == 0x5a));
	show("write(/dev/zero, 5)", sys3(SYS_write, fd, (long)"hello", 5));
	show("close(/dev/zero)", sys1(SYS_close, fd));

	fd = sys_open("/dev/null", O_RDWR, 0);
	show("open(/dev/null, O_RDWR)", fd);
	show_stat("fstat(/dev/null)", sys2(SYS_fstat, fd, (long)&st), &st);
	show("write(/dev/null, 5)", sys3(SYS_write, fd, (long)"hello", 5));
	show("read(/dev/null)", sys3(SYS_read, fd, (long)buf, sizeof buf));
	show("lseek(/dev/null, 100, SEEK_SET)", sys3(SYS_lseek, fd, 100, SEEK_SET));
	show("close(/dev/null)", sys1(SYS_close, fd));

	char link[256];
	r = sys3(SYS_readlink, (long)"/proc/self/exe", (long)link, sizeof link - 1);
	if (is_err(r)) {
		show("readlink(/proc/self/exe)", r);
	} else {
		link[r] = 0;
		char want[256];
		const char *base = strrchr(argv0, '/');
		snprintf(want, sizeof want, "/%s", base ? base + 1 : argv0);
		size_t lw = strlen(want), ll = strlen(link);
		printf("readlink(/proc/self/exe): ok, absolute: %s, ends with \"%s\": %s\n",
		       yes(link[0] == '/'), want,
		       yes(ll >= lw && strcmp(link + ll - lw, want) == 0));
	}
	show("readlink(/proc/self/exe, buf, 1) (truncated)",
	     sys3(SYS_readlink, (long)"/proc/self/exe", (long)link, 1));
	show("readlink(/, buf) (not a link)",
	     sys3(SYS_readlink, (long)"/", (long)link, sizeof link));
}

int main(int argc, char **argv)
{
	(void)argc;
	sys1(SYS_umask, 022);
	ensure_tmp();
	cleanup();
	show("mkdir(" D ", 0755)", sys2(SYS_mkdir, (long)D, 0755));
	test_basic_io();
	test_names();
	test_getdents();
	test_dup();
	test_pipe();
	test_devices(argv[0]);
	cleanup();
	struct stat st;
	show_stat("stat(" D ") after cleaning up", sys2(SYS_stat, (long)D, (long)&st), &st);
	return 0;
}
