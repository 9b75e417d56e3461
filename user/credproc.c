/* credproc: who may look at and control another process (Linux 6.1's __ptrace_may_access,
 * mm_access, task_dump_owner, kill_ok_by_cred, check_prlimit_permission, cap_ptrace_traceme,
 * pagemap's show_pfn, RLIMIT_NPROC; docs/credentials.md). Three processes wait to be looked at:
 * a root one with a secret page, a user (uid 1000) one that made itself dumpable again after
 * dropping root, and a user one that is not dumpable. Forked cases, as root and as uid 1000, try
 * /proc/PID/{mem,maps,smaps,smaps_rollup,pagemap,environ,status} (and read the secret through
 * mem), the owners and modes of those files, PTRACE_ATTACH, kill, prlimit64 on each; then
 * pagemap's frame numbers, PTRACE_TRACEME, raising hard limits and RLIMIT_NPROC across fork,
 * setuid and execve. Raw system calls; each line deterministic. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define USER 1000
#define NTARGETS 3

static char *secret; /* one page, the same address in every process */
static int targets[NTARGETS];
static const char *const target_names[NTARGETS] = { "root", "user", "user-nondumpable" };

/* Becomes uid/gid USER in all of real, effective, saved (and file-system) ids. */
static void drop_to_user(void)
{
	if (sys3(SYS_setresgid, USER, USER, USER) || sys3(SYS_setresuid, USER, USER, USER))
		printf("  drop failed\n");
}

/* A process that waits to be looked at: writes its secret, says it is ready, sleeps. */
static int start_target(const char *text, int user, int dumpable)
{
	int ready[2];

	pipe(ready);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(ready[0]);
		strcpy(secret, text);
		if (user)
			drop_to_user();
		prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0);
		write(ready[1], "x", 1);
		for (;;)
			pause();
	}
	close(ready[1]);
	char c;
	read(ready[0], &c, 1);
	close(ready[0]);
	return pid;
}

/* Opens /proc/PID/name (PID 0: self): the fd, or -errno. */
static long open_proc(int pid, const char *name, int flags)
{
	char path[64];

	if (pid)
		snprintf(path, sizeof path, "/proc/%d/%s", pid, name);
	else
		snprintf(path, sizeof path, "/proc/self/%s", name);
	return sys3(SYS_open, (long)path, flags, 0);
}

/* Prints the result of opening /proc/PID/name for reading. */
static void try_open(const char *who, int pid, const char *name)
{
	char what[96];
	long fd = open_proc(pid, name, O_RDONLY);

	snprintf(what, sizeof what, "  %s open %s", who, name);
	show_ok(what, fd);
	if (!is_err(fd))
		close((int)fd);
}

/* The owner and mode of /proc/PID/name (lstat: links are not followed). */
static void owner(const char *who, int pid, const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof path, "/proc/%d%s%s", pid, *name ? "/" : "", name);
	long r = sys2(SYS_lstat, (long)path, (long)&st);
	if (is_err(r))
		printf("  %s stat %s: -1 %s\n", who, *name ? name : ".", errname((int)-r));
	else
		printf("  %s stat %s: uid %u gid %u mode %o\n", who, *name ? name : ".", st.st_uid,
		       st.st_gid, st.st_mode & 07777);
}

/* Reads the secret of pid through /proc/PID/mem. */
static void read_mem(const char *who, int pid)
{
	char buf[32] = "";
	long fd = open_proc(pid, "mem", O_RDONLY);

	if (is_err(fd)) {
		printf("  %s mem secret: -1 %s\n", who, errname((int)-fd));
		return;
	}
	long n = sys4(SYS_pread64, fd, (long)buf, 16, (long)secret);
	close((int)fd);
	if (is_err(n))
		printf("  %s mem secret: -1 %s\n", who, errname((int)-n));
	else
		printf("  %s mem secret: \"%.*s\"\n", who, (int)strnlen(buf, (size_t)n), buf);
}

