/* sigchld: what a parent hears of its children (SIGCHLD, Linux's do_notify_parent): si_code
 * CLD_EXITED with the exit code, CLD_KILLED with the signal, CLD_STOPPED and CLD_CONTINUED unless
 * SA_NOCLDSTOP; si_pid the child's; a blocked SIGCHLD stays pending; the child can still be
 * reaped with wait4 after its SIGCHLD; and with SIGCHLD ignored (or SA_NOCLDWAIT) children
 * leave no zombie: wait4 waits for them and then says ECHILD. */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static volatile int got, code, status;
static volatile pid_t from; /* si_pid, compared with the child's pid when printed */
static pid_t expect_pid;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    got++;
    code = si->si_code;
    status = si->si_status;
    from = si->si_pid;
}

static void install(int flags)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART | flags;
    sigaction(SIGCHLD, &sa, NULL);
}

/* Sleeps up to 1 s until the handler has run n times in all. */
static void wait_for(int n)
{
    for (int i = 0; i < 100 && got < n; i++) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
}

static void report(const char *what)
{
    printf("%s: %d SIGCHLD so far, last si_code %d, si_status %d, si_pid %s\n", what, got, code,
           status, from == expect_pid ? "the child's" : "other");
}

static void forever(void)
{
    for (;;)
        pause();
}

int main(void)
{
    int st;
    setvbuf(stdout, NULL, _IONBF, 0);
    install(0);

    expect_pid = fork();
    if (expect_pid == 0)
        _exit(3);
    wait_for(1);
    report("child exit(3)");
    show("wait4 still reaps it", waitpid(expect_pid, &st, 0) == expect_pid);

    expect_pid = fork();
    if (expect_pid == 0)
        forever();
    kill(expect_pid, SIGSTOP);
    wait_for(2);
    report("child stopped");
    kill(expect_pid, SIGCONT);
    wait_for(3);
    report("child continued");
    kill(expect_pid, SIGKILL);
    wait_for(4);
    report("child killed");
    waitpid(expect_pid, &st, 0);

    install(SA_NOCLDSTOP);
    expect_pid = fork();
    if (expect_pid == 0)
        forever();
    kill(expect_pid, SIGSTOP);
    waitpid(expect_pid, &st, WUNTRACED);
    kill(expect_pid, SIGCONT);
    struct timespec ts = { 0, 50 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    report("SA_NOCLDSTOP: stopped and continued");
    kill(expect_pid, SIGTERM);
    wait_for(5);
    report("SA_NOCLDSTOP: killed by SIGTERM");
    waitpid(expect_pid, &st, 0);

    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, &old);
    expect_pid = fork();
    if (expect_pid == 0)
        _exit(9);
    waitpid(expect_pid, &st, 0);
    sigset_t pending;
    sigpending(&pending);
    printf("blocked SIGCHLD pending after the child exited: %s\n",
           sigismember(&pending, SIGCHLD) ? "yes" : "no");
    sigprocmask(SIG_SETMASK, &old, NULL);
    report("after unblocking");

    signal(SIGCHLD, SIG_IGN);
    for (int i = 0; i < 3; i++)
        if (fork() == 0)
            _exit(i);
    show("SIG_IGN: wait4(-1) after three children exit", sys4(SYS_wait4, -1, (long)&st, 0, 0));
    for (int i = 0; i < 200; i++) /* many more: none may be left behind */
        if (fork() == 0)
            _exit(0);
    show("SIG_IGN: wait4(-1) after 200 more", sys4(SYS_wait4, -1, (long)&st, 0, 0));
    install(SA_NOCLDWAIT);
    int before = got;
    expect_pid = fork();
    if (expect_pid == 0)
        _exit(4);
    show("SA_NOCLDWAIT: wait4(-1)", sys4(SYS_wait4, -1, (long)&st, 0, 0));
    wait_for(before + 1);
    printf("SA_NOCLDWAIT: the handler still ran: %s\n", got == before + 1 ? "yes" : "no");
    report("SA_NOCLDWAIT");
    return 0;
}
