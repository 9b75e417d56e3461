/* fallocate: fallocate(2) on tmpfs files and memfds as Linux 6.1 does it (vfs_fallocate's checks
 * in order, then shmem_fallocate), issue 21 item 4.
 *
 * - allocation: the range gets pages (st_blocks grows, the bytes read zero), the size grows to
 *   its end unless FALLOC_FL_KEEP_SIZE;
 * - FALLOC_FL_PUNCH_HOLE | KEEP_SIZE: whole pages leave the file (st_blocks falls, mincore of a
 *   shared mapping shows them gone), partial pages at the edges are zeroed, the size stays; a
 *   private mapping's copy-on-write copy of a punched page keeps its bytes, its other pages read
 *   the hole;
 * - seals: F_SEAL_GROW refuses growth past the size, F_SEAL_WRITE refuses punching (EPERM);
 * - errors: EINVAL (offset, length, mode combinations), EOPNOTSUPP (modes tmpfs lacks, punching
 *   without KEEP_SIZE, files without fallocate), EBADF (not open for writing, O_PATH), ESPIPE,
 *   ENODEV, EFBIG. */
#define _GNU_SOURCE
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define PG 4096L
#define KEEP 0x01
#define PUNCH 0x02
#define COLLAPSE 0x08
#define ZERO 0x10
#define INSERT 0x20
#define UNSHARE 0x40

static long fa(int fd, int mode, long off, long len)
{
    return sys4(SYS_fallocate, fd, mode, off, len);
}

/* Prints the size and st_blocks of fd. */
static void size_blocks(const char *what, int fd)
{
    struct stat st;
    fstat(fd, &st);
    printf("  %s: size %lld blocks %lld\n", what, (long long)st.st_size, (long long)st.st_blocks);
}

/* Prints which pages of [0, pages) of the file hold only zeroes, as a string of 0/x. */
static void zeroes(const char *what, int fd, int pages)
{
    static char buf[PG];
    char map[64] = "";
    for (int p = 0; p < pages; p++) {
        long n = pread(fd, buf, PG, p * PG);
        int zero = 1, some = 0;
        for (long i = 0; i < n; i++) {
            if (buf[i])
                zero = 0;
            else
                some = 1;
        }
        strcat(map, n <= 0 ? "-" : zero ? "0" : some ? "p" : "x");
    }
    printf("  %s: %s\n", what, map);
}

