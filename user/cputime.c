/* cputime: issue 21 item 1, CPU time accounting as Linux 6.1 reports it: times(2), getrusage
 * (RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD; utime, stime, maxrss, minflt, nvcsw), wait4's
 * rusage of a child, /proc/self/stat's utime, the CPU clocks of clock_gettime and clock_getres
 * (CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID and clock ids of a pid as
 * clock_getcpuclockid makes them: ~pid << 3 | which, | 4 for a thread) with their EINVAL rules,
 * and clock_getres of the other clocks. Times are printed as relations ("utime >= 100 ms: yes").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define BAD ((long)0x10)
#define CPUCLOCK_PROF 0
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_SCHED 2
#define PROCESS_CLOCK(pid, which) ((int)((~(unsigned)(pid) << 3) | (which)))
#define THREAD_CLOCK(tid, which) (PROCESS_CLOCK(tid, which) | 4)

static void yes(const char *what, int cond)
{
	printf("%s: %s\n", what, cond ? "yes" : "no");
}

static long long ts_ns(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static long long tv_us(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000 + tv->tv_usec;
}

static long long clock_ns(int clk)
{
	struct timespec ts;
	if (sys2(SYS_clock_gettime, clk, (long)&ts))
		return -1;
	return ts_ns(&ts);
}

/* Burns ms milliseconds of this thread's CPU time in user mode. */
static void spin_ms(long ms)
{
	long long end = clock_ns(CLOCK_THREAD_CPUTIME_ID) + ms * 1000000LL;
	volatile unsigned long x = 0;
	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) < end)
		for (int i = 0; i < 100000; i++)
			x += i;
}

/* Burns about ms milliseconds in the kernel: pipe writes and reads of 64 KiB. */
static void kernel_ms(long ms)
{
	static char buf[65536];
	int p[2];
	pipe(p);
	fcntl(p[1], F_SETPIPE_SZ, 65536);
	long long end = clock_ns(CLOCK_THREAD_CPUTIME_ID) + ms * 1000000LL;
	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) < end) {
		write(p[1], buf, sizeof buf);
		read(p[0], buf, sizeof buf);
	}
	close(p[0]);
	close(p[1]);
}

static long ru(int who, struct rusage *r)
{
	return sys2(SYS_getrusage, who, (long)r);
}

static void times_test(void)
{
	struct tms t;
	long r = sys1(SYS_times, 0);
	yes("times(NULL) succeeds", !is_err(r));
	show("times(bad)", sys1(SYS_times, BAD));
	spin_ms(200);
	r = sys1(SYS_times, (long)&t);
	yes("times: succeeds", !is_err(r));
	yes("tms_utime >= 10 ticks after 200 ms in user mode", t.tms_utime >= 10);
	yes("tms_utime <= 100 ticks", t.tms_utime <= 100);
	printf("tms_cutime %ld tms_cstime %ld (no child yet)\n", (long)t.tms_cutime, (long)t.tms_cstime);
	long r2 = sys1(SYS_times, 0);
	yes("times grows with time (clock ticks)", r2 >= r);
	long c0 = t.tms_stime;
	kernel_ms(300);
	sys1(SYS_times, (long)&t);
	yes("tms_stime grew after 300 ms of pipe copies", t.tms_stime > c0);
}

static void child_spin(void)
{
	spin_ms(200);
}

