/* overcommit: Linux 6.1's commit accounting (mm/util.c __vm_enough_memory, mm/mmap.c VM_ACCOUNT)
 * seen from user space: Committed_AS's change after each charging call (mmap of private writable,
 * shared anonymous, MAP_NORESERVE, file and memfd memory; brk; mremap; mprotect gaining write;
 * fork; SysV segments) and after each one that gives the charge back; the three policies of
 * vm.overcommit_memory (0: no single request above RAM + swap; 1: always; 2: CommitLimit, with
 * the admin reserve for a caller without CAP_SYS_ADMIN); the sysctls overcommit_ratio and
 * overcommit_kbytes (writing one zeroes the other); VM_ACCOUNT and VM_NORESERVE in smaps'
 * VmFlags and their say in merging. Values depend on the RAM size, so only deltas and relations
 * are printed. Raw system calls. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define P 4096L
#define MIB (1L << 20)
#define MREMAP_MAYMOVE_ 1
#define MREMAP_FIXED_ 2

/* All output waits in this buffer until the end: on Linux stdout is a tmpfs file whose new
 * pages are charged to Committed_AS (shmem_acct_block), which would move the deltas. */
static char outbuf[1 << 20];

static char mbuf[8192];

/* A /proc/meminfo field in kB. */
static long meminfo(const char *field)
{
    int fd = open("/proc/meminfo", O_RDONLY);
    long n = read(fd, mbuf, sizeof(mbuf) - 1);
    close(fd);
    mbuf[n > 0 ? n : 0] = 0;
    char *p = strstr(mbuf, field);
    return p ? strtol(p + strlen(field) + 1, NULL, 10) : -1;
}

static long committed(void)
{
    return meminfo("Committed_AS");
}

static long read_vm(const char *name)
{
    char path[64], buf[64];
    snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -errno;
    long n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    return strtol(buf, NULL, 10);
}

static long write_vm(const char *name, const char *val)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -errno;
    long r = write(fd, val, strlen(val));
    close(fd);
    return r < 0 ? -errno : r;
}

static void write_vm_long(const char *name, long v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%ld", v);
    write_vm(name, buf);
}

static long map(long addr, long len, long prot, long flags)
{
    return sys6(SYS_mmap, addr, len, prot, flags | (addr ? MAP_FIXED : 0), -1, 0);
}

static long c0;
/* Prints how Committed_AS moved since the last mark, in kB, and marks again. */
static void delta(const char *what)
{
    long c = committed();
    printf("%s: Committed_AS %+ld kB\n", what, c - c0);
    c0 = c;
}

static void mark(void)
{
    c0 = committed();
}

/* Whether smaps' VmFlags of the VMA at addr have "ac" and "nr". */
static void vmflags(const char *what, long addr)
{
    static char buf[1 << 16];
    int fd = open("/proc/self/smaps", O_RDONLY);
    long n = 0, r;
    while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
        n += r;
    close(fd);
    buf[n] = 0;
    char want[32];
    snprintf(want, sizeof(want), "%lx-", (unsigned long)addr);
    char *p = strstr(buf, want);
    char *v = p ? strstr(p, "VmFlags:") : NULL;
    if (!v) {
        printf("%s: no VMA\n", what);
        return;
    }
    char *e = strchr(v, '\n');
    if (e)
        *e = 0;
    printf("%s: ac %d nr %d\n", what, strstr(v, " ac") != NULL, strstr(v, " nr") != NULL);
}

/* How many /proc/self/maps lines lie in [start, end). */
static int vmas_in(long start, long end)
{
    static char buf[1 << 15];
    int fd = open("/proc/self/maps", O_RDONLY), count = 0;
    long n = 0, r;
    while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
        n += r;
    close(fd);
    buf[n] = 0;
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        unsigned long s, e;
        if (sscanf(line, "%lx-%lx", &s, &e) == 2 && (long)s >= start && (long)e <= end)
            count++;
    }
    return count;
}

