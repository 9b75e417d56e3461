// SPDX-License-Identifier: MIT
/*
 * Core dumps as Linux writes them (issue 19, docs/coredump.md): kernel.core_pattern and its
 * %-specifiers, core_uses_pid, RLIMIT_CORE (0 and below a page: no file; a small limit cuts the
 * file short), PR_SET_DUMPABLE 0, /proc/self/coredump_filter, WCOREDUMP and waitid's CLD_DUMPED,
 * and the ELF core file itself: its header, PT_NOTE then one PT_LOAD per mapping, the notes
 * (names and types), NT_PRSTATUS's signal and pid, NT_SIGINFO, NT_AUXV, a MADV_DONTDUMP region
 * left out while a written one is there, and a thread's NT_PRSTATUS for every thread.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "textfile.h"

#define DIR "/tmp/coredump.d"
#define MARK 64

static char saved_pattern[256];
static int pipefd[2];

static void set_core_limit(rlim_t soft)
{
	struct rlimit r = { soft, RLIM_INFINITY };

	if (setrlimit(RLIMIT_CORE, &r))
		printf("setrlimit: %s\n", strerror(errno));
}

/* A pattern no program text holds: made at run time from a seed. */
static void make_mark(unsigned char *m, unsigned seed)
{
	for (int i = 0; i < MARK; i++) {
		seed = seed * 1103515245u + 12345u;
		m[i] = (unsigned char)(seed >> 16);
	}
}

static int count_maps(void)
{
	char buf[65536];
	int n = 0;

	read_file("/proc/self/maps", buf, sizeof(buf));
	for (char *p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

struct child_info {
	int maps;
	unsigned long keep, drop, file, ro;
};

/*
 * The crashing child: a written region with one mark, a MADV_DONTDUMP one with another, then
 * a fault (or abort), after telling the parent where they are.
 */
static void crash_child(int how, int threads)
{
	struct child_info ci;
	unsigned char *keep = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				   -1, 0);
	unsigned char *gap = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *drop = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				   -1, 0);
	pthread_t t;

	(void)gap;
	make_mark(keep + 4096 + 100, 1);
	make_mark(drop + 100, 2);
	if (madvise(drop, 8192, MADV_DONTDUMP))
		printf("madvise: %s\n", strerror(errno));
	/*
	 * A private file mapping written on its second page only: its first page is in the core
	 * as the file has it (read through a fault), its second as written. A read-only mapping
	 * of the same (non-executable) file is left out. The file is filled through a shared
	 * mapping, unmapped after, so no copy of the marks stays in anonymous memory.
	 */
	int fd = open("data", O_CREAT | O_RDWR | O_TRUNC, 0600);
	unsigned char *f = MAP_FAILED, *ro = MAP_FAILED;
	if (fd >= 0 && ftruncate(fd, 8192) == 0) {
		unsigned char *sh = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		make_mark(sh + 200, 3);
		make_mark(sh + 4096 + 200, 4);
		munmap(sh, 8192);
		f = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		make_mark(f + 4096 + 200, 5);
		ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	}
	for (int i = 0; i < threads; i++)
		pthread_create(&t, NULL, sleeper, NULL);
	if (threads)
		usleep(100000);
	ci.maps = count_maps();
	ci.keep = (unsigned long)keep;
	ci.drop = (unsigned long)drop;
	ci.file = (unsigned long)f;
	ci.ro = (unsigned long)ro;
	if (write(pipefd[1], &ci, sizeof(ci)) != sizeof(ci))
		_exit(99);
	if (how == SIGABRT)
		abort();
	/* known registers at the fault: r12, rax (the address) and xmm0 */
	static const unsigned long long xv[2] = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL };
	__asm__ volatile("movdqu (%0), %%xmm0\n\t"
			 "movabs $0x1122334455667788, %%r12\n\t"
			 "xor %%eax, %%eax\n\t"
			 "movl $1, (%%rax)"
			 :
			 : "r"(xv)
			 : "r12", "rax", "xmm0", "memory");
	_exit(98);
}

/* Runs one crash: the wait status as waitid (WNOWAIT) and waitpid see it. */
static pid_t run_crash(int how, int threads, struct child_info *ci, int *status)
{
	siginfo_t si;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		crash_child(how, threads);
	}
	close(pipefd[1]);
	memset(ci, 0, sizeof(*ci));
	if (read(pipefd[0], ci, sizeof(*ci)) != sizeof(*ci))
		printf("no child info\n");
	close(pipefd[0]);
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT))
		printf("waitid: %s\n", strerror(errno));
	printf("  waitid: si_code %s si_status %d\n",
	       si.si_code == CLD_DUMPED	  ? "CLD_DUMPED"
	       : si.si_code == CLD_KILLED ? "CLD_KILLED"
					  : "other",
	       si.si_status);
	waitpid(pid, status, 0);
	printf("  status: signaled %d sig %d core %d\n", WIFSIGNALED(*status), WTERMSIG(*status),
	       WCOREDUMP(*status) ? 1 : 0);
	return pid;
}

