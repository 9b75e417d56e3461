/* procother: another process's /proc/PID entries (issue 16 item 4), as Linux 6.1 shows them to
 * root:
 * - /proc/PID/fd lists the open descriptors (getdents: ".", "..", then each fd in order, DT_LNK),
 *   each a link (lr-x, l-wx or lrwx) that readlink and stat follow; a zombie's fd/ is empty;
 * - /proc/PID/fdinfo/N: pos and flags (octal, O_CLOEXEC included);
 * - /proc/PID/mem and /proc/PID/pagemap of another process read its memory and page table;
 *   a zombie's mem reads nothing;
 * - /proc/PID/oom_score_adj and oom_adj of another process are read and written.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static char data[4096] __attribute__((aligned(4096))) = "the child's data";

/* getdents64 of a directory: names and types, in the kernel's order. */
static void list_dir(const char *what, const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		show(what, -errno);
		return;
	}
	printf("%s:", what);
	long n;
	while ((n = sys3(SYS_getdents64, fd, (long)buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct {
				uint64_t ino;
				int64_t off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *d = (void *)(buf + off);
			printf(" %s(%s)", d->name, d->type == DT_LNK ? "lnk" : d->type == DT_DIR ? "dir" : d->type == DT_REG ? "reg" : "?");
			off += d->reclen;
		}
	}
	printf("%s\n", n < 0 ? " (error)" : "");
	close(fd);
}

static void show_link(const char *what, const char *path)
{
	char buf[256];
	long n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0) {
		show(what, -errno);
		return;
	}
	buf[n] = 0;
	if (!strncmp(buf, "pipe:[", 6))
		strcpy(buf + 6, "N]"); /* the inode number differs */
	printf("%s: %s\n", what, buf);
}

static void show_lstat(const char *what, const char *path)
{
	struct stat st;
	if (lstat(path, &st)) {
		show(what, -errno);
		return;
	}
	printf("%s: mode %o\n", what, st.st_mode);
}

/* A file's text, with newlines as '|'. */
static void show_text(const char *what, const char *path, int only_pos_flags)
{
	char buf[512];
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		show(what, -errno);
		return;
	}
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		show(what, -errno);
		return;
	}
	buf[n] = 0;
	if (only_pos_flags) { /* fdinfo: mnt_id and ino differ by nature */
		char *m = strstr(buf, "mnt_id:");
		if (m)
			*m = 0;
	}
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			*p = '|';
	printf("%s: %s\n", what, buf);
}

static void write_text(const char *what, const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	long r = fd < 0 ? -errno : write(fd, text, strlen(text));
	if (fd >= 0 && r < 0)
		r = -errno;
	if (fd >= 0)
		close(fd);
	show(what, r < 0 ? r : 0);
}

