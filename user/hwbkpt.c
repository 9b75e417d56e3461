/* hwbkpt: user hardware breakpoints through PTRACE_POKEUSER of DR0-DR7, checked against Linux 6.1.
 * - POKEUSER's checks: kernel and end-of-user-space addresses, DR4/DR5, an I/O type, an execute
 *   breakpoint longer than a byte, an address misaligned for its length (set before or after
 *   DR7), a slot DR7 enables before it has an address; PEEKUSER of DR0-DR7 after each (a failed
 *   DR7 write is undone as Linux undoes it).
 * - A tracee hitting them: a write watchpoint (len 8), read/write watchpoints of len 1, 2, 4, 8
 *   (an access just inside and just outside), an execute breakpoint (stops once per call: RF),
 *   each stop's wait status, PTRACE_GETSIGINFO si_code and si_addr (told against the tracee's RIP
 *   and the watched address, never printed), and DR6 as PEEKUSER reads it.
 * - A kernel access to watched user memory (read(2) into it): no signal, DR6 shows the slot.
 * - fork: the child (traced by PTRACE_O_TRACEFORK) has no breakpoint but DR6/DR7 words copied;
 *   execve drops every breakpoint.
 * Addresses are printed as offsets from the watched variable or yes/no, never raw. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define DR_OFF(n) (offsetof(struct user, u_debugreg) + (n) * sizeof(long))

static volatile uint64_t wvar[4] __attribute__((aligned(64)));
static volatile uint8_t sink;

/* The execute breakpoint's target: not inlined, so it has one address. */
__attribute__((noinline)) static void target_fn(void)
{
	__asm__ __volatile__("" ::: "memory");
	sink++;
}

static long poke_dr(pid_t pid, int n, unsigned long v)
{
	long r = ptrace(PTRACE_POKEUSER, pid, (void *)DR_OFF(n), (void *)v);
	return r < 0 ? -errno : r;
}

static unsigned long peek_dr(pid_t pid, int n)
{
	errno = 0;
	return (unsigned long)ptrace(PTRACE_PEEKUSER, pid, (void *)DR_OFF(n), NULL);
}

static void poke(pid_t pid, const char *what, int n, unsigned long v)
{
	show(what, poke_dr(pid, n, v));
}

/* An address printed relative to wvar, or "0", or "other". */
static void print_addr(const char *what, unsigned long a)
{
	unsigned long base = (unsigned long)wvar;

	if (a == 0)
		printf("%s=0", what);
	else if (a - base < 256)
		printf("%s=wvar+%lu", what, a - base);
	else if (a == (unsigned long)target_fn)
		printf("%s=target_fn", what);
	else
		printf("%s=other", what);
}

static void show_drs(pid_t pid)
{
	printf("  ");
	for (int n = 0; n < 4; n++) {
		print_addr(n == 0   ? "DR0"
			   : n == 1 ? " DR1"
			   : n == 2 ? " DR2"
				    : " DR3",
			   peek_dr(pid, n));
	}
	printf(" DR6=%#lx DR7=%#lx\n", peek_dr(pid, 6), peek_dr(pid, 7));
}

/* Forks a tracee that stops itself (SIGSTOP) before running fn; returns at that stop. */
static pid_t start_tracee(void (*fn)(void))
{
	int st;

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		fn();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGSTOP) {
		printf("setup: no SIGSTOP stop (%#x)\n", st);
		exit(1);
	}
	return pid;
}

