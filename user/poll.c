/* poll: poll(2) and ppoll(2) as Linux 6.1 (issue 16, part 3 "Waiting for several things").
 * - readiness (revents) of pipes: empty, with data, full (after a 1-byte read still full: Linux
 *   counts buffer pages), writer closed (POLLHUP), reader closed (POLLERR), events 0 (POLLHUP and
 *   POLLERR are always reported); regular files and /dev/null: always ready
 *   (DEFAULT_POLLMASK); a negative fd: revents 0; an fd not open: POLLNVAL;
 * - timeouts: 0 returns at once, 60 ms returns 0 after at least 60 ms, -1 waits until a child
 *   writes to the pipe (the wake-up);
 * - signals: a handler (with and without SA_RESTART) makes poll EINTR; ppoll's sigmask: a signal
 *   blocked outside the call is delivered only inside it, and the old mask is back afterwards;
 *   ppoll writes the time left back (not for a zero timeout); a poll stopped and continued
 *   resumes with the same end time (restart_syscall);
 * - errors: EFAULT (array, revents write-back, timespec, sigmask), EINVAL (nfds above
 *   RLIMIT_NOFILE, bad timespec, sigsetsize != 8), and a huge set of 4000 fds after raising
 *   RLIMIT_NOFILE. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "pollcommon.h"

struct kts {
	long sec, nsec;
};

static long xpoll(struct pollfd *fds, long n, long timeout)
{
	return sys3(SYS_poll, (long)fds, n, timeout);
}

static long xppoll(struct pollfd *fds, long n, void *ts, void *mask, long size)
{
	return sys6(SYS_ppoll, (long)fds, n, (long)ts, (long)mask, size, 0);
}

/* poll one fd for events with timeout 0: "what: ret revents=0x..". */
static void one(const char *what, int fd, short events)
{
	struct pollfd p = { fd, events, 0x5555 };
	long r = xpoll(&p, 1, 0);

	if (is_err(r))
		show(what, r);
	else
		printf("%s: %ld revents=%#x\n", what, r, (unsigned)(unsigned short)p.revents);
}

#define ALL (POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLWRNORM | POLLRDBAND | POLLWRBAND)

static void readiness(void)
{
	int p[2];

	pipe2(p, O_NONBLOCK);
	one("empty pipe, read end", p[0], ALL);
	one("empty pipe, write end", p[1], ALL);
	write(p[1], "ab", 2);
	one("pipe with data, read end", p[0], ALL);
	one("pipe with data, read end, events POLLOUT", p[0], POLLOUT);
	printf("filled with %ld more bytes\n", fill_pipe(p[1]));
	one("full pipe, write end", p[1], ALL);
	char buf[4096];
	read(p[0], buf, 1);
	one("full pipe less 1 byte, write end", p[1], ALL);
	read(p[0], buf, 4095);
	one("full pipe less 4096 bytes, write end", p[1], ALL);
	close(p[1]);
	one("writer closed, data left, read end", p[0], ALL);
	while (read(p[0], buf, sizeof(buf)) > 0)
		;
	one("writer closed, empty, read end", p[0], ALL);
	one("writer closed, events 0", p[0], 0);
	close(p[0]);

	pipe(p);
	close(p[0]);
	one("reader closed, write end", p[1], ALL);
	one("reader closed, write end, events 0", p[1], 0);
	close(p[1]);

	ensure_tmp();
	int f = open("/tmp/pollfile", O_RDWR | O_CREAT | O_TRUNC, 0600);
	one("regular file", f, ALL);
	close(f);
	unlink("/tmp/pollfile");
	f = open("/dev/null", O_RDWR);
	one("/dev/null", f, ALL);
	close(f);
	one("fd -1", -1, ALL);
	one("fd 200 (not open)", 200, ALL);
	one("fd 200 (not open), events 0", 200, 0);

	struct pollfd set[4] = { { 0, 0, 0 }, { -5, POLLIN, 7 }, { 300, POLLIN, 0 }, { -1, 0, 0 } };
	pipe(p);
	set[0].fd = p[1];
	set[0].events = POLLOUT;
	long r = xpoll(set, 4, 0);
	printf("mixed set: %ld revents %#x %#x %#x %#x\n", r, set[0].revents, set[1].revents,
	       set[2].revents, set[3].revents);
	show("nfds 0, timeout 0", xpoll(NULL, 0, 0));
	close(p[0]);
	close(p[1]);
}

