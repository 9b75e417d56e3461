/* ptraceseg: a tracer sees and sets the tracee's data segment selectors (issue 15: ptrace and the
 * per-task segment state meet). The tracee puts an LDT data selector in FS and GS (modify_ldt),
 * stops; the tracer reads DS/ES/FS/GS with GETREGS and PEEKUSER, then writes FS = 0 and GS = an
 * LDT selector, and the tracee reports what its segment registers hold when it runs again. A
 * selector the tracer may not set (RPL 0) is refused with EIO. Only selector values and
 * properties are printed.
 */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "common.h"

struct user_desc_raw {
	unsigned int entry_number, base_addr, limit;
	unsigned int flags; /* seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1
				seg_not_present:1 useable:1 lm:1 */
};

static unsigned short get_fs(void)
{
	unsigned short s;
	__asm__ volatile("mov %%fs, %0" : "=r"(s));
	return s;
}

static unsigned short get_gs(void)
{
	unsigned short s;
	__asm__ volatile("mov %%gs, %0" : "=r"(s));
	return s;
}

/* Entry n of the LDT: a 32-bit read/write data segment, base 0, limit 4 GiB. */
static long ldt_entry(unsigned int n)
{
	struct user_desc_raw d = { n, 0, 0xfffff, 1 | (1 << 4) };
	return sys3(SYS_modify_ldt, 1, (long)&d, sizeof d);
}

#define LDT_SEL(n) ((unsigned short)((n) << 3 | 4 | 3))

static void tracee(int pipefd)
{
	if (ldt_entry(0) || ldt_entry(1))
		_exit(10);
	unsigned short s0 = LDT_SEL(0);
	/* FS and GS bases are not used by musl's static start-up after this point. */
	__asm__ volatile("mov %0, %%gs" ::"r"(s0));
	sys2(SYS_kill, sys0(SYS_getpid), SIGSTOP);
	/* The tracer changed GS to LDT entry 1 and FS to null. */
	char line[64];
	int n = snprintf(line, sizeof line, "tracee after SETREGS: fs=%#x gs=%#x\n", get_fs(),
			 get_gs());
	write(pipefd, line, (size_t)n);
	_exit(0);
}

int main(void)
{
	int p[2];
	if (pipe(p))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		sys4(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
		tracee(p[1]);
	}
	close(p[1]);
	int st;
	waitpid(pid, &st, 0);
	printf("stopped: %d sig %d\n", WIFSTOPPED(st), WSTOPSIG(st));

	struct user_regs_struct r;
	show("GETREGS", sys4(SYS_ptrace, PTRACE_GETREGS, pid, 0, (long)&r));
	printf("ds=%#lx es=%#lx fs=%#lx gs=%#lx (gs is LDT entry 0: %d)\n", (unsigned long)r.ds, (unsigned long)r.es, (unsigned long)r.fs,
	       (unsigned long)r.gs, r.gs == LDT_SEL(0));
	long v = -1; /* the raw call stores the word at its data argument */
	show("PEEKUSER gs", sys4(SYS_ptrace, PTRACE_PEEKUSER, pid,
				 offsetof(struct user_regs_struct, gs), (long)&v));
	printf("PEEKUSER gs = GETREGS gs: %d\n", v == (long)r.gs);

	r.gs = 0x10; /* RPL 0: refused */
	show("SETREGS gs=0x10", sys4(SYS_ptrace, PTRACE_SETREGS, pid, 0, (long)&r));
	show("POKEUSER ds=0x18",
	     sys4(SYS_ptrace, PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, ds), 0x18));
	r.gs = LDT_SEL(1);
	r.fs = 0;
	show("SETREGS gs=LDT 1 fs=0", sys4(SYS_ptrace, PTRACE_SETREGS, pid, 0, (long)&r));
	struct user_regs_struct r2;
	sys4(SYS_ptrace, PTRACE_GETREGS, pid, 0, (long)&r2);
	printf("read back: fs=%#lx gs is LDT entry 1: %d\n", (unsigned long)r2.fs, r2.gs == LDT_SEL(1));
	fflush(stdout);
	show("CONT", sys4(SYS_ptrace, PTRACE_CONT, pid, 0, 0));

	char buf[128];
	ssize_t n = read(p[0], buf, sizeof buf - 1);
	if (n > 0) {
		buf[n] = 0;
		printf("%s", buf);
	}
	waitpid(pid, &st, 0);
	printf("tracee exited: %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
	return 0;
}
