/* shm: System V shared memory (shmget, shmat, shmdt, shmctl) with Linux 6.1's rules
 * (ipc/shm.c, ipc/util.c): each call's errors in order, the segment's fields through IPC_STAT,
 * IPC_SET, IPC_INFO, SHM_INFO, SHM_STAT(_ANY), SHM_LOCK/UNLOCK, IPC_RMID while attached, attaches
 * in /proc/self/maps (perms, offset, inode == shmid, /SYSVkkkkkkkk (deleted)), shmdt's walk over
 * fragments, nattch through fork, exec and exit, permissions for another user, the sysctls
 * kernel.shm* and /proc/sysvipc/shm. Raw system calls; ids, pids and times only as relations. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "common.h"

#define P 4096L
#define IPC_PRIVATE_ 0
#define IPC_CREAT_ 01000
#define IPC_EXCL_ 02000
#define IPC_RMID_ 0
#define IPC_SET_ 1
#define IPC_STAT_ 2
#define IPC_INFO_ 3
#define SHM_HUGETLB_ 04000
#define SHM_NORESERVE_ 010000
#define SHM_RDONLY_ 010000
#define SHM_RND_ 020000
#define SHM_REMAP_ 040000
#define SHM_EXEC_ 0100000
#define SHM_LOCK_ 11
#define SHM_UNLOCK_ 12
#define SHM_STAT_ 13
#define SHM_INFO_ 14
#define SHM_STAT_ANY_ 15
#define KEY 0x5ea1f00d
#define MREMAP_MAYMOVE_ 1
#define MREMAP_FIXED_ 2
#define RLIMIT_MEMLOCK_ 8

struct perm64 {
    int key;
    unsigned uid, gid, cuid, cgid, mode;
    unsigned short seq, pad;
    unsigned long u1, u2;
};
struct shmid64 {
    struct perm64 perm;
    unsigned long segsz;
    long atime, dtime, ctime;
    int cpid, lpid;
    unsigned long nattch, u4, u5;
};
struct shminfo64 {
    unsigned long shmmax, shmmin, shmmni, shmseg, shmall, u[4];
};
struct raw_shm_info {
    int used_ids;
    unsigned long shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};

static long shmget_(long key, long size, long flg)
{
    return sys3(SYS_shmget, key, size, flg);
}
static long shmat_(long id, long addr, long flg)
{
    return sys3(SYS_shmat, id, addr, flg);
}
static long shmdt_(long addr)
{
    return sys1(SYS_shmdt, addr);
}
static long shmctl_(long id, long cmd, void *buf)
{
    return sys3(SYS_shmctl, id, cmd, (long)buf);
}

static long base; /* a free, fixed place for attaches at an address */

/* IPC_STAT's nattch, or the errno. */
static long nattch(long id)
{
    struct shmid64 ds;
    long r = shmctl_(id, IPC_STAT_, &ds);
    return is_err(r) ? r : (long)ds.nattch;
}

/* The segment's IPC_STAT, fields as values or relations. */
static void show_stat(const char *what, long id)
{
    struct shmid64 ds;
    memset(&ds, 0x5c, sizeof(ds));
    long r = shmctl_(id, IPC_STAT_, &ds);
    if (is_err(r)) {
        show(what, r);
        return;
    }
    printf("%s: key %#x mode %#o seq-ok %d uid %u gid %u cuid %u cgid %u segsz %lu nattch %lu "
           "cpid-self %d lpid %s atime %s dtime %s ctime-set %d unused %lu %lu %lu %lu pad %u\n",
           what, (unsigned)ds.perm.key, ds.perm.mode, ds.perm.seq == (unsigned)(id >> 15),
           ds.perm.uid, ds.perm.gid, ds.perm.cuid, ds.perm.cgid, ds.segsz, ds.nattch,
           ds.cpid == getpid(), ds.lpid == 0 ? "0" : ds.lpid == getpid() ? "self" : "other",
           ds.atime == 0 ? "0" : ds.atime >= ds.ctime ? ">=ctime" : "<ctime",
           ds.dtime == 0 ? "0" : ds.dtime >= ds.ctime ? ">=ctime" : "<ctime", ds.ctime > 0,
           ds.perm.u1, ds.perm.u2, ds.u4, ds.u5, ds.perm.pad);
}

