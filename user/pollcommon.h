/* pollcommon.h: helpers shared by user/poll.c and user/select.c (issue 16, part 3). */
#ifndef USER_POLLCOMMON_H
#define USER_POLLCOMMON_H

#include <signal.h>
#include <sys/mman.h>
#include <time.h>

#include "common.h"

static volatile int got_sig;

static void on_usr1(int sig)
{
	(void)sig;
	got_sig++;
}

/* A handler for SIGUSR1 (flags: SA_RESTART or 0). */
static void catch_usr1(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Forks a child that, after ms milliseconds, writes one byte to fd (fd >= 0) or sends SIGUSR1
 * to the parent (fd < 0), then exits. Returns its pid. */
static int later(int fd, long ms)
{
	fflush(stdout);
	int pid = fork();
	if (pid == 0) {
		sleep_ms(ms);
		if (fd >= 0)
			write(fd, "x", 1);
		else
			kill(getppid(), SIGUSR1);
		_exit(0);
	}
	return pid;
}

/* Fills a non-blocking pipe's write end until EAGAIN; the bytes written. */
static long fill_pipe(int wfd)
{
	static char buf[4096];
	long total = 0, r;

	while ((r = write(wfd, buf, 1)) > 0)
		total += r;
	return total;
}

/* A page that faults on any access. */
static void *bad_page(void)
{
	return mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

#endif
