/* procaccess: what a process may learn about another user's process, and /proc owners that
 * follow their task (docs/credentials.md):
 * - /proc/PID/stat shows the address fields, wchan and the exit code only to a reader that
 *   passes ptrace_may_access(PTRACE_MODE_READ_FSCREDS) (Linux's do_task_stat): 0 otherwise, 1
 *   for the code bounds; wchan (sleeping or not) only for one thread: task/TID/stat, or
 *   /proc/PID/stat of a process with one thread;
 * - /proc/PID/exe of another user's process is EACCES (proc_fd_access_allowed);
 * - get_robust_list of another process's task needs PTRACE_MODE_READ_REALCREDS (EPERM), an
 *   unknown pid is ESRCH;
 * - /proc/PID/fdinfo and its files need PTRACE_MODE_READ_FSCREDS (Linux's
 *   proc_fdinfo_permission: EACCES), also through a directory opened while allowed, and for
 *   access(F_OK) (MAY_ACCESS alone) too;
 * - a process not dumpable opens the fd directory of each of its threads (proc_fd_permission's
 *   same_thread_group), task/TID/fd of a thread that is not the leader included;
 * - /proc/self/environ and cmdline read nothing of PROT_NONE memory (no FOLL_FORCE);
 * - the owner of /proc/PID and its files follows the task's credentials and dumpable flag
 *   (Linux's pid_getattr and pid_update_inode), for descriptors opened before the change too,
 *   and so does the permission of a /proc/PID/fd directory opened before.
 * A root parent runs each part in children that drop to uid 1000. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static void must(long r, const char *what)
{
	if (is_err(r)) {
		printf("setup %s: %s\n", what, errname((int)-r));
		exit(1);
	}
}

/* Becomes uid and gid 1000, dumpable again (the uid change cleared it). */
static void become_user(void)
{
	must(sys2(SYS_setgroups, 0, 0), "setgroups");
	must(sys3(SYS_setresgid, 1000, 1000, 1000), "setresgid");
	must(sys3(SYS_setresuid, 1000, 1000, 1000), "setresuid");
	must(sys2(SYS_prctl, PR_SET_DUMPABLE, 1), "PR_SET_DUMPABLE");
}

/* The stat fields Linux hides from a reader it does not permit, by their numbers in proc(5). */
static const struct {
	int field;
	const char *name;
} hidden[] = { { 26, "startcode" }, { 27, "endcode" },	 { 28, "startstack" }, { 29, "kstkesp" },
	       { 30, "kstkeip" },   { 35, "wchan" },	 { 45, "start_data" }, { 46, "end_data" },
	       { 47, "start_brk" }, { 48, "arg_start" }, { 49, "arg_end" },    { 50, "env_start" },
	       { 51, "env_end" },   { 52, "exit_code" } };

/* Prints each hidden field of path as 0, 1 or "set" (any other value). */
static void show_stat(const char *what, const char *path)
{
	char buf[1024];
	int fd = open(path, O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		printf("%s: unreadable\n", what);
		return;
	}
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	unsigned long long v[60] = { 0 };
	int field = 3;
	for (p = p ? p + 2 : buf; *p && field < 60; field++) {
		char *end;
		v[field] = strtoull(*p == '-' ? p + 1 : p, &end, 10);
		if (*p >= 'A' && *p <= 'Z')
			end = p + 1; /* the state letter */
		p = *end ? end + 1 : end;
	}
	printf("%s:", what);
	for (unsigned i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
		unsigned long long x = v[hidden[i].field];
		printf(" %s=%s", hidden[i].name, x == 0 ? "0" : x == 1 ? "1" : "set");
	}
	printf("\n");
}

static void stat_part(void)
{
	char path[64];

	become_user();
	snprintf(path, sizeof path, "/proc/%d/stat", getppid());
	show_stat("stat of root's process", path);
	show_stat("stat of its own", "/proc/self/stat");
	snprintf(path, sizeof path, "/proc/%d/exe", getppid());
	char buf[256];
	long r = sys3(SYS_readlink, (long)path, (long)buf, sizeof buf);
	show("readlink exe of root's process", r < 0 ? r : 0);
	r = sys3(SYS_readlink, (long)"/proc/self/exe", (long)buf, sizeof buf);
	show("readlink its own exe", r < 0 ? r : 0);
}

