/* unixfputlock (Warden-only, under `lockcheck`): AF_UNIX paths that drop queued messages whose
 * SCM_RIGHTS files hold the last reference to a socket watched by an epoll set and to that
 * epoll set, so that their release takes epmutex and ep->mtx (eventpoll_release_file, the set's
 * release) and asks for the collector. Each must free those messages after letting go of the
 * socket's iolock: the lock checker reports a file's last fput under it (kernel/lockcheck.h).
 * The paths: a datagram socket's disconnect (unix_dgram_disconnected), a datagram recvmsg that
 * faults on its buffer, one whose control buffer has room for one file of two (MSG_CTRUNC),
 * and a stream read past an out-of-band byte that carried files, before and after
 * recv(MSG_OOB). Prints PASS at the end; a report is a panic. */
#define _GNU_SOURCE
#include "common.h"
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

static int failures;

static void check(const char *what, long got, long want)
{
	printf("%s: %ld%s\n", what, got, got == want ? "" : " (unexpected)");
	if (got != want) {
		printf("FAIL %s: want %ld\n", what, want);
		failures++;
	}
}

/* Two files to send whose last reference the message will hold: a socket an epoll set
 * watches, and the set. */
static void make_victims(int fds[2])
{
	int sp[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };
	epoll_ctl(ep, EPOLL_CTL_ADD, sp[0], &ev);
	close(sp[1]);
	fds[0] = sp[0];
	fds[1] = ep;
}

/* Sends one byte (out of band with oob) carrying two such files, closed here after. */
static long send_victims(int s, const struct sockaddr_un *to, socklen_t tolen, int oob)
{
	int fds[2];
	make_victims(fds);
	char data = 'v', cbuf[CMSG_SPACE(sizeof(fds))] = { 0 };
	struct iovec iov = { &data, 1 };
	struct msghdr m = { .msg_name = (void *)to,
			    .msg_namelen = tolen,
			    .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	long r = sendmsg(s, &m, oob ? MSG_OOB : 0);
	close(fds[0]);
	close(fds[1]);
	return r;
}

static socklen_t abstract(struct sockaddr_un *sa, const char *name)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	struct sockaddr_un aa, ab, unspec = { .sun_family = AF_UNSPEC };
	socklen_t la = abstract(&aa, "warden-fputlock-a"), lb = abstract(&ab, "warden-fputlock-b");
	int a = socket(AF_UNIX, SOCK_DGRAM, 0), b = socket(AF_UNIX, SOCK_DGRAM, 0);
	check("bind A", bind(a, (struct sockaddr *)&aa, la), 0);
	check("bind B", bind(b, (struct sockaddr *)&ab, lb), 0);

	for (int round = 0; round < 3; round++) {
		/* 1: A disconnects from B with B's datagrams queued on it */
		check("connect A to B", connect(a, (struct sockaddr *)&ab, lb), 0);
		check("B sends files to A", send_victims(b, &aa, la, 0), 1);
		check("B sends files to A", send_victims(b, &aa, la, 0), 1);
		check("A disconnects", connect(a, (struct sockaddr *)&unspec, sizeof(unspec)), 0);
		check("A's queue dropped", recv(a, (char[4]){ 0 }, 4, MSG_DONTWAIT), -1);

		/* 2: a datagram read that faults on its buffer drops the message */
		check("B sends files to A", send_victims(b, &aa, la, 0), 1);
		struct iovec bad = { (void *)8, 4 };
		struct msghdr m = { .msg_iov = &bad, .msg_iovlen = 1 };
		check("recvmsg into a bad buffer", recvmsg(a, &m, MSG_DONTWAIT) < 0 ? errno : 0,
		      EFAULT);

		/* 3: room for one file of two: the other is closed */
		check("B sends files to A", send_victims(b, &aa, la, 0), 1);
		char data;
		union {
			struct cmsghdr h;
			char b[CMSG_LEN(sizeof(int))];
		} cbuf;
		struct iovec iov = { &data, 1 };
		struct msghdr m3 = { .msg_iov = &iov,
				     .msg_iovlen = 1,
				     .msg_control = &cbuf,
				     .msg_controllen = CMSG_LEN(sizeof(int)) };
		check("recvmsg, room for one file", recvmsg(a, &m3, MSG_DONTWAIT), 1);
		check("MSG_CTRUNC", !!(m3.msg_flags & MSG_CTRUNC), 1);
		int got;
		memcpy(&got, CMSG_DATA(CMSG_FIRSTHDR(&m3)), sizeof(got));
		close(got);

		/* 4: a stream read past an out-of-band byte that carried files */
		int s[2];
		socketpair(AF_UNIX, SOCK_STREAM, 0, s);
		check("send OOB with files", send_victims(s[0], NULL, 0, 1), 1);
		check("read past the mark",
		      recv(s[1], (char[4]){ 0 }, 4, MSG_DONTWAIT) < 0 ? errno : 0, EAGAIN);
		/* 5: the same after recv(MSG_OOB): the empty message is dropped */
		check("send OOB with files", send_victims(s[0], NULL, 0, 1), 1);
		check("recv MSG_OOB", recv(s[1], (char[4]){ 0 }, 4, MSG_OOB | MSG_DONTWAIT), 1);
		check("send", send(s[0], "w", 1, 0), 1);
		/* the read that drops the empty message looks no further (Linux's manage_oob) */
		check("read at the empty message",
		      recv(s[1], (char[4]){ 0 }, 4, MSG_DONTWAIT) < 0 ? errno : 0, EAGAIN);
		check("read after it", recv(s[1], (char[4]){ 0 }, 4, MSG_DONTWAIT), 1);
		close(s[0]);
		close(s[1]);
	}
	printf(failures ? "FAIL\n" : "PASS\n");
	return failures != 0;
}
