/* uffdstress: userfaults racing the end of their registration. Three threads touch the pages
 * of a userfaultfd-registered range while a handler thread serves some of them with UFFDIO_COPY
 * and the main thread, at once, unregisters the range, closes the uffd, or maps new memory over
 * the range (then closes the uffd, whose release wakes the faults left on the old range). Every
 * toucher must finish: the kernel must neither hang nor crash (run with --smp 4). */
#define _GNU_SOURCE
#include "common.h"
#include "uffdcommon.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mman.h>

#define PAGES 16
#define ITERATIONS 150

static int ufd;
static char *area;
static volatile int stop;

static void *toucher(void *p)
{
	long id = (long)p;

	for (int i = 0; i < PAGES; i++) {
		int pg = (int)((i * 7 + id * 5) % PAGES);
		if (id & 1)
			((volatile char *)area)[pg * PG + id] = 1;
		else
			(void)((volatile char *)area)[pg * PG + id];
	}
	return NULL;
}

static void *handler(void *p)
{
	static char src[PG];
	int fd = (int)(long)p;

	(void)p;
	while (!stop) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		if (poll(&pfd, 1, 10) != 1 || !(pfd.revents & POLLIN))
			continue;
		uint64_t msg[4];
		if (read(fd, msg, sizeof(msg)) != sizeof(msg))
			continue;
		uint64_t c[5] = { msg[2] & ~(PG - 1), (uint64_t)src, PG, 0, 0 };
		sys3(SYS_ioctl, fd, (long)UFFDIO_COPY, (long)c);
	}
	return NULL;
}

/* A child stuck for its uffd: how 0 munmap with EVENT_UNMAP unread, 1 a write to a
 * write-protected page, 2 a read(2) into a missing page; killed by SIGKILL from the parent. */
static void stuck(int how)
{
	int fd = (int)sys1(NR_userfaultfd, O_NONBLOCK);
	uint64_t features[3] = { 1ULL << 6, 1, 0 };
	uint64_t api[3] = { 0xAA, features[how], 0 };
	sys3(SYS_ioctl, fd, (long)UFFDIO_API, (long)api);
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	uint64_t reg[4] = { (uint64_t)p, PG, how == 1 ? 2 : 1, 0 };
	sys3(SYS_ioctl, fd, (long)UFFDIO_REGISTER, (long)reg);
	if (how == 0) {
		munmap(p, PG);
	} else if (how == 1) {
		uint64_t w[3] = { (uint64_t)p, PG, 1 };
		sys3(SYS_ioctl, fd, (long)UFFDIO_WRITEPROTECT, (long)w);
		p[0] = 2;
	} else {
		madvise(p, PG, MADV_DONTNEED);
		int pfd[2];
		pipe(pfd);
		write(pfd[1], "x", 1);
		read(pfd[0], p, 1);
	}
	_exit(0);
}

int main(void)
{
	int finished = 0;

	for (int how = 0; how < 3; how++) {
		pid_t pid = fork();
		if (pid == 0)
			stuck(how);
		usleep(200000);
		kill(pid, SIGKILL);
		int st;
		waitpid(pid, &st, 0);
		printf("stuck child %d: status %#x\n", how, st);
	}

	for (int it = 0; it < ITERATIONS; it++) {
		ufd = (int)sys1(NR_userfaultfd, O_NONBLOCK);
		uint64_t api[3] = { 0xAA, 0, 0 };
		sys3(SYS_ioctl, ufd, (long)UFFDIO_API, (long)api);
		area = mmap(NULL, PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);
		uint64_t reg[4] = { (uint64_t)area, PAGES * PG, 1, 0 };
		if (sys3(SYS_ioctl, ufd, (long)UFFDIO_REGISTER, (long)reg)) {
			printf("register failed\n");
			return 1;
		}
		/* The handler gets its own descriptor, so that closing ufd releases the uffd only
		 * when the handler is done with it. */
		int hfd = it % 3 == 1 ? -1 : dup(ufd);
		pthread_t t[3], h;
		stop = 0;
		if (hfd >= 0)
			pthread_create(&h, NULL, handler, (void *)(long)hfd);
		for (long i = 0; i < 3; i++)
			pthread_create(&t[i], NULL, toucher, (void *)i);
		for (volatile int spin = 0; spin < (it % 5) * 2000; spin++)
			;
		switch (it % 3) {
		case 0: {
			uint64_t r[2] = { (uint64_t)area, PAGES * PG };
			sys3(SYS_ioctl, ufd, (long)UFFDIO_UNREGISTER, (long)r);
			break;
		}
		case 1:
			close(ufd);
			ufd = -1;
			break;
		case 2:
			mmap(area, PAGES * PG, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		}
		if (hfd >= 0) {
			stop = 1;
			pthread_join(h, NULL);
			close(hfd);
		}
		if (ufd >= 0)
			close(ufd);
		for (int i = 0; i < 3; i++)
			pthread_join(t[i], NULL);
		munmap(area, PAGES * PG);
		finished++;
	}
	printf("%d iterations, every toucher finished\n", finished);
	return 0;
}
