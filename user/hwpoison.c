/* hwpoison: MADV_HWPOISON and MADV_SOFT_OFFLINE as Linux 6.1 built with CONFIG_MEMORY_FAILURE
 * (Debian's) answers them (mm/madvise.c madvise_inject_error, mm/memory-failure.c).
 *
 * Root only (EPERM otherwise). Each page of the range is faulted in for reading and poisoned:
 * every mapping of it becomes a hwpoison entry, so the next access is a SIGBUS with si_code
 * BUS_MCEERR_AR, si_addr the address touched and si_addr_lsb 12, while the process that poisoned
 * it goes on; /proc/meminfo's HardwareCorrupted grows by 4 kB a page; pagemap shows a swap entry
 * (bit 62, type SWP_HWPOISON), mincore a resident page. Fork copies the entry, mremap moves it,
 * MADV_DONTNEED and munmap clear it. A tmpfs page stays poisoned in its file: every mapping of
 * it faults with SIGBUS, read(2) says EIO. A page poisoned already cannot be had (EFAULT). Soft
 * offlining moves the data to a new frame: nothing changes for the program but the frame.
 * Early kill (prctl PR_MCE_KILL, vm.memory_failure_early_kill): a process that maps the page and
 * asked for it gets SIGBUS with BUS_MCEERR_AO at once, si_addr where it maps the page. */
#define _GNU_SOURCE
#include "common.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "residency.h"

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE 101
#endif

static sigjmp_buf env;
static volatile int got_sig, got_code, got_lsb;
static volatile uintptr_t got_addr;

static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = (uintptr_t)si->si_addr;
	got_lsb = si->si_addr_lsb;
	siglongjmp(env, 1);
}

/* Reads (or writes) the byte at p; prints its value, or the signal with its siginfo. */
static void touch(const char *what, volatile char *p, char *base, int write)
{
	got_sig = 0;
	if (!sigsetjmp(env, 1)) {
		char c;
		if (write) {
			*p = 'w';
			c = *p;
		} else {
			c = *p;
		}
		printf("%s: reads '%c'\n", what, c ? c : '0');
		return;
	}
	printf("%s: signal %d si_code %d si_addr base%+ld si_addr_lsb %d\n", what, got_sig, got_code,
	       (long)(got_addr - (uintptr_t)base), got_lsb);
}

static long poison(void *p, long len)
{
	return sys3(SYS_madvise, (long)p, len, MADV_HWPOISON);
}

/* /proc/meminfo's HardwareCorrupted in kB. */
static long corrupted_kb(void)
{
	char *s = read_proc("/proc/meminfo");
	char *at = strstr(s, "HardwareCorrupted:");
	return at ? strtol(at + 18, NULL, 10) : -1;
}

static long corrupted_base;

/* "HardwareCorrupted +N kB" since the start. */
static void show_corrupted(void)
{
	printf("HardwareCorrupted +%ld kB\n", corrupted_kb() - corrupted_base);
}

/* The pagemap entry of p: its flag bits 55-63, and the swap type of a swap entry. */
static uint64_t pagemap(void *p)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	if (pread(fd, &e, 8, (long)((uintptr_t)p / PG) * 8) != 8)
		e = 0;
	close(fd);
	return e;
}

static void show_pagemap(const char *what, void *p)
{
	uint64_t e = pagemap(p);
	printf("%s: pagemap present %d swap %d file %d exclusive %d soft-dirty %d", what,
	       (int)(e >> 63 & 1), (int)(e >> 62 & 1), (int)(e >> 61 & 1), (int)(e >> 56 & 1),
	       (int)(e >> 55 & 1));
	if (e >> 62 & 1)
		printf(" swap type %d", (int)(e & 31));
	printf("\n");
}

/* The kB fields of the smaps entry of the VMA at p that are not 0, on one line. */
static void show_smaps_fields(char *p)
{
	char *s = read_proc("/proc/self/smaps"), head[32];
	snprintf(head, sizeof head, "%lx-", (unsigned long)p);
	char *at = strstr(s, head);
	if (!at) {
		printf(" none\n");
		return;
	}
	char *line = strchr(at, '\n');
	while (line && line[1]) {
		char name[40];
		long kb;
		line++;
		char *nl = strchr(line, '\n');
		if (sscanf(line, "%39[^:]: %ld kB", name, &kb) == 2 && kb && strcmp(name, "Size") &&
		    strcmp(name, "KernelPageSize") && strcmp(name, "MMUPageSize"))
			printf(" %s %ld", name, kb);
		if (!strncmp(line, "VmFlags", 7))
			break;
		line = nl;
	}
	printf("\n");
}

