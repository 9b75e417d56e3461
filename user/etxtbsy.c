/* etxtbsy: a running program's file cannot be written or truncated (ETXTBSY), by its process,
 * by a forked child, or by another process while one runs it; once nothing runs it, it can. A
 * file open for writing cannot be executed (ETXTBSY) until it is closed.
 * Found by user/fuzz: open("/proc/self/exe", O_RDONLY | O_TRUNC) emptied the running binary
 * and killed PID 1 with SIGBUS. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

/* Copies /proc/self/exe to path (mode 0755); 0 on success. */
static int copy_self(const char *path)
{
	char buf[4096];
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n;
	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	close(in);
	close(out);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "hold")) {
		char c;
		write(4, "r", 1); /* running the file now */
		return read(3, &c, 1) == 1 ? 0 : 1; /* run until the parent says */
	}
	if (argc > 1 && !strcmp(argv[1], "exit5"))
		return 5;
	struct stat before, after;
	stat("/proc/self/exe", &before);
	show("open(exe, O_WRONLY)", sys3(SYS_open, (long)"/proc/self/exe", O_WRONLY, 0));
	show("open(exe, O_RDWR)", sys3(SYS_open, (long)"/proc/self/exe", O_RDWR, 0));
	show("open(exe, O_WRONLY | O_APPEND)",
	     sys3(SYS_open, (long)"/proc/self/exe", O_WRONLY | O_APPEND, 0));
	show_ok("open(exe, O_RDONLY)", sys3(SYS_open, (long)"/proc/self/exe", O_RDONLY, 0));
	show("open(exe, O_RDONLY | O_TRUNC)",
	     sys3(SYS_open, (long)"/proc/self/exe", O_RDONLY | O_TRUNC, 0));
	show("truncate(exe, 0)", sys2(SYS_truncate, (long)"/proc/self/exe", 0));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		show("child: open(exe, O_WRONLY)",
		     sys3(SYS_open, (long)"/proc/self/exe", O_WRONLY, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	stat("/proc/self/exe", &after);
	printf("size unchanged: %s\n", before.st_size == after.st_size ? "yes" : "no");

	/* Another process runs a copy: busy while it runs, free again once it has exited. */
	ensure_tmp();
	if (copy_self("/tmp/etxtbsy.copy"))
		printf("copy failed\n");
	show_ok("copy: open(O_WRONLY) while nothing runs it",
		sys3(SYS_open, (long)"/tmp/etxtbsy.copy", O_WRONLY, 0));
	int fd = (int)sys3(SYS_open, (long)"/tmp/etxtbsy.copy", O_WRONLY, 0);
	close(fd);
	for (int i = 3; i < 16; i++)
		close(i);
	int p[2], ready[2];
	if (pipe(p) || dup2(p[0], 3) != 3 || pipe(ready) || dup2(ready[1], 4) != 4)
		printf("pipe failed\n");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		close(ready[0]);
		char *args[] = { "etxtbsy", "hold", NULL };
		execv("/tmp/etxtbsy.copy", args);
		_exit(127);
	}
	close(4);
	close(ready[1]);
	/* The exec'd child says when it runs the copy (no polling: an open for writing at the
	 * wrong moment would make its execve fail with ETXTBSY). */
	char c;
	if (read(ready[0], &c, 1) != 1)
		printf("the child did not start\n");
	long r = sys3(SYS_open, (long)"/tmp/etxtbsy.copy", O_WRONLY, 0);
	show("copy: open(O_WRONLY) while a child runs it", r);
	show("copy: truncate while a child runs it", sys2(SYS_truncate, (long)"/tmp/etxtbsy.copy", 0));
	if (write(p[1], "x", 1) != 1)
		printf("release failed\n");
	int status;
	waitpid(pid, &status, 0);
	printf("child exit status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	show_ok("copy: open(O_WRONLY) after it exited",
		sys3(SYS_open, (long)"/tmp/etxtbsy.copy", O_WRONLY, 0));
	show("copy: truncate after it exited", sys2(SYS_truncate, (long)"/tmp/etxtbsy.copy", 0));

	/* The other way round: a file open for writing cannot be executed (deny_write_access). The
	 * writable descriptors opened above are closed first. */
	for (int i = 3; i < 64; i++)
		close(i);
	if (copy_self("/tmp/etxtbsy.copy"))
		printf("copy failed\n");
	char *args5[] = { "etxtbsy", "exit5", NULL };
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* The child opens, tries, closes (close's last fput is synchronous) and tries again. */
		int wfd = open("/tmp/etxtbsy.copy", O_WRONLY);
		show("execve while open for writing", sys3(SYS_execve, (long)"/tmp/etxtbsy.copy",
							  (long)args5, (long)environ));
		close(wfd);
		fflush(stdout);
		show("execve once closed", sys3(SYS_execve, (long)"/tmp/etxtbsy.copy", (long)args5,
						(long)environ));
		fflush(stdout);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("the child: exit status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	unlink("/tmp/etxtbsy.copy");
	return 0;
}
