/* maps: /proc/self/maps and /proc/self/smaps, Linux 6.1's format, on the
 * program's own mappings in a fixed arena (MAP_FIXED at ARENA):
 *
 *   anonymous private RW (two of four pages written), PROT_NONE, read-only,
 *   RX, MAP_NORESERVE, MAP_GROWSDOWN, a RW page written and then made
 *   PROT_NONE, three pages split into three VMAs by an mprotect of the middle
 *   one, three pages split into two by a munmap of the middle one, a
 *   MAP_SHARED file mapping (one page written) split by a munmap of its
 *   middle page, a MAP_PRIVATE file mapping at a nonzero offset (both pages
 *   written: copy-on-write), a read-only one, and a file whose name has a
 *   newline and a space (maps escapes the newline as \012);
 *   the [heap] (grown with brk) and [stack] lines; the smaps blocks of the
 *   arena, and after fork() the same anonymous pages shared by two and three
 *   processes (Pss is 1/N of a page, in Linux's fixed point).
 *
 * Only what does not depend on the kernel or the machine is printed: arena
 * lines with their addresses replaced by the offset from ARENA (same width),
 * a file's device and inode replaced by "DD:DD INO" once they are checked
 * against stat() (the numbers differ between kernels), the column where the
 * name starts checked (73, Linux's seq_setwidth/seq_pad) and the line then
 * re-padded the same way around the replacements; [heap] and [stack] by their
 * fields and name column only (their addresses are random on Linux).
 *
 * Left out on purpose, with "full" as the argument to print them anyway (to
 * compare Linux and Warden by hand):
 *   - ProtectionKey: only there while the CPU has protection keys switched on
 *     (on Linux -cpu max, not qemu64);
 *   - Referenced in a forked child: Linux's fork makes the child's PTEs old.
 * Read faults of untouched anonymous pages are avoided (Linux maps its zero
 * page, which smaps does not count). Every mapping has a gap around it, so
 * nothing here merges (user/merge shows merging).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define ARENA 0x200000000000UL
#define ARENA_END (ARENA + 0x100000000UL)
#define P 4096UL
#define NAME_COL 73 /* 25 + 6 * sizeof(void *) - 1, then one space */

#define FILE1 "/tmp/maps.data"
#define FILE2 "/tmp/maps\nname x"

static int full; /* "full": print what differs between kernels too */

static char text[1 << 18], text2[1 << 18];
static long text_len;

/* Reads the whole of path with reads of chunk bytes into buf; its length. */
static long read_all(const char *path, char *buf, long size, long chunk)
{
	long fd = sys2(SYS_open, (long)path, O_RDONLY), len = 0, n;

	if (is_err(fd)) {
		printf("open %s: -1 %s\n", path, errname((int)-fd));
		exit(1);
	}
	while (len < size - 1 && (n = sys3(SYS_read, fd, (long)(buf + len),
					   chunk < size - 1 - len ? chunk : size - 1 - len)) > 0)
		len += n;
	sys1(SYS_close, fd);
	buf[len] = 0;
	return len;
}

/* One parsed maps line (or smaps header). */
struct line {
	unsigned long start, end, offset, ino;
	unsigned dev_major, dev_minor;
	int start_w, end_w; /* hex digits as printed */
	char perms[5], offset_s[20], dev_s[16];
	int prefix_len; /* up to and including the space after the inode */
	const char *name; /* NULL if unnamed */
	int name_len, name_col;
	int trailing_ok; /* unnamed: the line ends right after "ino " */
};

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Parses hex digits at *p; the width in *w. */
static unsigned long hex(const char **p, int *w)
{
	unsigned long v = 0;
	int n = 0;

	while (hexval(**p) >= 0) {
		v = v * 16 + (unsigned long)hexval(**p);
		(*p)++;
		n++;
	}
	if (w)
		*w = n;
	return v;
}

/* Parses a maps line starting at s (ending at '\n'); 0 if it is not one. */
static int parse_line(const char *s, struct line *l)
{
	const char *p = s, *q;
	int w;

	memset(l, 0, sizeof(*l));
	l->start = hex(&p, &l->start_w);
	if (!l->start_w || *p++ != '-')
		return 0;
	l->end = hex(&p, &l->end_w);
	if (!l->end_w || *p++ != ' ')
		return 0;
	memcpy(l->perms, p, 4);
	p += 4;
	if (*p++ != ' ')
		return 0;
	q = p;
	l->offset = hex(&p, &w);
	if (!w || w >= (int)sizeof(l->offset_s) || *p != ' ')
		return 0;
	memcpy(l->offset_s, q, (size_t)w);
	p++;
	q = p;
	l->dev_major = (unsigned)hex(&p, &w);
	if (!w || *p++ != ':')
		return 0;
	l->dev_minor = (unsigned)hex(&p, &w);
	if (!w || *p != ' ' || p - q >= (long)sizeof(l->dev_s))
		return 0;
	memcpy(l->dev_s, q, (size_t)(p - q));
	p++;
	for (w = 0; *p >= '0' && *p <= '9'; p++, w++)
		l->ino = l->ino * 10 + (unsigned long)(*p - '0');
	if (!w || *p++ != ' ')
		return 0;
	l->prefix_len = (int)(p - s);
	if (*p == '\n') {
		l->trailing_ok = 1;
		return 1;
	}
	while (*p == ' ')
		p++;
	l->name_col = (int)(p - s);
	l->name = p;
	while (*p && *p != '\n')
		p++;
	l->name_len = (int)(p - l->name);
	if (!l->name_len) /* trailing spaces and no name */
		l->name = NULL;
	return 1;
}

