/* vmlimit: RLIMIT_AS and RLIMIT_DATA as Linux 6.1's may_expand_vm enforces them (issue 15,
 * item 7 "limits": Warden enforced neither).
 * - RLIMIT_AS counts every mapping's pages: mmap ENOMEM past it (after mmap's own argument
 *   errors: EBADF, EINVAL, EACCES, EEXIST come first), MAP_FIXED counts the pages it replaces as
 *   given back, mremap growth ENOMEM, brk growth refused, stack growth past it SIGSEGV;
 * - RLIMIT_DATA counts private writable memory that is not a stack: read-only, shared and
 *   MAP_GROWSDOWN memory is free of it; mprotect making memory data is ENOMEM; mremap growth of
 *   data ENOMEM; a soft limit of 0 falls back to the hard limit for mmap (Valgrind's case) but
 *   not for brk (check_data_rlimit: brk fails, even to shrink);
 * - execve under a small RLIMIT_AS: the new image cannot be mapped and the process dies with
 *   SIGSEGV (past the point of no return); with room enough it runs.
 * The limits are set relative to what the program has mapped, summed from /proc/self/maps (all
 * mappings but [vsyscall], which is no VMA on Linux; data: "w" and "p" but not [stack]). Each
 * part runs in a forked child. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define P 4096L
#define INF (~0UL)
#define ARENA 0x300000000000UL

static char maps[1 << 16];

/* Pages mapped (data: only private writable non-stack ones), from /proc/self/maps. */
static unsigned long mapped_pages(int data)
{
	int fd = (int)sys3(SYS_open, (long)"/proc/self/maps", O_RDONLY, 0);
	long n = 0, r;
	unsigned long pages = 0;

	while ((r = sys3(SYS_read, fd, (long)maps + n, (long)sizeof(maps) - 1 - n)) > 0)
		n += r;
	sys1(SYS_close, fd);
	maps[n] = 0;
	for (char *line = maps; *line;) {
		char *end = strchr(line, '\n');
		unsigned long lo = strtoul(line, &line, 16), hi = strtoul(line + 1, &line, 16);
		char *perms = line + 1;
		int skip = strstr(line, "[vsyscall]") && (!end || strstr(line, "[vsyscall]") < end);
		int stack = strstr(line, "[stack]") && (!end || strstr(line, "[stack]") < end);
		if (!skip && (!data || (perms[1] == 'w' && perms[3] == 'p' && !stack)))
			pages += (hi - lo) / P;
		if (!end)
			break;
		line = end + 1;
	}
	return pages;
}

static long set_limit(int res, unsigned long cur, unsigned long max)
{
	struct rlimit64 r = { cur, max };
	return sys4(SYS_prlimit64, 0, res, (long)&r, 0);
}

static long mm(unsigned long addr, unsigned long len, int prot, int flags, int fd)
{
	return sys6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, 0);
}

#define RW (PROT_READ | PROT_WRITE)
#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)
#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

