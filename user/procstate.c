/* procstate: issue 21 item 4, the state letter of /proc/PID/stat and the State: line of
 * /proc/PID/status as Linux 6.1 shows them (LTP's TST_PROCESS_STATE_WAIT reads them): R for the
 * reader itself, S for a child asleep in a pipe read, D for a parent waiting in vfork (Linux's
 * TASK_KILLABLE) while its vfork child sleeps (S), T for a child stopped by SIGSTOP, t for a
 * traced child stopped for its tracer, Z for an exited child not yet reaped.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

/* Prints the state letter of /proc/PID/stat and the State: line of /proc/PID/status. */
static void show_state(const char *what, int pid)
{
	char path[64], buf[2048];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	char *paren = strrchr(buf, ')');
	char letter = paren && paren[1] == ' ' ? paren[2] : '?';
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	char *st = strstr(buf, "State:");
	if (st)
		*strchr(st, '\n') = 0;
	printf("%s: stat %c, status \"%s\"\n", what, letter, st ? st : "none");
}

int main(void)
{
	show_state("self", getpid());

	/* S: asleep in a pipe read */
	int p[2];
	pipe(p);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char ch;
		read(p[0], &ch, 1);
		_exit(0);
	}
	sleep_ms(100);
	show_state("pipe reader", c);
	write(p[1], "x", 1);
	waitpid(c, NULL, 0);

	/* D: a parent in vfork's wait; its vfork child asleep (S) */
	int q[2], vp[2];
	pipe(q);
	pipe(vp);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		pid_t v = vfork();
		if (v == 0) {
			char ch;
			int me = (int)getpid();
			write(vp[1], &me, sizeof(me));
			read(q[0], &ch, 1);
			_exit(0);
		}
		waitpid(v, NULL, 0);
		_exit(0);
	}
	sleep_ms(100);
	show_state("vfork parent", c);
	/* the vfork child said its pid */
	int v = 0;
	read(vp[0], &v, sizeof(v));
	if (v > 0)
		show_state("vfork child", v);
	else
		printf("vfork child: not found\n");
	write(q[1], "x", 1);
	waitpid(c, NULL, 0);

	/* T: stopped by SIGSTOP; S again after SIGCONT */
	fflush(stdout);
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	kill(c, SIGSTOP);
	int st;
	waitpid(c, &st, WUNTRACED);
	show_state("stopped", c);
	kill(c, SIGCONT);
	waitpid(c, &st, WCONTINUED);
	sleep_ms(50);
	show_state("continued", c);
	kill(c, SIGKILL);
	sleep_ms(100);
	show_state("killed, not reaped", c);
	waitpid(c, NULL, 0);

	/* t: traced, stopped for its tracer */
	fflush(stdout);
	c = fork();
	if (c == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(c, &st, 0);
	show_state("traced", c);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);

	/* Z: exited, not reaped */
	fflush(stdout);
	c = fork();
	if (c == 0)
		_exit(3);
	sleep_ms(100);
	show_state("zombie", c);
	waitpid(c, NULL, 0);
	show_state("reaped", c);
	return 0;
}
