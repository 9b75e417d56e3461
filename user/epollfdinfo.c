/* epollfdinfo (Warden-only): /proc/PID/fdinfo/N of an epoll set keeps the set's file while it
 * waits for the set's mtx. An epoll_wait holds the mtx asleep in a userfaultfd fault on its
 * events buffer; a second thread reads the set's fdinfo and sleeps for the mtx; the descriptor
 * is closed and the fault resolved: the epoll_wait's fput is then not the last (the reader's
 * reference is), so the set is freed only after the reader is done, never under it. Prints
 * PASS; a reader left asleep on a freed set hung (the set freed under it) before fdinfo held
 * the file. */
#define _GNU_SOURCE
#include "common.h"
#include "uffdcommon.h"
#include <fcntl.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/mman.h>

static int ufd, epfd, pipefd[2];
static char *area;
static volatile int waited = -2, info_len = -2;
static char info[512];

static void *waiter(void *p)
{
	(void)p;
	/* the events land in a missing page of a registered range: the copy out waits */
	waited = epoll_wait(epfd, (struct epoll_event *)area, 1, 5000);
	return NULL;
}

static void *reader(void *p)
{
	char path[64];
	(void)p;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", epfd);
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		info_len = -1;
		return NULL;
	}
	info_len = (int)read(fd, info, sizeof(info) - 1); /* sleeps for the set's mtx */
	close(fd);
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	ufd = (int)sys1(NR_userfaultfd, O_CLOEXEC);
	uint64_t a[3] = { UFFD_API, 0, 0 };
	show("api", sys3(SYS_ioctl, ufd, (long)UFFDIO_API, (long)a));
	area = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t r[4] = { (uint64_t)area, PG, 1, 0 };
	show("register", sys3(SYS_ioctl, ufd, (long)UFFDIO_REGISTER, (long)r));

	pipe(pipefd);
	write(pipefd[1], "x", 1);
	epfd = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 42 };
	show("epoll_ctl", epoll_ctl(epfd, EPOLL_CTL_ADD, pipefd[0], &ev));

	pthread_t w, rd;
	pthread_create(&w, NULL, waiter, NULL);
	struct uffd_msg m;
	show("the waiter faults", read(ufd, &m, sizeof(m)) == sizeof(m) ? 0 : -errno);
	pthread_create(&rd, NULL, reader, NULL);
	usleep(300000); /* the reader is asleep for the mtx */
	show("close the set", close(epfd));

	static char page[PG] __attribute__((aligned(4096)));
	uint64_t c[5] = { (uint64_t)area, (uint64_t)page, PG, 0, 0 };
	show("resolve the fault", sys3(SYS_ioctl, ufd, (long)UFFDIO_COPY, (long)c));
	pthread_join(w, NULL);
	pthread_join(rd, NULL);
	struct epoll_event *got = (struct epoll_event *)area;
	printf("epoll_wait: %d data %llu\n", waited, (unsigned long long)got->data.u64);
	/* Warden fills the text at open (where the reader slept) and again at the read, by when the
	 * descriptor is closed (ENOENT); Linux slept in the read and shows the set. Either way the
	 * reader must come back. */
	printf("fdinfo reader: %s\n", info_len == -2 ? "never returned" : "returned");
	printf(waited == 1 && info_len != -2 ? "PASS\n" : "FAIL\n");
	return 0;
}
