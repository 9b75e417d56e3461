/* mprotect: Linux's order of checks in mprotect and pkey_mprotect, and what a failing call has
 * already changed. The case numbers are those of the spec's conformance list
 * (../shared/spec/linux-semantics.md §5.1 argument checks, §5.2 range and partial semantics,
 * §5.3 GROWSDOWN/GROWSUP); lines without a number check one more step of §1's order.
 *
 * Every call is a raw syscall (musl's mprotect wrapper rounds the address down). A page's
 * protection is seen from user mode by three forked children that read it, write it and call it
 * (each page starts with 0xc3, "ret"): "rwx", "r--", "---" (a hole or PROT_NONE), with '?' for a
 * signal other than SIGSEGV. Addresses are never printed, only offsets in pages from a base.
 *
 * Nothing printed depends on whether the kernel merged adjacent VMAs, and no page is probed
 * right after an mprotect to exactly PROT_EXEC: on a CPU with PKU Linux gives such pages its
 * execute-only key and reads fault, without PKU they are readable. Cases left out: see
 * tests/user/README.md. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define P 4096UL
#define R PROT_READ
#define W PROT_WRITE
#define X PROT_EXEC
#define READ_IMPLIES_EXEC 0x0400000
#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif
#define FILE_PAGES 5

static long mp(char *addr, unsigned long len, unsigned long prot)
{
	return sys3(SYS_mprotect, (long)addr, (long)len, (long)prot);
}

static long pmp(char *addr, unsigned long len, unsigned long prot, long pkey)
{
	return sys4(SYS_pkey_mprotect, (long)addr, (long)len, (long)prot, pkey);
}

static volatile char *probe_addr;

static void do_read(void)
{
	(void)*probe_addr;
}

static void do_write(void)
{
	*probe_addr = (char)0xc3;
}

static void do_exec(void)
{
	((void (*)(void))probe_addr)();
}

/* 1 if the access worked in a child, 0 if SIGSEGV killed it, -1 for anything else. */
static int try_in_child(void (*fn)(void), char *addr)
{
	int st = -1;

	probe_addr = addr;
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		fn();
		_exit(0);
	}
	waitpid(p, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 1;
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
		return 0;
	return -1;
}

static char prot_char(int r, char c)
{
	return r == 1 ? c : r == 0 ? '-' : '?';
}

/* "what: rw- r-- ---": the protection of each of n pages from base, as user mode sees it. */
static void pages(const char *what, char *base, int n)
{
	char line[256];
	int k = 0;

	for (int i = 0; i < n; i++) {
		char *p = base + i * P;
		line[k++] = ' ';
		line[k++] = prot_char(try_in_child(do_read, p), 'r');
		line[k++] = prot_char(try_in_child(do_write, p), 'w');
		line[k++] = prot_char(try_in_child(do_exec, p), 'x');
	}
	line[k] = 0;
	printf("%s:%s\n", what, line);
}

/* n fresh private anonymous RW pages, each starting with "ret". */
static char *region(int n)
{
	char *m = mmap(NULL, n * P, R | W, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED) {
		printf("mmap of %d pages failed\n", n);
		exit(1);
	}
	for (int i = 0; i < n; i++)
		m[i * P] = (char)0xc3;
	return m;
}

