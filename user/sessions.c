/* sessions: setsid, setpgid, getpgid, getsid and getpgrp as Linux 6.1 (issue 16, item 2).
 *
 * The program first checks the ids it starts with: on Warden it is PID 1, on Linux a child of
 * the harness's init, and both inherit Linux init's process group 0 and session 0 (init runs in
 * init_struct_pid's until it calls setsid). Then a forked "leader" makes a session of its own
 * (setsid) and runs every case in forked children of that session: what setsid and setpgid
 * change, and each of their errors in Linux's order of checks (setsid: EPERM for a group leader
 * or when a group with the caller's pid exists; setpgid: EINVAL for a negative pgid, ESRCH for a
 * process that is neither the caller nor its child, EPERM for a child in another session,
 * EACCES for a child that has exec'd, EPERM for a session leader, for a group that does not
 * exist or is in another session; getpgid/getsid: ESRCH).
 *
 * Ids are printed only as relations ("== own pid", "== parent's pgid"), never as numbers.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define NOPID 0x7fffffff /* a pid no process has */

static char *self_path;

/* Names how id relates to the pids of interest: "own pid", "parent's pid", "0", or "other". */
static const char *rel(long id, long own, long parent, long other, const char *other_name)
{
	if (id == own)
		return "own pid";
	if (id == parent)
		return "parent's pid";
	if (other && id == other)
		return other_name;
	if (id == 0)
		return "0";
	return "other";
}

/* "what: == relation" for a successful id result, "what: -1 ENAME" for an error. */
static void show_id(const char *what, long r, long own, long parent, long other,
		    const char *other_name)
{
	if (is_err(r))
		printf("%s: -1 %s\n", what, errname((int)-r));
	else
		printf("%s: == %s\n", what, rel(r, own, parent, other, other_name));
}

/* A child that waits until its pipe's write end closes, then exits 0 (after its action). */
struct waiter {
	int pid;
	int fd; /* the write end: closing it releases the child */
};

static struct waiter start_waiter(void (*action)(void))
{
	int p[2];
	struct waiter w;
	char c;

