/* uffd: userfaultfd(2) on private anonymous memory, as Linux 6.1 does it: creation flags and
 * permission, UFFDIO_API's handshake, REGISTER/UNREGISTER with their errors and the VMA splits
 * and merges they make (smaps VmFlags "um"), a handler thread resolving faults with COPY and
 * ZEROPAGE, the message (flags, address, THREAD_ID, EXACT_ADDRESS), O_NONBLOCK reads, poll, a
 * kernel access that waits (write(2) from a registered buffer) or fails (UFFD_USER_MODE_ONLY),
 * UFFD_FEATURE_SIGBUS, a signal while waiting, UNREGISTER and close waking a waiting fault, and
 * fork (the child is not registered). */
#define _GNU_SOURCE
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#define NR_userfaultfd 323
#define UFFD_USER_MODE_ONLY 1
#define UFFD_API 0xAAULL
#define UFFD_FEATURE_SIGBUS (1ULL << 7)
#define UFFD_FEATURE_THREAD_ID (1ULL << 8)
#define UFFD_FEATURE_EXACT_ADDRESS (1ULL << 11)
#define IOC(dir, nr, size) (((unsigned long)(dir) << 30) | ((size) << 16) | (0xAA << 8) | (nr))
#define UFFDIO_API IOC(3, 0x3F, 24)
#define UFFDIO_REGISTER IOC(3, 0x00, 32)
#define UFFDIO_UNREGISTER IOC(2, 0x01, 16)
#define UFFDIO_WAKE IOC(2, 0x02, 16)
#define UFFDIO_COPY IOC(3, 0x03, 40)
#define UFFDIO_ZEROPAGE IOC(3, 0x04, 32)
#define MODE_MISSING 1ULL
#define MODE_WP 2ULL

struct uffd_msg {
	uint8_t event, r1;
	uint16_t r2;
	uint32_t r3;
	uint64_t flags, address;
	uint32_t ptid, pad;
};
struct uffdio_api {
	uint64_t api, features, ioctls;
};
struct uffdio_range {
	uint64_t start, len;
};
struct uffdio_register {
	struct uffdio_range range;
	uint64_t mode, ioctls;
};
struct uffdio_copy {
	uint64_t dst, src, len, mode;
	int64_t copy;
};
struct uffdio_zeropage {
	struct uffdio_range range;
	uint64_t mode;
	int64_t zeropage;
};

#define PG 4096UL

static long uffd_new(long flags)
{
	return sys1(NR_userfaultfd, flags);
}

static long api(int fd, uint64_t features)
{
	struct uffdio_api a = { UFFD_API, features, 0 };
	return sys3(SYS_ioctl, fd, (long)UFFDIO_API, (long)&a);
}

static long reg(int fd, void *start, unsigned long len, uint64_t mode, uint64_t *ioctls)
{
	struct uffdio_register r = { { (uint64_t)start, len }, mode, 0 };
	long ret = sys3(SYS_ioctl, fd, (long)UFFDIO_REGISTER, (long)&r);
	if (ioctls)
		*ioctls = r.ioctls;
	return ret;
}

static long unreg(int fd, void *start, unsigned long len)
{
	struct uffdio_range r = { (uint64_t)start, len };
	return sys3(SYS_ioctl, fd, (long)UFFDIO_UNREGISTER, (long)&r);
}

static long copy(int fd, void *dst, const void *src, unsigned long len, uint64_t mode,
		 int64_t *res)
{
	struct uffdio_copy c = { (uint64_t)dst, (uint64_t)src, len, mode, 12345 };
	long ret = sys3(SYS_ioctl, fd, (long)UFFDIO_COPY, (long)&c);
	if (res)
		*res = c.copy;
	return ret;
}

static long zeropage(int fd, void *dst, unsigned long len, int64_t *res)
{
	struct uffdio_zeropage z = { { (uint64_t)dst, len }, 0, 12345 };
	long ret = sys3(SYS_ioctl, fd, (long)UFFDIO_ZEROPAGE, (long)&z);
	if (res)
		*res = z.zeropage;
	return ret;
}

