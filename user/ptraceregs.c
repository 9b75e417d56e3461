/* ptraceregs: issue 15 item 7, ptrace: the register requests and the stop after execve, checked
 * against Linux 6.1 (every line is tagged [15.7]).
 * - PTRACE_TRACEME then execve (of /proc/self/exe, so this program is the tracee): the tracer's
 *   wait4 sees a SIGTRAP stop with the new image's registers; a SIGTRAP the tracee ignores still
 *   stops it; PTRACE_CONT with SIGTRAP kills it; with PTRACE_O_TRACEEXEC the event stop
 *   (SIGTRAP | PTRACE_EVENT_EXEC << 8) instead, PTRACE_GETEVENTMSG its pid, a signal given to
 *   PTRACE_CONT at the event stop is dropped; PTRACE_SETOPTIONS' errors; PTRACE_O_EXITKILL.
 * - PTRACE_GETREGS/SETREGS round trip; RAX and RIP changed so the tracee does something else;
 *   orig_rax with RAX = -ERESTARTSYS (the syscall is entered again, or not with orig_rax -1);
 *   PTRACE_PEEKUSER of every register offset against GETREGS, of struct user's other fields
 *   and the debug registers; PTRACE_POKEUSER; EIO for unaligned and out-of-range offsets; EFAULT.
 * - PTRACE_GETREGSET/SETREGSET NT_PRSTATUS (partial lengths, iov_len written back), NT_PRFPREG
 *   (the FXSAVE image; the tracee's FCW and MXCSR changed), NT_386_IOPERM, unknown types;
 *   PTRACE_GETFPREGS.
 * - Hostile register sets: kernel selectors, null CS/SS, non-canonical and kernel-half RIP,
 *   kernel-half FS/GS bases, RFLAGS with IOPL/VM/NT/TF/AC: refused (EIO) or masked as Linux, and
 *   what the tracee does after each (its stop and its end; DR6 after a TF single step).
 * Register values are printed as properties or offsets, never as raw addresses. */
#define _GNU_SOURCE
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define NREGS 27
#define R_R12 3
#define R_RAX 10
#define R_RDI 14
#define R_ORIG_RAX 15
#define R_RIP 16
#define R_CS 17
#define R_EFLAGS 18
#define R_RSP 19
#define R_SS 20
#define R_FS_BASE 21
#define R_GS_BASE 22
#define R_DS 23
#define R_ES 24
#define R_FS 25
#define R_GS 26
#define USER_SIZE 928 /* sizeof(struct user) on x86-64 */
#define DEBUGREG_OFF 848 /* offsetof(struct user, u_debugreg) */
#define NT_PRSTATUS 1
#define NT_PRFPREG 2
#define NT_386_IOPERM 0x201
#define GETREGS 12
#define SETREGS 13
#define GETFPREGS 14
#define PEEKUSER 3
#define POKEUSER 6
#define SETOPTIONS 0x4200
#define GETEVENTMSG 0x4201
#define GETREGSET 0x4204
#define SETREGSET 0x4205
#define O_TRACEEXEC 0x10
#define O_EXITKILL (1 << 20)
#define EVENT_EXEC 4
#define ERESTARTSYS 512

static const char *const names[NREGS] = {
    "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi",
    "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
};

static char *self; /* argv[0] */
static volatile long target_word;

static long pt(long req, long pid, long addr, long data)
{
    return sys4(SYS_ptrace, req, pid, addr, data);
}

static void show_status(const char *what, int st)
{
    printf("[15.7] %s: status %#x", what, st);
    if (WIFSTOPPED(st))
        printf(" (stopped by %d, event %d)\n", WSTOPSIG(st), st >> 16);
    else if (WIFSIGNALED(st))
        printf(" (killed by %d)\n", WTERMSIG(st));
    else
        printf(" (exited %d)\n", WEXITSTATUS(st));
}

static void line(const char *what, long r)
{
    printf("[15.7] ");
    show(what, r);
}

/* The tracee after execve of this program with "exec-tracee". */
static int exec_tracee(int argc)
{
    printf("[15.7]   tracee after execve: argc %d\n", argc);
    return 3;
}

/* A tracee for the register tests goes on here with RDI = 1234 (the tracer moved its RIP). */
__attribute__((noinline)) static void landed(long a)
{
    printf("[15.7]   tracee: landed in another function, rdi %ld\n", a);
    _exit(5);
}

