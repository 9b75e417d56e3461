/* ttyhostile: bad input to the terminal, the sessions and poll/select (issue 16, acceptance
 * "Bad input"), as Linux 6.1 answers it:
 * - every terminal ioctl on a pipe, a regular file, /dev/null, a directory and /proc/self/maps
 *   is ENOTTY (no pointer is looked at first), FIONREAD/FIONBIO/FIOCLEX are the VFS's;
 * - on ttyS0: EFAULT for bad pointers of each pointer ioctl, EINVAL for out-of-range TCFLSH
 *   and TCXONC arguments, and what TCGETS returns after TCSETS of hostile values (every flag
 *   bit set, every c_cc 255, a line discipline number);
 * - setpgid/getpgid/getsid on a zombie child, kill of a zombie's group, kill(INT_MIN);
 * - select's nfds against the size of Linux's descriptor table (64, then 128, 256, ...: bits
 *   past it are ignored and left as they were), /proc/self/status FDSize, poll's nfds against
 *   a lowered RLIMIT_NOFILE, and pselect6's/ppoll's sigset sizes.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "common.h"

/* The kernel's struct termios for TCGETS/TCSETS on x86-64 (no speed fields). */
struct kterm {
	unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line, c_cc[19];
};

static long ioc(int fd, unsigned long cmd, long arg)
{
	return sys3(SYS_ioctl, fd, (long)cmd, arg);
}

static void show_termios(const char *what, const struct kterm *t)
{
	printf("  %s: iflag %#o oflag %#o cflag %#o lflag %#o line %u cc", what, t->c_iflag,
	       t->c_oflag, t->c_cflag, t->c_lflag, t->c_line);
	for (int i = 0; i < 19; i++)
		printf(" %u", t->c_cc[i]);
	printf("\n");
}

#define KADDR 0xffffffff81000000L

static const struct {
	unsigned long cmd;
	const char *name;
} tty_cmds[] = {
	{ TCGETS, "TCGETS" },	       { TCSETS, "TCSETS" },	       { TCSETSW, "TCSETSW" },
	{ TCSETSF, "TCSETSF" },	       { TIOCGWINSZ, "TIOCGWINSZ" },   { TIOCSWINSZ, "TIOCSWINSZ" },
	{ TIOCGPGRP, "TIOCGPGRP" },    { TIOCSPGRP, "TIOCSPGRP" },     { TIOCSCTTY, "TIOCSCTTY" },
	{ TIOCNOTTY, "TIOCNOTTY" },    { TIOCGSID, "TIOCGSID" },       { TCFLSH, "TCFLSH" },
	{ TCXONC, "TCXONC" },	       { TIOCOUTQ, "TIOCOUTQ" },       { TIOCSTI, "TIOCSTI" },
	{ 0x54ff, "0x54ff" },
};

