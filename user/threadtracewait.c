/* threadtracewait: a tracer whose tracing thread is not the one that waits. One thread attaches
 * to the process's child; as Linux 6.1's do_wait (which looks at the tracees of every thread of
 * the caller's process unless __WNOTHREAD), the main thread's wait4 reports the child's ptrace
 * stop and its death. Only the tracing thread may resume it (ptrace requests: ESRCH elsewhere).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

static volatile int child, attached, done;
static volatile long attach_result;

static int tracer_thread(void *arg)
{
	(void)arg;
	attach_result = sys4(SYS_ptrace, PTRACE_ATTACH, child, 0, 0);
	attached = 1;
	while (!done)
		thread_sleep_ms(1);
	return 0;
}

static void report(const char *what, long r, int st)
{
	if (r < 0)
		printf("%s: -1 %s\n", what, errno == ECHILD ? "ECHILD" : "other errno");
	else if (r == 0)
		printf("%s: 0\n", what);
	else if (WIFSIGNALED(st))
		printf("%s: killed by %d\n", what, WTERMSIG(st));
	else if (WIFSTOPPED(st))
		printf("%s: stopped by %d\n", what, WSTOPSIG(st));
	else if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
}

int main(void)
{
	static int ctid;
	int st = 0;

	pid_t c = fork();
	if (c == 0) {
		for (;;)
			thread_sleep_ms(1);
	}
	child = c;
	if (thread_start(tracer_thread, NULL, &ctid) < 0)
		return 1;
	while (!attached)
		usleep(1000);
	printf("attach from a thread: %ld\n", attach_result);
	long r = waitpid(c, &st, __WALL);
	report("main thread's wait4", r == c ? 1 : r, st);
	r = waitpid(c, &st, __WALL | WNOHANG);
	report("again (reported once)", r, st);
	r = ptrace(PTRACE_CONT, c, 0, 0);
	printf("PTRACE_CONT from the main thread: %ld %s\n", r, errno == ESRCH ? "ESRCH" : "?");
	r = waitpid(c, &st, __WALL | __WNOTHREAD | WNOHANG);
	report("__WNOTHREAD: not our own tracee", r == c ? 1 : r, st);
	kill(c, SIGKILL);
	r = waitpid(c, &st, __WALL);
	report("after SIGKILL", r == c ? 1 : r, st);
	r = waitpid(-1, &st, __WALL | WNOHANG);
	report("then", r, st);
	done = 1;
	wait_cleared(&ctid);
	return 0;
}
