// SPDX-License-Identifier: MIT
/*
 * The panic report: what happened, every register, and a symbolic backtrace, written straight to
 * the console; then QEMU exits with the panic status. A fault while reporting cuts the report
 * short instead of looping.
 */
#include "arch/x86_64/apic.h"
#include "kernel/cpumask.h"
#include "arch/x86_64/percpu.h"
#include "kernel/panic.h"
#include "kernel/lockcheck.h"
#include "kernel/backtrace.h"
#include "kernel/ksyms.h"
#include "kernel/printk.h"
#include "kernel/vsprintf.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/traps.h"
#include "mm/vmalloc.h"

#define BACKTRACE_MAX 128

extern u8 boot_stack_guard[];
/* The CPU that is reporting a panic, or -1. */
static int panicking = -1;

/* Formats and writes one line of the report, whatever the log level. */
static __printf(1, 2) void report(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* Prints one backtrace line, or counts it if it repeats the previous one (deep recursion). */
static void print_frame(int i, u64 addr, u64 prev, bool guess, int *repeats)
{
	char sym[96];

	if (i > 0 && addr == prev) {
		(*repeats)++;
		return;
	}
	if (*repeats)
		report("  ... the frame above repeats %d more times\n", *repeats);
	*repeats = 0;
	ksym_format(sym, sizeof(sym), addr);
	report("  #%-3d %016llx %s%s\n", i, (unsigned long long)addr, guess ? "? " : "", sym);
}

/* Does the function at func start with "push %rbp; mov %rsp,%rbp" (55 48 89 e5)? */
static bool has_frame_prologue(u64 func)
{
	u64 code;

	return !probe_read_u64((const u64 *)func, &code) && (code & 0xffffffff) == 0xe5894855;
}

/*
 * Finds the return address of the function that faulted when its frame is not linked into the
 * RBP chain: at [rsp] before "push %rbp", at [rsp+8] before "mov %rsp,%rbp". A function without
 * that prologue (a frameless leaf) most likely has it at [rsp]: that one is a guess, marked "?".
 */
static bool unlinked_return_address(u64 rip, u64 rsp, u64 *ret, bool *guess)
{
	u64 off;

	if (!rsp || !ksym_lookup(rip, &off, NULL))
		return false;
	*guess = !has_frame_prologue(rip - off);
	if (*guess)
		off = 0;
	else if (off > 1)
		return false;
	return !probe_read_u64((const u64 *)(rsp + 8 * off), ret) && ksym_lookup(*ret, NULL, NULL);
}

/* Prints where the kernel was and the chain of callers from the RBP chain. */
static void dump_backtrace(u64 rip, u64 rsp, u64 rbp)
{
	u64 frames[BACKTRACE_MAX], prev = 0;
	int n = 0, repeats = 0;
	bool guess = false;

	if (unlinked_return_address(rip, rsp, &frames[0], &guess))
		n++;
	n += backtrace_walk(rbp, frames + n, BACKTRACE_MAX - n);
	report("Call Trace:\n");
	print_frame(0, rip, 0, false, &repeats);
	for (int i = 0; i < n; i++) {
		print_frame(i + 1, frames[i], prev, i == 0 && guess, &repeats);
		prev = frames[i];
	}
	if (repeats)
		report("  ... the frame above repeats %d more times\n", repeats);
}

static void dump_control_registers(void)
{
	report("CR0: %016llx CR2: %016llx CR3: %016llx CR4: %016llx\n",
	       (unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
	       (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
}

static void dump_regs(const struct pt_regs *r)
{
	char sym[96];

	ksym_format(sym, sizeof(sym), r->rip);
	report("RIP: %04llx:%016llx %s\n", (unsigned long long)r->cs, (unsigned long long)r->rip,
	       sym);
	report("RSP: %04llx:%016llx EFLAGS: %08llx\n", (unsigned long long)r->ss,
	       (unsigned long long)r->rsp, (unsigned long long)r->rflags);
	report("RAX: %016llx RBX: %016llx RCX: %016llx\n", (unsigned long long)r->rax,
	       (unsigned long long)r->rbx, (unsigned long long)r->rcx);
	report("RDX: %016llx RSI: %016llx RDI: %016llx\n", (unsigned long long)r->rdx,
	       (unsigned long long)r->rsi, (unsigned long long)r->rdi);
	report("RBP: %016llx R08: %016llx R09: %016llx\n", (unsigned long long)r->rbp,
	       (unsigned long long)r->r8, (unsigned long long)r->r9);
	report("R10: %016llx R11: %016llx R12: %016llx\n", (unsigned long long)r->r10,
	       (unsigned long long)r->r11, (unsigned long long)r->r12);
	report("R13: %016llx R14: %016llx R15: %016llx\n", (unsigned long long)r->r13,
	       (unsigned long long)r->r14, (unsigned long long)r->r15);
	dump_control_registers();
}

/* Spells out a page-fault error code. */
static void describe_pf_error(u64 err, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s %s%s%s%s",
		 (err & X86_PF_PROT) ? "protection-violation" : "not-present",
		 (err & X86_PF_INSTR)	? "instruction-fetch"
		 : (err & X86_PF_WRITE) ? "write"
					: "read",
		 (err & X86_PF_USER) ? "user-mode" : "kernel-mode",
		 (err & X86_PF_RSVD) ? " reserved-bit" : "",
		 (err & X86_PF_PK) ? " protection-key" : "",
		 (err & X86_PF_SHSTK) ? " shadow-stack" : "");
}

/* Says which stack a fault address overflowed into, if it is a guard page. */
static void explain_guard_hit(u64 addr)
{
	const char *ist;
	u64 area;

	if (addr - (u64)boot_stack_guard < PAGE_SIZE)
		report("Kernel stack overflow: %#llx is the guard page below the boot stack\n",
		       (unsigned long long)addr);
	else if (ist_guard_contains(addr, &ist))
		report("Kernel stack overflow: %#llx is the guard page below the %s stack\n",
		       (unsigned long long)addr, ist);
	else if (is_vmalloc_addr((void *)addr) && vmalloc_in_guard(addr, &area))
		report("Kernel stack overflow: %#llx is the guard page below the vmalloc area at "
		       "%#llx (a kernel stack?)\n",
		       (unsigned long long)addr, (unsigned long long)area);
}

bool panic_in_progress(void)
{
	return __atomic_load_n(&panicking, __ATOMIC_RELAXED) >= 0;
}

/*
 * Enters the panic path once: the first CPU to panic reports, the others are stopped with an NMI
 * (do_trap halts them) or halt here if they panic too; a second entry on the reporting CPU (a
 * fault while reporting) ends the run at once.
 */
static void panic_enter(void)
{
	int me = (int)smp_processor_id(), none = -1;

	local_irq_disable();
	if (!__atomic_compare_exchange_n(&panicking, &none, me, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST)) {
		if (none != me)
			for (;;)
				halt(); /* another CPU reports: interrupts are off */
		report("\n*** fault while printing the panic report; stopping ***\n");
		qemu_exit(QEMU_EXIT_PANIC);
	}
	lockcheck_enabled = false; /* the report takes locks in whatever state they are */
	if (nr_cpu_ids > 1 && lapic_mapped())
		lapic_send_nmi_allbutself();
	report("\n------------[ kernel panic ]------------\n");
}

void panic_exception(struct pt_regs *regs, const char *extra)
{
	char buf[128];
	u64 cr2 = read_cr2();

	panic_enter();
	report("Kernel panic: %s (%s, vector %llu) in %s mode\n", trap_name(regs->vector),
	       trap_mnemonic(regs->vector), (unsigned long long)regs->vector,
	       user_mode(regs) ? "user" : "kernel");
	if (extra)
		report("%s\n", extra);
	if (regs->vector == X86_TRAP_PF) {
		describe_pf_error(regs->error_code, buf, sizeof(buf));
		report("Error code: 0x%llx [%s]\n", (unsigned long long)regs->error_code, buf);
		report("Fault address (CR2): %016llx\n", (unsigned long long)cr2);
	} else {
		report("Error code: 0x%llx\n", (unsigned long long)regs->error_code);
	}
	if (regs->vector == X86_TRAP_DF || regs->vector == X86_TRAP_PF)
		explain_guard_hit(cr2);
	dump_regs(regs);
	dump_backtrace(regs->rip, regs->rsp, regs->rbp);
	report("---[ end kernel panic: %s ]---\n", trap_name(regs->vector));
	qemu_exit(QEMU_EXIT_PANIC);
}

/* Records the general registers as they are at the call, for a report without an exception. */
static __noinline void capture_regs(struct pt_regs *r)
{
	__asm__ __volatile__(
		"mov %%rax, %c[rax](%0)\n\t"
		"mov %%rbx, %c[rbx](%0)\n\t"
		"mov %%rcx, %c[rcx](%0)\n\t"
		"mov %%rdx, %c[rdx](%0)\n\t"
		"mov %%rsi, %c[rsi](%0)\n\t"
		"mov %%rdi, %c[rdi](%0)\n\t"
		"mov %%r8, %c[r8](%0)\n\t"
		"mov %%r9, %c[r9](%0)\n\t"
		"mov %%r10, %c[r10](%0)\n\t"
		"mov %%r11, %c[r11](%0)\n\t"
		"mov %%r12, %c[r12](%0)\n\t"
		"mov %%r13, %c[r13](%0)\n\t"
		"mov %%r14, %c[r14](%0)\n\t"
		"mov %%r15, %c[r15](%0)\n\t"
		"pushfq\n\t"
		"popq %c[rflags](%0)"
		:
		: "r"(r), [rax] "i"(offsetof(struct pt_regs, rax)),
		  [rbx] "i"(offsetof(struct pt_regs, rbx)),
		  [rcx] "i"(offsetof(struct pt_regs, rcx)),
		  [rdx] "i"(offsetof(struct pt_regs, rdx)),
		  [rsi] "i"(offsetof(struct pt_regs, rsi)),
		  [rdi] "i"(offsetof(struct pt_regs, rdi)), [r8] "i"(offsetof(struct pt_regs, r8)),
		  [r9] "i"(offsetof(struct pt_regs, r9)), [r10] "i"(offsetof(struct pt_regs, r10)),
		  [r11] "i"(offsetof(struct pt_regs, r11)),
		  [r12] "i"(offsetof(struct pt_regs, r12)),
		  [r13] "i"(offsetof(struct pt_regs, r13)),
		  [r14] "i"(offsetof(struct pt_regs, r14)),
		  [r15] "i"(offsetof(struct pt_regs, r15)),
		  [rflags] "i"(offsetof(struct pt_regs, rflags))
		: "memory");
	/* The caller's view: its frame, the address it called from and its stack pointer. */
	r->rbp = *(u64 *)__builtin_frame_address(0);
	r->rip = (u64)__builtin_return_address(0);
	r->rsp = (u64)__builtin_frame_address(0) + 16;
	__asm__ __volatile__("mov %%cs, %0" : "=r"(r->cs));
	__asm__ __volatile__("mov %%ss, %0" : "=r"(r->ss));
}

void panic(const char *fmt, ...)
{
	struct pt_regs regs;
	char msg[256];
	va_list ap;

	capture_regs(&regs);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	panic_enter();
	report("Kernel panic - not syncing: %s\n", msg);
	dump_regs(&regs);
	dump_backtrace(regs.rip, 0, regs.rbp);
	report("---[ end kernel panic - not syncing: %s ]---\n", msg);
	qemu_exit(QEMU_EXIT_PANIC);
}