/* Field n (proc(5)'s numbering, from 3 on) of a stat file, or -1. */
static long stat_field(const char *path, int n)
{
	char buf[1024];
	int fd = open(path, O_RDONLY);
	long len = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (len <= 0)
		return -1;
	buf[len] = 0;
	char *p = strrchr(buf, ')');
	for (int f = 3; p && f <= n; f++) {
		p = strchr(p, ' ');
		if (p && f == n)
			return p[1] >= 'A' && p[1] <= 'Z' ? p[1] : strtol(p + 1, NULL, 10);
		if (p)
			p++;
	}
	return -1;
}

static int sleeper[2];

static void *sleep_thread(void *arg)
{
	char b;

	(void)arg;
	while (read(sleeper[0], &b, 1) > 0)
		;
	return NULL;
}

/* Root reads the stat of a two-thread process whose threads sleep: wchan only per thread. */
static void threads_part(void)
{
	char path[64], tpath[64];

	must(pipe(sleeper), "pipe");
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		pthread_t th;
		char b;

		close(sleeper[1]);
		pthread_create(&th, NULL, sleep_thread, NULL);
		while (read(sleeper[0], &b, 1) > 0)
			;
		_exit(0);
	}
	close(sleeper[0]);
	snprintf(path, sizeof path, "/proc/%d/stat", c);
	snprintf(tpath, sizeof tpath, "/proc/%d/task/%d/stat", c, c);
	for (int i = 0; i < 2000 && (stat_field(path, 20) != 2 || stat_field(tpath, 3) != 'S'); i++)
		usleep(1000);
	printf("two threads, the first asleep: threads %ld, state %c\n", stat_field(path, 20),
	       (char)stat_field(tpath, 3));
	printf("  wchan of /proc/PID/stat: %ld\n", stat_field(path, 35));
	printf("  wchan of task/TID/stat: %ld\n", stat_field(tpath, 35));
	close(sleeper[1]);
	waitpid(c, NULL, 0);
}

static void robust_part(void)
{
	long head, len = 0;

	become_user();
	show("get_robust_list of root's process",
	     sys3(SYS_get_robust_list, getppid(), (long)&head, (long)&len));
	show("get_robust_list of its own (0)",
	     sys3(SYS_get_robust_list, 0, (long)&head, (long)&len));
	printf("  len %ld\n", len);
	show("get_robust_list of its own (pid)",
	     sys3(SYS_get_robust_list, getpid(), (long)&head, (long)&len));
	show("get_robust_list of no process",
	     sys3(SYS_get_robust_list, 0x3ffffff0, (long)&head, (long)&len));
	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	show("get_robust_list of its own child",
	     sys3(SYS_get_robust_list, c, (long)&head, (long)&len));
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
}

static void root_robust_part(void)
{
	long head, len = 0;
	pid_t c = fork();

	if (c == 0) {
		become_user();
		pause();
		_exit(0);
	}
	usleep(100000);
	show("root: get_robust_list of a user's process",
	     sys3(SYS_get_robust_list, c, (long)&head, (long)&len));
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
}

static void fdinfo_part(void)
{
	char path[64], buf[256];
	struct stat st;
	int ppid = getppid();

	snprintf(path, sizeof path, "/proc/%d/fdinfo", ppid);
	int dfd = open(path, O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof path, "/proc/%d/fdinfo/0", ppid);
	int ffd = open(path, O_RDONLY);
	printf("as root: open the fdinfo directory %s, fdinfo/0 %s\n", dfd >= 0 ? "ok" : "failed",
	       ffd >= 0 ? "ok" : "failed");
	become_user();
	show("stat fdinfo/0 of root's process",
	     sys4(SYS_newfstatat, AT_FDCWD, (long)path, (long)&st, 0));
	show("access F_OK fdinfo/0 of root's process",
	     sys3(SYS_faccessat, AT_FDCWD, (long)path, F_OK));
	long r = sys4(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0);
	show("open fdinfo/0 of root's process", r < 0 ? r : 0);
	snprintf(path, sizeof path, "/proc/%d/fdinfo", ppid);
	show("access F_OK the fdinfo directory of root's process",
	     sys3(SYS_faccessat, AT_FDCWD, (long)path, F_OK));
	show("access R_OK the fdinfo directory of root's process",
	     sys3(SYS_faccessat, AT_FDCWD, (long)path, R_OK));
	show("access F_OK its own fdinfo directory",
	     sys3(SYS_faccessat, AT_FDCWD, (long)"/proc/self/fdinfo", F_OK));
	r = sys4(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_DIRECTORY, 0);
	show("open the fdinfo directory of root's process", r < 0 ? r : 0);
	r = sys4(SYS_openat, dfd, (long)"0", O_RDONLY, 0);
	show("open 0 in the directory opened as root", r < 0 ? r : 0);
	r = sys4(SYS_getdents64, dfd, (long)buf, sizeof buf, 0);
	printf("getdents of the directory opened as root: %s\n", is_err(r) ? errname((int)-r)
								 : r > 0   ? "entries"
									   : "none");
	r = sys4(SYS_pread64, ffd, (long)buf, sizeof buf, 0);
	printf("read fdinfo/0 opened as root: %s\n", is_err(r) ? errname((int)-r) : "text");
	r = sys4(SYS_openat, AT_FDCWD, (long)"/proc/self/fdinfo/0", O_RDONLY, 0);
	show("open its own fdinfo/0", r < 0 ? r : 0);
}

