// SPDX-License-Identifier: GPL-2.0
/*
 * tests/dynamic/launch.c: runs Debian's dynamically linked programs, the same static binary on
 * Warden (through tools/run-program) and on Linux (through ../shared/linux-qemu/run-linux.sh,
 * which boots a static program only).
 *
 * The binary embeds ld.so, the libraries the programs need and the programs themselves
 * (blobs.S, made by mkblobs.sh from the build machine's files). `launch NAME` writes them where
 * Debian 12 has them (/usr/lib/x86_64-linux-gnu/..., /usr/bin/...) with Debian's links (/lib ->
 * usr/lib, /lib64 -> usr/lib64, /usr/lib64/ld-linux-x86-64.so.2 -> the real ld.so), makes a
 * directory /d with fixed names and contents, and runs case NAME's commands one by one: each
 * with stdin /dev/null, stdout and stderr regular files (copied to ours when it has ended), the
 * environment HOME=/ TERM=linux PATH=/usr/bin LC_ALL=C, and prints "$ COMMAND" before and
 * "status N" after each.
 */
#include <errno.h>
#include <fcntl.h>
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

extern const struct blob dyn_files[];

#define MAXARGS 8

struct command {
	const char *argv[MAXARGS];
};

struct testcase {
	const char *name;
	struct command cmds[8];
};

static const struct testcase cases[] = {
	{ "true", { { { "/usr/bin/true" } }, { { "/usr/bin/false" } } } },
	{ "echo",
	  { { { "/usr/bin/echo", "hello", "dynamic", "world" } },
	    { { "/usr/bin/echo", "-e", "a\\tb\\nc" } },
	    { { "/usr/bin/echo", "-n", "no newline" } } } },
	{ "seq",
	  { { { "/usr/bin/seq", "1", "10" } },
	    { { "/usr/bin/seq", "-s", ",", "-w", "8", "12" } },
	    { { "/usr/bin/seq", "1", "0.5", "3" } },
	    { { "/usr/bin/seq", "x" } } } },
	{ "cat",
	  { { { "/usr/bin/cat", "/d/alpha", "/d/beta" } },
	    { { "/usr/bin/cat", "-n", "/d/beta" } },
	    { { "/usr/bin/cat", "/d/missing" } } } },
	{ "env",
	  { { { "/usr/bin/env" } },
	    { { "/usr/bin/env", "-i", "A=1", "B=two", "/usr/bin/env" } },
	    { { "/usr/bin/env", "-u", "TERM", "/usr/bin/env" } } } },
	{ "ls",
	  { { { "/usr/bin/ls", "/d" } },
	    { { "/usr/bin/ls", "-a", "-F", "/d" } },
	    { { "/usr/bin/ls", "-l", "-n", "--time-style=+", "/d/alpha", "/d/beta", "/d/link" } },
	    { { "/usr/bin/ls", "-R", "/d" } },
	    { { "/usr/bin/ls", "/d/missing" } } } },
	{ "maps", { { { "/usr/bin/dynmaps" } } } },
	{ "ldso",
	  { { { "/lib64/ld-linux-x86-64.so.2", "/usr/bin/dynmaps" } },
	    { { "/lib64/ld-linux-x86-64.so.2", "/usr/bin/seq", "2" } } } },
	{ "staticpie", { { { "/usr/bin/dynmaps-static-pie" } } } },
	{ "dlopen", { { { "/usr/bin/dyndl" } } } },
	{ "sh",
	  { { { "/usr/bin/dash", "-c",
		"echo start; /usr/bin/seq 3 | /usr/bin/cat -n; x=$(/usr/bin/echo sub); "
		"echo $x; /usr/bin/env -i /usr/bin/true && echo ok; "
		"/usr/bin/ls /d/missing 2>/dev/null; echo ls $?; exit 3" } } } },
	{ NULL, { { { NULL } } } },
};

/* Creates directory path and its parents unless they exist. */
static void make_dirs(const char *path)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			die(buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		die(buf);
}

/* Creates a symbolic link path -> target unless path exists. */
static void make_link(const char *target, const char *path)
{
	if (symlink(target, path) && errno != EEXIST)
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

/* Writes the embedded files at their Debian paths, with Debian's links, and /d. */
static void install(void)
{
	static const char alpha[] = "first line\nsecond line\n";
	static const char beta[] = "one\n\ntwo\tthree\nlast, no newline";

	umask(022);
	make_dirs("/usr/lib/x86_64-linux-gnu");
	make_dirs("/usr/lib64");
	make_dirs("/usr/bin");
	make_link("usr/lib", "/lib");
	make_link("usr/lib64", "/lib64");
	make_link("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "/usr/lib64/ld-linux-x86-64.so.2");
	for (const struct blob *b = dyn_files; b->name; b++)
		write_file(b->name, 0755, b->start, b->end);
	make_dirs("/d/sub");
	write_file("/d/alpha", 0644, alpha, alpha + sizeof(alpha) - 1);
	write_file("/d/beta", 0600, beta, beta + sizeof(beta) - 1);
	write_file("/d/sub/gamma", 0644, alpha, alpha + 5);
	make_link("alpha", "/d/link");
}

/* Runs one command with its output in files under /launch; prints it, then its status. */
static void run(const struct command *c)
{
	static char *const envp[] = { "HOME=/", "TERM=linux", "PATH=/usr/bin", "LC_ALL=C", NULL };
	int status;

	printf("$");
	for (int i = 0; c->argv[i]; i++)
		printf(" %s", c->argv[i]);
	printf("\n");
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
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
		execve(c->argv[0], (char *const *)c->argv, envp);
		die(c->argv[0]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	copy_out("/launch/out", 1);
	copy_out("/launch/err", 1);
	if (WIFSIGNALED(status))
		printf("status %d (signal)\n", 128 + WTERMSIG(status));
	else
		printf("status %d\n", WEXITSTATUS(status));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const struct testcase *t;

	if (argc != 2) {
		fprintf(stderr, "usage: launch CASE\n");
		return 120;
	}
	for (t = cases; t->name; t++)
		if (!strcmp(t->name, argv[1]))
			break;
	if (!t->name) {
		fprintf(stderr, "launch: no case %s\n", argv[1]);
		return 120;
	}
	install();
	if (mkdir("/launch", 0700) && errno != EEXIST)
		die("/launch");
	if (chdir("/"))
		die("chdir");
	for (int i = 0; t->cmds[i].argv[0]; i++)
		run(&t->cmds[i]);
	return 0;
}
