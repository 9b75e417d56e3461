/* exec: execve(2) failures and what survives a successful execve.
 *
 * First image (run with no arguments):
 * - execve errors: a nonexistent path (ENOENT), an empty path (ENOENT), a
 *   directory (EACCES), a path through a regular file (ENOTDIR), a file
 *   without execute permission (EACCES), an executable file that is not an
 *   ELF image (ENOEXEC), bad pointers for the path, argv and envp (EFAULT);
 *   a failed execve returns and the program goes on;
 * - then it sets up state and execs itself (argv[0]) with the arguments
 *   "second", two fd numbers and its pid: an fd without and one with
 *   FD_CLOEXEC (after 4 bytes written), a handled SIGUSR1, an ignored
 *   SIGUSR2, a blocked SIGHUP; and an environment of its own.
 * Second image ("second ..."):
 * - argc/argv and the environment are the ones execve was given; the pid is
 *   unchanged; the plain fd is still open with its offset (4), the
 *   FD_CLOEXEC one is closed (EBADF); SIGUSR1's handler is reset to SIG_DFL,
 *   SIGUSR2 stays ignored, SIGHUP stays blocked; AT_EXECFN is the path
 *   execve was given; then it exits with status 5.
 * stdout is flushed before execve: what is still buffered is lost with the
 * old image.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "common.h"

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void make_file(const char *path, int mode, const char *content)
{
	sys1(SYS_unlink, (long)path);
	long fd = sys3(SYS_open, (long)path, O_CREAT | O_WRONLY | O_TRUNC, mode);
	sys3(SYS_write, fd, (long)content, (long)strlen(content));
	sys1(SYS_close, fd);
}

static long sys_execve(const char *path, char *const argv[], char *const envp[])
{
	return sys3(SYS_execve, (long)path, (long)argv, (long)envp);
}

static int first(char *argv0)
{
	char *args[] = { argv0, NULL };
	char *env[] = { "A=1", NULL };
	char path[512];
	printf("first image: argc 1\n");

	sys1(SYS_umask, 022);
	ensure_tmp();
	make_file("/tmp/exec-noexec", 0644,
		  "\x7f"
		  "ELF not really\n");
	make_file("/tmp/exec-garbage", 0755, "this is not an executable\n");

	show("execve(/nonexistent/prog)", sys_execve("/nonexistent/prog", args, env));
	show("execve(\"\")", sys_execve("", args, env));
	show("execve(/) (a directory)", sys_execve("/", args, env));
	show("execve(/tmp/) (a directory)", sys_execve("/tmp/", args, env));
	snprintf(path, sizeof path, "%s/x", argv0);
	show("execve(argv[0]/x) (through a regular file)", sys_execve(path, args, env));
	show("execve(/tmp/exec-noexec) (mode 0644)", sys_execve("/tmp/exec-noexec", args, env));
	show("execve(/tmp/exec-garbage) (mode 0755, not ELF)",
	     sys_execve("/tmp/exec-garbage", args, env));
	show("execve(NULL)", sys_execve(NULL, args, env));
	show("execve(0xffff800000000000)", sys_execve((char *)0xffff800000000000UL, args, env));
	show("execve(argv[0], argv = 0xffff800000000000)",
	     sys_execve(argv0, (char **)0xffff800000000000UL, env));
	char *bad_args[] = { argv0, (char *)0xffffffff80000000UL, NULL };
	show("execve(argv[0], argv[1] = 0xffffffff80000000)", sys_execve(argv0, bad_args, env));
	show("execve(argv[0], envp = 0x8000000000000000)",
	     sys_execve(argv0, args, (char **)0x8000000000000000UL));
	sys1(SYS_unlink, (long)"/tmp/exec-noexec");
	sys1(SYS_unlink, (long)"/tmp/exec-garbage");
	printf("first image: still running after the failed execve calls\n");

	/* State that execve keeps or resets. */
	sys1(SYS_unlink, (long)"/tmp/exec-keep");
	long keep = sys3(SYS_open, (long)"/tmp/exec-keep", O_CREAT | O_RDWR, 0644);
	long cloexec = sys3(SYS_open, (long)"/tmp/exec-keep", O_RDWR | O_CLOEXEC, 0);
	show("open(/tmp/exec-keep)", keep);
	show("open(/tmp/exec-keep, O_CLOEXEC)", cloexec);
	show("write(keep, \"kept\")", sys3(SYS_write, keep, (long)"kept", 4));
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	show("sigprocmask(SIG_BLOCK, {SIGHUP})", sigprocmask(SIG_BLOCK, &set, NULL));

	char fd1[16], fd2[16], pid[16];
	snprintf(fd1, sizeof fd1, "%ld", keep);
	snprintf(fd2, sizeof fd2, "%ld", cloexec);
	snprintf(pid, sizeof pid, "%d", getpid());
	char *args2[] = { argv0, "second", fd1, fd2, pid, NULL };
	char *env2[] = { "HOME=/", "TERM=linux", "EXEC=second image", "EMPTY=", NULL };
	printf("first image: execve(argv[0], {argv[0], \"second\", \"%s\", \"%s\", pid}, "
	       "4 variables)\n",
	       fd1, fd2);
	fflush(stdout);
	/* Still in stdio's buffer at the execve: lost with the old image. */
	printf("first image: this line is lost\n");
	long r = sys_execve(argv0, args2, env2);
	show("first image: execve returned", r);
	return 1;
}

