/* statfs: statfs(2) and fstatfs(2) as Linux 6.1 answers them for the file systems a program on
 * Warden sees (issue 21 item 3): the initramfs root (tmpfs on Linux), /proc, a pipe and a memfd
 * (shmem), and the errors in Linux's order.
 *
 * Printed for each: f_type (the magic), f_bsize, f_frsize, f_namelen, f_flags, whether f_fsid is
 * zero (a tmpfs's is random on Linux: only whether a memfd's equals the root's) and the spare
 * words; the counts only as properties (f_bfree <= f_blocks, f_bavail == f_bfree, f_ffree
 * <= f_files, whether they are zero), since they depend on the RAM size and on what is stored.
 * Errors: a missing path (ENOENT), a file as a directory (ENOTDIR), a bad path or buffer
 * (EFAULT), a name past NAME_MAX or a path past PATH_MAX (ENAMETOOLONG), a symlink loop (ELOOP),
 * fstatfs of a closed descriptor (EBADF) and of an O_PATH one (allowed). */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/statfs.h>

/* Prints what statfs says about a file system, counts as properties. */
static void print_fs(const char *what, long r, const struct statfs *s)
{
    if (r < 0) {
        show(what, r);
        return;
    }
    printf("%s: type %#lx bsize %ld frsize %ld namelen %ld flags %#lx fsid %s spare %ld%ld%ld%ld\n",
           what, (long)s->f_type, (long)s->f_bsize, (long)s->f_frsize, (long)s->f_namelen,
           (long)s->f_flags, s->f_fsid.__val[0] || s->f_fsid.__val[1] ? "nonzero" : "0",
           (long)s->f_spare[0],
           (long)s->f_spare[1], (long)s->f_spare[2], (long)s->f_spare[3]);
    printf("  blocks %s, bfree<=blocks %d, bavail==bfree %d, files %s, ffree<=files %d\n",
           s->f_blocks ? "nonzero" : "0", s->f_bfree <= s->f_blocks, s->f_bavail == s->f_bfree,
           s->f_files ? "nonzero" : "0", s->f_ffree <= s->f_files);
}

/* statfs of path, printed. */
static void path_fs(const char *path)
{
    struct statfs s;
    char what[96];
    memset(&s, 0x5a, sizeof s);
    snprintf(what, sizeof what, "statfs %s", path);
    print_fs(what, sys2(SYS_statfs, (long)path, (long)&s), &s);
}

/* fstatfs of fd, printed. */
static void fd_fs(const char *what, int fd)
{
    struct statfs s;
    memset(&s, 0x5a, sizeof s);
    print_fs(what, sys2(SYS_fstatfs, fd, (long)&s), &s);
}

int main(void)
{
    struct statfs s;
    int p[2];

    ensure_tmp();
    path_fs("/");
    path_fs("/tmp");
    path_fs("/proc");
    path_fs("/proc/self/status");
    path_fs("/proc/sys/vm");
    path_fs("/dev/null");

    int fd = open("/tmp/statfs.file", O_RDWR | O_CREAT | O_TRUNC, 0644);
    fd_fs("fstatfs regular file", fd);
    close(fd);
    fd = open("/proc/self/maps", O_RDONLY);
    fd_fs("fstatfs /proc/self/maps", fd);
    close(fd);
    if (pipe(p) == 0) {
        fd_fs("fstatfs pipe", p[0]);
        close(p[0]);
        close(p[1]);
    }
    fd = (int)sys2(SYS_memfd_create, (long)"statfs", 0);
    fd_fs("fstatfs memfd", fd);
    struct statfs root, mem;
    sys2(SYS_statfs, (long)"/", (long)&root);
    sys2(SYS_fstatfs, fd, (long)&mem);
    printf("memfd's fsid is the root's: %d\n", !memcmp(&root.f_fsid, &mem.f_fsid, sizeof root.f_fsid));
    close(fd);
    fd = open("/tmp", O_PATH);
    fd_fs("fstatfs O_PATH /tmp", fd);
    close(fd);

    /* The counts of the root change with what is stored: a file of 1 MiB takes 256 blocks. */
    struct statfs before, after;
    sys2(SYS_statfs, (long)"/tmp", (long)&before);
    fd = open("/tmp/statfs.big", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char *buf = calloc(1, 1 << 20);
    memset(buf, 1, 1 << 20);
    if (write(fd, buf, 1 << 20) != 1 << 20)
        printf("write failed\n");
    sys2(SYS_statfs, (long)"/tmp", (long)&after);
    printf("1 MiB written: blocks same %d, bfree fell by at least 256 %d\n",
           before.f_blocks == after.f_blocks, before.f_bfree >= after.f_bfree + 256);
    close(fd);
    unlink("/tmp/statfs.big");
    unlink("/tmp/statfs.file");

    /* errors */
    show("statfs missing", sys2(SYS_statfs, (long)"/tmp/no/such", (long)&s));
    show("statfs missing leaf", sys2(SYS_statfs, (long)"/tmp/nosuch", (long)&s));
    fd = open("/tmp/statfs.f", O_RDWR | O_CREAT, 0644);
    close(fd);
    show("statfs file/x (ENOTDIR)", sys2(SYS_statfs, (long)"/tmp/statfs.f/x", (long)&s));
    show("statfs empty path", sys2(SYS_statfs, (long)"", (long)&s));
    show("statfs bad path", sys2(SYS_statfs, 8, (long)&s));
    show("statfs bad buffer", sys2(SYS_statfs, (long)"/tmp", 8));
    show("statfs NULL buffer", sys2(SYS_statfs, (long)"/tmp", 0));
    char name[300];
    memset(name, 'a', sizeof name - 1);
    name[0] = '/';
    name[sizeof name - 1] = '\0';
    show("statfs name > NAME_MAX", sys2(SYS_statfs, (long)name, (long)&s));
    char *longpath = malloc(5000);
    for (int i = 0; i < 4998; i += 2)
        memcpy(longpath + i, "/.", 2);
    longpath[4998] = '\0';
    show("statfs path > PATH_MAX", sys2(SYS_statfs, (long)longpath, (long)&s));
    symlink("/tmp/statfs.l2", "/tmp/statfs.l1");
    symlink("/tmp/statfs.l1", "/tmp/statfs.l2");
    show("statfs symlink loop", sys2(SYS_statfs, (long)"/tmp/statfs.l1", (long)&s));
    show("fstatfs -1", sys2(SYS_fstatfs, -1, (long)&s));
    show("fstatfs closed fd", sys2(SYS_fstatfs, 99, (long)&s));
    show("fstatfs bad buffer", sys2(SYS_fstatfs, 0, 8));
    unlink("/tmp/statfs.l1");
    unlink("/tmp/statfs.l2");
    unlink("/tmp/statfs.f");
    return 0;
}
