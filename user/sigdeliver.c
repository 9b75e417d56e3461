/* sigdeliver: signal delivery mechanics, spec §5.5 (cases 41-48; the printed lines carry the
 * case numbers), and the rest of issue 6: SA_RESETHAND, SA_NODEFER nesting, a handler that
 * changes REG_RIP and REG_RAX, sigaltstack (a stack overflow into a PROT_NONE guard page handled
 * on the alternate stack), rt_sigpending, rt_sigsuspend and SA_RESTART / EINTR.
 * Cases that kill run in forked children; their wait status is printed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "common.h"

#define P 4096UL

/* The kernel's struct sigaction (x86-64). */
struct ksigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    unsigned long mask;
};

static volatile int runs, depth, max_depth;
static volatile int info_code, info_pid, info_uid, info_signo;

static void print_status(const char *what, int st)
{
    if (WIFEXITED(st))
        printf("%s: exit %d (status %#x)\n", what, WEXITSTATUS(st), st);
    else
        printf("%s: killed by signal %d%s (status %#x)\n", what, WTERMSIG(st),
               WCOREDUMP(st) ? ", core" : "", st);
}

static void install(int sig, void (*h)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(sig, &sa, NULL);
}

static void touch_null(void)
{
    *(volatile int *)0 = 1;
}

/* ---- 41-44: default action, forced delivery */

static void child41_core0(void)
{
    struct rlimit r = { 0, 0 };
    setrlimit(RLIMIT_CORE, &r);
    touch_null();
}

static void child41_core_unlimited(void)
{
    struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };
    setrlimit(RLIMIT_CORE, &r);
    chdir("/tmp"); /* where Linux writes the core file */
    touch_null();
}

static void child42(void)
{
    signal(SIGSEGV, SIG_IGN);
    touch_null();
    _exit(1);
}

static void exit42_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    _exit(42);
}

static void child43(void)
{
    sigset_t s;
    install(SIGSEGV, exit42_handler, 0);
    sigemptyset(&s);
    sigaddset(&s, SIGSEGV);
    sigprocmask(SIG_BLOCK, &s, NULL);
    touch_null();
    _exit(1);
}

static void refault_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    depth++;
    if (depth == 1)
        touch_null(); /* a fault inside the handler */
    _exit(10 * depth);
}

static void child44(void)
{
    install(SIGSEGV, refault_handler, 0);
    touch_null();
    _exit(1);
}

static void child44_nodefer(void)
{
    install(SIGSEGV, refault_handler, SA_NODEFER);
    touch_null();
    _exit(1);
}

/* ---- 45, 48: kill and raise */

static void count_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    runs++;
    info_signo = sig;
    info_code = si->si_code;
    info_pid = si->si_pid;
    info_uid = si->si_uid;
}

/* ---- 46: the frame */

static volatile unsigned long f_uc, f_info, f_fp, f_ret, f_restorer, f_flags, f_sigmask, f_rsp;
static volatile unsigned long f_sp_in_handler, f_mask_in_handler;
static volatile unsigned int f_magic1, f_magic2, f_xsize, f_xext;

static void frame_handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    unsigned long fp = (unsigned long)uc->uc_mcontext.fpregs;
    (void)sig;
    f_uc = (unsigned long)uc;
    f_info = (unsigned long)si;
    f_fp = fp;
    f_ret = *(unsigned long *)(f_uc - 8);
    f_flags = uc->uc_flags;
    memcpy((void *)&f_sigmask, &uc->uc_sigmask, 8);
    f_rsp = uc->uc_mcontext.gregs[REG_RSP];
    f_magic1 = *(unsigned int *)(fp + 464);
    f_xext = *(unsigned int *)(fp + 468);
    f_xsize = *(unsigned int *)(fp + 464 + 16);
    f_magic2 = f_magic1 && f_xsize > 512 ? *(unsigned int *)(fp + f_xsize) : 0;
    sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&f_mask_in_handler, 8);
}

static int cpu_has_xsave(void)
{
    unsigned int a = 1, b, c = 0, d;
    __asm__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return (c >> 26) & 1;
}

/* ---- 47 */

static volatile int handler47_ran;

static void handler47(int sig)
{
    (void)sig;
    handler47_ran = 1;
}

static void child47(void)
{
    struct ksigaction ka = { (void *)handler47, 0, 0, 0 };
    long r = sys4(SYS_rt_sigaction, SIGUSR1, (long)&ka, 0, 8);
    printf("#47 rt_sigaction without SA_RESTORER: %ld\n", r);
    fflush(stdout);
    raise(SIGUSR1);
    printf("#47 survived, handler ran: %d\n", handler47_ran);
}