/* An address with n free pages from it: mapped, then unmapped again. */
static char *hole(int n)
{
	char *m = mmap(NULL, n * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(m, n * P);
	return m;
}

static void argument_checks(void)
{
	char *m = region(2);
	char *unmapped = hole(1);

	printf("-- 5.1 argument checks\n");
	show("#1 mprotect(NULL, P+1, R)", mp(NULL, P + 1, R));
	show("#2 mprotect(m+1, 1024, R)", mp(m + 1, 1024, R));
	show("#4 mprotect(m, 0, 0x10)", mp(m, 0, 0x10));
	show("#4 mprotect(unmapped, 0, R)", mp(unmapped, 0, R));
	show("#4 mprotect(NULL, 0, R)", mp(NULL, 0, R));
	show("#5 mprotect(m+1, 0, R)", mp(m + 1, 0, R));
	show("#6 mprotect(m, 0, GROWSDOWN|GROWSUP)", mp(m, 0, PROT_GROWSDOWN | PROT_GROWSUP));
	show("#6 mprotect(m+1, P, R|GROWSDOWN|GROWSUP)",
	     mp(m + 1, P, R | PROT_GROWSDOWN | PROT_GROWSUP));
	show("#6 mprotect(m, ~0, GROWSDOWN|GROWSUP)", mp(m, ~0UL, PROT_GROWSDOWN | PROT_GROWSUP));
	show("#6 mprotect(m, 0, GROWSDOWN)", mp(m, 0, PROT_GROWSDOWN));
	show("#6 mprotect(m, 0, GROWSUP)", mp(m, 0, PROT_GROWSUP));
	show("#7 mprotect(m, -P, R)", mp(m, -P, R));
	show("#8 mprotect(m, ~0, 0x10)", mp(m, ~0UL, 0x10));
	show("#8 mprotect(-P, P, 0x10) (end wraps to 0)", mp((char *)-P, P, 0x10));
	show("#9 mprotect(m, P, 0x10 PROT_SAO)", mp(m, P, 0x10));
	show("#9 mprotect(m, P, 0x20)", mp(m, P, 0x20));
	show("#9 mprotect(m, P, R|1<<32)", mp(m, P, R | 1UL << 32));
	show("#9 mprotect(m, P, R|0x04000000)", mp(m, P, R | 0x04000000));
	pages("#9 m after the refused calls", m, 2);
	show("#10 mprotect(m, P, R|SEM)", mp(m, P, R | PROT_SEM));
	pages("#10 m", m, 2);
	show("#11 mprotect(unmapped, P, 0x10)", mp(unmapped, P, 0x10));
	show("#11 mprotect(NULL, P, 0x10)", mp(NULL, P, 0x10));
	show("#12 mprotect(0xffff800000000000, P, R)", mp((char *)0xffff800000000000UL, P, R));
	show("#12 mprotect(0x800000000000, P, R)", mp((char *)0x800000000000UL, P, R));
	show("#12 mprotect(vsyscall 0xffffffffff600000, P, R)",
	     mp((char *)0xffffffffff600000UL, P, R));
	show("#12 mprotect(unmapped, P, R)", mp(unmapped, P, R));
	show("mprotect(m, P, RW)", mp(m, P, R | W));
	show("#13 mprotect(m, 1, R)", mp(m, 1, R));
	pages("#13 m", m, 2);
	show("mprotect(m, P+1, PROT_NONE)", mp(m, P + 1, PROT_NONE));
	pages("m", m, 2);
	show("mprotect(m, 2P, R|W|X)", mp(m, 2 * P, R | W | X));
	pages("m", m, 2);
	munmap(m, 2 * P);
}

/* pkey_mprotect without protection keys in use (spec §1.2 step 9, §3.3, §3.6). */
static void pkey_checks(void)
{
	char *m = region(2);
	char *unmapped = hole(1);

	printf("-- pkey_mprotect (key -1 only; the key is checked before the range)\n");
	show("pkey_mprotect(m, P, R, -1)", pmp(m, P, R, -1));
	pages("m", m, 2);
	show("pkey_mprotect(m, P, RW, 0xffffffff) (an int: -1)", pmp(m, P, R | W, 0xffffffffL));
	show("pkey_mprotect(m, 2P, R, 0x1ffffffff) (an int: -1)", pmp(m, 2 * P, R, 0x1ffffffffL));
	pages("m", m, 2);
	show("pkey_mprotect(m, P, RW, -2)", pmp(m, P, R | W, -2));
	show("pkey_mprotect(m, P, RW, 1) (never allocated)", pmp(m, P, R | W, 1));
	show("pkey_mprotect(m, P, RW, 16)", pmp(m, P, R | W, 16));
	show("pkey_mprotect(m, P, RW, 0x7fffffff)", pmp(m, P, R | W, 0x7fffffff));
	pages("m after the refused calls", m, 2);
	show("pkey_mprotect(unmapped, P, R, -2)", pmp(unmapped, P, R, -2));
	show("pkey_mprotect(unmapped, P, R, 1)", pmp(unmapped, P, R, 1));
	show("pkey_mprotect(unmapped, P, R|GROWSUP, -1)", pmp(unmapped, P, R | PROT_GROWSUP, -1));
	show("pkey_mprotect(unmapped, P, R|GROWSUP, 1)", pmp(unmapped, P, R | PROT_GROWSUP, 1));
	show("pkey_mprotect(m, 0, R, -2)", pmp(m, 0, R, -2));
	show("pkey_mprotect(m+1, P, R, -2)", pmp(m + 1, P, R, -2));
	show("pkey_mprotect(m, ~0, R, -2)", pmp(m, ~0UL, R, -2));
	show("pkey_mprotect(m, P, 0x10, -2)", pmp(m, P, 0x10, -2));
	show("pkey_mprotect(m, P, GROWSDOWN|GROWSUP, -2)",
	     pmp(m, P, PROT_GROWSDOWN | PROT_GROWSUP, -2));
	munmap(m, 2 * P);
}

/* A file of FILE_PAGES pages of "ret" instructions. */
static void make_file(const char *path)
{
	static char buf[P];
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);

	memset(buf, 0xc3, sizeof(buf));
	for (int i = 0; i < FILE_PAGES; i++)
		if (write(fd, buf, P) != (long)P)
			printf("write of the test file failed\n");
	close(fd);
}

