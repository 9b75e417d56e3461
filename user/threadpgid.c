/* threadpgid: setpgid from a thread that is not the leader (the process moves: pid 0 is the
 * process, as Linux 6.1's group_leader), and setpgid on a child that another thread of the
 * process forked (its parent is in our thread group). A thread's tid names no process for
 * setpgid (EINVAL), but getpgid and getsid of a tid answer for its process.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

static volatile long r_self, r_tid, r_getpgid, r_getsid, child;
static volatile int tid, done;

static long err(long r)
{
	return r < 0 ? r : 0;
}

static int thread_fn(void *arg)
{
	(void)arg;
	tid = (int)sys0(SYS_gettid);
	r_self = sys2(SYS_setpgid, 0, 0);
	r_tid = sys2(SYS_setpgid, tid, 0);
	r_getpgid = sys1(SYS_getpgid, tid) == sys0(SYS_getpgid) ? 1 : sys1(SYS_getpgid, tid);
	r_getsid = sys1(SYS_getsid, tid) == sys1(SYS_getsid, 0) ? 1 : sys1(SYS_getsid, tid);
	long c = sys0(SYS_fork);
	if (c == 0) {
		thread_sleep_ms(200);
		sys1(SYS_exit, 0);
	}
	child = c;
	done = 1;
	while (done)
		thread_sleep_ms(1000);
	return 0;
}

int main(void)
{
	static int ctid;
	int st;

	pid_t me = getpid();
	if (setsid() < 0 && setpgid(0, 0) < 0) /* a session and a group of our own */
		printf("setup: errno %d\n", errno);
	printf("leads its group before: %d\n", getpgrp() == me);
	pid_t other = fork();
	if (other == 0) {
		/* a fresh process, in its parent's group: the thread moves it to its own */
		if (thread_start(thread_fn, NULL, &ctid) < 0)
			_exit(99);
		while (!done)
			usleep(1000);
		printf("thread setpgid(0, 0): %ld\n", err(r_self));
		printf("group is now the process: %d\n", getpgrp() == getpid());
		printf("thread setpgid(tid, 0): %ld\n", err(r_tid));
		printf("getpgid(tid) is the process's: %ld\n", r_getpgid);
		printf("getsid(tid) is the process's: %ld\n", r_getsid);
		printf("leader setpgid(child of the thread, 0): %ld\n",
		       err(sys2(SYS_setpgid, child, 0)));
		printf("child leads its group: %d\n", getpgid((pid_t)child) == (pid_t)child);
		fflush(stdout);
		sys1(SYS_exit_group, 0);
	}
	waitpid(other, &st, 0);
	printf("process status %#x\n", st);
	return 0;
}
