/* unixtimeo: SO_RCVTIMEO and SO_SNDTIMEO on AF_UNIX sockets (Linux's sock_set_timeout and
 * sock_get_timeout, and the waits that use them): the old and _NEW option numbers, EINVAL for a
 * short value, EDOM for tv_usec out of range, rounding to jiffies, a negative time meaning no
 * wait; blocking recv (stream, datagram, seqpacket), accept, send (a full buffer, a full
 * receiver) and connect (a full backlog) end with EAGAIN after the time; a signal ends a timed
 * wait with EINTR even with SA_RESTART, while an untimed one is restarted. */
#define _GNU_SOURCE
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "common.h"

#define RCVTIMEO_OLD 20
#define SNDTIMEO_OLD 21
#define RCVTIMEO_NEW 66
#define SNDTIMEO_NEW 67

struct ktv {
	long long sec, usec;
};

static const char *res(long r)
{
	static char buf[48];

	if (is_err(r))
		snprintf(buf, sizeof buf, "-1 %s", errname((int)-r));
	else
		snprintf(buf, sizeof buf, "%ld", r);
	return buf;
}

static long set_tv(int s, int opt, long long sec, long long usec, int len)
{
	struct ktv tv = { sec, usec };
	char buf[32] = { 0 };

	memcpy(buf, &tv, sizeof tv);
	return sys6(SYS_setsockopt, s, SOL_SOCKET, opt, (long)buf, len, 0);
}

