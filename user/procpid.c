/*
 * procpid: /proc/PID for every process (issue 16 item 4). Children in known states (sleeping in
 * a pipe read, stopped, zombie) are described by their own /proc/PID files: stat's state letter,
 * ppid relation, comm and field count; status's first lines; comm; cmdline bytes; the ENOENT
 * cases of names that are not a live pid; /proc/self vs /proc/PID equality.
 */
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>

/* Reads a whole /proc file into buf (NUL-terminated); its length or -errno. */
static long slurp(const char *path, char *buf, size_t size)
{
	long fd = sys3(SYS_open, (long)path, O_RDONLY, 0), n, len = 0;

	if (fd < 0)
		return fd;
	while ((n = sys3(SYS_read, fd, (long)(buf + len), (long)(size - 1 - len))) > 0)
		len += n;
	sys1(SYS_close, fd);
	buf[len] = 0;
	return n < 0 ? n : len;
}

/* Prints what /proc/PID/stat says that is deterministic: comm, state, ppid relation, fields. */
static void show_stat(const char *what, int pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	long n = slurp(path, buf, sizeof(buf));
	if (n < 0) {
		show(what, n);
		return;
	}
	int nl = buf[n - 1] == '\n';
	char *open = strchr(buf, '('), *close = strrchr(buf, ')');
	if (!open || !close) {
		printf("item4 %s stat: no comm\n", what);
		return;
	}
	int fields = 2, spid = atoi(buf), ppid = 0;
	char state = close[2];
	for (char *p = close + 1; *p; p++)
		if (*p == ' ')
			fields++;
	ppid = atoi(close + 4);
	*close = 0;
	printf("item4 %s stat: pid ok %d comm %s state %c ppid is me %d fields %d newline %d\n", what,
	       spid == pid, open + 1, state, ppid == getpid(), fields, nl);
}

/* Prints the names of the first status lines, its Name and State values and PPid relation. */
static void show_status(const char *what, int pid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	long n = slurp(path, buf, sizeof(buf));
	if (n < 0) {
		show(what, n);
		return;
	}
	int lines = 0;
	for (char *l = buf; *l && lines < 7; lines++) {
		char *nl = strchr(l, '\n'), *colon = strchr(l, ':');
		if (!nl || !colon)
			break;
		*nl = 0;
		if (!strncmp(l, "Name:", 5) || !strncmp(l, "State:", 6))
			printf("item4 %s status: %s\n", what, l);
		else if (!strncmp(l, "PPid:", 5))
			printf("item4 %s status: PPid is me %d\n", what, atoi(colon + 1) == getpid());
		else if (!strncmp(l, "Pid:", 4) || !strncmp(l, "Tgid:", 5))
			printf("item4 %s status: %.*s is pid %d\n", what, (int)(colon - l), l,
			       atoi(colon + 1) == pid);
		else
			printf("item4 %s status: line %.*s\n", what, (int)(colon - l), l);
		l = nl + 1;
	}
}

/* Prints comm and cmdline bytes (NULs as '|'). */
static void show_names(const char *what, int pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	long n = slurp(path, buf, sizeof(buf));
	printf("item4 %s comm: %ld %s", what, n, n > 0 ? buf : "\n");
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	n = slurp(path, buf, sizeof(buf));
	for (long i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = '|';
	printf("item4 %s cmdline: %ld %s\n", what, n, n > 0 ? buf : "");
}

/* Waits (up to 2 s) until /proc/PID/stat contains what: a child reached a known state. */
static void wait_state(int pid, const char *what)
{
	char path[64], buf[1024];

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int i = 0; i < 2000; i++) {
		if (slurp(path, buf, sizeof(buf)) > 0 && strstr(buf, what))
			return;
		usleep(1000);
	}
}

static void show_all(const char *what, int pid)
{
	show_stat(what, pid);
	show_status(what, pid);
	show_names(what, pid);
}

/* Whether /proc/A/name and /proc/B/name have the same content (and A's length). */
static void same(const char *what, const char *a, int pid, const char *name)
{
	static char x[8192], y[8192];
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	long n = slurp(a, x, sizeof(x)), m = slurp(path, y, sizeof(y));
	printf("item4 %s: %d\n", what, n >= 0 && n == m && !memcmp(x, y, n));
}

int main(int argc, char **argv)
{
	int fds[2];
	char buf[4096];

	if (argc > 1 && !strcmp(argv[1], "child")) {
		prctl(PR_SET_NAME, "sleeper");
		read(0, buf, 1); /* sleeps in a pipe read */
		return 0;
	}
	prctl(PR_SET_NAME, "procpid-main"); /* comm of the parent and forked children */
	pipe(fds);
	int sleeper = fork();
	if (!sleeper) {
		dup2(fds[0], 0);
		execl("/proc/self/exe", "procpid", "child", "two words", "", (char *)0);
		_exit(1);
	}
	int stopped = fork();
	if (!stopped) {
		for (;;)
			pause();
	}
	int zombie = fork();
	if (!zombie)
		_exit(3);
	kill(stopped, SIGSTOP);
	wait_state(sleeper, "(sleeper) S");
	wait_state(stopped, ") T");
	wait_state(zombie, ") Z");
	show_all("sleeper", sleeper);
	show_stat("stopped", stopped);
	show_status("stopped", stopped);
	show_stat("zombie", zombie);
	show_status("zombie", zombie);
	show_names("zombie", zombie);
	show_stat("self", getpid());

	/* /proc/self/X and /proc/<getpid()>/X have the same content; a forked child's as mine */
	same("self cmdline == pid cmdline", "/proc/self/cmdline", getpid(), "cmdline");
	same("self maps == pid maps", "/proc/self/maps", getpid(), "maps");
	same("self comm == pid comm", "/proc/self/comm", getpid(), "comm");
	same("stopped child's cmdline == mine", "/proc/self/cmdline", stopped, "cmdline");
	same("stopped child's maps == mine", "/proc/self/maps", stopped, "maps");
	same("stopped child's environ == mine", "/proc/self/environ", stopped, "environ");
	same("self environ == pid environ", "/proc/self/environ", getpid(), "environ");
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", zombie);
	show("item4 zombie maps length", slurp(path, buf, sizeof(buf)));
	snprintf(path, sizeof(path), "/proc/%d/environ", zombie);
	show("item4 zombie environ length", slurp(path, buf, sizeof(buf)));
	/* names that are not a live pid */
	static const char *const bad[] = { "/proc/0/stat", "/proc/01/stat", "/proc/4294967297/stat",
					   "/proc/-1/stat", "/proc/1x/stat", "/proc/99999/stat" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		printf("item4 %s", bad[i]);
		show("", sys3(SYS_open, (long)bad[i], O_RDONLY, 0));
	}
	/* an open stat of a task reaped since: reads the content of the open or ESRCH/0 */
	kill(stopped, SIGKILL);
	waitpid(stopped, NULL, 0);
	snprintf(path, sizeof(path), "/proc/%d/stat", stopped);
	show("item4 reaped child's stat", sys3(SYS_open, (long)path, O_RDONLY, 0));
	write(fds[1], "x", 1);
	waitpid(sleeper, NULL, 0);
	waitpid(zombie, NULL, 0);
	return 0;
}
