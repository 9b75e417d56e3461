/* uffdwp: userfaultfd's write-protect mode on private anonymous memory, as Linux 6.1: REGISTER
 * with MODE_WP (the WRITEPROTECT ioctl offered), UFFDIO_WRITEPROTECT and its errors, a write to
 * a protected page waiting for the handler (flags WP|WRITE, the old data still there) from user
 * mode and from a kernel access, the mark in /proc/self/pagemap (bit 57), kept by mprotect,
 * dropped by fork and UNREGISTER, UFFDIO_COPY with MODE_WP, and the zero page. */
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

#define FEATURE_WP 1ULL

static int ufd;
static char *area;

static long reg(void *p, unsigned long len, uint64_t mode, uint64_t *ioctls)
{
	uint64_t r[4] = { (uint64_t)p, len, mode, 0 };
	long ret = sys3(SYS_ioctl, ufd, (long)UFFDIO_REGISTER, (long)r);
	if (ioctls)
		*ioctls = r[3];
	return ret;
}

static long wp(void *p, unsigned long len, uint64_t mode)
{
	uint64_t w[3] = { (uint64_t)p, len, mode };
	return sys3(SYS_ioctl, ufd, (long)UFFDIO_WRITEPROTECT, (long)w);
}

/* Bit 57 (uffd-wp) and bit 63 (present) of page's pagemap entry, as "wp/present". */
static const char *pm(void *page)
{
	static char s[8];
	uint64_t e = 0;
	int f = open("/proc/self/pagemap", O_RDONLY);
	pread(f, &e, 8, (off_t)((uintptr_t)page / PG * 8));
	close(f);
	snprintf(s, sizeof(s), "%d/%d", (int)(e >> 57 & 1), (int)(e >> 63));
	return s;
}

/* Serves one WP fault: logs it, checks the page still holds its old byte, takes WP off. */
static void *wp_handler(void *p)
{
	(void)p;
	struct uffd_msg m;
	if (uffd_wait_msg(ufd, &m))
		return NULL;
	char *page = (char *)(m.arg[1] & ~(PG - 1));
	LOG("handler: event %#x flags %llu page %ld, holds %d\n", m.event,
	    (unsigned long long)m.arg[0], (long)((page - area) / PG), page[16]);
	long r = wp(page, PG, 0);
	LOG("handler: unprotect %ld\n", r);
	return NULL;
}

static void write_with_handler(const char *what, char *where, char val)
{
	pthread_t t;
	log_buf[0] = 0;
	pthread_create(&t, NULL, wp_handler, NULL);
	where[16] = val;
	pthread_join(t, NULL);
	printf("%s%s: holds %d, pagemap %s\n", log_buf, what, where[16], pm(where));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	ufd = (int)sys1(NR_userfaultfd, O_NONBLOCK | O_CLOEXEC);
	uint64_t a[3] = { UFFD_API, FEATURE_WP, 0 };
	show("api PAGEFAULT_FLAG_WP", sys3(SYS_ioctl, ufd, (long)UFFDIO_API, (long)a));
	area = mmap(NULL, 6 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 4; i++)
		area[i * PG + 16] = (char)(10 + i);
	(void)*(volatile char *)(area + 4 * PG); /* page 4: the zero page */

	printf("-- REGISTER and WRITEPROTECT\n");
	uint64_t ioctls;
	show("register pages 0-4 MODE_WP", reg(area, 5 * PG, 2, &ioctls));
	printf("  ioctls %#llx\n", (unsigned long long)ioctls);
	show("register page 5 MISSING|WP", reg(area + 5 * PG, PG, 3, &ioctls));
	printf("  ioctls %#llx\n", (unsigned long long)ioctls);
	show("writeprotect mode 4", wp(area, PG, 4));
	show("writeprotect WP|DONTWAKE", wp(area, PG, 3));
	show("writeprotect unaligned", wp(area + 1, PG, 1));
	show("writeprotect across two VMAs", wp(area, 6 * PG, 1));
	show("writeprotect page 0", wp(area, PG, 1));
	show("writeprotect page 0 again", wp(area, PG, 1));
	show("writeprotect page 3", wp(area + 3 * PG, PG, 1));
	show("writeprotect page 4 (zero page)", wp(area + 4 * PG, PG, 1));
	printf("pagemap: page 0 %s, page 1 %s, page 4 %s\n", pm(area), pm(area + PG),
	       pm(area + 4 * PG));
	printf("page 0 reads %d\n", area[16]);

	printf("-- a write to a protected page\n");
	write_with_handler("page 0 written", area, 50);

	printf("-- mprotect keeps the mark\n");
	wp(area + PG, PG, 1);
	mprotect(area, 5 * PG, PROT_READ);
	mprotect(area, 5 * PG, PROT_READ | PROT_WRITE);
	printf("page 1 pagemap %s\n", pm(area + PG));
	write_with_handler("page 1 written", area + PG, 51);

	printf("-- a kernel access waits too\n");
	wp(area + 2 * PG, PG, 1);
	int pfd[2];
	pipe(pfd);
	write(pfd[1], "k", 1);
	pthread_t t;
	log_buf[0] = 0;
	pthread_create(&t, NULL, wp_handler, NULL);
	long n = read(pfd[0], area + 2 * PG + 16, 1);
	pthread_join(t, NULL);
	printf("%sread(2) into page 2: %ld, holds %c\n", log_buf, n, area[2 * PG + 16]);

	printf("-- the zero page\n");
	write_with_handler("page 4 written", area + 4 * PG, 54);

	printf("-- fork drops the mark (no EVENT_FORK)\n");
	wp(area + 3 * PG, PG, 1);
	pid_t pid = fork();
	if (pid == 0) {
		printf("child: page 3 pagemap %s\n", pm(area + 3 * PG));
		area[3 * PG + 16] = 33;
		printf("child: page 3 written, holds %d\n", area[3 * PG + 16]);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("child status %#x, parent's page 3 pagemap %s\n", st, pm(area + 3 * PG));

	printf("-- COPY with MODE_WP\n");
	static char src[PG];
	memset(src, 7, PG);
	uint64_t c[5] = { (uint64_t)(area + 5 * PG), (uint64_t)src, PG, 2, 0 };
	show("copy MODE_WP into page 5", sys3(SYS_ioctl, ufd, (long)UFFDIO_COPY, (long)c));
	printf("page 5 pagemap %s, holds %d\n", pm(area + 5 * PG), area[5 * PG + 16]);
	write_with_handler("page 5 written", area + 5 * PG, 55);

	printf("-- UNREGISTER drops the mark\n");
	uint64_t r[2] = { (uint64_t)area, 6 * PG };
	show("unregister", sys3(SYS_ioctl, ufd, (long)UFFDIO_UNREGISTER, (long)r));
	printf("page 3 pagemap %s\n", pm(area + 3 * PG));
	area[3 * PG + 16] = 43;
	printf("page 3 written, holds %d\n", area[3 * PG + 16]);
	show("writeprotect after unregister", wp(area, PG, 1));
	return 0;
}