/* Each terminal ioctl on a file that is no terminal: ENOTTY, with a good or a bad pointer. */
static void wrong_files(void)
{
	int p[2];
	char name[96], buf[64];

	mkdir("/tmp", 01777);
	int file = open("/tmp/ttyhostile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(file, "0123456789", 10);
	lseek(file, 3, SEEK_SET);
	pipe(p);
	write(p[1], "abc", 3);
	int null = open("/dev/null", O_RDWR), dir = open("/", O_RDONLY | O_DIRECTORY);
	int maps = open("/proc/self/maps", O_RDONLY);
	const struct {
		int fd;
		const char *name;
	} files[] = { { p[0], "pipe read end" }, { p[1], "pipe write end" },
		      { file, "regular file" },	 { null, "/dev/null" },
		      { dir, "directory" },	 { maps, "/proc/self/maps" } };

	printf("issue 16 bad input: terminal ioctls on files that are no terminal\n");
	for (unsigned f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		for (unsigned c = 0; c < sizeof(tty_cmds) / sizeof(tty_cmds[0]); c++) {
			snprintf(name, sizeof(name), "  %s on %s", tty_cmds[c].name, files[f].name);
			show(name, ioc(files[f].fd, tty_cmds[c].cmd, (long)buf));
			snprintf(name, sizeof(name), "  %s on %s, kernel pointer", tty_cmds[c].name,
				 files[f].name);
			show(name, ioc(files[f].fd, tty_cmds[c].cmd, KADDR));
		}
		int n = -1;
		snprintf(name, sizeof(name), "  FIONREAD on %s", files[f].name);
		long r = ioc(files[f].fd, FIONREAD, (long)&n);
		show(name, r);
		if (r == 0)
			printf("    count %d\n", n);
		snprintf(name, sizeof(name), "  FIONREAD on %s, NULL", files[f].name);
		show(name, ioc(files[f].fd, FIONREAD, 0));
		snprintf(name, sizeof(name), "  FIONBIO on %s, NULL", files[f].name);
		show(name, ioc(files[f].fd, FIONBIO, 0));
		snprintf(name, sizeof(name), "  FIOCLEX on %s", files[f].name);
		show(name, ioc(files[f].fd, FIOCLEX, 0));
	}
	show("  TCGETS on a closed fd", ioc(99, TCGETS, (long)buf));
	show("  TCGETS on fd -1", ioc(-1, TCGETS, (long)buf));
	close(file), close(p[0]), close(p[1]), close(null), close(dir), close(maps);
	unlink("/tmp/ttyhostile");
}

/* Bad pointers and arguments on the terminal itself, and hostile termios contents. */
static void hostile_tty(void)
{
	struct kterm saved, t, got;
	char name[96];

	mknod("/dev/ttyS0", S_IFCHR | 0600, makedev(4, 64));
	int fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY | O_NONBLOCK);
	printf("issue 16 bad input: ttyS0 (not the controlling terminal), bad pointers\n");
	if (fd < 0) {
		printf("  open /dev/ttyS0 failed\n");
		return;
	}
	ioc(fd, TCGETS, (long)&saved);
	static const unsigned long ptr_cmds[] = { TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ,
						  TIOCSWINSZ, FIONREAD, TIOCOUTQ };
	static const char *const ptr_names[] = { "TCGETS", "TCSETS", "TCSETSW", "TCSETSF",
						 "TIOCGWINSZ", "TIOCSWINSZ", "FIONREAD", "TIOCOUTQ" };
	static const long ptrs[] = { 0, KADDR, 0x800000000000L, 1 };
	static const char *const ptr_kinds[] = { "NULL", "kernel", "non-canonical", "address 1" };
	for (unsigned c = 0; c < sizeof(ptr_cmds) / sizeof(ptr_cmds[0]); c++)
		for (unsigned k = 0; k < sizeof(ptrs) / sizeof(ptrs[0]); k++) {
			snprintf(name, sizeof(name), "  %s %s", ptr_names[c], ptr_kinds[k]);
			show(name, ioc(fd, ptr_cmds[c], ptrs[k]));
		}
	/* A termios whose end runs into an unmapped page. */
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(page + 4096, 4096);
	memcpy(page + 4096 - sizeof(saved) + 1, &saved, sizeof(saved) - 1);
	show("  TCSETS, last byte unmapped", ioc(fd, TCSETS, (long)(page + 4096 - sizeof(saved) + 1)));
	show("  TCGETS, last byte unmapped", ioc(fd, TCGETS, (long)(page + 4096 - sizeof(saved) + 1)));
	ioc(fd, TCGETS, (long)&got);
	printf("  termios unchanged after the faults: %s\n",
	       memcmp(&got, &saved, sizeof(got)) ? "no" : "yes");
	show("  TCFLSH -1", ioc(fd, TCFLSH, -1));
	show("  TCFLSH 1 << 32", ioc(fd, TCFLSH, 1L << 32));
	show("  TCXONC -1", ioc(fd, TCXONC, -1));
	show("  TCXONC 1 << 32 | TCOON", ioc(fd, TCXONC, (1L << 32) | TCOON));
	show("  TIOCSCTTY arg -1 (not a session leader)", ioc(fd, TIOCSCTTY, -1));

	printf("issue 16 bad input: hostile termios values on ttyS0 (TCSETS, then TCGETS)\n");
	static const unsigned int lflags[] = { 0, ECHO | ECHOE | ECHOK | IEXTEN };
	for (int v = 0; v < 5; v++) {
		memset(&t, 0, sizeof(t));
		switch (v) {
		case 0: /* every bit of every field, every c_cc 255 */
			memset(&t, 0xff, sizeof(t));
			break;
		case 1: /* the defaults with c_line 5 and VMIN/VTIME 255 */
			t = saved;
			t.c_line = 5;
			t.c_cc[VMIN] = 255;
			t.c_cc[VTIME] = 255;
			break;
		case 2: /* nothing set, no CREAD, no speed (B0) */
			t.c_lflag = lflags[0];
			break;
		case 3: /* every special character the same byte, CS5, B50 */
			t = saved;
			memset(t.c_cc, 'a', sizeof(t.c_cc));
			t.c_cflag = (saved.c_cflag & ~(CBAUD | CSIZE)) | B50 | CS5;
			break;
		default: /* an unknown speed code, BOTHER, CBAUDEX bits */
			t = saved;
			t.c_cflag = (saved.c_cflag & ~CBAUD) | 0010017;
			t.c_lflag = lflags[1];
			break;
		}
		snprintf(name, sizeof(name), "  TCSETS variant %d", v);
		show(name, ioc(fd, TCSETS, (long)&t));
		memset(&got, 0x5a, sizeof(got));
		ioc(fd, TCGETS, (long)&got);
		show_termios("read back", &got);
	}
	printf("issue 16 item 1: TIOCSTI on ttyS0 (root: any terminal), echo off, non-canonical\n");
	t = saved;
	t.c_lflag &= ~(ICANON | ECHO | ISIG);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	show("  TCSETSF raw", ioc(fd, TCSETSF, (long)&t));
	char ch = 'x', rd[4] = "";
	show("  TIOCSTI 'x'", ioc(fd, TIOCSTI, (long)&ch));
	ch = 'y';
	show("  TIOCSTI 'y'", ioc(fd, TIOCSTI, (long)&ch));
	int n = -1;
	ioc(fd, FIONREAD, (long)&n);
	printf("  FIONREAD: %d\n", n);
	long r = read(fd, rd, sizeof(rd));
	printf("  read: %ld [%.2s]\n", r, rd);
	show("  TIOCSTI NULL", ioc(fd, TIOCSTI, 0));
	show("  TIOCSTI kernel pointer", ioc(fd, TIOCSTI, KADDR));
	show("  TIOCSTI last byte of a page, next unmapped", ioc(fd, TIOCSTI, (long)(page + 4095)));
	show("  TIOCSTI first unmapped byte", ioc(fd, TIOCSTI, (long)(page + 4096)));
	ioc(fd, TCFLSH, TCIFLUSH);
	show("  TCSETS restore", ioc(fd, TCSETS, (long)&saved));
	ioc(fd, TCGETS, (long)&got);
	printf("  restored: %s\n", memcmp(&got, &saved, sizeof(got)) ? "differs" : "same");
	close(fd);
}

