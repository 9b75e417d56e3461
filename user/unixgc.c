/* unixgc: the AF_UNIX garbage collector and the limits on files in flight (Linux's
 * net/unix/garbage.c and scm.c). Many rounds of sockets sent to themselves and to each other
 * in SCM_RIGHTS messages, each carrying data, then closed: only the collector can free them,
 * and without it the kernel runs out of memory. A cycle still reachable from an open socket is
 * kept. ETOOMANYREFS for a user past RLIMIT_NOFILE files in flight (not for root), SCM_MAX_FD
 * (253 per message), a socket that receives its own descriptor.
 *
 * On Warden only, /proc/warden/unix counts the sockets alive: a line is printed if any is
 * left at the end (the check prints nothing when all is well, so the output is Linux's). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "common.h"
#include "wardenunix.h"

#define ROUNDS 4000
#define PAYLOAD 65536
#define NO_RELEASE_ROUNDS 1000
#define SCM_MAX_FD 253

static char payload[PAYLOAD];

static const char *ename(long r)
{
	static char buf[32];

	if (!is_err(r)) {
		snprintf(buf, sizeof buf, "%ld", r);
		return buf;
	}
	if (-r == ETOOMANYREFS)
		return "-1 ETOOMANYREFS";
	snprintf(buf, sizeof buf, "-1 %s", errname((int)-r));
	return buf;
}

/* Sends one byte on s with n descriptors from fds (split in two messages' worth of headers
 * when split > 0: the first cmsg holds split of them). Returns the raw result. */
static long send_fds(int s, const int *fds, int n, int split)
{
	static char cbuf[2 * CMSG_SPACE(SCM_MAX_FD * 2 * sizeof(int))];
	char byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	int first = split > 0 ? split : n;

	memset(cbuf, 0, sizeof cbuf);
	if (n) {
		struct cmsghdr *c = (struct cmsghdr *)cbuf;

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(first * sizeof(int));
		memcpy(CMSG_DATA(c), fds, first * sizeof(int));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(first * sizeof(int));
		if (split > 0) {
			c = (struct cmsghdr *)(cbuf + mh.msg_controllen);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN((n - first) * sizeof(int));
			memcpy(CMSG_DATA(c), fds + first, (n - first) * sizeof(int));
			mh.msg_controllen += CMSG_SPACE((n - first) * sizeof(int));
		}
	}
	return sys3(SYS_sendmsg, s, (long)&mh, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static long send_fd(int s, int fd)
{
	return send_fds(s, &fd, 1, 0);
}

/* Receives one message from s (nonblocking) with room for max descriptors; stores them in fds
 * and their number in *n. Returns the raw result; *ctrunc says whether MSG_CTRUNC was set. */
static long recv_fds(int s, int *fds, int max, int *n, int *ctrunc)
{
	static char cbuf[CMSG_SPACE(SCM_MAX_FD * sizeof(int))];
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = max ? CMSG_SPACE(max * sizeof(int)) : 0 };
	long r = sys3(SYS_recvmsg, s, (long)&mh, MSG_DONTWAIT);

	*n = 0;
	if (ctrunc)
		*ctrunc = !!(mh.msg_flags & MSG_CTRUNC);
	if (r < 0)
		return r;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(fds + *n, CMSG_DATA(c), k * sizeof(int));
		*n += k;
	}
	return r;
}

/* One round: four kinds of unreachable cycles, each queued with data, all closed. */
static int cycle_round(int round)
{
	int a[2], b[2], d[2], l, c;
	int ok = 1;

	/* a pair whose one end's queue holds both ends (and data) */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, a))
		return 0;
	ok &= write(a[0], payload, PAYLOAD) == PAYLOAD;
	ok &= send_fds(a[0], a, 2, 0) == 1;
	close(a[0]);
	close(a[1]);
	/* two pairs holding each other */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, a) || socketpair(AF_UNIX, SOCK_SEQPACKET, 0, b))
		return 0;
	ok &= send_fds(a[0], b, 2, 0) == 1;
	ok &= send_fds(b[0], a, 2, 0) == 1;
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	/* a datagram socket that holds itself */
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, d))
		return 0;
	ok &= send_fd(d[1], d[0]) == 1;
	close(d[0]);
	close(d[1]);
	/* a listener holding itself through a connection it has not accepted (named per round) */
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	/* a name of its own: Linux collects in a worker, the last round's may not be free yet */
	int len = snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1, "unixgc%d", round);
	socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	ok &= bind(l, (struct sockaddr *)&addr, alen) == 0;
	ok &= listen(l, 4) == 0;
	ok &= connect(c, (struct sockaddr *)&addr, alen) == 0;
	ok &= send_fd(c, l) == 1;
	close(l);
	close(c);
	return ok;
}

/*
 * Cycles made without ever releasing a socket: the last close of each leaves it in flight, so
 * Linux's collector is not started by a release. Warden's also runs on sends of files once
 * enough sockets went in flight: only a bounded number stays pinned (checked on Warden only).
 */