/* A child that asks to be traced and stops with SIGSTOP (raw kill: its RAX is kill's result);
 * when let go it prints what kill returned and its FCW and MXCSR, and exits 0. */
static pid_t stopped_tracee(void)
{
    pid_t c = fork();
    if (c == 0) {
        pt(PTRACE_TRACEME, 0, 0, 0);
        long r = sys2(SYS_kill, getpid(), SIGSTOP);
        unsigned short fcw;
        unsigned int mxcsr;
        __asm__ volatile("fnstcw %0; stmxcsr %1" : "=m"(fcw), "=m"(mxcsr));
        if (r == getpid())
            printf("[15.7]   tracee: kill returned its own pid (getpid ran)");
        else
            printf("[15.7]   tracee: kill returned %ld", r);
        printf(", fcw %#x, mxcsr %#x\n", fcw, mxcsr);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGSTOP)
        show_status("FAIL: the tracee did not stop", st);
    return c;
}

/* Lets c go with sig and prints each report until it ends; a stop is passed on as its signal. */
static void run_to_end(pid_t c, int sig)
{
    int st;
    pt(PTRACE_CONT, c, 0, sig);
    for (;;) {
        waitpid(c, &st, 0);
        show_status("  then", st);
        if (!WIFSTOPPED(st))
            return;
        pt(PTRACE_CONT, c, 0, WSTOPSIG(st));
    }
}

static void getregs(pid_t c, unsigned long *r)
{
    memset(r, 0, NREGS * sizeof(*r));
    if (pt(GETREGS, c, 0, (long)r))
        printf("[15.7] FAIL: GETREGS\n");
}

/* PTRACE_TRACEME and execve: the legacy SIGTRAP stop and the registers of the new image. */
static void exec_stop(void)
{
    char *args[] = { self, "exec-tracee", NULL };
    unsigned long r[NREGS];
    int st;

    printf("-- [15.7] PTRACE_TRACEME, then execve\n");
    pid_t c = fork();
    if (c == 0) {
        pt(PTRACE_TRACEME, 0, 0, 0);
        execv("/proc/self/exe", args);
        _exit(99);
    }
    waitpid(c, &st, 0);
    show_status("wait4 after the tracee's execve", st);
    getregs(c, r);
    printf("[15.7]   rax %ld, orig_rax %ld, eflags %#lx, cs %#lx, ss %#lx\n", (long)r[R_RAX],
           (long)r[R_ORIG_RAX], r[R_EFLAGS], r[R_CS], r[R_SS]);
    printf("[15.7]   ds %#lx es %#lx fs %#lx gs %#lx fs_base %#lx gs_base %#lx\n", r[R_DS], r[R_ES],
           r[R_FS], r[R_GS], r[R_FS_BASE], r[R_GS_BASE]);
    int zero = 1;
    for (int i = 0; i < R_RAX; i++)
        zero &= r[i] == 0;
    printf("[15.7]   r15..r8 zero: %d; rip at the entry point: %d; rsp 16-aligned: %d\n", zero,
           r[R_RIP] == (unsigned long)getauxval(AT_ENTRY), r[R_RSP] % 16 == 0);
    long argc = -1;
    pt(PTRACE_PEEKDATA, c, (long)r[R_RSP], (long)&argc);
    printf("[15.7]   the word at rsp (argc): %ld\n", argc);
    unsigned long msg = 77;
    line("PTRACE_GETEVENTMSG (no event yet)", pt(GETEVENTMSG, c, 0, (long)&msg));
    printf("[15.7]   message %lu\n", msg);
    run_to_end(c, 0);

    printf("-- [15.7] the tracee ignores SIGTRAP before execve: it still stops\n");
    c = fork();
    if (c == 0) {
        signal(SIGTRAP, SIG_IGN);
        pt(PTRACE_TRACEME, 0, 0, 0);
        execv("/proc/self/exe", args);
        _exit(99);
    }
    waitpid(c, &st, 0);
    show_status("wait4 after execve", st);
    run_to_end(c, SIGTRAP); /* ignored: it runs on */

    printf("-- [15.7] PTRACE_CONT with the SIGTRAP of execve\n");
    c = fork();
    if (c == 0) {
        pt(PTRACE_TRACEME, 0, 0, 0);
        execv("/proc/self/exe", args);
        _exit(99);
    }
    waitpid(c, &st, 0);
    show_status("wait4 after execve", st);
    run_to_end(c, SIGTRAP);

    printf("-- [15.7] PTRACE_O_TRACEEXEC: the event stop instead\n");
    c = fork();
    if (c == 0) {
        pt(PTRACE_TRACEME, 0, 0, 0);
        sys2(SYS_kill, getpid(), SIGSTOP);
        execv("/proc/self/exe", args);
        _exit(99);
    }
    waitpid(c, &st, 0);
    show_status("the tracee's SIGSTOP", st);
    line("PTRACE_SETOPTIONS 0x80000000", pt(SETOPTIONS, c, 0, 0x80000000L));
    line("PTRACE_SETOPTIONS 1 << 22", pt(SETOPTIONS, c, 0, 1L << 22));
    line("PTRACE_SETOPTIONS of no tracee", pt(SETOPTIONS, 99999, 0, O_TRACEEXEC));
    line("PTRACE_SETOPTIONS TRACEEXEC", pt(SETOPTIONS, c, 0, O_TRACEEXEC));
    pt(PTRACE_CONT, c, 0, 0);
    waitpid(c, &st, 0);
    show_status("wait4 after execve", st);
    printf("[15.7]   status >> 8 == (SIGTRAP | PTRACE_EVENT_EXEC << 8): %d\n",
           st >> 8 == (SIGTRAP | EVENT_EXEC << 8));
    msg = 0;
    line("PTRACE_GETEVENTMSG", pt(GETEVENTMSG, c, 0, (long)&msg));
    printf("[15.7]   message is the tracee's pid: %d\n", msg == (unsigned long)c);
    line("PTRACE_GETEVENTMSG to a bad pointer", pt(GETEVENTMSG, c, 0, 8));
    getregs(c, r);
    printf("[15.7]   at the event stop: rax %ld, orig_rax %ld, rip at the entry point %d\n",
           (long)r[R_RAX], (long)r[R_ORIG_RAX], r[R_RIP] == (unsigned long)getauxval(AT_ENTRY));
    run_to_end(c, SIGUSR1); /* a signal at an event stop is not delivered */
}

