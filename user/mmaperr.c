/* mmaperr: mmap's checks in Linux's order (ksys_mmap_pgoff, do_mmap, get_unmapped_area,
 * mmap_region), one raw syscall per line. Where two things are wrong at once, the line shows
 * which one Linux reports first. Addresses are printed only as offsets from the arena or as
 * properties ("at the hint", "page-aligned"). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common.h"

#define ARENA 0x200000000000UL
#define P 4096L
#define TASK_SIZE 0x7ffffffff000UL
#define PROT_SEM 0x8

static long mm(long addr, long len, long prot, long flags, long fd, long off)
{
    return sys6(SYS_mmap, addr, len, prot, flags, fd, off);
}

/* "what: at +OFF" for an address in the arena, else "what: -1 E..." or "mapped elsewhere". */
static void show_at(const char *what, long r)
{
    if (is_err(r))
        printf("%s: -1 %s\n", what, errname((int)-r));
    else if ((unsigned long)r >= ARENA && (unsigned long)r < ARENA + 0x100000000UL)
        printf("%s: at +%#lx\n", what, (unsigned long)r - ARENA);
    else
        printf("%s: mapped outside the arena\n", what);
}

/* The perms of the VMA at addr, from /proc/self/maps. */
static void show_perms(const char *what, unsigned long addr)
{
    static char buf[1 << 16];
    long fd = sys2(SYS_open, (long)"/proc/self/maps", O_RDONLY), len = 0, n;
    while ((n = sys3(SYS_read, fd, (long)(buf + len), (long)sizeof(buf) - 1 - len)) > 0)
        len += n;
    buf[len] = 0;
    sys1(SYS_close, fd);
    for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        unsigned long s, e;
        char perms[5];
        if (sscanf(l, "%lx-%lx %4s", &s, &e, perms) == 3 && s <= addr && addr < e) {
            printf("%s: %s\n", what, perms);
            return;
        }
    }
    printf("%s: not mapped\n", what);
}

