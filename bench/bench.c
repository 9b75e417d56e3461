/* bench: Warden's memory-protection paths against Linux's, in guest instructions (issue 9).
 * Run under QEMU -icount shift=0,sleep=off (tools/bench), where one TSC tick is one guest
 * instruction, so the numbers are deterministic and the same binary measures both kernels.
 * Prints "name value" lines (instructions per operation; "boot" is the TSC when main() starts,
 * i.e. the instructions from power-on to the first user instruction plus libc start-up, a few
 * hundred); tools/bench puts the two kernels' lines side by side with their ratio.
 *
 * Every operation is measured as the best of 5 rounds of ITER iterations, after a warm-up. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include <x86intrin.h>

#include "measure.h"

#define P 4096UL
#define ITER 200
#define ARENA 0x100000000000UL /* the scaling VMAs */

static unsigned long long boot_tsc;


static void report(const char *name, unsigned long long v)
{
    printf("%-34s %llu\n", name, v);
    fflush(stdout);
}

/* ---- the operations ---- */

static char *one;      /* a populated page, a VMA of its own */
static char *three;    /* 3 populated pages: the middle one is split off and merged back */
static char *big;      /* 512 populated pages */
static char *faulty;   /* the page the fault round trip writes to */
static char *keyed;    /* a page under an access-disabled key */
static long pkey = -1;
static unsigned pkru_offset;

static void op_getppid(void)
{
    syscall(SYS_getppid);
}

static void op_mprotect_page(void)
{
    syscall(SYS_mprotect, one, P, PROT_READ);
    syscall(SYS_mprotect, one, P, PROT_READ | PROT_WRITE);
}

static void op_mprotect_split_merge(void)
{
    syscall(SYS_mprotect, three + P, P, PROT_READ);
    syscall(SYS_mprotect, three + P, P, PROT_READ | PROT_WRITE);
}

static void op_mprotect_512(void)
{
    syscall(SYS_mprotect, big, 512 * P, PROT_READ);
    syscall(SYS_mprotect, big, 512 * P, PROT_READ | PROT_WRITE);
}

static void op_mmap_munmap(void)
{
    void *p = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p, P);
}

static void op_mmap_touch_munmap(void)
{
    char *p = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *(volatile char *)p = 1;
    munmap(p, P);
}

static void on_segv_mprotect(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    syscall(SYS_mprotect, (long)si->si_addr & ~(long)(P - 1), P, PROT_READ | PROT_WRITE);
}

static void op_fault_round_trip(void)
{
    syscall(SYS_mprotect, faulty, P, PROT_READ);
    *(volatile char *)faulty = 1; /* faults; the handler makes it writable; retried */
}

static void op_pkey_mprotect(void)
{
    syscall(SYS_pkey_mprotect, three + P, P, PROT_READ | PROT_WRITE, pkey);
    syscall(SYS_pkey_mprotect, three + P, P, PROT_READ | PROT_WRITE, 0L);
}

static void op_pkey_alloc_free(void)
{
    syscall(SYS_pkey_free, syscall(SYS_pkey_alloc, 0, 1));
}

static unsigned rdpkru(void)
{
    unsigned a, d;
    __asm__ volatile("rdpkru" : "=a"(a), "=d"(d) : "c"(0));
    return a;
}

static void wrpkru(unsigned v)
{
    __asm__ volatile("wrpkru" ::"a"(v), "c"(0), "d"(0) : "memory");
}

static unsigned pkru_closed;

static void on_segv_pkey(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    (void)sig, (void)si;
    *(unsigned *)((char *)uc->uc_mcontext.fpregs + pkru_offset) = 0;
}

static void op_pkuerr_round_trip(void)
{
    wrpkru(pkru_closed);
    (void)*(volatile char *)keyed;
}

static void op_fork_exit_wait(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
}

/* ---- scaling ---- */

static char *scale_target;

static void op_scale_mprotect(void)
{
    syscall(SYS_mprotect, scale_target, P, PROT_READ | PROT_WRITE);
    syscall(SYS_mprotect, scale_target, P, PROT_READ);
}

/* Grows the address space to n single-page VMAs (a hole after each: nothing merges). */
static int grow_to(long n)
{
    static long have;
    for (; have < n; have++)
        if (mmap((void *)(ARENA + have * 2 * P), P, PROT_READ,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
            return -1;
    scale_target = (char *)(ARENA + (n / 2) * 2 * P);
    return 0;
}

static int has_ospke(void)
{
    unsigned a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
    if (!(c & (1u << 4)))
        return 0;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(9));
    pkru_offset = b;
    return 1;
}

int main(void)
{
    boot_tsc = __rdtsc();
    report("boot to main()", boot_tsc);

    one = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    three = mmap(NULL, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    big = mmap(NULL, 512 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    faulty = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(one, 1, P);
    memset(three, 1, 3 * P);
    memset(big, 1, 512 * P);
    memset(faulty, 1, P);

    report("null syscall (getppid)", measure(op_getppid, ITER));
    report("mprotect 1 page, both ways", measure(op_mprotect_page, ITER) / 2);
    report("mprotect split + merge back", measure(op_mprotect_split_merge, ITER) / 2);
    report("mprotect 512 pages, both ways", measure(op_mprotect_512, ITER / 4) / 2);
    report("mmap + munmap, untouched", measure(op_mmap_munmap, ITER));
    report("mmap + munmap, touched once", measure(op_mmap_touch_munmap, ITER));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv_mprotect;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    report("write fault -> handler -> mprotect", measure(op_fault_round_trip, ITER));

    if (has_ospke()) {
        pkey = syscall(SYS_pkey_alloc, 0, 0);
        keyed = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        *keyed = 1;
        syscall(SYS_pkey_mprotect, keyed, P, PROT_READ | PROT_WRITE, pkey);
        pkru_closed = rdpkru() | (1u << (2 * pkey));
        report("pkey_mprotect (to a key and back)", measure(op_pkey_mprotect, ITER) / 2);
        report("pkey_alloc + pkey_free", measure(op_pkey_alloc_free, ITER));
        sa.sa_sigaction = on_segv_pkey;
        sigaction(SIGSEGV, &sa, NULL);
        report("PKUERR fault round trip", measure(op_pkuerr_round_trip, ITER));
        wrpkru(0);
    }
    report("fork + exit + wait", measure(op_fork_exit_wait, 20));

    long sizes[] = { 10, 1000, 10000, 60000 };
    for (int i = 0; i < 4; i++) {
        char name[64];
        if (grow_to(sizes[i])) {
            printf("could not map %ld VMAs\n", sizes[i]);
            break;
        }
        snprintf(name, sizeof name, "%ld VMAs: mprotect", sizes[i]);
        report(name, measure(op_scale_mprotect, ITER) / 2);
        snprintf(name, sizeof name, "%ld VMAs: mmap + munmap", sizes[i]);
        report(name, measure(op_mmap_munmap, ITER));
    }
    return 0;
}
