/* threadsig: signals in a process with two threads (issue 17 item 3). tgkill and tkill reach
 * the thread named, with Linux's EINVAL and ESRCH; a signal sent to the process (kill) is taken
 * by a thread that does not block it, or waits in the process's pending set, seen by every
 * thread's sigpending, until one unblocks it; a fault is delivered to the thread that faulted; a
 * fatal signal to one thread kills the process; SIGSTOP stops both threads and is reported once
 * to the parent, SIGCONT continues both. Every case runs in a forked child (on Warden the program
 * is PID 1). No pid or tid is printed, only which thread: "main" or "thread".
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

static volatile int stop_thread, thread_tid, thread_ready, thread_pending_usr1;
static volatile int got_tid, got_sig;
static volatile int *counters;

static void record(int sig)
{
	got_tid = (int)sys0(SYS_gettid);
	got_sig = sig;
}

/* A fault's handler: records who faulted, then ends that thread (it cannot go back). */
static void on_segv(int sig)
{
	record(sig);
	sys1(SYS_exit, 0);
}

static const char *who(void)
{
	if (!got_tid)
		return "nobody";
	return got_tid == getpid() ? "main" : got_tid == thread_tid ? "thread" : "other";
}

/* Blocks or unblocks one signal in the calling thread (raw call: safe in a thread). */
static void mask_one(int how, int sig)
{
	unsigned long m = 1UL << (sig - 1);

	sys4(SYS_rt_sigprocmask, how, (long)&m, 0, 8);
}

static volatile int poll_pending;

/*
 * The second thread: blocks what arg says (0: nothing), then waits in pause(2) until told to
 * stop, so that only a signal routed to it wakes it; with poll_pending it looks at its
 * sigpending every millisecond instead.
 */
static int idle_thread(void *arg)
{
	unsigned long set = 0;

	if (arg)
		mask_one(SIG_BLOCK, (int)(long)arg);
	thread_tid = (int)sys0(SYS_gettid);
	thread_ready = 1;
	while (!stop_thread) {
		if (!poll_pending) {
			sys0(SYS_pause);
			continue;
		}
		sys4(SYS_rt_sigpending, (long)&set, 8, 0, 0);
		thread_pending_usr1 = !!(set & (1UL << (SIGUSR1 - 1)));
		thread_sleep_ms(1);
	}
	return 0;
}

/* Counts in the shared page, slot given, until killed. */
static int count_thread(void *arg)
{
	for (;;) {
		counters[(long)arg]++;
		thread_sleep_ms(1);
	}
	return 0;
}

static int fault_thread(void *arg)
{
	volatile int *volatile null_page = NULL;

	(void)arg;
	thread_tid = (int)sys0(SYS_gettid);
	null_page[1] = 1;
	return 0;
}

static int idle_ctid;

/* Starts idle_thread (blocking the signal given, 0: none) and waits until it runs. */
static void start_idle(long blocked)
{
	stop_thread = 0;
	thread_ready = 0;
	idle_ctid = -1;
	thread_start(idle_thread, (void *)blocked, &idle_ctid);
	wait_set(&thread_ready);
}

static void noop(int sig)
{
	(void)sig;
}

/* Waits up to ms milliseconds for *word to become nonzero. */
static int wait_set_ms(volatile int *word, int ms)
{
	for (int i = 0; i < ms && !*word; i++)
		thread_sleep_ms(1);
	return *word != 0;
}

/* Tells idle_thread to end (SIGUSR2 ends its pause) and waits until it has. */
static void finish(void)
{
	stop_thread = 1;
	signal(SIGUSR2, noop);
	for (int i = 0; i < 10000 && idle_ctid; i++) { /* again, in case it was just entering pause */
		sys3(SYS_tgkill, getpid(), thread_tid, SIGUSR2);
		thread_sleep_ms(1);
	}
}

