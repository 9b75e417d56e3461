/* oomscore: /proc/self/oom_score_adj, oom_adj and oom_score as Linux 6.1 has them (issue 15,
 * defect 4: the OOM killer's per-process knobs).
 *
 * - oom_score_adj: reads "N\n"; a write takes at most 12 bytes, strips blanks (isspace is
 *   Latin-1: 0xa0 too), parses with kstrtoint base 0 (hex, octal, a sign, a trailing newline),
 *   accepts -1000..1000 and returns the count it looked at; EINVAL outside the range or for
 *   junk, ERANGE past int, EFAULT for a bad buffer; the value is inherited by fork and kept
 *   by execve;
 * - oom_adj (legacy): oom_score_adj scaled to -17..15, and writes scaled back;
 * - oom_score: 0 for oom_score_adj -1000, above 1000 for +1000, and it grows with the memory the
 *   process holds. Its exact value depends on the RAM size, so only properties are printed.
 *
 * Every write is a raw write(2) so the kernel's count or errno shows. */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>

/* Writes len bytes of s to /proc/self/NAME in one write(2) on a fresh descriptor. */
static long write_file(const char *name, const void *s, long len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/%s", name);
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	long r = sys3(SYS_write, fd, (long)s, len);
	close(fd);
	return r;
}

/* Reads /proc/self/NAME whole into buf (NUL-terminated); the length or -errno. */
static long read_file(const char *name, char *buf, long size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/%s", name);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	long r = sys3(SYS_read, fd, (long)buf, size - 1);
	close(fd);
	buf[r > 0 ? r : 0] = '\0';
	return r;
}

/* The number in /proc/self/NAME. */
static long read_num(const char *name)
{
	char buf[64];
	if (read_file(name, buf, sizeof buf) <= 0)
		return -99999;
	return strtol(buf, NULL, 10);
}

/* Writes the string s (its strlen) to NAME, prints the result, then what NAME reads back. */
static void try_write(const char *name, const char *label, const char *s)
{
	char what[128];
	snprintf(what, sizeof what, "issue15.4 write %s %s", name, label);
	show(what, write_file(name, s, (long)strlen(s)));
	printf("issue15.4   %s reads %ld\n", name, read_num(name));
}

/* Writes and parsing of oom_score_adj (Linux's oom_score_adj_write). */
static void adj_writes(void)
{
	char buf[64];
	long n = read_file("oom_score_adj", buf, sizeof buf);
	printf("issue15.4 oom_score_adj initially: %ld bytes \"", n);
	print_escaped(buf, n > 0 ? n : 0);
	printf("\"\n");
	try_write("oom_score_adj", "\"500\"", "500");
	try_write("oom_score_adj", "\"-1000\\n\"", "-1000\n");
	try_write("oom_score_adj", "\"1000\"", "1000");
	try_write("oom_score_adj", "\"1001\"", "1001");
	try_write("oom_score_adj", "\"-1001\"", "-1001");
	try_write("oom_score_adj", "\"abc\"", "abc");
	try_write("oom_score_adj", "\"12abc\"", "12abc");
	try_write("oom_score_adj", "\"\" (0 bytes)", "");
	try_write("oom_score_adj", "\"  7 \\n\"", "  7 \n");
	try_write("oom_score_adj", "\"0x10\"", "0x10");
	try_write("oom_score_adj", "\"010\"", "010");
	try_write("oom_score_adj", "\"09\"", "09");
	try_write("oom_score_adj", "\"+5\"", "+5");
	try_write("oom_score_adj", "\"-0\"", "-0");
	try_write("oom_score_adj", "\"- 5\"", "- 5");
	try_write("oom_score_adj", "\"3\\n\\n\"", "3\n\n");
	try_write("oom_score_adj", "\"99999999999\"", "99999999999");
	try_write("oom_score_adj", "\"2147483648\"", "2147483648");
	try_write("oom_score_adj", "20 bytes \"00000000000000000042\"", "00000000000000000042");
	try_write("oom_score_adj", "\"4\\0junk\" (3 bytes)", "4\0j");
	/* Linux's isspace() is Latin-1: 0xa0 (no-break space) is a blank strstrip() drops. */
	try_write("oom_score_adj", "\"6\\xa0\"", "6\xa0");
	try_write("oom_score_adj", "\"\\xa0-7\"", "\xa0-7");
	try_write("oom_score_adj", "\"\\v8\\f\"", "\v8\f");
	show("issue15.4 write oom_score_adj from an unmapped buffer",
	     write_file("oom_score_adj", (void *)8, 3));
	/* A read at an offset, and a second read at the end. */
	write_file("oom_score_adj", "-123", 4);
	int fd = open("/proc/self/oom_score_adj", O_RDONLY);
	long r1 = sys4(SYS_pread64, fd, (long)buf, 3, 2);
	buf[r1 > 0 ? r1 : 0] = '\0';
	printf("issue15.4 pread(3 bytes at 2) of oom_score_adj: %ld \"", r1);
	print_escaped(buf, r1 > 0 ? r1 : 0);
	printf("\"\n");
	show("issue15.4 read after the end", sys3(SYS_read, fd, (long)buf, 64) > 0 ? 0 : 1);
	close(fd);
	write_file("oom_score_adj", "0", 1);
}