/* A VMA of n RW pages at addr with VM_GROWSDOWN, each page starting with "ret". */
static char *growsdown(char *addr, int n)
{
	char *g = mmap(addr, n * P, R | W, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED,
		       -1, 0);

	for (int i = 0; i < n; i++)
		g[i * P] = (char)0xc3;
	return g;
}

static void range_checks(const char *path)
{
	printf("-- 5.2 ranges and partial application\n");

	/* 14, 15: a hole at page 3 of 8 */
	char *m = region(8);
	munmap(m + 3 * P, P);
	show("#14 mprotect(m, 8P, R), page 3 unmapped", mp(m, 8 * P, R));
	pages("#14 m pages 0-7", m, 8);
	show("#15 mprotect(m+3P, 2P, R) (starts in the hole)", mp(m + 3 * P, 2 * P, R));
	pages("#15 m pages 3-5", m + 3 * P, 3);
	show("mprotect(m+4P, 4P, RW) (no change)", mp(m + 4 * P, 4 * P, R | W));
	show("mprotect(m+2P, 5P, R|X) (across the hole)", mp(m + 2 * P, 5 * P, R | X));
	pages("m pages 0-7", m, 8);
	munmap(m, 8 * P);

	/* 3, 16: MAP_SHARED of a file opened O_RDONLY has no VM_MAYWRITE */
	int rofd = open(path, O_RDONLY);
	char *s = mmap(NULL, P, R, MAP_SHARED, rofd, 0);
	show("#3 mprotect(shared ro-fd, P, W)", mp(s, P, W));
	show("#3 mprotect(shared ro-fd, P, RW)", mp(s, P, R | W));
	show("mprotect(shared ro-fd, P, R|X)", mp(s, P, R | X));
	pages("shared ro-fd", s, 1);
	show("mprotect(shared ro-fd, P, R)", mp(s, P, R));
	munmap(s, P);

	/* 3 as written: /dev/zero opened O_RDONLY, MAP_SHARED (the harness may lack /dev/zero) */
	mknod("/dev/zero", S_IFCHR | 0666, makedev(1, 5));
	int zfd = open("/dev/zero", O_RDONLY);
	s = mmap(NULL, P, R, MAP_SHARED, zfd, 0);
	show("#3 /dev/zero O_RDONLY MAP_SHARED: mprotect(W)", mp(s, P, W));
	pages("#3 /dev/zero page", s, 1);
	munmap(s, P);
	close(zfd);

	m = region(2); /* [anon RW][shared file page, fd O_RDONLY] */
	s = mmap(m + P, P, R, MAP_SHARED | MAP_FIXED, rofd, 0);
	printf("#16 shared page placed after the anonymous one: %s\n", s == m + P ? "yes" : "no");
	show("#16 mprotect(m, 2P, R|W|X)", mp(m, 2 * P, R | W | X));
	pages("#16 m", m, 2);
	munmap(m, 2 * P);

	m = region(2); /* [shared file page, fd O_RDONLY][anon RW]: the first VMA refuses */
	s = mmap(m, P, R, MAP_SHARED | MAP_FIXED, rofd, 0);
	show("mprotect([shared ro-fd][anon], 2P, R|W|X)", mp(m, 2 * P, R | W | X));
	pages("m", m, 2);
	show("mprotect([shared ro-fd][anon], 2P, R|X)", mp(m, 2 * P, R | X));
	pages("m", m, 2);
	munmap(m, 2 * P);

	/* 17: the range runs far past the end of the last VMA */
	m = region(2);
	munmap(m + P, P);
	show("#17 mprotect(m, 1<<46, R), nothing mapped after m", mp(m, 1UL << 46, R));
	pages("#17 m", m, 1);
	munmap(m, P);

	/* 18: a change that changes nothing does not split (seen through PROT_GROWSDOWN, which
	 * works from the start of the VMA) */
	m = hole(5);
	char *g = growsdown(m + P, 3);
	show("#18 mprotect(g+P, P, RW) on an RW growsdown VMA g of 3 pages", mp(g + P, P, R | W));
	show("#18 then mprotect(g+2P, P, R|GROWSDOWN)", mp(g + 2 * P, P, R | PROT_GROWSDOWN));
	pages("#18 g (one VMA: all r--)", g, 3);
	munmap(g, 3 * P);

	/* 19: MAP_PRIVATE of a file opened O_RDONLY may become writable (copy-on-write) */
	char *f = mmap(NULL, 2 * P, R, MAP_PRIVATE, rofd, 0);
	show("#19 mprotect(private ro-fd, 2P, RW)", mp(f, 2 * P, R | W));
	pages("#19 private ro-fd", f, 2);
	f[1] = 'x';
	unsigned char c = 0;
	pread(rofd, &c, 1, 1);
	printf("#19 written in the mapping: %c, in the file: %#x\n", f[1], c);
	munmap(f, 2 * P);
	close(rofd);

	/* 21: READ_IMPLIES_EXEC adds PROT_EXEC to PROT_READ in mprotect (VMAs with VM_MAYEXEC) */
	m = region(2);
	show("#21 personality(READ_IMPLIES_EXEC)", sys1(SYS_personality, READ_IMPLIES_EXEC));
	show("#21 mprotect(m, P, R)", mp(m, P, R));
	show("#21 mprotect(m+P, P, W)", mp(m + P, P, W));
	pages("#21 m", m, 2);
	show("#21 mprotect(m, 2P, RW)", mp(m, 2 * P, R | W));
	pages("#21 m", m, 2);
	show("#21 pkey_mprotect(m, P, R, -1)", pmp(m, P, R, -1));
	pages("#21 m", m, 1);
	show("#21 personality(0)", sys1(SYS_personality, 0));
	show("#21 mprotect(m, 2P, R) without it", mp(m, 2 * P, R));
	pages("#21 m", m, 2);
	munmap(m, 2 * P);

	/* 22: LTP mprotect05 (kernel bugzilla 217061) */
	int fd = open(path, O_RDWR);
	s = mmap(NULL, FILE_PAGES * P, R, MAP_SHARED, fd, 0);
	show("#22 mprotect(s+P, P, X)", mp(s + P, P, X));
	show("#22 mprotect(s+3P, P, W)", mp(s + 3 * P, P, W));
	show("#22 mprotect(s+P, 4P, R)", mp(s + P, 4 * P, R));
	pages("#22 s", s, FILE_PAGES);
	show("mprotect(s, 5P, RW) (fd O_RDWR)", mp(s, FILE_PAGES * P, R | W));
	pages("s", s, 2);
	munmap(s, FILE_PAGES * P);
	close(fd);
}

