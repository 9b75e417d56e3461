// SPDX-License-Identifier: MIT
/* The exception and interrupt dispatcher, and the IDT. */
#include "kernel/trace.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/clockevent.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/umip.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/percpu.h"
#include "kernel/cputime.h"
#include "kernel/itimer.h"
#include "kernel/hrtimer.h"
#include "arch/x86_64/ptrace.h"
#include "kernel/compiler.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/exit.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "arch/x86_64/time.h"
#include "mm/mm.h"
#include "mm/fault_lockless.h"
#include "mm/oom_kill.h"
#include "mm/uaccess.h"
#include "kernel/string.h"
#include "drivers/tty/tty.h"
#include "kernel/kernel_lock.h"

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
	"divide error",
	"debug",
	"NMI",
	"breakpoint",
	"overflow",
	"bound range exceeded",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor segment overrun",
	"invalid TSS",
	"segment not present",
	"stack-segment fault",
	"general protection fault",
	"page fault",
	"reserved (15)",
	"x87 floating-point error",
	"alignment check",
	"machine check",
	"SIMD floating-point exception",
	"virtualization exception",
	"control protection fault",
	"reserved (22)",
	"reserved (23)",
	"reserved (24)",
	"reserved (25)",
	"reserved (26)",
	"reserved (27)",
	"hypervisor injection",
	"VMM communication",
	"security exception",
	"reserved (31)",
};

static const char *const trap_mnemonics[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS",
	"#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE",  "#CP",
	"#22", "#23", "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
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

void idt_load(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed p = { sizeof(idt) - 1, (u64)idt };

	__asm__ __volatile__("lidt %0" ::"m"(p));
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, trap_stubs[v], 0);
	/* int3 and into are how user programs raise #BP and #OF: their gates have DPL 3. */
	idt[X86_TRAP_BP].type_attr = 0xee;
	idt[X86_TRAP_OF].type_attr = 0xee;
	idt[X86_TRAP_DF].ist = IST_DOUBLE_FAULT;
	idt[X86_TRAP_NMI].ist = IST_NMI;
	idt[X86_TRAP_MC].ist = IST_MCE;
	idt[X86_TRAP_DB].ist = IST_DEBUG;
	idt_load();
}