	if (pipe(p))
		exit(90);
	fflush(stdout);
	w.pid = fork();
	if (w.pid == 0) {
		for (int fd = 3; fd < 64; fd++) /* other waiters' write ends would keep them waiting */
			if (fd != p[0])
				close(fd);
		if (action)
			action();
		fflush(stdout);
		while (read(p[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(p[0]);
	w.fd = p[1];
	sleep_ms(50); /* the action is done (it is one syscall) */
	return w;
}

static void stop_waiter(struct waiter w)
{
	int st;

	close(w.fd);
	waitpid(w.pid, &st, 0);
}

static void do_setsid(void)
{
	sys0(SYS_setsid);
}

static void do_setpgid_self(void)
{
	sys2(SYS_setpgid, 0, 0);
}

/* A child that execs this program as "sleeper FD": it has exec'd, for setpgid's EACCES. */
static struct waiter start_execed(int make_session)
{
	int p[2], ready[2];
	struct waiter w;
	char fdarg[16], c;

	if (pipe(p) || pipe(ready))
		exit(90);
	fflush(stdout);
	w.pid = fork();
	if (w.pid == 0) {
		close(p[1]);
		close(ready[0]);
		if (make_session)
			sys0(SYS_setsid);
		snprintf(fdarg, sizeof fdarg, "%d", p[0]);
		dup2(ready[1], 100); /* closed by the sleeper once it runs the new program */
		close(ready[1]);
		char *argv[] = { self_path, "sleeper", fdarg, NULL };
		execv(self_path, argv);
		_exit(91);
	}
	close(p[0]);
	close(ready[1]);
	while (read(ready[0], &c, 1) > 0) /* EOF: the new program runs */
		;
	close(ready[0]);
	w.fd = p[1];
	return w;
}

/* setsid from a process that leads no group: a new session and group, both its pid. */
static void case_setsid_new(void)
{
	long me = getpid(), parent = getppid();

	show_id("issue 16 item 2: setsid in a forked child", sys0(SYS_setsid), me, parent, 0, "");
	show_id("  then getsid(0)", sys1(SYS_getsid, 0), me, parent, 0, "");
	show_id("  then getpgid(0)", sys1(SYS_getpgid, 0), me, parent, 0, "");
	show_id("  then getpgrp()", sys0(SYS_getpgrp), me, parent, 0, "");
	show_id("  then getsid(parent)", sys1(SYS_getsid, parent), me, parent, 0, "");
	show_id("  setsid again (session leader)", sys0(SYS_setsid), me, parent, 0, "");
	show_id("  setpgid(0, 0) as session leader", sys2(SYS_setpgid, 0, 0), me, parent, 0, "");
	show_id("  setpgid(own pid, own pid) as session leader", sys2(SYS_setpgid, me, me), me,
		parent, 0, "");
}

/* setsid from a group leader: EPERM, and nothing changes. */
static void case_setsid_group_leader(void)
{
	long me = getpid(), parent = getppid();

	show_id("issue 16 item 2: setpgid(0, 0)", sys2(SYS_setpgid, 0, 0), me, parent, 0, "");
	show_id("  then getpgid(0)", sys1(SYS_getpgid, 0), me, parent, 0, "");
	show_id("  setsid as group leader", sys0(SYS_setsid), me, parent, 0, "");
	show_id("  getsid(0) unchanged", sys1(SYS_getsid, 0), me, parent, 0, "");
}

/* setsid when the caller leads no group but a group with its pid still exists: EPERM. */
static void case_setsid_group_exists(void)
{
	long me = getpid(), parent = getppid();

	sys2(SYS_setpgid, 0, 0);
	struct waiter w = start_waiter(NULL); /* in our group */
	show_id("issue 16 item 2: back into the parent's group", sys2(SYS_setpgid, 0, parent), me,
		parent, 0, "");
	show_id("  getpgid(child still in the old group)", sys1(SYS_getpgid, w.pid), me, parent, 0,
		"");
	show_id("  setsid while a group with own pid exists", sys0(SYS_setsid), me, parent, 0, "");
	stop_waiter(w);
	show_id("  setsid once that group is gone", sys0(SYS_setsid), me, parent, 0, "");
}

/* The getters: self, parent, nonexistent and negative pids. */
static void case_getters(void)
{
	long me = getpid(), parent = getppid();

	show_id("issue 16 item 2: getpgid(0) in a child of the leader", sys1(SYS_getpgid, 0), me,
		parent, 0, "");
	show_id("  getpgid(own pid)", sys1(SYS_getpgid, me), me, parent, 0, "");
	show_id("  getpgid(parent)", sys1(SYS_getpgid, parent), me, parent, 0, "");
	show_id("  getsid(0)", sys1(SYS_getsid, 0), me, parent, 0, "");
	show_id("  getsid(parent)", sys1(SYS_getsid, parent), me, parent, 0, "");
	show_id("  getpgrp()", sys0(SYS_getpgrp), me, parent, 0, "");
	show("  getpgid(nonexistent)", sys1(SYS_getpgid, NOPID));
	show("  getpgid(-1)", sys1(SYS_getpgid, -1));
	show("  getpgid(INT_MIN)", sys1(SYS_getpgid, (int)0x80000000));
	show("  getsid(nonexistent)", sys1(SYS_getsid, NOPID));
	show("  getsid(-1)", sys1(SYS_getsid, -1));
}

/* setpgid's errors on its arguments and on processes that are not children. */
static void case_setpgid_errors(void)
{
	long me = getpid(), parent = getppid();

	show("issue 16 item 2: setpgid(0, -1)", sys2(SYS_setpgid, 0, -1));
	show("  setpgid(-1, 0) (pgid becomes -1)", sys2(SYS_setpgid, -1, 0));
	show("  setpgid(-5, 3)", sys2(SYS_setpgid, -5, 3));
	show("  setpgid(nonexistent, 0)", sys2(SYS_setpgid, NOPID, 0));
	show("  setpgid(parent, 0) (not a child)", sys2(SYS_setpgid, parent, 0));
	show("  setpgid(parent, parent)", sys2(SYS_setpgid, parent, parent));
	show("  setpgid(0, nonexistent group)", sys2(SYS_setpgid, 0, NOPID));
	show("  setpgid(0, -1) before the pid check", sys2(SYS_setpgid, NOPID, -1));
	show_id("  getpgid(0) unchanged", sys1(SYS_getpgid, 0), me, parent, 0, "");
	show("  setpgid(0, parent's pid) (its group, same session)", sys2(SYS_setpgid, 0, parent));
	show("  setpgid(own pid, parent's pid) again", sys2(SYS_setpgid, me, parent));
}

/* setpgid on children: moving them, and the EPERM/EACCES/ESRCH rules. */
static void case_setpgid_children(void)
{
	long me = getpid(), parent = getppid();
	struct waiter a = start_waiter(NULL);
	struct waiter b = start_waiter(NULL);

	show_id("issue 16 item 2: getpgid(new child) (inherited)", sys1(SYS_getpgid, a.pid), me,
		parent, 0, "");
	show_id("  getsid(new child) (inherited)", sys1(SYS_getsid, a.pid), me, parent, 0, "");
	show("  setpgid(child, 0)", sys2(SYS_setpgid, a.pid, 0));
	show_id("  then getpgid(child)", sys1(SYS_getpgid, a.pid), me, parent, a.pid, "child's pid");
	show("  setpgid(second child, first child's group)", sys2(SYS_setpgid, b.pid, a.pid));
	show_id("  then getpgid(second child)", sys1(SYS_getpgid, b.pid), me, parent, a.pid,
		"child's pid");
	show("  setpgid(second child, its own pid) (no such group yet: it is created)",
	     sys2(SYS_setpgid, b.pid, b.pid));
	show("  setpgid(0, child's group) (the caller joins it)", sys2(SYS_setpgid, 0, a.pid));
	show_id("  then getpgid(0)", sys1(SYS_getpgid, 0), me, parent, a.pid, "child's pid");
	show("  setpgid(0, parent's pid) (back)", sys2(SYS_setpgid, 0, parent));
	show("  setpgid(child, pid of a process that leads no group)",
	     sys2(SYS_setpgid, a.pid, me));
	show("  setpgid(child, nonexistent group)", sys2(SYS_setpgid, a.pid, NOPID));
	stop_waiter(a);
	stop_waiter(b);
	show("  setpgid(reaped child, 0)", sys2(SYS_setpgid, a.pid, 0));

	/* A grandchild is not the caller's child. */
	fflush(stdout);
	int p[2];
	if (pipe(p))
		exit(90);
	pid_t c = fork();
	if (c == 0) {
		struct waiter g = start_waiter(NULL);
		write(p[1], &g.pid, sizeof(g.pid));
		sleep_ms(300);
		stop_waiter(g);
		_exit(0);
	}
	int gpid = 0;
	read(p[0], &gpid, sizeof(gpid));
	show("  setpgid(grandchild, 0)", sys2(SYS_setpgid, gpid, 0));
	show("  getpgid(grandchild) works", is_err(sys1(SYS_getpgid, gpid)) ? -ESRCH : 0);
	waitpid(c, NULL, 0);
}

/* Children in another session, and groups of another session. */
static void case_setpgid_sessions(void)
{
	long me = getpid(), parent = getppid();
	struct waiter other = start_waiter(do_setsid); /* leads its own session and group */
	struct waiter plain = start_waiter(NULL);

	show_id("issue 16 item 2: getsid(child after setsid)", sys1(SYS_getsid, other.pid), me,
		parent, other.pid, "child's pid");
	show("  setpgid(child in another session, 0)", sys2(SYS_setpgid, other.pid, 0));
	show("  setpgid(child in another session, own group)",
	     sys2(SYS_setpgid, other.pid, parent));
	show("  setpgid(0, group of another session)", sys2(SYS_setpgid, 0, other.pid));
	show("  setpgid(child, group of another session)", sys2(SYS_setpgid, plain.pid, other.pid));
	show("  setpgid(child, 0) in the same session", sys2(SYS_setpgid, plain.pid, 0));
	stop_waiter(other);
	stop_waiter(plain);

	/* A child that has exec'd: EACCES, but the session check comes first. */
	struct waiter ex = start_execed(0);
	show("  setpgid(exec'd child, 0)", sys2(SYS_setpgid, ex.pid, 0));
	show("  setpgid(exec'd child, its current group)", sys2(SYS_setpgid, ex.pid, parent));
	show("  setpgid(exec'd child, -1)", sys2(SYS_setpgid, ex.pid, -1));
	show_id("  getpgid(exec'd child)", sys1(SYS_getpgid, ex.pid), me, parent, 0, "");
	stop_waiter(ex);
	struct waiter exs = start_execed(1);
	show("  setpgid(exec'd child in another session, 0)", sys2(SYS_setpgid, exs.pid, 0));
	stop_waiter(exs);

	/* A group leader's own group stays while it has other members. */
	struct waiter lead = start_waiter(do_setpgid_self);
	show_id("  getpgid(child after setpgid(0, 0))", sys1(SYS_getpgid, lead.pid), me, parent,
		lead.pid, "child's pid");
	stop_waiter(lead);
}

static void run(const char *name, void (*fn)(void))
{
	int st = child_status(fn);

	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("%s: case process status %#x\n", name, st);
}

/* The session leader: a session of its own, then every case in a child. */
static void leader(void)
{
	long me = getpid(), parent = getppid();

	show_id("issue 16 item 2: leader setsid", sys0(SYS_setsid), me, parent, 0, "");
	show_id("  leader getpgrp()", sys0(SYS_getpgrp), me, parent, 0, "");
	run("setsid_new", case_setsid_new);
	run("setsid_group_leader", case_setsid_group_leader);
	run("setsid_group_exists", case_setsid_group_exists);
	run("getters", case_getters);
	run("setpgid_errors", case_setpgid_errors);
	run("setpgid_children", case_setpgid_children);
	run("setpgid_sessions", case_setpgid_sessions);
}

int main(int argc, char **argv)
{
	char c;

	if (argc == 3 && !strcmp(argv[1], "sleeper")) {
		close(100); /* tells the parent the new program runs */
		while (read(atoi(argv[2]), &c, 1) > 0)
			;
		return 0;
	}
	self_path = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Linux's init runs in group 0 and session 0 (init_struct_pid) until it calls setsid. */
	show("issue 16 item 2: getpgrp() at start (as Linux's init)", sys0(SYS_getpgrp));
	show("getpgid(0) at start", sys1(SYS_getpgid, 0));
	show("getsid(0) at start", sys1(SYS_getsid, 0));
	int st = child_status(leader);
	printf("leader: status %#x\n", st);
	return 0;
}
