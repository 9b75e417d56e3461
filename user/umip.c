/* umip: SGDT, SIDT, SMSW, STR and SLDT in user mode (issue 15 item 7, "traps"). With UMIP (QEMU
 * -cpu max) the CPU refuses them and Linux 6.1 emulates them for 64-bit programs with dummy values
 * (limit 0, bases 0xfffffffffffe0000 / 0xffffffffffff0000, CR0 0x80050033, TR 0x40, LDTR 0 or
 * 0x50), writing 2 bytes to memory (10 for SGDT/SIDT) or the operand size's low bytes of a
 * register, and turns an operand it cannot write into SIGSEGV/SEGV_MAPERR with a page-fault frame
 * (REG_TRAPNO 14, REG_ERR 6); two different segment overrides are not emulated (#GP SIGSEGV).
 * Without UMIP (qemu64) they run natively: only deterministic properties are printed (limits,
 * whether a base is in the kernel half, CR0, TR, LDTR). So the output depends on the CPU
 * (umip.percpu). Every line starts "15.7". */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "common.h"

#define ARCH_SET_GS 0x1001

volatile unsigned long resume_rip;
static volatile unsigned long got_trapno, got_err, got_addr;
static volatile int got_sig, got_code;
static unsigned char low_buf[64]; /* below 4 GiB (static, not PIE): for 32-bit addressing */
static char *arena;

static void handler(int sig, siginfo_t *si, void *ucv)
{
	greg_t *g = ((ucontext_t *)ucv)->uc_mcontext.gregs;

	got_sig = sig;
	got_code = si->si_code;
	got_addr = (unsigned long)si->si_addr;
	got_trapno = g[REG_TRAPNO];
	got_err = g[REG_ERR];
	g[REG_RIP] = (greg_t)resume_rip;
}

static void reset(void)
{
	got_sig = got_code = 0;
	got_trapno = got_err = got_addr = 0;
}

/* Prints an address as an offset into the arena, or as itself outside it. */
static void print_addr(unsigned long a)
{
	if (a >= (unsigned long)arena && a < (unsigned long)arena + 4 * 4096)
		printf("arena+%#lx", a - (unsigned long)arena);
	else
		printf("%#lx", a);
}

/* "ok" or the signal that came. */
static void outcome(const char *what)
{
	printf("15.7 %s: ", what);
	if (!got_sig) {
		printf("ok\n");
		return;
	}
	printf("%s code=%d trapno=%lu err=%#lx addr=", got_sig == SIGSEGV ? "SIGSEGV" : "other",
	       got_code, got_trapno, got_err);
	print_addr(got_addr);
	printf("\n");
}

/* Runs one instruction: "1:" after it is where a fault resumes. */
#define RUN(code, ...)                                                 \
	do {                                                           \
		reset();                                               \
		__asm__ volatile("leaq 1f(%%rip), %%r11\n\t"           \
				 "movq %%r11, resume_rip(%%rip)\n\t" code \
				 "\n1:" __VA_ARGS__);                  \
	} while (0)

/* SGDT or SIDT into b: the limit, and the base if it is the dummy (else where it lies). */
static void show_table(const char *what, const unsigned char *b, unsigned long dummy)
{
	unsigned short limit;
	unsigned long base;

	memcpy(&limit, b, 2);
	memcpy(&base, b + 2, 8);
	if (got_sig) {
		outcome(what);
		return;
	}
	printf("15.7 %s: ", what);
	printf("limit %#x base ", limit);
	if (base == dummy)
		printf("%#lx (Linux's dummy)", base);
	else
		printf("not the dummy, %s", base >= 0xffff800000000000UL ? "kernel half" : "user half");
	printf(", bytes 10-15 untouched: %s\n",
	       b[10] == 0xcc && b[11] == 0xcc && b[15] == 0xcc ? "yes" : "no");
}

static void tables(void)
{
	unsigned char b[16];

	memset(b, 0xcc, sizeof b);
	RUN("sgdt (%0)", : : "r"(b) : "r11", "memory");
	show_table("sgdt (%rax)", b, 0xfffffffffffe0000UL);
	memset(b, 0xcc, sizeof b);
	RUN("sidt (%0)", : : "r"(b) : "r11", "memory");
	show_table("sidt (%rax)", b, 0xffffffffffff0000UL);
	memset(low_buf, 0xcc, sizeof low_buf);
	RUN("sgdt low_buf+8(%%rip)", : : : "r11", "memory");
	show_table("sgdt rip-relative", low_buf + 8, 0xfffffffffffe0000UL);
	memset(low_buf, 0xcc, sizeof low_buf);
	RUN("sidt -16(%0,%1,4)", : : "r"(low_buf), "r"(4L) : "r11", "memory");
	show_table("sidt disp8 base index*4", low_buf, 0xffffffffffff0000UL);
	memset(low_buf, 0xcc, sizeof low_buf);
	RUN("addr32 sgdt (%k0)", : : "r"((unsigned long)low_buf | 0xabcd00000000UL) : "r11", "memory");
	show_table("addr32 sgdt (%eax) with high bits in rax", low_buf, 0xfffffffffffe0000UL);
	/* GS override: GS base points at low_buf, the register holds 8. */
	memset(low_buf, 0xcc, sizeof low_buf);
	sys2(SYS_arch_prctl, ARCH_SET_GS, (long)low_buf);
	RUN("sgdt %%gs:(%0)", : : "r"(8L) : "r11", "memory");
	show_table("sgdt %gs:8", low_buf + 8, 0xfffffffffffe0000UL);
	memset(low_buf, 0xcc, sizeof low_buf);
	RUN(".byte 0x65, 0x65, 0x0f, 0x01, 0x08", : : "a"(8L) : "r11", "memory"); /* sidt gs:gs: */
	show_table("sidt with a repeated gs prefix", low_buf + 8, 0xffffffffffff0000UL);
	memset(low_buf, 0xcc, sizeof low_buf);
	RUN(".byte 0x3e, 0x65, 0x0f, 0x01, 0x08", : : "a"(8L) : "r11", "memory");
	if (got_sig)
		outcome("sidt with ds and gs overrides");
	else
		printf("15.7 sidt with ds and gs overrides: ok (native: gs wins)\n");
	sys2(SYS_arch_prctl, ARCH_SET_GS, 0);
}

