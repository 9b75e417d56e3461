/* wardenunix.h: a value of Warden's /proc/warden/unix (the AF_UNIX sockets alive, in flight,
 * the collector's runs), for the Warden-only AF_UNIX programs: -1 elsewhere or without it. */
#ifndef USER_WARDENUNIX_H
#define USER_WARDENUNIX_H

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long warden_unix(const char *key)
{
	char buf[1024];
	int fd = open("/proc/warden/unix", O_RDONLY);

	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strstr(buf, key);
	return p ? atol(p + strlen(key) + 1) : -1;
}

#endif
