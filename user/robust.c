/* robust: every system call Warden implements, called with bad arguments:
 * NULL, kernel-half (0xffff800000000000, 0xffffffff80000000) and
 * non-canonical (0x0000800000000000, 0x8000000000000000) pointers, the last
 * user page (0x7ffffffff000, unmapped on Linux: TASK_SIZE ends there) alone,
 * with length 0x2000 (runs into the non-canonical hole) and with length ~0
 * (wraps around), huge lengths (SIZE_MAX, SSIZE_MAX, 1 << 47) with a valid
 * buffer, pages mapped PROT_NONE or read-only (not exec-only: see below), buffers and
 * strings that run into an unmapped page, bad fds, flags, signal numbers,
 * clock ids and sizes.
 *
 * Each line is "syscall(arguments): result", the result being the return
 * value or "-1 ENAME" (Linux's errno, which Warden must return); results
 * that are addresses or pids are printed as properties. Only calls whose
 * result on Linux is deterministic are made (so, for instance, no valid
 * buffer with a huge length where Linux would clamp the length and write
 * that much: getrandom, getdents64). Every call is a raw syscall (common.h)
 * so that no libc code touches the bad pointers: the program itself must
 * never fault. Not covered here: fork, exit (see fork.c, exec.c).
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#define D "/tmp/robust.d"
#define FILE_PATH D "/file"

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

/* Print "<description>: <result>". */
static void R(long r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void R(long r, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	show(what, r);
}

/* The same for a result that is an address or an id: "ok" or "-1 ENAME". */
static void R_ok(long r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void R_ok(long r, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	show_ok(what, r);
}

#define TOP 0x7ffffffff000UL

/* Bad pointers; bad[0] is NULL, which some calls take as "none" (those loops start at 1). */
static const struct {
	unsigned long p;
	const char *name;
} bad[] = {
	{ 0, "NULL" },
	{ 0xffff800000000000UL, "0xffff800000000000" },
	{ 0xffffffff80000000UL, "0xffffffff80000000" },
	{ 0x0000800000000000UL, "0x0000800000000000" },
	{ 0x8000000000000000UL, "0x8000000000000000" },
	{ TOP, "0x7ffffffff000" },
};
#define NBAD (sizeof bad / sizeof bad[0])

static char buf[4096] __attribute__((aligned(4096)));

/* (pointer, length) pairs for buffers: the bad pointers with a small
 * length, then the wrapping and huge cases. huge: a valid buffer with a
 * length far past its end (Linux refuses these up front with EFAULT, as
 * the range leaves the user half). */
struct range {
	unsigned long p, len;
	const char *name;
	int huge;
};
static struct range ranges[NBAD + 5];
static unsigned nranges;

static void init_ranges(void)
{
	static char names[NBAD][48];
	for (unsigned i = 0; i < NBAD; i++) {
		snprintf(names[i], sizeof names[i], "%s, 16", bad[i].name);
		ranges[nranges++] = (struct range){ bad[i].p, 16, names[i], 0 };
	}
	ranges[nranges++] = (struct range){ TOP, 0x2000, "0x7ffffffff000, 0x2000", 0 };
	ranges[nranges++] = (struct range){ TOP, ~0UL, "0x7ffffffff000, ~0", 0 };
	ranges[nranges++] = (struct range){ (unsigned long)buf, SIZE_MAX, "buf, SIZE_MAX", 1 };
	ranges[nranges++] = (struct range){ (unsigned long)buf, SSIZE_MAX, "buf, SSIZE_MAX", 1 };
	ranges[nranges++] = (struct range){ (unsigned long)buf, 1UL << 47, "buf, 1<<47", 1 };
}

/* The same with the value in hex (flags) or octal (modes). */
static void R_base(int octal, long r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void R_base(int octal, long r, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (is_err(r))
		show(what, r);
	else
		printf(octal ? "%s: 0%lo\n" : "%s: 0x%lx\n", what, r);
}
#define R_x(...) R_base(0, __VA_ARGS__)
#define R_o(...) R_base(1, __VA_ARGS__)

/* Special pages: PROT_NONE, read-only, and a read-write page followed by an
 * unmapped one. Not an exec-only page: whether the kernel can read one
 * depends on the CPU (Linux makes PROT_EXEC execute-only with a protection
 * key when the CPU has PKU, so the result differs between -cpu max and
 * qemu64); that belongs to the pkey tests. */
static char *pg_none, *pg_ro, *pg_edge;
static const struct {
	char **p;
	const char *name;
} pages[] = {
	{ &pg_none, "PROT_NONE page" },
	{ &pg_ro, "PROT_READ page" },
};
#define NPAGES (sizeof pages / sizeof pages[0])

static void init_pages(void)
{
	char *m = (char *)sys6(SYS_mmap, 0, 5 * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (is_err((long)m)) {
		show("mmap(5 pages)", (long)m);
		return;
	}
	memset(m, 'p', 5 * 4096);
	pg_none = m;
	pg_ro = m + 4096;
	pg_edge = m + 3 * 4096;
	sys3(SYS_mprotect, (long)pg_none, 4096, PROT_NONE);
	sys3(SYS_mprotect, (long)pg_ro, 4096, PROT_READ);
	sys2(SYS_munmap, (long)(m + 4 * 4096), 4096);
}

static long fd_file, fd_dir, fd_null, fd_rdonly, pipe_r, pipe_w;

static void test_read_write(void)
{
	printf("-- read, write, pread64, pwrite64, readv, writev\n");
	for (unsigned i = 0; i < nranges; i++)
		R(sys3(SYS_read, fd_file, ranges[i].p, ranges[i].len), "read(file, %s)",
		  ranges[i].name);
	for (unsigned i = 0; i < nranges; i++)
		R(sys3(SYS_write, fd_file, ranges[i].p, ranges[i].len), "write(file, %s)",
		  ranges[i].name);
	for (unsigned i = 0; i < nranges; i++)
		R(sys4(SYS_pread64, fd_file, ranges[i].p, ranges[i].len, 0), "pread64(file, %s, 0)",
		  ranges[i].name);
	for (unsigned i = 0; i < nranges; i++)
		R(sys4(SYS_pwrite64, fd_file, ranges[i].p, ranges[i].len, 0),
		  "pwrite64(file, %s, 0)", ranges[i].name);
	/* /dev/null neither reads nor writes the buffer: only the range check. */
	for (unsigned i = 0; i < nranges; i++)
		R(sys3(SYS_read, fd_null, ranges[i].p, ranges[i].len), "read(/dev/null, %s)",
		  ranges[i].name);
	for (unsigned i = 0; i < nranges; i++)
		R(sys3(SYS_write, fd_null, ranges[i].p, ranges[i].len), "write(/dev/null, %s)",
		  ranges[i].name);
	/* A pipe holding data. */
	sys3(SYS_write, pipe_w, (long)"pipe data", 9);
	for (unsigned i = 0; i < nranges; i++)
		R(sys3(SYS_read, pipe_r, ranges[i].p, ranges[i].len), "read(pipe, %s)",
		  ranges[i].name);
	for (unsigned i = 0; i < nranges; i++)
		R(sys3(SYS_write, pipe_w, ranges[i].p, ranges[i].len), "write(pipe, %s)",
		  ranges[i].name);
	R(sys3(SYS_read, pipe_r, (long)buf, sizeof buf),
	  "read(pipe, buf, 4096) (the data is intact)");

	for (unsigned i = 0; i < NPAGES; i++)
		R(sys3(SYS_read, fd_file, (long)*pages[i].p, 16), "read(file, %s, 16)",
		  pages[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys4(SYS_pread64, fd_file, (long)*pages[i].p, 16, 0), "pread64(file, %s, 16, 0)",
		  pages[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys3(SYS_write, fd_file, (long)*pages[i].p, 16), "write(file, %s, 16)",
		  pages[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys3(SYS_write, pipe_w, (long)*pages[i].p, 16), "write(pipe, %s, 16)",
		  pages[i].name);
	R(sys3(SYS_read, pipe_r, (long)buf, sizeof buf), "read(pipe, buf, 4096)");
	if (pg_edge) {
		R(sys3(SYS_lseek, fd_file, 0, SEEK_SET), "lseek(file, 0, SEEK_SET)");
		R(sys3(SYS_read, fd_file, (long)(pg_edge + 4096 - 100), 200),
		  "read(file, 100 bytes before an unmapped page, 200) (a short read)");
		R(sys3(SYS_lseek, fd_file, 0, SEEK_CUR), "lseek(file, 0, SEEK_CUR)");
		R(sys4(SYS_pread64, fd_file, (long)(pg_edge + 4096 - 10), 200, 50),
		  "pread64(file, 10 bytes before an unmapped page, 200, 50)");
		R(memcmp(pg_edge + 4096 - 10, "0123456789", 10) == 0,
		  "  the 10 bytes read are the file's bytes 50..59");
	}

	R(sys3(SYS_read, -1, (long)buf, 16), "read(-1, buf, 16)");
	R(sys3(SYS_read, 9999, (long)buf, 16), "read(9999, buf, 16)");
	R(sys3(SYS_write, -1, (long)buf, 16), "write(-1, buf, 16)");
	R(sys3(SYS_write, fd_rdonly, (long)buf, 16), "write(O_RDONLY file, buf, 16)");
	R(sys3(SYS_read, fd_dir, (long)buf, 16), "read(directory, buf, 16)");
	R(sys4(SYS_pread64, fd_file, (long)buf, 16, -1), "pread64(file, buf, 16, -1)");
	R(sys4(SYS_pread64, fd_file, (long)buf, 16, LLONG_MAX - 1),
	  "pread64(file, buf, 16, LLONG_MAX - 1)");
	R(sys4(SYS_pwrite64, fd_file, (long)buf, 16, -1), "pwrite64(file, buf, 16, -1)");
	R(sys4(SYS_pwrite64, fd_file, (long)buf, 16, LLONG_MAX - 1),
	  "pwrite64(file, buf, 16, LLONG_MAX - 1)");
	R(sys4(SYS_pread64, pipe_r, (long)buf, 16, 0), "pread64(pipe, buf, 16, 0)");
	R(sys4(SYS_pwrite64, pipe_w, (long)buf, 16, 0), "pwrite64(pipe, buf, 16, 0)");
	R(sys4(SYS_pread64, -1, (long)buf, 16, 0), "pread64(-1, buf, 16, 0)");

	/* readv/writev: a bad iovec array, then an iovec with a bad buffer. */
	R(sys3(SYS_lseek, fd_file, 0, SEEK_SET), "lseek(file, 0, SEEK_SET)");
	for (unsigned i = 0; i < NBAD; i++)
		R(sys3(SYS_readv, fd_file, bad[i].p, 1), "readv(file, iov = %s, 1)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys3(SYS_writev, fd_file, bad[i].p, 1), "writev(file, iov = %s, 1)", bad[i].name);
	for (unsigned i = 0; i < nranges; i++) {
		struct iovec iov[2] = { { (void *)ranges[i].p, ranges[i].len }, { buf, 16 } };
		R(sys3(SYS_readv, fd_file, (long)iov, 2), "readv(file, {{%s}, {buf, 16}}, 2)",
		  ranges[i].name);
		R(sys3(SYS_writev, fd_null, (long)iov, 2),
		  "writev(/dev/null, {{%s}, {buf, 16}}, 2)", ranges[i].name);
	}
	struct iovec ok[2] = { { buf, 16 }, { buf + 16, 16 } };
	R(sys3(SYS_readv, fd_file, (long)ok, 0), "readv(file, iov, 0)");
	R(sys3(SYS_readv, fd_file, (long)ok, -1), "readv(file, iov, -1)");
	R(sys3(SYS_readv, fd_file, (long)ok, 1025), "readv(file, iov, 1025) (> UIO_MAXIOV)");
	R(sys3(SYS_writev, fd_null, (long)ok, 1025), "writev(/dev/null, iov, 1025)");
	R(sys3(SYS_writev, fd_null, (long)ok, INT_MIN), "writev(/dev/null, iov, INT_MIN)");
	R(sys3(SYS_writev, -1, (long)ok, 2), "writev(-1, iov, 2)");
	struct iovec halves[2] = { { buf, 16 }, { (void *)TOP, 16 } };
	R(sys3(SYS_writev, fd_null, (long)halves, 2),
	  "writev(/dev/null, {{buf, 16}, {0x7ffffffff000, 16}}, 2)");

	struct stat st;
	sys2(SYS_fstat, fd_file, (long)&st);
	printf("fstat(file) size after all of the above: %lld\n", (long long)st.st_size);
}

static void test_paths(const char *self)
{
	printf("-- paths: open, openat, stat, lstat, newfstatat, access, chdir, mkdir, rmdir, "
	       "unlink, rename, readlink, execve\n");
	struct stat st;
	for (unsigned i = 0; i < NBAD; i++)
		R(sys3(SYS_open, bad[i].p, O_RDONLY, 0), "open(%s)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys4(SYS_openat, AT_FDCWD, bad[i].p, O_RDONLY, 0), "openat(AT_FDCWD, %s)",
		  bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_stat, bad[i].p, (long)&st), "stat(%s, &st)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_lstat, bad[i].p, (long)&st), "lstat(%s, &st)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys4(SYS_newfstatat, AT_FDCWD, bad[i].p, (long)&st, 0),
		  "newfstatat(AT_FDCWD, %s, &st, 0)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_access, bad[i].p, F_OK), "access(%s, F_OK)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys1(SYS_chdir, bad[i].p), "chdir(%s)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_mkdir, bad[i].p, 0755), "mkdir(%s)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys1(SYS_rmdir, bad[i].p), "rmdir(%s)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys1(SYS_unlink, bad[i].p), "unlink(%s)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_rename, bad[i].p, (long)D "/x"), "rename(%s, \"" D "/x\")", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_rename, (long)FILE_PATH, bad[i].p), "rename(\"" FILE_PATH "\", %s)",
		  bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys3(SYS_readlink, bad[i].p, (long)buf, 64), "readlink(%s, buf, 64)",
		  bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys3(SYS_execve, bad[i].p, 0, 0), "execve(%s, NULL, NULL)", bad[i].name);

	/* Strings running into an unmapped or inaccessible page. */
	if (pg_edge) {
		memset(pg_edge + 4096 - 8, 'a', 8);
		R(sys3(SYS_open, (long)(pg_edge + 4096 - 8), O_RDONLY, 0),
		  "open(unterminated string running into an unmapped page)");
		R(sys2(SYS_stat, (long)(pg_edge + 4096 - 8), (long)&st),
		  "stat(unterminated string running into an unmapped page)");
		memcpy(pg_edge + 4096 - 8, "/tmp\0aaa", 8);
		R(sys1(SYS_chdir, (long)(pg_edge + 4096 - 8)),
		  "chdir(\"/tmp\" ending 3 bytes before an unmapped page)");
		R(sys1(SYS_chdir, (long)"/"), "chdir(\"/\")");
	}
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys3(SYS_open, (long)*pages[i].p, O_RDONLY, 0), "open(path in a %s)",
		  pages[i].name);
	static char longpath[5000];
	memset(longpath, 'a', sizeof longpath - 1);
	longpath[0] = '/';
	R(sys3(SYS_open, (long)longpath, O_RDONLY, 0), "open(4999-byte path)");
	R(sys1(SYS_chdir, (long)longpath), "chdir(4999-byte path)");
	longpath[4095] = 0;
	R(sys3(SYS_open, (long)longpath, O_RDONLY, 0), "open(4095-byte path, one component)");
	for (int i = 100; i < 4095; i += 100)
		longpath[i] = '/';
	R(sys3(SYS_open, (long)longpath, O_RDONLY, 0), "open(4095-byte path, 99-byte components)");
	char comp[300] = D "/";
	memset(comp + strlen(comp), 'c', 256);
	R(sys3(SYS_open, (long)comp, O_RDONLY | O_CREAT, 0644), "open(D/256-byte name, O_CREAT)");
	R(sys2(SYS_stat, (long)comp, (long)&st), "stat(D/256-byte name)");
	comp[strlen(comp) - 1] = 0;
	long fd = sys3(SYS_open, (long)comp, O_RDONLY | O_CREAT, 0644);
	R(fd, "open(D/255-byte name, O_CREAT)");
	sys1(SYS_close, fd);
	R(sys1(SYS_unlink, (long)comp), "unlink(D/255-byte name)");

	/* Bad output buffers with good paths. */
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_stat, (long)"/", bad[i].p), "stat(\"/\", %s)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_lstat, (long)"/", bad[i].p), "lstat(\"/\", %s)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys4(SYS_newfstatat, AT_FDCWD, (long)"/", bad[i].p, 0),
		  "newfstatat(AT_FDCWD, \"/\", %s, 0)", bad[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys2(SYS_stat, (long)"/", (long)*pages[i].p), "stat(\"/\", %s)", pages[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys3(SYS_readlink, (long)"/proc/self/exe", bad[i].p, 64),
		  "readlink(/proc/self/exe, %s, 64)", bad[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys3(SYS_readlink, (long)"/proc/self/exe", (long)*pages[i].p, 64),
		  "readlink(/proc/self/exe, %s, 64)", pages[i].name);
	R(sys3(SYS_readlink, (long)"/proc/self/exe", (long)buf, 0),
	  "readlink(/proc/self/exe, buf, 0)");
	R(sys3(SYS_readlink, (long)"/proc/self/exe", (long)buf, -1),
	  "readlink(/proc/self/exe, buf, -1)");
	R(sys3(SYS_readlink, (long)"/proc/self/exe", (long)buf, SIZE_MAX),
	  "readlink(/proc/self/exe, buf, SIZE_MAX)");
	R(sys3(SYS_readlink, (long)"/proc/self/exe", (long)buf, 1UL << 32),
	  "readlink(/proc/self/exe, buf, 1<<32) (an int: 0)");
	R(sys3(SYS_readlink, (long)"/proc/self/exe", (long)buf, 1),
	  "readlink(/proc/self/exe, buf, 1) (truncated)");
	R(sys3(SYS_readlink, (long)FILE_PATH, (long)buf, 64), "readlink(a regular file, buf, 64)");

	/* Other bad arguments. */
	R(sys3(SYS_open, (long)"", O_RDONLY, 0), "open(\"\")");
	R(sys4(SYS_openat, -1, (long)"file", O_RDONLY, 0), "openat(-1, \"file\")");
	R(sys4(SYS_openat, 9999, (long)"file", O_RDONLY, 0), "openat(9999, \"file\")");
	R(sys4(SYS_openat, fd_file, (long)"file", O_RDONLY, 0),
	  "openat(regular file fd, \"file\")");
	fd = sys4(SYS_openat, fd_dir, (long)"file", O_RDONLY, 0);
	R(fd, "openat(" D " fd, \"file\")");
	sys1(SYS_close, fd);
	fd = sys4(SYS_openat, -1, (long)FILE_PATH, O_RDONLY, 0);
	R(fd, "openat(-1, absolute path)");
	sys1(SYS_close, fd);
	R(sys4(SYS_newfstatat, AT_FDCWD, (long)"/", (long)&st, 0x12345),
	  "newfstatat(AT_FDCWD, \"/\", &st, 0x12345)");
	R(sys4(SYS_newfstatat, -1, (long)"x", (long)&st, 0), "newfstatat(-1, \"x\", &st, 0)");
	R(sys4(SYS_newfstatat, fd_file, (long)"", (long)&st, 0), "newfstatat(file, \"\", &st, 0)");
	R(sys4(SYS_newfstatat, fd_file, (long)"", (long)&st, AT_EMPTY_PATH),
	  "newfstatat(file, \"\", &st, AT_EMPTY_PATH)");
	R(sys2(SYS_access, (long)"/", 8), "access(\"/\", 8)");
	R(sys2(SYS_access, (long)"/", -1), "access(\"/\", -1)");
	R(sys2(SYS_access, (long)"/", F_OK), "access(\"/\", F_OK)");
	R(sys1(SYS_chdir, (long)""), "chdir(\"\")");
	R(sys1(SYS_chdir, (long)FILE_PATH), "chdir(a regular file)");
	R(sys2(SYS_mkdir, (long)"", 0755), "mkdir(\"\")");
	R(sys2(SYS_mkdir, (long)"/", 0755), "mkdir(\"/\")");
	R(sys1(SYS_rmdir, (long)"/"), "rmdir(\"/\")");
	R(sys1(SYS_rmdir, (long)D "/."), "rmdir(\"" D "/.\")");
	R(sys1(SYS_rmdir, (long)D "/.."), "rmdir(\"" D "/..\")");
	R(sys1(SYS_rmdir, (long)""), "rmdir(\"\")");
	R(sys1(SYS_unlink, (long)"/"), "unlink(\"/\")");
	R(sys1(SYS_unlink, (long)""), "unlink(\"\")");
	R(sys2(SYS_rename, (long)"", (long)D "/x"), "rename(\"\", \"" D "/x\")");
	R(sys2(SYS_rename, (long)FILE_PATH, (long)""), "rename(\"" FILE_PATH "\", \"\")");
	R(sys2(SYS_rename, (long)D, (long)D "/sub"), "rename(\"" D "\", \"" D "/sub\")");

	/* execve: a bad argv or envp is found before the point of no return. */
	for (unsigned i = 1; i < NBAD; i++) /* not NULL */
		R(sys3(SYS_execve, (long)self, bad[i].p, 0), "execve(self, argv = %s, NULL)",
		  bad[i].name);
	char *args[] = { (char *)self, NULL };
	for (unsigned i = 1; i < NBAD; i++) /* not NULL */
		R(sys3(SYS_execve, (long)self, (long)args, bad[i].p),
		  "execve(self, argv, envp = %s)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++) {
		char *a[] = { (char *)self, (char *)bad[i].p, NULL };
		if (bad[i].p)
			R(sys3(SYS_execve, (long)self, (long)a, 0),
			  "execve(self, {self, %s}, NULL)", bad[i].name);
	}
}

static void test_fds(void)
{
	printf("-- fds: close, fstat, lseek, dup, dup2, dup3, fcntl, ftruncate, ioctl, "
	       "getdents64, pipe, pipe2\n");
	struct stat st;
	R(sys1(SYS_close, -1), "close(-1)");
	R(sys1(SYS_close, 9999), "close(9999)");
	R(sys1(SYS_close, INT_MAX), "close(INT_MAX)");
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_fstat, fd_file, bad[i].p), "fstat(file, %s)", bad[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys2(SYS_fstat, fd_file, (long)*pages[i].p), "fstat(file, %s)", pages[i].name);
	R(sys2(SYS_fstat, -1, (long)&st), "fstat(-1, &st)");
	R(sys2(SYS_fstat, 9999, (long)&st), "fstat(9999, &st)");

	R(sys3(SYS_lseek, -1, 0, SEEK_SET), "lseek(-1, 0, SEEK_SET)");
	R(sys3(SYS_lseek, fd_file, 0, -1), "lseek(file, 0, -1)");
	R(sys3(SYS_lseek, fd_file, 0, 5), "lseek(file, 0, 5)");
	R(sys3(SYS_lseek, fd_file, LLONG_MIN, SEEK_SET), "lseek(file, LLONG_MIN, SEEK_SET)");
	R(sys3(SYS_lseek, fd_file, -1, SEEK_END), "lseek(file, -1, SEEK_END)");
	R(sys3(SYS_lseek, fd_file, -100, SEEK_END), "lseek(file, -100, SEEK_END)");
	R(sys3(SYS_lseek, pipe_r, 0, SEEK_SET), "lseek(pipe, 0, SEEK_SET)");

	R(sys1(SYS_dup, -1), "dup(-1)");
	R(sys1(SYS_dup, INT_MAX), "dup(INT_MAX)");
	R(sys2(SYS_dup2, -1, 50), "dup2(-1, 50)");
	R(sys2(SYS_dup2, fd_file, -1), "dup2(file, -1)");
	R(sys2(SYS_dup2, fd_file, INT_MAX), "dup2(file, INT_MAX)");
	R(sys2(SYS_dup2, fd_file, 1024), "dup2(file, 1024) (RLIMIT_NOFILE is 1024)");
	R(sys2(SYS_dup2, fd_file, 1023), "dup2(file, 1023)");
	R(sys1(SYS_close, 1023), "close(1023)");
	R(sys3(SYS_dup3, fd_file, 50, -1), "dup3(file, 50, -1)");
	R(sys3(SYS_dup3, fd_file, fd_file, O_CLOEXEC), "dup3(file, file, O_CLOEXEC)");
	R(sys3(SYS_dup3, -1, 50, 0), "dup3(-1, 50, 0)");
	R(sys3(SYS_dup3, fd_file, 1024, 0), "dup3(file, 1024, 0)");

	R(sys2(SYS_fcntl, -1, F_GETFD), "fcntl(-1, F_GETFD)");
	R(sys2(SYS_fcntl, fd_file, 0x7fff), "fcntl(file, 0x7fff)");
	R(sys2(SYS_fcntl, fd_file, -1), "fcntl(file, -1)");
	R(sys3(SYS_fcntl, fd_file, F_DUPFD, -1), "fcntl(file, F_DUPFD, -1)");
	R(sys3(SYS_fcntl, fd_file, F_DUPFD, 1024), "fcntl(file, F_DUPFD, 1024)");
	R(sys3(SYS_fcntl, fd_file, F_DUPFD, INT_MAX), "fcntl(file, F_DUPFD, INT_MAX)");
	R(sys3(SYS_fcntl, fd_file, F_SETFD, ~0L), "fcntl(file, F_SETFD, ~0)");
	R(sys2(SYS_fcntl, fd_file, F_GETFD), "fcntl(file, F_GETFD)");
	R(sys3(SYS_fcntl, fd_file, F_SETFD, 0), "fcntl(file, F_SETFD, 0)");
	R_x(sys2(SYS_fcntl, fd_file, F_GETFL), "fcntl(file, F_GETFL)");
	R(sys3(SYS_fcntl, fd_file, F_SETFL, O_NONBLOCK | O_APPEND),
	  "fcntl(file, F_SETFL, O_NONBLOCK|O_APPEND)");
	R_x(sys2(SYS_fcntl, fd_file, F_GETFL), "fcntl(file, F_GETFL)");
	R(sys3(SYS_fcntl, fd_file, F_SETFL, O_RDONLY | O_CREAT | O_EXCL | O_TRUNC),
	  "fcntl(file, F_SETFL, O_RDONLY|O_CREAT|O_EXCL|O_TRUNC) (ignored bits)");
	R_x(sys2(SYS_fcntl, fd_file, F_GETFL), "fcntl(file, F_GETFL)");

	R(sys2(SYS_ftruncate, -1, 0), "ftruncate(-1, 0)");
	R(sys2(SYS_ftruncate, fd_file, -1), "ftruncate(file, -1)");
	R(sys2(SYS_ftruncate, fd_file, LLONG_MIN), "ftruncate(file, LLONG_MIN)");
	R(sys2(SYS_ftruncate, fd_rdonly, 0), "ftruncate(O_RDONLY file, 0)");
	R(sys2(SYS_ftruncate, fd_dir, 0), "ftruncate(directory, 0)");
	R(sys2(SYS_ftruncate, pipe_w, 0), "ftruncate(pipe, 0)");

	int n = 0x5a5a;
	R(sys3(SYS_ioctl, -1, TCGETS, (long)buf), "ioctl(-1, TCGETS, buf)");
	R(sys3(SYS_ioctl, fd_file, TCGETS, (long)buf), "ioctl(file, TCGETS, buf)");
	R(sys3(SYS_ioctl, fd_file, TCGETS, 0), "ioctl(file, TCGETS, NULL)");
	R(sys3(SYS_ioctl, fd_file, TIOCGWINSZ, (long)buf), "ioctl(file, TIOCGWINSZ, buf)");
	R(sys3(SYS_ioctl, fd_null, TCGETS, (long)buf), "ioctl(/dev/null, TCGETS, buf)");
	R(sys3(SYS_ioctl, pipe_r, TCGETS, (long)buf), "ioctl(pipe, TCGETS, buf)");
	R(sys3(SYS_ioctl, fd_file, 0, 0), "ioctl(file, 0, NULL)");
	R(sys3(SYS_ioctl, fd_file, FIOCLEX, 0), "ioctl(file, FIOCLEX)");
	R(sys2(SYS_fcntl, fd_file, F_GETFD), "fcntl(file, F_GETFD)");
	R(sys3(SYS_ioctl, fd_file, FIONCLEX, 0), "ioctl(file, FIONCLEX)");
	for (unsigned i = 0; i < NBAD; i++)
		R(sys3(SYS_ioctl, fd_file, FIONBIO, bad[i].p), "ioctl(file, FIONBIO, %s)",
		  bad[i].name);
	R(sys3(SYS_ioctl, fd_file, FIONBIO, (long)&n), "ioctl(file, FIONBIO, &1)");
	R_x(sys2(SYS_fcntl, fd_file, F_GETFL) & O_NONBLOCK, "fcntl(file, F_GETFL) & O_NONBLOCK");
	n = 0;
	R(sys3(SYS_ioctl, fd_file, FIONBIO, (long)&n), "ioctl(file, FIONBIO, &0)");
	for (unsigned i = 0; i < NBAD; i++)
		R(sys3(SYS_ioctl, fd_file, FIONREAD, bad[i].p), "ioctl(file, FIONREAD, %s)",
		  bad[i].name);
	R(sys3(SYS_lseek, fd_file, 10, SEEK_SET), "lseek(file, 10, SEEK_SET)");
	R(sys3(SYS_ioctl, fd_file, FIONREAD, (long)&n), "ioctl(file, FIONREAD, &n)");
	printf("  n: %d\n", n);
	sys3(SYS_write, pipe_w, (long)"12345", 5);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys3(SYS_ioctl, pipe_r, FIONREAD, bad[i].p), "ioctl(pipe, FIONREAD, %s)",
		  bad[i].name);
	R(sys3(SYS_ioctl, pipe_r, FIONREAD, (long)&n), "ioctl(pipe holding 5 bytes, FIONREAD, &n)");
	printf("  n: %d\n", n);
	sys3(SYS_read, pipe_r, (long)buf, sizeof buf);

	for (unsigned i = 0; i < NBAD; i++) {
		long d = sys3(SYS_open, (long)D, O_RDONLY | O_DIRECTORY, 0);
		R(sys3(SYS_getdents64, d, bad[i].p, 4096), "getdents64(dir, %s, 4096)",
		  bad[i].name);
		sys1(SYS_close, d);
	}
	for (unsigned i = 0; i < NPAGES; i++) {
		long d = sys3(SYS_open, (long)D, O_RDONLY | O_DIRECTORY, 0);
		R(sys3(SYS_getdents64, d, (long)*pages[i].p, 4096), "getdents64(dir, %s, 4096)",
		  pages[i].name);
		sys1(SYS_close, d);
	}
	R(sys3(SYS_getdents64, fd_dir, (long)buf, 0), "getdents64(dir, buf, 0)");
	R(sys3(SYS_getdents64, fd_dir, (long)buf, 1), "getdents64(dir, buf, 1)");
	R(sys3(SYS_getdents64, fd_file, (long)buf, 4096), "getdents64(file, buf, 4096)");
	R(sys3(SYS_getdents64, -1, (long)buf, 4096), "getdents64(-1, buf, 4096)");

	for (unsigned i = 0; i < NBAD; i++)
		R(sys1(SYS_pipe, bad[i].p), "pipe(%s)", bad[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys1(SYS_pipe, (long)*pages[i].p), "pipe(%s)", pages[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_pipe2, bad[i].p, 0), "pipe2(%s, 0)", bad[i].name);
	int p[2];
	R(sys2(SYS_pipe2, (long)p, -1), "pipe2(p, -1)");
	R(sys2(SYS_pipe2, (long)p, O_RDWR), "pipe2(p, O_RDWR)");
	long d = sys1(SYS_dup, 0);
	R(d, "dup(0) after the failed pipe calls (no fd leaked: lowest free)");
	sys1(SYS_close, d);
}

static void test_memory(void)
{
	printf("-- mmap, mprotect, munmap, brk\n");
	const long rw = PROT_READ | PROT_WRITE, pa = MAP_PRIVATE | MAP_ANONYMOUS;
	R(sys6(SYS_mmap, 0, 0, rw, pa, -1, 0), "mmap(NULL, 0)");
	R(sys6(SYS_mmap, 0, SIZE_MAX, rw, pa, -1, 0), "mmap(NULL, SIZE_MAX)");
	R(sys6(SYS_mmap, 0, SSIZE_MAX, rw, pa, -1, 0), "mmap(NULL, SSIZE_MAX)");
	R(sys6(SYS_mmap, 0, 1UL << 47, rw, pa, -1, 0), "mmap(NULL, 1<<47)");
	R(sys6(SYS_mmap, 0, 4096, rw, MAP_ANONYMOUS, -1, 0), "mmap(4096, no MAP_PRIVATE/SHARED)");
	R(sys6(SYS_mmap, 0, 4096, rw, pa, -1, 1), "mmap(4096, offset 1)");
	R(sys6(SYS_mmap, 0, 4096, rw, MAP_PRIVATE, -1, 0), "mmap(4096, MAP_PRIVATE, fd -1)");
	R(sys6(SYS_mmap, 0, 4096, rw, MAP_PRIVATE, 9999, 0), "mmap(4096, MAP_PRIVATE, fd 9999)");
	R(sys6(SYS_mmap, 0, 4096, rw, MAP_SHARED, fd_rdonly, 0),
	  "mmap(4096, PROT_WRITE, MAP_SHARED, O_RDONLY file)");
	R(sys6(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, pipe_r, 0), "mmap(4096, pipe)");
	for (unsigned i = 1; i < NBAD; i++) /* not NULL */
		R(sys6(SYS_mmap, bad[i].p, 4096, rw, pa | MAP_FIXED, -1, 0),
		  "mmap(%s, 4096, MAP_FIXED)", bad[i].name);
	R(sys6(SYS_mmap, TOP, 0x2000, rw, pa | MAP_FIXED, -1, 0),
	  "mmap(0x7ffffffff000, 0x2000, MAP_FIXED)");
	R(sys6(SYS_mmap, TOP - 0x1000, 0x2000, rw, pa | MAP_FIXED, -1, 0),
	  "mmap(0x7fffffffe000, 0x2000, MAP_FIXED)");
	R(sys6(SYS_mmap, 0x10001000, 4096, rw, pa | MAP_FIXED_NOREPLACE, -1, 0) == 0x10001000,
	  "mmap(0x10001000, 4096, MAP_FIXED_NOREPLACE) at 0x10001000");
	R(sys6(SYS_mmap, 0x10000000, 0x3000, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
	       -1, 0),
	  "mmap(0x10000000, 0x3000, MAP_FIXED_NOREPLACE) (overlaps)");
	R(sys6(SYS_mmap, 0x10000800, 4096, rw, pa | MAP_FIXED, -1, 0),
	  "mmap(0x10000800, 4096, MAP_FIXED) (unaligned)");
	long hint = sys6(SYS_mmap, 0xffff800000000000L, 4096, rw, pa, -1, 0);
	R_ok(hint, "mmap(hint 0xffff800000000000, 4096) (a hint only)");
	if (!is_err(hint))
		printf("  below the hint, in the user half: %s\n", yes((unsigned long)hint < TOP));
	sys2(SYS_munmap, hint, 4096);

	char *m = (char *)0x10001000;
	for (unsigned i = 0; i < NBAD; i++)
		R(sys3(SYS_mprotect, bad[i].p, 4096, PROT_READ), "mprotect(%s, 4096, PROT_READ)",
		  bad[i].name);
	R(sys3(SYS_mprotect, TOP, 0x2000, PROT_READ),
	  "mprotect(0x7ffffffff000, 0x2000, PROT_READ)");
	R(sys3(SYS_mprotect, TOP, ~0UL, PROT_READ), "mprotect(0x7ffffffff000, ~0, PROT_READ)");
	R(sys3(SYS_mprotect, 0, 0, PROT_READ), "mprotect(NULL, 0, PROT_READ)");
	R(sys3(SYS_mprotect, (long)m + 1, 4096, PROT_READ), "mprotect(mapping + 1, 4096)");
	R(sys3(SYS_mprotect, (long)m, 4096, 0x1000), "mprotect(mapping, 4096, 0x1000)");
	R(sys3(SYS_mprotect, (long)m, 4096, -1), "mprotect(mapping, 4096, -1)");
	R(sys3(SYS_mprotect, (long)m, SIZE_MAX, PROT_READ), "mprotect(mapping, SIZE_MAX)");
	R(sys3(SYS_mprotect, (long)m, SSIZE_MAX, PROT_READ), "mprotect(mapping, SSIZE_MAX)");
	R(sys3(SYS_mprotect, (long)m, 1UL << 47, PROT_READ), "mprotect(mapping, 1<<47)");
	R(sys3(SYS_mprotect, (long)m, 0x2000, PROT_READ),
	  "mprotect(mapping, 0x2000) (past its end)");
	R(sys3(SYS_mprotect, (long)m - 0x1000, 0x2000, PROT_READ),
	  "mprotect(mapping - 0x1000, 0x2000) (starts in a hole)");
	R(sys3(SYS_mprotect, (long)m, 4096, PROT_READ), "mprotect(mapping, 4096, PROT_READ)");
	R(sys3(SYS_mprotect, (long)m, 1, PROT_READ | PROT_WRITE),
	  "mprotect(mapping, 1, PROT_READ|PROT_WRITE)");
	m[0] = 1;
	R(m[0], "  written after mprotect(length 1)");

	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_munmap, bad[i].p, 4096), "munmap(%s, 4096)", bad[i].name);
	R(sys2(SYS_munmap, TOP, 0x2000), "munmap(0x7ffffffff000, 0x2000)");
	R(sys2(SYS_munmap, TOP, ~0UL), "munmap(0x7ffffffff000, ~0)");
	R(sys2(SYS_munmap, (long)m, 0), "munmap(mapping, 0)");
	R(sys2(SYS_munmap, (long)m + 1, 4096), "munmap(mapping + 1, 4096)");
	R(sys2(SYS_munmap, (long)m, SIZE_MAX), "munmap(mapping, SIZE_MAX)");
	R(sys2(SYS_munmap, (long)m, SSIZE_MAX), "munmap(mapping, SSIZE_MAX)");
	R(sys2(SYS_munmap, (long)m, 1UL << 47), "munmap(mapping, 1<<47)");
	R(sys2(SYS_munmap, 0x20000000, 0x10000), "munmap(0x20000000, 0x10000) (nothing mapped)");
	R(sys2(SYS_munmap, (long)m, 4095), "munmap(mapping, 4095)");
	R(sys2(SYS_munmap, (long)m, 4096), "munmap(mapping, 4096) again");

	long cur = sys1(SYS_brk, 0);
	printf("brk(0): non-zero: %s, page-aligned: %s\n", yes(cur != 0), yes(cur % 4096 == 0));
	for (unsigned i = 0; i < NBAD; i++)
		R(sys1(SYS_brk, bad[i].p) == cur, "brk(%s) returns the current break", bad[i].name);
	R(sys1(SYS_brk, cur - 0x100000) == cur, "brk(current - 1 MiB) returns the current break");
	R(sys1(SYS_brk, cur + 0x3000) == cur + 0x3000, "brk(current + 0x3000) returns it");
	((volatile char *)cur)[0x2fff] = 1;
	R(sys1(SYS_brk, cur) == cur, "brk(initial break) returns it");
}

static void test_signals(void)
{
	printf("-- rt_sigaction, rt_sigprocmask, kill\n");
	struct ksigaction {
		unsigned long handler, flags, restorer, mask;
	} sa = { 0 }, old;
	for (unsigned i = 0; i < NBAD; i++)
		R(sys4(SYS_rt_sigaction, SIGUSR1, bad[i].p, 0, 8),
		  "rt_sigaction(SIGUSR1, act = %s, NULL, 8)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys4(SYS_rt_sigaction, SIGUSR1, 0, bad[i].p, 8),
		  "rt_sigaction(SIGUSR1, NULL, oldact = %s, 8)", bad[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys4(SYS_rt_sigaction, SIGUSR1, 0, (long)*pages[i].p, 8),
		  "rt_sigaction(SIGUSR1, NULL, oldact = %s, 8)", pages[i].name);
	R(sys4(SYS_rt_sigaction, SIGUSR1, (long)pg_none, 0, 8),
	  "rt_sigaction(SIGUSR1, act = PROT_NONE page, NULL, 8)");
	R(sys4(SYS_rt_sigaction, 0, (long)&sa, 0, 8), "rt_sigaction(0, act, NULL, 8)");
	R(sys4(SYS_rt_sigaction, 65, (long)&sa, 0, 8), "rt_sigaction(65, act, NULL, 8)");
	R(sys4(SYS_rt_sigaction, -1, (long)&sa, 0, 8), "rt_sigaction(-1, act, NULL, 8)");
	R(sys4(SYS_rt_sigaction, SIGKILL, (long)&sa, 0, 8), "rt_sigaction(SIGKILL, act, NULL, 8)");
	R(sys4(SYS_rt_sigaction, SIGSTOP, (long)&sa, 0, 8), "rt_sigaction(SIGSTOP, act, NULL, 8)");
	R(sys4(SYS_rt_sigaction, SIGKILL, 0, (long)&old, 8), "rt_sigaction(SIGKILL, NULL, old, 8)");
	R(sys4(SYS_rt_sigaction, SIGUSR1, (long)&sa, 0, 4), "rt_sigaction(SIGUSR1, act, NULL, 4)");
	R(sys4(SYS_rt_sigaction, SIGUSR1, (long)&sa, 0, 16),
	  "rt_sigaction(SIGUSR1, act, NULL, 16)");
	sa.handler = 0xffff800000000000UL;
	R(sys4(SYS_rt_sigaction, SIGUSR1, (long)&sa, 0, 8),
	  "rt_sigaction(SIGUSR1, handler 0xffff800000000000, NULL, 8) (not checked)");
	R(sys4(SYS_rt_sigaction, SIGUSR1, 0, (long)&old, 8), "rt_sigaction(SIGUSR1, NULL, old, 8)");
	R(old.handler == 0xffff800000000000UL, "  old handler is 0xffff800000000000");
	sa.handler = (unsigned long)SIG_DFL;
	sa.flags = ~0UL;
	sa.mask = ~0UL;
	R(sys4(SYS_rt_sigaction, SIGUSR1, (long)&sa, 0, 8),
	  "rt_sigaction(SIGUSR1, SIG_DFL, flags ~0, mask ~0)");
	R(sys4(SYS_rt_sigaction, SIGUSR1, 0, (long)&old, 8), "rt_sigaction(SIGUSR1, NULL, old, 8)");
	printf("  old mask: 0x%lx (SIGKILL and SIGSTOP removed)\n", old.mask);
	sa.flags = 0;
	sa.mask = 0;
	sys4(SYS_rt_sigaction, SIGUSR1, (long)&sa, 0, 8);

	unsigned long set = 1UL << (SIGUSR2 - 1), oset = 0;
	for (unsigned i = 0; i < NBAD; i++)
		R(sys4(SYS_rt_sigprocmask, SIG_BLOCK, bad[i].p, 0, 8),
		  "rt_sigprocmask(SIG_BLOCK, set = %s, NULL, 8)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, bad[i].p, 8),
		  "rt_sigprocmask(SIG_BLOCK, NULL, old = %s, 8)", bad[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)*pages[i].p, 8),
		  "rt_sigprocmask(SIG_BLOCK, NULL, old = %s, 8)", pages[i].name);
	R(sys4(SYS_rt_sigprocmask, 3, (long)&set, 0, 8), "rt_sigprocmask(3, set, NULL, 8)");
	R(sys4(SYS_rt_sigprocmask, -1, (long)&set, 0, 8), "rt_sigprocmask(-1, set, NULL, 8)");
	R(sys4(SYS_rt_sigprocmask, 99, 0, (long)&oset, 8),
	  "rt_sigprocmask(99, NULL, old, 8) (how unused without a set)");
	R(sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, 4),
	  "rt_sigprocmask(SIG_BLOCK, set, NULL, 4)");
	R(sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, 16),
	  "rt_sigprocmask(SIG_BLOCK, set, NULL, 16)");
	set = ~0UL;
	R(sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&set, (long)&oset, 8),
	  "rt_sigprocmask(SIG_SETMASK, ~0, old, 8)");
	printf("  old mask: 0x%lx\n", oset);
	R(sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&oset, (long)&set, 8),
	  "rt_sigprocmask(SIG_SETMASK, old, &set, 8)");
	printf("  mask that was set: 0x%lx (SIGKILL and SIGSTOP cannot be blocked)\n", set);

	long pid = sys0(SYS_getpid);
	R(sys2(SYS_kill, pid, 65), "kill(self, 65)");
	R(sys2(SYS_kill, pid, -1), "kill(self, -1)");
	R(sys2(SYS_kill, INT_MIN, 0), "kill(INT_MIN, 0)");
	R(sys2(SYS_kill, INT_MAX, 0), "kill(INT_MAX, 0)");
	R(sys2(SYS_kill, pid, 0), "kill(self, 0)");
}