/* pages read-write pages between two PROT_NONE guard pages, so that nothing merges with them. */
static char *map(int pages)
{
	char *g = mmap(NULL, (pages + 2) * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return mmap(g + PG, pages * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

/* The VMAs of /proc/self/smaps that meet [p, p+len): "N vmas: [pages um]...", the pages
 * counted inside the range. */
static void show_vmas(const char *what, char *p, unsigned long len)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int n = 0, in = 0;
	char desc[256] = "";
	unsigned long b = (unsigned long)p, t = b + len;

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long s, e;
		if (line[strspn(line, "0123456789abcdef")] == '-' &&
		    sscanf(line, "%lx-%lx ", &s, &e) == 2) {
			in = s < t && e > b;
			if (in) {
				n++;
				s = s < b ? b : s;
				e = e > t ? t : e;
				snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc), " [%lu",
					 (e - s) / PG);
			}
		} else if (in && !strncmp(line, "VmFlags:", 8)) {
			snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc), "%s]",
				 strstr(line, " um") ? " um" : "");
		}
	}
	if (f)
		fclose(f);
	printf("%s: %d vmas:%s\n", what, n, desc);
}

static int ufd;
static char *area;
/* What the other threads saw, printed by main after joining them (a fixed order). */
static char log_buf[4096];
#define LOG(...) \
	snprintf(log_buf + strlen(log_buf), sizeof(log_buf) - strlen(log_buf), __VA_ARGS__)

/* The handler thread: serves `count` faults of `area` by COPY (page i gets 'a'+i) or, for odd
 * pages when zero is set, ZEROPAGE; prints each message. */
struct handler_arg {
	int count;
	int zero;
	uint64_t features;
};

static void *handler(void *p)
{
	struct handler_arg *h = p;
	static char src[PG];

	for (int i = 0; i < h->count; i++) {
		struct pollfd pfd = { ufd, POLLIN, 0 };
		int r = poll(&pfd, 1, 5000);
		struct uffd_msg m;
		long n = read(ufd, &m, sizeof(m));
		if (r != 1 || n != sizeof(m)) {
			LOG("handler: poll %d revents %#x read %ld\n", r, pfd.revents, n);
			return NULL;
		}
		unsigned long off = m.address - (unsigned long)area;
		unsigned long pg = off / PG;
		/* The offset only for the user accesses: a kernel copy's exact address varies. */
		LOG("handler: event %#x flags %llu page %lu offset-in-page %ld ptid %s\n", m.event,
		    (unsigned long long)m.flags, pg, pg < 2 ? (long)(off % PG) : -1L,
		       !(h->features & UFFD_FEATURE_THREAD_ID) ? (m.ptid ? "set!" : "0")
		       : m.ptid == (uint32_t)getpid()	      ? "main"
							      : "other");
		int64_t res;
		long ret;
		if (h->zero && (pg & 1)) {
			ret = zeropage(ufd, area + pg * PG, PG, &res);
			LOG("handler: zeropage %ld res %lld\n", ret, (long long)res);
		} else {
			memset(src, 'a' + (int)pg, PG);
			ret = copy(ufd, area + pg * PG, src, PG, 0, &res);
			LOG("handler: copy %ld res %lld\n", ret, (long long)res);
		}
	}
	return NULL;
}