static void tgkill_cases(void)
{
	signal(SIGUSR1, record);
	signal(SIGUSR2, record);
	start_idle(0);
	got_tid = 0;
	show("tgkill(us, thread, SIGUSR1)", sys3(SYS_tgkill, getpid(), thread_tid, SIGUSR1));
	wait_set_ms(&got_tid, 2000);
	printf("  taken by: %s\n", who());
	got_tid = 0;
	show("tkill(thread, SIGUSR2)", sys2(SYS_tkill, thread_tid, SIGUSR2));
	wait_set_ms(&got_tid, 2000);
	printf("  taken by: %s\n", who());
	got_tid = 0;
	show("tgkill(us, main, SIGUSR1)", sys3(SYS_tgkill, getpid(), getpid(), SIGUSR1));
	printf("  taken by: %s\n", who());
	show("tgkill(parent, thread, 0)", sys3(SYS_tgkill, getppid(), thread_tid, 0));
	show("tgkill(us, parent, 0)", sys3(SYS_tgkill, getpid(), getppid(), 0));
	show("tgkill(0, thread, 0)", sys3(SYS_tgkill, 0, thread_tid, 0));
	show("tgkill(us, 0, 0)", sys3(SYS_tgkill, getpid(), 0, 0));
	show("tgkill(us, -1, 0)", sys3(SYS_tgkill, getpid(), -1, 0));
	show("tgkill(us, thread, 65)", sys3(SYS_tgkill, getpid(), thread_tid, 65));
	show("tgkill(us, thread, -1)", sys3(SYS_tgkill, getpid(), thread_tid, -1));
	show("tkill(0, 0)", sys2(SYS_tkill, 0, 0));
	show("tkill(-1, 0)", sys2(SYS_tkill, -1, 0));
	show("tkill(thread, 65)", sys2(SYS_tkill, thread_tid, 65));
	show("tkill(no such tid, 65)", sys2(SYS_tkill, 99999, 65));
	show("tkill(no such tid, -1)", sys2(SYS_tkill, 99999, -1));
	show("tgkill(us, no such tid, 65)", sys3(SYS_tgkill, getpid(), 99999, 65));
	show("tgkill(parent, thread, 65)", sys3(SYS_tgkill, getppid(), thread_tid, 65));
	show("tgkill(0, no such tid, 65)", sys3(SYS_tgkill, 0, 99999, 65));
	show("tgkill(us, thread, 0)", sys3(SYS_tgkill, getpid(), thread_tid, 0));
	int tid = thread_tid;
	finish();
	thread_sleep_ms(10);
	show("tkill(the ended thread, 0)", sys2(SYS_tkill, tid, 0));
	show("tgkill(us, the ended thread, 0)", sys3(SYS_tgkill, getpid(), tid, 0));
}

static void routing_cases(void)
{
	sigset_t set;

	signal(SIGUSR1, record);
	printf("main blocks SIGUSR1, the thread does not:\n");
	start_idle(0);
	mask_one(SIG_BLOCK, SIGUSR1);
	got_tid = 0;
	kill(getpid(), SIGUSR1);
	wait_set_ms(&got_tid, 2000); /* the thread sleeps in pause: it must be woken */
	printf("  kill(us, SIGUSR1) taken by: %s\n", who());
	finish();
	mask_one(SIG_UNBLOCK, SIGUSR1);

	printf("the thread blocks SIGUSR1, main does not:\n");
	start_idle(SIGUSR1);
	got_tid = 0;
	kill(getpid(), SIGUSR1);
	printf("  kill(us, SIGUSR1) taken by: %s\n", who());
	finish();

	printf("both block SIGUSR1:\n");
	mask_one(SIG_BLOCK, SIGUSR1);
	poll_pending = 1;
	start_idle(0);
	got_tid = 0;
	thread_pending_usr1 = 0;
	kill(getpid(), SIGUSR1);
	wait_set(&thread_pending_usr1);
	sigpending(&set);
	printf("  taken by: %s; pending for main: %s, for the thread: %s\n", who(),
	       sigismember(&set, SIGUSR1) ? "yes" : "no", thread_pending_usr1 ? "yes" : "no");
	mask_one(SIG_UNBLOCK, SIGUSR1);
	printf("  main unblocks it: taken by %s\n", who());
	finish();
	poll_pending = 0;
}

static volatile int order[4], norder;

static void note_order(int sig)
{
	order[norder++] = sig;
}

/*
 * Linux's dequeue_signal: the thread's own pending set before the process's shared one. SIGUSR1
 * is sent to the process (kill), SIGUSR2 to the thread (tgkill), both blocked; unblocked
 * together, with handlers that block everything while they run, the order they run in is the
 * order they were taken in.
 */
static void dequeue_order(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note_order;
	sigfillset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	mask_one(SIG_BLOCK, SIGUSR1);
	mask_one(SIG_BLOCK, SIGUSR2);
	kill(getpid(), SIGUSR1);
	sys3(SYS_tgkill, getpid(), sys0(SYS_gettid), SIGUSR2);
	unsigned long both = (1UL << (SIGUSR1 - 1)) | (1UL << (SIGUSR2 - 1));
	sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&both, 0, 8);
	printf("taken first: %s, then: %s\n", order[0] == SIGUSR2 ? "SIGUSR2 (the thread's)" : "SIGUSR1",
	       order[1] == SIGUSR1 ? "SIGUSR1 (the process's)" : "SIGUSR2");
}