/* The /proc/self/maps line of the mapping at addr: range from base, perms, offset, dev, whether
 * the inode is id, the name. */
static void show_maps_at(const char *what, long addr, long id)
{
    char buf[32768];
    int fd = open("/proc/self/maps", O_RDONLY);
    long n = 0, r;
    while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
        n += r;
    close(fd);
    buf[n] = 0;
    for (char *line = buf; *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        unsigned long s, e, off, ino;
        char perms[8], dev[16];
        int used = 0;
        if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %n", &s, &e, perms, &off, dev, &ino, &used) >= 6 &&
            (long)s == addr) {
            printf("%s: pages %ld perms %s off %lx dev %s ino-is-id %d name [%s]\n", what,
                   (long)(e - s) / P, perms, off, dev, (long)ino == id, line + used);
            return;
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    printf("%s: no mapping\n", what);
}

/* Number of /proc/self/maps lines naming a SysV segment. */
static int sysv_lines(void)
{
    char buf[32768];
    int fd = open("/proc/self/maps", O_RDONLY), count = 0;
    long n = 0, r;
    while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
        n += r;
    close(fd);
    buf[n] = 0;
    for (char *p = buf; (p = strstr(p, "/SYSV")); p++)
        count++;
    return count;
}

static unsigned long read_sysctl(const char *name)
{
    char path[64], buf[64];
    snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    long n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    return strtoul(buf, NULL, 10);
}

static long write_sysctl(const char *name, const char *val)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -errno;
    long r = write(fd, val, strlen(val));
    close(fd);
    return r < 0 ? -errno : r;
}

static void test_shmget(void)
{
    printf("-- shmget\n");
    show("size 0", shmget_(IPC_PRIVATE_, 0, 0600));
    show("missing key", shmget_(KEY, P, 0600));
    long id = shmget_(KEY, 2 * P, IPC_CREAT_ | 0600);
    show_ok("create key", id);
    show("same key == id", shmget_(KEY, P, 0600) == id);
    show("same key size 0 == id", shmget_(KEY, 0, 0) == id);
    show("same key CREAT == id", shmget_(KEY, 2 * P, IPC_CREAT_ | 0600) == id);
    show("same key CREAT|EXCL", shmget_(KEY, P, IPC_CREAT_ | IPC_EXCL_ | 0600));
    show("same key larger", shmget_(KEY, 2 * P + 1, 0600));
    show("larger and CREAT|EXCL", shmget_(KEY, 3 * P, IPC_CREAT_ | IPC_EXCL_));
    show("above shmmax", shmget_(IPC_PRIVATE_, -1L, 0600));
    show("size 2^63", shmget_(IPC_PRIVATE_, 1L << 63, 0600));
    show("size 2^62 (more than RAM)", shmget_(IPC_PRIVATE_, 1L << 62, 0600));
    show("SHM_HUGETLB", shmget_(IPC_PRIVATE_, 2L << 20, SHM_HUGETLB_ | 0600));
    show("SHM_HUGETLB 64KB", shmget_(IPC_PRIVATE_, 2L << 20, SHM_HUGETLB_ | (16 << 26) | 0600));
    long nr = shmget_(IPC_PRIVATE_, 100, SHM_NORESERVE_ | 0600);
    show_ok("SHM_NORESERVE", nr);
    show("rmid", shmctl_(nr, IPC_RMID_, NULL));
    long p1 = shmget_(IPC_PRIVATE_, 100, 0600), p2 = shmget_(IPC_PRIVATE_, 100, 0600);
    show("two IPC_PRIVATE differ", p1 != p2 && !is_err(p1) && !is_err(p2));
    show("next index", (p2 & 0x7fff) == (p1 & 0x7fff) + 1);
    show_stat("stat 100 bytes", p1);
    shmctl_(p1, IPC_RMID_, NULL);
    shmctl_(p2, IPC_RMID_, NULL);
    show("stat removed", shmctl_(p1, IPC_STAT_, &(struct shmid64){ 0 }));
    show("rmid removed", shmctl_(p1, IPC_RMID_, NULL));
    show_stat("stat", id);
    show("rmid", shmctl_(id, IPC_RMID_, NULL));
    show("key after rmid", shmget_(KEY, P, 0600));
}

