/* pthread_basic: the first things a threaded program does (issue 17 item 6, "real clients").
 * pthread_create/pthread_join with return values, a detached thread that reports through a
 * semaphore, 8 threads incrementing a counter under a mutex, pthread_self/pthread_equal,
 * thread-local storage (_Thread_local, and pthread_key_create with destructors run at thread
 * exit), getpid the same in every thread, gettid (raw syscall) different from the main thread's.
 * Results are gathered while the threads run and printed by the main thread after the joins:
 * no tid, address or timing is printed, only comparisons and counts. Built with musl and glibc
 * (tests/user/glibc-programs). Needs threads: listed in tests/user/pending-threads. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common.h"

#define NCOUNT 8
#define ROUNDS 20000
#define NTLS 4

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

static void *ret_value(void *arg)
{
	return (void *)((intptr_t)arg * 10 + 1);
}

/* The detached thread: it cannot be joined, so it says it ran through a semaphore. */
static sem_t detached_done;
static volatile int detached_ran;
static void *detached(void *arg)
{
	(void)arg;
	detached_ran = 1;
	sem_post(&detached_done);
	return NULL;
}

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static void *count(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&count_lock);
		counter++;
		pthread_mutex_unlock(&count_lock);
	}
	return NULL;
}

/* pthread_self as the thread sees it, compared by the main thread with what create gave it. */
static pthread_t seen_self;
static pid_t main_pid, main_tid, seen_pid, seen_tid;
static void *identity(void *arg)
{
	(void)arg;
	seen_self = pthread_self();
	seen_pid = getpid();
	seen_tid = (pid_t)sys0(SYS_gettid);
	return NULL;
}

/* TLS: each thread starts with the initial value, sets its own and finds it unchanged after all
 * the others have set theirs (the barrier); pthread keys with a destructor. */
static _Thread_local int tls_value = 42;
static _Thread_local char tls_zero[64];
static pthread_barrier_t tls_barrier;
static pthread_key_t key, key_nodtor;
static int destructor_runs, destructor_bad;
static pthread_mutex_t dtor_lock = PTHREAD_MUTEX_INITIALIZER;
static int tls_initial_ok, tls_kept_ok, tls_zero_ok, key_initial_null, key_kept_ok;
static pid_t tls_tid[NTLS];

static void destructor(void *v)
{
	pthread_mutex_lock(&dtor_lock);
	destructor_runs++;
	/* Each thread's destructor gets the value that thread set, and runs once. */
	if ((intptr_t)v < 1 || (intptr_t)v > NTLS)
		destructor_bad++;
	pthread_mutex_unlock(&dtor_lock);
}

static void *tls_thread(void *arg)
{
	int id = (int)(intptr_t)arg;
	int ok_initial = tls_value == 42, ok_zero = 1;

	for (unsigned i = 0; i < sizeof tls_zero; i++)
		ok_zero &= tls_zero[i] == 0;
	int null_key = pthread_getspecific(key) == NULL;
	tls_value = 100 + id;
	memset(tls_zero, id, sizeof tls_zero);
	/* Thread NTLS-1 leaves its value NULL: no destructor call for it. */
	if (id != NTLS - 1)
		pthread_setspecific(key, (void *)(intptr_t)(id + 1));
	pthread_setspecific(key_nodtor, (void *)(intptr_t)(id + 1));
	tls_tid[id] = (pid_t)sys0(SYS_gettid);
	pthread_barrier_wait(&tls_barrier);
	int kept = tls_value == 100 + id && tls_zero[0] == id && tls_zero[63] == id;
	int key_kept = pthread_getspecific(key_nodtor) == (void *)(intptr_t)(id + 1) &&
		       (id == NTLS - 1 ? pthread_getspecific(key) == NULL :
					 pthread_getspecific(key) == (void *)(intptr_t)(id + 1));
	pthread_mutex_lock(&dtor_lock);
	tls_initial_ok += ok_initial;
	tls_zero_ok += ok_zero;
	tls_kept_ok += kept;
	key_initial_null += null_key;
	key_kept_ok += key_kept;
	pthread_mutex_unlock(&dtor_lock);
	return NULL;
}

