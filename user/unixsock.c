#define _GNU_SOURCE
/* unixsock: AF_UNIX sockets as Linux 6.1 has them: socket and socketpair with their errors,
 * the three types' data paths (MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT, MSG_WAITALL), shutdown with
 * EPIPE and SIGPIPE, names in the file system and the abstract namespace, listen, accept,
 * connect's errors, getsockname/getpeername, socket options, SCM_RIGHTS and SCM_CREDENTIALS,
 * poll readiness, fstat and /proc/self/fd of a socket, and a blocking read ended by a signal. */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

static int sigpipes, sigalrms;

static void on_sig(int sig)
{
	if (sig == SIGPIPE)
		sigpipes++;
	else
		sigalrms++;
}

static long xsocketpair(int type, int sv[2])
{
	return sys4(SYS_socketpair, AF_UNIX, type, 0, (long)sv);
}

static void closeboth(int sv[2])
{
	close(sv[0]);
	close(sv[1]);
}

static void test_create(void)
{
	int sv[2] = { -1, -1 };

	/* AF_INET and the other families Debian's kernel has are EAFNOSUPPORT on Warden, which has
	 * no network stack (docs/unix-sockets.md): not recorded here. */
	show("socket(46, STREAM)", sys3(SYS_socket, 46, SOCK_STREAM, 0));
	show("socket(-1, STREAM)", sys3(SYS_socket, -1, SOCK_STREAM, 0));
	show("socket(UNIX, 11)", sys3(SYS_socket, AF_UNIX, 11, 0));
	show("socket(UNIX, 4 RDM)", sys3(SYS_socket, AF_UNIX, SOCK_RDM, 0));
	show("socket(UNIX, 10 PACKET)", sys3(SYS_socket, AF_UNIX, SOCK_PACKET, 0));
	show("socket(UNIX, STREAM, 2)", sys3(SYS_socket, AF_UNIX, SOCK_STREAM, 2));
	show("socket(UNIX, STREAM|0x100)", sys3(SYS_socket, AF_UNIX, SOCK_STREAM | 0x100, 0));
	long fd = sys3(SYS_socket, AF_UNIX, SOCK_RAW, 1);
	int type = 0;
	socklen_t len = sizeof(type);
	getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &len);
	printf("socket(UNIX, RAW, 1): %s, SO_TYPE %d\n", fd >= 0 ? "ok" : "fail", type);
	close((int)fd);
	fd = sys3(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	printf("STREAM|NONBLOCK|CLOEXEC: F_GETFL %#lx F_GETFD %ld\n", sys2(SYS_fcntl, fd, F_GETFL),
	       sys2(SYS_fcntl, fd, F_GETFD));
	struct stat st;
	fstat((int)fd, &st);
	printf("fstat: mode %o size %ld nlink %ld blksize %ld\n", st.st_mode, (long)st.st_size,
	       (long)st.st_nlink, (long)st.st_blksize);
	char path[64], link[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%ld", fd);
	long n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	printf("fd link is socket:[ino]: %d\n",
	       n > 0 && !strncmp(link, "socket:[", 8) &&
		       strtoul(link + 8, NULL, 10) == (unsigned long)st.st_ino);
	show("open(/proc/self/fd/N of a socket)", sys2(SYS_open, (long)path, O_RDWR));
	show("lseek(socket)", sys3(SYS_lseek, fd, 0, SEEK_SET));
	show("pread(socket)", sys4(SYS_pread64, fd, (long)link, 1, 0));
	close((int)fd);
	show("socketpair(UNIX, 11)", sys4(SYS_socketpair, AF_UNIX, 11, 0, (long)sv));
	show("socketpair(bad pointer)", sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, 8));
	show("socketpair(UNIX, STREAM, 7)",
	     sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 7, (long)sv));
	show("socketpair(flags 0x100)",
	     sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM | 0x100, 0, (long)sv));
	show("bind(stdin)", sys3(SYS_bind, 0, (long)"", 0));
	show("bind(99)", sys3(SYS_bind, 99, (long)"", 0));
	show("listen(stdin)", sys2(SYS_listen, 0, 1));
	show("connect(stdin, bad len)", sys3(SYS_connect, 0, 0, -1));
	show("connect(stdin)", sys3(SYS_connect, 0, 0, 0));
	show("accept4(stdin, bad flags)", sys4(SYS_accept4, 0, 0, 0, 0x100));
	show("accept(stdin)", sys3(SYS_accept, 0, 0, 0));
	show("getsockopt(stdin)", sys6(SYS_getsockopt, 0, SOL_SOCKET, SO_TYPE, 0, 0, 0));
	show("setsockopt(stdin, len -1)", sys6(SYS_setsockopt, 0, SOL_SOCKET, SO_TYPE, 0, -1, 0));
	show("shutdown(stdin)", sys2(SYS_shutdown, 0, SHUT_RD));
}