static unsigned char *load(const char *path, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	fstat(fd, &st);
	unsigned char *b = malloc((size_t)st.st_size + 1);
	size_t done = 0;
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, b + done, (size_t)st.st_size - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	*len = done;
	return b;
}

static void scrub(void *p, size_t len)
{
	volatile unsigned char *v = p;

	for (size_t i = 0; i < len; i++)
		v[i] = 0;
}

static const char *note_type(const char *name, unsigned type)
{
	static char buf[32];

	switch (type) {
	case NT_PRSTATUS:
		return "NT_PRSTATUS";
	case NT_PRFPREG:
		return "NT_PRFPREG";
	case NT_PRPSINFO:
		return "NT_PRPSINFO";
	case NT_AUXV:
		return "NT_AUXV";
	case 0x53494749:
		return "NT_SIGINFO";
	case 0x46494c45:
		return "NT_FILE";
	case 0x202:
		return "NT_X86_XSTATE";
	}
	snprintf(buf, sizeof(buf), "%s:%#x", name, type);
	return buf;
}

static bool contains(const unsigned char *b, size_t len, const unsigned char *m)
{
	for (size_t i = 0; i + MARK <= len; i++)
		if (b[i] == m[0] && !memcmp(b + i, m, MARK))
			return true;
	return false;
}

