/* vma_scaling: what mprotect, mmap and munmap cost in an address space of N VMAs, for N = 100
 * and N = 60000 (the VMA issue's goal: the cost at 60 000 within 2x of the cost at 100).
 * Run under QEMU -icount shift=0 (tools/bench-vma), where the TSC counts guest instructions, so
 * the numbers are deterministic and comparable between Warden and Linux running this binary.
 * The N VMAs are single pages with a hole after each, PROT_READ, so no kernel can merge them. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

#define ARENA 0x100000000000UL
#define ITER 2000

static long sc3(long n, long a, long b, long c)
{
    return syscall(n, a, b, c);
}

/* Average TSC ticks (guest instructions under -icount) per iteration of each operation. */
static void measure(long n)
{
    char *target = (char *)(ARENA + (n / 2) * 2 * 4096UL); /* a VMA in the middle */
    unsigned long long t0, t1;

    t0 = __rdtsc();
    for (int i = 0; i < ITER; i++) {
        sc3(SYS_mprotect, (long)target, 4096, PROT_READ | PROT_WRITE);
        sc3(SYS_mprotect, (long)target, 4096, PROT_READ);
    }
    t1 = __rdtsc();
    printf("%6ld VMAs: mprotect (one VMA, both ways)   %8llu per call\n", n, (t1 - t0) / (2 * ITER));

    t0 = __rdtsc();
    for (int i = 0; i < ITER; i++) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        munmap(p, 4096);
    }
    t1 = __rdtsc();
    printf("%6ld VMAs: mmap + munmap (one page)         %8llu per pair\n", n, (t1 - t0) / ITER);

    t0 = __rdtsc();
    for (int i = 0; i < ITER; i++) {
        sc3(SYS_mprotect, (long)target, 4096, PROT_NONE);
        sc3(SYS_mprotect, (long)target, 4096, PROT_READ);
    }
    t1 = __rdtsc();
    printf("%6ld VMAs: mprotect to PROT_NONE and back   %8llu per call\n", n, (t1 - t0) / (2 * ITER));
}

int main(void)
{
    long have = 0;
    long sizes[] = { 100, 60000 };

    for (int s = 0; s < 2; s++) {
        for (; have < sizes[s]; have++)
            if (mmap((void *)(ARENA + have * 2 * 4096UL), 4096, PROT_READ,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
                printf("mmap %ld failed\n", have);
                return 1;
            }
        measure(sizes[s]);
    }
    return 0;
}