static void test_sysctls(void)
{
    printf("-- sysctls\n");
    printf("shmmax %lu shmall %lu shmmni %lu shm_rmid_forced %lu\n", read_sysctl("shmmax"),
           read_sysctl("shmall"), read_sysctl("shmmni"), read_sysctl("shm_rmid_forced"));
    show("shmmax 8192", write_sysctl("shmmax", "8192\n"));
    show("8192 bytes", shmget_(IPC_PRIVATE_, 8192, 0600) >= 0);
    show("8193 bytes", shmget_(IPC_PRIVATE_, 8193, 0600));
    show("shmmax -1 (skipped)", write_sysctl("shmmax", "-1"));
    printf("shmmax %lu\n", read_sysctl("shmmax"));
    show("shmmax junk", write_sysctl("shmmax", "12x"));
    write_sysctl("shmmax", "18446744073692774399");
    printf("shmmax back %lu\n", read_sysctl("shmmax"));
    /* shmall counts pages of all segments: the one above holds 2 */
    show("shmall 3", write_sysctl("shmall", "3"));
    show("1 more page", shmget_(IPC_PRIVATE_, P, 0600) >= 0);
    show("2 more pages", shmget_(IPC_PRIVATE_, 2 * P, 0600));
    write_sysctl("shmall", "18446744073692774399");
    show("shmmni 32769", write_sysctl("shmmni", "32769"));
    show("shmmni -1", write_sysctl("shmmni", "-1"));
    struct raw_shm_info si;
    long maxidx = shmctl_(0, SHM_INFO_, &si);
    char buf[16];
    snprintf(buf, sizeof(buf), "%d", si.used_ids);
    show("shmmni = in use", write_sysctl("shmmni", buf));
    show("one more", shmget_(IPC_PRIVATE_, P, 0600));
    show("key one more", shmget_(KEY, P, IPC_CREAT_ | 0600));
    write_sysctl("shmmni", "4096");
    show("SHM_INFO ok", maxidx >= 0);
    /* remove what this test made: every segment by SHM_STAT's index walk */
    for (long i = 0; i <= maxidx; i++) {
        struct shmid64 ds;
        long sid = shmctl_(i, SHM_STAT_, &ds);
        if (!is_err(sid))
            shmctl_(sid, IPC_RMID_, NULL);
    }
    show("SHM_INFO after", shmctl_(0, SHM_INFO_, &si));
    printf("used_ids %d shm_tot %lu\n", si.used_ids, si.shm_tot);
}