int main(void)
{
    const long anon = MAP_PRIVATE | MAP_ANONYMOUS, R = PROT_READ, RW = PROT_READ | PROT_WRITE;

    ensure_tmp();
    int fd = open("/tmp/mmaperr.data", O_RDWR | O_CREAT | O_TRUNC, 0600);
    static char page[P];
    write(fd, page, P);
    write(fd, page, P);
    int ro = open("/tmp/mmaperr.data", O_RDONLY), wo = open("/tmp/mmaperr.data", O_WRONLY);
    int path = open("/tmp/mmaperr.data", O_PATH), dir = open("/tmp", O_RDONLY);
    int pipes[2];
    pipe(pipes);

    printf("-- arguments before the file\n");
    show("offset not page-aligned, bad fd", mm(0, P, R, MAP_PRIVATE, 999, 1));
    show("len 0, bad fd", mm(0, 0, R, MAP_PRIVATE, 999, 0));
    show("len 0, anonymous", mm(0, 0, R, anon, -1, 0));
    show("len 0, MAP_TYPE 0", mm(0, 0, R, MAP_ANONYMOUS, -1, 0));
    show("O_PATH fd", mm(0, P, R, MAP_PRIVATE, path, 0));
    show("MAP_HUGETLB with a regular file", mm(0, P, R, MAP_PRIVATE | MAP_HUGETLB, fd, 0));
    show("anonymous, offset misaligned", mm(0, P, R, anon, -1, 100));
    show_ok("anonymous, offset aligned (ignored)", mm(0, P, R, anon, -1, 5 * P));

    printf("-- lengths and offsets\n");
    show("len ~0", mm(0, -1L, R, anon, -1, 0));
    show("len -4096 (page-rounds to 0)", mm(0, -P, R, anon, -1, 0));
    show("len above TASK_SIZE", mm(0, (long)TASK_SIZE + P, R, anon, -1, 0));
    show("len TASK_SIZE, no room", mm(0, (long)TASK_SIZE, R, anon, -1, 0));
    show("file offset near 2^64", mm(0, 2 * P, R, MAP_PRIVATE, fd, -2 * P));
    show("file offset 2^63 - page", mm(0, P, R, MAP_PRIVATE, fd, 0x7ffffffffffff000L));
    show_ok("file offset past EOF (allowed)", mm(0, P, R, MAP_PRIVATE, fd, 100 * P));

    printf("-- MAP_TYPE\n");
    show("anonymous MAP_TYPE 0", mm(0, P, R, MAP_ANONYMOUS, -1, 0));
    show("anonymous MAP_SHARED_VALIDATE", mm(0, P, R, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0));
    show("anonymous MAP_TYPE 0xf", mm(0, P, R, 0xf | MAP_ANONYMOUS, -1, 0));
    show("file MAP_TYPE 0", mm(0, P, R, 0, fd, 0));
    show("file MAP_TYPE 0, O_PATH fd", mm(0, P, R, 0, path, 0));
    show_ok("file MAP_SHARED_VALIDATE", mm(0, P, R, MAP_SHARED_VALIDATE, fd, 0));
    show("file MAP_SHARED_VALIDATE|MAP_SYNC", mm(0, P, R, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0));
    show("file MAP_SHARED_VALIDATE|0x800000", mm(0, P, R, MAP_SHARED_VALIDATE | 0x800000, fd, 0));
    show_ok("file MAP_SHARED|0x800000 (ignored)", mm(0, P, R, MAP_SHARED | 0x800000, fd, 0));
    show("file MAP_SHARED_VALIDATE|MAP_FIXED_NOREPLACE",
         mm(ARENA + 0x40 * P, P, R, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, fd, 0));

    printf("-- file modes\n");
    show("O_RDONLY, MAP_SHARED, PROT_WRITE", mm(0, P, RW, MAP_SHARED, ro, 0));
    show_ok("O_RDONLY, MAP_PRIVATE, PROT_WRITE", mm(0, P, RW, MAP_PRIVATE, ro, 0));
    show("O_WRONLY, MAP_PRIVATE", mm(0, P, R, MAP_PRIVATE, wo, 0));
    show("O_WRONLY, MAP_SHARED, PROT_WRITE", mm(0, P, PROT_WRITE, MAP_SHARED, wo, 0));
    show("pipe read end", mm(0, P, R, MAP_PRIVATE, pipes[0], 0));
    show("pipe write end", mm(0, P, R, MAP_PRIVATE, pipes[1], 0));
    show("directory", mm(0, P, R, MAP_PRIVATE, dir, 0));
    show("file with MAP_GROWSDOWN", mm(0, P, R, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0));
    show("shared anonymous MAP_GROWSDOWN", mm(0, P, R, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0));
    long m = mm(0, P, R, MAP_SHARED, ro, 0);
    show("O_RDONLY, MAP_SHARED, PROT_READ, then mprotect RW", sys3(SYS_mprotect, m, P, RW));
    show_perms("  and maps says", (unsigned long)m);

    printf("-- addresses\n");
    show_at("MAP_FIXED", mm(ARENA, P, R, anon | MAP_FIXED, -1, 0));
    show("MAP_FIXED misaligned", mm(ARENA + 1, P, R, anon | MAP_FIXED, -1, 0));
    show("MAP_FIXED misaligned, end above TASK_SIZE", mm(TASK_SIZE - 1, 2 * P, R, anon | MAP_FIXED, -1, 0));
    show("MAP_FIXED end above TASK_SIZE", mm(TASK_SIZE - P, 2 * P, R, anon | MAP_FIXED, -1, 0));
    show("MAP_FIXED in the kernel half", mm(0xffff800000000000L, P, R, anon | MAP_FIXED, -1, 0));
    show("MAP_FIXED_NOREPLACE over a mapping", mm(ARENA, P, R, anon | MAP_FIXED_NOREPLACE, -1, 0));
    show("MAP_FIXED_NOREPLACE misaligned", mm(ARENA + 1, P, R, anon | MAP_FIXED_NOREPLACE, -1, 0));
    show_at("MAP_FIXED_NOREPLACE next to it", mm(ARENA + P, P, R, anon | MAP_FIXED_NOREPLACE, -1, 0));
    show_at("hint free", mm(ARENA + 4 * P, P, R, anon, -1, 0));
    show_at("hint misaligned (rounded down)", mm(ARENA + 8 * P + 123, P, R, anon, -1, 0));
    show_at("hint taken", mm(ARENA, P, R, anon, -1, 0));
    show_at("hint overlapping the end of a mapping", mm(ARENA + 3 * P, 2 * P, R, anon, -1, 0));
    show_at("MAP_GROWSDOWN at a hint", mm(ARENA + 0x1000 * P, P, RW, anon | MAP_GROWSDOWN, -1, 0));
    show_at("hint just below a MAP_GROWSDOWN (guard gap)", mm(ARENA + 0xfff * P, P, R, anon, -1, 0));
    show_at("hint 256 pages below it", mm(ARENA + 0xeff * P, P, R, anon, -1, 0));
    long low = mm(0x1000, P, R, anon, -1, 0);
    printf("hint 0x1000 gives mmap_min_addr 0x10000: %s\n", low == 0x10000 ? "yes" : "no");
    munmap((void *)low, P);
    long zero = mm(0, P, R, anon | MAP_FIXED, -1, 0);
    printf("MAP_FIXED at 0 as root: %s\n", zero == 0 ? "mapped" : errname((int)-zero));
    munmap(0, P);
    long hi = mm(TASK_SIZE, P, R, anon, -1, 0);
    printf("hint at TASK_SIZE: %s\n", is_err(hi) ? errname((int)-hi) : hi < (long)TASK_SIZE ? "placed below" : "at the hint");

    printf("-- prot bits mmap does not check\n");
    show_at("prot PROT_SEM", mm(ARENA + 0x20 * P, P, R | PROT_SEM, anon | MAP_FIXED, -1, 0));
    show_perms("  maps", ARENA + 0x20 * P);
    show_at("prot 0x10", mm(ARENA + 0x22 * P, P, R | 0x10, anon | MAP_FIXED, -1, 0));
    show_perms("  maps", ARENA + 0x22 * P);
    show_at("prot PROT_GROWSDOWN", mm(ARENA + 0x24 * P, P, RW | PROT_GROWSDOWN, anon | MAP_FIXED, -1, 0));
    show_perms("  maps", ARENA + 0x24 * P);

    unlink("/tmp/mmaperr.data");
    return 0;
}