/* GETREGS, SETREGS, PEEKUSER and POKEUSER on a stopped tracee. */
static void regs_roundtrip(void)
{
    unsigned long r[NREGS], r2[NREGS];
    printf("-- [15.7] GETREGS, SETREGS, PEEKUSER\n");
    pid_t c = stopped_tracee();
    getregs(c, r);
    printf("[15.7]   at the SIGSTOP: rax %ld, orig_rax %ld (kill is %d), cs %#lx, ss %#lx, IF %d\n",
           (long)r[R_RAX], (long)r[R_ORIG_RAX], SYS_kill, r[R_CS], r[R_SS],
           (r[R_EFLAGS] & 0x200) != 0);
    line("SETREGS of the same registers", pt(SETREGS, c, 0, (long)r));
    getregs(c, r2);
    printf("[15.7]   GETREGS again is the same: %d\n", memcmp(r, r2, sizeof(r)) == 0);
    int same = 0;
    for (int i = 0; i < NREGS; i++) {
        unsigned long v = ~0UL;
        long e = pt(PEEKUSER, c, i * 8, (long)&v);
        if (!e && v == r[i])
            same++;
        else
            printf("[15.7]   PEEKUSER %s differs\n", names[i]);
    }
    printf("[15.7]   PEEKUSER of the %d register offsets equals GETREGS: %d\n", NREGS, same);
    static const long offs[] = { 216, 224, 736, 760, 808, 840, 912, 920 };
    for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
        unsigned long v = 77;
        char what[64];
        snprintf(what, sizeof(what), "PEEKUSER %ld (not a register)", offs[i]);
        line(what, pt(PEEKUSER, c, offs[i], (long)&v));
        printf("[15.7]   value %lu\n", v);
        snprintf(what, sizeof(what), "POKEUSER %ld", offs[i]);
        line(what, pt(POKEUSER, c, offs[i], 0));
    }
    static const long bad[] = { 4, 1, 215, USER_SIZE, USER_SIZE - 4, -8, 1L << 40 };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        unsigned long v = 77;
        char what[64];
        snprintf(what, sizeof(what), "PEEKUSER %ld", bad[i]);
        line(what, pt(PEEKUSER, c, bad[i], (long)&v));
        snprintf(what, sizeof(what), "POKEUSER %ld", bad[i]);
        line(what, pt(POKEUSER, c, bad[i], 0));
    }
    line("PEEKUSER rax to a bad pointer", pt(PEEKUSER, c, R_RAX * 8, 8));
    line("GETREGS to a bad pointer", pt(GETREGS, c, 0, 8));
    line("GETREGS to a kernel address", pt(GETREGS, c, 0, (long)0xffffffff81000000UL));
    line("SETREGS from a bad pointer", pt(SETREGS, c, 0, 8));
    /* A register set that runs into a PROT_NONE page: the registers before it are set. */
    char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(two + 4096, 4096, PROT_NONE);
    unsigned long *part = (unsigned long *)(two + 4096 - 8 * 5);
    memcpy(part, r, 8 * 5);
    part[R_R12] = 0x1212;
    line("SETREGS running into PROT_NONE after 5 registers", pt(SETREGS, c, 0, (long)part));
    getregs(c, r2);
    printf("[15.7]   r12 set: %d, the rest unchanged: %d\n", r2[R_R12] == 0x1212,
           memcmp(r2 + 5, r + 5, 8 * (NREGS - 5)) == 0);
    line("POKEUSER r12 back", pt(POKEUSER, c, R_R12 * 8, (long)r[R_R12]));
    line("POKEUSER rax 77", pt(POKEUSER, c, R_RAX * 8, 77));
    run_to_end(c, 0);

    printf("-- [15.7] the tracee's RIP moved to another function, RDI set\n");
    c = stopped_tracee();
    getregs(c, r);
    r[R_RIP] = (unsigned long)landed;
    r[R_RDI] = 1234;
    r[R_RSP] = ((r[R_RSP] - 512) & ~15UL) - 8; /* as after a call */
    line("SETREGS", pt(SETREGS, c, 0, (long)r));
    run_to_end(c, 0);

    printf("-- [15.7] orig_rax: RAX -ERESTARTSYS restarts the syscall orig_rax names\n");
    c = stopped_tracee();
    line("POKEUSER rax -ERESTARTSYS", pt(POKEUSER, c, R_RAX * 8, -ERESTARTSYS));
    line("POKEUSER orig_rax getpid", pt(POKEUSER, c, R_ORIG_RAX * 8, SYS_getpid));
    run_to_end(c, 0);
    c = stopped_tracee();
    line("POKEUSER rax -ERESTARTSYS", pt(POKEUSER, c, R_RAX * 8, -ERESTARTSYS));
    line("POKEUSER orig_rax -1 (no syscall)", pt(POKEUSER, c, R_ORIG_RAX * 8, -1));
    unsigned long v = 0;
    pt(PEEKUSER, c, R_ORIG_RAX * 8, (long)&v);
    printf("[15.7]   PEEKUSER orig_rax %ld\n", (long)v);
    run_to_end(c, 0);
}

