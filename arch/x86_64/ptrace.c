// SPDX-License-Identifier: MIT
/*
 * The x86-64 side of ptrace (arch/x86_64/ptrace.h): a stopped tracee's registers, FPU images and
 * debug registers as Linux 6.1's arch/x86/kernel/ptrace.c and fpu/regset.c present them, and the
 * checks that keep what a tracer writes from reaching the kernel.
 */
#include "arch/x86_64/ptrace.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/traps.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/uaccess.h"

#define PTRACE_PEEKUSR 3
#define PTRACE_POKEUSR 6
#define PTRACE_GETREGS 12
#define PTRACE_SETREGS 13
#define PTRACE_GETFPREGS 14
#define PTRACE_SETFPREGS 15
#define PTRACE_GETREGSET 0x4204

#define NT_PRSTATUS 1
#define NT_PRFPREG 2
#define NT_386_IOPERM 0x201
#define NT_X86_XSTATE 0x202

/* The words of struct user_regs_struct, in Linux's order (27 of them, 216 bytes). */
enum user_reg {
	UREG_R15,
	UREG_R14,
	UREG_R13,
	UREG_R12,
	UREG_RBP,
	UREG_RBX,
	UREG_R11,
	UREG_R10,
	UREG_R9,
	UREG_R8,
	UREG_RAX,
	UREG_RCX,
	UREG_RDX,
	UREG_RSI,
	UREG_RDI,
	UREG_ORIG_RAX,
	UREG_RIP,
	UREG_CS,
	UREG_EFLAGS,
	UREG_RSP,
	UREG_SS,
	UREG_FS_BASE,
	UREG_GS_BASE,
	UREG_DS,
	UREG_ES,
	UREG_FS,
	UREG_GS,
	NR_UREGS
};
#define USER_REGS_SIZE (NR_UREGS * 8)

/* struct user (x86-64): its size, and where u_debugreg[8] lies in it. */
#define USER_STRUCT_SIZE 928
#define USER_DEBUGREG_OFFSET 848

/* user_i387_struct: the FXSAVE image; where its padding starts (Linux writes zeros there). */
#define FXSAVE_PADDING_OFFSET 416
/* Where NT_X86_XSTATE carries XCR0's user features (Linux's xstate_fx_sw_bytes[0]). */
#define USER_XSTATE_XCR0_OFFSET 464

_Static_assert(__builtin_offsetof(struct pt_regs, rdi) == UREG_RDI * 8,
	       "pt_regs starts with user_regs_struct's first 15 words");

/* The user_regs_struct word idx of stopped task t (Linux's getreg). */
static u64 getreg(struct task_struct *t, int idx)
{
	struct pt_regs *regs = task_pt_regs(t);

	switch (idx) {
	case UREG_ORIG_RAX:
		/* The syscall number; -1 when the task entered through an exception or interrupt.
		 */
		return regs->vector == ~0ULL ? regs->error_code : ~0ULL;
	case UREG_RIP:
		return regs->rip;
	case UREG_CS:
		return (u16)regs->cs;
	case UREG_EFLAGS:
		return regs->rflags;
	case UREG_RSP:
		return regs->rsp;
	case UREG_SS:
		return (u16)regs->ss;
	case UREG_FS_BASE:
		return t->fs_base;
	case UREG_GS_BASE:
		return t->gs_base;
	case UREG_DS:
		return t->ds;
	case UREG_ES:
		return t->es;
	case UREG_FS:
		return t->fsindex;
	case UREG_GS:
		return t->gsindex;
	default:
		return ((u64 *)regs)[idx];
	}
}

/*
 * A selector word (Linux's set_segment_reg): the value is cut to 16 bits, must be null or have
 * RPL 3, and CS and SS must not be null. A selector the CPU still refuses (a kernel segment with
 * RPL 3, a data segment in CS) faults the IRETQ, which becomes the tracee's SIGSEGV. Data
 * selectors go to the task's saved segment state, which load_user_segments gives the CPU when
 * the tracee runs again (a selector the CPU refuses there becomes null).
 */
