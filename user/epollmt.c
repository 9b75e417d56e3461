/* epollmt: epoll with threads on several CPUs (docs/epoll.md): several threads in epoll_wait on
 * one set (a one-shot item reaches exactly one of them), EPOLLEXCLUSIVE items on one pipe in four
 * sets (a write wakes one set's waiter), the last close of a watched pipe while a thread waits
 * (the item goes; the writer's close is a HUP), and epoll_ctl racing epoll_wait and close.
 * Counts are printed, never the thread that got an event.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#define EPOLLIN 0x001
#define EPOLLHUP 0x010
#define EPOLLEXCLUSIVE (1U << 28)
#define EPOLLONESHOT (1U << 30)
#define EPOLLET (1U << 31)
#define ADD 1
#define DEL 2
#define MOD 3

struct ev {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

static long ctl(int ep, int op, int fd, uint32_t events, uint64_t data)
{
	struct ev e = { events, data };
	return sys4(SYS_epoll_ctl, ep, op, fd, (long)&e);
}

static int shared_ep;
static int got[8];
static int timeout_ms;

static void *waiter(void *arg)
{
	int i = (int)(long)arg;
	struct ev e[4];
	long n = sys4(SYS_epoll_wait, shared_ep, (long)e, 4, timeout_ms);
	got[i] = n > 0 ? (int)n : 0;
	return NULL;
}

static int sum(int n)
{
	int s = 0;
	for (int i = 0; i < n; i++)
		s += got[i];
	return s;
}

static void oneshot_many_waiters(void)
{
	int p[2];
	pipe(p);
	shared_ep = (int)sys1(SYS_epoll_create1, 0);
	ctl(shared_ep, ADD, p[0], EPOLLIN | EPOLLONESHOT, 1);
	for (int round = 0; round < 3; round++) {
		pthread_t t[4];
		memset(got, 0, sizeof got);
		timeout_ms = 400;
		for (long i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, waiter, (void *)i);
		sleep_ms(50);
		write(p[1], "x", 1);
		for (int i = 0; i < 4; i++)
			pthread_join(t[i], NULL);
		printf("round %d: 4 waiters, one-shot item: %d event(s) in all\n", round, sum(4));
		char c;
		read(p[0], &c, 1);
		ctl(shared_ep, MOD, p[0], EPOLLIN | EPOLLONESHOT, 1);
	}
	close(shared_ep);
	close(p[0]);
	close(p[1]);
}

static int eps[4];

static void *ex_waiter(void *arg)
{
	int i = (int)(long)arg;
	struct ev e[1];
	long n = sys4(SYS_epoll_wait, eps[i], (long)e, 1, 400);
	got[i] = n > 0 ? (int)n : 0;
	return NULL;
}

static void exclusive(void)
{
	int p[2];
	pipe(p);
	for (int i = 0; i < 4; i++) {
		eps[i] = (int)sys1(SYS_epoll_create1, 0);
		show("ADD EXCLUSIVE", ctl(eps[i], ADD, p[0], EPOLLIN | EPOLLET | EPOLLEXCLUSIVE, 1));
	}
	pthread_t t[4];
	memset(got, 0, sizeof got);
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, ex_waiter, (void *)i);
	sleep_ms(100);
	write(p[1], "x", 1);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("EPOLLEXCLUSIVE in 4 sets, one write: %d set(s) woken\n", sum(4));
	for (int i = 0; i < 4; i++)
		close(eps[i]);
	close(p[0]);
	close(p[1]);
}

static struct ev close_ev;
static long close_n;

static void *close_waiter(void *arg)
{
	(void)arg;
	close_n = sys4(SYS_epoll_wait, shared_ep, (long)&close_ev, 1, timeout_ms);
	return NULL;
}

static void close_while_waiting(void)
{
	int p[2];
	pthread_t t;
	pipe(p);
	shared_ep = (int)sys1(SYS_epoll_create1, 0);
	ctl(shared_ep, ADD, p[0], EPOLLIN, 1);
	timeout_ms = 300;
	pthread_create(&t, NULL, close_waiter, NULL);
	sleep_ms(50);
	close(p[0]);
	write(p[1], "x", 1); /* EPIPE (SIGPIPE ignored): nobody reads */
	pthread_join(t, NULL);
	printf("read end closed while waiting: %ld\n", close_n);
	pipe(p);
	ctl(shared_ep, ADD, p[0], EPOLLIN, 2);
	timeout_ms = 3000;
	pthread_create(&t, NULL, close_waiter, NULL);
	sleep_ms(50);
	close(p[1]);
	pthread_join(t, NULL);
	printf("write end closed while waiting: %ld %llu:%x\n", close_n,
	       (unsigned long long)close_ev.data, close_ev.events);
	close(p[0]);
	close(shared_ep);
}

static volatile int stop;
static int race_pipe[2];

static void *ctl_racer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3000 && !stop; i++) {
		int fd = dup(race_pipe[1]);
		ctl(shared_ep, ADD, fd, EPOLLIN | 0x004, (uint64_t)fd);
		if (i % 2)
			ctl(shared_ep, DEL, fd, 0, 0);
		close(fd);
	}
	return NULL;
}

static void *wait_racer(void *arg)
{
	(void)arg;
	struct ev e[64];
	while (!stop)
		sys4(SYS_epoll_wait, shared_ep, (long)e, 64, 1);
	return NULL;
}

static void races(void)
{
	pipe(race_pipe);
	shared_ep = (int)sys1(SYS_epoll_create1, 0);
	pthread_t c[2], w[2];
	for (int i = 0; i < 2; i++) {
		pthread_create(&c[i], NULL, ctl_racer, NULL);
		pthread_create(&w[i], NULL, wait_racer, NULL);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(c[i], NULL);
	stop = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(w[i], NULL);
	struct ev e[64];
	/* items left by the interleaving (a reused fd number is EEXIST): the same file is still
	 * open through race_pipe[1], so DEL of each fd number finds them */
	for (int fd = 0; fd < 64; fd++) {
		int d = dup2(race_pipe[1], fd + 64);
		ctl(shared_ep, DEL, fd, 0, 0);
		close(d);
	}
	for (int fd = 0; fd < 64; fd++)
		if (fd != race_pipe[1] && fcntl(fd, F_GETFD) < 0 && dup2(race_pipe[1], fd) == fd) {
			ctl(shared_ep, DEL, fd, 0, 0);
			close(fd);
		}
	printf("after the races and DELs, ready items: %ld\n",
	       sys4(SYS_epoll_wait, shared_ep, (long)e, 64, 0));
	close(shared_ep);
	close(race_pipe[0]);
	close(race_pipe[1]);
	printf("races done\n");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	oneshot_many_waiters();
	exclusive();
	close_while_waiting();
	races();
	return 0;
}
