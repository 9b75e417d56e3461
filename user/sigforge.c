/* sigforge: forged signal frames (issue 6). A SIGUSR1 handler damages its own frame in one way
 * (RIP, segment selectors, RFLAGS, the FPU image and its pointer, the mask) and returns, so
 * rt_sigreturn takes the forged frame; each case runs in a forked child and the child's wait
 * status is printed: it must die (or live) exactly as on Linux, and the kernel must keep running. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "common.h"

enum {
    RIP_UNMAPPED,
    RIP_KERNEL,
    RIP_NONCANONICAL,
    CS_NULL,
    CS_KERNEL,
    CS_DATA,
    SS_NULL,
    SS_CODE,
    SS_KERNEL,
    EFLAGS_IOPL,
    EFLAGS_TF,
    MXCSR_RESERVED,
    FPSTATE_UNMAPPED,
    FPSTATE_MISALIGNED,
    FPSTATE_NULL,
    MASK_ALL,
    XSAVE_HEADER,
    NCASES
};

static const char *const names[NCASES] = {
    [RIP_UNMAPPED] = "RIP 0x1000 (unmapped)",
    [RIP_KERNEL] = "RIP 0xffffffff81000000 (kernel)",
    [RIP_NONCANONICAL] = "RIP 0x8000000000000000 (non-canonical)",
    [CS_NULL] = "CS 0 (becomes 3, a null selector)",
    [CS_KERNEL] = "CS 0x10 (kernel code, becomes 0x13)",
    [CS_DATA] = "CS 0x2b (user data)",
    [SS_NULL] = "SS 0 (becomes 3, a null selector)",
    [SS_CODE] = "SS 0x33 (user code)",
    [SS_KERNEL] = "SS 0x18 (kernel data, becomes 0x1b)",
    [EFLAGS_IOPL] = "RFLAGS IOPL 3, then cli",
    [EFLAGS_TF] = "RFLAGS TF",
    [MXCSR_RESERVED] = "MXCSR reserved bits",
    [FPSTATE_UNMAPPED] = "fpstate pointer 0x1000 (unmapped)",
    [FPSTATE_MISALIGNED] = "fpstate pointer misaligned by 8",
    [FPSTATE_NULL] = "fpstate pointer NULL (FPU reset, MXCSR back to 0x1f80)",
    [MASK_ALL] = "uc_sigmask all ones (SIGKILL, SIGSTOP stay unblocked)",
    [XSAVE_HEADER] = "reserved XSAVE header bytes set (killed only with XSAVE)",
};

static int mode;

static void forge(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
    unsigned short *seg = (unsigned short *)&g[REG_CSGSFS]; /* cs, gs, fs, ss */
    unsigned char *fp = (unsigned char *)uc->uc_mcontext.fpregs;
    (void)sig, (void)si;

    switch (mode) {
    case RIP_UNMAPPED: g[REG_RIP] = 0x1000; break;
    case RIP_KERNEL: g[REG_RIP] = (greg_t)0xffffffff81000000UL; break;
    case RIP_NONCANONICAL: g[REG_RIP] = (greg_t)0x8000000000000000UL; break;
    case CS_NULL: seg[0] = 0; break;
    case CS_KERNEL: seg[0] = 0x10; break;
    case CS_DATA: seg[0] = 0x2b; break;
    case SS_NULL: seg[3] = 0; break;
    case SS_CODE: seg[3] = 0x33; break;
    case SS_KERNEL: seg[3] = 0x18; break;
    case EFLAGS_IOPL: g[REG_EFL] |= 0x3000; break;
    case EFLAGS_TF: g[REG_EFL] |= 0x100; break;
    case MXCSR_RESERVED: *(unsigned int *)(fp + 24) = 0xffff1f80; break;
    case FPSTATE_UNMAPPED: uc->uc_mcontext.fpregs = (void *)0x1000; break;
    case FPSTATE_MISALIGNED: uc->uc_mcontext.fpregs = (void *)(fp + 8); break;
    case FPSTATE_NULL: uc->uc_mcontext.fpregs = NULL; break;
    case MASK_ALL: memset(&uc->uc_sigmask, 0xff, 8); break;
    case XSAVE_HEADER: fp[512 + 16] = 1; break;
    }
}

static unsigned int get_mxcsr(void)
{
    unsigned int m;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    return m;
}

static void child(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = forge;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    unsigned int m = 0x9f80; /* flush-to-zero on */
    __asm__ volatile("ldmxcsr %0" ::"m"(m));
    raise(SIGUSR1);
    if (mode == EFLAGS_IOPL)
        __asm__ volatile("cli; sti");
    if (mode == FPSTATE_NULL)
        _exit(get_mxcsr() == 0x1f80 ? 0 : 1);
    if (mode == MASK_ALL) {
        sigset_t s;
        sigprocmask(SIG_BLOCK, NULL, &s);
        _exit(sigismember(&s, SIGKILL) || sigismember(&s, SIGSTOP) || !sigismember(&s, SIGUSR2) ? 1 : 0);
    }
    _exit(get_mxcsr() == 0x9f80 ? 0 : 1); /* the FPU state came back */
}

/* rt_sigreturn with RSP on an unmapped page: the frame cannot be read. */
static void child_unreadable(void)
{
    __asm__ volatile("movq $0x1000, %%rsp\n\t"
                     "movl $15, %%eax\n\t"
                     "syscall\n\t"
                     "ud2" ::: "memory");
}

static void print_status(const char *what, int st)
{
    if (WIFEXITED(st))
        printf("%s: exit %d\n", what, WEXITSTATUS(st));
    else
        printf("%s: killed by signal %d (status %#x)\n", what, WTERMSIG(st), st);
}

static int cpu_has_xsave(void)
{
    unsigned int a = 1, b, c = 0, d;
    __asm__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return (c >> 26) & 1;
}

int main(void)
{
    for (mode = 0; mode < NCASES; mode++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0)
            child();
        int st = 0;
        waitpid(pid, &st, 0);
        if (mode == XSAVE_HEADER) {
            int expect_killed = cpu_has_xsave();
            printf("%s: as Linux on this CPU: %s\n", names[mode],
                   (expect_killed ? WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV : WIFEXITED(st) && !WEXITSTATUS(st))
                       ? "yes"
                       : "no");
            continue;
        }
        print_status(names[mode], st);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        child_unreadable();
    int st = 0;
    waitpid(pid, &st, 0);
    print_status("rt_sigreturn with RSP on an unmapped page", st);
    printf("the kernel is still running\n");
    return 0;
}
