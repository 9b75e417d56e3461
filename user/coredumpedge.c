// SPDX-License-Identifier: MIT
/*
 * Core dumps against hostile setups (docs/coredump.md, "Safety"): core_pattern naming a /proc
 * file, a symlink or a missing directory (no dump, nothing touched), a huge sparse mapping (a
 * hole in the file, quickly), threads spinning in user mode while another faults (every thread
 * in the core), two threads faulting together, the %E %f %h %t specifiers, a vfork child's dump,
 * and a child killed with SIGKILL (never a core); NT_FILE's names (/proc/PID/maps') and its
 * 4 MiB cap, a SIGKILL during a dump (status SIGKILL), more than 65535 VMAs (PN_XNUM), every
 * thread's notes, pr_ppid of a child forked by a second thread.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ipc.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "textfile.h"

#define DIR "/tmp/coredumpedge.d"

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static int wait_child(pid_t pid)
{
	int status = 0;

	waitpid(pid, &status, 0);
	printf("  sig %d core %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0,
	       WCOREDUMP(status) ? 1 : 0);
	return status;
}

static pid_t segv_child(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		*(volatile int *)0 = 1;
		_exit(1);
	}
	return pid;
}

static char psinfo_sname; /* NT_PRPSINFO's state letter, of the process's leader */

/* The number of NT_PRSTATUS notes of a core file, -1 if unreadable. */
static int count_prstatus(const char *path)
{
	int fd = open(path, O_RDONLY), n = 0;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    pread(fd, &ph, sizeof(ph), (off_t)eh.e_phoff) != sizeof(ph)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	char *notes = malloc(ph.p_filesz);
	if (pread(fd, notes, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz)
		n = -1;
	for (size_t off = 0; n >= 0 && off + 12 <= ph.p_filesz;) {
		unsigned *nh = (unsigned *)(notes + off);
		n += nh[2] == NT_PRSTATUS;
		if (nh[2] == NT_PRPSINFO)
			psinfo_sname = notes[off + 12 + ((nh[0] + 3) & ~3u) + 1];
		off += 12 + ((nh[0] + 3) & ~3u) + ((nh[1] + 3) & ~3u);
	}
	free(notes);
	close(fd);
	return n;
}

static volatile int spin_go;

static void *spinner(void *arg)
{
	(void)arg;
	for (;;)
		spin_go++;
	return NULL;
}

static pthread_barrier_t barrier;
static volatile int *volatile bad_ptr = (volatile int *)8; /* the compiler may not see it */

static void *faulter(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&barrier);
	*bad_ptr = 1;
	return NULL;
}

/*
 * NT_FILE of a core file: -1 if there is none, else its count; names not longer than 200 bytes
 * go to names (sorted, one a line), the number of longer ones to *nlong.
 */
static int nt_file(const char *path, char *names, size_t len, int *nlong)
{
	int fd = open(path, O_RDONLY), count = -1;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	*nlong = 0;
	names[0] = 0;
	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    pread(fd, &ph, sizeof(ph), (off_t)eh.e_phoff) != sizeof(ph)) {
		if (fd >= 0)
			close(fd);
		return -2;
	}
	char *notes = malloc(ph.p_filesz);
	if (pread(fd, notes, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz)
		ph.p_filesz = 0;
	for (size_t off = 0; off + 12 <= ph.p_filesz;) {
		unsigned *nh = (unsigned *)(notes + off);
		char *desc = notes + off + 12 + ((nh[0] + 3) & ~3u);

		if (nh[2] == 0x46494c45) {
			uint64_t *w = (uint64_t *)desc;
			char *name = desc + (2 + 3 * w[0]) * 8, *list[64];
			int n = 0;

			count = (int)w[0];
			for (uint64_t i = 0; i < w[0]; i++, name += strlen(name) + 1) {
				if (strlen(name) > 200)
					(*nlong)++;
				else if (n < 64)
					list[n++] = name;
			}
			for (int i = 0; i < n; i++) { /* sorted: addresses differ between kernels */
				for (int j = i + 1; j < n; j++) {
					if (strcmp(list[j], list[i]) < 0) {
						char *t = list[i];
						list[i] = list[j];
						list[j] = t;
					}
				}
			}
			for (int i = 0; i < n; i++) {
				if (i && !strcmp(list[i], list[i - 1]))
					continue;
				snprintf(names + strlen(names), len - strlen(names), "    %s\n", list[i]);
			}
		}
		off += 12 + ((nh[0] + 3) & ~3u) + ((nh[1] + 3) & ~3u);
	}
	free(notes);
	close(fd);
	return count;
}

