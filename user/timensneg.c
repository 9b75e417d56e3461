/* timensneg: a time namespace whose monotonic offset is negative, in use. An absolute timer
 * near KTIME_MAX converted to host time must not wrap around to the past (it never fires and
 * keeps its time), for timer_settime and timerfd_settime alike. Sleeps 1.2 s first: Linux
 * refuses an offset that would make the namespace's clock negative (ERANGE). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif

static void child(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	struct sigevent sev;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	timer_t t;
	long r = syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &t);
	printf("timer_create: %ld\n", r);
	struct itimerspec far = { { 0, 0 }, { 9223372035, 999999999 } }, cur;
	r = syscall(SYS_timer_settime, t, TIMER_ABSTIME, &far, NULL);
	printf("timer_settime(ABSTIME, ~KTIME_MAX): %ld\n", r);

	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	r = timerfd_settime(tfd, TFD_TIMER_ABSTIME, &far, NULL);
	printf("timerfd_settime(ABSTIME, ~KTIME_MAX): %ld\n", r);

	struct timespec nap = { 0, 100000000 };
	nanosleep(&nap, NULL);
	sigset_t pending;
	sigpending(&pending);
	printf("timer fired: %s\n", sigismember(&pending, SIGUSR1) ? "yes" : "no");
	syscall(SYS_timer_gettime, t, &cur);
	printf("timer still armed far ahead: %s\n", cur.it_value.tv_sec > 9000000000L ? "yes" : "no");
	unsigned long long ticks;
	r = read(tfd, &ticks, sizeof(ticks));
	printf("timerfd read: %ld %s\n", r, r < 0 ? strerror(errno) : "");
	timerfd_gettime(tfd, &cur);
	printf("timerfd still armed far ahead: %s\n",
	       cur.it_value.tv_sec > 9000000000L ? "yes" : "no");
}

int main(void)
{
	struct timespec wait = { 1, 200000000 };
	nanosleep(&wait, NULL);
	printf("unshare(CLONE_NEWTIME): %ld\n", syscall(SYS_unshare, CLONE_NEWTIME));
	int fd = open("/proc/self/timens_offsets", O_WRONLY);
	const char *off = "monotonic -1 0\n";
	long w = write(fd, off, strlen(off));
	printf("write \"monotonic -1 0\": %ld\n", w == (long)strlen(off) ? 0L : w);
	close(fd);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		child();
		fflush(stdout);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("child exit: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
