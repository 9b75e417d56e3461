/* mlock: mlock, mlock2 (MLOCK_ONFAULT), munlock, mlockall (MCL_CURRENT,
 * MCL_FUTURE, MCL_ONFAULT) and munlockall as Linux 6.1 does them: the VMAs they
 * split and merge (VmFlags "lo"), what they fault in (mincore, Rss, Locked),
 * VmLck in /proc/self/status, MAP_LOCKED, locked memory through mprotect,
 * mremap, madvise, brk and fork, and the errors in Linux's order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "residency.h"

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

static long vmlck0; /* VmLck at the start: the program's own locked memory, none */

static void vmlck(const char *when)
{
	printf("VmLck %s: %ld kB more\n", when, status_kb("VmLck") - vmlck0);
}

static void split_merge(void)
{
	char *a = anon(6, PROT_READ | PROT_WRITE, 0);

	printf("-- mlock and munlock split and merge\n");
	show("mlock(a + 2 pages, 1 page)", sys2(SYS_mlock, (long)(a + 2 * PG), PG));
	show_vmas("one page locked", a, 6);
	show_mincore("resident", a, 6);
	vmlck("after one page");
	show("mlock(a + 3 pages + 100, 1) (rounded to the page)",
	     sys2(SYS_mlock, (long)(a + 3 * PG + 100), 1));
	show_vmas("its neighbour joins it", a, 6);
	show("mlock(a + 1 page, 4 pages)", sys2(SYS_mlock, (long)(a + PG), 4 * PG));
	show_vmas("pages 1-4", a, 6);
	vmlck("after pages 1-4");
	show("mprotect(a + 2 pages, 1 page, PROT_READ)",
	     sys3(SYS_mprotect, (long)(a + 2 * PG), PG, PROT_READ));
	show_vmas("mprotect keeps the lock", a, 6);
	show("mprotect(a + 2 pages, 1 page, PROT_READ | PROT_WRITE)",
	     sys3(SYS_mprotect, (long)(a + 2 * PG), PG, PROT_READ | PROT_WRITE));
	show("munlock(a + 2 pages, 2 pages)", sys2(SYS_munlock, (long)(a + 2 * PG), 2 * PG));
	show_vmas("pages 2-3 unlocked", a, 6);
	vmlck("after munlock of 2");
	show("munlock(a, 6 pages)", sys2(SYS_munlock, (long)a, 6 * PG));
	show_vmas("all unlocked: one VMA again", a, 6);
	vmlck("after munlock of all");
	show("madvise(a, 1 page, MADV_DONTNEED)", sys3(SYS_madvise, (long)a, PG, MADV_DONTNEED));
	show("mlock(a, 1 page)", sys2(SYS_mlock, (long)a, PG));
	show("madvise(locked, MADV_DONTNEED)", sys3(SYS_madvise, (long)a, PG, MADV_DONTNEED));
	show("madvise(locked, MADV_FREE)", sys3(SYS_madvise, (long)a, PG, MADV_FREE));
	show("madvise(locked, MADV_COLD)", sys3(SYS_madvise, (long)a, PG, MADV_COLD));
	show("madvise(locked, MADV_PAGEOUT)", sys3(SYS_madvise, (long)a, PG, MADV_PAGEOUT));
	show("madvise(locked, MADV_DONTNEED_LOCKED)", sys3(SYS_madvise, (long)a, PG, 24));
	show_mincore("after MADV_DONTNEED_LOCKED", a, 2);
	show("munmap(a, 6 pages)", sys2(SYS_munmap, (long)a, 6 * PG));
	vmlck("after munmap");
}

