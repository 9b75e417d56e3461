/* ttyinteract: the terminal as a person uses it (issue 16 item 1), driven by tools/tty-interactive
 * through a pseudo-terminal on COM1 (not recorded on Linux: it needs typed input). The program
 * opens /dev/ttyS0, prints a marker before each step and reports what each read returned:
 * - canonical mode with echo: a typo erased with DEL (ERASE), a line killed with ^U (KILL), a
 *   word erased with ^W (WERASE), ^V making the next byte (^U) data (LNEXT), ^D ending a line without a newline and then alone (EOF: 0);
 * - TCSETS with VERASE ^H: ^H erases;
 * - non-canonical mode, VMIN 1 VTIME 0, no echo: one key is one read, no newline needed;
 * - ISIG: a child that leads its own session with ttyS0 as its controlling terminal (setsid,
 *   TIOCSCTTY) blocks in read; ^C kills it with SIGINT (when setsid exists: the sessions work);
 *   its exit hangs the terminal up: the parent's file then writes EIO, and it opens a new one. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>

#include "common.h"

static int tty;

static void say(const char *s)
{
	write(tty, s, strlen(s));
}

/* Reads once and prints what came back, control bytes as \xNN. */
/* Reports /proc/self/stat's tty_nr and whether tpgid is the caller's group (fields 7 and 8). */
static void stat_tty(const char *what)
{
	char buf[512], out[128];
	int fd = open("/proc/self/stat", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	unsigned int tty_nr = 0;
	int tpgid = 0, len;

	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		len = snprintf(out, sizeof(out), "%s: unreadable\n", what);
	} else {
		buf[n] = 0;
		char *p = strrchr(buf, ')');
		sscanf(p ? p + 2 : buf, "%*c %*d %*d %*d %u %d", &tty_nr, &tpgid);
		len = snprintf(out, sizeof(out), "%s: tty_nr %u tpgid %s\n", what, tty_nr,
			       tpgid == -1 ? "-1" : tpgid == getpgrp() ? "own group" : "other");
	}
	write(tty, out, len);
}

static void report(const char *what)
{
	char buf[128], out[600];
	long n = sys3(SYS_read, tty, (long)buf, sizeof(buf));
	int len = snprintf(out, sizeof(out), "%s: %ld [", what, n);

	for (long i = 0; i < n && len < 500; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c < 0x20 || c >= 0x7f)
			len += snprintf(out + len, sizeof(out) - len, "\\x%02x", c);
		else
			out[len++] = (char)c;
	}
	len += snprintf(out + len, sizeof(out) - len, "]\n");
	write(tty, out, len);
}

int main(void)
{
	struct termios t, raw;

	tty = open("/dev/ttyS0", O_RDWR | O_NOCTTY);
	if (tty < 0)
		return 1;
	tcgetattr(tty, &t);
	say("READY erase\n");
	report("erase");
	say("READY kill\n");
	report("kill");
	say("READY werase\n");
	report("werase");
	say("READY lnext\n");
	report("lnext");
	say("READY eof\n");
	report("eof line");
	report("eof alone");
	struct termios bs = t;
	bs.c_cc[VERASE] = 8;
	tcsetattr(tty, TCSANOW, &bs);
	say("READY backspace\n");
	report("backspace");
	raw = t;
	raw.c_lflag &= ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(tty, TCSANOW, &raw);
	say("READY raw\n");
	report("raw");
	tcsetattr(tty, TCSANOW, &t);

	stat_tty("init stat");
	/* poll: nothing typed yet is POLLOUT alone; a line typed while it waits wakes it. */
	struct pollfd pfd = { .fd = tty, .events = POLLIN | POLLOUT };
	char pl[80];
	int pn = poll(&pfd, 1, 0);
	int len = snprintf(pl, sizeof(pl), "poll now: %d revents %#x\n", pn, pfd.revents);
	write(tty, pl, len);
	pfd.events = POLLIN;
	say("READY poll\n");
	pn = poll(&pfd, 1, 20000);
	len = snprintf(pl, sizeof(pl), "poll typed: %d revents %#x\n", pn, pfd.revents);
	write(tty, pl, len);
	report("after poll");

	pid_t pid = fork();
	if (pid == 0) {
		if (setsid() != getpid() || ioctl(tty, TIOCSCTTY, 0) != 0)
			_exit(42); /* setsid failed: reported as "exited 42" */
		stat_tty("child stat");
		say("READY intr\n");
		report("read in child"); /* ^C must end the child here */
		_exit(0);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	/*
	 * The child led a session with ttyS0 as its terminal: its exit hung the terminal up
	 * (Linux's disassociate_ctty), so this file writes EIO now; a new open works.
	 */
	long hung = sys3(SYS_write, tty, (long)"x", 1);
	close(tty);
	tty = open("/dev/ttyS0", O_RDWR | O_NOCTTY);
	char line[80];
	snprintf(line, sizeof(line), "hangup: old file write %s\n",
		 hung == -EIO ? "EIO" : hung == 1 ? "1" : "other");
	say(line);
	if (WIFSIGNALED(st))
		snprintf(line, sizeof(line), "intr: child killed by signal %d\n", WTERMSIG(st));
	else
		snprintf(line, sizeof(line), "intr: child exited %d\n", WEXITSTATUS(st));
	say(line);
	say("DONE\n");
	return 0;
}
