/* mapcount: vm.max_map_count as Linux enforces it (spec 2.5; cases 57 and 59), through
 * /proc/sys/vm/max_map_count. Limits are set relative to the process's current number of VMAs
 * (Linux has a few more, e.g. [vdso]), so every printed line is the same on both kernels.
 * - the file reads 65530 by default, refuses non-numbers and negative values (EINVAL);
 * - case 57: splitting (mprotect of every other page) stops with ENOMEM exactly at the limit;
 * - case 59: at limit - 1, mprotect of the middle of a VMA fails with ENOMEM after splitting once
 *   (the first split stays: Linux is not atomic here);
 * - mmap is refused only above the limit (one more succeeds at it), munmap strictly inside a VMA
 *   is refused at the limit while munmap at a VMA's edge works;
 * - case 58: above the limit, mprotect of the middle of a VMA is refused, while one that only
 *   moves a boundary (the head of a VMA joins the VMA before it) or changes a whole VMA works. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#define ARENA ((char *)0x200000000000UL)
#define PAGES 200

static long read_limit(void)
{
    char buf[32] = { 0 };
    int fd = open("/proc/sys/vm/max_map_count", O_RDONLY);
    long n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    return n > 0 ? atol(buf) : -1;
}

static long write_limit(const char *text)
{
    int fd = open("/proc/sys/vm/max_map_count", O_WRONLY);
    long r = sys3(SYS_write, fd, (long)text, (long)strlen(text));
    close(fd);
    return r;
}

static void set_limit(long n)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%ld\n", n);
    write_limit(buf);
}

/* The number of VMAs: lines of /proc/self/maps. */
static long vma_count(void)
{
    char buf[4096];
    long lines = 0, n;
    int fd = open("/proc/self/maps", O_RDONLY);

    while ((n = read(fd, buf, sizeof(buf))) > 0)
        for (long i = 0; i < n; i++)
            lines += buf[i] == '\n';
    close(fd);
    return lines;
}

/* mprotect of every other page of the arena until it fails; returns how many succeeded. */
static int split_until_enomem(int *failed_page)
{
    int ok = 0;

    for (int p = 1; p < PAGES; p += 2) {
        long r = sys3(SYS_mprotect, (long)(ARENA + p * 4096L), 4096, PROT_READ);
        if (r) {
            *failed_page = p;
            show("  the failing mprotect", r);
            return ok;
        }
        ok++;
    }
    *failed_page = -1;
    return ok;
}

int main(void)
{
    printf("max_map_count: %ld\n", read_limit());
    show("write \"abc\"", write_limit("abc"));
    show("write \"-1\"", write_limit("-1"));
    show("write \" 65530 \\n\"", write_limit(" 65530 \n"));
    printf("max_map_count: %ld\n", read_limit());

    int failed;
    for (int extra = 20; extra <= 21; extra++) {
        printf("-- case %d: limit = current VMAs + %d\n", extra == 20 ? 57 : 59, extra);
        munmap(ARENA, PAGES * 4096L);
        mmap(ARENA, PAGES * 4096L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
             -1, 0);
        long base = vma_count();
        set_limit(base + extra);
        int ok = split_until_enomem(&failed);
        printf("  splits before ENOMEM: %d (page %d failed)\n", ok, failed);
        printf("  VMAs at the failure - limit: %ld\n", vma_count() - (base + extra));
        set_limit(65530);
    }

    printf("-- mmap and munmap at the limit\n");
    munmap(ARENA, PAGES * 4096L);
    mmap(ARENA, 16 * 4096L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    char *far = ARENA + 0x10000000L;
    mmap(far + 4096, 2 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    long base = vma_count();
    set_limit(base);
    show_ok("mmap at the limit", (long)mmap(far, 4096, PROT_READ | PROT_EXEC,
                                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    printf("  VMAs - limit: %ld\n", vma_count() - base);
    char *farther = ARENA + 0x20000000L;
    void *m = mmap(farther, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("mmap above the limit: %s\n", m == MAP_FAILED ? "ENOMEM" : "mapped");
    show("munmap strictly inside a VMA", sys2(SYS_munmap, (long)(ARENA + 4096), 4096));
    show("munmap at a VMA's edge", sys2(SYS_munmap, (long)ARENA, 4096));
    printf("-- case 58: mprotect at the limit\n");
    show("mprotect of the middle of a VMA", sys3(SYS_mprotect, (long)(ARENA + 4 * 4096), 4096, PROT_READ));
    show("mprotect of a VMA's head, joining the VMA before it",
         sys3(SYS_mprotect, (long)(far + 4096), 4096, PROT_READ | PROT_EXEC));
    printf("  VMAs - limit: %ld\n", vma_count() - base);
    show("mprotect of a whole VMA", sys3(SYS_mprotect, (long)far, 2 * 4096, PROT_READ));
    printf("  VMAs - limit: %ld\n", vma_count() - base);
    set_limit(65530);
    printf("max_map_count restored: %ld\n", read_limit());
    return 0;
}
