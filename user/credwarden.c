/* credwarden: Warden's own knobs are the administrator's (issue 20, docs/credentials.md):
 * /proc/warden/control (the W^X policy, tracing) and /proc/warden/trace. Root opens both; root
 * without CAP_SYS_ADMIN may read the settings but not change them or take the trace (EPERM); a
 * user (uid 1000) cannot open them (EACCES: 0600 and 0400, owned by root). A Warden extension,
 * so no Linux recording: each line checks a result this program predicts. Exit status =
 * failures. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static int failures;

static void expect(const char *what, long got, long want)
{
	int ok = got == want;
	printf("%s %s: %ld", ok ? "ok  " : "FAIL", what, got);
	if (!ok)
		printf(" (want %ld)", want);
	printf("\n");
	failures += !ok;
}

/* open, then write "wx=warn" (or read for the trace): 0 when both worked, else -errno. */
static long use(const char *path, int write_it)
{
	char buf[256];
	long fd = sys3(SYS_open, (long)path, write_it ? O_RDWR : O_RDONLY, 0);
	if (fd < 0)
		return fd;
	long r = write_it ? sys3(SYS_write, fd, (long)"wx=off", 6)
			  : sys3(SYS_read, fd, (long)buf, sizeof(buf));
	close((int)fd);
	return r < 0 ? r : 0;
}

/* Clears capability cap from the effective set. */
static void drop_effective(int cap)
{
	struct {
		unsigned version;
		int pid;
	} h = { 0x20080522, 0 };
	unsigned d[6];
	sys2(SYS_capget, (long)&h, (long)d);
	d[(cap / 32) * 3] &= ~(1U << (cap % 32));
	sys2(SYS_capset, (long)&h, (long)d);
}

int main(void)
{
	expect("root writes control", use("/proc/warden/control", 1), 0);
	expect("root reads trace", use("/proc/warden/trace", 0), 0);
	fflush(stdout);
	if (fork() == 0) {
		drop_effective(21);
		expect("root without CAP_SYS_ADMIN reads control", use("/proc/warden/control", 0), 0);
		expect("root without CAP_SYS_ADMIN writes control", use("/proc/warden/control", 1),
		       -EPERM);
		expect("root without CAP_SYS_ADMIN reads trace", use("/proc/warden/trace", 0), -EPERM);
		fflush(stdout);
		_exit(failures);
	}
	int st;
	wait(&st);
	failures += WEXITSTATUS(st);
	fflush(stdout);
	if (fork() == 0) {
		sys3(SYS_setresgid, 1000, 1000, 1000);
		sys3(SYS_setresuid, 1000, 1000, 1000);
		expect("user opens control", use("/proc/warden/control", 0), -EACCES);
		expect("user opens trace", use("/proc/warden/trace", 0), -EACCES);
		expect("user reads tlb", use("/proc/warden/tlb", 0), 0);
		fflush(stdout);
		_exit(failures);
	}
	wait(&st);
	failures += WEXITSTATUS(st);
	return failures;
}
