/* signalfd: issue 21, signalfd and signalfd4 as Linux 6.1 has them: the errno order, the flags,
 * SIGKILL/SIGSTOP left out of the mask (fdinfo's sigmask line), a new mask for an existing
 * signalfd, records for kill, tgkill, sigqueue, a POSIX timer and SIGCHLD, EAGAIN, EINVAL for a
 * short buffer, poll and select readiness, a blocking read woken by a signal from another process
 * or ended by one with a handler (EINTR), a signalfd inherited by fork reading the child's own
 * signals, and a SIGCHLD record with the child's CPU time. Pids are printed as comparisons.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define BAD ((long)0x10)

struct sfd_info {
	uint32_t ssi_signo;
	int32_t ssi_errno;
	int32_t ssi_code;
	uint32_t ssi_pid;
	uint32_t ssi_uid;
	int32_t ssi_fd;
	uint32_t ssi_tid;
	uint32_t ssi_band;
	uint32_t ssi_overrun;
	uint32_t ssi_trapno;
	int32_t ssi_status;
	int32_t ssi_int;
	uint64_t ssi_ptr;
	uint64_t ssi_utime;
	uint64_t ssi_stime;
	uint64_t ssi_addr;
	uint16_t ssi_addr_lsb;
	uint16_t pad2;
	int32_t ssi_syscall;
	uint64_t ssi_call_addr;
	uint32_t ssi_arch;
	uint8_t pad[28];
};

static long sfd4(long fd, uint64_t mask, long size, long flags)
{
	return sys4(SYS_signalfd4, fd, (long)&mask, size, flags);
}

static uint64_t bit(int sig)
{
	return 1ULL << (sig - 1);
}

static void block(uint64_t m)
{
	sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&m, 0, 8);
}

/* Prints fdinfo's sigmask line of fd. */
static void show_fdinfo(int fd)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	int f = open(path, O_RDONLY);
	long n = read(f, buf, sizeof(buf) - 1);
	close(f);
	buf[n > 0 ? n : 0] = 0;
	char *l = strstr(buf, "sigmask:");
	if (l) {
		*strchr(l, '\n') = 0;
		printf("fdinfo %s\n", l);
	} else {
		printf("fdinfo: no sigmask line\n");
	}
}

/* Prints the records read(fd, n records) gives. */
static long read_records(const char *what, int fd, int n)
{
	struct sfd_info r[4];
	memset(r, 0xa5, sizeof(r));
	long got = read(fd, r, (size_t)n * sizeof(r[0]));
	if (got < 0) {
		printf("%s: read -1 %s\n", what, errname(errno));
		return got;
	}
	printf("%s: read %ld\n", what, got);
	for (long i = 0; i < got / (long)sizeof(r[0]); i++) {
		struct sfd_info *s = &r[i];
		int zero = 1;
		for (size_t k = 0; k < sizeof(s->pad); k++)
			zero &= s->pad[k] == 0;
		printf("  signo %u errno %d code %d pid %s uid %u fd %d tid %s band %u overrun %u "
		       "status %d int %d ptr %llu cputime<=5 %d addr %llu lsb %u syscall %d "
		       "call %llu arch %u pad-zero %d\n",
		       s->ssi_signo, s->ssi_errno, s->ssi_code,
		       s->ssi_pid == (uint32_t)getpid() ? "self" : s->ssi_pid ? "other" : "0",
		       s->ssi_uid, s->ssi_fd, s->ssi_tid ? "set" : "0", s->ssi_band, s->ssi_overrun,
		       s->ssi_status, s->ssi_int, (unsigned long long)s->ssi_ptr,
		       s->ssi_utime + s->ssi_stime <= 5, (unsigned long long)s->ssi_addr, s->ssi_addr_lsb, s->ssi_syscall,
		       (unsigned long long)s->ssi_call_addr, s->ssi_arch, zero && !s->pad2);
	}
	return got;
}

