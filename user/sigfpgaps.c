/* sigfpgaps: issue 15 item 3, no kernel bytes in a signal frame's FPU area.
 *
 * Linux's copy_fpstate_to_sigframe runs XSAVE (or FXSAVE) straight into the frame on the user
 * stack, so a byte of the legacy area the CPU does not store (the six unused bytes after each
 * 80-bit ST register, which QEMU's FXSAVE/XSAVE leave alone, and bytes 416..463) keeps what the
 * stack held there. A kernel that saves into a buffer on its own stack and copies the legacy
 * area out whole hands those bytes of its stack to user space instead.
 *
 * The program takes SIGUSR1 twice on an alternate stack filled first with 0x5c, then with 0xa3
 * (byte by byte through a volatile pointer, so no FPU register holds the fill), after system
 * calls that leave bytes on the kernel stack, with the same FPU state both times (three values
 * on the x87 stack). A byte of the frame's legacy area 0..511 that equals the fill both times
 * was not written: the program prints those offsets as ranges. Written bytes cannot match both
 * fills. The same layout on every CPU (the legacy area is FXSAVE's format with and without
 * XSAVE).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common.h"

#define UC_MCONTEXT 40
#define SC_FPSTATE 184
#define LEGACY 512

static unsigned char altstack[65536] __attribute__((aligned(64)));
static unsigned char seen[2][LEGACY];
static volatile int run, got_fp;

static void usr1(int sig, siginfo_t *si, void *ucv)
{
    const unsigned char *fp;

    (void)sig;
    (void)si;
    memcpy(&fp, (const unsigned char *)ucv + UC_MCONTEXT + SC_FPSTATE, sizeof(fp));
    if (!fp)
        return;
    got_fp++;
    for (int i = 0; i < LEGACY; i++)
        seen[run][i] = fp[i];
}

/* Fills the alternate stack without any SIMD register ever holding the fill. */
static void fill(unsigned char c)
{
    volatile unsigned char *p = altstack;

    for (size_t i = 0; i < sizeof(altstack); i++)
        p[i] = c;
}

/* Leaves bytes on the kernel stack (as any program's system calls do), then takes SIGUSR1. */
static void take_signal(void)
{
    struct utsname u;
    char cwd[256];

    sys1(SYS_uname, (long)&u);
    sys2(SYS_getcwd, (long)cwd, sizeof(cwd));
    sys2(SYS_kill, sys0(SYS_getpid), SIGUSR1);
}

int main(void)
{
    static const unsigned char fills[2] = { 0x5c, 0xa3 };
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
    struct sigaction sa;

    setvbuf(stdout, NULL, _IONBF, 0);
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = usr1;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);

    /* The same x87 state for both signals: 1, pi, log2(10) on the stack. */
    __asm__ volatile("fninit; fld1; fldpi; fldl2t" ::: "memory");
    for (run = 0; run < 2; run++) {
        fill(fills[run]);
        take_signal();
    }
    __asm__ volatile("fninit" ::: "memory");
    printf("fpstate: frames with an FPU area %d\n", got_fp);

    /* The offsets of the legacy area that kept the stack's bytes, as ranges. */
    printf("fpstate: legacy bytes the save left as the stack had them:");
    int n = 0;
    for (int i = 0; i < LEGACY;) {
        if (seen[0][i] != fills[0] || seen[1][i] != fills[1]) {
            i++;
            continue;
        }
        int j = i;
        while (j + 1 < LEGACY && seen[0][j + 1] == fills[0] && seen[1][j + 1] == fills[1])
            j++;
        printf(" %d-%d", i, j);
        n += j - i + 1;
        i = j + 1;
    }
    printf(" (%d bytes)\n", n);
    return 0;
}
