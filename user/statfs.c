/* statfs: issue 21 item 5, statfs and fstatfs as Linux 6.1 answers them: each file system's
 * magic number (the initramfs root and /tmp: tmpfs; /proc; pipes: pipefs; a timerfd: the
 * anonymous inodes), block size, name length and flags, tmpfs's block and inode counts as
 * relations (they depend on the RAM), and the errors (ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP,
 * EFAULT, EBADF; an O_PATH descriptor is fine).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#define BAD ((long)0x10)

static void yes(const char *what, int cond)
{
	printf("%s: %s\n", what, cond ? "yes" : "no");
}

static void describe(const char *what, long r, const struct statfs *s, int sizes)
{
	if (is_err(r)) {
		printf("%s: -1 %s\n", what, errname((int)-r));
		return;
	}
	printf("%s: type %#lx bsize %ld namelen %ld frsize %ld flags %#lx fsid %s\n", what,
	       (long)s->f_type, (long)s->f_bsize, (long)s->f_namelen, (long)s->f_frsize,
	       (long)s->f_flags, s->f_fsid.__val[0] || s->f_fsid.__val[1] ? "set" : "0");
	if (sizes)
		printf("  blocks > 0: %s, bfree <= blocks: %s, bavail == bfree: %s, files > 0: %s, ffree <= files: %s\n",
		       s->f_blocks > 0 ? "yes" : "no", s->f_bfree <= s->f_blocks ? "yes" : "no",
		       s->f_bavail == s->f_bfree ? "yes" : "no", s->f_files > 0 ? "yes" : "no",
		       s->f_ffree <= s->f_files ? "yes" : "no");
	else
		printf("  blocks %lu bfree %lu bavail %lu files %lu ffree %lu\n", (unsigned long)s->f_blocks,
		       (unsigned long)s->f_bfree, (unsigned long)s->f_bavail, (unsigned long)s->f_files,
		       (unsigned long)s->f_ffree);
}

static long st(const char *path, struct statfs *s)
{
	return sys2(SYS_statfs, (long)path, (long)s);
}

static long fst(int fd, struct statfs *s)
{
	return sys2(SYS_fstatfs, fd, (long)s);
}

int main(void)
{
	struct statfs s;
	ensure_tmp();
	describe("statfs(/)", st("/", &s), &s, 1);
	describe("statfs(/tmp)", st("/tmp", &s), &s, 1);
	describe("statfs(/proc)", st("/proc", &s), &s, 0);
	describe("statfs(/proc/self/maps)", st("/proc/self/maps", &s), &s, 0);
	describe("statfs(/proc/self)", st("/proc/self", &s), &s, 0);
	int p[2];
	pipe(p);
	describe("fstatfs(pipe)", fst(p[0], &s), &s, 0);
	int t = (int)sys2(SYS_timerfd_create, 1, 0);
	describe("fstatfs(timerfd)", fst(t, &s), &s, 0);
	int o = open("/proc", O_PATH);
	describe("fstatfs(O_PATH /proc)", fst(o, &s), &s, 0);
	int r = open("/", O_RDONLY);
	describe("fstatfs(/)", fst(r, &s), &s, 1);

	/* tmpfs counts what its files use */
	struct statfs a, b;
	st("/tmp", &a);
	int fd = open("/tmp/statfs-file", O_CREAT | O_RDWR | O_TRUNC, 0644);
	static char buf[1 << 20];
	memset(buf, 1, sizeof buf);
	write(fd, buf, sizeof buf);
	st("/tmp", &b);
	yes("a 1 MiB file: bfree fell by >= 256", a.f_bfree - b.f_bfree >= 256);
	yes("and by < 1024", a.f_bfree - b.f_bfree < 1024);
	yes("ffree fell by >= 1", a.f_ffree - b.f_ffree >= 1);
	close(fd);
	unlink("/tmp/statfs-file");
	st("/tmp", &b);
	yes("removed: bfree back within 16 blocks", (long)(a.f_bfree - b.f_bfree) < 16 && (long)(b.f_bfree - a.f_bfree) < 16);
	for (int i = 0; i < 10; i++) {
		char n[64];
		snprintf(n, sizeof n, "/tmp/statfs-%d", i);
		close(open(n, O_CREAT | O_WRONLY, 0644));
	}
	st("/tmp", &b);
	yes("10 files: ffree fell by 10", a.f_ffree - b.f_ffree == 10);
	for (int i = 0; i < 10; i++) {
		char n[64];
		snprintf(n, sizeof n, "/tmp/statfs-%d", i);
		unlink(n);
	}

	/* errors */
	describe("statfs(/nonexistent)", st("/nonexistent", &s), &s, 0);
	describe("statfs(\"\")", st("", &s), &s, 0);
	describe("statfs(/proc/self/maps/x)", st("/proc/self/maps/x", &s), &s, 0);
	describe("statfs(bad path)", sys2(SYS_statfs, BAD, (long)&s), &s, 0);
	describe("statfs(/, bad buf)", st("/", (void *)BAD), &s, 0);
	describe("statfs(/nonexistent, bad buf)", st("/nonexistent", (void *)BAD), &s, 0);
	char longname[300];
	memset(longname, 'a', sizeof longname);
	longname[0] = '/';
	longname[299] = 0;
	describe("statfs(a 298-byte name)", st(longname, &s), &s, 0);
	symlink("/tmp/statfs-loop", "/tmp/statfs-loop");
	describe("statfs(a symlink to itself)", st("/tmp/statfs-loop", &s), &s, 0);
	unlink("/tmp/statfs-loop");
	symlink("/nonexistent", "/tmp/statfs-dangling");
	describe("statfs(a dangling symlink)", st("/tmp/statfs-dangling", &s), &s, 0);
	unlink("/tmp/statfs-dangling");
	describe("fstatfs(-1)", fst(-1, &s), &s, 0);
	describe("fstatfs(999)", fst(999, &s), &s, 0);
	describe("fstatfs(/, bad buf)", fst(r, (void *)BAD), &s, 0);
	describe("fstatfs(999, bad buf)", fst(999, (void *)BAD), &s, 0);
	return 0;
}
