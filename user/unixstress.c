/* unixstress (Warden suite: no Linux recording; booted with debug_vm poison lockcheck): a
 * random walk over AF_UNIX sockets that passes them to each other in SCM_RIGHTS messages
 * (cycles, sockets in their own queues, listeners holding connections that carry sockets,
 * MSG_PEEK copies, out-of-band bytes, shutdowns, closes), in 4 processes sharing the first
 * sockets. When every process has closed everything, the collector must have freed every
 * socket: /proc/warden/unix shows none alive and none in flight. Exit status: the failures.
 * Arguments: [ITERATIONS [SEED [CHILDREN]]] (default 20000 1 3). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <stddef.h>
#include <poll.h>
#include <sys/wait.h>
#include "wardenunix.h"

#define N 64
static int fds[N];
static unsigned long long rng = 88172645463325252ULL;
static unsigned rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (unsigned)rng; }

static long sendfds(int s, int *f, int n, int flags)
{
	char cbuf[CMSG_SPACE(8 * sizeof(int))];
	char byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), f, n * sizeof(int));
	return sendmsg(s, &mh, MSG_DONTWAIT | MSG_NOSIGNAL | flags);
}

static void recvone(int s, int flags)
{
	char cbuf[CMSG_SPACE(8 * sizeof(int))];
	char buf[16];
	struct iovec iov = { buf, sizeof buf };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
	if (recvmsg(s, &mh, MSG_DONTWAIT | flags) < 0) return;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_type != SCM_RIGHTS) continue;
		int k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int *g = (int *)CMSG_DATA(c);
		for (int i = 0; i < k; i++) {
			int slot = rnd() % N;
			if (fds[slot] >= 0) close(fds[slot]);
			fds[slot] = g[i];
		}
	}
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 20000;
	long base = warden_unix("sockets");
	if (argc > 2) rng ^= (unsigned long long)atol(argv[2]) * 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < N; i++) fds[i] = -1;
	for (int i = 0; i < N / 2; i += 2) { int sv[2]; socketpair(AF_UNIX, SOCK_STREAM, 0, sv); fds[i] = sv[0]; fds[i + 1] = sv[1]; }
	int kids = argc > 3 ? atoi(argv[3]) : 3, me = 0;
	for (int k = 0; k < kids; k++) if (fork() == 0) { me = k + 1; break; }
	rng ^= (unsigned long long)(me + 1) * 0x2545F4914F6CDD1DULL;
	for (long it = 0; it < iters; it++) {
		int a = rnd() % N, b = rnd() % N, op = rnd() % 16;
		switch (op) {
		case 0: case 1: {
			int sv[2]; int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
			if (socketpair(AF_UNIX, types[rnd() % 3], 0, sv)) break;
			if (fds[a] >= 0) close(fds[a]);
			if (fds[b] >= 0 && b != a) close(fds[b]);
			fds[a] = sv[0]; if (b != a) fds[b] = sv[1]; else close(sv[1]);
			break; }
		case 2: case 3: case 4: case 5: {
			int f[8], n = 1 + rnd() % 8, k = 0;
			for (int i = 0; i < n; i++) { int x = fds[rnd() % N]; if (x >= 0) f[k++] = x; }
			if (fds[a] >= 0 && k) sendfds(fds[a], f, k, (rnd() % 8 == 0) ? MSG_OOB : 0);
			break; }
		case 6: case 7: case 8:
			if (fds[a] >= 0) recvone(fds[a], (rnd() % 3 == 0) ? MSG_PEEK : ((rnd() % 5 == 0) ? MSG_OOB : 0));
			break;
		case 9: case 10:
			if (fds[a] >= 0) { close(fds[a]); fds[a] = -1; }
			break;
		case 11: {
			int l = socket(AF_UNIX, (rnd() % 2 ? SOCK_STREAM : SOCK_SEQPACKET) | SOCK_NONBLOCK, 0);
			struct sockaddr_un ad = { .sun_family = AF_UNIX };
			if (bind(l, (struct sockaddr *)&ad, 2) || listen(l, 3)) { close(l); break; }
			socklen_t len = sizeof ad; getsockname(l, (struct sockaddr *)&ad, &len);
			int type; socklen_t tl = sizeof type; getsockopt(l, SOL_SOCKET, SO_TYPE, &type, &tl);
			int c = socket(AF_UNIX, type | SOCK_NONBLOCK, 0);
			connect(c, (struct sockaddr *)&ad, len);
			if (fds[a] >= 0) close(fds[a]);
			if (fds[b] >= 0 && b != a) close(fds[b]);
			fds[a] = l; if (b != a) fds[b] = c; else close(c);
			break; }
		case 12:
			if (fds[a] >= 0) { int n = accept4(fds[a], 0, 0, SOCK_NONBLOCK); if (n >= 0) { if (fds[b] >= 0) close(fds[b]); fds[b] = n; } }
			break;
		case 13:
			if (fds[a] >= 0) { char big[4096]; memset(big, 'q', sizeof big); send(fds[a], big, rnd() % sizeof big, MSG_DONTWAIT | MSG_NOSIGNAL); }
			break;
		case 14:
			if (fds[a] >= 0) shutdown(fds[a], rnd() % 3);
			break;
		case 15:
			if (fds[a] >= 0 && fds[b] >= 0) { int d = dup(fds[b]); if (d >= 0) { int f[1] = { d }; sendfds(fds[a], f, 1, 0); close(d); } }
			break;
		}
	}
	for (int i = 0; i < N; i++) if (fds[i] >= 0) close(fds[i]);
	if (me) return 0;
	while (wait(NULL) > 0) ;
	int sv[2]; socketpair(AF_UNIX, SOCK_STREAM, 0, sv); close(sv[0]); close(sv[1]);
	long left = warden_unix("sockets"), inflight = warden_unix("inflight_sockets");
	int failures = (left != base) + (inflight != 0);
	printf("%s: %ld unix sockets alive (%ld before), %ld in flight; the collector ran %s\n",
	       failures ? "FAIL" : "ok", left, base, inflight, warden_unix("gc_runs") > 0 ? "yes" : "no");
	return failures;
}
