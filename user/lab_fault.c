/* Lab 2 (docs/labs.md): catch and repair a fault. A page is made read-only; writing to it raises
 * SIGSEGV. The handler reports what the kernel told it (si_code, the faulting address) and makes
 * the page writable with mprotect; when the handler returns, the CPU runs the faulting write
 * again, and this time it succeeds. The same page is then made PROT_NONE and read. */
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define P 4096UL

static char *page;
static volatile int faults;

static const char *code_name(int code)
{
    return code == SEGV_MAPERR ? "SEGV_MAPERR (no mapping there)"
         : code == SEGV_ACCERR ? "SEGV_ACCERR (mapped, but not for this access)"
                               : "another code";
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    faults++;
    printf("  handler: signal %d, si_code %s\n", sig, code_name(si->si_code));
    printf("  handler: the fault is at page + %ld\n", (long)((char *)si->si_addr - page));
    printf("  handler: mprotect(page, P, PROT_READ|PROT_WRITE) = %ld\n",
           sys3(SYS_mprotect, (long)page, P, PROT_READ | PROT_WRITE));
}

int main(void)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    setvbuf(stdout, NULL, _IONBF, 0);

    page = mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("1. a read-only page; writing 'A' at page + 100\n");
    *(volatile char *)(page + 100) = 'A';
    printf("2. back from the handler: the write was retried, page[100] = '%c', %d fault(s)\n",
           page[100], faults);
    mprotect(page, P, PROT_NONE);
    printf("3. the page made PROT_NONE; reading page + 200\n");
    char c = *(volatile char *)(page + 200);
    printf("4. the read was retried after the handler: got %d, %d fault(s)\n", c, faults);
    return 0;
}
