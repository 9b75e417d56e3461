/* merge: when neighbouring VMAs merge and when they stay apart (spec 2.2, 2.3 and cases 49-56,
 * 58, 60) and mremap, as /proc/self/smaps shows it: every VMA of the program's arena is printed as
 *
 *     +START-+END PERMS [OFFSET] [file|shmem] VmFlags
 *
 * with addresses as offsets from the arena (fixed, MAP_FIXED), so the lines are the same on every
 * kernel. VmFlags show what maps hides but merging depends on: "ac" (VM_ACCOUNT, the commit
 * charge of private writable memory) and "nr" (VM_NORESERVE). The anon_vma (made by the first
 * write to a private page, inherited through fork) is not shown anywhere; only its effect is.
 * Each scenario starts from an empty arena; case numbers are spec §5's. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define ARENA 0x200000000000UL
#define ARENA_END (ARENA + 0x10000000UL)
#define P 4096UL
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static char buf[1 << 17];

/* Reads /proc/self/smaps whole into buf. */
static void read_smaps(void)
{
    long fd = sys2(SYS_open, (long)"/proc/self/smaps", O_RDONLY), len = 0, n;

    while (len < (long)sizeof(buf) - 1 &&
           (n = sys3(SYS_read, fd, (long)(buf + len), (long)sizeof(buf) - 1 - len)) > 0)
        len += n;
    buf[len] = 0;
    sys1(SYS_close, fd);
}

/* Prints the arena's VMAs: range, perms, file offset and kind, then the VmFlags of each. */
static void show_arena(const char *what)
{
    int in_arena = 0;

    printf("%s\n", what);
    read_smaps();
    for (char *line = buf, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl)
            break;
        *nl = 0;
        unsigned long start, end, off;
        char perms[5], name[128] = "";
        if (sscanf(line, "%lx-%lx %4s %lx %*s %*s %127[^\n]", &start, &end, perms, &off, name) >= 4) {
            in_arena = start >= ARENA && end <= ARENA_END;
            if (in_arena) {
                const char *kind = !name[0] ? "" : strstr(name, "/dev/zero") ? " shmem" : " file";
                printf("  +%05lx-+%05lx %s", (start - ARENA) / P, (end - ARENA) / P, perms);
                if (name[0] && !strstr(name, "/dev/zero"))
                    printf(" off=%lx", off / P);
                printf("%s", kind);
            }
        } else if (in_arena && !strncmp(line, "VmFlags:", 8)) {
            printf(" [%s]\n", line + 9);
        }
    }
}

static void *map(unsigned long page, unsigned long pages, int prot, int flags)
{
    void *m = mmap((void *)(ARENA + page * P), pages * P, prot, flags, -1, 0);
    if (m == MAP_FAILED)
        printf("mmap failed: %s\n", errname(errno));
    return m;
}

static void prot(unsigned long page, unsigned long pages, int prot)
{
    long r = sys3(SYS_mprotect, (long)(ARENA + page * P), (long)(pages * P), prot);
    if (r)
        show("  mprotect", r);
}

static void touch(unsigned long page)
{
    *(volatile char *)(ARENA + page * P) = 1;
}

static void peek(unsigned long page)
{
    (void)*(volatile char *)(ARENA + page * P);
}

static void reset(void)
{
    munmap((void *)ARENA, ARENA_END - ARENA);
}

/* Cases 49, 50 and 18, and MAP_FIXED over the middle of a VMA. */
static void anon_basics(void)
{
    reset();
    map(0, 1, RW, ANON);
    map(1, 1, RW, ANON);
    show_arena("case 49: two adjacent anon RW mmaps");
    map(2, 1, PROT_READ, ANON);
    show_arena("an adjacent read-only mmap (no VM_ACCOUNT, other prot)");
    reset();
    map(0, 2, RW, ANON);
    prot(1, 1, PROT_READ);
    show_arena("case 50: 2-page RW, page 1 made RO");
    prot(1, 1, RW);
    show_arena("case 50: page 1 back to RW");
    reset();
    map(0, 3, RW, ANON);
    prot(1, 1, RW);
    show_arena("case 18: no-op mprotect of the middle page (no split)");
    reset();
    map(0, 4, RW, ANON);
    touch(0);
    touch(3);
    map(1, 2, RW, ANON);
    show_arena("MAP_FIXED over the middle of a written 4-page VMA");
    reset();
    map(0, 3, PROT_READ, ANON);
    prot(0, 3, RW);
    show_arena("RO anon made RW (gains VM_ACCOUNT)");
    map(3, 1, RW, ANON);
    show_arena("and a fresh RW page after it");
    reset();
    map(0, 3, RW, ANON);
    prot(0, 1, PROT_NONE);
    prot(2, 1, PROT_NONE);
    show_arena("3 pages, first and last PROT_NONE");
    prot(1, 1, PROT_NONE);
    show_arena("then the middle too (3-way merge)");
}

