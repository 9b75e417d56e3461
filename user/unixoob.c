/* unixoob: out-of-band data on AF_UNIX stream sockets (Linux 6.1 with CONFIG_AF_UNIX_OOB, as
 * Debian builds it): send(MSG_OOB) makes its last byte the mark, recv(MSG_OOB) reads it,
 * normal reads stop before the mark and drop the byte when they start at it (unless
 * SO_OOBINLINE), MSG_PEEK, SIOCATMARK, FIONREAD, POLLPRI, a second mark, the errors (EINVAL,
 * EOPNOTSUPP for other socket types and empty sends, EPIPE), and what a close reports. */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"

#ifndef SIOCATMARK
#define SIOCATMARK 0x8905
#endif

static const char *res(long r)
{
	static char buf[48];

	if (is_err(r))
		snprintf(buf, sizeof buf, "-1 %s", errname((int)-r));
	else
		snprintf(buf, sizeof buf, "%ld", r);
	return buf;
}

static void snd(const char *what, int s, const char *data, size_t len, int flags)
{
	printf("%s: %s\n", what, res(sys6(SYS_sendto, s, (long)data, len, flags, 0, 0)));
}

/* recv with flags (MSG_DONTWAIT added): the result and the bytes. */
static void rcv(const char *what, int s, size_t len, int flags)
{
	char buf[64] = { 0 };
	long r = sys6(SYS_recvfrom, s, (long)buf, len, flags | MSG_DONTWAIT, 0, 0);

	if (r > 0)
		printf("%s: %ld \"%.*s\"\n", what, r, (int)r, buf);
	else
		printf("%s: %s\n", what, res(r));
}

static void mark(const char *what, int s)
{
	int v = -1;
	long r = sys3(SYS_ioctl, s, SIOCATMARK, (long)&v);

	printf("%s: SIOCATMARK %s", what, res(r));
	if (!r)
		printf(" = %d", v);
	v = -1;
	r = sys3(SYS_ioctl, s, FIONREAD, (long)&v);
	printf(", FIONREAD %d", r ? -1 : v);
	struct pollfd p = { .fd = s, .events = POLLIN | POLLPRI | POLLOUT };
	poll(&p, 1, 0);
	printf(", poll%s%s%s\n", p.revents & POLLIN ? " IN" : "", p.revents & POLLPRI ? " PRI" : "",
	       p.revents & POLLOUT ? " OUT" : "");
}

int main(void)
{
	int s[2], d[2], q[2];

	setvbuf(stdout, NULL, _IONBF, 0);
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	mark("empty", s[1]);
	rcv("recv OOB with none", s[1], 10, MSG_OOB);
	snd("send \"abc\" OOB", s[0], "abc", 3, MSG_OOB);
	mark("after", s[1]);
	rcv("recv", s[1], 10, 0);
	mark("at the mark", s[1]);
	rcv("recv OOB, peek", s[1], 10, MSG_OOB | MSG_PEEK);
	rcv("recv OOB", s[1], 10, MSG_OOB);
	rcv("recv OOB again", s[1], 10, MSG_OOB);
	mark("after the OOB byte", s[1]);
	rcv("recv", s[1], 10, 0);
	mark("then", s[1]);

	snd("send \"12\" OOB", s[0], "12", 2, MSG_OOB);
	snd("send \"34\"", s[0], "34", 2, 0);
	rcv("recv", s[1], 10, 0);
	rcv("recv at the mark: the byte is dropped", s[1], 10, 0);
	rcv("recv OOB", s[1], 10, MSG_OOB);

	snd("send \"xy\" OOB", s[0], "xy", 2, MSG_OOB);
	snd("send \"z\"", s[0], "z", 1, 0);
	rcv("peek", s[1], 10, MSG_PEEK);
	rcv("recv OOB", s[1], 10, MSG_OOB);
	rcv("peek", s[1], 10, MSG_PEEK);
	rcv("recv", s[1], 10, 0);
	mark("then", s[1]);
	rcv("recv", s[1], 10, 0);
	mark("then", s[1]);

	snd("send \"a\" OOB", s[0], "a", 1, MSG_OOB);
	snd("send \"b\" OOB", s[0], "b", 1, MSG_OOB);
	mark("two marks", s[1]);
	rcv("recv", s[1], 10, 0);
	rcv("recv OOB", s[1], 10, MSG_OOB);
	rcv("recv", s[1], 10, 0);
	mark("then", s[1]);

	snd("send \"m\" OOB", s[0], "m", 1, MSG_OOB);
	rcv("recv OOB into 0 bytes", s[1], 0, MSG_OOB);
	rcv("recv OOB", s[1], 10, MSG_OOB);
	rcv("recv", s[1], 10, 0);

	int one = 1;
	printf("SO_OOBINLINE: %s\n",
	       res(sys6(SYS_setsockopt, s[1], SOL_SOCKET, SO_OOBINLINE, (long)&one, 4, 0)));
	snd("send \"pq\" OOB", s[0], "pq", 2, MSG_OOB);
	mark("inline", s[1]);
	rcv("recv OOB inline", s[1], 10, MSG_OOB);
	rcv("recv", s[1], 10, 0);
	mark("at the mark", s[1]);
	rcv("recv", s[1], 10, 0);
	mark("then", s[1]);
	snd("send \"r\" OOB then \"s\"", s[0], "r", 1, MSG_OOB);
	snd("send \"s\"", s[0], "s", 1, 0);
	rcv("recv inline", s[1], 10, 0);
	rcv("recv", s[1], 10, 0);

	snd("send 0 bytes OOB", s[0], "", 0, MSG_OOB);
	struct sockaddr sa = { .sa_family = AF_UNIX };
	printf("sendto with an address, OOB: %s\n",
	       res(sys6(SYS_sendto, s[0], (long)"x", 1, MSG_OOB, (long)&sa, 2)));
	shutdown(s[0], SHUT_WR);
	snd("send OOB after SHUT_WR", s[0], "x", 1, MSG_OOB | MSG_NOSIGNAL);
	close(s[0]);
	close(s[1]);

	socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
	snd("datagram send OOB", d[0], "x", 1, MSG_OOB);
	rcv("datagram recv OOB", d[1], 10, MSG_OOB);
	mark("datagram", d[1]);
	close(d[0]);
	close(d[1]);
	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, q);
	snd("seqpacket send OOB", q[0], "x", 1, MSG_OOB);
	rcv("seqpacket recv OOB", q[1], 10, MSG_OOB);
	mark("seqpacket", q[1]);
	close(q[0]);
	close(q[1]);

	/* a close with only the empty message of a read OOB byte left: no ECONNRESET */
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	snd("send \"k\" OOB", s[0], "k", 1, MSG_OOB);
	rcv("recv OOB", s[1], 10, MSG_OOB);
	close(s[1]);
	rcv("the peer after the close", s[0], 10, 0);
	close(s[0]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	snd("send \"k\" OOB", s[0], "k", 1, MSG_OOB);
	close(s[1]);
	rcv("the peer after a close with the byte unread", s[0], 10, 0);
	close(s[0]);
	return 0;
}
