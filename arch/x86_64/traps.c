// SPDX-License-Identifier: MIT
/* The exception and interrupt dispatcher, and the IDT. */
#include "arch/x86_64/traps.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/percpu.h"
#include "kernel/compiler.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/exit.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "arch/x86_64/time.h"
#include "mm/mm.h"

int fault_catch_enter(struct fault_catch *fc) __returns_twice;

extern const u64 trap_stubs[256];

struct idt_entry {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __packed;

static struct idt_entry idt[256] __aligned(16);

struct exception_table_entry {
	u64 insn;
	u64 fixup;
};

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

static const char *const trap_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
	"invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
	"invalid TSS", "segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved (15)", "x87 floating-point error", "alignment check",
	"machine check", "SIMD floating-point exception", "virtualization exception",
	"control protection fault", "reserved (22)", "reserved (23)", "reserved (24)",
	"reserved (25)", "reserved (26)", "reserved (27)", "hypervisor injection",
	"VMM communication", "security exception", "reserved (31)",
};

static const char *const trap_mnemonics[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS", "#NP",
	"#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
	"#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

const char *trap_name(u64 vector)
{
	return vector < 32 ? trap_names[vector] : "interrupt";
}

const char *trap_mnemonic(u64 vector)
{
	return vector < 32 ? trap_mnemonics[vector] : "IRQ";
}

/* Fills one interrupt gate (DPL 0: user code cannot raise it with INT n; see idt_init). */
static void set_gate(int vector, u64 handler, int ist)
{
	idt[vector] = (struct idt_entry){
		.offset_low = handler & 0xffff,
		.selector = GDT_KERNEL_CS,
		.ist = (u8)ist,
		.type_attr = 0x8e,
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_high = handler >> 32,
	};
}

void idt_init(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed p = { sizeof(idt) - 1, (u64)idt };

	for (int v = 0; v < 256; v++)
		set_gate(v, trap_stubs[v], 0);
	/* int3 and into are how user programs raise #BP and #OF: their gates have DPL 3. */
	idt[X86_TRAP_BP].type_attr = 0xee;
	idt[X86_TRAP_OF].type_attr = 0xee;
	idt[X86_TRAP_DF].ist = IST_DOUBLE_FAULT;
	idt[X86_TRAP_NMI].ist = IST_NMI;
	idt[X86_TRAP_MC].ist = IST_MCE;
	__asm__ __volatile__("lidt %0" ::"m"(p));
}

/* Resumes at the exception-table fixup for the faulting instruction, if it has one. */
static bool fixup_exception(struct pt_regs *regs)
{
	for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table; e++) {
		if (e->insn == regs->rip) {
			regs->rip = e->fixup;
			return true;
		}
	}
	return false;
}

/* Resumes at an armed fault catch, as if fault_catch_enter() had returned 1. */
static bool resume_fault_catch(struct pt_regs *regs, u64 cr2)
{
	struct percpu *cpu = this_cpu();
	struct fault_catch *fc = cpu->fault_catch;

	if (!fc || regs->vector == X86_TRAP_DF)
		return false;
	cpu->fault_catch = NULL;
	fc->info = (struct fault_info){ regs->vector, regs->error_code, cr2, regs->rip };
	regs->rbx = fc->rbx;
	regs->rbp = fc->rbp;
	regs->r12 = fc->r12;
	regs->r13 = fc->r13;
	regs->r14 = fc->r14;
	regs->r15 = fc->r15;
	regs->rsp = fc->rsp;
	regs->rip = fc->rip;
	regs->rax = 1;
	regs->rflags &= ~X86_EFLAGS_AC;
	return true;
}

bool run_catching_faults(void (*fn)(void *), void *arg, struct fault_info *info)
{
	struct fault_catch fc;

	if (fault_catch_enter(&fc) == 0) {
		this_cpu()->fault_catch = &fc;
		fn(arg);
		this_cpu()->fault_catch = NULL;
		return false;
	}
	*info = fc.info;
	return true;
}

extern const u8 return_to_user_iret[], trap_return_iret[];

/* Did the fault hit an IRETQ back to user mode (trap_common already restored the kernel GS)? */
static bool is_bad_iret(const struct pt_regs *regs)
{
	return regs->rip == (u64)return_to_user_iret || regs->rip == (u64)trap_return_iret;
}

/* Is there an exception-table entry for this instruction (a kernel access to user memory)? */
static bool in_uaccess(const struct pt_regs *regs)
{
	for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == regs->rip)
			return true;
	return false;
}

/*
 * A page fault on a user address, from user mode or from a kernel access to user memory: the
 * address space decides (demand paging, stack growth). Returns true if the access can be
 * retried; otherwise user mode gets SIGSEGV and the kernel access its fixup (EFAULT).
 */
static bool do_user_page_fault(struct pt_regs *regs, u64 cr2)
{
	struct task_struct *t = current;
	int r = t->mm && cr2 < USER_TOP ? handle_mm_fault(t->mm, cr2, regs->error_code) : SEGV_MAPERR;

	if (r == 0)
		return true;
	if (user_mode(regs)) {
		force_sig(r == FAULT_SIGBUS ? SIGBUS : SIGSEGV);
		return true;
	}
	return fixup_exception(regs);
}

/* The signal Linux sends for a user-mode exception other than a page fault. */
static int trap_signal(u64 vector)
{
	switch (vector) {
	case X86_TRAP_DE:
	case X86_TRAP_MF:
	case X86_TRAP_XF:
		return SIGFPE;
	case X86_TRAP_DB:
	case X86_TRAP_BP:
		return SIGTRAP;
	case X86_TRAP_UD:
		return SIGILL;
	case X86_TRAP_NP:
	case X86_TRAP_SS:
	case X86_TRAP_AC:
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

/*
 * Every exception and interrupt comes here. Exceptions in kernel mode are fixed up if the
 * exception table or a fault catch expects them, and are fatal otherwise. User-mode exceptions
 * become signals. On the way back to user mode pending work (rescheduling, signals) is done.
 */
void do_trap(struct pt_regs *regs)
{
	u64 cr2 = regs->vector == X86_TRAP_PF ? read_cr2() : 0;

	if (!user_mode(regs) && is_bad_iret(regs)) {
		/* The user state could not be restored (a non-canonical RIP or RSP): as Linux, SIGSEGV. */
		do_exit(SIGSEGV);
	}
	if (regs->vector == TIMER_VECTOR) {
		timer_eoi();
		scheduler_tick();
	} else if (regs->vector >= 32) {
		return; /* a stray interrupt (e.g. a spurious PIC IRQ 7): nothing to acknowledge */
	} else if (regs->vector == X86_TRAP_NMI) {
		pr_warn("NMI received at RIP %#llx; ignored\n", (unsigned long long)regs->rip);
		return;
	} else if (regs->vector == X86_TRAP_PF && (user_mode(regs) || (cr2 < USER_TOP && in_uaccess(regs)))) {
		if (!do_user_page_fault(regs, cr2))
			panic_exception(regs, "kernel access to user memory faulted without a fixup");
	} else if (user_mode(regs)) {
		force_sig(trap_signal(regs->vector));
	} else if (!fixup_exception(regs) && !resume_fault_catch(regs, cr2)) {
		panic_exception(regs, NULL);
	}
	if (user_mode(regs))
		exit_to_user_mode(regs);
}
