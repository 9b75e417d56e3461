/* rlimits: resource limits as Linux 6.1 gives and checks them (issue 15, item 7 "limits").
 * - the defaults the first processes inherit (include/asm-generic/resource.h, fork_init):
 *   RLIMIT_MEMLOCK 8 MiB, MSGQUEUE 819200, NICE 0, RTPRIO 0, ...; RLIMIT_NPROC and
 *   RLIMIT_SIGPENDING come from the memory size (max_threads / 2, max_threads = RAM pages / 32),
 *   so only their relation to MemTotal is printed (the oracle VM has more memory than Warden's);
 * - setrlimit/prlimit64/getrlimit errors in Linux's order: a NULL or bad new limit is EFAULT
 *   before the resource is looked at, ESRCH before EINVAL, cur > max EINVAL before the nr_open
 *   check, a RLIMIT_NOFILE hard limit above nr_open (1048576) EPERM;
 * - a bad old-limit pointer: EFAULT, but the new limit was set;
 * - fork beyond max_threads (root is not held to RLIMIT_NPROC) fails with EAGAIN, not ENOMEM;
 * - /proc/self/limits in Linux's format (the NPROC and SIGPENDING values masked). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define INF (~0UL)
#define BAD ((long)0x10)
#define NR_OPEN 1048576UL

static const char *const names[16] = {
	"CPU",	 "FSIZE",   "DATA",	  "STACK",   "CORE",  "RSS",   "NPROC",	 "NOFILE",
	"MEMLOCK", "AS",    "LOCKS",	  "SIGPENDING", "MSGQUEUE", "NICE", "RTPRIO", "RTTIME",
};

static void proc_limits(void);

static void print_val(unsigned long v)
{
	if (v == INF)
		printf("unlimited");
	else
		printf("%lu", v);
}

/* The MemTotal line of /proc/meminfo, in kB. */
static unsigned long memtotal_kb(void)
{
	char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	unsigned long kb = 0;

	if (fd >= 0)
		close(fd);
	if (n > 0) {
		buf[n] = 0;
		char *p = strstr(buf, "MemTotal:");
		if (p)
			kb = strtoul(p + 9, NULL, 10);
	}
	return kb;
}

/* Item 7: the defaults the harness's program inherits. */
static void defaults(void)
{
	struct rlimit64 r[16];

	for (int i = 0; i < 16; i++) {
		long ret = sys4(SYS_prlimit64, 0, i, 0, (long)&r[i]);
		if (ret) {
			show(names[i], ret);
			continue;
		}
		if (i == RLIMIT_NPROC || i == RLIMIT_SIGPENDING)
			continue;
		printf("default RLIMIT_%s: ", names[i]);
		print_val(r[i].rlim_cur);
		printf(" / ");
		print_val(r[i].rlim_max);
		printf("\n");
	}
	unsigned long nproc = r[RLIMIT_NPROC].rlim_cur;
	printf("RLIMIT_NPROC soft == hard: %s\n", nproc == r[RLIMIT_NPROC].rlim_max ? "yes" : "no");
	printf("RLIMIT_SIGPENDING == RLIMIT_NPROC: %s\n",
	       r[RLIMIT_SIGPENDING].rlim_cur == nproc && r[RLIMIT_SIGPENDING].rlim_max == nproc
		       ? "yes"
		       : "no");
	/* max_threads = boot-time RAM pages / 32, NPROC half of it: NPROC * 64 pages is the RAM
	 * at fork_init, a little below MemTotal (init sections and the initrd are freed later). */
	unsigned long total = memtotal_kb(), nproc_kb = nproc * 64 * 4;
	printf("RLIMIT_NPROC * 64 pages within 16 MiB below MemTotal: %s\n",
	       nproc_kb <= total && nproc_kb + 16384 >= total ? "yes" : "no");
}

static void set(const char *what, int res, unsigned long cur, unsigned long max)
{
	struct rlimit64 n = { cur, max };
	show(what, sys4(SYS_prlimit64, 0, res, (long)&n, 0));
}

