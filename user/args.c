/* args: what execve(2) hands a static program on its initial stack: argc,
 * argv, envp, the auxiliary vector and how the stack is laid out (the Linux
 * x86-64 process-startup ABI that Warden's ELF loader must reproduce).
 *
 * Printed, all deterministic:
 * - argc and argv[1..]; argv[0] only as "non-empty" and its basename (the
 *   path differs between environments: run-linux runs the program as /prog);
 * - the number of environment variables and each of them;
 * - for each auxv key a static program needs (AT_PHDR, AT_PHENT, AT_PHNUM,
 *   AT_PAGESZ, AT_ENTRY, AT_RANDOM, AT_HWCAP, AT_HWCAP2, AT_UID, AT_EUID,
 *   AT_GID, AT_EGID, AT_SECURE, AT_EXECFN, AT_NULL) "present" and then its
 *   value or a property of it: AT_PHDR points at the program headers inside
 *   the loaded image, AT_ENTRY is the ELF header's e_entry and _start,
 *   AT_RANDOM is 16 readable bytes, AT_EXECFN is argv[0]. Keys Linux also
 *   passes (AT_SYSINFO_EHDR for the vDSO, AT_CLKTCK, AT_FLAGS, AT_BASE,
 *   AT_PLATFORM, AT_MINSIGSTKSZ, ...) and the values of AT_HWCAP/AT_HWCAP2
 *   (they depend on the CPU) are not printed;
 * - the stack layout: the initial stack pointer (musl's _start passes it to
 *   __libc_start_main, so argv - 1 is where it pointed) is 16-byte aligned;
 *   argv, envp and auxv follow argc with their NULL terminators; the argv
 *   strings are contiguous and directly below the envp strings, which are
 *   directly below the AT_EXECFN string, which ends 8 bytes below the page
 *   aligned top of the stack; AT_RANDOM lies between auxv and the strings;
 * - the process state it starts with: cwd, umask, fds 0-4 (type, access
 *   mode), blocked signals, signal dispositions, uid/gid.
 */
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common.h"

extern char **environ;
extern void _start(void);

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

static const char *basename_of(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Print a string with non-printable bytes escaped, in quotes. */
static void print_quoted(const char *s)
{
	putchar('"');
	print_escaped(s, (long)strlen(s));
	putchar('"');
}

/* The rest of the state a program starts with (run-linux's init gives it
 * these; Warden's run-program must do the same): working directory, umask,
 * open fds and what they are, signal mask and dispositions, credentials. */
static void print_process_state(void)
{
	char cwd[256];
	long r = sys2(SYS_getcwd, (long)cwd, sizeof cwd);
	printf("cwd: %s\n", r > 0 ? cwd : errname((int)-r));
	long mask = sys1(SYS_umask, 022);
	sys1(SYS_umask, mask);
	printf("umask: 0%03lo\n", mask);
	for (int fd = 0; fd < 5; fd++) {
		struct stat st;
		r = sys2(SYS_fstat, fd, (long)&st);
		if (is_err(r)) {
			printf("fd %d: -1 %s\n", fd, errname((int)-r));
			continue;
		}
		long fl = sys2(SYS_fcntl, fd, F_GETFL), fdfl = sys2(SYS_fcntl, fd, F_GETFD);
		int acc = (int)(fl & O_ACCMODE);
		const char *type = S_ISREG(st.st_mode) ? "regular file" : "other";
		if (S_ISCHR(st.st_mode))
			type = "char device";
		if (S_ISFIFO(st.st_mode))
			type = "pipe";
		const char *mode = acc == O_RDONLY ? "O_RDONLY" : "O_RDWR";
		if (acc == O_WRONLY)
			mode = "O_WRONLY";
		printf("fd %d: %s, %s%s%s\n", fd, type, mode, fl & O_APPEND ? "|O_APPEND" : "",
		       fdfl & FD_CLOEXEC ? ", FD_CLOEXEC" : "");
		if (fd == 0 && S_ISREG(st.st_mode))
			printf("fd 0: size %lld\n", (long long)st.st_size);
	}
	unsigned long blocked = 1;
	sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&blocked, 8);
	printf("blocked signals: 0x%lx\n", blocked);
	int non_default = 0;
	for (int sig = 1; sig <= 64; sig++) {
		struct {
			unsigned long handler, flags, restorer, mask;
		} sa;
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sys4(SYS_rt_sigaction, sig, 0, (long)&sa, 8) == 0 && sa.handler != 0) {
			printf("signal %d: not SIG_DFL\n", sig);
			non_default++;
		}
	}
	printf("signals not SIG_DFL: %d\n", non_default);
	printf("getuid %ld, geteuid %ld, getgid %ld, getegid %ld\n", sys0(SYS_getuid),
	       sys0(SYS_geteuid), sys0(SYS_getgid), sys0(SYS_getegid));
}

