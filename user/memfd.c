/* memfd: memfd_create(2) and file seals (fcntl F_ADD_SEALS / F_GET_SEALS), Linux 6.1's rules
 * (mm/memfd.c, mm/shmem.c): the flags and name checks, the file's name in /proc/self/maps and
 * /proc/self/fd, F_SEAL_SEAL/SHRINK/GROW/WRITE/FUTURE_WRITE and what each refuses (write,
 * pwrite, ftruncate, mmap, mprotect), and EBUSY for F_SEAL_WRITE while a shared mapping exists.
 * Raw system calls throughout; results as numbers or errno names, never addresses. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define P 4096L
#define MFD_CLOEXEC_ 0x1
#define MFD_ALLOW_SEALING_ 0x2
#define MFD_HUGETLB_ 0x4
#define F_ADD_SEALS_ 1033
#define F_GET_SEALS_ 1034
#define SEAL_SEAL 0x1
#define SEAL_SHRINK 0x2
#define SEAL_GROW 0x4
#define SEAL_WRITE 0x8
#define SEAL_FUTURE_WRITE 0x10

static long memfd(const char *name, long flags)
{
    return sys2(SYS_memfd_create, (long)name, flags);
}

static long fcntl3(long fd, long cmd, long arg)
{
    return sys3(SYS_fcntl, fd, cmd, arg);
}

static long map(long prot, long flags, long fd)
{
    long r = sys6(SYS_mmap, 0, 2 * P, prot, flags, fd, 0);
    return is_err(r) ? r : 1;
}

static long last_map;

/* mmap that remembers the address, printing only success or the errno. */
static void show_map(const char *what, long prot, long flags, long fd)
{
    long r = sys6(SYS_mmap, 0, P, prot, flags, fd, 0);
    last_map = is_err(r) ? 0 : r;
    show(what, is_err(r) ? r : 0);
}

/* The /proc/self/maps line of the mapping at addr: perms, offset and name. */
static void show_maps_line(long addr)
{
    char buf[16384], want[32];
    int fd = open("/proc/self/maps", O_RDONLY);
    long n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    snprintf(want, sizeof(want), "%08lx-", addr);
    for (char *line = buf; *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = 0;
        if (!strncmp(line, want, strlen(want))) {
            char perms[8], off[16], dev[16];
            unsigned long ino;
            int used = 0;
            sscanf(line, "%*s %7s %15s %15s %lu %n", perms, off, dev, &ino, &used);
            printf("maps: %s %s [%s]\n", perms, off, line + used);
            return;
        }
        if (!end)
            break;
        line = end + 1;
    }
    printf("maps: no line\n");
}

static void show_link(long fd)
{
    char path[64], target[512];
    snprintf(path, sizeof(path), "/proc/self/fd/%ld", fd);
    long n = sys3(SYS_readlink, (long)path, (long)target, sizeof(target) - 1);
    if (is_err(n)) {
        show("readlink fd", n);
        return;
    }
    target[n] = 0;
    printf("fd link: [%s]\n", target);
}

static void show_size(const char *what, long fd)
{
    struct stat st;
    long r = sys2(SYS_fstat, fd, (long)&st);
    if (is_err(r))
        show(what, r);
    else
        printf("%s: size %ld\n", what, (long)st.st_size);
}