static void no_release_rounds(void)
{
	long peak = 0, base = warden_unix("sockets");
	int ok = 1;

	for (int i = 0; i < NO_RELEASE_ROUNDS && ok; i++) {
		int a[2];

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, a))
			ok = 0;
		ok &= write(a[0], payload, PAYLOAD) == PAYLOAD;
		ok &= send_fds(a[0], a, 2, 0) == 1;
		close(a[0]);
		close(a[1]);
		long n = warden_unix("sockets");
		if (n - base > peak)
			peak = n - base;
	}
	printf("%d rounds of cycles closed without a release: %s\n", NO_RELEASE_ROUNDS,
	       ok ? "ok" : "a call failed");
	if (base >= 0 && peak > 1024)
		printf("warden: %ld sockets pinned at the peak\n", peak);
}

/* A cycle that an open socket still reaches through a message: kept, and read back. */
static void reachable_cycle(void)
{
	int p[2], q[2], x[2], fds[4], n, n2, ok = 1;

	socketpair(AF_UNIX, SOCK_STREAM, 0, p);
	socketpair(AF_UNIX, SOCK_STREAM, 0, q);
	socketpair(AF_UNIX, SOCK_STREAM, 0, x);
	ok &= send_fd(p[0], q[1]) == 1; /* q1 in p1's queue */
	ok &= send_fd(q[0], p[1]) == 1; /* p1 in q1's queue */
	ok &= send_fd(x[0], p[1]) == 1; /* p1 in x1's queue: reachable */
	close(p[1]);
	close(q[1]);
	close(p[0]);
	close(q[0]);
	/* the releases above ran the collector; another cycle makes it run again */
	ok &= cycle_round(-1);
	printf("cycle reachable from an open socket: sends %s\n", ok ? "ok" : "failed");
	long r = recv_fds(x[1], fds, 1, &n, NULL);
	printf("receive p1 back: %s, fds %d\n", ename(r), n);
	if (n != 1)
		return;
	int p1 = fds[0];
	r = recv_fds(p1, fds, 1, &n, NULL);
	printf("p1 still holds q1: %s, fds %d\n", ename(r), n);
	if (n != 1)
		return;
	int q1 = fds[0];
	r = recv_fds(q1, fds, 1, &n2, NULL);
	printf("q1 still holds p1: %s, fds %d\n", ename(r), n2);
	struct stat s1, s2;
	if (n2 == 1) {
		fstat(fds[0], &s1);
		fstat(p1, &s2);
		printf("it is the same socket: %s\n", s1.st_ino == s2.st_ino ? "yes" : "no");
		close(fds[0]);
	}
	close(p1);
	close(q1);
	close(x[0]);
	close(x[1]);
}

/* A socket receives its own descriptor, then is closed with its descriptor still queued. */
static void own_fd(void)
{
	int s[2], fds[1], n;
	struct stat s1, s2;

	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	printf("send s1 to s1: %s\n", ename(send_fd(s[0], s[1])));
	long r = recv_fds(s[1], fds, 1, &n, NULL);
	printf("s1 receives: %s, fds %d\n", ename(r), n);
	if (n == 1) {
		fstat(fds[0], &s1);
		fstat(s[1], &s2);
		printf("it is s1 itself: %s\n", s1.st_ino == s2.st_ino ? "yes" : "no");
		printf("send s1 to s1 through the new descriptor's peer, twice: %s %s\n",
		       ename(send_fd(s[0], fds[0])), ename(send_fd(s[0], s[1])));
		close(fds[0]);
	}
	close(s[1]); /* s1 now lives only in its own queue */
	printf("s0 writes to the closed-in cycle: %s\n", ename(write(s[0], "y", 1)));
	close(s[0]);
}

/* SCM_MAX_FD: 253 descriptors in a message, 254 is EINVAL, in one cmsg or split in two. */
static void max_fd(void)
{
	int s[2], fds[2 * SCM_MAX_FD], got[SCM_MAX_FD], n, ct;

	socketpair(AF_UNIX, SOCK_DGRAM, 0, s);
	for (int i = 0; i < 2 * SCM_MAX_FD; i++)
		fds[i] = s[0];
	printf("send %d fds: %s\n", SCM_MAX_FD, ename(send_fds(s[0], fds, SCM_MAX_FD, 0)));
	printf("send %d fds: %s\n", SCM_MAX_FD + 1, ename(send_fds(s[0], fds, SCM_MAX_FD + 1, 0)));
	printf("send 200+53 fds in two cmsgs: %s\n", ename(send_fds(s[0], fds, 253, 200)));
	printf("send 200+54 fds in two cmsgs: %s\n", ename(send_fds(s[0], fds, 254, 200)));
	printf("send 506 fds: %s\n", ename(send_fds(s[0], fds, 2 * SCM_MAX_FD, 0)));
	long r = recv_fds(s[1], got, SCM_MAX_FD, &n, &ct);
	printf("receive: %s, fds %d, ctrunc %d\n", ename(r), n, ct);
	for (int i = 0; i < n; i++)
		close(got[i]);
	r = recv_fds(s[1], got, 10, &n, &ct);
	printf("receive with room for 10: %s, fds %d, ctrunc %d\n", ename(r), n, ct);
	for (int i = 0; i < n; i++)
		close(got[i]);
	close(s[0]);
	close(s[1]);
}

