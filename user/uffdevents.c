/* uffdevents: userfaultfd's non-cooperative events as Linux 6.1 sends them: FORK (a new uffd
 * for the child's registered ranges, which its handler then serves), REMAP (mremap moves the
 * registration), REMOVE (MADV_DONTNEED), UNMAP (munmap); the call that causes one waits until a
 * read takes it, COPY says EAGAIN meanwhile, and closing the uffd lets the call go on. */
#define _GNU_SOURCE
#include "common.h"
#define UFFD_LOG_SIZE 8192
#include "uffdcommon.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define EV_FORK (1ULL << 1)
#define EV_REMAP (1ULL << 2)
#define EV_REMOVE (1ULL << 3)
#define EV_UNMAP (1ULL << 6)

static int ufd;
static char *area;

static int new_uffd(uint64_t features)
{
	int fd = (int)sys1(NR_userfaultfd, O_NONBLOCK | O_CLOEXEC);
	uint64_t a[3] = { UFFD_API, features, 0 };
	long r = sys3(SYS_ioctl, fd, (long)UFFDIO_API, (long)a);
	if (r)
		printf("api: %s\n", errname((int)-r));
	return fd;
}

static long reg(int fd, void *p, unsigned long len)
{
	uint64_t r[4] = { (uint64_t)p, len, 1, 0 };
	return sys3(SYS_ioctl, fd, (long)UFFDIO_REGISTER, (long)r);
}

static long copy(int fd, void *dst, char fill, int64_t *res)
{
	static char src[PG];
	memset(src, fill, PG);
	uint64_t c[5] = { (uint64_t)dst, (uint64_t)src, PG, 0, 12345 };
	long r = sys3(SYS_ioctl, fd, (long)UFFDIO_COPY, (long)c);
	*res = (int64_t)c[4];
	return r;
}

/* Waits for a message on fd and reads it; 0 when none came within 5 s. */
static int get_msg(int fd, struct uffd_msg *m)
{
	struct pollfd p = { fd, POLLIN, 0 };
	if (poll(&p, 1, 5000) != 1)
		return 0;
	return read(fd, m, sizeof(*m)) == sizeof(*m);
}

