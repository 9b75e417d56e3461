/* pthread_sync: the synchronisation objects of libc over futex (issue 17 item 6). A condvar
 * producer/consumer over a bounded queue (item count and checksum), a barrier over several
 * rounds (PTHREAD_BARRIER_SERIAL_THREAD exactly once per round), a rwlock with readers checking a
 * writer's invariant, pthread_once from several threads, semaphores passing a token between two
 * threads, pthread_mutex_trylock's EBUSY, recursive and error-checking mutexes (EDEADLK, EPERM),
 * pthread_cond_timedwait with an absolute time in the past (ETIMEDOUT) and a bad one (EINVAL).
 * Results are printed by the main thread after the joins, as numbers and errno names (common.h's
 * errname, not libc's strerror). Built with musl and glibc (tests/user/glibc-programs). Needs
 * threads: listed in tests/user/pending-threads. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

/* pthread functions return the error number itself. */
static void showr(const char *what, int r)
{
	show(what, r ? -r : 0);
}

/* ---- producer/consumer over a bounded queue */
#define QSIZE 4
#define NPROD 3
#define NCONS 2
#define ITEMS 2000
static long queue[QSIZE];
static int qhead, qlen;
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static long consumed[NCONS], sums[NCONS];
static int max_len;

static void put(long v)
{
	pthread_mutex_lock(&qlock);
	while (qlen == QSIZE)
		pthread_cond_wait(&not_full, &qlock);
	queue[(qhead + qlen) % QSIZE] = v;
	qlen++;
	if (qlen > max_len)
		max_len = qlen;
	pthread_cond_signal(&not_empty);
	pthread_mutex_unlock(&qlock);
}

static long get(void)
{
	pthread_mutex_lock(&qlock);
	while (qlen == 0)
		pthread_cond_wait(&not_empty, &qlock);
	long v = queue[qhead];
	qhead = (qhead + 1) % QSIZE;
	qlen--;
	pthread_cond_signal(&not_full);
	pthread_mutex_unlock(&qlock);
	return v;
}

static void *producer(void *arg)
{
	long id = (long)(intptr_t)arg;
	for (long i = 1; i <= ITEMS; i++)
		put(id * 100000 + i);
	return NULL;
}

static void *consumer(void *arg)
{
	int id = (int)(intptr_t)arg;
	for (;;) {
		long v = get();
		if (v < 0)
			return NULL;
		consumed[id]++;
		sums[id] += v;
	}
}

static void producer_consumer(void)
{
	pthread_t p[NPROD], c[NCONS];
	long want = 0, total = 0, sum = 0;

	for (int i = 0; i < NCONS; i++)
		pthread_create(&c[i], NULL, consumer, (void *)(intptr_t)i);
	for (int i = 0; i < NPROD; i++)
		pthread_create(&p[i], NULL, producer, (void *)(intptr_t)(i + 1));
	for (int i = 0; i < NPROD; i++)
		pthread_join(p[i], NULL);
	for (int i = 0; i < NCONS; i++)
		put(-1);
	for (int i = 0; i < NCONS; i++)
		pthread_join(c[i], NULL);
	for (int i = 0; i < NCONS; i++) {
		total += consumed[i];
		sum += sums[i];
	}
	for (long id = 1; id <= NPROD; id++)
		want += id * 100000 * ITEMS + (long)ITEMS * (ITEMS + 1) / 2;
	printf("queue: %d producers x %d items through %d slots: %ld consumed, checksum %ld (%s)\n",
	       NPROD, ITEMS, QSIZE, total, sum, sum == want ? "right" : "WRONG");
	printf("queue: never more than %d items: %s, empty at the end: %s\n", QSIZE,
	       yes(max_len <= QSIZE), yes(qlen == 0));
}

/* ---- barrier */
#define NBAR 5
#define BROUNDS 6
static pthread_barrier_t barrier;
static int serial[BROUNDS], other[BROUNDS], bad_ret;
static int arrived[BROUNDS], early_leave;
static pthread_mutex_t blk = PTHREAD_MUTEX_INITIALIZER;

