// SPDX-License-Identifier: MIT
/*
 * The debug registers a tracer sees through PTRACE_PEEKUSER/POKEUSER (arch/x86_64/ptrace.h), as
 * Linux 6.1 presents them (arch/x86/kernel/ptrace.c, hw_breakpoint.c) for a kernel that arms no
 * hardware breakpoint: DR0-DR3 hold checked user addresses, DR6 is the virtual DR6, DR7 is
 * checked as Linux checks it and kept, and enabling a breakpoint is refused.
 */
#include "arch/x86_64/ptrace.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/uaccess.h"

/* DR6 bits that read as 1 (Linux keeps DR6 XORed with them), DR7's reserved bits. */
#define DR6_RESERVED 0xffff0ff0UL
#define DR_CONTROL_RESERVED 0xffffffff0000fc00UL
#define DR_STEP 0x4000UL
#define HBP_NUM 4

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
 * length in bytes, or 0 for a combination Linux refuses (an I/O breakpoint, an execute one
 * longer than a byte).
 */
static u32 dr7_slot_len(u64 dr7, int n, bool *exec)
{
	static const u8 lens[4] = { 1, 2, 8, 4 };
	u32 info = (dr7 >> (16 + n * 4)) & 0xf, rw = info & 3, len = lens[info >> 2];

	*exec = rw == 0;
	if (rw == 2 || (rw == 0 && len != 1))
		return 0;
	return len;
}

/*
 * POKEUSER of DR7: every slot that holds a breakpoint gets the length and type DR7 gives it,
 * checked as Linux checks them (EINVAL), all or nothing. Enabling a breakpoint is refused with
 * EIO: Warden has no hardware breakpoints.
 */
static int ptrace_write_dr7(struct task_struct *t, u64 data)
{
	struct thread_ptrace *tp = &t->thread_ptrace;
	u8 lens[HBP_NUM];
	bool exec[HBP_NUM];

	data &= ~DR_CONTROL_RESERVED;
	for (int n = 0; n < HBP_NUM; n++) {
		bool enabled = (data >> (n * 2)) & 3;
		if (!(tp->bp_set & (1 << n)) && !enabled)
			continue;
		lens[n] = (u8)dr7_slot_len(data, n, &exec[n]);
		if (!lens[n])
			return -EINVAL;
		if ((tp->bp_set & (1 << n)) && !bp_addr_ok(tp->debugreg[n], lens[n], exec[n]))
			return -EINVAL;
		if (enabled)
			return -EIO;
	}
	for (int n = 0; n < HBP_NUM; n++) {
		if (tp->bp_set & (1 << n)) {
			tp->bp_len[n] = lens[n];
			tp->bp_exec[n] = exec[n];
		}
	}
	return 0;
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
		if (!bp_addr_ok(value, len, set && tp->bp_exec[n]))
			return -EINVAL;
		if (!set) {
			tp->bp_len[n] = 1;
			tp->bp_exec[n] = false;
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

void ptrace_debug_trap(void)
{
	u64 dr6;

	__asm__ __volatile__("mov %%db6, %0" : "=r"(dr6));
	__asm__ __volatile__("mov %0, %%db6" : : "r"(DR6_RESERVED)); /* its sticky bits cleared */
	current->thread_ptrace.virtual_dr6 = dr6 & DR_STEP;
}

void flush_thread_ptrace(struct task_struct *t)
{
	memset(&t->thread_ptrace, 0, sizeof(t->thread_ptrace));
}
