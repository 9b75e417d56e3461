/* caps: capget, capset and the capability prctls (Linux 6.1's kernel/capability.c,
 * security/commoncap.c cap_capset and cap_task_prctl, kernel/sys.c prctl; docs/credentials.md).
 * Raw system calls, each case in a forked child (dropped capabilities cannot come back): the
 * three header versions, an unknown version (version 3 written back, EINVAL, NULL data), pids,
 * EFAULT, capset's subset rules and the VFS bits past CAP_LAST_CAP, the bounding set,
 * keep-caps and securebits (setresuid keeps permitted, execve clears KEEP_CAPS), the ambient
 * set (raise, lower, clear, dropped by capset and setresuid, kept by execve), no_new_privs, and
 * /proc/thread-self/status's CapInh/CapPrm/CapEff/CapBnd/CapAmb/NoNewPrivs lines. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define V1 0x19980330
#define V2 0x20071026
#define V3 0x20080522

#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_GET_KEEPCAPS 7
#define PR_SET_KEEPCAPS 8
#define PR_CAPBSET_READ 23
#define PR_CAPBSET_DROP 24
#define PR_GET_SECUREBITS 27
#define PR_SET_SECUREBITS 28
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39
#define PR_CAP_AMBIENT 47

struct hdr {
	unsigned version;
	int pid;
};

struct data {
	unsigned eff, prm, inh;
};

#define CALL(x) show(#x, x)
#define sys5(n, a, b, c, d, e) sys6(n, a, b, c, d, e, 0)

/* Prints the capability lines and NoNewPrivs of /proc/thread-self/status. */
static void status(const char *what)
{
	char buf[4096];
	FILE *f = fopen("/proc/thread-self/status", "r");

	printf("  [%s]", what);
	while (f && fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\n")] = 0;
		if (!strncmp(buf, "Cap", 3) || !strncmp(buf, "NoNewPrivs", 10)) {
			char *t = strchr(buf, '\t');
			if (t)
				*t = '=';
			printf(" %s", buf);
		}
	}
	if (f)
		fclose(f);
	printf("\n");
}

/* capget of pid with the given version, printing the result and the sets it filled. */
static void get(unsigned version, int pid)
{
	struct hdr h = { version, pid };
	struct data d[2];
	memset(d, 0xa5, sizeof d);
	long r = sys2(SYS_capget, (long)&h, (long)d);
	printf("  capget v%x pid %s: %s%s version %x eff %x %x prm %x %x inh %x %x\n", version,
	       pid == 0 ? "0" : pid == getpid() ? "self" : "other", is_err(r) ? "-1 " : "0",
	       is_err(r) ? errname((int)-r) : "", h.version, d[0].eff, d[1].eff, d[0].prm,
	       d[1].prm, d[0].inh, d[1].inh);
}

/* capset of the calling thread with 64-bit sets split into the two u32 halves. */
static long set(unsigned version, unsigned long long eff, unsigned long long prm,
		unsigned long long inh)
{
	struct hdr h = { version, 0 };
	struct data d[2] = { { (unsigned)eff, (unsigned)prm, (unsigned)inh },
			     { (unsigned)(eff >> 32), (unsigned)(prm >> 32),
			       (unsigned)(inh >> 32) } };
	return sys2(SYS_capset, (long)&h, (long)d);
}

#define FULL 0x1ffffffffffULL
#define BIT(n) (1ULL << (n))

static void capget_calls(void)
{
	get(V1, 0);
	get(V2, 0);
	get(V3, 0);
	get(V3, getpid());
	get(V3, getppid());
	get(V3, 999999);
	get(V3, -1);
	get(0x12345678, 0);
	struct hdr h = { 0x12345678, 0 };
	CALL(sys2(SYS_capget, (long)&h, 0));
	printf("  version written back: %x\n", h.version);
	h.version = V3;
	CALL(sys2(SYS_capget, (long)&h, 0));
	h.pid = 999999;
	CALL(sys2(SYS_capget, (long)&h, 0));
	h.pid = 0;
	CALL(sys2(SYS_capget, 0, 0));
	CALL(sys2(SYS_capget, 8, 0));
	CALL(sys2(SYS_capget, (long)&h, 8));
	CALL(sys2(SYS_capget, 0, (long)&h));
}