static void *barrier_thread(void *arg)
{
	(void)arg;
	for (int r = 0; r < BROUNDS; r++) {
		pthread_mutex_lock(&blk);
		arrived[r]++;
		pthread_mutex_unlock(&blk);
		int ret = pthread_barrier_wait(&barrier);
		pthread_mutex_lock(&blk);
		/* Nobody leaves round r before all have arrived at it. */
		if (arrived[r] != NBAR)
			early_leave++;
		if (ret == PTHREAD_BARRIER_SERIAL_THREAD)
			serial[r]++;
		else if (ret == 0)
			other[r]++;
		else
			bad_ret++;
		pthread_mutex_unlock(&blk);
	}
	return NULL;
}

static void barriers(void)
{
	pthread_t t[NBAR];

	showr("pthread_barrier_init count 0", pthread_barrier_init(&barrier, NULL, 0));
	showr("pthread_barrier_init", pthread_barrier_init(&barrier, NULL, NBAR));
	for (int i = 0; i < NBAR; i++)
		pthread_create(&t[i], NULL, barrier_thread, NULL);
	for (int i = 0; i < NBAR; i++)
		pthread_join(t[i], NULL);
	for (int r = 0; r < BROUNDS; r++)
		printf("barrier round %d: SERIAL_THREAD %d, 0 %d\n", r, serial[r], other[r]);
	printf("barrier: other results %d, left before all arrived %d\n", bad_ret, early_leave);
	showr("pthread_barrier_destroy", pthread_barrier_destroy(&barrier));
}

/* ---- rwlock: writers keep a == b (changing them one after the other), readers check it */
#define NREAD 3
#define NWRITE 2
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static volatile long rw_a, rw_b;
static int rw_bad, rw_reads, rw_writes;
static pthread_mutex_t rwcount = PTHREAD_MUTEX_INITIALIZER;

static void *reader(void *arg)
{
	(void)arg;
	int bad = 0;
	for (int i = 0; i < 3000; i++) {
		pthread_rwlock_rdlock(&rw);
		long a = rw_a;
		if (i % 64 == 0)
			sched_yield();
		if (rw_b != a)
			bad++;
		pthread_rwlock_unlock(&rw);
	}
	pthread_mutex_lock(&rwcount);
	rw_bad += bad;
	rw_reads += 3000;
	pthread_mutex_unlock(&rwcount);
	return NULL;
}

static void *writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 1000; i++) {
		pthread_rwlock_wrlock(&rw);
		rw_a++;
		if (i % 32 == 0)
			sched_yield();
		rw_b++;
		pthread_rwlock_unlock(&rw);
	}
	pthread_mutex_lock(&rwcount);
	rw_writes += 1000;
	pthread_mutex_unlock(&rwcount);
	return NULL;
}

static int try_result;
static void *try_rd(void *arg)
{
	(void)arg;
	try_result = pthread_rwlock_tryrdlock(&rw);
	return NULL;
}
static void *try_wr(void *arg)
{
	(void)arg;
	try_result = pthread_rwlock_trywrlock(&rw);
	return NULL;
}

static void run_try(void *(*fn)(void *), const char *what)
{
	pthread_t t;
	pthread_create(&t, NULL, fn, NULL);
	pthread_join(t, NULL);
	showr(what, try_result);
	if (try_result == 0)
		pthread_rwlock_unlock(&rw);
}

static void rwlocks(void)
{
	pthread_t t[NREAD + NWRITE];

	for (int i = 0; i < NREAD + NWRITE; i++)
		pthread_create(&t[i], NULL, i < NREAD ? reader : writer, NULL);
	for (int i = 0; i < NREAD + NWRITE; i++)
		pthread_join(t[i], NULL);
	printf("rwlock: %d reads, %d writes, a %ld b %ld, reads that saw a != b: %d\n", rw_reads,
	       rw_writes, rw_a, rw_b, rw_bad);
	pthread_rwlock_wrlock(&rw);
	run_try(try_rd, "tryrdlock from another thread while write-locked");
	run_try(try_wr, "trywrlock from another thread while write-locked");
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_rdlock(&rw);
	run_try(try_rd, "tryrdlock from another thread while read-locked");
	run_try(try_wr, "trywrlock from another thread while read-locked");
	pthread_rwlock_unlock(&rw);
	run_try(try_wr, "trywrlock from another thread when free");
}

