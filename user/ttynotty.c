/* ttynotty: giving up and losing the controlling terminal (issue 16 items 1 and 2), as Linux
 * 6.1's no_tty and disassociate_ctty do it on a serial terminal:
 * - TIOCNOTTY by a process that does not lead its session: only the caller loses the terminal
 *   (/dev/tty ENXIO, TIOCGPGRP ENOTTY), nobody is signalled, the session keeps it;
 * - TIOCNOTTY by the session leader: SIGHUP and SIGCONT (SI_USER, from the leader) to the
 *   foreground group, and the whole session loses the terminal; the files stay usable;
 * - the session leader's exit hangs the terminal up: SIGHUP (SI_KERNEL) to the foreground group
 *   only (no SIGCONT; the background group gets nothing), the session loses the terminal, and
 *   every file open on ttyS0 or /dev/tty is hung up (read 0, write EIO, ioctl EIO but TIOCSPGRP
 *   ENOTTY, poll POLLIN|POLLOUT|POLLERR|POLLHUP|POLLRDNORM|POLLWRNORM) while a /dev/console file
 *   and new opens work.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "common.h"

/* What every process of the test shares: the signals each role got, and phase flags. */
struct shared {
	volatile int sigs[4]; /* bit per signal */
	volatile int code[4][65]; /* si_code of each */
	volatile int ready[4], done[4];
	volatile int reaper; /* the test's pid: the leader's children go to it */
};
static struct shared *sh;
static int role;

enum { LEADER, FG, BG, MEMBER };

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	sh->sigs[role] |= 1 << sig;
	sh->code[role][sig] = si->si_code;
}

static void catch_signals(int r)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };

	role = r;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
}

static long ioc(int fd, unsigned long cmd, long arg)
{
	return sys3(SYS_ioctl, fd, (long)cmd, arg);
}

/* Which of SIGHUP and SIGCONT a role got, with their si_code. */
static void show_sigs(const char *who, int r)
{
	int s = sh->sigs[r];
	printf("  %s got:%s%s%s\n", who, s & (1 << SIGHUP) ? " SIGHUP" : "",
	       s & (1 << SIGCONT) ? " SIGCONT" : "", s ? "" : " nothing");
	if (s & (1 << SIGHUP))
		printf("    SIGHUP si_code %s\n", sh->code[r][SIGHUP] == SI_USER ? "SI_USER" :
				      sh->code[r][SIGHUP] == SI_KERNEL ? "SI_KERNEL" : "other");
}

/* Waits (at most 2 s) until flag is set. */
static void wait_flag(volatile int *flag)
{
	for (int i = 0; i < 2000 && !*flag; i++)
		usleep(1000);
}

static void show_open(const char *what, const char *path, int flags)
{
	long fd = sys3(SYS_open, (long)path, flags, 0);
	show(what, fd < 0 ? fd : 0);
	if (fd >= 0)
		close((int)fd);
}

/* /proc/self/stat's tty_nr (field 7). */
static void show_tty_nr(const char *what)
{
	char buf[512] = "";
	int fd = open("/proc/self/stat", O_RDONLY);
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	char *p = strrchr(buf, ')');
	int tty_nr = -1;
	if (n > 0 && p)
		sscanf(p + 2, "%*c %*d %*d %*d %d", &tty_nr);
	printf("  %s: tty_nr %d\n", what, tty_nr);
}

/* A non-leader's TIOCNOTTY: only the caller lets go. */
static void member_notty(int fd)
{
	pid_t m = fork();
	if (m == 0) {
		catch_signals(MEMBER);
		show("issue 16 item 2: TIOCNOTTY by a member that does not lead", ioc(fd, TIOCNOTTY, 0));
		show_open("  then open /dev/tty", "/dev/tty", O_RDWR);
		int pg;
		show("  then TIOCGPGRP", ioc(fd, TIOCGPGRP, (long)&pg));
		show("  TIOCNOTTY again", ioc(fd, TIOCNOTTY, 0));
		show_tty_nr("member after TIOCNOTTY");
		printf("  getsid(0) is the leader's: %s\n", getsid(0) == getppid() ? "yes" : "no");
		_exit(0);
	}
	waitpid(m, NULL, 0);
	show_sigs("member", MEMBER);
	show_sigs("leader", LEADER);
	int pg = 0;
	long r = ioc(fd, TIOCGPGRP, (long)&pg);
	show("  leader's TIOCGPGRP still works", r);
	printf("  foreground group is the leader's: %s\n", pg == getpid() ? "yes" : "no");
	show_open("  leader opens /dev/tty", "/dev/tty", O_RDWR);
}