static int second(int argc, char **argv, char **envp)
{
	printf("second image: argc %d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("second image: argv[%d] %s\n", i, i == 4 ? "(the pid)" : argv[i]);
	int envc = 0;
	while (envp[envc])
		envc++;
	printf("second image: envc %d\n", envc);
	for (int i = 0; i < envc; i++)
		printf("second image: envp[%d] \"%s\"\n", i, envp[i]);
	if (argc < 5)
		return 1;
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	printf("second image: AT_EXECFN equals argv[0]: %s\n",
	       yes(execfn && strcmp(execfn, argv[0]) == 0));
	printf("second image: getpid() unchanged: %s\n", yes(getpid() == atoi(argv[4])));

	int keep = atoi(argv[2]), cloexec = atoi(argv[3]);
	show("second image: fcntl(keep, F_GETFD)", sys2(SYS_fcntl, keep, F_GETFD));
	show("second image: lseek(keep, 0, SEEK_CUR)", sys3(SYS_lseek, keep, 0, SEEK_CUR));
	show("second image: fcntl(cloexec fd, F_GETFD)", sys2(SYS_fcntl, cloexec, F_GETFD));
	show("second image: close(keep)", sys1(SYS_close, keep));
	sys1(SYS_unlink, (long)"/tmp/exec-keep");

	struct { /* the kernel's struct sigaction, not libc's */
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		unsigned long mask;
	} sa;
	static const struct {
		int sig;
		const char *name;
	} sigs[] = { { SIGUSR1, "SIGUSR1 (was handled)" }, { SIGUSR2, "SIGUSR2 (was ignored)" } };
	for (int i = 0; i < 2; i++) {
		long r = sys4(SYS_rt_sigaction, sigs[i].sig, 0, (long)&sa, 8);
		if (is_err(r))
			show("rt_sigaction", r);
		else
			printf("second image: %s disposition: %s\n", sigs[i].name,
			       sa.handler == SIG_DFL   ? "SIG_DFL"
			       : sa.handler == SIG_IGN ? "SIG_IGN"
						       : "a handler");
	}
	unsigned long mask = 0;
	show("second image: rt_sigprocmask(SIG_BLOCK, NULL, &old)",
	     sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&mask, 8));
	printf("second image: blocked signals: 0x%lx (SIGHUP is bit %d)\n", mask, SIGHUP - 1);
	return 5;
}

int main(int argc, char **argv, char **envp)
{
	if (argc == 0) {
		printf("exec: argc 0\n");
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "second") == 0)
		return second(argc, argv, envp);
	return first(argv[0]);
}