static void grows_checks(void)
{
	printf("-- 5.3 GROWSDOWN and GROWSUP\n");
	char *m = region(2);
	char *unmapped = hole(1);

	show("#23 mprotect(m, P, R|GROWSDOWN) (not a growsdown VMA)", mp(m, P, R | PROT_GROWSDOWN));
	show("#24 mprotect(m, P, R|GROWSUP)", mp(m, P, R | PROT_GROWSUP));
	show("#24 mprotect(m+P, 0x10, R|GROWSUP)", mp(m + P, 0x10, R | PROT_GROWSUP));
	show("#24 mprotect(unmapped, P, R|GROWSUP)", mp(unmapped, P, R | PROT_GROWSUP));
	show("mprotect(0xffff800000000000, P, R|GROWSDOWN) (no VMA above)",
	     mp((char *)0xffff800000000000UL, P, R | PROT_GROWSDOWN));
	pages("m after the refused calls", m, 2);
	munmap(m, 2 * P);

	/* [4 free pages][growsdown g: 4 pages][4 free pages], twice */
	char *h = hole(12);
	char *g = growsdown(h + 4 * P, 4);
	printf("growsdown VMA g placed: %s\n", g == h + 4 * P ? "yes" : "no");
	show("#25 mprotect(g+2P, P, R|GROWSDOWN)", mp(g + 2 * P, P, R | PROT_GROWSDOWN));
	pages("#25 g", g, 4);
	/* the upper part split off keeps VM_GROWSDOWN: PROT_GROWSDOWN starts at g+3P */
	show("mprotect(g+3P, P, R|X|GROWSDOWN)", mp(g + 3 * P, P, R | X | PROT_GROWSDOWN));
	pages("g", g, 4);
	munmap(g, 4 * P);

	g = growsdown(h + 4 * P, 4);
	show("#26 mprotect(g-2P, 3P, R|GROWSDOWN) (starts in the hole below)",
	     mp(g - 2 * P, 3 * P, R | PROT_GROWSDOWN));
	pages("#26 g", g, 4);
	show("mprotect(g-2P, 2P, R|GROWSDOWN) (ends where g starts)",
	     mp(g - 2 * P, 2 * P, R | PROT_GROWSDOWN));
	show("mprotect(g-2P, 3P, R) (starts in the hole)", mp(g - 2 * P, 3 * P, R));
	show("mprotect(g, P, RW|GROWSUP)", mp(g, P, R | W | PROT_GROWSUP));
	show("mprotect(g-P, 2P, RW|GROWSUP) (starts in the hole)",
	     mp(g - P, 2 * P, R | W | PROT_GROWSUP));
	pages("g after the refused calls", g, 4);
	show("mprotect(g+3P, 3P, R|X|GROWSDOWN) (from g+P, past the end into a hole)",
	     mp(g + 3 * P, 3 * P, R | X | PROT_GROWSDOWN));
	pages("g", g, 4);
	munmap(g, 4 * P);

	/* growsdown above a normal VMA n with a hole between */
	h = hole(6);
	char *n = mmap(h, P, R | W, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	g = growsdown(h + 3 * P, 2);
	n[0] = (char)0xc3;
	show("mprotect(n, 4P, R|GROWSDOWN) (n first: not growsdown)",
	     mp(n, 4 * P, R | PROT_GROWSDOWN));
	show("mprotect(n+P, 3P, R|GROWSDOWN) (from the hole above n)",
	     mp(n + P, 3 * P, R | PROT_GROWSDOWN));
	pages("n", n, 1);
	pages("g", g, 2);
	munmap(h, 6 * P);
}

/* 27: a fault below a growsdown VMA grows it, by any distance; seen in a child through
 * mprotect, which fails with ENOMEM on any unmapped page. */
static char *stack_vma;

static void grow_stack(void)
{
	char *g = stack_vma;

	show("#27 before: mprotect(g-P, P, RW)", mp(g - P, P, R | W));
	g[-P + 1] = 1;
	show("#27 after touching g-P+1: mprotect(g-P, P, RW)", mp(g - P, P, R | W));
	g[-300 * (long)P] = 1;
	show("#27 after touching g-300P: mprotect(g-300P, 300P, RW)",
	     mp(g - 300 * P, 300 * P, R | W));
	show("#27 mprotect(g-301P, P, RW)", mp(g - 301 * P, P, R | W));
	show("#27 mprotect(g-P, P, R|GROWSDOWN)", mp(g - P, P, R | PROT_GROWSDOWN));
	fflush(stdout);
}

static void growing_stack(void)
{
	printf("-- 5.3 stack growth\n");
	/* 4 MiB free: the VMA at the top, more than the 1 MiB guard gap below its lowest point */
	char *h = hole(1024);
	stack_vma = mmap(h + 1022 * P, 2 * P, R | W,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
	printf("#27 mmap(MAP_GROWSDOWN|MAP_FIXED) returns the address asked for: %s\n",
	       stack_vma == h + 1022 * P ? "yes" : "no");
	int r = try_in_child(grow_stack, NULL);
	printf("#27 child: %s\n", r == 1 ? "ok" : r == 0 ? "SIGSEGV" : "other");
	show("#27 in the parent (not grown): mprotect(g-P, P, RW)", mp(stack_vma - P, P, R | W));
	munmap(stack_vma, 2 * P);

	/* 28 (first half): an accessible VMA 100 pages below: no growth into the guard gap */
	stack_vma = mmap(h + 1022 * P, 2 * P, R | W,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
	char *n = mmap(h + 921 * P, P, R | W, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	r = try_in_child(do_write, stack_vma - P);
	printf("#28 touch g-P with an RW VMA 100 pages below: %s\n", r == 1   ? "ok"
								     : r == 0 ? "SIGSEGV"
									      : "other");
	/* 28 (second half): the neighbour made PROT_NONE no longer keeps the gap... */
	mprotect(n, P, PROT_NONE);
	r = try_in_child(do_write, stack_vma - P);
	printf("#28 the same with that VMA PROT_NONE: %s\n", r == 1 ? "ok" : r == 0 ? "SIGSEGV" : "other");
	/* ...and the stack may grow right up to it; touching it is still an access error */
	r = try_in_child(do_write, n + P);
	printf("#28 touch the page just above it: %s\n", r == 1 ? "ok" : r == 0 ? "SIGSEGV" : "other");
	r = try_in_child(do_write, n);
	printf("#28 touch the PROT_NONE page: %s\n", r == 1 ? "ok" : r == 0 ? "SIGSEGV" : "other");
	munmap(n, P);
	munmap(stack_vma, 2 * P);
}

int main(void)
{
	const char *path = "/tmp/mprotect.file";

	ensure_tmp();
	make_file(path);
	argument_checks();
	pkey_checks();
	range_checks(path);
	grows_checks();
	growing_stack();
	unlink(path);
	return 0;
}
