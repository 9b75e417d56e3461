/* signal_fault: what a write fault that user mode repairs costs (issue 6): the write faults on a
 * read-only page, the SIGSEGV handler makes the page writable with mprotect and returns, the
 * kernel's rt_sigreturn resumes the write, which now lands. Each iteration re-arms the page with
 * mprotect(PROT_READ), so the cost of those two mprotect calls alone is measured too.
 * Run under QEMU -icount shift=0 (tools/bench-signal), where the TSC counts guest instructions,
 * so the numbers are deterministic and comparable between Warden and Linux running this binary. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

#define ITER 2000
#define P 4096

static volatile char *page;
static volatile long faults;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    faults++;
    syscall(SYS_mprotect, (long)page, P, PROT_READ | PROT_WRITE);
}

static void handler_empty(int sig)
{
    (void)sig;
}

int main(void)
{
    struct sigaction sa;
    unsigned long long t0, t1;

    page = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    page[0] = 1;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    t0 = __rdtsc();
    for (int i = 0; i < ITER; i++) {
        syscall(SYS_mprotect, (long)page, P, PROT_READ);
        syscall(SYS_mprotect, (long)page, P, PROT_READ | PROT_WRITE);
    }
    t1 = __rdtsc();
    unsigned long long mp = (t1 - t0) / ITER;

    t0 = __rdtsc();
    for (int i = 0; i < ITER; i++) {
        syscall(SYS_mprotect, (long)page, P, PROT_READ);
        page[0] = (char)i; /* faults; the handler repairs; the write is retried */
    }
    t1 = __rdtsc();
    unsigned long long cycle = (t1 - t0) / ITER;

    signal(SIGUSR1, handler_empty);
    pid_t pid = getpid();
    t0 = __rdtsc();
    for (int i = 0; i < ITER; i++)
        syscall(SYS_kill, pid, SIGUSR1);
    t1 = __rdtsc();
    unsigned long long kill_rt = (t1 - t0) / ITER;

    printf("faults handled: %ld of %d\n", faults, ITER);
    printf("mprotect(READ) + mprotect(RW), no fault          %8llu per iteration\n", mp);
    printf("mprotect(READ) + write fault -> handler -> mprotect(RW) -> sigreturn -> retried "
           "write\n");
    printf("                                                 %8llu per iteration\n", cycle);
    printf("  of which the fault, signal delivery and sigreturn %6llu\n",
           cycle > mp ? cycle - mp : 0);
    printf("kill(self) -> empty handler -> sigreturn          %8llu per signal\n", kill_rt);
    return 0;
}
