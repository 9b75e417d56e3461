// SPDX-License-Identifier: MIT
/*
 * User hardware breakpoints, as Linux 6.1 gives them to ptrace (arch/x86/kernel/ptrace.c,
 * hw_breakpoint.c): a tracer writes DR0-DR3 (user addresses) and DR7 (length, type and enable
 * of each slot) through PTRACE_POKEUSER, checked as Linux checks them; the enabled slots of a
 * task are loaded into the CPU's debug registers while it runs (arch_switch_to); a hit in user
 * mode is the SIGTRAP (TRAP_HWBKPT) Linux sends, and sets the slot's bit of the virtual DR6 a
 * tracer reads; a hit by a kernel access to user memory (or deferred by MOV SS to an entry's
 * first instruction) is ignored, as on Linux. Breakpoints are not inherited by fork and are
 * dropped by execve.
 */
#include "arch/x86_64/ptrace.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/traps.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/uaccess.h"

/* DR6 bits that read as 1 (Linux keeps DR6 XORed with them), DR7's reserved bits. */
#define DR6_RESERVED 0xffff0ff0UL
#define DR_CONTROL_RESERVED 0xffffffff0000fc00UL
#define DR_TRAP_BITS 0xfUL
#define DR_STEP 0x4000UL
#define DR_GLOBAL_SLOWDOWN 0x200UL
#define HBP_NUM 4

/* DR7's R/W field: what an access must be to hit. */
#define X86_BREAKPOINT_EXECUTE 0
#define X86_BREAKPOINT_WRITE 1
#define X86_BREAKPOINT_RW 3

/* The DR7 value loaded on each CPU (0: none), so a switch to a task without breakpoints that
 * follows one without is free. Written with interrupts off by the CPU itself. */
static u64 cpu_dr7[NR_CPUS];

/* PEEKUSER of a debug register: the address, the virtual DR6, the last DR7; DR4/5 read 0. */
u64 ptrace_get_debugreg(struct task_struct *t, int n)
{
	const struct thread_ptrace *tp = &t->thread_ptrace;

	if (n < HBP_NUM)
		return (tp->bp_set & (1 << n)) ? tp->debugreg[n] : 0;
	if (n == 6)
		return tp->virtual_dr6 ^ DR6_RESERVED;
	if (n == 7)
		return tp->ptrace_dr7;
	return 0;
}

/*
 * Would a user breakpoint at addr of len bytes be accepted (Linux's arch_build_bp_info and
 * hw_breakpoint_parse for a ptrace breakpoint, which excludes the kernel)? An execute breakpoint
 * covers sizeof(long) for the wrap check and one byte otherwise.
 */
static bool bp_addr_ok(u64 addr, u32 len, bool exec)
{
	u64 span = exec ? 8 : len;

	if (addr + span - 1 < addr)
		return false;
	if (addr & (len - 1))
		return false; /* misaligned for its length */
	return addr < TASK_SIZE_MAX && addr + len - 1 < TASK_SIZE_MAX;
}

/*
 * DR7's length and type fields for slot n (Linux's decode_dr7 and arch_bp_generic_fields): the
 * length in bytes and the R/W type, or -EINVAL for a combination Linux refuses (an I/O
 * breakpoint, an execute one longer than a byte).
 */
static int dr7_slot_fields(u64 dr7, int n, u8 *len, u8 *type)
{
	static const u8 lens[4] = { 1, 2, 8, 4 };
	u32 info = (dr7 >> (16 + n * 4)) & 0xf;

	*type = info & 3;
	*len = lens[info >> 2];
	if (*type == 2 || (*type == X86_BREAKPOINT_EXECUTE && *len != 1))
		return -EINVAL;
	return 0;
}

/* The DR7 field of a breakpoint's length and type (Linux's encode_dr7, without the enable). */
static u64 dr7_slot_encode(int n, u8 len, u8 type)
{
	u64 lenbits = len == 1 ? 0 : len == 2 ? 1 : len == 8 ? 2 : 3;

	return ((lenbits << 2) | type) << (16 + n * 4);
}

/* The DR7 of a task's enabled breakpoints (Linux's ptrace_get_dr7: global enables only). */
static u64 ptrace_get_dr7(const struct thread_ptrace *tp)
{
	u64 dr7 = 0;

	for (int n = 0; n < HBP_NUM; n++)
		if (tp->bp_enabled & (1 << n))
			dr7 |= dr7_slot_encode(n, tp->bp_len[n], tp->bp_type[n]) | (2UL << (n * 2));
	return dr7;
}

/*
 * One pass of Linux's ptrace_write_dr7, slot by slot, stopping at the first error: a slot without
 * a breakpoint that DR7 enables gets one at address 0 (ptrace_register_breakpoint); a slot with
 * one takes DR7's length, type and enable (ptrace_modify_breakpoint). A length or type Linux
 * refuses changes nothing; an address that does not fit the new length leaves the breakpoint's
 * length and type but takes the new enable (modify_user_hw_breakpoint disables, fails, and
 * enables again only if asked to).
 */
