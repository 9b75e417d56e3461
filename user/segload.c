/* segload: what user space reaches through segment selectors (issue 15, defect 2: "selector loads
 * of LDT selectors must give #GP -> SIGSEGV with trapno 13, as on Linux", and the descriptor-table
 * audit: GDT entries and limit, LDT, TSS). Every line starts "15.2".
 *
 * - the selectors a new program starts with (Linux: CS 0x33, SS 0x2b, DS ES FS GS 0);
 * - mov of selectors into DS, ES, FS, GS and SS: null, LDT (no LDT exists: #GP with the selector's
 *   index and TI bit as error code), kernel code and data, the TSS and LDT system descriptors, the
 *   user segments, the CPU-number segment Linux keeps at GDT entry 15, the first selector past
 *   the GDT's limit. A load that works prints the selector read back; one that faults prints the
 *   signal, si_code, REG_TRAPNO and REG_ERR;
 * - far calls through LDT, kernel, TSS and LDT-descriptor selectors;
 * - what the TSS, IOPL and the IDT leave to user mode: port I/O and privileged instructions
 *   (#GP), POPF cannot raise IOPL, INT n through a DPL-0 gate (#GP with n * 8 + 2), int3, INT1
 *   (icebp) and int $4 (the DPL-3 gates), SYSEXIT/SYSRET/SWAPGS. int $0x80 is left out: Linux
 *   with IA32_EMULATION runs a 32-bit system call there, Warden has no 32-bit ABI (#GP).
 * FS and GS bases are put back with arch_prctl after each load (loading a selector replaces the
 * base, and musl keeps its thread pointer in FS). */
#define _GNU_SOURCE
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "common.h"

static volatile unsigned long resume_rip;
static volatile int got_sig, got_code;
static volatile unsigned long got_trapno, got_err;
static unsigned long saved_fs, saved_gs;

/* Records the fault and resumes at resume_rip. */
static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;

	got_sig = sig;
	got_code = si->si_code;
	got_trapno = g[REG_TRAPNO];
	got_err = g[REG_ERR];
	g[REG_RIP] = (greg_t)resume_rip;
}

static const char *signame(int sig)
{
	return sig == SIGSEGV	? "SIGSEGV"
	       : sig == SIGBUS	? "SIGBUS"
	       : sig == SIGILL	? "SIGILL"
	       : sig == SIGTRAP ? "SIGTRAP"
				: "?";
}



/* Prints the outcome of one attempt: the fault, or "ok" with what was read back. */
static void report(const char *what, unsigned sel, int faulted_is_ok, unsigned back)
{
	printf("15.2 %s 0x%04x: ", what, sel);
	if (got_sig)
		printf("%s code=%d trapno=%lu err=%#lx\n", signame(got_sig), got_code, got_trapno,
		       got_err);
	else if (faulted_is_ok)
		printf("ok read back 0x%04x\n", back);
	else
		printf("ok\n");
	got_sig = got_code = 0;
	got_trapno = got_err = 0;
}

/* Puts back the FS and GS bases (and null selectors) before any libc code runs. */
static inline void restore_fsgs(void)
{
	sys2(SYS_arch_prctl, ARCH_SET_FS, (long)saved_fs);
	__asm__ volatile("mov %0, %%gs" ::"r"(0) : "memory");
	sys2(SYS_arch_prctl, ARCH_SET_GS, (long)saved_gs);
}

/* mov sel -> %reg, then reads %reg back into *back; a fault skips both. */
#define DEFINE_LOAD(reg)                                                              \
	static unsigned load_##reg(unsigned sel)                                      \
	{                                                                             \
		unsigned back = 0xdead;                                               \
		__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"                          \
				 "movq %%rax, %1\n\t"                                 \
				 "movw %w2, %%" #reg "\n\t"                           \
				 "movw %%" #reg ", %w0\n\t"                           \
				 "1:"                                                 \
				 : "+r"(back), "=m"(resume_rip)                       \
				 : "r"(sel)                                           \
				 : "rax", "memory");                                  \
		return back;                                                          \
	}
DEFINE_LOAD(ds)
DEFINE_LOAD(es)
DEFINE_LOAD(fs)
DEFINE_LOAD(gs)
DEFINE_LOAD(ss)

static unsigned read_seg(int which)
{
	unsigned v = 0;

	switch (which) {
	case 0: __asm__ volatile("mov %%cs, %0" : "=r"(v)); break;
	case 1: __asm__ volatile("mov %%ss, %0" : "=r"(v)); break;
	case 2: __asm__ volatile("mov %%ds, %0" : "=r"(v)); break;
	case 3: __asm__ volatile("mov %%es, %0" : "=r"(v)); break;
	case 4: __asm__ volatile("mov %%fs, %0" : "=r"(v)); break;
	case 5: __asm__ volatile("mov %%gs, %0" : "=r"(v)); break;
	}
	return v & 0xffff;
}

/* Loads each selector into each data segment register and puts the register back. */
static void selector_loads(void)
{
	static const unsigned sels[] = {
		0x0000, 0x0003, 0x0004, 0x0007, 0x000f, 0x0404, 0xfffc, 0xffff, 0x0008, 0x0010,
		0x0013, 0x0018, 0x001b, 0x0023, 0x0028, 0x002b, 0x0033, 0x003b, 0x0043, 0x004b,
		0x0053, 0x0063, 0x006b, 0x0073, 0x007b, 0x0083, 0x00fb,
	};
	for (unsigned i = 0; i < sizeof sels / sizeof sels[0]; i++) {
		unsigned s = sels[i], b;

		b = load_ds(s);
		__asm__ volatile("mov %0, %%ds" ::"r"(0));
		report("mov ds,", s, 1, b);
		b = load_es(s);
		__asm__ volatile("mov %0, %%es" ::"r"(0));
		report("mov es,", s, 1, b);
		b = load_fs(s);
		restore_fsgs();
		report("mov fs,", s, 1, b);
		b = load_gs(s);
		restore_fsgs();
		report("mov gs,", s, 1, b);
		b = load_ss(s);
		__asm__ volatile("mov %0, %%ss" ::"r"(0x2b));
		report("mov ss,", s, 1, b);
	}
}

/* A far call through the pointer sel:0 (m16:32); every selector tried here faults. */
static void far_call(unsigned sel)
{
	struct __attribute__((packed)) {
		uint32_t off;
		uint16_t sel;
	} p = { 0, (uint16_t)sel };
	__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
			 "movq %%rax, %0\n\t"
			 "lcall *(%1)\n\t"
			 "1:"
			 : "=m"(resume_rip)
			 : "r"(&p)
			 : "rax", "memory");
	report("lcall", sel, 0, 0);
}