static void test_misc(void)
{
	printf("-- process, time, identity, limits\n");
	long pid = sys0(SYS_getpid);
	printf("getpid() > 0: %s\n", yes(pid > 0));
	R(sys0(SYS_getuid), "getuid()");
	R(sys0(SYS_geteuid), "geteuid()");
	R(sys0(SYS_getgid), "getgid()");
	R(sys0(SYS_getegid), "getegid()");

	int status;
	for (unsigned i = 0; i < NBAD; i++)
		R(sys4(SYS_wait4, -1, bad[i].p, 0, 0), "wait4(-1, %s, 0, NULL) (no children)",
		  bad[i].name);
	R(sys4(SYS_wait4, -1, (long)&status, 0, 0xffff800000000000L),
	  "wait4(-1, &status, 0, rusage 0xffff800000000000)");
	R(sys4(SYS_wait4, -1, (long)&status, -1, 0), "wait4(-1, &status, -1, NULL)");
	R(sys4(SYS_wait4, INT_MIN, (long)&status, 0, 0), "wait4(INT_MIN, &status, 0, NULL)");
	R(sys4(SYS_wait4, pid, (long)&status, WNOHANG, 0), "wait4(self, &status, WNOHANG, NULL)");

	struct utsname u;
	for (unsigned i = 0; i < NBAD; i++)
		R(sys1(SYS_uname, bad[i].p), "uname(%s)", bad[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys1(SYS_uname, (long)*pages[i].p), "uname(%s)", pages[i].name);
	R(sys1(SYS_uname, (long)&u), "uname(&u)");
	printf("  machine: %s\n", u.machine);

	struct timespec ts = { 0, 0 };
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_nanosleep, bad[i].p, 0), "nanosleep(%s, NULL)", bad[i].name);
	R(sys2(SYS_nanosleep, (long)&(struct timespec){ 0, 1000000000 }, 0),
	  "nanosleep({0, 1000000000}, NULL)");
	R(sys2(SYS_nanosleep, (long)&(struct timespec){ 0, -1 }, 0), "nanosleep({0, -1}, NULL)");
	R(sys2(SYS_nanosleep, (long)&(struct timespec){ -1, 0 }, 0), "nanosleep({-1, 0}, NULL)");
	R(sys2(SYS_nanosleep, (long)&ts, 0), "nanosleep({0, 0}, NULL)");
	R(sys2(SYS_nanosleep, (long)&(struct timespec){ 0, 1000 }, 0xffff800000000000L),
	  "nanosleep({0, 1000}, rem 0xffff800000000000) (rem unused)");
	for (unsigned i = 0; i < NBAD; i++)
		R(sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, bad[i].p, 0),
		  "clock_nanosleep(CLOCK_MONOTONIC, 0, %s, NULL)", bad[i].name);
	R(sys4(SYS_clock_nanosleep, 99, 0, (long)&ts, 0), "clock_nanosleep(99, 0, {0, 0}, NULL)");
	R(sys4(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, (long)&ts, 0),
	  "clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, {0, 0}, NULL)");
	R(sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)&(struct timespec){ 0, 1000000000 },
	       0),
	  "clock_nanosleep(CLOCK_MONOTONIC, 0, {0, 1000000000}, NULL)");
	R(sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, (long)&ts, 0),
	  "clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {0, 0}, NULL) (in the past)");
	R(sys4(SYS_clock_nanosleep, CLOCK_REALTIME, 0, (long)&ts, 0),
	  "clock_nanosleep(CLOCK_REALTIME, 0, {0, 0}, NULL)");

	for (unsigned i = 1; i < NBAD; i++) /* not NULL */
		R(sys2(SYS_gettimeofday, bad[i].p, 0), "gettimeofday(%s, NULL)", bad[i].name);
	for (unsigned i = 1; i < NBAD; i++) /* not NULL */
		R(sys2(SYS_gettimeofday, 0, bad[i].p), "gettimeofday(NULL, %s)", bad[i].name);
	R(sys2(SYS_gettimeofday, 0, 0), "gettimeofday(NULL, NULL)");
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_clock_gettime, CLOCK_MONOTONIC, bad[i].p),
		  "clock_gettime(CLOCK_MONOTONIC, %s)", bad[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)*pages[i].p),
		  "clock_gettime(CLOCK_MONOTONIC, %s)", pages[i].name);
	R(sys2(SYS_clock_gettime, 99, (long)&ts), "clock_gettime(99, &ts)");
	R(sys2(SYS_clock_gettime, CLOCK_REALTIME, (long)&ts), "clock_gettime(CLOCK_REALTIME, &ts)");
	R(sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts),
	  "clock_gettime(CLOCK_MONOTONIC, &ts)");
	printf("  tv_nsec in [0, 1e9): %s\n", yes(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000));

	struct rlimit rl;
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_getrlimit, RLIMIT_NOFILE, bad[i].p), "getrlimit(RLIMIT_NOFILE, %s)",
		  bad[i].name);
	R(sys2(SYS_getrlimit, 99, (long)&rl), "getrlimit(99, &rl)");
	R(sys2(SYS_getrlimit, RLIMIT_NOFILE, (long)&rl), "getrlimit(RLIMIT_NOFILE, &rl)");
	printf("  RLIMIT_NOFILE: cur %lu, max %lu\n", (unsigned long)rl.rlim_cur,
	       (unsigned long)rl.rlim_max);
	R(sys2(SYS_getrlimit, RLIMIT_STACK, (long)&rl), "getrlimit(RLIMIT_STACK, &rl)");
	printf("  RLIMIT_STACK: cur %lu, max %s\n", (unsigned long)rl.rlim_cur,
	       rl.rlim_max == RLIM_INFINITY ? "RLIM_INFINITY" : "finite");
	R(sys2(SYS_getrlimit, RLIMIT_CORE, (long)&rl), "getrlimit(RLIMIT_CORE, &rl)");
	printf("  RLIMIT_CORE: cur %lu\n", (unsigned long)rl.rlim_cur);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, bad[i].p),
		  "prlimit64(0, RLIMIT_NOFILE, NULL, old = %s)", bad[i].name);
	for (unsigned i = 0; i < NBAD; i++)
		R(sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, bad[i].p, 0),
		  "prlimit64(0, RLIMIT_NOFILE, new = %s, NULL)", bad[i].name);
	R(sys4(SYS_prlimit64, 0, 99, 0, (long)&rl), "prlimit64(0, 99, NULL, &rl)");
	R(sys4(SYS_prlimit64, INT_MAX, RLIMIT_NOFILE, 0, (long)&rl),
	  "prlimit64(INT_MAX, RLIMIT_NOFILE, NULL, &rl)");
	R(sys4(SYS_prlimit64, pid, RLIMIT_NOFILE, 0, (long)&rl),
	  "prlimit64(self, RLIMIT_NOFILE, NULL, &rl)");
	struct rlimit inv = { 200, 100 };
	R(sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, (long)&inv, 0),
	  "prlimit64(0, RLIMIT_NOFILE, {cur 200 > max 100}, NULL)");

	printf("-- getcwd, umask, arch_prctl, set_tid_address, getrandom, personality\n");
	sys1(SYS_chdir, (long)"/");
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_getcwd, bad[i].p, 4096), "getcwd(%s, 4096)", bad[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys2(SYS_getcwd, (long)*pages[i].p, 4096), "getcwd(%s, 4096)", pages[i].name);
	R(sys2(SYS_getcwd, (long)buf, 0), "getcwd(buf, 0) (cwd \"/\")");
	R(sys2(SYS_getcwd, (long)buf, 1), "getcwd(buf, 1)");
	R(sys2(SYS_getcwd, (long)buf, 2), "getcwd(buf, 2)");
	R(sys2(SYS_getcwd, (long)buf, SIZE_MAX), "getcwd(buf, SIZE_MAX) (only 2 bytes written)");

	R_o(sys1(SYS_umask, 022), "umask(022)");
	R_o(sys1(SYS_umask, ~0L), "umask(~0)");
	R_o(sys1(SYS_umask, 022), "umask(022)");

	unsigned long fs = 0, gs = 1;
	for (unsigned i = 0; i < NBAD; i++)
		R(sys2(SYS_arch_prctl, ARCH_GET_FS, bad[i].p), "arch_prctl(ARCH_GET_FS, %s)",
		  bad[i].name);
	R(sys2(SYS_arch_prctl, ARCH_GET_FS, (long)&fs), "arch_prctl(ARCH_GET_FS, &fs)");
	unsigned long tp;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	printf("  fs base is the thread pointer (%%fs:0): %s\n", yes(fs == tp));
	R(sys2(SYS_arch_prctl, ARCH_GET_GS, (long)&gs), "arch_prctl(ARCH_GET_GS, &gs)");
	printf("  gs base: 0x%lx\n", gs);
	for (unsigned i = 1; i < NBAD; i++) /* not NULL */
		R(sys2(SYS_arch_prctl, ARCH_SET_FS, bad[i].p), "arch_prctl(ARCH_SET_FS, %s)",
		  bad[i].name);
	for (unsigned i = 1; i < NBAD; i++) /* not NULL */
		R(sys2(SYS_arch_prctl, ARCH_SET_GS, bad[i].p), "arch_prctl(ARCH_SET_GS, %s)",
		  bad[i].name);
	R(sys2(SYS_arch_prctl, ARCH_SET_GS, 0), "arch_prctl(ARCH_SET_GS, 0)");
	R(sys2(SYS_arch_prctl, 0, 0), "arch_prctl(0, 0)");
	R(sys2(SYS_arch_prctl, 0x1fff, (long)&fs), "arch_prctl(0x1fff, &fs)");

	for (unsigned i = 0; i < NBAD; i++)
		R(sys1(SYS_set_tid_address, bad[i].p) == pid,
		  "set_tid_address(%s) returns the tid (== getpid())", bad[i].name);
	static int tid_word;
	sys1(SYS_set_tid_address, (long)&tid_word);

	unsigned char rnd[32];
	for (unsigned i = 0; i < nranges; i++)
		if (!ranges[i].huge)
			R(sys3(SYS_getrandom, ranges[i].p, ranges[i].len, 0), "getrandom(%s, 0)",
			  ranges[i].name);
	for (unsigned i = 0; i < NPAGES; i++)
		R(sys3(SYS_getrandom, (long)*pages[i].p, 16, 0), "getrandom(%s, 16, 0)",
		  pages[i].name);
	R(sys3(SYS_getrandom, (long)rnd, 0, 0), "getrandom(buf, 0, 0)");
	R(sys3(SYS_getrandom, 0, 0, 0), "getrandom(NULL, 0, 0)");
	R(sys3(SYS_getrandom, (long)rnd, 16, 0x100), "getrandom(buf, 16, 0x100)");
	R(sys3(SYS_getrandom, (long)rnd, 16, GRND_RANDOM | 0x4),
	  "getrandom(buf, 16, GRND_RANDOM|GRND_INSECURE)");
	R(sys3(SYS_getrandom, (long)rnd, 16, 0x4), "getrandom(buf, 16, GRND_INSECURE)");
	R(sys3(SYS_getrandom, (long)rnd, 32, 0), "getrandom(buf, 32, 0)");

	R(sys1(SYS_personality, 0xffffffff), "personality(0xffffffff) (query)");
	R(sys1(SYS_personality, 0), "personality(0)");
	R(sys1(SYS_personality, 0xffffffff), "personality(0xffffffff)");
}

