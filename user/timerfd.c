/* timerfd: issue 21 item 4, timerfd_create/settime/gettime and the file's read, poll and
 * fdinfo as Linux 6.1 has them, and clock_settime / settimeofday (EINVAL, EFAULT, EPERM without
 * CAP_SYS_TIME, a change visible in CLOCK_REALTIME only, TFD_TIMER_CANCEL_ON_SET's ECANCELED).
 * The wall clock is put back at the end. Counts and times are printed as ranges.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define BAD ((long)0x10)
#define TFD_TIMER_ABSTIME 1
#define TFD_TIMER_CANCEL_ON_SET 2
#define TFD_CLOEXEC O_CLOEXEC
#define TFD_NONBLOCK O_NONBLOCK

struct kspec {
	struct timespec interval, value;
};

static long tfd_create(int clock, int flags)
{
	return sys2(SYS_timerfd_create, clock, flags);
}

static long tfd_set(int fd, int flags, const struct kspec *n, struct kspec *o)
{
	return sys4(SYS_timerfd_settime, fd, flags, (long)n, (long)o);
}

static long tfd_get(int fd, struct kspec *o)
{
	return sys2(SYS_timerfd_gettime, fd, (long)o);
}

static long long ns(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static long long now_ns(int clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return ns(&ts);
}

static struct timespec ns_ts(long long v)
{
	return (struct timespec){ v / 1000000000, v % 1000000000 };
}

static void yes(const char *what, int cond)
{
	printf("%s: %s\n", what, cond ? "yes" : "no");
}

static long rd(int fd, uint64_t *v)
{
	return sys3(SYS_read, fd, (long)v, 8);
}

static int readable(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	return sys3(SYS_poll, (long)&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void create_show(const char *what, int clock, int flags)
{
	long r = tfd_create(clock, flags);
	show_ok(what, r);
	if (!is_err(r))
		close((int)r);
}

static void creation(void)
{
	create_show("create(MONOTONIC)", CLOCK_MONOTONIC, 0);
	create_show("create(REALTIME)", CLOCK_REALTIME, 0);
	create_show("create(BOOTTIME)", CLOCK_BOOTTIME, 0);
	create_show("create(REALTIME_ALARM)", 8, 0);
	create_show("create(BOOTTIME_ALARM)", 9, 0);
	create_show("create(PROCESS_CPUTIME_ID)", CLOCK_PROCESS_CPUTIME_ID, 0);
	create_show("create(THREAD_CPUTIME_ID)", CLOCK_THREAD_CPUTIME_ID, 0);
	create_show("create(MONOTONIC_RAW)", CLOCK_MONOTONIC_RAW, 0);
	create_show("create(REALTIME_COARSE)", CLOCK_REALTIME_COARSE, 0);
	create_show("create(TAI)", 11, 0);
	create_show("create(-1)", -1, 0);
	create_show("create(MONOTONIC, TFD_TIMER_ABSTIME)", CLOCK_MONOTONIC, TFD_TIMER_ABSTIME);
	create_show("create(MONOTONIC, O_RDWR)", CLOCK_MONOTONIC, O_RDWR);
	create_show("create(99, 0x1000)", 99, 0x1000);
	int fd = (int)tfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	printf("NONBLOCK|CLOEXEC: F_GETFL %#o F_GETFD %d\n", fcntl(fd, F_GETFL), fcntl(fd, F_GETFD));
	int fd2 = (int)tfd_create(CLOCK_MONOTONIC, 0);
	printf("0: F_GETFL %#o F_GETFD %d\n", fcntl(fd2, F_GETFL), fcntl(fd2, F_GETFD));
	char link[64] = { 0 }, path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	readlink(path, link, sizeof link - 1);
	printf("fd link: %s\n", link);
	struct stat st;
	fstat(fd, &st);
	printf("fstat: mode %#o size %lld nlink %ld\n", st.st_mode, (long long)st.st_size, (long)st.st_nlink);
	struct stat st2;
	fstat(fd2, &st2);
	yes("two timerfds share one inode", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	char b[8];
	show("write", sys3(SYS_write, fd, (long)b, 8));
	show("lseek", sys3(SYS_lseek, fd, 0, SEEK_SET));
	show("pread", sys4(SYS_pread64, fd, (long)b, 8, 0));
	close(fd);
	close(fd2);
}

static void errors(void)
{
	int fd = (int)tfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	int p[2];
	pipe(p);
	struct kspec s = { { 0, 0 }, { 1, 0 } }, o;
	show("settime(bad fd)", tfd_set(999, 0, &s, NULL));
	show("settime(-1)", tfd_set(-1, 0, &s, NULL));
	show("settime(a pipe)", tfd_set(p[0], 0, &s, NULL));
	show("settime(flags 4)", tfd_set(fd, 4, &s, NULL));
	show("settime(bad fd, flags 4)", tfd_set(999, 4, &s, NULL));
	show("settime(bad fd, bad value)", tfd_set(999, 0, (void *)BAD, NULL));
	show("settime(NULL value)", tfd_set(fd, 0, NULL, NULL));
	struct kspec b = { { 0, 0 }, { 0, 1000000000 } };
	show("settime(nsec 10^9)", tfd_set(fd, 0, &b, NULL));
	b = (struct kspec){ { -1, 0 }, { 1, 0 } };
	show("settime(interval sec -1)", tfd_set(fd, 0, &b, NULL));
	show("settime(bad fd, sec -1)", tfd_set(999, 0, &b, NULL));
	show("settime(CANCEL_ON_SET without ABSTIME)", tfd_set(fd, TFD_TIMER_CANCEL_ON_SET, &s, NULL));
	show("settime(MONOTONIC, ABSTIME|CANCEL_ON_SET, 1 s)", tfd_set(fd, 3, &s, NULL));
	show("settime(1 s, bad old)", tfd_set(fd, 0, &s, (void *)BAD));
	show("gettime", tfd_get(fd, &o));
	yes("armed anyway: value in (0.9 s, 1 s]", ns(&o.value) > 900000000 && ns(&o.value) <= 1000000000);
	show("gettime(bad fd)", tfd_get(999, &o));
	show("gettime(a pipe)", tfd_get(p[0], &o));
	show("gettime(bad pointer)", tfd_get(fd, (void *)BAD));
	show("gettime(bad fd, bad pointer)", tfd_get(999, (void *)BAD));
	uint64_t v;
	show("read(4 bytes)", sys3(SYS_read, fd, (long)&v, 4));
	show("read(8 bytes) before expiry, nonblocking", rd(fd, &v));
	show("read(bad pointer) before expiry", sys3(SYS_read, fd, BAD, 8));
	close(fd);
}

static void values(void)
{
	int fd = (int)tfd_create(CLOCK_MONOTONIC, 0);
	struct kspec s = { { 0, 500000000 }, { 2, 0 } }, o;
	show("gettime of a new timerfd", tfd_get(fd, &o));
	printf("value %lld interval %lld\n", ns(&o.value), ns(&o.interval));
	show("settime(2 s every 0.5 s)", tfd_set(fd, 0, &s, &o));
	printf("old: value %lld interval %lld\n", ns(&o.value), ns(&o.interval));
	tfd_get(fd, &o);
	yes("value in (1.9 s, 2 s]", ns(&o.value) > 1900000000 && ns(&o.value) <= 2000000000);
	printf("interval %lld\n", ns(&o.interval));
	/* fdinfo */
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	int f = open(path, O_RDONLY);
	long n = read(f, buf, sizeof buf - 1);
	close(f);
	buf[n > 0 ? n : 0] = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "mnt_id:", 7) || !strncmp(line, "ino:", 4))
			continue;
		if (!strncmp(line, "it_value:", 9)) {
			unsigned long long sec, nsec;
			sscanf(line, "it_value: (%llu, %llu)", &sec, &nsec);
			printf("fdinfo it_value: (%llu, ...)\n", sec);
			continue;
		}
		printf("fdinfo %s\n", line);
	}
	struct kspec z = { { 3, 0 }, { 0, 0 } };
	show("settime(value 0, interval 3 s): disarms", tfd_set(fd, 0, &z, &o));
	yes("old value in (1.9 s, 2 s]", ns(&o.value) > 1900000000 && ns(&o.value) <= 2000000000);
	printf("old interval %lld\n", ns(&o.interval));
	tfd_get(fd, &o);
	printf("after disarm: value %lld interval %lld\n", ns(&o.value), ns(&o.interval));
	/* absolute */
	struct kspec a = { { 0, 0 }, ns_ts(now_ns(CLOCK_MONOTONIC) + 3000000000LL) };
	show("settime(ABSTIME, monotonic now + 3 s)", tfd_set(fd, TFD_TIMER_ABSTIME, &a, NULL));
	tfd_get(fd, &o);
	yes("value in (2.9 s, 3 s]", ns(&o.value) > 2900000000LL && ns(&o.value) <= 3000000000LL);
	close(fd);
	fd = (int)tfd_create(CLOCK_REALTIME, 0);
	a.value = ns_ts(now_ns(CLOCK_REALTIME) + 4000000000LL);
	show("REALTIME settime(ABSTIME, now + 4 s)", tfd_set(fd, TFD_TIMER_ABSTIME, &a, NULL));
	tfd_get(fd, &o);
	yes("value in (3.9 s, 4 s]", ns(&o.value) > 3900000000LL && ns(&o.value) <= 4000000000LL);
	a.value = ns_ts(now_ns(CLOCK_REALTIME) + 100000000LL);
	long long t0 = now_ns(CLOCK_MONOTONIC);
	tfd_set(fd, TFD_TIMER_ABSTIME, &a, NULL);
	uint64_t v = 0;
	long r = rd(fd, &v);
	long long dt = now_ns(CLOCK_MONOTONIC) - t0;
	printf("REALTIME ABSTIME now + 100 ms: read %ld, count %llu\n", r, (unsigned long long)v);
	yes("after >= 90 ms", dt >= 90000000);
	tfd_get(fd, &o);
	printf("after it fired: value %lld interval %lld\n", ns(&o.value), ns(&o.interval));
	a.value = (struct timespec){ 1, 0 };
	tfd_set(fd, TFD_TIMER_ABSTIME, &a, NULL);
	sleep_ms(20);
	yes("ABSTIME in the past: readable at once", readable(fd));
	r = rd(fd, &v);
	printf("read %ld, count %llu\n", r, (unsigned long long)v);
	close(fd);
}

