/* madvise: Linux 6.1's argument checks in their order, what MADV_DONTNEED does
 * to private anonymous memory, to a private file mapping (written and not) and
 * to a shared file mapping, the advice that only sets VMA flags (and so splits
 * and merges VMAs, counted in /proc/self/maps), holes (ENOMEM after the rest
 * got the advice) and unknown advice (EINVAL).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "common.h"

#define PG 4096L

static long madv(void *p, long len, long advice)
{
	return sys3(SYS_madvise, (long)p, len, advice);
}

/* How many lines of /proc/self/maps lie inside [lo, hi). */
static int vmas_in(char *lo, char *hi)
{
	char buf[16384];
	int fd = open("/proc/self/maps", O_RDONLY), n = 0;
	long len = 0, r;

	while ((r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += r;
	close(fd);
	buf[len] = 0;
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		unsigned long s, e;

		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s >= (unsigned long)lo &&
		    e <= (unsigned long)hi)
			n++;
	}
	return n;
}

static void errors(char *p)
{
	printf("-- argument checks, in Linux's order\n");
	show("madvise(p, 4096, 9999)", madv(p, PG, 9999));
	show("madvise(p, 4096, -1)", madv(p, PG, -1));
	show("madvise(p, 4096, 7)", madv(p, PG, 7));
	show("madvise(p, 4096, 26)", madv(p, PG, 26));
	show("madvise(p + 1, 4096, 9999)", madv(p + 1, PG, 9999));
	show("madvise(p + 1, 4096, MADV_NORMAL)", madv(p + 1, PG, MADV_NORMAL));
	show("madvise(p + 1, 0, MADV_NORMAL)", madv(p + 1, 0, MADV_NORMAL));
	show("madvise(p, -1, MADV_NORMAL)", madv(p, -1, MADV_NORMAL));
	show("madvise(p, -4096, MADV_NORMAL)", madv(p, -PG, MADV_NORMAL));
	show("madvise(p, 1L << 62, MADV_NORMAL)", madv(p, 1L << 62, MADV_NORMAL));
	show("madvise(-4096, 8192, MADV_NORMAL)", madv((void *)-PG, 2 * PG, MADV_NORMAL));
	show("madvise(p, 0, MADV_NORMAL)", madv(p, 0, MADV_NORMAL));
	show("madvise(NULL, 0, MADV_DONTNEED)", madv(NULL, 0, MADV_DONTNEED));
	show("madvise(NULL, 4096, MADV_NORMAL)", madv(NULL, PG, MADV_NORMAL));
	show("madvise(NULL, 4096, MADV_DONTNEED)", madv(NULL, PG, MADV_DONTNEED));
	show("madvise(1 << 46, 4096, MADV_WILLNEED)", madv((void *)(1L << 46), PG, MADV_WILLNEED));
	show("madvise(kernel address, 4096, MADV_NORMAL)",
	     madv((void *)0xffff800000000000UL, PG, MADV_NORMAL));
	show("madvise(p, 4096, MADV_FREE) on a file mapping", madv(p, PG, MADV_FREE));
	show("madvise(p, 1, MADV_NORMAL)", madv(p, 1, MADV_NORMAL));
}

static void dontneed_anon(void)
{
	char *a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	printf("-- MADV_DONTNEED, private anonymous\n");
	memset(a, 'A', 4 * PG);
	show("madvise(a + 4096, 8192, MADV_DONTNEED)", madv(a + PG, 2 * PG, MADV_DONTNEED));
	printf("bytes: %c %d %d %d %c\n", a[0], a[PG], a[2 * PG], a[3 * PG - 1], a[3 * PG]);
	a[PG] = 'B';
	printf("written again: %c\n", a[PG]);
	show("madvise(a, 4096, MADV_FREE)", madv(a, PG, MADV_FREE));
	printf("after MADV_FREE: %c\n", a[0]);
	mprotect(a, 4 * PG, PROT_NONE);
	show("madvise(PROT_NONE range, MADV_DONTNEED)", madv(a, 4 * PG, MADV_DONTNEED));
	mprotect(a, 4 * PG, PROT_READ);
	printf("after PROT_NONE and DONTNEED: %d %d\n", a[0], a[3 * PG]);
	munmap(a, 4 * PG);
}