static void test_shmat(void)
{
    printf("-- shmat\n");
    long id = shmget_(KEY, 3 * P, IPC_CREAT_ | 0600);
    long a = shmat_(id, 0, 0);
    show_ok("attach", a);
    show_maps_at("maps", a, id);
    show_stat("stat attached", id);
    show("zero filled", ((char *)a)[3 * P - 1] == 0);
    ((char *)a)[5] = 42;
    long b = shmat_(id, 0, SHM_RDONLY_);
    show_maps_at("maps rdonly", b, id);
    show("rdonly sees write", ((char *)b)[5]);
    show("mprotect rdonly write", sys3(SYS_mprotect, b, P, PROT_READ | PROT_WRITE));
    show("nattch 2", nattch(id));
    long c = shmat_(id, 0, SHM_EXEC_);
    show_maps_at("maps exec", c, id);
    show("shmdt exec", shmdt_(c));
    show("bad id", shmat_(id + 1, 0, 0));
    show("negative id", shmat_(-1, 0, 0));
    show("id of other seq", shmat_(id + 32768, 0, 0));
    show("unaligned", shmat_(id, base + 100, 0));
    show("SHM_REMAP without addr", shmat_(id, 0, SHM_REMAP_));
    long r = shmat_(id, base + 100, SHM_RND_);
    show("SHM_RND rounds down", r == base);
    show("over an attach", shmat_(id, base + P, 0));
    show("over a mapping end", shmat_(id, base - P, 0));
    long m = sys6(SYS_mmap, base + 8 * P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    show("SHM_REMAP over a mapping", shmat_(id, m, SHM_REMAP_) == m);
    show_maps_at("maps remapped", m, id);
    show("SHM_RND below SHMLBA with SHM_REMAP", shmat_(id, 100, SHM_RND_ | SHM_REMAP_));
    show("kernel address", shmat_(id, 0xffff800000000000L, 0));
    show("non-canonical", shmat_(id, 0x800000000000L, 0));
    show("nattch 4", nattch(id));
    show("shmdt unaligned", shmdt_(base + 1));
    show("shmdt second page", shmdt_(base + P));
    show("shmdt", shmdt_(base));
    show("shmdt again", shmdt_(base));
    show("shmdt remapped", shmdt_(m));
    show("shmdt plain mapping", shmdt_(base + 20 * P));
    show("nattch 2", nattch(id));
    /* a split attach: mprotect of the middle page makes three VMAs, three attaches */
    r = shmat_(id, base, 0);
    show("mprotect middle", sys3(SYS_mprotect, base + P, P, PROT_READ));
    show("nattch after split", nattch(id));
    show_maps_at("maps head", base, id);
    show_maps_at("maps middle", base + P, id);
    show_maps_at("maps tail", base + 2 * P, id);
    show("mprotect back", sys3(SYS_mprotect, base + P, P, PROT_READ | PROT_WRITE));
    show("nattch (no merge)", nattch(id));
    show("munmap head", sys2(SYS_munmap, base, P));
    show("nattch", nattch(id));
    show("shmdt after head unmapped", shmdt_(base));
    show("nattch", nattch(id));
    show("sysv lines", sysv_lines());
    /* mremap of an attach: moves, counts stay */
    r = shmat_(id, base, 0);
    long nw = sys6(SYS_mremap, base, 3 * P, 3 * P, MREMAP_MAYMOVE_ | MREMAP_FIXED_, base + 16 * P, 0);
    show("mremap moved", nw == base + 16 * P);
    show("nattch", nattch(id));
    show_maps_at("maps moved", base + 16 * P, id);
    show("shmdt old place", shmdt_(base));
    show("shmdt new place", shmdt_(base + 16 * P));
    show("shmdt a", shmdt_(a));
    show("shmdt b", shmdt_(b));
    show("nattch 0", nattch(id));
    show_stat("stat detached", id);
    shmctl_(id, IPC_RMID_, NULL);
}

static void test_rmid_attached(void)
{
    printf("-- IPC_RMID while attached\n");
    long id = shmget_(KEY, P, IPC_CREAT_ | 0644);
    long a = shmat_(id, 0, 0);
    ((char *)a)[0] = 7;
    show("rmid", shmctl_(id, IPC_RMID_, NULL));
    show_stat("stat", id);
    show_maps_at("maps", a, id);
    show("key gone", shmget_(KEY, P, 0));
    show("new key segment differs", shmget_(KEY, P, IPC_CREAT_ | 0600) != id);
    shmctl_(shmget_(KEY, P, 0), IPC_RMID_, NULL);
    long b = shmat_(id, 0, 0);
    show("attach removed segment", !is_err(b));
    show("sees data", ((char *)b)[0]);
    show("rmid again", shmctl_(id, IPC_RMID_, NULL));
    show("nattch 2", nattch(id));
    show("shmdt", shmdt_(a));
    show("nattch 1", nattch(id));
    show("shmdt last", shmdt_(b));
    show("stat gone", shmctl_(id, IPC_STAT_, &(struct shmid64){ 0 }));
    show("attach gone", shmat_(id, 0, 0));
}

static long fork_id;
static void child_attach_exit(void)
{
    printf("child: nattch %ld\n", nattch(fork_id));
    printf("child: data %d\n", ((char *)base)[1]);
    ((char *)base)[2] = 9;
    long r = shmat_(fork_id, 0, 0);
    printf("child: attach again nattch %ld\n", is_err(r) ? r : nattch(fork_id));
}

static void test_fork_exec(const char *self)
{
    printf("-- fork, exec, exit\n");
    fork_id = shmget_(IPC_PRIVATE_, P, 0600);
    shmat_(fork_id, base, 0);
    ((char *)base)[1] = 5;
    int st = child_status(child_attach_exit);
    printf("child status %d\n", st);
    show("nattch after child exit", nattch(fork_id));
    show("child's write", ((char *)base)[2]);
    show_stat("stat", fork_id);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char idbuf[32];
        snprintf(idbuf, sizeof(idbuf), "%ld", fork_id);
        char *argv[] = { (char *)self, "nattch", idbuf, NULL };
        execv(self, argv);
        _exit(99);
    }
    waitpid(pid, &st, 0);
    printf("exec child status %d\n", st);
    /* a child that removes the segment, then exits: the parent's attach keeps it */
    fflush(stdout);
    pid = fork();
    if (pid == 0)
        _exit(shmctl_(fork_id, IPC_RMID_, NULL) ? 1 : 0);
    waitpid(pid, &st, 0);
    printf("rmid child status %d\n", st);
    show_stat("stat", fork_id);
    show("shmdt", shmdt_(base));
    show("stat gone", shmctl_(fork_id, IPC_STAT_, &(struct shmid64){ 0 }));
}