/* Case 51: VM_ACCOUNT and the anon_vma keep look-alike VMAs apart. */
static void accounting(void)
{
    reset();
    map(0, 1, RW, ANON);
    touch(0);
    prot(0, 1, PROT_READ);
    map(1, 1, PROT_READ, ANON);
    show_arena("case 51: written RW page made RO, fresh RO page after it");
    reset();
    map(0, 1, RW, ANON);
    prot(0, 1, PROT_READ);
    map(1, 1, PROT_READ, ANON);
    show_arena("case 51: untouched RW page made RO, fresh RO page after it");
    for (int noreserve = 0; noreserve <= 1; noreserve++) {
        int flags = ANON | (noreserve ? MAP_NORESERVE : 0);
        const char *nr = noreserve ? " (MAP_NORESERVE)" : "";
        printf("-- case 52%s\n", nr);
        reset();
        map(0, 10, RW, flags);
        prot(0, 5, PROT_READ);
        touch(5);
        prot(5, 5, PROT_READ);
        show_arena("unfaulted_left: first 5 RO, write page 5, last 5 RO");
        reset();
        map(0, 10, RW, flags);
        prot(5, 5, PROT_READ);
        touch(0);
        prot(0, 5, PROT_READ);
        show_arena("unfaulted_right: last 5 RO, write page 0, first 5 RO");
        reset();
        map(0, 15, RW, flags);
        prot(0, 5, PROT_READ);
        prot(10, 5, PROT_READ);
        touch(5);
        prot(5, 5, PROT_READ);
        show_arena("unfaulted_both: ends RO, write the middle, middle RO");
        reset();
        map(0, 10, RW, flags);
        touch(0);
        prot(0, 5, PROT_READ);
        prot(5, 5, PROT_READ);
        show_arena("faulted_left_unfaulted_right");
        reset();
        map(0, 10, RW, flags);
        touch(5);
        prot(5, 5, PROT_READ);
        prot(0, 5, PROT_READ);
        show_arena("unfaulted_left_faulted_right");
        reset();
        map(0, 10, RW, flags);
        prot(0, 5, PROT_READ);
        touch(6);
        peek(1);
        show_arena("both halves written after the split (read fault on the RO half)");
        prot(0, 5, RW);
        show_arena("first half back to RW");
    }
    reset();
    map(0, 2, RW, ANON);
    prot(1, 1, PROT_READ);
    touch(0);
    prot(1, 1, RW);
    touch(1);
    show_arena("split, left written, right back to RW and written");
    reset();
    map(0, 2, RW, ANON);
    prot(1, 1, PROT_READ);
    touch(0);
    prot(1, 1, RW);
    show_arena("split, left written, right back to RW unwritten");
}

/* Case 53: VMAs inherited through fork, in the parent and in the child. */
static void forked(void)
{
    for (int written = 0; written <= 1; written++) {
        reset();
        map(0, 5, RW, ANON);
        if (written)
            touch(0);
        printf("-- case 53: fork with the VMA %s\n", written ? "written" : "never written");
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            map(5, 5, RW, ANON);
            show_arena("child: new RW VMA after the inherited one (forked_target_vma)");
            map(10, 5, PROT_NONE, ANON);
            prot(10, 5, RW);
            show_arena("child: new PROT_NONE VMA after that, made RW");
            munmap((void *)(ARENA + 5 * P), 10 * P);
            map(10, 2, RW, ANON);
            touch(10);
            prot(0, 5, PROT_READ);
            prot(0, 5, RW);
            show_arena("child: inherited VMA RO and back (source of a merge)");
            fflush(stdout);
            _exit(0);
        }
        int status;
        waitpid(pid, &status, 0);
        map(5, 5, RW, ANON);
        show_arena("parent: new RW VMA after its own");
    }
}

