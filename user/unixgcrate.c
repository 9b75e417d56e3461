/* unixgcrate (Warden suite: no Linux recording; /proc/warden/unix is Warden's own): a reachable
 * structure of AF_UNIX sockets in flight (R open, with its own file and SIZE other sockets
 * queued in itself) must not make every later release of an unrelated socket walk all of them:
 * after one collection that finds no garbage, 1000 rounds of socketpair() and close() scan
 * fewer than 2 * SIZE sockets in flight in all. Then closing R leaves a garbage cycle, which the
 * next release collects. Exit status: the failures. Arguments: [SIZE] (default 2000). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include "wardenunix.h"

static int sendfd(int s, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return (int)sendmsg(s, &m, MSG_DONTWAIT);
}

int main(int argc, char **argv)
{
	long size = argc > 1 ? atol(argv[1]) : 2000;
	int fails = 0, r[2], sv[2];
	struct rlimit rl = { 1 << 16, 1 << 16 };

	setvbuf(stdout, NULL, _IONBF, 0);
	setrlimit(RLIMIT_NOFILE, &rl);
	long base = warden_unix("sockets");
	/* R (r[1]) holds its own file and size sockets in its queue; r[0] is the sender */
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, r))
		return 1;
	int big = 1 << 30;
	setsockopt(r[0], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	if (sendfd(r[0], r[1]) != 1) {
		printf("FAIL send of R\n");
		return 1;
	}
	for (long i = 0; i < size; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			return 1;
		/* a pair holding each other, sent into R: in flight, reachable through R */
		if (sendfd(sv[0], sv[1]) != 1 || sendfd(sv[1], sv[0]) != 1 || sendfd(r[0], sv[0]) != 1) {
			printf("FAIL send %ld\n", i);
			return 1;
		}
		close(sv[0]);
		close(sv[1]);
	}
	long inflight = warden_unix("inflight_sockets");
	printf("in flight: %s\n", inflight >= 2 * size + 1 ? "all" : "too few");
	/* one release: a collection that finds nothing to collect */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[0]);
	close(sv[1]);
	long scanned = warden_unix("gc_sockets_scanned");
	for (int i = 0; i < 1000; i++) {
		socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		close(sv[0]);
		close(sv[1]);
	}
	long more = warden_unix("gc_sockets_scanned") - scanned;
	if (more >= 2 * size) {
		printf("FAIL 1000 releases scanned %ld sockets in flight (structure of %ld)\n", more,
		       size);
		fails++;
	} else {
		printf("1000 releases: at most one walk\n");
	}
	/* R closed: R and all it holds are garbage, collected at the next release */
	close(r[1]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[0]);
	close(sv[1]);
	close(r[0]);
	long left = warden_unix("sockets"), still = warden_unix("inflight_sockets");
	if (left != base || still != 0) {
		printf("FAIL after closing R: %ld sockets alive (before %ld), %ld in flight\n", left,
		       base, still);
		fails++;
	} else {
		printf("after closing R: all freed\n");
	}
	return fails;
}