static void test_stream_pair(void)
{
	int sv[2];
	char buf[64];

	show("socketpair(STREAM)", xsocketpair(SOCK_STREAM, sv));
	show("write 5", write(sv[0], "hello", 5));
	show("write 6", write(sv[0], " world", 6));
	show("recv PEEK 64", recv(sv[1], buf, 64, MSG_PEEK));
	show("read 3", read(sv[1], buf, 3));
	printf("got %.3s\n", buf);
	show("read 64", read(sv[1], buf, 64));
	printf("got %.8s\n", buf);
	show_libc("recv DONTWAIT empty", recv(sv[1], buf, 64, MSG_DONTWAIT));
	write(sv[0], "a", 1);
	write(sv[0], "bb", 2);
	write(sv[0], "ccc", 3);
	write(sv[0], "dddd", 4);
	show("recv PEEK 64 over four writes", recv(sv[1], buf, 64, MSG_PEEK));
	printf("peeked %.10s\n", buf);
	show("recv PEEK 5", recv(sv[1], buf, 5, MSG_PEEK));
	show("read 2", read(sv[1], buf, 2));
	show("recv PEEK 64 again", recv(sv[1], buf, 64, MSG_PEEK));
	printf("peeked %.8s\n", buf);
	show("read all", read(sv[1], buf, 64));
	show("read 0 bytes", read(sv[1], buf, 0));

	write(sv[1], "abc", 3);
	int avail = -1;
	ioctl(sv[0], FIONREAD, &avail);
	printf("FIONREAD after 3: %d\n", avail);
	read(sv[0], buf, 3);
	/* readv/writev through the socket */
	struct iovec iov[2] = { { "ab", 2 }, { "cd", 2 } };
	show("writev 2x2", writev(sv[0], iov, 2));
	show("recv WAITALL 4", recv(sv[1], buf, 4, MSG_WAITALL));
	/* sendto with an address on a connected stream */
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/x" };
	show_libc("sendto(addr) on stream", sendto(sv[0], "x", 1, 0, (void *)&sa, sizeof(sa)));
	/* shutdown */
	show("shutdown(7)", sys2(SYS_shutdown, sv[0], 7));
	show("shutdown(SHUT_WR)", sys2(SYS_shutdown, sv[0], SHUT_WR));
	show_libc("write after SHUT_WR", write(sv[0], "x", 1));
	printf("SIGPIPE count %d\n", sigpipes);
	show_libc("send NOSIGNAL after SHUT_WR", send(sv[0], "x", 1, MSG_NOSIGNAL));
	printf("SIGPIPE count %d\n", sigpipes);
	show("peer reads EOF", read(sv[1], buf, 64));
	show("peer writes still", write(sv[1], "back", 4));
	show("read back", read(sv[0], buf, 64));
	closeboth(sv);
	/* close with unread data: ECONNRESET once, then EOF */
	xsocketpair(SOCK_STREAM, sv);
	write(sv[0], "unread", 6);
	close(sv[1]);
	show_libc("read after peer closed with unread data", read(sv[0], buf, 64));
	show_libc("read again", read(sv[0], buf, 64));
	show_libc("write to closed peer", write(sv[0], "x", 1));
	printf("SIGPIPE count %d\n", sigpipes);
	close(sv[0]);
	/* fill the buffer without blocking */
	xsocketpair(SOCK_STREAM | SOCK_NONBLOCK, sv);
	static char big[65536];
	long total = 0, r;
	while ((r = write(sv[0], big, sizeof(big))) > 0)
		total += r;
	printf("nonblocking fill: stops with %s, more than 100000 bytes: %d\n", errname(errno),
	       total > 100000);
	struct pollfd p = { .fd = sv[0], .events = POLLIN | POLLOUT };
	poll(&p, 1, 0);
	printf("full writer poll: %#x\n", p.revents);
	closeboth(sv);
}