/* The leader's TIOCNOTTY: the foreground group gets SIGHUP and SIGCONT, the session lets go. */
static void leader_notty(int fd)
{
	int p[2];
	pipe(p);
	pid_t fg = fork();
	if (fg == 0) {
		catch_signals(FG);
		setpgid(0, 0);
		write(p[1], "x", 1);
		wait_flag(&sh->done[LEADER]);
		for (int i = 0; i < 2000 && !(sh->sigs[FG] & (1 << SIGCONT)); i++)
			usleep(1000);
		show_sigs("foreground group", FG);
		show_open("  foreground member opens /dev/tty", "/dev/tty", O_RDWR);
		_exit(0);
	}
	char c;
	read(p[0], &c, 1);
	close(p[0]), close(p[1]);
	setpgid(fg, fg);
	show("issue 16 item 2: leader TIOCSPGRP to a child's group", ioc(fd, TIOCSPGRP, (long)&fg));
	show("issue 16 item 1: TIOCNOTTY by the session leader", ioc(fd, TIOCNOTTY, 0));
	sh->done[LEADER] = 1;
	waitpid(fg, NULL, 0);
	show_sigs("leader", LEADER);
	show_open("  leader opens /dev/tty", "/dev/tty", O_RDWR);
	int sid;
	show("  TIOCGSID on the old terminal", ioc(fd, TIOCGSID, (long)&sid));
	struct termios t;
	show("  TCGETS on the file still works", ioc(fd, TCGETS, (long)&t));
	show_tty_nr("leader after TIOCNOTTY");
	show("  TIOCSCTTY takes it back (no other session has it)", ioc(fd, TIOCSCTTY, 0));
}

/* After the leader's exit: a child checks its files, the signals, and new opens. */
static void after_hangup(int r, int fd, int tty, int cons)
{
	char buf[8];
	struct termios t;
	int pg = getpgrp();
	const char *who = r == FG ? "foreground" : "background";
	printf("issue 16 item 2: the session leader exited; %s child:\n", who);
	show_sigs(who, r);
	show("  read ttyS0 file (hung up)", read(fd, buf, sizeof(buf)) < 0 ? -errno : 0);
	show("  write ttyS0 file", write(fd, "\n", 1) < 0 ? -errno : 1);
	show("  TCGETS ttyS0 file", ioc(fd, TCGETS, (long)&t));
	show("  TIOCSPGRP ttyS0 file", ioc(fd, TIOCSPGRP, (long)&pg));
	show("  TIOCGPGRP ttyS0 file", ioc(fd, TIOCGPGRP, (long)&pg));
	struct pollfd pfd = { fd, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM, 0 };
	long n = poll(&pfd, 1, 0);
	printf("  poll ttyS0 file: %ld revents %#x\n", n, pfd.revents);
	show("  read /dev/tty file", read(tty, buf, sizeof(buf)) < 0 ? -errno : 0);
	show("  TCGETS /dev/tty file", ioc(tty, TCGETS, (long)&t));
	show("  TCGETS /dev/console file (not hung up)", ioc(cons, TCGETS, (long)&t));
	show_open("  open /dev/tty", "/dev/tty", O_RDWR);
	show_open("  open /dev/ttyS0 again", "/dev/ttyS0", O_RDWR | O_NOCTTY | O_NONBLOCK);
	show_tty_nr("after the hangup");
}

/* The session leader: TIOCNOTTY cases, then it exits with two children holding the terminal. */
static void leader(void)
{
	catch_signals(LEADER);
	setsid();
	int fd = open("/dev/ttyS0", O_RDWR | O_NONBLOCK);
	int sid = 0;
	show("issue 16 item 1: session leader opens ttyS0, TIOCGSID", ioc(fd, TIOCGSID, (long)&sid));
	printf("  TIOCGSID is the leader's pid: %s\n", sid == getpid() ? "yes" : "no");
	member_notty(fd);
	leader_notty(fd);
	sh->sigs[FG] = sh->sigs[BG] = sh->sigs[LEADER] = 0;
	for (int r = FG; r <= BG; r++) {
		if (fork() == 0) {
			catch_signals(r);
			if (r == BG)
				setpgid(0, 0);
			int tty = open("/dev/tty", O_RDWR | O_NONBLOCK);
			int cons = open("/dev/console", O_RDWR | O_NOCTTY | O_NONBLOCK);
			sh->ready[r] = 1;
			while (getppid() != sh->reaper)
				usleep(1000); /* until the leader is gone (reparented to the test) */
			if (r == BG)
				wait_flag(&sh->done[FG]);
			else
				for (int i = 0; i < 2000 && !sh->sigs[FG]; i++)
					usleep(1000);
			after_hangup(r, fd, tty, cons);
			sh->done[r] = 1;
			_exit(0);
		}
		wait_flag(&sh->ready[r]);
	}
	_exit(0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	mknod("/dev/tty", S_IFCHR | 0666, makedev(5, 0));
	mknod("/dev/ttyS0", S_IFCHR | 0600, makedev(4, 64));
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset((void *)sh, 0, sizeof(*sh));
	int saved_fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY | O_NONBLOCK);
	struct termios saved;
	ioc(saved_fd, TCGETS, (long)&saved);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sh->reaper = getpid();
	pid_t l = fork();
	if (l == 0)
		leader();
	waitpid(l, NULL, 0);
	while (wait(NULL) > 0)
		;
	ioc(saved_fd, TCSETS, (long)&saved);
	return 0;
}