/* Item 7: RLIMIT_AS on mmap, munmap, MAP_FIXED, mremap and brk. */
static void as_limit(void)
{
	ensure_tmp();
	int ro = (int)sys3(SYS_open, (long)"/tmp/vmlimit.ro", O_RDWR | O_CREAT | O_TRUNC, 0600);
	sys2(SYS_ftruncate, ro, 4 * P);
	sys1(SYS_close, ro);
	ro = (int)sys3(SYS_open, (long)"/tmp/vmlimit.ro", O_RDONLY, 0);
	long brk0 = sys1(SYS_brk, 0);
	long a;

	show("setrlimit(RLIMIT_AS, mapped + 16 pages)",
	     set_limit(RLIMIT_AS, (mapped_pages(0) + 16) * (unsigned long)P, INF));
	show_ok("mmap 16 pages", a = mm(ARENA, 16 * P, RW, FIXED, -1));
	show("mmap 1 more page", mm(0, P, RW, PRIV, -1));
	show("mmap 1 more page, read-only", mm(0, P, PROT_READ, PRIV, -1));
	show("mmap 1 more page, shared", mm(0, P, RW, MAP_SHARED | MAP_ANONYMOUS, -1));
	show("mmap 1 more page, PROT_NONE MAP_NORESERVE",
	     mm(0, P, PROT_NONE, PRIV | MAP_NORESERVE, -1));
	/* mmap's own errors come first. */
	show("  at the limit: mmap len 0", mm(0, 0, RW, PRIV, -1));
	show("  at the limit: mmap of fd -1 without MAP_ANONYMOUS", mm(0, P, RW, MAP_PRIVATE, -1));
	show("  at the limit: MAP_FIXED at an unaligned address", mm(ARENA + 1, P, RW, FIXED, -1));
	show("  at the limit: MAP_SHARED PROT_WRITE of a read-only file",
	     mm(0, P, RW, MAP_SHARED, ro));
	show("  at the limit: MAP_FIXED_NOREPLACE on a mapping",
	     mm(ARENA, P, RW, PRIV | MAP_FIXED_NOREPLACE, -1));
	show("  at the limit: MAP_FIXED_NOREPLACE on free space",
	     mm(ARENA + 64 * P, P, RW, PRIV | MAP_FIXED_NOREPLACE, -1));
	show("  at the limit: no flags", mm(0, P, RW, MAP_ANONYMOUS, -1));
	/* MAP_FIXED over pages already mapped only counts the new ones. */
	show_ok("MAP_FIXED over 4 of its pages", mm(ARENA, 4 * P, PROT_READ, FIXED, -1));
	show("MAP_FIXED over 4 of its pages and 1 free one", mm(ARENA + 12 * P, 5 * P, RW, FIXED, -1));
	show_ok("MAP_FIXED of a file over 4 pages", mm(ARENA + 4 * P, 4 * P, PROT_READ,
						   MAP_PRIVATE | MAP_FIXED, ro));
	/* mremap growth. */
	show("mremap grow in place by 1 page", sys4(SYS_mremap, ARENA + 12 * P, 4 * P, 5 * P, 0));
	show("mremap grow, may move", sys4(SYS_mremap, ARENA + 12 * P, 4 * P, 5 * P, MREMAP_MAYMOVE));
	show("mremap same size, moved (MREMAP_FIXED)",
	     sys6(SYS_mremap, ARENA + 12 * P, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
		  ARENA + 32 * P, 0) == (long)(ARENA + 32 * P));
	show("mremap MREMAP_DONTUNMAP (keeps the old range)",
	     sys6(SYS_mremap, ARENA + 32 * P, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0, 0));
	show("mremap shrink by 2 pages", sys4(SYS_mremap, ARENA + 32 * P, 4 * P, 2 * P, 0) ==
						 (long)(ARENA + 32 * P));
	show("mremap grow by 2 pages again", sys4(SYS_mremap, ARENA + 32 * P, 2 * P, 4 * P, 0) ==
						    (long)(ARENA + 32 * P));
	show("mremap grow by 3 pages", sys4(SYS_mremap, ARENA + 32 * P, 4 * P, 7 * P, 0));
	/* brk growth is refused (brk returns the old break). */
	show("brk + 1 page refused", sys1(SYS_brk, brk0 + P) == brk0);
	show("munmap 4 pages", sys2(SYS_munmap, ARENA, 4 * P));
	show("brk + 1 page now", sys1(SYS_brk, brk0 + P) == brk0 + P);
	show("brk back", sys1(SYS_brk, brk0) == brk0);
	show_ok("mmap 3 pages", mm(0, 3 * P, RW, PRIV, -1));
	show("mmap 2 pages", mm(0, 2 * P, RW, PRIV, -1));
	show("setrlimit(RLIMIT_AS, 0)", set_limit(RLIMIT_AS, 0, INF));
	show("mmap 1 page under RLIMIT_AS 0", mm(0, P, RW, PRIV, -1));
	show("setrlimit(RLIMIT_AS, unlimited)", set_limit(RLIMIT_AS, INF, INF));
	show_ok("mmap 1 page", mm(0, P, RW, PRIV, -1));
}

/* Touches the stack 1 MiB below where it is: the stack must grow. */
static void __attribute__((noinline)) touch_deep_stack(void)
{
	volatile char *sp = __builtin_frame_address(0);
	sp[-(1L << 20)] = 1;
}

/* Item 7: stack growth within RLIMIT_STACK but past RLIMIT_AS: SIGSEGV. */
static void stack_as(void)
{
	set_limit(RLIMIT_AS, (mapped_pages(0) + 16) * (unsigned long)P, INF);
	touch_deep_stack();
	printf("stack grew past RLIMIT_AS\n");
}

static void stack_unlimited(void)
{
	touch_deep_stack();
	printf("stack grew 1 MiB without RLIMIT_AS\n");
}