/* Resumes at the exception-table fixup for the faulting instruction, if it has one. */
static bool fixup_exception(struct pt_regs *regs)
{
	for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table;
	     e++) {
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
 * What the signal frame reports about a user page fault (Linux's set_signal_archinfo): the error
 * code with U set, and P set for a kernel-half address so the page tables' layout does not show.
 */
static void set_signal_archinfo(u64 address, u64 error_code)
{
	struct task_signal *s = &current->sig;

	if (address >= TASK_SIZE_MAX)
		error_code |= X86_PF_PROT;
	s->trap_nr = X86_TRAP_PF;
	s->error_code = error_code | X86_PF_USER;
	s->cr2 = address;
}

/*
 * A page fault on a user address, from user mode or from a kernel access to user memory: the
 * address space decides (demand paging, stack growth). Returns true if the access can be
 * retried; otherwise user mode gets SIGSEGV (SEGV_MAPERR or SEGV_ACCERR, as the VMA says;
 * SEGV_PKUERR with the VMA's key in si_pkey when PKRU denies the access) or SIGBUS, and the kernel
 * access its fixup (EFAULT). REG_ERR keeps the hardware's PK bit (0x20).
 */
static bool do_user_page_fault(struct pt_regs *regs, u64 cr2)
{
	struct task_struct *t = current;
	int pkey = 0;
	int r = t->mm && cr2 < USER_TOP ? do_user_addr_fault(t->mm, cr2, regs->error_code, &pkey)
					: SEGV_MAPERR;

	if (r == 0)
		return true;
	if (user_mode(regs)) {
		set_signal_archinfo(cr2, regs->error_code);
		bool bus = r == FAULT_SIGBUS || r == FAULT_HWPOISON;
		trace_event(TRACE_FAULT, cr2, regs->rip, regs->error_code,
			    bus	    ? SIGBUS
			    : r > 0 ? SIGSEGV
				    : SIGKILL,
			    r == FAULT_SIGBUS	  ? BUS_ADRERR
			    : r == FAULT_HWPOISON ? BUS_MCEERR_AR
			    : r > 0		  ? (u64)r
						  : 0,
			    (u64)pkey);
		if (r == FAULT_SIGBUS) {
			force_sig_fault(SIGBUS, BUS_ADRERR, cr2);
		} else if (r == FAULT_HWPOISON) {
			/* Linux's do_sigbus: a poisoned page, si_addr_lsb its size's shift */
			pr_err("MCE: Killing %s:%d due to hardware memory corruption fault at "
			       "%llx\n",
			       t->comm, t->pid, (unsigned long long)cr2);
			force_sig_mceerr(BUS_MCEERR_AR, cr2, PAGE_SHIFT);
		} else if (r == SEGV_MAPERR || r == SEGV_ACCERR)
			force_sig_fault(SIGSEGV, r, cr2);
		else if (r == SEGV_PKUERR)
			force_sig_pkuerr(cr2, (u32)pkey); /* si_pkey at siginfo offset 0x20 */
		else
			pagefault_out_of_memory(); /* VM_FAULT_OOM: this task is dying already */
		return true;
	}
	/* A kernel access to user memory: EFAULT for a bad address, and for VM_FAULT_OOM too (the
	 * task is dying: Linux's kernelmode_fixup_or_oops). */
	return fixup_exception(regs);
}

/*
 * A user-mode page fault tried without the kernel lock (mm/fault_lockless.c), with interrupts
 * on as Linux's exc_page_fault has them: a CPU that spins for the page-table lock or the
 * allocator's still answers TLB shootdowns and cross-CPU calls. Returns the
 * FAULT_LOCKLESS_* bits; 0 means the fault is left to do_user_page_fault under the lock.
 */
static int do_user_page_fault_lockless(struct pt_regs *regs, u64 cr2)
{
	struct task_struct *t = current;

	if (!t->mm || cr2 >= USER_TOP)
		return 0;
	local_irq_enable();
	int r = handle_mm_fault_lockless(t->mm, cr2, regs->error_code);
	local_irq_disable();
	if (r & FAULT_LOCKLESS_DONE)
		t->acct.min_flt++; /* Linux's mm_account_fault; only this task writes it */
	return r;
}

/* The si_code of a SIMD (#XM) or x87 (#MF) exception, from the unmasked status bits. */
static int fpu_exception_code(u64 vector)
{
	u32 err;

	if (vector == X86_TRAP_XF) {
		u32 mxcsr;
		__asm__ __volatile__("stmxcsr %0" : "=m"(mxcsr));
		err = mxcsr & ~(mxcsr >> 7) & 0x3f;
	} else {
		u16 cwd, swd;
		__asm__ __volatile__("fnstcw %0; fnstsw %1" : "=m"(cwd), "=m"(swd));
		err = swd & ~cwd & 0x3f;
	}
	if (err & 0x01)
		return 7; /* FPE_FLTINV */
	if (err & 0x04)
		return FPE_FLTDIV;
	if (err & 0x08)
		return 4; /* FPE_FLTOVF */
	if (err & 0x12)
		return 5; /* FPE_FLTUND */
	if (err & 0x20)
		return 6; /* FPE_FLTRES */
	return 0;
}

/*
 * A user-mode exception other than a page fault becomes the signal Linux sends: the trap number
 * and error code go to the frame, si_code and si_addr are Linux's for each vector.
 */
static void do_user_trap(struct pt_regs *regs, u64 dr6)
{
	struct task_signal *s = &current->sig;

	/* Linux's exc_general_protection tries UMIP emulation first. */
	if (regs->vector == X86_TRAP_GP && user_mode(regs) && cpu_has(X86_FEATURE_UMIP) &&
	    fixup_umip_exception(regs))
		return;
	s->trap_nr = regs->vector;
	s->error_code = regs->error_code;
	switch (regs->vector) {
	case X86_TRAP_DE:
		force_sig_fault(SIGFPE, FPE_INTDIV, regs->rip);
		break;
	case X86_TRAP_MF:
	case X86_TRAP_XF:
		force_sig_fault(SIGFPE, fpu_exception_code(regs->vector), regs->rip);
		break;
	case X86_TRAP_DB:
		exc_debug_user(regs, dr6);
		break;
	case X86_TRAP_BP:
		force_sig(SIGTRAP); /* int3: SI_KERNEL, RIP after the instruction */
		break;
	case X86_TRAP_UD:
		force_sig_fault(SIGILL, ILL_ILLOPN, regs->rip);
		break;
	case X86_TRAP_AC:
		force_sig_fault(SIGBUS, BUS_ADRALN, 0);
		break;
	case X86_TRAP_NP:
	case X86_TRAP_SS:
		force_sig(SIGBUS);
		break;
	default: /* #GP (a non-canonical address, a privileged instruction), #TS, #BR, ... */
		force_sig(SIGSEGV);
		break;
	}
}

void resume_user_regs(struct pt_regs *regs) __noreturn;

/*
 * An IRETQ to user mode faulted (a non-canonical RIP, a selector the CPU refuses, from a forged
 * signal frame). The user's general registers are in this frame (they were loaded already) and
 * its RIP, CS, RFLAGS, RSP and SS still at the top of the kernel stack, where this frame overlaps
 * the user's pt_regs. Rebuild the user's pt_regs there, turn the fault into the user-mode signal
 * it stands for (Linux's fixup_bad_iret), and leave for user mode from a fresh stack.
 */
static void __noreturn fixup_bad_iret(struct pt_regs *regs)
{
	struct pt_regs *uregs = task_pt_regs(current), u;

	memcpy(&u, regs, __builtin_offsetof(struct pt_regs, vector));
	u.vector = regs->vector;
	u.error_code = ~0ULL;
	u.rip = uregs->rip;
	u.cs = uregs->cs;
	u.rflags = uregs->rflags;
	u.rsp = uregs->rsp;
	u.ss = uregs->ss;
	do_user_trap(regs, 0);
	*uregs = u; /* overwrites this trap frame: there is no way back through trap_common */
	exit_to_user_mode(uregs);
	resume_user_regs(uregs);
}

/*
 * An interrupt (vector 32 and up): acknowledges it and does the per-CPU part of its work.
 * Returns false for a stray or spurious one (nothing to do on the way back).
 */
static bool do_interrupt(u64 vector, bool from_user)
{
	switch (vector) {
	case TIMER_VECTOR:
	case LOCAL_TIMER_VECTOR:
		if (vector == TIMER_VECTOR) {
			timer_eoi();
		} else {
			lapic_eoi();
			/* The one-shot fired for an hrtimer or a timed wake-up, not the tick */
			if (!clockevent_interrupt()) {
				hrtimer_interrupt();
				clockevent_program();
				return true;
			}
		}
		account_process_tick(from_user);
		/* CPU-clock timers send signals: under the kernel lock (from user mode: below) */
		if (!from_user && kernel_lock_held())
			run_posix_cpu_timers(current);
		scheduler_tick();
		if (vector == LOCAL_TIMER_VECTOR)
			clockevent_program();
		return true;
	case CALL_FUNCTION_VECTOR:
		lapic_eoi();
		smp_call_function_interrupt();
		return true;
	case RESCHEDULE_VECTOR:
		lapic_eoi();
		smp_reschedule_interrupt();
		return true;
	case SERIAL_IRQ_VECTOR:
		serial_interrupt(); /* COM1 input into ttyS0's line discipline */
		return true;
	case ERROR_APIC_VECTOR:
		lapic_eoi();
		return false;
	default:
		return false; /* spurious (no EOI), or a stray PIC IRQ 7: nothing to acknowledge */
	}
}

/*
 * Whether an interrupt that arrived in user mode leaves work for the way back (a reschedule, a
 * signal, work deferred for the kernel lock's next holder). Read without the lock, interrupts
 * off: only then does the interrupt take the kernel lock, so timer ticks and IPIs on CPUs running
 * user code do not serialise them. Work set meanwhile by another CPU is seen at the next tick
 * (or that CPU's reschedule IPI).
 */
/* A tick that interrupted a process with CPU-clock timers armed: they are checked (with the
 * kernel lock, since they send signals) before the return to user mode. */
static bool cpu_timer_tick(u64 vector)
{
	return (vector == TIMER_VECTOR || vector == LOCAL_TIMER_VECTOR) &&
	       posix_cpu_timers_armed(current);
}

static bool exit_to_user_work_pending(void)
{
	struct task_struct *t = current;

	return t->need_resched || task_sigpending(t) || t->sig.restore_sigmask ||
	       kernel_lock_work_pending();
}

/* An NMI: another CPU's panic stopping this one, or unexpected (reported and ignored). */
static void do_nmi(struct pt_regs *regs)
{
	if (panic_in_progress())
		for (;;) /* another CPU panicked and stops this one */
			halt();
	pr_warn("NMI received at RIP %#llx; ignored\n", (unsigned long long)regs->rip);
}

/*
 * #DB, NMI and #MC from kernel mode, and every double fault, on their IST stacks with the kernel's
 * GS (arch/x86_64/entry.asm, paranoid_entry). They can interrupt anything, the kernel lock's
 * holder and a CPU's first instruction after SYSCALL included, so nothing here sleeps or takes
 * the kernel lock. A #DB is the user's watchpoint hit by a kernel access to user memory, or a
 * user's TF or watchpoint deferred by MOV SS to an entry's first instruction: recorded or ignored,
 * as Linux's exc_debug_kernel, never fatal.
 */
void do_paranoid_trap(struct pt_regs *regs)
{
	switch (regs->vector) {
	case X86_TRAP_DB:
		exc_debug_kernel(regs);
		return;
	case X86_TRAP_NMI:
		do_nmi(regs);
		return;
	default: /* #DF, #MC: fatal unless expected, as in do_trap */
		if (!fixup_exception(regs) && !resume_fault_catch(regs, 0))
			panic_exception(regs, NULL);
	}
}

/*
 * Every exception and interrupt comes here. Exceptions in kernel mode are fixed up if the
 * exception table or a fault catch expects them, and are fatal otherwise. User-mode exceptions
 * become signals. On the way back to user mode pending work (rescheduling, signals) is done.
 * A user-mode page fault is first tried without the kernel lock; only what that leaves (the
 * fault itself, a deferred wake-up, work for the way back) takes the lock.
 */
void do_trap(struct pt_regs *regs)
{
	u64 cr2 = regs->vector == X86_TRAP_PF ? read_cr2() : 0;
	bool from_user = user_mode(regs);
	int lockless = 0;
	/* DR6 before anything can schedule: another task's #DB here would overwrite it */
	u64 dr6 = regs->vector == X86_TRAP_DB ? debug_read_clear_dr6() : 0;

	if (!from_user && is_bad_iret(regs)) {
		kernel_lock(); /* the lock was let go before the IRETQ */
		fixup_bad_iret(regs);
	}
	if (regs->vector >= 32) {
		/* Interrupts: per-CPU work only; what needs the kernel lock is deferred. */
		this_cpu()->irq_count++;
		if (!do_interrupt(regs->vector, from_user) || !from_user ||
		    !(exit_to_user_work_pending() || cpu_timer_tick(regs->vector)))
			return;
	} else if (regs->vector == X86_TRAP_NMI) {
		do_nmi(regs);
		return;
	}
	if (regs->vector == X86_TRAP_PF && from_user) {
		lockless = do_user_page_fault_lockless(regs, cr2);
		if (lockless == FAULT_LOCKLESS_DONE && !exit_to_user_work_pending())
			return;
	}
	if (from_user)
		kernel_enter_from_user();
	if (lockless & FAULT_LOCKLESS_WAKE)
		rwsem_wake_deferred(&current->mm->mmap_lock);
	if (regs->vector >= 32) {
		/* a tick in user mode: its CPU-clock timers, now that the kernel lock is held */
		if (cpu_timer_tick(regs->vector))
			run_posix_cpu_timers(current);
	} else if (regs->vector == X86_TRAP_PF &&
		   (from_user || (cr2 < USER_TOP && in_uaccess(regs)))) {
		if (!(lockless & FAULT_LOCKLESS_DONE) && !do_user_page_fault(regs, cr2))
			panic_exception(regs,
					"kernel access to user memory faulted without a fixup");
	} else if (from_user) {
		do_user_trap(regs, dr6);
	} else if (!fixup_exception(regs) && !resume_fault_catch(regs, cr2)) {
		panic_exception(regs, NULL);
	}
	if (from_user) {
		exit_to_user_mode(regs);
		kernel_exit_to_user();
	}
}