static int set_segment_reg(struct task_struct *t, int idx, u16 value)
{
	if (invalid_selector(value))
		return -EIO;
	switch (idx) {
	case UREG_CS:
	case UREG_SS:
		if (value == 0)
			return -EIO;
		if (idx == UREG_CS)
			task_pt_regs(t)->cs = value;
		else
			task_pt_regs(t)->ss = value;
		break;
	case UREG_DS:
		t->ds = value;
		break;
	case UREG_ES:
		t->es = value;
		break;
	case UREG_FS:
		t->fsindex = value;
		break;
	default:
		t->gsindex = value;
		break;
	}
	return 0;
}

/*
 * Writes the user_regs_struct word idx of stopped task t (Linux's putreg): 0, or -EIO for a
 * value user mode must not get. orig_rax makes the stop look like one in a syscall (or not, for
 * -1), so that the syscall-restart rules of kernel/signal.c see what the tracer wrote.
 */
static int putreg(struct task_struct *t, int idx, u64 value)
{
	struct pt_regs *regs = task_pt_regs(t);

	switch (idx) {
	case UREG_CS:
	case UREG_SS:
	case UREG_DS:
	case UREG_ES:
	case UREG_FS:
	case UREG_GS:
		return set_segment_reg(t, idx, (u16)value);
	case UREG_EFLAGS:
		regs->rflags = user_rflags_merge(regs->rflags, value, FLAG_MASK);
		return 0;
	case UREG_FS_BASE:
		if (value >= TASK_SIZE_MAX)
			return -EIO; /* the context switch writes it to MSR_FS_BASE */
		t->fs_base = value;
		return 0;
	case UREG_GS_BASE:
		if (value >= TASK_SIZE_MAX)
			return -EIO;
		t->gs_base = value;
		return 0;
	case UREG_ORIG_RAX:
		regs->vector = ~0ULL;
		regs->error_code = value;
		return 0;
	case UREG_RIP:
		regs->rip = value;
		return 0;
	case UREG_RSP:
		regs->rsp = value;
		return 0;
	default:
		((u64 *)regs)[idx] = value;
		return 0;
	}
}

/* NT_PRSTATUS into buf (len bytes, whole words). */
static int genregs_get(struct task_struct *t, void *buf, u32 len)
{
	u64 *w = buf;

	for (u32 i = 0; i < len / 8; i++)
		w[i] = getreg(t, (int)i);
	return 0;
}

/*
 * NT_PRSTATUS from user memory, word by word as Linux's genregs_set: a word that cannot be read
 * (EFAULT) or a value putreg refuses (EIO) ends it, and the words before stay written.
 */
static int genregs_set(struct task_struct *t, u32 len, const void __user *ubuf)
{
	const u64 __user *u = ubuf;

	for (u32 i = 0; i < len / 8; i++) {
		u64 word;
		if (get_user_u64(&word, u + i))
			return -EFAULT;
		int err = putreg(t, (int)i, word);
		if (err)
			return err;
	}
	return 0;
}

/* The MXCSR mask field FXSAVE stores (0 on CPUs that predate it). */
static u32 fxsave_mxcsr_mask(void)
{
	u8 fx[FXSAVE_SIZE] __aligned(16);
	u32 mask;

	__asm__ __volatile__("fxsaveq %0" : "=m"(fx));
	memcpy(&mask, fx + MXCSR_OFFSET + 4, sizeof(mask));
	return mask;
}

/* The MXCSR bits this CPU accepts (Linux's mxcsr_feature_mask: 0xffbf when FXSAVE says 0). */
static u32 mxcsr_feature_mask(void)
{
	u32 mask = fxsave_mxcsr_mask();

	return mask ? mask : 0xffbf;
}

/*
 * The FXSAVE part of t's image as Linux's regsets show it (copy_xstate_to_uabi_buf): with
 * XSAVE, a component the header marks as in its init state reads as its init values and bytes
 * 416..511 are zero (whatever a tracer's SETFPREGS put there); without XSAVE the image as it is.
 */
