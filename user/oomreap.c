/* oomreap: once the OOM killer has reaped a victim's memory (issue 15, defect 4), the victim's
 * address space is unstable (Linux's MMF_UNSTABLE): a system call it was sleeping in must not
 * read the reaped pages back as fresh zeros and hand them on. Self-checking, run as PID 1 in the
 * warden suite (tests/warden/oomreap.append): the reap happens at once only when the fault that
 * found no frame cannot sleep, and that timing cannot be reproduced on Linux.
 *
 * A writer child fills RAM (what /proc/meminfo says is free, less a margin) with 0x5a bytes and
 * write(2)s all of it into a pipe, where it sleeps once 64 KiB are queued. The parent reads the
 * pipe into untouched memory: when the margin is used up, its read's copy to user pages finds no
 * frame, the killer chooses the writer and reaps it at once, and the read goes on. The writer
 * then wakes with SIGKILL pending and room in the pipe. On Linux its copy from the reaped pages
 * fails (check_stable_address_space: VM_FAULT_SIGBUS, so EFAULT in the kernel) and the write
 * ends; the reader sees only 0x5a bytes, then end of file. Lines: "ok NAME" or "FAIL NAME". */
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>

#define MIB (1024L * 1024)
#define MARGIN (4 * MIB)
#define AREA (64 * MIB) /* the parent's untouched read buffer: more than the margin */

/* MemFree from /proc/meminfo, in bytes. */
static long mem_free(void)
{
	char buf[512];
	int fd = open("/proc/meminfo", O_RDONLY);
	long n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	char *p = strstr(buf, "MemFree:");
	return p ? strtol(p + 8, NULL, 10) * 1024 : -1;
}

/* The writer: fills RAM with 0x5a and writes it all into fd (it sleeps once the pipe is full). */
static void writer(int fd, int ready)
{
	long bytes = (mem_free() - MARGIN) / 513 * 512 & ~4095L;
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(3);
	memset(p, 0x5a, bytes);
	write(ready, "r", 1);
	write(fd, p, bytes);
	_exit(4); /* the reader never reads it all: not reached */
}

int main(void)
{
	int pfd[2], rfd[2], st;
	char c;

	pipe(pfd);
	pipe(rfd);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		close(rfd[0]);
		writer(pfd[1], rfd[1]);
	}
	close(pfd[1]);
	close(rfd[1]);
	if (read(rfd[0], &c, 1) != 1) {
		printf("FAIL oom_reaped_writer: the writer died before it was ready\n");
		return 1;
	}
	sleep_ms(100); /* the writer is asleep in write(2), the pipe full */
	char *p = mmap(NULL, AREA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long total = 0, zeros = 0, n;
	while (total < AREA && (n = read(pfd[0], p + total, AREA - total)) > 0) {
		for (long i = 0; i < n; i++)
			zeros += p[total + i] != 0x5a;
		total += n;
	}
	int ok = waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
	if (!ok)
		printf("FAIL oom_reaped_writer: the writer ended with status %#x, not SIGKILL\n", st);
	else if (total >= AREA)
		printf("FAIL oom_reaped_writer: the reader got all it asked for (no OOM kill?)\n");
	else if (zeros)
		printf("FAIL oom_reaped_writer: %ld of %ld bytes read are not the writer's\n", zeros,
		       total);
	else
		printf("ok oom_reaped_writer\n");
	return !ok || total >= AREA || zeros;
}
