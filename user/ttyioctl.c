/* ttyioctl: the terminal ioctls and files of issue 16 item 1 that need no person at the
 * keyboard, as Linux 6.1 answers them:
 * - TCGETS, TIOCGWINSZ, TIOCGPGRP on a regular file (fd 0, fd 1): ENOTTY;
 * - /dev/tty without a controlling terminal: ENXIO;
 * - /dev/ttyS0 (opened O_NOCTTY): its termios as Linux sets up a serial console's, a TCSETS
 *   round trip, TCSETSW and TCSETSF, EFAULT for a bad termios pointer, the window size (0x0,
 *   then what TIOCSWINSZ stored), FIONREAD with nothing typed, TCFLSH and TCXONC with a bad
 *   argument (EINVAL);
 * - the job-control ioctls on a terminal that is not the caller's controlling one: TIOCGPGRP,
 *   TIOCSPGRP, TIOCGSID, TIOCNOTTY ENOTTY; TIOCSCTTY by a process that leads no session: EPERM;
 * - reads with nothing typed: O_NONBLOCK EAGAIN; VMIN 0 VTIME 1 returns 0 after the timeout.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>

#include "common.h"

/* The kernel's struct termios for TCGETS/TCSETS on x86-64 (no speed fields). */
struct kterm {
	unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line, c_cc[19];
};

static long ioc(int fd, unsigned long cmd, void *arg)
{
	return sys3(SYS_ioctl, fd, (long)cmd, (long)arg);
}

static void show_termios(const char *what, const struct kterm *t)
{
	printf("%s: iflag %#o oflag %#o cflag %#o lflag %#o line %u cc", what, t->c_iflag,
	       t->c_oflag, t->c_cflag, t->c_lflag, t->c_line);
	for (int i = 0; i < 19; i++)
		printf(" %u", t->c_cc[i]);
	printf("\n");
}