/* Parses the core file and prints what Linux and Warden must agree on. */
static void check_core(const char *path, pid_t pid, const struct child_info *ci, int sig,
		       bool list_notes)
{
	size_t len;
	unsigned char *b = load(path, &len);
	struct stat st;
	unsigned char keep[MARK], drop[MARK];

	if (!b) {
		printf("  core %s: %s\n", path, strerror(errno));
		return;
	}
	stat(path, &st);
	printf("  core: mode %o regular %d\n", st.st_mode & 07777, S_ISREG(st.st_mode));
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
	printf("  ehdr: magic %d class %d data %d type %d machine %d version %d phentsize %d "
	       "ehsize %d shnum %d\n",
	       !memcmp(eh->e_ident, ELFMAG, SELFMAG), eh->e_ident[EI_CLASS], eh->e_ident[EI_DATA],
	       eh->e_type, eh->e_machine, eh->e_version, eh->e_phentsize, eh->e_ehsize,
	       eh->e_shnum);
	Elf64_Phdr *ph = (Elf64_Phdr *)(b + eh->e_phoff);
	int loads = 0, others = 0;
	size_t end = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (i > 0 && ph[i].p_type == PT_LOAD)
			loads++;
		else if (i > 0)
			others++;
		if (ph[i].p_offset + ph[i].p_filesz > end)
			end = ph[i].p_offset + ph[i].p_filesz;
	}
	printf("  phdrs: first %s, loads = maps lines %d, others %d, file ends at last byte %d\n",
	       ph[0].p_type == PT_NOTE ? "PT_NOTE" : "?", loads == ci->maps, others, end == len);
	make_mark(keep, 1);
	make_mark(drop, 2);
	for (int i = 1; i < eh->e_phnum; i++) {
		if (ph[i].p_vaddr == ci->keep)
			printf("  written region: filesz %s memsz %lu flags %x align %lu mark %d\n",
			       ph[i].p_filesz == ph[i].p_memsz ? "whole" : "short",
			       (unsigned long)ph[i].p_memsz, ph[i].p_flags,
			       (unsigned long)ph[i].p_align,
			       ph[i].p_filesz == ph[i].p_memsz &&
				       !memcmp(b + ph[i].p_offset + 4096 + 100, keep, MARK));
		if (ph[i].p_vaddr == ci->file) {
			unsigned char m3[MARK], m4[MARK], m5[MARK];
			bool whole = ph[i].p_filesz == 8192;
			make_mark(m3, 3);
			make_mark(m4, 4);
			make_mark(m5, 5);
			printf("  private file mapping: filesz %lu file's page %d written page %d "
			       "overwritten %d\n",
			       (unsigned long)ph[i].p_filesz,
			       whole && !memcmp(b + ph[i].p_offset + 200, m3, MARK),
			       whole && !memcmp(b + ph[i].p_offset + 4096 + 200, m5, MARK),
			       contains(b, len, m4));
			scrub(m3, MARK);
			scrub(m4, MARK);
			scrub(m5, MARK);
		}
		if (ph[i].p_vaddr == ci->ro)
			printf("  read-only file mapping: filesz %lu\n", (unsigned long)ph[i].p_filesz);
		if (i == 1)
			printf("  first load: starts with ELF magic %d\n",
			       ph[i].p_filesz >= 4 && !memcmp(b + ph[i].p_offset, ELFMAG, SELFMAG));
		if (ph[i].p_vaddr == ci->drop)
			printf("  dontdump region: filesz %lu memsz %lu\n",
			       (unsigned long)ph[i].p_filesz, (unsigned long)ph[i].p_memsz);
	}
	printf("  marks in file: written %d dontdump %d\n", contains(b, len, keep),
	       contains(b, len, drop));
	/* the notes */
	size_t off = ph[0].p_offset, nend = off + ph[0].p_filesz;
	int prstatus = 0;
	while (off + 12 <= nend && nend <= len) {
		unsigned *nh = (unsigned *)(b + off);
		const char *name = (const char *)(b + off + 12);
		const unsigned char *desc = b + off + 12 + ((nh[0] + 3) & ~3u);
		if (list_notes)
			printf("  note %s %s size-ok %d\n", name, note_type(name, nh[2]),
			       nh[2] == NT_PRSTATUS	? nh[1] == 336
			       : nh[2] == NT_PRPSINFO	? nh[1] == 136
			       : nh[2] == 0x53494749	? nh[1] == 128
			       : nh[2] == NT_PRFPREG	? nh[1] == 512
										 : 1);
		if (nh[2] == NT_PRSTATUS) {
			int signo, cursig = *(short *)(desc + 12), spid = *(int *)(desc + 32);
			memcpy(&signo, desc, 4);
			const unsigned long long *reg = (const unsigned long long *)(desc + 112);
			if (prstatus++ == 0) {
				printf("  prstatus: signo %d cursig %d pid is child %d fpvalid %d\n",
				       signo, cursig, spid == pid, *(int *)(desc + 328));
				if (sig == SIGSEGV)
					printf("  registers: r12 %d rax %llx orig_rax %lld cs %llx ss "
					       "%llx\n",
					       reg[3] == 0x1122334455667788ULL, reg[10],
					       (long long)reg[15], reg[17], reg[20]);
			}
		}
		if ((nh[2] == NT_PRFPREG || nh[2] == 0x202) && prstatus == 1 && sig == SIGSEGV) {
			unsigned long long x[2];
			memcpy(x, desc + 160, 16);
			printf("  %s: xmm0 %d\n", nh[2] == NT_PRFPREG ? "fpregs" : "xstate",
			       x[0] == 0x0123456789abcdefULL && x[1] == 0xfedcba9876543210ULL);
		}
		if (nh[2] == NT_PRPSINFO && list_notes)
			printf("  prpsinfo: pid is child %d fname %.16s state %d sname %c\n",
			       *(int *)(desc + 24) == pid, (const char *)desc + 40, desc[0],
			       desc[1]);
		if (nh[2] == 0x53494749 && list_notes) {
			const siginfo_t *si = (const siginfo_t *)desc;
			printf("  siginfo: signo %d code %d addr %p\n", si->si_signo, si->si_code,
			       sig == SIGSEGV ? si->si_addr : NULL);
		}
		if (nh[2] == NT_AUXV && list_notes) {
			const unsigned long *a = (const unsigned long *)desc;
			int pagesz = 0, last_null = a[nh[1] / 8 - 2] == AT_NULL;
			for (unsigned i = 0; i + 1 < nh[1] / 8; i += 2)
				if (a[i] == AT_PAGESZ)
					pagesz = (int)a[i + 1];
			printf("  auxv: AT_PAGESZ %d ends with AT_NULL %d\n", pagesz, last_null);
		}
		if (nh[2] == 0x46494c45 && list_notes) {
			const unsigned long *w = (const unsigned long *)desc;
			char exe[256] = { 0 };
			const char *names = (const char *)(w + 2 + 3 * w[0]);
			int found = 0;
			if (readlink("/proc/self/exe", exe, sizeof(exe) - 1) < 0)
				exe[0] = 0;
			for (unsigned long i = 0; i < w[0]; i++, names += strlen(names) + 1)
				found |= !strcmp(names, exe);
			printf("  files: page size %lu names the program %d\n", w[1], found);
		}
		off += 12 + ((nh[0] + 3) & ~3u) + ((nh[1] + 3) & ~3u);
	}
	printf("  NT_PRSTATUS notes %d\n", prstatus);
	/* no copy of a mark may be left in memory the next child inherits */
	scrub(b, len);
	scrub(keep, MARK);
	scrub(drop, MARK);
	free(b);
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int main(void)
{
	struct child_info ci;
	char buf[256], name[256];
	int status;
	pid_t pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	read_file("/proc/sys/kernel/core_pattern", saved_pattern, sizeof(saved_pattern));
	mkdir("/tmp", 01777); /* Linux's oracle machine has none */
	mkdir(DIR, 0755);
	if (chdir(DIR))
		printf("chdir: %s\n", strerror(errno));
	umask(022);
	read_file("/proc/sys/fs/suid_dumpable", buf, sizeof(buf));
	printf("suid_dumpable %s", buf);
	read_file("/proc/sys/kernel/core_uses_pid", buf, sizeof(buf));
	printf("core_uses_pid %s", buf);
	read_file("/proc/sys/kernel/core_pipe_limit", buf, sizeof(buf));
	printf("core_pipe_limit %s", buf);
	read_file("/proc/self/coredump_filter", buf, sizeof(buf));
	printf("coredump_filter %s", buf);

	write_file("/proc/sys/kernel/core_pattern", "core");
	set_core_limit(RLIM_INFINITY);

	printf("1. SIGSEGV, pattern \"core\", relative to the cwd\n");
	unlink("core");
	pid = run_crash(SIGSEGV, 0, &ci, &status);
	check_core("core", pid, &ci, SIGSEGV, true);

	printf("2. abort, pattern with specifiers\n");
	write_file("/proc/sys/kernel/core_pattern", DIR "/c.%p.%u.%g.%s.%e.%%.%c.%z%");
	pid = run_crash(SIGABRT, 0, &ci, &status);
	snprintf(name, sizeof(name), DIR "/c.%d.%d.%d.6.prog.%%.%llu.", pid, getuid(), getgid(),
		 (unsigned long long)RLIM_INFINITY);
	printf("  file named as expected %d\n", exists(name));
	check_core(name, pid, &ci, SIGABRT, false);
	unlink(name);

	printf("3. three threads\n");
	write_file("/proc/sys/kernel/core_pattern", "core");
	pid = run_crash(SIGSEGV, 2, &ci, &status);
	check_core("core", pid, &ci, SIGSEGV, false);

	printf("4. RLIMIT_CORE 0: no file\n");
	unlink("core");
	set_core_limit(0);
	run_crash(SIGSEGV, 0, &ci, &status);
	printf("  file %d\n", exists("core"));

	printf("5. RLIMIT_CORE 4095 (below a page): no file\n");
	set_core_limit(4095);
	run_crash(SIGSEGV, 0, &ci, &status);
	printf("  file %d\n", exists("core"));

	printf("6. RLIMIT_CORE 8192: a file cut short\n");
	set_core_limit(8192);
	run_crash(SIGSEGV, 0, &ci, &status);
	struct stat st;
	printf("  file %d size <= 8192 %d\n", stat("core", &st) == 0, st.st_size <= 8192);
	unlink("core");
	set_core_limit(RLIM_INFINITY);

	printf("7. PR_SET_DUMPABLE 0: no file\n");
	prctl(PR_SET_DUMPABLE, 0);
	run_crash(SIGSEGV, 0, &ci, &status);
	printf("  file %d\n", exists("core"));
	prctl(PR_SET_DUMPABLE, 1);

	printf("8. core_uses_pid 1\n");
	write_file("/proc/sys/kernel/core_uses_pid", "1");
	pid = run_crash(SIGSEGV, 0, &ci, &status);
	snprintf(name, sizeof(name), "core.%d", pid);
	printf("  core.PID %d\n", exists(name));
	unlink(name);
	write_file("/proc/sys/kernel/core_uses_pid", "0");

	printf("9. a FIFO in the way is replaced\n");
	mkfifo("core", 0600);
	run_crash(SIGSEGV, 0, &ci, &status);
	printf("  regular file %d\n", stat("core", &st) == 0 && S_ISREG(st.st_mode));
	unlink("core");

	printf("10. coredump_filter 0 (inherited): the written region is left out\n");
	write_file("/proc/self/coredump_filter", "0x0");
	read_file("/proc/self/coredump_filter", buf, sizeof(buf));
	printf("  filter %s", buf);
	pid = run_crash(SIGSEGV, 0, &ci, &status);
	check_core("core", pid, &ci, SIGSEGV, false);
	write_file("/proc/self/coredump_filter", "0x33");
	unlink("core");

	printf("11. a directory named core: no file\n");
	mkdir("core", 0755);
	run_crash(SIGSEGV, 0, &ci, &status);
	rmdir("core");

	write_file("/proc/sys/kernel/core_pattern", saved_pattern);
	unlink("data");
	rmdir(DIR);
	printf("done\n");
	return 0;
}