static void test_sysctls(void)
{
    printf("-- sysctls\n");
    printf("overcommit_memory %ld ratio %ld kbytes %ld\n", read_vm("overcommit_memory"),
           read_vm("overcommit_ratio"), read_vm("overcommit_kbytes"));
    long admin = read_vm("admin_reserve_kbytes"), user = read_vm("user_reserve_kbytes");
    printf("admin_reserve_kbytes in (0, 8192] %d, user_reserve_kbytes in (0, 131072] %d\n",
           admin > 0 && admin <= 8192, user > 0 && user <= 131072);
    long total = meminfo("MemTotal"), limit = meminfo("CommitLimit");
    printf("SwapTotal %ld, CommitLimit == MemTotal/2 %d\n", meminfo("SwapTotal"),
           limit == total / 4 * 50 / 100 * 4);
    show("overcommit_memory 3", write_vm("overcommit_memory", "3"));
    show("overcommit_memory -1", write_vm("overcommit_memory", "-1"));
    show("overcommit_kbytes 102400", write_vm("overcommit_kbytes", "102400"));
    printf("ratio %ld kbytes %ld CommitLimit %ld\n", read_vm("overcommit_ratio"),
           read_vm("overcommit_kbytes"), meminfo("CommitLimit"));
    show("overcommit_kbytes -1", write_vm("overcommit_kbytes", "-1"));
    show("overcommit_ratio 25", write_vm("overcommit_ratio", "25"));
    printf("ratio %ld kbytes %ld CommitLimit == MemTotal/4 %d\n", read_vm("overcommit_ratio"),
           read_vm("overcommit_kbytes"), meminfo("CommitLimit") == total / 4 * 25 / 100 * 4);
    show("overcommit_ratio 50", write_vm("overcommit_ratio", "50"));
}