static int write_dr7_pass(struct thread_ptrace *tp, u64 data)
{
	for (int n = 0; n < HBP_NUM; n++) {
		u8 bit = (u8)(1 << n), len, type;
		bool enabled = (data >> (n * 2)) & 3;

		if (!(tp->bp_set & bit) && !enabled)
			continue;
		if (dr7_slot_fields(data, n, &len, &type))
			return -EINVAL;
		if (!(tp->bp_set & bit)) {
			tp->bp_set |= bit;
			tp->debugreg[n] = 0;
		} else if (!bp_addr_ok(tp->debugreg[n], len, type == X86_BREAKPOINT_EXECUTE)) {
			tp->bp_enabled =
				(u8)(enabled ? tp->bp_enabled | bit : tp->bp_enabled & ~bit);
			return -EINVAL;
		}
		tp->bp_len[n] = len;
		tp->bp_type[n] = type;
		tp->bp_enabled = (u8)(enabled ? tp->bp_enabled | bit : tp->bp_enabled & ~bit);
	}
	return 0;
}

/* POKEUSER of DR7: on an error, a second pass puts back the DR7 of the breakpoints enabled before
 * (what Linux does: a slot the first pass filled keeps its breakpoint, disabled). */
static int ptrace_write_dr7(struct task_struct *t, u64 data)
{
	struct thread_ptrace *tp = &t->thread_ptrace;
	u64 old_dr7 = ptrace_get_dr7(tp);
	int err = write_dr7_pass(tp, data & ~DR_CONTROL_RESERVED);

	if (err)
		write_dr7_pass(tp, old_dr7);
	return err;
}

/*
 * POKEUSER of a debug register (Linux's ptrace_set_debugreg): DR0-3 take a user address (a new
 * breakpoint is a disabled one-byte write breakpoint), DR6 any value, DR7 see above; DR4 and DR5
 * do not exist (EIO).
 */
int ptrace_set_debugreg(struct task_struct *t, int n, u64 value)
{
	struct thread_ptrace *tp = &t->thread_ptrace;

	if (n < HBP_NUM) {
		bool set = tp->bp_set & (1 << n);
		u32 len = set ? tp->bp_len[n] : 1;
		if (!bp_addr_ok(value, len, set && tp->bp_type[n] == X86_BREAKPOINT_EXECUTE))
			return -EINVAL;
		if (!set) {
			tp->bp_len[n] = 1;
			tp->bp_type[n] = X86_BREAKPOINT_WRITE;
			tp->bp_set |= (u8)(1 << n);
		}
		tp->debugreg[n] = value;
		return 0;
	}
	if (n == 6) {
		tp->virtual_dr6 = value ^ DR6_RESERVED;
		return 0;
	}
	if (n == 7) {
		int err = ptrace_write_dr7(t, value);
		if (!err)
			tp->ptrace_dr7 = value;
		return err;
	}
	return -EIO;
}

static u64 get_dr(int n)
{
	u64 v = 0;

	switch (n) {
	case 6:
		__asm__ __volatile__("mov %%db6, %0" : "=r"(v));
		break;
	case 7:
		__asm__ __volatile__("mov %%db7, %0" : "=r"(v));
		break;
	}
	return v;
}

static void set_dr(int n, u64 v)
{
	switch (n) {
	case 0:
		__asm__ __volatile__("mov %0, %%db0" : : "r"(v));
		break;
	case 1:
		__asm__ __volatile__("mov %0, %%db1" : : "r"(v));
		break;
	case 2:
		__asm__ __volatile__("mov %0, %%db2" : : "r"(v));
		break;
	case 3:
		__asm__ __volatile__("mov %0, %%db3" : : "r"(v));
		break;
	case 6:
		__asm__ __volatile__("mov %0, %%db6" : : "r"(v));
		break;
	case 7:
		__asm__ __volatile__("mov %0, %%db7" : : "r"(v));
		break;
	}
}

/*
 * Loads next's enabled breakpoints into this CPU's DR0-DR3 and DR7 (global enables, as Linux's
 * arch_install_hw_breakpoint), or clears DR7 if it has none and the CPU has some. Called with
 * interrupts off, by arch_switch_to and by execve for the current task.
 */