static void test_dgram_pair(int type, const char *name)
{
	int sv[2];
	char buf[64];

	printf("-- %s pair\n", name);
	show("socketpair", xsocketpair(type, sv));
	send(sv[0], "first", 5, 0);
	send(sv[0], "second!", 7, 0);
	send(sv[0], "", 0, 0);
	show("recv 3 (truncates)", recv(sv[1], buf, 3, 0));
	show("recv PEEK|TRUNC 2", recv(sv[1], buf, 2, MSG_PEEK | MSG_TRUNC));
	struct iovec iov = { buf, 4 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	show("recvmsg 4", recvmsg(sv[1], &mh, 0));
	printf("msg_flags %#x\n", mh.msg_flags);
	show("recv empty message", recv(sv[1], buf, 64, 0));
	show_libc("recv DONTWAIT", recv(sv[1], buf, 64, MSG_DONTWAIT));
	show("write 0 bytes", write(sv[0], buf, 0));
	show_libc("recv DONTWAIT after write 0", recv(sv[1], buf, 64, MSG_DONTWAIT));
	int sndbuf;
	socklen_t len = sizeof(sndbuf);
	getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, &len);
	static char big[300000];
	show_libc("send sndbuf-32+1", send(sv[0], big, sndbuf - 31, 0));
	show_libc("send sndbuf-32", send(sv[0], big, sndbuf - 32, MSG_DONTWAIT));
	show_libc("recv it", recv(sv[1], big, sizeof(big), MSG_DONTWAIT));
	shutdown(sv[1], SHUT_RD);
	show_libc("send to peer shut for reading", send(sv[0], "x", 1, MSG_DONTWAIT));
	show_libc("recv on own SHUT_RD", recv(sv[1], buf, 64, 0));
	printf("SIGPIPE count %d\n", sigpipes);
	closeboth(sv);
	xsocketpair(type, sv);
	close(sv[1]);
	show_libc("send to closed peer", send(sv[0], "x", 1, MSG_DONTWAIT));
	show_libc("send again", send(sv[0], "x", 1, MSG_DONTWAIT));
	show_libc("recv DONTWAIT from closed peer", recv(sv[0], buf, 64, MSG_DONTWAIT));
	struct pollfd p = { .fd = sv[0], .events = POLLIN | POLLOUT };
	poll(&p, 1, 0);
	printf("poll after peer closed: %#x\n", p.revents);
	printf("SIGPIPE count %d\n", sigpipes);
	close(sv[0]);
}