static void test_charges(void)
{
    printf("-- charges\n");
    long base = map(0, 64 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
    sys2(SYS_munmap, base, 64 * MIB);
    mark();
    long a = map(base, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    delta("mmap 1 MiB private rw");
    vmflags("private rw", a);
    long b = map(base + 2 * MIB, MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    delta("mmap 1 MiB private r");
    vmflags("private r", b);
    long s = map(base + 4 * MIB, MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
    delta("mmap 1 MiB shared rw");
    vmflags("shared rw", s);
    long sn = map(base + 6 * MIB, MIB, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE);
    delta("mmap 1 MiB shared rw noreserve");
    long n = map(base + 8 * MIB, MIB, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    delta("mmap 1 MiB private rw noreserve");
    vmflags("private rw noreserve", n);
    show("mprotect r -> rw", sys3(SYS_mprotect, b, MIB, PROT_READ | PROT_WRITE));
    delta("mprotect 1 MiB gains write");
    vmflags("mprotected rw", b);
    show("mprotect rw -> r", sys3(SYS_mprotect, b, MIB, PROT_READ));
    delta("mprotect loses write");
    vmflags("mprotected back", b);
    show("mprotect rw again", sys3(SYS_mprotect, b, MIB, PROT_READ | PROT_WRITE));
    delta("mprotect regains write");
    show("mprotect noreserve r", sys3(SYS_mprotect, n, MIB, PROT_READ));
    show("mprotect noreserve rw", sys3(SYS_mprotect, n, MIB, PROT_READ | PROT_WRITE));
    delta("mprotect of noreserve");
    show("munmap half of rw", sys2(SYS_munmap, a, MIB / 2));
    delta("munmap 512 KiB");
    long r = sys6(SYS_mremap, a + MIB / 2, MIB / 2, MIB, 0, 0, 0);
    show("mremap grow in place", r == a + MIB / 2);
    delta("mremap 512 KiB -> 1 MiB");
    show("mremap grow into b", sys6(SYS_mremap, a + MIB / 2, MIB, 2 * MIB, 0, 0, 0));
    r = sys6(SYS_mremap, a + MIB / 2, MIB, MIB / 4, 0, 0, 0);
    delta("mremap 1 MiB -> 256 KiB");
    r = sys6(SYS_mremap, a + MIB / 2, MIB / 4, 2 * MIB, MREMAP_MAYMOVE_ | MREMAP_FIXED_,
             base + 40 * MIB, 0);
    show("mremap move", r == base + 40 * MIB);
    delta("mremap move 256 KiB -> 2 MiB");
    long d = sys6(SYS_mremap, base + 40 * MIB, MIB, MIB, MREMAP_MAYMOVE_ | MREMAP_FIXED_ | 4,
                  base + 44 * MIB, 0);
    show("mremap MREMAP_DONTUNMAP", d == base + 44 * MIB);
    delta("mremap DONTUNMAP 1 MiB");
    sys2(SYS_munmap, d, MIB);
    delta("munmap the copy");
    r = sys6(SYS_mremap, s, MIB, 2 * MIB, MREMAP_MAYMOVE_, 0, 0);
    delta("mremap shared 1 -> 2 MiB");
    long brk0 = sys1(SYS_brk, 0);
    long brk1 = sys1(SYS_brk, brk0 + MIB);
    show("brk +1 MiB", brk1 == brk0 + MIB);
    delta("brk +1 MiB");
    sys1(SYS_brk, brk0);
    delta("brk back");
    ensure_tmp();
    int fd = open("/tmp/oc", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(fd, MIB);
    long f = sys6(SYS_mmap, 0, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    delta("mmap file private rw");
    long fs = sys6(SYS_mmap, 0, MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    delta("mmap file shared rw");
    vmflags("file private rw", f);
    vmflags("file shared rw", fs);
    int mfd = sys2(SYS_memfd_create, (long)"oc", 0);
    ftruncate(mfd, MIB);
    delta("memfd 1 MiB");
    long mm = sys6(SYS_mmap, 0, MIB, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
    delta("mmap memfd shared rw");
    long pid = fork();
    if (pid == 0)
        _exit(0);
    int st = 0;
    waitpid(pid, &st, 0);
    printf("child status %d\n", st);
    delta("after a fork and exit");
    long id = sys3(SYS_shmget, 0, 3 * MIB, 0600);
    delta("shmget 3 MiB");
    long id2 = sys3(SYS_shmget, 0, MIB, 0600 | 010000);
    delta("shmget 1 MiB SHM_NORESERVE");
    long at = sys3(SYS_shmat, id, 0, 0);
    delta("shmat");
    sys1(SYS_shmdt, at);
    sys3(SYS_shmctl, id, 0, 0);
    sys3(SYS_shmctl, id2, 0, 0);
    delta("shm removed");
    sys2(SYS_munmap, f, MIB);
    sys2(SYS_munmap, fs, MIB);
    sys2(SYS_munmap, mm, MIB);
    close(fd);
    close(mfd);
    delta("file and memfd gone");
    sys2(SYS_munmap, base, 64 * MIB);
    sys2(SYS_munmap, r, 2 * MIB);
    delta("everything unmapped");
    (void)sn;
}

static void test_merge(void)
{
    printf("-- VM_ACCOUNT and merging\n");
    long base = map(0, 16 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
    sys2(SYS_munmap, base, 16 * P);
    /* guards of shared memory on both sides: no neighbour of the test's can merge in */
    map(base, P, PROT_READ, MAP_SHARED | MAP_ANONYMOUS);
    map(base + 15 * P, P, PROT_READ, MAP_SHARED | MAP_ANONYMOUS);
    map(base + P, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    map(base + 3 * P, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    printf("rw next to rw noreserve: %d VMAs\n", vmas_in(base + P, base + 5 * P));
    sys3(SYS_mprotect, base + P, 2 * P, PROT_READ);
    map(base + 5 * P, 2 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    printf("r (was rw) next to new r: %d VMAs\n", vmas_in(base + P, base + 7 * P));
    sys3(SYS_mprotect, base + 5 * P, 2 * P, PROT_READ | PROT_WRITE);
    sys3(SYS_mprotect, base + P, 2 * P, PROT_READ | PROT_WRITE);
    printf("both made rw again: %d VMAs\n", vmas_in(base + P, base + 7 * P));
    map(base + 7 * P, 2 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    sys3(SYS_mprotect, base + 7 * P, 2 * P, PROT_READ | PROT_WRITE);
    printf("r made rw next to rw: %d VMAs\n", vmas_in(base + 5 * P, base + 9 * P));
    sys2(SYS_munmap, base, 16 * P);
    write_vm("overcommit_memory", "2");
    write_vm("overcommit_kbytes", "0");
    write_vm("overcommit_ratio", "100");
    map(base + P, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    map(base + 3 * P, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    printf("strict: rw next to rw noreserve: %d VMAs\n", vmas_in(base + P, base + 5 * P));
    vmflags("strict: noreserve", base + P);
    write_vm("overcommit_memory", "0");
    write_vm("overcommit_ratio", "50");
    sys2(SYS_munmap, base, 16 * P);
}

static long total_bytes;

/* Prints how Committed_AS moved since the last mark, in MemTotals, and marks again. */
static void delta_ram(const char *what)
{
    long c = committed(), total = total_bytes / 1024;
    printf("%s: Committed_AS %+ld x MemTotal %+ld kB\n", what, (c - c0) / total, (c - c0) % total);
    c0 = c;
}

static void test_heuristic(void)
{
    printf("-- overcommit_memory 0\n");
    total_bytes = meminfo("MemTotal") * 1024;
    long r = map(0, total_bytes + P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    show("mmap RAM + 1 page", r);
    mark();
    long r1 = map(0, total_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    show_ok("mmap RAM", r1);
    r = map(0, total_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    show_ok("mmap RAM again", r);
    delta_ram("two RAM-sized mappings");
    sys2(SYS_munmap, r, total_bytes);
    sys2(SYS_munmap, r1, total_bytes);
    delta_ram("unmapped");
    long big = map(0, 2 * total_bytes, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    show_ok("mmap 2 x RAM read-only", big);
    show("mprotect it rw", sys3(SYS_mprotect, big, 2 * total_bytes, PROT_READ | PROT_WRITE));
    delta_ram("failed mprotect");
    show("mprotect half rw", sys3(SYS_mprotect, big, total_bytes, PROT_READ | PROT_WRITE));
    delta_ram("mprotect of RAM");
    sys2(SYS_munmap, big, 2 * total_bytes);
    delta_ram("unmapped");
    r = map(0, 2 * total_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    show_ok("mmap 2 x RAM noreserve", r);
    sys2(SYS_munmap, r, 2 * total_bytes);
    r = map(0, total_bytes + P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
    show("shared RAM + 1 page", r);
    r = map(0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    long m = sys6(SYS_mremap, r, P, total_bytes + 2 * P, MREMAP_MAYMOVE_, 0, 0);
    show("mremap to RAM + 1 page", m);
    sys2(SYS_munmap, r, P);
    long brk0 = sys1(SYS_brk, 0);
    show("brk RAM + 1 page refused", sys1(SYS_brk, brk0 + total_bytes + P) == brk0);
    show("shmget RAM + 1 page", sys3(SYS_shmget, 0, total_bytes + P, 0600));
    long id = sys3(SYS_shmget, 0, total_bytes + P, 0600 | 010000);
    show("shmget RAM + 1 page SHM_NORESERVE ok", id >= 0);
    sys3(SYS_shmctl, id, 0, 0);
    delta_ram("after the refusals");
    write_vm("overcommit_memory", "1");
    r = map(0, 4 * total_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    show_ok("always: mmap 4 x RAM", r);
    delta_ram("always: charged anyway");
    sys2(SYS_munmap, r, 4 * total_bytes);
    write_vm("overcommit_memory", "0");
    delta_ram("unmapped");
}

static int pfd[2];
/* As uid 1000: 60 MiB refused (ENOMEM: bit 0), 40 MiB allowed (bit 1); 64 if setuid failed. */
static int strict_child(void)
{
    char c;
    if (read(pfd[0], &c, 1) != 1)
        return 128;
    if (sys3(SYS_setresgid, 100, 100, 100) || sys3(SYS_setresuid, 1000, 1000, 1000))
        return 64;
    long a = map(0, 60 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    long b = map(0, 40 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    return (a == -ENOMEM) | (!is_err(b)) << 1;
}

static void test_strict(void)
{
    printf("-- overcommit_memory 2\n");
    long user = read_vm("user_reserve_kbytes");
    write_vm("user_reserve_kbytes", "0"); /* no say for the process's size */
    write_vm("overcommit_memory", "2");
    long c = committed();
    write_vm_long("overcommit_kbytes", c + 64 * 1024);
    printf("CommitLimit - Committed_AS %ld kB\n", meminfo("CommitLimit") - committed());
    long r = map(0, 96 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    show("mmap 96 MiB", r);
    r = map(0, 96 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    show("mmap 96 MiB noreserve", r);
    r = map(0, 96 * MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    show_ok("mmap 96 MiB read-only", r);
    show("mprotect it rw", sys3(SYS_mprotect, r, 96 * MIB, PROT_READ | PROT_WRITE));
    show("mprotect 32 MiB of it rw", sys3(SYS_mprotect, r, 32 * MIB, PROT_READ | PROT_WRITE));
    printf("CommitLimit - Committed_AS %ld kB\n", meminfo("CommitLimit") - committed());
    long m = sys6(SYS_mremap, r, 32 * MIB, 96 * MIB, MREMAP_MAYMOVE_, 0, 0);
    show("mremap 32 -> 96 MiB", m);
    show("shmget 64 MiB", sys3(SYS_shmget, 0, 64 * MIB, 0600));
    show("shmget 64 MiB SHM_NORESERVE", sys3(SYS_shmget, 0, 64 * MIB, 0600 | 010000));
    long brk0 = sys1(SYS_brk, 0);
    show("brk +64 MiB refused", sys1(SYS_brk, brk0 + 64 * MIB) == brk0);
    sys2(SYS_munmap, r, 96 * MIB);
    printf("CommitLimit - Committed_AS %ld kB\n", meminfo("CommitLimit") - committed());
    /* fork charges the child's copy of every charged VMA: 40 MiB here */
    long big = map(0, 40 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    show_ok("mmap 40 MiB", big);
    fflush(stdout);
    long pid = sys0(SYS_fork);
    if (pid == 0)
        sys1(SYS_exit, 0);
    show("fork with 40 MiB charged", pid < 0 ? pid : 0);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    sys2(SYS_munmap, big, 40 * MIB);
    /* Linux 6.1 is 4 kB short here after the failed fork (not understood yet): a relation */
    printf("CommitLimit - Committed_AS back to 64 MiB, within a page: %d\n",
           meminfo("CommitLimit") - committed() >= 65532);
    /* the admin reserve: a user without CAP_SYS_ADMIN gets less */
    pipe(pfd);
    pid = fork();
    if (pid == 0)
        _exit(strict_child());
    c = committed();
    write_vm_long("overcommit_kbytes", c + 64 * 1024);
    long a = map(0, 60 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    show_ok("root: mmap 60 MiB", a);
    sys2(SYS_munmap, a, 60 * MIB);
    write(pfd[1], "g", 1);
    int st;
    waitpid(pid, &st, 0);
    printf("user: 60 MiB refused %d, 40 MiB allowed %d (status %d)\n", (st >> 8) & 1,
           (st >> 9) & 1, st >> 8);
    write_vm("overcommit_memory", "0");
    write_vm("overcommit_ratio", "50");
    write_vm_long("user_reserve_kbytes", user);
}

int main(void)
{
    setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
    test_sysctls();
    test_charges();
    test_merge();
    test_heuristic();
    test_strict();
    printf("overcommit_memory %ld ratio %ld kbytes %ld\n", read_vm("overcommit_memory"),
           read_vm("overcommit_ratio"), read_vm("overcommit_kbytes"));
    return 0;
}