/* PTRACE_ATTACH to pid; if it works, wait for the stop and detach. */
static void attach(const char *who, int pid)
{
	char what[64];
	long r = sys4(SYS_ptrace, PTRACE_ATTACH, pid, 0, 0);

	snprintf(what, sizeof what, "  %s ptrace attach", who);
	show(what, r);
	if (is_err(r))
		return;
	int st;
	waitpid(pid, &st, __WALL);
	printf("  %s stopped: %d\n", who, WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
	show("  detach", sys4(SYS_ptrace, PTRACE_DETACH, pid, 0, 0));
}

/* prlimit64 on pid: reading RLIMIT_NOFILE, and setting it to what it is. */
static void prlimit_other(const char *who, int pid)
{
	struct rlimit old = { 0, 0 }, same;
	char what[64];

	snprintf(what, sizeof what, "  %s prlimit64 get", who);
	show(what, sys4(SYS_prlimit64, pid, RLIMIT_NOFILE, 0, (long)&old));
	getrlimit(RLIMIT_NOFILE, &same);
	snprintf(what, sizeof what, "  %s prlimit64 set", who);
	show(what, sys4(SYS_prlimit64, pid, RLIMIT_NOFILE, (long)&same, 0));
}

/* Everything the caller may or may not do to each waiting process. */
static void look_at_targets(void)
{
	static const char *const files[] = { "mem",	"maps",	   "smaps", "smaps_rollup",
					     "pagemap", "environ", "status" };
	static const char *const stats[] = { "", "mem", "environ", "maps", "pagemap", "status",
					     "fd", "fdinfo", "task", "exe", "cwd" };
	char who[32];

	for (int i = 0; i < NTARGETS; i++) {
		snprintf(who, sizeof who, "%s", target_names[i]);
		for (unsigned j = 0; j < sizeof files / sizeof files[0]; j++)
			try_open(who, targets[i], files[j]);
		for (unsigned j = 0; j < sizeof stats / sizeof stats[0]; j++)
			owner(who, targets[i], stats[j]);
		read_mem(who, targets[i]);
		attach(who, targets[i]);
		snprintf(who, sizeof who, "  %s kill 0", target_names[i]);
		show(who, sys2(SYS_kill, targets[i], 0));
		prlimit_other(target_names[i], targets[i]);
	}
}

static void as_root(void)
{
	look_at_targets();
}

static void as_user(void)
{
	drop_to_user();
	look_at_targets();
}

/* The caller's own /proc files when it is not dumpable, as uid USER. */
static void self_nondumpable(void)
{
	int me = getpid();

	drop_to_user();
	printf("  dumpable after dropping root: %d\n", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	try_open("self", 0, "mem");
	try_open("self", 0, "status");
	owner("self", me, "mem");
	owner("self", me, "");
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	try_open("self (dumpable)", 0, "mem");
	owner("self (dumpable)", me, "mem");
}

/* Whether the pagemap entry of the secret page has a frame number, from pid's pagemap. */
static void pfn(const char *who)
{
	uint64_t e = 0;
	long fd = open_proc(0, "pagemap", O_RDONLY);

	*(volatile char *)secret = 1; /* present, and this process's own page */
	if (is_err(fd)) {
		printf("  %s pagemap: -1 %s\n", who, errname((int)-fd));
		return;
	}
	long n = sys4(SYS_pread64, fd, (long)&e, 8, (long)((uintptr_t)secret / 4096 * 8));
	close((int)fd);
	printf("  %s pagemap read %ld: present %d exclusive %d soft-dirty %d pfn %s\n", who, n,
	       (int)(e >> 63), (int)(e >> 56 & 1), (int)(e >> 55 & 1),
	       (e & ((1ULL << 55) - 1)) ? "nonzero" : "0");
}

/* pagemap's frame numbers: root sees them; a user, and root opened while root, not. */
static void pagemap_frames(void)
{
	pfn("root");
	long fd = open_proc(0, "pagemap", O_RDONLY);
	drop_to_user();
	pfn("user, not dumpable");
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	pfn("user");
	uint64_t e = 0;
	long n = sys4(SYS_pread64, fd, (long)&e, 8, (long)((uintptr_t)secret / 4096 * 8));
	printf("  opened as root, read as user %ld: present %d pfn %s\n", n, (int)(e >> 63),
	       (e & ((1ULL << 55) - 1)) ? "nonzero" : "0");
}

/* kill from a user: root's process EPERM, SIGCONT in the same session 0, in another EPERM. */
static void signals(void)
{
	drop_to_user();
	show("  kill root SIGCONT, same session", sys2(SYS_kill, targets[0], SIGCONT));
	show("  kill root SIGUSR1", sys2(SYS_kill, targets[0], SIGUSR1));
	show("  setsid", sys0(SYS_setsid) > 0 ? 0 : -1);
	show("  kill root SIGCONT, other session", sys2(SYS_kill, targets[0], SIGCONT));
	show("  kill user SIGCONT, other session", sys2(SYS_kill, targets[1], SIGCONT));
}

struct cap_hdr {
	unsigned version;
	int pid;
};
struct cap_data {
	unsigned eff, prm, inh;
};

/* Clears capability cap from the effective set of the calling thread. */
static long drop_effective(int cap)
{
	struct cap_hdr h = { 0x20080522, 0 };
	struct cap_data d[2];

	sys2(SYS_capget, (long)&h, (long)d);
	d[cap / 32].eff &= ~(1U << (cap % 32));
	return sys2(SYS_capset, (long)&h, (long)d);
}

/* Raising a hard limit needs CAP_SYS_RESOURCE; lowering it and moving the soft one do not. */
static void hard_limits(void)
{
	struct rlimit r = { 64, 128 };

	show("  root lower NOFILE to 64/128", sys2(SYS_setrlimit, RLIMIT_NOFILE, (long)&r));
	r.rlim_max = 256;
	show("  root raise hard to 256", sys2(SYS_setrlimit, RLIMIT_NOFILE, (long)&r));
	show("  drop CAP_SYS_RESOURCE", drop_effective(24));
	r.rlim_max = 512;
	show("  root without it raise hard to 512", sys2(SYS_setrlimit, RLIMIT_NOFILE, (long)&r));
	drop_to_user();
	r.rlim_max = 512;
	show("  user raise hard to 512", sys2(SYS_setrlimit, RLIMIT_NOFILE, (long)&r));
	show("  user prlimit64 self raise", sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, (long)&r, 0));
	r.rlim_max = 100;
	r.rlim_cur = 100;
	show("  user lower hard to 100", sys2(SYS_setrlimit, RLIMIT_NOFILE, (long)&r));
	r.rlim_cur = 50;
	show("  user soft to 50", sys2(SYS_setrlimit, RLIMIT_NOFILE, (long)&r));
	r.rlim_cur = 100;
	show("  user soft back to 100", sys2(SYS_setrlimit, RLIMIT_NOFILE, (long)&r));
	r.rlim_max = 101;
	show("  user hard to 101", sys2(SYS_setrlimit, RLIMIT_NOFILE, (long)&r));
	getrlimit(RLIMIT_NOFILE, &r);
	printf("  NOFILE now %lu/%lu\n", (unsigned long)r.rlim_cur, (unsigned long)r.rlim_max);
}

/* A child that waits for a byte on fd (-1: not), calls PTRACE_TRACEME and prints the result. */
static pid_t traceme_child(const char *who, int fd)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char x;
		if (fd >= 0)
			read(fd, &x, 1);
		long r = sys4(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
		printf("  %s: %s\n", who, is_err(r) ? errname((int)-r) : "0");
		fflush(stdout);
		_exit(0);
	}
	return c;
}

