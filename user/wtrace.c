/* wtrace: Warden's memory-protection trace as a table (docs/tracing.md).
 *
 *   wtrace                      print (and empty) what /proc/warden/trace holds now
 *   wtrace PROGRAM [ARGS...]    run PROGRAM with every event traced for it, then print its trace
 *   WTRACE_EVENTS=mmap,mprotect wtrace PROGRAM ...   only those events
 *
 * A Warden extension: on Linux /proc/warden does not exist and wtrace says so. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace_table.h"

/* Writes settings to /proc/warden/control; 0 or -1. */
static int control(const char *settings)
{
    int fd = open("/proc/warden/control", O_WRONLY);
    if (fd < 0)
        return -1;
    long r = write(fd, settings, strlen(settings));
    close(fd);
    return r == (long)strlen(settings) ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (access("/proc/warden/trace", R_OK)) {
        fprintf(stderr, "wtrace: no /proc/warden/trace: not running on Warden\n");
        return 1;
    }
    if (argc < 2) {
        print_trace_table(read_file("/proc/warden/trace"), 0, 1);
        return 0;
    }
    const char *events = getenv("WTRACE_EVENTS");
    read_file("/proc/warden/trace"); /* start from an empty trace */
    int go[2];
    pipe(go);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1); /* wait until the parent has set the pid filter */
        execv(argv[1], argv + 1);
        perror("wtrace: exec");
        _exit(127);
    }
    char settings[128];
    snprintf(settings, sizeof settings, "events=%s pid=%d", events ? events : "all", pid);
    if (control(settings))
        fprintf(stderr, "wtrace: cannot write /proc/warden/control\n");
    close(go[1]);
    int status;
    waitpid(pid, &status, 0);
    control("events=none pid=0");
    print_trace_table(read_file("/proc/warden/trace"), 0, 1);
    if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", argv[1], WTERMSIG(status));
    else
        printf("%s: exit %d\n", argv[1], WEXITSTATUS(status));
    return 0;
}
