/* procmounts: /proc/mounts is the link "self/mounts", and each process has its own
 * /proc/PID/mounts, as Linux 6.1's proc_root_init and proc_base make them (LTP's cgroup
 * helpers and many programs read /proc/self/mounts).
 *
 * Printed: what lstat and readlink say of /proc/mounts, the content of /proc/mounts,
 * /proc/self/mounts and a child's /proc/PID/mounts (the same lines: the initramfs root and
 * /proc; of each line the device, the mount point, the type and the first option: Linux's rootfs
 * also shows its size, which depends on the RAM), and that root may open it for writing. */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>

/* Prints path's lines (device, mount point, type, first option), or the error, under what. */
static void cat(const char *path, const char *what)
{
    char buf[1024];
    int fd = open(path, O_RDONLY);
    long n = fd < 0 ? -errno : sys3(SYS_read, fd, (long)buf, sizeof buf - 1);
    if (fd >= 0)
        close(fd);
    if (n < 0) {
        show(path, n);
        return;
    }
    buf[n] = '\0';
    printf("%s:\n", what);
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        char dev[64], dir[64], type[64], opts[256];
        if (sscanf(line, "%63s %63s %63s %255s", dev, dir, type, opts) == 4) {
            char *comma = strchr(opts, ',');
            if (comma)
                *comma = '\0';
            printf("  %s %s %s %s\n", dev, dir, type, opts);
        }
    }
}

int main(void)
{
    struct stat st;
    char link[64], path[64];

    show("lstat /proc/mounts", sys2(SYS_lstat, (long)"/proc/mounts", (long)&st));
    printf("  symlink %d mode %o\n", S_ISLNK(st.st_mode), st.st_mode & 07777);
    long n = sys3(SYS_readlink, (long)"/proc/mounts", (long)link, sizeof link - 1);
    if (n >= 0) {
        link[n] = '\0';
        printf("readlink /proc/mounts: %s\n", link);
    }
    show("stat /proc/self/mounts", sys2(SYS_stat, (long)"/proc/self/mounts", (long)&st));
    printf("  regular %d mode %o\n", S_ISREG(st.st_mode), st.st_mode & 07777);
    cat("/proc/mounts", "/proc/mounts");
    cat("/proc/self/mounts", "/proc/self/mounts");
    int p[2];
    if (pipe(p))
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(p[1]);
        read(p[0], &c, 1);
        _exit(0);
    }
    snprintf(path, sizeof path, "/proc/%d/mounts", pid);
    cat(path, "/proc/PID/mounts of a child");
    close(p[1]);
    waitpid(pid, NULL, 0);
    show("open /proc/self/mounts O_WRONLY", sys3(SYS_open, (long)"/proc/self/mounts", O_WRONLY, 0) < 0 ? -errno : 0);
    return 0;
}
