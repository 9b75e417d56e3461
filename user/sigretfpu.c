/* sigretfpu: issue 15 item 3 (rt_sigreturn refuses exactly what Linux refuses, and leaves what
 * Linux leaves). When rt_sigreturn cannot restore the frame's FPU state, Linux 6.1's
 * fpu__restore_sig puts the user FPU registers in their init state (fpu__clear_user_states) on
 * every failure: an area that is not user memory (access_ok), one that cannot be read, one
 * FXRSTOR/XRSTOR refuses (a misaligned one). The SIGSEGV (SI_KERNEL) that follows is delivered
 * with those init registers: its frame's FCW, MXCSR and XMM0 show them.
 *
 * Each case runs in a child: the SIGUSR1 handler sets FCW 0x27f, MXCSR 0x9f80 and XMM0 to
 * 0x11.., points the frame's fpstate somewhere bad and returns; the SIGSEGV handler (on an
 * alternate stack) prints si_code and its own frame's FCW, MXCSR and XMM0's low word.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define UC_MCONTEXT 40
#define SC_FPSTATE 184

static unsigned char altstack[65536] __attribute__((aligned(64)));
static int which;
static unsigned char *unmapped;

static void usr1(int sig, siginfo_t *si, void *ucv)
{
    unsigned char *slot = (unsigned char *)ucv + UC_MCONTEXT + SC_FPSTATE;
    uint64_t fp;
    static const uint64_t ones[2] = { 0x1111111111111111ULL, 0x1111111111111111ULL };
    unsigned short fcw = 0x27f;
    unsigned mxcsr = 0x9f80;

    (void)sig;
    (void)si;
    memcpy(&fp, slot, 8);
    if (which == 0)
        fp += 8; /* misaligned for FXRSTOR and XRSTOR */
    else if (which == 1)
        fp = (uint64_t)(uintptr_t)unmapped; /* user address, nothing mapped */
    else
        fp = 0xffff880000000000ULL; /* the kernel half */
    memcpy(slot, &fp, 8);
    __asm__ volatile("fldcw %0; ldmxcsr %1; movdqu %2, %%xmm0" ::"m"(fcw), "m"(mxcsr), "m"(ones)
                     : "xmm0");
}

static void segv(int sig, siginfo_t *si, void *ucv)
{
    const unsigned char *fp;
    unsigned short fcw;
    unsigned mxcsr;
    uint64_t x0;
    char msg[160];

    (void)sig;
    memcpy(&fp, (const unsigned char *)ucv + UC_MCONTEXT + SC_FPSTATE, sizeof(fp));
    memcpy(&fcw, fp, 2);
    memcpy(&mxcsr, fp + 24, 4);
    memcpy(&x0, fp + 160, 8);
    int n = snprintf(msg, sizeof(msg),
                     "  SIGSEGV si_code %#x; its frame: FCW %#x, MXCSR %#x, XMM0 low %#llx\n",
                     si->si_code, fcw, mxcsr, (unsigned long long)x0);
    write(1, msg, n);
    _exit(0);
}

static void one_case(int w, const char *what)
{
    printf("[15.3] rt_sigreturn with fpstate %s:\n", what);
    pid_t c = fork();
    if (c == 0) {
        stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
        struct sigaction sa;
        which = w;
        sigaltstack(&ss, NULL);
        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = usr1;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGUSR1, &sa, NULL);
        sa.sa_sigaction = segv;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigaction(SIGSEGV, &sa, NULL);
        sys2(SYS_kill, sys0(SYS_getpid), SIGUSR1);
        write(1, "  FAIL: rt_sigreturn succeeded\n", 31);
        _exit(1);
    }
    int st;
    sys4(SYS_wait4, c, (long)&st, 0, 0);
    printf("  child: %s %d\n", WIFEXITED(st) ? "exit" : "signal",
           WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    unmapped = mmap(NULL, 65536, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(unmapped, 65536);
    one_case(0, "8 bytes past the saved area (misaligned)");
    one_case(1, "at unmapped user memory");
    one_case(2, "in the kernel half");
    return 0;
}