/* The debug-register area of struct user. */
static void debugregs(void)
{
    printf("-- [15.7] u_debugreg\n");
    pid_t c = stopped_tracee();
    for (int i = 0; i < 8; i++) {
        unsigned long v = 77;
        long e = pt(PEEKUSER, c, DEBUGREG_OFF + 8 * i, (long)&v);
        printf("[15.7] PEEKUSER DR%d: %ld, value %#lx\n", i, e, v);
    }
    unsigned long v = 0;
    line("POKEUSER DR0 = a user address", pt(POKEUSER, c, DEBUGREG_OFF, (long)&target_word));
    pt(PEEKUSER, c, DEBUGREG_OFF, (long)&v);
    printf("[15.7]   read back the same: %d\n", v == (unsigned long)&target_word);
    line("POKEUSER DR1 = a kernel address",
         pt(POKEUSER, c, DEBUGREG_OFF + 8, (long)0xffff800000000000UL));
    line("POKEUSER DR2 = ~0", pt(POKEUSER, c, DEBUGREG_OFF + 16, -1));
    line("POKEUSER DR3 = an odd user address", pt(POKEUSER, c, DEBUGREG_OFF + 24, (long)&target_word + 1));
    line("POKEUSER DR4", pt(POKEUSER, c, DEBUGREG_OFF + 32, 0));
    line("POKEUSER DR5", pt(POKEUSER, c, DEBUGREG_OFF + 40, 0));
    line("POKEUSER DR6 = 0", pt(POKEUSER, c, DEBUGREG_OFF + 48, 0));
    pt(PEEKUSER, c, DEBUGREG_OFF + 48, (long)&v);
    printf("[15.7]   DR6 now %#lx\n", v);
    line("POKEUSER DR7 = 0", pt(POKEUSER, c, DEBUGREG_OFF + 56, 0));
    line("POKEUSER DR7 = 0x400 (a reserved bit)", pt(POKEUSER, c, DEBUGREG_OFF + 56, 0x400));
    pt(PEEKUSER, c, DEBUGREG_OFF + 56, (long)&v);
    printf("[15.7]   DR7 now %#lx\n", v);
    line("POKEUSER DR7: slot 0 (set) disabled, type I/O",
         pt(POKEUSER, c, DEBUGREG_OFF + 56, 0x20000));
    line("POKEUSER DR7: slot 0 (set) disabled, execute with length 4",
         pt(POKEUSER, c, DEBUGREG_OFF + 56, 0xc0000));
    line("POKEUSER DR7: slot 1 (never set) disabled, type I/O",
         pt(POKEUSER, c, DEBUGREG_OFF + 56, 0x200000));
    pt(PEEKUSER, c, DEBUGREG_OFF + 56, (long)&v);
    printf("[15.7]   DR7 now %#lx\n", v);
    run_to_end(c, 0);
}

