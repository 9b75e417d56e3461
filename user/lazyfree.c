/* lazyfree: what MADV_PAGEOUT keeps of pages MADV_FREE made freeable, after a write, a fork and
 * mprotect. A page written after MADV_FREE must keep its data; a clean one is dropped (reads 0).
 * fork must not clean the parent's written page, nor mprotect forget that a page is freeable. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PS 4096L
#define NPAGES 4

static char *fresh(void)
{
    char *p = mmap(0, NPAGES * PS, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        _exit(1);
    }
    for (int i = 0; i < NPAGES; i++)
        p[i * PS] = 7;
    if (madvise(p, NPAGES * PS, MADV_FREE))
        perror("madvise(MADV_FREE)");
    return p;
}

static void show(const char *what, char *p)
{
    if (madvise(p, NPAGES * PS, MADV_PAGEOUT))
        perror("madvise(MADV_PAGEOUT)");
    printf("%-34s", what);
    for (int i = 0; i < NPAGES; i++)
        printf(" %d", p[i * PS]);
    printf("\n");
    munmap(p, NPAGES * PS);
}

static void fork_and_wait(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
}

int main(void)
{
    char *p = fresh();
    show("free, pageout:", p);

    p = fresh();
    p[0] = 42;
    p[2 * PS] = 43;
    show("free, write 0 2, pageout:", p);

    p = fresh();
    p[0] = 42;
    fork_and_wait();
    show("free, write 0, fork, pageout:", p);

    p = fresh();
    fork_and_wait();
    p[PS] = 44;
    show("free, fork, write 1, pageout:", p);

    p = fresh();
    p[0] = 42;
    mprotect(p, NPAGES * PS, PROT_READ);
    mprotect(p, NPAGES * PS, PROT_READ | PROT_WRITE);
    show("free, write 0, mprotect r, rw:", p);

    p = fresh();
    mprotect(p, NPAGES * PS, PROT_READ);
    show("free, mprotect r, pageout:", p);

    p = fresh();
    mprotect(p, NPAGES * PS, PROT_READ);
    mprotect(p, NPAGES * PS, PROT_READ | PROT_WRITE);
    p[3 * PS] = 45;
    show("free, mprotect r, rw, write 3:", p);
    return 0;
}