static void basics(void)
{
	printf("-- creation\n");
	show("userfaultfd(0x2)", uffd_new(2));
	show("userfaultfd(0x80)", uffd_new(0x80));
	show("userfaultfd(O_RDWR)", uffd_new(O_RDWR));
	long fd = uffd_new(O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	show_ok("userfaultfd(CLOEXEC|NONBLOCK|USER_MODE_ONLY)", fd);
	printf("fcntl F_GETFD %d, F_GETFL O_NONBLOCK %d O_ACCMODE %d\n", fcntl(fd, F_GETFD),
	       !!(fcntl(fd, F_GETFL) & O_NONBLOCK), fcntl(fd, F_GETFL) & O_ACCMODE);
	char link[64] = "";
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%ld", fd);
	ssize_t ln = readlink(path, link, sizeof(link) - 1);
	printf("fd link: %.*s\n", (int)(ln > 0 ? ln : 0), link);

	printf("-- before UFFDIO_API\n");
	char buf[64];
	struct pollfd pfd = { (int)fd, POLLIN, 0 };
	printf("poll: %d revents %#x\n", poll(&pfd, 1, 0), pfd.revents);
	show("read", sys3(SYS_read, fd, (long)buf, sizeof(buf)));
	char *p = map(3);
	show("register", reg((int)fd, p, PG, MODE_MISSING, NULL));
	show("bad ioctl", sys3(SYS_ioctl, fd, 0x1234, 0));

	printf("-- UFFDIO_API\n");
	struct uffdio_api a = { 0xAB, 0, 77 };
	show("api 0xAB", sys3(SYS_ioctl, fd, (long)UFFDIO_API, (long)&a));
	printf("  written back: api %llu features %llu ioctls %llu\n", (unsigned long long)a.api,
	       (unsigned long long)a.features, (unsigned long long)a.ioctls);
	a = (struct uffdio_api){ UFFD_API, 1ULL << 30, 0 };
	show("api unknown feature", sys3(SYS_ioctl, fd, (long)UFFDIO_API, (long)&a));
	show("api bad pointer", sys3(SYS_ioctl, fd, (long)UFFDIO_API, 16));
	a = (struct uffdio_api){ UFFD_API, UFFD_FEATURE_THREAD_ID, 0 };
	show("api THREAD_ID", sys3(SYS_ioctl, fd, (long)UFFDIO_API, (long)&a));
	printf("  api %#llx ioctls %#llx, offers SIGBUS %d THREAD_ID %d EXACT_ADDRESS %d\n",
	       (unsigned long long)a.api, (unsigned long long)a.ioctls,
	       !!(a.features & UFFD_FEATURE_SIGBUS), !!(a.features & UFFD_FEATURE_THREAD_ID),
	       !!(a.features & UFFD_FEATURE_EXACT_ADDRESS));
	a = (struct uffdio_api){ UFFD_API, 0, 0 };
	show("api again", sys3(SYS_ioctl, fd, (long)UFFDIO_API, (long)&a));
	printf("  written back: api %llu\n", (unsigned long long)a.api);

	printf("-- after UFFDIO_API\n");
	printf("poll: %d revents %#x\n", poll(&pfd, 1, 0), pfd.revents);
	show("read (nothing queued, O_NONBLOCK)", sys3(SYS_read, fd, (long)buf, sizeof(buf)));
	show("read 31 bytes", sys3(SYS_read, fd, (long)buf, 31));
	show("lseek", sys3(SYS_lseek, fd, 0, SEEK_SET));

	printf("-- UFFDIO_REGISTER errors\n");
	uint64_t ioctls = 0;
	show("mode 0", reg((int)fd, p, PG, 0, NULL));
	show("mode 8", reg((int)fd, p, PG, 8, NULL));
	show("unaligned start", reg((int)fd, p + 1, PG, MODE_MISSING, NULL));
	show("unaligned len", reg((int)fd, p, 100, MODE_MISSING, NULL));
	show("len 0", reg((int)fd, p, 0, MODE_MISSING, NULL));
	show("past the user half", reg((int)fd, (void *)0x7ffffffff000UL, 2 * PG, MODE_MISSING, NULL));
	show("bad pointer", sys3(SYS_ioctl, fd, (long)UFFDIO_REGISTER, 8));
	munmap(p + PG, PG);
	show("a hole", reg((int)fd, p + PG, PG, MODE_MISSING, NULL));
	munmap(p, 3 * PG);

	printf("-- REGISTER splits and merges\n");
	p = map(4);
	show_vmas("mapped", p, 4 * PG);
	show("register page 1-2", reg((int)fd, p + PG, 2 * PG, MODE_MISSING, &ioctls));
	printf("  ioctls %#llx\n", (unsigned long long)ioctls);
	show_vmas("registered", p, 4 * PG);
	show("register page 2 again", reg((int)fd, p + 2 * PG, PG, MODE_MISSING, &ioctls));
	show_vmas("again", p, 4 * PG);
	long fd2 = uffd_new(O_NONBLOCK);
	api((int)fd2, 0);
	show("register with another uffd", reg((int)fd2, p, 4 * PG, MODE_MISSING, NULL));
	show("register page 0 with it", reg((int)fd2, p, PG, MODE_MISSING, NULL));
	show_vmas("two uffds", p, 4 * PG);
	show("register page 3 with the first", reg((int)fd, p + 3 * PG, PG, MODE_MISSING, NULL));
	show_vmas("pages 1-3 one uffd", p, 4 * PG);
	show("unregister page 2 (other uffd's call)", unreg((int)fd2, p + 2 * PG, PG));
	show_vmas("page 2 unregistered", p, 4 * PG);
	show("unregister all", unreg((int)fd, p, 4 * PG));
	show_vmas("unregistered", p, 4 * PG);
	show("unregister unaligned", unreg((int)fd, p + 1, PG));
	show("unregister a hole", unreg((int)fd, p + 8 * PG, PG));
	show("register PROT_NONE", (mprotect(p, PG, PROT_NONE), reg((int)fd, p, PG, MODE_MISSING, NULL)));
	show_vmas("PROT_NONE registered", p, 4 * PG);
	show("close second uffd", close((int)fd2));
	show_vmas("after its close", p, 4 * PG);
	close((int)fd);
	munmap(p, 4 * PG);
}

static void copy_errors(void)
{
	printf("-- COPY, ZEROPAGE, WAKE errors\n");
	ufd = (int)uffd_new(O_NONBLOCK);
	api(ufd, 0);
	char *p = map(2), *q = map(1);
	static char src[2 * PG];
	int64_t res;
	reg(ufd, p, 2 * PG, MODE_MISSING, NULL);
	show("copy page 0", copy(ufd, p, src, PG, 0, &res));
	printf("  copy %lld\n", (long long)res);
	show("copy page 0 again", copy(ufd, p, src, PG, 0, &res));
	printf("  copy %lld\n", (long long)res);
	show("copy pages 0-1", copy(ufd, p, src, 2 * PG, 0, &res));
	printf("  copy %lld\n", (long long)res);
	show("zeropage page 0", zeropage(ufd, p, PG, &res));
	printf("  zeropage %lld\n", (long long)res);
	show("copy unregistered", copy(ufd, q, src, PG, 0, &res));
	printf("  copy %lld\n", (long long)res);
	show("copy past the VMA", copy(ufd, p + PG, src, 2 * PG, 0, &res));
	printf("  copy %lld\n", (long long)res);
	show("copy bad src", copy(ufd, p + PG, (void *)8, PG, 0, &res));
	printf("  copy %lld\n", (long long)res);
	show("copy mode 4", copy(ufd, p + PG, src, PG, 4, &res));
	printf("  copy %lld\n", (long long)res);
	show("copy mode WP", copy(ufd, p + PG, src, PG, 2, &res));
	printf("  copy %lld\n", (long long)res);
	show("copy unaligned", copy(ufd, p + 1, src, PG, 0, &res));
	show("copy len 0", copy(ufd, p, src, 0, 0, &res));
	show("copy src wraps", copy(ufd, p, (void *)-4096L, PG, 0, &res));
	show("zeropage page 1", zeropage(ufd, p + PG, PG, &res));
	printf("  zeropage %lld, reads %d\n", (long long)res, p[PG]);
	struct uffdio_zeropage z = { { (uint64_t)p, PG }, 2, 0 };
	show("zeropage mode 2", sys3(SYS_ioctl, ufd, (long)UFFDIO_ZEROPAGE, (long)&z));
	struct uffdio_range w = { (uint64_t)p, PG };
	show("wake", sys3(SYS_ioctl, ufd, (long)UFFDIO_WAKE, (long)&w));
	w.len = 0;
	show("wake len 0", sys3(SYS_ioctl, ufd, (long)UFFDIO_WAKE, (long)&w));
	w = (struct uffdio_range){ (uint64_t)q, PG };
	show("wake unregistered", sys3(SYS_ioctl, ufd, (long)UFFDIO_WAKE, (long)&w));
	w = (struct uffdio_range){ 0, PG };
	show("wake at 0", sys3(SYS_ioctl, ufd, (long)UFFDIO_WAKE, (long)&w));
	w = (struct uffdio_range){ 4 * PG, PG };
	show("wake below mmap_min_addr", sys3(SYS_ioctl, ufd, (long)UFFDIO_WAKE, (long)&w));
	show("register at 0", reg(ufd, NULL, PG, MODE_MISSING, NULL));
	show("copy to 0", copy(ufd, NULL, src, PG, 0, &res));
	show("zeropage at 0", zeropage(ufd, NULL, PG, &res));
	printf("  page 0 holds %d, page 1 %d\n", p[0], p[PG]);
	close(ufd);
	munmap(p, 2 * PG);
	munmap(q, PG);
}

/* Faults served by the handler thread: reads, writes, COPY and ZEROPAGE, a kernel access. */
static void served(uint64_t features, int zero)
{
	printf("-- faults served (features %#llx, zero %d)\n", (unsigned long long)features, zero);
	ufd = (int)uffd_new(O_NONBLOCK | O_CLOEXEC);
	show("api", api(ufd, features));
	area = map(4);
	reg(ufd, area, 4 * PG, MODE_MISSING, NULL);
	struct handler_arg h = { 4, zero, features };
	pthread_t t;
	pthread_create(&t, NULL, handler, &h);
	char v0 = ((volatile char *)area)[100];
	printf("main: page 0 reads %d\n", v0);
	((volatile char *)area)[PG + 5] = 'X';
	printf("main: page 1 written, holds %d %c\n", area[PG], area[PG + 5]);
	int pfd[2];
	pipe(pfd);
	long n = write(pfd[1], area + 2 * PG + 7, 3);
	char got[4] = "";
	read(pfd[0], got, 3);
	printf("main: write(2) from page 2: %ld \"%.3s\"\n", n, got);
	n = read(pfd[0], area, 0);
	write(pfd[1], "zz", 2);
	n = read(pfd[0], area + 3 * PG + 10, 2);
	printf("main: read(2) into page 3: %ld, holds %d %c\n", n, area[3 * PG], area[3 * PG + 10]);
	pthread_join(t, NULL);
	printf("%s", log_buf);
	log_buf[0] = 0;
	close(pfd[0]);
	close(pfd[1]);
	close(ufd);
	munmap(area, 4 * PG);
}

static void user_mode_only(void)
{
	printf("-- UFFD_USER_MODE_ONLY: a kernel access fails\n");
	ufd = (int)uffd_new(O_NONBLOCK | UFFD_USER_MODE_ONLY);
	api(ufd, 0);
	area = map(1);
	reg(ufd, area, PG, MODE_MISSING, NULL);
	int pfd[2];
	pipe(pfd);
	show("write(2) from a registered page", sys3(SYS_write, pfd[1], (long)area, 4));
	struct pollfd p = { ufd, POLLIN, 0 };
	printf("poll: %d\n", poll(&p, 1, 0));
	close(pfd[0]);
	close(pfd[1]);
	close(ufd);
	munmap(area, PG);
}

static void sigbus_child(void)
{
	ufd = (int)uffd_new(O_NONBLOCK);
	api(ufd, UFFD_FEATURE_SIGBUS);
	area = map(1);
	reg(ufd, area, PG, MODE_MISSING, NULL);
	int pfd[2];
	pipe(pfd);
	printf("child: write(2) from the page: %s\n",
	       errname((int)-sys3(SYS_write, pfd[1], (long)area, 4)));
	fflush(stdout);
	((volatile char *)area)[0] = 1;
	printf("child: not killed\n");
}

static volatile int usr1;
static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

static void *toucher(void *p)
{
	(void)p;
	char v = ((volatile char *)area)[0];
	LOG("toucher: page 0 reads %d\n", v);
	return NULL;
}

/* A fault waiting while: a signal comes (the fault is retried after the handler), then the
 * range is unregistered (it completes with a zero page). */
static void waits(void)
{
	printf("-- a waiting fault: signal, then UNREGISTER\n");
	ufd = (int)uffd_new(O_NONBLOCK);
	api(ufd, 0);
	area = map(1);
	reg(ufd, area, PG, MODE_MISSING, NULL);
	signal(SIGUSR1, on_usr1);
	pthread_t t;
	pthread_create(&t, NULL, toucher, NULL);
	struct pollfd p = { ufd, POLLIN, 0 };
	struct uffd_msg m;
	printf("poll: %d\n", poll(&p, 1, 5000));
	printf("read: %ld\n", read(ufd, &m, sizeof(m)));
	pthread_kill(t, SIGUSR1);
	printf("poll after the signal: %d\n", poll(&p, 1, 5000));
	printf("usr1 %d, read: %ld\n", usr1, read(ufd, &m, sizeof(m)));
	show("unregister", unreg(ufd, area, PG));
	pthread_join(t, NULL);
	printf("%s", log_buf);
	log_buf[0] = 0;
	close(ufd);
	munmap(area, PG);

	printf("-- a waiting fault: close\n");
	ufd = (int)uffd_new(O_NONBLOCK);
	api(ufd, 0);
	area = map(1);
	reg(ufd, area, PG, MODE_MISSING, NULL);
	pthread_create(&t, NULL, toucher, NULL);
	printf("poll: %d\n", poll(&p, 1, 5000));
	char fdinfo[256] = "";
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ufd);
	FILE *f = fopen(path, "r");
	char line[128];
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "pending", 7) || !strncmp(line, "total", 5) ||
		    !strncmp(line, "API", 3))
			strcat(fdinfo, line);
	if (f)
		fclose(f);
	printf("fdinfo:\n%s", fdinfo);
	show("close", close(ufd));
	pthread_join(t, NULL);
	printf("%s", log_buf);
	log_buf[0] = 0;
	show_vmas("after close", area, PG);
	munmap(area, PG);
}