static socklen_t sun_len(const char *path)
{
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static void show_name(const char *what, int fd, int peer)
{
	struct sockaddr_un sa;
	socklen_t len = sizeof(sa);

	memset(&sa, 0x55, sizeof(sa));
	int r = peer ? getpeername(fd, (void *)&sa, &len) : getsockname(fd, (void *)&sa, &len);
	if (r) {
		printf("%s: -1 %s\n", what, errname(errno));
		return;
	}
	printf("%s: len %u family %d path ", what, len, sa.sun_family);
	print_escaped(sa.sun_path, len > 2 ? len - 2 : 0);
	printf("\n");
}

static void test_names(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/tmp/sock1" };
	int s = socket(AF_UNIX, SOCK_STREAM, 0), c, a;
	char buf[64];

	ensure_tmp();
	show_name("unbound name", s, 0);
	show_name("unbound peer", s, 1);
	show_libc("listen unbound", listen(s, 5));
	show_libc("accept unbound", accept(s, NULL, NULL));
	show_libc("bind len 2 family 0", bind(s, (void *)&(struct sockaddr_un){ 0 }, 2));
	show_libc("bind len 111", bind(s, (void *)&sa, 111));
	show_libc("bind family INET",
		  bind(s,
		       (void *)&(struct sockaddr_un){ .sun_family = AF_INET, .sun_path = "/tmp/x" },
		       10));
	show_libc("bind bad pointer", bind(s, (void *)8, 10));
	show_libc("bind len 200", bind(s, (void *)&sa, 200));
	show_libc("bind /tmp/sock1", bind(s, (void *)&sa, sun_len(sa.sun_path)));
	show_name("bound name", s, 0);
	struct stat st;
	stat("/tmp/sock1", &st);
	printf("stat: mode %o\n", st.st_mode);
	show_libc("bind again", bind(s, (void *)&sa, sun_len(sa.sun_path)));
	struct sockaddr_un sb = { .sun_family = AF_UNIX, .sun_path = "/tmp/sock2" };
	show_libc("bind bound socket elsewhere", bind(s, (void *)&sb, sun_len(sb.sun_path)));
	show_libc("stat of that path", stat("/tmp/sock2", &st));
	int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
	show_libc("second socket binds same path", bind(s2, (void *)&sa, sun_len(sa.sun_path)));
	show_libc("open the socket file", open("/tmp/sock1", O_RDWR));
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	show_libc("connect before listen", connect(c, (void *)&sa, sun_len(sa.sun_path)));
	show_libc("listen", listen(s, 0));
	show_libc("listen again", listen(s, 1));
	fcntl(s, F_SETFL, O_NONBLOCK);
	show_libc("accept4 on a non-blocking listener, empty",
		  accept4(s, NULL, NULL, SOCK_NONBLOCK));
	fcntl(s, F_SETFL, 0);
	struct pollfd p = { .fd = s, .events = POLLIN | POLLOUT };
	poll(&p, 1, 0);
	printf("listener poll idle: %#x\n", p.revents);
	show_libc("connect", connect(c, (void *)&sa, sun_len(sa.sun_path)));
	poll(&p, 1, 0);
	printf("listener poll pending: %#x\n", p.revents);
	show_libc("connect again", connect(c, (void *)&sa, sun_len(sa.sun_path)));
	show_name("client name", c, 0);
	show_name("client peer", c, 1);
	show("client writes before accept", write(c, "early", 5));
	int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	show_libc("second connect (backlog 0 holds one)",
		  connect(c2, (void *)&sa, sun_len(sa.sun_path)));
	int c3 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	show_libc("third connect, nonblocking, backlog full",
		  connect(c3, (void *)&sa, sun_len(sa.sun_path)));
	struct sockaddr_un pa;
	socklen_t plen = sizeof(pa);
	a = accept(s, (void *)&pa, &plen);
	printf("accept: %s, peer len %u\n", a >= 0 ? "ok" : errname(errno), plen);
	show_name("accepted name", a, 0);
	show_name("accepted peer", a, 1);
	show("accepted reads", read(a, buf, 64));
	struct ucred cr;
	socklen_t crlen = sizeof(cr);
	getsockopt(a, SOL_SOCKET, SO_PEERCRED, &cr, &crlen);
	printf("SO_PEERCRED: len %u pid is ours %d uid %u gid %u\n", crlen, cr.pid == getpid(),
	       cr.uid, cr.gid);
	int v;
	socklen_t vl = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
	printf("SO_ACCEPTCONN listener %d\n", v);
	plen = 1;
	int a2 = accept(s, (void *)&pa, &plen);
	printf("accept with len 1: %s, len now %u\n", a2 >= 0 ? "ok" : errname(errno), plen);
	close(a2);
	close(c2);
	/* wrong type, missing path, not a socket */
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	show_libc("dgram connect to stream listener",
		  connect(d, (void *)&sa, sun_len(sa.sun_path)));
	struct sockaddr_un missing = { .sun_family = AF_UNIX, .sun_path = "/tmp/nothing" };
	show_libc("connect to missing path",
		  connect(c3, (void *)&missing, sun_len(missing.sun_path)));
	struct sockaddr_un notsock = { .sun_family = AF_UNIX, .sun_path = "/proc/self/maps" };
	show_libc("connect to a regular file",
		  connect(c3, (void *)&notsock, sun_len(notsock.sun_path)));
	close(s);
	int c4 = socket(AF_UNIX, SOCK_STREAM, 0);
	show_libc("connect after listener closed", connect(c4, (void *)&sa, sun_len(sa.sun_path)));
	show_libc("client of closed listener reads", read(c3, buf, 1));
	show_libc("accepted still reads", recv(a, buf, 64, MSG_DONTWAIT));
	show_libc("unlink socket file", unlink("/tmp/sock1"));
	close(a);
	close(c);
	close(c3);
	close(c4);
	close(s2);
	close(d);
}

static void test_abstract(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + 8;
	memcpy(sa.sun_path, "\0abstrx", 7);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0), s2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	int st = socket(AF_UNIX, SOCK_STREAM, 0);
	char buf[64];

	show_libc("bind abstract", bind(s, (void *)&sa, len));
	show_name("abstract name", s, 0);
	show_libc("bind same abstract (dgram)", bind(s2, (void *)&sa, len));
	show_libc("bind same abstract (stream)", bind(st, (void *)&sa, len));
	show_libc("bind same abstract shorter", bind(s2, (void *)&sa, len - 1));
	show_libc("sendto abstract", sendto(s2, "dgram", 5, 0, (void *)&sa, len));
	struct sockaddr_un from;
	socklen_t flen = sizeof(from);
	show_libc("recvfrom", recvfrom(s, buf, 64, 0, (void *)&from, &flen));
	printf("from len %u\n", flen);
	show_libc("connect s to s2", connect(s, (void *)&sa, len - 1));
	show_libc("sendto s (connected to s2) from a third",
		  sendto(socket(AF_UNIX, SOCK_DGRAM, 0), "x", 1, 0, (void *)&sa, len - 1) == -1
			  ? -errno
			  : 0);
	show_libc("send unconnected dgram", send(socket(AF_UNIX, SOCK_DGRAM, 0), "x", 1, 0));
	struct sockaddr_un uns = { .sun_family = AF_UNSPEC };
	show_libc("connect AF_UNSPEC", connect(s, (void *)&uns, sizeof(uns)));
	show_name("peer after AF_UNSPEC", s, 1);
	/* autobind: five hex digits in the abstract namespace */
	int ab = socket(AF_UNIX, SOCK_DGRAM, 0);
	show_libc("autobind", bind(ab, (void *)&(struct sockaddr_un){ .sun_family = AF_UNIX }, 2));
	struct sockaddr_un an;
	socklen_t alen = sizeof(an);
	getsockname(ab, (void *)&an, &alen);
	printf("autobind len %u first byte %d\n", alen, an.sun_path[0]);
	/* a dgram queue that is full: 11 messages from others, then EAGAIN */
	int cnt = 0;
	for (int i = 0; i < 20; i++)
		if (sendto(s2, "q", 1, MSG_DONTWAIT, (void *)&sa, len) == 1)
			cnt++;
	printf("queued to a bound dgram socket before EAGAIN: %d (%s)\n", cnt, errname(errno));
	close(s);
	close(s2);
	close(st);
	close(ab);
}

