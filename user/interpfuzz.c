/* interpfuzz: hostile program interpreters (issue 19 item 7). A Warden-only check (warden suite):
 * Linux is not the oracle here, only "the kernel survives".
 *
 * A valid interpreter (ET_DYN at 0: an R+X PT_LOAD holding `exit(42)` and an RW PT_LOAD with a
 * bss) and a program naming it in PT_INTERP (ET_EXEC, or ET_DYN as a PIE) are written to /tmp.
 * Then, for ROUNDS rounds from a fixed seed, one to four fields of the interpreter's ELF header
 * or program headers are set to a value chosen among edge cases (0, 1, page-1, page, 2^47-4096,
 * 2^47, -1, -4096, a random number, a neighbour field's value) and a forked child execs the
 * program with a 2-second alarm. Any outcome is fine (an exec error, a signal, exit 42); what is
 * checked: every child ends, the valid pair still runs at the end (exit 42), and /proc/meminfo's
 * MemFree comes back within 256 KiB of its value after the first rounds (no frames or file
 * references leaked by a failed load). Prints the outcome counts; exits with the failures.
 * `interpfuzz [ROUNDS [SEED]]` runs longer or other campaigns.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

#include "common.h"

#define ROUNDS 600
#define IMGSZ 8192

struct ehdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static unsigned char interp[IMGSZ], prog[IMGSZ];
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* An ELF header with n program headers at 64 and the entry at entry. */
static void ehdr(unsigned char *img, int type, int n, uint64_t entry)
{
	struct ehdr *e = (struct ehdr *)img;

	memset(img, 0, IMGSZ);
	memcpy(e->ident, "\177ELF\2\1\1", 7);
	e->type = (uint16_t)type;
	e->machine = 62;
	e->version = 1;
	e->entry = entry;
	e->phoff = 64;
	e->ehsize = 64;
	e->phentsize = 56;
	e->phnum = (uint16_t)n;
}

static struct phdr *ph(unsigned char *img, int i)
{
	return (struct phdr *)(img + 64 + 56 * i);
}

/* The valid interpreter: code at 0x1000 (file offset 0x1000), data at 0x2000 with a bss. */
static void build_interp(void)
{
	static const unsigned char code[] = { 0xbf, 42, 0, 0, 0, 0xb8, 60, 0, 0, 0, 0x0f, 0x05 };

	ehdr(interp, 3, 3, 0x1000);
	*ph(interp, 0) = (struct phdr){ 1, 5, 0, 0, 0, 0x1000 + sizeof(code),
					0x1000 + sizeof(code), 0x1000 };
	*ph(interp, 1) = (struct phdr){ 1, 6, 0x1000 + 0x800, 0x2000 + 0x800, 0, 0x100, 0x3000,
					0x1000 };
	*ph(interp, 2) = (struct phdr){ 0x6474e551, 6, 0, 0, 0, 0, 0, 16 };
	memcpy(interp + 0x1000, code, sizeof(code));
}

/* The program: one R PT_LOAD and a PT_INTERP naming /tmp/ifz.interp; its entry is a ud2. */
static void build_prog(int pie)
{
	static const char name[] = "/tmp/ifz.interp";
	uint64_t base = pie ? 0 : 0x400000;

	ehdr(prog, pie ? 3 : 2, 2, base + 0x300);
	*ph(prog, 0) = (struct phdr){ 1, 5, 0, base, base, 0x400, 0x400, 0x1000 };
	*ph(prog, 1) = (struct phdr){ 3, 4, 0x200, base + 0x200, 0, sizeof(name), sizeof(name), 1 };
	memcpy(prog + 0x200, name, sizeof(name));
	prog[0x300] = 0x0f;
	prog[0x301] = 0x0b;
}

static void write_file(const char *path, const unsigned char *img, long len)
{
	unlink(path);
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (fd < 0 || write(fd, img, (size_t)len) != len)
		printf("FAIL write %s\n", path);
	close(fd);
}

/* An edge-case value for a field of `size` bytes. */
static uint64_t edge(void)
{
	static const uint64_t v[] = { 0,	   1,		0xfff,		   0x1000,
				      0x1001,	   0x3000,	0x7ffffffff000ULL, 0x800000000000ULL,
				      -1ULL,	   -4096ULL,	0x2000,		   0x555555554000ULL,
				      0x7fffffffe000ULL, 0x40,	56,		   0x100000000ULL };
	uint64_t r = next();

	return r % 5 == 0 ? next() : v[r % (sizeof(v) / sizeof(v[0]))];
}

