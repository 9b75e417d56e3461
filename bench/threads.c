/* threads: what threads cost (issue 17), in guest instructions, beside Linux. Run under QEMU
 * -icount shift=0,sleep=off (`make bench-threads`, tools/bench threads), where one TSC tick is one
 * guest instruction. Prints "name value" lines as bench/bench.c does; tools/bench puts Warden's
 * and Linux's side by side. One CPU: a wake-up is also a context switch.
 *
 * Each operation is the best of 5 rounds of n iterations, after a warm-up. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

#include "measure.h"

#define P 4096UL
#define FUTEX_WAIT_PRIVATE 128 /* FUTEX_WAIT | FUTEX_PRIVATE_FLAG */
#define FUTEX_WAKE_PRIVATE 129
#define ITER 200


static void report(const char *name, unsigned long long v)
{
    printf("%-48s %llu\n", name, v);
    fflush(stdout);
}

static long futex(volatile int *word, int op, int val)
{
    return syscall(SYS_futex, (long)word, op, val, 0L, 0L, 0L);
}

/* ---- pthread_create + pthread_join of a thread that returns at once ---- */

static void *empty_thread(void *arg)
{
    return arg;
}

static void op_create_join(void)
{
    pthread_t t;

    pthread_create(&t, NULL, empty_thread, NULL);
    pthread_join(t, NULL);
}

/* ---- FUTEX_WAKE with nobody waiting (what an uncontended unlock may cost) ---- */

static volatile int lonely;

static void op_wake_uncontended(void)
{
    futex(&lonely, FUTEX_WAKE_PRIVATE, 1);
}

/* ---- two threads taking turns on one futex word: each turn is a wake of a waiter ---- */

static volatile int turn; /* 0: the main thread's turn, 1: the partner's, 2: the partner ends */

static void *partner(void *arg)
{
    for (;;) {
        while (turn == 0)
            futex(&turn, FUTEX_WAIT_PRIVATE, 0);
        if (turn == 2)
            return arg;
        turn = 0;
        futex(&turn, FUTEX_WAKE_PRIVATE, 1);
    }
}

static void op_ping_pong(void)
{
    turn = 1;
    futex(&turn, FUTEX_WAKE_PRIVATE, 1);
    while (turn == 1)
        futex(&turn, FUTEX_WAIT_PRIVATE, 1);
}

/* ---- a write fault that the SIGSEGV handler repairs with mprotect, then the retried write ---- */

static volatile char *faulty;

static void repair(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    syscall(SYS_mprotect, (long)faulty, P, PROT_READ | PROT_WRITE);
}

static void op_fault_round_trip(void)
{
    syscall(SYS_mprotect, (long)faulty, P, PROT_READ);
    faulty[0]++;
}

/* A first touch of an anonymous page (a demand-zero fault), amortised over 64 pages. */
static void op_touch_64(void)
{
    char *p = mmap(NULL, 64 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    for (unsigned long i = 0; i < 64; i++)
        p[i * P] = 1;
    munmap(p, 64 * P);
}

/* ---- three threads parked on a futex, so the process has four ---- */

static volatile int parked_release;

static void *parked(void *arg)
{
    while (!parked_release)
        futex(&parked_release, FUTEX_WAIT_PRIVATE, 0);
    return arg;
}

static void fault_ops(const char *suffix)
{
    char name[64];

    snprintf(name, sizeof(name), "write fault -> handler -> mprotect, %s", suffix);
    report(name, measure(op_fault_round_trip, ITER));
    snprintf(name, sizeof(name), "mmap + 64 first touches + munmap, %s", suffix);
    report(name, measure(op_touch_64, ITER / 10));
}

int main(void)
{
    struct sigaction sa;
    pthread_t t, helpers[3];

    faulty = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    faulty[0] = 1;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = repair;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    if (pthread_create(&t, NULL, empty_thread, NULL) != 0) {
        printf("pthread_create failed: no threads to measure\n");
        return 1;
    }
    pthread_join(t, NULL);
    report("pthread_create + pthread_join", measure(op_create_join, ITER / 4));
    report("futex wake, nobody waiting", measure(op_wake_uncontended, ITER));

    pthread_create(&t, NULL, partner, NULL);
    report("futex wake of a waiting thread (ping-pong)", measure(op_ping_pong, ITER) / 2);
    turn = 2;
    futex(&turn, FUTEX_WAKE_PRIVATE, 1);
    pthread_join(t, NULL);

    fault_ops("1 thread");
    for (int i = 0; i < 3; i++)
        pthread_create(&helpers[i], NULL, parked, NULL);
    fault_ops("4 threads");
    parked_release = 1;
    futex(&parked_release, FUTEX_WAKE_PRIVATE, 3);
    for (int i = 0; i < 3; i++)
        pthread_join(helpers[i], NULL);
    return 0;
}