/* PTRACE_GETREGSET/SETREGSET and GETFPREGS. */
static void regsets(void)
{
    unsigned long r[NREGS], buf[NREGS + 8];
    unsigned char fp[512 + 16], fp2[512];
    struct iovec iov;

    printf("-- [15.7] GETREGSET and SETREGSET\n");
    pid_t c = stopped_tracee();
    getregs(c, r);
    memset(buf, 0xaa, sizeof(buf));
    iov = (struct iovec){ buf, sizeof(buf) };
    line("GETREGSET NT_PRSTATUS, 280 bytes", pt(GETREGSET, c, NT_PRSTATUS, (long)&iov));
    printf("[15.7]   iov_len %zu, the registers of GETREGS: %d, the rest untouched: %d\n",
           iov.iov_len, memcmp(buf, r, sizeof(r)) == 0, buf[NREGS] == 0xaaaaaaaaaaaaaaaaUL);
    memset(buf, 0xaa, sizeof(buf));
    iov = (struct iovec){ buf, 40 };
    line("GETREGSET NT_PRSTATUS, 40 bytes", pt(GETREGSET, c, NT_PRSTATUS, (long)&iov));
    printf("[15.7]   iov_len %zu, 5 registers: %d, the 6th untouched: %d\n", iov.iov_len,
           memcmp(buf, r, 40) == 0, buf[5] == 0xaaaaaaaaaaaaaaaaUL);
    iov = (struct iovec){ buf, 0 };
    line("GETREGSET NT_PRSTATUS, 0 bytes", pt(GETREGSET, c, NT_PRSTATUS, (long)&iov));
    printf("[15.7]   iov_len %zu\n", iov.iov_len);
    iov = (struct iovec){ buf, 12 };
    line("GETREGSET NT_PRSTATUS, 12 bytes", pt(GETREGSET, c, NT_PRSTATUS, (long)&iov));
    iov = (struct iovec){ (void *)8, 216 };
    line("GETREGSET NT_PRSTATUS to a bad buffer", pt(GETREGSET, c, NT_PRSTATUS, (long)&iov));
    printf("[15.7]   iov_len %zu\n", iov.iov_len);
    line("GETREGSET NT_PRSTATUS, a bad iovec", pt(GETREGSET, c, NT_PRSTATUS, 8));
    iov = (struct iovec){ buf, 8 };
    line("GETREGSET type 0x999", pt(GETREGSET, c, 0x999, (long)&iov));
    line("GETREGSET NT_386_IOPERM", pt(GETREGSET, c, NT_386_IOPERM, (long)&iov));
    line("SETREGSET NT_386_IOPERM", pt(SETREGSET, c, NT_386_IOPERM, (long)&iov));
    memcpy(buf, r, sizeof(r));
    buf[R_RAX] = 4321;
    iov = (struct iovec){ buf, 8 * (R_RAX + 1) };
    line("SETREGSET NT_PRSTATUS, r15..rax with rax 4321", pt(SETREGSET, c, NT_PRSTATUS, (long)&iov));
    printf("[15.7]   iov_len %zu\n", iov.iov_len);

    memset(fp, 0xaa, sizeof(fp));
    iov = (struct iovec){ fp, sizeof(fp) };
    line("GETREGSET NT_PRFPREG, 528 bytes", pt(GETREGSET, c, NT_PRFPREG, (long)&iov));
    unsigned short cwd, twd;
    unsigned int mxcsr, mask;
    memcpy(&cwd, fp, 2);
    memcpy(&twd, fp + 4, 2);
    memcpy(&mxcsr, fp + 24, 4);
    memcpy(&mask, fp + 28, 4);
    int zero = 1;
    for (int i = 416; i < 512; i++)
        zero &= fp[i] == 0;
    printf("[15.7]   iov_len %zu, cwd %#x, twd %#x, mxcsr %#x, mxcsr_mask set %d, bytes 416-511 zero "
           "%d, past the end untouched %d\n",
           iov.iov_len, cwd, twd, mxcsr, mask != 0, zero, fp[512] == 0xaa);
    memset(fp2, 0x55, sizeof(fp2));
    line("GETFPREGS", pt(GETFPREGS, c, 0, (long)fp2));
    printf("[15.7]   the same image: %d\n", memcmp(fp, fp2, 512) == 0);
    memcpy(fp2, fp, 512);
    memcpy(fp2 + 24, &(unsigned int){ 0xffff1f80 }, 4);
    iov = (struct iovec){ fp2, 512 };
    line("SETREGSET NT_PRFPREG with reserved MXCSR bits", pt(SETREGSET, c, NT_PRFPREG, (long)&iov));
    iov = (struct iovec){ fp, 256 };
    line("SETREGSET NT_PRFPREG, 256 bytes", pt(SETREGSET, c, NT_PRFPREG, (long)&iov));
    memcpy(fp, &(unsigned short){ 0x27f }, 2);
    memcpy(fp + 24, &(unsigned int){ 0x3f80 }, 4);
    iov = (struct iovec){ fp, 520 };
    line("SETREGSET NT_PRFPREG, FCW 0x27f MXCSR 0x3f80", pt(SETREGSET, c, NT_PRFPREG, (long)&iov));
    printf("[15.7]   iov_len %zu\n", iov.iov_len);
    run_to_end(c, 0);
}

