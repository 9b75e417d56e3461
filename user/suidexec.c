/* suidexec: execve of set-user-ID and set-group-ID files (Linux 6.1's bprm_fill_uid,
 * cap_bprm_creds_from_file, begin_new_exec's dumpable and would_dump; docs/credentials.md).
 * Root copies this program (/prog) to files with set-id bits and owners, then children drop to
 * a user and run them with the argument "show", which prints the ids, AT_SECURE, the dumpable
 * flag and the capability sets the new program got: a set-user-ID-root file gives euid 0 and
 * every capability, not under no_new_privs, not when traced through PTRACE_TRACEME (the
 * tracee's own credentials count, without CAP_SYS_PTRACE) but when root attached to it;
 * set-group-ID needs group execute; an unreadable program is not dumpable; a
 * task whose effective uid differs from its real one runs in secure mode; a tmpfs mounted nosuid
 * ignores the set-user-ID bit. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define D "/tmp/suidexec"

/* What the new program got (the "show" mode). */
static int show_ids(void)
{
	unsigned r, e, s, gr, ge, gs;
	char buf[4096];
	sys3(SYS_getresuid, (long)&r, (long)&e, (long)&s);
	sys3(SYS_getresgid, (long)&gr, (long)&ge, (long)&gs);
	printf("    uid %u/%u/%u fsuid %ld gid %u/%u/%u fsgid %ld secure %lu dumpable %ld\n", r, e,
	       s, sys1(SYS_setfsuid, -1), gr, ge, gs, sys1(SYS_setfsgid, -1), getauxval(AT_SECURE),
	       sys2(SYS_prctl, PR_GET_DUMPABLE, 0));
	FILE *f = fopen("/proc/self/status", "r");
	printf("   ");
	while (f && fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\n")] = 0;
		if (!strncmp(buf, "CapPrm:", 7) || !strncmp(buf, "CapEff:", 7) ||
		    !strncmp(buf, "CapAmb:", 7) || !strncmp(buf, "NoNewPrivs:", 11)) {
			char *t = strchr(buf, '\t');
			*t = '=';
			printf(" %s", buf);
		}
	}
	printf("\n");
	fflush(stdout);
	return 0;
}

static void copy_prog(const char *to, int mode, int uid, int gid)
{
	static char buf[1 << 16];
	long in = sys3(SYS_open, (long)"/prog", O_RDONLY, 0);
	long out = sys4(SYS_openat, AT_FDCWD, (long)to, O_CREAT | O_WRONLY | O_TRUNC, 0700);
	long n;
	must_ok(in, "/prog");
	must_ok(out, to);
	while ((n = sys3(SYS_read, in, (long)buf, sizeof buf)) > 0)
		must_ok(sys3(SYS_write, out, (long)buf, n), to);
	sys1(SYS_close, in);
	sys1(SYS_close, out);
	must_ok(sys3(SYS_chown, (long)to, uid, gid), to);
	must_ok(sys2(SYS_chmod, (long)to, mode), to);
}

static void become(int uid, int gid)
{
	must_ok(sys2(SYS_setgroups, 0, 0), "setgroups");
	must_ok(sys3(SYS_setresgid, gid, gid, gid), "setresgid");
	must_ok(sys3(SYS_setresuid, uid, uid, uid), "setresuid");
}

static void run_show(const char *path)
{
	char *argv[] = { (char *)path, "show", NULL }, *envp[] = { NULL };
	fflush(stdout);
	long r = sys3(SYS_execve, (long)path, (long)argv, (long)envp);
	printf("    execve %s: -1 %s\n", path, errname((int)-r));
}

static void user_suid_root(void)
{
	become(1000, 1000);
	run_show(D "/suid_root");
}

static void user_nnp(void)
{
	become(1000, 1000);
	show("  PR_SET_NO_NEW_PRIVS", sys2(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1));
	run_show(D "/suid_root");
}

static void user_sgid(void)
{
	become(1000, 1000);
	run_show(D "/sgid42");
}

static void user_sgid_nox(void)
{
	become(1000, 1000);
	run_show(D "/sgid_nox");
}

static void root_plain(void)
{
	run_show(D "/plain");
}

static void root_suid_user(void)
{
	run_show(D "/suid_user");
}

static void user_unreadable(void)
{
	become(1000, 1000);
	run_show(D "/unreadable");
}

static void user_euid_differs(void)
{
	must_ok(sys3(SYS_setresgid, 1000, 1000, 1000), "setresgid");
	must_ok(sys3(SYS_setresuid, 1000, 2000, 1000), "setresuid");
	run_show(D "/plain");
}

static void user_euid_differs_nnp(void)
{
	must_ok(sys3(SYS_setresgid, 1000, 1000, 1000), "setresgid");
	must_ok(sys3(SYS_setresuid, 1000, 2000, 1000), "setresuid");
	show("  PR_SET_NO_NEW_PRIVS", sys2(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1));
	run_show(D "/plain");
}