static int in_arena(const struct line *l)
{
	return l->start >= ARENA && l->end <= ARENA_END;
}

/* The column Linux starts the name at for a prefix of len characters. */
static int expected_col(int len)
{
	return len < NAME_COL - 1 ? NAME_COL : len + 1;
}

/* Prints an arena line: offsets for addresses, markers for a file's device and inode. */
static void print_arena_line(const struct line *l, const char *end)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%0*lx-%0*lx %s %s ", l->start_w, l->start - ARENA,
			 l->end_w, l->end - ARENA, l->perms, l->offset_s);

	if (!l->name) {
		n += snprintf(buf + n, sizeof buf - (size_t)n, "%s %lu ", l->dev_s, l->ino);
		printf("%s%s%s", buf, l->trailing_ok ? "" : "[not one trailing space]", end);
		return;
	}
	/* The file's name is one of ours: check its device and inode with stat(). */
	struct stat st;
	char name[64];
	int len = l->name_len < (int)sizeof name - 1 ? l->name_len : (int)sizeof name - 1;
	memcpy(name, l->name, (size_t)len);
	name[len] = 0;
	const char *path = !strcmp(name, FILE1)			   ? FILE1
			   : !strcmp(name, "/tmp/maps\\012name x") ? FILE2
								   : NULL;
	if (path && stat(path, &st) == 0 && major(st.st_dev) == l->dev_major &&
	    minor(st.st_dev) == l->dev_minor && st.st_ino == l->ino)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "DD:DD INO ");
	else
		n += snprintf(buf + n, sizeof buf - (size_t)n, "[dev:ino not the file's] ");
	if (l->name_col != expected_col(l->prefix_len))
		printf("[name at column %d, not %d] ", l->name_col, expected_col(l->prefix_len));
	printf("%-*s %.*s%s", NAME_COL - 1, buf, l->name_len, l->name, end);
}

/* The end of the line at s (its '\n' or NUL). */
static const char *eol(const char *s)
{
	while (*s && *s != '\n')
		s++;
	return s;
}

static const char *next_line(const char *s)
{
	s = eol(s);
	return *s ? s + 1 : s;
}

/* A [heap] or [stack] line: its fields and the name column. */
static void print_special(const struct line *l)
{
	printf("%.*s: %s %s %s %lu, name at column %d\n", l->name_len, l->name, l->perms,
	       l->offset_s, l->dev_s, l->ino, l->name_col);
}

static void show_maps(void)
{
	int arena = 0, heap = 0, stack = 0;
	struct line l;

	text_len = read_all("/proc/self/maps", text, sizeof text, sizeof text);
	printf("--- maps\n");
	for (const char *s = text; *s; s = next_line(s)) {
		if (!parse_line(s, &l)) {
			printf("unparsable line: %.*s\n", (int)(eol(s) - s), s);
			continue;
		}
		if (in_arena(&l)) {
			print_arena_line(&l, "\n");
			arena++;
		} else if (l.name && l.name_len == 6 && !memcmp(l.name, "[heap]", 6)) {
			print_special(&l);
			heap++;
		} else if (l.name && l.name_len == 7 && !memcmp(l.name, "[stack]", 7)) {
			print_special(&l);
			stack++;
		}
	}
	printf("arena lines: %d, [heap] lines: %d, [stack] lines: %d\n", arena, heap, stack);
	printf("ends with a newline: %s\n", text_len && text[text_len - 1] == '\n' ? "yes" : "no");

	/* The same bytes however the file is read. */
	long n1 = read_all("/proc/self/maps", text2, sizeof text2, 1);
	printf("1-byte reads give the same text: %s\n",
	       n1 == text_len && !memcmp(text, text2, (size_t)n1) ? "yes" : "no");
	long n2 = read_all("/proc/self/maps", text2, sizeof text2, 100);
	printf("100-byte reads give the same text: %s\n",
	       n2 == text_len && !memcmp(text, text2, (size_t)n2) ? "yes" : "no");
}

/* Prints one smaps field line, minus what differs between kernels (see the top). */
static void print_field(const char *s, const char *e, int child)
{
	int len = (int)(e - s);

	if (!full && len >= 14 && !memcmp(s, "ProtectionKey:", 14))
		return;
	if (!full && child && len >= 11 && !memcmp(s, "Referenced:", 11))
		return;
	printf("%.*s\n", len, s);
}

/*
 * Prints the smaps blocks of the arena (only the VMA starting at one of the
 * offsets in only[], if only is not NULL), and the VmFlags of [stack].
 */
