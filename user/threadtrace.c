/* threadtrace: a parent that traces a thread of its own child (PTRACE_ATTACH to the thread's
 * tid, as strace -f does). The thread is the parent's tracee but on no children list: wait4 must
 * report its stop and its exit (with __WALL) to the parent, and the child's leader, which
 * exited first, is reaped once the thread is gone. Linux 6.1 is the reference.
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

static volatile int *shared; /* [0]: the thread's tid, [1]: go */

static int thread_fn(void *arg)
{
	(void)arg;
	shared[0] = (int)sys0(SYS_gettid);
	while (!shared[1])
		thread_sleep_ms(1);
	return 3;
}

static void report(const char *what, long r, int st)
{
	if (r < 0) {
		printf("%s: -1 errno %d\n", what, errno);
		return;
	}
	if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %d\n", what, WTERMSIG(st));
	else if (WIFSTOPPED(st))
		printf("%s: stopped by %d\n", what, WSTOPSIG(st));
	else
		printf("%s: status %#x\n", what, st);
}

int main(void)
{
	int st = 0;
	long r;

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t child = fork();
	if (child == 0) {
		static int ctid;

		if (thread_start(thread_fn, NULL, &ctid) < 0)
			sys1(SYS_exit_group, 99);
		sys1(SYS_exit, 7); /* the leader leaves first: a zombie until the thread is gone */
	}
	while (!shared[0])
		usleep(1000);
	pid_t tid = shared[0];
	usleep(20000);
	printf("attach: %ld\n", ptrace(PTRACE_ATTACH, tid, 0, 0));
	r = waitpid(tid, &st, __WALL);
	report("thread stop", r == tid ? 0 : -1, st);
	r = waitpid(-1, &st, WNOHANG | __WALL);
	printf("nothing else yet: %ld\n", r);
	shared[1] = 1;
	printf("cont: %ld\n", ptrace(PTRACE_CONT, tid, 0, 0));
	r = waitpid(-1, &st, __WALL);
	report(r == tid ? "thread exit" : r == child ? "leader" : "other", r, st);
	r = waitpid(-1, &st, __WALL);
	report(r == tid ? "thread exit" : r == child ? "leader" : "other", r, st);
	r = waitpid(-1, &st, __WALL);
	printf("then: %ld %s\n", r, r < 0 && errno == ECHILD ? "ECHILD" : "?");
	return 0;
}
