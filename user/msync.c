/* msync and mincore as Linux 6.1 has them: msync's checks in their order
 * (flags, alignment, wrapping, holes, EBUSY for MS_INVALIDATE of locked
 * memory) and what a shared file mapping shows after it; mincore's residency
 * of private and shared anonymous memory and of private and shared file
 * mappings, before and after a touch, MADV_DONTNEED and munmap, and its errors
 * (an unaligned start, unmapped ranges, a bad vector, written up to the hole).
 */
#include <sys/mman.h>
#include "residency.h"

#define MS_ASYNC_ 1
#define MS_INVALIDATE_ 2
#define MS_SYNC_ 4

static long ms(void *p, long len, long flags)
{
	return sys3(SYS_msync, (long)p, len, flags);
}

static void msync_errors(void)
{
	char *a = anon(4, PROT_READ | PROT_WRITE, 0);

	printf("-- msync's checks\n");
	show("msync(a, 1 page, 0)", ms(a, PG, 0));
	show("msync(a, 1 page, MS_ASYNC)", ms(a, PG, MS_ASYNC_));
	show("msync(a, 1 page, MS_SYNC)", ms(a, PG, MS_SYNC_));
	show("msync(a, 1 page, MS_INVALIDATE)", ms(a, PG, MS_INVALIDATE_));
	show("msync(a, 1 page, MS_SYNC | MS_INVALIDATE)", ms(a, PG, MS_SYNC_ | MS_INVALIDATE_));
	show("msync(a, 1 page, MS_ASYNC | MS_SYNC)", ms(a, PG, MS_ASYNC_ | MS_SYNC_));
	show("msync(a, 1 page, 8)", ms(a, PG, 8));
	show("msync(a, 1 page, -1)", ms(a, PG, -1));
	show("msync(a + 1, 1 page, 8)", ms(a + 1, PG, 8));
	show("msync(a + 1, 1 page, MS_ASYNC | MS_SYNC)", ms(a + 1, PG, MS_ASYNC_ | MS_SYNC_));
	show("msync(a + 1, 1 page, MS_SYNC)", ms(a + 1, PG, MS_SYNC_));
	show("msync(a, 0, MS_SYNC)", ms(a, 0, MS_SYNC_));
	show("msync(a, 1, MS_SYNC)", ms(a, 1, MS_SYNC_));
	show("msync(a, -1, MS_SYNC) (rounds up to 0)", ms(a, -1, MS_SYNC_));
	show("msync(a, -8192, MS_SYNC)", ms(a, -2 * PG, MS_SYNC_));
	show("msync(NULL, 1 page, MS_SYNC)", ms(NULL, PG, MS_SYNC_));
	show("msync(NULL, 1 page, MS_ASYNC)", ms(NULL, PG, MS_ASYNC_));
	show("msync(kernel address, 1 page, MS_SYNC)", ms((void *)0xffff800000000000UL, PG, MS_SYNC_));
	show("msync(1 << 46, 1 page, 8)", ms((void *)(1L << 46), PG, 8));
	show("munmap(a + 1 page, 1 page)", sys2(SYS_munmap, (long)(a + PG), PG));
	show("msync(a, 4 pages, MS_ASYNC) over a hole", ms(a, 4 * PG, MS_ASYNC_));
	show("msync(a, 4 pages, MS_SYNC) over a hole", ms(a, 4 * PG, MS_SYNC_));
	show("msync(a, 4 pages, MS_INVALIDATE) over a hole", ms(a, 4 * PG, MS_INVALIDATE_));
	show("msync(a, 4 pages, MS_ASYNC | MS_INVALIDATE) over a hole",
	     ms(a, 4 * PG, MS_ASYNC_ | MS_INVALIDATE_));
	show("msync(a + 1 page, 1 page, MS_SYNC) in the hole", ms(a + PG, PG, MS_SYNC_));
	show("msync(a + 1 page, 3 pages, MS_SYNC) from the hole", ms(a + PG, 3 * PG, MS_SYNC_));
	show("mlock(a + 2 pages, 1 page)", sys2(SYS_mlock, (long)(a + 2 * PG), PG));
	show("msync(a + 2 pages, 1 page, MS_INVALIDATE) locked", ms(a + 2 * PG, PG, MS_INVALIDATE_));
	show("msync(a + 2 pages, 1 page, MS_SYNC) locked", ms(a + 2 * PG, PG, MS_SYNC_));
	show("msync(a, 4 pages, MS_SYNC | MS_INVALIDATE) hole then locked",
	     ms(a, 4 * PG, MS_SYNC_ | MS_INVALIDATE_));
	show("msync(a, 4 pages, MS_ASYNC) hole then locked", ms(a, 4 * PG, MS_ASYNC_));
	show("msync(a + 2 pages, 2 pages, MS_SYNC | MS_INVALIDATE) locked first",
	     ms(a + 2 * PG, 2 * PG, MS_SYNC_ | MS_INVALIDATE_));
	sys2(SYS_munlock, (long)a, 4 * PG);
	show("msync(a + 2 pages, 1 page, MS_INVALIDATE) unlocked", ms(a + 2 * PG, PG, MS_INVALIDATE_));
	munmap(a, 4 * PG);
}

