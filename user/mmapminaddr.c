/* mmapminaddr: vm.mmap_min_addr (/proc/sys/vm/mmap_min_addr), Linux 6.1's rules as root: its
 * value and what writes it takes (one unsigned long, EINVAL otherwise), hints below it raised
 * to it (never below the LSM's floor of 65536, whatever the sysctl says), MAP_FIXED below it
 * allowed to a process with CAP_SYS_RAWIO. Puts the default back at the end. */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define FILE_ "/proc/sys/vm/mmap_min_addr"

static void show_value(void)
{
    char b[64] = { 0 };
    int fd = open(FILE_, O_RDONLY);
    long n = read(fd, b, sizeof(b) - 1);
    close(fd);
    printf("read: %ld [", n);
    print_escaped(b, n > 0 ? n : 0);
    printf("]\n");
}

static void set(const char *s)
{
    int fd = open(FILE_, O_WRONLY);
    long n = sys3(SYS_write, fd, (long)s, (long)strlen(s));
    printf("write [");
    print_escaped(s, (long)strlen(s));
    printf("]: ");
    show("", n);
    close(fd);
}

static void map(const char *what, unsigned long addr, int flags)
{
    long r = sys6(SYS_mmap, (long)addr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1,
                  0);
    if (is_err(r)) {
        show(what, r);
        return;
    }
    printf("%s: %#lx\n", what, r);
    munmap((void *)r, 4096);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    show_value();
    map("hint 0x1000", 0x1000, 0);
    map("hint 0xffff", 0xffff, 0);
    map("MAP_FIXED 0x1000", 0x1000, MAP_FIXED);
    map("MAP_FIXED 0", 0, MAP_FIXED);
    map("MAP_FIXED_NOREPLACE 0xf000", 0xf000, MAP_FIXED_NOREPLACE);
    map("MAP_FIXED 0x10000", 0x10000, MAP_FIXED);
    set("4096");
    show_value();
    map("hint 0x2000 (min 4096)", 0x2000, 0);
    map("MAP_FIXED 0x1000 (min 4096)", 0x1000, MAP_FIXED);
    set("1048576");
    map("hint 0x2000 (min 1 MiB)", 0x2000, 0);
    map("hint 0x80000 (min 1 MiB)", 0x80000, 0);
    map("MAP_FIXED 0x80000 (min 1 MiB)", 0x80000, MAP_FIXED);
    set("-1");
    set("abc");
    set("12x");
    set("");
    set(" 0 \n");
    show_value();
    map("hint 0x2000 (min 0)", 0x2000, 0);
    set("18446744073709551615");
    show_value();
    set("18446744073709551616");
    show_value();
    set("99999999999999999999999");
    set("65536\n");
    show_value();
    int fd = open(FILE_, O_WRONLY);
    show("write at offset 5", sys4(SYS_pwrite64, fd, (long)"123", 3, 5));
    close(fd);
    show_value();
    struct stat_ {
        char b[144];
    } st;
    show("stat", sys2(SYS_stat, (long)FILE_, (long)&st));
    printf("mode %o\n", *(unsigned int *)(st.b + 24) & 07777);
    return 0;
}
