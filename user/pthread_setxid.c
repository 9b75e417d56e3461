/* pthread_setxid: credentials in a thread group (issue 17 item 6; Warden's credentials are
 * issue 20). On Linux credentials belong to each thread: the setuid/setgid family of system
 * calls changes only the calling thread. POSIX wants the whole process changed, so libc's
 * setresgid/setegid/seteuid/setresuid make every thread do the system call (musl and glibc
 * signal each thread and wait for it). So a libc call in one thread shows in all of them, while
 * the raw system call (syscall(SYS_setresgid)) changes only its caller; /proc/thread-self/status
 * shows the caller's credentials, /proc/self/status the thread group leader's (the main thread).
 * Four threads (main, A, B, C) take turns through barriers: one acts, then each records its own
 * getresuid/getresgid (raw system calls); main prints the table after the joins. Runs as root
 * (uid 0 on run-linux and on Warden): every change keeps a real or saved uid 0, so it can be
 * undone. Built with musl and glibc (tests/user/glibc-programs). Needs threads: listed in
 * tests/user/pending-threads. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

#define NT 4
static const char *names[NT] = { "main", "A", "B", "C" };

struct ids {
	unsigned r, e, s;
};

enum { INITIAL, LIBC_SETRESGID, RAW_SETRESGID, LIBC_SETEGID, LIBC_SETEUID, LIBC_SETEUID0,
       RAW_SETRESUID, LIBC_RESET, NSTEPS };

static const struct {
	int actor;
	const char *what;
} steps[NSTEPS] = {
	[INITIAL] = { -1, "at the start" },
	[LIBC_SETRESGID] = { 1, "A: setresgid(1, 2, 3) (libc)" },
	[RAW_SETRESGID] = { 2, "B: syscall(SYS_setresgid, 4, 5, 6) (raw)" },
	[LIBC_SETEGID] = { 0, "main: setegid(7) (libc)" },
	[LIBC_SETEUID] = { 3, "C: seteuid(1000) (libc)" },
	[LIBC_SETEUID0] = { 1, "A: seteuid(0) (libc)" },
	[RAW_SETRESUID] = { 2, "B: syscall(SYS_setresuid, -1, 1000, -1) (raw)" },
	[LIBC_RESET] = { 0, "main: setresuid(0, 0, 0), setresgid(0, 0, 0) (libc)" },
};

static pthread_barrier_t bar;
static struct ids uids[NSTEPS][NT], gids[NSTEPS][NT];
static long results[NSTEPS][2];
static char thread_self_uid[128], thread_self_gid[128], self_uid[128], self_gid[128];

static void act(int step)
{
	long r = 0, r2 = 0;
	switch (step) {
	case LIBC_SETRESGID:
		r = setresgid(1, 2, 3);
		break;
	case RAW_SETRESGID:
		r = sys3(SYS_setresgid, 4, 5, 6);
		break;
	case LIBC_SETEGID:
		r = setegid(7);
		break;
	case LIBC_SETEUID:
		r = seteuid(1000);
		break;
	case LIBC_SETEUID0:
		r = seteuid(0);
		break;
	case RAW_SETRESUID:
		r = sys3(SYS_setresuid, -1, 1000, -1);
		break;
	case LIBC_RESET:
		r = setresuid(0, 0, 0);
		r2 = setresgid(0, 0, 0);
		break;
	}
	results[step][0] = r == -1 ? -errno : r;
	results[step][1] = r2 == -1 ? -errno : r2;
}

/* The "Uid:" or "Gid:" line of a status file, tabs shown as spaces. */
static void status_line(const char *path, const char *key, char *out, size_t n)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	snprintf(out, n, "(no %s)", path);
	if (!f)
		return;
	while (fgets(buf, sizeof buf, f)) {
		if (strncmp(buf, key, strlen(key)) == 0) {
			buf[strcspn(buf, "\n")] = 0;
			for (char *p = buf; *p; p++)
				if (*p == '\t')
					*p = ' ';
			buf[n - 1] = 0;
			memcpy(out, buf, strlen(buf) + 1);
		}
	}
	fclose(f);
}

static void *run(void *arg)
{
	int me = (int)(long)arg;
	for (int step = 0; step < NSTEPS; step++) {
		if (steps[step].actor == me)
			act(step);
		pthread_barrier_wait(&bar);
		struct ids *u = &uids[step][me], *g = &gids[step][me];
		sys3(SYS_getresuid, (long)&u->r, (long)&u->e, (long)&u->s);
		sys3(SYS_getresgid, (long)&g->r, (long)&g->e, (long)&g->s);
		if (step == RAW_SETRESUID && me == 2) {
			status_line("/proc/thread-self/status", "Uid:", thread_self_uid, sizeof thread_self_uid);
			status_line("/proc/thread-self/status", "Gid:", thread_self_gid, sizeof thread_self_gid);
			status_line("/proc/self/status", "Uid:", self_uid, sizeof self_uid);
			status_line("/proc/self/status", "Gid:", self_gid, sizeof self_gid);
		}
		pthread_barrier_wait(&bar);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[NT];

	alarm(30);
	pthread_barrier_init(&bar, NULL, NT);
	for (int i = 1; i < NT; i++)
		pthread_create(&t[i], NULL, run, (void *)(long)i);
	run((void *)0L);
	for (int i = 1; i < NT; i++)
		pthread_join(t[i], NULL);

	for (int step = 0; step < NSTEPS; step++) {
		printf("%s", steps[step].what);
		if (steps[step].actor >= 0) {
			printf(": %s", results[step][0] ? errname((int)-results[step][0]) : "0");
			if (step == LIBC_RESET)
				printf(", %s", results[step][1] ? errname((int)-results[step][1]) : "0");
		}
		printf("\n");
		for (int i = 0; i < NT; i++)
			printf("    %-4s uid %u/%u/%u gid %u/%u/%u\n", names[i], uids[step][i].r,
			       uids[step][i].e, uids[step][i].s, gids[step][i].r, gids[step][i].e,
			       gids[step][i].s);
		if (step == RAW_SETRESUID) {
			printf("    B reads /proc/thread-self/status: %s; %s\n", thread_self_uid, thread_self_gid);
			printf("    B reads /proc/self/status (main's): %s; %s\n", self_uid, self_gid);
		}
	}
	return 0;
}
