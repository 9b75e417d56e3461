/* sigleak: issue 15 item 3, no kernel bytes in a signal frame.
 *
 * Part A ("frame"): 3000 SIGUSR1s, each after a different system call that leaves bytes on the
 * kernel stack (uname, fstat, getdents64, a /proc read, a pipe, clock_gettime, getrusage,
 * times, sigaltstack, getcwd, readlink, prlimit, execve of a long missing path), are taken on an
 * alternate stack filled with 0x5c; the handler reads the raw kernel frame (struct rt_sigframe,
 * not libc's ucontext_t) and counts the frames where a byte the kernel must write as zero is
 * not: the XSAVE header's XCOMP_BV and reserved bytes (fpstate bytes 520..575: Linux zeroes the
 * whole header, XSAVE writes only the XSTATE_BV bits it saves), the padding of fpx_sw_bytes
 * (484..511), uc_link, and the siginfo bytes after the fields kill() fills (si_pid/si_uid); and
 * the gaps Linux never writes, which keep the stack's bytes (sigcontext's reserved1, uc_stack's
 * padding after ss_flags, fpstate bytes 416..463). It also prints the fixed values Linux
 * writes: uc_flags' low bits, cs/gs/fs/ss, uc_sigmask.
 *
 * Part B ("gc"): Boehm GC's incremental mode in small: 64 pages made PROT_NONE, touched, the
 * SIGSEGV handler makes the page writable again and returns through rt_sigreturn, 4000 times
 * with system calls in between. A frame rt_sigreturn refuses (garbage XCOMP_BV) would give
 * SIGSEGV with si_code SI_KERNEL: the handler reports it and the program stops.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common.h"

#define P 4096UL
#define NPAGES 64
#define FP_XSTATE_MAGIC1 0x46505853U

/* Offsets in the kernel's struct ucontext (x86-64). */
#define UC_FLAGS 0
#define UC_LINK 8
#define UC_STACK 16	  /* ss_sp 8, ss_flags 4, padding 4, ss_size 8 */
#define UC_MCONTEXT 40	  /* struct sigcontext, 256 bytes */
#define SC_CSGSFS 144	  /* cs, gs, fs, ss: four u16 */
#define SC_FPSTATE 184	  /* pointer to the FPU area */
#define SC_RESERVED1 192 /* 8 u64 */
#define UC_SIGMASK 296

static unsigned char altstack[65536] __attribute__((aligned(64)));
static volatile unsigned long frames, bad_hdr, bad_sw, bad_link, bad_info, resv1_kept,
    stackpad_kept, legacy_kept, legacy_zero;
static volatile unsigned long seen_flags, seen_csgsfs, seen_mask;
static char *arena;
static volatile unsigned long gc_faults;

/* Counts the bytes of [p, p+n) that are not c. */
static int differ(const unsigned char *p, size_t n, unsigned char c)
{
    int d = 0;
    for (size_t i = 0; i < n; i++)
        d += p[i] != c;
    return d;
}

/*
 * Checks one frame: the bytes the kernel writes as zero, and (on the alternate stack, filled
 * with 0x5c before each signal) the gaps Linux does not write at all, which keep the stack's
 * bytes: sigcontext's reserved1, uc_stack's padding, the legacy FPU area's bytes 416..463.
 */
static void check_frame(const unsigned char *info, const unsigned char *uc, int filled)
{
    const unsigned char *sc = uc + UC_MCONTEXT;
    const unsigned char *fp;

    memcpy(&fp, sc + SC_FPSTATE, sizeof(fp));
    frames++;
    if (fp) {
        uint32_t magic1, xstate_size;
        memcpy(&magic1, fp + 464, 4);
        memcpy(&xstate_size, fp + 480, 4);
        if (magic1 == FP_XSTATE_MAGIC1 && xstate_size >= 576) { /* an XSAVE image */
            if (differ(fp + 520, 56, 0)) /* XCOMP_BV and the reserved header bytes */
                bad_hdr++;
        }
        if (differ(fp + 484, 28, 0)) /* fpx_sw_bytes padding */
            bad_sw++;
        if (filled) {
            legacy_kept += !differ(fp + 416, 48, 0x5c);
            legacy_zero += !differ(fp + 416, 48, 0);
        }
    }
    if (filled) {
        resv1_kept += !differ(sc + SC_RESERVED1, 64, 0x5c);
        stackpad_kept += !differ(uc + UC_STACK + 12, 4, 0x5c);
    }
    if (differ(uc + UC_LINK, 8, 0))
        bad_link++;
    if (info && (differ(info + 12, 4, 0) || differ(info + 24, 128 - 24, 0)))
        bad_info++;
    uint64_t v;
    memcpy(&v, uc + UC_FLAGS, 8);
    seen_flags = v & 6; /* UC_FP_XSTATE (1) depends on the CPU: left out */
    memcpy(&v, sc + SC_CSGSFS, 8);
    seen_csgsfs = v;
    memcpy(&v, uc + UC_SIGMASK, 8);
    seen_mask = v;
}

static void usr1(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    check_frame((const unsigned char *)si, ucv, 1);
}

