/* pthread_exec: execve from a thread that is not the main one while other threads run (issue 17
 * item 6). Linux kills the other threads (one blocked in read on a pipe, one in nanosleep, one
 * spinning, and the main thread blocked in pthread_join), and the exec'ing thread takes over the
 * thread group leader's identity: the new image (this program again, /proc/self/exe, argv[1]
 * "child") runs with the old pid (passed as argv[2]; only "same: yes/no" is printed), gettid ==
 * getpid, the same parent, one thread (/proc/self/status "Threads:", /proc/self/task) and the
 * signal mask of the thread that called execve (SIGUSR2 blocked there, not in main).
 * Built with musl and glibc (tests/user/glibc-programs). Needs threads: listed in
 * tests/user/pending-threads. */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

extern char **environ;

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

static int threads_line(void)
{
	char buf[256];
	int n = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(buf, sizeof buf, f))
		if (sscanf(buf, "Threads: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

static int task_entries(void)
{
	int n = 0;
	struct dirent *d;
	DIR *dir = opendir("/proc/self/task");
	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

static int child(char **argv)
{
	sigset_t cur;

	alarm(20);
	printf("new image: running, argv[1] \"%s\"\n", argv[1]);
	printf("new image: same pid as before the exec: %s\n", yes(getpid() == atoi(argv[2])));
	printf("new image: same parent: %s\n", yes(getppid() == atoi(argv[3])));
	printf("new image: gettid == getpid: %s\n", yes(sys0(SYS_gettid) == getpid()));
	printf("new image: /proc/self/status Threads: %d\n", threads_line());
	printf("new image: /proc/self/task entries: %d\n", task_entries());
	sigprocmask(SIG_SETMASK, NULL, &cur);
	printf("new image: SIGUSR2 blocked (the exec'ing thread's mask): %s, SIGUSR1 blocked: %s\n",
	       yes(sigismember(&cur, SIGUSR2) == 1), yes(sigismember(&cur, SIGUSR1) == 1));
	return 0;
}

static int pipefd[2];
static pthread_barrier_t started;

static void *reader(void *arg)
{
	char c;
	(void)arg;
	pthread_barrier_wait(&started);
	if (read(pipefd[0], &c, 1) >= 0)
		printf("reader: read returned\n");
	return NULL;
}

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&started);
	sleep(30);
	printf("sleeper: woke up\n");
	return NULL;
}

static volatile unsigned long spins;
static void *spinner(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&started);
	for (;;)
		spins++;
	return NULL;
}

static void *execer(void *arg)
{
	char **argv = arg;
	char pid[32], ppid[32];
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	pthread_barrier_wait(&started);
	sleep_ms(50); /* let the others block and spin */
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	snprintf(ppid, sizeof ppid, "%d", (int)getppid());
	char *args[] = { argv[0], "child", pid, ppid, NULL };
	printf("exec'ing thread: Threads: %d, task entries %d\n", threads_line(), task_entries());
	fflush(stdout);
	execve("/proc/self/exe", args, environ);
	printf("execve failed: %s\n", errname(errno));
	fflush(stdout);
	_exit(1);
}

int main(int argc, char **argv)
{
	pthread_t t[4];

	if (argc > 3 && strcmp(argv[1], "child") == 0)
		return child(argv);
	alarm(20);
	pipe(pipefd);
	pthread_barrier_init(&started, NULL, 5);
	pthread_create(&t[0], NULL, reader, NULL);
	pthread_create(&t[1], NULL, sleeper, NULL);
	pthread_create(&t[2], NULL, spinner, NULL);
	pthread_create(&t[3], NULL, execer, argv);
	pthread_barrier_wait(&started);
	pthread_join(t[3], NULL);
	printf("main: pthread_join of the exec'ing thread returned\n");
	return 1;
}