static void reading(void)
{
	int fd = (int)tfd_create(CLOCK_MONOTONIC, 0);
	struct kspec s = { { 0, 0 }, { 0, 50000000 } }, o;
	uint64_t v = 0;
	long long t0 = now_ns(CLOCK_MONOTONIC);
	tfd_set(fd, 0, &s, NULL);
	yes("not readable before expiry", !readable(fd));
	long r = rd(fd, &v);
	long long dt = now_ns(CLOCK_MONOTONIC) - t0;
	printf("blocking read: %ld, count %llu\n", r, (unsigned long long)v);
	yes("after >= 50 ms", dt >= 50000000);
	yes("not readable after the read", !readable(fd));
	/* periodic: 10 ms, 105 ms asleep: about 10 expirations, counted at the read */
	s = (struct kspec){ { 0, 10000000 }, { 0, 10000000 } };
	tfd_set(fd, 0, &s, NULL);
	sleep_ms(105);
	yes("readable", readable(fd));
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	struct timeval tv = { 0, 0 };
	printf("select: %d\n", select(fd + 1, &rs, NULL, NULL, &tv));
	r = rd(fd, &v);
	printf("read: %ld\n", r);
	yes("count in [8, 30]", v >= 8 && v <= 30);
	tfd_get(fd, &o);
	yes("after the read: value in (0, 10 ms]", ns(&o.value) > 0 && ns(&o.value) <= 10000000);
	/* gettime re-arms too and keeps the count */
	sleep_ms(55);
	tfd_get(fd, &o);
	yes("gettime after 55 ms: value in (0, 10 ms]", ns(&o.value) > 0 && ns(&o.value) <= 10000000);
	r = rd(fd, &v);
	yes("then read: count in [4, 30]", r == 8 && v >= 4 && v <= 30);
	/* settime of an expired periodic timer: old value is the time to its next period */
	sleep_ms(25);
	struct kspec z = { { 0, 0 }, { 0, 0 } };
	tfd_set(fd, 0, &z, &o);
	yes("old value in (0, 10 ms]", ns(&o.value) > 0 && ns(&o.value) <= 10000000);
	printf("old interval %lld\n", ns(&o.interval));
	yes("disarmed: not readable (the count is reset)", !readable(fd));
	/* read into a bad buffer: EFAULT, and the count is gone */
	s = (struct kspec){ { 0, 0 }, { 0, 1000000 } };
	tfd_set(fd, 0, &s, NULL);
	sleep_ms(20);
	show("read(bad pointer) after expiry", sys3(SYS_read, fd, BAD, 8));
	yes("readable after the EFAULT", readable(fd));
	/* a read interrupted by a signal */
	s = (struct kspec){ { 0, 0 }, { 5, 0 } };
	tfd_set(fd, 0, &s, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sa.sa_handler = (void (*)(int))(void *)1; /* replaced below */
	signal(SIGUSR1, SIG_DFL);
	fflush(stdout);
	pid_t parent = getpid(), c = fork();
	if (c == 0) {
		sleep_ms(50);
		kill(parent, SIGUSR2);
		_exit(0);
	}
	struct sigaction h;
	memset(&h, 0, sizeof h);
	h.sa_handler = (void (*)(int))SIG_IGN;
	void on_usr2(int);
	h.sa_handler = on_usr2;
	sigaction(SIGUSR2, &h, NULL);
	r = rd(fd, &v);
	waitpid(c, NULL, 0);
	show("read interrupted by a handled signal", r);
	close(fd);
}

void on_usr2(int sig)
{
	(void)sig;
}

static struct timespec realtime_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

static void set_realtime(long long t)
{
	struct timespec ts = ns_ts(t);
	sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&ts);
}