/* Item 7: RLIMIT_DATA counts private writable non-stack memory. */
static void data_limit(void)
{
	long a, r;

	show("setrlimit(RLIMIT_DATA, data + 8 pages)",
	     set_limit(RLIMIT_DATA, (mapped_pages(1) + 8) * (unsigned long)P, INF));
	show_ok("mmap 8 private writable pages", mm(ARENA, 8 * P, RW, FIXED, -1));
	show("mmap 1 more", mm(0, P, RW, PRIV, -1));
	show("mmap 1 more, MAP_NORESERVE", mm(0, P, RW, PRIV | MAP_NORESERVE, -1));
	show_ok("mmap 16 read-only private pages", a = mm(ARENA + 16 * P, 16 * P, PROT_READ, FIXED, -1));
	show_ok("mmap 16 shared writable pages",
		mm(ARENA + 64 * P, 16 * P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1));
	show_ok("mmap 16 MAP_GROWSDOWN writable pages",
		mm(ARENA + 128 * P, 16 * P, RW, FIXED | MAP_GROWSDOWN, -1));
	show("mprotect 1 read-only page writable", sys3(SYS_mprotect, ARENA + 16 * P, P, RW));
	show("mprotect 1 read-only page PROT_EXEC", sys3(SYS_mprotect, ARENA + 16 * P, P,
							  PROT_READ | PROT_EXEC));
	show("mprotect 1 shared page read-only", sys3(SYS_mprotect, ARENA + 64 * P, P, PROT_READ));
	show("mprotect it writable again", sys3(SYS_mprotect, ARENA + 64 * P, P, RW));
	show("mremap grow the read-only mapping", sys4(SYS_mremap, ARENA + 17 * P, 15 * P,
						       19 * P, 0) == (long)(ARENA + 17 * P));
	show("mremap grow the writable mapping", sys4(SYS_mremap, ARENA, 8 * P, 9 * P, 0));
	show("munmap 2 writable pages", sys2(SYS_munmap, ARENA + 6 * P, 2 * P));
	show("mprotect 2 read-only pages writable", sys3(SYS_mprotect, ARENA + 17 * P, 2 * P, RW));
	show("mprotect 1 more", sys3(SYS_mprotect, ARENA + 20 * P, P, RW));
	/* A soft limit of 0 with a hard limit: mmap is held to the hard limit (Valgrind). */
	show("setrlimit(RLIMIT_DATA, 0 / unlimited)", set_limit(RLIMIT_DATA, 0, INF));
	show_ok("mmap 1 page", mm(0, P, RW, PRIV, -1));
	long brk0 = sys1(SYS_brk, 0);
	r = sys1(SYS_brk, brk0 + P);
	show("brk + 1 page under a soft limit of 0 (refused)", r == brk0);
	show("setrlimit(RLIMIT_DATA, 0 / 0)", set_limit(RLIMIT_DATA, 0, 0));
	show("mmap 1 page", mm(0, P, RW, PRIV, -1));
	show_ok("mmap 1 read-only page", mm(0, P, PROT_READ, PRIV, -1));
}

/* Item 7: brk's own rule applies before anything, even to a shrinking brk. */
static void brk_data(void)
{
	long brk0 = sys1(SYS_brk, 0);
	show("brk + 4 pages", sys1(SYS_brk, brk0 + 4 * P) == brk0 + 4 * P);
	show("setrlimit(RLIMIT_DATA, 0 / unlimited)", set_limit(RLIMIT_DATA, 0, INF));
	show("brk - 2 pages (refused)", sys1(SYS_brk, brk0 + 2 * P) == brk0 + 4 * P);
	show("setrlimit(RLIMIT_DATA, 64 MiB)", set_limit(RLIMIT_DATA, 64UL << 20, INF));
	show("brk - 2 pages", sys1(SYS_brk, brk0 + 2 * P) == brk0 + 2 * P);
	show("brk + 128 MiB (refused)", sys1(SYS_brk, brk0 + (128UL << 20)) == brk0 + 2 * P);
	show("brk + 1 MiB", sys1(SYS_brk, brk0 + (1UL << 20)) == brk0 + (1L << 20));
}

/* Item 7: execve of this program under RLIMIT_AS = limit; the wait status. */
static int exec_under_as(unsigned long limit, char *self)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *args[] = { self, "exec-check", NULL };
		set_limit(RLIMIT_AS, limit, limit);
		execve("/proc/self/exe", args, NULL);
		_exit(3);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	return st;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-check")) {
		printf("the new image runs\n");
		return 0;
	}
	printf("execve under RLIMIT_AS 0: status %#x\n", exec_under_as(0, argv[0]));
	printf("execve under RLIMIT_AS 64 KiB: status %#x\n", exec_under_as(64 << 10, argv[0]));
	printf("execve under RLIMIT_AS 100 MiB: status %#x\n", exec_under_as(100 << 20, argv[0]));
	printf("as: child status %d\n", child_status(as_limit));
	printf("stack growth without RLIMIT_AS: child status %d\n", child_status(stack_unlimited));
	int st = child_status(stack_as);
	printf("stack growth past RLIMIT_AS: %s\n",
	       WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "exited");
	printf("data: child status %d\n", child_status(data_limit));
	printf("brk: child status %d\n", child_status(brk_data));
	return 0;
}
