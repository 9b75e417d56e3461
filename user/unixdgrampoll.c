/* unixdgrampoll: POLLOUT of a connected AF_UNIX datagram socket whose peer's queue is full, as
 * Linux 6.1 (unix_dgram_poll and the peer_wake relay): B is connected to A, which is not
 * connected back, and a third socket C fills A's queue. B is then not writable (poll, epoll)
 * and its non-blocking send is EAGAIN; a poll or epoll_wait sleeping on B (level- and
 * edge-triggered) is woken with POLLOUT as soon as one datagram is read from A, and when B is
 * connected elsewhere. Every wait is bounded (5 s); the drains come from a child after 200 ms. */
#define _GNU_SOURCE
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

static int a, b, c, d;
static struct sockaddr_un addr_a, addr_d;
static socklen_t len_a, len_d;

static socklen_t abstract(struct sockaddr_un *sa, const char *name)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* C sends to A until A's queue is full; returns how many went. */
static int fill(void)
{
	int n = 0;
	while (sendto(c, "x", 1, MSG_DONTWAIT, (struct sockaddr *)&addr_a, len_a) == 1)
		n++;
	return n;
}

static void show_pollout(const char *what, int fd)
{
	struct pollfd p = { fd, POLLOUT, 0 };
	int r = poll(&p, 1, 0);
	printf("%s: poll %d revents %#x\n", what, r, p.revents);
}

/* A child that, after 200 ms, reads one datagram from A (or connects B to D). */
static pid_t later(int connect_elsewhere)
{
	pid_t pid = fork();
	if (!pid) {
		usleep(200000);
		if (connect_elsewhere)
			show("  child: connect B to D",
			     connect(b, (struct sockaddr *)&addr_d, len_d));
		else
			show("  child: recv from A", recv(a, (char[8]){ 0 }, 8, MSG_DONTWAIT));
		_exit(0);
	}
	return pid;
}

static void reap(pid_t pid)
{
	int st;
	waitpid(pid, &st, 0);
}

static void wait_poll(const char *what, int connect_elsewhere)
{
	pid_t pid = later(connect_elsewhere);
	struct pollfd p = { b, POLLOUT, 0 };
	long t0 = now_ms();
	int r = poll(&p, 1, 5000);
	long dt = now_ms() - t0;
	reap(pid);
	printf("%s: poll %d revents %#x, %s\n", what, r, p.revents,
	       dt < 4000 ? "woken in time" : "timed out");
}

static void wait_epoll(const char *what, unsigned int events)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = events, .data.u32 = 7 }, out = { 0 };
	show("  epoll_ctl ADD B", epoll_ctl(ep, EPOLL_CTL_ADD, b, &ev));
	show("  epoll_wait 0", epoll_wait(ep, &out, 1, 0));
	pid_t pid = later(0);
	long t0 = now_ms();
	int r = epoll_wait(ep, &out, 1, 5000);
	long dt = now_ms() - t0;
	reap(pid);
	printf("%s: epoll_wait %d events %#x data %u, %s\n", what, r, r > 0 ? out.events : 0,
	       r > 0 ? out.data.u32 : 0, dt < 4000 ? "woken in time" : "timed out");
	close(ep);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	a = socket(AF_UNIX, SOCK_DGRAM, 0);
	b = socket(AF_UNIX, SOCK_DGRAM, 0);
	c = socket(AF_UNIX, SOCK_DGRAM, 0);
	d = socket(AF_UNIX, SOCK_DGRAM, 0);
	len_a = abstract(&addr_a, "warden-dgrampoll-a");
	len_d = abstract(&addr_d, "warden-dgrampoll-d");
	show("bind A", bind(a, (struct sockaddr *)&addr_a, len_a));
	show("bind D", bind(d, (struct sockaddr *)&addr_d, len_d));
	show("connect B to A", connect(b, (struct sockaddr *)&addr_a, len_a));
	show_pollout("B, A empty", b);
	printf("C filled A with %d\n", fill());
	show_pollout("B, A full", b);
	show_pollout("C (not connected), A full", c);
	show("send B nonblocking", send(b, "b", 1, MSG_DONTWAIT) == 1 ? 0 : -errno);

	wait_poll("B poll, A drained", 0);
	show_pollout("B after", b);

	printf("C refilled A with %d\n", fill());
	wait_epoll("B epoll level", EPOLLOUT);
	printf("C refilled A with %d\n", fill());
	wait_epoll("B epoll edge", EPOLLOUT | EPOLLET);

	/* an edge-triggered waiter armed by a failed non-blocking send */
	printf("C refilled A with %d\n", fill());
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET, .data.u32 = 9 }, out = { 0 };
	show("  epoll_ctl ADD B", epoll_ctl(ep, EPOLL_CTL_ADD, b, &ev));
	show("  send B nonblocking", send(b, "b", 1, MSG_DONTWAIT) == 1 ? 0 : -errno);
	pid_t pid = later(0);
	int r = epoll_wait(ep, &out, 1, 5000);
	reap(pid);
	printf("B epoll edge after EAGAIN: epoll_wait %d events %#x\n", r, r > 0 ? out.events : 0);
	close(ep);

	printf("C refilled A with %d\n", fill());
	wait_poll("B poll, B connected to D", 1);
	show_pollout("B after", b);
	show("send B to D", send(b, "b", 1, MSG_DONTWAIT) == 1 ? 0 : -errno);
	return 0;
}