static int memfd_pages(int n, char c)
{
	int fd = (int)sys2(SYS_memfd_create, (long)"hwpoison", 0);
	char buf[PG];
	for (int i = 0; i < n; i++) {
		memset(buf, c + i, PG);
		if (write(fd, buf, PG) != PG)
			printf("write failed\n");
	}
	return fd;
}

static char *fork_page;

/* In a child: touches fork_page, which the parent poisoned before the fork. */
static void child_touch(void)
{
	signal(SIGBUS, SIG_DFL);
	volatile char c = *fork_page;
	(void)c;
	printf("child: read it\n");
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	corrupted_base = corrupted_kb();
	printf("HardwareCorrupted readable: %d\n", corrupted_base >= 0);

	/* A private anonymous page, written. */
	char *a = anon(3, PROT_READ | PROT_WRITE, 0);
	memset(a, 'a', 3 * PG);
	show("HWPOISON page 1", poison(a + PG, PG));
	show_corrupted();
	touch("read page 0", a, a, 0);
	touch("read page 1 at +100", a + PG + 100, a, 0);
	touch("write page 1", a + PG, a, 1);
	touch("read page 2", a + 2 * PG, a, 0);
	show_pagemap("page 1", a + PG);
	show_mincore("mincore", a, 3);
	show_vmas("smaps", a, 3);
	printf("smaps of the poisoned VMA:");
	show_smaps_fields(a);
	int pfd[2];
	pipe(pfd);
	show("write(2) from page 1", sys3(SYS_write, pfd[1], (long)(a + PG), 10));
	show("read(2) into page 1", sys3(SYS_read, 0, (long)(a + PG), 10));
	show("HWPOISON page 1 again", poison(a + PG, PG));
	show("MADV_POPULATE_READ page 1", sys3(SYS_madvise, (long)(a + PG), PG, 22));
	show("mlock page 1", sys2(SYS_mlock, (long)(a + PG), PG));
	show("mprotect page 1 read-only", sys3(SYS_mprotect, (long)(a + PG), PG, PROT_READ));
	touch("read page 1", a + PG, a, 0);
	show("mprotect back", sys3(SYS_mprotect, (long)(a + PG), PG, PROT_READ | PROT_WRITE));
	show_corrupted();

	/* Fork: the child gets the hwpoison entry too. */
	fork_page = a + PG;
	int st = child_status(child_touch);
	printf("child touching page 1: %s %d\n", WIFSIGNALED(st) ? "signal" : "exit",
	       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));

	/* mremap moves the entry. */
	char *m = mremap(a + PG, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 5 * PG);
	printf("mremap page 1 away: %s\n", m == MAP_FAILED ? "failed" : "ok");
	touch("read the moved page", m, a, 0);
	show_pagemap("moved page", m);
	show_mincore("mincore page 0", a, 1);
	munmap(m, PG);

	/* MADV_DONTNEED clears the entry: the page reads zero again. */
	show("HWPOISON page 2", poison(a + 2 * PG, PG));
	touch("read page 2", a + 2 * PG, a, 0);
	show("DONTNEED page 2", sys3(SYS_madvise, (long)(a + 2 * PG), PG, MADV_DONTNEED));
	touch("read page 2", a + 2 * PG, a, 0);
	touch("write page 2", a + 2 * PG, a, 1);
	show_pagemap("page 2", a + 2 * PG);

	/* munmap clears it: a new mapping there is fine. */
	show("HWPOISON page 0 (1 byte)", poison(a, 1));
	show("munmap page 0", sys2(SYS_munmap, (long)a, PG));
	char *n = mmap(a, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	touch("new mapping at page 0", n, a, 0);
	show_corrupted();

	/* A page shared copy-on-write with a child: poisoning it in the parent takes it from
	 * both. */
	char *c = anon(1, PROT_READ | PROT_WRITE, 0);
	memset(c, 'c', PG);
	int go[2], done[2];
	pipe(go);
	pipe(done);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char x;
		read(go[0], &x, 1);
		touch("child reads the shared page", c, c, 0);
		fflush(stdout);
		_exit(0);
	}
	show("HWPOISON the page the child shares", poison(c, PG));
	fflush(stdout);
	write(go[1], "x", 1);
	waitpid(pid, &st, 0);
	printf("child: %s %d\n", WIFSIGNALED(st) ? "signal" : "exit",
	       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	(void)done;

	/* A tmpfs page: every mapping of it, read(2) of it. */
	int fd = memfd_pages(3, 'f');
	char *s = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *s2 = mmap(NULL, 3 * PG, PROT_READ, MAP_SHARED, fd, 0);
	char *sp = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	touch("second mapping page 1 (mapped before)", s2 + PG, s2, 0);
	show("HWPOISON memfd page 1", poison(s + PG, PG));
	show_corrupted();
	touch("read it", s + PG, s, 0);
	touch("second mapping page 1", s2 + PG, s2, 0);
	touch("private mapping page 1", sp + PG, sp, 0);
	touch("second mapping page 2", s2 + 2 * PG, s2, 0);
	show_pagemap("memfd page 1", s + PG);
	char buf[PG];
	show("pread page 1", sys4(SYS_pread64, fd, (long)buf, 10, PG));
	show("pread page 0 and on", sys4(SYS_pread64, fd, (long)buf, PG + 10, 0));
	show("pread page 2", sys4(SYS_pread64, fd, (long)buf, 10, 2 * PG));
	show("pwrite page 1", sys4(SYS_pwrite64, fd, (long)"x", 1, PG));
	char *s3 = mmap(NULL, 3 * PG, PROT_READ, MAP_SHARED, fd, 0);
	touch("a new mapping, page 1", s3 + PG, s3, 0);
	show_mincore("mincore of the new mapping", s3, 3);

	/* What is refused. */
	char *pn = anon(1, PROT_NONE, 0);
	show("PROT_NONE page", poison(pn, PG));
	show("unmapped page", poison(pn + PG, PG));
	show("unaligned start", poison(s + 1, PG));
	show("length 0", poison(s, 0));
	char *r = anon(3, PROT_READ | PROT_WRITE, 0);
	memset(r, 'r', 3 * PG);
	show("HWPOISON r page 1", poison(r + PG, PG));
	show("pages 0-2 (page 1 poisoned already)", poison(r, 3 * PG));
	touch("r page 0", r, r, 0);
	touch("r page 2", r + 2 * PG, r, 0);
	show_corrupted();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *u = anon(1, PROT_READ | PROT_WRITE, 0);
		memset(u, 'u', PG);
		show("setresuid 1000", sys3(SYS_setresuid, 1000, 1000, 1000));
		show("HWPOISON as a user", poison(u, PG));
		show("SOFT_OFFLINE as a user", sys3(SYS_madvise, (long)u, PG, MADV_SOFT_OFFLINE));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);

	/* Soft offline: the data moves to another frame, the old one is retired. */
	char *o = anon(2, PROT_READ | PROT_WRITE, 0);
	memset(o, 'o', 2 * PG);
	uint64_t before = pagemap(o) & ((1ULL << 55) - 1);
	show("SOFT_OFFLINE page 0", sys3(SYS_madvise, (long)o, PG, MADV_SOFT_OFFLINE));
	uint64_t after = pagemap(o) & ((1ULL << 55) - 1);
	printf("frame changed: %d\n", before != after);
	touch("read it", o, o, 0);
	touch("write it", o, o, 1);
	show_pagemap("page 0", o);
	show_corrupted();
	show("SOFT_OFFLINE memfd page 2", sys3(SYS_madvise, (long)(s + 2 * PG), PG, MADV_SOFT_OFFLINE));
	touch("read it", s + 2 * PG, s, 0);
	touch("second mapping", s2 + 2 * PG, s2, 0);
	show("pread it", sys4(SYS_pread64, fd, (long)buf, 1, 2 * PG));
	printf("byte: %c\n", buf[0]);
	show_corrupted();

	/* Early kill: PR_MCE_KILL and vm.memory_failure_early_kill. */
	printf("vm.memory_failure_early_kill: %s", read_proc("/proc/sys/vm/memory_failure_early_kill"));
	printf("vm.memory_failure_recovery: %s", read_proc("/proc/sys/vm/memory_failure_recovery"));
	show("PR_MCE_KILL_GET", sys2(SYS_prctl, 34, 0));
	show("PR_MCE_KILL_GET with an argument", sys3(SYS_prctl, 34, 1, 0));
	show("PR_MCE_KILL 5", sys3(SYS_prctl, 33, 5, 0));
	show("PR_MCE_KILL CLEAR 1", sys3(SYS_prctl, 33, 0, 1));
	show("PR_MCE_KILL SET 7", sys3(SYS_prctl, 33, 1, 7));
	show("PR_MCE_KILL_GET", sys2(SYS_prctl, 34, 0));
	show("PR_MCE_KILL SET EARLY, arg4", sys4(SYS_prctl, 33, 1, 1, 1));
	show("PR_MCE_KILL SET EARLY", sys3(SYS_prctl, 33, 1, 1));
	show("PR_MCE_KILL_GET", sys2(SYS_prctl, 34, 0));
	char *e = anon(2, PROT_READ | PROT_WRITE, 0);
	memset(e, 'e', 2 * PG);
	got_sig = 0;
	if (!sigsetjmp(env, 1)) {
		show("HWPOISON with early kill", poison(e + PG, PG));
		printf("no signal yet\n");
	} else {
		printf("early kill: signal %d si_code %d si_addr base%+ld si_addr_lsb %d\n", got_sig,
		       got_code, (long)(got_addr - (uintptr_t)e), got_lsb);
	}
	show("PR_MCE_KILL SET LATE", sys3(SYS_prctl, 33, 1, 0));
	show("PR_MCE_KILL_GET", sys2(SYS_prctl, 34, 0));
	show("HWPOISON with late kill", poison(e, PG));
	show("PR_MCE_KILL CLEAR", sys3(SYS_prctl, 33, 0, 0));
	show("PR_MCE_KILL_GET", sys2(SYS_prctl, 34, 0));
	/* A child with early kill that maps a shared page the parent poisons. */
	int efd = memfd_pages(1, 'k');
	char *ek = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, efd, 0);
	volatile char warm = *ek;
	(void)warm;
	int go2[2];
	pipe(go2);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		signal(SIGBUS, SIG_DFL);
		sys3(SYS_prctl, 33, 1, 1);
		volatile char x = *ek; /* mapped here too */
		(void)x;
		write(go2[1], "r", 1);
		for (;;)
			pause();
	}
	char rd;
	read(go2[0], &rd, 1);
	show("HWPOISON a page an early-kill child maps", poison(ek, PG));
	waitpid(pid, &st, 0);
	printf("child: %s %d\n", WIFSIGNALED(st) ? "signal" : "exit",
	       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	/* The sysctl: every process that did not choose. */
	int sfd = open("/proc/sys/vm/memory_failure_early_kill", O_WRONLY);
	show("early_kill = 1", write(sfd, "1\n", 2) == 2 ? 0 : -errno);
	char *e2 = anon(1, PROT_READ | PROT_WRITE, 0);
	memset(e2, 'E', PG);
	if (!sigsetjmp(env, 1)) {
		show("HWPOISON under vm.memory_failure_early_kill", poison(e2, PG));
		printf("no signal yet\n");
	} else {
		printf("early kill: signal %d si_code %d si_addr base%+ld si_addr_lsb %d\n", got_sig,
		       got_code, (long)(got_addr - (uintptr_t)e2), got_lsb);
	}
	show("early_kill = 0", pwrite(sfd, "0\n", 2, 0) == 2 ? 0 : -errno);
	close(sfd);
	show_corrupted();

	/* Untouched private memory: the read fault gives the shared zero page, a kernel page. */
	char *z = anon(2, PROT_READ | PROT_WRITE, 0);
	show("SOFT_OFFLINE an untouched page", sys3(SYS_madvise, (long)z, PG, MADV_SOFT_OFFLINE));
	show("HWPOISON an untouched page", poison(z, PG));
	show_corrupted();
	show("HWPOISON another untouched page", poison(z + PG, PG));
	touch("read it", z + PG, z, 0);
	show_corrupted();
	return 0;
}
