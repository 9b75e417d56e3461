/* ptraceclone: PTRACE_O_TRACECLONE and PTRACE_O_TRACEFORK (Linux 6.1's kernel_clone and
 * ptrace_event_pid). A traced child C stops itself; its tracer sets the options and lets it go.
 * C creates a thread (pthread_create: clone with CLONE_THREAD, exit signal 0: a clone event),
 * joins it, forks a grandchild G (a fork event) and waits for it. The tracer's wait4(-1, __WALL)
 * sees C's event stops (SIGTRAP | PTRACE_EVENT_* << 8, whose PTRACE_GETEVENTMSG is the new tid),
 * the new thread and G start traced and stopped by SIGSTOP, and their exits. Without the options
 * (a second child D) a thread and a fork are not traced. Events are counted and compared, then
 * printed after the run: the order of a new task's stop and its creator's event is not fixed. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

static void *thread(void *arg)
{
	(void)arg;
	return (void *)42L;
}

/* The tracee: a thread, then a fork; prints what it saw (before its tracer prints). */
static void tracee(int traceme)
{
	pthread_t t;
	void *ret = NULL;
	int st = -1;

	if (traceme) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
	}
	pthread_create(&t, NULL, thread, NULL);
	pthread_join(t, &ret);
	pid_t g = fork();
	if (g == 0)
		_exit(7);
	waitpid(g, &st, 0);
	printf("  tracee: thread returned %ld, grandchild status %d\n", (long)ret,
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	fflush(stdout);
	_exit(0);
}

struct seen {
	int clone_events, fork_events, other_stops, exits, bad;
	long clone_msg, fork_msg;
	int thread_first_stop, grandchild_first_stop; /* the signal of the new task's first stop */
	int thread_exit, grandchild_exit, tracee_exit;
	int thread_msg_ok, grandchild_msg_ok;
};

static void trace(pid_t c, long options, struct seen *s)
{
	int st;
	pid_t tids[8];
	int n = 0;

	memset(s, 0, sizeof *s);
	s->thread_first_stop = s->grandchild_first_stop = -1;
	s->thread_exit = s->grandchild_exit = s->tracee_exit = -1;
	waitpid(c, &st, 0); /* the tracee's own SIGSTOP */
	show("  PTRACE_SETOPTIONS", ptrace(PTRACE_SETOPTIONS, c, 0, options) ? -errno : 0);
	ptrace(PTRACE_CONT, c, 0, 0);
	for (;;) {
		pid_t p = waitpid(-1, &st, __WALL);
		if (p < 0)
			break;
		if (WIFEXITED(st)) {
			s->exits++;
			if (p == c) {
				s->tracee_exit = WEXITSTATUS(st);
				continue;
			}
			if (p == s->clone_msg)
				s->thread_exit = WEXITSTATUS(st);
			else if (p == s->fork_msg)
				s->grandchild_exit = WEXITSTATUS(st);
			else
				s->bad++;
			continue;
		}
		if (!WIFSTOPPED(st)) {
			s->bad++;
			continue;
		}
		int sig = 0;
		if (p == c && (st >> 8) == (SIGTRAP | PTRACE_EVENT_CLONE << 8)) {
			s->clone_events++;
			ptrace(PTRACE_GETEVENTMSG, c, 0, &s->clone_msg);
		} else if (p == c && (st >> 8) == (SIGTRAP | PTRACE_EVENT_FORK << 8)) {
			s->fork_events++;
			ptrace(PTRACE_GETEVENTMSG, c, 0, &s->fork_msg);
		} else if (p != c) {
			/* the thread comes first (joined before the fork), then the grandchild */
			int first = 1;
			for (int i = 0; i < n; i++)
				first &= tids[i] != p;
			if (first && n < 8) {
				if (n == 0)
					s->thread_first_stop = WSTOPSIG(st);
				else if (n == 1)
					s->grandchild_first_stop = WSTOPSIG(st);
				tids[n++] = p;
			}
			if (WSTOPSIG(st) != SIGSTOP)
				sig = WSTOPSIG(st);
		} else {
			s->other_stops++;
			sig = WSTOPSIG(st) == SIGSTOP ? 0 : WSTOPSIG(st);
		}
		ptrace(PTRACE_CONT, p, 0, sig);
	}
	s->thread_msg_ok = n >= 1 && tids[0] == s->clone_msg;
	s->grandchild_msg_ok = n >= 2 && tids[1] == s->fork_msg;
}

int main(void)
{
	struct seen s;

	alarm(30);
	printf("with PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK\n");
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		tracee(1);
	trace(c, PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK, &s);
	printf("  clone events %d, fork events %d, other stops %d, unexpected reports %d\n",
	       s.clone_events, s.fork_events, s.other_stops, s.bad);
	printf("  new thread: first stop by signal %d (SIGSTOP %s), its tid is the clone event's "
	       "message %s, exit seen by the tracer %d\n",
	       s.thread_first_stop, yes(s.thread_first_stop == SIGSTOP), yes(s.thread_msg_ok),
	       s.thread_exit);
	printf("  grandchild: first stop by signal %d (SIGSTOP %s), its pid is the fork event's "
	       "message %s, exit seen by the tracer %d\n",
	       s.grandchild_first_stop, yes(s.grandchild_first_stop == SIGSTOP),
	       yes(s.grandchild_msg_ok), s.grandchild_exit);
	printf("  tracee exit %d, reports %d\n", s.tracee_exit, s.exits);

	printf("without options\n");
	fflush(stdout);
	c = fork();
	if (c == 0)
		tracee(1);
	trace(c, 0, &s);
	printf("  clone events %d, fork events %d, other stops %d, new tasks seen %d, exits seen %d "
	       "(the tracee's: %d), unexpected %d\n",
	       s.clone_events, s.fork_events, s.other_stops,
	       (s.thread_first_stop != -1) + (s.grandchild_first_stop != -1), s.exits, s.tracee_exit,
	       s.bad);
	show("PTRACE_SETOPTIONS with an unknown bit", ptrace(PTRACE_SETOPTIONS, getpid(), 0, 1L << 30) ? -errno : 0);
	return 0;
}
