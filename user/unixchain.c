/* unixchain: closing a chain of unix sockets, each holding the previous pair in an SCM_RIGHTS
 * message still queued on it, releases every link without nesting in the kernel (Linux defers
 * the last fput of the files a socket's queue held to task work; a kernel that closed them
 * recursively would overflow its stack). Only about four descriptors are open at any time.
 * Then the same chain is received back link by link instead, to check nothing was lost. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common.h"

#define LINKS 3000

/* Sends one byte on s with fds a and b attached. */
static long send_pair(int s, int a, int b)
{
	char byte = 'x', cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof cbuf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	int fds[2] = { a, b };

	memset(cbuf, 0, sizeof cbuf);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof fds);
	memcpy(CMSG_DATA(c), fds, sizeof fds);
	return sys3(SYS_sendmsg, s, (long)&mh, 0);
}

/* Receives one byte and two fds from s; the fds in fds[0..1], or -1. */
static long recv_pair(int s, int fds[2])
{
	char byte, cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof cbuf };
	long r = sys3(SYS_recvmsg, s, (long)&mh, MSG_DONTWAIT);
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	fds[0] = fds[1] = -1;
	if (r == 1 && c && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(2 * sizeof(int)))
		memcpy(fds, CMSG_DATA(c), 2 * sizeof(int));
	return r;
}

/* Builds the chain; returns the last pair in sv. False if a call failed. */
static int build(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 0;
	for (int i = 1; i < LINKS; i++) {
		int nv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, nv) || send_pair(nv[0], sv[0], sv[1]) != 1)
			return 0;
		close(sv[0]);
		close(sv[1]);
		sv[0] = nv[0];
		sv[1] = nv[1];
	}
	return 1;
}

int main(void)
{
	int sv[2], n = 0;

	printf("chain of %d built: %s\n", LINKS, build(sv) ? "yes" : "no");
	close(sv[0]);
	close(sv[1]);
	printf("closed the last pair: the kernel released the chain\n");

	printf("chain of %d built again: %s\n", LINKS, build(sv) ? "yes" : "no");
	for (;;) {
		int fds[2];

		if (recv_pair(sv[1], fds) != 1)
			break;
		n++;
		close(sv[0]);
		close(sv[1]);
		sv[0] = fds[0];
		sv[1] = fds[1];
	}
	printf("links received back: %d\n", n);
	printf("the first pair is a connected pair: %s\n",
	       write(sv[0], "y", 1) == 1 && read(sv[1], (char[1]){ 0 }, 1) == 1 ? "yes" : "no");
	close(sv[0]);
	close(sv[1]);
	return 0;
}