int main(void)
{
	pthread_t t[NCOUNT];
	void *ret;

	alarm(20);
	main_pid = getpid();
	main_tid = (pid_t)sys0(SYS_gettid);
	printf("main: gettid == getpid: %s\n", yes(main_tid == main_pid));

	/* create/join with return values */
	for (int i = 0; i < 3; i++)
		printf("create %d: %d\n", i, pthread_create(&t[i], NULL, ret_value, (void *)(intptr_t)i));
	for (int i = 0; i < 3; i++) {
		int r = pthread_join(t[i], &ret);
		printf("join %d: %d, returned %ld\n", i, r, (long)(intptr_t)ret);
	}

	/* a detached thread, created detached, and one detached after creation */
	pthread_attr_t attr;
	int state = -1;
	sem_init(&detached_done, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_getdetachstate(&attr, &state);
	printf("default detach state joinable: %s\n", yes(state == PTHREAD_CREATE_JOINABLE));
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	printf("create detached: %d\n", pthread_create(&t[0], &attr, detached, NULL));
	pthread_attr_destroy(&attr);
	sem_wait(&detached_done);
	printf("detached thread ran: %s\n", yes(detached_ran));
	detached_ran = 0;
	pthread_create(&t[0], NULL, detached, NULL);
	printf("pthread_detach: %d\n", pthread_detach(t[0]));
	sem_wait(&detached_done);
	printf("thread detached after creation ran: %s\n", yes(detached_ran));

	/* the counter under a mutex */
	for (int i = 0; i < NCOUNT; i++)
		pthread_create(&t[i], NULL, count, NULL);
	for (int i = 0; i < NCOUNT; i++)
		pthread_join(t[i], NULL);
	printf("%d threads x %d locked increments: %ld\n", NCOUNT, ROUNDS, counter);

	/* identity */
	pthread_create(&t[0], NULL, identity, NULL);
	pthread_join(t[0], NULL);
	printf("pthread_self in the thread == pthread_create's id: %s\n",
	       yes(pthread_equal(seen_self, t[0]) != 0));
	printf("pthread_equal(main's self, the thread's): %s\n",
	       yes(pthread_equal(pthread_self(), seen_self) != 0));
	printf("pthread_equal(self, self): %s\n", yes(pthread_equal(pthread_self(), pthread_self()) != 0));
	printf("getpid in the thread == main's: %s\n", yes(seen_pid == main_pid));
	printf("gettid in the thread != main's: %s\n", yes(seen_tid != main_tid && seen_tid > 0));

	/* TLS and keys */
	printf("pthread_key_create: %d\n", pthread_key_create(&key, destructor));
	printf("pthread_key_create (no destructor): %d\n", pthread_key_create(&key_nodtor, NULL));
	pthread_setspecific(key, (void *)(intptr_t)99);
	tls_value = 7;
	pthread_barrier_init(&tls_barrier, NULL, NTLS);
	for (int i = 0; i < NTLS; i++)
		pthread_create(&t[i], NULL, tls_thread, (void *)(intptr_t)i);
	for (int i = 0; i < NTLS; i++)
		pthread_join(t[i], NULL);
	printf("TLS: initial value 42 in each new thread: %d of %d\n", tls_initial_ok, NTLS);
	printf("TLS: zero-initialised array zero in each new thread: %d of %d\n", tls_zero_ok, NTLS);
	printf("TLS: own value kept after all set theirs: %d of %d\n", tls_kept_ok, NTLS);
	printf("TLS: main's value untouched: %s\n", yes(tls_value == 7));
	printf("key: NULL in each new thread: %d of %d\n", key_initial_null, NTLS);
	printf("key: own value kept: %d of %d\n", key_kept_ok, NTLS);
	printf("key: destructor runs at thread exit: %d (bad values %d)\n", destructor_runs,
	       destructor_bad);
	printf("key: main's value kept: %s\n", yes(pthread_getspecific(key) == (void *)(intptr_t)99));
	int distinct = 1;
	for (int i = 0; i < NTLS; i++) {
		distinct &= tls_tid[i] != main_tid && tls_tid[i] > 0;
		for (int j = 0; j < i; j++)
			distinct &= tls_tid[i] != tls_tid[j];
	}
	printf("gettid: %d threads alive together have distinct tids: %s\n", NTLS, yes(distinct));
	printf("pthread_key_delete: %d\n", pthread_key_delete(key));
	return 0;
}
