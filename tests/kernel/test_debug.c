// SPDX-License-Identifier: MIT
/*
 * The paranoid #DB entry (arch/x86_64/entry.asm): a #DB taken in kernel mode where GS is still
 * the user's and RSP is not a kernel stack, CVE-2018-8897's state at the first instruction of the
 * SYSCALL entry, which QEMU's TCG cannot make a user program reach. The tests build that state
 * themselves (swapgs; an unmapped RSP) and raise the #DB with a kernel single step or a data
 * breakpoint. Without the IST stack the CPU would push the frame onto the bad RSP (#PF, then a
 * double fault); with a CS-based SWAPGS decision the handler would read per-CPU data through the
 * user's GS base. Both panic; passing means the handler ran and returned.
 */
#include "kernel/selftest.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ptrace.h"

#define DR6_RESERVED 0xffff0ff0UL

static u64 watched;

static u64 read_dr6(void)
{
	u64 v;

	__asm__ __volatile__("mov %%db6, %0" : "=r"(v));
	return v;
}

/* A kernel single step (TF) with the user's GS: the handler clears TF and leaves GS as it was. */
SELFTEST(debug_kernel_step_user_gs)
{
	u64 flags = local_irq_save(), after;

	__asm__ __volatile__("swapgs\n\t"
			     "pushfq\n\t"
			     "orq $0x100, (%%rsp)\n\t"
			     "popfq\n\t"
			     "nop\n\t" /* the single-step #DB comes after this one */
			     "nop\n\t"
			     "swapgs\n\t"
			     "pushfq\n\t"
			     "popq %0"
			     : "=r"(after)
			     :
			     : "memory", "cc");
	local_irq_restore(flags);
	ST_ASSERT(!(after & X86_EFLAGS_TF));
	ST_ASSERT_EQ(read_dr6(), DR6_RESERVED); /* read and reset by the handler */
}

/*
 * A data breakpoint hit with the user's GS and RSP at an unmapped user address, as a watchpoint
 * deferred by MOV SS to the SYSCALL entry: the #DB runs on its IST stack and is ignored.
 */
SELFTEST(debug_watch_user_gs_bad_rsp)
{
	u64 flags = local_irq_save();
	u64 dr7 = 0x90002; /* DR0: 8-byte write breakpoint, global enable */

	watched = 0;
	__asm__ __volatile__("mov %0, %%db0" : : "r"((u64)&watched));
	__asm__ __volatile__("mov %0, %%db7" : : "r"(dr7));
	__asm__ __volatile__("swapgs\n\t"
			     "mov %%rsp, %%r11\n\t"
			     "mov $0x1000, %%rsp\n\t"
			     "movq $1, %0\n\t" /* the #DB (a trap) comes after this store */
			     "mov %%r11, %%rsp\n\t"
			     "swapgs"
			     : "+m"(watched)
			     :
			     : "r11", "memory");
	__asm__ __volatile__("mov %0, %%db7" : : "r"(0UL));
	local_irq_restore(flags);
	ST_ASSERT_EQ(watched, 1);
	ST_ASSERT_EQ(read_dr6(), DR6_RESERVED);
}