/* ---- pthread_once */
#define NONCE 6
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs, after_once_ok;
static pthread_barrier_t once_barrier;
static void once_init(void)
{
	sched_yield();
	once_runs++;
}
static void *once_thread(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&once_barrier);
	pthread_once(&once, once_init);
	/* pthread_once returns only after the init routine has completed. */
	pthread_mutex_lock(&rwcount);
	after_once_ok += once_runs == 1;
	pthread_mutex_unlock(&rwcount);
	return NULL;
}

static void onces(void)
{
	pthread_t t[NONCE];

	pthread_barrier_init(&once_barrier, NULL, NONCE);
	for (int i = 0; i < NONCE; i++)
		pthread_create(&t[i], NULL, once_thread, NULL);
	for (int i = 0; i < NONCE; i++)
		pthread_join(t[i], NULL);
	pthread_once(&once, once_init);
	printf("pthread_once from %d threads and main: init ran %d time(s), saw it done: %d of %d\n",
	       NONCE, once_runs, after_once_ok, NONCE);
}

/* ---- semaphores: a token passed back and forth */
#define PINGS 500
static sem_t ping, pong;
static int ping_count, pong_count, order_bad;
static void *ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < PINGS; i++) {
		sem_wait(&ping);
		if (ping_count != pong_count + 1)
			order_bad++;
		pong_count++;
		sem_post(&pong);
	}
	return NULL;
}

static void semaphores(void)
{
	pthread_t t;
	int v = -1;

	sem_init(&ping, 0, 0);
	sem_init(&pong, 0, 0);
	show_libc("sem_trywait on 0", sem_trywait(&ping));
	pthread_create(&t, NULL, ponger, NULL);
	for (int i = 0; i < PINGS; i++) {
		ping_count++;
		sem_post(&ping);
		sem_wait(&pong);
		if (pong_count != ping_count)
			order_bad++;
	}
	pthread_join(t, NULL);
	printf("sem ping-pong: %d pings, %d pongs, out of order %d\n", ping_count, pong_count,
	       order_bad);
	sem_post(&ping);
	sem_post(&ping);
	sem_getvalue(&ping, &v);
	printf("sem_getvalue after two posts: %d\n", v);
	show_libc("sem_trywait", sem_trywait(&ping));
	sem_getvalue(&ping, &v);
	printf("sem_getvalue: %d\n", v);
}

/* ---- mutex kinds */
static pthread_mutex_t *other_mutex;
static int other_try, other_unlock, other_check_unlock;
static void *other_thread(void *arg)
{
	(void)arg;
	other_try = pthread_mutex_trylock(other_mutex);
	if (other_try == 0)
		pthread_mutex_unlock(other_mutex);
	/* Unlocking a mutex another thread owns: an error for recursive and error-checking
	 * mutexes only (undefined for a normal one, so not tried there). */
	if (other_check_unlock)
		other_unlock = pthread_mutex_unlock(other_mutex);
	return NULL;
}
static void from_other(pthread_mutex_t *m, const char *kind, int check_unlock)
{
	char what[128];
	pthread_t t;

	other_mutex = m;
	other_check_unlock = check_unlock;
	pthread_create(&t, NULL, other_thread, NULL);
	pthread_join(t, NULL);
	snprintf(what, sizeof what, "%s: trylock from another thread", kind);
	showr(what, other_try);
	if (check_unlock) {
		snprintf(what, sizeof what, "%s: unlock from another thread (not the owner)", kind);
		showr(what, other_unlock);
	}
}

