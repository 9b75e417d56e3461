/* epollhostile: what a hostile program may do to epoll (docs/epoll.md) and what Linux 6.1 answers:
 * rings and meshes of sets (ELOOP), chains past EP_MAX_NESTS, a wide tree of sets over many
 * pipes, every fd of the table in one set, maxevents at its limit with a small buffer, a set
 * polled through poll(2) and nested sets closed out of order.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#define EPOLLIN 0x001
#define EPOLLOUT 0x004
#define ADD 1
#define DEL 2

struct ev {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

static long ctl(int ep, int op, int fd, uint32_t events, uint64_t data)
{
	struct ev e = { events, data };
	return sys4(SYS_epoll_ctl, ep, op, fd, (long)&e);
}

static int mkep(void)
{
	return (int)sys1(SYS_epoll_create1, 0);
}

static void rings(void)
{
	int e[40];
	int eloop = 0, ok = 0;
	for (int i = 0; i < 40; i++)
		e[i] = mkep();
	/* every pair both ways: the second of each is a loop */
	for (int i = 0; i < 40; i++)
		for (int j = 0; j < 40; j++) {
			if (i == j)
				continue;
			long r = ctl(e[i], ADD, e[j], EPOLLIN, (uint64_t)j);
			if (r == 0)
				ok++;
			else if (r == -40)
				eloop++;
		}
	printf("mesh of 40 sets: %d added, %d ELOOP\n", ok, eloop);
	for (int i = 0; i < 40; i++)
		close(e[i]);
}

static void chains(void)
{
	int e[12];
	for (int i = 0; i < 12; i++)
		e[i] = mkep();
	for (int i = 1; i < 12; i++) {
		char what[64];
		snprintf(what, sizeof what, "chain: e%d <- e%d", i, i - 1);
		show(what, ctl(e[i], ADD, e[i - 1], EPOLLIN, 0));
	}
	/* close from the middle out */
	close(e[3]);
	close(e[0]);
	for (int i = 1; i < 12; i++)
		if (i != 3)
			close(e[i]);
}

static void wide(void)
{
	int top = mkep(), sub[50], p[2];
	pipe(p);
	for (int i = 0; i < 50; i++) {
		sub[i] = mkep();
		for (int j = 0; j < 10; j++) {
			int d = dup(p[0]);
			ctl(sub[i], ADD, d, EPOLLIN, (uint64_t)j);
		}
		ctl(top, ADD, sub[i], EPOLLIN, (uint64_t)i);
	}
	struct ev evs[64];
	printf("wide tree idle: %ld\n", sys4(SYS_epoll_wait, top, (long)evs, 64, 0));
	write(p[1], "x", 1);
	printf("wide tree after a write: %ld\n", sys4(SYS_epoll_wait, top, (long)evs, 64, 0));
	printf("again (level-triggered): %ld\n", sys4(SYS_epoll_wait, top, (long)evs, 64, 0));
	struct pollfd pfd = { top, POLLIN, 0 };
	printf("poll of the top set: %d %x\n", poll(&pfd, 1, 0), pfd.revents);
	/* close the subsets first, then the top one */
	for (int i = 0; i < 50; i++)
		close(sub[i]);
	printf("top after its subsets closed: %ld\n", sys4(SYS_epoll_wait, top, (long)evs, 64, 0));
	close(top);
	close(p[1]);
	close(p[0]);
}

static void many(void)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	int ep = mkep(), p[2], added = 0;
	pipe(p);
	for (;;) {
		int d = dup(p[1]);
		if (d < 0)
			break;
		if (ctl(ep, ADD, d, EPOLLOUT, (uint64_t)d) == 0)
			added++;
	}
	printf("every fd in one set: %s\n", added > 900 ? "over 900 added" : "too few");
	size_t sz = 4096;
	/* at a fixed low address, so that the range of maxevents events passes access_ok on both
	 * kernels whatever their mmap layout: the copy then faults after one page of events */
	struct ev *evs = mmap((void *)0x10000000, sz, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (evs == MAP_FAILED)
		printf("mmap failed\n");
	long n = sys4(SYS_epoll_wait, ep, (long)evs, 0x7fffffff / 12, 0);
	printf("maxevents at its limit, one page of buffer: %ld\n", n);
	n = sys4(SYS_epoll_wait, ep, (long)evs + sz, 1, 0);
	printf("one event into the unmapped page after it: %ld\n", n);
	n = sys4(SYS_epoll_wait, ep, (long)evs, (int)(sz / 12), 0);
	printf("a page's worth: %ld\n", n);
	for (int fd = 3; fd < (int)rl.rlim_cur; fd++)
		if (fd != ep && fd != p[0] && fd != p[1])
			close(fd);
	n = sys4(SYS_epoll_wait, ep, (long)evs, (int)(sz / 12), 0);
	printf("dups closed, the file still open through p[1]: %ld\n", n);
	close(p[1]);
	printf("last close: %ld\n", sys4(SYS_epoll_wait, ep, (long)evs, (int)(sz / 12), 0));
	close(p[0]);
	close(ep);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	rings();
	chains();
	wide();
	many();
	return 0;
}
