/* launch_files.h: what the suites' launchers (tests/busybox/launch.c, tests/dynamic/launch.c)
 * share to put their embedded files into the file system before they exec anything: a failure
 * ends the launcher with status 120, which no script or case gives. */
#ifndef TESTS_LAUNCH_FILES_H
#define TESTS_LAUNCH_FILES_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Prints why the launcher failed and exits with 120. */
static void die(const char *what)
{
	fprintf(stderr, "launch: %s: %s\n", what, strerror(errno));
	exit(120);
}

/* Writes len bytes to fd, whole. */
static void write_all(int fd, const char *buf, size_t len, const char *what)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die(what);
		buf += n;
		len -= (size_t)n;
	}
}

/* Creates the file path with mode and the bytes start..end. */
static void write_file(const char *path, mode_t mode, const char *start, const char *end)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		die(path);
	write_all(fd, start, (size_t)(end - start), path);
	close(fd);
}

#endif