static const struct {
	unsigned long type;
	const char *name;
} required[] = {
	{ AT_PHDR, "AT_PHDR" },	    { AT_PHENT, "AT_PHENT" },	{ AT_PHNUM, "AT_PHNUM" },
	{ AT_PAGESZ, "AT_PAGESZ" }, { AT_ENTRY, "AT_ENTRY" },	{ AT_RANDOM, "AT_RANDOM" },
	{ AT_HWCAP, "AT_HWCAP" },   { AT_HWCAP2, "AT_HWCAP2" }, { AT_UID, "AT_UID" },
	{ AT_EUID, "AT_EUID" },	    { AT_GID, "AT_GID" },	{ AT_EGID, "AT_EGID" },
	{ AT_SECURE, "AT_SECURE" }, { AT_EXECFN, "AT_EXECFN" },
};
#define NREQ (sizeof required / sizeof required[0])

int main(int argc, char **argv)
{
	/* The initial stack, as musl's _start found it: argc, then argv. */
	uintptr_t sp = (uintptr_t)argv - sizeof(long);
	char **envp = environ;
	int envc = 0;
	while (envp[envc])
		envc++;
	Elf64_auxv_t *auxv = (Elf64_auxv_t *)(envp + envc + 1);

	printf("argc: %d\n", argc);
	printf("argv[0]: non-empty: %s, basename: ", yes(argv[0] && argv[0][0]));
	print_quoted(argv[0] ? basename_of(argv[0]) : "");
	printf("\n");
	for (int i = 1; i < argc; i++) {
		printf("argv[%d]: ", i);
		print_quoted(argv[i]);
		printf("\n");
	}
	printf("argv[argc] is NULL: %s\n", yes(argv[argc] == NULL));
	printf("envc: %d\n", envc);
	for (int i = 0; i < envc; i++) {
		printf("envp[%d]: ", i);
		print_quoted(envp[i]);
		printf("\n");
	}

	/* Collect the auxiliary vector. */
	unsigned long val[NREQ];
	int seen[NREQ] = { 0 };
	int n = 0, terminated = 0;
	for (Elf64_auxv_t *a = auxv; n < 256; a++, n++) {
		if (a->a_type == AT_NULL) {
			terminated = 1;
			break;
		}
		for (unsigned i = 0; i < NREQ; i++)
			if (required[i].type == a->a_type) {
				seen[i]++;
				val[i] = a->a_un.a_val;
			}
	}
	for (unsigned i = 0; i < NREQ; i++)
		printf("%s present: %s%s\n", required[i].name, yes(seen[i]),
		       seen[i] > 1 ? " (more than once)" : "");
	printf("AT_NULL terminates the vector: %s\n", yes(terminated));
	Elf64_auxv_t *auxv_end = auxv + n + 1;
#define V(t) (seen[t] ? val[t] : 0)
	enum {
		I_PHDR,
		I_PHENT,
		I_PHNUM,
		I_PAGESZ,
		I_ENTRY,
		I_RANDOM,
		I_HWCAP,
		I_HWCAP2,
		I_UID,
		I_EUID,
		I_GID,
		I_EGID,
		I_SECURE,
		I_EXECFN
	};

	printf("AT_PHENT: %lu\n", V(I_PHENT));
	printf("AT_PHNUM: %lu\n", V(I_PHNUM));
	printf("AT_PAGESZ: %lu\n", V(I_PAGESZ));
	printf("AT_UID: %lu\nAT_EUID: %lu\nAT_GID: %lu\nAT_EGID: %lu\n", V(I_UID), V(I_EUID),
	       V(I_GID), V(I_EGID));
	printf("AT_SECURE: %lu\n", V(I_SECURE));

	/* AT_PHDR: the ELF header of a static non-PIE program is at the start of
	 * the page holding the program headers (they follow it in the file). */
	const Elf64_Phdr *ph = (const Elf64_Phdr *)V(I_PHDR);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)(V(I_PHDR) & ~0xfffUL);
	int ehdr_ok = ph && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
		      (uintptr_t)eh + eh->e_phoff == (uintptr_t)ph;
	printf("AT_PHDR: ELF header at the start of its page: %s\n", yes(ehdr_ok));
	if (ehdr_ok) {
		printf("ELF e_type: %s\n", eh->e_type == ET_EXEC  ? "ET_EXEC"
					   : eh->e_type == ET_DYN ? "ET_DYN"
								  : "other");
		printf("AT_PHNUM == e_phnum: %s\n", yes(V(I_PHNUM) == eh->e_phnum));
		printf("AT_PHENT == e_phentsize: %s\n", yes(V(I_PHENT) == eh->e_phentsize));
		uintptr_t bias = eh->e_type == ET_DYN ? (uintptr_t)eh : 0;
		int inside = 0;
		for (unsigned i = 0; i < eh->e_phnum; i++)
			if (ph[i].p_type == PT_LOAD && ph[i].p_offset <= eh->e_phoff &&
			    eh->e_phoff + eh->e_phnum * sizeof *ph <=
				    ph[i].p_offset + ph[i].p_filesz &&
			    bias + ph[i].p_vaddr - ph[i].p_offset + eh->e_phoff == (uintptr_t)ph)
				inside = 1;
		printf("AT_PHDR: inside a PT_LOAD segment at its file offset: %s\n", yes(inside));
		printf("AT_ENTRY == e_entry: %s\n", yes(V(I_ENTRY) == bias + eh->e_entry));
	}
	printf("AT_ENTRY == _start: %s\n", yes(V(I_ENTRY) == (uintptr_t)_start));

	/* AT_RANDOM: 16 readable bytes. Reading them is the test (a bad pointer
	 * faults); all zero would mean the kernel did not fill them. */
	const unsigned char *rnd = (const unsigned char *)V(I_RANDOM);
	int nonzero = 0;
	if (rnd)
		for (int i = 0; i < 16; i++)
			nonzero |= rnd[i];
	printf("AT_RANDOM: 16 bytes readable: %s, not all zero: %s\n", yes(rnd != 0), yes(nonzero));

	const char *execfn = (const char *)V(I_EXECFN);
	printf("AT_EXECFN: equals argv[0]: %s\n",
	       yes(execfn && argv[0] && strcmp(execfn, argv[0]) == 0));

	/* Stack layout. */
	printf("stack: initial stack pointer 16-byte aligned: %s\n", yes(sp % 16 == 0));
	printf("stack: argc at the stack pointer: %s\n", yes(*(long *)sp == argc));
	printf("stack: envp follows argv's NULL: %s\n", yes(envp == argv + argc + 1));
	int contiguous = 1;
	const char *next = argv[0];
	for (int i = 0; i < argc; i++) {
		contiguous &= argv[i] == next;
		next = argv[i] + strlen(argv[i]) + 1;
	}
	printf("stack: argv strings contiguous, in order: %s\n", yes(contiguous));
	int env_follows = 1;
	for (int i = 0; i < envc; i++) {
		env_follows &= envp[i] == next;
		next = envp[i] + strlen(envp[i]) + 1;
	}
	printf("stack: envp strings contiguous, directly above the argv strings: %s\n",
	       yes(env_follows));
	printf("stack: AT_EXECFN string directly above the envp strings: %s\n",
	       yes(execfn == next));
	if (execfn) {
		uintptr_t end = (uintptr_t)execfn + strlen(execfn) + 1;
		printf("stack: AT_EXECFN string ends 8 bytes below a page boundary: %s\n",
		       yes((end + 8) % 4096 == 0));
	}
	printf("stack: argv strings above the auxv: %s\n",
	       yes((uintptr_t)argv[0] > (uintptr_t)auxv_end));
	printf("stack: AT_RANDOM bytes between the auxv and the strings: %s\n",
	       yes((uintptr_t)rnd >= (uintptr_t)auxv_end &&
		   (uintptr_t)rnd + 16 <= (uintptr_t)argv[0]));

	print_process_state();
	return 0;
}