static void msync_file(void)
{
	char buf[8] = { 0 };

	printf("-- msync of a shared file mapping\n");
	ensure_tmp();
	int fd = open("/tmp/msync-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	ftruncate(fd, 2 * PG);
	char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	memcpy(s + PG, "shared", 6);
	show("msync(s, 2 pages, MS_SYNC)", ms(s, 2 * PG, MS_SYNC_));
	pread(fd, buf, 6, PG);
	printf("the file says: %s\n", buf);
	show("msync(s, 2 pages, MS_ASYNC | MS_INVALIDATE)", ms(s, 2 * PG, MS_ASYNC_ | MS_INVALIDATE_));
	pwrite(fd, "FILE", 4, 0);
	printf("the mapping says: %.4s\n", s);
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	p[0] = 'p';
	show("msync(private, 2 pages, MS_SYNC | MS_INVALIDATE)", ms(p, 2 * PG, MS_SYNC_ | MS_INVALIDATE_));
	printf("private copy kept: %c\n", p[0]);
	munmap(p, 2 * PG);
	munmap(s, 2 * PG);
	close(fd);
	unlink("/tmp/msync-file");
}

static void mincore_kinds(void)
{
	printf("-- mincore's residency\n");
	char *a = anon(4, PROT_READ | PROT_WRITE, 0);
	show_mincore("private anonymous, untouched", a, 4);
	a[0] = 1;
	(void)*(volatile char *)(a + PG);
	show_mincore("page 0 written, page 1 read", a, 4);
	sys3(SYS_madvise, (long)a, PG, MADV_DONTNEED);
	show_mincore("after MADV_DONTNEED of page 0", a, 4);
	a[2 * PG] = 1;
	sys3(SYS_mprotect, (long)a, 4 * PG, PROT_NONE);
	show_mincore("all PROT_NONE", a, 4);
	sys3(SYS_mprotect, (long)a, 4 * PG, PROT_READ | PROT_WRITE);

	char *s = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	show_mincore("shared anonymous, untouched", s, 4);
	s[PG] = 1;
	(void)*(volatile char *)(s + 2 * PG);
	show_mincore("page 1 written, page 2 read", s, 4);
	sys3(SYS_madvise, (long)s, 4 * PG, MADV_DONTNEED);
	show_mincore("after MADV_DONTNEED (the pages stay in the file)", s, 4);

	ensure_tmp();
	int fd = open("/tmp/mincore-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	char page[PG];
	memset(page, 'm', PG);
	write(fd, page, PG);
	ftruncate(fd, 3 * PG);
	pwrite(fd, "z", 1, 2 * PG);
	char *f = mmap(NULL, 5 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	show_mincore("private file: written, hole, written, past the end", f, 5);
	(void)*(volatile char *)(f + PG);
	show_mincore("after reading the hole", f, 5);
	char *sf = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	show_mincore("shared file mapping", sf, 3);
	ftruncate(fd, PG);
	show_mincore("after truncation to 1 page", sf, 3);
	show_mincore("private after truncation", f, 3);
	munmap(f, 5 * PG);
	munmap(sf, 3 * PG);
	close(fd);
	unlink("/tmp/mincore-file");

	printf("-- mincore's errors\n");
	unsigned char vec[8];
	show("mincore(a + 1, 1 page, vec)", sys3(SYS_mincore, (long)(a + 1), PG, (long)vec));
	show("mincore(a, 0, vec)", sys3(SYS_mincore, (long)a, 0, (long)vec));
	show("mincore(a, 0, NULL)", sys3(SYS_mincore, (long)a, 0, 0));
	show("mincore(a, 1, NULL)", sys3(SYS_mincore, (long)a, 1, 0));
	show("mincore(a, 1 page, kernel address)",
	     sys3(SYS_mincore, (long)a, PG, (long)0xffff800000000000UL));
	show("mincore(NULL, 1 page, kernel address)",
	     sys3(SYS_mincore, 0, PG, (long)0xffff800000000000UL));
	show("mincore(NULL, 1 page, vec)", sys3(SYS_mincore, 0, PG, (long)vec));
	show("mincore(a, -1, vec)", sys3(SYS_mincore, (long)a, -1, (long)vec));
	show("mincore(a, 1 << 47, vec)", sys3(SYS_mincore, (long)a, 1L << 47, (long)vec));
	show("mincore(1 << 47, 1 page, vec)", sys3(SYS_mincore, 1L << 47, PG, (long)vec));
	show("mincore(0x7ffffffff000, 1 page, vec)", sys3(SYS_mincore, 0x7ffffffff000L, PG, (long)vec));
	char *ro = anon(1, PROT_READ, 0);
	show("mincore(a, 1 page, read-only vec)", sys3(SYS_mincore, (long)a, PG, (long)ro));
	show("munmap(a + 2 pages, 1 page)", sys2(SYS_munmap, (long)(a + 2 * PG), PG));
	a[PG] = 1;
	memset(vec, 7, sizeof(vec));
	show("mincore(a, 4 pages, vec) over a hole", sys3(SYS_mincore, (long)a, 4 * PG, (long)vec));
	printf("vec: %d %d %d %d\n", vec[0], vec[1], vec[2], vec[3]);
	memset(vec, 7, sizeof(vec));
	show("mincore(a + 2 pages, 1 page, vec) in the hole",
	     sys3(SYS_mincore, (long)(a + 2 * PG), PG, (long)vec));
	printf("vec: %d\n", vec[0]);
	/* A vector that ends in an unmapped page: written up to it, then EFAULT. */
	char *big = anon(5000, PROT_READ, 0);
	char *v2 = anon(2, PROT_READ | PROT_WRITE, 0);
	munmap(v2 + PG, PG);
	memset(v2, 7, PG);
	show("mincore(big, 5000 pages, vec of 1 page then a hole)",
	     sys3(SYS_mincore, (long)big, 5000 * PG, (long)(v2 + PG - 10)));
	printf("vec's last bytes: %d %d\n", v2[PG - 10], v2[PG - 1]);
	show("mincore(big, 5000 pages, vec of 4096 bytes then a hole)",
	     sys3(SYS_mincore, (long)big, 5000 * PG, (long)v2));
	munmap(big, 5000 * PG);
	munmap(v2, PG);
	munmap(ro, PG);
	munmap(a, 4 * PG);
	munmap(s, 4 * PG);
}

int main(void)
{
	msync_errors();
	msync_file();
	mincore_kinds();
	return 0;
}
