/* ptrace: job-control stops and the ptrace subset Warden has (kernel/ptrace.h), checked against
 * Linux: SIGSTOP stops a child (wait4 with WUNTRACED reports it, without it does not), SIGCONT
 * continues it, SIGKILL ends a stopped one; PTRACE_TRACEME and raise(SIGSTOP) reported to the
 * tracer without WUNTRACED; PTRACE_PEEKDATA/POKEDATA on the stopped tracee; PTRACE_CONT with and
 * without a signal; PTRACE_ATTACH to a sleeping child, PTRACE_DETACH; the errors (ESRCH for a
 * tracee that is not stopped or not traced, EPERM for attaching twice or to oneself, EIO for an
 * unknown request). The NT_X86_XSTATE regset is covered by Linux's own protection_keys selftest
 * (tools/kselftest). */
#include <signal.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static volatile long word = 0x1122334455667788L;
static const long rodata_word = 0x0102030405060708L; /* in the read-only data segment */
static char *hidden;                                /* a PROT_NONE page (written before) */
static volatile int got_usr1;

static void on_usr1(int sig)
{
    (void)sig;
    got_usr1++;
}

static long pt(long req, long pid, long addr, long data)
{
    return sys4(SYS_ptrace, req, pid, addr, data);
}

/* "what: status 0x..." with what the status means. */
static void show_status(const char *what, int st)
{
    printf("%s: status %#x", what, st);
    if (WIFSTOPPED(st))
        printf(" (stopped by %d)\n", WSTOPSIG(st));
    else if (WIFSIGNALED(st))
        printf(" (killed by %d)\n", WTERMSIG(st));
    else
        printf(" (exited %d)\n", WEXITSTATUS(st));
}

int main(void)
{
    int st;
    setvbuf(stdout, NULL, _IONBF, 0);
    hidden = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *(long *)hidden = 0x5a5a5a5a5a5a5a5aL;
    mprotect(hidden, 4096, PROT_NONE);

    printf("-- job control\n");
    pid_t c = fork();
    if (c == 0) {
        for (;;)
            pause();
    }
    kill(c, SIGSTOP);
    show("wait4 WNOHANG without WUNTRACED", wait4(c, &st, WNOHANG, NULL));
    show("wait4 WUNTRACED", wait4(c, &st, WUNTRACED, NULL) == c);
    show_status("  the stop", st);
    show("wait4 WUNTRACED|WNOHANG again (reported once)", wait4(c, &st, WUNTRACED | WNOHANG, NULL));
    show("kill SIGCONT", kill(c, SIGCONT));
    show("wait4 WCONTINUED", sys4(SYS_wait4, c, (long)&st, WCONTINUED, 0) == c);
    printf("  status %#x, WIFCONTINUED %d\n", st, WIFCONTINUED(st));
    show("wait4 WCONTINUED|WNOHANG again (reported once)", sys4(SYS_wait4, c, (long)&st, WCONTINUED | WNOHANG, 0));
    show("kill SIGKILL", kill(c, SIGKILL));
    waitpid(c, &st, 0);
    show_status("  the end", st);
    c = fork();
    if (c == 0) {
        for (;;)
            pause();
    }
    kill(c, SIGSTOP);
    waitpid(c, &st, WUNTRACED);
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    show_status("SIGKILL to a stopped child", st);

    printf("-- PTRACE_TRACEME\n");
    c = fork();
    if (c == 0) {
        signal(SIGUSR1, on_usr1);
        pt(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        /* the tracer has changed word and rodata_word; SIGUSR1 was injected by PTRACE_CONT */
        _exit(word == 42 && *(volatile const long *)&rodata_word == 43 && got_usr1 == 1 ? 0 : 1);
    }
    show("waitpid without WUNTRACED", waitpid(c, &st, 0) == c);
    show_status("  the traced stop", st);
    long peek = 0;
    show("PTRACE_PEEKDATA", pt(PTRACE_PEEKDATA, c, (long)&word, (long)&peek));
    printf("  the word: %#lx\n", peek);
    show("PTRACE_POKEDATA 42", pt(PTRACE_POKEDATA, c, (long)&word, 42));
    pt(PTRACE_PEEKDATA, c, (long)&word, (long)&peek);
    printf("  read back: %ld\n", peek);
    show("PTRACE_PEEKDATA of an unmapped address", pt(PTRACE_PEEKDATA, c, 16, (long)&peek));
    peek = 0;
    show("PTRACE_PEEKDATA of a PROT_NONE page (forced)", pt(PTRACE_PEEKDATA, c, (long)hidden, (long)&peek));
    printf("  the word: %#lx\n", peek);
    show("PTRACE_POKEDATA into read-only data (copy-on-write)",
         pt(PTRACE_POKEDATA, c, (long)&rodata_word, 43));
    pt(PTRACE_PEEKDATA, c, (long)&rodata_word, (long)&peek);
    printf("  the tracee's copy: %ld; the tracer's own: %#lx\n", peek,
           *(volatile const long *)&rodata_word);
    show("unknown request 12345", pt(12345, c, 0, 0));
    show("PTRACE_CONT with SIGUSR1", pt(PTRACE_CONT, c, 0, SIGUSR1));
    /* SIGUSR1 is reported to the tracer first (a traced stop), then delivered */
    waitpid(c, &st, 0);
    show_status("  next report", st);
    pt(PTRACE_CONT, c, 0, WSTOPSIG(st));
    waitpid(c, &st, 0);
    show_status("  then", st);

    printf("-- PTRACE_ATTACH\n");
    c = fork();
    if (c == 0) {
        for (;;)
            sleep_ms(50);
    }
    show("PTRACE_PEEKDATA before attaching", pt(PTRACE_PEEKDATA, c, (long)&word, (long)&peek));
    show("PTRACE_ATTACH", pt(PTRACE_ATTACH, c, 0, 0));
    show("PTRACE_ATTACH again", pt(PTRACE_ATTACH, c, 0, 0));
    show("PTRACE_ATTACH to oneself", pt(PTRACE_ATTACH, getpid(), 0, 0));
    show("PTRACE_ATTACH to no such pid", pt(PTRACE_ATTACH, 99999, 0, 0));
    show("waitpid WUNTRACED", waitpid(c, &st, WUNTRACED) == c);
    show_status("  the stop", st);
    show("PTRACE_PEEKDATA", pt(PTRACE_PEEKDATA, c, (long)&word, (long)&peek));
    printf("  the word: %#lx\n", peek);
    show("PTRACE_DETACH", pt(PTRACE_DETACH, c, 0, 0));
    show("PTRACE_PEEKDATA after detaching", pt(PTRACE_PEEKDATA, c, (long)&word, (long)&peek));
    sleep_ms(120);
    show("waitpid WNOHANG (it runs on)", waitpid(c, &st, WNOHANG | WUNTRACED));
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    show_status("  after SIGKILL", st);
    return 0;
}