static void mutexes(void)
{
	static pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutexattr_t a;
	pthread_mutex_t rec, chk;
	int type = -1;

	showr("normal: lock", pthread_mutex_lock(&plain));
	showr("normal: trylock by the owner", pthread_mutex_trylock(&plain));
	from_other(&plain, "normal, held", 0);
	showr("normal: unlock", pthread_mutex_unlock(&plain));
	from_other(&plain, "normal, free", 0);

	pthread_mutexattr_init(&a);
	pthread_mutexattr_gettype(&a, &type);
	printf("mutexattr default type PTHREAD_MUTEX_DEFAULT: %s\n", yes(type == PTHREAD_MUTEX_DEFAULT));
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&rec, &a);
	showr("recursive: lock", pthread_mutex_lock(&rec));
	showr("recursive: lock again", pthread_mutex_lock(&rec));
	showr("recursive: trylock by the owner", pthread_mutex_trylock(&rec));
	from_other(&rec, "recursive, held twice", 1);
	showr("recursive: unlock 1", pthread_mutex_unlock(&rec));
	showr("recursive: unlock 2", pthread_mutex_unlock(&rec));
	from_other(&rec, "recursive, held once", 1);
	showr("recursive: unlock 3", pthread_mutex_unlock(&rec));
	showr("recursive: unlock when free", pthread_mutex_unlock(&rec));
	pthread_mutex_destroy(&rec);

	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&chk, &a);
	showr("errorcheck: lock", pthread_mutex_lock(&chk));
	showr("errorcheck: lock again by the owner", pthread_mutex_lock(&chk));
	showr("errorcheck: trylock by the owner", pthread_mutex_trylock(&chk));
	from_other(&chk, "errorcheck, held", 1);
	showr("errorcheck: unlock", pthread_mutex_unlock(&chk));
	showr("errorcheck: unlock when free", pthread_mutex_unlock(&chk));
	pthread_mutex_destroy(&chk);
	pthread_mutexattr_destroy(&a);
}

static pthread_mutex_t *timed_mutex;
static int timed_result;
static void *timedlock_thread(void *arg)
{
	struct timespec now;
	(void)arg;
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec -= 1;
	timed_result = pthread_mutex_timedlock(timed_mutex, &now);
	return NULL;
}

/* ---- pthread_cond_timedwait with absolute times that need no waiting */
static void timedwaits(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	struct timespec past = { 1, 0 }, now, bad;

	pthread_mutex_lock(&m);
	showr("cond_timedwait, 1970 + 1 s (REALTIME)", pthread_cond_timedwait(&c, &m, &past));
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec -= 1;
	showr("cond_timedwait, now - 1 s (REALTIME)", pthread_cond_timedwait(&c, &m, &now));
	showr("mutex still held after the timeout: trylock",
	      pthread_mutex_trylock(&m));
	bad = now;
	bad.tv_nsec = 1000000000;
	showr("cond_timedwait, tv_nsec 1000000000", pthread_cond_timedwait(&c, &m, &bad));
	pthread_mutex_unlock(&m);

	pthread_condattr_t ca;
	pthread_cond_t mc;
	pthread_condattr_init(&ca);
	showr("condattr_setclock MONOTONIC", pthread_condattr_setclock(&ca, CLOCK_MONOTONIC));
	pthread_cond_init(&mc, &ca);
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec = 0;
	pthread_mutex_lock(&m);
	showr("cond_timedwait, MONOTONIC now (whole second)", pthread_cond_timedwait(&mc, &m, &now));
	pthread_mutex_unlock(&m);

	sem_t s;
	sem_init(&s, 0, 0);
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec -= 1;
	show_libc("sem_timedwait, now - 1 s", sem_timedwait(&s, &now));
	pthread_mutex_lock(&m);
	pthread_t t;
	timed_mutex = &m;
	pthread_create(&t, NULL, timedlock_thread, NULL);
	pthread_join(t, NULL);
	showr("mutex_timedlock from another thread while held, now - 1 s", timed_result);
	pthread_mutex_unlock(&m);
}

int main(void)
{
	alarm(30);
	producer_consumer();
	barriers();
	rwlocks();
	onces();
	semaphores();
	mutexes();
	timedwaits();
	return 0;
}
