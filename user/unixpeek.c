/* unixpeek: MSG_PEEK on AF_UNIX sockets: a stream peek that ends exactly at a message boundary
 * still takes the next message's files (SCM_RIGHTS), as Linux's unix_stream_read_generic goes
 * on to the next message; credentials and out-of-band marks stop a peek. SO_PEEK_OFF on stream,
 * datagram and seqpacket sockets: each peek starts where the last ended, a read moves the
 * offset back by what it took (a datagram read by the whole message). Recorded on Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int sendfd(int s, const char *d, int len, int nfd, int flags)
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	int fds[2] = { 0, 1 };
	struct iovec iov = { (void *)d, (size_t)len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (nfd > 0) {
		m.msg_control = cbuf;
		m.msg_controllen = CMSG_SPACE(nfd * sizeof(int));
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfd * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfd * sizeof(int));
	}
	return (int)sendmsg(s, &m, flags | MSG_NOSIGNAL);
}

/* One recvmsg: its result, the bytes, how many files came (closed at once) and the flags. */
static void rcv(const char *what, int s, int size, int flags)
{
	char buf[64] = { 0 };
	char cbuf[CMSG_SPACE(sizeof(int) * 4)];
	struct iovec iov = { buf, (size_t)size };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	int r = (int)recvmsg(s, &m, flags | MSG_DONTWAIT);
	int nfd = 0;
	if (r >= 0)
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
				for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
					int f;
					memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
					close(f);
					nfd++;
				}
	if (r < 0)
		printf("%s: -1 %s\n", what, strerror(errno));
	else
		printf("%s: %d '%.*s' fds %d flags %#x\n", what, r, r, buf, nfd, m.msg_flags);
}

static void show_off(const char *what, int s)
{
	int v = -7;
	socklen_t len = sizeof(v);
	int r = getsockopt(s, SOL_SOCKET, SO_PEEK_OFF, &v, &len);
	if (r < 0)
		printf("%s: getsockopt -1 %s\n", what, strerror(errno));
	else
		printf("%s: SO_PEEK_OFF %d len %u\n", what, v, (unsigned)len);
}

static void set_off(int s, int v)
{
	int r = setsockopt(s, SOL_SOCKET, SO_PEEK_OFF, &v, sizeof(v));
	if (r < 0)
		printf("setsockopt SO_PEEK_OFF %d: -1 %s\n", v, strerror(errno));
}

/* SO_PEEK_OFF's walk over "abcd", "efgh", "" and "ij" (the second with a file). */
static void peekoff(int type)
{
	int sv[2];
	short small = 1;

	printf("-- type %d\n", type);
	socketpair(AF_UNIX, type, 0, sv);
	show_off("default", sv[1]);
	printf("setsockopt short: %d\n", setsockopt(sv[1], SOL_SOCKET, SO_PEEK_OFF, &small,
						     sizeof(small)));
	set_off(sv[1], 0);
	show_off("set 0", sv[1]);
	send(sv[0], "abcd", 4, 0);
	sendfd(sv[0], "efgh", 4, 1, 0);
	send(sv[0], "", 0, 0);
	send(sv[0], "ij", 2, 0);
	rcv("peek 2", sv[1], 2, MSG_PEEK);
	show_off("after peek 2", sv[1]);
	rcv("peek 1", sv[1], 1, MSG_PEEK);
	rcv("peek 8", sv[1], 8, MSG_PEEK);
	show_off("after peek 8", sv[1]);
	rcv("peek 8 again", sv[1], 8, MSG_PEEK);
	rcv("peek 8 third", sv[1], 8, MSG_PEEK);
	rcv("peek 8 fourth", sv[1], 8, MSG_PEEK);
	show_off("after peeks", sv[1]);
	rcv("read 3", sv[1], 3, 0);
	show_off("after read 3", sv[1]);
	rcv("peek 8 after read", sv[1], 8, MSG_PEEK);
	set_off(sv[1], 1);
	rcv("peek 8 at 1", sv[1], 8, MSG_PEEK);
	set_off(sv[1], 100);
	rcv("peek 8 at 100", sv[1], 8, MSG_PEEK);
	show_off("after peek at 100", sv[1]);
	set_off(sv[1], -5);
	show_off("set -5", sv[1]);
	rcv("peek 8 offset off", sv[1], 8, MSG_PEEK);
	rcv("read 8", sv[1], 8, 0);
	show_off("after read 8", sv[1]);
	set_off(sv[1], 2);
	rcv("read 8 with offset 2", sv[1], 8, 0);
	show_off("after that read", sv[1]);
	rcv("read 8 last", sv[1], 8, 0);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	int sv[2], one = 1;

	setvbuf(stdout, NULL, _IONBF, 0);
	/* a peek of exactly the first message takes the second's files */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	send(sv[0], "ab", 2, 0);
	sendfd(sv[0], "cd", 2, 1, 0);
	rcv("peek 2 at boundary", sv[1], 2, MSG_PEEK);
	rcv("peek 3", sv[1], 3, MSG_PEEK);
	rcv("peek 8", sv[1], 8, MSG_PEEK);
	rcv("read 2", sv[1], 2, 0);
	rcv("read 8", sv[1], 8, 0);
	rcv("read again", sv[1], 8, 0);
	close(sv[0]);
	close(sv[1]);

	/* a peek of two whole messages, the third carrying two files */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	send(sv[0], "ab", 2, 0);
	send(sv[0], "cd", 2, 0);
	sendfd(sv[0], "ef", 2, 2, 0);
	send(sv[0], "gh", 2, 0);
	rcv("peek 4 of 3 messages", sv[1], 4, MSG_PEEK);
	rcv("peek 1", sv[1], 1, MSG_PEEK);
	rcv("peek 64", sv[1], 64, MSG_PEEK);
	rcv("read 64", sv[1], 64, 0);
	rcv("read 64 again", sv[1], 64, 0);
	close(sv[0]);
	close(sv[1]);

	/* a peek of size 0 with files in the first message */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	sendfd(sv[0], "ab", 2, 1, 0);
	rcv("peek 0", sv[1], 0, MSG_PEEK);
	rcv("read 0", sv[1], 0, 0);
	rcv("read 8", sv[1], 8, 0);
	close(sv[0]);
	close(sv[1]);

	/* the boundary before an out-of-band byte */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	send(sv[0], "ab", 2, 0);
	sendfd(sv[0], "o", 1, 1, MSG_OOB);
	send(sv[0], "cd", 2, 0);
	rcv("peek 2 before mark", sv[1], 2, MSG_PEEK);
	rcv("peek 8 before mark", sv[1], 8, MSG_PEEK);
	rcv("read 8 before mark", sv[1], 8, 0);
	rcv("read 8 at mark", sv[1], 8, 0);
	close(sv[0]);
	close(sv[1]);

	/* the boundary with SO_PASSCRED: the same sender's messages glue */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	send(sv[0], "ab", 2, 0);
	sendfd(sv[0], "cd", 2, 1, 0);
	rcv("passcred peek 2", sv[1], 2, MSG_PEEK);
	rcv("passcred read 8", sv[1], 8, 0);
	close(sv[0]);
	close(sv[1]);

	peekoff(SOCK_STREAM);
	peekoff(SOCK_DGRAM);
	peekoff(SOCK_SEQPACKET);
	return 0;
}