/* PTRACE_TRACEME: allowed when the parent has every capability the child has. */
static void traceme(void)
{
	int go[2];

	pipe(go);
	waitpid(traceme_child("root child of root", -1), NULL, 0);
	/* a root child (every capability) of a parent that dropped to a user: EPERM */
	pid_t c = traceme_child("root child of user", go[0]);
	drop_to_user();
	write(go[1], "x", 1);
	waitpid(c, NULL, 0);
	waitpid(traceme_child("user child of user", -1), NULL, 0);
}

/* fork as the caller: "ok" (the child exits at once) or the error. */
static void try_fork(const char *what)
{
	fflush(stdout);
	long c = sys0(SYS_fork);
	if (c == 0)
		_exit(0);
	show_ok(what, c);
	if (!is_err(c))
		waitpid((pid_t)c, NULL, 0);
}

/* execve of this program with "exec": it prints a line and exits. */
static void try_exec(const char *what)
{
	char *argv[] = { "/proc/self/exe", "exec", NULL }, *envp[] = { NULL };

	fflush(stdout);
	long r = sys3(SYS_execve, (long)"/proc/self/exe", (long)argv, (long)envp);
	show(what, r);
}

/* The limit for the user, then setresuid to the user, fork and execve. */
static void nproc_case(unsigned long limit, int do_fork)
{
	struct rlimit r = { limit, limit };
	char what[80];

	sys2(SYS_setrlimit, RLIMIT_NPROC, (long)&r);
	snprintf(what, sizeof what, "  limit %lu: root fork", limit);
	try_fork(what);
	drop_to_user();
	if (do_fork) {
		snprintf(what, sizeof what, "  limit %lu: user fork", limit);
		try_fork(what);
	}
	snprintf(what, sizeof what, "  limit %lu: user execve", limit);
	try_exec(what);
}

/* uid USER has two processes (the waiting ones) when each case starts. */
static void nproc_3(void)
{
	nproc_case(3, 1);
}
static void nproc_4(void)
{
	nproc_case(4, 1);
}
static void nproc_1(void)
{
	nproc_case(1, 0);
}
static void nproc_2(void)
{
	nproc_case(2, 0);
}

