/* pkeyframe: where the signal frame goes when PKRU denies the stack, spec §3.7 and cases 83, 84,
 * 85, 87 (the kernel selftest pkey_sighandler_tests.c, single-threaded: the "thread" is a forked
 * child whose code switches stacks and PKRU in assembly, touching no memory PKRU denies).
 *
 * THE EXPECTATION FOLLOWS CURRENT LINUX (6.12+), NOT THE 6.1 ORACLE. tests/user/pkeyframe.md
 * explains each line of expected/pkeyframe.out that was changed from the 6.1 recording. Since
 * 6.12 the kernel writes the frame with PKRU = 0 and stores the interrupted PKRU in it; 6.1
 * wrote it with the interrupted PKRU in force, so in every case here the frame write faults and
 * the child dies of SIGSEGV.
 *
 * Each case prints exactly one line, from the parent: the child's findings (kept in a shared
 * page) or how it died. Without OSPKE it says so and stops (expected/pkeyframe.qemu64.*).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "common.h"
#include "pkeys.h"

#define P 4096UL
#define STACK_SIZE (16 * P)

struct findings {
	int runs, code;
	unsigned long addr;
	unsigned pkey, entry_pkru, after_pkru;
	char note[32];
};

static struct findings *res; /* a MAP_SHARED page: the parent reads what the child saw */
static volatile unsigned long resume_rip;
static volatile int open_in_slot;
static char altstack[64 * 1024];

static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	res->runs++;
	res->code = sig == SIGSEGV ? si->si_code : 0;
	res->addr = sig == SIGSEGV ? (unsigned long)si->si_addr : 0;
	res->pkey = sig == SIGSEGV && si->si_code == 4 ? siginfo_pkey(si) : 99;
	res->entry_pkru = rdpkru();
	/* the handler runs with init_pkru_value: key 0 (libc, globals) is usable */
	snprintf(res->note, sizeof(res->note), "signal %d handled", sig);
	if (open_in_slot)
		*frame_pkru(uc) = 0;
	else if (resume_rip)
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)resume_rip;
}

/* #83: PKRU denies every key, key 0 included; a write to address 1 faults (SEGV_MAPERR). */
static void case83(void)
{
	unsigned eax = 0x55555555, ecx = 0, edx = 0, after;

	__asm__ volatile("leaq 1f(%%rip), %%r8\n\t"
			 "movq %%r8, %[resume]\n\t"
			 "wrpkru\n\t"
			 "movb $0, 0x1\n\t"
			 "1: rdpkru\n\t"
			 "movl %%eax, %%r9d\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "xorl %%edx, %%edx\n\t"
			 "wrpkru\n\t"
			 "movl %%r9d, %[after]\n\t"
			 : [resume] "=m"(resume_rip), [after] "=m"(after), "+a"(eax), "+c"(ecx),
			   "+d"(edx)
			 :
			 : "r8", "r9", "memory");
	res->after_pkru = after;
}

/* #84: PKRU denies key 0, the stack's key; a read of the stack faults (SEGV_PKUERR, key 0). */
static void case84(void)
{
	unsigned eax = 0x55555555, ecx = 0, edx = 0, after;

	open_in_slot = 1;
	__asm__ volatile("wrpkru\n\t"
			 "movq (%%rsp), %%r8\n\t"
			 "rdpkru\n\t"
			 "movl %%eax, %%r9d\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "xorl %%edx, %%edx\n\t"
			 "wrpkru\n\t"
			 "movl %%r9d, %[after]\n\t"
			 : [after] "=m"(after), "+a"(eax), "+c"(ecx), "+d"(edx)
			 :
			 : "r8", "r9", "memory");
	res->after_pkru = after;
}

/*
 * Runs on a stack under key k with PKRU allowing only k: #85 writes to address 1 (SIGSEGV on the
 * key-0 alternate stack, resumed after the write), #87 sends itself SIGUSR2 (handled on the
 * key-0 alternate stack). Records PKRU as it is after sigreturn.
 */