/* Case 54, 55 and the file rows of 2.3. */
static void files(void)
{
    reset();
    map(0, 1, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
    map(1, 1, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
    show_arena("case 54: two adjacent MAP_SHARED|MAP_ANONYMOUS mmaps");

    ensure_tmp();
    int fd = open("/tmp/merge.data", O_RDWR | O_CREAT | O_TRUNC, 0600);
    static char page[P];
    for (int i = 0; i < 8; i++)
        write(fd, page, P);
    int fd2 = open("/tmp/merge.data", O_RDWR);
    int fd3 = dup(fd);

    reset();
    mmap((void *)ARENA, P, RW, MAP_SHARED | MAP_FIXED, fd, 0);
    mmap((void *)(ARENA + P), P, RW, MAP_SHARED | MAP_FIXED, fd, P);
    mmap((void *)(ARENA + 3 * P), P, RW, MAP_SHARED | MAP_FIXED, fd, 0);
    mmap((void *)(ARENA + 4 * P), P, RW, MAP_SHARED | MAP_FIXED, fd, 2 * P);
    show_arena("case 55: same fd, offsets 0,1 then offsets 0,2");
    reset();
    mmap((void *)ARENA, P, RW, MAP_SHARED | MAP_FIXED, fd, 0);
    mmap((void *)(ARENA + P), P, RW, MAP_SHARED | MAP_FIXED, fd2, P);
    mmap((void *)(ARENA + 3 * P), P, RW, MAP_SHARED | MAP_FIXED, fd, 0);
    mmap((void *)(ARENA + 4 * P), P, RW, MAP_SHARED | MAP_FIXED, fd3, P);
    show_arena("case 55: a second open() at offset 1, then a dup() at offset 1");
    reset();
    mmap((void *)ARENA, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    mmap((void *)(ARENA + P), P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, P);
    show_arena("private file pages at offsets 0,1");
    prot(0, 1, RW);
    show_arena("first made RW (gains VM_ACCOUNT)");
    prot(0, 1, PROT_READ);
    show_arena("and back to RO (keeps it)");
    reset();
    mmap((void *)ARENA, 4 * P, RW, MAP_SHARED | MAP_FIXED, fd, 0);
    prot(1, 2, PROT_READ);
    show_arena("shared file, 4 pages, middle 2 RO");
    prot(1, 2, RW);
    show_arena("middle 2 back to RW");
    munmap((void *)(ARENA + 2 * P), P);
    show_arena("munmap of page 2");
    reset();
    mmap((void *)ARENA, 5 * P, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
    prot(1, 1, PROT_EXEC);
    prot(3, 1, PROT_WRITE);
    prot(1, 4, PROT_READ);
    show_arena("case 22: shared RO file, page 1 X, page 3 W, pages 1-4 R");
    close(fd);
    close(fd2);
    close(fd3);
    unlink("/tmp/merge.data");
}

/* Stack-like VMAs and brk. */
static void growsdown_and_brk(void)
{
    reset();
    map(4, 2, RW, ANON | MAP_GROWSDOWN);
    map(6, 2, RW, ANON);
    map(2, 2, RW, ANON);
    show_arena("MAP_GROWSDOWN between two plain RW VMAs");

    long base = sys1(SYS_brk, 0);
    long start = (base + (long)P - 1) & ~(long)(P - 1);
    sys1(SYS_brk, start + (long)P);
    *(volatile char *)start = 1;
    sys1(SYS_brk, start + 2 * (long)P);
    printf("-- brk: heap VMAs\n");
    read_smaps();
    int heaps = 0;
    for (char *s = buf; (s = strstr(s, "[heap]")); s++)
        heaps++;
    printf("  [heap] lines after growing twice: %d\n", heaps);
    fflush(stdout);
    if (fork() == 0) {
        sys1(SYS_brk, start + 3 * (long)P);
        read_smaps();
        heaps = 0;
        for (char *s = buf; (s = strstr(s, "[heap]")); s++)
            heaps++;
        printf("  child: [heap] lines after growing its inherited heap: %d\n", heaps);
        fflush(stdout);
        _exit(0);
    }
    wait(NULL);
    sys1(SYS_brk, base);
}

/* Case 60 and munmap splits. */
static void unmapping(void)
{
    reset();
    map(0, 4, RW, ANON);
    show("case 60: munmap len 0", sys2(SYS_munmap, (long)ARENA, 0));
    show("case 60: munmap of an unmapped range", sys2(SYS_munmap, (long)(ARENA + 8 * P), P));
    show("munmap misaligned", sys2(SYS_munmap, (long)ARENA + 1, P));
    show("munmap of the middle", sys2(SYS_munmap, (long)(ARENA + P), 2 * P));
    show_arena("4 pages, middle 2 unmapped");
    map(1, 2, RW, ANON);
    show_arena("and mapped again");
}

/* Case 56 and mremap's other merges, moves and errors. */
static long remap(unsigned long page, unsigned long old_pages, unsigned long new_pages, long flags,
                  unsigned long new_page)
{
    return sys6(SYS_mremap, (long)(ARENA + page * P), (long)(old_pages * P), (long)(new_pages * P),
                flags, (long)(ARENA + new_page * P), 0);
}

static void show_remap(const char *what, long r)
{
    if (is_err(r))
        printf("%s: -1 %s\n", what, errname((int)-r));
    else if ((unsigned long)r >= ARENA && (unsigned long)r < ARENA_END)
        printf("%s: at page %lu\n", what, ((unsigned long)r - ARENA) / P);
    else
        printf("%s: outside the arena\n", what);
}

static void remapping(void)
{
    reset();
    map(0, 3, RW, ANON);
    munmap((void *)(ARENA + P), P);
    show_remap("case 56: 3 pages, middle unmapped, first grown to 2 pages", remap(0, 1, 2, 0, 0));
    show_arena("case 56: one VMA again");
    reset();
    map(0, 2, RW, ANON);
    map(10, 2, RW, ANON);
    show_remap("move an unwritten VMA next to another", remap(10, 2, 2, 3, 2));
    show_arena("it merges (its offset follows its new address)");
    reset();
    map(0, 2, RW, ANON);
    map(10, 2, RW, ANON);
    touch(10);
    show_remap("move a written VMA next to another", remap(10, 2, 2, 3, 2));
    show_arena("it stays apart (it keeps its old offset)");
    show_remap("shrink it", remap(2, 2, 1, 0, 0));
    show_remap("grow it back in place", remap(2, 1, 2, 0, 0));
    show_arena("after shrinking and growing");
    map(4, 1, PROT_READ, ANON);
    show_remap("grow into a mapped page without MREMAP_MAYMOVE", remap(2, 2, 3, 0, 0));
    show_remap("grow across two VMAs", remap(0, 4, 5, 1, 0));
    show_remap("unmapped address", remap(7, 1, 1, 0, 0));
    show_remap("unknown flag", remap(0, 1, 1, 8, 0));
    show_remap("MREMAP_FIXED without MREMAP_MAYMOVE", remap(0, 1, 1, 2, 20));
    show_remap("MREMAP_DONTUNMAP resizing", remap(0, 1, 2, 5, 20));
    show_remap("new length 0", remap(0, 1, 0, 0, 0));
    show_remap("old length 0 of a private mapping", remap(0, 0, 1, 1, 0));
    show_remap("MREMAP_FIXED onto itself", remap(0, 2, 2, 3, 1));
    show_remap("MREMAP_FIXED misaligned", sys6(SYS_mremap, (long)ARENA, (long)P, (long)P, 3, (long)ARENA + 1, 0));
    show_remap("MREMAP_DONTUNMAP to page 20", remap(2, 2, 2, 7, 20));
    show_arena("after MREMAP_DONTUNMAP (the old VMA stays)");
    *(volatile char *)(ARENA + 20 * P) = 7;
    printf("old range reads %d, new range %d\n", *(volatile char *)(ARENA + 2 * P), *(volatile char *)(ARENA + 20 * P));
    show_remap("move with MREMAP_FIXED over a mapping", remap(20, 2, 2, 3, 0));
    show_arena("after moving over pages 0-1");
    printf("moved page reads %d\n", *(volatile char *)ARENA);
}

/* Case 21 with maps: READ_IMPLIES_EXEC makes a readable mapping executable (in a child). */
static void read_implies_exec(void)
{
    fflush(stdout);
    if (fork() == 0) {
        sys1(SYS_personality, 0x0400000);
        reset();
        map(0, 1, RW, ANON);
        show_arena("case 21: personality(READ_IMPLIES_EXEC), anon RW mmap");
        prot(0, 1, PROT_READ);
        show_arena("case 21: mprotect(PROT_READ)");
        prot(0, 1, PROT_WRITE);
        show_arena("case 21: mprotect(PROT_WRITE)");
        fflush(stdout);
        _exit(0);
    }
    wait(NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    anon_basics();
    accounting();
    forked();
    files();
    growsdown_and_brk();
    unmapping();
    remapping();
    read_implies_exec();
    reset();
    return 0;
}