int main(void)
{
	char path[128], buf[64];
	int go[2], ready[2];

	setvbuf(stdout, NULL, _IONBF, 0);
	mkdir("/tmp", 01777);
	pipe(go);
	pipe(ready);
	pid_t c = fork();
	if (c == 0) {
		/* fds: 0-2 as given, 3 and 4 the pipes' ends we keep, then ours */
		dup2(go[0], 3);
		dup2(ready[1], 4);
		for (int fd = 5; fd < 64; fd++)
			close(fd);
		int null = open("/dev/null", O_RDONLY);
		int f = open("/tmp/procother", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		write(f, "12345", 5);
		int w = open("/tmp/procother", O_WRONLY | O_APPEND);
		dup2(null, 20);
		strcpy(data, "the child's data");
		printf("child fds: /dev/null %d, file %d, write-only %d, dup 20\n", null, f, w);
		write(4, "r", 1);
		read(3, buf, 1);
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	read(ready[0], buf, 1);

	printf("issue 16 item 4: another process's /proc/PID/fd and fdinfo\n");
	snprintf(path, sizeof(path), "/proc/%d/fd", c);
	list_dir("  fd/", path);
	static const int fds[] = { 3, 5, 6, 7, 20, 8 };
	for (unsigned i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		char what[64];
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", c, fds[i]);
		snprintf(what, sizeof(what), "  readlink fd/%d", fds[i]);
		show_link(what, path);
		snprintf(what, sizeof(what), "  lstat fd/%d", fds[i]);
		show_lstat(what, path);
	}
	snprintf(path, sizeof(path), "/proc/%d/fd/6", c);
	struct stat st;
	long r = stat(path, &st);
	printf("  stat fd/6 follows the link: %s, size %lld\n", r ? "no" : "yes", (long long)st.st_size);
	for (int fd = 5; fd <= 7; fd++) {
		char what[64];
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", c, fd);
		snprintf(what, sizeof(what), "  fdinfo/%d", fd);
		show_text(what, path, 1);
	}
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/9", c);
	show_text("  fdinfo/9 (not open)", path, 1);

	printf("issue 16 item 4: another process's mem and pagemap\n");
	snprintf(path, sizeof(path), "/proc/%d/mem", c);
	int mem = open(path, O_RDWR);
	show("  open mem O_RDWR", mem < 0 ? -errno : 0);
	memset(buf, 0, sizeof(buf));
	r = pread(mem, buf, 16, (off_t)(uintptr_t)data);
	printf("  pread mem at its data: %ld [%.16s]\n", r, buf);
	r = pwrite(mem, "THE", 3, (off_t)(uintptr_t)data);
	printf("  pwrite mem: %ld\n", r);
	r = pread(mem, buf, 16, (off_t)(uintptr_t)data);
	printf("  pread again: %ld [%.16s]\n", r, buf);
	printf("  our own data unchanged: [%.16s]\n", data);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", c);
	int pm = open(path, O_RDONLY);
	uint64_t e = 0;
	r = pread(pm, &e, 8, (off_t)((uintptr_t)data / 4096 * 8));
	printf("  pagemap of its data: %ld, present %d\n", r, (int)(e >> 63));
	close(pm);

	printf("issue 16 item 4: another process's oom_score, oom_score_adj, oom_adj\n");
	snprintf(path, sizeof(path), "/proc/%d/oom_score", c);
	int fd = open(path, O_RDONLY);
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[r > 0 ? r : 0] = 0;
	printf("  oom_score is a number: %s\n", r > 0 && buf[0] >= '0' && buf[0] <= '9' ? "yes" : "no");
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", c);
	show_text("  oom_score_adj", path, 0);
	write_text("  write 100 to oom_score_adj", path, "100");
	show_text("  oom_score_adj", path, 0);
	snprintf(path, sizeof(path), "/proc/%d/oom_adj", c);
	show_text("  oom_adj", path, 0);
	write_text("  write -3 to oom_adj", path, "-3");
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", c);
	show_text("  oom_score_adj", path, 0);
	show_text("  our own oom_score_adj", "/proc/self/oom_score_adj", 0);

	write(go[1], "g", 1);
	/* a zombie: wait until its stat says Z */
	for (int i = 0; i < 2000; i++) {
		char st_buf[256] = "";
		snprintf(path, sizeof(path), "/proc/%d/stat", c);
		fd = open(path, O_RDONLY);
		r = read(fd, st_buf, sizeof(st_buf) - 1);
		close(fd);
		char *p = strrchr(st_buf, ')');
		if (r > 0 && p && p[2] == 'Z')
			break;
		usleep(1000);
	}
	printf("issue 16 item 4: a zombie's fd/, mem\n");
	snprintf(path, sizeof(path), "/proc/%d/fd", c);
	list_dir("  zombie fd/", path);
	snprintf(path, sizeof(path), "/proc/%d/fd/0", c);
	show_link("  zombie readlink fd/0", path);
	r = pread(mem, buf, 16, (off_t)(uintptr_t)data);
	printf("  the open mem of the zombie: %ld\n", r < 0 ? -errno : r);
	snprintf(path, sizeof(path), "/proc/%d/mem", c);
	fd = open(path, O_RDONLY);
	show("  open the zombie's mem", fd < 0 ? -errno : 0);
	r = fd < 0 ? 0 : read(fd, buf, 16);
	printf("  read it: %ld\n", r < 0 ? -errno : r);
	waitpid(c, NULL, 0);
	unlink("/tmp/procother");
	return 0;
}
