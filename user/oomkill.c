/* oomkill: Warden's OOM killer picks the process that holds the memory, not the one that faults
 * (issue 15, defect 4). Self-checking, run as PID 1 in the warden suite (tests/warden/
 * oomkill.append; tests/warden/oomkill.log lists the report lines the kernel log must have).
 *
 * Each scenario forks "hogs" that fill RAM (what /proc/meminfo says is free, less a margin) and
 * keep it, then the parent (PID 1) needs 8 MiB more: by demand paging, by copy-on-write, by
 * stack growth, or inside read(2) (a kernel copy to user pages). The parent must get its memory
 * and see, through wait4, that the right hog died of SIGKILL:
 *   init         init is never chosen, even when it is the biggest;
 *   bigger_first / bigger_last  the bigger of two hogs dies, whichever was forked first;
 *   adj_min      oom_score_adj -1000 protects the big hog: the small one dies;
 *   adj_max      oom_score_adj 1000 makes the small hog the victim;
 *   uaccess      read(2) from /dev/zero into untouched memory; the hog is stopped (SIGSTOP);
 *   cow          the parent writes pages it shares copy-on-write with a child;
 *   stack        the parent's stack grows by 6 MiB;
 *   self         a child touches more than RAM: it is the biggest, and dies of its own fault.
 * After each, every hog is killed and MemFree must come back. Lines: "ok NAME" or "FAIL NAME". */
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#define MIB (1024L * 1024)
#define MARGIN (4 * MIB) /* left free after the hogs: less than the 8 MiB the parent needs */
#define NEED (8 * MIB)

static int failures;

static void report(const char *name, int ok, const char *why)
{
	if (ok)
		printf("ok %s\n", name);
	else
		printf("FAIL %s: %s\n", name, why);
	failures += !ok;
	fflush(stdout);
}

/* MemFree from /proc/meminfo, in bytes. */
static long meminfo_bytes(const char *field)
{
	char buf[512];
	int fd = open("/proc/meminfo", O_RDONLY);
	long n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	char *p = strstr(buf, field);
	return p ? strtol(p + strlen(field), NULL, 10) * 1024 : -1;
}

static long mem_free(void)
{
	return meminfo_bytes("MemFree:");
}

/* Sets the caller's /proc/self/oom_score_adj. */
static void set_adj(int adj)
{
	char s[16];
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);
	int n = snprintf(s, sizeof s, "%d", adj);
	if (fd < 0 || write(fd, s, n) != n)
		printf("FAIL set oom_score_adj %d\n", adj);
	close(fd);
}

/* Touches len bytes from p, one write per page, with a pattern check() can verify. */
static void touch(char *p, long len, char tag)
{
	for (long i = 0; i < len; i += 4096)
		p[i] = (char)(tag + i / 4096);
}

static int check(const char *p, long len, char tag)
{
	for (long i = 0; i < len; i += 4096)
		if (p[i] != (char)(tag + i / 4096))
			return 0;
	return 1;
}

/* A hog: a child named name with oom_score_adj adj that touches bytes (or, if bytes is 0, all
 * that is free less MARGIN), reports on fd, then sleeps (pause) or stops itself. */
static pid_t hog(const char *name, int adj, long bytes, int stop)
{
	int pfd[2];
	char c;

	if (pipe(pfd))
		return -1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		prctl(PR_SET_NAME, name);
		set_adj(adj);
		if (!bytes) /* its page tables take 1/512 of what it maps */
			bytes = (mem_free() - MARGIN) / 513 * 512;
		bytes &= ~4095L;
		char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		if (p == MAP_FAILED)
			_exit(3);
		touch(p, bytes, 1);
		write(pfd[1], "r", 1);
		if (stop)
			raise(SIGSTOP);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1)
		pid = -1; /* it died before it was ready */
	close(pfd[0]);
	return pid;
}