static void clocks(void)
{
	struct timespec ts = realtime_now();
	show("clock_settime(MONOTONIC)", sys2(SYS_clock_settime, CLOCK_MONOTONIC, (long)&ts));
	show("clock_settime(MONOTONIC, bad)", sys2(SYS_clock_settime, CLOCK_MONOTONIC, BAD));
	show("clock_settime(BOOTTIME)", sys2(SYS_clock_settime, CLOCK_BOOTTIME, (long)&ts));
	show("clock_settime(TAI)", sys2(SYS_clock_settime, 11, (long)&ts));
	show("clock_settime(REALTIME_COARSE)", sys2(SYS_clock_settime, CLOCK_REALTIME_COARSE, (long)&ts));
	show("clock_settime(PROCESS_CPUTIME_ID)", sys2(SYS_clock_settime, CLOCK_PROCESS_CPUTIME_ID, (long)&ts));
	show("clock_settime(pid 0 SCHED clock)", sys2(SYS_clock_settime, (int)((~0u << 3) | 2), (long)&ts));
	show("clock_settime(pid 99999 clock)", sys2(SYS_clock_settime, (int)((~99999u << 3) | 2), (long)&ts));
	show("clock_settime(pid 0 clock, bad)", sys2(SYS_clock_settime, (int)((~0u << 3) | 2), BAD));
	show("clock_settime(CLOCKFD of fd 0)", sys2(SYS_clock_settime, (int)((~0u << 3) | 3), (long)&ts));
	show("clock_settime(12)", sys2(SYS_clock_settime, 12, (long)&ts));
	show("clock_settime(REALTIME, bad)", sys2(SYS_clock_settime, CLOCK_REALTIME, BAD));
	struct timespec b = { ts.tv_sec, 1000000000 };
	show("clock_settime(REALTIME, nsec 10^9)", sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&b));
	b = (struct timespec){ -1, 0 };
	show("clock_settime(REALTIME, sec -1)", sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&b));
	b = (struct timespec){ 0, 0 };
	show("clock_settime(REALTIME, 0: before boot)", sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&b));
	b = (struct timespec){ 0x7fffffffffffffffLL, 0 };
	show("clock_settime(REALTIME, LONG_MAX s)", sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&b));

	/* a CANCEL_ON_SET timerfd, then the clock moved 1000 s on */
	int fd = (int)tfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	struct kspec s = { { 0, 0 }, ns_ts(now_ns(CLOCK_REALTIME) + 10000000000LL) };
	show("settime(REALTIME, ABSTIME|CANCEL_ON_SET, now + 10 s)",
	     tfd_set(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &s, NULL));
	uint64_t v;
	show("read before", rd(fd, &v));
	long long r0 = now_ns(CLOCK_REALTIME), m0 = now_ns(CLOCK_MONOTONIC);
	b = ns_ts(r0 + 1000000000000LL);
	show("clock_settime(REALTIME, now + 1000 s)", sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&b));
	long long r1 = now_ns(CLOCK_REALTIME), m1 = now_ns(CLOCK_MONOTONIC);
	yes("REALTIME moved by 1000 s", r1 - r0 >= 1000000000000LL && r1 - r0 < 1001000000000LL);
	yes("MONOTONIC did not", m1 - m0 < 1000000000LL);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	yes("gettimeofday too", (long long)tv.tv_sec * 1000000000 - r0 >= 999000000000LL);
	yes("readable (cancelled)", readable(fd));
	show("read after the change", rd(fd, &v));
	show("read again", rd(fd, &v));
	close(fd);
	/* settimeofday */
	struct timeval t = { tv.tv_sec, 1000000 };
	show("settimeofday(usec 10^6)", sys2(SYS_settimeofday, (long)&t, 0));
	t.tv_usec = -1;
	show("settimeofday(usec -1)", sys2(SYS_settimeofday, (long)&t, 0));
	show("settimeofday(bad, NULL)", sys2(SYS_settimeofday, BAD, 0));
	show("settimeofday(NULL, bad)", sys2(SYS_settimeofday, 0, BAD));
	int tz[2] = { 901, 0 };
	show("settimeofday(NULL, tz 901 min)", sys2(SYS_settimeofday, 0, (long)tz));
	tz[0] = -901;
	show("settimeofday(NULL, tz -901 min)", sys2(SYS_settimeofday, 0, (long)tz));
	t = (struct timeval){ (time_t)(r0 / 1000000000), 0 };
	show("settimeofday(back to the start)", sys2(SYS_settimeofday, (long)&t, 0));
	yes("REALTIME back", llabs(now_ns(CLOCK_REALTIME) - r0) < 2000000000LL);
	show("settimeofday(NULL, NULL)", sys2(SYS_settimeofday, 0, 0));
	/* put the clock back where it would be */
	set_realtime(r0 + (now_ns(CLOCK_MONOTONIC) - m0));
}