static void fxregs_uabi(struct task_struct *t, u8 fx[FXSAVE_SIZE])
{
	const u8 *image = task_fpstate(t);

	memcpy(fx, image, FXSAVE_SIZE);
	if (!use_xsave())
		return;
	u64 xfeatures = ((const struct xstate_header *)(image + XSAVE_HDR_OFFSET))->xfeatures;
	if (!(xfeatures & XFEATURE_MASK_FP)) {
		memset(fx, 0, MXCSR_OFFSET); /* FCW..FDP */
		*(u16 *)fx = 0x37f;
		memset(fx + 32, 0, 128); /* st_space */
	}
	if (!(xfeatures & (XFEATURE_MASK_SSE | XFEATURE_MASK_YMM))) {
		u32 mxcsr[2] = { 0x1f80, fxsave_mxcsr_mask() };
		memcpy(fx + MXCSR_OFFSET, mxcsr, sizeof(mxcsr));
	}
	if (!(xfeatures & XFEATURE_MASK_SSE))
		memset(fx + 160, 0, 256); /* xmm_space */
	memset(fx + FXSAVE_PADDING_OFFSET, 0, FXSAVE_SIZE - FXSAVE_PADDING_OFFSET);
}

/* NT_PRFPREG: the FXSAVE part of t's image (Linux's xfpregs_get). */
static int xfpregs_get(struct task_struct *t, void *buf, u32 len)
{
	u8 fx[FXSAVE_SIZE];

	fxregs_uabi(t, fx);
	memcpy(buf, fx, len);
	return 0;
}

/*
 * NT_PRFPREG from user memory (Linux's xfpregs_set): the whole 512 bytes or EINVAL, and an MXCSR
 * the CPU accepts (FXRSTOR/XRSTOR of it at the next switch must not fault). With XSAVE, x87 and
 * SSE are then marked present in the image's header.
 */
static int xfpregs_set(struct task_struct *t, u32 len, const void __user *ubuf)
{
	u8 fx[FXSAVE_SIZE];
	u32 mxcsr;
	u8 *image = task_fpstate(t);

	if (len != FXSAVE_SIZE)
		return -EINVAL;
	if (copy_from_user(fx, ubuf, FXSAVE_SIZE))
		return -EFAULT;
	memcpy(&mxcsr, fx + MXCSR_OFFSET, sizeof(mxcsr));
	if (mxcsr & ~mxcsr_feature_mask())
		return -EINVAL;
	memcpy(image, fx, FXSAVE_SIZE);
	if (use_xsave())
		((struct xstate_header *)(image + XSAVE_HDR_OFFSET))->xfeatures |=
			XFEATURE_MASK_FPSSE;
	return 0;
}

/* Copies the part of [off, off + n) that lies below len to buf + off. */
static void put_part(u8 *buf, u32 len, u32 off, const void *src, u32 n)
{
	if (off < len)
		memcpy(buf + off, src, min(n, len - off));
}

/*
 * NT_X86_XSTATE: the first len bytes (of a zeroed buf) of t's state laid out as Linux's
 * copy_xstate_to_uabi_buf does in XSTATE_COPY_XSAVE mode, not the raw image: the legacy area
 * as NT_PRFPREG shows it, bytes 464..471 the enabled user features (XCR0: gdb reads them
 * there), a header with only XSTATE_BV, each component present in it (absent ones, and the gaps
 * between them, read as their init state: zero), and t's PKRU in the PKRU slot with XSTATE_BV
 * saying so (PKRU lives outside the image while the task is not running). user/ptracexstate.
 */
static int xstateregs_get(struct task_struct *t, void *buf, u32 len)
{
	const u8 *image = task_fpstate(t);
	struct xstate_header hdr = { 0 };
	u8 fx[FXSAVE_SIZE];

	if (!use_xsave())
		return -ENODEV;
	hdr.xfeatures = ((const struct xstate_header *)(image + XSAVE_HDR_OFFSET))->xfeatures &
			xfeatures_mask_user;
	if (xfeatures_mask_user & XFEATURE_MASK_PKRU)
		hdr.xfeatures |= XFEATURE_MASK_PKRU;
	fxregs_uabi(t, fx);
	memcpy(fx + USER_XSTATE_XCR0_OFFSET, &xfeatures_mask_user, sizeof(u64));
	put_part(buf, len, 0, fx, FXSAVE_SIZE);
	put_part(buf, len, XSAVE_HDR_OFFSET, &hdr, sizeof(hdr));
	for (int i = 0; i < nr_xstate_components; i++) {
		const struct xstate_component *c = &xstate_components[i];
		if (c->mask == XFEATURE_MASK_PKRU)
			put_part(buf, len, c->offset, &t->pkru, sizeof(t->pkru));
		else if (hdr.xfeatures & c->mask)
			put_part(buf, len, c->offset, image + c->offset, c->size);
	}
	return 0;
}

