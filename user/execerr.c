/* execerr: issue 15, item 7 (execve): execve's errors in Linux 6.1's order, its argument limits,
 * execveat, and what a failed execve leaves behind ("nothing is lost").
 *
 * - permissions (the program runs as root): a regular file runs when at least one x bit is
 *   set; no x bit, a directory or a device is EACCES; the path errors (ENOENT, ENOTDIR, ELOOP,
 *   ENAMETOOLONG, EFAULT);
 * - the order of do_execveat_common: the filename, then argv and envp are counted, the stack
 *   limit checked, the strings copied (envp before argv, each from its last string), and only
 *   then is the file opened: a missing file with a bad argv is EFAULT, not ENOENT;
 * - limits: a string of MAX_ARG_STRLEN (32 pages, NUL included) is E2BIG, one byte less runs;
 *   all strings and pointers together may use a quarter of RLIMIT_STACK (at least 32 pages, at
 *   most 6 MiB); an empty argv runs with argv {""};
 * - execveat: fd-relative paths (AT_EXECFN "/dev/fd/N/path"), AT_EMPTY_PATH ("/dev/fd/N"),
 *   AT_SYMLINK_NOFOLLOW (ELOOP on a symlink), bad flags (EINVAL), bad fds;
 * - a failed execve keeps the caller's handlers, pending signals, descriptors and memory, and
 *   gives back the file's write access (a later open for writing works).
 * The program re-executes a copy of itself, /tmp/execerr.prog, which prints what it was given
 * when EXECERR=report is in its environment or its argv[1] is "report".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "common.h"

#ifndef SYS_execveat
#define SYS_execveat 322
#endif
#define PROG "/tmp/execerr.prog"
#define MAX_ARG_STRLEN (32 * 4096)

/* The re-executed program: its argc, argv (long ones by length), envc and AT_EXECFN. */
static int report(int argc, char **argv, char **envp)
{
	long total = 0;
	int envc = 0;
	printf("    ran: argc %d:", argc);
	for (int i = 0; i < argc; i++) {
		long n = (long)strlen(argv[i]);
		total += n + 1;
		if (i < 4 && n <= 40)
			printf(" \"%s\"", argv[i]);
		else if (i < 4)
			printf(" (%ld bytes)", n);
	}
	while (envp[envc])
		total += (long)strlen(envp[envc++]) + 1;
	const char *fn = (const char *)getauxval(AT_EXECFN);
	printf(", envc %d, %ld bytes of strings, AT_EXECFN ", envc, total);
	if (strlen(fn) <= 60)
		printf("\"%s\"\n", fn);
	else
		printf("(%zu bytes, ending \"%s\")\n", strlen(fn), fn + strlen(fn) - 20);
	return 0;
}

static char *report_env[] = { "EXECERR=report", NULL };

/* Forks a child that runs execveat (or execve for AT_FDCWD and flags 0); prints the result. */
static void run_at(const char *what, int dfd, const char *path, char **argv, char **envp,
		   int flags)
{
	printf("item 7 execve: %s\n", what);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		long r;
		if (dfd == AT_FDCWD && !flags)
			r = sys3(SYS_execve, (long)path, (long)argv, (long)envp);
		else
			r = sys6(SYS_execveat, dfd, (long)path, (long)argv, (long)envp, flags, 0);
		printf("    execve returned %s\n", is_err(r) ? errname((int)-r) : "0");
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("    status 0x%x\n", st);
}

static void run(const char *what, const char *path, char **argv, char **envp)
{
	run_at(what, AT_FDCWD, path, argv, envp, 0);
}

