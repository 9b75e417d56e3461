/* rlimitcpu: RLIMIT_CPU (Linux's check_process_timers): a process that spins past its soft limit
 * gets SIGXCPU, and the soft limit moves one second on (getrlimit shows it), so SIGXCPU comes
 * again each second until the hard limit, where SIGKILL ends it. A child with limits 1 and 3
 * seconds spins; its handler reports each SIGXCPU and the soft limit then through a pipe.
 * A soft limit of 18446744074 s is due after about 0.29 s of CPU time: Linux computes
 * soft * NSEC_PER_SEC in 64 bits, which wraps. */
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static int report;

static void on_xcpu(int sig)
{
	struct rlimit r;
	char line[64];

	getrlimit(RLIMIT_CPU, &r);
	int n = snprintf(line, sizeof line, "signal %d, soft limit now %llu, hard %llu\n", sig,
			 (unsigned long long)r.rlim_cur, (unsigned long long)r.rlim_max);
	if (write(report, line, (size_t)n) != n)
		_exit(3);
}

static volatile sig_atomic_t got_xcpu;

static void on_xcpu_flag(int sig)
{
	(void)sig;
	got_xcpu = 1;
}

/* Seconds of CPU time the process used. */
static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A soft limit whose nanoseconds wrap: SIGXCPU after well under a second. */
static void wrap_part(void)
{
	struct rlimit r = { 18446744074ULL, RLIM_INFINITY };

	signal(SIGXCPU, on_xcpu_flag);
	show("setrlimit(RLIMIT_CPU, 18446744074, infinity)", setrlimit(RLIMIT_CPU, &r));
	while (!got_xcpu && cpu_seconds() < 3)
		;
	double t = cpu_seconds();
	printf("SIGXCPU %s, before 1 s of CPU time: %s\n", got_xcpu ? "came" : "did not come",
	       got_xcpu && t < 1 ? "yes" : "no");
	getrlimit(RLIMIT_CPU, &r);
	printf("soft limit now %llu\n", (unsigned long long)r.rlim_cur);
}

int main(void)
{
	printf("wrap part: status %d\n", child_status(wrap_part));
	int p[2];
	char buf[512];

	if (pipe(p))
		return 1;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		struct rlimit r = { 1, 3 };

		close(p[0]);
		report = p[1];
		signal(SIGXCPU, on_xcpu);
		show("setrlimit(RLIMIT_CPU, 1, 3)", setrlimit(RLIMIT_CPU, &r));
		fflush(stdout);
		alarm(60);
		for (;;)
			;
	}
	close(p[1]);
	long n;
	while ((n = read(p[0], buf, sizeof buf)) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	int st;
	waitpid(c, &st, 0);
	if (WIFSIGNALED(st))
		printf("child killed by signal %d\n", WTERMSIG(st));
	else
		printf("child status %d\n", st);
	return 0;
}