static void test_options(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0), v;
	socklen_t len = sizeof(v);
	static const int opts[] = { SO_TYPE,	  SO_ERROR,	 SO_SNDBUF,   SO_RCVBUF,
				    SO_PASSCRED,  SO_ACCEPTCONN, SO_DOMAIN,   SO_PROTOCOL,
				    SO_REUSEADDR, SO_KEEPALIVE,	 SO_SNDLOWAT, SO_RCVLOWAT,
				    SO_PRIORITY,  SO_BROADCAST };
	for (unsigned i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		len = sizeof(v);
		v = -7;
		long r = getsockopt(s, SOL_SOCKET, opts[i], &v, &len);
		printf("getsockopt(%d): %ld value %d len %u\n", opts[i], r, v, len);
	}
	len = 2;
	v = 0;
	show_libc("getsockopt len 2", getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &len));
	printf("len %u\n", len);
	len = (socklen_t)-1;
	show_libc("getsockopt len -1", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len));
	show_libc("getsockopt unknown", getsockopt(s, SOL_SOCKET, 9999, &v, &len));
	len = 4;
	show_libc("getsockopt level TCP", getsockopt(s, 6, 1, &v, &len));
	show_libc("getsockopt bad optlen ptr", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, (void *)8));
	struct ucred cr;
	len = sizeof(cr);
	getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &len);
	printf("SO_PEERCRED unconnected: pid %d uid %d gid %d len %u\n", cr.pid, (int)cr.uid,
	       (int)cr.gid, len);
	static const int sizes[] = { 0, 1, 1000, 3000, 100000, 200000, 1 << 30, -1 };
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int sz = sizes[i], got, got2;
		len = sizeof(got);
		setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		getsockopt(s, SOL_SOCKET, SO_SNDBUF, &got, &len);
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		getsockopt(s, SOL_SOCKET, SO_RCVBUF, &got2, &len);
		printf("SO_SNDBUF/SO_RCVBUF %d -> %d %d\n", sz, got, got2);
	}
	v = 1;
	show_libc("setsockopt SO_TYPE", setsockopt(s, SOL_SOCKET, SO_TYPE, &v, sizeof(v)));
	show_libc("setsockopt len 2", setsockopt(s, SOL_SOCKET, SO_PASSCRED, &v, 2));
	show_libc("setsockopt bad pointer", setsockopt(s, SOL_SOCKET, SO_PASSCRED, (void *)8, 4));
	show_libc("setsockopt unknown", setsockopt(s, SOL_SOCKET, 9999, &v, 4));
	show_libc("setsockopt level 6", setsockopt(s, 6, 1, &v, 4));
	show_libc("setsockopt SO_PASSCRED", setsockopt(s, SOL_SOCKET, SO_PASSCRED, &v, 4));
	len = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_PASSCRED, &v, &len);
	printf("SO_PASSCRED now %d\n", v);
	close(s);
}