/* Continues the tracee and reports stops until it exits: status, siginfo, DR6. */
static void follow(pid_t pid, int max_stops)
{
	for (int i = 0; i <= max_stops; i++) {
		int st;

		ptrace(PTRACE_CONT, pid, NULL, NULL);
		waitpid(pid, &st, 0);
		if (WIFEXITED(st)) {
			printf("  exit %d\n", WEXITSTATUS(st));
			return;
		}
		if (WIFSIGNALED(st)) {
			printf("  killed by signal %d\n", WTERMSIG(st));
			return;
		}
		siginfo_t si;
		struct user_regs_struct regs;
		memset(&si, 0, sizeof(si));
		ptrace(PTRACE_GETSIGINFO, pid, NULL, &si);
		ptrace(PTRACE_GETREGS, pid, NULL, &regs);
		printf("  stop %d: signal %d si_code %d si_addr==rip %s", i, WSTOPSIG(st),
		       si.si_code, (unsigned long)si.si_addr == regs.rip ? "yes" : "no");
		print_addr(" si_addr", (unsigned long)si.si_addr);
		print_addr(" rip", regs.rip);
		printf(" DR6=%#lx\n", peek_dr(pid, 6));
	}
	printf("  too many stops\n");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void do_nothing(void)
{
}

static void errors(void)
{
	pid_t pid = start_tracee(do_nothing);
	unsigned long w = (unsigned long)wvar;

	printf("errors\n");
	show_drs(pid);
	poke(pid, "  DR0 = kernel address", 0, 0xffffffff81000000UL);
	poke(pid, "  DR0 = 0x7ffffffff000 (TASK_SIZE_MAX)", 0, 0x7ffffffff000UL);
	poke(pid, "  DR0 = 0x7fffffffefff", 0, 0x7fffffffefffUL);
	poke(pid, "  DR0 = -1", 0, ~0UL);
	poke(pid, "  DR4 = 0", 4, 0);
	poke(pid, "  DR5 = 0", 5, 0);
	printf("  DR4 reads %#lx, DR5 reads %#lx\n", peek_dr(pid, 4), peek_dr(pid, 5));
	show_drs(pid);
	poke(pid, "  DR0 = wvar+1", 0, w + 1);
	poke(pid, "  DR7 = DR0 write len 4 enabled", 7, 0xd0001);
	poke(pid, "  DR7 = DR0 write len 2 disabled", 7, 0x50000);
	poke(pid, "  DR7 = DR0 write len 1 enabled", 7, 0x10001);
	show_drs(pid);
	poke(pid, "  DR0 = wvar", 0, w);
	poke(pid, "  DR7 = DR0 rw len 8 enabled", 7, 0xb0001);
	poke(pid, "  DR0 = wvar+4 (len 8)", 0, w + 4);
	poke(pid, "  DR0 = 0x7ffffffffff8 - 8 + 8", 0, 0x7fffffffeff8UL);
	show_drs(pid);
	poke(pid, "  DR7 = DR0 I/O type", 7, 0x20001);
	poke(pid, "  DR7 = DR0 execute len 2", 7, 0x40001);
	poke(pid, "  DR7 = DR0 execute len 2, disabled", 7, 0x40000);
	show_drs(pid);
	poke(pid, "  DR0 = wvar+1", 0, w + 1);
	poke(pid, "  DR7 = DR0 execute at wvar+1", 7, 0x00001);
	show_drs(pid);
	poke(pid, "  DR7 = DR1 enabled with no address", 7, 0x10005);
	show_drs(pid);
	poke(pid, "  DR7 = DR1 write len 4 (misaligned DR0 kept), DR2 I/O", 7, 0x2d0014);
	show_drs(pid);
	poke(pid, "  DR7 = reserved and GE/LE bits", 7, 0xffffffff0000ff00UL);
	show_drs(pid);
	poke(pid, "  DR6 = 0x1234", 6, 0x1234);
	show_drs(pid);
	poke(pid, "  DR7 = 0", 7, 0);
	show_drs(pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void write_child(void)
{
	wvar[1] = 5; /* outside the watched 8 bytes */
	wvar[0] = 1;
	sink = (uint8_t)wvar[0]; /* a read: no hit on a write watchpoint */
	wvar[0] = 2;
}

static void write_watch(void)
{
	pid_t pid = start_tracee(write_child);

	printf("write watchpoint, len 8\n");
	poke(pid, "  DR0 = wvar", 0, (unsigned long)wvar);
	poke(pid, "  DR7 = DR0 write len 8", 7, 0x90001);
	show_drs(pid);
	follow(pid, 4);
}

static int rw_len;

/* Reads the byte just past the watched range, then the last one in it, then writes the first. */
static void rw_child(void)
{
	volatile uint8_t *b = (volatile uint8_t *)wvar;

	sink = b[8 + rw_len];
	sink = b[8 + rw_len - 1];
	sink = b[7];
	b[8] = 1;
}

static void rw_watch(void)
{
	static const unsigned long lenbits[9] = { [1] = 0, [2] = 1, [4] = 3, [8] = 2 };

	for (rw_len = 1; rw_len <= 8; rw_len *= 2) {
		pid_t pid = start_tracee(rw_child);

		printf("read/write watchpoint, len %d, on DR%d\n", rw_len, rw_len == 8 ? 3 : 1);
		int slot = rw_len == 8 ? 3 : 1;
		poke(pid, "  DRn = wvar+8", slot, (unsigned long)wvar + 8);
		poke(pid, "  DR7", 7,
		     ((lenbits[rw_len] << 2 | 3) << (16 + slot * 4)) | (1UL << (slot * 2)));
		follow(pid, 4);
	}
}

static void exec_child(void)
{
	target_fn();
	target_fn();
}

static void exec_bp(void)
{
	pid_t pid = start_tracee(exec_child);

	printf("execute breakpoint\n");
	poke(pid, "  DR2 = target_fn", 2, (unsigned long)target_fn);
	poke(pid, "  DR7 = DR2 execute, global enable", 7, 0x20);
	show_drs(pid);
	follow(pid, 4);
}

static void kernel_child(void)
{
	int p[2];
	uint64_t v = 7;

	if (pipe(p) || write(p[1], &v, 8) != 8)
		_exit(3);
	long n = read(p[0], (void *)wvar, 8); /* the kernel writes the watched word */
	long m = write(p[1], (void *)wvar, 8); /* and reads it */
	raise(SIGSTOP);
	_exit(n == 8 && m == 8 && wvar[0] == 7 ? 0 : 4);
}

static void kernel_access(void)
{
	pid_t pid = start_tracee(kernel_child);

	printf("kernel access to watched memory (read(2) into it, write(2) from it)\n");
	poke(pid, "  DR0 = wvar", 0, (unsigned long)wvar);
	poke(pid, "  DR7 = DR0 rw len 8", 7, 0xb0001);
	follow(pid, 2);
}

static void fork_child(void)
{
	pid_t c = fork();

	if (c == 0) {
		wvar[0] = 9; /* a breakpoint inherited would stop here */
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	wvar[0] = 10;
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st));
}

static void fork_case(void)
{
	pid_t pid = start_tracee(fork_child);
	int st;
	unsigned long msg = 0;

	printf("fork\n");
	poke(pid, "  DR0 = wvar", 0, (unsigned long)wvar);
	poke(pid, "  DR7 = DR0 write len 8", 7, 0x90001);
	poke(pid, "  DR6 = 0xffff0ff2", 6, 0xffff0ff2);
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)PTRACE_O_TRACEFORK);
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	waitpid(pid, &st, 0);
	printf("  parent stop: fork event %s\n",
	       WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | PTRACE_EVENT_FORK << 8) ? "yes" : "no");
	ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg);
	pid_t c = (pid_t)msg;
	waitpid(c, &st, __WALL);
	printf("  child stop: signal %d\n", WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
	printf("  child's:");
	show_drs(c);
	ptrace(PTRACE_CONT, c, NULL, NULL);
	waitpid(c, &st, __WALL);
	printf("  child: %s %d\n",
	       WIFEXITED(st)	? "exit"
	       : WIFSTOPPED(st) ? "stop"
				: "signal",
	       WIFEXITED(st)	? WEXITSTATUS(st)
	       : WIFSTOPPED(st) ? WSTOPSIG(st)
				: WTERMSIG(st));
	if (!WIFEXITED(st)) {
		kill(c, SIGKILL);
		waitpid(c, &st, __WALL);
	}
	printf("  parent:\n");
	follow(pid, 3);
}

static void exec_case(void)
{
	fflush(stdout);
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execl("/proc/self/exe", "hwbkpt", "exec", (char *)NULL);
		_exit(5);
	}
	waitpid(pid, &st, 0);
	printf("execve\n");
	poke(pid, "  DR0 = wvar", 0, (unsigned long)wvar);
	poke(pid, "  DR7 = DR0 write len 8", 7, 0x90001);
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	waitpid(pid, &st, 0);
	printf("  exec stop: signal %d\n", WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
	show_drs(pid);
	follow(pid, 2);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec")) {
		wvar[0] = 3; /* the same address as before the exec: no breakpoint left */
		return 0;
	}
	errors();
	write_watch();
	rw_watch();
	exec_bp();
	kernel_access();
	fork_case();
	exec_case();
	return 0;
}
