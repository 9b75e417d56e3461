/* unixzerosend: a send of 0 bytes on an AF_UNIX socket as Linux 6.1 answers it. On a connected
 * SOCK_STREAM socket, sendmsg with no iovec, write and sendto of 0 bytes return 0 and queue
 * nothing (Warden answered ENOTCONN, the error it had set before finding the peer); with
 * MSG_OOB, EOPNOTSUPP; after shutdown(SHUT_WR), EPIPE (SIGPIPE ignored here); unconnected,
 * ENOTCONN. SOCK_DGRAM and SOCK_SEQPACKET pairs queue an empty message, which a read takes as 0
 * bytes. */
#define _GNU_SOURCE
#include "common.h"
#include <signal.h>
#include <sys/socket.h>
#include <sys/uio.h>

static char page[64];

static void zero_sends(const char *name, int type)
{
	int sv[2];
	struct msghdr mh = { .msg_iov = NULL, .msg_iovlen = 0 };
	char what[80];

	socketpair(AF_UNIX, type, 0, sv);
	snprintf(what, sizeof(what), "%s: sendmsg of no iovec", name);
	show(what, sys3(SYS_sendmsg, sv[0], (long)&mh, MSG_DONTWAIT));
	snprintf(what, sizeof(what), "%s: write of 0 bytes", name);
	show(what, sys3(SYS_write, sv[0], (long)page, 0));
	snprintf(what, sizeof(what), "%s: sendto of 0 bytes", name);
	show(what, sys6(SYS_sendto, sv[0], (long)page, 0, MSG_DONTWAIT, 0, 0));
	snprintf(what, sizeof(what), "%s: sendto of 0 bytes, MSG_OOB", name);
	show(what, sys6(SYS_sendto, sv[0], (long)page, 0, MSG_DONTWAIT | MSG_OOB, 0, 0));
	snprintf(what, sizeof(what), "%s: read by the peer", name);
	show(what, sys6(SYS_recvfrom, sv[1], (long)page, sizeof(page), MSG_DONTWAIT, 0, 0));
	snprintf(what, sizeof(what), "%s: send of 3 bytes", name);
	show(what, sys6(SYS_sendto, sv[0], (long)"abc", 3, MSG_DONTWAIT, 0, 0));
	snprintf(what, sizeof(what), "%s: read by the peer", name);
	show(what, sys6(SYS_recvfrom, sv[1], (long)page, sizeof(page), MSG_DONTWAIT, 0, 0));
	shutdown(sv[0], SHUT_WR);
	snprintf(what, sizeof(what), "%s: write of 0 bytes after SHUT_WR", name);
	show(what, sys3(SYS_write, sv[0], (long)page, 0));
	close(sv[0]);
	close(sv[1]);
	int s = socket(AF_UNIX, type, 0);
	snprintf(what, sizeof(what), "%s: write of 0 bytes, unconnected", name);
	show(what, sys3(SYS_write, s, (long)page, 0));
	close(s);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	zero_sends("stream", SOCK_STREAM);
	zero_sends("dgram", SOCK_DGRAM);
	zero_sends("seqpacket", SOCK_SEQPACKET);
	return 0;
}
