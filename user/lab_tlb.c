/* lab_tlb: Lab 5, watch a TLB shootdown (docs/labs.md, docs/tlb.md; Warden only). A second
 * thread, pinned to CPU 1 when there is one, spins in the same address space, so CPU 1 holds
 * its translations. The program traces itself (/proc/warden/control:
 * events=mprotect,munmap,tlb_flush pid=self), then makes one page read-only (a flush of one
 * page: INVLPG) and unmaps 64 touched pages (past the ceiling of 33 pages: a full flush), and
 * prints its trace: each tlb_flush record says which CPU started it, which CPUs it reached
 * (a mask: bit n is CPU n) and how. Then the counters of /proc/warden/tlb. It checks itself:
 * each call comes after its flush, the flush kinds are right, every flush reached this CPU and,
 * when the spinner runs on another CPU, that one too. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "trace_table.h"

#define ARENA 0x200000000000UL
#define P 4096UL
#define PAGES 64

static volatile int stop, spinner_cpu = -1;
static int surprises;

static void control(const char *settings)
{
    int fd = open("/proc/warden/control", O_WRONLY);
    if (fd < 0 || write(fd, settings, strlen(settings)) != (ssize_t)strlen(settings))
        printf("cannot write /proc/warden/control (not Warden?)\n");
    if (fd >= 0)
        close(fd);
}

static void check(const char *what, int ok)
{
    printf("check: %-64s %s\n", what, ok ? "yes" : "NO   <-- unexpected");
    surprises += !ok;
}

/* The other thread: on CPU 1 if it can, it keeps the address space loaded there. */
static void *spinner(void *arg)
{
    unsigned long mask = 1UL << 1;
    (void)arg;
    syscall(SYS_sched_setaffinity, 0, sizeof mask, &mask);
    unsigned cpu = 0;
    syscall(SYS_getcpu, &cpu, NULL, NULL);
    spinner_cpu = (int)cpu;
    while (!stop)
        ;
    return NULL;
}

/* Reads path into buf with plain read(2): no stdio buffer, so no mmap of our own in the trace. */
static char *slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    size_t n = 0;
    for (ssize_t r = 1; fd >= 0 && r > 0 && n + 1 < size; n += (size_t)r)
        if ((r = read(fd, buf + n, size - 1 - n)) < 0)
            break;
    if (fd >= 0)
        close(fd);
    buf[n] = 0;
    return buf;
}

static char trace[1 << 16], trace_copy[1 << 16], counters_before[512], counters_after[512];

int main(void)
{
    pthread_t t;
    char settings[96];
    setvbuf(stdout, NULL, _IONBF, 0);
    (void)read_file; /* trace_table.h's reader uses stdio: slurp() instead */

    unsigned long mask0 = 1UL << 0;
    syscall(SYS_sched_setaffinity, 0, sizeof mask0, &mask0);
    pthread_create(&t, NULL, spinner, NULL);
    while (spinner_cpu < 0)
        sched_yield();
    unsigned me = 0;
    syscall(SYS_getcpu, &me, NULL, NULL);
    printf("main thread on CPU %u, spinner on CPU %d\n", me, spinner_cpu);

    char *a = mmap((void *)ARENA, PAGES * P, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    memset(a, 1, PAGES * P); /* every page present: something to flush */
    snprintf(settings, sizeof settings, "events=mprotect,munmap,tlb_flush pid=%d", getpid());
    control(settings);
    slurp("/proc/warden/tlb", counters_before, sizeof counters_before);
    slurp("/proc/warden/trace", trace, sizeof trace); /* empty it */

    printf("-- mprotect(page 0, P, PROT_READ): one page\n");
    mprotect(a, P, PROT_READ);
    printf("-- munmap(pages 0-63): %d pages\n", PAGES);
    munmap(a, PAGES * P);
    control("events=none pid=0");
    stop = 1;
    pthread_join(t, NULL);

    slurp("/proc/warden/trace", trace, sizeof trace);
    slurp("/proc/warden/tlb", counters_after, sizeof counters_after);
    memcpy(trace_copy, trace, sizeof trace);
    printf("-- the trace\n");
    print_trace_table(trace_copy, ARENA, 0);
    printf("-- /proc/warden/tlb before and after\n%s--\n%s", counters_before, counters_after);

    /* Check the records: a one-page INVLPG flush before mprotect's record, a full one before
     * munmap's, each reaching this CPU (and the spinner's, when that is another one). */
    int seen_mprotect = 0, invlpg_ok = 0, full_ok = 0, reach_me = 1, reach_spinner = 1;
    for (char *line = trace; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        char event[32], pages[32], kind[16], cpus[32];
        json_field(line, "event", event, sizeof event);
        if (!strcmp(event, "mprotect"))
            seen_mprotect = 1;
        if (!strcmp(event, "tlb_flush")) {
            json_field(line, "pages", pages, sizeof pages);
            json_field(line, "flush", kind, sizeof kind);
            json_field(line, "cpus", cpus, sizeof cpus);
            unsigned long m = strtoul(cpus, NULL, 16);
            if (!seen_mprotect && !strcmp(pages, "1") && !strcmp(kind, "invlpg"))
                invlpg_ok = 1;
            if (seen_mprotect && !strcmp(kind, "full"))
                full_ok = 1;
            if (!(m & (1UL << me)))
                reach_me = 0;
            if (spinner_cpu != (int)me && !(m & (1UL << spinner_cpu)))
                reach_spinner = 0;
        }
        line = nl ? nl + 1 : NULL;
    }
    check("mprotect's one page: an INVLPG flush before the call returned", invlpg_ok);
    check("munmap's 64 pages: a full flush (CR3 reload) before the call returned", full_ok);
    check("every flush reached this CPU", reach_me);
    check("every flush reached the spinner's CPU (when it is another one)", reach_spinner);
    printf("%d surprise(s)\n", surprises);
    return surprises;
}