static void rusage_test(void)
{
	struct rusage r, c;
	show("getrusage(SELF)", ru(RUSAGE_SELF, &r));
	show("getrusage(CHILDREN)", ru(RUSAGE_CHILDREN, &c));
	printf("children: utime %lld stime %lld maxrss %ld minflt %ld nvcsw %ld\n", tv_us(&c.ru_utime),
	       tv_us(&c.ru_stime), c.ru_maxrss, c.ru_minflt, c.ru_nvcsw);
	show("getrusage(THREAD)", ru(RUSAGE_THREAD, &r));
	show("getrusage(2)", ru(2, &r));
	show("getrusage(-2 RUSAGE_BOTH)", ru(-2, &r));
	show("getrusage(-3)", ru(-3, &r));
	show("getrusage(SELF, bad)", ru(RUSAGE_SELF, (void *)BAD));
	show("getrusage(CHILDREN, bad)", ru(RUSAGE_CHILDREN, (void *)BAD));
	show("getrusage(5, bad)", ru(5, (void *)BAD));

	spin_ms(200);
	ru(RUSAGE_SELF, &r);
	yes("SELF utime >= 100 ms after 200 ms of user time", tv_us(&r.ru_utime) >= 100000);
	yes("SELF utime <= 1 s", tv_us(&r.ru_utime) <= 1000000);
	yes("utime's microseconds < 10^6", r.ru_utime.tv_usec < 1000000 && r.ru_stime.tv_usec < 1000000);
	yes("SELF maxrss > 0", r.ru_maxrss > 0);
	printf("ixrss %ld idrss %ld isrss %ld majflt %ld nswap %ld msgsnd %ld msgrcv %ld nsignals %ld\n",
	       r.ru_ixrss, r.ru_idrss, r.ru_isrss, r.ru_majflt, r.ru_nswap, r.ru_msgsnd, r.ru_msgrcv,
	       r.ru_nsignals);
	struct rusage th, self_after;
	ru(RUSAGE_THREAD, &th);
	ru(RUSAGE_SELF, &self_after); /* after THREAD: time charged between the reads is in both */
	yes("THREAD utime <= SELF utime + 1 tick", tv_us(&th.ru_utime) <= tv_us(&self_after.ru_utime) + 4000);
	yes("THREAD utime >= 100 ms", tv_us(&th.ru_utime) >= 100000);

	/* minflt: 256 new pages touched are 256 faults */
	long before = r.ru_minflt;
	char *p = mmap(NULL, 256 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 256; i++)
		p[i * 4096] = 1;
	ru(RUSAGE_SELF, &r);
	yes("minflt grew by >= 256 after touching 256 pages", r.ru_minflt - before >= 256);
	yes("minflt grew by < 300", r.ru_minflt - before < 300);
	/* maxrss: 8 MiB more touched */
	long rss0 = r.ru_maxrss;
	char *q = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < (8 << 20); i += 4096)
		q[i] = 1;
	ru(RUSAGE_SELF, &r);
	yes("maxrss grew by >= 8000 KiB after touching 8 MiB", r.ru_maxrss - rss0 >= 8000);
	/* nvcsw: each sleep is a voluntary switch */
	long v0 = r.ru_nvcsw;
	for (int i = 0; i < 5; i++)
		sleep_ms(5);
	ru(RUSAGE_SELF, &r);
	yes("nvcsw grew by >= 5 after 5 sleeps", r.ru_nvcsw - v0 >= 5);

	/* a child: wait4's rusage, then RUSAGE_CHILDREN and times' cutime */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		child_spin();
		char *m = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (int i = 0; i < (4 << 20); i += 4096)
			m[i] = 1;
		_exit(0);
	}
	struct rusage w;
	memset(&w, 0xff, sizeof w);
	int st;
	long got = sys4(SYS_wait4, pid, (long)&st, 0, (long)&w);
	yes("wait4 returns the child", got == pid);
	yes("wait4 rusage: utime >= 100 ms", tv_us(&w.ru_utime) >= 100000);
	yes("wait4 rusage: maxrss >= 4096 KiB", w.ru_maxrss >= 4096);
	yes("wait4 rusage: minflt >= 1024", w.ru_minflt >= 1024);
	printf("wait4 rusage: ixrss %ld nswap %ld\n", w.ru_ixrss, w.ru_nswap);
	ru(RUSAGE_CHILDREN, &c);
	yes("CHILDREN utime equals wait4's", tv_us(&c.ru_utime) == tv_us(&w.ru_utime));
	yes("CHILDREN maxrss equals wait4's", c.ru_maxrss == w.ru_maxrss);
	yes("CHILDREN minflt equals wait4's", c.ru_minflt == w.ru_minflt);
	struct tms t;
	sys1(SYS_times, (long)&t);
	yes("tms_cutime >= 10 ticks", t.tms_cutime >= 10);
	/* a grandchild's time reaches its grandparent through the child's wait */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		pid_t g = fork();
		if (g == 0) {
			spin_ms(200);
			_exit(0);
		}
		waitpid(g, NULL, 0);
		_exit(0);
	}
	memset(&w, 0, sizeof w);
	sys4(SYS_wait4, pid, (long)&st, 0, (long)&w);
	yes("wait4 rusage includes the reaped grandchild's utime", tv_us(&w.ru_utime) >= 100000);
	struct rusage c2;
	ru(RUSAGE_CHILDREN, &c2);
	yes("CHILDREN utime grew by >= 100 ms", tv_us(&c2.ru_utime) - tv_us(&c.ru_utime) >= 100000);
	/* wait4's rusage to a bad address: EFAULT, the child reaped all the same */
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(3);
	show("wait4(child, rusage bad)", sys4(SYS_wait4, pid, (long)&st, 0, BAD) == -EFAULT ? -EFAULT : 0);
	show("wait4 again: reaped", sys4(SYS_wait4, pid, (long)&st, WNOHANG, 0));
}

