/* regress: behaviours a review found broken in Warden, each checked against Linux.
 * - kill(2) of a zombie succeeds and changes nothing (a kernel panic once);
 * - a forked child keeps its parent's resource limits (its open() failed with EMFILE once);
 * - SIGTERM ends a task sleeping in wait4 at once, not when the wait ends;
 * - int3 in user mode raises SIGTRAP, not a general protection fault;
 * - clone(CLONE_SETTLS) with a non-canonical TLS address is EPERM;
 * - MAP_SHARED file pages that were never written (a hole after ftruncate) can be touched;
 * - AT_RANDOM lies 16 bytes below the AT_PLATFORM string, as Linux lays out the stack;
 * - a file mapping touched past the end of its file raises SIGBUS (shared and private), while the
 *   rest of the last page of the file reads as zeros;
 * - personality(READ_IMPLIES_EXEC) makes a PROT_READ|PROT_WRITE mmap executable (spec case 21);
 * - MAP_SHARED|MAP_ANONYMOUS memory is shared with a forked child even where it was untouched
 *   before the fork, and /proc/self/maps names it "/dev/zero (deleted)". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static void do_int3(void) { __asm__ volatile("int3"); }
static void do_exit3(void) { _exit(3); }

static void sleep_then_exit(void)
{
    sleep(4);
    _exit(0);
}

/* The child waits for a grandchild that sleeps 4 s; SIGTERM must end the wait at once. */
static void wait_for_sleeper(void)
{
    pid_t g = fork();
    if (g == 0)
        sleep_then_exit();
    wait4(g, NULL, 0, NULL);
    _exit(0);
}

static char *bus_map;

static void touch_past_eof(void)
{
    volatile char c = bus_map[4096];
    (void)c;
}

/* Maps a 100-byte file over two pages: page 0 works (zeros after byte 100), page 1 is SIGBUS. */
static void check_sigbus(int flags, const char *what)
{
    int fd = open("/tmp/regress.bus", O_CREAT | O_RDWR | O_TRUNC, 0600);
    char buf[100];

    memset(buf, 'b', sizeof(buf));
    write(fd, buf, sizeof(buf));
    bus_map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, flags, fd, 0);
    printf("%s: byte 99 %c, byte 100 %d, byte 4095 %d\n", what, bus_map[99], bus_map[100],
           bus_map[4095]);
    fflush(stdout);
    printf("%s: touching page 1 (past EOF): status %#x\n", what, child_status(touch_past_eof));
    munmap(bus_map, 8192);
    close(fd);
}

static char *bus_base;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    printf("SIGBUS handler: signal %d, si_code %d, si_addr base+%#lx\n", sig, si->si_code,
           (unsigned long)((char *)si->si_addr - bus_base));
    fflush(stdout);
    _exit(0);
}

/* SIGBUS with a handler: the file behind the shared mapping m is cut to one page, then page 1
 * is touched; BUS_ADRERR (2) at the exact address. */
static void bus_handled(char *m)
{
    fflush(stdout);
    if (fork() == 0) {
        struct sigaction sa = { 0 };
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGBUS, &sa, NULL);
        bus_base = m;
        ftruncate(open("/tmp/regress.map", O_RDWR), 4096);
        volatile char c = m[4096 + 123];
        (void)c;
        _exit(1);
    }
    int status;
    wait(&status);
    printf("SIGBUS child: status %#x\n", status);
}

static unsigned char *code;

static void run_code(void)
{
    ((void (*)(void))code)();
}

/* Writes "ret" into a fresh RW mapping and calls it in a child, under the given personality. */
static int call_rw_mapping(unsigned long persona)
{
    personality(persona);
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    code[0] = 0xc3;
    int st = child_status(run_code);
    munmap(code, 4096);
    personality(0);
    return st;
}

static volatile int *shared_anon;

static void write_shared(void)
{
    *shared_anon = 42;
}

/* The name /proc/self/maps gives the mapping at addr (the text after the inode column). */
static void print_maps_name(unsigned long addr)
{
    char line[512], want[32];
    FILE *f = fopen("/proc/self/maps", "r");

    snprintf(want, sizeof(want), "%lx-", addr);
    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, want, strlen(want)) != 0)
            continue;
        char *name = line + 73 < line + strlen(line) ? line + 73 : line + strlen(line);
        printf("its /proc/self/maps name: \"%.*s\"\n", (int)strcspn(name, "\n"), name);
    }
    if (f)
        fclose(f);
}

