/* ptwalkcheck: /proc/self/ptwalk (a Warden extension, docs/tracing.md): the four-level walk of
 * the program's own code page, of a written data page, of a page with a protection key, and of
 * an address with nothing mapped; a user's process may walk its own pages but sees no physical
 * address (opened without CAP_SYS_ADMIN: they read 0, as pagemap's frame numbers), while a
 * file root opened keeps showing them after root's process became that user. Checks what must
 * be there; exit status = failures. */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common.h"

static int failures;
static char text[4096];

/* The walk of addr, as the file gives it. */
static const char *walk(unsigned long addr)
{
    char a[32];
    int fd = open("/proc/self/ptwalk", O_RDWR);
    snprintf(a, sizeof a, "%#lx\n", addr);
    write(fd, a, strlen(a));
    long n = read(fd, text, sizeof text - 1);
    close(fd);
    text[n > 0 ? n : 0] = 0;
    return text;
}

static void expect(const char *what, int ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    failures += !ok;
}

/* The PTE line of the last walk, or "". */
static const char *pte_line(void)
{
    const char *p = strstr(text, "PTE ");
    return p ? p : "";
}

/* Whether each entry of the last walk that is present reads as address 0. */
static int addresses_hidden(void)
{
    const char *p = text;
    int present = 0;

    while ((p = strstr(p, " -> ")) != NULL) {
        present++;
        if (strncmp(p, " -> 0 ", 6) && strncmp(p, " -> 0\n", 6))
            return 0;
        p += 4;
    }
    return present > 0 && strstr(text, "0x0000000000000") != NULL;
}

/* A walk through fd, opened before. */
static void walk_fd(int fd, unsigned long addr)
{
    char a[32];
    snprintf(a, sizeof a, "%#lx\n", addr);
    write(fd, a, strlen(a));
    long n = pread(fd, text, sizeof text - 1, 0);
    text[n > 0 ? n : 0] = 0;
}

/* In a child: root opens ptwalk, becomes uid 1000 and walks through it and a new open. */
static int user_walks(void)
{
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        int root_fd = open("/proc/self/ptwalk", O_RDWR);
        failures = 0;
        walk((unsigned long)&walk);
        expect("root sees physical addresses", !addresses_hidden());
        sys3(SYS_setresuid, 1000, 1000, 1000);
        prctl(PR_SET_DUMPABLE, 1);
        walk((unsigned long)&walk);
        printf("%s", text);
        expect("a user walks its own code page", strstr(pte_line(), "present user") != NULL);
        expect("a user sees no physical address", addresses_hidden());
        walk_fd(root_fd, (unsigned long)&walk);
        expect("the file root opened still shows them", !addresses_hidden());
        fflush(stdout);
        _exit(failures);
    }
    int st = 0;
    waitpid(c, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

int main(void)
{
    walk((unsigned long)&main);
    printf("%s", text);
    expect("four levels for the code page", strstr(text, "PML4") && strstr(text, "PDPT") &&
                                                strstr(text, "PD ") && strstr(text, "PTE "));
    expect("code: present, user, not writable, executable (no nx)",
           strstr(pte_line(), "present user") && !strstr(pte_line(), "write") &&
               !strstr(pte_line(), " nx"));
    char *d = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    d[0] = 1;
    walk((unsigned long)d);
    printf("%s", text);
    expect("written data: present, write, user, dirty, nx",
           strstr(pte_line(), "present write user") && strstr(pte_line(), "dirty") &&
               strstr(pte_line(), " nx"));
    mprotect(d, 4096, PROT_NONE);
    walk((unsigned long)d);
    expect("PROT_NONE: not present but keeps its frame (protnone)",
           !strstr(pte_line(), "present") && strstr(pte_line(), "protnone"));
    long k = sys2(SYS_pkey_alloc, 0, 0);
    if (k > 0) {
        sys4(SYS_pkey_mprotect, (long)d, 4096, PROT_READ, k);
        walk((unsigned long)d);
        char want[32];
        snprintf(want, sizeof want, "pkey %ld", k);
        expect("a page given a key shows it in the PTE", strstr(pte_line(), want) != NULL);
    } else {
        printf("n/a  pkey in the PTE (this CPU has no protection keys)\n");
    }
    walk(0x100000000000UL);
    printf("%s", text);
    expect("nothing mapped: the walk stops at a missing level", strstr(text, "not present") != NULL);
    walk(0xffff800000000000UL);
    expect("a kernel address is refused", strstr(text, "not a user address") != NULL);
    int fd = open("/proc/self/ptwalk", O_RDWR);
    expect("a bad address is EINVAL", write(fd, "0xzz", 4) == -1 && errno == EINVAL);
    close(fd);
    failures += user_walks();
    printf("%d failure(s)\n", failures);
    return failures;
}
