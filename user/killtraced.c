/* killtraced: SIGKILL ends a task before any other pending signal (issue 15, found beyond the
 * list while fuzzing: a traced task with SIGKILL and a lower-numbered signal pending stopped for
 * its tracer on the other signal and never died, so the tracer's wait4 hung).
 *
 * A child asks to be traced (PTRACE_TRACEME) and stops for its parent on SIGUSR2. While it is
 * stopped, the parent sends it SIGINT (kept for the tracer: a traced task ignores nothing) and
 * then SIGKILL: the child must die of SIGKILL without another stop, as on Linux, where a pending
 * SIGKILL is acted on first (get_signal's group-exit check). No pid is printed.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

static void print_status(const char *what, int st)
{
	if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by signal %d\n", what, WTERMSIG(st));
	else if (WIFSTOPPED(st))
		printf("%s: stopped by signal %d\n", what, WSTOPSIG(st));
	else
		printf("%s: status %#x\n", what, st);
}

int main(void)
{
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t c = fork();
	if (c == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGUSR2);
		_exit(3); /* not reached on Linux */
	}
	waitpid(c, &st, 0);
	print_status("traced child", st);
	kill(c, SIGINT);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	print_status("traced child after SIGINT then SIGKILL", st);

	return 0;
}