static void creation(void)
{
    char name[300];
    show("unknown flag 0x8", memfd("x", 0x8));
    show("all flags", memfd("x", -1));
    show("flag bit 32 (an unsigned int)", is_err(memfd("x", 1L << 32)) ? -1 : 0);
    show("NULL name", memfd(NULL, 0));
    show("name at 1", memfd((char *)1, 0));
    show("kernel name", memfd((char *)0xffffffff81000000UL, 0));
    memset(name, 'a', sizeof(name));
    name[249] = 0;
    long fd = memfd(name, 0);
    show("249-byte name", is_err(fd) ? fd : 0);
    if (!is_err(fd))
        close(fd);
    name[249] = 'a';
    name[250] = 0;
    show("250-byte name", memfd(name, 0));
    name[299] = 0;
    show("299-byte name", memfd(name, 0));
    /* A name running into an inaccessible page without its NUL. */
    char *two = mmap(NULL, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(two, 'b', P);
    mprotect(two + P, P, PROT_NONE);
    show("name into PROT_NONE", memfd(two + P - 5, 0));
    two[P - 1] = 0;
    fd = memfd(two + P - 5, 0);
    show("name ending at the page end", is_err(fd) ? fd : 0);
    if (!is_err(fd)) {
        show_link(fd);
        close(fd);
    }
    fd = memfd("", 0);
    show("empty name", is_err(fd) ? fd : 0);
    if (!is_err(fd)) {
        show_link(fd);
        close(fd);
    }
    munmap(two, 2 * P);
}

static void basics(void)
{
    struct stat st;
    char buf[8] = { 0 };
    long fd = memfd("basic", MFD_CLOEXEC_);
    show("memfd_create basic CLOEXEC", is_err(fd) ? fd : 0);
    show("F_GETFD", fcntl3(fd, F_GETFD, 0));
    printf("F_GETFL: %#lx\n", fcntl3(fd, F_GETFL, 0));
    sys2(SYS_fstat, fd, (long)&st);
    printf("fstat: mode %o nlink %ld size %ld\n", st.st_mode, (long)st.st_nlink,
           (long)st.st_size);
    show_link(fd);
    show("write", sys3(SYS_write, fd, (long)"hello", 5));
    show("lseek 0", sys3(SYS_lseek, fd, 0, SEEK_SET));
    show("read", sys3(SYS_read, fd, (long)buf, sizeof(buf)));
    printf("read: [%s]\n", buf);
    show("ftruncate 2 pages", sys2(SYS_ftruncate, fd, 2 * P));
    show_map("mmap shared rw", PROT_READ | PROT_WRITE, MAP_SHARED, fd);
    if (last_map) {
        show_maps_line(last_map);
        printf("mapped: [%.5s]\n", (char *)last_map);
        munmap((void *)last_map, P);
    }
    show("F_GET_SEALS without sealing", fcntl3(fd, F_GET_SEALS_, 0));
    show("F_ADD_SEALS without sealing", fcntl3(fd, F_ADD_SEALS_, SEAL_GROW));
    show("F_ADD_SEALS 0 without sealing", fcntl3(fd, F_ADD_SEALS_, 0));
    close(fd);
    fd = memfd("nocloexec", 0);
    show("F_GETFD without MFD_CLOEXEC", fcntl3(fd, F_GETFD, 0));
    close(fd);
}

static void seals(void)
{
    long fd = memfd("sealed", MFD_ALLOW_SEALING_);
    char big[5000];
    memset(big, 'z', sizeof(big));
    show("F_GET_SEALS", fcntl3(fd, F_GET_SEALS_, 0));
    show("F_ADD_SEALS 0x20 (unknown)", fcntl3(fd, F_ADD_SEALS_, 0x20));
    show("F_ADD_SEALS bit 32", fcntl3(fd, F_ADD_SEALS_, 1L << 32));
    show("F_ADD_SEALS 0", fcntl3(fd, F_ADD_SEALS_, 0));
    show("ftruncate 2 pages", sys2(SYS_ftruncate, fd, 2 * P));
    show("F_ADD_SEALS SHRINK", fcntl3(fd, F_ADD_SEALS_, SEAL_SHRINK));
    show("F_GET_SEALS", fcntl3(fd, F_GET_SEALS_, 0));
    show("ftruncate shrink", sys2(SYS_ftruncate, fd, P));
    show("ftruncate same", sys2(SYS_ftruncate, fd, 2 * P));
    show("ftruncate grow", sys2(SYS_ftruncate, fd, 3 * P));
    show("F_ADD_SEALS GROW", fcntl3(fd, F_ADD_SEALS_, SEAL_GROW));
    show("ftruncate grow", sys2(SYS_ftruncate, fd, 4 * P));
    show("ftruncate shrink", sys2(SYS_ftruncate, fd, P));
    show("pwrite at the end", sys4(SYS_pwrite64, fd, (long)"x", 1, 3 * P));
    show("pwrite across the end", sys4(SYS_pwrite64, fd, (long)"xyz", 3, 3 * P - 1));
    show("pwrite 5000 up to past the end", sys4(SYS_pwrite64, fd, (long)big, 5000, 3 * P - 4500));
    show("pwrite inside", sys4(SYS_pwrite64, fd, (long)"abc", 3, 0));
    show("lseek to the end", sys3(SYS_lseek, fd, 0, SEEK_END));
    show("write at the end", sys3(SYS_write, fd, (long)"x", 1));
    show("write 0 bytes at the end", sys3(SYS_write, fd, (long)"x", 0));
    show_size("size", fd);

    show_map("mmap shared rw", PROT_READ | PROT_WRITE, MAP_SHARED, fd);
    show("F_ADD_SEALS WRITE with a shared rw mapping", fcntl3(fd, F_ADD_SEALS_, SEAL_WRITE));
    show("munmap", sys2(SYS_munmap, last_map, P));
    show_map("mmap shared ro", PROT_READ, MAP_SHARED, fd);
    show("F_ADD_SEALS WRITE with a shared ro mapping", fcntl3(fd, F_ADD_SEALS_, SEAL_WRITE));
    show("munmap", sys2(SYS_munmap, last_map, P));
    show_map("mmap private rw", PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
    long priv = last_map;
    show("F_ADD_SEALS WRITE with a private mapping", fcntl3(fd, F_ADD_SEALS_, SEAL_WRITE));
    show("F_GET_SEALS", fcntl3(fd, F_GET_SEALS_, 0));
    ((char *)priv)[0] = 'P';
    printf("private write: [%c]\n", ((char *)priv)[0]);
    show("mprotect private ro", sys3(SYS_mprotect, priv, P, PROT_READ));
    show("mprotect private rw", sys3(SYS_mprotect, priv, P, PROT_READ | PROT_WRITE));
    show("write", sys3(SYS_write, fd, (long)"x", 1));
    show("pwrite", sys4(SYS_pwrite64, fd, (long)"x", 1, 0));
    show("write 0 bytes", sys3(SYS_write, fd, (long)"x", 0));
    show_map("mmap shared rw", PROT_READ | PROT_WRITE, MAP_SHARED, fd);
    show_map("mmap shared ro", PROT_READ, MAP_SHARED, fd);
    if (last_map)
        sys2(SYS_munmap, last_map, P);
    show_map("mmap private rw", PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
    if (last_map)
        sys2(SYS_munmap, last_map, P);
    show("ftruncate same size", sys2(SYS_ftruncate, fd, 3 * P));
    char buf[4] = { 0 };
    show("pread", sys4(SYS_pread64, fd, (long)buf, 3, 0));
    printf("pread: [%s]\n", buf);
    show("F_ADD_SEALS SEAL", fcntl3(fd, F_ADD_SEALS_, SEAL_SEAL));
    show("F_ADD_SEALS 0 after SEAL", fcntl3(fd, F_ADD_SEALS_, 0));
    show("F_ADD_SEALS 0x20 after SEAL", fcntl3(fd, F_ADD_SEALS_, 0x20));
    show("F_GET_SEALS", fcntl3(fd, F_GET_SEALS_, 0));
    sys2(SYS_munmap, priv, P);
    close(fd);
}

static void future_write(void)
{
    long fd = memfd("future", MFD_ALLOW_SEALING_ | MFD_CLOEXEC_);
    show("ftruncate 1 page", sys2(SYS_ftruncate, fd, P));
    show_map("mmap shared rw", PROT_READ | PROT_WRITE, MAP_SHARED, fd);
    char *rw = (char *)last_map;
    show("F_ADD_SEALS FUTURE_WRITE", fcntl3(fd, F_ADD_SEALS_, SEAL_FUTURE_WRITE));
    show("F_GET_SEALS", fcntl3(fd, F_GET_SEALS_, 0));
    rw[0] = 'M';
    char buf[2] = { 0 };
    sys4(SYS_pread64, fd, (long)buf, 1, 0);
    printf("write through the old mapping, pread: [%s]\n", buf);
    show("write", sys3(SYS_write, fd, (long)"x", 1));
    show("pwrite", sys4(SYS_pwrite64, fd, (long)"x", 1, 0));
    show("ftruncate grow", sys2(SYS_ftruncate, fd, 2 * P));
    show("ftruncate shrink", sys2(SYS_ftruncate, fd, P));
    show_map("mmap shared rw", PROT_READ | PROT_WRITE, MAP_SHARED, fd);
    show_map("mmap shared ro", PROT_READ, MAP_SHARED, fd);
    long ro = last_map;
    if (ro) {
        show("mprotect shared ro to rw", sys3(SYS_mprotect, ro, P, PROT_READ | PROT_WRITE));
        show("mprotect shared ro to rx", sys3(SYS_mprotect, ro, P, PROT_READ | PROT_EXEC));
        printf("read through the ro mapping: [%c]\n", ((char *)ro)[0]);
        sys2(SYS_munmap, ro, P);
    }
    show_map("mmap private rw", PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
    if (last_map) {
        ((char *)last_map)[0] = 'Q';
        printf("private copy: [%c]\n", ((char *)last_map)[0]);
        sys2(SYS_munmap, last_map, P);
    }
    show("F_ADD_SEALS WRITE with the old rw mapping", fcntl3(fd, F_ADD_SEALS_, SEAL_WRITE));
    rw[1] = 'N';
    show("munmap the old rw mapping", sys2(SYS_munmap, (long)rw, P));
    show("F_ADD_SEALS WRITE", fcntl3(fd, F_ADD_SEALS_, SEAL_WRITE));
    show("F_GET_SEALS", fcntl3(fd, F_GET_SEALS_, 0));
    close(fd);
}

/* A forked child's shared mapping counts as one too. */
static void fork_mapping(void)
{
    long fd = memfd("forked", MFD_ALLOW_SEALING_);
    sys2(SYS_ftruncate, fd, P);
    show_map("mmap shared rw", PROT_READ | PROT_WRITE, MAP_SHARED, fd);
    long addr = last_map;
    int pipefd[2];
    pipe(pipefd);
    pid_t pid = fork();
    if (pid == 0) {
        close(pipefd[1]);
        char c;
        read(pipefd[0], &c, 1); /* wait until the parent unmapped its own */
        _exit(0);
    }
    close(pipefd[0]);
    show("munmap in the parent", sys2(SYS_munmap, addr, P));
    show("F_ADD_SEALS WRITE while the child maps it", fcntl3(fd, F_ADD_SEALS_, SEAL_WRITE));
    write(pipefd[1], "x", 1);
    int status;
    waitpid(pid, &status, 0);
    show("F_ADD_SEALS WRITE after the child exited", fcntl3(fd, F_ADD_SEALS_, SEAL_WRITE));
    close(pipefd[1]);
    close(fd);
}

/* Files that are not memfds. */
static void others(void)
{
    int p[2];
    pipe(p);
    show("pipe F_GET_SEALS", fcntl3(p[0], F_GET_SEALS_, 0));
    show("pipe F_ADD_SEALS", fcntl3(p[1], F_ADD_SEALS_, SEAL_SEAL));
    close(p[0]);
    close(p[1]);
    int n = open("/dev/null", O_RDWR);
    show("/dev/null F_GET_SEALS", fcntl3(n, F_GET_SEALS_, 0));
    close(n);
    show("bad fd F_GET_SEALS", fcntl3(99, F_GET_SEALS_, 0));
    show("bad fd F_ADD_SEALS", fcntl3(99, F_ADD_SEALS_, 0));
    long fd = memfd("rdonly", MFD_ALLOW_SEALING_);
    n = open("/proc/self/exe", O_RDONLY);
    show("exe F_GET_SEALS", fcntl3(n, F_GET_SEALS_, 0));
    close(n);
    close(fd);
}

/* MFD_HUGETLB: the checks of its flags; Linux has no huge pages reserved here. */
static void hugetlb(void)
{
    show("HUGETLB with 0x8", memfd("h", MFD_HUGETLB_ | 0x8));
    show("HUGETLB with size 13", memfd("h", MFD_HUGETLB_ | (13L << 26)));
    show("size 21 without HUGETLB", memfd("h", 21L << 26));
    long fd = memfd("huge", MFD_HUGETLB_);
    show("HUGETLB", is_err(fd) ? fd : 0);
    if (!is_err(fd)) {
        show_link(fd);
        show("F_GET_SEALS", fcntl3(fd, F_GET_SEALS_, 0));
        show("ftruncate 2 MiB", sys2(SYS_ftruncate, fd, 2L << 20));
        show("write", sys3(SYS_write, fd, (long)"x", 1));
        show("mmap 2 MiB", map(PROT_READ | PROT_WRITE, MAP_SHARED, fd));
        close(fd);
    }
    fd = memfd("huge2m", MFD_HUGETLB_ | (21L << 26) | MFD_ALLOW_SEALING_);
    show("HUGETLB 2 MiB sealing", is_err(fd) ? fd : 0);
    if (!is_err(fd)) {
        show("F_GET_SEALS", fcntl3(fd, F_GET_SEALS_, 0));
        show("ftruncate 4096", sys2(SYS_ftruncate, fd, 4096));
        show("F_ADD_SEALS GROW", fcntl3(fd, F_ADD_SEALS_, SEAL_GROW));
        show("ftruncate 4096 (unaligned and growing)", sys2(SYS_ftruncate, fd, 4096));
        show("ftruncate 2 MiB (growing)", sys2(SYS_ftruncate, fd, 2L << 20));
        show("ftruncate 0", sys2(SYS_ftruncate, fd, 0));
        close(fd);
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    ensure_tmp();
    creation();
    basics();
    seals();
    future_write();
    fork_mapping();
    others();
    hugetlb();
    long fd = memfd("tmpfile", 0);
    int t = open("/tmp/memfd-plain", O_CREAT | O_RDWR, 0600);
    show("/tmp file F_GET_SEALS", fcntl3(t, F_GET_SEALS_, 0));
    show("/tmp file F_ADD_SEALS", fcntl3(t, F_ADD_SEALS_, SEAL_GROW));
    close(t);
    close(fd);
    return 0;
}