static void on_key_stack(char *stack_top, unsigned pkru, int sigusr2)
{
	unsigned eax = pkru, ecx = 0, edx = 0, after;
	long pid = getpid();

	__asm__ volatile("movq %%rsp, %%r10\n\t"
			 "leaq 1f(%%rip), %%r8\n\t"
			 "movq %%r8, %[resume]\n\t"
			 "movq %[top], %%rsp\n\t"
			 "wrpkru\n\t"
			 "pushq $0\n\t" /* the key-k stack is usable */
			 "testl %[usr2], %[usr2]\n\t"
			 "jnz 2f\n\t"
			 "movb $0, 0x1\n\t"
			 "jmp 1f\n\t"
			 "2: movl $62, %%eax\n\t" /* kill(pid, SIGUSR2) */
			 "movq %[pid], %%rdi\n\t"
			 "movl $12, %%esi\n\t"
			 "syscall\n\t"
			 "1: xorl %%ecx, %%ecx\n\t" /* RDPKRU needs ECX 0: syscall left RIP there */
			 "rdpkru\n\t"
			 "movl %%eax, %%r9d\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "xorl %%edx, %%edx\n\t"
			 "wrpkru\n\t"
			 "movq %%r10, %%rsp\n\t"
			 "movl %%r9d, %[after]\n\t"
			 : [resume] "=m"(resume_rip), [after] "=m"(after), "+a"(eax), "+c"(ecx),
			   "+d"(edx)
			 : [top] "r"(stack_top), [usr2] "r"(sigusr2), [pid] "r"(pid)
			 : "rdi", "rsi", "r8", "r9", "r10", "r11", "memory");
	res->after_pkru = after;
}

/* Forks, runs one case in the child and prints one line: the findings or the child's death. */
static void run(const char *what, int which)
{
	memset(res, 0, sizeof(*res));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = handler;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
		sigaction(SIGSEGV, &sa, NULL);
		sigaction(SIGUSR2, &sa, NULL);
		if (which == 85 || which == 87) {
			sigaltstack(&ss, NULL);
			long k = sys2(SYS_pkey_alloc, 0, 0);
			char *stk = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (k < 0 || stk == MAP_FAILED ||
			    sys4(SYS_pkey_mprotect, (long)stk, STACK_SIZE, PROT_READ | PROT_WRITE, k)) {
				strcpy(res->note, "setup failed");
				_exit(2);
			}
			/* only key k usable: its stack; key 0 (code's data, altstack) denied */
			on_key_stack(stk + STACK_SIZE, 0x55555555u & ~(3u << (2 * k)), which == 87);
		} else if (which == 83) {
			case83();
		} else {
			case84();
		}
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st)) {
		printf("%s: killed by signal %d (the frame could not be written)\n", what,
		       WTERMSIG(st));
		return;
	}
	char addr[32];
	if (res->addr < P) /* address 1, or 0 for SIGUSR2; anything else is the stack */
		snprintf(addr, sizeof(addr), "%#lx", res->addr);
	else
		strcpy(addr, "on the stack");
	printf("%s: exit %d, %d handler run(s) (%s), si_code %d, si_addr %s, si_pkey %u, "
	       "handler PKRU 0x%08x, PKRU after sigreturn 0x%08x\n",
	       what, WEXITSTATUS(st), res->runs, res->note, res->code, addr, res->pkey,
	       res->entry_pkru, res->after_pkru);
}

int main(void)
{
	if (!has_ospke()) {
		printf("no OSPKE: protection keys are off on this CPU\n");
		return 0;
	}
	res = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	run("#83 every key denied, write to address 1", 83);
	run("#84 key 0 (the stack's) denied, read of the stack", 84);
	run("#85 stack on key k, altstack on key 0, only k allowed, write to address 1", 85);
	run("#87 stack on key k, key 0 denied, SIGUSR2 on the key-0 altstack", 87);
	return 0;
}
