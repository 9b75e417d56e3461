/* ksmadvise: MADV_MERGEABLE and MADV_UNMERGEABLE as Linux 6.1 built with KSM (Debian's) answers
 * them (LTP's madvise02 expects EINVAL from a kernel without KSM; Linux says 0).
 *
 * VM_MERGEABLE (VmFlags "mg") is set on private memory, anonymous or file-backed, splitting the
 * VMA at the range's edges, and cleared by MADV_UNMERGEABLE, after which the pieces merge again;
 * shared memory keeps its flags (the advice is ignored, 0); the flag survives mprotect and fork;
 * the usual checks still apply (EINVAL for an unaligned start, ENOMEM for a hole, after the
 * mapped part got the flag). Nothing is ever merged without ksmd running, so no page changes. */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "residency.h"

#ifndef MADV_MERGEABLE
#define MADV_MERGEABLE 12
#define MADV_UNMERGEABLE 13
#endif

/* madvise(addr, len, advice) raw, printed. */
static void advise(const char *what, void *addr, long len, int advice)
{
    show(what, sys3(SYS_madvise, (long)addr, len, advice));
}

int main(void)
{
    ensure_tmp();
    char *a = anon(4, PROT_READ | PROT_WRITE, 0);
    memset(a, 1, 4 * PG);
    advise("MERGEABLE pages 1-2", a + PG, 2 * PG, MADV_MERGEABLE);
    show_vmas("private anonymous, pages 1-2 mergeable", a, 4);
    advise("MERGEABLE pages 1-2 again", a + PG, 2 * PG, MADV_MERGEABLE);
    show_vmas("unchanged", a, 4);
    show("mprotect page 1 read-only", sys3(SYS_mprotect, (long)(a + PG), PG, PROT_READ));
    show_vmas("mprotect keeps mg", a, 4);
    show("mprotect page 1 back", sys3(SYS_mprotect, (long)(a + PG), PG, PROT_READ | PROT_WRITE));
    advise("UNMERGEABLE pages 0-3", a, 4 * PG, MADV_UNMERGEABLE);
    show_vmas("unmergeable: one VMA again", a, 4);
    printf("contents kept: %d\n", a[0] == 1 && a[2 * PG] == 1 && a[4 * PG - 1] == 1);

    advise("MERGEABLE pages 0-3", a, 4 * PG, MADV_MERGEABLE);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        show_vmas("forked child", a, 4);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    advise("UNMERGEABLE page 3", a + 3 * PG, PG, MADV_UNMERGEABLE);
    show_vmas("page 3 unmergeable", a, 4);

    char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    advise("MERGEABLE shared anonymous", s, 2 * PG, MADV_MERGEABLE);
    show_vmas("shared anonymous: no mg", s, 2);

    int fd = open("/tmp/ksmadvise", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (ftruncate(fd, 2 * PG))
        printf("ftruncate failed\n");
    char *f = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
    advise("MERGEABLE private file", f, 2 * PG, MADV_MERGEABLE);
    show_vmas("private file: mg", f, 2);
    char *fs = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
    advise("MERGEABLE shared file", fs, 2 * PG, MADV_MERGEABLE);
    show_vmas("shared file: no mg", fs, 2);
    close(fd);
    unlink("/tmp/ksmadvise");

    char *h = anon(3, PROT_READ | PROT_WRITE, 0);
    munmap(h + PG, PG);
    advise("MERGEABLE across a hole", h, 3 * PG, MADV_MERGEABLE);
    show_vmas("both sides got mg", h, 3);
    advise("UNMERGEABLE across a hole", h, 3 * PG, MADV_UNMERGEABLE);
    advise("MERGEABLE unaligned start", a + 1, PG, MADV_MERGEABLE);
    advise("MERGEABLE length 0", a, 0, MADV_MERGEABLE);
    advise("UNMERGEABLE never mergeable", s, PG, MADV_UNMERGEABLE);
    return 0;
}