/* /proc/self/stat's fields 14 (utime) and 15 (stime), in clock ticks. */
static void stat_times(long *ut, long *st)
{
	char buf[1024];
	int fd = open("/proc/self/stat", O_RDONLY);
	long n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	char *s = strrchr(buf, ')');
	long v[20] = { 0 };
	int i = 0;
	for (s += 2; *s && i < 20; i++) {
		char *end;
		v[i] = strtol(s, &end, 10);
		if (*end != ' ')
			s = strchr(s, ' ');
		else
			s = end;
		if (!s)
			break;
		s++;
	}
	/* v[0] is the state (a letter: 0), field 14 is v[11] */
	*ut = v[11];
	*st = v[12];
}

static void proc_stat(void)
{
	long ut, st;
	spin_ms(200);
	stat_times(&ut, &st);
	yes("/proc/self/stat utime >= 10 ticks", ut >= 10);
	yes("/proc/self/stat utime <= 100 ticks", ut <= 100);
}

static void showres(const char *what, long clk)
{
	struct timespec ts = { -1, -1 };
	long r = sys2(SYS_clock_getres, clk, (long)&ts);
	if (is_err(r))
		printf("%s: -1 %s\n", what, errname((int)-r));
	else
		printf("%s: %lld ns\n", what, ts_ns(&ts));
}

static void showget(const char *what, long clk)
{
	struct timespec ts;
	long r = sys2(SYS_clock_gettime, clk, (long)&ts);
	show_ok(what, r);
}