static void kinds(void)
{
	printf("-- what mlock faults in\n");
	char *r = anon(3, PROT_READ, 0);
	show("mlock(read-only anonymous, 3 pages)", sys2(SYS_mlock, (long)r, 3 * PG));
	show_vmas("read-only: zero pages, not counted", r, 3);
	show_mincore("resident", r, 3);
	char *n = anon(3, PROT_NONE, 0);
	show("mlock(PROT_NONE, 3 pages)", sys2(SYS_mlock, (long)n, 3 * PG));
	show_vmas("PROT_NONE: locked all the same", n, 3);
	show_mincore("resident", n, 3);
	char *w = anon(3, PROT_WRITE, 0);
	show("mlock(PROT_WRITE only, 3 pages)", sys2(SYS_mlock, (long)w, 3 * PG));
	show_vmas("write-only", w, 3);
	char *s = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	show("mlock(shared anonymous, 3 pages)", sys2(SYS_mlock, (long)s, 3 * PG));
	show_mincore("shared resident", s, 3);
	show("munlockall()", sys0(SYS_munlockall));

	ensure_tmp();
	int fd = open("/tmp/mlock-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	char page[PG];
	memset(page, 'x', PG);
	write(fd, page, PG);
	char *f = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	show("mlock(file mapping, 1 page in the file)", sys2(SYS_mlock, (long)f, PG));
	show("mlock(file mapping past the end of the file)", sys2(SYS_mlock, (long)f, 3 * PG));
	show_mincore("file pages", f, 3);
	show("munlock(file mapping)", sys2(SYS_munlock, (long)f, 3 * PG));
	munmap(f, 3 * PG);
	close(fd);
	unlink("/tmp/mlock-file");
	munmap(r, 3 * PG);
	munmap(n, 3 * PG);
	munmap(w, 3 * PG);
	munmap(s, 3 * PG);
}

static void onfault(void)
{
	char *a = anon(4, PROT_READ | PROT_WRITE, 0);

	printf("-- mlock2 and MLOCK_ONFAULT\n");
	show("mlock2(a, 4 pages, 2)", sys3(SYS_mlock2, (long)a, 4 * PG, 2));
	show("mlock2(a, 4 pages, -1)", sys3(SYS_mlock2, (long)a, 4 * PG, -1));
	show("mlock2(a, 4 pages, MLOCK_ONFAULT)", sys3(SYS_mlock2, (long)a, 4 * PG, MLOCK_ONFAULT));
	show_vmas("locked on fault: nothing faulted in", a, 4);
	show_mincore("resident", a, 4);
	vmlck("with 4 pages locked on fault");
	a[PG] = 1;
	show_vmas("one page touched", a, 4);
	show_mincore("resident", a, 4);
	show("mlock2(a + 2 pages, 1 page, 0)", sys3(SYS_mlock2, (long)(a + 2 * PG), PG, 0));
	show_vmas("page 2 locked now", a, 4);
	show_mincore("resident", a, 4);
	show("mlock2(a, 1 page, 1 << 32) (flags is an int)",
	     sys3(SYS_mlock2, (long)a, PG, 1L << 32));
	show_vmas("page 0 fully locked", a, 4);
	show("munlock(a, 4 pages)", sys2(SYS_munlock, (long)a, 4 * PG));
	show_vmas("unlocked", a, 4);
	munmap(a, 4 * PG);
}

static void errors(void)
{
	char *a = anon(4, PROT_READ | PROT_WRITE, 0);

	printf("-- errors\n");
	show("mlock(a, 0)", sys2(SYS_mlock, (long)a, 0));
	show("mlock(a, -1) (rounds up to 0)", sys2(SYS_mlock, (long)a, -1));
	show("mlock(a, -8192)", sys2(SYS_mlock, (long)a, -2 * PG));
	show("mlock(NULL, 1 page)", sys2(SYS_mlock, 0, PG));
	show("mlock(kernel address, 1 page)", sys2(SYS_mlock, (long)0xffff800000000000UL, PG));
	show("mlock(1 << 46, 1 page)", sys2(SYS_mlock, 1L << 46, PG));
	show("munlock(NULL, 1 page)", sys2(SYS_munlock, 0, PG));
	show("munlock(a, -8192)", sys2(SYS_munlock, (long)a, -2 * PG));
	show("munlock(a, 0)", sys2(SYS_munlock, (long)a, 0));
	show("munmap(a + 2 pages, 1 page)", sys2(SYS_munmap, (long)(a + 2 * PG), PG));
	show("mlock(a, 4 pages) over a hole", sys2(SYS_mlock, (long)a, 4 * PG));
	show_vmas("the part before the hole is locked", a, 4);
	show_mincore("resident", a, 2);
	show("munlock(a, 4 pages) over a hole", sys2(SYS_munlock, (long)a, 4 * PG));
	show_vmas("unlocked before the hole", a, 4);
	show("mlock(a + 2 pages, 2 pages) from the hole", sys2(SYS_mlock, (long)(a + 2 * PG), 2 * PG));
	show_vmas("nothing locked", a, 4);
	show("mlockall(0)", sys1(SYS_mlockall, 0));
	show("mlockall(MCL_ONFAULT)", sys1(SYS_mlockall, MCL_ONFAULT));
	show("mlockall(8)", sys1(SYS_mlockall, 8));
	show("mlockall(MCL_CURRENT | 8)", sys1(SYS_mlockall, MCL_CURRENT | 8));
	show("mlockall(-1)", sys1(SYS_mlockall, -1));
	show("munmap(a, 4 pages)", sys2(SYS_munmap, (long)a, 4 * PG));
}

static void locked_child(void)
{
	char *b = anon(2, PROT_READ | PROT_WRITE, 0);

	printf("child: VmLck %ld kB\n", status_kb("VmLck"));
	show_vmas("child: the new mapping (MCL_FUTURE is not inherited)", b, 2);
}

static char *fork_region, *self_path;

/* The program exec'd by a child under mlockall(MCL_FUTURE): exec drops it. */
static int execed(void)
{
	char *b = anon(2, PROT_READ | PROT_WRITE, 0);

	printf("exec'd: VmLck %ld kB\n", status_kb("VmLck"));
	show_vmas("exec'd: a new mapping", b, 2);
	show_mincore("exec'd: resident", b, 2);
	return 0;
}

static void fork_child(void)
{
	show_vmas("child: the parent's locked pages", fork_region, 3);
	show_mincore("child: resident", fork_region, 3);
	locked_child();
}

static void all(void)
{
	printf("-- mlockall and munlockall\n");
	char *a = anon(3, PROT_READ | PROT_WRITE, 0);
	show("mlockall(MCL_CURRENT)", sys1(SYS_mlockall, MCL_CURRENT));
	show_vmas("an existing mapping", a, 3);
	show_mincore("resident", a, 3);
	char *b = anon(2, PROT_READ | PROT_WRITE, 0);
	show_vmas("a new one (no MCL_FUTURE)", b, 2);
	show("munlockall()", sys0(SYS_munlockall));
	show_vmas("after munlockall", a, 3);
	printf("VmLck after munlockall: %ld kB\n", status_kb("VmLck"));

	show("mlockall(MCL_FUTURE)", sys1(SYS_mlockall, MCL_FUTURE));
	char *c = anon(3, PROT_READ | PROT_WRITE, 0);
	show_vmas("a new mapping is locked", c, 3);
	show_mincore("and faulted in", c, 3);
	show_vmas("an old one is not", a, 3);
	long cur = sys1(SYS_brk, 0);
	long grown = sys1(SYS_brk, cur + 3 * PG);
	printf("brk grew: %s\n", grown == cur + 3 * PG ? "yes" : "no");
	long start = (cur + PG - 1) & -PG;
	show_mincore("the heap's new pages", (void *)start, 2);
	fork_region = c;
	int st = child_status(fork_child);
	printf("child status %d\n", st);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { self_path, "exec", NULL };
		execv(self_path, argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	printf("exec'd child status %d\n", st);
	char *g = mmap(NULL, 7 * PG, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *moved = mremap(c, 3 * PG, 5 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, g + PG);
	printf("mremap moved it: %s\n", moved == g + PG ? "yes" : "no");
	show_vmas("moved and grown", moved, 5);
	show_mincore("resident", moved, 5);
	show("munlockall()", sys0(SYS_munlockall));
	char *d = anon(2, PROT_READ | PROT_WRITE, 0);
	show_vmas("after munlockall, a new mapping", d, 2);

	show("mlockall(MCL_FUTURE | MCL_ONFAULT)", sys1(SYS_mlockall, MCL_FUTURE | MCL_ONFAULT));
	char *e = anon(3, PROT_READ | PROT_WRITE, 0);
	show_vmas("locked on fault", e, 3);
	show_mincore("resident", e, 3);
	e[0] = 1;
	show_mincore("one touched", e, 3);
	show("mlockall(MCL_CURRENT | MCL_ONFAULT)", sys1(SYS_mlockall, MCL_CURRENT | MCL_ONFAULT));
	char *f = anon(2, PROT_READ | PROT_WRITE, 0);
	show_vmas("MCL_FUTURE is gone", f, 2);
	show_vmas("an old mapping locked on fault", a, 3);
	show("munlockall()", sys0(SYS_munlockall));
	show_vmas("unlocked", e, 3);
	printf("VmLck at the end: %ld kB\n", status_kb("VmLck"));
	sys1(SYS_brk, cur);
	munmap(a, 3 * PG);
	munmap(b, 2 * PG);
	munmap(d, 2 * PG);
	munmap(e, 3 * PG);
	munmap(f, 2 * PG);
}

static void map_locked(void)
{
	printf("-- MAP_LOCKED and mremap\n");
	char *a = anon(3, PROT_READ | PROT_WRITE, MAP_LOCKED);
	show_vmas("MAP_LOCKED", a, 3);
	show_mincore("resident", a, 3);
	vmlck("with MAP_LOCKED");
	char *n = anon(2, PROT_NONE, MAP_LOCKED);
	show_vmas("MAP_LOCKED, PROT_NONE", n, 2);
	show_mincore("resident", n, 2);
	/* Grow in place into a hole made for it. */
	char *g = mmap(NULL, 6 * PG, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *m = mmap(g + PG, 2 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_LOCKED, -1, 0);
	munmap(g + 3 * PG, 2 * PG);
	char *r = mremap(m, 2 * PG, 4 * PG, 0);
	printf("mremap grew in place: %s\n", r == m ? "yes" : "no");
	show_vmas("grown", m, 4);
	show_mincore("the new part is faulted in", m, 4);
	vmlck("after mremap");
	char *s = mremap(m, 4 * PG, 2 * PG, 0);
	printf("mremap shrank: %s\n", s == m ? "yes" : "no");
	vmlck("after the shrink");
	char *g2 = mmap(NULL, 6 * PG, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *to = mremap(a + PG, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, g2 + PG);
	printf("mremap(MREMAP_DONTUNMAP) of a locked page: %s\n", to == g2 + PG ? "moved" : "failed");
	show_vmas("the old range", a, 3);
	show_mincore("resident", a, 3);
	show_vmas("the new range", g2 + PG, 1);
	vmlck("after MREMAP_DONTUNMAP");
	show("munlockall()", sys0(SYS_munlockall));
	vmlck("after munlockall");
	munmap(g2, 6 * PG);
	munmap(a, 3 * PG);
	munmap(n, 2 * PG);
	munmap(m, 2 * PG);
}

int main(int argc, char **argv)
{
	self_path = argv[0];
	if (argc > 1 && !strcmp(argv[1], "exec"))
		return execed();
	vmlck0 = status_kb("VmLck");
	printf("VmLck at the start: %ld kB\n", vmlck0);
	split_merge();
	kinds();
	onfault();
	errors();
	map_locked();
	all();
	return 0;
}
