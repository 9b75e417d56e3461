/* procmem: /proc/self/mem and the /proc/self/pagemap corner cases, as Linux 6.1 (issue 15, item 7
 * "/proc/self/pagemap": a read into a too-small buffer, lseek to a negative offset,
 * /proc/self/mem missing).
 * - pagemap: count or position not a multiple of 8 EINVAL; a buffer that faults part-way EFAULT
 *   (not a short count); mem_lseek: any offset is taken, a "negative" one comes back as the raw
 *   return value (-1 reads as EPERM), SEEK_END EINVAL; a read at a negative position EINVAL;
 * - mem: offsets are addresses; reads and writes go through the page tables with FOLL_FORCE
 *   (PROT_NONE memory is read and written, a read-only private page gets a copy-on-write copy, a
 *   read-only shared file mapping refuses with EIO); unmapped memory EIO, or a short count when
 *   some bytes came first; offsets above 2^63 work (FMODE_UNSIGNED_OFFSET), one whose range
 *   wraps is EOVERFLOW; the file keeps the address space it was opened on (a forked child reads
 *   and writes its parent's memory through it), and reads 0 once that is gone (after execve). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define P 4096L
#define ARENA 0x300000000000L
#define BAD 0x10L

static volatile long var = 1;
static char buf[4 * 4096];

/* lseek's raw answer: an error name in [-4095, -1], else the value as unsigned hex. */
static void show_seek(const char *what, long r)
{
	if (is_err(r))
		printf("%s: -1 %s\n", what, errname((int)-r));
	else
		printf("%s: %#lx\n", what, (unsigned long)r);
}