static void capset_calls(void)
{
	struct hdr h = { V3, getppid() };
	struct data d[2];
	memset(d, 0, sizeof d);
	CALL(sys2(SYS_capset, (long)&h, (long)d));
	h.pid = getpid();
	CALL(sys2(SYS_capset, (long)&h, 8));
	CALL(sys2(SYS_capset, 0, (long)d));
	h.version = 1;
	CALL(sys2(SYS_capset, (long)&h, (long)d));
	printf("  version written back: %x\n", h.version);
	h.pid = 999999;
	h.version = 7;
	CALL(sys2(SYS_capset, (long)&h, (long)d));
	h.version = V3;
	CALL(sys2(SYS_capset, (long)&h, (long)d));
	/* the VFS bits past CAP_LAST_CAP go */
	CALL(set(V3, ~0ULL, ~0ULL, 0));
	status("all bits asked");
	CALL(set(V3, FULL & ~BIT(14), FULL & ~BIT(14), 0));
	status("dropped CAP_IPC_LOCK");
	CALL(set(V3, FULL, FULL, 0));
	CALL(set(V3, FULL & ~BIT(14), FULL, 0));
	CALL(set(V3, FULL & ~BIT(14), FULL & ~BIT(14), BIT(14)));
	status("inheritable IPC_LOCK with CAP_SETPCAP");
	CALL(set(V3, FULL & ~BIT(14) & ~BIT(8), FULL & ~BIT(14), BIT(14) | BIT(15)));
	CALL(set(V3, FULL & ~BIT(14) & ~BIT(8), FULL & ~BIT(14), BIT(9)));
	status("without CAP_SETPCAP");
	CALL(set(V3, 0, FULL & ~BIT(14), BIT(14)));
	CALL(set(V3, 0, FULL & ~BIT(14), BIT(9) | BIT(14)));
	status("inheritable back within old inheritable");
	/* version 1 carries only the low 32 capabilities */
	CALL(set(V1, BIT(5), BIT(5) | BIT(6), 0));
	status("version 1");
	get(V1, 0);
	get(V2, 0);
}

static void bset_calls(void)
{
	CALL(sys2(SYS_prctl, PR_CAPBSET_READ, 0));
	CALL(sys2(SYS_prctl, PR_CAPBSET_READ, 40));
	CALL(sys2(SYS_prctl, PR_CAPBSET_READ, 41));
	CALL(sys2(SYS_prctl, PR_CAPBSET_READ, -1));
	CALL(sys2(SYS_prctl, PR_CAPBSET_DROP, 41));
	CALL(sys2(SYS_prctl, PR_CAPBSET_DROP, 21));
	CALL(sys2(SYS_prctl, PR_CAPBSET_READ, 21));
	status("dropped CAP_SYS_ADMIN from the bounding set");
	/* inheritable stays within old inheritable | bounding even with CAP_SETPCAP */
	CALL(set(V3, FULL, FULL, BIT(21)));
	CALL(set(V3, FULL, FULL, BIT(20)));
	CALL(set(V3, FULL & ~BIT(8), FULL, BIT(20)));
	CALL(sys2(SYS_prctl, PR_CAPBSET_DROP, 41));
	CALL(sys2(SYS_prctl, PR_CAPBSET_DROP, 22));
	status("without CAP_SETPCAP");
}

static void keepcaps_calls(void)
{
	CALL(sys2(SYS_prctl, PR_GET_KEEPCAPS, 0));
	CALL(sys2(SYS_prctl, PR_SET_KEEPCAPS, 2));
	CALL(sys2(SYS_prctl, PR_SET_KEEPCAPS, 1));
	CALL(sys2(SYS_prctl, PR_GET_KEEPCAPS, 0));
	CALL(sys2(SYS_prctl, PR_GET_SECUREBITS, 0));
	CALL(sys3(SYS_setresuid, 1000, 1000, 1000));
	status("setresuid 1000 with keep-caps");
	CALL(sys3(SYS_setresuid, 1000, 1000, 1000));
	CALL(set(V3, BIT(5), FULL, 0));
	status("effective raised again");
	CALL(sys2(SYS_prctl, PR_SET_SECUREBITS, 0));
	CALL(sys2(SYS_prctl, PR_GET_KEEPCAPS, 0));
}

