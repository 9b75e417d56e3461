/* What mlock, mincore and the populate tests print about a range of their own
 * memory: its VMAs from /proc/self/smaps (page offsets from a base, perms, Rss,
 * Locked, VmFlags), its residency from mincore, and /proc/self/status fields.
 * Nothing printed is an address.
 */
#ifndef USER_RESIDENCY_H
#define USER_RESIDENCY_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "common.h"

#define PG 4096L

/* The whole of a /proc file, NUL-terminated, in a static buffer. */
static inline char *read_proc(const char *path)
{
	static char buf[1 << 18];
	int fd = open(path, O_RDONLY);
	long len = 0, r;

	if (fd < 0)
		return strcpy(buf, "");
	while ((r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += r;
	close(fd);
	buf[len] = 0;
	return buf;
}

/* Prints each VMA of /proc/self/smaps inside [base, base + pages * PG) as
 * "  pages A-B perms Rss N [LazyFree N] Locked N VmFlags ...", offsets in pages
 * from base (LazyFree only when there is some). */
static inline void show_vmas(const char *what, char *base, long pages)
{
	char *s = read_proc("/proc/self/smaps");
	unsigned long lo = (unsigned long)base, hi = lo + pages * PG;
	int in = 0;

	printf("%s:\n", what);
	for (char *line = s; line && *line;) {
		char *nl = strchr(line, '\n');
		unsigned long a, b;
		char perms[8];

		if (nl)
			*nl = 0;
		if (sscanf(line, "%lx-%lx %7s", &a, &b, perms) == 3 && strchr(line, ' ') &&
		    line[strspn(line, "0123456789abcdef")] == '-') {
			in = a >= lo && b <= hi;
			if (in)
				printf("  pages %ld-%ld %s", (long)(a - lo) / PG, (long)(b - lo) / PG - 1,
				       perms);
		} else if (in && !strncmp(line, "Rss:", 4)) {
			printf(" Rss %ld", strtol(line + 4, NULL, 10));
		} else if (in && !strncmp(line, "LazyFree:", 9) && strtol(line + 9, NULL, 10)) {
			printf(" LazyFree %ld", strtol(line + 9, NULL, 10));
		} else if (in && !strncmp(line, "Locked:", 7)) {
			printf(" Locked %ld", strtol(line + 7, NULL, 10));
		} else if (in && !strncmp(line, "VmFlags:", 8)) {
			printf(" VmFlags:%s\n", line + 8);
		}
		line = nl ? nl + 1 : NULL;
	}
}

/* "what: 1101" from mincore of pages pages at p, or the error. */
static inline void show_mincore(const char *what, void *p, long pages)
{
	unsigned char vec[4096];
	long r = sys3(SYS_mincore, (long)p, pages * PG, (long)vec);

	if (is_err(r)) {
		printf("%s: -1 %s\n", what, errname((int)-r));
		return;
	}
	printf("%s: ", what);
	for (long i = 0; i < pages; i++)
		printf("%d", vec[i]);
	printf("\n");
}

/* The value in kB of a /proc/self/status field such as "VmLck". */
static inline long status_kb(const char *field)
{
	char *s = read_proc("/proc/self/status"), key[64];

	snprintf(key, sizeof(key), "\n%s:", field);
	char *at = strstr(s, key);
	return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* pages pages of private anonymous memory with prot and extra mmap flags,
 * between two guard pages of shared anonymous memory, which never merge with
 * anything: what the tests print of the range depends on nothing else. */
static inline char *anon(long pages, int prot, int flags)
{
	char *g = mmap(NULL, (pages + 2) * PG, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (g == MAP_FAILED)
		return g;
	return mmap(g + PG, pages * PG, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | flags, -1,
		    0);
}

#endif
