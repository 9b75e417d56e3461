/* pidwrap: issue 21 item 2, pid allocation as Linux 6.1's alloc_pid (idr_alloc_cyclic): with
 * kernel.pid_max lowered (as root), pids cycle up to pid_max - 1 and wrap to RESERVED_PIDS (300),
 * skipping pids still in use by a live task and by a process group and session whose leader is
 * gone; fork is EAGAIN when no pid is free; clone3's set_tid takes a free pid below the cursor
 * (EEXIST for a taken one, EINVAL from pid_max on). pid_max is put back at the end. Pids are
 * printed as offsets from 300 (what the wrap gives), not as raw numbers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

struct clone_args_v1 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size;
};

static int read_pid_max(void)
{
	char buf[32] = { 0 };
	int fd = open("/proc/sys/kernel/pid_max", O_RDONLY);
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return atoi(buf);
}

static long write_pid_max(int v)
{
	char buf[32];
	int fd = open("/proc/sys/kernel/pid_max", O_WRONLY);
	int n = snprintf(buf, sizeof(buf), "%d\n", v);
	long r = write(fd, buf, (size_t)n);
	if (r < 0)
		r = -errno;
	close(fd);
	return r;
}

/* A child that exits at once, reaped: its pid, or -errno. */
static long fork_reap(void)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(0);
	if (c < 0)
		return -errno;
	waitpid(c, NULL, 0);
	return c;
}

/* Forks until the pid goes down (the wrap): the highest pid seen and the first after the wrap. */
static void cycle(int *highest, int *after)
{
	long prev = 0, p;
	*highest = *after = 0;
	for (int i = 0; i < 40000; i++) {
		p = fork_reap();
		if (p < 0) {
			printf("fork: -1 %s\n", errname((int)-p));
			return;
		}
		if (p < prev) {
			*highest = (int)prev;
			*after = (int)p;
			return;
		}
		prev = p;
	}
}

static long clone3_set_tid(int tid)
{
	pid_t want = tid;
	struct clone_args_v1 a = { 0 };
	a.exit_signal = SIGCHLD;
	a.set_tid = (uint64_t)(uintptr_t)&want;
	a.set_tid_size = 1;
	fflush(stdout);
	long r = syscall(SYS_clone3, &a, sizeof(a));
	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r < 0 ? -errno : r;
}

int main(void)
{
	int old = read_pid_max(), highest, after;
	const int max = 360;

	long e = write_pid_max(300);
	show("pid_max 300", e < 0 ? e : 0);
	show("pid_max 360", write_pid_max(max) < 0 ? -1 : 0);
	cycle(&highest, &after);
	printf("first wrap: highest pid_max-%d, then 300%+d\n", max - highest, after - 300);

	/* A holds the pid after the wrap; B makes a session (and group) of its own and leaves a
	 * child C in it: B's pid stays taken after B is reaped */
	int hold[2], bpipe[2];
	pipe(hold);
	pipe(bpipe);
	fflush(stdout);
	pid_t a = fork();
	if (a == 0) {
		char ch;
		read(hold[0], &ch, 1);
		_exit(0);
	}
	fflush(stdout);
	pid_t b = fork();
	if (b == 0) {
		setsid();
		pid_t c = fork();
		if (c == 0) {
			char ch;
			close(bpipe[1]);
			read(hold[0], &ch, 1);
			_exit(0);
		}
		write(bpipe[1], &c, sizeof(c));
		_exit(0);
	}
	waitpid(b, NULL, 0);
	pid_t c = 0;
	read(bpipe[0], &c, sizeof(c));
	printf("A 300%+d, B 300%+d, C 300%+d\n", a - 300, b - 300, c - 300);

	cycle(&highest, &after);
	long next = fork_reap();
	printf("second wrap: highest pid_max-%d, then 300%+d, next 300%+ld (A, B's session, C "
	       "skipped)\n",
	       max - highest, after - 300, next - 300);

	/* clone3's set_tid: a free pid below the cursor, a taken one, pid_max, the session's */
	show("set_tid free 340", clone3_set_tid(340) == 340 ? 0 : -1);
	show("set_tid A", clone3_set_tid(a));
	show("set_tid B (session id)", clone3_set_tid(b));
	show("set_tid pid_max", clone3_set_tid(max));
	show("set_tid pid_max-1", clone3_set_tid(max - 1) == max - 1 ? 0 : -1);

	/* only pid 300 below pid_max 301 once the cursor passed 300: H takes it */
	show("pid_max 301", write_pid_max(301) < 0 ? -1 : 0);
	int hp[2];
	pipe(hp);
	fflush(stdout);
	pid_t h = fork();
	if (h == 0) {
		char ch;
		read(hp[0], &ch, 1);
		_exit(0);
	}
	printf("H 300%+d\n", h - 300);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d", h);
	int hdir = open(path, O_RDONLY | O_DIRECTORY);
	int hstat = openat(hdir, "stat", O_RDONLY);
	long r = fork_reap();
	printf("fork with pid_max 301: %s\n", r < 0 ? errname((int)-r) : "a pid");
	write(hold[1], "xx", 2);
	write(hp[1], "x", 1);
	waitpid(a, NULL, 0);
	waitpid(h, NULL, 0);
	sleep_ms(50); /* C, reparented to init, is reaped there */
	/* H2 gets H's pid: H's /proc directory and open stat file do not describe it */
	fflush(stdout);
	pid_t h2 = fork();
	if (h2 == 0) {
		char ch;
		read(hp[0], &ch, 1);
		_exit(0);
	}
	printf("H2 300%+d\n", h2 - 300);
	char buf[256];
	int fd = openat(hdir, "stat", O_RDONLY);
	printf("openat(H's dir, stat): %s\n", fd < 0 ? errname(errno) : "opened");
	fd = openat(hdir, "status", O_RDONLY);
	printf("openat(H's dir, status): %s\n", fd < 0 ? errname(errno) : "opened");
	long n = pread(hstat, buf, sizeof(buf), 0);
	printf("read of H's open stat: %s\n", n < 0 ? errname(errno) : "data");
	snprintf(path, sizeof(path), "/proc/%d/stat", h2);
	fd = open(path, O_RDONLY);
	printf("open /proc/H2/stat: %s\n", fd < 0 ? errname(errno) : "opened");
	write(hp[1], "x", 1);
	waitpid(h2, NULL, 0);
	r = fork_reap();
	printf("after H2 is reaped: 300%+ld\n", r - 300);
	r = fork_reap();
	printf("again: %s\n", r < 0 ? errname((int)-r) : "a pid");

	show("pid_max back", write_pid_max(old) < 0 ? -1 : 0);
	r = fork_reap();
	printf("then: %s\n", r > 300 ? "above 300" : "other");
	return 0;
}
