/* procchildren: /proc/PID/task/TID/children as Linux 6.1 has it (CONFIG_PROC_CHILDREN, issue 21).
 *
 * The file lists the pid of each child process of that thread, oldest first, each followed by a
 * space: zombies until they are reaped, children given to the thread as a subreaper (appended in
 * their order), a thread's own children only in its own directory. It is 0444, only in
 * task/TID (not in /proc/PID), and getdents of task/TID lists it. Pids are printed as the names
 * the program gave its children.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

static struct {
	pid_t pid;
	char name[8];
} known[16];
static int nknown;

static void name_pid(pid_t pid, const char *name)
{
	known[nknown].pid = pid;
	snprintf(known[nknown].name, sizeof(known[nknown].name), "%s", name);
	nknown++;
}

/* Reads path and prints it with each known pid replaced by its name. */
static void show_children(const char *what, const char *path)
{
	char buf[256], out[512] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		printf("%s: open -1 %s\n", what, errname(errno));
		return;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		printf("%s: read -1 %s\n", what, errname(errno));
		return;
	}
	buf[n] = 0;
	for (char *p = buf; *p;) {
		char *end;
		long pid = strtol(p, &end, 10);
		const char *name = "?";

		if (end == p) {
			strcat(out, "<junk>");
			break;
		}
		for (int i = 0; i < nknown; i++)
			if (known[i].pid == pid)
				name = known[i].name;
		strcat(out, name);
		if (*end == ' ') {
			strcat(out, "_");
			end++;
		}
		p = end;
	}
	printf("%s: \"%s\"\n", what, out);
}

static void self_children(const char *what)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)gettid());
	show_children(what, path);
}

static pid_t fork_pause(const char *name)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	name_pid(pid, name);
	return pid;
}

/* The caller's own children, in fork order, a zombie among them, one reaped. */
static void own(void)
{
	char path[64];
	struct stat st;

	self_children("none yet");
	pid_t a = fork_pause("A"), b = fork_pause("B"), c = fork_pause("C");
	self_children("three");
	kill(b, SIGKILL);
	waitid(P_PID, b, NULL, WEXITED | WNOWAIT);
	self_children("B a zombie");
	waitpid(b, NULL, 0);
	self_children("B reaped");
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)getpid(), (int)getpid());
	show_children("by pid", path);
	show_ok("stat", stat(path, &st) ? -errno : 0);
	printf("mode %o nlink %d\n", (unsigned)st.st_mode, (int)st.st_nlink);
	show_children("/proc/self/children", "/proc/self/children");
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)a, (int)a);
	show_children("A's (none)", path);
	int fd = open(path, O_WRONLY);
	show_libc("open O_WRONLY", fd < 0 ? -1 : 0);
	if (fd >= 0) {
		show_libc("write", write(fd, "1", 1));
		close(fd);
	}
	fd = open(path, O_RDONLY);
	show_libc("open O_RDONLY", fd < 0 ? -1 : 0);
	kill(a, SIGKILL);
	kill(c, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(c, NULL, 0);
	char buf[16];
	show_libc("read after reaped", fd < 0 ? -1 : read(fd, buf, sizeof(buf)));
	show_children("A's after reaped", path);
	close(fd);
}

/* getdents of task/TID lists children; /proc/PID does not. */
static void listing(void)
{
	char path[64];
	int in_tid = 0, in_pid = 0;
	struct dirent *d;

	snprintf(path, sizeof(path), "/proc/self/task/%d", (int)getpid());
	DIR *dir = opendir(path);
	while (dir && (d = readdir(dir)))
		in_tid += !strcmp(d->d_name, "children") && d->d_type == DT_REG;
	if (dir)
		closedir(dir);
	dir = opendir("/proc/self");
	while (dir && (d = readdir(dir)))
		in_pid += !strcmp(d->d_name, "children");
	if (dir)
		closedir(dir);
	printf("children in task/TID: %d, in /proc/self: %d\n", in_tid, in_pid);
}

/* Orphans given to a subreaper come after its own children, in their order. */
static void reaper(void)
{
	int pipefd[2];

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	fork_pause("A");
	pipe(pipefd);
	fflush(stdout);
	pid_t m = fork();
	if (m == 0) {
		pid_t kids[2];
		for (int i = 0; i < 2; i++) {
			kids[i] = fork();
			if (kids[i] == 0) {
				for (;;)
					pause();
			}
		}
		write(pipefd[1], kids, sizeof(kids));
		_exit(0);
	}
	name_pid(m, "M");
	pid_t kids[2];
	read(pipefd[0], kids, sizeof(kids));
	name_pid(kids[0], "K1");
	name_pid(kids[1], "K2");
	waitid(P_PID, m, NULL, WEXITED | WNOWAIT);
	sleep_ms(50); /* the orphans are given to us as M exits, before it is a zombie */
	self_children("M a zombie, its children ours");
	waitpid(m, NULL, 0);
	self_children("M reaped");
	kill(0, SIGKILL);
}

static pid_t thread_child;

static void *thread_fn(void *arg)
{
	(void)arg;
	fflush(stdout);
	thread_child = fork();
	if (thread_child == 0) {
		for (;;)
			pause();
	}
	name_pid(thread_child, "T");
	self_children("thread's own");
	return NULL;
}

/* A child forked by a thread is that thread's child, not the leader's. */
static void threads(void)
{
	pthread_t th;

	fork_pause("L");
	pthread_create(&th, NULL, thread_fn, NULL);
	pthread_join(th, NULL);
	sleep_ms(100); /* join returns at the tid word's clearing, before the thread's children move */
	self_children("leader's, the thread gone");
	kill(0, SIGKILL);
}

static void run(const char *name, void (*fn)(void))
{
	printf("== %s\n", name);
	nknown = 0;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		fn();
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("case status %s %d\n", WIFSIGNALED(st) ? "signal" : "exit",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run("own", own);
	run("listing", listing);
	run("reaper", reaper);
	run("threads", threads);
	return 0;
}
