/* pthread_stack: thread stacks and their guard pages (issue 17 item 6). A thread with a small
 * stack (pthread_attr_setstacksize) recurses into its guard page: the SIGSEGV runs a handler on
 * that thread's own alternate signal stack (sigaltstack is per thread; a new thread has none),
 * which records si_code and whether si_addr is inside the guard below the stack that
 * pthread_getattr_np reports, and siglongjmps out; the same with a larger guard
 * (pthread_attr_setguardsize). Then the number of mappings in /proc/self/maps before, while and
 * after three threads run.
 *
 * musl only (not in tests/user/glibc-programs): glibc keeps the stacks of joined threads in a
 * cache (so the maps count after the joins differs) and sizes its default stacks from
 * RLIMIT_STACK. Needs threads: listed in tests/user/pending-threads. */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define ALT_SIZE (64 * 1024)

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

struct result {
	size_t guard;              /* what pthread_getattr_np says */
	size_t stacksize;
	int new_thread_no_altstack;
	int faults;
	int si_code;
	int in_guard;              /* lo - guard <= si_addr < lo */
	int on_altstack;           /* the handler's frame is on this thread's alternate stack */
	int in_thread;             /* the handler runs in the faulting thread */
	int deep;                  /* recursed at least a few frames */
};

static __thread struct result *res;
static __thread sigjmp_buf jb;
static __thread uintptr_t lo, guard_lo, alt_lo;
static __thread pthread_t me;
static __thread int depth;

static void segv(int sig, siginfo_t *si, void *uc)
{
	char here;
	(void)sig;
	(void)uc;
	uintptr_t a = (uintptr_t)si->si_addr, h = (uintptr_t)&here;
	res->faults++;
	res->si_code = si->si_code;
	res->in_guard = a >= guard_lo && a < lo;
	res->on_altstack = h >= alt_lo && h < alt_lo + ALT_SIZE;
	res->in_thread = pthread_equal(pthread_self(), me);
	siglongjmp(jb, 1);
}

static volatile int limit = 1 << 30; /* never reached: the guard page stops the recursion */
static int recurse(int n)
{
	volatile char buf[512];
	depth = n;
	buf[0] = (char)n;
	buf[511] = (char)n;
	if (n == limit)
		return 0;
	return recurse(n + 1) + buf[0] + buf[511];
}

static void *overflow(void *arg)
{
	pthread_attr_t a;
	stack_t ss, old;
	void *addr;
	size_t size, guard;

	res = arg;
	me = pthread_self();
	sigaltstack(NULL, &old);
	res->new_thread_no_altstack = (old.ss_flags & SS_DISABLE) != 0;
	ss.ss_sp = mmap(NULL, ALT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ss.ss_size = ALT_SIZE;
	ss.ss_flags = 0;
	alt_lo = (uintptr_t)ss.ss_sp;
	sigaltstack(&ss, NULL);

	pthread_getattr_np(pthread_self(), &a);
	pthread_attr_getstack(&a, &addr, &size);
	pthread_attr_getguardsize(&a, &guard);
	pthread_attr_destroy(&a);
	res->guard = guard;
	res->stacksize = size;
	lo = (uintptr_t)addr;
	guard_lo = lo - guard;
	if (sigsetjmp(jb, 1) == 0)
		recurse(0);
	res->deep = depth > 10;
	/* Leave the alternate stack disabled before it goes away. */
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	munmap((void *)alt_lo, ALT_SIZE);
	return NULL;
}

static void run(const char *what, size_t stacksize, size_t guardsize)
{
	pthread_attr_t a;
	pthread_t t;
	struct result r;
	size_t g = 0;

	memset(&r, 0, sizeof r);
	pthread_attr_init(&a);
	pthread_attr_getguardsize(&a, &g);
	printf("%s: default guard size %zu\n", what, g);
	printf("%s: setstacksize(%zu): %d\n", what, stacksize, pthread_attr_setstacksize(&a, stacksize));
	if (guardsize)
		printf("%s: setguardsize(%zu): %d\n", what, guardsize,
		       pthread_attr_setguardsize(&a, guardsize));
	printf("%s: create %d\n", what, pthread_create(&t, &a, overflow, &r));
	pthread_attr_destroy(&a);
	pthread_join(t, NULL);
	printf("%s: getattr_np guard %zu, stack at least the size asked: %s\n", what, r.guard,
	       yes(r.stacksize >= stacksize));
	printf("%s: new thread has no alternate stack: %s\n", what, yes(r.new_thread_no_altstack));
	printf("%s: SIGSEGV %d time(s), si_code %d (%s), si_addr in the guard: %s, on the thread's "
	       "alternate stack: %s, in the thread: %s, recursed: %s\n",
	       what, r.faults, r.si_code,
	       r.si_code == SEGV_ACCERR ? "SEGV_ACCERR" : r.si_code == SEGV_MAPERR ? "SEGV_MAPERR" : "?",
	       yes(r.in_guard), yes(r.on_altstack), yes(r.in_thread), yes(r.deep));
}

static int count_maps(void)
{
	char buf[65536];
	int n = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return -1;
	while (fgets(buf, sizeof buf, f))
		n++;
	fclose(f);
	return n;
}

static pthread_barrier_t started, finish;
static void *waiter(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&started);
	pthread_barrier_wait(&finish);
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	stack_t old;

	alarm(30);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = segv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);

	run("64 KiB stack, default guard", 64 * 1024, 0);
	run("64 KiB stack, 16 KiB guard", 64 * 1024, 16 * 1024);
	sigaltstack(NULL, &old);
	printf("main: still no alternate stack: %s\n", yes((old.ss_flags & SS_DISABLE) != 0));

	pthread_t t[3];
	pthread_barrier_init(&started, NULL, 4);
	pthread_barrier_init(&finish, NULL, 4);
	int before = count_maps();
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, waiter, NULL);
	pthread_barrier_wait(&started);
	int during = count_maps();
	pthread_barrier_wait(&finish);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	int after = count_maps();
	printf("/proc/self/maps lines: with 3 threads running %+d, after joining them %+d\n",
	       during - before, after - before);
	return 0;
}
