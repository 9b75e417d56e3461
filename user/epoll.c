/* epoll: epoll_create/create1/ctl/wait/pwait/pwait2 as Linux 6.1 has them (docs/epoll.md): the
 * errors in Linux's order, level- and edge-triggered and one-shot items on pipes, sockets,
 * timerfds and signalfds, nesting and its limits (ELOOP), the order of ready items and round
 * robin, the last close of a watched file (and the dup gotcha), fork, /proc fdinfo and readlink,
 * max_user_watches (ENOSPC), sigmask and timeouts.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define EPOLLIN 0x001
#define EPOLLOUT 0x004
#define EPOLLERR 0x008
#define EPOLLHUP 0x010
#define EPOLLRDHUP 0x2000
#define EPOLLEXCLUSIVE (1U << 28)
#define EPOLLWAKEUP (1U << 29)
#define EPOLLONESHOT (1U << 30)
#define EPOLLET (1U << 31)
#define ADD 1
#define DEL 2
#define MOD 3
#define BAD 0x10L

struct ev {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

static long ctl(int ep, int op, int fd, uint32_t events, uint64_t data)
{
	struct ev e = { events, data };
	return sys4(SYS_epoll_ctl, ep, op, fd, (long)&e);
}

static long ewait(int ep, struct ev *evs, int max, int timeout)
{
	return sys4(SYS_epoll_wait, ep, (long)evs, max, timeout);
}

/* Waits (timeout 0) and prints "what: n [data:events ...]". */
static void harvest(const char *what, int ep, int max)
{
	struct ev evs[16];
	long n = ewait(ep, evs, max, 0);

	printf("%s:", what);
	if (is_err(n)) {
		printf(" -1 %s\n", errname((int)-n));
		return;
	}
	printf(" %ld", n);
	for (long i = 0; i < n; i++)
		printf(" %llu:%x", (unsigned long long)evs[i].data, evs[i].events);
	printf("\n");
}

static int mkep(void)
{
	return (int)sys1(SYS_epoll_create1, 0);
}