static void child_opens_file(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    int fd = open("/tmp/regress.rl", O_CREAT | O_RDWR, 0600);
    printf("child: RLIMIT_NOFILE %lu/%lu, open() gives fd %d\n", (unsigned long)rl.rlim_cur,
           (unsigned long)rl.rlim_max, fd);
    fflush(stdout);
}

int main(void)
{
    ensure_tmp();

    /* kill() of a zombie */
    pid_t z = fork();
    if (z == 0)
        _exit(3);
    struct timespec t = { 0, 200 * 1000 * 1000 };
    nanosleep(&t, NULL);
    show("kill(zombie, SIGTERM)", sys2(SYS_kill, z, SIGTERM));
    int st;
    waitpid(z, &st, 0);
    printf("zombie's status after the kill: %#x\n", st);

    /* rlimits are inherited */
    fflush(stdout);
    child_status(child_opens_file);

    /* SIGTERM interrupts wait4 */
    pid_t w = fork();
    if (w == 0)
        wait_for_sleeper();
    nanosleep(&t, NULL);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    kill(w, SIGTERM);
    waitpid(w, &st, 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("waiting child killed by SIGTERM: status %#x, within 2 s: %s\n", st,
           b.tv_sec - a.tv_sec < 2 ? "yes" : "no");
    while (wait(NULL) > 0) /* the orphaned grandchild belongs to init, not us */
        ;

    /* int3 in user mode */
    printf("int3 in a child: status %#x\n", child_status(do_int3));
    printf("plain exit(3) for comparison: status %#x\n", child_status(do_exit3));

    /* CLONE_SETTLS with a non-canonical address */
    show("clone(SIGCHLD|CLONE_SETTLS, tls=0x8000000000000000)",
         sys6(SYS_clone, SIGCHLD | CLONE_SETTLS, 0, 0, 0, 0x8000000000000000L, 0));

    /* a hole in a shared file mapping */
    int fd = open("/tmp/regress.map", O_CREAT | O_RDWR | O_TRUNC, 0600);
    show("ftruncate(8192)", ftruncate(fd, 8192));
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mmap(MAP_SHARED) of the hole: %s\n", m == MAP_FAILED ? "failed" : "ok");
    m[4096] = 'x';
    char c = 0;
    pread(fd, &c, 1, 4096);
    printf("store through the mapping reads back with pread: %c\n", c);
    memcpy(m + 100, "through the mapping", 19);
    char text[32] = { 0 };
    lseek(fd, 100, SEEK_SET);
    printf("read(2) of what was stored through the mapping: %ld \"%s\"\n",
           (long)read(fd, text, 19), text);
    pwrite(fd, "by pwrite", 9, 200);
    printf("pwrite shows in the mapping: \"%.9s\"\n", m + 200);
    bus_handled(m);

    /* a MAP_PRIVATE file page only read is the file's page: later writes to the file show,
     * until the first write to the mapping copies it */
    int pf = open("/tmp/regress.priv", O_CREAT | O_RDWR | O_TRUNC, 0600);
    pwrite(pf, "one", 3, 0);
    char *pm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, pf, 0);
    printf("private mapping reads: %.3s\n", pm);
    pwrite(pf, "two", 3, 0);
    printf("after pwrite to the file: %.3s\n", pm);
    pm[3] = '!';
    pwrite(pf, "six", 3, 0);
    printf("after a write to the mapping, then pwrite: %.4s\n", pm);
    munmap(pm, 4096);
    /* the same over a hole of the file (ftruncate grew it) */
    ftruncate(pf, 8192);
    pm = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, pf, 0);
    printf("private mapping of a hole reads: %d\n", pm[4096]);
    pwrite(pf, "ten", 3, 4096);
    printf("after pwrite into the hole: %.3s\n", pm + 4096);
    munmap(pm, 8192);
    close(pf);

    check_sigbus(MAP_SHARED, "MAP_SHARED");
    check_sigbus(MAP_PRIVATE, "MAP_PRIVATE");

    printf("call into an RW mmap: status %#x\n", call_rw_mapping(0));
    printf("call into an RW mmap with READ_IMPLIES_EXEC: status %#x\n",
           call_rw_mapping(0x0400000));

    shared_anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    child_status(write_shared);
    printf("MAP_SHARED|MAP_ANONYMOUS written by a child after fork: parent sees %d\n",
           *shared_anon);
    print_maps_name((unsigned long)shared_anon);

    /* stack layout detail */
    long random = (long)getauxval(AT_RANDOM), platform = (long)getauxval(AT_PLATFORM);
    printf("AT_PLATFORM - AT_RANDOM: %ld\n", platform - random);
    return 0;
}
