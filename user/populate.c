/* populate: MAP_POPULATE (and MAP_NONBLOCK, which cancels it),
 * MADV_POPULATE_READ and MADV_POPULATE_WRITE (what they fault in, seen through
 * mincore and smaps, and their errors: holes, PROT_NONE, read-only, past the
 * end of a file), MADV_FREE (LazyFree, and MADV_PAGEOUT dropping the pages not
 * written since), MADV_COLD and MADV_PAGEOUT, and the fork advice:
 * MADV_DONTFORK/MADV_DOFORK (the child has a hole) and
 * MADV_WIPEONFORK/MADV_KEEPONFORK (the child gets zeroes), as Linux 6.1.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "residency.h"

#define MADV_POPULATE_READ_ 22
#define MADV_POPULATE_WRITE_ 23

static long madv(void *p, long len, long advice)
{
	return sys3(SYS_madvise, (long)p, len, advice);
}

static void map_populate(void)
{
	printf("-- MAP_POPULATE\n");
	char *a = anon(3, PROT_READ | PROT_WRITE, MAP_POPULATE);
	show_vmas("private writable", a, 3);
	show_mincore("resident", a, 3);
	char *r = anon(3, PROT_READ, MAP_POPULATE);
	show_vmas("private read-only (zero pages)", r, 3);
	show_mincore("resident", r, 3);
	char *n = anon(3, PROT_NONE, MAP_POPULATE);
	show_mincore("PROT_NONE: mmap succeeds, nothing faulted", n, 3);
	char *nb = anon(3, PROT_READ | PROT_WRITE, MAP_POPULATE | MAP_NONBLOCK);
	show_mincore("MAP_POPULATE | MAP_NONBLOCK", nb, 3);
	char *s = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE,
		       -1, 0);
	show_mincore("shared anonymous", s, 3);

	ensure_tmp();
	int fd = open("/tmp/populate-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	ftruncate(fd, PG);
	char *f = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	printf("file mapping past its end: %s\n", f == MAP_FAILED ? "failed" : "mapped");
	show_mincore("resident", f, 3);
	munmap(f, 3 * PG);
	close(fd);
	unlink("/tmp/populate-file");
	munmap(a, 3 * PG);
	munmap(r, 3 * PG);
	munmap(n, 3 * PG);
	munmap(nb, 3 * PG);
	munmap(s, 3 * PG);
}

static void madv_populate(void)
{
	printf("-- MADV_POPULATE_READ and MADV_POPULATE_WRITE\n");
	char *a = anon(4, PROT_READ | PROT_WRITE, 0);
	show("POPULATE_READ(a, 2 pages)", madv(a, 2 * PG, MADV_POPULATE_READ_));
	show_vmas("read: zero pages", a, 4);
	show_mincore("resident", a, 4);
	show("POPULATE_WRITE(a + 1 page, 2 pages)", madv(a + PG, 2 * PG, MADV_POPULATE_WRITE_));
	show_vmas("written", a, 4);
	show_mincore("resident", a, 4);
	show("POPULATE_READ(a + 1, 1 page)", madv(a + 1, PG, MADV_POPULATE_READ_));
	show("POPULATE_READ(a, 0)", madv(a, 0, MADV_POPULATE_READ_));
	show("POPULATE_READ(NULL, 1 page)", madv(NULL, PG, MADV_POPULATE_READ_));
	show("munmap(a + 2 pages, 1 page)", sys2(SYS_munmap, (long)(a + 2 * PG), PG));
	show("POPULATE_WRITE(a, 4 pages) over a hole", madv(a, 4 * PG, MADV_POPULATE_WRITE_));
	show_mincore("resident before the hole", a, 2);
	show_mincore("and after it", a + 3 * PG, 1);

	char *r = anon(2, PROT_READ, 0);
	show("POPULATE_READ(read-only)", madv(r, 2 * PG, MADV_POPULATE_READ_));
	show("POPULATE_WRITE(read-only)", madv(r, 2 * PG, MADV_POPULATE_WRITE_));
	char *n = anon(2, PROT_NONE, 0);
	show("POPULATE_READ(PROT_NONE)", madv(n, 2 * PG, MADV_POPULATE_READ_));
	show("POPULATE_WRITE(PROT_NONE)", madv(n, 2 * PG, MADV_POPULATE_WRITE_));
	show_mincore("PROT_NONE resident", n, 2);
	char *w = anon(2, PROT_WRITE, 0);
	show("POPULATE_READ(write-only)", madv(w, 2 * PG, MADV_POPULATE_READ_));
	show("POPULATE_WRITE(write-only)", madv(w, 2 * PG, MADV_POPULATE_WRITE_));
	show_vmas("write-only", w, 2);

	ensure_tmp();
	int fd = open("/tmp/populate-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	ftruncate(fd, PG);
	char *f = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	show("POPULATE_READ(file, its one page)", madv(f, PG, MADV_POPULATE_READ_));
	show("POPULATE_READ(file, past the end)", madv(f, 3 * PG, MADV_POPULATE_READ_));
	show("POPULATE_WRITE(file, past the end)", madv(f, 3 * PG, MADV_POPULATE_WRITE_));
	show_vmas("private file, written", f, 3);
	char *sf = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	show("POPULATE_WRITE(shared file)", madv(sf, PG, MADV_POPULATE_WRITE_));
	show_mincore("resident", sf, 1);
	munmap(sf, PG);
	munmap(f, 3 * PG);
	close(fd);
	unlink("/tmp/populate-file");
	munmap(a, 4 * PG);
	munmap(r, 2 * PG);
	munmap(n, 2 * PG);
	munmap(w, 2 * PG);
}

static void madv_free(void)
{
	printf("-- MADV_FREE, MADV_COLD, MADV_PAGEOUT\n");
	char *a = anon(3, PROT_READ | PROT_WRITE, 0);
	memset(a, 'f', 3 * PG);
	show("MADV_COLD(a, 3 pages)", madv(a, 3 * PG, MADV_COLD));
	show("MADV_PAGEOUT(a, 3 pages)", madv(a, 3 * PG, MADV_PAGEOUT));
	show_vmas("no swap: the pages stay", a, 3);
	show("MADV_FREE(a, 3 pages)", madv(a, 3 * PG, MADV_FREE));
	a[PG] = 'g';
	printf("page 1 written again: %c\n", a[PG]);
	show_mincore("resident", a, 3);
	char *s = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	show("MADV_FREE(shared anonymous)", madv(s, PG, MADV_FREE));
	show("MADV_COLD(shared anonymous)", madv(s, PG, MADV_COLD));
	char *l = anon(4, PROT_READ | PROT_WRITE, 0);
	memset(l, 'l', 4 * PG);
	/* Linux's LazyFree shows the pages once its per-CPU batches are drained (MADV_COLD does). */
	show("MADV_FREE(l, 4 pages)", madv(l, 4 * PG, MADV_FREE));
	l[PG] = 'm';
	show("MADV_COLD(l, 4 pages)", madv(l, 4 * PG, MADV_COLD));
	show_vmas("lazily freed, page 1 written again", l, 4);
	show("MADV_PAGEOUT(l, 4 pages)", madv(l, 4 * PG, MADV_PAGEOUT));
	show_vmas("paged out: the clean ones are gone", l, 4);
	show_mincore("resident", l, 4);
	printf("bytes: %d %c %d %d\n", l[0], l[PG], l[2 * PG], l[3 * PG]);
	munmap(l, 4 * PG);
	show("munmap(a + 1 page, 1 page)", sys2(SYS_munmap, (long)(a + PG), PG));
	show("MADV_FREE(a, 3 pages) over a hole", madv(a, 3 * PG, MADV_FREE));
	show("MADV_COLD(a, 3 pages) over a hole", madv(a, 3 * PG, MADV_COLD));
	munmap(a, 3 * PG);
	munmap(s, PG);
}

