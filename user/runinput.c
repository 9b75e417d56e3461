/* runinput: prints what the program was given, so that tools/run-program's argv, environment and
 * stdin are compared with what Linux gives (issue 16 item 7). Each argv and environment string is
 * printed with its length and its bytes, printable ASCII as itself and every other byte (and the
 * backslash) as \xNN; then what fd 0 is (a regular file opened O_RDONLY, its size, not a
 * terminal) and what reading it to the end gives: the byte count, an FNV-1a hash of all of it and
 * its first 512 bytes. The output depends only on the input, never on addresses or times. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>

#include "common.h"

extern char **environ;

/* Prints a byte string between brackets, anything but printable ASCII as \xNN. */
static void print_bytes(const unsigned char *s, size_t len)
{
	putchar('[');
	for (size_t i = 0; i < len; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			putchar(s[i]);
		else
			printf("\\x%02x", s[i]);
	}
	puts("]");
}

/* Prints one string of argv or the environment: its index, length and bytes. */
static void print_string(const char *what, int i, const char *s)
{
	size_t len = strlen(s);

	printf("%s[%d] %zu ", what, i, len);
	if (len > 300) { /* a long string: its ends and a hash of all of it */
		unsigned int h = 2166136261u;
		for (size_t j = 0; j < len; j++)
			h = (h ^ (unsigned char)s[j]) * 16777619u;
		printf("hash %08x ", h);
		print_bytes((const unsigned char *)s, 100);
		printf("  ... ");
		print_bytes((const unsigned char *)s + len - 100, 100);
		return;
	}
	print_bytes((const unsigned char *)s, len);
}

int main(int argc, char **argv)
{
	static unsigned char head[512];
	unsigned char buf[4096];
	unsigned int hash = 2166136261u;
	size_t total = 0, kept = 0;
	struct termios t;
	struct stat st;
	int i;

	printf("argc %d\n", argc);
	for (i = 0; i < argc; i++)
		print_string("argv", i, argv[i]);
	printf("argv[%d] %s\n", argc, argv[argc] ? "not NULL" : "NULL");
	for (i = 0; environ[i]; i++)
		print_string("env", i, environ[i]);
	printf("env count %d\n", i);

	if (fstat(0, &st) < 0) {
		show("fstat(0)", -errno);
	} else {
		printf("fd 0: %s, size %lld, flags %#o\n",
		       S_ISREG(st.st_mode) ? "regular file" : "not a regular file",
		       (long long)st.st_size, fcntl(0, F_GETFL));
	}
	show("fd 0 TCGETS", sys3(SYS_ioctl, 0, TCGETS, (long)&t));
	for (;;) {
		long n = read(0, buf, sizeof(buf));
		if (n < 0) {
			show("read(0)", -errno);
			break;
		}
		if (n == 0)
			break;
		for (long j = 0; j < n; j++) {
			hash = (hash ^ buf[j]) * 16777619u;
			if (kept < sizeof(head))
				head[kept++] = buf[j];
		}
		total += (size_t)n;
	}
	printf("stdin: %zu bytes, hash %08x, first %zu: ", total, hash, kept);
	print_bytes(head, kept);
	return 0;
}
