/* Lab 4 (docs/labs.md): W^X and tracing, Warden's own features. The program traces itself
 * (/proc/warden/control: events=all pid=self), then does what a JIT compiler does: writes code
 * into a read-write page and makes it executable. Under wx=warn the kernel allows it and
 * records an alert; under wx=refuse mprotect fails with EACCES, and so do mmap and pkey_mprotect
 * of writable-and-executable memory. At the end it prints its own trace as a table, with
 * addresses as offsets from its arena. Not a Linux program: it checks its own results and exits
 * with the number of surprises (tests/warden/lab_wx.append boots it with wx=warn). */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"
#include "trace_table.h"

#define ARENA 0x200000000000UL
#define P 4096UL

static int surprises;

static long control(const char *settings)
{
    int fd = open("/proc/warden/control", O_WRONLY);
    long r = sys3(SYS_write, fd, (long)settings, (long)strlen(settings));
    close(fd);
    return r;
}

static void expect(const char *what, long got, long want)
{
    printf("%-58s %ld%s\n", what, got, got == want ? "" : "   <-- unexpected");
    surprises += got != want;
}

int main(void)
{
    char settings[64];
    setvbuf(stdout, NULL, _IONBF, 0);
    snprintf(settings, sizeof settings, "events=all pid=%d", getpid());
    control(settings);
    read_file("/proc/warden/trace"); /* empty it */

    printf("-- wx=warn (from the command line): allowed, but the kernel log and trace say so\n");
    unsigned char *code = (unsigned char *)sys6(SYS_mmap, ARENA, P, PROT_READ | PROT_WRITE,
                                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    code[0] = 0xb8, code[1] = 42, code[2] = code[3] = code[4] = 0, code[5] = 0xc3; /* mov $42,%eax; ret */
    expect("mprotect(code, P, PROT_READ|PROT_EXEC)", sys3(SYS_mprotect, (long)code, P, PROT_READ | PROT_EXEC), 0);
    expect("calling the generated code returns", ((int (*)(void))code)(), 42);
    printf("-- wx=refuse\n");
    control("wx=refuse");
    expect("mprotect(code, P, PROT_READ|PROT_WRITE|PROT_EXEC)",
           sys3(SYS_mprotect, (long)code, P, PROT_READ | PROT_WRITE | PROT_EXEC), -EACCES);
    expect("mmap(.., PROT_READ|PROT_WRITE|PROT_EXEC, ..)",
           sys6(SYS_mmap, ARENA + 4 * P, P, PROT_READ | PROT_WRITE | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), -EACCES);
    expect("pkey_mprotect(code, P, PROT_READ|PROT_WRITE|PROT_EXEC, -1)",
           sys4(SYS_pkey_mprotect, (long)code, P, PROT_READ | PROT_WRITE | PROT_EXEC, -1), -EACCES);
    control("wx=off events=none pid=0");
    printf("-- the trace of all this\n");
    print_trace_table(read_file("/proc/warden/trace"), ARENA, 0);
    printf("%d surprise(s)\n", surprises);
    return surprises;
}