static void test_shmctl(void)
{
    printf("-- shmctl\n");
    long id = shmget_(KEY, 3 * P + 1, IPC_CREAT_ | 0640);
    struct shmid64 ds;
    show("cmd -1", shmctl_(id, -1, &ds));
    show("id -1", shmctl_(-1, IPC_STAT_, &ds));
    show("cmd 100", shmctl_(id, 100, &ds));
    show("IPC_STAT|IPC_64", shmctl_(id, IPC_STAT_ | 0x100, &ds));
    show("IPC_STAT NULL", shmctl_(id, IPC_STAT_, NULL));
    show("IPC_STAT kernel", shmctl_(id, IPC_STAT_, (void *)0xffff800000000000L));
    show("IPC_SET NULL", shmctl_(id, IPC_SET_, NULL));
    shmctl_(id, IPC_STAT_, &ds);
    ds.perm.mode = 07604;
    ds.perm.uid = 1000;
    ds.perm.gid = 100;
    ds.perm.key = 1;
    ds.segsz = 1;
    show("IPC_SET", shmctl_(id, IPC_SET_, &ds));
    show_stat("after IPC_SET", id);
    ds.perm.uid = -1;
    show("IPC_SET uid -1", shmctl_(id, IPC_SET_, &ds));
    ds.perm.uid = 0;
    ds.perm.gid = -1;
    show("IPC_SET gid -1", shmctl_(id, IPC_SET_, &ds));
    ds.perm.gid = 0;
    ds.perm.mode = 0600;
    shmctl_(id, IPC_SET_, &ds);
    struct shminfo64 info;
    memset(&info, 0x5c, sizeof(info));
    long r = shmctl_(0, IPC_INFO_, &info);
    show("IPC_INFO >= index", r >= (id & 0x7fff));
    printf("shmmax %lu shmmin %lu shmmni %lu shmseg %lu shmall %lu unused %lu %lu %lu %lu\n",
           info.shmmax, info.shmmin, info.shmmni, info.shmseg, info.shmall, info.u[0], info.u[1],
           info.u[2], info.u[3]);
    show("IPC_INFO NULL", shmctl_(0, IPC_INFO_, NULL));
    struct raw_shm_info si, si2;
    memset(&si, 0x5c, sizeof(si));
    r = shmctl_(0, SHM_INFO_, &si);
    show("SHM_INFO >= index", r >= (id & 0x7fff));
    long a = shmat_(id, 0, 0);
    memset((char *)a, 1, 2 * P);
    shmctl_(0, SHM_INFO_, &si2);
    printf("SHM_INFO: used_ids %d rss grew %ld tot %lu swp %lu attempts %lu successes %lu\n",
           si2.used_ids, (long)(si2.shm_rss - si.shm_rss), si2.shm_tot, si2.shm_swp,
           si2.swap_attempts, si2.swap_successes);
    show("SHM_INFO NULL", shmctl_(0, SHM_INFO_, NULL));
    r = shmctl_(id & 0x7fff, SHM_STAT_, &ds);
    show("SHM_STAT index == id", r == id);
    show("SHM_STAT_ANY index == id", shmctl_(id & 0x7fff, SHM_STAT_ANY_, &ds) == id);
    show("SHM_STAT free index", shmctl_(4000, SHM_STAT_, &ds));
    show("SHM_STAT id with seq", shmctl_(id + 32768, SHM_STAT_, &ds) == id);
    show("SHM_LOCK", shmctl_(id, SHM_LOCK_, NULL));
    show_stat("locked", id);
    show("SHM_LOCK again", shmctl_(id, SHM_LOCK_, NULL));
    show("SHM_UNLOCK", shmctl_(id, SHM_UNLOCK_, NULL));
    show("SHM_UNLOCK again", shmctl_(id, SHM_UNLOCK_, NULL));
    show("SHM_LOCK bad id", shmctl_(id + 1, SHM_LOCK_, NULL));
    show_stat("unlocked", id);
    /* /proc/sysvipc/shm: the header and the segment's line without pids and times */
    char buf[8192];
    int fd = open("/proc/sysvipc/shm", O_RDONLY);
    long n = fd < 0 ? -errno : read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = 0;
    printf("sysvipc header [%s]\n", buf);
    for (char *line = nl ? nl + 1 : buf; *line;) {
        char *e = strchr(line, '\n');
        if (e)
            *e = 0;
        int key, sid;
        unsigned mode, cpid, lpid, uid, gid, cuid, cgid;
        unsigned long size, natt, at, dt, ct, rss, swap;
        if (sscanf(line, "%d %d %o %lu %u %u %lu %u %u %u %u %lu %lu %lu %lu %lu", &key, &sid,
                   &mode, &size, &cpid, &lpid, &natt, &uid, &gid, &cuid, &cgid, &at, &dt, &ct,
                   &rss, &swap) == 16 &&
            sid == id)
            printf("sysvipc: key %#x mode %o size %lu cpid-self %d lpid-self %d nattch %lu uid %u "
                   "gid %u cuid %u cgid %u rss %lu swap %lu width %ld\n",
                   key, mode, size, cpid == (unsigned)getpid(), lpid == (unsigned)getpid(), natt,
                   uid, gid, cuid, cgid, rss, swap, (long)strlen(line));
        if (!e)
            break;
        line = e + 1;
    }
    shmdt_(a);
    shmctl_(id, IPC_RMID_, NULL);
}

