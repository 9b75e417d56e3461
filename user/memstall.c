/* memstall: a huge read of /proc/self/mem or /proc/self/pagemap does not hold the CPU, as on
 * Linux 6.1 (issue 15, item 7 "/proc/self/mem", "/proc/self/pagemap": Linux reads an address space
 * a chunk at a time, rescheduling between chunks, and a fatal signal ends a /proc/self/mem read).
 * A child reads 2 GiB per call in a loop (one 2 MiB buffer behind 1024 iovecs; the source is an
 * untouched mapping or unmapped address space, so no memory is used). Meanwhile the parent
 * sleeps 100 ms five times and checks that each sleep ended on time (within 500 ms); then it
 * sends SIGKILL and reaps the child (for /proc/self/mem within 1 s; Linux finishes a pagemap read
 * that has begun, so its time is not printed). A kernel without preemption that runs a whole
 * read at once lets the parent run only between reads: a mem read takes seconds there, a pagemap
 * read most of a minute. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define SRC_SIZE (2048L << 20)
#define BUF_SIZE (2L << 20)
#define NIOV 1024

static struct iovec iov[NIOV];
static int verbose; /* any argument: times and errors on stderr */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The child: reads path for ever from offset 0 (pagemap) or from an untouched mapping (mem). */
static void reader(const char *path, int pagemap)
{
	char *src = mmap(NULL, SRC_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			 -1, 0);
	char *buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open(path, O_RDONLY);
	long off = pagemap ? 0 : (long)(uintptr_t)src;

	if (src == MAP_FAILED || buf == MAP_FAILED || fd < 0)
		_exit(1);
	for (int i = 0; i < NIOV; i++)
		iov[i] = (struct iovec){ buf, BUF_SIZE };
	for (;;) {
		long r = sys3(SYS_lseek, fd, off, SEEK_SET);

		if (r == off)
			r = sys3(SYS_readv, fd, (long)iov, NIOV);
		if (r <= 0) {
			if (verbose)
				fprintf(stderr, "%s: read %ld\n", path, r);
			_exit(2);
		}
	}
}

/* Starts a reader of path, sleeps beside it, kills it and says how it went. */
static void run_stall_case(const char *what, const char *path, int pagemap)
{
	double late = 0;

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		reader(path, pagemap);
	for (int i = 0; i < 5; i++) {
		double t = now_s();
		sleep_ms(100);
		if (now_s() - t - 0.1 > late)
			late = now_s() - t - 0.1;
	}
	double t0 = now_s();
	kill(pid, SIGKILL);
	int st = 0;
	waitpid(pid, &st, 0);
	double reap = now_s() - t0;
	printf("%s: the parent's sleeps ended on time: %s\n", what, late < 0.5 ? "yes" : "no");
	if (WIFSIGNALED(st))
		printf("%s: killed by signal %d", what, WTERMSIG(st));
	else
		printf("%s: exited %d", what, WEXITSTATUS(st));
	if (!pagemap)
		printf(", reaped within 1 s of SIGKILL: %s", reap < 1.0 ? "yes" : "no");
	printf("\n");
	if (verbose)
		fprintf(stderr, "%s: late by %.3f s at most, reaped after %.3f s\n", what, late,
			reap);
}

int main(int argc, char **argv)
{
	(void)argv;
	verbose = argc > 1;
	run_stall_case("2 GiB reads of /proc/self/mem", "/proc/self/mem", 0);
	run_stall_case("2 GiB reads of /proc/self/pagemap", "/proc/self/pagemap", 1);
	return 0;
}