/*
 * NT_X86_XSTATE from user memory: a whole standard-format image (EFAULT otherwise) becomes t's
 * state; one XRSTOR would refuse (a bad header, reserved MXCSR bits) is EINVAL. PKRU comes from
 * the PKRU slot when XSTATE_BV says it is there, else it is 0 (Linux's copy_uabi_to_xstate).
 */
static int xstateregs_set(struct task_struct *t, u32 len, const void __user *ubuf)
{
	u8 image[XSTATE_MAX_SIZE] __aligned(64);
	u32 size = fpu_user_xstate_size, mxcsr;

	if (!use_xsave())
		return -ENODEV;
	if (len != size)
		return -EFAULT;
	if (copy_from_user(image, ubuf, size))
		return -EFAULT;
	const struct xstate_header *hdr = (const void *)(image + XSAVE_HDR_OFFSET);
	if ((hdr->xfeatures & ~xfeatures_mask_user) || hdr->xcomp_bv)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		if (hdr->reserved[i])
			return -EINVAL;
	/*
	 * XRSTOR loads MXCSR whenever SSE or AVX is restored, even when XSTATE_BV marks them
	 * as init: the image must always hold a valid one. Linux checks the tracer's only when
	 * XSTATE_BV names x87, SSE or AVX, and otherwise keeps the task's (copy_uabi_to_xstate).
	 */
	if (hdr->xfeatures & (XFEATURE_MASK_FPSSE | XFEATURE_MASK_YMM)) {
		memcpy(&mxcsr, image + MXCSR_OFFSET, sizeof(mxcsr));
		if (mxcsr & ~mxcsr_feature_mask())
			return -EINVAL;
	} else {
		memcpy(image + MXCSR_OFFSET, (const u8 *)task_fpstate(t) + MXCSR_OFFSET, 8);
	}
	t->pkru = (hdr->xfeatures & XFEATURE_MASK_PKRU)
			  ? *(const u32 *)(image + xstate_offset(XFEATURE_PKRU))
			  : 0;
	memcpy(task_fpstate(t), image, size);
	return 0;
}

/* NT_386_IOPERM: Warden has no ioperm, so there is never a bitmap (Linux's ioperm_get). */
static int ioperm_get(struct task_struct *t, void *buf, u32 len)
{
	(void)t;
	(void)buf;
	(void)len;
	return -ENXIO;
}

/* One regset of the x86-64 view (Linux's struct user_regset): n words of 8 bytes. */
struct user_regset {
	u32 core_note_type;
	u32 n;
	int (*get)(struct task_struct *t, void *buf, u32 len);
	int (*set)(struct task_struct *t, u32 len, const void __user *ubuf);
};

/* Linux's x86_64_regsets, in its order; the XSTATE size is the CPU's (0 without XSAVE). */
static bool find_regset(u64 type, struct user_regset *rs)
{
	switch (type) {
	case NT_PRSTATUS:
		*rs = (struct user_regset){ type, NR_UREGS, genregs_get, genregs_set };
		return true;
	case NT_PRFPREG:
		*rs = (struct user_regset){ type, FXSAVE_SIZE / 8, xfpregs_get, xfpregs_set };
		return true;
	case NT_X86_XSTATE:
		*rs = (struct user_regset){ type, use_xsave() ? fpu_user_xstate_size / 8 : 0,
					    xstateregs_get, xstateregs_set };
		return true;
	case NT_386_IOPERM:
		*rs = (struct user_regset){ type, 65536 / 64, ioperm_get, NULL };
		return true;
	default:
		return false;
	}
}

/*
 * Copies len bytes of a regset to user memory (Linux's copy_regset_to_user): the bytes come
 * from a zeroed kernel buffer, so nothing the get function leaves unwritten is the kernel's.
 */
static long copy_regset_to_user(struct task_struct *t, const struct user_regset *rs, u32 len,
				void __user *ubuf)
{
	u8 buf[XSTATE_MAX_SIZE] __aligned(64);

	if (len > rs->n * 8)
		len = rs->n * 8;
	if (len > sizeof(buf)) /* only NT_386_IOPERM is larger, and it never has a bitmap */
		return rs->core_note_type == NT_386_IOPERM ? -ENXIO : -EIO;
	memset(buf, 0, len);
	int err = rs->get(t, buf, len);
	if (err)
		return err;
	if (len && copy_to_user(ubuf, buf, len))
		return -EFAULT;
	return 0;
}