/* RLIMIT_NPROC of a user with CAP_SYS_RESOURCE kept (SECBIT_KEEP_CAPS): fork goes over it. */
static void nproc_capable(void)
{
	struct rlimit r = { 1, 1 };

	sys2(SYS_setrlimit, RLIMIT_NPROC, (long)&r);
	prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	drop_to_user();
	struct cap_hdr h = { 0x20080522, 0 };
	struct cap_data d[2] = { { 1U << 24, 1U << 24, 0 }, { 0, 0, 0 } };
	show("  user keeps CAP_SYS_RESOURCE", sys2(SYS_capset, (long)&h, (long)d));
	try_fork("  limit 1: user with CAP_SYS_RESOURCE fork");
	d[0].eff = 0;
	sys2(SYS_capset, (long)&h, (long)d);
	try_fork("  limit 1: user without it fork");
}

/* Opens a /proc/sys file for writing: the fd or the error. */
static void try_sysctl(const char *path)
{
	char what[96];
	long fd = sys3(SYS_open, (long)path, O_WRONLY, 0);

	snprintf(what, sizeof what, "  open %s for writing", path);
	show_ok(what, fd);
	if (!is_err(fd))
		close((int)fd);
}

/* The calls that need a capability, made by a user: EPERM (EACCES for the sysctl files). */
static void privileged_calls(void)
{
	struct timespec ts = { 0, 0 };
	struct timeval tv = { 0, 0 };
	unsigned long mask = 1;

	drop_to_user();
	show("  sethostname", sys2(SYS_sethostname, (long)"user", 4));
	show("  setdomainname", sys2(SYS_setdomainname, (long)"user", 4));
	show("  sethostname bad length", sys2(SYS_sethostname, (long)"user", -1));
	show("  reboot CAD_OFF", sys4(SYS_reboot, 0xfee1dead, 672274793, 0, 0));
	show("  clock_settime", sys2(SYS_clock_settime, CLOCK_REALTIME, (long)&ts));
	show("  settimeofday", sys2(SYS_settimeofday, (long)&tv, 0));
	show("  settimeofday NULL", sys2(SYS_settimeofday, 0, 0));
	show("  sched_setaffinity root's",
	     sys3(SYS_sched_setaffinity, targets[0], sizeof mask, (long)&mask));
	show("  sched_setaffinity user's",
	     sys3(SYS_sched_setaffinity, targets[1], sizeof mask, (long)&mask));
	void *p = mmap((void *)4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	show_ok("  mmap at 4096", p == MAP_FAILED ? -errno : 0);
	try_sysctl("/proc/sys/vm/mmap_min_addr");
	try_sysctl("/proc/sys/kernel/pid_max");
	try_sysctl("/proc/sys/vm/overcommit_memory");
}

/* The same calls as root, with a bad argument or one that changes nothing that matters. */
static void privileged_root(void)
{
	struct utsname {
		char f[6][65];
	} u;

	show("  sethostname", sys2(SYS_sethostname, (long)"credproc", 8));
	show("  sethostname 65 bytes", sys2(SYS_sethostname, (long)secret, 65));
	show("  sethostname 64 bytes unreadable", sys2(SYS_sethostname, 8, 64));
	show("  setdomainname", sys2(SYS_setdomainname, (long)"example", 7));
	sys1(SYS_uname, (long)&u);
	printf("  uname nodename \"%s\" domainname \"%s\"\n", u.f[1], u.f[5]);
	show("  sethostname empty", sys2(SYS_sethostname, (long)"x", 0));
	sys1(SYS_uname, (long)&u);
	printf("  uname nodename \"%s\"\n", u.f[1]);
	show("  drop CAP_SYS_ADMIN", drop_effective(21));
	show("  sethostname without it", sys2(SYS_sethostname, (long)"x", 1));
	show("  drop CAP_SYS_BOOT", drop_effective(22));
	show("  reboot CAD_OFF without it", sys4(SYS_reboot, 0xfee1dead, 672274793, 0, 0));
	try_sysctl("/proc/sys/kernel/pid_max");
}

/* The nice field of /proc/PID/stat (the 19th), or -99. */
static int stat_nice(int pid)
{
	char path[64], buf[512];
	int n = -99;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (f && fgets(buf, sizeof buf, f)) {
		char *p = strrchr(buf, ')');
		int field = 2;
		for (; p && *p && field < 19; p++)
			if (*p == ' ')
				field++;
		if (p)
			n = atoi(p);
	}
	if (f)
		fclose(f);
	return n;
}

/* setpriority and getpriority across users (set_one_prio_perm, can_nice). */
static void nice_values(void)
{
	show("  root setpriority user's to -5", sys3(SYS_setpriority, PRIO_PROCESS, targets[1], -5));
	show("  root getpriority user's", sys2(SYS_getpriority, PRIO_PROCESS, targets[1]));
	printf("  its /proc stat nice %d\n", stat_nice(targets[1]));
	show("  getpriority PRIO_USER 1000", sys2(SYS_getpriority, PRIO_USER, USER));
	show("  getpriority PRIO_USER 4242", sys2(SYS_getpriority, PRIO_USER, 4242));
	show("  setpriority bad which", sys3(SYS_setpriority, 3, 0, 0));
	show("  getpriority no such pid", sys2(SYS_getpriority, PRIO_PROCESS, 99999));
	drop_to_user();
	show("  user setpriority root's", sys3(SYS_setpriority, PRIO_PROCESS, targets[0], 5));
	show("  user setpriority self to 5", sys3(SYS_setpriority, PRIO_PROCESS, 0, 5));
	show("  user getpriority self", sys2(SYS_getpriority, PRIO_PROCESS, 0));
	show("  user setpriority self to 4", sys3(SYS_setpriority, PRIO_PROCESS, 0, 4));
	show("  user setpriority self to 40", sys3(SYS_setpriority, PRIO_PROCESS, 0, 40));
	show("  user getpriority self", sys2(SYS_getpriority, PRIO_PROCESS, 0));
	show("  user setpriority user's to 0", sys3(SYS_setpriority, PRIO_PROCESS, targets[1], 0));
	show("  user setpriority user's to 10", sys3(SYS_setpriority, PRIO_PROCESS, targets[1], 10));
	show("  user setpriority PRIO_USER 1000 to 12", sys3(SYS_setpriority, PRIO_USER, 0, 12));
	show("  user getpriority PRIO_USER 1000", sys2(SYS_getpriority, PRIO_USER, 0));
	show("  user setpriority PRIO_USER 0", sys3(SYS_setpriority, PRIO_USER, 0 + 1 - 1, 12));
	show("  user setpriority PRIO_PGRP", sys3(SYS_setpriority, PRIO_PGRP, 0, 13));
}

/* Writes text to /proc/self/name: 0 or the error. */
static long write_self(const char *name, const char *text)
{
	long fd = open_proc(0, name, O_WRONLY);
	if (is_err(fd))
		return fd;
	long r = sys3(SYS_write, fd, (long)text, (long)strlen(text));
	close((int)fd);
	return is_err(r) ? r : 0;
}

/* oom_score_adj below the floor, and oom_adj lowered at all, need CAP_SYS_RESOURCE. */
static void oom_adj(void)
{
	drop_to_user();
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	show("  user oom_score_adj 100", write_self("oom_score_adj", "100"));
	show("  user oom_score_adj 10", write_self("oom_score_adj", "10"));
	show("  user oom_score_adj -1", write_self("oom_score_adj", "-1"));
	show("  user oom_adj 0", write_self("oom_adj", "0"));
	show("  user oom_adj 5", write_self("oom_adj", "5"));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec")) {
		printf("  exec ran as uid %ld\n", sys0(SYS_getuid));
		return 0;
	}
	secret = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	targets[0] = start_target("root secret", 0, 1);
	targets[1] = start_target("user secret", 1, 1);
	targets[2] = start_target("hidden secret", 1, 0);
	run_case("as root", as_root);
	run_case("as uid 1000", as_user);
	run_case("own files, not dumpable", self_nondumpable);
	run_case("pagemap frame numbers", pagemap_frames);
	run_case("signals", signals);
	run_case("hard limits", hard_limits);
	run_case("PTRACE_TRACEME", traceme);
	run_case("RLIMIT_NPROC 3 (user has 2)", nproc_3);
	run_case("RLIMIT_NPROC 4", nproc_4);
	run_case("RLIMIT_NPROC 1: setresuid over the limit", nproc_1);
	run_case("RLIMIT_NPROC 2: at the limit", nproc_2);
	run_case("RLIMIT_NPROC with CAP_SYS_RESOURCE", nproc_capable);
	run_case("privileged calls as uid 1000", privileged_calls);
	run_case("privileged calls as root", privileged_root);
	run_case("nice values", nice_values);
	run_case("oom_score_adj as a user", oom_adj);
	for (int i = 0; i < NTARGETS; i++) {
		kill(targets[i], SIGKILL);
		waitpid(targets[i], NULL, 0);
	}
	printf("done\n");
	return 0;
}