static void show_tv(const char *what, int s, int opt, int len)
{
	struct ktv tv = { -7, -7 };
	int l = len;
	long r = sys6(SYS_getsockopt, s, SOL_SOCKET, opt, (long)&tv, (long)&l, 0);

	if (r)
		printf("%s: %s\n", what, res(r));
	else if (l >= 16)
		printf("%s: %lld s %lld us (len %d)\n", what, tv.sec, tv.usec, l);
	else
		printf("%s: sec %lld (len %d)\n", what, tv.sec, l);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Runs a blocking call expected to time out after about 100 ms. */
static void timed(const char *what, long (*fn)(int, int), int a, int b)
{
	long long t0 = now_ms();
	long r = fn(a, b);
	long long dt = now_ms() - t0;

	printf("%s: %s, waited 90 ms or more: %s, less than 5 s: %s\n", what, res(r),
	       dt >= 90 ? "yes" : "no", dt < 5000 ? "yes" : "no");
}

static long do_recv(int s, int unused)
{
	char buf[8];

	(void)unused;
	return sys6(SYS_recvfrom, s, (long)buf, sizeof buf, 0, 0, 0);
}

static long do_send(int s, int len)
{
	static char big[65536];

	return sys6(SYS_sendto, s, (long)big, len, 0, 0, 0);
}

static long do_accept(int s, int unused)
{
	(void)unused;
	return sys3(SYS_accept, s, 0, 0);
}

static struct sockaddr_un addr = { .sun_family = AF_UNIX };
static socklen_t alen;

static long do_connect(int s, int unused)
{
	(void)unused;
	return sys3(SYS_connect, s, (long)&addr, alen);
}

static int peer_for_handler = -1;

static void on_alarm(int sig)
{
	(void)sig;
	if (peer_for_handler >= 0)
		write(peer_for_handler, "w", 1);
}

static void options(void)
{
	int sv[2];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	show_tv("SO_RCVTIMEO default", sv[0], RCVTIMEO_OLD, 16);
	show_tv("SO_SNDTIMEO_NEW default", sv[0], SNDTIMEO_NEW, 16);
	printf("set 1.5 s: %s\n", res(set_tv(sv[0], RCVTIMEO_OLD, 1, 500000, 16)));
	show_tv("SO_RCVTIMEO", sv[0], RCVTIMEO_OLD, 16);
	show_tv("SO_RCVTIMEO_NEW", sv[0], RCVTIMEO_NEW, 16);
	show_tv("SO_RCVTIMEO with 8 bytes", sv[0], RCVTIMEO_OLD, 8);
	show_tv("SO_RCVTIMEO with 32 bytes", sv[0], RCVTIMEO_OLD, 32);
	show_tv("SO_SNDTIMEO untouched", sv[0], SNDTIMEO_OLD, 16);
	printf("set 1 us: %s\n", res(set_tv(sv[0], SNDTIMEO_NEW, 0, 1, 16)));
	show_tv("SO_SNDTIMEO", sv[0], SNDTIMEO_OLD, 16);
	printf("set 0.123457 s: %s\n", res(set_tv(sv[0], SNDTIMEO_OLD, 0, 123457, 16)));
	show_tv("SO_SNDTIMEO", sv[0], SNDTIMEO_OLD, 16);
	printf("usec 1000000: %s\n", res(set_tv(sv[0], RCVTIMEO_OLD, 1, 1000000, 16)));
	printf("usec -1: %s\n", res(set_tv(sv[0], RCVTIMEO_NEW, 1, -1, 16)));
	printf("length 8: %s\n", res(set_tv(sv[0], RCVTIMEO_OLD, 1, 0, 8)));
	printf("length 3: %s\n", res(set_tv(sv[0], RCVTIMEO_OLD, 1, 0, 3)));
	printf("length 24: %s\n", res(set_tv(sv[0], RCVTIMEO_OLD, 2, 0, 24)));
	show_tv("SO_RCVTIMEO", sv[0], RCVTIMEO_OLD, 16);
	printf("bad pointer: %s\n",
	       res(sys6(SYS_setsockopt, sv[0], SOL_SOCKET, RCVTIMEO_OLD, 16, 16, 0)));
	printf("huge seconds: %s\n",
	       res(set_tv(sv[0], RCVTIMEO_OLD, 0x7fffffffffffffffLL / 250, 0, 16)));
	show_tv("SO_RCVTIMEO", sv[0], RCVTIMEO_OLD, 16);
	printf("0 s 0 us: %s\n", res(set_tv(sv[0], RCVTIMEO_OLD, 0, 0, 16)));
	show_tv("SO_RCVTIMEO", sv[0], RCVTIMEO_OLD, 16);
	printf("-1 s: %s\n", res(set_tv(sv[0], RCVTIMEO_OLD, -1, 5, 16)));
	show_tv("SO_RCVTIMEO", sv[0], RCVTIMEO_OLD, 16);
	long long t0 = now_ms();
	long r = do_recv(sv[0], 0);
	printf("recv with a negative timeout: %s, at once: %s\n", res(r),
	       now_ms() - t0 < 1000 ? "yes" : "no");
	close(sv[0]);
	close(sv[1]);
}

static void waits(void)
{
	int sv[2], l, c, c2, i;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	set_tv(sv[0], RCVTIMEO_OLD, 0, 100000, 16);
	timed("stream recv", do_recv, sv[0], 0);
	for (i = 0; i < 1000 && sys6(SYS_sendto, sv[1], (long)"x", 1, MSG_DONTWAIT, 0, 0) == 1;
	     i++)
		;
	set_tv(sv[1], SNDTIMEO_NEW, 0, 100000, 16);
	timed("stream send to a full buffer", do_send, sv[1], 60000);
	close(sv[0]);
	close(sv[1]);

	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
	set_tv(sv[0], RCVTIMEO_NEW, 0, 100000, 16);
	timed("seqpacket recv", do_recv, sv[0], 0);
	close(sv[0]);
	close(sv[1]);

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	set_tv(sv[0], RCVTIMEO_OLD, 0, 100000, 16);
	timed("datagram recv", do_recv, sv[0], 0);
	close(sv[0]);
	close(sv[1]);

	/* a receiver not connected back holds 11 datagrams */
	int rcv = socket(AF_UNIX, SOCK_DGRAM, 0), snd = socket(AF_UNIX, SOCK_DGRAM, 0);
	strcpy(addr.sun_path + 1, "unixtimeo-dgram");
	alen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen("unixtimeo-dgram");
	bind(rcv, (struct sockaddr *)&addr, alen);
	connect(snd, (struct sockaddr *)&addr, alen);
	for (i = 0; i < 100 && sys6(SYS_sendto, snd, (long)"x", 1, MSG_DONTWAIT, 0, 0) == 1; i++)
		;
	printf("datagrams queued before EAGAIN: %d\n", i);
	set_tv(snd, SNDTIMEO_OLD, 0, 100000, 16);
	timed("datagram send to a full receiver", do_send, snd, 1);
	close(rcv);
	close(snd);

	l = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(addr.sun_path + 1, "unixtimeo-listen");
	alen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen("unixtimeo-listen");
	bind(l, (struct sockaddr *)&addr, alen);
	listen(l, 0);
	set_tv(l, RCVTIMEO_OLD, 0, 100000, 16);
	timed("accept", do_accept, l, 0);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	printf("first connect: %s\n", res(do_connect(c, 0)));
	c2 = socket(AF_UNIX, SOCK_STREAM, 0);
	set_tv(c2, SNDTIMEO_OLD, 0, 100000, 16);
	timed("connect to a full backlog", do_connect, c2, 0);
	set_tv(c2, RCVTIMEO_OLD, 0, 100000, 16);
	set_tv(c2, SNDTIMEO_OLD, 0, 0, 16);
	printf("a receive timeout does not limit connect: ");
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { .it_value = { 0, 300000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	long long t0 = now_ms();
	long r = do_connect(c2, 0);
	printf("%s after 250 ms or more: %s\n", res(r), now_ms() - t0 >= 250 ? "yes" : "no");
	close(c);
	close(c2);
	close(l);
}

static void signals(void)
{
	int sv[2];
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { .it_value = { 0, 100000 } };

	sigaction(SIGALRM, &sa, NULL);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	set_tv(sv[0], RCVTIMEO_OLD, 3, 0, 16);
	setitimer(ITIMER_REAL, &it, NULL);
	long long t0 = now_ms();
	long r = do_recv(sv[0], 0);
	printf("SA_RESTART signal in a timed recv: %s, before the timeout: %s\n", res(r),
	       now_ms() - t0 < 2500 ? "yes" : "no");
	set_tv(sv[0], RCVTIMEO_OLD, 0, 0, 16);
	peer_for_handler = sv[1];
	setitimer(ITIMER_REAL, &it, NULL);
	r = do_recv(sv[0], 0);
	printf("SA_RESTART signal in an untimed recv: restarted, got the handler's byte: %s\n",
	       res(r));
	peer_for_handler = -1;
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	set_tv(sv[1], SNDTIMEO_OLD, 3, 0, 16);
	for (int i = 0; i < 1000 && sys6(SYS_sendto, sv[1], (long)"x", 1, MSG_DONTWAIT, 0, 0) == 1;
	     i++)
		;
	setitimer(ITIMER_REAL, &it, NULL);
	r = do_send(sv[1], 60000);
	printf("signal in a timed send: %s\n", res(r));
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	options();
	waits();
	signals();
	return 0;
}