static long perm_id, perm_id2;
/* As uid 1000 (no capabilities): what the mode bits allow. */
static void as_other_user(void)
{
    if (sys3(SYS_setresgid, 100, 100, 100) || sys3(SYS_setresuid, 1000, 1000, 1000)) {
        printf("setuid failed\n");
        return;
    }
    struct shmid64 ds;
    show("other: get no mode", shmget_(KEY, 0, 0) == perm_id);
    show("other: get read", shmget_(KEY, 0, 0400) == perm_id);
    show("other: get write", shmget_(KEY, 0, 0200));
    show("other: get read exec", shmget_(KEY, 0, 0500));
    show("other: attach", shmat_(perm_id, 0, 0));
    show_ok("other: attach rdonly", shmat_(perm_id, 0, SHM_RDONLY_));
    show("other: attach rdonly exec", shmat_(perm_id, 0, SHM_RDONLY_ | SHM_EXEC_));
    show("other: IPC_STAT", shmctl_(perm_id, IPC_STAT_, &ds));
    show("other: SHM_STAT == id", shmctl_(perm_id & 0x7fff, SHM_STAT_, &ds) == perm_id);
    show("other: SHM_STAT_ANY", shmctl_(perm_id & 0x7fff, SHM_STAT_ANY_, &ds) == perm_id);
    show("other: IPC_SET", shmctl_(perm_id, IPC_SET_, &ds));
    show("other: IPC_RMID", shmctl_(perm_id, IPC_RMID_, NULL));
    show("other: SHM_LOCK", shmctl_(perm_id, SHM_LOCK_, NULL));
    show("other: SHM_UNLOCK", shmctl_(perm_id, SHM_UNLOCK_, NULL));
    show("other: IPC_INFO", shmctl_(0, IPC_INFO_, &(struct shminfo64){ 0 }) >= 0);
    /* perm_id2 belongs to uid 1000 by IPC_SET, mode 0444 */
    show("owner: attach rw", shmat_(perm_id2, 0, 0));
    long a = shmat_(perm_id2, 0, SHM_RDONLY_);
    show_ok("owner: attach rdonly", a);
    show("owner: IPC_STAT", shmctl_(perm_id2, IPC_STAT_, &ds));
    struct rlimit64 {
        unsigned long cur, max;
    } rl = { 0, 0 };
    sys4(SYS_prlimit64, 0, RLIMIT_MEMLOCK_, (long)&rl, 0);
    show("owner: SHM_LOCK rlimit 0", shmctl_(perm_id2, SHM_LOCK_, NULL));
    show("owner: SHM_UNLOCK rlimit 0", shmctl_(perm_id2, SHM_UNLOCK_, NULL));
    show("owner: new segment", shmget_(IPC_PRIVATE_, P, 0600) >= 0);
    show("owner: IPC_SET", shmctl_(perm_id2, IPC_SET_, &ds));
    show("owner: IPC_RMID", shmctl_(perm_id2, IPC_RMID_, NULL));
}

