/* sysnrrestart: an interrupted system call whose number has bits above 31 set is restarted or
 * turned into EINTR as any other, as Linux 6.1 (issue 15 item 7, "system-call entry": Linux
 * dispatches on the low 32 bits of orig_rax, and its signal code asks "was this a system call?"
 * with the same int, syscall_get_nr() != -1). A call whose high half had bit 63 set must not
 * hand the kernel's internal ERESTART* codes to user space. Every line starts "15.7".
 * - nanosleep (ERESTART_RESTARTBLOCK) and a pipe read (ERESTARTSYS) interrupted by a handler
 *   without SA_RESTART: EINTR;
 * - a pipe read interrupted by a handler with SA_RESTART: restarted with the same number, it
 *   returns the byte written after the signal. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static volatile int got;

static void on_usr1(int sig)
{
	(void)sig;
	got++;
}

static long raw3(unsigned long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static void handler(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
}

/* A child that signals us after 100 ms and, if fd >= 0, writes one byte to fd 100 ms later. */
static pid_t poke(int fd)
{
	pid_t parent = getpid(), pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		sleep_ms(100);
		kill(parent, SIGUSR1);
		if (fd >= 0) {
			sleep_ms(100);
			(void)!write(fd, "x", 1);
		}
		_exit(0);
	}
	return pid;
}

static void show_nr(const char *what, unsigned long nr, long r)
{
	char line[160];

	snprintf(line, sizeof(line), "15.7 %s, nr %#lx", what, nr);
	show(line, r);
}

int main(void)
{
	static const unsigned long high[] = { 0x100000000UL, 0x8000000000000000UL,
					      0xffffffff00000000UL };

	for (unsigned i = 0; i < sizeof(high) / sizeof(high[0]); i++) {
		struct timespec ts = { 5, 0 };
		int p[2];
		char c = 0;
		pid_t pid;

		handler(0);
		got = 0;
		pid = poke(-1);
		show_nr("nanosleep 5 s, signal with a handler", high[i] | SYS_nanosleep,
			raw3(high[i] | SYS_nanosleep, (long)&ts, 0, 0));
		waitpid(pid, NULL, 0);

		pipe(p);
		got = 0;
		pid = poke(-1);
		show_nr("read of an empty pipe, signal with a handler", high[i] | SYS_read,
			raw3(high[i] | SYS_read, p[0], (long)&c, 1));
		waitpid(pid, NULL, 0);

		handler(SA_RESTART);
		got = 0;
		pid = poke(p[1]);
		show_nr("read of an empty pipe, SA_RESTART handler", high[i] | SYS_read,
			raw3(high[i] | SYS_read, p[0], (long)&c, 1));
		printf("15.7   byte read: %c, handler ran: %d\n", c ? c : '-', got);
		waitpid(pid, NULL, 0);
		close(p[0]);
		close(p[1]);
	}
	return 0;
}