static void clocks(void)
{
	long long p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID), t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	spin_ms(100);
	long long t1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	long long p1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	yes("PROCESS_CPUTIME grew by >= 100 ms", p1 - p0 >= 100000000);
	yes("THREAD_CPUTIME grew by >= 100 ms", t1 - t0 >= 100000000);
	yes("THREAD_CPUTIME <= PROCESS_CPUTIME", t1 <= p1);
	struct rusage r;
	ru(RUSAGE_SELF, &r);
	long long p2 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	yes("PROCESS_CPUTIME within 50 ms of utime + stime",
	    llabs(p2 - (tv_us(&r.ru_utime) + tv_us(&r.ru_stime)) * 1000) < 50000000 + p2 / 10);

	pid_t me = getpid();
	long long a = clock_ns(PROCESS_CLOCK(me, CPUCLOCK_SCHED));
	yes("clock of my pid (SCHED) >= PROCESS_CPUTIME before", a >= p2);
	/* VIRT first: a tick between the two reads adds to both, and PROF read second covers it */
	long long virt = clock_ns(PROCESS_CLOCK(0, CPUCLOCK_VIRT)), prof = clock_ns(PROCESS_CLOCK(0, CPUCLOCK_PROF));
	yes("pid 0 PROF >= VIRT", prof >= virt);
	yes("pid 0 VIRT >= 50 ms", virt >= 50000000);
	showget("clock_gettime(thread clock of my tid)", THREAD_CLOCK(me, CPUCLOCK_SCHED));
	showget("clock_gettime(thread clock of my tid, PROF)", THREAD_CLOCK(me, CPUCLOCK_PROF));
	showget("clock_gettime(which 3, pid 0)", PROCESS_CLOCK(0, 3));
	showget("clock_gettime(which 3, thread)", THREAD_CLOCK(0, 3));
	showget("clock_gettime(pid 99999)", PROCESS_CLOCK(99999, CPUCLOCK_SCHED));
	showget("clock_gettime(thread 99999)", THREAD_CLOCK(99999, CPUCLOCK_SCHED));
	show("clock_gettime(PROCESS_CPUTIME_ID, bad)", sys2(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, BAD));
	show("clock_gettime(pid 99999, bad)", sys2(SYS_clock_gettime, PROCESS_CLOCK(99999, 2), BAD));
	show("clock_gettime(-1, bad)", sys2(SYS_clock_gettime, -1, BAD));
	showget("clock_gettime(CLOCKFD of fd 0)", (long)((~0u << 3) | 3));

	/* a child: its process clock, not its thread clock; after reaping, EINVAL */
	int go[2];
	pipe(go);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char x;
		spin_ms(100);
		read(go[0], &x, 1);
		_exit(0);
	}
	sleep_ms(300);
	long long cc = clock_ns(PROCESS_CLOCK(c, CPUCLOCK_SCHED));
	yes("child's process clock readable, >= 50 ms", cc >= 50000000);
	showget("clock_gettime(child's process clock, VIRT)", PROCESS_CLOCK(c, CPUCLOCK_VIRT));
	showget("clock_gettime(child's thread clock)", THREAD_CLOCK(c, CPUCLOCK_SCHED));
	showres("clock_getres(child's process clock)", PROCESS_CLOCK(c, CPUCLOCK_SCHED));
	showres("clock_getres(child's thread clock)", THREAD_CLOCK(c, CPUCLOCK_SCHED));
	clockid_t cid;
	show("clock_getcpuclockid(child)", clock_getcpuclockid(c, &cid));
	yes("its id is ~pid << 3 | 2", cid == PROCESS_CLOCK(c, CPUCLOCK_SCHED));
	write(go[1], "x", 1);
	sleep_ms(100);
	showget("clock_gettime(zombie child's process clock)", PROCESS_CLOCK(c, CPUCLOCK_SCHED));
	waitpid(c, NULL, 0);
	showget("clock_gettime(reaped child's process clock)", PROCESS_CLOCK(c, CPUCLOCK_SCHED));
	printf("clock_getcpuclockid(reaped child): %s\n", errname(clock_getcpuclockid(c, &cid)));
	show("clock_getcpuclockid(0)", clock_getcpuclockid(0, &cid));

	showres("clock_getres(REALTIME)", CLOCK_REALTIME);
	showres("clock_getres(MONOTONIC)", CLOCK_MONOTONIC);
	showres("clock_getres(PROCESS_CPUTIME_ID)", CLOCK_PROCESS_CPUTIME_ID);
	showres("clock_getres(THREAD_CPUTIME_ID)", CLOCK_THREAD_CPUTIME_ID);
	showres("clock_getres(MONOTONIC_RAW)", CLOCK_MONOTONIC_RAW);
	showres("clock_getres(REALTIME_COARSE)", CLOCK_REALTIME_COARSE);
	showres("clock_getres(MONOTONIC_COARSE)", CLOCK_MONOTONIC_COARSE);
	showres("clock_getres(BOOTTIME)", CLOCK_BOOTTIME);
	showres("clock_getres(TAI)", 11);
	showres("clock_getres(10)", 10);
	showres("clock_getres(12)", 12);
	showres("clock_getres(pid 0 PROF)", PROCESS_CLOCK(0, CPUCLOCK_PROF));
	showres("clock_getres(pid 0 VIRT)", PROCESS_CLOCK(0, CPUCLOCK_VIRT));
	showres("clock_getres(my pid SCHED)", PROCESS_CLOCK(me, CPUCLOCK_SCHED));
	showres("clock_getres(my tid thread PROF)", THREAD_CLOCK(me, CPUCLOCK_PROF));
	showres("clock_getres(which 3)", PROCESS_CLOCK(0, 3));
	showres("clock_getres(pid 99999)", PROCESS_CLOCK(99999, CPUCLOCK_SCHED));
	show("clock_getres(MONOTONIC, NULL)", sys2(SYS_clock_getres, CLOCK_MONOTONIC, 0));
	show("clock_getres(PROCESS_CPUTIME_ID, NULL)", sys2(SYS_clock_getres, CLOCK_PROCESS_CPUTIME_ID, 0));
	show("clock_getres(MONOTONIC, bad)", sys2(SYS_clock_getres, CLOCK_MONOTONIC, BAD));
	show("clock_getres(pid 99999, bad)", sys2(SYS_clock_getres, PROCESS_CLOCK(99999, 2), BAD));
	show("clock_getres(-1, NULL)", sys2(SYS_clock_getres, -1, 0));
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
	run("times", times_test);
	run("getrusage", rusage_test);
	run("/proc/self/stat", proc_stat);
	run("CPU clocks", clocks);
	return 0;
}