static void unprivileged(void)
{
	if (sys1(SYS_setuid, 65534)) {
		printf("setuid failed\n");
		return;
	}
	struct timespec ts = realtime_now();
	show("clock_settime(REALTIME) as nobody", sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&ts));
	struct timespec b = { ts.tv_sec, 1000000000 };
	show("clock_settime(REALTIME, nsec 10^9) as nobody", sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&b));
	show("clock_settime(MONOTONIC) as nobody", sys2(SYS_clock_settime, CLOCK_MONOTONIC, (long)&ts));
	show("settimeofday(NULL, NULL) as nobody", sys2(SYS_settimeofday, 0, 0));
	int tz[2] = { 901, 0 };
	show("settimeofday(NULL, tz 901) as nobody", sys2(SYS_settimeofday, 0, (long)tz));
	create_show("timerfd_create(REALTIME_ALARM) as nobody", 8, 0);
	create_show("timerfd_create(MONOTONIC) as nobody", CLOCK_MONOTONIC, 0);
}

static void run(const char *title, void (*fn)(void))
{
	printf("-- %s\n", title);
	int st = child_status(fn);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("child status %#x\n", st);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	run("creation", creation);
	run("errors", errors);
	run("values", values);
	run("reading", reading);
	run("clock_settime and settimeofday", clocks);
	run("without CAP_SYS_TIME", unprivileged);
	return 0;
}
