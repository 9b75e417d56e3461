/* trace: what Warden's tracing and W^X policy cost on mprotect (issue 8), in guest instructions
 * under QEMU -icount shift=0 (tools/bench-trace): one mprotect of one page of a 3-page region
 * (a split and a merge back, two calls per iteration) with tracing off, with every event traced
 * for this process (the records are read out between rounds so the ring never overflows), and
 * with wx=warn (a check per VMA; the calls here never make memory W+X). On Linux, which has no
 * /proc/warden, only the first line is printed, for comparison. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

#define ITER 200
#define P 4096

static char *region;

static int control(const char *s)
{
    int fd = open("/proc/warden/control", O_WRONLY);
    if (fd < 0)
        return -1;
    int r = write(fd, s, strlen(s)) == (long)strlen(s) ? 0 : -1;
    close(fd);
    return r;
}

/* Empties the trace (read and drop its records). */
static void drain(void)
{
    static char buf[1 << 17];
    int fd = open("/proc/warden/trace", O_RDONLY);
    while (fd >= 0 && read(fd, buf, sizeof buf) > 0)
        ;
    if (fd >= 0)
        close(fd);
}

/* Guest instructions per iteration of the split-and-merge pair, best of 5 rounds. */
static unsigned long long measure(void)
{
    unsigned long long best = ~0ULL;
    for (int round = 0; round < 5; round++) {
        drain();
        unsigned long long t0 = __rdtsc();
        for (int i = 0; i < ITER; i++) {
            syscall(SYS_mprotect, region + P, P, PROT_READ);
            syscall(SYS_mprotect, region + P, P, PROT_READ | PROT_WRITE);
        }
        unsigned long long t = (__rdtsc() - t0) / ITER;
        if (t < best)
            best = t;
    }
    return best;
}

int main(void)
{
    char s[64];
    region = mmap(NULL, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mprotect split+merge, tracing off   %6llu guest instructions per iteration\n", measure());
    snprintf(s, sizeof s, "events=all pid=%d", getpid());
    if (control(s))
        return 0; /* not Warden */
    printf("mprotect split+merge, tracing on    %6llu guest instructions per iteration\n", measure());
    control("events=none pid=0 wx=warn");
    printf("mprotect split+merge, wx=warn       %6llu guest instructions per iteration\n", measure());
    control("wx=off");
    return 0;
}
