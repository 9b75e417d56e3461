/* sigfault: page faults and other exceptions as signals, spec §5.4 (cases 29-40; the printed
 * lines carry the case numbers) and the other exceptions of issue 6 (#UD, #DE, int3).
 * A SA_SIGINFO handler records si_signo, si_code, si_addr and REG_TRAPNO, REG_ERR, REG_CR2 from
 * the ucontext, then makes the faulting access return by moving REG_RIP to a resume address,
 * or (the repair case) fixes the protection with mprotect and returns so the access is retried.
 * Addresses are printed as offsets from the test's arena, never raw. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "common.h"

#define P 4096UL

static volatile unsigned long resume_rip;
static volatile int got_sig, got_code, handler_runs, repair;
static volatile unsigned long got_addr, got_trapno, got_err, got_cr2;
static char *arena;

static void handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;

    handler_runs++;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = (unsigned long)si->si_addr;
    got_trapno = g[REG_TRAPNO];
    got_err = g[REG_ERR];
    got_cr2 = g[REG_CR2];
    if (repair) {
        /* fix the page and return: the write is retried */
        mprotect((void *)(got_addr & ~(P - 1)), P, PROT_READ | PROT_WRITE);
        return;
    }
    if (resume_rip)
        g[REG_RIP] = (greg_t)resume_rip;
}

static void reset(void)
{
    got_sig = got_code = 0;
    got_addr = got_trapno = got_err = got_cr2 = 0;
    handler_runs = 0;
}

/* Reads one byte at a; a fault resumes after the load. */
static void try_read(volatile void *a)
{
    long v;
    __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                     "movq %%rax, %1\n\t"
                     "movzbq (%2), %0\n\t"
                     "1:"
                     : "=&r"(v), "=m"(resume_rip)
                     : "r"(a)
                     : "rax", "memory");
    (void)v;
}

/* Writes one byte at a; a fault resumes after the store. */
static void try_write(volatile void *a)
{
    __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                     "movq %%rax, %0\n\t"
                     "movb $1, (%1)\n\t"
                     "1:"
                     : "=m"(resume_rip)
                     : "r"(a)
                     : "rax", "memory");
}

/* Calls a; a fetch fault resumes after the call, and RSP is put back either way. */
static void try_call(void *a)
{
    __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                     "movq %%rax, %0\n\t"
                     "movq %%rsp, %%rbx\n\t"
                     "andq $-16, %%rsp\n\t"
                     "call *%1\n\t"
                     "1:\n\t"
                     "movq %%rbx, %%rsp"
                     : "=m"(resume_rip)
                     : "r"(a)
                     : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
}

static const char *signame(int s)
{
    switch (s) {
    case 0: return "none";
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGTRAP: return "SIGTRAP";
    }
    return "other";
}

/* An address as an offset from the arena when it is inside it, else in hex. */
static void print_addr(const char *what, unsigned long a)
{
    if (a >= (unsigned long)arena && a < (unsigned long)arena + 64 * P)
        printf(" %s arena+%#lx", what, a - (unsigned long)arena);
    else
        printf(" %s %#lx", what, a);
}

static void report(const char *what)
{
    printf("%s: %s", what, signame(got_sig));
    if (got_sig) {
        printf(" code %d", got_code);
        print_addr("addr", got_addr);
        printf(" trapno %lu err %#lx", got_trapno, got_err);
        if (got_trapno == 14)
            print_addr("cr2", got_cr2);
    }
    printf("\n");
    reset();
}

static void install(int sig, void (*h)(int, siginfo_t *, void *))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
}

/* Forks, runs fn in the child, returns the child's wait status. */
static void print_status(const char *what, int st)
{
    if (WIFEXITED(st))
        printf("%s: exit %d (status %#x)\n", what, WEXITSTATUS(st), st);
    else
        printf("%s: killed by %s (status %#x)\n", what, signame(WTERMSIG(st)), st);
}

static char *map39;

static void exit0_handler(int sig)
{
    (void)sig;
    _exit(0);
}

static void child39(void)
{
    signal(SIGSEGV, exit0_handler);
    map39[0] = 'x'; /* the handler exits 0; getting past the write exits 1 */
    _exit(1);
}

static char *buf40;

static void handler40(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    printf("#40 Got SIGSEGV at address: buffer+%#lx\n",
           (unsigned long)si->si_addr - (unsigned long)buf40);
    fflush(stdout);
    _exit(EXIT_FAILURE);
}

static void child40(void)
{
    install(SIGSEGV, handler40);
    buf40 = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("#40 Start of region: buffer\n");
    mprotect(buf40 + 2 * P, P, PROT_READ);
    for (volatile char *p = buf40;;)
        *(p++) = 'a';
}

