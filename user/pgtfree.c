/* pgtfree: munmap gives page-table pages back (issue 15, defect 5; Linux's free_pgtables).
 * - 102 400 cycles of map, touch, unmap of one page in each GiB of a 100 TiB range: each cycle
 *   needs a page directory and a page table (8 KiB); a kernel that keeps them runs out of
 *   memory (Warden did after ~32 000 cycles in 256 MiB), Linux finishes and MemFree comes back;
 * - and nothing more is freed than may be: a neighbour VMA in the same 2 MiB, 1 GiB or 512 GiB
 *   keeps its pages when the other goes, across munmap, mremap's move, MAP_FIXED over a partly
 *   mapped range, a hole punched in the middle of a VMA, and a child's exit. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define GIB (1UL << 30)
#define MIB2 (2UL << 20)
#define PAGE 4096UL
#define BASE 0x100000000000UL /* 16 TiB: the 100 TiB range ends at 116 TiB, below the stack */
#define CYCLES 102400UL /* one page in each GiB of 100 TiB */
#define TOLERANCE_KB 1024 /* MemFree moves a little for other reasons on Linux */

/* MemFree from /proc/meminfo in KiB, or -1. */
static long memfree_kb(void)
{
	char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strstr(buf, "MemFree:");
	return p ? strtol(p + 8, NULL, 10) : -1;
}

/* Maps len bytes of read-write anonymous memory exactly at addr (never over a mapping). */
static char *map_at(unsigned long addr, unsigned long len, int prot)
{
	long r = sys6(SYS_mmap, (long)addr, (long)len, prot,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	return is_err(r) ? NULL : (char *)r;
}

/* Maps, touches and unmaps one page in each of the first cycles GiB of the range; the count done.
 */
static unsigned long cycles(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		char *p = map_at(BASE + i * GIB, PAGE, PROT_READ | PROT_WRITE);
		if (!p)
			break;
		p[0] = (char)i;
		if (sys2(SYS_munmap, (long)p, PAGE))
			break;
	}
	return i;
}

