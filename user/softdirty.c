/* softdirty: soft-dirty tracking through /proc/self/clear_refs and /proc/self/pagemap bit 55
 * (Documentation/admin-guide/mm/soft-dirty.rst, Linux 6.1's fs/proc/task_mmu.c): writing 4
 * clears the bit of every page and VM_SOFTDIRTY ("sd" in smaps' VmFlags) of every VMA; a write
 * sets it again, a read does not; it survives mprotect both ways, mremap moves mark the moved
 * pages; new mappings are soft-dirty as a whole. Then clear_refs' parsing of what is written
 * (1-5, sign, blanks, EINVAL, ERANGE, 12 bytes read) and /proc/self/smaps_rollup's lines and
 * their agreement with smaps. Pages live at fixed addresses; only bits are printed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define ARENA 0x200000000000UL
#define P 4096UL

static int pm;

static int softdirty(unsigned long addr)
{
    uint64_t e = 0;
    long r = sys4(SYS_pread64, pm, (long)&e, 8, (long)(addr / P * 8));
    if (r != 8)
        printf("pread at %#lx: %ld\n", addr, r);
    return (int)(e >> 55 & 1);
}

static void show_pages(const char *what, unsigned long base, int n)
{
    printf("%-44s", what);
    for (int i = 0; i < n; i++)
        printf(" %d", softdirty(base + i * P));
    printf("\n");
}

/* Whether the VMA at addr has "sd" in its smaps VmFlags. */
static void show_sd(const char *what, unsigned long addr)
{
    static char buf[1 << 16];
    char want[32];
    int fd = open("/proc/self/smaps", O_RDONLY);
    long n = 0, r;
    while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
        n += r;
    buf[n] = 0;
    close(fd);
    snprintf(want, sizeof(want), "%08lx-", addr);
    char *at = strstr(buf, want);
    char *flags = at ? strstr(at, "VmFlags:") : NULL;
    char *end = flags ? strchr(flags, '\n') : NULL;
    if (end)
        *end = 0;
    printf("%-44s %s\n", what, !flags ? "no VMA" : strstr(flags, " sd") ? "sd" : "no sd");
}

static long clear_refs(const char *s, long len)
{
    int fd = open("/proc/self/clear_refs", O_WRONLY);
    long r = sys3(SYS_write, fd, (long)s, len);
    close(fd);
    return r;
}

static void reset(void)
{
    long r = clear_refs("4", 1);
    if (r != 1)
        show("clear_refs 4", r);
}