/* Makes a directory path of about 3800 bytes under the cwd; returns the file "f" in it. */
static char *long_path(void)
{
	static char path[4096];
	char comp[256];

	memset(comp, 'd', 250);
	comp[250] = 0;
	getcwd(path, sizeof(path));
	for (int i = 0; i < 15; i++) {
		strcat(path, "/");
		strcat(path, comp);
		mkdir(path, 0755);
	}
	strcat(path, "/f");
	return path;
}

/* Maps the first page of path n times, one VMA each (adjacent, the same offset). */
static void map_many(const char *path, int n)
{
	int fd = open(path, O_RDONLY);
	char *base = mmap(NULL, (size_t)n * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (int i = 0; i < n; i++)
		mmap(base + (size_t)i * 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
	close(fd);
}

static volatile pid_t *thread_tids; /* shared with the parent: the dumping child's threads */

static void *sleeper(void *arg)
{
	thread_tids[(long)arg] = (pid_t)syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

/* The NT_PRSTATUS pr_pids of a core file, as indexes in thread_tids, on one line. */
static void prstatus_order(const char *path, int n)
{
	int fd = open(path, O_RDONLY);
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    pread(fd, &ph, sizeof(ph), (off_t)eh.e_phoff) != sizeof(ph)) {
		printf("  no core\n");
		if (fd >= 0)
			close(fd);
		return;
	}
	char *notes = malloc(ph.p_filesz);
	if (pread(fd, notes, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz)
		ph.p_filesz = 0;
	int order[16], k = 0;
	for (size_t off = 0; off + 12 <= ph.p_filesz && k < 16;) {
		unsigned *nh = (unsigned *)(notes + off);
		char *desc = notes + off + 12 + ((nh[0] + 3) & ~3u);

		if (nh[2] == NT_PRSTATUS) {
			int pid = *(int *)(desc + 32), idx = -1;

			for (int i = 0; i < n; i++)
				idx = thread_tids[i] == pid ? i : idx;
			order[k++] = idx;
		}
		off += 12 + ((nh[0] + 3) & ~3u) + ((nh[1] + 3) & ~3u);
	}
	/*
	 * The others come in the order they parked, which is a race even on one CPU (Linux 6.1
	 * gave 1 2 3 4 and 2 3 4 1 on two runs): only the set is compared, sorted after the
	 * dumper's.
	 */
	for (int i = 1; i < k; i++) {
		for (int j = i + 1; j < k; j++) {
			if (order[j] < order[i]) {
				int t = order[i];
				order[i] = order[j];
				order[j] = t;
			}
		}
	}
	printf("  NT_PRSTATUS threads by creation index:");
	for (int i = 0; i < k; i++)
		printf(" %d", order[i]);
	printf("\n");
	free(notes);
	close(fd);
}

/* A thread of ours forks a child that faults: its core's pr_ppid fields name which thread. */
static void *forking_thread(void *arg)
{
	pid_t pid = fork();

	(void)arg;
	if (pid == 0) {
		*(volatile int *)0 = 1;
		_exit(1);
	}
	wait_child(pid);
	int fd = open("core", O_RDONLY), ppid_status = -1, ppid_psinfo = -1;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	if (fd >= 0 && pread(fd, &eh, sizeof(eh), 0) == sizeof(eh) &&
	    pread(fd, &ph, sizeof(ph), (off_t)eh.e_phoff) == sizeof(ph)) {
		char *notes = malloc(ph.p_filesz);

		if (pread(fd, notes, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz)
			ph.p_filesz = 0;
		for (size_t off = 0; off + 12 <= ph.p_filesz;) {
			unsigned *nh = (unsigned *)(notes + off);
			char *desc = notes + off + 12 + ((nh[0] + 3) & ~3u);

			if (nh[2] == NT_PRSTATUS)
				ppid_status = *(int *)(desc + 36);
			if (nh[2] == NT_PRPSINFO)
				ppid_psinfo = *(int *)(desc + 28);
			off += 12 + ((nh[0] + 3) & ~3u) + ((nh[1] + 3) & ~3u);
		}
		free(notes);
	}
	if (fd >= 0)
		close(fd);
	pid_t tid = (pid_t)syscall(SYS_gettid);
	printf("  NT_PRSTATUS pr_ppid: the forking thread %d the process %d\n", ppid_status == tid,
	       ppid_status == getpid());
	printf("  NT_PRPSINFO pr_ppid: the forking thread %d the process %d\n", ppid_psinfo == tid,
	       ppid_psinfo == getpid());
	return NULL;
}

int main(void)
{
	char buf[512], name[512], saved[256];
	struct stat st;
	pid_t pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	read_file("/proc/sys/kernel/core_pattern", saved, sizeof(saved));
	mkdir("/tmp", 01777);
	mkdir(DIR, 0755);
	if (chdir(DIR))
		printf("chdir: %s\n", strerror(errno));
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };
	setrlimit(RLIMIT_CORE, &r);

	printf("1. core_pattern naming a /proc file\n");
	write_file("/proc/sys/kernel/core_pattern", "/proc/sys/kernel/core_pattern");
	wait_child(segv_child());
	read_file("/proc/sys/kernel/core_pattern", buf, sizeof(buf));
	printf("  pattern kept %d\n", !strcmp(buf, "/proc/sys/kernel/core_pattern\n"));

	printf("2. a missing directory\n");
	write_file("/proc/sys/kernel/core_pattern", DIR "/nodir/core");
	wait_child(segv_child());

	printf("3. a symlink at the name: replaced, its target untouched\n");
	write_file("/proc/sys/kernel/core_pattern", "core");
	int fd = open("target", O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (write(fd, "keep", 4) != 4)
		printf("write target\n");
	close(fd);
	symlink("target", "core");
	wait_child(segv_child());
	printf("  core regular %d target size %lld\n", lstat("core", &st) == 0 && S_ISREG(st.st_mode),
	       stat("target", &st) == 0 ? (long long)st.st_size : -1LL);
	unlink("core");
	unlink("target");

	printf("4. an 8 GiB sparse mapping with one page written\n");
	time_t t0 = time(NULL);
	pid = fork();
	if (pid == 0) {
		char *big = mmap(NULL, 8UL << 30, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (big == MAP_FAILED)
			_exit(2);
		big[(4UL << 30) + 5] = 'x';
		*(volatile int *)0 = 1;
		_exit(1);
	}
	wait_child(pid);
	int have = stat("core", &st) == 0;
	printf("  file %d size > 8 GiB %d blocks < 1 MiB %d quick %d\n", have,
	       st.st_size > (8LL << 30), st.st_blocks * 512LL < (1LL << 20),
	       time(NULL) - t0 < 30);
	unlink("core");

	printf("5. three threads spinning in user mode, the main one faults\n");
	pid = fork();
	if (pid == 0) {
		pthread_t t;

		for (int i = 0; i < 3; i++)
			pthread_create(&t, NULL, spinner, NULL);
		while (spin_go < 1000)
			;
		usleep(50000);
		*(volatile int *)0 = 1;
		_exit(1);
	}
	wait_child(pid);
	printf("  NT_PRSTATUS notes %d\n", count_prstatus("core"));
	printf("  NT_PRPSINFO: the leader, dumping: state %c\n", psinfo_sname);
	unlink("core");

	printf("6. two threads fault at once\n");
	pid = fork();
	if (pid == 0) {
		pthread_t t[2];

		pthread_barrier_init(&barrier, NULL, 2);
		pthread_create(&t[0], NULL, faulter, NULL);
		pthread_create(&t[1], NULL, faulter, NULL);
		for (;;)
			pause();
	}
	wait_child(pid);
	printf("  NT_PRSTATUS notes %d\n", count_prstatus("core"));
	printf("  NT_PRPSINFO: the leader, parked: state %c\n", psinfo_sname);
	unlink("core");

	printf("7. %%E %%f %%h %%t\n");
	write_file("/proc/sys/kernel/core_pattern", "c.%E.%f.%h.%t");
	time_t before = time(NULL);
	pid = segv_child();
	wait_child(pid);
	time_t after = time(NULL);
	char exe[256] = { 0 };
	struct utsname u;
	uname(&u);
	if (readlink("/proc/self/exe", exe, sizeof(exe) - 1) < 0)
		exe[0] = 0;
	char esc[256];
	strcpy(esc, exe);
	for (char *c = esc; *c; c++)
		if (*c == '/')
			*c = '!';
	const char *base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
	int found = 0;
	for (time_t t = before; t <= after; t++) {
		snprintf(name, sizeof(name), "c.%s.%s.%s.%lld", esc, base, u.nodename,
			 (long long)t);
		if (exists(name)) {
			found = 1;
			unlink(name);
		}
	}
	printf("  named as expected %d\n", found);

	printf("8. a vfork child faults\n");
	write_file("/proc/sys/kernel/core_pattern", "core");
	pid = vfork();
	if (pid == 0)
		*(volatile int *)0 = 1;
	wait_child(pid);
	printf("  file %d\n", exists("core"));
	unlink("core");

	printf("9. SIGKILL: no core\n");
	pid = fork();
	if (pid == 0)
		for (;;)
			pause();
	kill(pid, SIGKILL);
	wait_child(pid);
	printf("  file %d\n", exists("core"));

	printf("10. SIGQUIT from kill(2): a core\n");
	pid = fork();
	if (pid == 0)
		for (;;)
			pause();
	usleep(10000);
	kill(pid, SIGQUIT);
	wait_child(pid);
	printf("  file %d\n", exists("core"));
	unlink("core");

	printf("11. fs.suid_dumpable after setresuid(1000) as root\n");
	for (int mode = 0; mode <= 2; mode++) {
		for (int absolute = 0; absolute <= 1; absolute++) {
			snprintf(buf, sizeof(buf), "%d", mode);
			write_file("/proc/sys/fs/suid_dumpable", buf);
			write_file("/proc/sys/kernel/core_pattern", absolute ? DIR "/core" : "core");
			pid = fork();
			if (pid == 0) {
				if (setresuid(1000, 1000, 1000))
					_exit(3);
				printf("  suid_dumpable %d %s: PR_GET_DUMPABLE %d\n", mode,
				       absolute ? "absolute" : "relative", prctl(PR_GET_DUMPABLE));
				*(volatile int *)0 = 1;
				_exit(1);
			}
			wait_child(pid);
			printf("  file %d", lstat("core", &st) == 0);
			if (lstat("core", &st) == 0)
				printf(" uid %u mode %o", st.st_uid, st.st_mode & 07777);
			printf("\n");
			unlink("core");
		}
	}
	write_file("/proc/sys/fs/suid_dumpable", "0");

	printf("12. writes to /proc/self/coredump_filter\n");
	const char *vals[] = { "0x1ff\n", "0x3ff", "07", "+5", " 1", "-1", "", "1 ", "0x", "4294967296",
			       "0x00000000033", "12abc", NULL };
	for (int i = 0; vals[i]; i++) {
		int f = open("/proc/self/coredump_filter", O_WRONLY);
		ssize_t n = write(f, vals[i], strlen(vals[i]));
		int e = errno;
		close(f);
		read_file("/proc/self/coredump_filter", buf, sizeof(buf));
		printf("  \"%.*s\": %zd %s -> %s", (int)strcspn(vals[i], "\n"), vals[i], n,
		       n < 0 ? strerror(e) : "ok", buf);
	}
	write_file("/proc/self/coredump_filter", "0x33");

	printf("13. CoreDumping in /proc/PID/status: 0 for a live process, none for a zombie\n");
	pid = fork();
	if (pid == 0)
		_exit(0);
	char path[64], st_text[4096];
	siginfo_t si;
	waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	read_file(path, st_text, sizeof(st_text));
	printf("  zombie has the line %d\n", strstr(st_text, "CoreDumping:") != NULL);
	waitpid(pid, NULL, 0);
	read_file("/proc/self/status", st_text, sizeof(st_text));
	printf("  self: %.14s\n", strstr(st_text, "CoreDumping:") ? strstr(st_text, "CoreDumping:") : "none");

	printf("14. NT_FILE names as /proc/PID/maps gives them\n");
	write_file("/proc/sys/kernel/core_pattern", "core");
	char *lp = long_path(), names[4096];
	int lfd = open(lp, O_RDWR | O_CREAT, 0644), nlong;
	ftruncate(lfd, 4096);
	close(lfd);
	pid = fork();
	if (pid == 0) {
		int m = (int)syscall(SYS_memfd_create, "nm", 0), id = shmget(0x1234, 4096, IPC_CREAT | 0600);

		ftruncate(m, 4096);
		mmap(NULL, 4096, PROT_READ, MAP_SHARED, m, 0);
		mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		shmat(id, NULL, SHM_RDONLY);
		shmctl(id, IPC_RMID, NULL);
		map_many(lp, 3);
		*(volatile int *)0 = 1;
		_exit(1);
	}
	wait_child(pid);
	printf("  count %d\n", nt_file("core", names, sizeof(names), &nlong) > 0);
	printf("  names:\n%s  long ones %d\n", names, nlong);
	unlink("core");
	/* 4 MiB or more of names: no note (Linux's MAX_FILE_NOTE_SIZE); less: every name */
	for (int n = 500; n <= 1100; n += 600) {
		pid = fork();
		if (pid == 0) {
			map_many(lp, n);
			*(volatile int *)0 = 1;
			_exit(1);
		}
		wait_child(pid);
		printf("  %d mappings of a %zu-byte name: note %d", n, strlen(lp),
		       nt_file("core", names, sizeof(names), &nlong) >= 0);
		printf(" long names %d\n", nlong);
		unlink("core");
	}
	unlink(lp);
	for (int i = 0; i < 15; i++) {
		*strrchr(lp, '/') = 0;
		rmdir(lp);
	}

	printf("15. SIGKILL during a dump (kill, then tgkill): it stops, status SIGKILL\n");
	for (int how = 0; how < 2; how++) {
		pid = fork();
		if (pid == 0) {
			pthread_t t;
			size_t len = 48UL << 20;
			char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			memset(mem, 'y', len);
			pthread_create(&t, NULL, spinner, NULL);
			*(volatile int *)0 = 1;
			_exit(1);
		}
		char spath[64], st_text[4096];
		int seen = 0;
		snprintf(spath, sizeof(spath), "/proc/%d/status", pid);
		for (int i = 0; i < 2000000 && !seen; i++) {
			read_file(spath, st_text, sizeof(st_text));
			seen = strstr(st_text, "CoreDumping:\t1") != NULL;
		}
		if (how == 0)
			kill(pid, SIGKILL);
		else
			syscall(SYS_tgkill, pid, pid, SIGKILL);
		printf("  seen dumping %d", seen);
		wait_child(pid);
		unlink("core");
	}

	printf("16. more than 65535 VMAs: PN_XNUM, the count in a section header\n");
	char saved_max[64];
	read_file("/proc/sys/vm/max_map_count", saved_max, sizeof(saved_max));
	write_file("/proc/sys/vm/max_map_count", "200000");
	pid = fork();
	if (pid == 0) {
		size_t n = 68000;
		char *base = mmap(NULL, n * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		for (size_t i = 1; i < n; i += 2)
			mprotect(base + i * 4096, 4096, PROT_NONE);
		*(volatile int *)0 = 1;
		_exit(1);
	}
	wait_child(pid);
	fd = open("core", O_RDONLY);
	Elf64_Ehdr eh = { 0 };
	Elf64_Shdr sh = { 0 };
	pread(fd, &eh, sizeof(eh), 0);
	pread(fd, &sh, sizeof(sh), (off_t)eh.e_shoff);
	fstat(fd, &st);
	printf("  e_phnum %#x e_shnum %d e_shentsize %d e_shstrndx %d shdr last %d\n", eh.e_phnum,
	       eh.e_shnum, eh.e_shentsize, eh.e_shstrndx,
	       eh.e_shoff + sizeof(sh) == (unsigned long)st.st_size);
	printf("  sh_type %d sh_size %lu sh_link %d sh_info > 68000 %d sh_offset %lu\n", sh.sh_type,
	       (unsigned long)sh.sh_size, sh.sh_link, sh.sh_info > 68000, (unsigned long)sh.sh_offset);
	size_t loads = 0, notes = 0, last = 0;
	Elf64_Phdr *phs = calloc(sh.sh_info + 1, sizeof(*phs));
	pread(fd, phs, sh.sh_info * sizeof(*phs), (off_t)eh.e_phoff);
	for (size_t i = 0; i < sh.sh_info; i++) {
		loads += phs[i].p_type == PT_LOAD;
		notes += phs[i].p_type == PT_NOTE;
		if (phs[i].p_type == PT_LOAD && phs[i].p_filesz)
			last = phs[i].p_offset + phs[i].p_filesz;
	}
	printf("  PT_NOTE %zu PT_LOADs = sh_info - 1 %d data ends at e_shoff %d\n", notes,
	       loads + 1 == sh.sh_info, last == eh.e_shoff);
	printf("  NT_FILE %d\n", nt_file("core", names, sizeof(names), &nlong) >= 0);
	free(phs);
	close(fd);
	unlink("core");
	write_file("/proc/sys/vm/max_map_count", saved_max);

	printf("17. five threads, the main one faults: the dumper's notes first, every thread's once\n");
	thread_tids = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid = fork();
	if (pid == 0) {
		pthread_t t;

		thread_tids[0] = getpid();
		for (long i = 1; i < 5; i++) {
			pthread_create(&t, NULL, sleeper, (void *)i);
			while (!thread_tids[i])
				usleep(1000);
		}
		usleep(100000);
		*(volatile int *)0 = 1;
		_exit(1);
	}
	wait_child(pid);
	prstatus_order("core", 5);
	unlink("core");

	printf("18. a child forked by a second thread faults: pr_ppid is that thread's TID\n");
	pthread_t ft;
	pthread_create(&ft, NULL, forking_thread, NULL);
	pthread_join(ft, NULL);
	unlink("core");

	write_file("/proc/sys/kernel/core_pattern", saved);
	rmdir(DIR);
	printf("done\n");
	return 0;
}