/* One hostile register value through SETREGS (or POKEUSER): the answer, what stays, and what
 * the tracee does next. */
static void hostile(const char *what, int reg, unsigned long value, int poke)
{
    unsigned long r[NREGS], r2[NREGS];
    pid_t c = stopped_tracee();
    getregs(c, r);
    memcpy(r2, r, sizeof(r));
    r2[reg] = value;
    long e = poke ? pt(POKEUSER, c, reg * 8, (long)value) : pt(SETREGS, c, 0, (long)r2);
    printf("[15.7] %s %s = %s: ", poke ? "POKEUSER" : "SETREGS", names[reg], what);
    show("", e);
    getregs(c, r2);
    if (reg == R_EFLAGS)
        printf("[15.7]   eflags: IOPL %lu VM %d NT %d TF %d AC %d DF %d IF %d, bit 1 %d\n",
               (r2[R_EFLAGS] >> 12) & 3, (r2[R_EFLAGS] & 0x20000) != 0,
               (r2[R_EFLAGS] & 0x4000) != 0, (r2[R_EFLAGS] & 0x100) != 0,
               (r2[R_EFLAGS] & 0x40000) != 0, (r2[R_EFLAGS] & 0x400) != 0,
               (r2[R_EFLAGS] & 0x200) != 0, (r2[R_EFLAGS] & 2) != 0);
    else
        printf("[15.7]   %s is the value written: %d\n", names[reg], r2[reg] == value);
    int st;
    pt(PTRACE_CONT, c, 0, 0);
    waitpid(c, &st, 0);
    show_status("  then", st);
    if (WIFSTOPPED(st)) {
        getregs(c, r2);
        printf("[15.7]   at that stop %s is the value written: %d, cs %#lx ss %#lx\n", names[reg],
               r2[reg] == value, r2[R_CS], r2[R_SS]);
        if (WSTOPSIG(st) == SIGTRAP) {
            unsigned long dr6 = 0;
            pt(PEEKUSER, c, DEBUGREG_OFF + 48, (long)&dr6);
            printf("[15.7]   DR6 at the single-step trap %#lx\n", dr6);
            /* the single step of TF: put the registers back and let it finish */
            line("  SETREGS of the registers from before", pt(SETREGS, c, 0, (long)r));
            run_to_end(c, 0);
            return;
        }
        run_to_end(c, WSTOPSIG(st));
    }
}