static void writes(void)
{
    struct {
        const char *s;
        long len;
    } cases[] = {
        { "1", 1 },   { "2", 1 },     { "3", 1 },    { "5", 1 },    { "4\n", 2 },   { " 4 \n", 4 },
        { "+4", 2 },  { "0", 1 },     { "6", 1 },    { "-1", 2 },   { "abc", 3 },   { "", 0 },
        { "\n", 1 },  { "4x", 2 },    { "0x4", 3 },  { "04", 2 },   { "4 4", 3 },   { "2147483648", 10 },
        { "99999999999", 11 },        { "4            x", 14 },     { "           4x", 13 },
        { "-2147483648", 11 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        printf("clear_refs [");
        print_escaped(cases[i].s, cases[i].len);
        printf("]: ");
        show("", clear_refs(cases[i].s, cases[i].len));
    }
    int fd = open("/proc/self/clear_refs", O_WRONLY);
    show("clear_refs from a bad buffer", sys3(SYS_write, fd, 1, 1));
    show("pwrite at 100", sys4(SYS_pwrite64, fd, (long)"4", 1, 100));
    close(fd);
    show("open clear_refs O_RDONLY", is_err(sys2(SYS_open, (long)"/proc/self/clear_refs", O_RDONLY)) ? -1 : 0);
}

static long rollup_field(const char *text, const char *name)
{
    const char *p = strstr(text, name);
    return p ? strtol(p + strlen(name), NULL, 10) : -1;
}

static void rollup(void)
{
    static char roll[4096], all[1 << 17];
    memset(roll, 1, sizeof(roll)); /* touched first: reading them changes no count */
    memset(all, 1, sizeof(all));
    int fd = open("/proc/self/smaps_rollup", O_RDONLY);
    long n = read(fd, roll, sizeof(roll) - 1);
    close(fd);
    roll[n > 0 ? n : 0] = 0;
    fd = open("/proc/self/smaps", O_RDONLY);
    long m = 0, r;
    while ((r = read(fd, all + m, sizeof(all) - 1 - m)) > 0)
        m += r;
    all[m] = 0;
    close(fd);
    /* The header: first VMA's start to the last one's end, as offsets from smaps' own. */
    unsigned long rs, re, first = strtoul(all, NULL, 16), last = 0;
    sscanf(roll, "%lx-%lx", &rs, &re);
    for (char *p = all; (p = strchr(p, '\n'));) {
        p++;
        unsigned long s, e;
        char c;
        if (sscanf(p, "%lx-%lx %c", &s, &e, &c) == 3 && strchr(p, '-') < strchr(p, ' ') &&
            e < 0xffffffffff600000UL)
            last = e;
    }
    printf("rollup header start == first VMA: %d, end == last VMA's end: %d\n", rs == first,
           re == last);
    char *nl = strchr(roll, '\n');
    printf("rollup header rest: [%.*s]\n", (int)(nl - roll - (strchr(roll, ' ') - roll)),
           strchr(roll, ' '));
    for (char *line = nl + 1; *line;) {
        char *end = strchr(line, '\n');
        char *colon = strchr(line, ':');
        char *p = colon + 1;
        while (*p == ' ')
            p++;
        while (*p >= '0' && *p <= '9')
            p++;
        printf("rollup %.*s ends at %ld [%.*s]\n", (int)(colon - line + 1), line,
               (long)(p - line), (int)(end - p), p);
        line = end + 1;
    }
    const char *sum_fields[] = { "Rss:", "Shared_Clean:", "Shared_Dirty:", "Private_Clean:",
                                 "Private_Dirty:", "Anonymous:", "LazyFree:", "Swap:" };
    for (unsigned i = 0; i < sizeof(sum_fields) / sizeof(sum_fields[0]); i++) {
        long sum = 0;
        for (char *p = all; (p = strstr(p, sum_fields[i])); p += strlen(sum_fields[i]))
            if (p == all || p[-1] == '\n')
                sum += strtol(p + strlen(sum_fields[i]), NULL, 10);
        printf("rollup %s equals the sum over smaps: %d\n", sum_fields[i],
               rollup_field(roll, sum_fields[i]) == sum);
    }
    long pss = rollup_field(roll, "\nPss:"), parts = rollup_field(roll, "Pss_Anon:") +
                                                    rollup_field(roll, "Pss_File:") +
                                                    rollup_field(roll, "Pss_Shmem:");
    printf("Pss_Anon + Pss_File + Pss_Shmem within 2 kB of Pss: %d\n", labs(pss - parts) <= 2);
    printf("Pss_Anon > 0: %d\n", rollup_field(roll, "Pss_Anon:") > 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pm = open("/proc/self/pagemap", O_RDONLY);
    char *a = mmap((void *)ARENA, 6 * P, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    /* guards: shared anonymous pages on both sides, so nothing merges with the arena */
    mmap((void *)(ARENA - P), P, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    a[0] = 1;
    a[P] = 1;
    (void)*(volatile char *)(a + 2 * P);
    show_pages("new mapping: pages 0-5", ARENA, 6);
    show_sd("new mapping VmFlags", ARENA);
    reset();
    show_pages("after clear_refs 4", ARENA, 6);
    show_sd("after clear_refs 4 VmFlags", ARENA);
    a[0] = 2;
    (void)*(volatile char *)(a + P);
    a[3 * P] = 1;
    (void)*(volatile char *)(a + 4 * P);
    show_pages("write 0, read 1, write 3 (new), read 4", ARENA, 6);
    show("mprotect 0-5 read-only", sys3(SYS_mprotect, ARENA, 6 * P, PROT_READ));
    show_pages("after mprotect read-only", ARENA, 6);
    show("mprotect 0-5 read-write", sys3(SYS_mprotect, ARENA, 6 * P, PROT_READ | PROT_WRITE));
    show_pages("after mprotect read-write", ARENA, 6);
    a[P] = 3;
    show_pages("write 1", ARENA, 6);
    reset();
    show("mprotect 0-5 read-only", sys3(SYS_mprotect, ARENA, 6 * P, PROT_READ));
    show("mprotect 0-5 read-write", sys3(SYS_mprotect, ARENA, 6 * P, PROT_READ | PROT_WRITE));
    show_pages("cleared, mprotect ro then rw", ARENA, 6);
    a[0] = 4;
    a[2 * P] = 4;
    a[4 * P] = 4;
    show_pages("write 0, 2, 4", ARENA, 6);
    printf("contents: %d %d %d %d %d\n", a[0], a[P], a[2 * P], a[3 * P], a[4 * P]);
    show("mprotect page 5 read-only", sys3(SYS_mprotect, ARENA + 5 * P, P, PROT_READ));
    show_sd("split VMA VmFlags (pages 0-4)", ARENA);
    reset();
    /* mremap: move pages 0-3 away; the moved pages are soft-dirty again */
    unsigned long to = ARENA + 64 * P;
    mmap((void *)(to - P), P, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    mmap((void *)(to + 16 * P), P, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    long r = sys6(SYS_mremap, ARENA, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, to, 0);
    show("mremap move 0-3", is_err(r) ? r : r == (long)to ? 0 : 1);
    show_pages("moved pages 0-3", to, 4);
    show_sd("moved VMA VmFlags", to);
    reset();
    r = sys6(SYS_mremap, to, 4 * P, 8 * P, 0, 0, 0);
    show("mremap grow in place to 8", is_err(r) ? r : r == (long)to ? 0 : 1);
    show_pages("grown: pages 0-7", to, 8);
    show_sd("grown VMA VmFlags", to);
    ((char *)to)[6 * P] = 1;
    show_pages("write 6", to, 8);
    r = sys6(SYS_mremap, to, 8 * P, 4 * P, 0, 0, 0);
    show("mremap shrink to 4", is_err(r) ? r : 0);
    show_pages("shrunk: pages 0-3", to, 4);
    /* shared memory */
    reset();
    char *s = mmap((void *)(ARENA + 128 * P), 3 * P, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    show_pages("new shared mapping", ARENA + 128 * P, 3);
    s[0] = 1;
    (void)*(volatile char *)(s + P);
    reset();
    show_pages("shared: written 0, read 1; cleared", ARENA + 128 * P, 3);
    (void)*(volatile char *)(s + 0);
    (void)*(volatile char *)(s + 2 * P);
    show_pages("read 0 and 2", ARENA + 128 * P, 3);
    s[P] = 2;
    s[2 * P] = 2;
    show_pages("write 1 and 2", ARENA + 128 * P, 3);
    /* a forked child writes its copy: the parent's bits stay */
    reset();
    a = (char *)ARENA + 4 * P;
    pid_t pid = fork();
    if (pid == 0) {
        a[0] = 9;
        show_pages("child: wrote page 4 of the arena", ARENA + 4 * P, 1);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    show_pages("parent: page 4 after the child wrote", ARENA + 4 * P, 1);
    a[0] = 8;
    show_pages("parent: wrote page 4", ARENA + 4 * P, 1);
    writes();
    rollup();
    return 0;
}
