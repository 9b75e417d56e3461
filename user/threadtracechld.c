/* threadtracechld: who hears of a traced child's death. The child is traced by another process
 * (its tracer, not its parent). As Linux 6.1: when it dies, its tracer is told (SIGCHLD) and its
 * parent is not, until the tracer has reaped it; then the parent gets its exit signal and reaps
 * it, or, when the parent ignores SIGCHLD, nobody has to: it is gone (ECHILD).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

static volatile int *shared; /* [0] child pid, [1] attached, [2] may reap, [3] tracer's view,
				[4] the tracer may exit */
static volatile int sigchld;

static void on_chld(int sig)
{
	(void)sig;
	sigchld++;
}

static void round_once(const char *what, int ignore)
{
	int st;

	memset((void *)shared, 0, 64);
	sigchld = 0;
	signal(SIGCHLD, ignore ? SIG_IGN : on_chld);
	pid_t c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	shared[0] = c;
	fflush(stdout);
	pid_t t = fork();
	if (t == 0) {
		signal(SIGCHLD, SIG_DFL);
		if (ptrace(PTRACE_ATTACH, c, 0, 0) || waitpid(c, &st, __WALL) != c)
			_exit(1);
		ptrace(PTRACE_CONT, c, 0, 0);
		shared[1] = 1;
		while (!shared[2])
			usleep(1000);
		long r = waitpid(c, &st, __WALL);
		shared[3] = r == c && WIFSIGNALED(st) ? WTERMSIG(st) : -1;
		while (!shared[4])
			usleep(1000);
		_exit(0);
	}
	while (!shared[1])
		usleep(1000);
	int before = sigchld;
	kill(c, SIGKILL);
	usleep(100000);
	printf("%s: SIGCHLD before the tracer reaps: %d\n", what, sigchld - before);
	before = sigchld;
	shared[2] = 1;
	while (!shared[3])
		usleep(1000);
	usleep(100000);
	printf("%s: tracer saw killed by %d\n", what, shared[3]);
	if (!ignore)
		printf("%s: SIGCHLD after: %d\n", what, sigchld - before);
	long r = waitpid(c, &st, WNOHANG);
	if (r == c)
		printf("%s: parent reaps: killed by %d\n", what, WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	else
		printf("%s: parent reaps: %ld %s\n", what, r, r < 0 && errno == ECHILD ? "ECHILD" : "");
	shared[4] = 1;
	signal(SIGCHLD, SIG_DFL);
	waitpid(t, &st, 0);
}

int main(void)
{
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	round_once("handled", 0);
	round_once("ignored", 1);
	return 0;
}