static void fault_case(void)
{
	int ctid = -1;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	got_tid = 0;
	thread_tid = 0;
	thread_start(fault_thread, NULL, &ctid);
	wait_cleared(&ctid);
	printf("SIGSEGV (%d) handled by: %s\n", got_sig, who());
}

static void fatal_tgkill(void)
{
	start_idle(0);
	sys3(SYS_tgkill, getpid(), thread_tid, SIGTERM);
	for (;;)
		thread_sleep_ms(100);
}

static void fatal_kill_blocked_main(void)
{
	start_idle(0);
	mask_one(SIG_BLOCK, SIGTERM);
	kill(getpid(), SIGTERM);
	for (;;)
		thread_sleep_ms(100);
}

static void run_fatal(const char *what, void (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		printf("%s: killed by signal %d\n", what, WTERMSIG(st));
	else
		printf("%s: exit status %d\n", what, WEXITSTATUS(st));
}

static void group_stop(void)
{
	int st, c0, c1, ctid = -1;

	counters = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid = fork();
	if (pid == 0) {
		thread_start(count_thread, (void *)1, &ctid);
		count_thread((void *)0);
	}
	while (!counters[0] || !counters[1])
		thread_sleep_ms(1);
	kill(pid, SIGSTOP);
	long w = waitpid(pid, &st, WUNTRACED);
	printf("SIGSTOP: waitpid says %s, signal %d\n",
	       w == pid && WIFSTOPPED(st) ? "stopped" : "other", WSTOPSIG(st));
	c0 = counters[0];
	c1 = counters[1];
	thread_sleep_ms(50);
	printf("  main stopped: %s; thread stopped: %s\n", counters[0] == c0 ? "yes" : "no",
	       counters[1] == c1 ? "yes" : "no");
	w = waitpid(pid, &st, WUNTRACED | WNOHANG);
	printf("  reported once: waitpid again says %ld\n", w);
	kill(pid, SIGCONT);
	w = waitpid(pid, &st, WCONTINUED);
	printf("SIGCONT: waitpid says %s\n", w == pid && WIFCONTINUED(st) ? "continued" : "other");
	thread_sleep_ms(50);
	printf("  main runs: %s; thread runs: %s\n", counters[0] != c0 ? "yes" : "no",
	       counters[1] != c1 ? "yes" : "no");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	printf("SIGKILL: killed by signal %d\n", WTERMSIG(st));
}

/* Counts in slot 1 until killed; the leader (slot 0 of nothing) has exited before. */
static void group_stop_zombie_leader(void)
{
	int st, c1, ctid = -1;

	counters[1] = 0;
	counters[2] = 1;
	pid_t pid = fork();
	if (pid == 0) {
		sys1(SYS_set_tid_address, (long)&counters[2]); /* cleared when the leader exits */
		thread_start(count_thread, (void *)1, &ctid);
		sys1(SYS_exit, 0);
	}
	while (counters[2] || !counters[1])
		thread_sleep_ms(1);
	thread_sleep_ms(10);
	long w = waitpid(pid, &st, WNOHANG);
	printf("leader exited, thread counting: waitpid WNOHANG says %ld\n", w);
	kill(pid, SIGSTOP);
	w = waitpid(pid, &st, WUNTRACED);
	printf("SIGSTOP: waitpid says %s, signal %d\n",
	       w == pid && WIFSTOPPED(st) ? "stopped" : "other", WSTOPSIG(st));
	c1 = counters[1];
	thread_sleep_ms(50);
	printf("  thread stopped: %s\n", counters[1] == c1 ? "yes" : "no");
	kill(pid, SIGCONT);
	w = waitpid(pid, &st, WCONTINUED);
	printf("SIGCONT: waitpid says %s\n", w == pid && WIFCONTINUED(st) ? "continued" : "other");
	thread_sleep_ms(50);
	printf("  thread runs: %s\n", counters[1] != c1 ? "yes" : "no");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	printf("SIGKILL: killed by signal %d\n", WTERMSIG(st));
}

static void in_child(const char *what, void (*fn)(void))
{
	int st;

	printf("-- %s\n", what);
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	if (st)
		printf("child status %#x\n", st);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	in_child("tgkill and tkill", tgkill_cases);
	in_child("a signal for the process", routing_cases);
	in_child("dequeue order: the thread's pending, then the process's", dequeue_order);
	in_child("a fault in the thread", fault_case);
	printf("-- fatal signals\n");
	run_fatal("tgkill(us, thread, SIGTERM)", fatal_tgkill);
	run_fatal("kill(us, SIGTERM), main blocks it", fatal_kill_blocked_main);
	printf("-- job control\n");
	group_stop();
	printf("-- job control, the leader gone first\n");
	group_stop_zombie_leader();
	printf("done\n");
	return 0;
}
