/* tracecheck: Warden's memory-protection trace (/proc/warden/trace, docs/tracing.md) checked
 * against what this program does. A Warden extension, so there is no Linux recording: the
 * program knows which calls it made and what they returned, reads the trace back, and checks
 * every record (event, arguments, result, errno, the VMA ranges of a protection change, splits
 * and merges, the fault of a child killed by a protection key). Then it overflows the ring and
 * checks that the drops are counted. One "ok"/"FAIL" line per check; exit status = failures. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define ARENA 0x200000000000UL
#define P 4096UL

static int failures;
static char trace[1 << 17];
static int nlines;
static char *lines[512];

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    failures += !ok;
}

static long control(const char *settings)
{
    int fd = open("/proc/warden/control", O_WRONLY);
    long r = sys3(SYS_write, fd, (long)settings, (long)strlen(settings));
    close(fd);
    return r;
}

/* Reads (and so empties) the trace; splits it into lines. */
static void read_trace(void)
{
    int fd = open("/proc/warden/trace", O_RDONLY);
    long n = 0, r;
    while ((r = read(fd, trace + n, sizeof(trace) - 1 - n)) > 0)
        n += r;
    close(fd);
    trace[n] = 0;
    nlines = 0;
    for (char *s = trace; *s && nlines < 512;) {
        char *nl = strchr(s, '\n');
        if (!nl)
            break;
        *nl = 0;
        lines[nlines++] = s;
        s = nl + 1;
    }
}

/* The line of the n-th record of event ev (0-based), or NULL. */
static char *find(const char *ev, int n)
{
    char key[64];
    snprintf(key, sizeof key, "\"event\":\"%s\"", ev);
    for (int i = 0; i < nlines; i++)
        if (strstr(lines[i], key) && n-- == 0)
            return lines[i];
    return NULL;
}

/* Does line contain text? */
static int has(const char *line, const char *text)
{
    return line && strstr(line, text);
}

static void check_has(const char *line, const char *text, const char *what)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s: %s", what, text);
    check(has(line, text), buf);
    if (line && !has(line, text))
        printf("     record: %s\n", line);
}