static void pagemap_cases(void)
{
	int pm = (int)sys3(SYS_open, (long)"/proc/self/pagemap", O_RDONLY, 0);
	long vpn8 = ARENA / P * 8;

	show_ok("open /proc/self/pagemap", pm);
	sys6(SYS_mmap, ARENA, 4 * P, PROT_READ | PROT_WRITE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	show("pread 8 entries", sys4(SYS_pread64, pm, (long)buf, 64, vpn8));
	show("pread count 7", sys4(SYS_pread64, pm, (long)buf, 7, vpn8));
	show("pread count 0", sys4(SYS_pread64, pm, (long)buf, 0, vpn8));
	show("pread at offset 4", sys4(SYS_pread64, pm, (long)buf, 8, vpn8 + 4));
	show("pread count 0 at offset 4", sys4(SYS_pread64, pm, (long)buf, 0, vpn8 + 4));
	show("pread into NULL", sys4(SYS_pread64, pm, 0, 8, vpn8));
	/* A buffer whose second page is not mapped: EFAULT, whatever was copied before. */
	char *two = (char *)sys6(SYS_mmap, 0, 2 * P, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sys2(SYS_munmap, (long)two + P, P);
	show("pread 1024 entries into 512 entries of buffer",
	     sys4(SYS_pread64, pm, (long)two, 8192, vpn8));
	show("pread 1024 entries into 512 entries, from 0",
	     sys4(SYS_pread64, pm, (long)two, 8192, 0));
	show("pread 512 entries into 512 entries", sys4(SYS_pread64, pm, (long)two, 4096, vpn8));
	show("pread 16 entries, the last 8 bytes short",
	     sys4(SYS_pread64, pm, (long)two + P - 120, 128, vpn8));
	show_seek("lseek to vpn then", sys3(SYS_lseek, pm, vpn8, SEEK_SET) - vpn8);
	show("read 8 bytes into a buffer 4 short", sys3(SYS_read, pm, (long)two + P - 4, 8));
	show_seek("position after it (unchanged)", sys3(SYS_lseek, pm, 0, SEEK_CUR) - vpn8);
	/* mem_lseek: no check at all; the return value is the offset. */
	show_seek("lseek(-1, SEEK_SET)", sys3(SYS_lseek, pm, -1, SEEK_SET));
	show_seek("lseek(-8, SEEK_SET)", sys3(SYS_lseek, pm, -8, SEEK_SET));
	show_seek("lseek(-22, SEEK_SET)", sys3(SYS_lseek, pm, -22, SEEK_SET));
	show_seek("lseek(-4096, SEEK_SET)", sys3(SYS_lseek, pm, -4096, SEEK_SET));
	show("read at -4096", sys3(SYS_read, pm, (long)buf, 8));
	show_seek("lseek(-4096, SEEK_CUR)", sys3(SYS_lseek, pm, -4096, SEEK_CUR));
	show_seek("lseek(0x7ffffffffffffff8, SEEK_SET)", sys3(SYS_lseek, pm, 0x7ffffffffffffff8, SEEK_SET));
	show_seek("lseek(16, SEEK_CUR) (wraps)", sys3(SYS_lseek, pm, 16, SEEK_CUR));
	show_seek("lseek(0, SEEK_END)", sys3(SYS_lseek, pm, 0, SEEK_END));
	show_seek("lseek(0, SEEK_DATA)", sys3(SYS_lseek, pm, 0, SEEK_DATA));
	show_seek("lseek(0, 5)", sys3(SYS_lseek, pm, 0, 5));
	show("pread at -8", sys4(SYS_pread64, pm, (long)buf, 8, -8));
	show("pread past the user half", sys4(SYS_pread64, pm, (long)buf, 8, (1L << 47) / P * 8));
	show("pread of the last user page", sys4(SYS_pread64, pm, (long)buf, 16,
						  ((1L << 47) - P) / P * 8));
	show("pread at 2^62", sys4(SYS_pread64, pm, (long)buf, 8, 1L << 62));
	show("write", sys3(SYS_write, pm, (long)buf, 8));
	sys1(SYS_close, pm);
}

/* Reads a long at addr through fd. */
static long peek(int fd, long addr, long *v)
{
	*v = 0;
	return sys4(SYS_pread64, fd, (long)v, sizeof(*v), addr);
}

static void mem_basic(int mem)
{
	long v;

	show("pread &var", peek(mem, (long)&var, &v));
	printf("var read through mem: %ld\n", v);
	v = 42;
	show("pwrite &var", sys4(SYS_pwrite64, mem, (long)&v, 8, (long)&var));
	printf("var now: %ld\n", var);
	show("pread 0 bytes", sys4(SYS_pread64, mem, (long)buf, 0, (long)&var));
	show("pread of address 0", peek(mem, 0, &v));
	show("pread of an unmapped page", peek(mem, ARENA + 64 * P, &v));
	show("pread of a kernel address (via lseek, unsigned)",
	     sys3(SYS_lseek, mem, (long)0xffff888000000000UL, SEEK_SET) == (long)0xffff888000000000UL
		     ? sys3(SYS_read, mem, (long)buf, 8)
		     : -1);
	show_seek("lseek(-8, SEEK_SET)", sys3(SYS_lseek, mem, -8, SEEK_SET));
	show("read 16 bytes at -8 (wraps)", sys3(SYS_read, mem, (long)buf, 16));
	show("read 8 bytes at -8", sys3(SYS_read, mem, (long)buf, 8));
	show("read 4 bytes at -8", sys3(SYS_read, mem, (long)buf, 4));
	show("pread at a negative offset", sys4(SYS_pread64, mem, (long)buf, 8, -4096));
	show_seek("lseek(0, SEEK_END)", sys3(SYS_lseek, mem, 0, SEEK_END));
	show_seek("lseek(0, SEEK_HOLE)", sys3(SYS_lseek, mem, 0, SEEK_HOLE));

	/* Three pages, the last unmapped: a short count, then EIO. */
	char *a = (char *)sys6(SYS_mmap, ARENA, 3 * P, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	memset(a, 'a', 3 * P);
	sys2(SYS_munmap, ARENA + 2 * P, P);
	show("pread 3 pages, the third unmapped", sys4(SYS_pread64, mem, (long)buf, 3 * P, ARENA));
	show("pread 100 bytes from 10 before the hole",
	     sys4(SYS_pread64, mem, (long)buf, 100, ARENA + 2 * P - 10));
	show_seek("lseek to the arena", sys3(SYS_lseek, mem, ARENA, SEEK_SET) - ARENA);
	show("read 3 pages", sys3(SYS_read, mem, (long)buf, 3 * P));
	show_seek("position after it, from the arena", sys3(SYS_lseek, mem, 0, SEEK_CUR) - ARENA);
	show("read at the hole", sys3(SYS_read, mem, (long)buf, 8));
	show_seek("position after it, from the arena", sys3(SYS_lseek, mem, 0, SEEK_CUR) - ARENA);
	show("write 3 pages from the arena, the third unmapped",
	     sys4(SYS_pwrite64, mem, (long)buf, 3 * P, ARENA));
	show("pread into a bad buffer", sys4(SYS_pread64, mem, BAD, 8, ARENA));
	show("pwrite from a bad buffer", sys4(SYS_pwrite64, mem, BAD, 8, ARENA));
	show("pread into a buffer of the same memory", sys4(SYS_pread64, mem, ARENA, 8, ARENA + P));

	/* FOLL_FORCE: PROT_NONE memory is read and written. */
	a[0] = 'x';
	sys3(SYS_mprotect, ARENA, P, PROT_NONE);
	show("pread of PROT_NONE memory", sys4(SYS_pread64, mem, (long)buf, 1, ARENA));
	printf("it holds: %c\n", buf[0]);
	show("pwrite of PROT_NONE memory", sys4(SYS_pwrite64, mem, (long)"y", 1, ARENA));
	sys3(SYS_mprotect, ARENA, P, PROT_READ);
	printf("read directly after PROT_READ: %c\n", a[0]);
	/* A read-only private page gets its own copy; a forked child keeps the old one. */
	int pfd[2];
	pipe(pfd);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		read(pfd[0], &c, 1);
		printf("child sees after the parent's write: %c\n", a[0]);
		fflush(stdout);
		_exit(0);
	}
	show("pwrite of a read-only private page shared with a child",
	     sys4(SYS_pwrite64, mem, (long)"z", 1, ARENA));
	printf("parent reads: %c\n", a[0]);
	fflush(stdout);
	write(pfd[1], "g", 1);
	waitpid(pid, NULL, 0);
	close(pfd[0]);
	close(pfd[1]);

	/* Files: a read-only shared mapping refuses; a private one gets a copy, the file stays. */
	ensure_tmp();
	int f = (int)sys3(SYS_open, (long)"/tmp/procmem.data", O_RDWR | O_CREAT | O_TRUNC, 0600);
	sys3(SYS_write, f, (long)"file", 4);
	sys1(SYS_close, f);
	f = (int)sys3(SYS_open, (long)"/tmp/procmem.data", O_RDONLY, 0);
	sys6(SYS_mmap, ARENA + 8 * P, P, PROT_READ, MAP_SHARED | MAP_FIXED, f, 0);
	sys6(SYS_mmap, ARENA + 9 * P, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, f, 0);
	show("pwrite of a read-only MAP_SHARED file page", sys4(SYS_pwrite64, mem, (long)"W", 1,
								  ARENA + 8 * P));
	show("pread of it", sys4(SYS_pread64, mem, (long)buf, 4, ARENA + 8 * P));
	show("pwrite of a read-only MAP_PRIVATE file page", sys4(SYS_pwrite64, mem, (long)"P", 1,
								   ARENA + 9 * P));
	printf("private mapping: %.4s\n", (char *)(ARENA + 9 * P));
	printf("shared mapping: %.4s\n", (char *)(ARENA + 8 * P));
	sys4(SYS_pread64, f, (long)buf, 4, 0);
	printf("file: %.4s\n", buf);
	sys1(SYS_close, f);
	/* A shared anonymous mapping made read-only: no forced write. */
	sys6(SYS_mmap, ARENA + 12 * P, P, PROT_READ | PROT_WRITE,
	     MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	sys3(SYS_mprotect, ARENA + 12 * P, P, PROT_READ);
	show("pwrite of a read-only MAP_SHARED anonymous page",
	     sys4(SYS_pwrite64, mem, (long)"S", 1, ARENA + 12 * P));
	sys3(SYS_mprotect, ARENA + 12 * P, P, PROT_READ | PROT_WRITE);
	show("pwrite of it writable", sys4(SYS_pwrite64, mem, (long)"S", 1, ARENA + 12 * P));
	printf("it holds: %c\n", *(char *)(ARENA + 12 * P));
}

/* The file keeps the mm it was opened on: a child reads and writes the parent's memory. */
static void mem_fork(int mem)
{
	int pfd[2];
	pipe(pfd);
	var = 1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		long v;
		char c;
		read(pfd[0], &c, 1);
		peek(mem, (long)&var, &v);
		printf("child: var %ld, through the parent's mem %ld\n", var, v);
		v = 7;
		show("child: pwrite to the parent's var", sys4(SYS_pwrite64, mem, (long)&v, 8,
							       (long)&var));
		printf("child: its own var %ld\n", var);
		fflush(stdout);
		_exit(0);
	}
	var = 2;
	write(pfd[1], "g", 1);
	waitpid(pid, NULL, 0);
	printf("parent: var %ld\n", var);
	close(pfd[0]);
	close(pfd[1]);
}

/* After execve, the files opened on the old address space read 0. */
static int after_exec(int mem, int pm)
{
	long v = 99;
	show("after execve: pread of mem", sys4(SYS_pread64, mem, (long)&v, 8, (long)&var));
	show("after execve: pwrite of mem", sys4(SYS_pwrite64, mem, (long)&v, 8, (long)&var));
	show("after execve: pread of pagemap", sys4(SYS_pread64, pm, (long)buf, 8, 0));
	show("after execve: pread of pagemap, count 7", sys4(SYS_pread64, pm, (long)buf, 7, 0));
	show_seek("after execve: lseek of mem", sys3(SYS_lseek, mem, 4096, SEEK_SET));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "after-exec"))
		return after_exec(atoi(argv[2]), atoi(argv[3]));
	pagemap_cases();
	int mem = (int)sys3(SYS_open, (long)"/proc/self/mem", O_RDWR, 0);
	show_ok("open /proc/self/mem O_RDWR", mem);
	mem_basic(mem);
	mem_fork(mem);
	int ro = (int)sys3(SYS_open, (long)"/proc/self/mem", O_RDONLY, 0);
	show("write to mem opened O_RDONLY", sys3(SYS_write, ro, (long)buf, 8));
	sys1(SYS_close, ro);
	int pm = (int)sys3(SYS_open, (long)"/proc/self/pagemap", O_RDONLY, 0);
	char a1[16], a2[16];
	snprintf(a1, sizeof(a1), "%d", mem);
	snprintf(a2, sizeof(a2), "%d", pm);
	char *args[] = { argv[0], "after-exec", a1, a2, NULL };
	fflush(stdout);
	execve("/proc/self/exe", args, NULL);
	printf("execve failed\n");
	return 1;
}
