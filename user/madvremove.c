/* madvremove: MADV_REMOVE as Linux 6.1 answers it (mm/madvise.c madvise_remove).
 *
 * On a shared mapping of a tmpfs file (a memfd, shared anonymous memory, a SysV
 * segment) the range becomes a hole in the file, as fallocate(PUNCH_HOLE | KEEP_SIZE): the
 * mapping, every other mapping of the file and read(2) see zeroes there, the file keeps its size.
 * Refused: a VMA without a file or a locked one (EINVAL), a mapping that is not shared or could
 * never be made writable (EACCES: Debian's 6.1 checks VM_MAYWRITE, so a PROT_READ shared mapping
 * of a file open for writing is punched); a hole in the range is ENOMEM after the mapped part got the advice. */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include "residency.h"

#ifndef MADV_REMOVE
#define MADV_REMOVE 9
#endif

/* madvise(addr, len, MADV_REMOVE) raw, printed. */
static void remove_range(const char *what, void *addr, long len)
{
	show(what, sys3(SYS_madvise, (long)addr, len, MADV_REMOVE));
}

/* "what: c c c c": the first and last byte of each of n pages, as characters ('0' for zero). */
static void show_pages(const char *what, const char *p, int n)
{
	printf("%s:", what);
	for (int i = 0; i < n; i++)
		printf(" %c%c", p[i * PG] ? p[i * PG] : '0',
		       p[i * PG + PG - 1] ? p[i * PG + PG - 1] : '0');
	printf("\n");
}

/* The same for the file behind fd, read with pread. */
static void show_file(const char *what, int fd, int n)
{
	char buf[PG];

	printf("%s:", what);
	for (int i = 0; i < n; i++) {
		if (pread(fd, buf, PG, i * PG) != PG) {
			printf(" short");
			continue;
		}
		printf(" %c%c", buf[0] ? buf[0] : '0', buf[PG - 1] ? buf[PG - 1] : '0');
	}
	struct stat st;
	fstat(fd, &st);
	printf(" (size %ld)\n", (long)st.st_size);
}

/* The file's st_blocks (512-byte units): a hole has none. */
static void show_blocks(const char *what, int fd)
{
	struct stat st;
	fstat(fd, &st);
	printf("%s: st_blocks %ld\n", what, (long)st.st_blocks);
}

/* A memfd of n pages, page i filled with 'a' + i. */
static int filled_memfd(int n)
{
	int fd = (int)sys2(SYS_memfd_create, (long)"madvremove", 0);
	char buf[PG];

	for (int i = 0; i < n; i++) {
		memset(buf, 'a' + i, PG);
		if (write(fd, buf, PG) != PG)
			printf("write failed\n");
	}
	return fd;
}

int main(void)
{
	int fd = filled_memfd(4);
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *q = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	show_pages("memfd shared, before", p, 4);
	show_blocks("before", fd);
	remove_range("REMOVE page 1", p + PG, PG);
	show_mincore("mincore of the mapping", p, 4);
	show_blocks("after", fd);
	show_pages("this mapping", p, 4);
	show_pages("a second mapping", q, 4);
	show_file("the file", fd, 4);
	remove_range("REMOVE 1 byte at page 3 (a whole page)", p + 3 * PG, 1);
	show_pages("this mapping", p, 4);
	show_file("the file", fd, 4);
	p[PG] = 'X';
	show_pages("page 1 written again", q, 4);
	show_mincore("mincore", p, 4);
	show_blocks("now", fd);
	/* A private mapping keeps its own copy of a punched page, and sees the hole elsewhere. */
	char *pv = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	pv[0] = 'P';
	volatile char rd = pv[2 * PG];
	(void)rd;
	remove_range("REMOVE pages 0 and 2 through the shared mapping", p, PG);
	remove_range("", p + 2 * PG, PG);
	show_pages("private mapping", pv, 4);
	show_mincore("its mincore", pv, 4);
	remove_range("REMOVE length 0", p, 0);
	remove_range("REMOVE unaligned start", p + 1, PG);
	remove_range("REMOVE pages 0-3 through the second mapping", q, 4 * PG);
	show_pages("first mapping", p, 4);
	show_file("the file", fd, 4);

	/* What madvise_remove refuses. */
	int fd2 = filled_memfd(2);
	char *priv = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd2, 0);
	remove_range("private file mapping", priv, PG);
	char *ro = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd2, 0);
	remove_range("shared read-only mapping", ro, PG);
	show("mprotect it read-write", sys3(SYS_mprotect, (long)ro, 2 * PG, PROT_READ | PROT_WRITE));
	remove_range("now writable", ro, PG);
	show_pages("it", ro, 2);
	char *a = anon(2, PROT_READ | PROT_WRITE, 0);
	memset(a, 'z', 2 * PG);
	remove_range("private anonymous", a, PG);
	show_pages("private anonymous untouched", a, 2);
	char *wr = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
	show("mlock it", sys2(SYS_mlock, (long)wr, 2 * PG));
	remove_range("locked shared mapping", wr, PG);
	show("munlock", sys2(SYS_munlock, (long)wr, 2 * PG));
	int rofd = open("/proc/self/fd/3", O_RDONLY);
	char *rosh = mmap(NULL, PG, PROT_READ, MAP_SHARED, rofd, 0);
	remove_range("shared mapping of an O_RDONLY open", rosh, PG);
	close(rofd);

	/* A hole in the range: the mapped part is punched, then ENOMEM. */
	int fd3 = filled_memfd(3);
	char *h = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd3, 0);
	munmap(h + PG, PG);
	remove_range("pages 0-2 with page 1 unmapped", h, 3 * PG);
	show_file("the file", fd3, 3);
	/* Refused after the first VMA was done: the mapped shared part is punched. */
	char *mix = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd3, 0);
	memset(mix, 'm', 2 * PG);
	munmap(mix + PG, PG);
	if (mmap(mix + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0) == MAP_FAILED)
		printf("mmap failed\n");
	remove_range("shared page then private anonymous", mix, 2 * PG);
	show_file("the file", fd3, 3);

	/* Shared anonymous memory: shared with a forked child's view too. */
	char *s = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset(s, 's', 3 * PG);
	remove_range("shared anonymous page 1", s + PG, PG);
	show_pages("shared anonymous", s, 3);

	/* A SysV segment. */
	int id = shmget(IPC_PRIVATE, 2 * PG, IPC_CREAT | 0600);
	char *shm = shmat(id, NULL, 0);
	char *shm2 = shmat(id, NULL, 0);
	memset(shm, 'v', 2 * PG);
	remove_range("SysV segment page 0", shm, PG);
	show_pages("the other attach", shm2, 2);
	char *shmro = shmat(id, NULL, SHM_RDONLY);
	remove_range("SysV read-only attach", shmro, PG);
	shmctl(id, IPC_RMID, NULL);
	return 0;
}