void switch_debugreg(struct task_struct *next)
{
	const struct thread_ptrace *tp = &next->thread_ptrace;
	u64 *loaded = &cpu_dr7[smp_processor_id()];
	u64 dr7 = next->mm ? ptrace_get_dr7(tp) : 0;

	if (!dr7) {
		if (*loaded)
			set_dr(7, 0);
		*loaded = 0;
		return;
	}
	if (*loaded)
		set_dr(7, 0); /* no breakpoint on a mix of the old and new addresses */
	for (int n = 0; n < HBP_NUM; n++)
		if (tp->bp_enabled & (1 << n))
			set_dr(n, tp->debugreg[n]);
	dr7 |= DR_GLOBAL_SLOWDOWN;
	set_dr(7, dr7);
	*loaded = dr7;
}

u64 debug_read_clear_dr6(void)
{
	u64 dr6 = get_dr(6);

	set_dr(6, DR6_RESERVED); /* its sticky bits cleared for the next one */
	return dr6 ^ DR6_RESERVED;
}

/*
 * The breakpoints of dr6 (positive polarity) that are the current task's and loaded here (Linux's
 * hw_breakpoint_handler with ptrace_triggered): each leaves dr6 and, hit in user mode, sets its
 * bit of the virtual DR6 (a hit by the kernel's access to user memory counts for nothing: a
 * ptrace breakpoint is a perf event with exclude_kernel); an instruction breakpoint sets RF, so the
 * return does not hit it again, unless a single-step came with it (that one first). Returns true if
 * the #DB is fully accounted for and needs no signal.
 */
static bool hw_breakpoint_handler(struct pt_regs *regs, u64 *dr6)
{
	struct thread_ptrace *tp = &current->thread_ptrace;
	u64 loaded = cpu_dr7[smp_processor_id()];

	for (int n = 0; n < HBP_NUM; n++) {
		bool bpx;

		if (!(*dr6 & (1UL << n)) || !(loaded & (3UL << (n * 2))))
			continue;
		bpx = tp->bp_type[n] == X86_BREAKPOINT_EXECUTE;
		if (bpx && (*dr6 & DR_STEP))
			continue;
		*dr6 &= ~(1UL << n);
		if (user_mode(
			    regs)) /* ptrace breakpoints exclude the kernel (perf_exclude_event) */
			tp->virtual_dr6 |= 1UL << n;
		if (bpx)
			regs->rflags |= X86_EFLAGS_RF;
	}
	return !(tp->virtual_dr6 & DR_TRAP_BITS) && !(*dr6 & ~DR_TRAP_BITS);
}

void exc_debug_kernel(struct pt_regs *regs)
{
	u64 dr6 = debug_read_clear_dr6();
	u64 dr7 = get_dr(7) & ~0x400UL; /* Linux's local_db_save: bit 10 always reads 1 */

	if (dr7)
		set_dr(7,
		       0); /* nothing below may hit a breakpoint: this IST frame would be reused */
	if (dr6 & DR_TRAP_BITS)
		hw_breakpoint_handler(regs, &dr6);
	/*
	 * The kernel never single-steps itself: a step here is a user's TF that MOV SS or POP SS
	 * deferred past SYSCALL (which clears TF) or INT n (an interrupt gate clears it) to the
	 * entry's first instruction. Linux warns once and clears TF in the frame; the user's own TF
	 * is in the user frame, which the return to user mode restores.
	 */
	if (dr6 & DR_STEP)
		regs->rflags &= ~X86_EFLAGS_TF;
	if (dr7)
		set_dr(7, dr7);
}

void exc_debug_user(struct pt_regs *regs, u64 dr6)
{
	struct thread_ptrace *tp = &current->thread_ptrace;
	bool icebp = !dr6; /* INT1 (ICEBP) leaves no reason in DR6 */
	int code;

	tp->virtual_dr6 = dr6 & DR_STEP;
	if ((dr6 & DR_TRAP_BITS) && hw_breakpoint_handler(regs, &dr6))
		return;
	dr6 |= tp->virtual_dr6;
	if (!(dr6 & (DR_STEP | DR_TRAP_BITS)) && !icebp)
		return;
	code = (dr6 & DR_STEP) ? TRAP_TRACE : (dr6 & DR_TRAP_BITS) ? TRAP_HWBKPT : TRAP_BRKPT;
	current->sig.trap_nr = X86_TRAP_DB; /* Linux's send_sigtrap */
	current->sig.error_code = 0;
	force_sig_fault(SIGTRAP, code, regs->rip);
}

void fork_thread_ptrace(struct task_struct *child, const struct task_struct *parent)
{
	memset(&child->thread_ptrace, 0, sizeof(child->thread_ptrace));
	child->thread_ptrace.virtual_dr6 = parent->thread_ptrace.virtual_dr6;
	child->thread_ptrace.ptrace_dr7 = parent->thread_ptrace.ptrace_dr7;
}

void flush_thread_ptrace(struct task_struct *t)
{
	memset(&t->thread_ptrace, 0, sizeof(t->thread_ptrace));
	if (t == current) {
		u64 flags = local_irq_save();

		switch_debugreg(t);
		local_irq_restore(flags);
	}
}
