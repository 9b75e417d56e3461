/* select: select(2) and pselect6(2) as Linux 6.1 (issue 16, part 3 "Waiting for several things").
 * - readiness of pipes (empty, data, full, writer closed: readable, reader closed: writable),
 *   regular files and /dev/null; only bits below nfds are looked at and written back; nfds above
 *   the table is clamped;
 * - timeouts: a zero timeval returns at once, 60 ms returns 0 after at least 60 ms with 0/0 left
 *   written back, a ready call writes the time left back; a child's write wakes an infinite wait;
 * - signals: a handler (SA_RESTART too) makes select EINTR; pselect6's sigmask: a signal
 *   blocked outside is delivered only inside, and the old mask is back afterwards;
 * - errors: EBADF (a set names a closed fd), EINVAL (negative nfds, negative or out-of-range
 *   timeval/timespec, sigsetsize != 8), EFAULT (sets, timeval, argpack, sigmask). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <sys/select.h>
#include <sys/wait.h>

#include "pollcommon.h"

struct ktv {
	long sec, usec;
};

static long xselect(long n, void *r, void *w, void *e, void *tv)
{
	return sys6(SYS_select, n, (long)r, (long)w, (long)e, (long)tv, 0);
}

static long xpselect(long n, void *r, void *w, void *e, void *ts, void *pack)
{
	return sys6(SYS_pselect6, n, (long)r, (long)w, (long)e, (long)ts, (long)pack);
}

/* select on one fd for reading and writing with a zero timeout. */
static void one(const char *what, int fd)
{
	fd_set r, w, e;
	struct ktv tv = { 0, 0 };

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	FD_SET(fd, &e);
	long ret = xselect(fd + 1, &r, &w, &e, &tv);
	if (is_err(ret))
		show(what, ret);
	else
		printf("%s: %ld read %d write %d except %d\n", what, ret, FD_ISSET(fd, &r),
		       FD_ISSET(fd, &w), FD_ISSET(fd, &e));
}

static void readiness(void)
{
	int p[2];
	char buf[4096];

	pipe2(p, O_NONBLOCK);
	one("empty pipe, read end", p[0]);
	one("empty pipe, write end", p[1]);
	write(p[1], "ab", 2);
	one("pipe with data, read end", p[0]);
	printf("filled with %ld more bytes\n", fill_pipe(p[1]));
	one("full pipe, write end", p[1]);
	read(p[0], buf, 4096);
	one("full pipe less 4096 bytes, write end", p[1]);
	close(p[1]);
	while (read(p[0], buf, sizeof(buf)) > 0)
		;
	one("writer closed, read end", p[0]);
	close(p[0]);
	pipe(p);
	close(p[0]);
	one("reader closed, write end", p[1]);
	close(p[1]);

	ensure_tmp();
	int f = open("/tmp/selfile", O_RDWR | O_CREAT | O_TRUNC, 0600);
	one("regular file", f);
	close(f);
	unlink("/tmp/selfile");
	f = open("/dev/null", O_RDWR);
	one("/dev/null", f);
	close(f);

	/* bits at or above nfds: not checked (a closed fd there is no EBADF), not written */
	pipe(p);
	fd_set r, w;
	struct ktv tv = { 0, 0 };
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[1], &w);
	FD_SET(40, &w); /* not open, above nfds */
	long ret = xselect(p[1] + 1, &r, &w, NULL, &tv);
	printf("closed fd 40 above nfds: %ld, fd %s, bit 40 after: %d\n", ret,
	       FD_ISSET(p[1], &w) ? "set" : "clear", FD_ISSET(40, &w));
	FD_ZERO(&w);
	FD_SET(p[1], &w);
	ret = xselect(INT_MAX, NULL, &w, NULL, &tv);
	printf("nfds INT_MAX (clamped to the table): %ld\n", ret);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	FD_SET(p[1], &r);
	ret = xselect(p[1] + 1, &r, NULL, NULL, &tv);
	printf("nothing ready: %ld, set after %d%d\n", ret, FD_ISSET(p[0], &r), FD_ISSET(p[1], &r));
	show("nfds 0, NULL sets, zero timeout", xselect(0, NULL, NULL, NULL, &tv));
	close(p[0]);
	close(p[1]);
}

static void timeouts(void)
{
	int p[2];
	fd_set r;
	pipe(p);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct ktv tv = { 0, 60000 };
	long t0 = now_ms();
	long ret = xselect(p[0] + 1, &r, NULL, NULL, &tv);
	printf("timeout 60 ms: %ld after >= 60 ms: %s, left %ld/%ld, bit %d\n", ret,
	       now_ms() - t0 >= 60 ? "yes" : "no", tv.sec, tv.usec, FD_ISSET(p[0], &r));

	FD_SET(p[0], &r);
	int pid = later(p[1], 50);
	t0 = now_ms();
	ret = xselect(p[0] + 1, &r, NULL, NULL, NULL);
	printf("no timeout, child writes after 50 ms: %ld bit %d, after >= 40 ms: %s\n", ret,
	       FD_ISSET(p[0], &r), now_ms() - t0 >= 40 ? "yes" : "no");
	waitpid(pid, NULL, 0);

	tv.sec = 10;
	tv.usec = 0;
	ret = xselect(p[0] + 1, &r, NULL, NULL, &tv);
	printf("ready with 10 s: %ld, time left in (9 s, 10 s]: %s\n", ret,
	       (tv.sec == 9 || (tv.sec == 10 && tv.usec == 0)) ? "yes" : "no");
	tv.sec = 0;
	tv.usec = 1500000;
	ret = xselect(p[0] + 1, &r, NULL, NULL, &tv);
	printf("tv_usec 1500000 (normalized), ready: %ld, left sec %ld\n", ret, tv.sec);
	struct { long sec, nsec; } ts = { 10, 0 };
	ret = xpselect(p[0] + 1, &r, NULL, NULL, &ts, NULL);
	printf("pselect6 ready with 10 s: %ld, time left in (9 s, 10 s]: %s\n", ret,
	       (ts.sec == 9 || (ts.sec == 10 && ts.nsec == 0)) ? "yes" : "no");
	close(p[0]);
	close(p[1]);
}