static void test_perms(void)
{
    printf("-- permissions\n");
    perm_id = shmget_(KEY, P, IPC_CREAT_ | 0640);
    perm_id2 = shmget_(IPC_PRIVATE_, 5 * P, 0444);
    struct shmid64 ds;
    shmctl_(perm_id, IPC_STAT_, &ds);
    ds.perm.gid = 100;
    shmctl_(perm_id, IPC_SET_, &ds);
    shmctl_(perm_id2, IPC_STAT_, &ds);
    ds.perm.uid = 1000;
    shmctl_(perm_id2, IPC_SET_, &ds);
    printf("child status %d\n", child_status(as_other_user));
    show_stat("after other", perm_id2);
    show("root: mode 0 attach", shmat_(perm_id2, 0, 0) > 0);
    shmctl_(perm_id, IPC_RMID_, NULL);
    /* the owner's own new segment is there: remove every segment left */
    struct raw_shm_info si;
    long maxidx = shmctl_(0, SHM_INFO_, &si);
    for (long i = 0; i <= maxidx; i++) {
        long sid = shmctl_(i, SHM_STAT_, &ds);
        if (!is_err(sid)) {
            printf("left: uid %u mode %o nattch %lu\n", ds.perm.uid, ds.perm.mode, ds.nattch);
            shmctl_(sid, IPC_RMID_, NULL);
        }
    }
}

static long forced_id;
static void create_and_exit(void)
{
    forced_id = shmget_(IPC_PRIVATE_, P, 0600);
    printf("child: created %d\n", !is_err(forced_id));
    struct shmid64 ds;
    show("child: IPC_STAT", shmctl_(forced_id, IPC_STAT_, &ds));
    fflush(stdout);
    /* tell the parent the id through the exit status: the index only */
    _exit((int)(forced_id & 0x7f));
}

