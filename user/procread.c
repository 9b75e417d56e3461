/* procread: when a /proc file's text is made. Linux makes it at read time (seq_read_iter), not at
 * open: a mapping made between open() and the first read() shows in /proc/self/maps, a read from
 * offset 0 (pread, or lseek to 0) makes the text again, and a read further on continues the text
 * of the last read from 0. musl's fopen opens before it mallocs its FILE (which may map memory),
 * so counting the lines of /proc/self/maps with stdio depends on this (user/pthread_stack). The
 * program prints line counts and whether a marked mapping's range appears, never addresses. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

static char text[65536];

/* Does the text hold a line for the mapping at p (its start address in maps's format)? */
static const char *shows(const char *t, void *p)
{
	char start[32];
	snprintf(start, sizeof start, "%lx-", (unsigned long)(uintptr_t)p);
	for (const char *l = t; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "")
		if (!strncmp(l, start, strlen(start)))
			return "yes";
	return "no";
}

static int lines(const char *t)
{
	int n = 0;
	for (; *t; t++)
		n += *t == '\n';
	return n;
}

/* Maps 3 pages PROT_READ with the middle one PROT_NONE, so it is 3 VMAs of its own. */
static void *mark(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(p + 4096, 4096, PROT_NONE);
	return p;
}

int main(void)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	void *a = mark();
	ssize_t n = read(fd, text, sizeof text - 1);
	text[n > 0 ? n : 0] = 0;
	int base = lines(text) - 3;
	printf("mapping made after open, before the first read: shown %s\n", shows(text, a));

	void *b = mark();
	n = read(fd, text, sizeof text - 1);
	printf("read at the end after another mapping: %zd\n", n);
	n = pread(fd, text, sizeof text - 1, 0);
	text[n > 0 ? n : 0] = 0;
	printf("pread at 0: the new mapping shown %s, lines %+d\n", shows(text, b), lines(text) - base);

	munmap(a, 3 * 4096);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, text, sizeof text - 1);
	text[n > 0 ? n : 0] = 0;
	printf("after munmap and lseek to 0: the old mapping shown %s, lines %+d\n", shows(text, a),
	       lines(text) - base);

	/* /proc/self/status: made at read too (VmSize changes with the mapping). */
	int st = open("/proc/self/status", O_RDONLY);
	void *c = mmap(NULL, 1 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char before[8192], after[8192];
	n = read(st, before, sizeof before - 1);
	before[n > 0 ? n : 0] = 0;
	munmap(c, 1 << 20);
	n = pread(st, after, sizeof after - 1, 0);
	after[n > 0 ? n : 0] = 0;
	long vb = 0, va = 0;
	char *p = strstr(before, "VmSize:"), *q = strstr(after, "VmSize:");
	if (p && q) {
		sscanf(p, "VmSize: %ld", &vb);
		sscanf(q, "VmSize: %ld", &va);
	}
	printf("status VmSize read after a 1 MiB mmap made after open, then again after munmap: "
	       "%ld kB less\n", vb - va);
	close(st);
	close(fd);
	return 0;
}
