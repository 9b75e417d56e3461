/* threadinittrace: PID 1's leader, traced by its child, leaves with thread exit(2) while another
 * thread of init lives on: a zombie leader with no parent. Its tracer then exits without
 * detaching: the kernel must not look for the parent that init does not have. Warden only (the
 * program must be PID 1: the warden suite runs it so). The exit status, given by init's last
 * thread, is the number of failures (FAIL lines).
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

static volatile int *shared; /* [0] the tracer's verdict: 1 ok, else 2 + why; [1] tracer pid */

static int survivor(void *arg)
{
	int st;

	(void)arg;
	while (!shared[1])
		thread_sleep_ms(1);
	/* the tracer is our process's child: any thread may reap it */
	long r = sys4(SYS_wait4, shared[1], (long)&st, 0, 0);
	if (r != shared[1] || st != 0 || shared[0] != 1) {
		static const char msg[] = "FAIL: the tracer did not see init's leader as expected\n";
		sys3(SYS_write, 1, (long)msg, sizeof(msg) - 1);
		sys1(SYS_exit_group, 1);
	}
	static const char ok[] = "threadinittrace: ok\n";
	sys3(SYS_write, 1, (long)ok, sizeof(ok) - 1);
	sys1(SYS_exit_group, 0);
	return 0;
}

int main(void)
{
	static int ctid;

	if (getpid() != 1) {
		printf("threadinittrace: not PID 1, nothing to test\n");
		return 0;
	}
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	fflush(stdout);
	pid_t t = fork();
	if (t == 0) {
		int st;

		if (ptrace(PTRACE_ATTACH, 1, 0, 0)) {
			shared[0] = 2;
			_exit(0);
		}
		if (waitpid(1, &st, __WALL) != 1 || !WIFSTOPPED(st)) {
			shared[0] = 3;
			_exit(0);
		}
		ptrace(PTRACE_CONT, 1, 0, 0);
		usleep(100000); /* init's leader exits meanwhile: a traced zombie */
		shared[0] = 1;
		_exit(0); /* without detaching */
	}
	if (thread_start(survivor, NULL, &ctid) < 0)
		return 10;
	usleep(20000); /* stopped and continued by the tracer here */
	shared[1] = t;
	sys1(SYS_exit, 0); /* the leader alone */
	return 11;
}