int main(int argc, char **argv)
{
	if (argc != 1) {
		printf("robust: unexpectedly run with argc %d (a bad execve succeeded?)\n", argc);
		return 2;
	}
	init_ranges();
	init_pages();
	sys1(SYS_umask, 022);
	ensure_tmp();
	sys1(SYS_unlink, (long)FILE_PATH);
	sys1(SYS_rmdir, (long)D "/sub");
	sys1(SYS_rmdir, (long)D);
	sys2(SYS_mkdir, (long)D, 0755);

	fd_file = sys3(SYS_open, (long)FILE_PATH, O_CREAT | O_RDWR | O_TRUNC, 0644);
	for (int i = 0; i < 10; i++)
		sys3(SYS_write, fd_file, (long)"0123456789", 10);
	sys3(SYS_lseek, fd_file, 0, SEEK_SET);
	fd_rdonly = sys3(SYS_open, (long)FILE_PATH, O_RDONLY, 0);
	fd_dir = sys3(SYS_open, (long)D, O_RDONLY | O_DIRECTORY, 0);
	fd_null = sys3(SYS_open, (long)"/dev/null", O_RDWR, 0);
	int p[2];
	sys2(SYS_pipe2, (long)p, O_NONBLOCK);
	pipe_r = p[0];
	pipe_w = p[1];
	printf("setup: file %ld, O_RDONLY file %ld, directory %ld, /dev/null %ld, pipe %ld %ld\n",
	       fd_file, fd_rdonly, fd_dir, fd_null, pipe_r, pipe_w);

	test_read_write();
	test_paths(argv[0]);
	test_fds();
	test_memory();
	test_signals();
	test_misc();

	sys1(SYS_unlink, (long)FILE_PATH);
	sys1(SYS_rmdir, (long)D);
	printf("robust: done\n");
	return 0;
}
