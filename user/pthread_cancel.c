/* pthread_cancel: deferred cancellation (issue 17 item 6). A thread blocked in a cancellation
 * point (read on an empty pipe, pthread_cond_wait, nanosleep, sem_wait) is cancelled: join
 * returns PTHREAD_CANCELED and its cleanup handlers ran, last pushed first (a cancelled
 * pthread_cond_wait re-acquires the mutex before the handlers run). PTHREAD_CANCEL_DISABLE holds
 * a request until cancellation is enabled again; a thread that makes no cancellation point runs
 * on until pthread_testcancel; pthread_exit runs the handlers too, pthread_cleanup_pop(0) drops
 * one. Libcs cancel with a signal of their own (musl 33, glibc 32) sent with tgkill, which the
 * blocked system call must see (EINTR-like wake-up, then the libc acts on it). Printed by the
 * main thread after the joins. Built with musl and glibc (tests/user/glibc-programs). Needs
 * threads: listed in tests/user/pending-threads. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

/* What the cleanup handlers saw, in the order they ran. */
static char trail[256];
static void note(const char *s)
{
	strncat(trail, s, sizeof trail - strlen(trail) - 1);
}
static void cleanup(void *arg)
{
	note((const char *)arg);
}

static sem_t ready;
static volatile int after_point;

/* Cancels t once it is about to block (and a little after, so that it does block), joins it and
 * prints what join returned and what the cleanup handlers noted. */
static void cancel_and_join(pthread_t t, const char *what)
{
	void *ret = NULL;

	sem_wait(&ready);
	sleep_ms(50);
	int c = pthread_cancel(t);
	int j = pthread_join(t, &ret);
	printf("%s: cancel %d, join %d, PTHREAD_CANCELED: %s, went past the point: %s, cleanup: %s\n",
	       what, c, j, yes(ret == PTHREAD_CANCELED), yes(after_point), trail[0] ? trail : "none");
	trail[0] = 0;
	after_point = 0;
}

static int pipefd[2];
static void *in_read(void *arg)
{
	char c;
	(void)arg;
	pthread_cleanup_push(cleanup, "[outer]");
	pthread_cleanup_push(cleanup, "[inner]");
	sem_post(&ready);
	read(pipefd[0], &c, 1);
	after_point = 1;
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return NULL;
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static void unlock_m(void *arg)
{
	(void)arg;
	/* The mutex is held again when a cancelled pthread_cond_wait acts on the request. */
	note(pthread_mutex_trylock(&m) == EBUSY ? "[mutex held]" : "[mutex NOT held]");
	pthread_mutex_unlock(&m);
}
static void *in_cond_wait(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_cleanup_push(unlock_m, NULL);
	sem_post(&ready);
	for (;;)
		pthread_cond_wait(&cv, &m);
	pthread_cleanup_pop(1);
	return NULL;
}

static void *in_nanosleep(void *arg)
{
	(void)arg;
	pthread_cleanup_push(cleanup, "[sleep]");
	sem_post(&ready);
	sleep(30);
	after_point = 1;
	pthread_cleanup_pop(0);
	return NULL;
}

static sem_t never;
static void *in_sem_wait(void *arg)
{
	(void)arg;
	pthread_cleanup_push(cleanup, "[sem]");
	sem_post(&ready);
	sem_wait(&never);
	after_point = 1;
	pthread_cleanup_pop(0);
	return NULL;
}

/* Cancellation disabled around a cancellation point, then enabled: the request waits. */
static volatile int disabled_state_ok, old_state_enabled;
static void *disabled(void *arg)
{
	int old = -1;
	(void)arg;
	pthread_cleanup_push(cleanup, "[disabled]");
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	old_state_enabled = old == PTHREAD_CANCEL_ENABLE;
	sem_post(&ready);
	sleep_ms(300); /* the request arrives during this: it must not act */
	note("[slept through the request]");
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
	disabled_state_ok = old == PTHREAD_CANCEL_DISABLE;
	pthread_testcancel();
	after_point = 1;
	pthread_cleanup_pop(0);
	return NULL;
}

/* Deferred cancellation and a thread that makes no cancellation point until testcancel. */
static volatile int go_on;
static void *busy(void *arg)
{
	int old = -1;
	(void)arg;
	pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, &old);
	pthread_cleanup_push(cleanup, "[busy]");
	sem_post(&ready);
	while (!go_on)
		;
	note("[ran on after the request]");
	pthread_testcancel();
	after_point = 1;
	pthread_cleanup_pop(0);
	return NULL;
}

static void *exits(void *arg)
{
	(void)arg;
	pthread_cleanup_push(cleanup, "[a]");
	pthread_cleanup_push(cleanup, "[b-popped]");
	pthread_cleanup_push(cleanup, "[c]");
	pthread_cleanup_pop(1); /* runs [c] now */
	pthread_cleanup_pop(0); /* drops [b-popped] */
	pthread_exit((void *)(intptr_t)5);
	pthread_cleanup_pop(0);
	return NULL;
}

static void *testcancel_without_request(void *arg)
{
	(void)arg;
	pthread_testcancel();
	return (void *)(intptr_t)9;
}

int main(void)
{
	pthread_t t;
	void *ret;

	alarm(30);
	sem_init(&ready, 0, 0);
	sem_init(&never, 0, 0);
	pipe(pipefd);

	pthread_create(&t, NULL, in_read, NULL);
	cancel_and_join(t, "read on an empty pipe");
	pthread_create(&t, NULL, in_cond_wait, NULL);
	cancel_and_join(t, "pthread_cond_wait");
	printf("mutex free after the cancelled waiter: trylock %d\n", pthread_mutex_trylock(&m));
	pthread_mutex_unlock(&m);
	pthread_create(&t, NULL, in_nanosleep, NULL);
	cancel_and_join(t, "sleep(30)");
	pthread_create(&t, NULL, in_sem_wait, NULL);
	cancel_and_join(t, "sem_wait");

	pthread_create(&t, NULL, disabled, NULL);
	cancel_and_join(t, "CANCEL_DISABLE, then enabled and testcancel");
	printf("setcancelstate old values: ENABLE %s, then DISABLE %s\n", yes(old_state_enabled),
	       yes(disabled_state_ok));

	pthread_create(&t, NULL, busy, NULL);
	sem_wait(&ready);
	int c = pthread_cancel(t);
	sleep_ms(100);
	go_on = 1;
	int j = pthread_join(t, &ret);
	printf("busy loop, then testcancel: cancel %d, join %d, PTHREAD_CANCELED: %s, went past "
	       "testcancel: %s, cleanup: %s\n",
	       c, j, yes(ret == PTHREAD_CANCELED), yes(after_point), trail);
	trail[0] = 0;

	pthread_create(&t, NULL, exits, NULL);
	j = pthread_join(t, &ret);
	printf("pthread_exit(5) with handlers: join %d, value %ld, cleanup: %s\n", j,
	       (long)(intptr_t)ret, trail);
	trail[0] = 0;

	pthread_create(&t, NULL, testcancel_without_request, NULL);
	j = pthread_join(t, &ret);
	printf("testcancel without a request: join %d, value %ld\n", j, (long)(intptr_t)ret);

	/* The main thread's own state: cancellation enabled and deferred by default. */
	int old = -1, oldtype = -1;
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
	pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, &oldtype);
	printf("main: cancel state ENABLE: %s, type DEFERRED: %s\n", yes(old == PTHREAD_CANCEL_ENABLE),
	       yes(oldtype == PTHREAD_CANCEL_DEFERRED));
	return 0;
}
