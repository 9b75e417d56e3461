/* uffdminor: userfaultfd on shmem (a memfd), as Linux 6.1: minor faults: REGISTER with
 * MODE_MINOR (CONTINUE offered; anonymous memory refused), a fault on a page in the page cache
 * but not mapped (flags MINOR, with WRITE for a write) resolved by UFFDIO_CONTINUE after the
 * handler changed the page through the file, a hole faulting as usual, MADV_DONTNEED making the
 * next access a minor fault again, and CONTINUE's errors; then missing faults: a hole of the
 * file faults to the handler, COPY and ZEROPAGE put pages into the file. */
#define _GNU_SOURCE
#include "common.h"
#define UFFD_LOG_SIZE 4096
#include "uffdcommon.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define NR_memfd_create 319
#define FEATURE_MINOR_SHMEM (1ULL << 10)

static int ufd, mfd;
static char *area;

static long cont(void *p, unsigned long len, uint64_t mode, int64_t *mapped)
{
	uint64_t c[4] = { (uint64_t)p, len, mode, 12345 };
	long r = sys3(SYS_ioctl, ufd, (long)UFFDIO_CONTINUE, (long)c);
	if (mapped)
		*mapped = (int64_t)c[3];
	return r;
}

/* Serves one minor fault: writes 'H' into the page through the file, then CONTINUE. */
static void *handler(void *p)
{
	(void)p;
	struct uffd_msg m;
	if (uffd_wait_msg(ufd, &m))
		return NULL;
	long pg = (long)((m.arg[1] - (uint64_t)area) / PG);
	LOG("handler: event %#x flags %llu page %ld\n", m.event, (unsigned long long)m.arg[0], pg);
	pwrite(mfd, "H", 1, pg * (long)PG + 1);
	int64_t mapped;
	long r = cont(area + pg * PG, PG, 0, &mapped);
	LOG("handler: continue %ld mapped %lld\n", r, (long long)mapped);
	return NULL;
}

static void access_with_handler(const char *what, char *where, int write)
{
	pthread_t t;
	log_buf[0] = 0;
	pthread_create(&t, NULL, handler, NULL);
	if (write)
		where[2] = 'W';
	char c0 = ((volatile char *)where)[0], c1 = where[1];
	pthread_join(t, NULL);
	printf("%s%s: holds %c%c%c\n", log_buf, what, c0 ? c0 : '0', c1 ? c1 : '0',
	       where[2] ? where[2] : '0');
}

/* Serves one missing fault with a COPY of 'M's. */
static void *copy_handler(void *p)
{
	(void)p;
	struct pollfd pfd = { ufd, POLLIN, 0 };
	struct uffd_msg m;
	static char src[PG];
	if (poll(&pfd, 1, 5000) != 1 || read(ufd, &m, sizeof(m)) != sizeof(m)) {
		LOG("handler: no fault\n");
		return NULL;
	}
	long pg = (long)((m.arg[1] - (uint64_t)area) / PG);
	LOG("handler: event %#x flags %llu page %ld\n", m.event, (unsigned long long)m.arg[0], pg);
	memset(src, 'M', PG);
	uint64_t c[5] = { (uint64_t)(area + pg * PG), (uint64_t)src, PG, 0, 0 };
	long r = sys3(SYS_ioctl, ufd, (long)UFFDIO_COPY, (long)c);
	LOG("handler: copy %ld res %lld\n", r, (long long)c[4]);
	return NULL;
}