int main(void)
{
    ensure_tmp();
    arena = mmap(NULL, 64 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    install(SIGSEGV, handler);
    install(SIGBUS, handler);
    install(SIGILL, handler);
    install(SIGFPE, handler);
    install(SIGTRAP, handler);

    /* arena pages: 0 unmapped, 1 PROT_NONE (touched before), 2 PROT_NONE (never touched),
     * 3 read-only (present), 4 read-only (never touched), 5 RW with a ret in it, 6 write-only,
     * 8 read-only for the repair */
    munmap(arena, P);
    mprotect(arena + P, P, PROT_READ | PROT_WRITE);
    arena[P] = 1;
    mprotect(arena + P, P, PROT_NONE);
    mprotect(arena + 3 * P, P, PROT_READ | PROT_WRITE);
    arena[3 * P] = 1;
    mprotect(arena + 3 * P, P, PROT_READ);
    mprotect(arena + 4 * P, P, PROT_READ);
    mprotect(arena + 5 * P, P, PROT_READ | PROT_WRITE);
    arena[5 * P + 0x80] = (char)0xc3;
    mprotect(arena + 6 * P, P, PROT_WRITE);

    try_read(arena + 0x10);
    report("#29 read unmapped");
    try_write(arena + 0x18);
    report("#30 write unmapped");
    try_read(arena + P + 0x20);
    report("#31 read PROT_NONE (touched before)");
    try_read(arena + 2 * P + 0x28);
    report("#31 read PROT_NONE (never touched)");
    try_write(arena + 3 * P + 0x30);
    report("#32 write read-only (present)");
    try_write(arena + 4 * P + 0x38);
    report("#32 write read-only (not present)");
    try_call(arena + 5 * P + 0x80);
    report("#33 call into RW page");

    /* #34: copy code (mov $42, %eax; ret) into an RW page, make it PROT_EXEC, call it. */
    static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
    char *xp = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(xp, code, sizeof code);
    show("#34 mprotect(PROT_EXEC)", sys3(SYS_mprotect, (long)xp, P, PROT_EXEC));
    int v = ((int (*)(void))(void *)xp)();
    printf("#34 call: returned %d, ", v);
    report("signal");

    arena[6 * P] = 7;
    try_read(arena + 6 * P);
    report("#35 read PROT_WRITE-only page");

    try_read((void *)0xffff888000001000UL);
    report("#36 read 0xffff888000001000");
    try_read((void *)0xffffffffff600000UL);
    report("#36 read vsyscall 0xffffffffff600000");
    try_read((void *)0x7ffffffff000UL);
    report("#36 read the last user page (TASK_SIZE_MAX)");

    try_read((void *)0x40); /* a page fault first, so CR2 holds 0x40 */
    unsigned long cr2_before = got_cr2;
    reset();
    try_read((void *)0x8000000000000000UL);
    printf("#37 REG_CR2 after the #GP is the last page fault's: %s\n",
           got_cr2 == cr2_before ? "yes" : "no");
    report("#37 read 0x8000000000000000 (non-canonical)");

    try_read(NULL);
    report("#38 read NULL");

    /* #39 LTP mprotect02 */
    int fd = open("/tmp/sigfault39", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char data[P];
    memset(data, 'a', sizeof data);
    show("#39 write the file", write(fd, data, sizeof data));
    map39 = mmap(NULL, P, PROT_READ, MAP_SHARED, fd, 0);
    print_status("#39 child writes the PROT_READ shared mapping", child_status(child39));
    show("#39 mprotect(addr, 27, PROT_WRITE)", sys3(SYS_mprotect, (long)map39, 27, PROT_WRITE));
    print_status("#39 child writes again", child_status(child39));
    close(fd);
    unlink("/tmp/sigfault39");

    /* #40 the mprotect.2 example */
    print_status("#40 child", child_status(child40));

    /* The handler repairs the protection and returns: the write is retried and lands. */
    mprotect(arena + 8 * P, P, PROT_READ);
    repair = 1;
    resume_rip = 0;
    ((volatile char *)arena)[8 * P + 0x48] = 42;
    repair = 0;
    printf("repair: handler ran %d time(s), byte is %d, ", handler_runs, arena[8 * P + 0x48]);
    report("signal");

    /* Other exceptions. */
    unsigned long insn;
    __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                     "movq %%rax, %0\n\t"
                     "leaq 2f(%%rip), %%rax\n\t"
                     "movq %%rax, %1\n\t"
                     "1: ud2\n\t"
                     "2:"
                     : "=m"(insn), "=m"(resume_rip)
                     :
                     : "rax", "memory");
    printf("#UD: si_addr is the instruction: %s; ", got_addr == insn ? "yes" : "no");
    got_addr = 0;
    report("ud2");

    __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                     "movq %%rax, %0\n\t"
                     "leaq 2f(%%rip), %%rax\n\t"
                     "movq %%rax, %1\n\t"
                     "xorl %%edx, %%edx\n\t"
                     "movl $1, %%eax\n\t"
                     "xorl %%ecx, %%ecx\n\t"
                     "1: divl %%ecx\n\t"
                     "2:"
                     : "=m"(insn), "=m"(resume_rip)
                     :
                     : "rax", "rcx", "rdx", "memory");
    printf("#DE: si_addr is the instruction: %s; ", got_addr == insn ? "yes" : "no");
    got_addr = 0;
    report("div by zero");

    resume_rip = 0;
    __asm__ volatile("int3" ::: "memory");
    report("int3 (returns after the instruction)");

    /* Faults inside syscalls on user pointers stay EFAULT, no signal. */
    show("write(1, NULL, 1)", sys3(SYS_write, 1, 0, 1));
    show("write(1, PROT_NONE page, 1)", sys3(SYS_write, 1, (long)(arena + P), 1));
    show("write(1, kernel address, 1)", sys3(SYS_write, 1, (long)0xffff888000001000UL, 1));
    report("signal");
    return 0;
}
