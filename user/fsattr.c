/* fsattr: who may change a file's mode and owner, and the supplementary groups (Linux 6.1's
 * chmod_common, chown_common, notify_change, setattr_prepare, kernel/groups.c;
 * docs/credentials.md). chmod/fchmod/fchmodat by the owner, another user and root (S_ISGID
 * dropped for a caller outside the file's group without CAP_FSETID); chown/fchown/lchown/fchownat
 * (CAP_CHOWN, the owner's change of group to one of its groups, chown -1 -1, set-user-ID and
 * set-group-ID cleared); umask; setgroups/getgroups with their errors, sorting, the Groups: line
 * of /proc/self/status, fork's copy, and the groups in permission checks. Each case in a forked
 * child that drops to a user with raw calls. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define CALL(expr) show("  " #expr, (expr))
#define D "/tmp/fsattr"

static void mkfile(const char *path, int mode, int uid, int gid)
{
	long fd = sys4(SYS_openat, AT_FDCWD, (long)path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	must_ok(fd, path);
	sys1(SYS_close, fd);
	must_ok(sys3(SYS_chown, (long)path, uid, gid), path);
	must_ok(sys2(SYS_chmod, (long)path, mode), path);
}

static void become(int uid, int gid, int ngroups, const unsigned *groups)
{
	must_ok(sys2(SYS_setgroups, ngroups, (long)groups), "setgroups");
	must_ok(sys3(SYS_setresgid, gid, gid, gid), "setresgid");
	must_ok(sys3(SYS_setresuid, uid, uid, uid), "setresuid");
}

static void mode_of(const char *path)
{
	struct stat st;
	if (lstat(path, &st))
		printf("  lstat %s: -1 %s\n", path, errname(errno));
	else
		printf("  %s: mode %o uid %u gid %u\n", path, st.st_mode, st.st_uid, st.st_gid);
}

/* The Groups: line of /proc/self/status, with its tabs and spaces made visible. */
static void status_groups(void)
{
	char buf[4096];
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(buf, sizeof buf, f)) {
		if (strncmp(buf, "Groups:", 7))
			continue;
		printf("  status \"");
		for (char *p = buf; *p; p++)
			printf(*p == '\t' ? "\\t" : *p == '\n' ? "\\n" : "%c", *p);
		printf("\"\n");
	}
	if (f)
		fclose(f);
}

static void getgroups_show(void)
{
	unsigned g[64];
	long n = sys2(SYS_getgroups, 64, (long)g);
	printf("  getgroups:");
	for (long i = 0; i < n; i++)
		printf(" %u", g[i]);
	printf(" (%ld)\n", n);
}

static const unsigned g500[] = { 500 };

static void chmod_user(void)
{
	become(1000, 1000, 1, g500);
	CALL(sys2(SYS_chmod, (long)(D "/root644"), 0666));
	CALL(sys2(SYS_chmod, (long)(D "/own"), 02755));
	mode_of(D "/own");
	CALL(sys2(SYS_chmod, (long)(D "/own_g777"), 02755));
	mode_of(D "/own_g777");
	CALL(sys2(SYS_chmod, (long)(D "/own_g500"), 06755));
	mode_of(D "/own_g500");
	long fd = sys3(SYS_open, (long)(D "/root644"), O_RDONLY, 0);
	CALL(sys2(SYS_fchmod, fd, 0600));
	sys1(SYS_close, fd);
	fd = sys3(SYS_open, (long)(D "/own"), O_RDONLY, 0);
	CALL(sys2(SYS_fchmod, fd, 0640));
	sys1(SYS_close, fd);
	mode_of(D "/own");
	CALL(sys3(SYS_fchmodat, AT_FDCWD, (long)(D "/own"), 01644));
	mode_of(D "/own");
	CALL(sys3(SYS_fchmodat, AT_FDCWD, (long)(D "/root644"), 0644));
	CALL(sys2(SYS_chmod, (long)(D "/noexec/x"), 0644));
	CALL(sys2(SYS_chmod, (long)(D "/missing"), 0644));
}

static void chmod_root(void)
{
	CALL(sys2(SYS_chmod, (long)(D "/own_g777b"), 02755));
	mode_of(D "/own_g777b");
	CALL(sys1(SYS_setfsuid, 1000));
	CALL(sys2(SYS_chmod, (long)(D "/root644"), 0640));
	CALL(sys2(SYS_chmod, (long)(D "/own_g777b"), 02711));
	mode_of(D "/own_g777b");
}

static void chown_user(void)
{
	become(1000, 1000, 1, g500);
	CALL(sys3(SYS_chown, (long)(D "/c_own"), 1001, -1));
	CALL(sys3(SYS_chown, (long)(D "/c_own"), 1000, -1));
	CALL(sys3(SYS_chown, (long)(D "/c_own"), -1, 500));
	mode_of(D "/c_own");
	CALL(sys3(SYS_chown, (long)(D "/c_own"), -1, 501));
	CALL(sys3(SYS_chown, (long)(D "/c_own"), 1000, 1000));
	mode_of(D "/c_own");
	CALL(sys3(SYS_chown, (long)(D "/c_root"), -1, -1));
	CALL(sys3(SYS_chown, (long)(D "/c_root"), 0, 0));
	CALL(sys3(SYS_chown, (long)(D "/c_rootsuid"), -1, -1));
	CALL(sys3(SYS_chown, (long)(D "/c_suid"), -1, -1));
	mode_of(D "/c_suid");
	CALL(sys3(SYS_chown, (long)(D "/c_sgid_nox"), -1, 500));
	mode_of(D "/c_sgid_nox");
	CALL(sys3(SYS_lchown, (long)(D "/c_link"), 1000, -1));
	CALL(sys6(SYS_fchownat, AT_FDCWD, (long)(D "/c_link"), -1, 500, AT_SYMLINK_NOFOLLOW, 0));
	CALL(sys6(SYS_fchownat, AT_FDCWD, (long)(D "/c_own"), -1, -1, 0x4000, 0));
	long fd = sys3(SYS_open, (long)(D "/c_root"), O_RDONLY, 0);
	CALL(sys3(SYS_fchown, fd, 1000, -1));
	sys1(SYS_close, fd);
}

