/* hugepages: /proc/sys/vm/nr_hugepages as the protection_keys selftest uses
 * it (as root: open O_RDWR, write "10", and later write the old value back).
 * Linux reads back how many huge pages it could allocate, which depends on
 * free memory, so the program prints whether that is between 0 and what was
 * asked, not the number; after writing 0 it reads back 0. Also its mode and
 * the writes Linux refuses.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

#define PATH "/proc/sys/vm/nr_hugepages"

/* Reads the file from the start; the number, or -1. */
static long read_value(int fd)
{
	char buf[64];
	long n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = 0;
	printf("  read ends in a newline: %s\n", buf[n - 1] == '\n' ? "yes" : "no");
	return strtol(buf, NULL, 10);
}

int main(void)
{
	struct stat st;
	long v;
	int fd;

	show("stat", sys2(SYS_stat, (long)PATH, (long)&st));
	printf("mode: %o, size: %ld\n", st.st_mode, (long)st.st_size);
	fd = open(PATH, O_RDWR);
	show_ok("open O_RDWR", fd);
	v = read_value(fd);
	printf("initial value: %ld\n", v);
	show("write \"10\"", sys3(SYS_write, fd, (long)"10", 2));
	v = read_value(fd);
	printf("after \"10\": between 0 and 10: %s\n", v >= 0 && v <= 10 ? "yes" : "no");
	printf("-- write() again: the file position is 2 now, and Linux ignores such writes\n");
	show("write \"0\\n\"", sys3(SYS_write, fd, (long)"0\n", 2));
	show("write \"abc\"", sys3(SYS_write, fd, (long)"abc", 3));
	show("lseek(fd, 0, SEEK_CUR)", sys3(SYS_lseek, fd, 0, SEEK_CUR));
	v = read_value(fd);
	printf("still between 0 and 10: %s\n", v >= 0 && v <= 10 ? "yes" : "no");
	printf("-- pwrite() at offset 0\n");
	show("pwrite \"0\\n\"", sys4(SYS_pwrite64, fd, (long)"0\n", 2, 0));
	printf("after \"0\": %ld\n", read_value(fd));
	show("pwrite \"abc\"", sys4(SYS_pwrite64, fd, (long)"abc", 3, 0));
	show("pwrite \"-1\"", sys4(SYS_pwrite64, fd, (long)"-1", 2, 0));
	show("pwrite \"\"", sys4(SYS_pwrite64, fd, (long)"", 0, 0));
	show("pwrite \"  0  \"", sys4(SYS_pwrite64, fd, (long)"  0  ", 5, 0));
	show("pwrite \"0 x\"", sys4(SYS_pwrite64, fd, (long)"0 x", 3, 0));
	show("pwrite NULL", sys4(SYS_pwrite64, fd, 0, 2, 0));
	show("pwrite \"1\" at offset 1", sys4(SYS_pwrite64, fd, (long)"1", 1, 1));
	printf("at the end: %ld\n", read_value(fd));
	close(fd);
	return 0;
}