/* Item 7: errors and their order. */
static void errors(void)
{
	struct rlimit64 old, n = { 100, 200 };

	show("setrlimit(RLIMIT_NOFILE, NULL)", sys2(SYS_setrlimit, RLIMIT_NOFILE, 0));
	show("setrlimit(RLIMIT_CORE, bad pointer)", sys2(SYS_setrlimit, RLIMIT_CORE, BAD));
	show("setrlimit(99, NULL)", sys2(SYS_setrlimit, 99, 0));
	show("setrlimit(99, valid)", sys2(SYS_setrlimit, 99, (long)&n));
	show("getrlimit(99, valid)", sys2(SYS_getrlimit, 99, (long)&old));
	show("getrlimit(99, NULL)", sys2(SYS_getrlimit, 99, 0));
	show("getrlimit(RLIMIT_NOFILE, NULL)", sys2(SYS_getrlimit, RLIMIT_NOFILE, 0));
	show("prlimit64(0, 99, NULL, NULL)", sys4(SYS_prlimit64, 0, 99, 0, 0));
	show("prlimit64(0, 99, bad, NULL)", sys4(SYS_prlimit64, 0, 99, BAD, 0));
	show("prlimit64(0, NOFILE, bad, valid)", sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, BAD, (long)&old));
	show("prlimit64(0x7fffffff, 99, NULL, NULL)", sys4(SYS_prlimit64, 0x7fffffff, 99, 0, 0));
	show("prlimit64(0x7fffffff, NOFILE, bad, NULL)",
	     sys4(SYS_prlimit64, 0x7fffffff, RLIMIT_NOFILE, BAD, 0));
	show("prlimit64(-1, NOFILE, NULL, NULL)", sys4(SYS_prlimit64, -1, RLIMIT_NOFILE, 0, 0));
	show("prlimit64(0, NOFILE, NULL, NULL)", sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, 0));
	show("prlimit64(0, NOFILE, NULL, bad)", sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, BAD));
	set("NOFILE cur 2000 > max 1000", RLIMIT_NOFILE, 2000, 1000);
	set("NOFILE cur 2000000 > max 1048577 (both rules)", RLIMIT_NOFILE, 2000000, 1048577);
	set("NOFILE 1024 / nr_open + 1", RLIMIT_NOFILE, 1024, NR_OPEN + 1);
	set("NOFILE 1024 / unlimited", RLIMIT_NOFILE, 1024, INF);
	set("NOFILE unlimited / unlimited", RLIMIT_NOFILE, INF, INF);
	set("NOFILE nr_open / nr_open", RLIMIT_NOFILE, NR_OPEN, NR_OPEN);
	set("NOFILE 1024 / 4096", RLIMIT_NOFILE, 1024, 4096);
	set("STACK unlimited / unlimited (not NOFILE: no nr_open rule)", RLIMIT_STACK, INF, INF);
	set("STACK 8 MiB / unlimited", RLIMIT_STACK, 8UL << 20, INF);
	set("AS 123456789 / unlimited", RLIMIT_AS, 123456789, INF);
	proc_limits();
	set("AS unlimited / unlimited", RLIMIT_AS, INF, INF);
	set("CORE 1 / 0", RLIMIT_CORE, 1, 0);

	/* A bad old pointer: EFAULT, yet the new value is in place. */
	n = (struct rlimit64){ 3000, 4096 };
	show("prlimit64(0, NOFILE, {3000, 4096}, bad)",
	     sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, (long)&n, BAD));
	sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, (long)&old);
	printf("RLIMIT_NOFILE after it: %lu / %lu\n", (unsigned long)old.rlim_cur,
	       (unsigned long)old.rlim_max);
	/* The old value comes back with the new one set. */
	n = (struct rlimit64){ 1024, 4096 };
	show("prlimit64(0, NOFILE, {1024, 4096}, old)",
	     sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, (long)&n, (long)&old));
	printf("old: %lu / %lu\n", (unsigned long)old.rlim_cur, (unsigned long)old.rlim_max);
	/* Lowering the hard limit and raising it again is allowed to root (CAP_SYS_RESOURCE). */
	set("NPROC 10 / 10", RLIMIT_NPROC, 10, 10);
	set("NPROC unlimited / unlimited (root raises it)", RLIMIT_NPROC, INF, INF);
}

/* Item 7: children sleeping on a pipe until fork fails; it fails with EAGAIN (max_threads). */
static void fork_limit(void)
{
	int p[2];
	long n = 0, r;

	if (pipe(p))
		return;
	fflush(stdout);
	for (;;) {
		r = sys0(SYS_fork);
		if (r == 0) {
			char c;
			close(p[1]);
			read(p[0], &c, 1);
			_exit(0);
		}
		if (is_err(r))
			break;
		n++;
		if (n > 200000)
			break;
	}
	close(p[1]);
	close(p[0]);
	while (wait(NULL) > 0)
		;
	show("fork beyond max_threads", is_err(r) ? r : 0);
	printf("more than 500 children before it: %s\n", n > 500 ? "yes" : "no");
}

/* Item 7: /proc/self/limits, byte for byte but for the memory-sized values. */
static void proc_limits(void)
{
	char buf[4096];
	int fd = open("/proc/self/limits", O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	show("read /proc/self/limits", n < 0 ? -errno : 0);
	if (n <= 0)
		return;
	close(fd);
	buf[n] = 0;
	for (char *line = buf; *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = 0;
		if (!strncmp(line, "Max processes", 13) || !strncmp(line, "Max pending signals", 19))
			printf("%.26s(value of the memory size)\n", line);
		else
			printf("%s|\n", line);
		if (!end)
			break;
		line = end + 1;
	}
}

int main(void)
{
	defaults();
	proc_limits();
	errors();
	fork_limit();
	return 0;
}
