// SPDX-License-Identifier: MIT
/* Task register state, context switch, SYSCALL setup. */
#include "arch/x86_64/process.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pkru.h"
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

void arch_switch_to(struct task_struct *prev, struct task_struct *next)
{
	struct percpu *cpu = this_cpu();

	u32 pkru = INIT_PKRU_VALUE; /* kernel threads and idle: init_pkru_value */

	if (prev->mm) {
		fpu_save_regs(task_fpstate(prev));
		prev->pkru = read_pkru();
	}
	if (next->mm) {
		switch_mm(next->mm);
		fpu_restore_regs(task_fpstate(next));
		wrmsr(MSR_FS_BASE, next->fs_base);
		wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
		pkru = next->pkru;
	}
	/* Linux's switch_fpu_finish: WRPKRU only when the value changes (a no-op without PKU). */
	if (arch_pkeys_enabled() && read_pkru() != pkru)
		write_pkru(pkru);
	u64 top = (u64)next->stack + KSTACK_SIZE;
	cpu->kernel_rsp = top;
	tss_set_rsp0(top);
	cpu->current_task = next;
	switch_to(&prev->thread_sp, next->thread_sp);
}

void start_thread(struct pt_regs *regs, u64 rip, u64 rsp)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = rip;
	regs->rsp = rsp;
	regs->cs = GDT_USER_CS;
	regs->ss = GDT_USER_DS;
	regs->rflags = X86_EFLAGS_IF | 0x2;
	regs->vector = ~0ULL;
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
