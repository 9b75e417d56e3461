/* unixrace (Warden suite: no Linux recording; booted with debug_vm poison lockcheck, and with
 * 4 CPUs in the smp4 list): several threads receive at once on one AF_UNIX socket (stream reads,
 * MSG_PEEK, MSG_OOB, datagram reads and peeks), each into a buffer freshly mapped for that read,
 * so the copy faults; another thread keeps mmap_lock busy for writing, so those faults sleep.
 * A reader asleep in its copy must not let another free the message it copies from (the
 * receive side is serialised by the socket's iolock, as Linux's u->iolock). Messages carry
 * files (SCM_RIGHTS). At the end every socket must be freed (/proc/warden/unix). Exit status:
 * the failures. Arguments: [ROUNDS] (default 20). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include "wardenunix.h"

#define READERS 4
static int sv[2], dg[2];
static volatile int stop;
static long rounds = 20;

static void sendfd(int s, const char *d, int len, int fd, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { (void *)d, (size_t)len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (fd >= 0) {
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	sendmsg(s, &m, flags | MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* Keeps taking mmap_lock for writing, so the readers' faults wait for it. */
static void *churn(void *arg)
{
	(void)arg;
	size_t len = 4 << 20; /* populated: each mprotect holds the lock for a while */
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	while (!stop) {
		mprotect(p, len, PROT_READ);
		mprotect(p, len, PROT_READ | PROT_WRITE);
	}
	munmap(p, len);
	return NULL;
}

/* Sends messages of various sizes, some with a file, some out of band, on both sockets. */
static void *sender(void *arg)
{
	(void)arg;
	static const char data[4096];
	for (long i = 0; !stop; i++) {
		int f = (i % 3 == 0) ? sv[0] : -1;
		int len = 1 + (int)(i * 37 % 3000);
		sendfd(sv[0], data, len, f, (i % 11 == 0) ? MSG_OOB : 0);
		sendfd(dg[0], data, len, f, 0);
		if (i % 64 == 0)
			usleep(100);
	}
	return NULL;
}

/* One receive into a freshly mapped buffer; the files received are closed. */
static void recv_one(int s, int flags, size_t size)
{
	size_t map = (size + 4095) & ~(size_t)4095;
	char *buf = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return;
	char cbuf[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { buf, size };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	ssize_t r = recvmsg(s, &m, flags | MSG_DONTWAIT);
	if (r >= 0)
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_type == SCM_RIGHTS)
				for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
					int f;
					memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
					close(f);
				}
	munmap(buf, map);
}

static void *reader(void *arg)
{
	long id = (long)arg;
	for (long i = 0; i < rounds * 20; i++) {
		size_t size = 1 + (size_t)((i * 131 + id * 17) % 6000);
		switch ((i + id) % 6) {
		case 0:
		case 1:
			recv_one(sv[1], 0, size);
			break;
		case 2:
			recv_one(sv[1], MSG_PEEK, size);
			break;
		case 3:
			recv_one(sv[1], MSG_OOB | ((i & 1) ? MSG_PEEK : 0), size);
			break;
		case 4:
			recv_one(dg[1], 0, size);
			break;
		case 5:
			recv_one(dg[1], MSG_PEEK, size);
			break;
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int fails = 0;
	if (argc > 1)
		rounds = atol(argv[1]);
	setvbuf(stdout, NULL, _IONBF, 0);
	long base = warden_unix("sockets");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || socketpair(AF_UNIX, SOCK_DGRAM, 0, dg)) {
		printf("FAIL socketpair: %s\n", strerror(errno));
		return 1;
	}
	int big = 1 << 20;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	pthread_t t[READERS + 2];
	pthread_create(&t[0], NULL, churn, NULL);
	pthread_create(&t[1], NULL, sender, NULL);
	for (long i = 0; i < READERS; i++)
		pthread_create(&t[2 + i], NULL, reader, (void *)i);
	for (int i = 2; i < READERS + 2; i++)
		pthread_join(t[i], NULL);
	stop = 1;
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	close(sv[0]);
	close(sv[1]);
	close(dg[0]);
	close(dg[1]);
	long left = warden_unix("sockets"), inflight = warden_unix("inflight_sockets");
	if (base >= 0 && left != base) {
		printf("FAIL sockets alive %ld (before %ld)\n", left, base);
		fails++;
	}
	if (inflight > 0) {
		printf("FAIL in flight %ld\n", inflight);
		fails++;
	}
	printf("unixrace: %ld rounds, %d readers: %s\n", rounds, READERS, fails ? "FAIL" : "ok");
	return fails;
}
