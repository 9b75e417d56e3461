/* longcopy: a read of /dev/zero and a getrandom call of 2 GiB end at a signal with what they
 * wrote so far, a whole number of pages (Linux 6.1's read_iter_zero and get_random_bytes_user,
 * which also give the CPU to other tasks between pages). The 2 GiB buffer is 64 views of one
 * 32 MiB shared mapping (mremap with old_size 0), so it needs no more memory than that.
 * Warden used to make both calls in one go: 2 GiB of RDRAND held the CPU and the kernel lock for
 * minutes under QEMU (no other task ran, SIGKILL waited), a 2 GiB /dev/zero read for seconds.
 * A SIGALRM 20 ms in (ITIMER_REAL) must end each call early. */
#define _GNU_SOURCE
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>

#define VIEW (32L << 20)
#define VIEWS 64
#define TOTAL (VIEW * VIEWS)
#define MAX_RW_COUNT (0x7fffffffL & ~4095L)

static volatile int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void arm(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };

	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void report(const char *what, long r)
{
	printf("%s: ", what);
	if (r < 0)
		printf("-1 %s\n", errname(-r));
	else
		printf("partial %d, whole pages %d, SIGALRM handled %d\n",
		       r > 0 && r < MAX_RW_COUNT, r % 4096 == 0, alarms);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	char *base =
		mmap(NULL, TOTAL, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *v = mmap(base, VIEW, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0);
	if (base == MAP_FAILED || v != base) {
		printf("mmap failed\n");
		return 1;
	}
	for (int i = 1; i < VIEWS; i++)
		if (mremap(base, 0, VIEW, MREMAP_MAYMOVE | MREMAP_FIXED, base + i * VIEW) ==
		    MAP_FAILED) {
			printf("mremap view %d: %s\n", i, errname(errno));
			return 1;
		}
	printf("%d views of %ld MiB\n", VIEWS, VIEW >> 20);
	int fd = open("/dev/zero", O_RDONLY);
	if (fd < 0) { /* run-linux's initramfs has no /dev/zero: make it (1:5) */
		sys3(SYS_mknod, (long)"/dev/zero", S_IFCHR | 0666, (1 << 8) | 5);
		fd = open("/dev/zero", O_RDONLY);
	}

	arm();
	report("read /dev/zero 2 GiB", sys3(SYS_read, fd, (long)base, TOTAL));
	struct iovec iov[2] = { { base, TOTAL / 2 }, { base + TOTAL / 2, TOTAL / 2 } };
	arm();
	report("readv /dev/zero 2 x 1 GiB", sys3(SYS_readv, fd, (long)iov, 2));
	/* GRND_INSECURE: Linux on a CPU without RDRAND (qemu64) may not have its random pool
	 * ready this early, and then getrandom waits for it (EINTR) or says EAGAIN. */
	arm();
	report("getrandom 2 GiB, GRND_INSECURE", sys3(SYS_getrandom, (long)base, TOTAL, 4));
	return 0;
}
