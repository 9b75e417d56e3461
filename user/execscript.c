/* execscript: issue 15, item 7 (execve): `#!` scripts as Linux 6.1's binfmt_script runs them.
 *
 * Each case writes a script into /tmp whose interpreter is this program (/prog), execs it in a
 * forked child with the arguments "a1" "a2" and the environment EXECSCRIPT=report, and the
 * re-executed /prog prints what it was given: argv (the interpreter's name, the optional
 * argument, the script's path, then the original argv[1..]), AT_EXECFN, /proc/self/exe and its
 * comm. Covered: the first line's parsing (spaces, tabs, CR, NUL, no newline, the 256-byte
 * buffer: a truncated argument is fine, a truncated interpreter name is ENOEXEC), an empty
 * interpreter (ENOEXEC), a missing or non-executable one (ENOENT, EACCES), nesting (at most 5
 * levels of interpreters: ELOOP), a script run with an empty argv, a relative interpreter path,
 * and scripts run through execveat (a /dev/fd/N path; ENOENT for an O_CLOEXEC descriptor).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/prctl.h>

#include "common.h"

#ifndef SYS_execveat
#define SYS_execveat 322
#endif

/* Prints a string, or its length and ends when it is long. */
static void print_arg(const char *s)
{
	long n = (long)strlen(s);
	if (n <= 40) {
		putchar('"');
		print_escaped(s, n);
		putchar('"');
	} else {
		printf("%ld bytes \"", n);
		print_escaped(s, 8);
		printf("...");
		print_escaped(s + n - 8, 8);
		putchar('"');
	}
}

/* The re-executed program: what execve gave it. */
static int report(int argc, char **argv)
{
	char exe[256] = "";
	char comm[17] = "";
	printf("    ran: argc %d:", argc);
	for (int i = 0; i < argc; i++) {
		putchar(' ');
		print_arg(argv[i]);
	}
	long n = sys3(SYS_readlink, (long)"/proc/self/exe", (long)exe, sizeof(exe) - 1);
	if (n >= 0)
		exe[n] = 0;
	prctl(PR_GET_NAME, comm);
	printf("\n    AT_EXECFN \"%s\", /proc/self/exe \"%s\", comm \"%s\"\n",
	       (const char *)getauxval(AT_EXECFN), exe, comm);
	return 0;
}

static void write_file(const char *path, int mode, const char *data, long len)
{
	sys1(SYS_unlink, (long)path);
	long fd = sys3(SYS_open, (long)path, O_CREAT | O_WRONLY | O_TRUNC, mode);
	if (sys3(SYS_write, fd, (long)data, len) != len)
		printf("write %s failed\n", path);
	sys1(SYS_close, fd);
}

static void script(const char *path, const char *text)
{
	write_file(path, 0755, text, (long)strlen(text));
}

static char *args[] = { "argv0", "a1", "a2", NULL };
static char *env[] = { "EXECSCRIPT=report", NULL };

/* Forks a child that runs execveat(dfd, path, args, env, flags) (execve for AT_FDCWD, 0). */
static void run_at(const char *what, int dfd, const char *path, char **argv, int flags)
{
	printf("item 7 execve: %s\n", what);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		long r;
		if (dfd == AT_FDCWD && !flags)
			r = sys3(SYS_execve, (long)path, (long)argv, (long)env);
		else
			r = sys6(SYS_execveat, dfd, (long)path, (long)argv, (long)env, flags, 0);
		printf("    execve returned %s\n", is_err(r) ? errname((int)-r) : "0");
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("    status 0x%x\n", st);
}

static void run(const char *what, const char *text)
{
	script("/tmp/s", text);
	run_at(what, AT_FDCWD, "/tmp/s", args, 0);
}