/* ---- SA_RESETHAND, SA_NODEFER */

static void nest_handler(int sig, siginfo_t *si, void *uc)
{
    (void)si, (void)uc;
    runs++;
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    if (runs == 1)
        raise(sig);
    depth--;
}

static void child_resethand(void)
{
    runs = 0;
    install(SIGUSR1, count_handler, SA_RESETHAND);
    raise(SIGUSR1);
    struct ksigaction old;
    sys4(SYS_rt_sigaction, SIGUSR1, 0, (long)&old, 8);
    printf("SA_RESETHAND: handler ran %d time(s), disposition now %s\n", runs,
           old.handler == SIG_DFL ? "SIG_DFL" : "handler");
    fflush(stdout);
    raise(SIGUSR1);
    printf("SA_RESETHAND: survived the second raise\n");
}

/* ---- REG_RIP / REG_RAX */

static volatile unsigned long new_rip;

static void rip_rax_handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    (void)sig, (void)si;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)new_rip;
    uc->uc_mcontext.gregs[REG_RAX] = 0x1234;
}

/* ---- sigaltstack */

static char *altstack, *ostack;
static sigjmp_buf jb;
static volatile int alt_on, alt_code, alt_eperm, alt_ssflags;
static volatile unsigned long alt_addr;
static volatile unsigned long recurse_depth;

static void alt_handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    char here;
    stack_t cur, n;
    (void)sig;
    alt_on = &here > altstack && &here < altstack + 4 * P;
    alt_code = si->si_code;
    alt_addr = (unsigned long)si->si_addr;
    alt_ssflags = uc->uc_stack.ss_flags;
    n.ss_sp = altstack;
    n.ss_size = 4 * P;
    n.ss_flags = 0;
    alt_eperm = (int)sys2(SYS_sigaltstack, (long)&n, 0);
    sys2(SYS_sigaltstack, 0, (long)&cur);
    alt_ssflags |= cur.ss_flags << 8;
    siglongjmp(jb, 1);
}

long recurse(long n);
__attribute__((noinline, used)) long recurse(long n)
{
    volatile char pad[256];
    pad[0] = (char)n;
    recurse_depth++;
    if (n > 1000000)
        return 0; /* never: the guard page stops it long before */
    return recurse(n + 1) + pad[0];
}

