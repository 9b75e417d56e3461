/* threadhostile: hostile thread groups (Warden only, warden suite). Each round a process of
 * several threads blocks in futex_wait, pipe reads, nanosleep, wait4, poll and vfork, with robust
 * lists into each other's stacks, while one of its threads execs, exits the group, or the leader
 * exits alone; meanwhile a tracer process attaches to random threads and exits without
 * detaching, and the main program stops, continues, kills and reads /proc of the process. Every
 * process must be reaped, nothing may hang (the suite's timeout), the kernel must survive, and
 * free memory must come back. Exit status: the number of failures (FAIL lines).
 *
 *   threadhostile [SEED [ROUNDS]]
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

#define NT 6

struct shared {
	volatile int tids[NT];
	volatile int futex_word;
	volatile int go;
	int pipefd[2];
	volatile unsigned long robust_heads[NT][3];
};

static struct shared *sh;
static unsigned long rng;
static int failures;
static char *exec_argv[] = { "/prog", "exit", NULL };
static char *exec_envp[] = { NULL };

static unsigned long rnd(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return rng >> 33;
}

static int worker(void *arg)
{
	unsigned long r = (unsigned long)arg;
	int me = (int)(r % NT);
	char c;

	sh->tids[me] = (int)sys0(SYS_gettid);
	/* a robust list whose entries point at another thread's stack or at the kernel */
	volatile unsigned long *h = sh->robust_heads[me];
	unsigned long local[4] = { (unsigned long)h, 0, 0, 0 };
	h[0] = (r & 1) ? (unsigned long)local : (unsigned long)sh->robust_heads[(me + 1) % NT];
	h[1] = (r & 2) ? 0 : (unsigned long)-8;
	h[2] = (r & 4) ? 0xffff800000001000UL : (unsigned long)&sh->futex_word;
	sys2(SYS_set_robust_list, (long)h, 24);
	for (int i = 0; i < 50; i++) {
		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		switch ((r >> 40) % 9) {
		case 0: {
			struct timespec ts = { 0, 2000000 };
			sys6(SYS_futex, (long)&sh->futex_word, 0, 0, (long)&ts, 0, 0);
			break;
		}
		case 1: {
			struct pollfd p = { sh->pipefd[0], POLLIN, 0 };
			sys3(SYS_poll, (long)&p, 1, 3);
			break;
		}
		case 2:
			sys3(SYS_read, sh->pipefd[0], (long)&c, 1);
			break;
		case 3:
			thread_sleep_ms(2);
			break;
		case 4:
			sys4(SYS_wait4, -1, 0, 0x40000000 | ((r >> 50) & 1), 0);
			break;
		case 5: {
			long pid = sys0(SYS_vfork);
			if (pid == 0) {
				thread_sleep_ms(1);
				sys1(SYS_exit, 0);
			}
			break;
		}
		case 6:
			sys6(SYS_futex, (long)&sh->futex_word, 1, 2, 0, 0, 0);
			break;
		case 7:
			if (((r >> 52) & 15) == 0)
				sys3(SYS_execve, (long)"/prog", (long)exec_argv, (long)exec_envp);
			break;
		case 8:
			if (((r >> 52) & 31) == 0)
				sys1(SYS_exit_group, 3);
			if (((r >> 52) & 31) == 1)
				return 0;
			break;
		}
	}
	for (;;)
		thread_sleep_ms(5);
}

static void process_body(unsigned long seed)
{
	static int ctid[NT];

	for (int i = 1; i < NT; i++)
		thread_start(worker, (void *)(seed * NT + (unsigned long)i), &ctid[i]);
	unsigned long r = seed;
	switch (r % 4) {
	case 0:
		sys1(SYS_exit, 0); /* the leader leaves alone */
		break;
	case 1:
		thread_sleep_ms((long)(r % 7));
		sys1(SYS_exit_group, 2);
		break;
	default:
		worker((void *)(seed * NT));
	}
	sys1(SYS_exit, 0);
}

static void tracer_body(unsigned long seed)
{
	int st;

	for (int i = 0; i < 4; i++) {
		int tid = sh->tids[(seed + (unsigned long)i) % NT];

		if (tid > 0 && ptrace(PTRACE_ATTACH, tid, 0, 0) == 0) {
			if ((seed >> i) & 1) {
				if (waitpid(tid, &st, __WALL | WNOHANG) == tid && WIFSTOPPED(st))
					ptrace(PTRACE_CONT, tid, 0, 0);
			}
		}
		usleep(500 * (seed % 5));
	}
	_exit(0); /* without detaching: the tracees go on */
}

static void read_proc(pid_t p)
{
	char path[300], buf[512];
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "/proc/%d/task", p);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/status", p, e->d_name);
		int fd = open(path, O_RDONLY);
		if (fd >= 0) {
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
		}
	}
	closedir(d);
}

static long mem_free_kb(void)
{
	char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *m = strstr(buf, "MemFree:");
	return m ? atol(m + 8) : -1;
}

static void one_round(int round)
{
	int st;

	memset(sh, 0, sizeof(*sh));
	if (pipe(sh->pipefd))
		return;
	unsigned long seed = rnd();
	pid_t p = fork();
	if (p == 0)
		process_body(seed);
	close(sh->pipefd[0]);
	usleep(1000 * (int)(seed % 3));
	pid_t t = fork();
	if (t == 0)
		tracer_body(seed >> 3);
	for (int i = 0; i < 6; i++) {
		switch (rnd() % 7) {
		case 0:
			kill(p, SIGSTOP);
			break;
		case 1:
			kill(p, SIGCONT);
			break;
		case 2:
			read_proc(p);
			break;
		case 3:
			if (sh->tids[i % NT] > 0)
				syscall(SYS_tgkill, p, sh->tids[i % NT], SIGSTOP);
			break;
		case 4: {
			ssize_t w = write(sh->pipefd[1], "xy", 2); /* EPIPE once it is gone */
			(void)w;
			break;
		}
		case 5:
			sys6(SYS_futex, (long)&sh->futex_word, 1, 100, 0, 0, 0);
			break;
		case 6:
			usleep((int)(rnd() % 3000));
			break;
		}
	}
	if (rnd() % 2)
		kill(p, SIGKILL);
	else
		kill(p, SIGCONT);
	pid_t got;
	int reaped_p = 0, reaped_t = 0;
	usleep((int)(rnd() % 20000));
	kill(p, SIGKILL);
	while ((got = waitpid(-1, &st, __WALL)) > 0) {
		if (got == p)
			reaped_p++;
		if (got == t)
			reaped_t++;
	}
	int err = errno;
	if (err != ECHILD || reaped_p != 1 || reaped_t != 1) {
		printf("FAIL round %d: reaped p %d t %d got %d errno %d\n", round, reaped_p, reaped_t, got,
		       err);
		failures++;
	}
	close(sh->pipefd[1]);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exit"))
		return 0;
	rng = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	int rounds = argc > 2 ? atoi(argv[2]) : 150;

	signal(SIGPIPE, SIG_IGN);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long before = -1;
	for (int i = 0; i < rounds; i++) {
		one_round(i);
		if (i == 9)
			before = mem_free_kb();
	}
	long after = mem_free_kb();
	if (before > 0 && after >= 0 && before - after > 512) {
		printf("FAIL: MemFree %ld kB after round 10, %ld kB at the end\n", before, after);
		failures++;
	}
	printf("threadhostile: %d round(s), %d failure(s)\n", rounds, failures);
	return failures;
}