static void securebits_calls(void)
{
	CALL(sys2(SYS_prctl, PR_SET_SECUREBITS, 0x100));
	CALL(sys2(SYS_prctl, PR_SET_SECUREBITS, 0x10));
	CALL(sys2(SYS_prctl, PR_GET_KEEPCAPS, 0));
	CALL(sys2(SYS_prctl, PR_SET_SECUREBITS, 0x30));
	CALL(sys2(SYS_prctl, PR_GET_SECUREBITS, 0));
	CALL(sys2(SYS_prctl, PR_SET_KEEPCAPS, 0));
	CALL(sys2(SYS_prctl, PR_SET_SECUREBITS, 0x10));
	CALL(sys2(SYS_prctl, PR_SET_SECUREBITS, 0x20));
	CALL(sys2(SYS_prctl, PR_SET_SECUREBITS, 0x70));
	CALL(sys2(SYS_prctl, PR_GET_SECUREBITS, 0));
	/* NO_SETUID_FIXUP: dropping root keeps every capability */
	CALL(sys2(SYS_prctl, PR_SET_SECUREBITS, 0x74));
	CALL(sys3(SYS_setresuid, 1000, 1000, 1000));
	status("setresuid 1000 with NO_SETUID_FIXUP");
	CALL(sys2(SYS_prctl, PR_SET_SECUREBITS, 0x30));
}

static void ambient_calls(void)
{
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 1, 41, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 1, 5, 1, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 1, 5, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 2, 5, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 5, 5, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 0, 5, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 4, 1, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 4, 0, 0, 1));
	CALL(set(V3, FULL, FULL, BIT(5) | BIT(6) | BIT(12)));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 2, 5, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 2, 6, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 2, 12, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 1, 5, 0, 0));
	status("ambient 5 6 12");
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 3, 6, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 3, 40, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 1, 6, 0, 0));
	CALL(set(V3, FULL, FULL & ~BIT(12), BIT(5) | BIT(6) | BIT(12)));
	CALL(set(V3, FULL & ~BIT(12), FULL & ~BIT(12), BIT(5) | BIT(6) | BIT(12)));
	status("permitted without 12");
	CALL(sys2(SYS_prctl, PR_SET_SECUREBITS, 0x40));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 2, 6, 0, 0));
	CALL(sys2(SYS_prctl, PR_SET_SECUREBITS, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 2, 6, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 4, 0, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 1, 5, 0, 0));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 2, 5, 0, 0));
	CALL(sys3(SYS_setresuid, 0, 1000, 0));
	status("euid 1000");
	CALL(sys3(SYS_setresuid, 1000, 1000, 1000));
	status("all uids 1000: ambient dropped");
}

static char *self;

/* Keep-caps, an ambient capability and no_new_privs across setresuid and execve. */
static void execs(void)
{
	CALL(set(V3, FULL, FULL, BIT(5) | BIT(6)));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 2, 5, 0, 0));
	CALL(sys2(SYS_prctl, PR_SET_KEEPCAPS, 1));
	CALL(sys2(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1));
	CALL(sys3(SYS_setresuid, 1000, 1000, 1000));
	CALL(sys5(SYS_prctl, PR_CAP_AMBIENT, 2, 5, 0, 0));
	status("before execve");
	fflush(stdout);
	char *argv[] = { self, "exec", NULL };
	execv("/proc/self/exe", argv);
	printf("  execv failed\n");
}

static void root_exec(void)
{
	CALL(sys2(SYS_prctl, PR_CAPBSET_DROP, 21));
	CALL(set(V3, FULL, FULL, BIT(20) | BIT(21)));
	CALL(set(V3, FULL, FULL, BIT(20)));
	CALL(sys2(SYS_prctl, PR_SET_KEEPCAPS, 1));
	fflush(stdout);
	char *argv[] = { self, "exec", NULL };
	execv("/proc/self/exe", argv);
	printf("  execv failed\n");
}

static void nnp_exec(void)
{
	CALL(sys2(SYS_prctl, PR_SET_DUMPABLE, 0));
	fflush(stdout);
	char *argv[] = { self, "exec", NULL };
	execv("/proc/self/exe", argv);
	printf("  execv failed\n");
}