/* The legacy oom_adj file and its scaling both ways (Linux's oom_adj_read/oom_adj_write). */
static void legacy_adj(void)
{
	static const char *const adj_values[] = { "500", "-1000", "1000", "999", "-59", "0" };
	for (unsigned i = 0; i < sizeof adj_values / sizeof adj_values[0]; i++) {
		write_file("oom_score_adj", adj_values[i], (long)strlen(adj_values[i]));
		printf("issue15.4 oom_score_adj %s reads as oom_adj %ld\n", adj_values[i],
		       read_num("oom_adj"));
	}
	try_write("oom_adj", "\"15\"", "15");
	printf("issue15.4   oom_score_adj is %ld\n", read_num("oom_score_adj"));
	try_write("oom_adj", "\"-17\"", "-17");
	printf("issue15.4   oom_score_adj is %ld\n", read_num("oom_score_adj"));
	try_write("oom_adj", "\"-16\"", "-16");
	printf("issue15.4   oom_score_adj is %ld\n", read_num("oom_score_adj"));
	try_write("oom_adj", "\"3\"", "3");
	printf("issue15.4   oom_score_adj is %ld\n", read_num("oom_score_adj"));
	try_write("oom_adj", "\"16\"", "16");
	try_write("oom_adj", "\"-18\"", "-18");
	write_file("oom_score_adj", "0", 1);
}

/* fork: the child starts with the parent's value; its own change stays its own. */
static void inheritance(void)
{
	write_file("oom_score_adj", "321", 3);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		printf("issue15.4 child of fork: oom_score_adj %ld\n", read_num("oom_score_adj"));
		write_file("oom_score_adj", "-5", 2);
		printf("issue15.4 child after writing -5: %ld\n", read_num("oom_score_adj"));
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("issue15.4 parent after the child wrote: %ld\n", read_num("oom_score_adj"));
	/* execve keeps it: run this program again with "exec-check". */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		write_file("oom_score_adj", "-777", 4);
		char *argv[] = { "/prog", "exec-check", NULL };
		execve("/proc/self/exe", argv, NULL);
		_exit(99);
	}
	waitpid(pid, &st, 0);
	printf("issue15.4 exec'd child exit status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	write_file("oom_score_adj", "0", 1);
}

/* Properties of oom_score: the range for -1000, 0 and 1000, and growth with memory held. */
static void scores(void)
{
	long small = read_num("oom_score");
	printf("issue15.4 oom_score of a small process: %s\n",
	       small > 0 && small < 1000 ? "between 1 and 999" : "out of range");
	write_file("oom_score_adj", "-1000", 5);
	printf("issue15.4 oom_score with oom_score_adj -1000: %ld\n", read_num("oom_score"));
	write_file("oom_score_adj", "1000", 4);
	long big_adj = read_num("oom_score");
	printf("issue15.4 oom_score with oom_score_adj 1000: %s\n",
	       big_adj > 1000 && big_adj <= 2000 ? "between 1001 and 2000" : "out of range");
	write_file("oom_score_adj", "-500", 4);
	long low_adj = read_num("oom_score");
	printf("issue15.4 oom_score with oom_score_adj -500 is below the one with 0: %s\n",
	       low_adj < small ? "yes" : "no");
	write_file("oom_score_adj", "0", 1);
	/* 64 MiB touched: the score grows. */
	size_t len = 64 << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	long grown = read_num("oom_score");
	printf("issue15.4 oom_score after touching 64 MiB is higher: %s\n",
	       grown > small ? "yes" : "no");
	munmap(p, len);
}

/* lseek: oom_adj has generic_file_llseek with proc's s_maxbytes (MAX_NON_LFS, 2^31 - 1),
 * oom_score_adj default_llseek (no upper bound; SEEK_DATA of a negative offset is EINVAL). */
static void seeks(void)
{
	static const struct {
		const char *name, *label;
		long off;
		int whence;
	} s[] = {
		{ "oom_adj", "SEEK_SET 2^31-1", 0x7fffffffL, SEEK_SET },
		{ "oom_adj", "SEEK_CUR 1", 1, SEEK_CUR },
		{ "oom_adj", "SEEK_SET 2^31", 0x80000000L, SEEK_SET },
		{ "oom_adj", "SEEK_SET 2^62", 1L << 62, SEEK_SET },
		{ "oom_adj", "SEEK_END 2^31", 0x80000000L, SEEK_END },
		{ "oom_adj", "SEEK_DATA -1", -1, SEEK_DATA },
		{ "oom_score_adj", "SEEK_SET 2^62", 1L << 62, SEEK_SET },
		{ "oom_score_adj", "SEEK_CUR 1", 1, SEEK_CUR },
		{ "oom_score_adj", "SEEK_END 2^40", 1L << 40, SEEK_END },
		{ "oom_score_adj", "SEEK_DATA -1", -1, SEEK_DATA },
		{ "oom_score_adj", "SEEK_HOLE -1", -1, SEEK_HOLE },
		{ "oom_score_adj", "SEEK_DATA 0", 0, SEEK_DATA },
	};
	char path[64], what[96];

	for (unsigned int i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		if (i == 0 || strcmp(s[i].name, s[i - 1].name)) {
			snprintf(path, sizeof path, "/proc/self/%s", s[i].name);
			close(3);
			if (open(path, O_RDONLY) != 3)
				printf("issue15.4 open %s failed\n", path);
		}
		snprintf(what, sizeof what, "issue15.4 lseek %s %s", s[i].name, s[i].label);
		show(what, sys3(SYS_lseek, 3, s[i].off, s[i].whence));
	}
	close(3);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-check")) {
		printf("issue15.4 after execve: oom_score_adj %ld\n", read_num("oom_score_adj"));
		return 0;
	}
	adj_writes();
	legacy_adj();
	seeks();
	inheritance();
	/* In a child: the program is PID 1 on Warden, and init's oom_score is always 0. */
	int st = child_status(scores);
	printf("issue15.4 scores child exit status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
