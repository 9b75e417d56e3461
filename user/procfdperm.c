/* procfdperm: /proc/PID/fd/N and /proc/PID/cwd of another user's process are refused (EACCES,
 * Linux's proc_fd_access_allowed: ptrace_may_access with PTRACE_MODE_READ_FSCREDS) whether read
 * with readlink or followed by open, through a path or through a /proc/PID/fd directory opened
 * while the process was still the caller's user; the caller's own are allowed. A root parent
 * forks a child that opens its parent's fd directory, drops to uid 1000, and tries each. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static void try_link(const char *what, int dfd, const char *path)
{
	char buf[256];
	long r = sys4(SYS_readlinkat, dfd, (long)path, (long)buf, sizeof buf);

	printf("readlink %s: ", what);
	show("", r < 0 ? r : 0);
	r = sys4(SYS_openat, dfd, (long)path, O_RDONLY, 0);
	printf("open %s: ", what);
	show("", r < 0 ? r : 0);
	if (r >= 0)
		close((int)r);
}

static int root_fd; /* "/" opened by the root parent before the fork */

static void child(void)
{
	char path[64];
	int ppid = getppid();

	snprintf(path, sizeof path, "/proc/%d/fd", ppid);
	int dfd = (int)sys4(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_DIRECTORY, 0);
	printf("open the parent's fd directory as root: %s\n", dfd >= 0 ? "yes" : "no");
	show("setresuid 1000", sys3(SYS_setresuid, 1000, 1000, 1000));
	snprintf(path, sizeof path, "/proc/%d/fd/%d", ppid, root_fd);
	try_link("the parent's fd of /", AT_FDCWD, path);
	snprintf(path, sizeof path, "/proc/%d/cwd", ppid);
	try_link("the parent's cwd", AT_FDCWD, path);
	snprintf(path, sizeof path, "%d", root_fd);
	try_link("the fd of / through the directory opened before", dfd, path);
	snprintf(path, sizeof path, "/proc/self/fd/%d", root_fd);
	try_link("its own fd of /", AT_FDCWD, path);
	try_link("its own cwd", AT_FDCWD, "/proc/self/cwd");
}

int main(void)
{
	char path[64];

	root_fd = open("/", O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof path, "/proc/self/fd/%d", root_fd);
	try_link("root: its own fd of /", AT_FDCWD, path);
	printf("child status %d\n", child_status(child));
	return 0;
}