static void creation(void)
{
	show("epoll_create(0)", sys1(SYS_epoll_create, 0));
	show("epoll_create(-1)", sys1(SYS_epoll_create, -1));
	long fd = sys1(SYS_epoll_create, 1);
	show_ok("epoll_create(1)", fd);
	show("epoll_create1(1)", sys1(SYS_epoll_create1, 1));
	show("epoll_create1(O_NONBLOCK)", sys1(SYS_epoll_create1, O_NONBLOCK));
	long c = sys1(SYS_epoll_create1, O_CLOEXEC);
	show("F_GETFD of CLOEXEC", sys3(SYS_fcntl, c, F_GETFD, 0));
	show("F_GETFL", sys3(SYS_fcntl, c, F_GETFL, 0));
	char path[64], link[128];
	snprintf(path, sizeof path, "/proc/self/fd/%ld", fd);
	long n = readlink(path, link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	printf("readlink: %s\n", link);
	char buf[16];
	show("read", sys3(SYS_read, fd, (long)buf, sizeof buf));
	show("write", sys3(SYS_write, fd, (long)buf, 1));
	show("lseek", sys3(SYS_lseek, fd, 0, SEEK_SET));
	close((int)fd);
	close((int)c);
}

static void ctl_errors(void)
{
	int ep = mkep(), p[2], reg;
	pipe(p);
	ensure_tmp();
	reg = open("/tmp/epoll_reg", O_CREAT | O_RDWR, 0600);
	show("ctl bad epfd", ctl(99, ADD, p[0], EPOLLIN, 0));
	show("ctl bad fd", ctl(ep, ADD, 99, EPOLLIN, 0));
	show("ctl both bad", ctl(98, ADD, 99, EPOLLIN, 0));
	show("ctl regular file", ctl(ep, ADD, reg, EPOLLIN, 0));
	show("ctl epfd not epoll", ctl(p[1], ADD, p[0], EPOLLIN, 0));
	show("ctl self", ctl(ep, ADD, ep, EPOLLIN, 0));
	show("ctl bad op", ctl(ep, 7, p[0], EPOLLIN, 0));
	show("ctl bad op NULL event", sys4(SYS_epoll_ctl, ep, 7, p[0], 0));
	show("ctl ADD NULL event", sys4(SYS_epoll_ctl, ep, ADD, p[0], 0));
	show("ctl ADD bad event", sys4(SYS_epoll_ctl, ep, ADD, p[0], BAD));
	show("ctl DEL NULL event", sys4(SYS_epoll_ctl, ep, DEL, p[0], 0));
	show("ctl MOD missing", ctl(ep, MOD, p[0], EPOLLIN, 0));
	show("ctl ADD", ctl(ep, ADD, p[0], EPOLLIN, 1));
	show("ctl ADD again", ctl(ep, ADD, p[0], EPOLLIN, 1));
	show("ctl DEL", sys4(SYS_epoll_ctl, ep, DEL, p[0], 0));
	show("ctl DEL again", sys4(SYS_epoll_ctl, ep, DEL, p[0], 0));
	show("ctl ADD EXCLUSIVE", ctl(ep, ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE, 1));
	show("ctl MOD of EXCLUSIVE", ctl(ep, MOD, p[0], EPOLLIN, 1));
	show("ctl MOD to EXCLUSIVE", ctl(ep, MOD, p[0], EPOLLIN | EPOLLEXCLUSIVE, 1));
	show("ctl ADD EXCLUSIVE ONESHOT", ctl(ep, ADD, p[1], EPOLLOUT | EPOLLEXCLUSIVE | EPOLLONESHOT, 2));
	show("ctl ADD EXCLUSIVE RDHUP", ctl(ep, ADD, p[1], EPOLLOUT | EPOLLEXCLUSIVE | EPOLLRDHUP, 2));
	int ep2 = mkep();
	show("ctl ADD EXCLUSIVE epoll", ctl(ep, ADD, ep2, EPOLLIN | EPOLLEXCLUSIVE, 3));
	show("ctl ADD WAKEUP (root keeps it)", ctl(ep, ADD, p[1], EPOLLOUT | EPOLLWAKEUP, 2));
	harvest("wait", ep, 16);
	close(ep2);
	close(ep);
	close(p[0]);
	close(p[1]);
	close(reg);
	unlink("/tmp/epoll_reg");
}

static void wait_errors(void)
{
	int ep = mkep(), p[2];
	struct ev evs[4];
	pipe(p);
	show("wait maxevents 0", ewait(ep, evs, 0, 0));
	show("wait maxevents -1", ewait(ep, evs, -1, 0));
	show("wait maxevents huge", ewait(ep, evs, 0x7fffffff / 12 + 1, 0));
	show("wait maxevents max NULL", ewait(ep, NULL, 0x7fffffff / 12, 0));
	show("wait bad buffer", ewait(ep, (struct ev *)BAD, 1, 0));
	show("wait kernel buffer", ewait(ep, (struct ev *)0xffff800000000000UL, 1, 0));
	show("wait bad epfd", ewait(99, evs, 1, 0));
	show("wait not epoll", ewait(p[0], evs, 1, 0));
	show("wait empty", ewait(ep, evs, 1, 0));
	show("wait 20ms", ewait(ep, evs, 1, 20));
	ctl(ep, ADD, p[1], EPOLLOUT, 5);
	show("wait ready into bad buffer", ewait(ep, (struct ev *)BAD, 1, 0));
	harvest("still ready", ep, 4);
	uint64_t mask = 0;
	show("pwait sigsetsize 4", sys6(SYS_epoll_pwait, ep, (long)evs, 1, 0, (long)&mask, 4));
	show("pwait NULL mask sigsetsize 4", sys6(SYS_epoll_pwait, ep, (long)evs, 1, 0, 0, 4));
	show("pwait bad mask", sys6(SYS_epoll_pwait, ep, (long)evs, 1, 0, BAD, 8));
	show("pwait", sys6(SYS_epoll_pwait, ep, (long)evs, 1, 0, (long)&mask, 8));
	struct timespec ts = { 0, 1000000000 };
	show("pwait2 bad nsec", sys6(SYS_epoll_pwait2, ep, (long)evs, 1, (long)&ts, 0, 8));
	show("pwait2 bad timeout", sys6(SYS_epoll_pwait2, ep, (long)evs, 1, BAD, 0, 8));
	ts.tv_nsec = 0;
	show("pwait2 zero", sys6(SYS_epoll_pwait2, ep, (long)evs, 1, (long)&ts, 0, 8));
	show("pwait2 NULL timeout", sys6(SYS_epoll_pwait2, ep, (long)evs, 1, 0, 0, 8));
	show("pwait2 maxevents 0 bad timeout", sys6(SYS_epoll_pwait2, ep, (long)evs, 0, BAD, 0, 8));
	ctl(ep, DEL, p[1], 0, 0);
	ts.tv_nsec = 20000000;
	show("pwait2 20ms", sys6(SYS_epoll_pwait2, ep, (long)evs, 1, (long)&ts, 0, 8));
	close(ep);
	close(p[0]);
	close(p[1]);
}

static void triggers(void)
{
	int ep = mkep(), a[2], b[2], c[2];
	pipe(a);
	pipe(b);
	pipe(c);
	ctl(ep, ADD, a[0], EPOLLIN, 1);
	ctl(ep, ADD, b[0], EPOLLIN | EPOLLET, 2);
	ctl(ep, ADD, c[0], EPOLLIN | EPOLLONESHOT, 3);
	harvest("nothing", ep, 16);
	write(c[1], "c", 1);
	write(a[1], "a", 1);
	write(b[1], "b", 1);
	harvest("order of arrival", ep, 16);
	harvest("again: LT only", ep, 16);
	write(b[1], "b", 1);
	harvest("ET after a write", ep, 16);
	char buf[4];
	read(b[0], buf, 1);
	harvest("ET after a partial read", ep, 16);
	write(c[1], "c", 1);
	harvest("ONESHOT disarmed", ep, 16);
	show("MOD rearms", ctl(ep, MOD, c[0], EPOLLIN | EPOLLONESHOT, 33));
	harvest("after MOD", ep, 16);
	read(a[0], buf, 1);
	harvest("LT drained", ep, 16);
	close(a[1]);
	harvest("writer closed: HUP", ep, 16);
	ctl(ep, MOD, a[0], 0, 1);
	harvest("no events asked: HUP anyway", ep, 16);
	close(b[1]);
	harvest("ET writer closed", ep, 16);
	close(ep);
	close(a[0]);
	close(b[0]);
	close(c[0]);
	close(c[1]);
}

static void fifo_et(void)
{
	int ep = mkep();
	ensure_tmp();
	mkfifo("/tmp/epoll_fifo", 0600);
	int f = open("/tmp/epoll_fifo", O_RDWR);
	show("ctl FIFO O_RDWR EPOLLOUT|EPOLLET", ctl(ep, ADD, f, EPOLLOUT | EPOLLET, 30));
	harvest("FIFO writable", ep, 4);
	write(f, "z", 1);
	harvest("data written: not an EPOLLOUT event", ep, 4);
	char c;
	read(f, &c, 1);
	harvest("data read: room again", ep, 4);
	close(f);
	unlink("/tmp/epoll_fifo");
	close(ep);
}

static void round_robin(void)
{
	int ep = mkep(), p[4][2];
	for (int i = 0; i < 4; i++) {
		pipe(p[i]);
		write(p[i][1], "x", 1);
		ctl(ep, ADD, p[i][0], EPOLLIN, (uint64_t)i + 10);
	}
	harvest("two of four", ep, 2);
	harvest("the next two", ep, 2);
	harvest("all four", ep, 16);
	write(p[0][1], "x", 1);
	harvest("one of them", ep, 1);
	close(ep);
	for (int i = 0; i < 4; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
}

static void sockets(void)
{
	int ep = mkep(), sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	ctl(ep, ADD, sv[0], EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, 7);
	harvest("socket writable", ep, 16);
	harvest("socket ET: nothing new", ep, 16);
	write(sv[1], "hi", 2);
	harvest("socket data", ep, 16);
	ctl(ep, MOD, sv[0], EPOLLIN | EPOLLET, 8);
	harvest("socket ET EPOLLIN after MOD", ep, 16);
	char c;
	read(sv[0], &c, 1);
	harvest("partial read", ep, 16);
	write(sv[0], "x", 1);
	read(sv[1], &c, 1);
	harvest("write space for sv[0]: not an EPOLLIN event", ep, 16);
	write(sv[1], "y", 1);
	harvest("more data", ep, 16);
	shutdown(sv[1], SHUT_WR);
	harvest("peer shut down writing", ep, 16);
	close(sv[1]);
	harvest("peer closed", ep, 16);
	close(sv[0]);
	close(ep);
}

static void timers_signals(void)
{
	int ep = mkep();
	int tfd = (int)sys2(SYS_timerfd_create, CLOCK_MONOTONIC, 0);
	struct itimerspec its = { { 0, 0 }, { 0, 30000000 } };
	sys4(SYS_timerfd_settime, tfd, 0, (long)&its, 0);
	ctl(ep, ADD, tfd, EPOLLIN, 20);
	struct ev evs[4];
	long n = ewait(ep, evs, 4, 2000);
	printf("timerfd expiry: %ld %llu:%x\n", n, (unsigned long long)evs[0].data, evs[0].events);
	uint64_t mask = 1UL << (SIGUSR1 - 1);
	sigprocmask(SIG_BLOCK, (sigset_t *)&mask, NULL);
	int sfd = (int)sys4(SYS_signalfd4, -1, (long)&mask, 8, 0);
	ctl(ep, ADD, sfd, EPOLLIN, 21);
	harvest("signalfd idle (timer still LT)", ep, 4);
	uint64_t cnt;
	read(tfd, &cnt, sizeof cnt);
	kill(getpid(), SIGUSR1);
	harvest("signalfd after kill", ep, 4);
	char si[128];
	show("signalfd read", read(sfd, si, sizeof si));
	harvest("signalfd drained", ep, 4);
	close(sfd);
	close(tfd);
	close(ep);
	sigprocmask(SIG_UNBLOCK, (sigset_t *)&mask, NULL);
}

static void nesting(void)
{
	int e[7], p[2];
	pipe(p);
	for (int i = 0; i < 7; i++)
		e[i] = mkep();
	show("ctl inner pipe", ctl(e[0], ADD, p[0], EPOLLIN, 1));
	show("ctl e1 <- e0", ctl(e[1], ADD, e[0], EPOLLIN, 100));
	show("ctl e0 <- e1 loop", ctl(e[0], ADD, e[1], EPOLLIN, 101));
	show("ctl e2 <- e1", ctl(e[2], ADD, e[1], EPOLLIN, 102));
	show("ctl e0 <- e2 loop", ctl(e[0], ADD, e[2], EPOLLIN, 103));
	harvest("outer idle", e[2], 4);
	write(p[1], "x", 1);
	harvest("outer sees inner ready", e[2], 4);
	harvest("middle", e[1], 4);
	harvest("inner", e[0], 4);
	show("ctl e3 <- e2", ctl(e[3], ADD, e[2], EPOLLIN, 104));
	show("ctl e4 <- e3", ctl(e[4], ADD, e[3], EPOLLIN, 105));
	show("ctl e5 <- e4 (too deep)", ctl(e[5], ADD, e[4], EPOLLIN, 106));
	show("ctl e5 <- e3", ctl(e[5], ADD, e[3], EPOLLIN, 107));
	show("ctl e6 <- e0 (fine)", ctl(e[6], ADD, e[0], EPOLLIN, 108));
	show("ctl e0 <- e6 (loop)", ctl(e[0], ADD, e[6], EPOLLIN, 109));
	show("ctl e6 <- e5 ", ctl(e[6], ADD, e[5], EPOLLIN, 110));
	close(e[2]);
	harvest("e3 after e2 closed", e[3], 4);
	for (int i = 0; i < 7; i++)
		if (i != 2)
			close(e[i]);
	close(p[0]);
	close(p[1]);
}

static void fdinfo(int ep)
{
	char path[64], buf[2048];
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", ep);
	int fd = open(path, O_RDONLY);
	long n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	char *lines[32];
	int nl = 0;
	for (char *l = strtok(buf, "\n"); l && nl < 32; l = strtok(NULL, "\n")) {
		if (strncmp(l, "tfd:", 4))
			continue;
		char *ino = strstr(l, " ino:");
		if (ino)
			*ino = 0;
		lines[nl++] = l;
	}
	/* Linux orders them by file address: sort by tfd for a deterministic output */
	for (int i = 0; i < nl; i++)
		for (int j = i + 1; j < nl; j++)
			if (strcmp(lines[j], lines[i]) < 0) {
				char *t = lines[i];
				lines[i] = lines[j];
				lines[j] = t;
			}
	for (int i = 0; i < nl; i++)
		printf("fdinfo: %s\n", lines[i]);
}

static void closing(void)
{
	int ep = mkep(), p[2];
	pipe(p);
	write(p[1], "x", 1);
	int d = dup(p[0]);
	ctl(ep, ADD, p[0], EPOLLIN, 0x1234567890abcdefULL);
	ctl(ep, ADD, p[1], EPOLLOUT | EPOLLET, 2);
	fdinfo(ep);
	close(p[0]);
	harvest("fd closed, dup open: still reported", ep, 4);
	show("ctl DEL of closed fd", sys4(SYS_epoll_ctl, ep, DEL, p[0], 0));
	show("ctl DEL via dup", sys4(SYS_epoll_ctl, ep, DEL, d, 0));
	fdinfo(ep);
	close(d);
	harvest("last close: gone", ep, 4);
	fdinfo(ep);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		show("child ctl MOD on shared set", ctl(ep, MOD, p[1], EPOLLOUT, 3));
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	harvest("parent sees child's MOD", ep, 4);
	close(p[1]);
	close(ep);
}

static void watches(void)
{
	int fd = open("/proc/sys/fs/epoll/max_user_watches", O_RDWR);
	char old[32] = "";
	long n = read(fd, old, sizeof old - 1);
	show_ok("read max_user_watches", n);
	int ep = mkep(), p[2];
	pipe(p);
	ctl(ep, ADD, p[0], EPOLLIN, 1);
	lseek(fd, 0, SEEK_SET);
	write(fd, "1\n", 2);
	show("ADD past max_user_watches", ctl(ep, ADD, p[1], EPOLLOUT, 2));
	show("MOD still fine", ctl(ep, MOD, p[0], EPOLLIN, 1));
	lseek(fd, 0, SEEK_SET);
	write(fd, old, (size_t)n);
	show("ADD after restore", ctl(ep, ADD, p[1], EPOLLOUT, 2));
	close(fd);
	int fds[600];
	int added = 0;
	for (int i = 0; i < 600; i++) {
		fds[i] = dup(p[1]);
		if (fds[i] >= 0 && ctl(ep, ADD, fds[i], EPOLLOUT, (uint64_t)i) == 0)
			added++;
	}
	printf("added %d dups\n", added);
	struct ev evs[1000];
	printf("ready: %ld\n", ewait(ep, evs, 1000, 0));
	for (int i = 0; i < 600; i++)
		close(fds[i]);
	printf("ready after closing the dups: %ld\n", ewait(ep, evs, 1000, 0));
	close(ep);
	close(p[0]);
	close(p[1]);
}

static void on_usr1(int s)
{
	(void)s;
}

static void interrupted(void)
{
	int ep = mkep();
	struct sigaction sa = { 0 };
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	struct ev evs[1];
	show("wait interrupted (SA_RESTART)", ewait(ep, evs, 1, 5000));
	waitpid(pid, NULL, 0);
	/* the pwait mask blocks SIGUSR1 during the wait: it times out */
	uint64_t mask = 1UL << (SIGUSR1 - 1);
	pid = fork();
	if (pid == 0) {
		sleep_ms(20);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	show("pwait with USR1 blocked", sys6(SYS_epoll_pwait, ep, (long)evs, 1, 200, (long)&mask, 8));
	waitpid(pid, NULL, 0);
	close(ep);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	creation();
	ctl_errors();
	wait_errors();
	triggers();
	fifo_et();
	round_robin();
	sockets();
	timers_signals();
	nesting();
	closing();
	watches();
	interrupted();
	return 0;
}
