/* initstop: Linux init's protection (issue 15, defect 1: stopping PID 1 panicked the kernel).
 *
 * A signal whose action is the default, sent to init from user space, is ignored (Linux's
 * SIGNAL_UNKILLABLE): raise() of SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGTERM, SIGKILL on
 * itself, and kill(1, ...) from a child. A signal init set a handler for is delivered. A
 * blocked signal is queued (pending) and dropped once unblocked. PTRACE_ATTACH from a child
 * stops init for its tracer; a signal sent to a traced init is reported to the tracer and,
 * given back with PTRACE_CONT, dropped; PTRACE_CONT and PTRACE_DETACH resume it; a detach
 * with SIGSTOP leaves init stopped by job control until a SIGCONT. A fault with SIG_DFL still
 * kills init: the program ends with a NULL write, status 139. Init may not clone a sibling
 * (CLONE_PARENT: EINVAL).
 *
 * On Warden the program is PID 1. On Linux the harness runs it as a child of its init, so it
 * makes itself one: unshare(CLONE_NEWPID) and fork; the child is PID 1 of the new pid
 * namespace and runs the test, the parent exits with its status (128+N for signal N).
 * Signals are sent only from inside the namespace (from init itself or its children).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

static volatile sig_atomic_t handled;
static sigjmp_buf segv_env;
static volatile long peek_me = 0x1234567890abcdefL;

/* What init and the tracer share: init's progress counter and the tracer's "done" flag. */
struct shared {
	volatile long counter;
	volatile int done;
};
static struct shared *sh;

static void on_signal(int sig)
{
	handled = sig;
}

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(segv_env, 1);
}

static const char *signame(int sig)
{
	switch (sig) {
	case SIGSTOP: return "SIGSTOP";
	case SIGTSTP: return "SIGTSTP";
	case SIGTTIN: return "SIGTTIN";
	case SIGTTOU: return "SIGTTOU";
	case SIGTERM: return "SIGTERM";
	case SIGKILL: return "SIGKILL";
	case SIGUSR1: return "SIGUSR1";
	case SIGUSR2: return "SIGUSR2";
	case SIGINT: return "SIGINT";
	case SIGABRT: return "SIGABRT";
	case SIGCONT: return "SIGCONT";
	default: return "?";
	}
}

static void print_status(const char *what, int st)
{
	if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %s\n", what, signame(WTERMSIG(st)));
	else if (WIFSTOPPED(st))
		printf("%s: stopped by %s\n", what, signame(WSTOPSIG(st)));
	else
		printf("%s: status %#x\n", what, st);
}

/* Sends each signal to itself: raise() (musl blocks signals around it) and a raw kill(). */
static void self_signals(void)
{
	static const int sigs[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGTERM, SIGINT,
				    SIGUSR1, SIGABRT, SIGKILL };

	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		long r1 = raise(sigs[i]);
		long r2 = sys2(SYS_kill, getpid(), sigs[i]);
		long r3 = sys2(SYS_tkill, sys0(SYS_gettid), sigs[i]);
		printf("item 1: raise/kill/tkill(self, %s): %ld %ld %ld, ignored, still running\n",
		       signame(sigs[i]), r1, r2, r3);
	}
}

/* A blocked default-action signal is queued; unblocking it drops it. */
static void blocked_signal(void)
{
	sigset_t set, pend;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGTERM);
	sigpending(&pend);
	printf("item 1: blocked SIGTERM to self: pending %d\n", sigismember(&pend, SIGTERM));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigpending(&pend);
	printf("item 1: unblocked: pending %d, dropped, still running\n",
	       sigismember(&pend, SIGTERM));
}

/* A handler init set is called, for a signal from itself and from a child. */
static void handled_signals(void)
{
	signal(SIGUSR1, on_signal);
	handled = 0;
	raise(SIGUSR1);
	printf("item 1: raise(SIGUSR1) with a handler: handler ran for %s\n", signame(handled));
	handled = 0;
	signal(SIGTERM, on_signal);
	pid_t c = fork();
	if (c == 0) {
		kill(1, SIGTERM);
		_exit(0);
	}
	int st;
	while (waitpid(c, &st, 0) < 0)
		;
	printf("item 1: kill(1, SIGTERM) from a child with a handler: handler ran for %s\n",
	       signame(handled));
	signal(SIGTERM, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
}

/* A child sends init every default-action signal, stops included: all ignored. */
static void child_kills(void)
{
	pid_t c = fork();
	if (c == 0) {
		static const int sigs[] = { SIGSTOP, SIGTTIN, SIGTSTP, SIGTTOU, SIGTERM,
					    SIGINT,  SIGUSR2, SIGKILL, SIGCONT };
		for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
			long r = sys2(SYS_kill, 1, sigs[i]);
			printf("item 1: child: kill(1, %s): %ld\n", signame(sigs[i]), r);
		}
		_exit(0);
	}
	int st;
	while (waitpid(c, &st, 0) < 0)
		;
	print_status("item 1: init after its child's kills, child", st);
}

/* Waits (at most ~2 s) until init's counter moves; true if it did. */
static int counter_moves(void)
{
	long c0 = sh->counter;

	for (int i = 0; i < 2000; i++) {
		if (sh->counter != c0)
			return 1;
		sleep_ms(1);
	}
	return 0;
}

