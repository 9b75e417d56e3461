/* wxcheck: Warden's W^X policy (wx=off|warn|refuse, docs/tracing.md) on mmap, mprotect and
 * pkey_mprotect, the three ways to make memory writable and executable. A Warden extension,
 * so there is no Linux recording: each line checks a result this program can predict. The
 * policy comes from the kernel command line (tests/warden/wxcheck.append: wx=refuse) and is
 * then switched through /proc/warden/control. Exit status = failures. */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define ARENA 0x200000000000UL
#define P 4096UL
#define RW (PROT_READ | PROT_WRITE)
#define RX (PROT_READ | PROT_EXEC)
#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)

static int failures;

static void expect(const char *what, long got, long want)
{
    int ok = got == want;
    printf("%s %s: %ld", ok ? "ok  " : "FAIL", what, got);
    if (!ok)
        printf(" (want %ld)", want);
    printf("\n");
    failures += !ok;
}

static long map(unsigned long page, long prot)
{
    return sys6(SYS_mmap, ARENA + page * P, P, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static long prot(unsigned long page, long prot)
{
    return sys3(SYS_mprotect, ARENA + page * P, P, prot);
}

static long policy(const char *setting)
{
    int fd = open("/proc/warden/control", O_WRONLY);
    long r = sys3(SYS_write, fd, (long)setting, (long)strlen(setting));
    close(fd);
    return r;
}

/* The perms of the page's VMA ("rw-p"), or "none". */
static const char *perms(unsigned long page)
{
    static char buf[1 << 16], out[8];
    int fd = open("/proc/self/maps", O_RDONLY);
    long n = 0, r;
    while ((r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
        n += r;
    close(fd);
    buf[n] = 0;
    for (char *l = buf; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        unsigned long s, e;
        if (sscanf(l, "%lx-%lx %4s", &s, &e, out) == 3 && s <= ARENA + page * P &&
            ARENA + page * P < e)
            return out;
    }
    return "none";
}

static void expect_perms(const char *what, unsigned long page, const char *want)
{
    const char *got = perms(page);
    int ok = !strcmp(got, want);
    printf("%s %s: %s\n", ok ? "ok  " : "FAIL", what, got);
    failures += !ok;
}

int main(void)
{
    printf("-- wx=refuse (from the command line)\n");
    expect("mmap RWX", map(0, RWX), -EACCES);
    expect_perms("  and nothing was mapped", 0, "none");
    expect("mmap RW", map(0, RW), (long)ARENA);
    expect("mmap RWX over it (MAP_FIXED)", map(0, RWX), -EACCES);
    expect_perms("  the RW page is still there", 0, "rw-p");
    expect("mprotect RW -> RWX", prot(0, RWX), -EACCES);
    expect("mprotect RW -> RX (writable becomes executable)", prot(0, RX), -EACCES);
    expect("pkey_mprotect RW -> RWX, key -1", sys4(SYS_pkey_mprotect, ARENA, P, RWX, -1), -EACCES);
    unsigned a, b, c, d;
    __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
    if (c & (1u << 4)) { /* protection keys: no way around the policy through a key */
        long k = sys2(SYS_pkey_alloc, 0, 0);
        expect("pkey_mprotect RW -> RX with an allocated key",
               sys4(SYS_pkey_mprotect, ARENA, P, RX, k), -EACCES);
        expect("pkey_mprotect RW -> RWX with key 0", sys4(SYS_pkey_mprotect, ARENA, P, RWX, 0),
               -EACCES);
        sys1(SYS_pkey_free, k);
    } else {
        printf("n/a  pkey_mprotect with a real key (this CPU has no protection keys)\n");
    }
    expect_perms("  still RW", 0, "rw-p");
    expect("mprotect RW -> R", prot(0, PROT_READ), 0);
    expect("mprotect R -> RX (never writable: allowed)", prot(0, RX), 0);
    expect("mprotect RX -> RWX", prot(0, RWX), -EACCES);
    expect("mmap RX", map(1, RX), (long)(ARENA + P));
    map(2, PROT_READ);
    map(3, RW);
    expect("mprotect [R page][RW page] to RX (refused at the second VMA)",
           sys3(SYS_mprotect, ARENA + 2 * P, 2 * P, RX), -EACCES);
    expect_perms("  the first changed already (per-VMA, as Linux's errors)", 2, "r-xp");
    expect_perms("  the second did not", 3, "rw-p");
    printf("-- wx=warn\n");
    expect("control wx=warn", policy("wx=warn"), 7);
    expect("mmap RWX", map(4, RWX), (long)(ARENA + 4 * P));
    expect("mprotect RW -> RX", (map(5, RW), prot(5, RX)), 0);
    expect_perms("  now", 5, "r-xp");
    printf("-- wx=off\n");
    expect("control wx=off", policy("wx=off"), 6);
    expect("mprotect RX -> RWX", prot(5, RWX), 0);
    expect("control wx=bogus", policy("wx=bogus"), -EINVAL);
    printf("%d failure(s)\n", failures);
    return failures;
}
