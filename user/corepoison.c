/* corepoison: a core dump of a shared tmpfs mapping with a poisoned page (MADV_HWPOISON). The
 * page stays in the file's cache, poisoned; Linux's get_dump_page gives up on it, so the core
 * holds a hole (zeros) there, while the healthy page next to it is dumped. Runs as root. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define RUN 256 /* a run of this many equal bytes marks a page's contents */

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0 || write(fd, s, strlen(s)) < 0)
		printf("setup %s: %s\n", path, errname(errno));
	if (fd >= 0)
		close(fd);
}

/* Does the file hold RUN bytes equal to c in a row? */
static int holds_run(const char *path, unsigned char c)
{
	static unsigned char buf[1 << 16];
	int fd = open(path, O_RDONLY), n = 0;
	ssize_t r;
	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < r; i++) {
			n = buf[i] == c ? n + 1 : 0;
			if (n >= RUN) {
				close(fd);
				return 1;
			}
		}
	close(fd);
	return 0;
}

static void child(void)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	setrlimit(RLIMIT_CORE, &rl);
	write_file("/proc/self/coredump_filter", "0x3b"); /* file-backed shared memory too (0x8) */
	int fd = open("/tmp/corepoison.file", O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 2 * 4096))
		_exit(2);
	unsigned char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		_exit(3);
	memset(p, 0xa5, 4096);
	memset(p + 4096, 0xb7, 4096);
	printf("madvise(MADV_HWPOISON) of the second page: %s\n",
	       madvise(p + 4096, 4096, MADV_HWPOISON) ? errname(errno) : "0");
	fflush(stdout);
	abort();
}

int main(void)
{
	ensure_tmp();
	if (chdir("/tmp"))
		return 1;
	unlink("/tmp/core");
	write_file("/proc/sys/kernel/core_pattern", "core");
	write_file("/proc/sys/kernel/core_uses_pid", "0");
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		child();
	int st;
	waitpid(c, &st, 0);
	printf("child: signal %d, core dumped %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0,
	       WIFSIGNALED(st) && WCOREDUMP(st) ? 1 : 0);
	printf("core holds the healthy page: %d\n", holds_run("/tmp/core", 0xa5));
	printf("core holds the poisoned page's bytes: %d\n", holds_run("/tmp/core", 0xb7));
	unlink("/tmp/core");
	unlink("/tmp/corepoison.file");
	return 0;
}
