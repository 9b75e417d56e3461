/* threadproc: /proc for a process with three threads (issue 17 item 5). /proc/self/task lists
 * one directory per thread; /proc/self/task/TID/{stat,status,comm,maps} describe that thread
 * (Pid: its tid, Tgid: the process's); Threads: in status and num_threads in stat count them;
 * a tid of another process is not in task/. After the threads end, one is left. Runs in a
 * forked child (on Warden the program itself is PID 1, with no parent to name). No pid or
 * tid is printed, only comparisons and counts.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

static volatile int stop_threads, started;
static int ctids[2], tids[2];
static char buf[65536], buf2[65536];

static int idle(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	while (!stop_threads)
		thread_sleep_ms(1);
	return 0;
}

/* The whole file at path into b (NUL-terminated), or -errno. */
static long slurp(const char *path, char *b, long size)
{
	long fd = sys3(SYS_open, (long)path, O_RDONLY, 0), n, total = 0;

	if (fd < 0)
		return fd;
	while ((n = sys3(SYS_read, fd, (long)b + total, size - 1 - total)) > 0)
		total += n;
	sys1(SYS_close, fd);
	b[total] = 0;
	return total;
}

/* The number after "key:\t" in a status file, -1 if none. */
static long status_field(const char *b, const char *key)
{
	const char *p = strstr(b, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* Field n (1-based) of a stat line, counted after the ")" that ends comm. */
static long stat_field(const char *b, int n)
{
	const char *p = strrchr(b, ')');

	for (int i = 2; p && i < n; i++)
		p = strchr(p + 1, ' ');
	return p ? strtol(p + 1, NULL, 10) : -1;
}

/* Lists /proc/self/task: how many, and whether each of ids[0..n) is there. */
static void list_tasks(const int *ids, int n)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int count = 0, found = 0, numeric = 1;

	if (!d) {
		printf("opendir /proc/self/task: %s\n", errname(errno));
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		count++;
		numeric &= e->d_name[strspn(e->d_name, "0123456789")] == 0 && e->d_type == DT_DIR;
		for (int i = 0; i < n; i++)
			found += atoi(e->d_name) == ids[i];
	}
	closedir(d);
	printf("/proc/self/task: %d entries, all numeric directories: %s, all our threads: %s\n",
	       count, numeric ? "yes" : "no", found == n ? "yes" : "no");
}

static void child(void)
{
	char path[64];
	int all[3];

	for (int i = 0; i < 2; i++) {
		ctids[i] = -1;
		tids[i] = (int)thread_start(idle, NULL, &ctids[i]);
	}
	while (started < 2)
		thread_sleep_ms(1);
	all[0] = getpid();
	all[1] = tids[0];
	all[2] = tids[1];
	list_tasks(all, 3);

	slurp("/proc/self/status", buf, sizeof(buf));
	printf("status: Threads: %ld, Tgid is ours: %s, Pid is ours: %s\n",
	       status_field(buf, "Threads:\t"), status_field(buf, "Tgid:\t") == getpid() ? "yes" : "no",
	       status_field(buf, "\nPid:\t") == getpid() ? "yes" : "no");
	slurp("/proc/self/stat", buf, sizeof(buf));
	printf("stat: num_threads %ld\n", stat_field(buf, 20));

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tids[1]);
	slurp(path, buf, sizeof(buf));
	printf("task/TID/status: Pid is the tid: %s, Tgid is ours: %s, Threads: %ld\n",
	       status_field(buf, "\nPid:\t") == tids[1] ? "yes" : "no",
	       status_field(buf, "Tgid:\t") == getpid() ? "yes" : "no",
	       status_field(buf, "Threads:\t"));
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tids[1]);
	slurp(path, buf, sizeof(buf));
	printf("task/TID/stat: pid field is the tid: %s, num_threads %ld\n",
	       atoi(buf) == tids[1] ? "yes" : "no", stat_field(buf, 20));
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", tids[0]);
	slurp(path, buf, sizeof(buf));
	printf("task/TID/comm: %s", buf);
	snprintf(path, sizeof(path), "/proc/self/task/%d/maps", tids[0]);
	long n1 = slurp(path, buf, sizeof(buf));
	long n2 = slurp("/proc/self/maps", buf2, sizeof(buf2));
	printf("task/TID/maps is the process's maps: %s\n",
	       n1 > 0 && n1 == n2 && !memcmp(buf, buf2, n1) ? "yes" : "no");
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", getpid());
	printf("task/<main>/stat: %s\n", slurp(path, buf, sizeof(buf)) > 0 ? "readable" : "missing");
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", getppid());
	long r = slurp(path, buf, sizeof(buf));
	printf("task/<parent's pid>/stat: %s\n", r < 0 ? errname((int)-r) : "readable");
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", getpid(), tids[0]);
	printf("/proc/PID/task/TID/status: %s\n", slurp(path, buf, sizeof(buf)) > 0 ? "readable" : "missing");

	stop_threads = 1;
	wait_cleared(&ctids[0]);
	wait_cleared(&ctids[1]);
	thread_sleep_ms(20);
	list_tasks(all, 1);
	slurp("/proc/self/status", buf, sizeof(buf));
	printf("after the threads end: Threads: %ld\n", status_field(buf, "Threads:\t"));
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tids[0]);
	r = slurp(path, buf, sizeof(buf));
	printf("task/<ended thread>/stat: %s\n", r < 0 ? errname((int)-r) : "readable");
}

int main(void)
{
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t pid = fork();
	if (pid == 0) {
		child();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child status %#x\n", st);
	return 0;
}