static char *dontfork, *wipe, *keep, *shared;

static void fork_child(void)
{
	show_mincore("child: the MADV_DONTFORK range", dontfork, 2);
	show_vmas("child: the MADV_WIPEONFORK range", wipe, 3);
	printf("child: wiped bytes: %d %d %d\n", wipe[0], wipe[PG], wipe[2 * PG]);
	show_mincore("child: wiped range resident", wipe, 3);
	printf("child: kept bytes: %c %c\n", keep[0], keep[PG]);
	printf("child: shared byte: %c\n", shared[0]);
	shared[0] = 'c';
}

static void fork_advice(void)
{
	printf("-- MADV_DONTFORK and MADV_WIPEONFORK\n");
	dontfork = anon(2, PROT_READ | PROT_WRITE, 0);
	wipe = anon(3, PROT_READ | PROT_WRITE, 0);
	keep = anon(2, PROT_READ | PROT_WRITE, 0);
	shared = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset(dontfork, 'd', 2 * PG);
	memset(wipe, 'w', 3 * PG);
	memset(keep, 'k', 2 * PG);
	shared[0] = 's';
	show("MADV_DONTFORK(dontfork, 2 pages)", madv(dontfork, 2 * PG, MADV_DONTFORK));
	show("MADV_WIPEONFORK(wipe + 1 page, 1 page)", madv(wipe + PG, PG, MADV_WIPEONFORK));
	show("MADV_WIPEONFORK(wipe, 3 pages)", madv(wipe, 3 * PG, MADV_WIPEONFORK));
	show("MADV_WIPEONFORK(shared)", madv(shared, PG, MADV_WIPEONFORK));
	show("MADV_DONTFORK(keep, 1 page)", madv(keep, PG, MADV_DONTFORK));
	show("MADV_WIPEONFORK(keep + 1 page, 1 page)", madv(keep + PG, PG, MADV_WIPEONFORK));
	show_vmas("dontfork", dontfork, 2);
	show_vmas("wipe", wipe, 3);
	show_vmas("keep", keep, 2);
	show("MADV_DOFORK(keep, 1 page)", madv(keep, PG, MADV_DOFORK));
	show("MADV_KEEPONFORK(keep + 1 page, 1 page)", madv(keep + PG, PG, MADV_KEEPONFORK));
	show_vmas("keep, advice taken back", keep, 2);
	int st = child_status(fork_child);
	printf("child status %d\n", st);
	printf("parent: bytes %c %c %c, shared %c\n", dontfork[0], wipe[PG], keep[PG], shared[0]);
	show("MADV_DOFORK(dontfork, 2 pages)", madv(dontfork, 2 * PG, MADV_DOFORK));
	show("MADV_KEEPONFORK(wipe, 3 pages)", madv(wipe, 3 * PG, MADV_KEEPONFORK));
	show_vmas("wipe, kept again", wipe, 3);

	ensure_tmp();
	int fd = open("/tmp/populate-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	ftruncate(fd, PG);
	char *f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	show("MADV_WIPEONFORK(private file)", madv(f, PG, MADV_WIPEONFORK));
	show("MADV_DONTFORK(private file)", madv(f, PG, MADV_DONTFORK));
	show("MADV_FREE(private file)", madv(f, PG, MADV_FREE));
	munmap(f, PG);
	close(fd);
	unlink("/tmp/populate-file");
	show("munmap(wipe + 1 page, 1 page)", sys2(SYS_munmap, (long)(wipe + PG), PG));
	show("MADV_WIPEONFORK(wipe, 3 pages) over a hole", madv(wipe, 3 * PG, MADV_WIPEONFORK));
	show_vmas("wipe around the hole", wipe, 3);
	munmap(dontfork, 2 * PG);
	munmap(wipe, 3 * PG);
	munmap(keep, 2 * PG);
	munmap(shared, PG);
}

int main(void)
{
	map_populate();
	madv_populate();
	madv_free();
	fork_advice();
	return 0;
}