int main(void)
{
    ensure_tmp();
    int fd = open("/tmp/fa", O_RDWR | O_CREAT | O_TRUNC, 0600);
    show("allocate 0..3 pages", fa(fd, 0, 0, 3 * PG));
    size_blocks("after", fd);
    zeroes("pages", fd, 3);
    show("allocate KEEP_SIZE pages 3..5", fa(fd, KEEP, 3 * PG, 2 * PG));
    size_blocks("after", fd);
    show("allocate 1 byte at 5 pages + 10", fa(fd, 0, 5 * PG + 10, 1));
    size_blocks("after", fd);

    char *data = malloc(6 * PG);
    memset(data, 'a', 6 * PG);
    pwrite(fd, data, 6 * PG, 0);
    show("punch pages 1+100 .. 3+100", fa(fd, PUNCH | KEEP, PG + 100, 2 * PG));
    size_blocks("after", fd);
    zeroes("pages (p: partly zero)", fd, 6);
    show("punch inside page 5", fa(fd, PUNCH | KEEP, 5 * PG + 1, 10));
    zeroes("pages", fd, 6);
    show("punch past the end", fa(fd, PUNCH | KEEP, 100 * PG, PG));
    size_blocks("after", fd);

    /* mappings */
    pwrite(fd, data, 6 * PG, 0);
    char *sh = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *pr = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    sh[0] = 'S';
    pr[PG] = 'P';            /* a private copy of page 1 */
    volatile char c = pr[2 * PG]; /* page 2 mapped from the cache */
    (void)c;
    unsigned char vec[4];
    show("punch pages 1..3", fa(fd, PUNCH | KEEP, PG, 2 * PG));
    mincore(sh, 4 * PG, vec);
    printf("  shared mapping: page 0 %c, page 1 %d, page 2 %d; mincore %d%d%d%d\n", sh[0], sh[PG],
           sh[2 * PG], vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
    printf("  private mapping: page 1 (its copy) %c, page 2 %d, page 3 %c\n", pr[PG], pr[2 * PG],
           pr[3 * PG]);
    munmap(sh, 4 * PG);
    munmap(pr, 4 * PG);

    /* errors, in vfs_fallocate's order */
    show("len 0", fa(fd, 0, 0, 0));
    show("offset -1", fa(fd, 0, -1, PG));
    show("mode 0x80", fa(fd, 0x80, 0, PG));
    show("PUNCH|ZERO|KEEP", fa(fd, PUNCH | ZERO | KEEP, 0, PG));
    show("PUNCH without KEEP_SIZE", fa(fd, PUNCH, 0, PG));
    show("COLLAPSE|KEEP", fa(fd, COLLAPSE | KEEP, 0, PG));
    show("INSERT|KEEP", fa(fd, INSERT | KEEP, 0, PG));
    show("UNSHARE|PUNCH", fa(fd, UNSHARE | PUNCH, 0, PG));
    show("COLLAPSE (tmpfs lacks it)", fa(fd, COLLAPSE, 0, PG));
    show("ZERO_RANGE (tmpfs lacks it)", fa(fd, ZERO, 0, PG));
    show("INSERT (tmpfs lacks it)", fa(fd, INSERT, 0, PG));
    show("UNSHARE (tmpfs lacks it)", fa(fd, UNSHARE, 0, PG));
    show("past the largest offset", fa(fd, 0, 0x7fffffffffffffffL, 1));
    show("fd -1", fa(-1, 0, 0, PG));
    int ro = open("/tmp/fa", O_RDONLY);
    show("O_RDONLY fd", fa(ro, 0, 0, PG));
    show("O_RDONLY fd, len 0 (EINVAL first)", fa(ro, 0, 0, 0));
    close(ro);
    int op = open("/tmp/fa", O_PATH);
    show("O_PATH fd", fa(op, 0, 0, PG));
    close(op);
    int p[2];
    pipe(p);
    show("pipe write end", fa(p[1], 0, 0, PG));
    close(p[0]);
    close(p[1]);
    int dn = open("/dev/null", O_WRONLY);
    show("/dev/null", fa(dn, 0, 0, PG));
    close(dn);
    int px = open("/proc/self/oom_score_adj", O_WRONLY);
    show("/proc/self/oom_score_adj", fa(px, 0, 0, PG));
    show("/proc/self/oom_score_adj past 2 GiB", fa(px, 0, 0x7fffffffL, 1));
    close(px);
    close(fd);
    unlink("/tmp/fa");

    /* seals */
    int m = (int)sys2(SYS_memfd_create, (long)"fa", MFD_ALLOW_SEALING);
    show("memfd allocate 2 pages", fa(m, 0, 0, 2 * PG));
    show("add F_SEAL_GROW", fcntl(m, F_ADD_SEALS, F_SEAL_GROW) < 0 ? -errno : 0);
    show("allocate within the size", fa(m, 0, PG, PG));
    show("allocate past the size", fa(m, 0, PG, 2 * PG));
    show("allocate KEEP_SIZE past the size", fa(m, KEEP, PG, 2 * PG));
    show("punch", fa(m, PUNCH | KEEP, 0, PG));
    show("add F_SEAL_WRITE", fcntl(m, F_ADD_SEALS, F_SEAL_WRITE) < 0 ? -errno : 0);
    show("punch", fa(m, PUNCH | KEEP, 0, PG));
    show("allocate within the size", fa(m, 0, 0, PG));
    size_blocks("memfd", m);
    close(m);
    return 0;
}
