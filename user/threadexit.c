/* threadexit: how the threads of a process end (issue 17 item 2). exit(2) ends one thread and
 * the process goes on; exit_group(2), from any thread, ends them all with its status; a leader
 * that calls exit(2) first stays a zombie its parent cannot reap until the last thread ends,
 * and the status its parent then sees is the leader's own, or the group exit's; a fault or a
 * fatal signal in one thread kills the whole process; the children of a thread that exits stay
 * with its process (another thread reaps them), and any thread may wait for the process's
 * children. Every case runs in a forked child (on Warden the program is PID 1, whose signals are
 * not those of an ordinary process). No pid is printed.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

static int to_parent[2], from_parent[2];
static volatile int leader_word = -1;
static volatile int child_status_word, wait_result;

static int exit_three(void *arg)
{
	(void)arg;
	return 3;
}

/* Sleeps a little, then exit_group with the status given. */
static int group_exit_later(void *arg)
{
	thread_sleep_ms(20);
	sys1(SYS_exit_group, (long)arg);
	return 99;
}

/* Sleeps (the main thread of a process that will be killed around it). */
static void sleep_long(void)
{
	for (int i = 0; i < 100; i++)
		thread_sleep_ms(100);
}

/*
 * Waits for the leader to be gone (its CLEARTID word, from set_tid_address), tells the parent,
 * waits for the parent's byte, then ends as arg says: 0 exit(6), else exit_group(arg).
 */
static int outlive_leader(void *arg)
{
	char c = 'x';

	wait_cleared(&leader_word);
	sys3(SYS_write, to_parent[1], (long)&c, 1);
	sys3(SYS_read, from_parent[0], (long)&c, 1);
	if (arg)
		sys1(SYS_exit_group, (long)arg);
	return 6;
}

static int fault(void *arg)
{
	(void)arg;
	volatile int *volatile null_page = NULL;

	thread_sleep_ms(20);
	null_page[2] = 1;
	return 0;
}

static int kill_process(void *arg)
{
	(void)arg;
	thread_sleep_ms(20);
	sys2(SYS_kill, sys0(SYS_getpid), SIGTERM);
	return 0;
}

/* Forks a child (a copy of this thread only) that exits 8 a little later, then exits. */
static int fork_then_exit(void *arg)
{
	(void)arg;
	long pid = sys0(SYS_fork);
	if (pid == 0) {
		thread_sleep_ms(30);
		sys1(SYS_exit, 8);
	}
	return 0;
}

/* Waits for the process's child given (made by another thread). */
static int wait_for(void *arg)
{
	int st = 0;

	wait_result = (int)sys4(SYS_wait4, (long)arg, (long)&st, 0, 0) == (long)arg;
	child_status_word = st;
	return 0;
}

/* Runs fn in a forked child and prints its wait status. */
static void run(const char *what, void (*fn)(void))
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

static void thread_exits(void)
{
	int ctid = -1;

	thread_start(exit_three, NULL, &ctid);
	printf("  thread gone: %s; the process goes on\n", wait_cleared(&ctid) ? "yes" : "no");
	_exit(1);
}

static void thread_exit_group(void)
{
	int ctid = -1;

	thread_start(group_exit_later, (void *)4, &ctid);
	sleep_long();
	_exit(1);
}

static void thread_faults(void)
{
	int ctid = -1;

	thread_start(fault, NULL, &ctid);
	sleep_long();
	_exit(1);
}

static void thread_kills_process(void)
{
	int ctid = -1;

	thread_start(kill_process, NULL, &ctid);
	sleep_long();
	_exit(1);
}

static void orphan_of_thread(void)
{
	int ctid = -1, st = 0;

	thread_start(fork_then_exit, NULL, &ctid);
	wait_cleared(&ctid);
	long w = sys4(SYS_wait4, -1, (long)&st, 0, 0);
	printf("  the exited thread's child reaped by the leader: %s, status %#x\n",
	       w > 0 ? "yes" : errname((int)-w), st);
	_exit(2);
}

static void wait_in_thread(void)
{
	int ctid = -1;
	pid_t pid = fork();

	if (pid == 0) {
		thread_sleep_ms(20);
		_exit(9);
	}
	thread_start(wait_for, (void *)(long)pid, &ctid);
	wait_cleared(&ctid);
	printf("  a thread's wait4 got our child: %s, status %#x\n", wait_result ? "yes" : "no",
	       child_status_word);
	_exit(3);
}

/* The leader exits first; the parent checks it cannot reap it yet, then lets the thread end. */
static void leader_first(long group_code)
{
	char c;
	int st;

	pipe(to_parent);
	pipe(from_parent);
	pid_t pid = fork();
	if (pid == 0) {
		int ctid = -1;

		sys1(SYS_set_tid_address, (long)&leader_word);
		thread_start(outlive_leader, (void *)group_code, &ctid);
		sys1(SYS_exit, 5);
	}
	read(to_parent[0], &c, 1);
	thread_sleep_ms(20);
	long w = sys4(SYS_wait4, pid, (long)&st, WNOHANG, 0);
	printf("  leader gone, thread alive: wait4 WNOHANG says %s\n",
	       w == 0 ? "nothing yet" : w == pid ? "reaped" : errname((int)-w));
	write(from_parent[1], "g", 1);
	w = waitpid(pid, &st, 0);
	printf("  after the last thread: %s, exit status %d\n", w == pid ? "reaped" : "error",
	       WEXITSTATUS(st));
	close(to_parent[0]);
	close(to_parent[1]);
	close(from_parent[0]);
	close(from_parent[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("-- exit(2) in a thread\n");
	run("process", thread_exits);
	printf("-- exit_group(4) in a thread while the leader sleeps\n");
	run("process", thread_exit_group);
	printf("-- a thread faults (SIGSEGV, default action)\n");
	run("process", thread_faults);
	printf("-- a thread sends SIGTERM to its process\n");
	run("process", thread_kills_process);
	printf("-- a thread forks and exits; its child\n");
	run("process", orphan_of_thread);
	printf("-- a thread waits for a child the leader forked\n");
	run("process", wait_in_thread);
	printf("-- the leader exits(5) first, the thread then exits(6)\n");
	leader_first(0);
	printf("-- the leader exits(5) first, the thread then exit_group(9)\n");
	leader_first(9);
	printf("done\n");
	return 0;
}
