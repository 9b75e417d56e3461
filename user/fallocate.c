/* fallocate: issue 21 item 5, fallocate(2) on tmpfs files as Linux 6.1 answers it: mode 0 and
 * FALLOC_FL_KEEP_SIZE allocate (st_blocks, st_size), PUNCH_HOLE|KEEP_SIZE zeroes the range and
 * frees its whole pages, the other modes EOPNOTSUPP; the checks in order (EBADF, EINVAL,
 * EOPNOTSUPP, EBADF for a read-only descriptor, ESPIPE, ENODEV, EFBIG), memfd seals (EPERM).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#define KEEP 0x01
#define PUNCH 0x02
#define NO_HIDE_STALE 0x04
#define COLLAPSE 0x08
#define ZERO 0x10
#define INSERT 0x20
#define UNSHARE 0x40

static long fa(int fd, int mode, long off, long len)
{
	return sys4(SYS_fallocate, fd, mode, off, len);
}

static void st(const char *what, int fd)
{
	struct stat s;
	fstat(fd, &s);
	printf("%s: size %lld blocks %lld\n", what, (long long)s.st_size, (long long)s.st_blocks);
}

int main(void)
{
	ensure_tmp();
	int fd = open("/tmp/fallocate", O_CREAT | O_RDWR | O_TRUNC, 0644);
	st("new file", fd);
	show("fallocate(0, 0, 10000)", fa(fd, 0, 0, 10000));
	st("after", fd);
	show("fallocate(KEEP_SIZE, 20000, 8192)", fa(fd, KEEP, 20000, 8192));
	st("after", fd);
	show("fallocate(0, 5000, 100): inside", fa(fd, 0, 5000, 100));
	st("after", fd);
	char buf[16384];
	memset(buf, 'x', sizeof buf);
	pwrite(fd, buf, sizeof buf, 0);
	st("16 KiB written", fd);
	show("fallocate(PUNCH|KEEP, 1000, 10000)", fa(fd, PUNCH | KEEP, 1000, 10000));
	st("after", fd);
	memset(buf, 0, sizeof buf);
	pread(fd, buf, sizeof buf, 0);
	int zeros = 0, first = -1, last = -1;
	for (int i = 0; i < (int)sizeof buf; i++)
		if (!buf[i]) {
			zeros++;
			if (first < 0)
				first = i;
			last = i;
		}
	printf("zero bytes: %d, from %d to %d\n", zeros, first, last);
	show("fallocate(PUNCH|KEEP, 100, 10): in one page", fa(fd, PUNCH | KEEP, 100, 10));
	pread(fd, buf, 200, 0);
	printf("bytes 99..110: %d %d %d %d\n", buf[99], buf[100], buf[109], buf[110]);
	show("fallocate(PUNCH|KEEP, 1 MiB, 4096): past the end", fa(fd, PUNCH | KEEP, 1 << 20, 4096));
	st("after", fd);

	/* modes */
	show("fallocate(PUNCH)", fa(fd, PUNCH, 0, 4096));
	show("fallocate(ZERO_RANGE)", fa(fd, ZERO, 0, 4096));
	show("fallocate(ZERO_RANGE|KEEP)", fa(fd, ZERO | KEEP, 0, 4096));
	show("fallocate(PUNCH|ZERO|KEEP)", fa(fd, PUNCH | ZERO | KEEP, 0, 4096));
	show("fallocate(COLLAPSE)", fa(fd, COLLAPSE, 0, 4096));
	show("fallocate(COLLAPSE|KEEP)", fa(fd, COLLAPSE | KEEP, 0, 4096));
	show("fallocate(INSERT)", fa(fd, INSERT, 0, 4096));
	show("fallocate(INSERT|KEEP)", fa(fd, INSERT | KEEP, 0, 4096));
	show("fallocate(UNSHARE)", fa(fd, UNSHARE, 0, 4096));
	show("fallocate(UNSHARE|KEEP)", fa(fd, UNSHARE | KEEP, 0, 4096));
	show("fallocate(UNSHARE|PUNCH|KEEP)", fa(fd, UNSHARE | PUNCH | KEEP, 0, 4096));
	show("fallocate(NO_HIDE_STALE)", fa(fd, NO_HIDE_STALE, 0, 4096));
	show("fallocate(0x80)", fa(fd, 0x80, 0, 4096));
	show("fallocate(-1)", fa(fd, -1, 0, 4096));

	/* arguments */
	show("fallocate(offset -1)", fa(fd, 0, -1, 4096));
	show("fallocate(len 0)", fa(fd, 0, 0, 0));
	show("fallocate(len -1)", fa(fd, 0, 0, -1));
	show("fallocate(len 0, mode 0x80)", fa(fd, 0x80, 0, 0));
	show("fallocate(offset + len wraps)", fa(fd, 0, 0x7fffffffffffffffL, 2));
	show("fallocate(offset + len = LLONG_MAX)", fa(fd, KEEP, 0x7fffffffffff0000L, 0xffff));
	show("fallocate(bad fd)", fa(999, 0, 0, 4096));
	show("fallocate(bad fd, len 0)", fa(999, 0, 0, 0));
	show("fallocate(-1 fd)", fa(-1, 0, 0, 4096));
	int ro = open("/tmp/fallocate", O_RDONLY);
	show("fallocate(read-only fd)", fa(ro, 0, 0, 4096));
	show("fallocate(read-only fd, mode 0x80)", fa(ro, 0x80, 0, 4096));
	int path = open("/tmp/fallocate", O_PATH);
	show("fallocate(O_PATH fd)", fa(path, 0, 0, 4096));
	int p[2];
	pipe(p);
	show("fallocate(pipe write end)", fa(p[1], 0, 0, 4096));
	show("fallocate(pipe read end)", fa(p[0], 0, 0, 4096));
	int null = open("/dev/null", O_WRONLY);
	show("fallocate(/dev/null)", fa(null, 0, 0, 4096));
	int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	show("fallocate(a directory)", fa(dir, 0, 0, 4096));
	int proc = open("/proc/sys/vm/max_map_count", O_WRONLY);
	show("fallocate(a /proc/sys file)", fa(proc, 0, 0, 4096));
	int ap = open("/tmp/fallocate", O_WRONLY | O_APPEND);
	show("fallocate(O_APPEND fd)", fa(ap, 0, 0, 8192));

	/* memfd seals */
	int m = (int)sys2(SYS_memfd_create, (long)"fa", MFD_ALLOW_SEALING);
	show("memfd fallocate(0, 0, 8192)", fa(m, 0, 0, 8192));
	st("memfd", m);
	fcntl(m, F_ADD_SEALS, F_SEAL_GROW);
	show("F_SEAL_GROW: fallocate inside", fa(m, 0, 0, 4096));
	show("F_SEAL_GROW: fallocate past the end", fa(m, 0, 4096, 8192));
	show("F_SEAL_GROW: KEEP_SIZE past the end", fa(m, KEEP, 4096, 8192));
	show("F_SEAL_GROW: punch", fa(m, PUNCH | KEEP, 0, 4096));
	fcntl(m, F_ADD_SEALS, F_SEAL_WRITE);
	show("F_SEAL_WRITE: punch", fa(m, PUNCH | KEEP, 0, 4096));
	show("F_SEAL_WRITE: fallocate inside", fa(m, 0, 0, 4096));

	/* a mapped file: the punched range reads zeros through the mapping */
	int mf = open("/tmp/fallocate-m", O_CREAT | O_RDWR | O_TRUNC, 0644);
	memset(buf, 'y', sizeof buf);
	write(mf, buf, sizeof buf);
	char *map = mmap(NULL, sizeof buf, PROT_READ, MAP_SHARED, mf, 0);
	show("mapped: punch 4096..12288", fa(mf, PUNCH | KEEP, 4096, 8192));
	printf("mapping at 0, 4096, 8192, 12288: %d %d %d %d\n", map[0], map[4096], map[8192], map[12288]);
	munmap(map, sizeof buf);
	unlink("/tmp/fallocate-m");
	unlink("/tmp/fallocate");
	return 0;
}
