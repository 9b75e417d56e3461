/* timens: time namespaces (Linux 6.1's kernel/time/namespace.c, fs/proc/base.c's
 * timens_offsets, fs/proc/namespaces.c; docs/timers.md). Raw system calls: /proc/self/ns/time
 * and time_for_children before and after unshare(CLONE_NEWTIME); /proc/self/timens_offsets read
 * and written (its format, the parse errors, ERANGE, EACCES for the initial namespace and once
 * a task entered, the opener's CAP_SYS_TIME, EPERM without CAP_SYS_ADMIN); a forked child that
 * sees MONOTONIC (RAW, COARSE) and BOOTTIME (ALARM) shifted, not REALTIME, sleeps and arms
 * timers at absolute times of its namespace, reads /proc/uptime and sysinfo shifted, and setns
 * back (EUSERS with a second thread, EINVAL for a wrong type or file, EBADF); vfork after
 * unshare (EINVAL); clone3(CLONE_NEWTIME). Differences are printed rounded to seconds. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>

#include "common.h"

#define CLONE_NEWTIME 0x00000080
#define CLONE_NEWNS 0x00020000
#define CLOCK_BOOTTIME_ALARM_ID 9
#define TFD_TIMER_ABSTIME 1
#define CAP_SYS_ADMIN 21
#define CAP_SYS_TIME 25
#define EUSERS_NR 87

static const char *OFFSETS = "/proc/self/timens_offsets";

/* show() with EUSERS named (common.h's table does not have it). */
static void show2(const char *what, long r)
{
	if (r == -EUSERS_NR)
		printf("%s: -1 EUSERS\n", what);
	else
		show(what, r);
}

