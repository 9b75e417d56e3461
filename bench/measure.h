/* measure.h: the timing loop the benchmarks share. Under QEMU -icount shift=0,sleep=off one TSC
 * tick is one guest instruction, so measure() counts instructions, deterministically. */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include <x86intrin.h>

typedef void (*op_fn)(void);

/* Instructions per call of fn: the best of 5 rounds of n calls, after 4 calls to warm up. */
static unsigned long long measure(op_fn fn, int n)
{
    unsigned long long best = ~0ULL;
    for (int i = 0; i < 4; i++)
        fn(); /* warm up */
    for (int round = 0; round < 5; round++) {
        unsigned long long t0 = __rdtsc();
        for (int i = 0; i < n; i++)
            fn();
        unsigned long long t = (__rdtsc() - t0) / (unsigned long long)n;
        if (t < best)
            best = t;
    }
    return best;
}

#endif