static void show_smaps(const char *title, const unsigned long *only, int child)
{
	struct line l;
	int printing = 0, stack = 0, blocks = 0, same_headers = 1;

	read_all("/proc/self/smaps", text2, sizeof text2, sizeof text2);
	printf("--- %s\n", title);
	for (const char *s = text2; *s; s = next_line(s)) {
		const char *e = eol(s);
		if (parse_line(s, &l)) {
			printing = in_arena(&l);
			stack = l.name && l.name_len == 7 && !memcmp(l.name, "[stack]", 7);
			if (printing && only) {
				int want = 0;
				for (const unsigned long *o = only; *o != ~0UL; o++)
					want |= l.start - ARENA == *o;
				printing = want;
			}
			if (printing) {
				print_arena_line(&l, "\n");
				blocks++;
			}
			/* The header is the maps line (text holds the maps of show_maps()). */
			if (!child && !only) {
				const char *m = strstr(text, "\n");
				int found = !memcmp(text, s, (size_t)(e - s + 1));
				for (; !found && m && m[1]; m = strchr(m + 1, '\n'))
					found = !memcmp(m + 1, s, (size_t)(e - s + 1));
				same_headers &= found || !in_arena(&l);
			}
			continue;
		}
		if (printing)
			print_field(s, e, child);
		else if (stack && !only && e - s >= 8 && !memcmp(s, "VmFlags:", 8)) {
			printf("[stack] ");
			print_field(s, e, child);
		}
	}
	printf("blocks: %d\n", blocks);
	if (!child && !only)
		printf("arena headers are the maps lines: %s\n", same_headers ? "yes" : "no");
}

static void *map(unsigned long off, unsigned long len, int prot, int flags, long fd, long pgoff)
{
	long r = sys6(SYS_mmap, (long)(ARENA + off), (long)len, prot, flags | MAP_FIXED, fd,
		      pgoff * (long)P);
	if (is_err(r)) {
		printf("mmap at +%#lx: -1 %s\n", off, errname((int)-r));
		exit(1);
	}
	return (void *)r;
}

static long make_file(const char *path, unsigned long pages)
{
	static char page[P];
	long fd = sys3(SYS_open, (long)path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (unsigned long i = 0; i < pages; i++) {
		memset(page, 'a' + (int)i, sizeof page);
		sys3(SYS_write, fd, (long)page, (long)P);
	}
	return fd;
}

int main(int argc, char **argv)
{
	full = argc > 1 && !strcmp(argv[1], "full");
	ensure_tmp();
	sys1(SYS_umask, 022);

	char *a = map(0x0, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	a[0] = 1;
	a[P] = 2;
	map(0x10000, P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	map(0x20000, 2 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	map(0x30000, P, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	map(0x40000, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	map(0x50000, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1,
	    0);
	char *b = map(0x60000, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b[0] = 3;
	show("mprotect(written page, PROT_NONE)", sys3(SYS_mprotect, (long)b, P, PROT_NONE));
	char *c = map(0x70000, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	c[0] = c[P] = c[2 * P] = 4;
	show("mprotect(middle page, PROT_READ)", sys3(SYS_mprotect, (long)(c + P), P, PROT_READ));
	char *d = map(0x80000, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	d[0] = d[P] = d[2 * P] = 5;
	show("munmap(middle page)", sys2(SYS_munmap, (long)(d + P), P));

	long fd = make_file(FILE1, 4);
	char *f = map(0x90000, 3 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	f[0] = 'x';
	show("munmap(middle page of the shared file mapping)", sys2(SYS_munmap, (long)(f + P), P));
	char *g = map(0xa0000, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 1);
	g[0] = g[P] = 'y';
	map(0xb0000, P, PROT_READ, MAP_PRIVATE, fd, 3);
	long fd2 = make_file(FILE2, 1);
	map(0xc0000, P, PROT_READ, MAP_SHARED, fd2, 0);
	sys1(SYS_close, fd);
	sys1(SYS_close, fd2);

	long brk0 = sys1(SYS_brk, 0);
	long brk1 = sys1(SYS_brk, brk0 + 3 * (long)P);
	printf("brk grew by 3 pages: %s\n", brk1 == brk0 + 3 * (long)P ? "yes" : "no");
	*(char *)brk0 = 6;

	show_maps();
	show_smaps("smaps", NULL, 0);

	/* The anonymous pages shared with one child, then with two. */
	static const unsigned long shared[] = { 0x0, 0x60000, ~0UL };
	int pipefd[2];
	fflush(stdout);
	if (pipe(pipefd))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		show_smaps("smaps in a child (2 sharers)", shared, 1);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	pid_t sleeper = fork();
	if (sleeper == 0) {
		char ch;
		close(pipefd[1]);
		(void)!read(pipefd[0], &ch, 1);
		_exit(0);
	}
	pid = fork();
	if (pid == 0) {
		show_smaps("smaps in a child (3 sharers)", shared, 1);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	close(pipefd[1]);
	waitpid(sleeper, NULL, 0);

	/* Back to one sharer: the parent's pages are private again. */
	show_smaps("smaps after the children exited", shared, 0);

	sys1(SYS_unlink, (long)FILE1);
	sys1(SYS_unlink, (long)FILE2);
	return 0;
}
