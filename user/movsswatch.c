// SPDX-License-Identifier: MIT
/*
 * CVE-2018-8897 with a watchpoint: a tracer watches the word a tracee loads into SS, and the
 * tracee runs MOV SS, [word] followed by INT3, SYSCALL (getpid) or INT 0x80. On hardware (KVM)
 * the #DB of the MOV SS read is held back to the first instruction of the kernel's entry (SYSCALL
 * still with the user's RSP and GS); Linux ignores it there and goes on. Under QEMU's TCG the #DB
 * comes in user mode, at the instruction after MOV SS (a SIGTRAP stop). Either way the tracer
 * continues every SIGTRAP stop without the signal and the tracee must end normally; the kernel
 * survives. Only each variant's end is printed, so the output is the same on TCG and KVM. Warden
 * has no 32-bit system calls: INT 0x80 is #GP (SIGSEGV) there, where Linux runs getpid; the
 * tracee's SIGSEGV handler ends it as the getpid would (exit 0), so the variant tests the #DB at
 * the entry only.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile unsigned short ssval __attribute__((aligned(8)));

static void segv(int sig)
{
	(void)sig;
	_exit(0);
}

static void variant(int n)
{
	unsigned short ss;

	signal(SIGSEGV, segv);
	__asm__ __volatile__("mov %%ss, %0" : "=r"(ss));
	ssval = ss;
	ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	raise(SIGSTOP);
	if (n == 0)
		__asm__ __volatile__("mov %0, %%ss; int3" : : "m"(ssval) : "memory");
	else if (n == 1)
		__asm__ __volatile__("mov %0, %%ss; syscall"
				     :
				     : "m"(ssval), "a"(39L)
				     : "rcx", "r11", "memory");
	else
		__asm__ __volatile__("mov %0, %%ss; int $0x80" : : "m"(ssval), "a"(20L) : "memory");
	_exit(0);
}

int main(void)
{
	static const char *const names[3] = { "INT3", "SYSCALL", "INT 0x80" };

	for (int n = 0; n < 3; n++) {
		int status, stops = 0;

		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			variant(n);
		waitpid(pid, &status, 0);
		/* a read/write watchpoint of 2 bytes on ssval, in DR0 */
		ptrace(PTRACE_POKEUSER, pid, (void *)offsetof(struct user, u_debugreg[0]),
		       (void *)&ssval);
		long r = ptrace(PTRACE_POKEUSER, pid, (void *)offsetof(struct user, u_debugreg[7]),
				(void *)0x70001UL);
		if (r)
			printf("%s: DR7 refused\n", names[n]);
		for (int sig = 0;; sig = WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status)) {
			ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
			waitpid(pid, &status, 0);
			if (!WIFSTOPPED(status) || ++stops > 5)
				break;
		}
		if (WIFSTOPPED(status)) {
			printf("%s: still stopping\n", names[n]);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		} else if (WIFSIGNALED(status))
			printf("%s: signal %d\n", names[n], WTERMSIG(status));
		else
			printf("%s: exit %d\n", names[n], WEXITSTATUS(status));
	}
	printf("survived\n");
	return 0;
}
