/* pthread_signal: signals in a thread group (issue 17 item 6). Signal masks are per thread
 * (pthread_sigmask; a new thread starts with its creator's); a process-directed signal
 * (kill(getpid())) goes to the one thread that does not block it; pthread_kill reaches the
 * thread named and stays pending on that thread only (sigpending per thread); sigwait in a
 * thread dedicated to it, with a sigqueue'd value; a SIGSEGV from a thread's own fault runs the
 * handler in that thread, which siglongjmps out; raise() in a thread signals that thread.
 * Handlers record pthread_self() (and the raw gettid) and the main thread prints only the
 * comparisons, after the joins. Built with musl and glibc (tests/user/glibc-programs). Needs
 * threads: listed in tests/user/pending-threads. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

static volatile sig_atomic_t hits;
static pthread_t hit_thread;
static volatile pid_t hit_tid;
static volatile int hit_sig;

static void recorder(int sig)
{
	hit_thread = pthread_self();
	hit_tid = (pid_t)sys0(SYS_gettid);
	hit_sig = sig;
	hits++;
}

static void set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static sigset_t just(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

/* ---- 1. a process-directed signal goes to the one thread that does not block it */
static sem_t ready;
static volatile int stop;
static volatile pid_t waiter_tid;
static int inherited_blocked;

static void *blocker(void *arg)
{
	sigset_t cur;
	(void)arg;
	pthread_sigmask(SIG_SETMASK, NULL, &cur);
	inherited_blocked += sigismember(&cur, SIGUSR1) == 1;
	sem_post(&ready);
	while (!stop)
		sched_yield();
	return NULL;
}

static void *unblocker(void *arg)
{
	sigset_t cur, s = just(SIGUSR1);
	(void)arg;
	pthread_sigmask(SIG_SETMASK, NULL, &cur);
	inherited_blocked += sigismember(&cur, SIGUSR1) == 1;
	waiter_tid = (pid_t)sys0(SYS_gettid);
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	sem_post(&ready);
	while (!hits)
		sched_yield();
	return NULL;
}

static void process_directed(void)
{
	pthread_t b1, u, b2;
	sigset_t s = just(SIGUSR1), pend;

	set_handler(SIGUSR1, recorder);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	pthread_create(&b1, NULL, blocker, NULL);
	pthread_create(&u, NULL, unblocker, NULL);
	pthread_create(&b2, NULL, blocker, NULL);
	for (int i = 0; i < 3; i++)
		sem_wait(&ready);
	hits = 0;
	kill(getpid(), SIGUSR1);
	pthread_join(u, NULL);
	stop = 1;
	pthread_join(b1, NULL);
	pthread_join(b2, NULL);
	printf("new threads start with the creator's mask (SIGUSR1 blocked): %d of 3\n",
	       inherited_blocked);
	printf("kill(getpid(), SIGUSR1) with SIGUSR1 blocked in all threads but one: %d handler "
	       "run(s), in the unblocking thread: %s (tid too: %s)\n",
	       (int)hits, yes(pthread_equal(hit_thread, u)), yes(hit_tid == waiter_tid));
	sigpending(&pend);
	printf("SIGUSR1 pending in main afterwards: %s\n", yes(sigismember(&pend, SIGUSR1) == 1));
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

/* ---- 2. pthread_kill: the named thread only; pending on that thread while it blocks it */
static sem_t go, checked;
static int pending_in_target, pending_in_main_seen, handled_in_target;
static pthread_t target_self;

static void *target(void *arg)
{
	sigset_t s = just(SIGUSR2), pend;
	(void)arg;
	target_self = pthread_self();
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	sem_post(&ready);
	sem_wait(&go); /* main has sent SIGUSR2 to this thread */
	sigpending(&pend);
	pending_in_target = sigismember(&pend, SIGUSR2) == 1;
	sem_post(&checked);
	sem_wait(&go); /* main has looked at its own pending set */
	hits = 0;
	pthread_sigmask(SIG_UNBLOCK, &s, NULL); /* delivered here, before this returns */
	handled_in_target = hits == 1 && pthread_equal(hit_thread, pthread_self());
	return NULL;
}

static void *bystander(void *arg)
{
	(void)arg;
	sem_post(&ready);
	while (!stop)
		sched_yield();
	return NULL;
}

static void thread_directed(void)
{
	pthread_t t, by;
	sigset_t pend;

	set_handler(SIGUSR2, recorder);
	stop = 0;
	pthread_create(&by, NULL, bystander, NULL);
	pthread_create(&t, NULL, target, NULL);
	sem_wait(&ready);
	sem_wait(&ready);
	printf("pthread_kill(t, SIGUSR2): %d\n", pthread_kill(t, SIGUSR2));
	sem_post(&go);
	sem_wait(&checked);
	sigpending(&pend);
	pending_in_main_seen = sigismember(&pend, SIGUSR2) == 1;
	sem_post(&go);
	pthread_join(t, NULL);
	stop = 1;
	pthread_join(by, NULL);
	printf("SIGUSR2 pending in the target thread (which blocks it): %s, in main: %s\n",
	       yes(pending_in_target), yes(pending_in_main_seen));
	printf("handler ran in the target thread once it unblocked: %s\n", yes(handled_in_target));
	printf("pthread_kill(t, 0) on a live thread: ");
	pthread_create(&t, NULL, bystander, NULL);
	sem_wait(&ready);
	printf("%d\n", pthread_kill(t, 0));
	pthread_join(t, NULL);
	printf("pthread_kill(self, 65): %s\n", errname(pthread_kill(pthread_self(), 65)));
}

/* ---- 3. sigwait in a dedicated thread */
static int waited[4], waited_code[4], waited_value[4];
static sem_t took;
static void *sigwaiter(void *arg)
{
	sigset_t s;
	(void)arg;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGRTMIN + 2);
	sem_post(&ready);
	for (int i = 0; i < 4; i++) {
		siginfo_t si;
		int sig = -1;
		if (i < 2) {
			sigwait(&s, &sig);
		} else {
			sig = sigwaitinfo(&s, &si);
			waited_code[i] = si.si_code;
			waited_value[i] = si.si_value.sival_int;
		}
		waited[i] = sig;
		sem_post(&took);
	}
	return NULL;
}