/* Sets a random field of the interpreter's headers to an edge value. */
static void mutate(void)
{
	struct ehdr *e = (struct ehdr *)interp;
	uint64_t x = edge();
	int i = (int)(next() % 3), f = (int)(next() % 12);
	struct phdr *p = ph(interp, i);

	switch (f) {
	case 0: e->type = (uint16_t)(next() % 5); break;
	case 1: e->entry = x; break;
	case 2: e->phoff = x; break;
	case 3: e->phnum = (uint16_t)(next() % 8 ? next() % 6 : x); break;
	case 4: p->type = next() % 2 ? 1 : (uint32_t)x; break;
	case 5: p->flags = (uint32_t)(next() % 8); break;
	case 6: p->offset = x; break;
	case 7: p->vaddr = x; break;
	case 8: p->filesz = x; break;
	case 9: p->memsz = x; break;
	case 10: p->align = x; break;
	default: *p = *ph(interp, (i + 1) % 3); break;
	}
}

static long memfree(void)
{
	char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strstr(buf, "MemFree:");
	return p ? strtol(p + 8, NULL, 10) : -1;
}

/* Execs /tmp/ifz.prog in a child with a 2-second alarm: its wait status, or -errno of execve. */
static int run_once(void)
{
	int st, pfd[2];
	long err = 0;

	if (pipe(pfd))
		return -1000;
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "/tmp/ifz.prog", NULL }, *envp[] = { NULL };
		close(pfd[0]);
		fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
		alarm(2);
		long r = sys3(SYS_execve, (long)argv[0], (long)argv, (long)envp);
		write(pfd[1], &r, sizeof(r));
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(pfd[0]);
	waitpid(pid, &st, 0);
	return err ? (int)err : st;
}

int main(int argc, char **argv)
{
	int fails = 0, exec_err = 0, signalled = 0, ran = 0, other = 0;
	int rounds = argc > 1 ? atoi(argv[1]) : ROUNDS;
	long base = -1;

	if (argc > 2)
		rng = strtoull(argv[2], NULL, 0) | 1;
	ensure_tmp();
	for (int round = 0; round < rounds; round++) {
		build_interp();
		build_prog(round % 2);
		int n = 1 + (int)(next() % 4);
		for (int k = 0; k < n; k++)
			mutate();
		long len = next() % 16 ? IMGSZ : (long)(next() % IMGSZ);
		write_file("/tmp/ifz.interp", interp, len);
		write_file("/tmp/ifz.prog", prog, IMGSZ);
		int r = run_once();
		if (r < 0)
			exec_err++;
		else if (WIFSIGNALED(r))
			signalled++;
		else if (WIFEXITED(r) && WEXITSTATUS(r) == 42)
			ran++;
		else
			other++;
		if (r >= 0 && WIFSIGNALED(r) && WTERMSIG(r) == SIGALRM) {
			printf("FAIL round %d: the child ran into its alarm\n", round);
			fails++;
		}
		if (round == 20)
			base = memfree();
	}
	build_interp();
	for (int pie = 0; pie < 2; pie++) {
		build_prog(pie);
		write_file("/tmp/ifz.interp", interp, IMGSZ);
		write_file("/tmp/ifz.prog", prog, IMGSZ);
		int r = run_once();
		if (r < 0 || !WIFEXITED(r) || WEXITSTATUS(r) != 42) {
			printf("FAIL the valid pair (pie %d) did not exit 42: %d\n", pie, r);
			fails++;
		}
	}
	long now = memfree();
	if (base > 0 && now >= 0 && now < base - 256) {
		printf("FAIL MemFree %ld kB, %ld kB after round 20: frames leaked\n", now, base);
		fails++;
	}
	unlink("/tmp/ifz.interp");
	unlink("/tmp/ifz.prog");
	printf("interpfuzz: %d rounds: %d exec errors, %d killed, %d ran the interpreter, %d other\n",
	       rounds, exec_err, signalled, ran, other);
	printf("interpfuzz: %s\n", fails ? "FAIL" : "ok");
	return fails;
}