/* Sends fds with SCM_RIGHTS; returns sendmsg's result. */
static long send_fds(int s, const int *fds, int n, const char *data)
{
	char ctl[CMSG_SPACE(sizeof(int) * 8)];
	struct iovec iov = { (void *)data, strlen(data) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = ctl,
			     .msg_controllen = CMSG_SPACE(sizeof(int) * n) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	memset(ctl, 0, sizeof(ctl));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	long r = sendmsg(s, &mh, 0);
	return r < 0 ? -errno : r;
}

/* Receives with a control buffer of ctllen bytes; prints what arrived. */
static void recv_fds(int s, size_t ctllen, int flags)
{
	char ctl[256], buf[64];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = ctllen ? ctl : NULL,
			     .msg_controllen = ctllen };

	memset(ctl, 0, sizeof(ctl));
	long r = recvmsg(s, &mh, flags);
	if (r < 0) {
		printf("recvmsg: -1 %s\n", errname(errno));
		return;
	}
	printf("recvmsg: %ld msg_flags %#x controllen %zu\n", r, mh.msg_flags,
	       (size_t)mh.msg_controllen);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		printf("  cmsg level %d type %d len %zu\n", c->cmsg_level, c->cmsg_type,
		       (size_t)c->cmsg_len);
		if (c->cmsg_type == SCM_RIGHTS) {
			int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			for (int i = 0; i < n; i++) {
				int fd;
				memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				char b[16] = { 0 };
				lseek(fd, 0, SEEK_SET);
				long k = read(fd, b, sizeof(b) - 1);
				printf("  fd %d: cloexec %ld reads %ld \"%s\"\n", fd,
				       sys2(SYS_fcntl, fd, F_GETFD), k, k > 0 ? b : "");
				close(fd);
			}
		}
		if (c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cr;
			memcpy(&cr, CMSG_DATA(c), sizeof(cr));
			printf("  creds pid is ours %d uid %u gid %u\n", cr.pid == getpid(), cr.uid,
			       cr.gid);
		}
	}
}

