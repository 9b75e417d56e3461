/* meminfo: /proc/meminfo's fields in Linux 6.1's order and format (each name, the column its
 * number ends in, its unit), values only as relations that hold on any machine without swap or
 * huge pages, and sysinfo(2): its struct (mem_unit 1, padding zeroed, totalram equal to
 * MemTotal) and its EFAULT. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

struct ksysinfo {
    long uptime;
    unsigned long loads[3];
    unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    unsigned short procs, pad;
    unsigned long totalhigh, freehigh;
    unsigned int mem_unit;
    char tail[4];
};

static char text[16384];

static void read_meminfo(void)
{
    int fd = open("/proc/meminfo", O_RDONLY);
    long n = 0, r;
    while ((r = read(fd, text + n, sizeof(text) - 1 - n)) > 0)
        n += r;
    text[n] = 0;
    close(fd);
}

/* The value of field name (kB or a count), -1 if missing. */
static long field(const char *name)
{
    size_t len = strlen(name);
    for (char *line = text; *line;) {
        if (!strncmp(line, name, len) && line[len] == ':')
            return strtol(line + len + 1, NULL, 10);
        char *end = strchr(line, '\n');
        if (!end)
            break;
        line = end + 1;
    }
    return -1;
}

static void show_format(void)
{
    int n = 0;
    for (char *line = text; *line; n++) {
        char *end = strchr(line, '\n');
        if (end)
            *end = 0;
        if (!strncmp(line, "DirectMap1G:", 12)) { /* only on a CPU with 1 GiB pages */
            line = end ? end + 1 : line + strlen(line);
            n--;
            continue;
        }
        char *colon = strchr(line, ':');
        char *p = colon ? colon + 1 : line;
        while (*p == ' ')
            p++;
        char *digits = p;
        while (*p >= '0' && *p <= '9')
            p++;
        printf("%-18.*s number ends at column %2ld%s unit [%s]\n",
               (int)(colon ? colon - line + 1 : 0), line,
               /* a number longer than its field pushes the end: show the field's end only
                * when the number fits it */
               p - digits > 8 ? -1L : (long)(p - line), p - digits > 8 ? " (long)" : "", p);
        if (!end)
            break;
        line = end + 1;
    }
    printf("%d lines\n", n);
}

int main(void)
{
    struct ksysinfo si;
    setvbuf(stdout, NULL, _IONBF, 0);
    read_meminfo();
    show_format();
    read_meminfo();
    long total = field("MemTotal"), mfree = field("MemFree"), avail = field("MemAvailable");
    printf("MemFree <= MemTotal: %d\n", mfree <= total);
    printf("MemAvailable <= MemTotal: %d\n", avail <= total);
    printf("MemFree > 0: %d\n", mfree > 0);
    printf("Shmem <= Cached: %d\n", field("Shmem") <= field("Cached"));
    printf("Slab > 0: %d\n", field("Slab") > 0);
    printf("SReclaimable + SUnreclaim == Slab: %d\n",
           field("SReclaimable") + field("SUnreclaim") == field("Slab"));
    printf("SwapTotal %ld SwapFree %ld SwapCached %ld\n", field("SwapTotal"), field("SwapFree"),
           field("SwapCached"));
    printf("HugePages_Total %ld HugePages_Free %ld Hugepagesize %ld Hugetlb %ld\n",
           field("HugePages_Total"), field("HugePages_Free"), field("Hugepagesize"),
           field("Hugetlb"));
    printf("VmallocTotal %ld\n", field("VmallocTotal"));
    printf("HardwareCorrupted %ld Bounce %ld\n", field("HardwareCorrupted"), field("Bounce"));

    /* 2 MiB of shared memory, touched: Shmem and Cached grow by it. */
    long shmem = field("Shmem"), cached = field("Cached");
    char *m = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    memset(m, 1, 2 << 20);
    read_meminfo();
    printf("Shmem grew by 2 MiB (within 256 kB): %d\n",
           labs(field("Shmem") - shmem - 2048) <= 256);
    printf("Cached grew by 2 MiB (within 256 kB): %d\n",
           labs(field("Cached") - cached - 2048) <= 256);

    memset(&si, 0xaa, sizeof(si));
    show("sysinfo", sys1(SYS_sysinfo, (long)&si));
    printf("mem_unit %u\n", si.mem_unit);
    printf("pad %u tail %d %d %d %d\n", si.pad, si.tail[0], si.tail[1], si.tail[2], si.tail[3]);
    printf("totalram == MemTotal: %d\n", si.totalram == (unsigned long)total * 1024);
    printf("freeram <= totalram: %d\n", si.freeram <= si.totalram);
    printf("freeram within 1 MiB of MemFree: %d\n",
           labs((long)si.freeram - field("MemFree") * 1024) <= 1 << 20);
    printf("sharedram within 1 MiB of Shmem: %d\n",
           labs((long)si.sharedram - field("Shmem") * 1024) <= 1 << 20);
    printf("totalswap %lu freeswap %lu totalhigh %lu freehigh %lu\n", si.totalswap, si.freeswap,
           si.totalhigh, si.freehigh);
    printf("procs >= 1: %d\n", si.procs >= 1);
    printf("uptime >= 0: %d\n", si.uptime >= 0);
    munmap(m, 2 << 20);
    show("sysinfo NULL", sys1(SYS_sysinfo, 0));
    show("sysinfo kernel address", sys1(SYS_sysinfo, (long)0xffffffff81000000UL));
    char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("sysinfo read-only page", sys1(SYS_sysinfo, (long)page));
    return 0;
}