static void dontneed_file(void)
{
	char page[PG];
	int fd;

	printf("-- MADV_DONTNEED, file mappings\n");
	ensure_tmp();
	fd = open("/tmp/madvise-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	memset(page, 'f', PG);
	write(fd, page, PG);
	memset(page, 'g', PG);
	write(fd, page, PG);

	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	p[0] = 'P';
	p[PG + 1] = 'Q';
	printf("private, written: %c %c %c\n", p[0], p[1], p[PG + 1]);
	show("madvise(private, 4096, MADV_DONTNEED)", madv(p, PG, MADV_DONTNEED));
	printf("private, after DONTNEED of page 0: %c %c %c\n", p[0], p[1], p[PG + 1]);
	pwrite(fd, "z", 1, 0); /* seen only by a page that comes from the file again */
	show("madvise(private, 8192, MADV_DONTNEED)", madv(p, 2 * PG, MADV_DONTNEED));
	printf("private, after DONTNEED of both: %c %c\n", p[0], p[PG + 1]);
	munmap(p, 2 * PG);

	char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	s[0] = 'S';
	show("madvise(shared, 8192, MADV_DONTNEED)", madv(s, 2 * PG, MADV_DONTNEED));
	pread(fd, page, 1, 0);
	printf("shared, after DONTNEED: %c, file: %c\n", s[0], page[0]);
	show("madvise(shared, 4096, MADV_FREE)", madv(s, PG, MADV_FREE));
	show("madvise(shared, 4096, MADV_COLD)", madv(s, PG, MADV_COLD));
	show("madvise(shared, 4096, MADV_PAGEOUT)", madv(s, PG, MADV_PAGEOUT));
	printf("shared, after COLD and PAGEOUT: %c\n", s[0]);
	errors(s);
	munmap(s, 2 * PG);
	close(fd);
	unlink("/tmp/madvise-file");
}

static void flags_and_holes(void)
{
	char *a = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static const struct {
		const char *name;
		int advice;
	} hints[] = {
		{ "MADV_RANDOM", MADV_RANDOM },	      { "MADV_SEQUENTIAL", MADV_SEQUENTIAL },
		{ "MADV_NORMAL", MADV_NORMAL },	      { "MADV_HUGEPAGE", MADV_HUGEPAGE },
		{ "MADV_NOHUGEPAGE", MADV_NOHUGEPAGE }, { "MADV_DONTDUMP", MADV_DONTDUMP },
		{ "MADV_DODUMP", MADV_DODUMP },	      { "MADV_WILLNEED", MADV_WILLNEED },
		{ "MADV_COLD", MADV_COLD },	      { "MADV_PAGEOUT", MADV_PAGEOUT },
	};
	char what[96];

	printf("-- advice that sets VMA flags: splits and merges\n");
	a[0] = 1;
	for (unsigned i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		snprintf(what, sizeof(what), "madvise(a + 2 pages, 2 pages, %s)", hints[i].name);
		show(what, madv(a + 2 * PG, 2 * PG, hints[i].advice));
		printf("  VMAs: %d\n", vmas_in(a, a + 8 * PG));
	}
	show("madvise(a, 8 pages, MADV_NOHUGEPAGE)", madv(a, 8 * PG, MADV_NOHUGEPAGE));
	printf("  VMAs: %d\n", vmas_in(a, a + 8 * PG));
	show("madvise(a, 8 pages, MADV_NORMAL)", madv(a, 8 * PG, MADV_NORMAL));
	show("madvise(a, 8 pages, MADV_HUGEPAGE)", madv(a, 8 * PG, MADV_HUGEPAGE));
	printf("  VMAs: %d\n", vmas_in(a, a + 8 * PG));

	printf("-- holes\n");
	memset(a, 'h', 8 * PG);
	munmap(a + 3 * PG, PG);
	show("madvise(a, 8 pages with a hole, MADV_DONTNEED)", madv(a, 8 * PG, MADV_DONTNEED));
	printf("both sides dropped: %d %d\n", a[0], a[7 * PG]);
	memset(a, 'h', 3 * PG);
	show("madvise(a + 3 pages, 1 page: only the hole, MADV_DONTNEED)",
	     madv(a + 3 * PG, PG, MADV_DONTNEED));
	show("madvise(a + 3 pages, 2 pages: hole then VMA, MADV_RANDOM)",
	     madv(a + 3 * PG, 2 * PG, MADV_RANDOM));
	printf("  VMAs: %d\n", vmas_in(a, a + 8 * PG));
	show("madvise(a + 7 pages, 2 pages: VMA then end, MADV_WILLNEED)",
	     madv(a + 7 * PG, 2 * PG, MADV_WILLNEED));
	printf("kept: %c\n", a[0]);
	munmap(a, 8 * PG);
}

int main(void)
{
	dontneed_anon();
	dontneed_file();
	flags_and_holes();
	return 0;
}