/* Copies /proc/self/exe to a new file at path with mode (the umask is 0). */
static void copy_self(const char *path, int mode)
{
	static char buf[65536];
	long in = sys2(SYS_open, (long)"/proc/self/exe", O_RDONLY);
	sys1(SYS_unlink, (long)path);
	long out = sys3(SYS_open, (long)path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	long n;
	while ((n = sys3(SYS_read, in, (long)buf, sizeof(buf))) > 0)
		if (sys3(SYS_write, out, (long)buf, n) != n)
			printf("copy failed\n");
	sys1(SYS_close, in);
	sys1(SYS_close, out);
}

static void permissions(void)
{
	static const int modes[] = { 0755, 0100, 0010, 0001, 0644, 0600, 0, 04644, 02666, 07666 };
	char what[64];
	char *argv[] = { PROG, NULL };
	for (unsigned i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		copy_self(PROG, modes[i]);
		snprintf(what, sizeof(what), "a copy of the program, mode 0%o", modes[i]);
		run(what, PROG, argv, report_env);
	}
	copy_self(PROG, 0755);
	run("/tmp (a directory)", "/tmp", argv, report_env);
	run("/tmp/ (a directory)", "/tmp/", argv, report_env);
	run("/dev/null (a character device)", "/dev/null", argv, report_env);
	run("/proc/self/exe (a symlink to the program)", "/proc/self/exe", argv, report_env);
	sys1(SYS_unlink, (long)"/tmp/execerr.link");
	sys2(SYS_symlink, (long)PROG, (long)"/tmp/execerr.link");
	run("/tmp/execerr.link (a symlink to the copy)", "/tmp/execerr.link", argv, report_env);
	sys1(SYS_unlink, (long)"/tmp/execerr.loop");
	sys2(SYS_symlink, (long)"/tmp/execerr.loop", (long)"/tmp/execerr.loop");
	run("a symlink to itself", "/tmp/execerr.loop", argv, report_env);
	sys1(SYS_unlink, (long)"/tmp/execerr.dangling");
	sys2(SYS_symlink, (long)"/nonexistent", (long)"/tmp/execerr.dangling");
	run("a dangling symlink", "/tmp/execerr.dangling", argv, report_env);
	run(PROG "/ (a trailing slash)", PROG "/", argv, report_env);
	run(PROG "/x (through a regular file)", PROG "/x", argv, report_env);
	run("/nonexistent/x", "/nonexistent/x", argv, report_env);
	run("\"\"", "", argv, report_env);
	run("NULL", NULL, argv, report_env);
	run("0xffff800000000000", (char *)0xffff800000000000UL, argv, report_env);
	static char name[5000];
	memset(name, 0, sizeof(name));
	strcpy(name, "/tmp/");
	memset(name + 5, 'n', 256);
	run("a component of 256 bytes", name, argv, report_env);
	name[5 + 255] = 0;
	run("a component of 255 bytes (missing)", name, argv, report_env);
	memset(name, '/', 4095);
	strcpy(name + 4095 - strlen(PROG), PROG);
	run("a path of 4095 bytes (the copy)", name, argv, report_env);
	memset(name, '/', 4096);
	strcpy(name + 4096 - strlen(PROG), PROG);
	run("a path of 4096 bytes", name, argv, report_env);
}

static void order(void)
{
	static char big[MAX_ARG_STRLEN + 1];
	char *bad_array = (char *)0xffff800000000000UL;
	char *bad_str[] = { PROG, (char *)0xffff800000000000UL, NULL };
	char *long_str[] = { PROG, big, NULL };
	char *good[] = { PROG, NULL };
	memset(big, 'x', MAX_ARG_STRLEN);
	run("a missing file, argv a bad pointer", "/nonexistent", (char **)bad_array, report_env);
	run("a missing file, argv[1] a bad pointer", "/nonexistent", bad_str, report_env);
	run("a missing file, envp a bad pointer", "/nonexistent", good, (char **)bad_array);
	run("a missing file, envp[1] a bad pointer", "/nonexistent", good, bad_str);
	run("a missing file, argv[1] too long", "/nonexistent", long_str, report_env);
	run("a directory, argv[1] a bad pointer", "/tmp", bad_str, report_env);
	copy_self(PROG, 0644);
	run("mode 0644, argv a bad pointer", PROG, (char **)bad_array, report_env);
	copy_self(PROG, 0755);
	run("argv[1] too long, envp[1] a bad pointer (envp is copied first)", PROG, long_str,
	    bad_str);
	run("argv[1] a bad pointer, envp[1] too long", PROG, bad_str, long_str);
	char *bad_then_long[] = { PROG, (char *)0xffff800000000000UL, big, NULL };
	run("argv {prog, bad, too long} (the last string is copied first)", PROG, bad_then_long,
	    report_env);
	char *long_then_bad[] = { PROG, big, (char *)0xffff800000000000UL, NULL };
	run("argv {prog, too long, bad}", PROG, long_then_bad, report_env);
	run_at("execveat(AT_FDCWD, missing, flags 0x2), argv[1] bad", AT_FDCWD, "/nonexistent",
	       bad_str, report_env, 2);
	run_at("execveat(AT_FDCWD, missing, flags 0x2)", AT_FDCWD, "/nonexistent", good,
	       report_env, 2);
	run("a NULL path, argv a bad pointer", NULL, (char **)bad_array, report_env);
	static char name[5000];
	memset(name, 'n', 4200);
	run("a 4200-byte path, argv a bad pointer", name, (char **)bad_array, report_env);
}

/* Runs PROG with argv {PROG, "report", fillers...} whose strings and pointers total bytes. */
static void run_total(const char *what, long bytes)
{
	static char *argv[4096];
	static char fill[MAX_ARG_STRLEN];
	/* filename + argv[0] + "report" + 3 pointers (argv[0], argv[1], no envp) */
	long used = (long)sizeof(PROG) * 2 + 7 + 2 * 8;
	int argc = 2;
	argv[0] = PROG;
	argv[1] = "report";
	memset(fill, 'f', sizeof(fill) - 1);
	while (used < bytes) {
		long room = bytes - used - 8; /* string bytes this pointer leaves */
		long len = room > MAX_ARG_STRLEN ? MAX_ARG_STRLEN : room;
		if (len < 1)
			len = 1;
		argv[argc++] = fill + sizeof(fill) - len; /* len bytes with the NUL */
		used += 8 + len;
	}
	argv[argc] = NULL;
	char *envp[] = { NULL };
	run(what, PROG, argv, envp);
}

static void limits(void)
{
	static char s[MAX_ARG_STRLEN + 1];
	memset(s, 'x', MAX_ARG_STRLEN);
	char *argv[] = { PROG, "report", s + 1, NULL };
	run("argv[2] of MAX_ARG_STRLEN - 1 bytes", PROG, argv, report_env);
	argv[2] = s;
	run("argv[2] of MAX_ARG_STRLEN bytes", PROG, argv, report_env);
	char *envp[] = { "EXECERR=report", s + 1, NULL };
	char *one[] = { PROG, NULL };
	run("envp[1] of MAX_ARG_STRLEN - 1 bytes", PROG, one, envp);
	envp[1] = s;
	run("envp[1] of MAX_ARG_STRLEN bytes", PROG, one, envp);
	/* The strings of the last page mapped: MAX_ARG_STRLEN with its end unmapped */
	char *page = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	munmap(page + 4096, 4096);
	memset(page, 'p', 4096);
	argv[2] = page;
	run("argv[2] runs into unmapped memory", PROG, argv, report_env);

	run_total("2 MiB of strings and pointers (RLIMIT_STACK 8 MiB)", 2L << 20);
	run_total("2 MiB + 1", (2L << 20) + 1);
	struct rlimit old, rl;
	getrlimit(RLIMIT_STACK, &old);
	rl = old;
	rl.rlim_cur = 1 << 20;
	setrlimit(RLIMIT_STACK, &rl);
	run_total("256 KiB (RLIMIT_STACK 1 MiB)", 256L << 10);
	run_total("256 KiB + 1 (RLIMIT_STACK 1 MiB)", (256L << 10) + 1);
	rl.rlim_cur = 256 << 10;
	setrlimit(RLIMIT_STACK, &rl);
	run_total("100 KiB (RLIMIT_STACK 256 KiB: at least 32 pages)", 100L << 10);
	run_total("128 KiB + 1 (RLIMIT_STACK 256 KiB)", (128L << 10) + 1);
	rl.rlim_cur = RLIM_INFINITY;
	setrlimit(RLIMIT_STACK, &rl);
	run_total("6 MiB (RLIMIT_STACK unlimited: at most 6 MiB)", 6L << 20);
	run_total("6 MiB + 1 (RLIMIT_STACK unlimited)", (6L << 20) + 1);
	setrlimit(RLIMIT_STACK, &old);

	/* Only pointers: (argc + envc) * 8 reaches the limit before any string is copied */
	long n = (2L << 20) / 8;
	char **many = malloc((size_t)(n + 1) * sizeof(char *));
	for (long i = 0; i < n; i++)
		many[i] = "";
	many[n] = NULL;
	run("262144 empty arguments (2 MiB of pointers)", "/nonexistent", many, report_env);
	many[n - 1] = NULL;
	run("262143 empty arguments, a missing file", "/nonexistent", many, report_env);
	free(many);

	run("argv NULL", PROG, NULL, report_env);
	char *empty[] = { NULL };
	run("argv {}", PROG, empty, report_env);
	char *rep[] = { PROG, "report", NULL };
	run("envp NULL", PROG, rep, NULL);
}

static void execveat_cases(void)
{
	char *argv[] = { PROG, "report", NULL };
	long dfd = sys2(SYS_open, (long)"/tmp", O_RDONLY | O_DIRECTORY);
	show("open(/tmp)", dfd);
	run_at("execveat(/tmp, \"execerr.prog\")", (int)dfd, "execerr.prog", argv, report_env, 0);
	run_at("execveat(/tmp, \"execerr.link\", AT_SYMLINK_NOFOLLOW)", (int)dfd, "execerr.link",
	       argv, report_env, AT_SYMLINK_NOFOLLOW);
	run_at("execveat(/tmp, \"execerr.prog\", AT_SYMLINK_NOFOLLOW)", (int)dfd, "execerr.prog",
	       argv, report_env, AT_SYMLINK_NOFOLLOW);
	run_at("execveat(/tmp, \"\", 0)", (int)dfd, "", argv, report_env, 0);
	run_at("execveat(/tmp, \"\", AT_EMPTY_PATH) (a directory)", (int)dfd, "", argv,
	       report_env, AT_EMPTY_PATH);
	run_at("execveat(/tmp, \"execerr.prog\", 0x1)", (int)dfd, "execerr.prog", argv, report_env,
	       1);
	run_at("execveat(/tmp, \"execerr.prog\", AT_SYMLINK_FOLLOW)", (int)dfd, "execerr.prog",
	       argv, report_env, 0x400);
	long fd = sys2(SYS_open, (long)PROG, O_RDONLY);
	show("open(" PROG ")", fd);
	run_at("execveat(the file, \"\", AT_EMPTY_PATH)", (int)fd, "", argv, report_env,
	       AT_EMPTY_PATH);
	run_at("execveat(the file, \"x\")", (int)fd, "x", argv, report_env, 0);
	run_at("execveat(the file, \"" PROG "\") (absolute)", (int)fd, PROG, argv, report_env, 0);
	sys1(SYS_close, fd);
	fd = sys2(SYS_open, (long)PROG, O_RDONLY | O_CLOEXEC);
	show("open(" PROG ", O_CLOEXEC)", fd);
	run_at("execveat(the O_CLOEXEC file, \"\", AT_EMPTY_PATH)", (int)fd, "", argv, report_env,
	       AT_EMPTY_PATH);
	sys1(SYS_close, fd);
	fd = sys2(SYS_open, (long)PROG, O_RDWR);
	run_at("execveat(the file open O_RDWR, \"\", AT_EMPTY_PATH)", (int)fd, "", argv,
	       report_env, AT_EMPTY_PATH);
	sys1(SYS_close, fd);
	run_at("execveat(99, \"execerr.prog\")", 99, "execerr.prog", argv, report_env, 0);
	run_at("execveat(99, \"" PROG "\")", 99, PROG, argv, report_env, 0);
	run_at("execveat(99, \"\", AT_EMPTY_PATH)", 99, "", argv, report_env, AT_EMPTY_PATH);
	sys1(SYS_close, dfd);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* In a child: failed execve calls of every kind, then what they must have left intact. */
static void failed_exec_state(void)
{
	char *argv[] = { PROG, "report", NULL };
	char *bad[] = { PROG, (char *)0xffff800000000000UL, NULL };
	static char big[MAX_ARG_STRLEN + 1];
	memset(big, 'x', MAX_ARG_STRLEN);
	char *toolong[] = { PROG, big, NULL };
	signal(SIGUSR1, on_usr1);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);
	long fd = sys3(SYS_open, (long)"/tmp/execerr.data", O_CREAT | O_RDWR | O_TRUNC, 0644);
	sys3(SYS_write, fd, (long)"12345", 5);
	char *mem = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			 0);
	memset(mem, 0x5a, 3 * 4096);
	long fd2 = sys3(SYS_open, (long)"/tmp/execerr.garbage", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	sys3(SYS_write, fd2, (long)"\177ELF\2\1\1", 7);
	sys1(SYS_close, fd2);
	long fd3 = sys3(SYS_open, (long)"/tmp/execerr.script", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	sys3(SYS_write, fd3, (long)"#!/tmp/execerr.garbage\n", 23);
	sys1(SYS_close, fd3);

	show("    execve(a short ELF file)",
	     sys3(SYS_execve, (long)"/tmp/execerr.garbage", (long)argv, (long)report_env));
	show("    execve(a script of it)",
	     sys3(SYS_execve, (long)"/tmp/execerr.script", (long)argv, (long)report_env));
	show("    execve(argv[1] bad)",
	     sys3(SYS_execve, (long)PROG, (long)bad, (long)report_env));
	show("    execve(argv[1] too long)",
	     sys3(SYS_execve, (long)PROG, (long)toolong, (long)report_env));
	show("    execve(/tmp)", sys3(SYS_execve, (long)"/tmp", (long)argv, (long)report_env));
	show("    open(the short ELF file, O_WRONLY) afterwards",
	     sys2(SYS_open, (long)"/tmp/execerr.garbage", O_WRONLY));
	show("    open(the script, O_WRONLY) afterwards",
	     sys2(SYS_open, (long)"/tmp/execerr.script", O_WRONLY));
	show("    lseek(the data file, 0, SEEK_CUR)", sys3(SYS_lseek, fd, 0, SEEK_CUR));
	int same = 1;
	for (int i = 0; i < 3 * 4096; i++)
		same &= mem[i] == 0x5a;
	printf("    memory intact: %s\n", same ? "yes" : "no");
	sigset_t pending;
	sigpending(&pending);
	printf("    SIGUSR2 still pending: %s\n", sigismember(&pending, SIGUSR2) ? "yes" : "no");
	/* (asked, not delivered: a handler's return is issue 15 item 3's business) */
	struct sigaction sa;
	sigaction(SIGUSR1, NULL, &sa);
	printf("    SIGUSR1 handler still installed: %s\n",
	       sa.sa_handler == on_usr1 ? "yes" : "no");
	sys1(SYS_unlink, (long)"/tmp/execerr.data");
	sys1(SYS_unlink, (long)"/tmp/execerr.garbage");
	sys1(SYS_unlink, (long)"/tmp/execerr.script");
}

int main(int argc, char **argv, char **envp)
{
	const char *e = getenv("EXECERR");
	if ((e && !strcmp(e, "report")) || (argc > 1 && !strcmp(argv[1], "report")) ||
	    (argc == 1 && !argv[0][0]))
		return report(argc, argv, envp);
	ensure_tmp();
	sys1(SYS_umask, 0);
	copy_self(PROG, 0755);
	permissions();
	order();
	limits();
	execveat_cases();
	printf("item 7 execve: a failed execve loses nothing\n");
	printf("    the child's wait status: 0x%x\n", child_status(failed_exec_state));
	sys1(SYS_unlink, (long)PROG);
	sys1(SYS_unlink, (long)"/tmp/execerr.link");
	sys1(SYS_unlink, (long)"/tmp/execerr.loop");
	sys1(SYS_unlink, (long)"/tmp/execerr.dangling");
	return 0;
}