/* Does reading addr fault (SIGSEGV), in a child? */
static int faults(volatile char *addr)
{
	pid_t pid = fork();

	if (pid == 0) {
		(void)*addr;
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
}

static const char *yesno(int b)
{
	return b ? "yes" : "no";
}

/* Two one-page VMAs dist apart, both written; one goes, the other keeps its data. */
static void neighbour(const char *what, unsigned long base, unsigned long dist, int drop_low)
{
	char *lo = map_at(base, PAGE, PROT_READ | PROT_WRITE);
	char *hi = map_at(base + dist, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);

	if (!lo || !hi) {
		printf("%s: mmap failed\n", what);
		return;
	}
	memset(lo, 0x11, PAGE);
	memset(hi, 0x22, PAGE);
	sys2(SYS_munmap, (long)(drop_low ? lo : hi), PAGE);
	char *keep = drop_low ? hi : lo;
	int c = drop_low ? 0x22 : 0x11;
	printf("issue15.5 %s: neighbour keeps its data: %s, the other faults: %s\n", what,
	       yesno(keep[0] == c && keep[PAGE - 1] == c), yesno(faults(drop_low ? lo : hi)));
	sys2(SYS_munmap, (long)keep, PAGE);
}

/* mremap moves a VMA away from a neighbour in the same 2 MiB; both keep their data. */
static void mremap_move(unsigned long base)
{
	char *stay = map_at(base, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);
	char *mv = map_at(base + 2 * PAGE, 3 * PAGE, PROT_READ | PROT_WRITE);

	memset(stay, 0x33, PAGE);
	for (int i = 0; i < 3; i++)
		memset(mv + i * PAGE, 0x40 + i, PAGE);
	long r = sys6(SYS_mremap, (long)mv, 3 * PAGE, 3 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		      (long)(base + 513 * GIB), 0);
	char *to = (char *)(base + 513 * GIB);
	printf("issue15.5 mremap move to another 512 GiB: %s, moved data intact: %s, neighbour "
	       "intact: %s, old range faults: %s\n",
	       is_err(r) ? errname((int)-r) : "ok",
	       yesno(!is_err(r) && to[0] == 0x40 && to[PAGE] == 0x41 && to[2 * PAGE] == 0x42),
	       yesno(stay[0] == 0x33), yesno(faults(mv)));
	/* And back next to the neighbour, over the range it left. */
	r = sys6(SYS_mremap, (long)to, 3 * PAGE, 3 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (long)mv,
		 0);
	printf("issue15.5 mremap back: %s, data intact: %s, neighbour intact: %s\n",
	       is_err(r) ? errname((int)-r) : "ok", yesno(!is_err(r) && mv[2 * PAGE] == 0x42),
	       yesno(stay[0] == 0x33));
	sys2(SYS_munmap, (long)base, 8 * PAGE);
}

/* MAP_FIXED over a partly mapped range that reaches into the next 2 MiB and 1 GiB. */
static void map_fixed_over(unsigned long base)
{
	unsigned long start = base + GIB - PAGE;
	char *a = map_at(start - PAGE, 2 * PAGE, PROT_READ | PROT_WRITE);

	memset(a, 0x55, 2 * PAGE);
	long r = sys6(SYS_mmap, (long)start, (long)(MIB2 + PAGE), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	char *n = (char *)start;
	printf("issue15.5 MAP_FIXED over a partly mapped range: %s, page below intact: %s, "
	       "replaced page zero: %s, new pages usable: %s\n",
	       is_err(r) ? errname((int)-r) : "ok", yesno(a[0] == 0x55 && a[PAGE - 1] == 0x55),
	       yesno(n[0] == 0), yesno((n[MIB2] = 7) == 7 && n[MIB2] == 7));
	sys2(SYS_munmap, (long)(start - PAGE), MIB2 + 2 * PAGE);
}

/* A hole in the middle of a VMA spanning three page tables: both ends keep their pages. */
static void hole(unsigned long base)
{
	unsigned long start = base + MIB2 - PAGE, len = MIB2 + 2 * PAGE;
	char *v = map_at(start, len, PROT_READ | PROT_WRITE);

	for (unsigned long off = 0; off < len; off += PAGE)
		v[off] = (char)(off / PAGE);
	sys2(SYS_munmap, (long)(v + PAGE), (long)(len - 2 * PAGE));
	printf("issue15.5 munmap of a hole in a VMA: ends intact: %s, hole faults: %s\n",
	       yesno(v[0] == 0 && v[len - PAGE] == (char)((len - PAGE) / PAGE)),
	       yesno(faults(v + MIB2)));
	sys2(SYS_munmap, (long)v, (long)len);
}

/* A child touches a page in each of 2000 GiB and exits: its tables come back. */
static void child_exit(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (unsigned long i = 0; i < 2000; i++) {
			char *p = map_at(BASE + i * GIB + PAGE, PAGE, PROT_READ | PROT_WRITE);
			if (!p)
				_exit(1);
			p[0] = 1;
		}
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("issue15.5 child with 2000 touched GiB: exit %d\n",
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	cycles(64); /* warm up: the first tables of the range, the allocator's caches */
	long before = memfree_kb();
	unsigned long done = cycles(CYCLES);
	long after = memfree_kb();
	printf("issue15.5 map/touch/unmap one page per GiB of 100 TiB: %lu of %lu cycles\n", done,
	       CYCLES);
	printf("issue15.5 MemFree back: %s\n", yesno(before > 0 && after >= before - TOLERANCE_KB));
	neighbour("same 2 MiB, lower goes", BASE, 2 * PAGE, 1);
	neighbour("same 2 MiB, upper goes", BASE + MIB2 - 2 * PAGE, PAGE, 0);
	neighbour("same 1 GiB, lower goes", BASE + MIB2 - PAGE, PAGE, 1);
	neighbour("same 1 GiB, upper goes", BASE, 4 * MIB2, 0);
	neighbour("same 512 GiB, lower goes", BASE + GIB - PAGE, PAGE, 1);
	neighbour("same 512 GiB, upper goes", BASE, 7 * GIB, 0);
	neighbour("next 512 GiB, upper goes", BASE + 512 * GIB - PAGE, PAGE, 0);
	mremap_move(BASE + 3 * GIB);
	map_fixed_over(BASE + 5 * GIB);
	hole(BASE + 9 * GIB);
	child_exit();
	long end = memfree_kb();
	printf("issue15.5 MemFree back after all: %s\n", yesno(end >= before - TOLERANCE_KB));
	return 0;
}