/* A clock's value in ns by the raw syscall. */
static int64_t clock_ns(int clk)
{
	struct timespec ts;

	if (sys2(SYS_clock_gettime, clk, (long)&ts))
		return -1;
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A difference of ns rounded to whole seconds. */
static long secs(int64_t d)
{
	return lround((double)d / 1e9);
}

/* Prints the file's text, each line prefixed. */
static void print_file(const char *what, const char *path)
{
	char buf[512];
	int fd = (int)sys2(SYS_open, (long)path, O_RDONLY);
	long n = fd < 0 ? fd : sys3(SYS_read, fd, (long)buf, sizeof(buf) - 1);

	if (fd >= 0)
		sys1(SYS_close, fd);
	if (is_err(n)) {
		show(what, n);
		return;
	}
	buf[n] = '\0';
	printf("%s:\n%s", what, buf);
}

/* Writes text to the offsets file through a new descriptor, printing the result. */
static void write_offsets(const char *what, const char *text)
{
	int fd = (int)sys2(SYS_open, (long)OFFSETS, O_WRONLY);

	if (fd < 0) {
		show(what, fd);
		return;
	}
	show(what, sys3(SYS_write, fd, (long)text, (long)strlen(text)));
	sys1(SYS_close, fd);
}

/* The target of a /proc/self/ns link, into buf ("" after an error, which is printed). */
static void ns_link(const char *name, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	long n = sys3(SYS_readlink, (long)path, (long)buf, (long)size - 1);
	if (is_err(n)) {
		show(path, n);
		n = 0;
	}
	buf[n] = '\0';
}

/* Whether the time namespace link name names the initial namespace, or the same as other. */
static void print_ns(const char *name, const char *init)
{
	char link[64];

	ns_link(name, link, sizeof(link));
	printf("ns/%s: %s\n", name, !strcmp(link, init) ? "the initial namespace" : "another one");
}

/* Drops capability cap from the effective set (capset). */
static void drop_cap(int cap)
{
	struct {
		unsigned version;
		int pid;
	} hdr = { 0x20080522, 0 };
	struct {
		unsigned eff, prm, inh;
	} data[2];

	sys2(SYS_capget, (long)&hdr, (long)data);
	data[cap / 32].eff &= ~(1u << (cap % 32));
	show("capset", sys2(SYS_capset, (long)&hdr, (long)data));
}

static char init_link[64];
static int init_fd; /* /proc/self/ns/time, opened before any unshare */

/* The errors of a write, in a namespace not entered yet. */
static void offsets_errors(void)
{
	char big[5000];
	int fd;

	write_offsets("no nanoseconds", "monotonic 1");
	write_offsets("no seconds", "monotonic");
	write_offsets("realtime", "realtime 1 0");
	write_offsets("clock 0", "0 1 0");
	write_offsets("nanoseconds 1e9", "monotonic 1 1000000000");
	write_offsets("negative nanoseconds", "boottime 1 -1");
	write_offsets("plus sign", "monotonic +1 0");
	write_offsets("seconds past KTIME_SEC_MAX", "monotonic 9223372037 0");
	write_offsets("below zero now", "monotonic -100000000 0");
	write_offsets("past KTIME_SEC_MAX/2", "boottime 4611686019 0");
	write_offsets("bad second line", "monotonic 1 0\nfoo");
	write_offsets("empty line between", "monotonic 1 0\n\nboottime 1 0");
	write_offsets("empty", "");
	memset(big, ' ', sizeof(big));
	memcpy(big, "monotonic 1 0", 13);
	big[4095] = '\0';
	write_offsets("4095 bytes", big);
	big[4095] = ' ';
	big[4096] = '\0';
	write_offsets("4096 bytes", big);
	fd = (int)sys2(SYS_open, (long)OFFSETS, O_WRONLY);
	show("pwrite at 1", sys4(SYS_pwrite64, fd, (long)"monotonic 1 0", 13, 1));
	show("lseek SEEK_END", sys3(SYS_lseek, fd, 0, SEEK_END));
	show("lseek to 1", sys3(SYS_lseek, fd, 1, SEEK_SET));
	show("write at 1", sys3(SYS_write, fd, (long)"monotonic 1 0", 13));
	sys1(SYS_close, fd);
	print_file("after the errors (the 4095 bytes set monotonic 1)", OFFSETS);
	write_offsets("three lines (count to the second)",
		      "monotonic 5 0\nboottime 6 0\nmonotonic 7 0");
	print_file("after three lines", OFFSETS);
	write_offsets("numeric ids, long word, junk after", "1 11 5\n7 12 6 junk");
	print_file("numeric", OFFSETS);
	write_offsets("word of 10 letters", "monotonicX 1 0");
	write_offsets("leading blanks", "  boottime   3   4\n");
	print_file("leading blanks", OFFSETS);
}

/* Unprivileged: the opener's CAP_SYS_TIME counts; unshare, setns and clone3 need CAP_SYS_ADMIN. */
static void unprivileged(void)
{
	show("unshare", sys1(SYS_unshare, CLONE_NEWTIME));
	int fd1 = (int)sys2(SYS_open, (long)OFFSETS, O_WRONLY);
	drop_cap(CAP_SYS_TIME);
	write_offsets("write without CAP_SYS_TIME", "monotonic 1 0");
	show("write through the fd opened with it",
	     sys3(SYS_write, fd1, (long)"monotonic 1 0", 13));
	print_file("offsets", OFFSETS);
	drop_cap(CAP_SYS_ADMIN);
	show("unshare without CAP_SYS_ADMIN", sys1(SYS_unshare, CLONE_NEWTIME));
	show("setns without CAP_SYS_ADMIN", sys2(SYS_setns, init_fd, CLONE_NEWTIME));
	uint64_t args[11] = { CLONE_NEWTIME, 0, 0, 0, SIGCHLD };
	show("clone3(CLONE_NEWTIME) without CAP_SYS_ADMIN", sys2(435, (long)args, 88));
}

static int main_pid;

/* Another user: no ptrace access to root's process, so its ns links are EACCES; its offsets file
 * is root's 0644. */
static void stranger(void)
{
	char path[64], buf[64];

	show("setresuid 1000", sys3(SYS_setresuid, 1000, 1000, 1000));
	snprintf(path, sizeof(path), "/proc/%d/ns/time", main_pid);
	show("readlink of root's ns/time", sys3(SYS_readlink, (long)path, (long)buf, sizeof(buf)));
	show("open of root's ns/time", sys2(SYS_open, (long)path, O_RDONLY));
	snprintf(path, sizeof(path), "/proc/%d/timens_offsets", main_pid);
	show("open of root's timens_offsets to write", sys2(SYS_open, (long)path, O_WRONLY));
	show_ok("open of root's timens_offsets to read", sys2(SYS_open, (long)path, O_RDONLY));
}

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int64_t parent_mono, parent_boot, parent_real;
static double parent_uptime;

/* /proc/uptime's first number. */
static double uptime(void)
{
	char buf[64] = "";
	int fd = (int)sys2(SYS_open, (long)"/proc/uptime", O_RDONLY);

	sys3(SYS_read, fd, (long)buf, sizeof(buf) - 1);
	sys1(SYS_close, fd);
	return atof(buf);
}

/* A child in the namespace the parent made and set: offsets 1000 s and 2000.25 s. */
static void in_namespace(void)
{
	struct timespec ts;
	int64_t t0, t1;

	printf("MONOTONIC - parent's: %ld\n", secs(clock_ns(CLOCK_MONOTONIC) - parent_mono));
	printf("MONOTONIC_RAW - parent's MONOTONIC: %ld\n",
	       secs(clock_ns(CLOCK_MONOTONIC_RAW) - parent_mono));
	printf("MONOTONIC_COARSE - parent's MONOTONIC: %ld\n",
	       secs(clock_ns(CLOCK_MONOTONIC_COARSE) - parent_mono));
	printf("BOOTTIME - parent's: %ld\n", secs(clock_ns(CLOCK_BOOTTIME) - parent_boot));
	printf("BOOTTIME_ALARM - parent's BOOTTIME: %ld\n",
	       secs(clock_ns(CLOCK_BOOTTIME_ALARM_ID) - parent_boot));
	printf("REALTIME - parent's: %ld\n", secs(clock_ns(CLOCK_REALTIME) - parent_real));
	printf("/proc/uptime - parent's: %ld\n", lround(uptime() - parent_uptime));
	struct sysinfo si;
	sys1(SYS_sysinfo, (long)&si);
	long d = si.uptime - lround(parent_uptime);
	printf("sysinfo uptime - parent's: %s\n", d >= 1999 && d <= 2002 ? "about 2000" : "wrong");
	print_ns("time", init_link);
	print_ns("time_for_children", init_link);
	printf("MONOTONIC - BOOTTIME: %ld\n",
	       secs(clock_ns(CLOCK_MONOTONIC) - clock_ns(CLOCK_BOOTTIME)));
	print_file("offsets in the child", OFFSETS);
	write_offsets("write after entering", "monotonic 1 0");

	/* An absolute sleep 300 ms ahead on the namespace's clock, and one before its zero. */
	t0 = clock_ns(CLOCK_REALTIME);
	int64_t target = clock_ns(CLOCK_MONOTONIC) + 300000000;
	ts.tv_sec = target / 1000000000;
	ts.tv_nsec = target % 1000000000;
	show("clock_nanosleep MONOTONIC abs +300ms",
	     sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, (long)&ts, 0));
	t1 = clock_ns(CLOCK_REALTIME);
	printf("slept 0.25..2 s: %s\n",
	       t1 - t0 >= 250000000 && t1 - t0 < 2000000000 ? "yes" : "no");
	ts.tv_sec = 500;
	ts.tv_nsec = 0;
	t0 = clock_ns(CLOCK_REALTIME);
	show("clock_nanosleep BOOTTIME abs 500 s (before the offset)",
	     sys4(SYS_clock_nanosleep, CLOCK_BOOTTIME, TIMER_ABSTIME, (long)&ts, 0));
	t1 = clock_ns(CLOCK_REALTIME);
	printf("returned at once: %s\n", t1 - t0 < 200000000 ? "yes" : "no");

	/* timerfd on BOOTTIME, absolute 300 ms ahead. */
	int tfd = (int)sys2(SYS_timerfd_create, CLOCK_BOOTTIME, 0);
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	target = clock_ns(CLOCK_BOOTTIME) + 300000000;
	its.it_value.tv_sec = target / 1000000000;
	its.it_value.tv_nsec = target % 1000000000;
	t0 = clock_ns(CLOCK_REALTIME);
	show("timerfd_settime BOOTTIME abs +300ms",
	     sys4(SYS_timerfd_settime, tfd, TFD_TIMER_ABSTIME, (long)&its, 0));
	sys4(SYS_timerfd_gettime, tfd, (long)&its, 0, 0);
	printf("timerfd_gettime: %ld s left\n", (long)its.it_value.tv_sec);
	uint64_t exp = 0;
	sys3(SYS_read, tfd, (long)&exp, sizeof(exp));
	t1 = clock_ns(CLOCK_REALTIME);
	printf("timerfd expirations %llu after 0.25..2 s: %s\n", (unsigned long long)exp,
	       t1 - t0 >= 250000000 && t1 - t0 < 2000000000 ? "yes" : "no");
	sys1(SYS_close, tfd);

	/* A POSIX timer on MONOTONIC, absolute 10 s ahead: 10 s left. */
	struct sigevent sev;
	int id = -1;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_NONE;
	show("timer_create", sys3(SYS_timer_create, CLOCK_MONOTONIC, (long)&sev, (long)&id));
	target = clock_ns(CLOCK_MONOTONIC) + 10000000000LL;
	its.it_value.tv_sec = target / 1000000000;
	its.it_value.tv_nsec = target % 1000000000;
	show("timer_settime abs +10s", sys4(SYS_timer_settime, id, TIMER_ABSTIME, (long)&its, 0));
	sys2(SYS_timer_gettime, id, (long)&its);
	printf("timer_gettime: %ld s left\n",
	       lround(its.it_value.tv_sec + its.it_value.tv_nsec / 1e9));

	/* setns: a wrong type, a file that is no namespace, a bad fd, a second thread, then back.
	 */
	show("setns CLONE_NEWNS type", sys2(SYS_setns, init_fd, CLONE_NEWNS));
	int other = (int)sys2(SYS_open, (long)"/proc/uptime", O_RDONLY);
	show("setns of /proc/uptime", sys2(SYS_setns, other, 0));
	show("setns of fd 999", sys2(SYS_setns, 999, CLONE_NEWTIME));
	pthread_t th;
	pthread_create(&th, NULL, idle_thread, NULL);
	show2("setns with two threads", sys2(SYS_setns, init_fd, CLONE_NEWTIME));
	fflush(stdout);
	/* a second thread stays: the rest runs in a grandchild, single-threaded */
	pid_t pid = fork();
	if (pid == 0) {
		show("setns back (type 0)", sys2(SYS_setns, init_fd, 0));
		print_ns("time", init_link);
		print_ns("time_for_children", init_link);
		printf("MONOTONIC - BOOTTIME after setns: %ld\n",
		       secs(clock_ns(CLOCK_MONOTONIC) - clock_ns(CLOCK_BOOTTIME)));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

/* clone3(CLONE_NEWTIME): the child is in a new namespace with the offsets of the parent's
 * children's namespace, frozen. */
static void clone3_child(void)
{
	uint64_t args[11] = { CLONE_NEWTIME, 0, 0, 0, SIGCHLD };
	fflush(stdout);
	long pid = sys2(435, (long)args, 88);

	if (pid == 0) {
		print_ns("time", init_link);
		printf("MONOTONIC - parent's: %ld\n",
		       secs(clock_ns(CLOCK_MONOTONIC) - parent_mono));
		print_file("offsets", OFFSETS);
		write_offsets("write", "monotonic 1 0");
		fflush(stdout);
		_exit(0);
	}
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	show_ok("clone3(CLONE_NEWTIME)", pid);
}

int main(void)
{
	struct stat st;
	char link[64];
	int st_child;

	setvbuf(stdout, NULL, _IONBF, 0);
	ns_link("time", init_link, sizeof(init_link));
	printf("ns/time: %s\n", init_link);
	ns_link("time_for_children", link, sizeof(link));
	printf("ns/time_for_children: %s\n", link);
	init_fd = (int)sys2(SYS_open, (long)"/proc/self/ns/time", O_RDONLY);
	show_ok("open ns/time", init_fd);
	sys2(SYS_fstat, init_fd, (long)&st);
	printf("its inode is the link's number: %s\n",
	       (unsigned long)st.st_ino == strtoul(init_link + 6, NULL, 10) ? "yes" : "no");
	print_file("offsets of the initial namespace", OFFSETS);
	write_offsets("write in the initial namespace", "monotonic 1 0");
	write_offsets("bad write in the initial namespace", "monotonic 1");
	show("unshare(-1)", sys1(SYS_unshare, -1));
	show("unshare(0)", sys1(SYS_unshare, 0));
	show("unshare(1 << 32)", sys1(SYS_unshare, 1L << 32));
	show("unshare(CLONE_FILES | CLONE_FS | CLONE_SYSVSEM)",
	     sys1(SYS_unshare, CLONE_FILES | CLONE_FS | CLONE_SYSVSEM));
	show("unshare(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM), single-threaded",
	     sys1(SYS_unshare, CLONE_THREAD | CLONE_SIGHAND | CLONE_VM));

	parent_mono = clock_ns(CLOCK_MONOTONIC);
	clone3_child();

	st_child = child_status(unprivileged);
	printf("unprivileged child: %d\n", st_child);
	main_pid = getpid();
	st_child = child_status(stranger);
	printf("other user's child: %d\n", st_child);

	show("unshare(CLONE_NEWTIME)", sys1(SYS_unshare, CLONE_NEWTIME));
	print_ns("time", init_link);
	print_ns("time_for_children", init_link);
	ns_link("time_for_children", link, sizeof(link));
	show("stat ns/time_for_children",
	     sys2(SYS_stat, (long)"/proc/self/ns/time_for_children", (long)&st));
	printf("its inode is the link's number: %s\n",
	       (unsigned long)st.st_ino == strtoul(link + 6, NULL, 10) ? "yes" : "no");
	print_file("offsets after unshare", OFFSETS);
	offsets_errors();
	write_offsets("set", "monotonic 1000 0\nboottime 2000 250000000\n");
	print_file("offsets set", OFFSETS);
	fflush(stdout);
	pid_t vp = vfork();
	if (vp == 0)
		_exit(0);
	if (vp > 0)
		waitpid(vp, NULL, 0);
	show_ok("vfork after unshare", vp < 0 ? -errno : vp);
	printf("parent's MONOTONIC unchanged: %s\n",
	       secs(clock_ns(CLOCK_MONOTONIC) - clock_ns(CLOCK_BOOTTIME)) == 0 ? "yes" : "no");

	parent_mono = clock_ns(CLOCK_MONOTONIC);
	parent_boot = clock_ns(CLOCK_BOOTTIME);
	parent_real = clock_ns(CLOCK_REALTIME);
	parent_uptime = uptime();
	st_child = child_status(in_namespace);
	printf("child: %d\n", st_child);
	write_offsets("write after a child entered", "monotonic 1 0");
	print_file("offsets", OFFSETS);
	parent_mono = clock_ns(CLOCK_MONOTONIC);
	clone3_child();
	return 0;
}
