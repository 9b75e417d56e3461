// SPDX-License-Identifier: MIT
/*
 * UMIP emulation (see umip.h): a small decoder for the five instructions and their 64-bit-mode
 * operands (prefixes, REX, ModRM, SIB, displacements, RIP-relative and 32-bit addressing, FS/GS
 * overrides), following Linux 6.1's insn decoder and insn-eval where they decide the outcome.
 */
#include "arch/x86_64/umip.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/process.h"
#include "arch/x86_64/time.h"
#include "arch/x86_64/traps.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

#define MAX_INSN_SIZE 15

#define UMIP_DUMMY_GDT_BASE 0xfffffffffffe0000ULL
#define UMIP_DUMMY_IDT_BASE 0xffffffffffff0000ULL
/* Linux's CR0_STATE: PE, MP, ET, NE, WP, AM, PG. */
#define UMIP_DUMMY_CR0 0x80050033UL

enum umip_insn { UMIP_INST_SGDT, UMIP_INST_SIDT, UMIP_INST_SMSW, UMIP_INST_SLDT, UMIP_INST_STR };

static const char *const umip_names[] = { "SGDT", "SIDT", "SMSW", "SLDT", "STR" };

/* What the decoder learnt about one instruction. */
struct umip_insn_info {
	u8 rex;
	u8 modrm;
	u8 sib;
	bool has_sib;
	int seg; /* 4 FS, 5 GS, -1 none (other overrides have base 0 in 64-bit mode) */
	int opnd_bytes; /* 2, 4 or 8 */
	int addr_bytes; /* 4 or 8 */
	s64 disp;
	int length;
};

#define MODRM_MOD(m) ((m) >> 6)
#define MODRM_REG(m) (((m) >> 3) & 7)
#define MODRM_RM(m) ((m)&7)

/* Reads general register n (0 RAX .. 15 R15, the hardware's numbering) from the frame. */
static u64 *reg_slot(struct pt_regs *regs, int n)
{
	switch (n) {
	case 0:
		return &regs->rax;
	case 1:
		return &regs->rcx;
	case 2:
		return &regs->rdx;
	case 3:
		return &regs->rbx;
	case 4:
		return &regs->rsp;
	case 5:
		return &regs->rbp;
	case 6:
		return &regs->rsi;
	case 7:
		return &regs->rdi;
	case 8:
		return &regs->r8;
	case 9:
		return &regs->r9;
	case 10:
		return &regs->r10;
	case 11:
		return &regs->r11;
	case 12:
		return &regs->r12;
	case 13:
		return &regs->r13;
	case 14:
		return &regs->r14;
	default:
		return &regs->r15;
	}
}

/*
 * Decodes prefixes, REX, the two opcode bytes, ModRM, SIB and displacement from the n fetched
 * bytes. Linux's decoder keeps at most four distinct legacy prefixes (a fifth ends the prefixes,
 * so the opcode is wrong) and refuses two different segment overrides. Returns the instruction
 * or -1 when it is not one UMIP emulates (or cannot be decoded from the bytes available).
 */
static int umip_decode(const u8 *buf, int n, struct umip_insn_info *in)
{
	u8 prefixes[4];
	int np = 0, i = 0, nseg = 0;

	memset(in, 0, sizeof(*in));
	in->seg = -1;
	in->opnd_bytes = 4;
	in->addr_bytes = 8;
	for (; i < n; i++) {
		u8 b = buf[i];
		bool legacy = b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 ||
			      b == 0x65 || b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 ||
			      b == 0xf3;
		bool seen = false;

		if (!legacy)
			break;
		for (int j = 0; j < np; j++)
			seen |= prefixes[j] == b;
		if (!seen) {
			if (np == 4)
				break;
			prefixes[np++] = b;
		}
	}
	for (int j = 0; j < np; j++) {
		u8 b = prefixes[j];
		if (b == 0x66)
			in->opnd_bytes = 2;
		else if (b == 0x67)
			in->addr_bytes = 4;
		else if (b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 ||
			 b == 0x65) {
			nseg++;
			in->seg = b == 0x64 ? 4 : b == 0x65 ? 5 : -1;
		}
	}
	if (i < n && (buf[i] & 0xf0) == 0x40)
		in->rex = buf[i++];
	if (in->rex & 8)
		in->opnd_bytes = 8;
	if (i + 3 > n || buf[i] != 0x0f || buf[i + 1] > 1)
		return -1;
	u8 op = buf[i + 1];
	in->modrm = buf[i + 2];
	i += 3;

	int reg = MODRM_REG(in->modrm), mod = MODRM_MOD(in->modrm), kind;
	if (op == 1 && reg == 0 && mod != 3)
		kind = UMIP_INST_SGDT; /* the register forms of 0F 01 /0 and /1 are other insns */
	else if (op == 1 && reg == 1 && mod != 3)
		kind = UMIP_INST_SIDT;
	else if (op == 1 && reg == 4)
		kind = UMIP_INST_SMSW;
	else if (op == 0 && reg == 0)
		kind = UMIP_INST_SLDT;
	else if (op == 0 && reg == 1)
		kind = UMIP_INST_STR;
	else
		return -1;

	if (mod != 3 && MODRM_RM(in->modrm) == 4) {
		if (i >= n)
			return -1;
		in->sib = buf[i++];
		in->has_sib = true;
	}
	int disp_bytes = mod == 1 ? 1 : mod == 2 ? 4 : 0;
	if (mod == 0 && MODRM_RM(in->modrm) == 5)
		disp_bytes = 4; /* RIP-relative */
	if (mod == 0 && in->has_sib && (in->sib & 7) == 5)
		disp_bytes = 4; /* SIB without a base */
	if (i + disp_bytes > n)
		return -1;
	if (disp_bytes == 1)
		in->disp = (s8)buf[i];
	else if (disp_bytes == 4)
		in->disp = (s32)((u32)buf[i] | (u32)buf[i + 1] << 8 | (u32)buf[i + 2] << 16 |
				 (u32)buf[i + 3] << 24);
	i += disp_bytes;
	in->length = i;
	if (mod != 3 && nseg > 1)
		return -1; /* Linux's get_seg_reg_override_idx: undefined, not emulated */
	return kind;
}

