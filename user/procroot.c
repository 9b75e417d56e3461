/*
 * procroot: /proc as a whole (issue 16 item 4): getdents lists the fixed entries, then one
 * directory per process in pid order; /proc/PID/fd links, cwd and exe describe that process;
 * the system files uptime, loadavg, stat and version have Linux's shapes; hostile offsets.
 */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>

/* Prints what readlink of path gives (with the pid-dependent prefix check done by the caller). */
static long rl(const char *path, char *buf, size_t size)
{
	long n = sys3(SYS_readlink, (long)path, (long)buf, (long)size - 1);

	buf[n > 0 ? n : 0] = 0;
	return n;
}

/* Reads a /proc file whole. */
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

/* getdents64 of /proc: non-numbers first, numbers ascending, and the pids asked for present. */
static void list_proc(int me, int child, int zombie)
{
	static char buf[65536];
	long fd = sys3(SYS_open, (long)"/proc", O_RDONLY | O_DIRECTORY, 0), n;
	int numbers = 0, after = 0, sorted = 1, last = 0, seen_me = 0, seen_child = 0, seen_z = 0;
	int dot = 0, self = 0;

	while ((n = sys3(SYS_getdents64, fd, (long)buf, 200)) > 0) { /* small: resumes often */
		for (long off = 0; off < n;) {
			struct dirent *d = (struct dirent *)(buf + off);
			off += d->d_reclen;
			if (d->d_name[0] >= '1' && d->d_name[0] <= '9') {
				int pid = atoi(d->d_name);
				numbers++;
				sorted &= pid > last && d->d_type == DT_DIR;
				last = pid;
				seen_me |= pid == me, seen_child |= pid == child, seen_z |= pid == zombie;
			} else {
				after |= numbers > 0;
				dot |= !strcmp(d->d_name, ".");
				self |= !strcmp(d->d_name, "self");
			}
		}
	}
	show("item4 getdents /proc ends", n);
	printf("item4 /proc lists . %d self %d, names after pids %d, pids ascending %d, me %d child %d zombie %d\n",
	       dot, self, after, sorted, seen_me, seen_child, seen_z);
	sys1(SYS_close, fd);
}

int main(void)
{
	char path[128], buf[4096], buf2[4096];
	int fds[2];

	pipe(fds);
	int child = fork();
	if (!child) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 7);
		chdir("/dev");
		read(fds[0], buf, 1);
		_exit(0);
	}
	int zombie = fork();
	if (!zombie)
		_exit(0);
	usleep(100000);

	/* /proc/self is the caller's pid */
	rl("/proc/self", buf, sizeof(buf));
	printf("item4 /proc/self -> my pid: %d\n", atoi(buf) == getpid());
	list_proc(getpid(), child, zombie);

	/* the child's fd/, cwd and exe */
	snprintf(path, sizeof(path), "/proc/%d/fd/7", child);
	show("item4 child fd/7", rl(path, buf, sizeof(buf)));
	printf("item4 child fd/7 -> %s\n", buf);
	struct stat st;
	fstat(fds[0], &st);
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", child, fds[0]);
	rl(path, buf, sizeof(buf));
	snprintf(buf2, sizeof(buf2), "pipe:[%lu]", (unsigned long)st.st_ino);
	printf("item4 child's pipe fd -> pipe:[its inode]: %d\n", !strcmp(buf, buf2));
	snprintf(path, sizeof(path), "/proc/%d/fd/99", child);
	show("item4 child fd/99", rl(path, buf, sizeof(buf)));
	snprintf(path, sizeof(path), "/proc/%d/fd/07", child);
	show("item4 child fd/07", rl(path, buf, sizeof(buf)));
	snprintf(path, sizeof(path), "/proc/%d/cwd", child);
	show("item4 child cwd", rl(path, buf, sizeof(buf)));
	printf("item4 child cwd -> %s\n", buf);
	snprintf(path, sizeof(path), "/proc/%d/exe", child);
	rl(path, buf, sizeof(buf));
	rl("/proc/self/exe", buf2, sizeof(buf2));
	printf("item4 child exe == my exe: %d\n", !strcmp(buf, buf2));
	snprintf(path, sizeof(path), "/proc/%d/exe", zombie);
	show("item4 zombie exe", rl(path, buf, sizeof(buf)));
	snprintf(path, sizeof(path), "/proc/%d/cwd", zombie);
	show("item4 zombie cwd", rl(path, buf, sizeof(buf)));

	/* system files */
	double up, idle;
	long n = slurp("/proc/uptime", buf, sizeof(buf));
	printf("item4 uptime: 2 numbers %d, newline %d\n", sscanf(buf, "%lf %lf", &up, &idle) == 2,
	       n > 0 && buf[n - 1] == '\n');
	unsigned running, total;
	int last;
	double l1, l5, l15;
	slurp("/proc/loadavg", buf, sizeof(buf));
	printf("item4 loadavg: 6 fields %d\n",
	       sscanf(buf, "%lf %lf %lf %u/%u %d", &l1, &l5, &l15, &running, &total, &last) == 6);
	slurp("/proc/stat", buf, sizeof(buf));
	printf("item4 stat: starts 'cpu  ' %d, btime %d, processes %d, procs_running %d\n",
	       !strncmp(buf, "cpu  ", 5), !!strstr(buf, "\nbtime "), !!strstr(buf, "\nprocesses "),
	       !!strstr(buf, "\nprocs_running "));
	slurp("/proc/version", buf, sizeof(buf));
	printf("item4 version: starts 'Linux version ' %d\n", !strncmp(buf, "Linux version ", 14));

	/* sysinfo(2): what free(1) and uptime(1) read besides /proc */
	struct sysinfo si;
	memset(&si, 0xff, sizeof(si));
	show("item4 sysinfo", sys1(SYS_sysinfo, (long)&si));
	printf("item4 sysinfo: mem_unit %u, total > free > 0 %d, procs >= 3 %d\n",
	       si.mem_unit, si.totalram > si.freeram && si.freeram > 0, si.procs >= 3);
	show("item4 sysinfo(NULL)", sys1(SYS_sysinfo, 0));

	/* hostile offsets on a generated file */
	snprintf(path, sizeof(path), "/proc/%d/stat", child);
	long fd = sys3(SYS_open, (long)path, O_RDONLY, 0);
	show("item4 pread at 2^62", sys6(SYS_pread64, fd, (long)buf, 10, 1L << 62, 0, 0));
	show("item4 lseek -1", sys3(SYS_lseek, fd, -1, SEEK_SET));
	show("item4 lseek SEEK_END", sys3(SYS_lseek, fd, 0, SEEK_END));
	show("item4 read of 0 bytes", sys3(SYS_read, fd, (long)buf, 0));
	show("item4 read into a bad pointer", sys3(SYS_read, fd, 16, 100));
	/* the child is reaped while its stat is open: the open file still reads */
	write(fds[1], "x", 1);
	waitpid(child, NULL, 0);
	waitpid(zombie, NULL, 0);
	long r = sys3(SYS_read, fd, (long)buf, sizeof(buf));
	printf("item4 read after reap: %s\n", r > 0 ? "data" : r == 0 ? "0" : errname(-r));
	show("item4 open of the reaped child's stat", sys3(SYS_open, (long)path, O_RDONLY, 0));
	return 0;
}
