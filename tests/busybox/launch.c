// SPDX-License-Identifier: GPL-2.0
/*
 * tests/busybox/launch.c: runs one busybox script, the same static binary on Warden (through
 * tools/run-program) and on Linux (through ../shared/linux-qemu/run-linux.sh).
 *
 * The binary embeds Debian's busybox and every tests/busybox/scripts/NAME.sh (blobs.S, made by
 * mkblobs.sh). `launch NAME` writes /bin/busybox (mode 0755) with a symbolic link per applet,
 * creates /tmp, writes the script to /scripts/NAME.sh and runs `busybox sh /scripts/NAME.sh` with
 * stdin /dev/null, or `busybox sh -i` with the script as stdin when its first line is "# sh -i".
 * The script's stdout and stderr go to regular files under /launch, copied to our own fds 1 and 2
 * when it has ended, so that busybox sees the same kind of files on both systems (no terminal:
 * ls prints one name a line). The exit status is the script's, 128+N if signal N killed it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../launch_files.h"

struct blob {
	const char *name;
	const char *start;
	const char *end;
};

extern const char bb_start[], bb_end[];
extern const struct blob bb_scripts[];

static const char *const applets[] = {
	"sh",	 "ash",	   "ls",     "cat",	 "dd",	    "sed",   "sort",	 "find",
	"ps",	 "free",   "uptime", "kill",	 "sleep",   "echo",  "printf",	 "test",
	"[",	 "mkdir",  "rmdir",  "rm",	 "chmod",   "chown", "chgrp",	 "touch",
	"ln",	 "mkfifo", "mknod",  "wc",	 "head",    "tail",  "tr",	 "cut",
	"grep",	 "uniq",   "true",   "false",	 "stat",    "env",   "expr",	 "seq",
	"od",	 "cp",	   "mv",     "basename", "dirname", "id",    "readlink", "realpath",
	"xargs", "tee",	   "cmp",    "md5sum",	 "hexdump", "pwd",   "yes",	 "date",
	"sync",	 "nproc",  "uname",  "which",	 "timeout", "du",    "df",	 NULL,
};

/* Creates directory path unless it exists. */
static void make_dir(const char *path, mode_t mode)
{
	if (mkdir(path, mode) && errno != EEXIST)
		die(path);
}

/* Copies the file at path to fd (the launcher's stdout or stderr). */
static void copy_out(const char *path, int fd)
{
	char buf[4096];
	int in = open(path, O_RDONLY);
	ssize_t n;

	if (in < 0)
		die(path);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		write_all(fd, buf, (size_t)n, "copy");
	if (n < 0)
		die(path);
	close(in);
}

/* Sets up /bin, /tmp and /scripts, runs the script named by argv[1] and passes its output on. */
int main(int argc, char **argv)
{
	static char *const envp[] = { "HOME=/", "TERM=linux", "PATH=/bin", NULL };
	const struct blob *s;
	char path[256], link[256];
	int interactive, status;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: launch SCRIPT\n");
		return 120;
	}
	for (s = bb_scripts; s->name; s++)
		if (!strcmp(s->name, argv[1]))
			break;
	if (!s->name) {
		fprintf(stderr, "launch: no script %s\n", argv[1]);
		return 120;
	}
	umask(022);
	make_dir("/bin", 0755);
	make_dir("/tmp", 0777);
	if (chmod("/tmp", 01777))
		die("/tmp");
	make_dir("/scripts", 0755);
	make_dir("/launch", 0700);
	write_file("/bin/busybox", 0755, bb_start, bb_end);
	for (int i = 0; applets[i]; i++) {
		snprintf(link, sizeof(link), "/bin/%s", applets[i]);
		if (symlink("busybox", link) && errno != EEXIST)
			die(link);
	}
	snprintf(path, sizeof(path), "/scripts/%s.sh", s->name);
	write_file(path, 0644, s->start, s->end);
	interactive = s->end - s->start >= 8 && !memcmp(s->start, "# sh -i\n", 8);

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int in = open(interactive ? path : "/dev/null", O_RDONLY);
		int out = open("/launch/out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open("/launch/err", O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (in < 0 || out < 0 || err < 0)
			die("/launch");
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		close(in);
		close(out);
		close(err);
		if (chdir("/"))
			die("chdir");
		if (interactive)
			execve("/bin/busybox", (char *[]){ "sh", "-i", NULL }, envp);
		else
			execve("/bin/busybox", (char *[]){ "sh", path, NULL }, envp);
		die("execve /bin/busybox");
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	copy_out("/launch/out", 1);
	copy_out("/launch/err", 2);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
