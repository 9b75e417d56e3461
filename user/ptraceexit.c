/* ptraceexit: ptrace around exits and stops, checked against Linux (review of kernel/ptrace.c).
 * A tracer that is not the tracee's parent is told of the tracee's exit by wait4 (it was never
 * woken: its wait4 hung); the real parent reaps it after that. A tracer that exits while its
 * tracee is stopped lets it go on. PTRACE_ATTACH to a process already stopped by SIGSTOP (the
 * tracer's wait4 reports the stop; it hung). NT_X86_XSTATE with a length that is not a multiple
 * of 8 (EINVAL). Pid 0 names no task (the idle task is not one to attach to). Every wait has a
 * watchdog, so a hang shows as EINTR instead of a timeout. */
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static long pt(long req, long pid, long addr, long data)
{
    return sys4(SYS_ptrace, req, pid, addr, data);
}

static void show_status(const char *what, long r, int st)
{
    if (r < 0) {
        printf("%s: %s\n", what, errname(errno));
        return;
    }
    if (r == 0) {
        printf("%s: nothing to report\n", what);
        return;
    }
    printf("%s: status %#x", what, st);
    if (WIFSTOPPED(st))
        printf(" (stopped by %d)\n", WSTOPSIG(st));
    else if (WIFSIGNALED(st))
        printf(" (killed by %d)\n", WTERMSIG(st));
    else
        printf(" (exited %d)\n", WEXITSTATUS(st));
}

static void on_alarm(int sig)
{
    (void)sig;
}

static void on_usr1(int sig)
{
    (void)sig;
    _exit(7);
}

/* waitpid with a 2-second watchdog (a child that sends us SIGALRM; Warden has no alarm()): a hang
 * shows as EINTR. */
static long wait_alarm(pid_t pid, int *st, int options)
{
    pid_t me = getpid(), w = fork();
    if (w == 0) {
        sleep_ms(2000);
        kill(me, SIGALRM);
        _exit(0);
    }
    long r = waitpid(pid, st, options);
    int e = errno, wst;
    kill(w, SIGKILL);
    waitpid(w, &wst, 0);
    errno = e;
    return r;
}

/* A child that waits for signals; SIGUSR1 makes it exit 7. */
static pid_t pauser(void)
{
    pid_t c = fork();
    if (c == 0) {
        signal(SIGUSR1, on_usr1);
        for (;;)
            pause();
    }
    return c;
}

/* Forks B, which forks C (a pauser) and tells us C's pid; B then reaps C and exits with
 * 100 + C's exit code (or 50 + its signal). */
static pid_t grandchild(pid_t *b, int stop_first)
{
    int p[2];
    pid_t c;
    if (pipe(p))
        return -1;
    *b = fork();
    if (*b == 0) {
        int st;
        c = pauser();
        if (stop_first) {
            kill(c, SIGSTOP);
            waitpid(c, &st, WUNTRACED);
        }
        write(p[1], &c, sizeof(c));
        if (waitpid(c, &st, 0) != c)
            _exit(99);
        _exit(WIFEXITED(st) ? 100 + WEXITSTATUS(st) : 50 + WTERMSIG(st));
    }
    if (read(p[0], &c, sizeof(c)) != sizeof(c))
        return -1;
    close(p[0]);
    close(p[1]);
    return c;
}

int main(void)
{
    int st;
    long r;
    pid_t b = 0, c;
    struct sigaction sa = { 0 };
    setvbuf(stdout, NULL, _IONBF, 0);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);

    printf("-- a tracee that is not our child exits\n");
    c = grandchild(&b, 0);
    sleep_ms(50);
    show("PTRACE_ATTACH", pt(PTRACE_ATTACH, c, 0, 0));
    r = wait_alarm(c, &st, 0);
    show_status("tracer's wait (attach)", r, st);
    show("PTRACE_CONT", pt(PTRACE_CONT, c, 0, 0));
    sleep_ms(50);
    kill(c, SIGUSR1);
    r = wait_alarm(c, &st, 0);
    show_status("tracer's wait (SIGUSR1)", r, st);
    show("PTRACE_CONT SIGUSR1", pt(PTRACE_CONT, c, 0, SIGUSR1));
    r = wait_alarm(c, &st, 0);
    show_status("tracer's wait (exit)", r, st);
    r = wait_alarm(c, &st, WNOHANG);
    show_status("tracer's wait again", r, st);
    r = wait_alarm(b, &st, 0);
    show_status("the real parent", r, st);

    printf("-- the tracer exits while the tracee is in a signal stop\n");
    c = pauser();
    b = fork();
    if (b == 0) {
        pt(PTRACE_ATTACH, c, 0, 0);
        waitpid(c, &st, 0);
        pt(PTRACE_CONT, c, 0, 0);
        sleep_ms(50);
        kill(c, SIGUSR1);
        waitpid(c, &st, 0);
        _exit(WIFSTOPPED(st) ? WSTOPSIG(st) : 0);
    }
    r = wait_alarm(b, &st, 0);
    show_status("tracer", r, st);
    sleep_ms(100);
    r = wait_alarm(c, &st, WNOHANG);
    show_status("tracee after its tracer exited", r, st);
    if (r == 0) {
        kill(c, SIGKILL);
        r = wait_alarm(c, &st, 0);
        show_status("tracee killed", r, st);
    }

    printf("-- PTRACE_ATTACH to a process stopped by SIGSTOP\n");
    c = grandchild(&b, 1);
    show("PTRACE_ATTACH", pt(PTRACE_ATTACH, c, 0, 0));
    r = wait_alarm(c, &st, 0);
    show_status("tracer's wait", r, st);
    if (r == c) {
        show("PTRACE_DETACH", pt(PTRACE_DETACH, c, 0, 0));
    }
    kill(c, SIGKILL);
    r = wait_alarm(c, &st, 0);
    show_status("tracer's wait after SIGKILL", r, st);
    r = wait_alarm(b, &st, 0);
    show_status("the real parent", r, st);

    printf("-- no task 0\n");
    show("PTRACE_ATTACH to pid 0", pt(PTRACE_ATTACH, 0, 0, 0));

    printf("-- NT_X86_XSTATE lengths\n");
    c = pauser();
    show("PTRACE_ATTACH", pt(PTRACE_ATTACH, c, 0, 0));
    r = wait_alarm(c, &st, 0);
    show_status("wait", r, st);
    static unsigned char xs[16384] __attribute__((aligned(64)));
    struct iovec iov = { xs, 13 };
    show("GETREGSET 13 bytes", pt(PTRACE_GETREGSET, c, 0x202, (long)&iov));
    iov.iov_len = 512;
    r = pt(PTRACE_GETREGSET, c, 0x202, (long)&iov);
    /* ENODEV without XSAVE (qemu64): the same output on both CPUs */
    printf("GETREGSET 512 bytes: %s\n", r == 0 || r == -ENODEV ? "0 or ENODEV" : errname((int)-r));
    printf("iov_len %ld\n", (long)iov.iov_len);
    iov.iov_len = 20;
    iov.iov_base = xs;
    show("SETREGSET 20 bytes", pt(PTRACE_SETREGSET, c, 0x202, (long)&iov));
    kill(c, SIGKILL);
    r = wait_alarm(c, &st, 0);
    show_status("killed", r, st);
    return 0;
}
