/* threadtracelead: a tracer (not the parent) of a process's leader, which exits while another
 * thread lives on. As on Linux 6.1, the leader's zombie is not reported to the tracer until the
 * last thread is gone (delay_group_leader), and then with the process's status, the last
 * thread's; the tracer's wait4 must be woken for it, and the parent then reaps the process.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

static volatile int *shared; /* [0] ready, [1] the leader may exit, [2] the thread may exit */

static int thread_fn(void *arg)
{
	(void)arg;
	while (!shared[2])
		thread_sleep_ms(1);
	thread_sleep_ms(50);
	return 6;
}

static void report(const char *what, long r, int st)
{
	if (r <= 0)
		printf("%s: %ld\n", what, r);
	else if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSTOPPED(st))
		printf("%s: stopped by %d\n", what, WSTOPSIG(st));
	else
		printf("%s: status %#x\n", what, st);
}

int main(void)
{
	int st = 0;

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t p = fork();
	if (p == 0) {
		static int ctid;

		if (thread_start(thread_fn, NULL, &ctid) < 0)
			sys1(SYS_exit_group, 99);
		shared[0] = 1;
		while (!shared[1])
			thread_sleep_ms(1);
		sys1(SYS_exit, 5); /* the leader alone */
	}
	while (!shared[0])
		usleep(1000);
	fflush(stdout);
	pid_t t = fork();
	if (t == 0) {
		printf("attach: %ld\n", ptrace(PTRACE_ATTACH, p, 0, 0));
		long r = waitpid(p, &st, __WALL);
		report("tracer: stop", r == p, st);
		printf("cont: %ld\n", ptrace(PTRACE_CONT, p, 0, 0));
		shared[1] = 1;
		usleep(100000);
		r = waitpid(p, &st, __WALL | WNOHANG);
		report("tracer: leader gone, thread alive", r, st);
		shared[2] = 1;
		r = waitpid(p, &st, __WALL);
		report("tracer: process gone", r == p, st);
		r = waitpid(-1, &st, __WALL | WNOHANG);
		printf("tracer: then %ld %s\n", r, r < 0 && errno == ECHILD ? "ECHILD" : "");
		fflush(stdout);
		_exit(0);
	}
	long r = waitpid(t, &st, 0);
	report("tracer", r == t, st);
	r = waitpid(p, &st, 0);
	report("parent: process", r == p, st);
	return 0;
}