static void hostile_sets(void)
{
    printf("-- [15.7] hostile register sets\n");
    hostile("0x10 (kernel code)", R_CS, 0x10, 0);
    hostile("0x13 (kernel code, RPL 3)", R_CS, 0x13, 0);
    hostile("0", R_CS, 0, 0);
    hostile("0x2b (user data)", R_CS, 0x2b, 0);
    hostile("0x1000033 (truncated to 0x33)", R_CS, 0x1000033, 0);
    hostile("0x07 (LDT, RPL 3)", R_CS, 0x07, 0);
    hostile("0x23 (32-bit user code)", R_CS, 0x23, 1);
    hostile("0", R_SS, 0, 0);
    hostile("0x0f (LDT, RPL 3)", R_SS, 0x0f, 0);
    hostile("0x18 (kernel data)", R_SS, 0x18, 0);
    hostile("0x1b (kernel data, RPL 3)", R_SS, 0x1b, 0);
    hostile("0x33 (user code)", R_SS, 0x33, 0);
    hostile("0x10", R_DS, 0x10, 0);
    hostile("0x2b", R_DS, 0x2b, 1);
    hostile("0x2a", R_ES, 0x2a, 0);
    hostile("0x18", R_FS, 0x18, 1);
    hostile("0x12", R_GS, 0x12, 0);
    hostile("0x8000000000000000 (non-canonical)", R_RIP, 0x8000000000000000UL, 0);
    hostile("0x0000800000000000 (non-canonical)", R_RIP, 0x0000800000000000UL, 1);
    hostile("0xffffffff81000000 (kernel half)", R_RIP, 0xffffffff81000000UL, 0);
    hostile("0xffff800000000000 (kernel half)", R_FS_BASE, 0xffff800000000000UL, 0);
    hostile("0x8000000000000000 (non-canonical)", R_FS_BASE, 0x8000000000000000UL, 1);
    hostile("0xffffffff81000000 (kernel half)", R_GS_BASE, 0xffffffff81000000UL, 0);
    hostile("~0", R_GS_BASE, ~0UL, 1);
    hostile("0x8000000000000000 (non-canonical)", R_RSP, 0x8000000000000000UL, 0);
    hostile("IOPL 3 | VM | NT | TF | IF clear", R_EFLAGS, 0x3000 | 0x20000 | 0x4000 | 0x100, 0);
    hostile("all ones", R_EFLAGS, ~0UL, 1);
}

/* PTRACE_O_EXITKILL: the tracee is killed when its tracer exits. */
static void exitkill(void)
{
    int st;
    printf("-- [15.7] PTRACE_O_EXITKILL\n");
    prctl(PR_SET_CHILD_SUBREAPER, 1); /* the orphaned tracee comes to us */
    int p[2];
    pipe(p);
    pid_t tracer = fork();
    if (tracer == 0) {
        pid_t c = stopped_tracee();
        long e = pt(SETOPTIONS, c, 0, O_EXITKILL);
        if (write(p[1], &c, sizeof(c)) != sizeof(c) || e)
            _exit(1);
        _exit(0); /* with the tracee still stopped */
    }
    pid_t c = 0;
    if (read(p[0], &c, sizeof(c)) != sizeof(c))
        printf("[15.7] FAIL: no tracee\n");
    waitpid(tracer, &st, 0);
    show_status("the tracer", st);
    waitpid(c, &st, 0);
    show_status("its tracee", st);
    prctl(PR_SET_CHILD_SUBREAPER, 0);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "exec-tracee") == 0)
        return exec_tracee(argc);
    self = argv[0];
    exec_stop();
    regs_roundtrip();
    debugregs();
    regsets();
    hostile_sets();
    exitkill();
    return 0;
}
