/* ptracegroupstop: a traced task's part in a group stop is a stop for its tracer (Linux 6.1's
 * JOBCTL_TRAP_STOP: do_signal_stop leaves a ptraced task to do_jobctl_trap, which stops it in
 * TASK_TRACED with the stop signal, and its tracer's wait reports 0x137f without WUNTRACED).
 * Warden stopped it in TASK_STOPPED instead, which a tracer's wait without WUNTRACED does not
 * report: a debugger that attached to one thread of a process waited for ever whenever another
 * thread of it took the SIGSTOP (found by a redteam race: PTRACE_POKEDATA against munmap).
 * - one thread: the tracee's SIGSTOP is first a signal-delivery stop; PTRACE_CONT with SIGSTOP
 *   makes it a group stop, which the tracer sees as a second stop;
 * - two threads, the leader traced: tgkill sends SIGSTOP to the untraced thread, which starts
 *   the group stop; the tracer's wait reports the leader stopped (states from /proc: the leader
 *   't', the other thread 'T'); PTRACE_CONT resumes the leader alone; SIGCONT the other thread
 *   (which thread then takes the SIGCONT itself, and so whether the leader stops for its tracer
 *   again, is a race on Linux too: not printed);
 * - the same group stop, then PTRACE_DETACH: the leader stays stopped ('T', Linux's
 *   __ptrace_detach re-arms the stop) until SIGCONT.
 * Every wait has a timeout (a status of 0 says the wait saw nothing within 5 s). */
#define _GNU_SOURCE
#include "common.h"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ptrace.h>

static int pfd[2], efd[2];

/* waitpid with __WALL and no WUNTRACED, for at most 5 s; the status, or 0 when none came. */
static int timed_wait(int pid)
{
	int st = 0;

	for (int i = 0; i < 500; i++) {
		int r = waitpid(pid, &st, WNOHANG | __WALL);
		if (r == pid)
			return st;
		if (r < 0)
			return -1;
		usleep(10000);
	}
	return 0;
}

/* The state letter of thread tid of process pid in /proc, or '?'. */
static char state_of(int pid, int tid)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	int n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* Waits up to 2 s for thread tid of pid to be in state s; its state then. */
static char wait_state(int pid, int tid, char s)
{
	char c = '?';

	for (int i = 0; i < 200; i++) {
		c = state_of(pid, tid);
		if (c == s)
			break;
		usleep(10000);
	}
	return c;
}

/* The child's echo loop: what comes on pfd comes back on efd. */
static void echo_loop(void)
{
	char c;

	while (read(pfd[0], &c, 1) == 1)
		write(efd[1], &c, 1);
	_exit(0);
}

/* Whether the child echoes a byte within 2 s (it runs). */
static int echoes(void)
{
	char c = 'x';

	write(pfd[1], &c, 1);
	for (int i = 0; i < 200; i++) {
		if (read(efd[0], &c, 1) == 1)
			return 1;
		usleep(10000);
	}
	return 0;
}

static void *other_thread(void *arg)
{
	(void)arg;
	int tid = gettid();

	write(efd[1], &tid, sizeof(tid));
	for (;;)
		sched_yield();
	return NULL;
}

static void one_thread(void)
{
	int pid = fork();

	if (pid == 0)
		echo_loop();
	printf("1: attach %ld\n", ptrace(PTRACE_ATTACH, pid, 0, 0));
	printf("1: wait %#x\n", timed_wait(pid));
	printf("1: cont %ld\n", ptrace(PTRACE_CONT, pid, 0, 0));
	printf("1: runs %d\n", echoes());
	printf("1: kill SIGSTOP %d\n", kill(pid, SIGSTOP));
	printf("1: wait %#x (signal-delivery stop)\n", timed_wait(pid));
	printf("1: cont SIGSTOP %ld\n", ptrace(PTRACE_CONT, pid, 0, SIGSTOP));
	printf("1: wait %#x (group stop)\n", timed_wait(pid));
	printf("1: state %c\n", wait_state(pid, pid, 't'));
	printf("1: cont %ld\n", ptrace(PTRACE_CONT, pid, 0, 0));
	printf("1: runs %d\n", echoes());
	kill(pid, SIGKILL);
	printf("1: end %#x\n", timed_wait(pid));
}

static void two_threads(void)
{
	int pid = fork(), tid = 0;

	char c;

	while (read(efd[0], &c, 1) == 1) /* a late echo of the first part */
		;
	if (pid == 0) {
		pthread_t th;
		pthread_create(&th, NULL, other_thread, NULL);
		echo_loop();
	}
	while (read(efd[0], &tid, sizeof(tid)) != sizeof(tid))
		usleep(10000);
	printf("2: attach %ld\n", ptrace(PTRACE_ATTACH, pid, 0, 0));
	printf("2: wait %#x\n", timed_wait(pid));
	printf("2: cont %ld\n", ptrace(PTRACE_CONT, pid, 0, 0));
	printf("2: runs %d\n", echoes());
	printf("2: tgkill SIGSTOP to the untraced thread %ld\n",
	       sys3(SYS_tgkill, pid, tid, SIGSTOP));
	printf("2: wait %#x (the leader's group stop)\n", timed_wait(pid));
	printf("2: leader %c, other thread %c\n", wait_state(pid, pid, 't'),
	       wait_state(pid, tid, 'T'));
	printf("2: cont %ld\n", ptrace(PTRACE_CONT, pid, 0, 0));
	printf("2: runs %d\n", echoes());
	printf("2: other thread %c\n", state_of(pid, tid));
	printf("2: kill SIGCONT %d\n", kill(pid, SIGCONT));
	printf("2: other thread runs %d\n", wait_state(pid, tid, 'R') == 'R');
	kill(pid, SIGKILL);
	printf("2: end %#x\n", timed_wait(pid));
}

/* Part 3: detached from the group stop's trap, the leader stays stopped (until SIGCONT). */
static void detach_in_group_stop(void)
{
	int pid = fork(), tid = 0;
	char c;

	while (read(efd[0], &c, 1) == 1)
		;
	if (pid == 0) {
		pthread_t th;
		pthread_create(&th, NULL, other_thread, NULL);
		echo_loop();
	}
	while (read(efd[0], &tid, sizeof(tid)) != sizeof(tid))
		usleep(10000);
	printf("3: attach %ld\n", ptrace(PTRACE_ATTACH, pid, 0, 0));
	printf("3: wait %#x\n", timed_wait(pid));
	printf("3: cont %ld\n", ptrace(PTRACE_CONT, pid, 0, 0));
	printf("3: tgkill SIGSTOP to the untraced thread %ld\n",
	       sys3(SYS_tgkill, pid, tid, SIGSTOP));
	printf("3: wait %#x (the leader's group stop)\n", timed_wait(pid));
	printf("3: leader %c, other thread %c\n", wait_state(pid, pid, 't'),
	       wait_state(pid, tid, 'T'));
	printf("3: detach %ld\n", ptrace(PTRACE_DETACH, pid, 0, 0));
	usleep(100000);
	printf("3: leader %c, other thread %c\n", state_of(pid, pid), state_of(pid, tid));
	printf("3: kill SIGCONT %d\n", kill(pid, SIGCONT));
	printf("3: leader runs %d\n", echoes());
	kill(pid, SIGKILL);
	printf("3: end %#x\n", timed_wait(pid));
}

int main(void)
{
	pipe(pfd);
	pipe2(efd, O_NONBLOCK);
	one_thread();
	two_threads();
	detach_in_group_stop();
	return 0;
}
