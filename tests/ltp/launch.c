// SPDX-License-Identifier: GPL-2.0
/*
 * tests/ltp/launch.c: runs one LTP test binary, the same static program on Warden (through
 * tools/run-program) and on Linux (through ../shared/linux-qemu/run-linux.sh), so that both
 * kernels give the test exactly the same environment.
 *
 * tools/ltp links this file with an assembler file (tests/dynamic/mkblobs.sh's format: a table
 * dyn_files of {guest path, start, end}) that embeds the test binary as /ltp/NAME (first), the
 * helpers it executes (NAME_child files of its directory, found through PATH or as resource
 * files in the starting directory /ltp) and Linux 6.1's kernel configuration as /ltp/config.
 * `launch ARGS...` creates /tmp (mode 01777, LTP's TMPDIR), /dev/zero and /dev/shm (LTP's
 * results page lives there when it exists), writes the embedded files, and runs the test as a
 * child (never as PID 1: on Warden the launcher is PID 1, on Linux a child of run-linux's init)
 * with ARGS, the environment below and the launcher's own fds. The credential tests look users
 * and groups up by name (nobody, bin, daemon; nogroup): /etc/passwd and /etc/group give them,
 * Debian's numbers, the same on both kernels. The exit status is the test's,
 * 128+N if signal N killed it; 120 if the launcher itself failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../launch_files.h"

struct blob {
	const char *path;
	const char *start;
	const char *end;
};

extern const struct blob dyn_files[];

/* Creates directory path with mode (whatever the umask) unless it exists. */
static void make_dir(const char *path, mode_t mode)
{
	if (mkdir(path, mode) && errno != EEXIST)
		die(path);
	if (chmod(path, mode))
		die(path);
}

/* The users and groups of /etc (Debian's base-passwd numbers) that LTP's credential tests name. */
static const char etc_passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
				 "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
				 "bin:x:2:2:bin:/bin:/usr/sbin/nologin\n"
				 "sys:x:3:3:sys:/dev:/usr/sbin/nologin\n"
				 "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
static const char etc_group[] = "root:x:0:\n"
				"daemon:x:1:\n"
				"bin:x:2:\n"
				"sys:x:3:\n"
				"adm:x:4:\n"
				"users:x:100:\n"
				"nogroup:x:65534:\n";

/* Writes the embedded files, runs the first one (the test) with argv[1..] and returns its
 * status. */
int main(int argc, char **argv)
{
	static char *envp[] = { "HOME=/",
				"TERM=linux",
				"PATH=/ltp:/bin:/usr/bin",
				"TMPDIR=/tmp",
				"KCONFIG_PATH=/ltp/config",
				"LTP_COLORIZE_OUTPUT=0",
				NULL };
	const struct blob *b;
	char **args;
	int status;
	pid_t pid;

	umask(022);
	make_dir("/tmp", 01777);
	make_dir("/ltp", 0755);
	/* run-linux's initramfs has no /dev/zero (mprotect01, mmap10 and madvise11 open it) */
	if (mknod("/dev/zero", S_IFCHR | 0666, makedev(1, 5)) && errno != EEXIST)
		die("/dev/zero");
	/* Optional: without /dev/shm, LTP keeps its results page in TMPDIR. */
	if (mkdir("/dev/shm", 01777) == 0 || errno == EEXIST)
		chmod("/dev/shm", 01777);
	make_dir("/etc", 0755);
	write_file("/etc/passwd", 0644, etc_passwd, etc_passwd + sizeof(etc_passwd) - 1);
	write_file("/etc/group", 0644, etc_group, etc_group + sizeof(etc_group) - 1);
	for (b = dyn_files; b->path; b++)
		write_file(b->path, 0755, b->start, b->end);

	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args)
		die("calloc");
	args[0] = (char *)dyn_files[0].path;
	for (int i = 1; i < argc; i++)
		args[i] = argv[i];

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (chdir("/ltp"))
			die("chdir");
		execve(args[0], args, envp);
		die(args[0]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