static void test_scm(void)
{
	int sv[2], dsv[2];
	int f = open("/tmp/scmfile", O_RDWR | O_CREAT | O_TRUNC, 0600);

	write(f, "file data", 9);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, dsv);
	int two[2] = { f, f };
	show("send 2 fds (stream)", send_fds(sv[0], two, 2, "fds"));
	recv_fds(sv[1], 256, MSG_CMSG_CLOEXEC);
	show("send 2 fds, room for 1", send_fds(sv[0], two, 2, "fds"));
	recv_fds(sv[1], CMSG_LEN(sizeof(int)), 0);
	show("send fds, read without control", send_fds(sv[0], two, 1, "x"));
	recv_fds(sv[1], 0, 0);
	int bad[1] = { 77 };
	show("send a closed fd", send_fds(sv[0], bad, 1, "x"));
	show("send fds (dgram)", send_fds(dsv[0], two, 1, "dgram"));
	recv_fds(dsv[1], 256, MSG_PEEK);
	recv_fds(dsv[1], 256, 0);
	/* two writes, the first with fds: a read stops after the message with files */
	send_fds(sv[0], two, 1, "ab");
	write(sv[0], "cd", 2);
	recv_fds(sv[1], 256, 0);
	recv_fds(sv[1], 256, 0);
	/* a bad cmsg_len, an unknown type, a control buffer too long */
	char ctl[64] = { 0 };
	struct iovec iov = { "x", 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = 32
	};
	struct cmsghdr *c = (struct cmsghdr *)ctl;
	c->cmsg_len = 8;
	c->cmsg_level = SOL_SOCKET;
	show_libc("sendmsg cmsg_len 8", sendmsg(sv[0], &mh, 0));
	c->cmsg_len = 100;
	show_libc("sendmsg cmsg_len past buffer", sendmsg(sv[0], &mh, 0));
	c->cmsg_len = 20;
	c->cmsg_type = 99;
	show_libc("sendmsg unknown SOL_SOCKET type", sendmsg(sv[0], &mh, 0));
	c->cmsg_level = 6;
	show_libc("sendmsg other level skipped", sendmsg(sv[0], &mh, 0));
	mh.msg_controllen = 30000;
	show_libc("sendmsg controllen 30000", sendmsg(sv[0], &mh, 0));
	mh.msg_controllen = 0;
	mh.msg_iovlen = 1025;
	show_libc("sendmsg iovlen 1025", sendmsg(sv[0], &mh, 0));
	char drain[64];
	recv(sv[1], drain, sizeof(drain), MSG_DONTWAIT);
	/* credentials */
	int on = 1;
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	write(sv[0], "cred", 4);
	recv_fds(sv[1], 256, 0);
	struct ucred cr = { getpid(), 0, 0 };
	char cctl[CMSG_SPACE(sizeof(cr))];
	struct msghdr cm = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cctl,
			     .msg_controllen = sizeof(cctl) };
	c = CMSG_FIRSTHDR(&cm);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(cr));
	memcpy(CMSG_DATA(c), &cr, sizeof(cr));
	show_libc("sendmsg own credentials", sendmsg(sv[0], &cm, 0));
	recv_fds(sv[1], 256, 0);
	cr.uid = (uid_t)-1;
	memcpy(CMSG_DATA(c), &cr, sizeof(cr));
	show_libc("sendmsg uid -1", sendmsg(sv[0], &cm, 0));
	cr.uid = 0;
	cr.pid = 999999;
	memcpy(CMSG_DATA(c), &cr, sizeof(cr));
	show_libc("sendmsg pid that does not exist", sendmsg(sv[0], &cm, 0));
	write(sv[0], "x", 1);
	recv_fds(sv[1], 8, 0);
	closeboth(sv);
	closeboth(dsv);
	close(f);
	unlink("/tmp/scmfile");
}

