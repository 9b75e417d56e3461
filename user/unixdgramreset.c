/* unixdgramreset: a datagram socket that leaves its peer (connect to AF_UNSPEC, or to another
 * socket) drops the messages queued on it, and only then does the old peer, if it was connected
 * back, get ECONNRESET (Linux's unix_dgram_disconnected). A sender whose connected peer died
 * gets ECONNREFUSED and its own queue is dropped too. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"

static void so_error(const char *what, int s)
{
	int e = -1;
	socklen_t len = sizeof e;

	getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &len);
	printf("%s: SO_ERROR %s\n", what, e ? errname(e) : "0");
}

static void recv_one(const char *what, int s)
{
	char buf[8];

	printf("%s: ", what);
	show("", sys6(SYS_recvfrom, s, (long)buf, sizeof buf, MSG_DONTWAIT, 0, 0));
}

/* a and b connected to each other; a sends n datagrams to b; b disconnects. */
static void leave(int n)
{
	int sv[2];
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	printf("-- %d queued on b, then b connects to AF_UNSPEC\n", n);
	for (int i = 0; i < n; i++)
		sys3(SYS_write, sv[0], (long)"x", 1);
	show("b disconnects", sys3(SYS_connect, sv[1], (long)&unspec, sizeof unspec));
	recv_one("b reads", sv[1]);
	so_error("a", sv[0]);
	so_error("a again", sv[0]);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	int sv[2];

	leave(0);
	leave(3);

	printf("-- b's peer a dies with 2 queued on b, then b sends\n");
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	sys3(SYS_write, sv[0], (long)"x", 1);
	sys3(SYS_write, sv[0], (long)"y", 1);
	sys3(SYS_write, sv[1], (long)"z", 1);
	close(sv[0]);
	show("b sends", sys3(SYS_write, sv[1], (long)"w", 1));
	recv_one("b reads", sv[1]);
	show("b sends again", sys3(SYS_write, sv[1], (long)"w", 1));
	close(sv[1]);
	return 0;
}
