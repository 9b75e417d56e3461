/* sigcompat: issue 15 item 3 (the signal frame byte for byte as Linux writes it). A 64-bit
 * program that far-jumps into the 32-bit user code segment (0x23) and faults there gets the
 * usual 64-bit frame, but Linux 6.1 sets UC_STRICT_RESTORE_SS in uc_flags only when the
 * interrupted code was 64-bit (frame_uc_flags: user_64bit_mode), so here only
 * UC_SIGCONTEXT_SS is set (UC_FP_XSTATE, CPU-dependent, is left out of the output). The frame
 * also records CS 0x23 and the user SS.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define UC_MCONTEXT 40
#define SC_CSGSFS 144

static void on_ill(int sig, siginfo_t *si, void *ucv)
{
    uint64_t flags, csgsfs;
    char msg[160];

    memcpy(&flags, ucv, 8);
    memcpy(&csgsfs, (const unsigned char *)ucv + UC_MCONTEXT + SC_CSGSFS, 8);
    int n = snprintf(msg, sizeof(msg),
                     "[15.3] signal %d si_code %d in 32-bit code: uc_flags & 6 = %#llx, "
                     "cs %#llx, ss %#llx\n",
                     sig, si->si_code, (unsigned long long)(flags & 6),
                     (unsigned long long)(csgsfs & 0xffff),
                     (unsigned long long)(csgsfs >> 48));
    write(1, msg, n);
    _exit(0);
}

int main(void)
{
    struct sigaction sa;
    stack_t ss;
    static unsigned char altstack[65536];

    /* 32-bit code below 4 GiB: ud2; entered with a far jump through 0x23. */
    unsigned char *code = mmap((void *)0x20000000UL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (code == MAP_FAILED) {
        printf("mmap MAP_32BIT failed\n");
        return 1;
    }
    code[0] = 0x0f;
    code[1] = 0x0b;
    ss.ss_sp = altstack;
    ss.ss_size = sizeof(altstack);
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_ill;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    static struct __attribute__((packed)) { uint32_t off; uint16_t sel; } target;
    target.off = (uint32_t)(uintptr_t)code;
    target.sel = 0x23;
    __asm__ volatile("ljmpl *%0" ::"m"(target) : "memory");
    printf("FAIL: returned from 32-bit code\n");
    return 1;
}