static char *map(int pages)
{
	char *g = mmap(NULL, (pages + 2) * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return mmap(g + PG, pages * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static int has_um(char *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0, um = -1;
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long s, e;
		if (line[strspn(line, "0123456789abcdef")] == '-' &&
		    sscanf(line, "%lx-%lx", &s, &e) == 2)
			in = s <= (unsigned long)p && (unsigned long)p < e;
		else if (in && !strncmp(line, "VmFlags:", 8))
			um = strstr(line, " um") != NULL;
	}
	if (f)
		fclose(f);
	return um;
}

/* FORK: the parent's handler takes the event, then serves the child's fault on the new uffd. */
static void *fork_handler(void *p)
{
	(void)p;
	struct uffd_msg m;
	if (!get_msg(ufd, &m)) {
		LOG("handler: no FORK event\n");
		return NULL;
	}
	int nfd = (int)(uint32_t)m.arg[0];
	LOG("handler: event %#x, new uffd valid %d cloexec %d\n", m.event,
	    fcntl(nfd, F_GETFD) >= 0, fcntl(nfd, F_GETFD));
	uint64_t a[3] = { UFFD_API, 0, 0 };
	long r = sys3(SYS_ioctl, nfd, (long)UFFDIO_API, (long)a);
	LOG("handler: UFFDIO_API on it: %s\n", r ? errname((int)-r) : "0");
	if (!get_msg(nfd, &m)) {
		LOG("handler: no fault from the child\n");
		return NULL;
	}
	LOG("handler: child fault event %#x page %ld\n", m.event,
	    (long)((m.arg[1] - (uint64_t)area) / PG));
	int64_t res;
	r = copy(nfd, (void *)m.arg[1], 'c', &res);
	LOG("handler: copy on the new uffd %ld res %lld\n", r, (long long)res);
	close(nfd);
	return NULL;
}

static void test_fork(void)
{
	printf("-- FORK\n");
	ufd = new_uffd(EV_FORK);
	area = map(2);
	area[0] = 'p';
	reg(ufd, area, 2 * PG);
	pthread_t t;
	pthread_create(&t, NULL, fork_handler, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int um = has_um(area);
		char v = ((volatile char *)area)[PG];
		printf("child: registered %d, page 0 holds %c, page 1 reads %c\n", um, area[0], v);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	pthread_join(t, NULL);
	printf("%schild status %#x\n", log_buf, st);
	log_buf[0] = 0;
	close(ufd);
	munmap(area, 2 * PG);
}

/* FORK's read when the reader has no descriptor left: EMFILE, and the event stays queued for
 * the next read. */
static void *emfile_handler(void *p)
{
	(void)p;
	struct pollfd pf = { ufd, POLLIN, 0 };
	struct uffd_msg m;
	struct rlimit old, low;
	int n = dup(0);
	close(n);
	getrlimit(RLIMIT_NOFILE, &old);
	low = old;
	low.rlim_cur = (rlim_t)n;
	LOG("handler: poll %d\n", poll(&pf, 1, 5000));
	setrlimit(RLIMIT_NOFILE, &low);
	long r = read(ufd, &m, sizeof(m));
	LOG("handler: read with no fd left: %s\n", r < 0 ? errname(errno) : "ok");
	setrlimit(RLIMIT_NOFILE, &old);
	LOG("handler: poll again %d\n", poll(&pf, 1, 0));
	r = read(ufd, &m, sizeof(m));
	LOG("handler: read %ld event %#x new uffd valid %d\n", r, m.event,
	    fcntl((int)(uint32_t)m.arg[0], F_GETFD) >= 0);
	close((int)(uint32_t)m.arg[0]);
	return NULL;
}

static void test_fork_emfile(void)
{
	printf("-- FORK read with no descriptor left\n");
	ufd = new_uffd(EV_FORK);
	area = map(1);
	reg(ufd, area, PG);
	pthread_t t;
	pthread_create(&t, NULL, emfile_handler, NULL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int st;
	waitpid(pid, &st, 0);
	pthread_join(t, NULL);
	printf("%schild status %#x\n", log_buf, st);
	log_buf[0] = 0;
	close(ufd);
	munmap(area, PG);
}

static char *target, *dst;

/* REMAP, UNMAP, REMOVE: reads one event, trying a COPY first (EAGAIN while it is unread). */
static void *event_handler(void *p)
{
	long what = (long)p;
	struct pollfd pfd = { ufd, POLLIN, 0 };
	if (poll(&pfd, 1, 5000) != 1) {
		LOG("handler: nothing\n");
		return NULL;
	}
	if (what == 1) {
		LOG("handler: closing the uffd unread\n");
		close(ufd);
		return NULL;
	}
	if (what == 2) { /* two events: log their kinds in order */
		for (int i = 0; i < 2; i++) {
			struct uffd_msg m;
			if (poll(&pfd, 1, 5000) != 1 || read(ufd, &m, sizeof(m)) != sizeof(m)) {
				LOG("handler: event %d missing\n", i);
				return NULL;
			}
			LOG("handler: event %#x\n", m.event);
		}
		return NULL;
	}
	int64_t res;
	long r = copy(ufd, target, 'x', &res);
	LOG("handler: copy before the read: %s res %lld\n", r ? errname((int)-r) : "0",
	    (long long)res);
	struct uffd_msg m;
	if (read(ufd, &m, sizeof(m)) != sizeof(m)) {
		LOG("handler: read failed\n");
		return NULL;
	}
	uint64_t b = (uint64_t)area;
	switch (m.event) {
	case 0x14:
		LOG("handler: REMAP from +%lld to the new place %d len %llu\n",
		    (long long)(m.arg[0] - b), m.arg[1] == (uint64_t)dst,
		    (unsigned long long)m.arg[2]);
		break;
	case 0x15:
	case 0x16:
		LOG("handler: %s +%lld..+%lld\n", m.event == 0x15 ? "REMOVE" : "UNMAP",
		    (long long)(m.arg[0] - b), (long long)(m.arg[1] - b));
		break;
	default:
		LOG("handler: event %#x\n", m.event);
	}
	return NULL;
}

/* After the call that caused the event returned (mmap_changing is back to 0). */
static void copy_after(void)
{
	int64_t res;
	long r = copy(ufd, target, 'y', &res);
	printf("copy after the call: %s res %lld\n", r ? errname((int)-r) : "0", (long long)res);
}

static void run_handler(long what, pthread_t *t)
{
	log_buf[0] = 0;
	pthread_create(t, NULL, event_handler, (void *)what);
}

static void test_events(void)
{
	pthread_t t;

	printf("-- REMAP\n");
	ufd = new_uffd(EV_REMAP);
	area = map(4);
	dst = map(4);
	area[0] = 'r';
	reg(ufd, area, 2 * PG);
	target = area + 3 * PG; /* not registered: the COPY after the read says ENOENT */
	run_handler(0, &t);
	char *got = mremap(area, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	pthread_join(t, NULL);
	printf("%smremap moved %d, holds %c, new place registered %d\n", log_buf, got == dst,
	       dst[0], has_um(dst));
	copy_after();
	close(ufd);
	munmap(area - PG, 6 * PG);
	munmap(dst - PG, 6 * PG);

	printf("-- REMAP and UNMAP\n");
	ufd = new_uffd(EV_REMAP | EV_UNMAP);
	area = map(2);
	dst = map(2);
	reg(ufd, area, 2 * PG);
	run_handler(2, &t);
	got = mremap(area, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	pthread_join(t, NULL);
	printf("%smremap moved %d\n", log_buf, got == dst);
	close(ufd);
	munmap(dst, 2 * PG);

	printf("-- UNMAP\n");
	ufd = new_uffd(EV_UNMAP);
	area = map(4);
	reg(ufd, area, 4 * PG);
	target = area + 3 * PG;
	run_handler(0, &t);
	printf("munmap of pages 1-2: %d\n", munmap(area + PG, 2 * PG));
	pthread_join(t, NULL);
	printf("%s", log_buf);
	copy_after();
	run_handler(0, &t);
	printf("munmap of pages 0-3: %d\n", munmap(area, 4 * PG));
	pthread_join(t, NULL);
	printf("%s", log_buf);
	copy_after();
	close(ufd);

	printf("-- REMOVE\n");
	ufd = new_uffd(EV_REMOVE);
	area = map(4);
	area[PG] = 1;
	reg(ufd, area, 4 * PG);
	target = area + 3 * PG;
	run_handler(0, &t);
	printf("MADV_DONTNEED of pages 1-2: %d\n", madvise(area + PG, 2 * PG, MADV_DONTNEED));
	pthread_join(t, NULL);
	printf("%s", log_buf);
	copy_after();
	printf("page 3 holds %c\n", area[3 * PG]);
	close(ufd);
	munmap(area, 4 * PG);

	printf("-- UNMAP, the uffd closed unread\n");
	ufd = new_uffd(EV_UNMAP);
	area = map(2);
	reg(ufd, area, 2 * PG);
	run_handler(1, &t);
	printf("munmap: %d\n", munmap(area, 2 * PG));
	pthread_join(t, NULL);
	printf("%s", log_buf);

	printf("-- no event asked for\n");
	ufd = new_uffd(0);
	area = map(2);
	reg(ufd, area, 2 * PG);
	printf("munmap: %d\n", munmap(area, PG));
	printf("MADV_DONTNEED: %d\n", madvise(area + PG, PG, MADV_DONTNEED));
	struct pollfd p = { ufd, POLLIN, 0 };
	printf("poll: %d\n", poll(&p, 1, 0));
	close(ufd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_fork();
	test_fork_emfile();
	test_events();
	return 0;
}