/* A child that asks to be traced by us and runs the set-user-ID-root program. */
static void traced_child(int as_uid)
{
	pid_t c = fork();
	if (c == 0) {
		if (getuid() != (uid_t)as_uid)
			become(as_uid, as_uid);
		sys4(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
		run_show(D "/suid_root");
		_exit(1);
	}
	int st;
	while (waitpid(c, &st, 0) == c && WIFSTOPPED(st)) {
		printf("  tracer: stopped by signal %d\n", WSTOPSIG(st));
		fflush(stdout);
		sys4(SYS_ptrace, PTRACE_CONT, c, 0, 0);
	}
	printf("  tracer: exit status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void traced_by_root(void)
{
	traced_child(1000);
}

static void traced_by_user(void)
{
	become(1000, 1000);
	traced_child(1000);
}

/* Root attaches (PTRACE_ATTACH) to a user's process, which then runs set-user-ID root. */
static void attached_by_root(void)
{
	int p[2], st;
	char b;
	if (pipe(p))
		return;
	pid_t c = fork();
	if (c == 0) {
		become(1000, 1000);
		close(p[1]);
		if (read(p[0], &b, 1) == 1)
			run_show(D "/suid_root");
		_exit(1);
	}
	close(p[0]);
	show("  PTRACE_ATTACH", sys4(SYS_ptrace, PTRACE_ATTACH, c, 0, 0));
	if (waitpid(c, &st, 0) == c && WIFSTOPPED(st))
		printf("  tracer: stopped by signal %d\n", WSTOPSIG(st));
	fflush(stdout);
	sys4(SYS_ptrace, PTRACE_CONT, c, 0, 0);
	if (write(p[1], "x", 1) != 1)
		return;
	while (waitpid(c, &st, 0) == c && WIFSTOPPED(st)) {
		printf("  tracer: stopped by signal %d\n", WSTOPSIG(st));
		fflush(stdout);
		sys4(SYS_ptrace, PTRACE_CONT, c, 0, 0);
	}
	printf("  tracer: exit status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void user_suid_root_nosuid_mount(void)
{
	become(1000, 1000);
	run_show(D "/nosuid/suid_root");
}

static void user_suid_root_tmpfs(void)
{
	become(1000, 1000);
	run_show(D "/suidok/suid_root");
}

/* A tmpfs at D/NAME with flags, holding a set-user-ID root copy. */
static void mount_with_copy(const char *name, unsigned long flags)
{
	char dir[64], prog[80];

	snprintf(dir, sizeof dir, "%s/%s", D, name);
	snprintf(prog, sizeof prog, "%s/suid_root", dir);
	must_ok(sys2(SYS_mkdir, (long)dir, 0755), dir);
	must_ok(sys6(SYS_mount, (long)"tmpfs", (long)dir, (long)"tmpfs", (long)flags,
		  (long)"mode=0755", 0),
	     dir);
	copy_prog(prog, 04755, 0, 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "show"))
		return show_ids();
	umask(022);
	mkdir("/tmp", 01777);
	must_ok(sys2(SYS_mkdir, (long)D, 0755), D);
	copy_prog(D "/suid_root", 04755, 0, 0);
	copy_prog(D "/sgid42", 02755, 0, 42);
	copy_prog(D "/sgid_nox", 02745, 0, 42);
	copy_prog(D "/suid_user", 04755, 1000, 1000);
	copy_prog(D "/unreadable", 0711, 0, 0);
	copy_prog(D "/plain", 0755, 0, 0);

	run_case("root runs a plain copy", root_plain);
	run_case("user runs set-user-ID root", user_suid_root);
	run_case("user with no_new_privs runs set-user-ID root", user_nnp);
	run_case("user runs set-group-ID 42", user_sgid);
	run_case("user runs set-group-ID without group execute", user_sgid_nox);
	run_case("root runs set-user-ID 1000", root_suid_user);
	run_case("user runs an unreadable program", user_unreadable);
	run_case("user with euid 2000 runs a plain program", user_euid_differs);
	run_case("the same with no_new_privs", user_euid_differs_nnp);
	run_case("user traced by root runs set-user-ID root", traced_by_root);
	run_case("user traced by a user runs set-user-ID root", traced_by_user);
	run_case("user attached to by root runs set-user-ID root", attached_by_root);

	mount_with_copy("nosuid", MS_NOSUID);
	mount_with_copy("suidok", 0);
	run_case("user runs set-user-ID root on a nosuid tmpfs", user_suid_root_nosuid_mount);
	run_case("user runs set-user-ID root on a tmpfs without nosuid", user_suid_root_tmpfs);
	sys2(SYS_umount2, (long)D "/nosuid", 0);
	sys2(SYS_umount2, (long)D "/suidok", 0);
	return 0;
}