/* Sessions and groups of a zombie child, and kill's group edge cases. */
static void zombie_groups(void)
{
	printf("issue 16 bad input: setpgid/getpgid/getsid/kill and a zombie child\n");
	pid_t z = fork();
	if (z == 0) {
		setpgid(0, 0);
		_exit(0);
	}
	/* a zombie, not reaped: wait until /proc/PID/stat says Z */
	for (int i = 0; i < 2000; i++) {
		char path[64], buf[256] = "";
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)z);
		int fd = open(path, O_RDONLY);
		long n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		char *p = strrchr(buf, ')');
		if (n > 0 && p && p[2] == 'Z')
			break;
		usleep(1000);
	}
	long g = sys1(SYS_getpgid, z);
	if (g == z)
		printf("  getpgid(zombie): == its pid\n");
	else
		show("  getpgid(zombie)", g);
	g = sys1(SYS_getsid, z);
	if (g == getsid(0))
		printf("  getsid(zombie): == ours\n");
	else
		show("  getsid(zombie)", g);
	show("  kill(-zombie's group, 0)", sys2(SYS_kill, -z, 0));
	show("  kill(-zombie's group, SIGUSR1)", sys2(SYS_kill, -z, SIGUSR1));
	show("  setpgid(zombie, 0)", sys2(SYS_setpgid, z, 0));
	show("  setpgid(zombie, our group)", sys2(SYS_setpgid, z, getpgrp()));
	show("  setpgid(0, zombie's group)", sys2(SYS_setpgid, 0, z));
	waitpid(z, NULL, 0);
	show("  kill(-reaped group, 0)", sys2(SYS_kill, -z, 0));
	show("  getpgid(reaped)", sys1(SYS_getpgid, z));
	show("  kill(INT_MIN, 0)", sys2(SYS_kill, INT_MIN, 0));
	show("  kill(-INT_MAX, 0)", sys2(SYS_kill, -INT_MAX, 0));
	show("  setpgid(0, INT_MIN)", sys2(SYS_setpgid, 0, INT_MIN));
	show("  setpgid(INT_MIN, 0)", sys2(SYS_setpgid, INT_MIN, 0));
	show("  getpgid(INT_MAX)", sys1(SYS_getpgid, INT_MAX));
	show("  getsid(INT_MIN)", sys1(SYS_getsid, INT_MIN));
}

