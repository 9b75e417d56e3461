/* common.h: helpers shared by the user test programs in user/.
 *
 * - raw system calls (sys0..sys6) that go straight to the kernel with no libc
 *   wrapper in between: they return what the kernel returns, -errno on failure;
 * - errname(): the symbolic name of an errno value (our own table, so the
 *   output does not depend on libc's strerror texts);
 * - show(): prints "what: result" with the result as a number or as
 *   "-1 ENAME", the format every program here uses;
 * - ensure_tmp(): makes /tmp exist (run-linux's initramfs has none);
 * - child_status(): runs a function in a forked child and returns its wait status.
 *
 * Every line the programs print must be the same on Linux and on Warden: no
 * addresses, pids or times, only values and properties.
 */
#ifndef USER_COMMON_H
#define USER_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
static inline long sys0(long n)
{
	return sys6(n, 0, 0, 0, 0, 0, 0);
}
static inline long sys1(long n, long a)
{
	return sys6(n, a, 0, 0, 0, 0, 0);
}
static inline long sys2(long n, long a, long b)
{
	return sys6(n, a, b, 0, 0, 0, 0);
}
static inline long sys3(long n, long a, long b, long c)
{
	return sys6(n, a, b, c, 0, 0, 0);
}
static inline long sys4(long n, long a, long b, long c, long d)
{
	return sys6(n, a, b, c, d, 0, 0);
}

/* A raw return value is an error when it is in [-4095, -1]. */
static inline int is_err(long r)
{
	return r < 0 && r >= -4095;
}

static inline const char *errname(int e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },
		{ ENOENT, "ENOENT" },
		{ ESRCH, "ESRCH" },
		{ EINTR, "EINTR" },
		{ EIO, "EIO" },
		{ ENXIO, "ENXIO" },
		{ E2BIG, "E2BIG" },
		{ ENOEXEC, "ENOEXEC" },
		{ EBADF, "EBADF" },
		{ ECHILD, "ECHILD" },
		{ EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" },
		{ EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" },
		{ EXDEV, "EXDEV" },
		{ ENODEV, "ENODEV" },
		{ ENOTDIR, "ENOTDIR" },
		{ EISDIR, "EISDIR" },
		{ EINVAL, "EINVAL" },
		{ ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" },
		{ ENOTTY, "ENOTTY" },
		{ ETXTBSY, "ETXTBSY" },
		{ EFBIG, "EFBIG" },
		{ ENOSPC, "ENOSPC" },
		{ ESPIPE, "ESPIPE" },
		{ EROFS, "EROFS" },
		{ EMLINK, "EMLINK" },
		{ EPIPE, "EPIPE" },
		{ EDOM, "EDOM" },
		{ ERANGE, "ERANGE" },
		{ EDEADLK, "EDEADLK" },
		{ ENAMETOOLONG, "ENAMETOOLONG" },
		{ ENOSYS, "ENOSYS" },
		{ ENOTEMPTY, "ENOTEMPTY" },
		{ ELOOP, "ELOOP" },
		{ EOVERFLOW, "EOVERFLOW" },
		{ EOPNOTSUPP, "EOPNOTSUPP" },
		{ ENOTSOCK, "ENOTSOCK" },
		{ EDESTADDRREQ, "EDESTADDRREQ" },
		{ EMSGSIZE, "EMSGSIZE" },
		{ EPROTOTYPE, "EPROTOTYPE" },
		{ ENOPROTOOPT, "ENOPROTOOPT" },
		{ EPROTONOSUPPORT, "EPROTONOSUPPORT" },
		{ ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT" },
		{ EAFNOSUPPORT, "EAFNOSUPPORT" },
		{ EADDRINUSE, "EADDRINUSE" },
		{ ECONNABORTED, "ECONNABORTED" },
		{ ECONNRESET, "ECONNRESET" },
		{ ENOBUFS, "ENOBUFS" },
		{ EISCONN, "EISCONN" },
		{ ENOTCONN, "ENOTCONN" },
		{ ECONNREFUSED, "ECONNREFUSED" },
		{ ETIMEDOUT, "ETIMEDOUT" },
		{ ECANCELED, "ECANCELED" },
	};
	static char other[32];
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(other, sizeof other, "errno%d", e);
	return other;
}

/* "what: N" for a raw syscall result, or "what: -1 ENAME" for -errno. */
static inline void show(const char *what, long r)
{
	if (is_err(r))
		printf("%s: -1 %s\n", what, errname((int)-r));
	else
		printf("%s: %ld\n", what, r);
}

/* Like show(), for a libc call that returned -1 and set errno. */
static inline void show_libc(const char *what, long r)
{
	show(what, r == -1 ? -errno : r);
}

/* "what: ok" for a non-negative result whose value is not deterministic
 * (an address, a pid), or "what: -1 ENAME". */
static inline void show_ok(const char *what, long r)
{
	if (is_err(r))
		printf("%s: -1 %s\n", what, errname((int)-r));
	else
		printf("%s: ok\n", what);
}

/* run-linux's initramfs has no /tmp: create it (mode 1777, like a real one)
 * when missing, and say nothing about it, so the output is the same whether
 * or not the system already had one. */
static inline void ensure_tmp(void)
{
	sys2(SYS_mkdir, (long)"/tmp", 01777);
}

/* Prints n bytes with quotes, backslashes and non-printable bytes escaped (no quotes around). */
static inline void print_escaped(const char *s, long n)
{
	for (long i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

/* Sleeps ms milliseconds (tests that wait for another process to reach a point). */
static inline void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
    nanosleep(&ts, NULL);
}

/* Runs fn in a forked child, which then exits 0, and returns the child's wait status. stdout
 * is flushed first, so nothing buffered is printed twice or out of order. */
static inline int child_status(void (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        fflush(stdout);
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return st;
}

/* One case of a test in its own process: prints title, runs fn in a forked child
 * (child_status) and says so when the child did not exit 0. Programs that change their
 * credentials or signal state run each case this way, so no case leaks into the next. */
static inline void run_case(const char *title, void (*fn)(void))
{
    printf("%s\n", title);
    int st = child_status(fn);
    if (st)
        printf("  (child status %d)\n", st);
}

/* Set-up that must succeed: on an error, says which step failed and exits 1. */
static inline void must_ok(long r, const char *what)
{
    if (is_err(r)) {
        printf("setup %s: %s\n", what, errname((int)-r));
        exit(1);
    }
}

#endif
