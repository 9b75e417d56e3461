// SPDX-License-Identifier: MIT
/* Task register state, context switch, SYSCALL setup. */
#include "arch/x86_64/process.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/ldt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pkru.h"
#include "arch/x86_64/ptrace.h"
#include "arch/x86_64/traps.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mm.h"

#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SYSCALL_MASK 0xc0000084
#define MSR_IA32_SYSENTER_CS 0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176

void entry_syscall(void);
void entry_syscall_compat(void);
void ret_from_fork(void);
void switch_to(u64 *prev_sp, u64 next_sp);

struct pt_regs *task_pt_regs(struct task_struct *t)
{
	return (struct pt_regs *)((u8 *)t->stack + KSTACK_SIZE) - 1;
}

void arch_setup_new_task(struct task_struct *t)
{
	/* switch_to pops r15, r14, r13, r12, rbx, rbp, RFLAGS, then returns into ret_from_fork. */
	u64 *sp = (u64 *)task_pt_regs(t);
	*--sp = (u64)ret_from_fork;
	*--sp = 0x2; /* RFLAGS: interrupts off until schedule_tail */
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	t->thread_sp = (u64)sp;
}

void ret_from_kernel_thread(void);

void arch_setup_kernel_thread(struct task_struct *t, void (*fn)(void *), void *arg)
{
	u64 *sp = (u64 *)task_pt_regs(t);

	memset(task_pt_regs(t), 0, sizeof(struct pt_regs)); /* what its execve keeps: orig_rax */
	*--sp = (u64)ret_from_kernel_thread;
	*--sp = 0x2; /* RFLAGS */
	*--sp = 0; /* rbp */
	*--sp = (u64)fn; /* rbx */
	*--sp = (u64)arg; /* r12 */
	*--sp = 0; /* r13 */
	*--sp = 0; /* r14 */
	*--sp = 0; /* r15 */
	t->thread_sp = (u64)sp;
}

/* Reads a segment register's selector. */
#define savesegment(seg, v) __asm__ __volatile__("mov %%" #seg ", %w0" : "=r"(v))

/*
 * Loads a selector into DS, ES or FS (never GS: see load_gs_index). One the CPU refuses (an LDT
 * entry cleared since the task loaded it) loads the null selector instead, as Linux's
 * loadsegment. Returns the selector that was loaded.
 */
#define loadsegment(seg, v)                                                \
	({                                                                 \
		u16 __sel = (v);                                           \
		__asm__ __volatile__("1:	mov %w0, %%" #seg "\n"     \
				     "2:\n"                                \
				     "	.pushsection __ex_table, \"a\"\n"   \
				     "	.balign 8\n"                        \
				     "	.quad 1b, 3f\n"                     \
				     "	.popsection\n"                      \
				     "	.pushsection .text.fixup, \"ax\"\n" \
				     "3:	xorl %k0, %k0\n"                  \
				     "	mov %w0, %%" #seg "\n"             \
				     "	jmp 2b\n"                           \
				     "	.popsection\n"                      \
				     : "+r"(__sel)                         \
				     :                                     \
				     : "memory");                          \
		__sel;                                                     \
	})

/*
 * Loads the user's GS selector. Loading GS replaces the active GS base, which in the kernel is
 * the per-CPU pointer: the load runs between two SWAPGS, so it replaces the user's base instead,
 * with interrupts off (an interrupt in between would find the user's GS base). A fault there
 * would enter the kernel with the user's GS too, so the selector is first tried in ES (the same
 * checks for a data-segment load): a refused one becomes null before GS sees it. Returns the
 * selector loaded.
 */
static u16 load_gs_index(u16 sel)
{
	u64 flags = read_rflags();
	u16 es;

	local_irq_disable();
	savesegment(es, es);
	sel = loadsegment(es, sel);
	loadsegment(es, es);
	__asm__ __volatile__("swapgs\n\t"
			     "mov %w0, %%gs\n\t"
			     "swapgs"
			     :
			     : "r"(sel)
			     : "memory");
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
	return sel;
}

/*
 * Records the user segment state of the running task: the DS, ES, FS and GS selectors and the
 * FS and GS bases as they are now (a selector load in user mode replaces a base without the
 * kernel seeing it; Linux's save_fsgs reads them the same way with FSGSBASE).
 */
void save_user_segments(struct task_struct *t)
{
	savesegment(ds, t->ds);
	savesegment(es, t->es);
	savesegment(fs, t->fsindex);
	savesegment(gs, t->gsindex);
	t->fs_base = rdmsr(MSR_FS_BASE);
	t->gs_base = rdmsr(MSR_KERNEL_GS_BASE); /* the user's GS base while the kernel runs */
}

/*
 * Gives the CPU next's user segment state (after its mm, so its LDT, is loaded): a selector is
 * reloaded when either task's is not null (a non-null one may name the other mm's LDT), then
 * the bases of the null ones are written, as Linux's x86_fsgsbase_load.
 */