static long thread_fd_result, leader_tid;

/* A thread that is not the leader opens its own task/TID/fd and the leader's. */
static void *fd_thread(void *arg)
{
	char path[64];

	(void)arg;
	snprintf(path, sizeof path, "/proc/self/task/%ld/fd", sys0(SYS_gettid));
	long r = sys4(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_DIRECTORY, 0);
	snprintf(path, sizeof path, "/proc/self/task/%ld/fd", leader_tid);
	long l = sys4(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_DIRECTORY, 0);
	show("not dumpable: a thread opens its own task/TID/fd", r < 0 ? r : 0);
	show("not dumpable: a thread opens the leader's task/TID/fd", l < 0 ? l : 0);
	thread_fd_result = r;
	return NULL;
}

static void thread_fd_part(void)
{
	pthread_t th;

	become_user();
	must(sys2(SYS_prctl, PR_SET_DUMPABLE, 0), "PR_SET_DUMPABLE 0");
	leader_tid = sys0(SYS_gettid);
	pthread_create(&th, NULL, fd_thread, NULL);
	pthread_join(th, NULL);
}

extern char **environ;
static unsigned long env_page, arg_page;
static long environ_len, cmdline_len;

/* Reads path whole into a buffer: its length, or -errno. */
static long read_len(const char *path)
{
	char buf[4096];
	long n, total = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		total += n;
	close(fd);
	return n < 0 ? -errno : total;
}

/* With the pages of the environment and argument strings PROT_NONE, reads environ and cmdline. */
static void *protnone_thread(void *arg)
{
	(void)arg;
	mprotect((void *)env_page, 4096, PROT_NONE);
	if (arg_page != env_page)
		mprotect((void *)arg_page, 4096, PROT_NONE);
	environ_len = read_len("/proc/self/environ");
	cmdline_len = read_len("/proc/self/cmdline");
	mprotect((void *)env_page, 4096, PROT_READ | PROT_WRITE);
	if (arg_page != env_page)
		mprotect((void *)arg_page, 4096, PROT_READ | PROT_WRITE);
	return NULL;
}

/*
 * The main thread waits far below the strings' pages, so nothing it touches meanwhile is on
 * them (the thread's handle is static: this frame's top may share their page).
 */
static pthread_t protnone_th;

static __attribute__((noinline)) void protnone_wait(void)
{
	volatile char deep[16384];

	deep[0] = 1;
	pthread_create(&protnone_th, NULL, protnone_thread, NULL);
	pthread_join(protnone_th, NULL);
	deep[1] = deep[0];
}

static void protnone_part(void)
{
	env_page = (unsigned long)environ[0] & ~4095UL;
	extern char *program_invocation_name;
	arg_page = (unsigned long)program_invocation_name & ~4095UL;
	printf("environ %s, cmdline %s\n", read_len("/proc/self/environ") > 0 ? "text" : "empty",
	       read_len("/proc/self/cmdline") > 0 ? "text" : "empty");
	protnone_wait();
	printf("their pages PROT_NONE: environ %ld bytes, cmdline %ld bytes\n", environ_len,
	       cmdline_len);
}

/* The target of the owner parts: does what a byte on cmd says, answers on ack. */
static int cmd[2], ack[2];

