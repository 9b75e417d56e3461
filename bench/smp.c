/* smp: the SMP figures of issue 18, beside Linux, with 4 CPUs (`make bench-smp`, tools/bench-smp).
 * Prints "name value" lines as bench/bench.c does. `smp tsc` measures with the TSC, which under
 * QEMU -icount shift=0,sleep=off counts guest instructions (all CPUs' together: icount runs the
 * vCPUs one at a time); `smp ns` measures wall-clock nanoseconds (CLOCK_MONOTONIC), for runs
 * without -icount where the vCPUs run in parallel.
 *
 *   pthread_create + join          a thread that returns at once (before any spinner starts)
 *   mprotect 1 page, 4 threads     mprotect of one populated page to PROT_READ and back, while 3
 *                                  other threads spin on CPUs 1-3 (so each holds the mm: every
 *                                  flush is a shootdown to 3 CPUs); per call
 *   munmap 512 touched pages       there: the munmap alone of 512 pages the main thread touched
 *                                  (a full flush, then the 512 frames freed)
 *   fault, 4 threads at once       4 threads, one per CPU, each write-faulting 64 fresh pages of
 *                                  one mapping at the same moment; per fault
 *
 * Pinning is sched_setaffinity; where it fails (one CPU) the threads share the CPU. Each figure
 * is the best of 5 rounds. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#define P 4096UL
#define NTHREADS 4
#define FAULT_PAGES 64
#define UNMAP_PAGES 512

static int use_tsc = 1;

static unsigned long long now(void)
{
    if (use_tsc)
        return __rdtsc();
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static void report(const char *name, unsigned long long v)
{
    printf("%-40s %llu\n", name, v);
    fflush(stdout);
}

static void pin_to(int cpu)
{
    unsigned long mask = 1UL << cpu;
    syscall(SYS_sched_setaffinity, 0, sizeof mask, &mask);
}

/* ---- pthread_create + join ---- */

static void *empty_thread(void *arg)
{
    return arg;
}

static unsigned long long bench_create_join(void)
{
    unsigned long long best = ~0ULL;
    for (int round = 0; round < 5; round++) {
        unsigned long long t0 = now();
        for (int i = 0; i < 20; i++) {
            pthread_t t;
            pthread_create(&t, NULL, empty_thread, NULL);
            pthread_join(t, NULL);
        }
        unsigned long long t = (now() - t0) / 20;
        if (t < best)
            best = t;
    }
    return best;
}

/* ---- spinners: threads 1-3 on CPUs 1-3, running user code in our address space ---- */

static volatile int spin_stop, spinners_up;
static volatile unsigned long spin_sink[NTHREADS * 8];

static void *spinner(void *arg)
{
    int cpu = (int)(long)arg;
    pin_to(cpu);
    __atomic_add_fetch(&spinners_up, 1, __ATOMIC_SEQ_CST);
    while (!spin_stop)
        spin_sink[cpu * 8]++;
    return NULL;
}

static unsigned long long bench_mprotect(char *page)
{
    unsigned long long best = ~0ULL;
    for (int round = 0; round < 5; round++) {
        unsigned long long t0 = now();
        for (int i = 0; i < 50; i++) {
            mprotect(page, P, PROT_READ);
            mprotect(page, P, PROT_READ | PROT_WRITE);
        }
        unsigned long long t = (now() - t0) / 100;
        if (t < best)
            best = t;
        page[0]++; /* populated and writable again before the next round */
    }
    return best;
}

static unsigned long long bench_munmap(void)
{
    unsigned long long best = ~0ULL;
    for (int round = 0; round < 5; round++) {
        char *a = mmap(NULL, UNMAP_PAGES * P, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        for (unsigned long i = 0; i < UNMAP_PAGES; i++)
            a[i * P] = 1;
        unsigned long long t0 = now();
        munmap(a, UNMAP_PAGES * P);
        unsigned long long t = now() - t0;
        if (t < best)
            best = t;
    }
    return best;
}

/* ---- a fault taken by 4 threads at once ---- */

static char *fault_area;
static volatile int fault_go, fault_done;

static void fault_pages(int idx)
{
    char *base = fault_area + (unsigned long)idx * FAULT_PAGES * P;
    for (int i = 0; i < FAULT_PAGES; i++)
        base[(unsigned long)i * P] = 1;
}

static void *faulter(void *arg)
{
    int idx = (int)(long)arg;
    pin_to(idx);
    int seen = 0;
    for (;;) {
        while (fault_go == seen)
            sched_yield();
        seen = fault_go;
        if (seen < 0)
            return NULL;
        fault_pages(idx);
        __atomic_add_fetch(&fault_done, 1, __ATOMIC_SEQ_CST);
    }
}

static unsigned long long bench_faults(void)
{
    pthread_t t[NTHREADS];
    unsigned long long best = ~0ULL;
    unsigned long len = NTHREADS * FAULT_PAGES * P;

    for (long i = 1; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, faulter, (void *)i);
    for (int round = 1; round <= 5; round++) {
        fault_area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        fault_done = 0;
        unsigned long long t0 = now();
        fault_go = round;
        fault_pages(0);
        __atomic_add_fetch(&fault_done, 1, __ATOMIC_SEQ_CST);
        while (fault_done < NTHREADS)
            sched_yield();
        unsigned long long t = (now() - t0) / (NTHREADS * FAULT_PAGES);
        if (t < best)
            best = t;
        munmap(fault_area, len);
    }
    fault_go = -1;
    for (int i = 1; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    return best;
}

int main(int argc, char **argv)
{
    pthread_t t[NTHREADS];

    if (argc > 1 && !strcmp(argv[1], "ns"))
        use_tsc = 0;
    pin_to(0);
    report("pthread_create + join", bench_create_join());
    report("fault, 4 threads at once (per fault)", bench_faults());

    char *page = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    page[0] = 1;
    for (long i = 1; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, spinner, (void *)i);
    while (spinners_up < NTHREADS - 1)
        sched_yield();
    report("mprotect 1 page, 4 threads (per call)", bench_mprotect(page));
    report("munmap 512 touched pages, 4 threads", bench_munmap());
    spin_stop = 1;
    for (int i = 1; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    return 0;
}
