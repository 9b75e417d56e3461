/* pkeys: protection keys through the system calls, spec §3 and cases 61-70, 75, 77, 78, 81, 82
 * (the case numbers are printed). What a key does is seen from forked children that read,
 * write or call a page ("r", "w", "x" or "-" for each, like user/mprotect), from read(2) and
 * write(2) on the page (EFAULT when PKRU denies the kernel's access), and from smaps.
 *
 * The output depends on the CPU: with PKU (-cpu max) Linux hands out keys, without it
 * (qemu64) it refuses them in its own way (case 62). So this program has two recordings,
 * tests/user/expected/pkeys.* and tests/user/expected/pkeys.qemu64.*. It reads CPUID's OSPKE
 * bit and prints which kind of CPU it ran on first. */
#include <cpuid.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define P 4096L
#define R PROT_READ
#define W PROT_WRITE
#define X PROT_EXEC
#define PKEY_DISABLE_ACCESS 1
#define PKEY_DISABLE_WRITE 2

static long pkey_alloc(long flags, long rights)
{
    return sys2(SYS_pkey_alloc, flags, rights);
}

static long pkey_free(long key)
{
    return sys1(SYS_pkey_free, key);
}

static long pkey_mprotect(void *a, long len, long prot, long key)
{
    return sys4(SYS_pkey_mprotect, (long)a, len, prot, key);
}

static unsigned rdpkru(void)
{
    unsigned eax, edx;
    __asm__ volatile(".byte 0x0f,0x01,0xee" : "=a"(eax), "=d"(edx) : "c"(0));
    return eax;
}

static void wrpkru(unsigned pkru)
{
    __asm__ volatile(".byte 0x0f,0x01,0xef" ::"a"(pkru), "c"(0), "d"(0) : "memory");
}

static int ospke(void)
{
    unsigned a, b, c, d;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1u << 4));
}

static volatile char *probe_at;

static void do_read(void)
{
    (void)*probe_at;
}

static void do_write(void)
{
    *probe_at = 1;
}

static void do_exec(void)
{
    ((void (*)(void))probe_at)();
}

/* 1 if fn ran to the end in a child, 0 if SIGSEGV killed the child. */
static int try_in_child(void (*fn)(void), void *addr)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        probe_at = addr;
        fn();
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? 1 : WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? 0 : -1;
}

/* "rwx" for what a child may do at p: the page must start with a ret instruction. */
static void show_access(const char *what, void *p)
{
    int r = try_in_child(do_read, p), w = try_in_child(do_write, p), x = try_in_child(do_exec, p);
    printf("%s: %c%c%c\n", what, r == 1 ? 'r' : r ? '?' : '-', w == 1 ? 'w' : w ? '?' : '-',
           x == 1 ? 'x' : x ? '?' : '-');
}

