/* populatekill: a huge MAP_POPULATE is one kernel loop that user space sizes (a read-only 1 TiB
 * private mapping is 2^28 zero-page faults). Linux's __get_user_pages yields between pages and
 * stops at SIGKILL; so must Warden's populate (mm/gup.c), or one program holds every CPU (and the
 * kernel lock) for most of a minute and cannot be killed meanwhile. The parent sleeps a second
 * (its sleep must end on time: the populating child yields), kills the populating child and
 * checks it is reaped within 5 s of the start. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	fflush(stdout);
	double t0 = now(); /* before the fork: whichever runs first, the whole must take ~1 s */
	pid_t c = fork();
	if (c == 0) {
		void *p = mmap(NULL, 1ULL << 40, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_POPULATE, -1, 0);
		printf("child: mmap returned %s before the kill\n", p == MAP_FAILED ? "an error" : "");
		_exit(0);
	}
	struct timespec ts = { 1, 0 };
	nanosleep(&ts, NULL);
	kill(c, SIGKILL);
	int st;
	waitpid(c, &st, 0);
	double took = now() - t0;
	if (WIFSIGNALED(st))
		printf("child killed by signal %d\n", WTERMSIG(st));
	else
		printf("child exited with %d\n", WEXITSTATUS(st));
	printf("slept 1 s, killed and reaped the child within 5 s: %s\n", took < 5 ? "yes" : "no");
	return 0;
}
