/* fsperm: file permission checks by the file-system ids, the groups and the capabilities
 * (Linux 6.1's generic_permission, may_lookup, may_open, may_create, may_delete with the sticky
 * bit, vfs_truncate, do_faccessat, vfs_utimes, set_fs_pwd, vfs_mknod; docs/credentials.md).
 * Root builds a tree under /tmp/fsperm, then each case runs in a forked child that drops to a
 * user (raw setgroups, setresgid, setresuid) or keeps root and drops capabilities with capset:
 * open for read/write/O_TRUNC, path search, create, mkdir, unlink, rmdir, rename, link,
 * symlink, mknod, execve, access/faccessat/faccessat2 (real ids, AT_EACCESS), truncate,
 * utimensat, chdir/fchdir, O_NOATIME, the owner of new files (set-group-ID directories), and
 * set-user-ID bits cleared by a write or truncate. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define CALL(expr) show("  " #expr, (expr))
#define D "/tmp/fsperm"

/* Creates path as root with mode, owner and some content (regular file). */
static void mkfile(const char *path, int mode, int uid, int gid)
{
	long fd = sys4(SYS_openat, AT_FDCWD, (long)path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	must_ok(fd, path);
	must_ok(sys3(SYS_write, fd, (long)"data\n", 5), path);
	sys1(SYS_close, fd);
	must_ok(sys3(SYS_chown, (long)path, uid, gid), path);
	must_ok(sys2(SYS_chmod, (long)path, mode), path);
}

static void mkdirp(const char *path, int mode, int uid, int gid)
{
	must_ok(sys2(SYS_mkdir, (long)path, 0700), path);
	must_ok(sys3(SYS_chown, (long)path, uid, gid), path);
	must_ok(sys2(SYS_chmod, (long)path, mode), path);
}

/* Becomes uid/gid with the supplementary groups given (raw calls: libc would do every thread). */
static void become(int uid, int gid, int ngroups, const unsigned *groups)
{
	must_ok(sys2(SYS_setgroups, ngroups, (long)groups), "setgroups");
	must_ok(sys3(SYS_setresgid, gid, gid, gid), "setresgid");
	must_ok(sys3(SYS_setresuid, uid, uid, uid), "setresuid");
}

/* capset of the calling thread: effective and permitted as 64-bit sets, inheritable empty. */
static long setcaps(unsigned long long eff, unsigned long long prm)
{
	struct {
		unsigned version;
		int pid;
	} h = { 0x20080522, 0 };
	unsigned d[6] = { (unsigned)eff, (unsigned)prm, 0, (unsigned)(eff >> 32), (unsigned)(prm >> 32), 0 };
	return sys2(SYS_capset, (long)&h, (long)d);
}

/* open(path, flags) and close: the result as show() prints it (0 for success). */
static long try_open(const char *path, int flags)
{
	long fd = sys4(SYS_openat, AT_FDCWD, (long)path, flags, 0644);
	if (is_err(fd))
		return fd;
	sys1(SYS_close, fd);
	return 0;
}

static void mode_of(const char *path)
{
	struct stat st;
	if (stat(path, &st))
		printf("  stat %s: -1 %s\n", path, errname(errno));
	else
		printf("  %s: mode %o uid %u gid %u size %lld\n", path, st.st_mode, st.st_uid,
		       st.st_gid, (long long)st.st_size);
}

static const unsigned g500[] = { 500 };

static void user_open(void)
{
	become(1000, 1000, 0, NULL);
	CALL(try_open(D "/own600", O_RDWR));
	CALL(try_open(D "/root600", O_RDONLY));
	CALL(try_open(D "/root600", O_WRONLY));
	CALL(try_open(D "/root644", O_RDONLY));
	CALL(try_open(D "/root644", O_WRONLY));
	CALL(try_open(D "/root644", O_RDONLY | O_TRUNC));
	CALL(try_open(D "/root666", O_RDWR | O_TRUNC));
	CALL(try_open(D "/own066", O_RDONLY));
	CALL(try_open(D "/g500_060", O_RDONLY));
	CALL(try_open(D "/g500_604", O_RDONLY));
	CALL(try_open(D "/root644", O_RDONLY | O_NOATIME));
	CALL(try_open(D "/own600", O_RDONLY | O_NOATIME));
	long fd = sys3(SYS_open, (long)(D "/root644"), O_RDONLY, 0);
	CALL(sys3(SYS_fcntl, fd, F_SETFL, O_NOATIME));
	sys1(SYS_close, fd);
	CALL(try_open(D "/dir700/in", O_RDONLY));
	CALL(try_open(D "/dir744/in", O_RDONLY));
	CALL(try_open(D "/dir744/missing", O_RDONLY));
	CALL(try_open(D "/dir744/.", O_RDONLY));
	CALL(try_open(D "/dir711/in", O_RDONLY));
	CALL(try_open(D "/dir711", O_RDONLY));
	CALL(try_open(D "/dir744", O_RDONLY));
	CALL(try_open(D "/link744", O_RDONLY));
	CALL(try_open(D "/dir744/", O_RDONLY));
	struct stat st;
	CALL(sys2(SYS_stat, (long)(D "/dir744/in"), (long)&st));
	CALL(sys2(SYS_stat, (long)(D "/dir711/in"), (long)&st));
	CALL(try_open(D "/ro755/new", O_CREAT | O_WRONLY));
	CALL(try_open(D "/ro755/in", O_CREAT | O_RDONLY));
	CALL(try_open(D "/ro755/in", O_CREAT | O_EXCL | O_RDONLY));
	CALL(try_open(D "/ro755", O_TMPFILE | O_RDWR));
}

static void user_groups(void)
{
	become(1000, 1000, 1, g500);
	CALL(try_open(D "/g500_060", O_RDWR));
	CALL(try_open(D "/g500_604", O_RDONLY));
	CALL(try_open(D "/own066", O_RDONLY));
	CALL(sys2(SYS_access, (long)(D "/g500_060"), R_OK | W_OK));
	CALL(sys2(SYS_access, (long)(D "/g500_060"), X_OK));
}

static void user_tree(void)
{
	become(1000, 1000, 0, NULL);
	CALL(sys2(SYS_mkdir, (long)(D "/ro755/d"), 0755));
	CALL(sys1(SYS_unlink, (long)(D "/ro755/in")));
	CALL(sys1(SYS_rmdir, (long)(D "/ro755/sub")));
	CALL(sys2(SYS_rename, (long)(D "/ro755/in"), (long)(D "/w777/in")));
	CALL(sys2(SYS_rename, (long)(D "/w777/mine"), (long)(D "/ro755/mine")));
	CALL(sys2(SYS_link, (long)(D "/w777/mine"), (long)(D "/ro755/l")));
	CALL(sys2(SYS_symlink, (long)"x", (long)(D "/ro755/s")));
	CALL(sys3(SYS_mknod, (long)(D "/ro755/f"), S_IFIFO | 0644, 0));
	CALL(sys3(SYS_mknod, (long)(D "/w777/fifo"), S_IFIFO | 0644, 0));
	CALL(sys3(SYS_mknod, (long)(D "/w777/chr"), S_IFCHR | 0644, makedev(1, 3)));
	CALL(sys3(SYS_mknod, (long)(D "/ro755/chr"), S_IFCHR | 0644, makedev(1, 3)));
	CALL(sys1(SYS_unlink, (long)(D "/dir700/in")));
	CALL(sys2(SYS_rename, (long)(D "/w777/sub755"), (long)(D "/w777/subx/sub755")));
	CALL(sys2(SYS_rename, (long)(D "/w777/sub755"), (long)(D "/w777/sub755b")));
	CALL(sys1(SYS_unlink, (long)(D "/sticky/other")));
	CALL(sys2(SYS_rename, (long)(D "/sticky/other"), (long)(D "/sticky/o2")));
	CALL(sys1(SYS_unlink, (long)(D "/sticky/mine")));
	CALL(sys1(SYS_unlink, (long)(D "/stickyown/other")));
	CALL(sys2(SYS_mkdir, (long)(D "/w777/newdir"), 0777));
	CALL(try_open(D "/w777/newfile", O_CREAT | O_WRONLY));
	mode_of(D "/w777/newdir");
	mode_of(D "/w777/newfile");
	mode_of(D "/w777/fifo");
	CALL(try_open(D "/sgid/newfile", O_CREAT | O_WRONLY));
	CALL(sys2(SYS_mkdir, (long)(D "/sgid/newdir"), 0777));
	CALL(sys4(SYS_openat, AT_FDCWD, (long)(D "/sgid/sgfile"), O_CREAT | O_WRONLY, 02775));
	mode_of(D "/sgid/newfile");
	mode_of(D "/sgid/newdir");
	mode_of(D "/sgid/sgfile");
}

static void sticky_owner(void)
{
	become(1001, 1001, 0, NULL);
	CALL(sys1(SYS_unlink, (long)(D "/sticky/other")));
}

static void user_exec_access(void)
{
	become(1000, 1000, 0, NULL);
	char *argv[] = { "x", NULL }, *envp[] = { NULL };
	CALL(sys3(SYS_execve, (long)(D "/root700x"), (long)argv, (long)envp));
	CALL(sys3(SYS_execve, (long)(D "/dir744/in"), (long)argv, (long)envp));
	CALL(sys2(SYS_access, (long)(D "/root600"), R_OK));
	CALL(sys2(SYS_access, (long)(D "/root644"), R_OK));
	CALL(sys2(SYS_access, (long)(D "/root644"), W_OK));
	CALL(sys2(SYS_access, (long)(D "/root644"), F_OK));
	CALL(sys2(SYS_access, (long)(D "/dir744/in"), F_OK));
	CALL(sys2(SYS_access, (long)(D "/dir711"), R_OK));
	CALL(sys2(SYS_access, (long)(D "/dir711"), X_OK));
	CALL(sys2(SYS_truncate, (long)(D "/root644"), 0));
	CALL(sys2(SYS_truncate, (long)(D "/root666"), 2));
	CALL(sys2(SYS_truncate, (long)(D "/dir744/in"), 0));
	CALL(sys1(SYS_chdir, (long)(D "/dir700")));
	CALL(sys1(SYS_chdir, (long)(D "/dir744")));
	CALL(sys1(SYS_chdir, (long)(D "/dir711")));
}

static void fchdir_user(void)
{
	long fd = sys3(SYS_open, (long)(D "/dir700"), O_RDONLY | O_DIRECTORY, 0);
	become(1000, 1000, 0, NULL);
	CALL(sys1(SYS_fchdir, fd));
	CALL(sys4(SYS_openat, fd, (long)"in", O_RDONLY, 0));
}

static void user_utimes(void)
{
	become(1000, 1000, 0, NULL);
	struct timespec now2[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct timespec set[2] = { { 1000, 0 }, { 2000, 0 } };
	struct timespec omit_now[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	CALL(sys4(SYS_utimensat, AT_FDCWD, (long)(D "/root666"), 0, 0));
	CALL(sys4(SYS_utimensat, AT_FDCWD, (long)(D "/root666"), (long)now2, 0));
	CALL(sys4(SYS_utimensat, AT_FDCWD, (long)(D "/root666"), (long)set, 0));
	CALL(sys4(SYS_utimensat, AT_FDCWD, (long)(D "/root666"), (long)omit_now, 0));
	CALL(sys4(SYS_utimensat, AT_FDCWD, (long)(D "/root644"), 0, 0));
	CALL(sys4(SYS_utimensat, AT_FDCWD, (long)(D "/root644"), (long)now2, 0));
	CALL(sys4(SYS_utimensat, AT_FDCWD, (long)(D "/root644"), (long)set, 0));
	CALL(sys4(SYS_utimensat, AT_FDCWD, (long)(D "/own600"), (long)set, 0));
	CALL(sys2(SYS_utimes, (long)(D "/root644"), 0));
	CALL(sys2(SYS_utime, (long)(D "/root666"), 0));
}

static void root_exec(void)
{
	char *argv[] = { "x", NULL }, *envp[] = { NULL };
	CALL(sys3(SYS_execve, (long)(D "/root644"), (long)argv, (long)envp));
	CALL(sys2(SYS_access, (long)(D "/root644"), X_OK));
	CALL(sys2(SYS_access, (long)(D "/root010"), X_OK));
	CALL(sys2(SYS_access, (long)(D "/own600"), R_OK | W_OK));
	CALL(sys2(SYS_access, (long)(D "/dir700"), R_OK | W_OK | X_OK));
	CALL(try_open(D "/own600", O_RDWR));
	CALL(try_open(D "/dir700/in", O_RDONLY));
}

/* Root without CAP_DAC_OVERRIDE, then without CAP_DAC_READ_SEARCH too. */
static void root_nocaps(void)
{
	unsigned long long all = (1ULL << 41) - 1;
	CALL(setcaps(all & ~(1ULL << 1), all));
	CALL(try_open(D "/own600", O_RDONLY));
	CALL(try_open(D "/own600", O_WRONLY));
	CALL(try_open(D "/dir700/in", O_RDONLY));
	CALL(try_open(D "/dir711/in", O_RDONLY));
	CALL(try_open(D "/root000", O_RDONLY));
	CALL(setcaps(all & ~6ULL, all));
	CALL(try_open(D "/own600", O_RDONLY));
	CALL(try_open(D "/dir700/in", O_RDONLY));
	CALL(try_open(D "/dir711/in", O_RDONLY));
	CALL(try_open(D "/root000", O_RDONLY));
	CALL(try_open(D "/root600", O_RDONLY));
	CALL(sys2(SYS_access, (long)(D "/own600"), R_OK));
	CALL(sys4(SYS_faccessat2, AT_FDCWD, (long)(D "/own600"), R_OK, AT_EACCESS));
	CALL(setcaps(all & ~(1ULL << 3), all));
	CALL(sys1(SYS_unlink, (long)(D "/sticky/other2")));
	CALL(sys2(SYS_chmod, (long)(D "/own600"), 0644));
}

/* A user with CAP_DAC_OVERRIDE (kept across setresuid with PR_SET_KEEPCAPS, raised again). */
static void user_with_caps(void)
{
	CALL(sys2(SYS_prctl, PR_SET_KEEPCAPS, 1));
	become(1000, 1000, 0, NULL);
	CALL(try_open(D "/root600", O_RDONLY));
	CALL(setcaps(1ULL << 1, 1ULL << 1));
	CALL(try_open(D "/root600", O_RDWR));
	CALL(try_open(D "/dir700/in", O_RDONLY));
	CALL(try_open(D "/root000", O_RDONLY));
	CALL(sys2(SYS_access, (long)(D "/root600"), R_OK));
	CALL(sys4(SYS_faccessat2, AT_FDCWD, (long)(D "/root600"), R_OK, AT_EACCESS));
	CALL(setcaps(1ULL << 2, 1ULL << 2));
	CALL(try_open(D "/root600", O_RDONLY));
	CALL(try_open(D "/root600", O_WRONLY));
	CALL(sys2(SYS_mkdir, (long)(D "/ro755/capdir"), 0755));
}

/* setfsuid away from root: the file-system capabilities go; access() uses the real ids. */
static void fsuid_and_access(void)
{
	CALL(sys1(SYS_setfsuid, 1000));
	CALL(try_open(D "/root600", O_RDONLY));
	CALL(try_open(D "/own600", O_RDWR));
	CALL(sys2(SYS_access, (long)(D "/root600"), R_OK));
	CALL(sys1(SYS_setfsuid, 0));
	CALL(sys3(SYS_setresuid, 1000, 0, 0));
	CALL(sys2(SYS_access, (long)(D "/root600"), R_OK));
	CALL(sys3(SYS_faccessat, AT_FDCWD, (long)(D "/root600"), R_OK));
	CALL(sys4(SYS_faccessat2, AT_FDCWD, (long)(D "/root600"), R_OK, AT_EACCESS));
	CALL(sys2(SYS_access, (long)(D "/own600"), R_OK | W_OK));
	CALL(try_open(D "/root600", O_RDONLY));
	CALL(sys3(SYS_setresuid, 0, 1000, 0));
	CALL(sys2(SYS_access, (long)(D "/root600"), R_OK));
	CALL(sys4(SYS_faccessat2, AT_FDCWD, (long)(D "/root600"), R_OK, AT_EACCESS));
	CALL(try_open(D "/root600", O_RDONLY));
	CALL(sys4(SYS_faccessat2, AT_FDCWD, (long)(D "/own600"), R_OK, AT_EACCESS));
	CALL(sys4(SYS_faccessat2, AT_FDCWD, (long)(D "/dir700/in"), R_OK, 0));
	CALL(sys4(SYS_faccessat2, AT_FDCWD, (long)(D "/dir700/in"), R_OK, AT_EACCESS));
}

/* A write or truncate by a caller without CAP_FSETID clears set-user-ID and group-exec
 * set-group-ID; root keeps them. */
static void suid_write(void)
{
	become(1000, 1000, 0, NULL);
	long fd = sys3(SYS_open, (long)(D "/w777/suid"), O_WRONLY, 0);
	CALL(sys3(SYS_write, fd, (long)"x", 0));
	mode_of(D "/w777/suid");
	CALL(sys3(SYS_write, fd, (long)"x", 1));
	mode_of(D "/w777/suid");
	sys1(SYS_close, fd);
	fd = sys3(SYS_open, (long)(D "/w777/sgid_nox"), O_WRONLY, 0);
	CALL(sys3(SYS_write, fd, (long)"x", 1));
	mode_of(D "/w777/sgid_nox");
	CALL(sys2(SYS_ftruncate, fd, 0));
	sys1(SYS_close, fd);
	CALL(sys2(SYS_truncate, (long)(D "/w777/suid2"), 1));
	mode_of(D "/w777/suid2");
	CALL(try_open(D "/w777/suid3", O_WRONLY | O_TRUNC));
	mode_of(D "/w777/suid3");
}

static void root_suid_write(void)
{
	long fd = sys3(SYS_open, (long)(D "/w777/rsuid"), O_WRONLY, 0);
	CALL(sys3(SYS_write, fd, (long)"x", 1));
	CALL(sys2(SYS_ftruncate, fd, 0));
	sys1(SYS_close, fd);
	mode_of(D "/w777/rsuid");
}

int main(void)
{
	umask(022);
	mkdir("/tmp", 01777);
	mkdirp(D, 0755, 0, 0);
	mkfile(D "/own600", 0600, 1000, 1000);
	mkfile(D "/own066", 0066, 1000, 1000);
	mkfile(D "/root600", 0600, 0, 0);
	mkfile(D "/root644", 0644, 0, 0);
	mkfile(D "/root666", 0666, 0, 0);
	mkfile(D "/root000", 0000, 0, 0);
	mkfile(D "/root010", 0010, 0, 0);
	mkfile(D "/root700x", 0700, 0, 0);
	mkfile(D "/g500_060", 0060, 0, 500);
	mkfile(D "/g500_604", 0604, 0, 500);
	mkdirp(D "/dir700", 0700, 0, 0);
	mkfile(D "/dir700/in", 0666, 0, 0);
	mkdirp(D "/dir744", 0744, 0, 0);
	mkfile(D "/dir744/in", 0777, 0, 0);
	mkdirp(D "/dir711", 0711, 0, 0);
	mkfile(D "/dir711/in", 0644, 0, 0);
	must_ok(sys2(SYS_symlink, (long)"dir744/in", (long)(D "/link744")), "symlink");
	mkdirp(D "/ro755", 0755, 0, 0);
	mkfile(D "/ro755/in", 0666, 1000, 1000);
	mkdirp(D "/ro755/sub", 0777, 1000, 1000);
	mkdirp(D "/w777", 0777, 0, 0);
	mkfile(D "/w777/mine", 0644, 1000, 1000);
	mkdirp(D "/w777/sub755", 0755, 0, 0);
	mkdirp(D "/w777/subx", 0777, 0, 0);
	mkfile(D "/w777/suid", 06775, 1000, 1000);
	mkfile(D "/w777/sgid_nox", 02766, 1000, 1000);
	mkfile(D "/w777/suid2", 04777, 0, 0);
	mkfile(D "/w777/suid3", 06777, 0, 0);
	mkfile(D "/w777/rsuid", 06777, 1000, 1000);
	mkdirp(D "/sticky", 01777, 0, 0);
	mkfile(D "/sticky/other", 0666, 1001, 1001);
	mkfile(D "/sticky/other2", 0666, 1001, 1001);
	mkfile(D "/sticky/mine", 0600, 1000, 1000);
	mkdirp(D "/stickyown", 01777, 1000, 1000);
	mkfile(D "/stickyown/other", 0666, 1001, 1001);
	mkdirp(D "/sgid", 02777, 0, 777);

	run_case("user: open and search", user_open);
	run_case("user in group 500", user_groups);
	run_case("user: create, remove, rename", user_tree);
	run_case("user 1001: the sticky directory", sticky_owner);
	run_case("user: execve, access, truncate, chdir", user_exec_access);
	run_case("user: fchdir to a directory opened by root", fchdir_user);
	run_case("user: utimensat", user_utimes);
	run_case("root: execve and access", root_exec);
	run_case("root without DAC capabilities", root_nocaps);
	run_case("user with capabilities", user_with_caps);
	run_case("setfsuid and access's real ids", fsuid_and_access);
	run_case("user: writes clear set-user-ID", suid_write);
	run_case("root: writes keep set-user-ID", root_suid_write);
	return 0;
}