static void target(void)
{
	char c;

	while (read(cmd[0], &c, 1) == 1) {
		if (c == 'u')
			sys3(SYS_setresuid, 1000, 1000, 1000);
		else if (c == 'd')
			prctl(PR_SET_DUMPABLE, 0);
		else if (c == 'D')
			prctl(PR_SET_DUMPABLE, 1);
		if (write(ack[1], &c, 1) != 1 || c == 'q')
			break;
	}
	_exit(0);
}

static void tell(char c)
{
	char a;

	if (write(cmd[1], &c, 1) != 1 || read(ack[0], &a, 1) != 1)
		printf("the target did not answer\n");
}

static void show_owner(const char *what, long r, const struct stat *st)
{
	if (is_err(r))
		printf("%s: %s\n", what, errname((int)-r));
	else
		printf("%s: uid %u gid %u\n", what, st->st_uid, st->st_gid);
}

static pid_t tpid;

/* A user's process opens the target's fd directory, then the target stops being dumpable. */
static void fd_dir_part(void)
{
	char path[64];
	struct stat st;

	become_user();
	snprintf(path, sizeof path, "/proc/%d/fd", tpid);
	int fdd = open(path, O_RDONLY | O_DIRECTORY);
	printf("user: open the user target's fd directory: %s\n", fdd >= 0 ? "ok" : errname(errno));
	tell('d');
	show_owner("user: stat fd/ after PR_SET_DUMPABLE 0",
		   sys4(SYS_newfstatat, AT_FDCWD, (long)path, (long)&st, 0), &st);
	show_owner("user: fstat of the directory opened before", sys2(SYS_fstat, fdd, (long)&st),
		   &st);
	long r = sys4(SYS_openat, fdd, (long)".", O_RDONLY | O_DIRECTORY, 0);
	show("user: open . in the directory opened before", r < 0 ? r : 0);
	tell('D');
	show_owner("user: stat fd/ after PR_SET_DUMPABLE 1",
		   sys4(SYS_newfstatat, AT_FDCWD, (long)path, (long)&st, 0), &st);
	r = sys4(SYS_openat, fdd, (long)".", O_RDONLY | O_DIRECTORY, 0);
	show("user: open . in the directory opened before", r < 0 ? r : 0);
}

static void owner_part(void)
{
	char path[64];
	struct stat st;

	must(pipe(cmd), "pipe");
	must(pipe(ack), "pipe");
	fflush(stdout);
	tpid = fork();
	if (tpid == 0)
		target();
	snprintf(path, sizeof path, "/proc/%d", tpid);
	int dirfd = open(path, O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof path, "/proc/%d/status", tpid);
	int sfd = open(path, O_RDONLY);
	show_owner("fstat /proc/PID of the root target", sys2(SYS_fstat, dirfd, (long)&st), &st);
	show_owner("fstat its status", sys2(SYS_fstat, sfd, (long)&st), &st);
	tell('u');
	show_owner("after setresuid 1000: fstat /proc/PID opened before",
		   sys2(SYS_fstat, dirfd, (long)&st), &st);
	show_owner("  stat status", sys4(SYS_newfstatat, AT_FDCWD, (long)path, (long)&st, 0), &st);
	show_owner("  fstat status opened before", sys2(SYS_fstat, sfd, (long)&st), &st);
	tell('D');
	show_owner("after PR_SET_DUMPABLE 1: fstat /proc/PID opened before",
		   sys2(SYS_fstat, dirfd, (long)&st), &st);
	show_owner("  stat status", sys4(SYS_newfstatat, AT_FDCWD, (long)path, (long)&st, 0), &st);
	show_owner("  fstat status opened before", sys2(SYS_fstat, sfd, (long)&st), &st);
	printf("fd directory part: status %d\n", child_status(fd_dir_part));
	tell('q');
	waitpid(tpid, NULL, 0);
	show_owner("the target reaped: fstat /proc/PID opened before",
		   sys2(SYS_fstat, dirfd, (long)&st), &st);
}

int main(void)
{
	printf("stat part: status %d\n", child_status(stat_part));
	printf("threads part: status %d\n", child_status(threads_part));
	printf("robust part: status %d\n", child_status(robust_part));
	printf("root robust part: status %d\n", child_status(root_robust_part));
	printf("fdinfo part: status %d\n", child_status(fdinfo_part));
	printf("thread fd part: status %d\n", child_status(thread_fd_part));
	printf("PROT_NONE part: status %d\n", child_status(protnone_part));
	owner_part();
	return 0;
}