static void chown_root(void)
{
	CALL(sys3(SYS_chown, (long)(D "/r_suid"), 1000, -1));
	mode_of(D "/r_suid");
	CALL(sys3(SYS_chown, (long)(D "/r_sgid_nox"), -1, 7));
	mode_of(D "/r_sgid_nox");
	CALL(sys3(SYS_chown, (long)(D "/r_dir"), 5, 6));
	mode_of(D "/r_dir");
	CALL(sys3(SYS_lchown, (long)(D "/c_link"), 7, 8));
	mode_of(D "/c_link");
	mode_of(D "/c_own");
}

static void umask_calls(void)
{
	CALL(sys1(SYS_umask, 027));
	CALL(sys4(SYS_openat, AT_FDCWD, (long)(D "/um_file"), O_CREAT | O_WRONLY, 0777) >= 0);
	CALL(sys2(SYS_mkdir, (long)(D "/um_dir"), 0777));
	CALL(sys3(SYS_mknod, (long)(D "/um_fifo"), S_IFIFO | 0666, 0));
	mode_of(D "/um_file");
	mode_of(D "/um_dir");
	mode_of(D "/um_fifo");
	CALL(sys1(SYS_umask, 0777 | 01000));
	CALL(sys1(SYS_umask, 0));
}

static void groups_root(void)
{
	unsigned g[4] = { 30, 10, 20, 10 }, bad[2] = { 5, -1 };
	getgroups_show();
	status_groups();
	CALL(sys2(SYS_getgroups, -1, 0));
	CALL(sys2(SYS_setgroups, 4, (long)g));
	getgroups_show();
	status_groups();
	CALL(sys2(SYS_getgroups, 0, 0));
	CALL(sys2(SYS_getgroups, 3, (long)g));
	CALL(sys2(SYS_getgroups, 4, 8));
	CALL(sys2(SYS_setgroups, 65537, (long)g));
	CALL(sys2(SYS_setgroups, -1, (long)g));
	CALL(sys2(SYS_setgroups, 2, 8));
	CALL(sys2(SYS_setgroups, 2, (long)bad));
	getgroups_show();
	static unsigned many[65536];
	for (unsigned i = 0; i < 65536; i++)
		many[i] = 65535 - i;
	CALL(sys2(SYS_setgroups, 65536, (long)many));
	CALL(sys2(SYS_getgroups, 0, 0));
	CALL(sys2(SYS_getgroups, 65536, (long)many));
	printf("  first %u %u last %u\n", many[0], many[1], many[65535]);
	CALL(sys2(SYS_setgroups, 2, (long)g));
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		printf("  in a child:\n");
		getgroups_show();
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	CALL(sys2(SYS_setgroups, 0, 0));
	getgroups_show();
	status_groups();
}

static void groups_user(void)
{
	unsigned g[2] = { 1, 2 };
	become(1000, 1000, 2, g);
	getgroups_show();
	CALL(sys2(SYS_setgroups, 1, (long)g));
	CALL(sys2(SYS_setgroups, 65537, (long)g));
	CALL(sys2(SYS_setgroups, 0, 0));
	getgroups_show();
}

int main(void)
{
	umask(022);
	mkdir("/tmp", 01777);
	must_ok(sys2(SYS_mkdir, (long)D, 0755), D);
	mkfile(D "/root644", 0644, 0, 0);
	mkfile(D "/own", 0644, 1000, 1000);
	mkfile(D "/own_g777", 0644, 1000, 777);
	mkfile(D "/own_g777b", 0644, 1000, 777);
	mkfile(D "/own_g500", 0644, 1000, 500);
	must_ok(sys2(SYS_mkdir, (long)(D "/noexec"), 0700), "noexec");
	mkfile(D "/noexec/x", 0644, 1000, 1000);
	mkfile(D "/c_own", 06755, 1000, 1000);
	mkfile(D "/c_root", 0644, 0, 0);
	mkfile(D "/c_rootsuid", 04755, 0, 0);
	mkfile(D "/c_suid", 06755, 1000, 1000);
	mkfile(D "/c_sgid_nox", 02744, 1000, 1000);
	mkfile(D "/r_suid", 06755, 0, 0);
	mkfile(D "/r_sgid_nox", 02744, 0, 0);
	must_ok(sys2(SYS_mkdir, (long)(D "/r_dir"), 0755), "r_dir");
	must_ok(sys2(SYS_chmod, (long)(D "/r_dir"), 06755), "r_dir");
	must_ok(sys2(SYS_symlink, (long)"c_own", (long)(D "/c_link")), "c_link");
	must_ok(sys3(SYS_lchown, (long)(D "/c_link"), 1000, 1000), "c_link");

	run_case("chmod as a user in group 500", chmod_user);
	run_case("chmod as root", chmod_root);
	run_case("chown as a user in group 500", chown_user);
	run_case("chown as root", chown_root);
	run_case("umask", umask_calls);
	run_case("groups as root", groups_root);
	run_case("groups as a user", groups_user);
	return 0;
}
