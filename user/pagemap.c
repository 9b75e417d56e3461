/* pagemap: /proc/self/pagemap in Linux's format (Documentation/admin-guide/mm/pagemap.rst), on
 * pages this program mapped and touched in a fixed arena: bit 63 present, 61 file page or shared
 * anonymous, 56 mapped exclusively, 55 soft-dirty. The frame numbers (bits 0-54) differ between
 * kernels, so only whether one is there is printed, and whether two pages share a frame (the
 * zero page, a page shared with a forked child). */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define ARENA 0x200000000000UL
#define P 4096UL

static int pm;

static uint64_t entry(unsigned long page)
{
    uint64_t e = 0;
    long r = sys4(SYS_pread64, pm, (long)&e, 8, (long)((ARENA / P + page) * 8));
    if (r != 8)
        printf("pread of page %lu: %ld\n", page, r);
    return e;
}

static void show_page(const char *what, unsigned long page)
{
    uint64_t e = entry(page);
    printf("%-44s present %d file/shared %d exclusive %d soft-dirty %d pfn %s\n", what,
           (int)(e >> 63 & 1), (int)(e >> 61 & 1), (int)(e >> 56 & 1), (int)(e >> 55 & 1),
           e & ((1ULL << 55) - 1) ? "yes" : "no");
}

int main(void)
{
    pm = open("/proc/self/pagemap", O_RDONLY);
    printf("open: %s\n", pm >= 0 ? "ok" : "failed");
    char *a = mmap((void *)ARENA, 8 * P, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    a[1 * P] = 1;
    (void)*(volatile char *)(a + 2 * P);
    (void)*(volatile char *)(a + 3 * P);
    a[4 * P] = 1;
    mprotect(a + 4 * P, P, PROT_NONE);
    show_page("page 0: never touched", 0);
    show_page("page 1: written", 1);
    show_page("page 2: read (the zero page)", 2);
    uint64_t z2 = entry(2), z3 = entry(3);
    printf("pages 2 and 3 share one frame: %s\n",
           (z2 & ((1ULL << 55) - 1)) == (z3 & ((1ULL << 55) - 1)) ? "yes" : "no");
    show_page("page 4: written, then PROT_NONE", 4);
    show_page("page 9: no mapping", 9);

    ensure_tmp();
    int fd = open("/tmp/pagemap.data", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(fd, 2 * P);
    char *f = mmap((void *)(ARENA + 16 * P), 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
                   fd, 0);
    f[0] = 1;
    show_page("shared file page, written", 16);
    show_page("shared file page, untouched", 17);
    char *s = mmap((void *)(ARENA + 20 * P), P, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    s[0] = 1;
    show_page("shared anonymous page, written", 20);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        show_page("child: page 1 (shared copy-on-write)", 1);
        a[1 * P] = 2;
        show_page("child: page 1 after its own write", 1);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    show_page("parent: page 1 after the child's copy", 1);

    uint64_t buf[2];
    show("read of 7 bytes", sys3(SYS_read, pm, (long)buf, 7));
    sys3(SYS_lseek, pm, 3, SEEK_SET);
    show("read at offset 3", sys3(SYS_read, pm, (long)buf, 8));
    sys3(SYS_lseek, pm, (long)((0x7ffffffff000UL / P) * 8), SEEK_SET);
    show("read at the end of the user half", sys3(SYS_read, pm, (long)buf, 16));
    show("write", sys3(SYS_write, pm, (long)buf, 8));
    unlink("/tmp/pagemap.data");
    return 0;
}