/* A write to a PROT_NONE page of the arena: make it writable and retry. */
static void segv(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    char *a = si->si_addr;
    if (si->si_code != SEGV_ACCERR || a < arena || a >= arena + NPAGES * P) {
        char msg[96];
        int n = snprintf(msg, sizeof(msg), "FAIL gc: SIGSEGV si_code %d after %lu faults\n",
                         si->si_code, gc_faults);
        write(1, msg, n);
        _exit(2);
    }
    check_frame(NULL, ucv, 0);
    gc_faults++;
    mprotect((void *)((uintptr_t)a & ~(P - 1)), P, PROT_READ | PROT_WRITE);
}

/* One of a set of system calls that write kernel data to user memory; i picks which. */
static void dirty(int i)
{
    static char buf[8192];
    struct stat st;
    struct rusage ru;
    struct tms tm;
    struct timespec ts;
    struct utsname un;
    struct rlimit rl;
    stack_t ss;
    int fds[2], fd;

    switch (i % 13) {
    case 0:
        sys1(SYS_uname, (long)&un);
        break;
    case 1:
        sys2(SYS_fstat, 1, (long)&st);
        break;
    case 2:
        fd = sys3(SYS_open, (long)"/", O_RDONLY | O_DIRECTORY, 0);
        sys3(SYS_getdents64, fd, (long)buf, sizeof(buf));
        sys1(SYS_close, fd);
        break;
    case 3:
        fd = sys3(SYS_open, (long)"/proc/self/maps", O_RDONLY, 0);
        sys3(SYS_read, fd, (long)buf, sizeof(buf));
        sys1(SYS_close, fd);
        break;
    case 4:
        sys1(SYS_pipe, (long)fds);
        sys3(SYS_write, fds[1], (long)"abcdefgh", 8);
        sys3(SYS_read, fds[0], (long)buf, 8);
        sys1(SYS_close, fds[0]);
        sys1(SYS_close, fds[1]);
        break;
    case 5:
        sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts);
        break;
    case 6:
        sys2(SYS_getrusage, RUSAGE_SELF, (long)&ru);
        break;
    case 7:
        sys1(SYS_times, (long)&tm);
        break;
    case 8:
        sys2(SYS_sigaltstack, 0, (long)&ss);
        break;
    case 9:
        sys2(SYS_getcwd, (long)buf, sizeof(buf));
        break;
    case 10:
        sys3(SYS_readlink, (long)"/proc/self/exe", (long)buf, sizeof(buf));
        break;
    case 11:
        sys4(SYS_prlimit64, 0, RLIMIT_STACK, 0, (long)&rl);
        sys2(SYS_stat, (long)"/proc/self/maps", (long)&st);
        break;
    case 12: /* a long path that does not exist: the kernel copies it to its stack */
        for (int k = 0; k < 4000; k++)
            buf[k] = k % 200 ? 'a' + k % 26 : '/';
        buf[4000] = 0;
        sys3(SYS_execve, (long)buf, 0, 0);
        break;
    }
}

static void report(const char *part, int filled)
{
    printf("%s: frames %lu, xsave frames with XCOMP_BV/reserved header bytes not zero: %lu\n",
           part, frames, bad_hdr);
    printf("%s: fpx_sw_bytes padding not zero: %lu, uc_link not zero: %lu, siginfo padding not "
           "zero: %lu\n",
           part, bad_sw, bad_link, bad_info);
    if (filled)
        printf("%s: left as the stack had them: sigcontext reserved1 %lu, uc_stack padding %lu; "
               "fpstate bytes 416..463 kept %lu, zero %lu\n",
               part, resv1_kept, stackpad_kept, legacy_kept, legacy_zero);
    printf("%s: uc_flags & 6 = %#lx, cs/gs/fs/ss = %#lx, uc_sigmask = %#lx\n", part, seen_flags,
           seen_csgsfs, seen_mask);
    frames = bad_hdr = bad_sw = bad_link = bad_info = 0;
}

int main(void)
{
    struct sigaction sa;
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };

    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = usr1;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_sigaction = segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    /* Part A: item 3, a clean frame after every kind of system call. */
    long pid = sys0(SYS_getpid);
    for (int i = 0; i < 3000; i++) {
        memset(altstack, 0x5c, sizeof(altstack));
        dirty(i);
        sys2(SYS_kill, pid, SIGUSR1);
    }
    report("frame", 1);

    /* Part B: item 3, gctest's SIGSEGV round trips through rt_sigreturn. */
    arena = mmap(NULL, NPAGES * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned long sum = 0;
    for (int round = 0; round < 4000 / NPAGES + 1; round++) {
        mprotect(arena, NPAGES * P, PROT_NONE);
        for (int p = 0; p < NPAGES && gc_faults < 4000; p++) {
            dirty(round + p);
            arena[p * P + round % P] = (char)(p + round);
            sum += (unsigned char)arena[p * P + round % P];
        }
        mprotect(arena, NPAGES * P, PROT_READ | PROT_WRITE);
    }
    printf("gc: write faults handled %lu, checksum %lu\n", gc_faults, sum);
    report("gc", 0);
    return 0;
}
