/* textfile.h: writing and reading a small text file whole (a sysctl, a core file's name), for
 * the core dump programs. A failed write is printed; a failed read reads as "". */
#ifndef USER_TEXTFILE_H
#define USER_TEXTFILE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		printf("write %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
}

#endif
