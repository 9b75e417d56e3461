// SPDX-License-Identifier: MIT
/*
 * Run with 4 CPUs (tests/user/smp4): sched_getaffinity/sched_setaffinity/getcpu results and
 * errors, and two threads pinned to CPUs 1 and 2 that hand a token back and forth through shared
 * memory without a system call: the handshakes complete only if both run at the same time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long sys_getaff(int pid, unsigned int len, void *mask)
{
	return syscall(SYS_sched_getaffinity, pid, len, mask);
}

static long sys_setaff(int pid, unsigned int len, const void *mask)
{
	return syscall(SYS_sched_setaffinity, pid, len, mask);
}

static const char *errname(int e)
{
	switch (e) {
	case EINVAL:
		return "EINVAL";
	case EFAULT:
		return "EFAULT";
	case ESRCH:
		return "ESRCH";
	case EPERM:
		return "EPERM";
	default:
		return "other";
	}
}

static void show(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s\n", what, errname(errno));
	else
		printf("%s: %ld\n", what, r);
}

static int current_cpu(void)
{
	unsigned int cpu = 99, node = 99;

	if (syscall(SYS_getcpu, &cpu, &node, NULL))
		return -1;
	return (int)cpu;
}

/*
 * The CPU number RDTSCP reads from IA32_TSC_AUX (Linux: cpu | node << 12), -2 without RDTSCP.
 */
static int rdtscp_cpu(void)
{
	unsigned int a, b, c, d, aux;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001), "c"(0));
	if (!(d & (1U << 27)))
		return -2;
	__asm__ volatile("rdtscp" : "=a"(a), "=d"(d), "=c"(aux));
	return (int)(aux & 0xfff);
}

/* Prints the Cpus_allowed lines of /proc/self/status. */
static void show_status_cpus(const char *what)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f) {
		printf("%s: no /proc/self/status\n", what);
		return;
	}
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "Cpus_allowed", 12))
			printf("%s: %s", what, line);
	fclose(f);
}

static volatile int token;
static volatile int stop;

/* Waits (spinning, at most ~2 s of spins) for the token to become want; 0 if it did. */
static int wait_token(int want)
{
	for (long i = 0; i < 2000000000L; i++)
		if (token == want)
			return 0;
	return -1;
}

static void *ping(void *arg)
{
	int me = (int)(long)arg;
	unsigned long long m = 1ULL << (me + 1);
	int fails = 0;

	if (sys_setaff(0, sizeof(m), &m))
		return (void *)-1L;
	/* thread 0 passes 0 -> 1, thread 1 passes 1 -> 2, ... 200 rounds */
	for (int round = 0; round < 200; round++) {
		if (wait_token(2 * round + me))
			fails++;
		token = 2 * round + me + 1;
	}
	return (void *)(long)(fails + (current_cpu() == me + 1 ? 0 : 1000));
}

int main(void)
{
	unsigned long long m = 0, big[4];
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	printf("online CPUs: %ld\n", n);
	show("getaffinity(0, 8)", sys_getaff(0, 8, &m));
	printf("mask: %#llx\n", m);
	memset(big, 0xff, sizeof(big));
	show("getaffinity(0, 32)", sys_getaff(0, 32, big));
	printf("big: %#llx %#llx\n", big[0], big[1]);
	show("getaffinity(0, 4)", sys_getaff(0, 4, &m));
	show("getaffinity(0, 0)", sys_getaff(0, 0, &m));
	show("getaffinity(0, 12)", sys_getaff(0, 12, big));
	show("getaffinity(0, 8, NULL)", sys_getaff(0, 8, NULL));
	show("getaffinity(99999, 8)", sys_getaff(99999, 8, &m));
	show("getaffinity(-1, 8)", sys_getaff(-1, 8, &m));
	show("getaffinity(0, 0x20000000)", sys_getaff(0, 0x20000000, big));
	show_status_cpus("all allowed");

	m = 0;
	show("setaffinity(0, 8, 0)", sys_setaff(0, 8, &m));
	m = 1ULL << 40;
	show("setaffinity(0, 8, 1<<40)", sys_setaff(0, 8, &m));
	show("setaffinity(0, 8, NULL)", sys_setaff(0, 8, NULL));
	m = 1;
	show("setaffinity(99999, 8, 1)", sys_setaff(99999, 8, &m));
	show("setaffinity(0, 0, NULL)", sys_setaff(0, 0, NULL));
	for (int cpu = 3; cpu >= 0; cpu--) {
		m = 1ULL << cpu;
		long r = sys_setaff(0, 8, &m);
		printf("pinned to CPU %d: %ld, getcpu says %d\n", cpu, r, current_cpu());
	}
	m = 0x4;
	show("setaffinity(0, 1, CPU 2)", sys_setaff(0, 1, &m));
	printf("getcpu: %d\n", current_cpu());
	printf("rdtscp: %d\n", rdtscp_cpu());
	show_status_cpus("CPU 2");
	m = 0xa;
	sys_setaff(0, 8, &m);
	show_status_cpus("CPUs 1 and 3");
	m = 0x7;
	sys_setaff(0, 8, &m);
	show_status_cpus("CPUs 0-2");
	m = 0x4;
	sys_setaff(0, 8, &m);
	unsigned long long got = 0;
	show("getaffinity after", sys_getaff(0, 8, &got));
	printf("mask: %#llx\n", got);
	unsigned int c;
	show("getcpu(NULL, NULL)", syscall(SYS_getcpu, NULL, NULL, NULL));
	show("getcpu(bad, NULL)", syscall(SYS_getcpu, (void *)8, NULL, NULL));
	show("getcpu(&c, bad)", syscall(SYS_getcpu, &c, (void *)8, NULL));

	m = 0xf;
	sys_setaff(0, 8, &m);
	pthread_t t[2];
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, ping, (void *)i);
	for (int i = 0; i < 2; i++) {
		void *r;
		pthread_join(t[i], &r);
		printf("thread %d on CPU %d: %ld failed handshakes\n", i, i + 1, (long)r);
	}
	printf("token: %d\n", token);
	(void)stop;
	return 0;
}