static void test_blocking(void)
{
	int sv[2];
	char buf[16];
	struct sigaction sa = { .sa_handler = on_sig };

	sigaction(SIGALRM, &sa, NULL);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	struct itimerval it = { .it_value = { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	show_libc("blocking read interrupted", read(sv[0], buf, sizeof(buf)));
	printf("SIGALRM count %d\n", sigalrms);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(200000);
		write(sv[1], "late", 4);
		_exit(0);
	}
	setitimer(ITIMER_REAL, &it, NULL);
	show_libc("read restarted after SA_RESTART signal", read(sv[0], buf, sizeof(buf)));
	printf("SIGALRM count %d\n", sigalrms);
	waitpid(pid, NULL, 0);
	/* a blocked writer woken by the reader */
	closeboth(sv);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pid = fork();
	if (pid == 0) {
		static char big[1 << 20];
		long w = write(sv[1], big, sizeof(big));
		_exit(w == sizeof(big) ? 0 : 1);
	}
	static char sink[1 << 16];
	long total = 0, r;
	while (total < (1 << 20) && (r = read(sv[0], sink, sizeof(sink))) > 0)
		total += r;
	int status;
	waitpid(pid, &status, 0);
	printf("1 MiB through a blocking stream: %ld, writer status %d\n", total, status);
	closeboth(sv);
	/* accept blocks until a child connects */
	struct sockaddr_un addr = { .sun_family = AF_UNIX, .sun_path = "\0blk" };
	int l = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	bind(l, (void *)&addr, 6);
	listen(l, 4);
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		connect(c, (void *)&addr, 6);
		send(c, "seq1", 4, 0);
		send(c, "seq22", 5, 0);
		_exit(0);
	}
	int a = accept(l, NULL, NULL);
	printf("blocking accept: %s\n", a >= 0 ? "ok" : errname(errno));
	waitpid(pid, NULL, 0);
	show("seqpacket recv 2", recv(a, buf, 2, 0));
	show("seqpacket recv", recv(a, buf, 16, 0));
	show("seqpacket recv after peer exit", recv(a, buf, 16, 0));
	show_libc("seqpacket send after peer exit", send(a, "x", 1, MSG_DONTWAIT));
	printf("SIGPIPE count %d\n", sigpipes);
	int u = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	show_libc("seqpacket send unconnected", send(u, "x", 1, 0));
	show_libc("seqpacket recv unconnected", recv(u, buf, 1, 0));
	show_libc("stream read unconnected", read(socket(AF_UNIX, SOCK_STREAM, 0), buf, 1));
	show_libc("stream write unconnected", write(socket(AF_UNIX, SOCK_STREAM, 0), buf, 1));
	struct pollfd p = { .fd = u, .events = POLLIN | POLLOUT };
	poll(&p, 1, 0);
	printf("unconnected seqpacket poll: %#x\n", p.revents);
	close(a);
	close(l);
	close(u);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_sig };

	setvbuf(stdout, NULL, _IONBF, 0);
	sigaction(SIGPIPE, &sa, NULL);
	test_create();
	test_stream_pair();
	test_dgram_pair(SOCK_DGRAM, "dgram");
	test_dgram_pair(SOCK_SEQPACKET, "seqpacket");
	test_names();
	test_abstract();
	test_options();
	test_scm();
	test_blocking();
	return 0;
}