/* A thread whose clear_child_tid word is a registered missing page, exiting. */
static void *tid_exiter(void *arg)
{
	sys1(SYS_set_tid_address, (long)arg);
	sys1(SYS_exit, 0);
	return NULL;
}

/* How many threads /proc/self/status counts. */
static int thread_count(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	int n = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

/* The child: a uffd nobody reads, its robust list head (or a thread's tid word) on a
 * registered missing page, then exit. */
static void exit_on_registered(int tid)
{
	int fd = (int)uffd_new(O_NONBLOCK);
	api(fd, 0);
	char *p = map(1);
	reg(fd, p, PG, MODE_MISSING, NULL);
	if (tid) {
		pthread_t t;
		pthread_create(&t, NULL, tid_exiter, p);
		/* The thread must finish exiting on its own: status 3 when it did, 4 if not. */
		for (int i = 0; i < 300; i++) {
			usleep(10000);
			if (thread_count() == 1)
				sys1(SYS_exit_group, 3);
		}
		sys1(SYS_exit_group, 4);
	} else {
		sys2(SYS_set_robust_list, (long)p, 24);
	}
	sys1(SYS_exit_group, 3);
}

/* Forks a child exiting as above; it must be reaped (the exiting accesses fail, not wait). */
static void exiting(int tid)
{
	pid_t pid = fork();
	if (pid == 0)
		exit_on_registered(tid);
	int st = 0, i;
	for (i = 0; i < 500 && waitpid(pid, &st, WNOHANG) == 0; i++)
		usleep(10000);
	if (i == 500) {
		printf("%s: child stuck in exit\n", tid ? "clear_child_tid" : "robust list");
		kill(pid, SIGKILL);
		return;
	}
	printf("%s: child status %#x\n", tid ? "clear_child_tid" : "robust list", st);
}

/* The futex calls that touch a word on a registered missing page with bucket locks held. */
static int futex_w1;
static long futex_res;
static int futex_kind;

static void *futex_caller(void *arg)
{
	uint32_t *w = arg;
	if (futex_kind == 0) { /* FUTEX_WAKE_OP: add 1, wake w's waiters if the old value was 0 */
		futex_res = syscall(SYS_futex, &futex_w1, 5 | 128, 1, 1, w, (1 << 28) | (1 << 12));
	} else if (futex_kind == 1) { /* FUTEX_CMP_REQUEUE with w as the compared word */
		futex_res = syscall(SYS_futex, w, 4 | 128, 1, 1, &futex_w1, 0);
	} else { /* futex_waitv on w, expecting 1 */
		struct {
			uint64_t val, uaddr;
			uint32_t flags, reserved;
		} wv = { 1, (uint64_t)w, 2 | 128, 0 };
		futex_res = syscall(449, &wv, 1, 0, NULL, 1);
	}
	if (futex_res < 0)
		futex_res = -errno;
	return NULL;
}

/* Each call faults to the handler (it waits without the bucket locks), a FUTEX_WAKE meanwhile
 * returns, and the call completes once the page is there. */
static void futex_words(void)
{
	static const char *names[] = { "FUTEX_WAKE_OP", "FUTEX_CMP_REQUEUE", "futex_waitv" };

	for (futex_kind = 0; futex_kind < 3; futex_kind++) {
		ufd = (int)uffd_new(O_NONBLOCK);
		api(ufd, 0);
		area = map(1);
		reg(ufd, area, PG, MODE_MISSING, NULL);
		pthread_t t;
		pthread_create(&t, NULL, futex_caller, area);
		struct pollfd pf = { ufd, POLLIN, 0 };
		int n = poll(&pf, 1, 3000);
		struct uffd_msg m = { 0 };
		if (n == 1 && read(ufd, &m, sizeof(m)) == sizeof(m))
			printf("%s: fault flags %#lx at page %ld\n", names[futex_kind],
			       (unsigned long)m.flags, (long)((char *)m.address - area) / (long)PG);
		else
			printf("%s: no fault\n", names[futex_kind]);
		show("FUTEX_WAKE meanwhile", syscall(SYS_futex, &futex_w1, 1 | 128, 1, 0, 0, 0));
		zeropage(ufd, area, PG, NULL);
		pthread_join(t, NULL);
		show(names[futex_kind], futex_res);
		printf("word %d\n", *(int *)area);
		close(ufd);
		munmap(area, PG);
	}
}

/* UFFDIO_COPY whose source page is itself missing (registered on another uffd): the copy waits
 * for it without mmap_lock, and the destination's registration changes meanwhile (WP gone):
 * every check is made again, MODE_WP is now EINVAL. */
static int copy_ufd;
static char *copy_dst, *copy_src;
static long copy_ret;
static int64_t copy_res;

static void *wp_copier(void *arg)
{
	(void)arg;
	copy_ret = copy(copy_ufd, copy_dst, copy_src, PG, MODE_WP, &copy_res);
	return NULL;
}

static void copy_revalidated(void)
{
	printf("-- UFFDIO_COPY MODE_WP from a missing source, WP unregistered meanwhile\n");
	copy_ufd = (int)uffd_new(O_NONBLOCK);
	api(copy_ufd, 0);
	int src_ufd = (int)uffd_new(O_NONBLOCK);
	api(src_ufd, 0);
	copy_dst = map(1);
	copy_src = map(1);
	show("register dst MISSING|WP",
	     reg(copy_ufd, copy_dst, PG, MODE_MISSING | MODE_WP, NULL));
	show("register src MISSING", reg(src_ufd, copy_src, PG, MODE_MISSING, NULL));
	pthread_t t;
	pthread_create(&t, NULL, wp_copier, NULL);
	struct pollfd pf = { src_ufd, POLLIN, 0 };
	struct uffd_msg m = { 0 };
	if (poll(&pf, 1, 3000) == 1 && read(src_ufd, &m, sizeof(m)) == sizeof(m))
		printf("source fault flags %#lx\n", (unsigned long)m.flags);
	else
		printf("no source fault\n");
	show("unregister dst", unreg(copy_ufd, copy_dst, PG));
	show("register dst MISSING", reg(copy_ufd, copy_dst, PG, MODE_MISSING, NULL));
	zeropage(src_ufd, copy_src, PG, NULL);
	pthread_join(t, NULL);
	show("COPY", copy_ret);
	printf("copy field %lld\n", (long long)copy_res);
	close(src_ufd);
	close(copy_ufd);
	munmap(copy_dst, PG);
	munmap(copy_src, PG);
}

static void forked(void)
{
	printf("-- fork: the child's copy is not registered\n");
	ufd = (int)uffd_new(O_NONBLOCK);
	api(ufd, 0);
	area = map(3);
	reg(ufd, area + PG, PG, MODE_MISSING, NULL);
	show_vmas("parent", area, 3 * PG);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		show_vmas("child", area, 3 * PG);
		printf("child: page 1 reads %d\n", ((volatile char *)area)[PG]);
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("child status %#x\n", st);
	close(ufd);
	munmap(area, 3 * PG);
}

static void unprivileged(void)
{
	setuid(65534);
	show("unprivileged userfaultfd(0)", uffd_new(0));
	show_ok("unprivileged userfaultfd(USER_MODE_ONLY)", uffd_new(UFFD_USER_MODE_ONLY));
	long fd = uffd_new(UFFD_USER_MODE_ONLY);
	struct uffdio_api a = { UFFD_API, 1ULL << 1, 0 };
	show("unprivileged api EVENT_FORK", sys3(SYS_ioctl, fd, (long)UFFDIO_API, (long)&a));
	fflush(stdout);
}

static void unprivileged_allowed(void)
{
	setuid(65534);
	show_ok("unprivileged userfaultfd(0)", uffd_new(0));
	fflush(stdout);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	char s[16] = "";
	int f = open("/proc/sys/vm/unprivileged_userfaultfd", O_RDONLY);
	read(f, s, sizeof(s) - 1);
	close(f);
	printf("vm.unprivileged_userfaultfd = %s", s);
	basics();
	copy_errors();
	served(0, 0);
	served(UFFD_FEATURE_THREAD_ID | UFFD_FEATURE_EXACT_ADDRESS, 1);
	user_mode_only();
	printf("-- UFFD_FEATURE_SIGBUS\n");
	printf("child status %#x\n", child_status(sigbus_child));
	waits();
	printf("-- exiting with a robust list or a tid word on a registered page\n");
	exiting(0);
	exiting(1);
	printf("-- futex words on a registered missing page\n");
	futex_words();
	copy_revalidated();
	forked();
	printf("-- unprivileged\n");
	printf("child status %#x\n", child_status(unprivileged));
	printf("-- vm.unprivileged_userfaultfd = 1\n");
	f = open("/proc/sys/vm/unprivileged_userfaultfd", O_WRONLY);
	printf("write 2: %s\n", write(f, "2\n", 2) < 0 ? errname(errno) : "ok");
	printf("write 1: %s\n", write(f, "1\n", 2) < 0 ? errname(errno) : "ok");
	close(f);
	printf("child status %#x\n", child_status(unprivileged_allowed));
	f = open("/proc/sys/vm/unprivileged_userfaultfd", O_WRONLY);
	write(f, "0\n", 2);
	close(f);
	return 0;
}