static void load_user_segments(struct task_struct *next)
{
	u16 ds, es, fs, gs;

	savesegment(ds, ds);
	savesegment(es, es);
	savesegment(fs, fs);
	savesegment(gs, gs);
	if (ds | next->ds)
		next->ds = loadsegment(ds, next->ds);
	if (es | next->es)
		next->es = loadsegment(es, next->es);
	if (fs | next->fsindex)
		next->fsindex = loadsegment(fs, next->fsindex);
	if (gs | next->gsindex)
		next->gsindex = load_gs_index(next->gsindex);
	/* A non-null selector brought its descriptor's base (Linux's load_seg_legacy). */
	if (next->fsindex <= 3)
		wrmsr(MSR_FS_BASE, next->fs_base);
	if (next->gsindex <= 3)
		wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
}

/*
 * A new program's segments (Linux's start_thread_common): DS, ES, FS and GS null, both bases 0.
 * Runs in execve, after the new mm (with no LDT) is loaded.
 */
static void reset_user_segments(struct task_struct *t)
{
	loadsegment(ds, 0);
	loadsegment(es, 0);
	loadsegment(fs, 0);
	load_gs_index(0);
	t->ds = t->es = t->fsindex = t->gsindex = 0;
	t->fs_base = t->gs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void x86_fsbase_write(u64 base)
{
	loadsegment(fs, 0);
	current->fsindex = 0;
	current->fs_base = base;
	wrmsr(MSR_FS_BASE, base);
}

void x86_gsbase_write(u64 base)
{
	load_gs_index(0);
	current->gsindex = 0;
	current->gs_base = base;
	wrmsr(MSR_KERNEL_GS_BASE, base); /* the user's GS base while the kernel runs */
}

u64 x86_fsbase_read(void)
{
	return rdmsr(MSR_FS_BASE);
}

u64 x86_gsbase_read(void)
{
	return rdmsr(MSR_KERNEL_GS_BASE);
}

void arch_switch_to(struct task_struct *prev, struct task_struct *next)
{
	struct percpu *cpu = this_cpu();

	u32 pkru = INIT_PKRU_VALUE; /* kernel threads and idle: init_pkru_value */

	if (prev->mm) {
		fpu_save_regs(task_fpstate(prev));
		prev->pkru = read_pkru();
		save_user_segments(prev);
	}
	if (next->mm) {
		switch_mm(next->mm);
		fpu_restore_regs(task_fpstate(next));
		load_user_segments(next);
		pkru = next->pkru;
	} else if (cpu->ldt) {
		load_mm_ldt(NULL); /* lazy: CR3 stays, but no LDT outlives its mm here */
	}
	/* Linux's switch_fpu_finish: WRPKRU only when the value changes (a no-op without PKU). */
	if (arch_pkeys_enabled() && read_pkru() != pkru)
		write_pkru(pkru);
	switch_debugreg(next); /* its hardware breakpoints, or none */
	u64 top = (u64)next->stack + KSTACK_SIZE;
	cpu->kernel_rsp = top;
	tss_set_rsp0(top);
	cpu->current_task = next;
	switch_to(&prev->thread_sp, next->thread_sp);
}

void start_thread(struct pt_regs *regs, u64 rip, u64 rsp)
{
	u64 orig_rax = regs->error_code;

	reset_user_segments(current);
	memset(regs, 0, sizeof(*regs));
	regs->rip = rip;
	regs->rsp = rsp;
	regs->cs = GDT_USER_CS;
	regs->ss = GDT_USER_DS;
	regs->rflags = X86_EFLAGS_IF; /* as Linux's start_thread_common; IRETQ sets bit 1 */
	regs->vector = ~0ULL;
	regs->error_code = orig_rax; /* execve's number, as a tracer sees it after the exec */
	flush_thread_ptrace(current);
}

void syscall_init(void)
{
	/* SYSCALL: CS = 0x10, SS = 0x18. SYSRET (64-bit): CS = 0x23 + 16 = 0x33, SS = 0x23 + 8. */
	wrmsr(MSR_STAR, ((u64)GDT_USER_CS32 << 48) | ((u64)GDT_KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (u64)entry_syscall);
	wrmsr(MSR_CSTAR, (u64)entry_syscall_compat); /* never leave it 0: see syscall.asm */
	/* Cleared on entry, as Linux: TF, DF, IF, IOPL, AC, NT. */
	wrmsr(MSR_SYSCALL_MASK, 0x100 | 0x400 | 0x200 | 0x3000 | 0x40000 | 0x4000);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/*
	 * No 32-bit ABI, so no SYSENTER: a null SYSENTER_CS makes the instruction #GP(0) (SIGSEGV)
	 * on CPUs that allow it in long mode (Intel; AMD raises #UD), whatever the firmware left
	 * in these MSRs. Linux without IA32_EMULATION writes the same values.
	 */
	wrmsr(MSR_IA32_SYSENTER_CS, 0);
	wrmsr(MSR_IA32_SYSENTER_ESP, 0);
	wrmsr(MSR_IA32_SYSENTER_EIP, 0);
}
