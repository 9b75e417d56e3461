/* Lab 1 (docs/labs.md): watch a VMA split and merge. The program maps four pages, changes the
 * protection of one of them, changes it back, and unmaps one, printing its part of
 * /proc/self/maps after each step (addresses as page offsets from where it mapped). */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define BASE 0x200000000000UL
#define P 4096UL

/* Prints the lines of /proc/self/maps that fall in [BASE, BASE + 16 pages). */
static void show_maps(const char *step)
{
    static char buf[1 << 16];
    int fd = open("/proc/self/maps", O_RDONLY);
    long n = 0, r;
    while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
        n += r;
    close(fd);
    buf[n] = 0;
    printf("%s\n", step);
    for (char *line = buf; *line;) {
        char *nl = strchr(line, '\n');
        unsigned long start, end;
        char perms[5];
        if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3 && start >= BASE &&
            end <= BASE + 16 * P)
            printf("    pages %lu-%lu  %s\n", (start - BASE) / P, (end - BASE) / P - 1, perms);
        if (!nl)
            break;
        line = nl + 1;
    }
}

int main(void)
{
    char *m = mmap((void *)BASE, 4 * P, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    show_maps("1. mmap 4 pages read-write: one VMA");
    mprotect(m + P, P, PROT_READ);
    show_maps("2. mprotect page 1 read-only: the VMA splits in three");
    mprotect(m + P, P, PROT_READ | PROT_WRITE);
    show_maps("3. page 1 read-write again: the three merge back into one");
    munmap(m + 2 * P, P);
    show_maps("4. munmap page 2: two VMAs with a hole between them");
    mmap(m + 2 * P, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    show_maps("5. map page 2 again, read-write: it joins both neighbours");
    mmap(m + 4 * P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    show_maps("6. a read-only page right after: different protection, a VMA of its own");
    return 0;
}
