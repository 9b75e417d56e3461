/* sysctlkernel: /proc/sys/kernel/pid_max and tainted as Linux 6.1 has them (issue 21 item 4;
 * LTP's harness reads both before many tests).
 *
 * - pid_max: 32768 on a machine with few CPUs; root may write 301..4194304 (PID_MAX_LIMIT),
 *   anything else is EINVAL; clone3's set_tid is checked against it (EINVAL at or past it);
 * - tainted: 0 on a clean kernel; a write adds the taint bits Linux knows (0..18), ignores the
 *   others and never clears one; a negative number is EINVAL.
 * Every write is one write(2) on a fresh descriptor, its count or errno printed. */
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>

/* Linux's struct clone_args (version 2, 88 bytes). */
struct clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
        set_tid_size, cgroup;
};

/* Writes s to path in one write(2); the count or -errno. */
static long write_str(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -errno;
    long r = sys3(SYS_write, fd, (long)s, (long)strlen(s));
    close(fd);
    return r;
}

/* Prints path's content (one line). */
static void show_file(const char *path)
{
    char buf[64];
    int fd = open(path, O_RDONLY);
    long n = fd < 0 ? -errno : sys3(SYS_read, fd, (long)buf, sizeof buf - 1);
    if (fd >= 0)
        close(fd);
    if (n < 0) {
        show(path, n);
        return;
    }
    buf[n] = '\0';
    printf("%s: %s", path, buf);
}

/* Writes s to path and prints the result and what the file reads then. */
static void try_write(const char *path, const char *s)
{
    char what[96];
    snprintf(what, sizeof what, "write \"%s\"", s);
    show(what, write_str(path, s));
    show_file(path);
}

/* clone3 with set_tid = tid: the errno (a child, if one is made, exits at once). */
static void clone3_set_tid(int tid)
{
    pid_t set_tid = tid;
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.exit_signal = SIGCHLD;
    args.set_tid = (uint64_t)(uintptr_t)&set_tid;
    args.set_tid_size = 1;
    long r = sys2(SYS_clone3, (long)&args, sizeof args);
    if (r == 0)
        _exit(0);
    if (r > 0)
        waitpid((pid_t)r, NULL, 0);
    char what[64];
    snprintf(what, sizeof what, "clone3 set_tid %d", tid);
    show(what, r > 0 ? 0 : r);
}

int main(void)
{
    const char *pm = "/proc/sys/kernel/pid_max", *ta = "/proc/sys/kernel/tainted";

    show_file(pm);
    try_write(pm, "300");
    try_write(pm, "4194305");
    try_write(pm, "-1");
    try_write(pm, "abc");
    try_write(pm, "4194304");
    try_write(pm, "301");
    clone3_set_tid(301);
    clone3_set_tid(5000);
    try_write(pm, " 32768\n");

    show_file(ta);
    try_write(ta, "0");
    try_write(ta, "-1");
    try_write(ta, "1048576");
    try_write(ta, "4");
    try_write(ta, "1");
    try_write(ta, "0");
    return 0;
}