int main(int argc, char **argv)
{
	char buf[512];
	const char *e = getenv("EXECSCRIPT");
	if (e && !strcmp(e, "report"))
		return report(argc, argv);
	ensure_tmp();
	sys1(SYS_umask, 0);

	run("\"#!/prog -x\"", "#!/prog -x\necho hello\n");
	run("\"#!/prog\" (no argument)", "#!/prog\n");
	run("\"#!  /prog   -x  y  \" (spaces)", "#!  /prog   -x  y  \n");
	run("\"#!\\t/prog\\t-x\\ty\\t\" (tabs)", "#!\t/prog\t-x\ty\t\n");
	run("\"#!/prog -x\\r\" (CR kept)", "#!/prog -x\r\n");
	run("\"#!/prog -x\" without a newline", "#!/prog -x");
	write_file("/tmp/s", 0755, "#!/prog\0 -x\n", 12);
	run_at("\"#!/prog\\0 -x\" (a NUL ends the name)", AT_FDCWD, "/tmp/s", args, 0);
	run("\"#!prog -x\" (relative to the working directory /)", "#!prog -x\n");
	run("\"#!\" (no interpreter)", "#!\n");
	run("\"#!   \" (only spaces)", "#!   \n");
	run("\"# !/prog\"", "# !/prog\n");
	run("\"#!/nonexistent\"", "#!/nonexistent -x\n");
	run("\"#!/tmp\" (a directory)", "#!/tmp\n");
	write_file("/tmp/noexec", 0644, "#!/prog\n", 8);
	run("\"#!/tmp/noexec\" (mode 0644)", "#!/tmp/noexec\n");
	write_file("/tmp/s", 0644, "#!/prog -x\n", 11);
	run_at("the script has mode 0644", AT_FDCWD, "/tmp/s", args, 0);
	write_file("/tmp/s", 0100, "#!/prog -x\n", 11);
	run_at("the script has mode 0100 (root: one x bit is enough)", AT_FDCWD, "/tmp/s", args,
	       0);

	/* The 256-byte buffer (BINPRM_BUF_SIZE) */
	memset(buf, 0, sizeof(buf));
	strcpy(buf, "#!/prog ");
	memset(buf + 8, 'a', 300);
	run("\"#!/prog aaa...\" (308 bytes, no newline in the first 256)", buf);
	memset(buf, 0, sizeof(buf));
	strcpy(buf, "#!/prog");
	memset(buf + 7, ' ', 300);
	run("\"#!/prog\" and 300 spaces", buf);
	memset(buf, 0, sizeof(buf));
	strcpy(buf, "#!");
	memset(buf + 2, ' ', 300);
	run("\"#!\" and 300 spaces", buf);
	memset(buf, 0, sizeof(buf));
	strcpy(buf, "#!/");
	memset(buf + 3, 'p', 300);
	run("\"#!/ppp...\" (the name does not fit in 256 bytes)", buf);
	memset(buf, 0, sizeof(buf));
	strcpy(buf, "#!/prog ");
	memset(buf + 8, 'b', 247);
	buf[255] = '\n';
	run("\"#!/prog bbb...\\n\" (the newline is byte 255)", buf);
	memset(buf, 0, sizeof(buf));
	strcpy(buf, "#!");
	memset(buf + 2, '/', 253);
	strcpy(buf + 255, "prog -x\n");
	run("\"#!///...prog\" (the name crosses byte 256)", buf);
	memset(buf, 0, sizeof(buf));
	strcpy(buf, "#!");
	memset(buf + 2, '/', 249);
	strcpy(buf + 251, "prog -x\n");
	run("\"#!///...prog\" (the name ends at byte 255)", buf);

	/* Nesting: each level is one more binfmt rewrite; Linux allows 5 */
	for (int depth = 1; depth <= 7; depth++) {
		char path[32], text[64], what[64];
		for (int i = 1; i <= depth; i++) {
			snprintf(path, sizeof(path), "/tmp/n%d", i);
			if (i < depth)
				snprintf(text, sizeof(text), "#!/tmp/n%d l%d\n", i + 1, i);
			else
				snprintf(text, sizeof(text), "#!/prog -x\n");
			script(path, text);
		}
		snprintf(what, sizeof(what), "%d nested scripts", depth);
		run_at(what, AT_FDCWD, "/tmp/n1", args, 0);
	}
	script("/tmp/s", "#!/tmp/s\n");
	run_at("a script that names itself", AT_FDCWD, "/tmp/s", args, 0);

	/* argv */
	script("/tmp/s", "#!/prog -x\n");
	run_at("the script with argv NULL", AT_FDCWD, "/tmp/s", NULL, 0);
	char *one[] = { "only", NULL };
	run_at("the script with argv {\"only\"}", AT_FDCWD, "/tmp/s", one, 0);

	/* execveat: the script's name is /dev/fd/N[/path] */
	long dfd = sys2(SYS_open, (long)"/tmp", O_RDONLY | O_DIRECTORY);
	show("open(/tmp)", dfd);
	run_at("execveat(/tmp's fd, \"s\")", (int)dfd, "s", args, 0);
	run_at("execveat(/tmp's fd, \"/tmp/s\")", (int)dfd, "/tmp/s", args, 0);
	long fd = sys2(SYS_open, (long)"/tmp/s", O_RDONLY);
	show("open(/tmp/s)", fd);
	run_at("execveat(the script's fd, \"\", AT_EMPTY_PATH)", (int)fd, "", args, 0x1000);
	sys1(SYS_close, fd);
	fd = sys2(SYS_open, (long)"/tmp/s", O_RDONLY | O_CLOEXEC);
	show("open(/tmp/s, O_CLOEXEC)", fd);
	run_at("execveat(the script's O_CLOEXEC fd, \"\", AT_EMPTY_PATH)", (int)fd, "", args,
	       0x1000);
	sys1(SYS_close, fd);
	sys1(SYS_close, dfd);

	sys1(SYS_unlink, (long)"/tmp/s");
	sys1(SYS_unlink, (long)"/tmp/noexec");
	for (int i = 1; i <= 7; i++) {
		char path[32];
		snprintf(path, sizeof(path), "/tmp/n%d", i);
		sys1(SYS_unlink, (long)path);
	}
	return 0;
}