static void test_rmid_forced(void)
{
    printf("-- shm_rmid_forced\n");
    struct raw_shm_info si;
    int st = child_status(create_and_exit);
    shmctl_(0, SHM_INFO_, &si);
    printf("orphan kept: used_ids %d\n", si.used_ids);
    show("shm_rmid_forced 2", write_sysctl("shm_rmid_forced", "2"));
    show("shm_rmid_forced 1", write_sysctl("shm_rmid_forced", "1"));
    shmctl_(0, SHM_INFO_, &si);
    printf("orphan destroyed: used_ids %d\n", si.used_ids);
    st = child_status(create_and_exit);
    shmctl_(0, SHM_INFO_, &si);
    printf("creator exited: used_ids %d\n", si.used_ids);
    long id = shmget_(IPC_PRIVATE_, P, 0600);
    long a = shmat_(id, 0, 0);
    show("attached", nattch(id));
    show("shmdt", shmdt_(a));
    show("destroyed at detach", shmctl_(id, IPC_STAT_, &(struct shmid64){ 0 }));
    write_sysctl("shm_rmid_forced", "0");
    (void)st;
}

/* The C library's wrappers (glibc's shmctl passes no IPC_64 on x86-64, nor does musl's): the
 * same segment through shmget, shmat, shmctl's struct shmid_ds, IPC_INFO's struct shminfo and
 * SHM_INFO's struct shm_info as libc declares them, and shmdt. */
static void test_libc(void)
{
    printf("-- libc wrappers\n");
    int id = shmget(KEY, 5000, IPC_CREAT | 0640);
    printf("shmget: %s\n", id >= 0 ? "ok" : errname(errno));
    char *p = shmat(id, NULL, 0);
    printf("shmat: %s\n", p != (void *)-1 ? "ok" : errname(errno));
    p[4999] = 1;
    struct shmid_ds ds;
    memset(&ds, 0, sizeof(ds));
    int r = shmctl(id, IPC_STAT, &ds);
    printf("IPC_STAT: %d key %#x mode %#o segsz %zu nattch %lu cpid-self %d\n", r,
           (unsigned)ds.shm_perm.__key, (unsigned)ds.shm_perm.mode, (size_t)ds.shm_segsz,
           (unsigned long)ds.shm_nattch, ds.shm_cpid == getpid());
    ds.shm_perm.mode = 0604;
    printf("IPC_SET: %d\n", shmctl(id, IPC_SET, &ds));
    shmctl(id, IPC_STAT, &ds);
    printf("mode %#o\n", (unsigned)ds.shm_perm.mode);
    struct shminfo info;
    r = shmctl(0, IPC_INFO_, (struct shmid_ds *)&info);
    printf("IPC_INFO: %d shmmin %lu shmmni %lu shmseg %lu\n", r >= 0, (unsigned long)info.shmmin,
           (unsigned long)info.shmmni, (unsigned long)info.shmseg);
    struct shm_info si;
    r = shmctl(0, SHM_INFO_, (struct shmid_ds *)&si);
    printf("SHM_INFO: %d used_ids %d tot %lu rss %lu\n", r >= 0, *(int *)&si, /* used_ids: __used_ids in musl */
           (unsigned long)si.shm_tot, (unsigned long)si.shm_rss);
    printf("SHM_STAT == id: %d\n", shmctl(r, SHM_STAT_, &ds) == id);
    r = shmctl(id, 100, &ds);
    printf("bad command: %d %s\n", r, errname(errno));
    printf("shmdt: %d\n", shmdt(p));
    printf("shmdt again: %d %s\n", shmdt(p), errname(errno));
    printf("IPC_RMID: %d\n", shmctl(id, IPC_RMID, NULL));
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "nattch")) {
        printf("exec'd: nattch %ld\n", nattch(atol(argv[2])));
        printf("exec'd: sysv lines %d\n", sysv_lines());
        return 0;
    }
    setvbuf(stdout, NULL, _IOFBF, 0);
    base = sys6(SYS_mmap, 0, 64 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    sys2(SYS_munmap, base, 64 * P);
    base += 16 * P;
    /* a guard below base so that "over a mapping end" has a mapping */
    sys6(SYS_mmap, base - 2 * P, 2 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    test_shmget();
    test_sysctls();
    test_shmat();
    test_rmid_attached();
    test_fork_exec(argv[0]);
    test_shmctl();
    test_perms();
    test_rmid_forced();
    test_libc();
    return 0;
}