static void poll_state(const char *what, int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT | POLLPRI, 0 };
	int r = poll(&p, 1, 0);
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	struct timeval tv = { 0, 0 };
	int s = select(fd + 1, &rs, NULL, NULL, &tv);
	printf("%s: poll %d revents %#x select %d\n", what, r, p.revents, s);
}

static void on_usr2(int sig)
{
	(void)sig;
}

static int g_fd;

/* A forked child with the parent's signalfd: the parent's pending signals are not its own. */
static void child_reads(void)
{
	poll_state("child before", g_fd);
	read_records("child empty", g_fd, 1);
	kill(getpid(), SIGUSR1);
	poll_state("child after kill", g_fd);
	read_records("child own", g_fd, 1);
}

int main(void)
{
	long r;

	/* errno order: sizemask, then the copy, then the flags, then the descriptor */
	show("sizemask 4", sfd4(-1, bit(SIGUSR1), 4, 0));
	show("sizemask 16", sfd4(-1, bit(SIGUSR1), 16, 0));
	show("bad mask pointer, bad flags", sys4(SYS_signalfd4, -1, BAD, 8, 0x1234));
	show("bad flags", sfd4(-1, bit(SIGUSR1), 8, 1));
	show("bad flags, bad fd", sfd4(999, bit(SIGUSR1), 8, 1));
	show("bad fd", sfd4(999, bit(SIGUSR1), 8, 0));
	show("fd -2", sfd4(-2, bit(SIGUSR1), 8, 0));
	show("not a signalfd", sfd4(1, bit(SIGUSR1), 8, 0));
	show("signalfd sizemask 4", sys3(SYS_signalfd, -1, (long)&(uint64_t){ 0 }, 4));

	uint64_t m = bit(SIGUSR1) | bit(SIGKILL) | bit(SIGSTOP) | bit(SIGCHLD) | bit(35) |
		     bit(SIGALRM);
	int fd = (int)sfd4(-1, m, 8, O_NONBLOCK | O_CLOEXEC);
	printf("signalfd4: %s\n", fd >= 0 ? "fd" : errname((int)-fd));
	printf("F_GETFL %#x F_GETFD %d\n", fcntl(fd, F_GETFL) & ~0x8000, fcntl(fd, F_GETFD));
	show_fdinfo(fd);
	char link[64], target[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	r = readlink(link, target, sizeof(target) - 1);
	target[r > 0 ? r : 0] = 0;
	printf("fd link %s\n", target);
	show("lseek", lseek(fd, 10, SEEK_SET) < 0 ? -errno : 0);
	show("write", write(fd, "x", 1) < 0 ? -errno : 0);

	block(bit(SIGUSR1) | bit(SIGUSR2) | bit(SIGCHLD) | bit(35) | bit(SIGALRM));
	read_records("empty", fd, 1);
	poll_state("empty", fd);
	char small[127];
	r = read(fd, small, sizeof(small));
	printf("short buffer: %ld %s\n", r, errname(errno));

	kill(getpid(), SIGUSR1);
	poll_state("after kill", fd);
	r = read(fd, small, sizeof(small));
	printf("short buffer pending: %ld %s\n", r, errname(errno));
	read_records("kill", fd, 2);

	/* sigqueue twice (real-time: both queued), tgkill, kill: the thread's own set comes first */
	union sigval v = { .sival_int = 42 };
	sigqueue(getpid(), 35, v);
	v.sival_int = 43;
	sigqueue(getpid(), 35, v);
	kill(getpid(), SIGUSR1);
	sys3(SYS_tgkill, getpid(), getpid(), SIGCHLD);
	read_records("queued", fd, 4);
	read_records("rest", fd, 4);

	/* a new mask for the same descriptor */
	kill(getpid(), SIGUSR2);
	read_records("usr2 not in mask", fd, 1);
	show("new mask", sfd4(fd, bit(SIGUSR2) | bit(SIGKILL), 8, 0) == fd ? 0 : -1);
	show_fdinfo(fd);
	printf("F_GETFL after %#x\n", fcntl(fd, F_GETFL) & ~0x8000);
	poll_state("usr2 in mask", fd);
	read_records("usr2", fd, 1);
	show("signalfd old call", sys3(SYS_signalfd, fd, (long)&m, 8) == fd ? 0 : -1);
	show_fdinfo(fd);

	/* a POSIX timer's signal: SI_TIMER with its id, overrun and value */
	struct sigevent ev = { 0 };
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGALRM;
	ev.sigev_value.sival_int = 7;
	int tid = -1;
	show("timer_create", sys3(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev, (long)&tid));
	struct itimerspec its = { { 0, 100000000 }, { 0, 1000000 } };
	show("timer_settime", sys4(SYS_timer_settime, tid, 0, (long)&its, 0));
	sleep_ms(350);
	struct sfd_info ti;
	r = read(fd, &ti, sizeof(ti));
	printf("timer: read %ld signo %u code %d tid-is-id %d overrun>0 %d int %d\n", r,
	       ti.ssi_signo, ti.ssi_code, ti.ssi_tid == (uint32_t)tid, ti.ssi_overrun > 0,
	       ti.ssi_int);
	sys1(SYS_timer_delete, tid);
	read_records("after timer_delete", fd, 1);

	/* SIGCHLD: a blocking descriptor waits for the child's exit */
	int bfd = (int)sfd4(-1, bit(SIGCHLD), 8, 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(3);
	struct sfd_info ci;
	r = read(bfd, &ci, sizeof(ci));
	printf("sigchld: read %ld signo %u code %d pid-is-child %d status %d cputime<=5 %d\n", r,
	       ci.ssi_signo, ci.ssi_code, ci.ssi_pid == (uint32_t)c, ci.ssi_status,
	       ci.ssi_utime + ci.ssi_stime <= 5);
	waitpid(c, NULL, 0);

	/* SIGCHLD carries the child's CPU time in clock ticks: a child that spins for 300 ms */
	fflush(stdout);
	c = fork();
	if (c == 0) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do
			clock_gettime(CLOCK_MONOTONIC, &t1);
		while ((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) < 300000000L);
		_exit(0);
	}
	r = read(bfd, &ci, sizeof(ci));
	printf("sigchld of a busy child: read %ld utime+stime >= 10 ticks %d, <= 100 %d\n", r,
	       ci.ssi_utime + ci.ssi_stime >= 10, ci.ssi_utime + ci.ssi_stime <= 100);
	waitpid(c, NULL, 0);

	/* a blocking read woken by another process's kill */
	int ufd = (int)sfd4(-1, bit(SIGUSR2), 8, 0);
	pid_t parent = getpid();
	fflush(stdout);
	c = fork();
	if (c == 0) {
		sleep_ms(50);
		kill(parent, SIGUSR2);
		_exit(0);
	}
	struct sfd_info wi;
	r = read(ufd, &wi, sizeof(wi));
	printf("woken: read %ld signo %u code %d pid-is-child %d\n", r, wi.ssi_signo,
	       wi.ssi_code, wi.ssi_pid == (uint32_t)c);
	waitpid(c, NULL, 0);
	read_records("sigchld of the waker", bfd, 1);

	/* a blocking read ended by a signal with a handler that the descriptor does not read */
	struct sigaction sa = { 0 };
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	uint64_t un = bit(SIGUSR2);
	sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&un, 0, 8);
	int afd = (int)sfd4(-1, bit(SIGUSR1), 8, 0);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		sleep_ms(50);
		kill(parent, SIGUSR2);
		_exit(0);
	}
	read_records("interrupted", afd, 1);
	waitpid(c, NULL, 0);
	read_records("sigchld again", bfd, 1);

	/* fork: the child reads its own pending signals through the inherited descriptor */
	kill(getpid(), SIGUSR1);
	g_fd = fd;
	sfd4(fd, bit(SIGUSR1), 8, 0);
	int st = child_status(child_reads);
	printf("child status %d\n", WEXITSTATUS(st));
	read_records("parent's usr1", fd, 1);
	read_records("parent's sigchld", bfd, 1);
	return 0;
}
