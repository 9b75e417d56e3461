/* fdlimit: the descriptor table grows to RLIMIT_NOFILE, up to nr_open (1048576), as Linux 6.1's
 * expand_files (issue 15, item 7 "limits": Warden's table stopped at 4096 whatever the limit).
 * - dup2/dup3 to newfd >= RLIMIT_NOFILE: EBADF (a bad oldfd is EBADF as well);
 * - F_DUPFD from >= RLIMIT_NOFILE: EINVAL; no free descriptor from there to the limit: EMFILE;
 * - thousands of descriptors past 4096, the lowest free one reused, EMFILE at the limit;
 * - a forked child has the high descriptors (and their close-on-exec bits);
 * - a descriptor above a lowered limit stays usable, but dup2 to it is EBADF. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define NR_OPEN 1048576L

static long set_nofile(unsigned long cur, unsigned long max)
{
	struct rlimit64 r = { cur, max };
	return sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, (long)&r, 0);
}

static void child_high_fds(void)
{
	show("child: fcntl(1048575, F_GETFD)", sys2(SYS_fcntl, NR_OPEN - 1, F_GETFD));
	show("child: fcntl(70000, F_GETFD)", sys2(SYS_fcntl, 70000, F_GETFD));
	show("child: fcntl(70001, F_GETFD)", sys2(SYS_fcntl, 70001, F_GETFD));
	show("child: close(1048575)", sys1(SYS_close, NR_OPEN - 1));
	show("child: dup(0) (lowest free)", sys1(SYS_dup, 0));
}

int main(void)
{
	show("default limit: dup2(0, 1023)", sys2(SYS_dup2, 0, 1023));
	show("default limit: dup2(0, 1024)", sys2(SYS_dup2, 0, 1024));
	show("default limit: dup3(0, 4096, 0)", sys3(SYS_dup3, 0, 4096, 0));
	show("default limit: fcntl(0, F_DUPFD, 1024)", sys3(SYS_fcntl, 0, F_DUPFD, 1024));
	show("default limit: fcntl(0, F_DUPFD, 1023) (1023 in use)", sys3(SYS_fcntl, 0, F_DUPFD, 1023));
	show("close(1023)", sys1(SYS_close, 1023));

	show("setrlimit NOFILE nr_open / nr_open", set_nofile(NR_OPEN, NR_OPEN));
	show("dup2(0, 4096)", sys2(SYS_dup2, 0, 4096));
	show("dup2(0, 70000)", sys2(SYS_dup2, 0, 70000));
	show("dup3(0, 70001, O_CLOEXEC)", sys3(SYS_dup3, 0, 70001, O_CLOEXEC));
	show("dup2(0, 1048575)", sys2(SYS_dup2, 0, NR_OPEN - 1));
	show("dup2(0, 1048576)", sys2(SYS_dup2, 0, NR_OPEN));
	show("dup2(0, 0x7fffffff)", sys2(SYS_dup2, 0, 0x7fffffff));
	show("dup2(0, -1)", sys2(SYS_dup2, 0, -1));
	show("dup2(12345, 1048576) (bad oldfd)", sys2(SYS_dup2, 12345, NR_OPEN));
	show("dup2(12345, 500000) (bad oldfd)", sys2(SYS_dup2, 12345, 500000));
	show("fcntl(0, F_DUPFD, 1048576)", sys3(SYS_fcntl, 0, F_DUPFD, NR_OPEN));
	show("fcntl(0, F_DUPFD, 1048575) (in use: none free)", sys3(SYS_fcntl, 0, F_DUPFD, NR_OPEN - 1));
	show("fcntl(0, F_DUPFD, -1)", sys3(SYS_fcntl, 0, F_DUPFD, -1));
	show("fcntl(0, F_DUPFD_CLOEXEC, 600000)", sys3(SYS_fcntl, 0, F_DUPFD_CLOEXEC, 600000));
	show("fcntl(600000, F_GETFD)", sys2(SYS_fcntl, 600000, F_GETFD));
	show("fcntl(70001, F_GETFD)", sys2(SYS_fcntl, 70001, F_GETFD));
	show("close(600000)", sys1(SYS_close, 600000));
	show("close(600000) again", sys1(SYS_close, 600000));
	show("fcntl(600001, F_GETFD) (never opened)", sys2(SYS_fcntl, 600001, F_GETFD));

	int st = child_status(child_high_fds);
	printf("child status: %d\n", st);
	show("parent: fcntl(1048575, F_GETFD) (the child closed its own copy)",
	     sys2(SYS_fcntl, NR_OPEN - 1, F_GETFD));

	/* Many descriptors past 4096: all below the limit, the last one EMFILE. */
	show("setrlimit NOFILE 6000 / nr_open", set_nofile(6000, NR_OPEN));
	long n = 0, r, last = 0;
	while ((r = sys1(SYS_dup, 1)) >= 0) {
		n++;
		last = r;
	}
	show("dup until it fails", r);
	printf("descriptors made: %ld, the last one %ld\n", n, last);
	show("close(5000)", sys1(SYS_close, 5000));
	show("dup(1) (the lowest free)", sys1(SYS_dup, 1));
	show("open(/proc/self/maps) (none free)", sys3(SYS_open, (long)"/proc/self/maps", O_RDONLY, 0));
	for (long fd = 3; fd < 6000; fd++)
		sys1(SYS_close, fd);
	show("open(/proc/self/maps) after closing them", sys3(SYS_open, (long)"/proc/self/maps", O_RDONLY, 0));

	/* A limit lowered under an open descriptor: it stays, but dup2 onto it is EBADF. */
	show("setrlimit NOFILE 1024 / 4096", set_nofile(1024, 4096));
	show("fcntl(70000, F_GETFD) above the limit", sys2(SYS_fcntl, 70000, F_GETFD));
	show("dup(70000)", sys1(SYS_dup, 70000));
	show("dup2(0, 70000)", sys2(SYS_dup2, 0, 70000));
	show("dup2(70000, 70000)", sys2(SYS_dup2, 70000, 70000));
	show("close(70000)", sys1(SYS_close, 70000));
	show("close(1048575)", sys1(SYS_close, NR_OPEN - 1));
	show("setrlimit NOFILE 1024 / nr_open + 1", set_nofile(1024, NR_OPEN + 1));
	return 0;
}