/* Does init's counter stay still for 100 ms? */
static int counter_still(void)
{
	long c0 = sh->counter;

	sleep_ms(100);
	return sh->counter == c0;
}

/* The tracer: attaches to init (which spins on its counter) and drives it through stops. */
static void tracer(void)
{
	int st;
	long r, word = 0;

	if (!counter_moves())
		printf("item 1: tracer: init does not run\n");
	r = ptrace(PTRACE_ATTACH, 1, 0, 0);
	printf("item 1: tracer: PTRACE_ATTACH(1): %ld\n", r);
	r = waitpid(1, &st, 0);
	printf("item 1: tracer: waitpid(1) %s\n", r == 1 ? "is 1" : "is not 1");
	print_status("item 1: tracer: init", st);
	printf("item 1: tracer: init still while traced-stopped: %d\n", counter_still());
	r = sys4(SYS_ptrace, PTRACE_PEEKDATA, 1, (long)&peek_me, (long)&word);
	printf("item 1: tracer: PEEKDATA: %ld %s\n", r,
	       word == 0x1234567890abcdefL ? "right word" : "wrong word");
	r = ptrace(PTRACE_CONT, 1, 0, 0);
	printf("item 1: tracer: PTRACE_CONT(0): %ld, init runs again: %d\n", r, counter_moves());

	/* A signal to a traced init goes to the tracer first; given back, it is dropped. */
	kill(1, SIGUSR2);
	waitpid(1, &st, 0);
	print_status("item 1: tracer: after kill(1, SIGUSR2) init", st);
	r = ptrace(PTRACE_CONT, 1, 0, SIGUSR2);
	printf("item 1: tracer: PTRACE_CONT(SIGUSR2): %ld, init runs again: %d\n", r,
	       counter_moves());

	/* Detach with SIGSTOP: init stops by job control (SIGSTOP is the kernel-only kind). */
	kill(1, SIGTERM);
	waitpid(1, &st, 0);
	print_status("item 1: tracer: after kill(1, SIGTERM) init", st);
	r = ptrace(PTRACE_DETACH, 1, 0, SIGSTOP);
	printf("item 1: tracer: PTRACE_DETACH(SIGSTOP): %ld\n", r);
	printf("item 1: tracer: init still after the detach: %d\n", counter_still());
	r = waitpid(1, &st, WNOHANG);
	printf("item 1: tracer: waitpid(1) after the detach: %ld %s\n", r,
	       r < 0 ? errname(errno) : "");
	r = kill(1, SIGCONT);
	printf("item 1: tracer: kill(1, SIGCONT): %ld, init runs again: %d\n", r,
	       counter_moves());

	/* Attach again, detach with no signal: init goes on. */
	r = ptrace(PTRACE_ATTACH, 1, 0, 0);
	waitpid(1, &st, 0);
	print_status("item 1: tracer: attached again, init", st);
	r = ptrace(PTRACE_DETACH, 1, 0, 0);
	printf("item 1: tracer: PTRACE_DETACH(0): %ld, init runs again: %d\n", r,
	       counter_moves());
	kill(1, SIGKILL);
	kill(1, SIGSTOP);
	printf("item 1: tracer: kill(1, SIGKILL/SIGSTOP) after the detach: init runs: %d\n",
	       counter_moves());
	sh->done = 1;
}

/* Init spins on its counter while a child traces it. */
static void traced_by_child(void)
{
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t c = fork();
	if (c == 0) {
		tracer();
		_exit(0);
	}
	while (!sh->done)
		sh->counter++;
	int st;
	while (waitpid(c, &st, 0) < 0)
		;
	print_status("item 1: init after being traced, tracer", st);
}

/* A fault with a handler runs it, and init stays protected. */
static void fault_with_handler(void)
{
	signal(SIGSEGV, on_segv);
	if (!sigsetjmp(segv_env, 1))
		*(volatile int *)0 = 1;
	printf("item 1: NULL write with a SIGSEGV handler: handler ran\n");
	raise(SIGTERM);
	printf("item 1: raise(SIGTERM) after it: ignored, still running\n");
	signal(SIGSEGV, SIG_DFL);
}

static void body(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("item 1: init is pid %d\n", getpid());
	long r = sys6(SYS_clone, 0x00008000 /* CLONE_PARENT */ | SIGCHLD, 0, 0, 0, 0, 0);
	if (r == 0)
		sys1(SYS_exit, 0);
	printf("item 1: clone(CLONE_PARENT) by init: %s\n", is_err(r) ? errname((int)-r) : "a pid");
	self_signals();
	blocked_signal();
	handled_signals();
	child_kills();
	traced_by_child();
	fault_with_handler();
	printf("item 1: NULL write with SIG_DFL: init is killed (status 139)\n");
	*(volatile int *)0 = 1;
	printf("item 1: still running after the fault\n");
}

int main(void)
{
	if (getpid() != 1) {
		/* Linux: become PID 1 of a new pid namespace. */
		if (unshare(CLONE_NEWPID)) {
			perror("unshare");
			return 1;
		}
		pid_t c = fork();
		if (c == 0) {
			body();
			_exit(0);
		}
		int st;
		while (waitpid(c, &st, 0) < 0)
			;
		return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
	}
	body();
	return 0;
}