static void shmem_missing(void)
{
	printf("-- missing faults on shmem\n");
	close(ufd);
	ufd = (int)sys1(NR_userfaultfd, O_NONBLOCK | O_CLOEXEC);
	uint64_t a[3] = { UFFD_API, 0, 0 };
	sys3(SYS_ioctl, ufd, (long)UFFDIO_API, (long)a);
	mfd = (int)sys2(NR_memfd_create, (long)"uffd2", 0);
	ftruncate(mfd, 3 * PG);
	pwrite(mfd, "a", 1, 0);
	area = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	uint64_t r[4] = { (uint64_t)area, 4 * PG, 1, 0 };
	show("register MODE_MISSING", sys3(SYS_ioctl, ufd, (long)UFFDIO_REGISTER, (long)r));
	printf("  ioctls %#llx\n", (unsigned long long)r[3]);
	printf("page 0 (in the file) reads %c\n", ((volatile char *)area)[0]);
	pthread_t t;
	log_buf[0] = 0;
	pthread_create(&t, NULL, copy_handler, NULL);
	char v = ((volatile char *)area)[PG + 3];
	pthread_join(t, NULL);
	char buf[2] = "";
	pread(mfd, buf, 1, PG);
	printf("%spage 1 reads %c, the file's page 1 %c\n", log_buf, v, buf[0]);
	uint64_t z[4] = { (uint64_t)(area + 2 * PG), PG, 0, 0 };
	show("zeropage page 2", sys3(SYS_ioctl, ufd, (long)UFFDIO_ZEROPAGE, (long)z));
	printf("  zeropage %lld, page 2 reads %d\n", (long long)z[3], area[2 * PG]);
	area[2 * PG] = 'Z';
	pread(mfd, buf, 1, 2 * PG);
	printf("page 2 written, the file's page 2 %c\n", buf[0]);
	static char src[PG];
	madvise(area, PG, MADV_DONTNEED);
	uint64_t c[5] = { (uint64_t)area, (uint64_t)src, PG, 0, 0 };
	show("copy page 0 (in the file, not mapped)", sys3(SYS_ioctl, ufd, (long)UFFDIO_COPY, (long)c));
	printf("  copy %lld\n", (long long)c[4]);
	c[0] = (uint64_t)(area + 3 * PG), c[4] = 0;
	show("copy page 3 (past the file's end)", sys3(SYS_ioctl, ufd, (long)UFFDIO_COPY, (long)c));
	printf("  copy %lld\n", (long long)c[4]);
	printf("page 0 reads %c\n", area[0]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	ufd = (int)sys1(NR_userfaultfd, O_NONBLOCK | O_CLOEXEC);
	uint64_t a[3] = { UFFD_API, FEATURE_MINOR_SHMEM, 0 };
	show("api MINOR_SHMEM", sys3(SYS_ioctl, ufd, (long)UFFDIO_API, (long)a));
	mfd = (int)sys2(NR_memfd_create, (long)"uffd", 0);
	ftruncate(mfd, 3 * PG);
	pwrite(mfd, "a", 1, 0);
	pwrite(mfd, "b", 1, PG);
	area = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	char *anon = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	printf("-- REGISTER\n");
	uint64_t r[4] = { (uint64_t)anon, PG, 4, 0 };
	show("register anonymous MODE_MINOR", sys3(SYS_ioctl, ufd, (long)UFFDIO_REGISTER, (long)r));
	r[0] = (uint64_t)area, r[1] = 4 * PG;
	show("register the memfd MODE_MINOR", sys3(SYS_ioctl, ufd, (long)UFFDIO_REGISTER, (long)r));
	printf("  ioctls %#llx\n", (unsigned long long)r[3]);

	printf("-- minor faults\n");
	access_with_handler("page 0 read", area, 0);
	access_with_handler("page 1 written", area + PG, 1);
	printf("page 2 (a hole) reads %d\n", ((volatile char *)area)[2 * PG]);
	char buf[4] = "";
	pread(mfd, buf, 3, PG);
	printf("the file's page 1: %c%c%c\n", buf[0], buf[1], buf[2]);
	madvise(area, PG, MADV_DONTNEED);
	access_with_handler("page 0 read after MADV_DONTNEED", area, 0);

	printf("-- CONTINUE errors\n");
	int64_t mapped;
	show("continue page 0 (mapped)", cont(area, PG, 0, &mapped));
	printf("  mapped %lld\n", (long long)mapped);
	show("continue mode 2", cont(area, PG, 2, &mapped));
	printf("  mapped %lld\n", (long long)mapped);
	show("continue anonymous", cont(anon, PG, 0, &mapped));
	printf("  mapped %lld\n", (long long)mapped);
	show("continue past the file's end", cont(area + 3 * PG, PG, 0, &mapped));
	printf("  mapped %lld\n", (long long)mapped);
	madvise(area + PG, 2 * PG, MADV_DONTNEED);
	show("continue pages 1-2", cont(area + PG, 2 * PG, 0, &mapped));
	printf("  mapped %lld\n", (long long)mapped);
	show("continue unaligned", cont(area + 1, PG, 0, &mapped));
	printf("page 1 holds %c\n", area[PG]);
	shmem_missing();
	return 0;
}