/* As uid 1000 with RLIMIT_NOFILE 8: messages of one descriptor until ETOOMANYREFS. */
static void limit_child(void)
{
	int s[2], d[2], n, ct, got[4], i;
	struct rlimit rl = { 8, 64 };

	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
	show("setrlimit NOFILE 8", setrlimit(RLIMIT_NOFILE, &rl) ? -errno : 0);
	show("setgroups 0", sys2(SYS_setgroups, 0, 0));
	show("setresgid 1000", sys3(SYS_setresgid, 1000, 1000, 1000));
	show("setresuid 1000", sys3(SYS_setresuid, 1000, 1000, 1000));
	long r = 0;
	for (i = 0; i < 100; i++) {
		r = send_fd(s[0], s[0]);
		if (r != 1)
			break;
	}
	printf("messages with one fd sent: %d, then %s\n", i, ename(r));
	printf("a message without fds: %s\n", ename(write(s[0], "z", 1)));
	printf("a datagram with one fd: %s\n", ename(send_fd(d[0], d[0])));
	r = recv_fds(s[1], got, 0, &n, &ct);
	printf("receive one without room for it: %s, ctrunc %d\n", ename(r), ct);
	printf("send again: %s\n", ename(send_fd(s[0], s[0])));
	printf("and again: %s\n", ename(send_fd(s[0], s[0])));
	printf("a message of 3 fds: %s\n", ename(send_fds(d[0], (int[]){ 0, 1, 2 }, 3, 0)));
	for (int k = 0; k < 3; k++) {
		r = recv_fds(s[1], got, 0, &n, &ct);
		if (r != 1)
			break;
	}
	printf("three received: now %s\n", ename(send_fds(d[0], (int[]){ 0, 1, 2 }, 3, 0)));
	/* over the limit: the errors Linux checks first still come first */
	int many[SCM_MAX_FD + 1], u = socket(AF_UNIX, SOCK_DGRAM, 0);
	for (int k = 0; k <= SCM_MAX_FD; k++)
		many[k] = 0;
	printf("over the limit, %d fds: %s\n", SCM_MAX_FD + 1,
	       ename(send_fds(s[0], many, SCM_MAX_FD + 1, 0)));
	printf("over the limit, a bad fd: %s\n", ename(send_fd(s[0], 99)));
	printf("over the limit, unconnected datagram socket: %s\n", ename(send_fd(u, 0)));
	shutdown(s[0], SHUT_WR);
	printf("over the limit, stream shut down for writing: %s\n", ename(send_fd(s[0], 0)));
	close(u);
	rl.rlim_cur = 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	printf("with RLIMIT_NOFILE 64: %s\n", ename(send_fd(d[0], d[0])));
	rl.rlim_cur = 0;
	setrlimit(RLIMIT_NOFILE, &rl);
	printf("with RLIMIT_NOFILE 0: %s\n", ename(send_fd(d[0], d[0])));
	_exit(0);
}

/* Root (CAP_SYS_RESOURCE) is not limited. */
static void root_child(void)
{
	int s[2], i;
	struct rlimit rl = { 4, 64 };
	long r = 0;

	socketpair(AF_UNIX, SOCK_DGRAM, 0, s);
	setrlimit(RLIMIT_NOFILE, &rl);
	for (i = 0; i < 12; i++) {
		r = send_fd(s[0], s[1]);
		if (r != 1)
			break;
	}
	printf("root with RLIMIT_NOFILE 4: %d messages with one fd, last %s\n", i, ename(r));
	_exit(0);
}

int main(void)
{
	long before = warden_unix("sockets");
	int ok = 1;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(payload, 'p', sizeof payload);
	for (int i = 0; i < ROUNDS && ok; i++)
		ok = cycle_round(i);
	printf("%d rounds of unreachable cycles with %d bytes queued each: %s\n", ROUNDS, PAYLOAD,
	       ok ? "ok" : "a call failed");
	no_release_rounds();
	reachable_cycle();
	own_fd();
	max_fd();
	printf("uid 1000 child: status %d\n", child_status(limit_child));
	printf("root child: status %d\n", child_status(root_child));

	/* a last release runs the collector once more */
	int s[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	close(s[0]);
	close(s[1]);
	long after = warden_unix("sockets");
	long inflight = warden_unix("inflight_sockets");
	if (before >= 0 && (after != before || inflight != 0))
		printf("warden: %ld unix sockets left (%ld before), %ld in flight\n", after, before,
		       inflight);
	printf("done\n");
	return 0;
}