static void signals(void)
{
	int p[2];
	fd_set r;
	pipe(p);

	catch_usr1(SA_RESTART);
	got_sig = 0;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	int pid = later(-1, 50);
	show("select interrupted by an SA_RESTART handler", xselect(p[0] + 1, &r, NULL, NULL, NULL));
	printf("handler ran: %d, bit after %d\n", got_sig, FD_ISSET(p[0], &r));
	waitpid(pid, NULL, 0);

	sigset_t block, old, cur;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	got_sig = 0;
	kill(getpid(), SIGUSR1);
	unsigned long keep = 1UL << (SIGUSR1 - 1), open_mask = 0;
	struct { void *p; long size; } pack = { &keep, 8 };
	struct { long sec, nsec; } zero = { 0, 0 };
	FD_SET(p[0], &r);
	show("pselect6 timeout 0, mask keeps SIGUSR1 blocked",
	     xpselect(p[0] + 1, &r, NULL, NULL, &zero, &pack));
	printf("handler ran: %d\n", got_sig);
	pack.p = &open_mask;
	FD_SET(p[0], &r);
	show("pselect6 no timeout, mask unblocks SIGUSR1",
	     xpselect(p[0] + 1, &r, NULL, NULL, NULL, &pack));
	printf("handler ran: %d\n", got_sig);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("SIGUSR1 blocked again: %s\n", sigismember(&cur, SIGUSR1) ? "yes" : "no");
	pack.p = NULL;
	pack.size = 3;
	FD_SET(p[0], &r);
	show("pselect6 NULL mask in the pack (size ignored)",
	     xpselect(p[0] + 1, &r, NULL, NULL, &zero, &pack));
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	close(p[0]);
	close(p[1]);
}

static void errors(void)
{
	int p[2];
	fd_set r, w;
	void *bad = bad_page();
	struct ktv tv = { 0, 0 };
	pipe(p);

	FD_ZERO(&r);
	FD_SET(30, &r);
	FD_SET(p[0], &r);
	show("a set names closed fd 30", xselect(31, &r, NULL, NULL, &tv));
	FD_ZERO(&w);
	FD_SET(30, &w);
	show("write set names closed fd 30", xselect(31, NULL, &w, NULL, &tv));
	show("except set names closed fd 30", xselect(31, NULL, NULL, &w, &tv));
	show("nfds -1", xselect(-1, NULL, NULL, NULL, &tv));
	show("nfds INT_MIN", xselect(INT_MIN, NULL, NULL, NULL, &tv));
	show("nfds -1, bad sets", xselect(-1, bad, bad, bad, &tv));
	show("read set in a PROT_NONE page", xselect(p[0] + 1, bad, NULL, NULL, &tv));
	show("except set in a PROT_NONE page", xselect(p[0] + 1, NULL, NULL, bad, &tv));
	show("timeval in a PROT_NONE page", xselect(p[0] + 1, NULL, NULL, NULL, bad));
	tv.sec = -1;
	show("tv_sec -1", xselect(0, NULL, NULL, NULL, &tv));
	tv.sec = 0;
	tv.usec = -1;
	show("tv_usec -1", xselect(0, NULL, NULL, NULL, &tv));
	tv.usec = -1000000;
	show("tv_usec -1000000", xselect(0, NULL, NULL, NULL, &tv));
	tv.sec = 1;
	tv.usec = -1000000;
	show("tv_sec 1, tv_usec -1000000 (normalized: 0/0)", xselect(0, NULL, NULL, NULL, &tv));
	tv.sec = 0;
	tv.usec = 0;
	/* the answer cannot be written back */
	fd_set *ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FD_SET(p[1], ro);
	mprotect(ro, 4096, PROT_READ);
	show("write set not writable", xselect(p[1] + 1, NULL, ro, NULL, &tv));
	struct { long sec, nsec; } ts = { 0, 1000000000 };
	show("pselect6 tv_nsec 1e9", xpselect(0, NULL, NULL, NULL, &ts, NULL));
	ts.sec = -1;
	ts.nsec = 0;
	show("pselect6 tv_sec -1", xpselect(0, NULL, NULL, NULL, &ts, NULL));
	show("pselect6 timespec in a PROT_NONE page", xpselect(0, NULL, NULL, NULL, bad, NULL));
	show("pselect6 argpack in a PROT_NONE page", xpselect(0, NULL, NULL, NULL, NULL, bad));
	ts.sec = 0;
	unsigned long m = 0;
	struct { void *p; long size; } pack = { &m, 4 };
	show("pselect6 sigsetsize 4", xpselect(0, NULL, NULL, NULL, &ts, &pack));
	pack.p = bad;
	pack.size = 8;
	show("pselect6 sigmask in a PROT_NONE page", xpselect(0, NULL, NULL, NULL, &ts, &pack));
	show("pselect6 bad argpack before bad timespec", xpselect(0, NULL, NULL, NULL, bad, bad));
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	readiness();
	timeouts();
	signals();
	errors();
	return 0;
}
