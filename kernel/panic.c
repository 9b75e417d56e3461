// SPDX-License-Identifier: MIT
/*
 * The panic report: what happened, every register, and a symbolic backtrace, written straight to
 * the console; then QEMU exits with the panic status. A fault while reporting cuts the report
 * short instead of looping.
 */
#include "kernel/panic.h"
#include "kernel/ksyms.h"
#include "kernel/printk.h"
#include "kernel/vsprintf.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/traps.h"
#include "mm/vmalloc.h"

#define BACKTRACE_MAX 32

extern u8 boot_stack_guard[];
static volatile int panicking;

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

/* Prints the frame-pointer chain starting at rbp, reading each frame with probe_read_u64. */
static void dump_backtrace(u64 rip, u64 rbp)
{
	char sym[96];
	u64 fp = rbp;

	report("Call Trace:\n");
	ksym_format(sym, sizeof(sym), rip);
	report("  #0  %016llx %s\n", (unsigned long long)rip, sym);
	for (int i = 1; i < BACKTRACE_MAX && fp; i++) {
		u64 next, ret;
		if ((fp & 7) || probe_read_u64((const u64 *)fp, &next) ||
		    probe_read_u64((const u64 *)(fp + 8), &ret) || !ret)
			break;
		ksym_format(sym, sizeof(sym), ret);
		report("  #%-2d %016llx %s\n", i, (unsigned long long)ret, sym);
		if (next <= fp)
			break;
		fp = next;
	}
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
	snprintf(buf, len, "%s %s %s%s%s%s", (err & X86_PF_PROT) ? "protection-violation" : "not-present",
		 (err & X86_PF_INSTR) ? "instruction-fetch" : (err & X86_PF_WRITE) ? "write" : "read",
		 (err & X86_PF_USER) ? "user-mode" : "kernel-mode", (err & X86_PF_RSVD) ? " reserved-bit" : "",
		 (err & X86_PF_PK) ? " protection-key" : "", (err & X86_PF_SHSTK) ? " shadow-stack" : "");
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
		report("Kernel stack overflow: %#llx is the guard page below the vmalloc area at %#llx "
		       "(a kernel stack?)\n",
		       (unsigned long long)addr, (unsigned long long)area);
}

/* Enters the panic path once; a second entry (a fault while reporting) ends the run at once. */
static void panic_enter(void)
{
	local_irq_disable();
	if (panicking) {
		report("\n*** fault while printing the panic report; stopping ***\n");
		qemu_exit(QEMU_EXIT_PANIC);
	}
	panicking = 1;
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
		report("Error code: %#llx [%s]\n", (unsigned long long)regs->error_code, buf);
		report("Fault address (CR2): %016llx\n", (unsigned long long)cr2);
	} else {
		report("Error code: %#llx\n", (unsigned long long)regs->error_code);
	}
	if (regs->vector == X86_TRAP_DF || regs->vector == X86_TRAP_PF)
		explain_guard_hit(cr2);
	dump_regs(regs);
	dump_backtrace(regs->rip, regs->rbp);
	report("---[ end kernel panic: %s ]---\n", trap_name(regs->vector));
	qemu_exit(QEMU_EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	panic_enter();
	report("Kernel panic - not syncing: %s\n", msg);
	dump_control_registers();
	dump_backtrace((u64)panic, (u64)__builtin_frame_address(0));
	report("---[ end kernel panic - not syncing: %s ]---\n", msg);
	qemu_exit(QEMU_EXIT_PANIC);
}
