/* restartsys: issue 15 item 6 (sleeps), restart_syscall(2) called directly, as Linux 6.1 answers
 * it. The restart block a relative sleep leaves when a signal interrupts it
 * (-ERESTART_RESTARTBLOCK) stays until rt_sigreturn clears it (restore_sigcontext sets
 * do_no_restart_syscall); neither the signal's delivery nor restart_syscall itself clears it.
 * So:
 *  - restart_syscall in a fresh program: EINTR (do_no_restart_syscall);
 *  - in the handler of a signal that interrupted nanosleep (which returns EINTR after it):
 *    the rest of that sleep, then 0;
 *  - after that handler returned: EINTR again;
 *  - after a nanosleep that a stop and SIGCONT interrupted and that then finished through the
 *    restart: the block is still the sleep's, its deadline past: 0 at once.
 * A child sends the signals 50 ms into one-second sleeps. All of it runs in a child of the
 * program (on Warden the program is PID 1).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static volatile long in_handler = 99;

static long restart_syscall_now(void)
{
    return sys0(SYS_restart_syscall);
}

static void on_usr1(int sig)
{
    (void)sig;
    in_handler = restart_syscall_now();
}

/* A child that waits 50 ms and sends sig1 to the parent, then (if sig2) sig2 50 ms later. */
static pid_t poke(int sig1, int sig2)
{
    pid_t parent = (pid_t)sys0(SYS_getpid);
    pid_t c = fork();
    if (c == 0) {
        struct timespec d = { 0, 50000000 };
        nanosleep(&d, NULL);
        sys2(SYS_kill, parent, sig1);
        if (sig2) {
            nanosleep(&d, NULL);
            sys2(SYS_kill, parent, sig2);
        }
        _exit(0);
    }
    return c;
}

static int run(void)
{
    struct timespec one = { 1, 0 }, rem;
    struct sigaction sa;
    int st;

    setvbuf(stdout, NULL, _IONBF, 0);
    show("[15.6] restart_syscall in a fresh program", restart_syscall_now());

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    pid_t c = poke(SIGUSR1, 0);
    long r = sys2(SYS_nanosleep, (long)&one, (long)&rem);
    sys4(SYS_wait4, c, (long)&st, 0, 0);
    show("[15.6] restart_syscall in the handler of the signal that interrupted nanosleep",
         in_handler);
    show("[15.6] that nanosleep", r);
    show("[15.6] restart_syscall after the handler returned", restart_syscall_now());

    c = poke(SIGSTOP, SIGCONT);
    r = sys2(SYS_nanosleep, (long)&one, (long)&rem);
    sys4(SYS_wait4, c, (long)&st, 0, 0);
    show("[15.6] nanosleep across a stop and SIGCONT", r);
    show("[15.6] restart_syscall after it", restart_syscall_now());
    return 0;
}

/* Everything runs in a child: stopping the program itself must not depend on it not being PID 1. */
int main(void)
{
    int st;

    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t c = fork();
    if (c == 0)
        _exit(run());
    sys4(SYS_wait4, c, (long)&st, 0, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
