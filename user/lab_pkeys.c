/* Lab 3 (docs/labs.md): a secret guarded by a protection key. The secret's page gets its own
 * key with pkey_mprotect; the program then switches access on and off for that key alone with
 * WRPKRU, a user-mode instruction (no system call, no page-table change). Reading while the key
 * says "no access" raises SIGSEGV with si_code SEGV_PKUERR and the key in si_pkey: the handler
 * prints that report, as a student sees it, and opens the key in the interrupted context's PKRU
 * (the XSAVE area of the signal frame) so the read completes when it returns. On a CPU without
 * protection keys the program says so and shows what Linux answers there. */
#include <cpuid.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "common.h"

#define P 4096UL

static char *secret;
static long key;
static unsigned pkru_offset; /* of PKRU in the XSAVE image: CPUID.(0xD,9).EBX */

/* Copies n bytes of the secret with plain reads (one of which may fault), then ends the copy. */
static const char *read_secret(size_t n)
{
    static char got[32];
    for (size_t i = 0; i < n && i < sizeof(got) - 1; i++)
        got[i] = ((volatile char *)secret)[i];
    got[n < sizeof(got) - 1 ? n : sizeof(got) - 1] = 0;
    return got;
}

static unsigned rdpkru(void)
{
    unsigned eax, edx;
    __asm__ volatile(".byte 0x0f,0x01,0xee" : "=a"(eax), "=d"(edx) : "c"(0));
    return eax;
}

static void wrpkru(unsigned pkru)
{
    __asm__ volatile(".byte 0x0f,0x01,0xef" ::"a"(pkru), "c"(0), "d"(0) : "memory");
}

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    unsigned *pkru = (unsigned *)((char *)uc->uc_mcontext.fpregs + pkru_offset);
    unsigned pkey = *(unsigned *)((char *)si + 0x20); /* si_pkey */

    printf("  fault report: signal %d, si_code %d (%s), address secret + %ld, si_pkey %u\n", sig,
           si->si_code, si->si_code == 4 ? "SEGV_PKUERR" : "not a key fault",
           (long)((char *)si->si_addr - secret), pkey);
    printf("  PKRU when it faulted: 0x%08x (key %u: %s)\n", *pkru, pkey,
           (*pkru >> (2 * pkey)) & 1 ? "access disabled" : "access allowed");
    *pkru &= ~(3u << (2 * pkey)); /* open the key where the program will resume */
}

int main(void)
{
    unsigned a, b, c, d;
    setvbuf(stdout, NULL, _IONBF, 0);
    secret = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(secret, "the launch code is 0000");
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(c & (1u << 4))) {
        printf("this CPU has no protection keys (CPUID OSPKE is 0)\n");
        show("pkey_alloc(0, PKEY_DISABLE_ACCESS)", sys2(SYS_pkey_alloc, 0, 1));
        show("pkey_mprotect(secret, P, RW, 1)",
             sys4(SYS_pkey_mprotect, (long)secret, P, PROT_READ | PROT_WRITE, 1));
        return 0;
    }
    __get_cpuid_count(0xd, 9, &a, &b, &c, &d);
    pkru_offset = b;
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    key = sys2(SYS_pkey_alloc, 0, 1 /* PKEY_DISABLE_ACCESS */);
    printf("1. pkey_alloc(0, PKEY_DISABLE_ACCESS) = key %ld; PKRU now 0x%08x\n", key, rdpkru());
    printf("2. pkey_mprotect(secret, P, PROT_READ|PROT_WRITE, %ld) = %ld\n", key,
           sys4(SYS_pkey_mprotect, (long)secret, P, PROT_READ | PROT_WRITE, key));
    unsigned closed = rdpkru(), open = closed & ~(3u << (2 * key));
    wrpkru(open);
    const char *got = read_secret(23);
    printf("3. WRPKRU 0x%08x opens key %ld: the secret reads \"%s\"\n", open, key, got);
    wrpkru(closed);
    printf("4. WRPKRU 0x%08x closes it again; reading the secret now\n", closed);
    got = read_secret(23);
    unsigned after = rdpkru();
    printf("5. the read completed after the handler: \"%s\"; PKRU 0x%08x\n", got, after);
    unsigned wd = (closed & ~(1u << (2 * key))) | (2u << (2 * key));
    wrpkru(wd);
    got = read_secret(3);
    printf("6. write-disable only (PKRU 0x%08x): reading works, no fault: \"%s\"\n", wd, got);
    printf("7. the kernel obeys PKRU too: write(1, secret, 3) with access disabled = ");
    wrpkru(closed);
    long r = sys3(SYS_write, 1, (long)secret, 3);
    printf("%ld%s\n", r, r == -EFAULT ? " (EFAULT)" : "");
    return 0;
}
