/* mremap_memlock: growing locked memory with mremap past RLIMIT_MEMLOCK. Without CAP_IPC_LOCK
 * (a non-root uid) Linux refuses with EAGAIN (mremap's vma_to_resize), before RLIMIT_AS; root's
 * CAP_IPC_LOCK bypasses the limit. Pages locked elsewhere count against it too. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KB 1024L

static const char *err(long r)
{
    static char buf[32];
    if (r != -1)
        return "ok";
    snprintf(buf, sizeof buf, "%s", strerror(errno));
    return buf;
}

/* The cases, as the caller's credentials allow. */
static void cases(const char *who)
{
    struct rlimit rl = {64 * KB, 64 * KB};
    if (setrlimit(RLIMIT_MEMLOCK, &rl))
        perror("setrlimit");
    char *p = mmap(0, 16 * KB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    printf("%s: mmap 16K MAP_LOCKED: %s\n", who, p == MAP_FAILED ? strerror(errno) : "ok");
    if (p == MAP_FAILED)
        return;
    void *q = mremap(p, 16 * KB, 64 * KB, MREMAP_MAYMOVE);
    printf("%s: mremap 16K -> 64K: %s\n", who, q == MAP_FAILED ? strerror(errno) : "ok");
    if (q != MAP_FAILED)
        p = q;
    long old = q == MAP_FAILED ? 16 * KB : 64 * KB;
    q = mremap(p, old, 128 * KB, MREMAP_MAYMOVE);
    printf("%s: mremap %ldK -> 128K: %s\n", who, old / KB, q == MAP_FAILED ? strerror(errno) : "ok");
    if (q != MAP_FAILED) {
        p = q;
        old = 128 * KB;
    }
    /* another locked mapping uses up the limit: then even a one-page growth is refused */
    char *r = mmap(0, 16 * KB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("%s: mlock of 16K more: %s\n", who, err(mlock(r, 16 * KB)));
    q = mremap(p, old, old + 4 * KB, 0);
    printf("%s: mremap grow in place by 4K: %s\n", who, q == MAP_FAILED ? strerror(errno) : "ok");
    /* an RLIMIT_AS excess is reported after the memlock check */
    struct rlimit as = {1 << 20, 1 << 20};
    long r2 = syscall(SYS_prlimit64, 0, RLIMIT_AS, &as, NULL);
    q = mremap(p, old, 512 * KB, MREMAP_MAYMOVE);
    printf("%s: mremap to 512K, RLIMIT_AS 1M (%s): %s\n", who, err(r2), q == MAP_FAILED ? strerror(errno) : "ok");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t pid = fork();
    if (pid == 0) {
        cases("root");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    pid = fork();
    if (pid == 0) {
        if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
            perror("setresuid");
        cases("uid 1000");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