/* /proc/self/status's FDSize line. */
static void fdsize(const char *what)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	char *p = strstr(buf, "FDSize:");
	printf("  %s: FDSize %ld\n", what, p ? strtol(p + 7, NULL, 10) : -1L);
}

/* select of one closed fd's bit with nfds past it: the table's size decides (EBADF or 0). */
static void select_bit(const char *what, int nfds, int bit)
{
	unsigned long set[64] = { 0 };
	struct timeval tv = { 0, 0 };
	char name[128];

	set[bit / 64] |= 1UL << (bit % 64);
	snprintf(name, sizeof(name), "  %s: select(%d, {%d})", what, nfds, bit);
	show(name, sys6(SYS_select, nfds, (long)set, 0, 0, (long)&tv, 0));
	printf("    bit %d after: %lu\n", bit, set[bit / 64] >> (bit % 64) & 1);
}

/* select's nfds against Linux's descriptor table sizes; poll's against RLIMIT_NOFILE. */
static void table_sizes(void)
{
	printf("issue 16 bad input: select's nfds and the descriptor table's size\n");
	fdsize("fresh");
	select_bit("table of 64", 100, 70);
	select_bit("table of 64", 64, 63);
	select_bit("table of 64", INT_MAX, 64);
	dup2(0, 100);
	close(100);
	fdsize("after dup2 to 100 and close");
	select_bit("table of 128", 100, 70);
	select_bit("table of 128", 200, 150);
	pid_t pid = fork();
	if (pid == 0) {
		fdsize("forked child");
		select_bit("forked child", 100, 70);
		dup2(0, 70);
		fdsize("child, fd 70 open");
		pid_t gc = fork();
		if (gc == 0) {
			fdsize("grandchild of an fd-70 parent");
			_exit(0);
		}
		waitpid(gc, NULL, 0);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	fcntl(0, F_DUPFD, 300);
	close(300);
	fdsize("after F_DUPFD 300");
	select_bit("table of 512", 1024, 600);
	show("  dup2(closed fd, 700)", sys2(SYS_dup2, 99, 700));
	fdsize("after dup2 of a closed fd to 700");
	show("  dup2(0, RLIMIT_NOFILE)", sys2(SYS_dup2, 0, 1024));
	fdsize("after dup2 to RLIMIT_NOFILE");

	printf("issue 16 bad input: poll nfds against a lowered RLIMIT_NOFILE\n");
	struct pollfd pfd[12];
	for (int i = 0; i < 12; i++)
		pfd[i] = (struct pollfd){ .fd = -1 };
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 10, 10 };
		setrlimit(RLIMIT_NOFILE, &rl);
		show("  poll nfds 10 (= limit)", sys3(SYS_poll, (long)pfd, 10, 0));
		show("  poll nfds 11 (> limit)", sys3(SYS_poll, (long)pfd, 11, 0));
		show("  ppoll nfds 11 (> limit), bad array", sys6(SYS_ppoll, 8, 11, 0, 0, 8, 0));
		select_bit("select past RLIMIT_NOFILE, inside the table", 40, 30);
		_exit(0);
	}
	waitpid(pid, NULL, 0);

	printf("issue 16 bad input: sigset sizes of ppoll and pselect6\n");
	unsigned long mask[2] = { 0, 0 };
	struct timespec ts = { 0, 0 };
	static const long sizes[] = { 0, 1, 7, 8, 9, 16, 128, -1 };
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char name[96];
		unsigned long pack[2] = { (unsigned long)mask, (unsigned long)sizes[i] };
		snprintf(name, sizeof(name), "  ppoll sigsetsize %ld", sizes[i]);
		show(name, sys6(SYS_ppoll, (long)pfd, 1, (long)&ts, (long)mask, sizes[i], 0));
		snprintf(name, sizeof(name), "  pselect6 sigsetsize %ld", sizes[i]);
		show(name, sys6(SYS_pselect6, 0, 0, 0, 0, (long)&ts, (long)pack));
		pack[0] = 0;
		snprintf(name, sizeof(name), "  pselect6 NULL sigmask, size %ld", sizes[i]);
		show(name, sys6(SYS_pselect6, 0, 0, 0, 0, (long)&ts, (long)pack));
	}
	show("  pselect6 pack at a kernel address", sys6(SYS_pselect6, 0, 0, 0, 0, (long)&ts, KADDR));
	show("  ppoll sigmask at a kernel address", sys6(SYS_ppoll, (long)pfd, 1, (long)&ts, KADDR, 8, 0));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	wrong_files();
	hostile_tty();
	zombie_groups();
	table_sizes();
	return 0;
}