int main(void)
{
	struct kterm t, t2;
	struct winsize ws;
	int pgrp = 0;
	unsigned int n = 7;

	/* A regular file is no terminal. */
	show("TCGETS on stdin (a file)", ioc(0, TCGETS, &t));
	show("TIOCGWINSZ on stdout (a file)", ioc(1, TIOCGWINSZ, &ws));
	show("TIOCGPGRP on stdout (a file)", ioc(1, TIOCGPGRP, &pgrp));
	show("TIOCSCTTY on stdout (a file)", ioc(1, TIOCSCTTY, 0));

	/* The device nodes exist on Warden; run-linux's initramfs has only /dev/console. */
	mknod("/dev/tty", S_IFCHR | 0666, makedev(5, 0));
	mknod("/dev/ttyS0", S_IFCHR | 0600, makedev(4, 64));
	show("open /dev/tty without a controlling terminal",
	     sys3(SYS_open, (long)"/dev/tty", O_RDWR, 0));

	long fd = sys3(SYS_open, (long)"/dev/ttyS0", O_RDWR | O_NOCTTY, 0);
	show_ok("open /dev/ttyS0 O_NOCTTY", fd);
	if (fd < 0)
		return 1;
	struct stat st;
	fstat((int)fd, &st);
	printf("ttyS0: chr %d rdev %u:%u\n", S_ISCHR(st.st_mode), major(st.st_rdev),
	       minor(st.st_rdev));

	memset(&t, 0, sizeof(t));
	show("TCGETS ttyS0", ioc((int)fd, TCGETS, &t));
	show_termios("ttyS0 termios", &t);
	show("TCGETS bad pointer", ioc((int)fd, TCGETS, (void *)8));
	show("TCSETS bad pointer", ioc((int)fd, TCSETS, (void *)8));

	t2 = t;
	t2.c_lflag &= ~(ECHO | ICANON);
	t2.c_cc[VMIN] = 0;
	t2.c_cc[VTIME] = 1;
	show("TCSETS -echo -icanon min 0 time 1", ioc((int)fd, TCSETS, &t2));
	memset(&t2, 0, sizeof(t2));
	ioc((int)fd, TCGETS, &t2);
	show_termios("after TCSETS", &t2);

	char buf[16];
	show("read, VMIN 0 VTIME 1, nothing typed", sys3(SYS_read, fd, (long)buf, sizeof(buf)));
	long fl = sys3(SYS_fcntl, fd, F_GETFL, 0);
	sys3(SYS_fcntl, fd, F_SETFL, fl | O_NONBLOCK);
	t2.c_cc[VMIN] = 1;
	t2.c_cc[VTIME] = 0;
	show("TCSETSW min 1", ioc((int)fd, TCSETSW, &t2));
	show("read O_NONBLOCK, nothing typed", sys3(SYS_read, fd, (long)buf, sizeof(buf)));
	t2.c_lflag |= ICANON;
	show("TCSETSF icanon", ioc((int)fd, TCSETSF, &t2));
	show("read O_NONBLOCK canonical", sys3(SYS_read, fd, (long)buf, sizeof(buf)));
	sys3(SYS_fcntl, fd, F_SETFL, fl);
	show("TCSETS restore", ioc((int)fd, TCSETS, &t));
	memset(&t2, 0, sizeof(t2));
	ioc((int)fd, TCGETS, &t2);
	printf("restored: %s\n", memcmp(&t, &t2, sizeof(t)) ? "differs" : "same");

	memset(&ws, 0xff, sizeof(ws));
	show("TIOCGWINSZ", ioc((int)fd, TIOCGWINSZ, &ws));
	printf("winsize: %u %u %u %u\n", ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel);
	struct winsize set = { 24, 80, 0, 0 };
	show("TIOCSWINSZ 24x80", ioc((int)fd, TIOCSWINSZ, &set));
	ioc((int)fd, TIOCGWINSZ, &ws);
	printf("winsize: %u %u %u %u\n", ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel);
	set.ws_row = set.ws_col = 0;
	ioc((int)fd, TIOCSWINSZ, &set);
	show("TIOCGWINSZ bad pointer", ioc((int)fd, TIOCGWINSZ, (void *)8));

	show("FIONREAD", ioc((int)fd, FIONREAD, &n));
	printf("FIONREAD: %u\n", n);
	show("TCFLSH TCIFLUSH", ioc((int)fd, TCFLSH, (void *)TCIFLUSH));
	show("TCFLSH 3", ioc((int)fd, TCFLSH, (void *)3));
	show("TCXONC TCOON", ioc((int)fd, TCXONC, (void *)TCOON));
	show("TCXONC 4", ioc((int)fd, TCXONC, (void *)4));

	/* Not the caller's controlling terminal. */
	show("TIOCGPGRP not ctty", ioc((int)fd, TIOCGPGRP, &pgrp));
	show("TIOCSPGRP not ctty", ioc((int)fd, TIOCSPGRP, &pgrp));
	show("TIOCGSID not ctty", ioc((int)fd, TIOCGSID, &pgrp));
	show("TIOCNOTTY not ctty", ioc((int)fd, TIOCNOTTY, 0));
	show("TIOCSCTTY not a session leader", ioc((int)fd, TIOCSCTTY, 0));
	show("unknown ioctl 0x54ff", ioc((int)fd, 0x54ff, 0));

	/* poll with nothing typed: writable, not readable (canonical, then VMIN 0 raw). */
	struct pollfd pfd = { .fd = (int)fd, .events = POLLIN | POLLOUT | POLLPRI };
	show("poll canonical", sys3(SYS_poll, (long)&pfd, 1, 0));
	printf("revents: %#x\n", pfd.revents);
	struct kterm raw = t;
	raw.c_lflag &= ~(tcflag_t)ICANON;
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	ioc((int)fd, TCSETS, &raw);
	pfd.revents = 0;
	show("poll VMIN 0", sys3(SYS_poll, (long)&pfd, 1, 0));
	printf("revents: %#x\n", pfd.revents);
	ioc((int)fd, TCSETS, &t);
	close((int)fd);
	return 0;
}
