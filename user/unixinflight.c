/* unixinflight: a user's count of files in flight (SCM_RIGHTS, the ETOOMANYREFS limit at
 * RLIMIT_NOFILE) grows when a message is queued, not when a send that still waits for room
 * attached its files: as uid 1000 with RLIMIT_NOFILE 20, a child blocked sending 16 files to a
 * full datagram queue does not count, so 5 and then 5 more files sent by the parent still go;
 * once the child's message is queued, they count. Recorded on Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int sendfds(int s, int fd, int n, const struct sockaddr_un *to, socklen_t tolen)
{
	char cbuf[CMSG_SPACE(32 * sizeof(int))];
	int fds[32];
	char byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = CMSG_SPACE(n * sizeof(int)),
			    .msg_name = (void *)to, .msg_namelen = tolen };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	for (int i = 0; i < n; i++)
		fds[i] = fd;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	return (int)sendmsg(s, &m, 0);
}

static void show(const char *what, int r)
{
	if (r < 0)
		printf("%s: -1 errno %d %s\n", what, errno, errno == ETOOMANYREFS ? "ETOOMANYREFS" : strerror(errno));
	else
		printf("%s: %d\n", what, r);
}

int main(void)
{
	struct rlimit rl = { 20, 20 };
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 12);
	int pair[2], keep[2];

	setvbuf(stdout, NULL, _IONBF, 0);
	memcpy(addr.sun_path, "\0unixinflight", 12);
	int rcv = socket(AF_UNIX, SOCK_DGRAM, 0);
	int snd = socket(AF_UNIX, SOCK_DGRAM, 0);
	show("bind", bind(rcv, (struct sockaddr *)&addr, alen));
	socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
	socketpair(AF_UNIX, SOCK_STREAM, 0, keep);
	setrlimit(RLIMIT_NOFILE, &rl);
	show("setuid", setuid(1000));
	/* fill the receiver's queue: the 12th datagram waits for room */
	int n = 0;
	while (sendto(snd, "d", 1, MSG_DONTWAIT, (struct sockaddr *)&addr, alen) == 1)
		n++;
	printf("queued %d datagrams, then %s\n", n, strerror(errno));
	pid_t child = fork();
	if (!child) {
		/* blocks: its 16 files are attached but the message is not queued */
		int r = sendfds(snd, pair[0], 16, &addr, alen);
		_exit(r == 1 ? 0 : 1);
	}
	usleep(300000);
	show("parent sends 5 files while the child waits", sendfds(pair[0], pair[1], 5, NULL, 0));
	show("parent sends 5 more", sendfds(pair[0], pair[1], 5, NULL, 0));
	show("parent sends 11 more", sendfds(pair[0], pair[1], 11, NULL, 0));
	show("parent sends 1 more (21 in flight)", sendfds(pair[0], pair[1], 1, NULL, 0));
	/* room: the child's message is queued, its 16 files count now */
	char buf[8];
	show("receiver reads one", (int)recv(rcv, buf, sizeof(buf), 0));
	int status;
	waitpid(child, &status, 0);
	printf("child: exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	show("parent sends 1 to the other pair (38 in flight)", sendfds(keep[0], keep[1], 1, NULL, 0));
	return 0;
}