/* SMSW, STR, SLDT to memory (2 bytes written) and to registers of each size. */
static void words(const char *stage)
{
	unsigned char m[8];
	unsigned long r;
	char what[64];

#define MEM(insn)                                                                            \
	memset(m, 0xcc, sizeof m);                                                           \
	RUN(insn " (%0)", : : "r"(m) : "r11", "memory");                                    \
	snprintf(what, sizeof what, "%s%s (mem)", stage, insn);                              \
	if (got_sig)                                                                         \
		outcome(what);                                                               \
	else                                                                                 \
		printf("15.7 %s: %02x %02x, byte 2 %s\n", what, m[0], m[1],                  \
		       m[2] == 0xcc ? "untouched" : "written");
#define REG(text, bytes)                                                                  \
	r = 0x1122334455667788UL;                                                            \
	RUN(bytes, : "+a"(r) : : "r11", "memory");                                           \
	snprintf(what, sizeof what, "%s%s", stage, text);                                    \
	if (got_sig)                                                                         \
		outcome(what);                                                               \
	else                                                                                 \
		printf("15.7 %s: rax %#lx\n", what, r);

	MEM("smsw")
	REG("smsw %ax", ".byte 0x66, 0x0f, 0x01, 0xe0")
	REG("smsw %eax", ".byte 0x0f, 0x01, 0xe0")
	REG("smsw %rax", ".byte 0x48, 0x0f, 0x01, 0xe0")
	MEM("str")
	REG("str %ax", ".byte 0x66, 0x0f, 0x00, 0xc8")
	REG("str %eax", ".byte 0x0f, 0x00, 0xc8")
	REG("str %rax", ".byte 0x48, 0x0f, 0x00, 0xc8")
	MEM("sldt")
	REG("sldt %eax", ".byte 0x0f, 0x00, 0xc0")
	REG("sldt %rax", ".byte 0x48, 0x0f, 0x00, 0xc0")
}

/* An r9 form: the result must land in r9, not rax. */
static void smsw_r9(void)
{
	register unsigned long r9 __asm__("r9") = 0x1122334455667788UL;
	unsigned long rax = 0xaaaaaaaaaaaaaaaaUL;

	reset();
	__asm__ volatile("leaq 1f(%%rip), %%r11\n\t"
			 "movq %%r11, resume_rip(%%rip)\n\t"
			 ".byte 0x49, 0x0f, 0x01, 0xe1\n" /* smsw %r9 */
			 "1:"
			 : "+r"(r9), "+a"(rax)
			 :
			 : "r11", "memory");
	if (got_sig)
		outcome("smsw %r9");
	else
		printf("15.7 smsw %%r9: r9 %#lx rax %s\n", r9,
		       rax == 0xaaaaaaaaaaaaaaaaUL ? "untouched" : "changed");
}

/* Operands that cannot be written. */
static void faults(void)
{
	static const struct {
		const char *what;
		unsigned long off; /* from the arena, or an absolute address if above 0x1000000 */
	} cases[] = {
		{ "NULL", 0 },
		{ "read-only page", 1 },
		{ "PROT_NONE page", 2 },
		{ "last 4 bytes before an unmapped page", 3 },
		{ "non-canonical", 0x8000000000000000UL },
		{ "kernel half", 0xffff800000001000UL },
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned long a = cases[i].off;
		char what[80];

		if (a == 1)
			a = (unsigned long)arena;
		else if (a == 2)
			a = (unsigned long)arena + 4096;
		else if (a == 3)
			a = (unsigned long)arena + 3 * 4096 - 4;
		RUN("sgdt (%0)", : : "r"(a) : "r11", "memory");
		snprintf(what, sizeof what, "sgdt to %s", cases[i].what);
		outcome(what);
		RUN("smsw (%0)", : : "r"(a) : "r11", "memory");
		snprintf(what, sizeof what, "smsw to %s", cases[i].what);
		outcome(what);
	}
}

int main(void)
{
	struct sigaction sa;
	unsigned int a, b, c, d;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	/* arena: read-only, PROT_NONE, read-write, then unmapped */
	arena = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(arena, 4096, PROT_READ);
	mprotect(arena + 4096, 4096, PROT_NONE);
	munmap(arena + 3 * 4096, 4096);

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	printf("15.7 cpu has umip: %s\n", c & 4 ? "yes" : "no");
	tables();
	words("");
	smsw_r9();
	faults();
	/* With an LDT, SLDT says 0x50. */
	struct {
		unsigned int entry, base, limit, flags;
	} desc = { 0, 0, 0xfffff, 0x51 }; /* 32-bit, data, limit in pages, useable */
	show("15.7 modify_ldt write", sys3(SYS_modify_ldt, 0x11, (long)&desc, 16));
	words("with an LDT: ");
	return 0;
}
