/* proctrunc: truncating a /proc file succeeds and changes nothing, as on Linux 6.1, where
 * proc_setattr (and proc_sys_setattr for /proc/sys) accepts a size change without acting on it.
 *
 * fopen(path, "w") opens with O_TRUNC: LTP's harness sets /proc/self/oom_score_adj that way
 * (tst_enable_oom_protection), and so do programs writing sysctls: O_CREAT finds the existing
 * entry (also one that a /proc/PID directory makes on lookup). Covered: open with O_TRUNC of
 * /proc/self/oom_score_adj, /proc/self/comm and /proc/sys/vm/nr_hugepages, ftruncate and
 * truncate of them to 0 and to a larger size (the size stays 0 and the value stays what it was),
 * and the errors that still apply (a negative length, a descriptor not open for writing). */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>

/* Reads path whole into buf (NUL-terminated, the trailing newline dropped). */
static void read_back(const char *path, char *buf, int size)
{
    int fd = open(path, O_RDONLY);
    long n = fd < 0 ? -errno : sys3(SYS_read, fd, (long)buf, size - 1);
    if (fd >= 0)
        close(fd);
    if (n < 0)
        n = 0;
    buf[n] = '\0';
    if (n > 0 && buf[n - 1] == '\n')
        buf[n - 1] = '\0';
}

/* Sets path to value through fopen("w"), as LTP does, and prints what happened. */
static void fopen_write(const char *path, const char *value)
{
    char buf[64];
    FILE *f = fopen(path, "w");
    printf("fopen(%s, \"w\"): %s\n", path, f ? "ok" : errname(errno));
    if (f) {
        int w = fprintf(f, "%s", value);
        int c = fclose(f);
        printf("  fprintf %d fclose %d\n", w, c);
    }
    read_back(path, buf, sizeof buf);
    printf("  reads \"%s\"\n", buf);
}

/* Opens path with flags | O_TRUNC and tries each kind of truncation on it. */
static void truncations(const char *path)
{
    char before[64], after[64];
    struct stat st;

    read_back(path, before, sizeof before);
    int fd = (int)sys3(SYS_open, (long)path, O_WRONLY | O_TRUNC, 0);
    show("open O_WRONLY|O_TRUNC", fd < 0 ? fd : 0);
    if (fd < 0)
        return;
    show("  ftruncate 0", sys2(SYS_ftruncate, fd, 0));
    show("  ftruncate 4096", sys2(SYS_ftruncate, fd, 4096));
    show("  ftruncate -1", sys2(SYS_ftruncate, fd, -1));
    show("  truncate 0", sys2(SYS_truncate, (long)path, 0));
    show("  truncate 100", sys2(SYS_truncate, (long)path, 100));
    show("  truncate -1", sys2(SYS_truncate, (long)path, -1));
    if (fstat(fd, &st) == 0)
        printf("  st_size %lld\n", (long long)st.st_size);
    close(fd);
    fd = (int)sys3(SYS_open, (long)path, O_RDONLY, 0);
    show("  ftruncate of an O_RDONLY fd", sys2(SYS_ftruncate, fd, 0));
    close(fd);
    fd = (int)sys3(SYS_open, (long)path, O_RDWR | O_TRUNC, 0);
    show("open O_RDWR|O_TRUNC", fd < 0 ? fd : 0);
    if (fd >= 0)
        close(fd);
    read_back(path, after, sizeof after);
    printf("  value %s\n", strcmp(before, after) ? "changed" : "unchanged");
}

int main(void)
{
    fopen_write("/proc/self/oom_score_adj", "-1000");
    truncations("/proc/self/oom_score_adj");
    fopen_write("/proc/self/oom_score_adj", "0");
    truncations("/proc/self/comm");
    fopen_write("/proc/sys/vm/nr_hugepages", "0");
    truncations("/proc/sys/vm/nr_hugepages");
    return 0;
}
