/* sysctlkern: issue 21 items 4-5, /proc/sys/kernel/{ostype, osrelease, tainted, threads-max,
 * pid_max, core_pattern} as Linux 6.1 reads and parses them, and O_TRUNC on /proc/sys files
 * (fopen "w", which Linux accepts and ignores). Values that depend on the machine (threads-max,
 * the release) are printed as relations; every value changed is put back.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common.h"

static int get(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	long n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return (int)n;
}

static void put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	long r = fd < 0 ? -errno : sys3(SYS_write, fd, (long)val, (long)strlen(val));
	if (fd >= 0)
		close(fd);
	char what[160], shown[64];
	size_t i, j = 0;
	for (i = 0; val[i] && j < sizeof shown - 3; i++) {
		if (val[i] == '\n') {
			shown[j++] = '\\';
			shown[j++] = 'n';
		} else {
			shown[j++] = val[i];
		}
	}
	shown[j] = 0;
	snprintf(what, sizeof what, "write %s \"%s\"", strrchr(path, '/') + 1, shown);
	show(what, r);
}

static void show_file(const char *path)
{
	char buf[256];
	int n = get(path, buf, sizeof buf);
	if (n < 0)
		printf("%s: -1 %s\n", path, errname(-n));
	else
		printf("%s: \"%.*s\\n\"\n", path, n > 0 && buf[n - 1] == '\n' ? n - 1 : n, buf);
}

int main(void)
{
	char buf[256], orig[64];
	struct utsname u;
	uname(&u);
	show_file("/proc/sys/kernel/ostype");
	get("/proc/sys/kernel/osrelease", buf, sizeof buf);
	printf("osrelease is uname's release and a newline: %s\n",
	       !strncmp(buf, u.release, strlen(u.release)) && !strcmp(buf + strlen(u.release), "\n") ? "yes" : "no");
	show_file("/proc/sys/kernel/tainted");
	put("/proc/sys/kernel/tainted", "0");
	put("/proc/sys/kernel/tainted", "-1");
	put("/proc/sys/kernel/tainted", "abc");
	show_file("/proc/sys/kernel/tainted");
	show_file("/proc/sys/kernel/core_pattern");
	show_file("/proc/sys/kernel/pid_max");

	/* threads-max: [1, 0x3fffffff] */
	get("/proc/sys/kernel/threads-max", orig, sizeof orig);
	printf("threads-max > 20: %s\n", atol(orig) > 20 ? "yes" : "no");
	put("/proc/sys/kernel/threads-max", "0");
	put("/proc/sys/kernel/threads-max", "19");
	put("/proc/sys/kernel/threads-max", "1073741824");
	put("/proc/sys/kernel/threads-max", "20");
	show_file("/proc/sys/kernel/threads-max");
	put("/proc/sys/kernel/threads-max", "1073741823");
	show_file("/proc/sys/kernel/threads-max");
	int rfd = open("/proc/sys/kernel/threads-max", O_WRONLY);
	write(rfd, orig, strlen(orig)); /* put back, quietly: the value depends on the RAM */
	close(rfd);

	/* pid_max: [301, 4194304] */
	put("/proc/sys/kernel/pid_max", "300");
	put("/proc/sys/kernel/pid_max", "301");
	show_file("/proc/sys/kernel/pid_max");
	put("/proc/sys/kernel/pid_max", "4194305");
	put("/proc/sys/kernel/pid_max", "4194304");
	show_file("/proc/sys/kernel/pid_max");
	put("/proc/sys/kernel/pid_max", " 40000 \n");
	show_file("/proc/sys/kernel/pid_max");
	put("/proc/sys/kernel/pid_max", "40000x");
	put("/proc/sys/kernel/pid_max", "");
	put("/proc/sys/kernel/pid_max", "32768\n");
	show_file("/proc/sys/kernel/pid_max");

	/* core_pattern: a string, cut at a newline, 127 bytes at most; pwrite appends at its
	 * position, past the end it is ignored */
	put("/proc/sys/kernel/core_pattern", "abc\ndef");
	show_file("/proc/sys/kernel/core_pattern");
	int fd = open("/proc/sys/kernel/core_pattern", O_WRONLY);
	show("pwrite \"xyz\" at 3", sys4(SYS_pwrite64, fd, (long)"xyz", 3, 3));
	show_file("/proc/sys/kernel/core_pattern");
	show("pwrite \"q\" at 10", sys4(SYS_pwrite64, fd, (long)"q", 1, 10));
	show_file("/proc/sys/kernel/core_pattern");
	close(fd);
	char big[201];
	memset(big, 'p', 200);
	big[200] = 0;
	put("/proc/sys/kernel/core_pattern", big);
	get("/proc/sys/kernel/core_pattern", buf, sizeof buf);
	printf("200 bytes written: %zu kept\n", strlen(buf) - 1);
	put("/proc/sys/kernel/core_pattern", "core");
	show_file("/proc/sys/kernel/core_pattern");

	/* read-only files */
	put("/proc/sys/kernel/ostype", "BSD");
	put("/proc/sys/kernel/osrelease", "1.0");

	/* O_TRUNC on /proc/sys files: accepted, the value stays */
	fd = open("/proc/sys/kernel/pid_max", O_WRONLY | O_TRUNC);
	printf("open(pid_max, O_WRONLY|O_TRUNC): %s\n", fd >= 0 ? "ok" : errname(errno));
	close(fd);
	show_file("/proc/sys/kernel/pid_max");
	FILE *f = fopen("/proc/sys/kernel/pid_max", "w");
	printf("fopen(pid_max, \"w\"): %s\n", f ? "ok" : errname(errno));
	if (f) {
		fprintf(f, "50000\n");
		printf("fclose: %d\n", fclose(f));
	}
	show_file("/proc/sys/kernel/pid_max");
	f = fopen("/proc/sys/kernel/pid_max", "w");
	fprintf(f, "32768\n");
	fclose(f);
	fd = open("/proc/sys/kernel/ostype", O_RDONLY | O_TRUNC);
	printf("open(ostype, O_RDONLY|O_TRUNC): %s\n", fd >= 0 ? "ok" : errname(errno));
	show_file("/proc/sys/kernel/ostype");
	show_file("/proc/sys/kernel/nonexistent");
	return 0;
}
