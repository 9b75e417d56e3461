/* ldtgate: the attack of issue 15 defect 2 on Warden itself (a warden-suite test: Linux refuses the
 * mapping of page 0 it needs, so there is nothing to record). Warden used to leave LDTR at its
 * reset value, an LDT at linear address 0: a program that maps page 0 and writes a DPL-3 call
 * gate to the kernel's code selector there, then makes a far call through LDT selector 0x7, ran
 * its own code with CS = 0x10 (qemu64; SMAP made it a page fault on -cpu max). With a null LDT
 * the far call must be #GP(0x4) -> SIGSEGV, si_code SI_KERNEL, REG_TRAPNO 13, REG_ERR 4, as Linux.
 * The gate's target records CS and returns to user mode (LRETQ pops CS:RIP and SS:RSP). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "common.h"

static volatile unsigned long resume_rip, got_trapno, got_err;
static volatile int got_sig, got_code;
volatile unsigned long gate_cs = 0xdead;

/* Where the gate leads: stores CS and returns to the caller's privilege level. */
void gate_target(void);
__asm__(".globl gate_target\n"
	"gate_target:\n\t"
	"movq %cs, %rax\n\t"
	"movq %rax, gate_cs(%rip)\n\t"
	"lretq\n");

static void handler(int sig, siginfo_t *si, void *ucv)
{
	greg_t *g = ((ucontext_t *)ucv)->uc_mcontext.gregs;

	got_sig = sig;
	got_code = si->si_code;
	got_trapno = g[REG_TRAPNO];
	got_err = g[REG_ERR];
	g[REG_RIP] = (greg_t)resume_rip;
}

/* A 64-bit call gate (type 0xc), present, DPL 3, to sel:target. */
static void write_gate(uint64_t *slot, uint16_t sel, uint64_t target)
{
	slot[0] = (target & 0xffff) | ((uint64_t)sel << 16) | (0xecULL << 40) |
		  ((target >> 16 & 0xffff) << 48);
	slot[1] = target >> 32;
}

int main(void)
{
	struct sigaction sa;
	int fails = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0);
	if (p != NULL) {
		printf("FAIL ldtgate: cannot map page 0 (the attack needs it)\n");
		return 1;
	}
	/* A gate at LDT entry 0 (selector 0x7) to the kernel's code segment. The compiler must
	 * not know the pointer is NULL. */
	uint64_t *page0 = p;
	__asm__ volatile("" : "+r"(page0));
	write_gate(page0, 0x10, (uint64_t)gate_target);
	struct __attribute__((packed)) {
		uint32_t off;
		uint16_t sel;
	} fp = { 0, 0x7 };
	__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
			 "movq %%rax, %0\n\t"
			 "lcall *(%1)\n\t"
			 "1:"
			 : "=m"(resume_rip)
			 : "r"(&fp)
			 : "rax", "memory");
	printf("ldtgate: gate_cs=%#lx sig=%d code=%d trapno=%lu err=%#lx\n", gate_cs, got_sig,
	       got_code, got_trapno, got_err);
	if (gate_cs != 0xdead) {
		printf("FAIL ldtgate: user code ran through an LDT call gate with CS=%#lx\n", gate_cs);
		fails++;
	}
	if (got_sig != SIGSEGV || got_code != 0x80 || got_trapno != 13 || got_err != 4) {
		printf("FAIL ldtgate: far call through LDT selector 0x7 is not #GP(0x4) -> SIGSEGV "
		       "SI_KERNEL\n");
		fails++;
	}
	/* The LDT Warden reads must not be page 0 either: modify_ldt(0) reads nothing. */
	long n = sys3(SYS_modify_ldt, 0, (long)((char *)page0 + 1024), 64);
	if (n != 0 && n != -ENOSYS) {
		printf("FAIL ldtgate: modify_ldt read of an mm without an LDT returned %ld\n", n);
		fails++;
	}
	if (!fails)
		printf("ldtgate: ok\n");
	return fails != 0;
}