/* Runs recurse() on a 16-page stack with a PROT_NONE guard page below it. */
static void overflow_stack(void)
{
    char *top = ostack + 17 * P;
    __asm__ volatile("movq %%rsp, %%rbx\n\t"
                     "movq %0, %%rsp\n\t"
                     "xorl %%edi, %%edi\n\t"
                     "call recurse\n\t"
                     "movq %%rbx, %%rsp"
                     :
                     : "r"(top)
                     : "rbx", "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
}

static void show_stack(const char *what, long r, stack_t *s)
{
    if (is_err(r))
        printf("%s: -1 %s\n", what, errname((int)-r));
    else
        printf("%s: 0, ss_sp %s, ss_size %#lx, ss_flags %#x\n", what,
               s->ss_sp == altstack ? "altstack" : s->ss_sp ? "other" : "NULL", (unsigned long)s->ss_size,
               s->ss_flags);
}

static void test_sigaltstack(void)
{
    stack_t s, o;

    altstack = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ostack = mmap(NULL, 17 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(ostack, P, PROT_NONE); /* the guard page */

    memset(&o, 0, sizeof o);
    show_stack("sigaltstack(NULL, &old) at start", sys2(SYS_sigaltstack, 0, (long)&o), &o);
    s.ss_sp = altstack;
    s.ss_size = MINSIGSTKSZ - 1;
    s.ss_flags = 0;
    show("sigaltstack(size MINSIGSTKSZ - 1)", sys2(SYS_sigaltstack, (long)&s, 0));
    s.ss_size = 4 * P;
    s.ss_flags = 4;
    show("sigaltstack(flags 4)", sys2(SYS_sigaltstack, (long)&s, 0));
    show("sigaltstack(bad pointer)", sys2(SYS_sigaltstack, 8, 0));
    s.ss_flags = 0;
    show("sigaltstack(4 pages)", sys2(SYS_sigaltstack, (long)&s, 0));
    show_stack("sigaltstack(NULL, &old)", sys2(SYS_sigaltstack, 0, (long)&o), &o);

    install(SIGSEGV, alt_handler, SA_ONSTACK);
    if (sigsetjmp(jb, 1) == 0)
        overflow_stack();
    printf("stack overflow into the guard page: SIGSEGV code %d at guard+%#lx, recursed: %s\n", alt_code,
           alt_addr - (unsigned long)ostack, recurse_depth > 40 ? "yes" : "no");
    printf("handler ran on the altstack: %s; uc_stack.ss_flags %#x, sigaltstack in handler: ss_flags %#x\n",
           alt_on ? "yes" : "no", alt_ssflags & 0xff, alt_ssflags >> 8);
    printf("sigaltstack change on the altstack: %s\n", is_err(alt_eperm) ? errname(-alt_eperm) : "0");

    s.ss_flags = SS_DISABLE;
    show("sigaltstack(SS_DISABLE)", sys2(SYS_sigaltstack, (long)&s, 0));
    show_stack("sigaltstack(NULL, &old)", sys2(SYS_sigaltstack, 0, (long)&o), &o);
}

/* ---- SA_RESTART, EINTR, sigsuspend */

static void nop_handler(int sig)
{
    (void)sig;
    runs++;
}

/* A child that sends SIGUSR1 to the parent after 300 ms, then writes to the pipe after 300 more. */
static pid_t start_poker(int wfd)
{
    pid_t parent = getpid();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(300);
        kill(parent, SIGUSR1);
        sleep_ms(300);
        write(wfd, "x", 1);
        _exit(0);
    }
    return pid;
}

static void test_restart(int flags, const char *what)
{
    int p[2];
    char c;
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = nop_handler;
    sa.sa_flags = flags;
    sigaction(SIGUSR1, &sa, NULL);
    pipe(p);
    runs = 0;
    pid_t pid = start_poker(p[1]);
    long r = sys3(SYS_read, p[0], (long)&c, 1);
    printf("%s: read of an empty pipe: ", what);
    show("result", r);
    printf("%s: handler ran %d time(s)\n", what, runs);
    waitpid(pid, NULL, 0);
    close(p[0]);
    close(p[1]);
}

static void test_sigsuspend(void)
{
    sigset_t block, empty, now;
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = nop_handler;
    sigaction(SIGUSR2, &sa, NULL);
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, NULL);
    runs = 0;
    kill(getpid(), SIGUSR2);
    sigset_t pend;
    sigemptyset(&pend);
    sys2(SYS_rt_sigpending, (long)&pend, 8);
    printf("rt_sigpending with SIGUSR2 blocked and sent: SIGUSR2 %s\n",
           sigismember(&pend, SIGUSR2) ? "pending" : "not pending");
    show("rt_sigpending(sigsetsize 9)", sys2(SYS_rt_sigpending, (long)&pend, 9));
    show("rt_sigpending(NULL)", sys2(SYS_rt_sigpending, 0, 8));
    sigemptyset(&empty);
    long r = sys2(SYS_rt_sigsuspend, (long)&empty, 8);
    show("rt_sigsuspend(empty mask)", r);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("after rt_sigsuspend: handler ran %d time(s), SIGUSR2 blocked again: %s\n", runs,
           sigismember(&now, SIGUSR2) ? "yes" : "no");
    show("rt_sigsuspend(sigsetsize 4)", sys2(SYS_rt_sigsuspend, (long)&empty, 4));
    sigprocmask(SIG_UNBLOCK, &block, NULL);
}