static void sigwait_thread(void)
{
	pthread_t t;
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGRTMIN + 2);
	pthread_sigmask(SIG_BLOCK, &s, NULL); /* in main, so in the waiter too */
	hits = 0;
	pthread_create(&t, NULL, sigwaiter, NULL);
	sem_wait(&ready);
	kill(getpid(), SIGTERM);
	sem_wait(&took);
	kill(getpid(), SIGUSR1);
	sem_wait(&took);
	union sigval v = { .sival_int = 1234 };
	sigqueue(getpid(), SIGRTMIN + 2, v);
	sem_wait(&took);
	kill(getpid(), SIGTERM);
	sem_wait(&took);
	pthread_join(t, NULL);
	printf("sigwait: SIGTERM %s, SIGUSR1 %s, handler runs %d\n", yes(waited[0] == SIGTERM),
	       yes(waited[1] == SIGUSR1), (int)hits);
	printf("sigwaitinfo: SIGRTMIN+2 %s, si_code SI_QUEUE %s, value %d\n",
	       yes(waited[2] == SIGRTMIN + 2), yes(waited_code[2] == SI_QUEUE), waited_value[2]);
	printf("sigwaitinfo: SIGTERM %s, si_code SI_USER %s\n", yes(waited[3] == SIGTERM),
	       yes(waited_code[3] == SI_USER));
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

/* ---- 4. a thread's own SIGSEGV is handled in that thread */
static sigjmp_buf jb;
static char *page;
static pthread_t fault_self;
static pid_t fault_tid;
static volatile int seg_in_thread, seg_tid_ok, seg_code, seg_addr_ok, seg_hits;

static void segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	seg_hits++;
	seg_in_thread = pthread_equal(pthread_self(), fault_self);
	seg_tid_ok = (pid_t)sys0(SYS_gettid) == fault_tid;
	seg_code = si->si_code;
	seg_addr_ok = si->si_addr == page + 100;
	siglongjmp(jb, 1);
}

static void *faulter(void *arg)
{
	(void)arg;
	fault_self = pthread_self();
	fault_tid = (pid_t)sys0(SYS_gettid);
	if (sigsetjmp(jb, 1) == 0) {
		page[100] = 1;
		return (void *)1; /* not reached */
	}
	return (void *)2;
}

static void thread_fault(void)
{
	pthread_t t;
	void *ret;
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_create(&t, NULL, faulter, NULL);
	pthread_join(t, &ret);
	printf("SIGSEGV from a thread's write to a read-only page: %d handler run(s), in the "
	       "faulting thread: %s (tid too: %s), si_code SEGV_ACCERR: %s, si_addr right: %s, "
	       "siglongjmp out: %s\n",
	       (int)seg_hits, yes(seg_in_thread), yes(seg_tid_ok), yes(seg_code == SEGV_ACCERR),
	       yes(seg_addr_ok), yes(ret == (void *)2));
}

/* ---- 5. raise() in a thread */
static pthread_t raiser_self;
static int raise_ret;
static void *raiser(void *arg)
{
	(void)arg;
	raiser_self = pthread_self();
	hits = 0;
	raise_ret = raise(SIGUSR1); /* the handler has run when raise returns */
	return (void *)(intptr_t)hits;
}

static void thread_raise(void)
{
	pthread_t t;
	void *ret;

	set_handler(SIGUSR1, recorder);
	pthread_create(&t, NULL, raiser, NULL);
	pthread_join(t, &ret);
	printf("raise(SIGUSR1) in a thread: %d, handler runs before raise returns %ld, in that "
	       "thread: %s\n",
	       raise_ret, (long)(intptr_t)ret, yes(pthread_equal(hit_thread, raiser_self)));
}

int main(void)
{
	alarm(30);
	sem_init(&ready, 0, 0);
	sem_init(&go, 0, 0);
	sem_init(&checked, 0, 0);
	sem_init(&took, 0, 0);
	process_directed();
	thread_directed();
	sigwait_thread();
	thread_fault();
	thread_raise();
	return 0;
}
