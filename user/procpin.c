/* procpin: /proc/PID/maps, smaps, smaps_rollup, environ, pagemap and mem are checked when they
 * are opened (ptrace_may_access, PTRACE_MODE_READ_FSCREDS or ATTACH) and then read the address
 * space they were opened on (Linux's proc_mem_open: the mm is pinned with mmgrab), never the one
 * the task has later. A user's process opens them on its child, of the same user, which then
 * runs a set-user-ID root program: the new program is root's and not dumpable, so opening them
 * again is refused, and the files opened before see the old address space, which has no users
 * any more: maps, smaps, environ, pagemap and mem read nothing, smaps_rollup says ESRCH. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define D "/tmp/procpin"
#define PROG D "/suid_root"
#define TO_PARENT 10 /* the exec'd program says it runs on this descriptor */
#define FROM_PARENT 11 /* and waits for the end of this one */

static void must(long r, const char *what)
{
	if (is_err(r)) {
		printf("setup %s: %s\n", what, errname((int)-r));
		exit(1);
	}
}

/* The set-user-ID program: says it runs, then waits until the parent closes its pipe. */
static int wait_mode(void)
{
	char b;

	if (write(TO_PARENT, "r", 1) != 1)
		return 1;
	while (read(FROM_PARENT, &b, 1) > 0)
		;
	return 0;
}

static void copy_prog(const char *to)
{
	static char buf[1 << 16];
	long in = sys3(SYS_open, (long)"/prog", O_RDONLY, 0);
	long out = sys4(SYS_openat, AT_FDCWD, (long)to, O_CREAT | O_WRONLY | O_TRUNC, 0700);
	long n;

	must(in, "/prog");
	must(out, to);
	while ((n = sys3(SYS_read, in, (long)buf, sizeof buf)) > 0)
		must(sys3(SYS_write, out, (long)buf, n), to);
	sys1(SYS_close, in);
	sys1(SYS_close, out);
	must(sys3(SYS_chown, (long)to, 0, 0), to);
	must(sys2(SYS_chmod, (long)to, 04755), to);
}

static const char *const names[] = { "maps", "smaps", "smaps_rollup", "environ", "pagemap", "mem" };
#define NFILES (sizeof names / sizeof names[0])

/* Reads what fd gives from position pos (pagemap and mem: a page's worth at the stack). */
static long read_at(int fd, long pos)
{
	static char buf[1 << 16];
	long total = 0, r;

	if (sys3(SYS_lseek, fd, pos, SEEK_SET) < 0)
		return -EINVAL;
	for (int i = 0; i < 64; i++) {
		r = sys3(SYS_read, fd, (long)buf, pos ? 8 : sizeof buf);
		if (r <= 0)
			return total ? total : r;
		total += r;
		if (pos)
			break;
	}
	return total;
}

/* How a read came out: an error, nothing, or some bytes. */
static void show_read(const char *when, const char *name, long r)
{
	printf("  %s %s: %s\n", when, name,
	       is_err(r) ? errname((int)-r)
	       : r == 0	 ? "nothing"
			 : "some bytes");
}

static void observer(void)
{
	int up[2], down[2], fds[NFILES];
	long pos[NFILES] = { 0 };
	char path[64], b;

	must(sys2(SYS_setgroups, 0, 0), "setgroups");
	must(sys3(SYS_setresgid, 1000, 1000, 1000), "setresgid");
	must(sys3(SYS_setresuid, 1000, 1000, 1000), "setresuid");
	must(sys2(SYS_prctl, PR_SET_DUMPABLE, 1), "PR_SET_DUMPABLE"); /* setresuid cleared it */
	must(pipe(up), "pipe");
	must(pipe(down), "pipe");
	pid_t c = fork();
	if (c == 0) {
		char *argv[] = { PROG, "wait", NULL }, *envp[] = { "SECRET=1", NULL };

		dup2(up[1], TO_PARENT);
		dup2(down[0], FROM_PARENT);
		close(down[1]);
		close(up[0]);
		if (read(down[0], &b, 1) != 1) /* the parent has opened the files */
			_exit(1);
		sys3(SYS_execve, (long)PROG, (long)argv, (long)envp);
		_exit(2);
	}
	close(down[0]);
	close(up[1]);
	/* a stack address of the child for pagemap and mem: the same in the program it runs */
	long stack = (long)&b & ~4095L;
	for (unsigned i = 0; i < NFILES; i++) {
		snprintf(path, sizeof path, "/proc/%d/%s", c, names[i]);
		fds[i] = open(path, !strcmp(names[i], "mem") ? O_RDWR : O_RDONLY);
		printf("open %s before the exec: %s\n", names[i],
		       fds[i] >= 0 ? "ok" : errname(errno));
		if (!strcmp(names[i], "pagemap"))
			pos[i] = stack / 4096 * 8;
		else if (!strcmp(names[i], "mem"))
			pos[i] = stack;
		if (fds[i] >= 0)
			show_read("read before the exec:", names[i], read_at(fds[i], pos[i]));
	}
	fflush(stdout);
	if (write(down[1], "g", 1) != 1 || read(up[0], &b, 1) != 1) {
		printf("the child did not run the program\n");
		return;
	}
	for (unsigned i = 0; i < NFILES; i++) {
		if (fds[i] >= 0)
			show_read("read after the exec: ", names[i], read_at(fds[i], pos[i]));
	}
	for (unsigned i = 0; i < NFILES; i++) {
		snprintf(path, sizeof path, "/proc/%d/%s", c, names[i]);
		int fd = open(path, O_RDONLY);
		printf("open %s after the exec: %s\n", names[i], fd >= 0 ? "ok" : errname(errno));
		if (fd >= 0)
			close(fd);
	}
	fflush(stdout);
	close(down[1]);
	int st;
	waitpid(c, &st, 0);
	printf("child status %d\n", st);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "wait"))
		return wait_mode();
	umask(022);
	ensure_tmp();
	must(sys2(SYS_mkdir, (long)D, 0755), D);
	copy_prog(PROG);
	printf("observer status %d\n", child_status(observer));
	unlink(PROG);
	rmdir(D);
	return 0;
}