static void nnp_calls(void)
{
	CALL(sys2(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0));
	CALL(sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));
	CALL(sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 1));
	CALL(sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
	CALL(sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
	CALL(sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0));
	CALL(sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	CALL(sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	CALL(sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	status("no_new_privs");
	fflush(stdout);
	if (fork() == 0) {
		CALL(sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
		fflush(stdout);
		_exit(0);
	}
	wait(NULL);
}

#define DUMP(what, x) ((void)(x), printf("  dumpable after %s: %ld\n", what, sys1(SYS_prctl, PR_GET_DUMPABLE)))

static void dumpable_calls(void)
{
	CALL(sys1(SYS_prctl, PR_GET_DUMPABLE));
	CALL(sys2(SYS_prctl, PR_SET_DUMPABLE, 2));
	CALL(sys2(SYS_prctl, PR_SET_DUMPABLE, 3));
	CALL(sys2(SYS_prctl, PR_SET_DUMPABLE, -1));
	CALL(sys2(SYS_prctl, PR_SET_DUMPABLE, 0));
	CALL(sys1(SYS_prctl, PR_GET_DUMPABLE));
	CALL(sys2(SYS_prctl, PR_SET_DUMPABLE, 1));
	DUMP("setuid(0)", sys1(SYS_setuid, 0));
	DUMP("setresuid unchanged", sys3(SYS_setresuid, -1, -1, -1));
	DUMP("capset smaller", set(V3, FULL & ~BIT(14), FULL & ~BIT(14), 0));
	DUMP("setfsgid(0)", sys1(SYS_setfsgid, 0));
	DUMP("setfsgid(5)", sys1(SYS_setfsgid, 5));
	CALL(sys2(SYS_prctl, PR_SET_DUMPABLE, 1));
	DUMP("setregid(-1, 5)", sys2(SYS_setregid, -1, 5));
	CALL(sys2(SYS_prctl, PR_SET_DUMPABLE, 1));
	DUMP("setresgid(0, 0, 0)", sys3(SYS_setresgid, 0, 0, 0));
	CALL(sys2(SYS_prctl, PR_SET_DUMPABLE, 1));
	DUMP("setfsuid(7)", sys1(SYS_setfsuid, 7));
	CALL(sys2(SYS_prctl, PR_SET_DUMPABLE, 1));
	DUMP("setfsuid(7) again", sys1(SYS_setfsuid, 7));
	DUMP("setgid(0)", sys1(SYS_setgid, 0));
	fflush(stdout);
	if (fork() == 0) {
		DUMP("fork", 0);
		fflush(stdout);
		_exit(0);
	}
	wait(NULL);
	DUMP("setreuid(-1, 1000)", sys2(SYS_setreuid, -1, 1000));
	CALL(sys2(SYS_prctl, PR_SET_DUMPABLE, 1));
	DUMP("setuid(0) back", sys1(SYS_setuid, 0));
}

static void dumpable_exec(void)
{
	CALL(sys2(SYS_prctl, PR_SET_DUMPABLE, 0));
	CALL(sys3(SYS_setresuid, 0, 1000, 0));
	fflush(stdout);
	char *argv[] = { self, "exec", NULL };
	execv("/proc/self/exe", argv);
	printf("  execv failed\n");
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 1 && !strcmp(argv[1], "exec")) {
		status("after execve");
		CALL(sys2(SYS_prctl, PR_GET_KEEPCAPS, 0));
		CALL(sys2(SYS_prctl, PR_GET_SECUREBITS, 0));
		CALL(sys2(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0));
		CALL(sys1(SYS_prctl, PR_GET_DUMPABLE));
		return 0;
	}
	status("start");
	run_case("capget", capget_calls);
	run_case("capset", capset_calls);
	run_case("bounding set", bset_calls);
	run_case("keep-caps", keepcaps_calls);
	run_case("securebits", securebits_calls);
	run_case("ambient", ambient_calls);
	run_case("no_new_privs", nnp_calls);
	run_case("execve as user with keep-caps and ambient", execs);
	run_case("execve as root with a smaller bounding set", root_exec);
	run_case("dumpable", dumpable_calls);
	run_case("dumpable across execve with euid 1000", dumpable_exec);
	run_case("dumpable across execve as root", nnp_exec);
	return 0;
}