int main(void)
{
    ensure_tmp();

    print_status("#41 NULL write, RLIMIT_CORE 0", child_status(child41_core0));
    print_status("#41 NULL write, RLIMIT_CORE unlimited", child_status(child41_core_unlimited));
    unlink("/tmp/core");
    print_status("#42 SIG_IGN + fault", child_status(child42));
    print_status("#43 handler (exits 42) but SIGSEGV blocked + fault", child_status(child43));
    print_status("#44 fault inside the handler, no SA_NODEFER", child_status(child44));
    print_status("#44 fault inside the handler, SA_NODEFER (exit 20 = nested run)", child_status(child44_nodefer));

    /* #45 */
    signal(SIGSEGV, SIG_IGN);
    show("#45 kill(self, SIGSEGV) with SIG_IGN", kill(getpid(), SIGSEGV));
    printf("#45 still running\n");
    install(SIGSEGV, count_handler, 0);
    sigset_t s, pend;
    sigemptyset(&s);
    sigaddset(&s, SIGSEGV);
    sigprocmask(SIG_BLOCK, &s, NULL);
    runs = 0;
    kill(getpid(), SIGSEGV);
    sigpending(&pend);
    printf("#45 blocked: handler ran %d time(s), pending %s\n", runs, sigismember(&pend, SIGSEGV) ? "yes" : "no");
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    printf("#45 after unblock: handler ran %d time(s), code %d (SI_USER), si_pid is getpid: %s\n", runs, info_code,
           info_pid == getpid() ? "yes" : "no");
    signal(SIGSEGV, SIG_DFL);

    /* #46 */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = frame_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    struct ksigaction ka;
    sys4(SYS_rt_sigaction, SIGUSR1, 0, (long)&ka, 8);
    sigemptyset(&s);
    sigaddset(&s, SIGHUP);
    sigprocmask(SIG_SETMASK, &s, NULL);
    raise(SIGUSR1);
    sigprocmask(SIG_SETMASK, NULL, &s);
    int xs = cpu_has_xsave();
    printf("#46 uc_flags as Linux on this CPU (7 with XSAVE, 6 without): %s\n",
           f_flags == (xs ? 7UL : 6UL) ? "yes" : "no");
    printf("#46 info - uc: %ld\n", (long)(f_info - f_uc));
    printf("#46 (uc - 8) %% 16: %lu\n", (f_uc - 8) % 16);
    printf("#46 *(uc - 8) == sa_restorer: %s\n", f_ret == (unsigned long)ka.restorer ? "yes" : "no");
    printf("#46 fpregs %% 64: %lu, fpregs - uc: %ld\n", f_fp % 64, (long)(f_fp - f_uc));
    printf("#46 magic1 0x46505853 at fpstate+464: %s, extended_size == xstate_size + 4: %s\n",
           f_magic1 == 0x46505853U ? "yes" : "no", f_xext == f_xsize + 4 ? "yes" : "no");
    printf("#46 magic2 at fpstate+xstate_size as Linux on this CPU (XSAVE only): %s\n",
           !xs || f_magic2 == 0x46505845U ? "yes" : "no");
    printf("#46 uc_sigmask is the pre-handler mask (SIGHUP): %s\n", f_sigmask == (1UL << (SIGHUP - 1)) ? "yes" : "no");
    printf("#46 mask in the handler: SIGHUP SIGUSR1 SIGUSR2: %s\n",
           f_mask_in_handler == ((1UL << (SIGHUP - 1)) | (1UL << (SIGUSR1 - 1)) | (1UL << (SIGUSR2 - 1))) ? "yes"
                                                                                                  : "no");
    printf("#46 frame below the red zone: %s\n", f_uc - 8 <= f_rsp - 128 ? "yes" : "no");
    printf("#46 mask restored after the handler: %s\n", sigismember(&s, SIGHUP) && !sigismember(&s, SIGUSR1) ? "yes" : "no");
    sigemptyset(&s);
    sigprocmask(SIG_SETMASK, &s, NULL);

    print_status("#47 raw rt_sigaction without SA_RESTORER, raise", child_status(child47));

    /* #48 */
    install(SIGUSR1, count_handler, 0);
    raise(SIGUSR1);
    printf("#48 raise: si_signo %d si_code %d (SI_TKILL), si_pid is getpid: %s, si_uid %d\n", info_signo, info_code,
           info_pid == getpid() ? "yes" : "no", info_uid);
    sys3(SYS_tgkill, getpid(), getpid(), SIGUSR1);
    printf("#48 tgkill: si_code %d, si_pid is getpid: %s\n", info_code, info_pid == getpid() ? "yes" : "no");
    kill(getpid(), SIGUSR1);
    printf("#48 kill: si_code %d (SI_USER), si_pid is getpid: %s, si_uid %d\n", info_code,
           info_pid == getpid() ? "yes" : "no", info_uid);

    print_status("SA_RESETHAND child (second raise: default action)", child_status(child_resethand));

    runs = depth = max_depth = 0;
    install(SIGUSR1, nest_handler, 0);
    raise(SIGUSR1);
    printf("without SA_NODEFER: handler ran %d time(s), max depth %d\n", runs, max_depth);
    runs = depth = max_depth = 0;
    install(SIGUSR1, nest_handler, SA_NODEFER);
    raise(SIGUSR1);
    printf("with SA_NODEFER: handler ran %d time(s), max depth %d\n", runs, max_depth);

    /* The handler moves REG_RIP past a ud2 and sets REG_RAX. */
    install(SIGILL, rip_rax_handler, 0);
    unsigned long rax;
    __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                     "movq %%rax, %1\n\t"
                     "movq $7, %%rax\n\t"
                     "ud2\n\t"
                     "1:"
                     : "=a"(rax), "=m"(new_rip)
                     :
                     : "memory");
    printf("handler set REG_RIP past ud2 and REG_RAX: rax %#lx\n", rax);

    test_sigaltstack();
    test_restart(0, "SIGUSR1 without SA_RESTART");
    test_restart(SA_RESTART, "SIGUSR1 with SA_RESTART");
    test_sigsuspend();

    show("rt_sigaction(SIGKILL, act)", sys4(SYS_rt_sigaction, SIGKILL, (long)&ka, 0, 8));
    return 0;
}