/* Prints the signal an instruction raised (or "ok"). */
static void report_insn(const char *what)
{
	printf("15.2 %s: ", what);
	if (got_sig)
		printf("%s code=%d trapno=%lu err=%#lx\n", signame(got_sig), got_code, got_trapno,
		       got_err);
	else
		printf("ok\n");
	got_sig = got_code = 0;
	got_trapno = got_err = 0;
}

/* One instruction (text) whose fault resumes after it; prints the signal it raised. */
#define INSN(name, text)                                                      \
	do {                                                                  \
		__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"                  \
				 "movq %%rax, %0\n\t" text "\n"                \
				 "1:"                                         \
				 : "=m"(resume_rip)                           \
				 :                                            \
				 : "rax", "rcx", "rdx", "r11", "memory");     \
		report_insn(name);                                        \
	} while (0)

/* Privileged instructions, port I/O and INT n from user mode. */
static void privileged(void)
{
	unsigned long fl;

	INSN("inb $0x80", "inb $0x80, %%al");
	INSN("outb $0x80", "outb %%al, $0x80");
	INSN("inl (%dx) 0xcf8", "movw $0xcf8, %%dx\n\tinl (%%dx), %%eax");
	INSN("cli", "cli");
	INSN("sti", "sti");
	INSN("hlt", "hlt");
	INSN("rdmsr", "xorl %%ecx, %%ecx\n\trdmsr");
	INSN("wrmsr", "movl $0xc0000101, %%ecx\n\txorl %%eax, %%eax\n\txorl %%edx, %%edx\n\twrmsr");
	INSN("mov %cr0, %rax", "movq %%cr0, %%rax");
	INSN("mov %rax, %cr3", "xorl %%eax, %%eax\n\tmovq %%rax, %%cr3");
	INSN("lldt %ax", "xorl %%eax, %%eax\n\tlldt %%ax");
	INSN("ltr %ax", "movl $0x40, %%eax\n\tltr %%ax");
	INSN("lgdt", "lgdt (%%rsp)");
	INSN("invlpg", "invlpg (%%rsp)");
	INSN("wbinvd", "wbinvd");
	INSN("clts", "clts");
	INSN("rdpmc", "xorl %%ecx, %%ecx\n\trdpmc");
	INSN("swapgs", "swapgs");
	INSN("sysexit", "sysexitq");
	INSN("sysret", "sysretq");
	INSN("int $1", "int $1");
	INSN("int $2", "int $2");
	INSN("int $3 (cd 03)", "int $3");
	INSN("int3", "int3");
	INSN("int $4", "int $4");
	INSN("int $13", "int $13");
	INSN("int $14", "int $14");
	INSN("int $0x20", "int $0x20");
	INSN("int $0x81", "int $0x81");
	INSN("int $0xff", "int $0xff");
	INSN("icebp (int1)", ".byte 0xf1");
	INSN("into (0xce)", ".byte 0xce");
	INSN("ud2", "ud2");
	/* POPF at CPL 3 cannot change IOPL (or IF with IOPL 0). */
	__asm__ volatile("pushfq\n\t"
			 "orq $0x3000, (%%rsp)\n\t"
			 "andq $~0x200, (%%rsp)\n\t"
			 "popfq\n\t"
			 "pushfq\n\t"
			 "popq %0"
			 : "=r"(fl)
			 :
			 : "cc", "memory");
	printf("15.2 popf IOPL=3 IF=0: IOPL %lu IF %lu\n", (fl >> 12) & 3, (fl >> 9) & 1);
}

int main(void)
{
	struct sigaction sa;
	static char altstack[65536];
	stack_t st = { .ss_sp = altstack, .ss_size = sizeof altstack };

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGTRAP, &sa, NULL);
	sigaltstack(&st, NULL);
	sys2(SYS_arch_prctl, ARCH_GET_FS, (long)&saved_fs);
	sys2(SYS_arch_prctl, ARCH_GET_GS, (long)&saved_gs);

	printf("15.2 initial cs=%#x ss=%#x ds=%#x es=%#x fs=%#x gs=%#x\n", read_seg(0),
	       read_seg(1), read_seg(2), read_seg(3), read_seg(4), read_seg(5));
	selector_loads();

	static const unsigned calls[] = { 0x0007, 0x000c, 0x0010, 0x0013, 0x0040, 0x0043,
					  0x0050, 0x0053, 0x0063, 0x0083 };
	for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++)
		far_call(calls[i]);
	privileged();
	printf("15.2 after: cs=%#x ss=%#x\n", read_seg(0), read_seg(1));
	return 0;
}