static void timeouts(void)
{
	int p[2];
	pipe(p);
	struct pollfd pf = { p[0], POLLIN, 0 };
	long t0 = now_ms();
	long r = xpoll(&pf, 1, 60);
	long dt = now_ms() - t0;
	printf("timeout 60 ms: %ld, returned after >= 60 ms: %s\n", r, dt >= 60 ? "yes" : "no");

	int pid = later(p[1], 50);
	t0 = now_ms();
	r = xpoll(&pf, 1, -1);
	printf("timeout -1, child writes after 50 ms: %ld revents=%#x, after >= 40 ms: %s\n", r,
	       pf.revents, now_ms() - t0 >= 40 ? "yes" : "no");
	waitpid(pid, NULL, 0);

	struct kts ts = { 10, 0 };
	r = xppoll(&pf, 1, &ts, NULL, 8);
	printf("ppoll ready with 10 s: %ld, time left written back in (9 s, 10 s]: %s\n", r,
	       (ts.sec == 9 || (ts.sec == 10 && ts.nsec == 0)) ? "yes" : "no");
	ts.sec = 0;
	ts.nsec = 0;
	r = xppoll(&pf, 1, &ts, NULL, 8);
	printf("ppoll timeout 0/0: %ld, left %ld/%ld\n", r, ts.sec, ts.nsec);
	read(p[0], &r, 1);
	ts.sec = 0;
	ts.nsec = 30000000;
	t0 = now_ms();
	r = xppoll(&pf, 1, &ts, NULL, 8);
	printf("ppoll 30 ms, nothing ready: %ld after >= 30 ms: %s, left %ld/%ld\n", r,
	       now_ms() - t0 >= 30 ? "yes" : "no", ts.sec, ts.nsec);
	ts.sec = 0x7fffffffffffffffL;
	ts.nsec = 999999999;
	write(p[1], "y", 1);
	r = xppoll(&pf, 1, &ts, NULL, 8);
	printf("ppoll huge timeout, ready: %ld\n", r);
	close(p[0]);
	close(p[1]);
}

/* A poll stopped (SIGSTOP) and continued (SIGCONT) resumes through restart_syscall with the same
 * end time (Linux's do_restart_poll): stopped from 50 ms to 450 ms, a 300 ms poll returns 0 soon
 * after SIGCONT, not 300 ms later. */
static void stop_child(void)
{
	int p[2];
	pipe(p);
	struct pollfd pf = { p[0], POLLIN, 0 };
	long t0 = now_ms();
	long r = xpoll(&pf, 1, 300);
	long dt = now_ms() - t0;
	printf("poll 300 ms, stopped 50..450 ms: %ld, after >= 400 ms: %s, before 650 ms: %s\n", r,
	       dt >= 400 ? "yes" : "no", dt < 650 ? "yes" : "no");
}

static void stop_continue(void)
{
	fflush(stdout);
	int pid = fork();
	if (pid == 0) {
		stop_child();
		fflush(stdout);
		_exit(0);
	}
	sleep_ms(50);
	kill(pid, SIGSTOP);
	sleep_ms(400);
	kill(pid, SIGCONT);
	int st;
	waitpid(pid, &st, 0);
	printf("child exited: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void signals(void)
{
	int p[2];
	pipe(p);
	struct pollfd pf = { p[0], POLLIN, 0 };

	catch_usr1(0);
	got_sig = 0;
	int pid = later(-1, 50);
	show("poll -1 interrupted by a handler", xpoll(&pf, 1, -1));
	printf("handler ran: %d\n", got_sig);
	waitpid(pid, NULL, 0);

	catch_usr1(SA_RESTART);
	got_sig = 0;
	pid = later(-1, 50);
	show("poll 5000 ms interrupted by an SA_RESTART handler", xpoll(&pf, 1, 5000));
	printf("handler ran: %d\n", got_sig);
	waitpid(pid, NULL, 0);

	/* ppoll's sigmask: SIGUSR1 blocked outside, pending; ppoll unblocks it for the wait. */
	sigset_t block, old, cur;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	got_sig = 0;
	kill(getpid(), SIGUSR1);
	printf("pending before ppoll, handler ran: %d\n", got_sig);
	unsigned long keep = 1UL << (SIGUSR1 - 1), open_mask = 0;
	struct kts zero = { 0, 0 };
	show("ppoll timeout 0, mask keeps SIGUSR1 blocked", xppoll(&pf, 1, &zero, &keep, 8));
	printf("handler ran: %d\n", got_sig);
	show("ppoll -1, mask unblocks SIGUSR1", xppoll(&pf, 1, NULL, &open_mask, 8));
	printf("handler ran: %d\n", got_sig);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("SIGUSR1 blocked again after ppoll: %s\n", sigismember(&cur, SIGUSR1) ? "yes" : "no");
	kill(getpid(), SIGUSR1);
	write(p[1], "z", 1);
	show("ppoll ready, mask unblocks SIGUSR1 (pending)", xppoll(&pf, 1, NULL, &open_mask, 8));
	printf("handler ran: %d\n", got_sig);
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("after unblocking, handler ran: %d\n", got_sig);
	signal(SIGUSR1, SIG_DFL);
	close(p[0]);
	close(p[1]);
}

static void errors(void)
{
	int p[2];
	pipe(p);
	struct pollfd pf = { p[1], POLLOUT, 0 };
	void *bad = bad_page();

	show("poll NULL array, nfds 1", xpoll(NULL, 1, 0));
	show("poll array in a PROT_NONE page", xpoll(bad, 1, 0));
	show("poll array at a kernel address", xpoll((void *)0xffff800000000000UL, 1, 0));
	struct pollfd *ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				 -1, 0);
	ro[0] = pf;
	mprotect(ro, 4096, PROT_READ);
	show("poll revents not writable", xpoll(ro, 1, 0));
	/* an array that runs into a PROT_NONE page */
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(two + 4096, 4096, PROT_NONE);
	struct pollfd *edge = (struct pollfd *)(two + 4096 - 8);
	edge[0] = pf;
	show("poll array crossing into a PROT_NONE page", xpoll(edge, 2, 0));

	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	show("poll nfds = RLIMIT_NOFILE + 1", xpoll(&pf, (long)rl.rlim_cur + 1, 0));
	show("poll nfds = 0xffffffff", xpoll(&pf, 0xffffffffL, 0));
	show("poll nfds = 1 << 32 | 1 (unsigned int: 1)", xpoll(&pf, (1L << 32) | 1, 0));
	show("poll timeout -5 (infinite) with a ready fd", xpoll(&pf, 1, -5));

	struct kts ts = { 0, 1000000000 };
	show("ppoll tv_nsec 1e9", xppoll(&pf, 1, &ts, NULL, 8));
	ts.sec = -1;
	ts.nsec = 0;
	show("ppoll tv_sec -1", xppoll(&pf, 1, &ts, NULL, 8));
	ts.sec = 0;
	ts.nsec = -1;
	show("ppoll tv_nsec -1", xppoll(&pf, 1, &ts, NULL, 8));
	show("ppoll timespec in a PROT_NONE page", xppoll(&pf, 1, bad, NULL, 8));
	unsigned long m = 0;
	show("ppoll sigsetsize 4", xppoll(&pf, 1, NULL, &m, 4));
	show("ppoll sigsetsize 16", xppoll(&pf, 1, NULL, &m, 16));
	show("ppoll sigsetsize 4, NULL mask", xppoll(&pf, 1, NULL, NULL, 4));
	show("ppoll sigmask in a PROT_NONE page", xppoll(&pf, 1, NULL, bad, 8));
	ts.sec = 1;
	ts.nsec = 0;
	show("ppoll bad timespec first, then bad sigsetsize", xppoll(&pf, 1, bad, &m, 4));
	struct kts *rots = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0);
	rots->sec = 5;
	mprotect(rots, 4096, PROT_READ);
	show("ppoll ready, timespec not writable for the time left", xppoll(&pf, 1, rots, NULL, 8));
	close(p[0]);
	close(p[1]);
}