/* Waits for the first child to die; true if it is want, killed by SIGKILL. */
static int first_death_is(pid_t want, char *why, size_t len)
{
	int st;
	pid_t got = waitpid(-1, &st, 0);

	if (got != want || !WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
		snprintf(why, len, "first death: %s, status %#x (want the %s hog killed by SIGKILL)",
			 got == want ? "the expected child" : "another child", st,
			 got == want ? "expected" : "other");
		return 0;
	}
	return 1;
}

/* Kills and reaps every child left. */
static void kill_all(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
}

/* The parent needs NEED fresh bytes by demand paging; true if they hold what it wrote. */
static int parent_needs_memory(void)
{
	char *p = mmap(NULL, NEED, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	touch(p, NEED, 7);
	int ok = check(p, NEED, 7);
	munmap(p, NEED);
	return ok;
}

/* Ends a scenario: the victim must be want, the others alive; all freed afterwards. */
static void finish(const char *name, int ok, pid_t want, pid_t *pids, int n, long free0)
{
	char why[160] = "the parent's memory did not hold its contents";

	if (ok)
		ok = first_death_is(want, why, sizeof why);
	for (int i = 0; ok && i < n; i++) {
		if (pids[i] != want && waitpid(pids[i], NULL, WNOHANG) != 0) {
			snprintf(why, sizeof why, "hog %d of %d died too", i + 1, n);
			ok = 0;
		}
	}
	kill_all(pids, n);
	if (ok && mem_free() < free0 - 2 * MIB) {
		snprintf(why, sizeof why, "MemFree did not come back: %ld KiB of %ld", mem_free() >> 10,
			 free0 >> 10);
		ok = 0;
	}
	report(name, ok, why);
}

/* init is never chosen, though it holds more than the hog. The hog is forked before the parent
 * touches its half, so that it does not map (and count) the parent's pages copy-on-write. */
static void scenario_init(void)
{
	long free0 = mem_free();
	long mine = free0 / 2 & ~4095L;
	int go[2], ready_pipe[2];
	char c = 'g';
	pipe(go);
	pipe(ready_pipe);
	fflush(stdout);
	pid_t pids[1] = { fork() };
	if (pids[0] == 0) {
		prctl(PR_SET_NAME, "hog-init");
		close(go[1]);
		close(ready_pipe[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(5);
		long bytes = (mem_free() - MARGIN) / 513 * 512 & ~4095L;
		char *h = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		touch(h, bytes, 1);
		write(ready_pipe[1], "r", 1);
		for (;;)
			pause();
	}
	close(go[0]);
	close(ready_pipe[1]);
	char *p = mmap(NULL, mine, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	touch(p, mine, 3);
	write(go[1], &c, 1);
	int ok = read(ready_pipe[0], &c, 1) == 1 && parent_needs_memory() && check(p, mine, 3);
	close(go[1]);
	close(ready_pipe[0]);
	munmap(p, mine);
	finish("oom_init_never_chosen", ok, pids[0], pids, 1, free0);
}

/* Two hogs, the bigger one forked first (big_first) or last: the bigger one dies. */
static void scenario_bigger(int big_first)
{
	long free0 = mem_free();
	pid_t pids[2];
	long part = (big_first ? free0 * 6 / 10 : free0 * 3 / 10) & ~4095L;
	pids[0] = hog(big_first ? "hog-big" : "hog-small", 0, part, 0);
	pids[1] = hog(big_first ? "hog-small" : "hog-big", 0, 0, 0);
	int ok = pids[0] > 0 && pids[1] > 0 && parent_needs_memory();
	finish(big_first ? "oom_bigger_first_chosen" : "oom_bigger_last_chosen", ok,
	       pids[big_first ? 0 : 1], pids, 2, free0);
}

/* oom_score_adj: -1000 shields the big hog (adj_max 0), or 1000 dooms the small one. */
static void scenario_adj(int adj_max)
{
	long free0 = mem_free();
	pid_t pids[2];
	pids[0] = hog(adj_max ? "hog-big" : "hog-shield", adj_max ? 0 : -1000,
		      free0 - MARGIN - 24 * MIB, 0);
	pids[1] = hog(adj_max ? "hog-adj1000" : "hog-small", adj_max ? 1000 : 0, 0, 0);
	int ok = pids[0] > 0 && pids[1] > 0 && parent_needs_memory();
	finish(adj_max ? "oom_score_adj_1000_chosen" : "oom_score_adj_min_protects", ok, pids[1],
	       pids, 2, free0);
}

/* read(2) into untouched memory: the kernel's copy to user pages faults; the hog is stopped. */
static void scenario_uaccess(void)
{
	long free0 = mem_free();
	pid_t pids[1] = { hog("hog-stopped", 0, 0, 1) };
	int st, ok = pids[0] > 0 && waitpid(pids[0], &st, WUNTRACED) == pids[0] && WIFSTOPPED(st);
	char *p = mmap(NULL, NEED, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open("/dev/zero", O_RDONLY);
	long n = ok ? read(fd, p, NEED) : -1;
	close(fd);
	if (n != NEED)
		printf("FAIL oom_uaccess: read returned %ld errno %d\n", n, errno);
	ok = ok && n == NEED && p[0] == 0 && p[NEED - 1] == 0;
	munmap(p, NEED);
	finish("oom_uaccess_stopped_victim", ok, pids[0], pids, 1, free0);
}

/* Copy-on-write: the parent writes 8 MiB it shares with a sleeping child. */
static void scenario_cow(void)
{
	long free0 = mem_free();
	char *p = mmap(NULL, NEED, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	touch(p, NEED, 5);
	pid_t pids[2];
	pids[0] = hog("hog-sharer", 0, 4096, 0); /* shares p copy-on-write */
	pids[1] = hog("hog-cow", 0, 0, 0);
	touch(p, NEED, 9); /* every page copied */
	int ok = pids[0] > 0 && pids[1] > 0 && check(p, NEED, 9);
	munmap(p, NEED);
	finish("oom_cow_fault", ok, pids[1], pids, 2, free0);
}

/* Grows the stack by 6 MiB, one page at a time from the top, and checks it. */
static __attribute__((noinline)) int grow_stack(void)
{
	volatile char big[6 * MIB];
	for (long i = sizeof big - 1; i >= 0; i -= 4096)
		big[i] = (char)(i >> 12);
	for (long i = sizeof big - 1; i >= 0; i -= 4096)
		if (big[i] != (char)(i >> 12))
			return 0;
	return 1;
}

/* A child that touches memory until it dies: the biggest process is the one faulting. */
static void scenario_self(void)
{
	long free0 = mem_free();
	fflush(stdout);
	pid_t pids[1] = { fork() };
	if (pids[0] == 0) {
		prctl(PR_SET_NAME, "hog-self");
		/* vm.overcommit_memory 0 refuses one mapping larger than all of RAM (ENOMEM) */
		long len = free0 + 64 * MIB, total = meminfo_bytes("MemTotal:");
		if (len > total)
			len = total & ~4095L;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		touch(p, len, 1);
		_exit(4); /* more than all of RAM was touched: never reached */
	}
	finish("oom_faulting_task_is_victim", pids[0] > 0, pids[0], pids, 1, free0);
}

static void scenario_stack(void)
{
	long free0 = mem_free();
	pid_t pids[1] = { hog("hog-stack", 0, 0, 0) };
	int ok = pids[0] > 0 && grow_stack();
	finish("oom_stack_growth", ok, pids[0], pids, 1, free0 - 6 * MIB); /* the stack stays */
}

int main(void)
{
	scenario_init();
	scenario_bigger(1);
	scenario_bigger(0);
	scenario_adj(0);
	scenario_adj(1);
	scenario_uaccess();
	scenario_cow();
	scenario_stack();
	scenario_self();
	printf("oomkill: %d failed\n", failures);
	return failures != 0;
}