/* The linear address of a memory operand, as Linux's insn_get_addr_ref in 64-bit mode. */
static u64 umip_operand_address(struct pt_regs *regs, const struct umip_insn_info *in)
{
	int mod = MODRM_MOD(in->modrm), rm = MODRM_RM(in->modrm);
	u64 base = 0, index = 0, eff, seg_base = 0;
	int scale = 0;

	if (in->has_sib) {
		int b = (in->sib & 7) | (in->rex & 1 ? 8 : 0);
		int x = ((in->sib >> 3) & 7) | (in->rex & 2 ? 8 : 0);

		scale = in->sib >> 6;
		if (!(mod == 0 && (in->sib & 7) == 5))
			base = *reg_slot(regs, b);
		if (x != 4)
			index = *reg_slot(regs, x);
	} else if (mod == 0 && rm == 5) {
		base = regs->rip + (u64)in->length; /* RIP-relative: the next instruction */
	} else {
		base = *reg_slot(regs, rm | (in->rex & 1 ? 8 : 0));
	}
	eff = base + (index << scale) + (u64)in->disp;
	if (in->addr_bytes == 4)
		eff = (u32)((u32)base + ((u32)index << scale) + (u32)in->disp);
	if (in->seg == 4)
		seg_base = x86_fsbase_read();
	else if (in->seg == 5)
		seg_base = x86_gsbase_read();
	return seg_base + eff;
}

/* The dummy result and its size: 10 bytes for SGDT/SIDT, else the operand's (memory: 2). */
static int umip_result(int kind, const struct umip_insn_info *in, u8 data[10])
{
	u64 v;

	memset(data, 0, 10);
	if (kind == UMIP_INST_SGDT || kind == UMIP_INST_SIDT) {
		v = kind == UMIP_INST_SGDT ? UMIP_DUMMY_GDT_BASE : UMIP_DUMMY_IDT_BASE;
		memcpy(data + 2, &v, 8); /* limit 0, then the base */
		return 10;
	}
	if (kind == UMIP_INST_SMSW)
		v = UMIP_DUMMY_CR0;
	else if (kind == UMIP_INST_STR)
		v = GDT_TSS;
	else
		v = current->mm && current->mm->ldt ? GDT_LDT : 0;
	memcpy(data, &v, 8);
	return MODRM_MOD(in->modrm) == 3 ? in->opnd_bytes : 2;
}

/* Linux's umip_printk: at most five lines every two minutes, at debug level. */
static void umip_log(const struct pt_regs *regs, int kind)
{
	static u64 window_start, printed;
	u64 now = ktime_get_ns();

	if (now - window_start > 120ULL * 1000000000ULL || !window_start) {
		window_start = now ? now : 1;
		printed = 0;
	}
	if (printed++ >= 5)
		return;
	pr_debug("umip: %s[%d] ip:%llx sp:%llx: %s instruction cannot be used by applications.\n",
		 current->comm, current->pid, (unsigned long long)regs->rip,
		 (unsigned long long)regs->rsp, umip_names[kind]);
}

bool fixup_umip_exception(struct pt_regs *regs)
{
	struct umip_insn_info in;
	u8 buf[MAX_INSN_SIZE], data[10];
	int n, kind, size;

	if (regs->cs != GDT_USER_CS)
		return false; /* compatibility mode: not emulated (Linux decodes 32-bit code) */
	n = MAX_INSN_SIZE - (int)copy_from_user(buf, (const void __user *)regs->rip, sizeof(buf));
	if (n <= 0)
		return false;
	kind = umip_decode(buf, n, &in);
	if (kind < 0)
		return false;
	umip_log(regs, kind);
	size = umip_result(kind, &in, data);
	if (MODRM_MOD(in.modrm) == 3) {
		/* A register operand: its low size bytes change, the rest stay, as Linux's memcpy.
		 */
		memcpy(reg_slot(regs, MODRM_RM(in.modrm) | (in.rex & 1 ? 8 : 0)), data,
		       (size_t)size);
	} else {
		u64 addr = umip_operand_address(regs, &in);

		if (copy_to_user((void __user *)addr, data, (size_t)size)) {
			struct task_signal *s = &current->sig;

			s->trap_nr = X86_TRAP_PF;
			s->error_code = X86_PF_USER | X86_PF_WRITE;
			s->cr2 = addr;
			force_sig_fault(SIGSEGV, SEGV_MAPERR, addr);
			return true;
		}
	}
	regs->rip += (u64)in.length;
	return true;
}