#define HUGE 4000

static void huge(void)
{
	struct rlimit rl = { HUGE + 100, HUGE + 100 };
	show_libc("setrlimit NOFILE 4100", setrlimit(RLIMIT_NOFILE, &rl));
	int p[2];
	pipe(p);
	struct pollfd *set = calloc(HUGE + 200, sizeof(*set));
	int opened = 0;
	for (int i = 0; i < HUGE; i++) {
		set[i].fd = dup(p[i % 2]);
		set[i].events = POLLIN | POLLOUT;
		if (set[i].fd >= 0)
			opened++;
	}
	printf("dup'ed %d fds\n", opened);
	long r = xpoll(set, HUGE, 0);
	int in = 0, out = 0;
	for (int i = 0; i < HUGE; i++) {
		in += set[i].revents == POLLIN;
		out += set[i].revents == POLLOUT;
	}
	printf("poll %d fds, empty pipe: %ld (read ends ready %d, write ends %d)\n", HUGE, r, in,
	       out);
	write(p[1], "q", 1);
	r = xpoll(set, HUGE, 0);
	in = out = 0;
	for (int i = 0; i < HUGE; i++) {
		in += set[i].revents == POLLIN;
		out += set[i].revents == POLLOUT;
	}
	printf("poll %d fds, data: %ld (read ends %d, write ends %d)\n", HUGE, r, in, out);
	for (int i = HUGE; i < HUGE + 100; i++)
		set[i].fd = -1;
	show("poll nfds = RLIMIT_NOFILE (4100)", xpoll(set, HUGE + 100, 0));
	show("poll nfds = RLIMIT_NOFILE + 1", xpoll(set, HUGE + 101, 0));
	/* sleep on 4000 queues and be woken by a child */
	char c;
	read(p[0], &c, 1);
	for (int i = 0; i < HUGE; i++)
		set[i].events = POLLIN;
	int pid = later(p[1], 30);
	r = xpoll(set, HUGE, 5000);
	in = 0;
	for (int i = 0; i < HUGE; i++)
		in += set[i].revents == POLLIN;
	printf("poll %d fds woken by a child: %ld (%d POLLIN)\n", HUGE, r, in);
	waitpid(pid, NULL, 0);
	for (int i = 0; i < HUGE; i++)
		close(set[i].fd);
	free(set);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	readiness();
	timeouts();
	stop_continue();
	signals();
	errors();
	huge();
	return 0;
}