int main(void)
{
    char buf[128];
    int pid = getpid();

    snprintf(buf, sizeof buf, "events=all pid=%d console=0", pid);
    check(control(buf) == (long)strlen(buf), "control accepts events=all pid=self");
    check(control("events=bogus") == -EINVAL, "control refuses an unknown event");
    read_trace(); /* start empty */

    /* the script */
    long m = sys6(SYS_mmap, ARENA, 4 * P, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    long r1 = sys3(SYS_mprotect, ARENA + P, P, PROT_READ);       /* splits in three */
    long r2 = sys3(SYS_mprotect, ARENA + 8 * P, P, PROT_READ);   /* nothing mapped: ENOMEM */
    long r3 = sys3(SYS_mprotect, ARENA + P, P, PROT_READ | PROT_WRITE); /* merges back */
    long r4 = sys2(SYS_munmap, ARENA, 4 * P);
    read_trace();
    check(m == (long)ARENA && r1 == 0 && r2 == -ENOMEM && r3 == 0 && r4 == 0,
          "the script's calls returned what Linux returns");

    char *l = find("mmap", 0);
    check_has(l, "\"addr\":\"0x200000000000\",\"len\":16384,\"prot\":\"PROT_READ|PROT_WRITE\"",
              "mmap args");
    check_has(l, "\"flags\":\"MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS\"", "mmap flags");
    check_has(l, "\"ret\":\"0x200000000000\"", "mmap result");
    snprintf(buf, sizeof buf, "\"pid\":%d,\"tid\":%d,\"comm\":\"prog\"", pid, pid);
    check_has(l, buf, "mmap header");
    l = find("mprotect", 0);
    check_has(l, "\"prot\":\"PROT_READ\"},\"ret\":0", "mprotect that splits");
    check_has(l, "\"vmas\":[{\"start\":\"0x200000001000\",\"end\":\"0x200000002000\","
                 "\"old\":\"rw-p\",\"new\":\"r--p\"}]",
              "its VMA range, old and new protection");
    check_has(find("vma_split", 0), "\"start\":\"0x200000000000\",\"end\":\"0x200000004000\","
                                    "\"at\":\"0x200000001000\"",
              "first split");
    check_has(find("vma_split", 1), "\"start\":\"0x200000001000\",\"end\":\"0x200000004000\","
                                    "\"at\":\"0x200000002000\"",
              "second split");
    l = find("mprotect", 1);
    check_has(l, "\"addr\":\"0x200000008000\"", "failing mprotect");
    check_has(l, "\"ret\":-1,\"errno\":\"ENOMEM\"", "failing mprotect's errno");
    check(l && !has(l, "vmas"), "failing mprotect changed no VMA");
    check_has(find("vma_merge", 0), "\"start\":\"0x200000000000\",\"end\":\"0x200000004000\"",
              "mprotect back merges all three");
    check_has(find("munmap", 0), "\"len\":16384},\"ret\":0", "munmap");
    check(!find("vma_split", 2) && !find("mprotect", 3), "nothing more than the script did");

    /* a fault that ends in a signal, in a child (PROT_NONE read: SEGV_ACCERR) */
    control("pid=0");
    sys6(SYS_mmap, ARENA, P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        (void)*(volatile char *)(ARENA + 0x123);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    read_trace();
    l = find("fault", 0);
    snprintf(buf, sizeof buf, "\"pid\":%d", child);
    check_has(l, buf, "fault of the child");
    check_has(l, "\"addr\":\"0x200000000123\"", "fault address");
    check_has(l, "\"signal\":11,\"si_code\":2", "SIGSEGV, SEGV_ACCERR");

    /* a protection-key fault (SEGV_PKUERR with the key), where the CPU has keys */
    unsigned a, b, c, d;
    __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
    if (c & (1u << 4)) {
        long k = sys2(SYS_pkey_alloc, 0, 1 /* PKEY_DISABLE_ACCESS */);
        sys6(SYS_mmap, ARENA + 32 * P, P, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        sys4(SYS_pkey_mprotect, ARENA + 32 * P, P, PROT_READ | PROT_WRITE, k);
        read_trace();
        fflush(stdout);
        child = fork();
        if (child == 0) {
            (void)*(volatile char *)(ARENA + 32 * P + 8);
            _exit(0);
        }
        waitpid(child, &status, 0);
        read_trace();
        l = find("fault", 0);
        snprintf(buf, sizeof buf, "\"si_code\":4,\"pkey\":%ld", k);
        check_has(l, buf, "PKUERR fault with its key");
        sys1(SYS_pkey_free, k);
    } else {
        printf("n/a  PKUERR fault (this CPU has no protection keys)\n");
    }

    /* W^X alert events (policy warn: allowed, recorded) */
    control("wx=warn");
    long wx = sys6(SYS_mmap, ARENA + 16 * P, P, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    control("wx=off");
    read_trace();
    check(wx == (long)(ARENA + 16 * P), "wx=warn allows an RWX mmap");
    check_has(find("wx_alert", 0), "\"call\":\"mmap\",\"addr\":\"0x200000010000\"", "wx alert");

    /* the ring: 512 records; more are dropped and counted */
    control("events=mprotect");
    for (int i = 0; i < 600; i++)
        sys3(SYS_mprotect, ARENA + 16 * P, P, i & 1 ? PROT_READ : PROT_NONE);
    char stat[256] = { 0 };
    int fd = open("/proc/warden/control", O_RDONLY);
    read(fd, stat, sizeof stat - 1);
    close(fd);
    check(strstr(stat, "held=512 dropped=88") != NULL, "600 records into 512: 88 dropped");
    if (!strstr(stat, "held=512 dropped=88"))
        printf("     control: %s", stat);
    read_trace();
    check(nlines == 512, "the trace hands out the 512 it held");
    control("events=none pid=0");
    sys3(SYS_mprotect, ARENA + 16 * P, P, PROT_READ);
    read_trace();
    check(nlines == 0, "events=none records nothing");
    printf("%d failure(s)\n", failures);
    return failures;
}
