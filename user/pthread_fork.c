/* pthread_fork: fork() in a threaded process (issue 17 item 6). A thread other than the main one
 * forks while another thread holds a mutex: the child has one thread (the forking one, now its
 * main thread: gettid == getpid; /proc/self/status "Threads:" and /proc/self/task), the mutex is
 * still locked in the child (a copy whose owner does not exist there: trylock EBUSY, never
 * locked), pthread_atfork handlers run prepare in reverse order of registration, parent and
 * child in order, and the child can create threads of its own. In the parent, the child belongs
 * to the forking thread: wait4 with __WNOTHREAD from the main thread does not see it (ECHILD),
 * an ordinary waitpid from the main thread reaps it. The child prints its lines itself (stdout
 * is flushed before the fork) and the parent prints after reaping it. Built with musl and glibc
 * (tests/user/glibc-programs). Needs threads: listed in tests/user/pending-threads. */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#ifndef __WNOTHREAD
#define __WNOTHREAD 0x20000000
#endif

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

static char trail[128];
static void note(const char *s)
{
	strncat(trail, s, sizeof trail - strlen(trail) - 1);
}
static void prepare1(void) { note(" prepare1"); }
static void parent1(void) { note(" parent1"); }
static void child1(void) { note(" child1"); }
static void prepare2(void) { note(" prepare2"); }
static void parent2(void) { note(" parent2"); }
static void child2(void) { note(" child2"); }

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

/* A joined thread may still be counted for a moment: pthread_join returns when the kernel clears
 * the thread's tid (CLONE_CHILD_CLEARTID, as it releases the memory), before the task is gone
 * from the thread group. So the count after joins is the one it settles to (within 2 s). */
static int settled_threads(int want)
{
	int n = threads_line();
	for (int i = 0; i < 2000 && n != want; i++) {
		sleep_ms(1);
		n = threads_line();
	}
	return n;
}

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static sem_t holding, release_holder, forked, release_forker;
static pid_t child;

static void *holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&held);
	sem_post(&holding);
	sem_wait(&release_holder);
	pthread_mutex_unlock(&held);
	return NULL;
}

static pthread_barrier_t child_barrier;
static int child_thread_count;
static void *child_thread(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&child_barrier);
	pthread_barrier_wait(&child_barrier);
	return (void *)42;
}

static void in_child(void)
{
	pthread_t t[2];
	void *r0, *r1;

	printf("child: atfork handlers:%s\n", trail);
	printf("child: gettid == getpid: %s\n", yes(sys0(SYS_gettid) == getpid()));
	printf("child: /proc/self/status Threads: %d\n", threads_line());
	printf("child: /proc/self/task entries: %d\n", task_entries());
	printf("child: mutex held by another parent thread: trylock %s\n",
	       errname(pthread_mutex_trylock(&held)));
	pthread_barrier_init(&child_barrier, NULL, 3);
	int c0 = pthread_create(&t[0], NULL, child_thread, NULL);
	int c1 = pthread_create(&t[1], NULL, child_thread, NULL);
	pthread_barrier_wait(&child_barrier);
	child_thread_count = threads_line();
	int tasks = task_entries();
	pthread_barrier_wait(&child_barrier);
	pthread_join(t[0], &r0);
	pthread_join(t[1], &r1);
	printf("child: pthread_create %d %d; while they run Threads: %d, task entries %d\n", c0, c1,
	       child_thread_count, tasks);
	printf("child: joined, returned %ld %ld; Threads: %d\n", (long)r0, (long)r1, settled_threads(1));
	fflush(stdout);
	_exit(7);
}

static void *forker(void *arg)
{
	(void)arg;
	trail[0] = 0;
	fflush(stdout);
	child = fork();
	if (child == 0)
		in_child();
	sem_post(&forked);
	sem_wait(&release_forker);
	return NULL;
}

int main(void)
{
	pthread_t h, f;
	int st = 0;

	alarm(30);
	sem_init(&holding, 0, 0);
	sem_init(&release_holder, 0, 0);
	sem_init(&forked, 0, 0);
	sem_init(&release_forker, 0, 0);
	printf("pthread_atfork 1: %d\n", pthread_atfork(prepare1, parent1, child1));
	printf("pthread_atfork 2: %d\n", pthread_atfork(prepare2, parent2, child2));
	pthread_create(&h, NULL, holder, NULL);
	sem_wait(&holding);
	printf("parent: Threads before the fork: %d, task entries %d\n", threads_line(),
	       task_entries());
	pthread_create(&f, NULL, forker, NULL);
	sem_wait(&forked);
	/* The child is the forking thread's: invisible to the main thread's __WNOTHREAD wait. */
	long r = sys4(SYS_wait4, child, (long)&st, WNOHANG | __WNOTHREAD, 0);
	printf("parent: main thread's wait4(child, WNOHANG|__WNOTHREAD): %s\n",
	       r == child ? "the child" : is_err(r) ? errname((int)-r) : "0");
	pid_t w = waitpid(child, &st, 0);
	printf("parent: main thread's waitpid(child): the child: %s, exit status %d\n",
	       yes(w == child), WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	printf("parent: atfork handlers:%s\n", trail);
	sem_post(&release_forker);
	sem_post(&release_holder);
	pthread_join(f, NULL);
	pthread_join(h, NULL);
	printf("parent: mutex free again: trylock %d\n", pthread_mutex_trylock(&held));
	int n = settled_threads(1);
	printf("parent: Threads after the joins: %d, task entries %d\n", n, task_entries());
	return 0;
}
