/* threadexec: execve in a process with two threads (issue 17 item 4). From the thread that is
 * not the leader: the other thread is killed, and the new program runs as the only thread
 * under the process's pid (its tid is the pid), with the same parent, which reaps it with the
 * new program's status. From the leader: the other thread is killed just the same. The program
 * runs itself again through /proc/self/exe with "after PID PPID" as its arguments; no pid is
 * printed, only comparisons. Runs in forked children (on Warden the program is PID 1).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

static char pidbuf[16], ppidbuf[16];
static char *exec_argv[] = { "/prog", "after", pidbuf, ppidbuf, NULL };
static char *exec_env[] = { "HOME=/", NULL };
static volatile int exec_result;

/* The thread's execve (raw: the image is replaced, nothing of libc's state is needed). */
static int exec_self(void *arg)
{
	(void)arg;
	thread_sleep_ms(20);
	exec_result = (int)sys3(SYS_execve, (long)"/proc/self/exe", (long)exec_argv, (long)exec_env);
	return 1;
}

static int sleeper(void *arg)
{
	(void)arg;
	for (;;)
		thread_sleep_ms(100);
	return 0;
}

/* The new program: what it finds of the process it now is. */
static int after(char **argv)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	long n = read(fd, buf, sizeof(buf) - 1);
	const char *th;

	buf[n > 0 ? n : 0] = 0;
	th = strstr(buf, "Threads:\t");
	printf("  new image: pid kept: %s, tid is the pid: %s, parent kept: %s, Threads: %ld\n",
	       getpid() == atoi(argv[2]) ? "yes" : "no", sys0(SYS_gettid) == getpid() ? "yes" : "no",
	       getppid() == atoi(argv[3]) ? "yes" : "no", th ? strtol(th + 9, NULL, 10) : -1);
	return 5;
}

static void run(const char *what, int from_thread)
{
	int st, ctid = -1;

	printf("-- %s\n", what);
	pid_t pid = fork();
	if (pid == 0) {
		snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
		snprintf(ppidbuf, sizeof(ppidbuf), "%d", getppid());
		if (from_thread) {
			thread_start(exec_self, NULL, &ctid);
			for (;;)
				thread_sleep_ms(100);
		}
		thread_start(sleeper, NULL, &ctid);
		thread_sleep_ms(20);
		execve("/proc/self/exe", exec_argv, exec_env);
		_exit(99);
	}
	pid_t w = waitpid(pid, &st, 0);
	printf("  parent: waitpid %s, exit status %d\n", w == pid ? "got it" : "other",
	       WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	if (argc > 3 && !strcmp(argv[1], "after"))
		return after(argv);
	setvbuf(stdout, NULL, _IONBF, 0);
	run("execve from the second thread", 1);
	run("execve from the leader, a second thread running", 0);
	printf("done\n");
	return 0;
}
