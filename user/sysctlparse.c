/* sysctlparse: how Linux 6.1 parses a write to a number sysctl (kernel/sysctl.c's
 * proc_dointvec_minmax and proc_doulongvec_minmax with sysctl_writes_strict 1), on an int file
 * (vm/overcommit_ratio) and two unsigned-long ones (kernel/shmmax, vm/overcommit_kbytes): empty
 * and blank writes, signs, overflow, trailing text, two numbers, a write at a non-zero offset
 * (pwrite), what writing overcommit_kbytes does to overcommit_ratio, and vm/mmap_min_addr. Each write is one raw
 * write(2) or pwrite64(2) on a fresh descriptor; its result and the file's value after it are
 * printed. Every value changed is put back.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#define RATIO "/proc/sys/vm/overcommit_ratio"
#define KBYTES "/proc/sys/vm/overcommit_kbytes"
#define SHMMAX "/proc/sys/kernel/shmmax"
#define MINADDR "/proc/sys/vm/mmap_min_addr"

/* The file's first line, without its newline. */
static void get(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

/* Writes len bytes of val to path at offset off (-1: write(2)); prints the result and value. */
static void put_at(const char *path, const char *val, size_t len, long off)
{
	int fd = open(path, O_WRONLY);
	long r;
	char what[320], shown[80], now[64], ratio[64];
	size_t i, j = 0;

	if (fd < 0)
		r = -errno;
	else if (off < 0)
		r = sys3(SYS_write, fd, (long)val, (long)len);
	else
		r = sys4(SYS_pwrite64, fd, (long)val, (long)len, off);
	if (fd >= 0)
		close(fd);
	for (i = 0; i < len && j < sizeof shown - 3; i++) {
		if (val[i] == '\n' || val[i] == '\t' || val[i] == '\r' || val[i] == '\v' ||
		    val[i] == '\f' || val[i] == '\0') {
			shown[j++] = '\\';
			shown[j++] = val[i] == '\n'   ? 'n'
				     : val[i] == '\t' ? 't'
				     : val[i] == '\r' ? 'r'
				     : val[i] == '\v' ? 'v'
				     : val[i] == '\f' ? 'f'
						      : '0';
		} else {
			shown[j++] = val[i];
		}
	}
	shown[j] = 0;
	get(path, now, sizeof now);
	get(RATIO, ratio, sizeof ratio);
	if (off >= 0)
		snprintf(what, sizeof what, "%s \"%s\" at %ld -> %s (ratio %s)",
			 strrchr(path, '/') + 1, shown, off, now, ratio);
	else
		snprintf(what, sizeof what, "%s \"%s\" -> %s (ratio %s)", strrchr(path, '/') + 1,
			 shown, now, ratio);
	show(what, r);
}

static void put(const char *path, const char *val)
{
	put_at(path, val, strlen(val), -1);
}

/* The cases every number file gets; base is a valid value to start from. */
static void cases(const char *path, const char *base)
{
	put(path, base);
	put_at(path, "", 0, -1);
	put(path, " ");
	put(path, "\n");
	put(path, " \t\n ");
	put(path, "-1");
	put(path, "-0");
	put(path, "+5");
	put(path, "7x");
	put(path, "x7");
	put(path, "  42  \n");
	put(path, "43\n\n\n");
	put(path, "44 45");
	put(path, "46\t47\n");
	put(path, "0x10");
	put(path, "010");
	put(path, "08");
	put(path, "0x");
	put(path, "0x1g");
	put(path, "0X1f");
	put(path, "5\r");
	put(path, "\v\f\r6");
	put_at(path, "7\0", 2, -1);
	put(path, "-");
	put(path, "- 5");
	put(path, "00000000000000000001");
	put(path, "000000000000000000001");
	put(path, "4294967296");
	put(path, "9223372036854775807");
	put(path, "18446744073709551615");
	put(path, "18446744073709551616");
	put(path, "99999999999999999999999");
	put(path, base);
	put_at(path, "77", 2, 1);
	put_at(path, "78", 2, 0);
	put_at(path, "", 0, 3);
	put(path, base);
}

int main(void)
{
	char ratio[64], kbytes[64], shmmax[64];

	get(RATIO, ratio, sizeof ratio);
	get(KBYTES, kbytes, sizeof kbytes);
	get(SHMMAX, shmmax, sizeof shmmax);

	printf("-- vm.overcommit_ratio (int)\n");
	cases(RATIO, "50");
	printf("-- kernel.shmmax (unsigned long)\n");
	cases(SHMMAX, "1000000");
	printf("-- vm.overcommit_kbytes (unsigned long; a good write zeroes the ratio)\n");
	put(RATIO, "50");
	put(KBYTES, "   ");
	put(RATIO, "50");
	put(KBYTES, "-3");
	put(RATIO, "50");
	put(KBYTES, "12x");
	put(RATIO, "50");
	put_at(KBYTES, "99", 2, 4);
	put(RATIO, "50");
	put_at(KBYTES, "", 0, -1);
	put(RATIO, "50");
	put(KBYTES, "0");

	printf("-- vm.mmap_min_addr (unsigned long)\n");
	put(MINADDR, "0x20000");
	put(MINADDR, " ");
	put(MINADDR, "-1");
	put_at(MINADDR, "7", 1, 2);
	put(MINADDR, "65536 junk");

	put(SHMMAX, shmmax);
	put(KBYTES, kbytes);
	put(RATIO, ratio);
	return 0;
}
