/* meminfocount: the /proc/meminfo counts that follow what the address spaces map and the tasks
 * that exist, each moved by a known amount: AnonPages by touched anonymous memory (a page
 * shared copy-on-write with a child counts once), Mapped by a mapped shared file, Mlocked and
 * Unevictable by mlock, PageTables by page tables in 64 separate 2 MiB regions, KernelStack by
 * ten sleeping children. Other activity moves the numbers by a little, so each delta is printed
 * as "about N kB" when it is within a margin of N. */
#define _GNU_SOURCE
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>

static char text[8192];

/* The value of a /proc/meminfo field, in kB. */
static long field(const char *name)
{
	int fd = open("/proc/meminfo", O_RDONLY);
	long n = read(fd, text, sizeof(text) - 1);
	size_t len = strlen(name);

	close(fd);
	text[n > 0 ? n : 0] = 0;
	for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, name, len) && line[len] == ':')
			return strtol(line + len + 1, NULL, 10);
	return -1;
}

/* Prints whether a delta is within margin kB of want kB. */
static void delta(const char *what, long before, long after, long want, long margin)
{
	long d = after - before;

	if (d >= want - margin && d <= want + margin)
		printf("%s: about %ld kB\n", what, want);
	else
		printf("%s: %ld kB, not about %ld kB\n", what, d, want);
}

static void touch(char *p, long len, long step)
{
	for (long i = 0; i < len; i += step)
		p[i] = 1;
}

static void test_anon(void)
{
	long len = 8 << 20, b = field("AnonPages");
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	delta("AnonPages after mmap, untouched", b, field("AnonPages"), 0, 256);
	touch(p, len, 4096);
	long t = field("AnonPages");
	delta("AnonPages after touching 8 MiB", b, t, 8192, 256);
	int pfd[2];
	pipe(pfd);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		read(pfd[0], &c, 1);
		_exit(0);
	}
	delta("AnonPages with a child sharing it copy-on-write", t, field("AnonPages"), 0, 512);
	write(pfd[1], "x", 1);
	waitpid(pid, NULL, 0);
	char *z = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile long sum = 0;
	for (long i = 0; i < len; i += 4096)
		sum += z[i];
	delta("AnonPages after reading 8 MiB (the zero page)", t, field("AnonPages"), 0, 256);
	munmap(z, len);
	munmap(p, len);
	delta("AnonPages after munmap", b, field("AnonPages"), 0, 256);
}

static void test_mapped(void)
{
	long len = 4 << 20;
	int fd = (int)sys2(SYS_memfd_create, (long)"mapped", 0);

	ftruncate(fd, len);
	long b = field("Mapped"), s = field("Shmem");
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	touch(p, len, 4096);
	delta("Shmem after filling a 4 MiB memfd", s, field("Shmem"), 4096, 256);
	delta("Mapped with it mapped", b, field("Mapped"), 4096, 256);
	char *q = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	touch(q, 0, 1);
	volatile long sum = 0;
	for (long i = 0; i < len; i += 4096)
		sum += q[i];
	delta("Mapped with it mapped twice", b, field("Mapped"), 4096, 256);
	munmap(q, len);
	munmap(p, len);
	delta("Mapped after munmap", b, field("Mapped"), 0, 256);
	close(fd);
	delta("Shmem after close", s, field("Shmem"), 0, 256);
}

static void test_mlock(void)
{
	long len = 2 << 20, b = field("Mlocked"), u = field("Unevictable");
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	show_libc("mlock 2 MiB", mlock(p, len));
	delta("Mlocked", b, field("Mlocked"), 2048, 64);
	delta("Unevictable", u, field("Unevictable"), 2048, 64);
	munlock(p, len / 2);
	delta("Mlocked after munlock of half", b, field("Mlocked"), 1024, 64);
	munmap(p, len);
	delta("Mlocked after munmap", b, field("Mlocked"), 0, 64);
}

static void test_pagetables(void)
{
	long region = 2 << 20, n = 64, len = region * n;
	/* far from every other mapping, so no page table there is shared with them */
	char *p = (char *)0x100000000000UL;
	long b = field("PageTables");

	p = mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		 -1, 0);
	madvise(p, len, MADV_NOHUGEPAGE);
	touch(p, len, region);
	/* 64 page tables, and the page-middle directory above them */
	delta("PageTables after touching 64 separate 2 MiB regions", b, field("PageTables"), 260, 16);
	munmap(p, len);
	delta("PageTables after munmap", b, field("PageTables"), 0, 16);
}

static void test_kernel_stack(void)
{
	long b = field("KernelStack");
	pid_t pids[10];

	for (int i = 0; i < 10; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			pause();
			_exit(0);
		}
	}
	sleep_ms(100);
	delta("KernelStack with ten more tasks", b, field("KernelStack"), 160, 48);
	for (int i = 0; i < 10; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	delta("KernelStack after they are reaped", b, field("KernelStack"), 0, 48);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_anon();
	test_mapped();
	test_mlock();
	test_pagetables();
	test_kernel_stack();
	return 0;
}