/* Takes len bytes of a regset from user memory (Linux's copy_regset_from_user). */
static long copy_regset_from_user(struct task_struct *t, const struct user_regset *rs, u32 len,
				  const void __user *ubuf)
{
	if (!rs->set)
		return -EOPNOTSUPP;
	if (!access_ok(ubuf, len))
		return -EFAULT;
	return rs->set(t, len, ubuf);
}

u32 core_regset_size(u32 type)
{
	struct user_regset rs;

	return find_regset(type, &rs) ? rs.n * 8 : 0;
}

int core_regset_get(struct task_struct *t, u32 type, void *buf, u32 len)
{
	struct user_regset rs;

	if (!find_regset(type, &rs) || len > rs.n * 8)
		return -EINVAL;
	memset(buf, 0, len);
	return rs.get(t, buf, len);
}

long arch_ptrace_regset(struct task_struct *t, long request, u64 type, struct user_iovec *iov)
{
	struct user_regset rs;

	if (!find_regset(type, &rs) || iov->iov_len % 8)
		return -EINVAL;
	if (iov->iov_len > rs.n * 8)
		iov->iov_len = rs.n * 8;
	if (request == PTRACE_GETREGSET)
		return copy_regset_to_user(t, &rs, (u32)iov->iov_len, (void __user *)iov->iov_base);
	return copy_regset_from_user(t, &rs, (u32)iov->iov_len, (const void __user *)iov->iov_base);
}

/*
 * PTRACE_PEEKUSER: a word of struct user at addr (8-aligned, inside it, else EIO): a register,
 * a debug register, or 0 for the other fields.
 */
static long ptrace_peekusr(struct task_struct *t, u64 addr, u64 data)
{
	u64 word = 0;

	if ((addr & 7) || addr >= USER_STRUCT_SIZE)
		return -EIO;
	if (addr < USER_REGS_SIZE)
		word = getreg(t, (int)(addr / 8));
	else if (addr >= USER_DEBUGREG_OFFSET && addr < USER_DEBUGREG_OFFSET + 8 * 8)
		word = ptrace_get_debugreg(t, (int)((addr - USER_DEBUGREG_OFFSET) / 8));
	return put_user_u64(word, (u64 __user *)data) ? -EFAULT : 0;
}

/* PTRACE_POKEUSER: a register or a debug register; the other fields of struct user are EIO. */
static long ptrace_pokeusr(struct task_struct *t, u64 addr, u64 data)
{
	if ((addr & 7) || addr >= USER_STRUCT_SIZE)
		return -EIO;
	if (addr < USER_REGS_SIZE)
		return putreg(t, (int)(addr / 8), data);
	if (addr >= USER_DEBUGREG_OFFSET && addr < USER_DEBUGREG_OFFSET + 8 * 8)
		return ptrace_set_debugreg(t, (int)((addr - USER_DEBUGREG_OFFSET) / 8), data);
	return -EIO;
}

long arch_ptrace(struct task_struct *t, long request, u64 addr, u64 data)
{
	struct user_regset rs;

	switch (request) {
	case PTRACE_PEEKUSR:
		return ptrace_peekusr(t, addr, data);
	case PTRACE_POKEUSR:
		return ptrace_pokeusr(t, addr, data);
	case PTRACE_GETREGS:
		find_regset(NT_PRSTATUS, &rs);
		return copy_regset_to_user(t, &rs, USER_REGS_SIZE, (void __user *)data);
	case PTRACE_SETREGS:
		find_regset(NT_PRSTATUS, &rs);
		return copy_regset_from_user(t, &rs, USER_REGS_SIZE, (const void __user *)data);
	case PTRACE_GETFPREGS:
		find_regset(NT_PRFPREG, &rs);
		return copy_regset_to_user(t, &rs, FXSAVE_SIZE, (void __user *)data);
	case PTRACE_SETFPREGS:
		find_regset(NT_PRFPREG, &rs);
		return copy_regset_from_user(t, &rs, FXSAVE_SIZE, (const void __user *)data);
	default:
		return -EIO;
	}
}
