/* ptracexstate: issue 15 item 7 (ptrace register requests), the bytes of PTRACE_GETREGSET
 * NT_X86_XSTATE as Linux 6.1 lays them out (copy_xstate_to_uabi_buf in XSTATE_COPY_XSAVE mode):
 * the legacy area's bytes 416..463 are zero, bytes 464..471 hold the XCR0 the kernel enabled
 * for user space (debuggers such as gdb read it there to learn the register set), 472..511 are
 * zero, the header's XCOMP_BV and reserved bytes are zero and XSTATE_BV names only enabled
 * features; whatever a tracer wrote into the FXSAVE image's padding with PTRACE_SETFPREGS does
 * not come back (nor through PTRACE_GETFPREGS, whose bytes 416..511 are zero).
 *
 * On a CPU without XSAVE (qemu64) Linux answers ENODEV: the output is per CPU
 * (tests/user/ptracexstate.percpu).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define NT_X86_XSTATE 0x202

static unsigned char xs[16384] __attribute__((aligned(64)));
static unsigned char fx[512] __attribute__((aligned(16)));

static long pt(long req, long pid, long addr, long data)
{
    return sys4(SYS_ptrace, req, pid, addr, data);
}

/* Counts the bytes of [p, p+n) that are not zero. */
static int nonzero(const unsigned char *p, size_t n)
{
    int d = 0;
    for (size_t i = 0; i < n; i++)
        d += p[i] != 0;
    return d;
}

static int has_osxsave(void)
{
    unsigned a = 1, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return (c >> 27) & 1;
}

static uint64_t xgetbv0(void)
{
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static unsigned cpuid_xsave_size(void)
{
    unsigned a = 0xd, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return b;
}

/* GETREGSET NT_X86_XSTATE into xs (prefilled with 0x5c) and the checks of its layout. */
static void check_xstate(pid_t c, const char *when)
{
    struct iovec iov = { xs, sizeof(xs) };
    uint64_t w;

    memset(xs, 0x5c, sizeof(xs));
    long r = pt(PTRACE_GETREGSET, c, NT_X86_XSTATE, (long)&iov);
    if (r < 0) {
        printf("%s: GETREGSET NT_X86_XSTATE: -1 %s\n", when, errname(-r));
        return;
    }
    printf("%s: GETREGSET NT_X86_XSTATE: %ld, iov_len is CPUID.(0xD,0).EBX: %s\n", when, r,
           iov.iov_len == cpuid_xsave_size() ? "yes" : "no");
    printf("%s: bytes 416..463 not zero: %d\n", when, nonzero(xs + 416, 48));
    memcpy(&w, xs + 464, 8);
    printf("%s: bytes 464..471 are XCR0: %s\n", when, w == xgetbv0() ? "yes" : "no");
    printf("%s: bytes 472..511 not zero: %d\n", when, nonzero(xs + 472, 40));
    memcpy(&w, xs + 512, 8);
    printf("%s: XSTATE_BV outside XCR0: %s, x87 and SSE bits: %#llx\n", when,
           (w & ~xgetbv0()) ? "yes" : "no", (unsigned long long)(w & 3));
    printf("%s: header bytes 520..575 not zero: %d\n", when, nonzero(xs + 520, 56));
}

/*
 * SETREGSET NT_X86_XSTATE with reserved MXCSR bits (0xffffffff): Linux checks MXCSR only when
 * XSTATE_BV names x87, SSE or AVX (EINVAL then), and otherwise keeps the tracee's MXCSR.
 */
static void mxcsr_cases(pid_t c)
{
    static const uint64_t bvs[] = { 0, 1, 2, 4 };
    uint32_t bad = 0xffffffff;

    for (int i = 0; i < 4; i++) {
        struct iovec iov = { xs, sizeof(xs) };
        if (pt(PTRACE_GETREGSET, c, NT_X86_XSTATE, (long)&iov) < 0)
            return;
        if (!(bvs[i] & xgetbv0()) && bvs[i])
            continue;
        memcpy(xs + 512, &bvs[i], 8);
        memcpy(xs + 24, &bad, 4);
        char what[96];
        snprintf(what, sizeof(what), "SETREGSET NT_X86_XSTATE, XSTATE_BV %#llx, MXCSR 0xffffffff",
                 (unsigned long long)bvs[i]);
        show(what, pt(PTRACE_SETREGSET, c, NT_X86_XSTATE, (long)&iov));
    }
    memset(fx, 0x5c, sizeof(fx));
    pt(PTRACE_GETFPREGS, c, 0, (long)fx);
    uint32_t m;
    memcpy(&m, fx + 24, 4);
    printf("GETFPREGS after them: MXCSR %#x\n", m);
}

int main(void)
{
    int st;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (!has_osxsave()) {
        printf("no XSAVE on this CPU\n");
    }
    pid_t c = fork();
    if (c == 0) {
        sys4(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
        sys2(SYS_kill, sys0(SYS_getpid), SIGSTOP);
        unsigned mxcsr;
        __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
        printf("child: running again, MXCSR %#x\n", mxcsr);
        _exit(0);
    }
    sys4(SYS_wait4, c, (long)&st, 0, 0);
    printf("stopped: %s\n", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP ? "SIGSTOP" : "other");
    if (has_osxsave())
        check_xstate(c, "stop");

    /* SETFPREGS with the image read back and its padding (416..511) set to 0xee. */
    show("GETFPREGS", pt(PTRACE_GETFPREGS, c, 0, (long)fx));
    memset(fx + 416, 0xee, 96);
    uint32_t ftz = 0x9f80;
    memcpy(fx + 24, &ftz, 4);
    show("SETFPREGS with 0xee padding, MXCSR 0x9f80", pt(PTRACE_SETFPREGS, c, 0, (long)fx));
    memset(fx, 0x5c, sizeof(fx));
    show("GETFPREGS again", pt(PTRACE_GETFPREGS, c, 0, (long)fx));
    printf("GETFPREGS bytes 416..511 not zero: %d\n", nonzero(fx + 416, 96));
    if (has_osxsave())
        check_xstate(c, "after SETFPREGS");

    if (has_osxsave())
        mxcsr_cases(c);

    pt(PTRACE_CONT, c, 0, 0);
    sys4(SYS_wait4, c, (long)&st, 0, 0);
    printf("child: %s %d\n", WIFEXITED(st) ? "exit" : "signal",
           WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    return 0;
}