/* A page holding a ret, mapped RWX, then given prot and key. */
static char *code_page(void)
{
    char *p = mmap(NULL, P, R | W | X, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = (char)0xc3;
    return p;
}

/* The ProtectionKey line of p's smaps block, or "none". */
static void smaps_key(const char *what, void *p)
{
    static char buf[1 << 17];
    int fd = open("/proc/self/smaps", O_RDONLY);
    long n = 0, r;
    while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
        n += r;
    close(fd);
    buf[n] = 0;
    char head[32];
    snprintf(head, sizeof(head), "%lx-", (unsigned long)p);
    char *block = strstr(buf, head);
    char *next = block ? strstr(block + 1, "VmFlags:") : NULL;
    char *key = block ? strstr(block, "ProtectionKey:") : NULL;
    if (key && next && key < next)
        printf("%s: %.24s\n", what, key);
    else
        printf("%s: no ProtectionKey line\n", what);
}

/* Case 62 and 81, without PKU. */
static void no_pku(void)
{
    char *m = mmap(NULL, P, R | W, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("#62 pkey_alloc(0, 0)", pkey_alloc(0, 0));
    show("#62 pkey_alloc(0, 0) again", pkey_alloc(0, 0));
    show("#62 pkey_alloc(0, PKEY_DISABLE_WRITE)", pkey_alloc(0, PKEY_DISABLE_WRITE));
    show("#62 pkey_mprotect(m, P, R, 0)", pkey_mprotect(m, P, R, 0));
    show("#81 pkey_mprotect(m, P, R, 1)", pkey_mprotect(m, P, R, 1));
    show("#62 pkey_mprotect(m, P, R, -1)", pkey_mprotect(m, P, R, -1));
    show("#62 pkey_free(0)", pkey_free(0));
    show("#62 pkey_free(1)", pkey_free(1));
    show("#62 pkey_free(-1)", pkey_free(-1));
    char *c = code_page();
    show("mprotect(code, P, X)", sys3(SYS_mprotect, (long)c, P, X));
    show_access("PROT_EXEC page without PKU", c);
    smaps_key("#82 smaps", m);
}

/* Cases 63-68: the allocation map. */
static void allocation(void)
{
    show("#63 pkey_mprotect(unmapped, P, R, 5) (5 not allocated)",
         pkey_mprotect((void *)0x300000000000L, P, R, 5));
    show("#63 pkey_mprotect(unmapped, P, R, -2)", pkey_mprotect((void *)0x300000000000L, P, R, -2));
    char *m = mmap(NULL, P, R | W, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int bad = 0;
    for (int k = 1; k < 16; k++)
        bad += pkey_free(k) != -EINVAL || pkey_free(k) != -EINVAL ||
               pkey_mprotect(m, P, R, k) != -EINVAL;
    printf("#64 unallocated keys 1-15 refused by pkey_free (twice) and pkey_mprotect: %s\n",
           bad ? "no" : "yes");
    show("#65 pkey_mprotect(m, P, R, 16+99)", pkey_mprotect(m, P, R, 16 + 99));
    long keys[16];
    int n = 0;
    long r;
    while ((r = pkey_alloc(0, 0)) > 0 && n < 16)
        keys[n++] = r;
    printf("#66 keys allocated until the map was full: %d, first %ld, last %ld\n", n, keys[0],
           keys[n - 1]);
    show("#66 the next pkey_alloc", r);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        show("#66 child: pkey_alloc (map inherited)", pkey_alloc(0, 0));
        show("#66 child: pkey_free(last)", pkey_free(keys[n - 1]));
        show("#66 child: pkey_alloc", pkey_alloc(0, 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    static const int prots[] = { R, W, X, R | W, R | W | X };
    int ok = 1;
    for (int i = 0; i < 5; i++)
        ok &= pkey_mprotect(m, P, prots[i], 0) == 0;
    printf("#67 all keys taken: pkey_mprotect(.., key 0) with R, W, X, RW, RWX: %s\n",
           ok ? "ok" : "failed");
    int freed = 0;
    for (int i = 0; i < n; i++)
        freed += pkey_free(keys[i]) == 0;
    printf("#66 freed: %d of %d\n", freed, n);
    long k = pkey_alloc(0, 0);
    show("#68 pkey_alloc", k);
    show("#68 pkey_mprotect(m, P, RW, k)", pkey_mprotect(m, P, R | W, k));
    show("#68 pkey_mprotect(m, P, RW, 0)", pkey_mprotect(m, P, R | W, 0));
    show("#68 pkey_mprotect(m, P, RW, k) again", pkey_mprotect(m, P, R | W, k));
    smaps_key("#82 smaps of m", m);
    pkey_free(k);
}

/* Cases 61, 69, 70, 75: rights, PKRU, what user code and the kernel may do. */
static void enforcement(void)
{
    show("#61 pkey_alloc(1, 0)", pkey_alloc(1, 0));
    show("#61 pkey_alloc(0, PKEY_DISABLE_EXECUTE)", pkey_alloc(0, 4));
    printf("PKRU at start: %#x\n", rdpkru());
    long ka = pkey_alloc(0, PKEY_DISABLE_ACCESS), kw = pkey_alloc(0, PKEY_DISABLE_WRITE);
    printf("#69 keys %ld (access disabled) and %ld (write disabled): PKRU %#x\n", ka, kw, rdpkru());
    static const int prots[] = { R, W, R | W, R | W | X };
    static const char *names[] = { "R", "W", "RW", "RWX" };
    for (int i = 0; i < 4; i++) {
        char what[64];
        char *c = code_page();
        pkey_mprotect(c, P, prots[i], ka);
        snprintf(what, sizeof what, "#70 %s page, key %ld (AD)", names[i], ka);
        show_access(what, c);
        pkey_mprotect(c, P, prots[i], kw);
        snprintf(what, sizeof what, "#70 %s page, key %ld (WD)", names[i], kw);
        show_access(what, c);
        pkey_mprotect(c, P, prots[i], 0);
        snprintf(what, sizeof what, "#70 %s page, back to key 0", names[i]);
        show_access(what, c);
        munmap(c, P);
    }
    /* 75: the kernel honours PKRU too: read(2) into, write(2) from the page */
    int pipefd[2];
    pipe(pipefd);
    char *m = mmap(NULL, P, R | W, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 'a';
    pkey_mprotect(m, P, R | W, ka);
    write(pipefd[1], "xyz", 3);
    show("#75 read(pipe, AD page, 1)", sys3(SYS_read, pipefd[0], (long)m, 1));
    show("#75 write(pipe, AD page, 1)", sys3(SYS_write, pipefd[1], (long)m, 1));
    pkey_mprotect(m, P, R | W, kw);
    show("#75 read(pipe, WD page, 2)", sys3(SYS_read, pipefd[0], (long)m, 2));
    show("#75 write(pipe, WD page, 1)", sys3(SYS_write, pipefd[1], (long)m, 1));
    unsigned saved = rdpkru();
    wrpkru(saved & ~(3u << (2 * ka)) & ~(3u << (2 * kw)));
    printf("after WRPKRU opening both keys: PKRU %#x\n", rdpkru());
    show("#75 read(pipe, WD page now open, 2)", sys3(SYS_read, pipefd[0], (long)m, 2));
    printf("  the page holds \"%.2s\"\n", m);
    show_access("page with key WD but PKRU open", m);
    wrpkru(saved);
    show("pkey_free(AD key) while a page still uses it", pkey_free(ka));
    show_access("#70 page whose key was freed (PKRU unchanged)", m);
    pkey_free(kw);
}

/* Cases 77, 78: execute-only memory. */
static void execute_only(void)
{
    char *c = code_page();
    show("#78 mprotect(code, P, PROT_EXEC)", sys3(SYS_mprotect, (long)c, P, X));
    show_access("#78 execute-only page", c);
    smaps_key("#78 smaps", c);
    printf("#78 PKRU after: %#x\n", rdpkru());
    show("#78 pkey_free(the execute-only key, 1)", pkey_free(1));
    show("#78 pkey_mprotect(c, P, R, 1)", pkey_mprotect(c, P, R, 1));
    show("#78 mprotect(code, P, PROT_NONE)", sys3(SYS_mprotect, (long)c, P, PROT_NONE));
    show("#78 mprotect(code, P, R|X)", sys3(SYS_mprotect, (long)c, P, R | X));
    show_access("#78 after PROT_NONE then R|X", c);
    smaps_key("#78 smaps", c);
    char *e = mmap(NULL, P, X, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    smaps_key("mmap(PROT_EXEC) smaps", e);
    show("pkey_alloc after the execute-only key", pkey_alloc(0, 0));
    /* 77: a key's AD never stops instruction fetches (the kselftest's test 11 also drops the
     * page with MADV_DONTNEED first; that needs a file-backed page to come back as code) */
    long k = pkey_alloc(0, PKEY_DISABLE_ACCESS);
    char *d = code_page();
    show("#77 pkey_mprotect(code, P, X, k)", pkey_mprotect(d, P, X, k));
    show_access("#77 X page with an AD key", d);
    smaps_key("#77 smaps", d);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    if (!ospke()) {
        printf("CPU without protection keys (OSPKE 0)\n");
        no_pku();
        return 0;
    }
    printf("CPU with protection keys (OSPKE 1)\n");
    allocation();
    enforcement();
    execute_only();
    return 0;
}
