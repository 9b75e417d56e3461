// SPDX-License-Identifier: MIT
/*
 * The x86-64 signal frame: setup_rt_frame builds Linux's struct rt_sigframe on the user stack
 * (or the alternate stack) for a handler, and rt_sigreturn takes it back, checking what a
 * forged frame could abuse: the segment selectors get RPL 3, only the user-changeable RFLAGS
 * bits come back, and the FPU image must be one the CPU accepts (FXRSTOR must not fault, the
 * reserved XSAVE header bytes must be zero) or the frame is bad and the task gets SIGSEGV.
 *
 * The FPU area has Linux's format for the CPU: on a CPU with XSAVE an XSAVE-format image (legacy
 * region, the fpx_sw_bytes with magic1, a header, magic2 after it) holding x87 and SSE state,
 * which is all Warden lets user mode use; without XSAVE the plain 512-byte FXSAVE image.
 */
#include "arch/x86_64/signal.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/traps.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/uaccess.h"

#define FXSAVE_SIZE 512
#define XSAVE_HDR_SIZE 64
#define XSTATE_SIZE (FXSAVE_SIZE + XSAVE_HDR_SIZE) /* x87 + SSE in XSAVE format */
#define XFEATURE_MASK_FPSSE 0x3
#define SW_BYTES_OFFSET 464
#define MXCSR_OFFSET 24
#define RED_ZONE 128

#define X86_EFLAGS_CF 0x00000001
#define X86_EFLAGS_PF 0x00000004
#define X86_EFLAGS_AF 0x00000010
#define X86_EFLAGS_ZF 0x00000040
#define X86_EFLAGS_SF 0x00000080
#define X86_EFLAGS_TF 0x00000100
#define X86_EFLAGS_DF 0x00000400
#define X86_EFLAGS_OF 0x00000800
#define X86_EFLAGS_RF 0x00010000
#define X86_EFLAGS_ACF 0x00040000

/* The RFLAGS bits a frame may change (Linux's FIX_EFLAGS); IF, IOPL, NT, VM... stay the kernel's.
 */
#define FIX_EFLAGS                                                                        \
	(X86_EFLAGS_ACF | X86_EFLAGS_OF | X86_EFLAGS_DF | X86_EFLAGS_TF | X86_EFLAGS_SF | \
	 X86_EFLAGS_ZF | X86_EFLAGS_AF | X86_EFLAGS_PF | X86_EFLAGS_CF | X86_EFLAGS_RF)

/* The software-reserved bytes 464..511 of the FXSAVE area in a signal frame. */
struct fpx_sw_bytes {
	u32 magic1;
	u32 extended_size;
	u64 xfeatures;
	u32 xstate_size;
	u32 padding[7];
};

_Static_assert(sizeof(struct sigcontext) == 256, "sigcontext is 256 bytes");
_Static_assert(sizeof(struct ucontext) == 304, "ucontext is 304 bytes");
_Static_assert(sizeof(struct rt_sigframe) == 440, "rt_sigframe is 440 bytes");
_Static_assert(__builtin_offsetof(struct rt_sigframe, info) -
			       __builtin_offsetof(struct rt_sigframe, uc) ==
		       304,
	       "siginfo 304 bytes after the ucontext");
_Static_assert(__builtin_offsetof(struct sigcontext, err) == 152, "REG_ERR is gregs[19]");
_Static_assert(__builtin_offsetof(struct sigcontext, fpstate) == 184, "fpstate pointer at 184");
_Static_assert(sizeof(struct fpx_sw_bytes) == 48, "fpx_sw_bytes fill bytes 464..511");

/* The FPU state a handler starts with: x87 and SSE exceptions masked, everything else zero. */
static u8 fpu_init_image[FXSAVE_SIZE] __aligned(64);

/* Fills in the init image once. */
static void fpu_signal_init(void)
{
	*(u16 *)&fpu_init_image[0] = 0x37f;
	*(u32 *)&fpu_init_image[MXCSR_OFFSET] = 0x1f80;
}

static bool use_xsave(void)
{
	return cpu_has(X86_FEATURE_XSAVE);
}

/* Bytes the FPU area takes in a frame: the XSAVE image and magic2, or the FXSAVE image. */
static u64 fpu_frame_size(void)
{
	return use_xsave() ? XSTATE_SIZE + 4 : FXSAVE_SIZE;
}

/* Loads the user FPU registers from a 16-byte aligned kernel image. */
static void fpu_load(const u8 *image)
{
	__asm__ __volatile__("fxrstorq %0" ::"m"(*(const u8(*)[FXSAVE_SIZE])image));
}

/*
 * Loads an FPU image that came from user memory and lets the CPU judge it, as Linux does: if
 * FXRSTOR faults (#GP for reserved MXCSR bits) the exception table resumes after it and the
 * result is false. The registers then get the init state.
 */
static bool fpu_load_user_image(const u8 *image)
{
	int failed;

	__asm__ __volatile__("1:	fxrstorq %[img]\n"
			     "	xorl %[failed], %[failed]\n"
			     "2:\n"
			     "	.pushsection __ex_table, \"a\"\n"
			     "	.balign 8\n"
			     "	.quad 1b, 2b\n"
			     "	.popsection\n"
			     : [failed] "=r"(failed)
			     : [img] "m"(*(const u8(*)[FXSAVE_SIZE])image), "0"(1));
	if (failed)
		fpu_load(fpu_init_image);
	return !failed;
}

/* Writes the current FPU state to the frame's FPU area at fp. */
static bool copy_fpstate_to_sigframe(u64 fp)
{
	u8 buf[XSTATE_SIZE + 4] __aligned(64);

	memset(buf, 0, sizeof(buf));
	__asm__ __volatile__("fxsaveq %0" : "=m"(*(u8(*)[FXSAVE_SIZE])buf));
	/* Linux writes the sw bytes on every CPU; magic2 and the header only with XSAVE. */
	struct fpx_sw_bytes sw = {
		.magic1 = FP_XSTATE_MAGIC1,
		.extended_size = (use_xsave() ? XSTATE_SIZE : FXSAVE_SIZE) + 4,
		.xfeatures = XFEATURE_MASK_FPSSE,
		.xstate_size = use_xsave() ? XSTATE_SIZE : FXSAVE_SIZE,
	};
	memcpy(buf + SW_BYTES_OFFSET, &sw, sizeof(sw));
	if (use_xsave()) {
		*(u64 *)&buf[FXSAVE_SIZE] = XFEATURE_MASK_FPSSE; /* XSTATE_BV */
		*(u32 *)&buf[XSTATE_SIZE] = FP_XSTATE_MAGIC2;
	}
	return copy_to_user((void __user *)fp, buf, fpu_frame_size()) == 0;
}

/*
 * Loads the FPU state of a frame (Linux's fpu__restore_sig). No area means the init state. An
 * XSAVE image is used as one only if its sw bytes and magic2 say so, otherwise as FXSAVE. The
 * CPU would refuse (#GP) reserved MXCSR bits, reserved header bytes or a misaligned image: that
 * is a bad frame here too. (QEMU's TCG loads reserved MXCSR bits without a fault, and so does
 * Linux under it: the CPU decides, not a software check.)
 */
static bool fpu_restore_sig(u64 fp)
{
	u8 buf[FXSAVE_SIZE] __aligned(16);
	u64 hdr[XSAVE_HDR_SIZE / 8];
	bool fx_only = true;

	if (!fp) {
		fpu_load(fpu_init_image);
		return true;
	}
	if (!access_ok((void __user *)fp, fpu_frame_size()))
		return false;
	if (use_xsave()) {
		struct fpx_sw_bytes sw;
		u32 magic2;
		if (copy_from_user(&sw, (void __user *)(fp + SW_BYTES_OFFSET), sizeof(sw)))
			return false;
		if (sw.magic1 == FP_XSTATE_MAGIC1 && sw.xstate_size >= XSTATE_SIZE &&
		    sw.xstate_size <= XSTATE_SIZE && sw.xstate_size <= sw.extended_size) {
			if (copy_from_user(&magic2, (void __user *)(fp + sw.xstate_size),
					   sizeof(magic2)))
				return false;
			fx_only = magic2 != FP_XSTATE_MAGIC2;
		}
	}
	if (fp % (fx_only ? 16 : 64))
		return false;
	if (copy_from_user(buf, (void __user *)fp, sizeof(buf)))
		return false;
	if (!fx_only) {
		if (copy_from_user(hdr, (void __user *)(fp + FXSAVE_SIZE), sizeof(hdr)))
			return false;
		for (int i = 1; i < XSAVE_HDR_SIZE / 8; i++)
			if (hdr[i])
				return false; /* XCOMP_BV and the reserved words must be zero */
		if (!(hdr[0] & 1)) {
			/* x87 in its init state: FCW 0x37f, the rest zero (MXCSR is not x87). */
			u32 mxcsr = *(u32 *)&buf[MXCSR_OFFSET];
			memset(buf, 0, 24);
			memset(buf + 32, 0, 128);
			*(u16 *)&buf[0] = 0x37f;
			*(u32 *)&buf[MXCSR_OFFSET] = mxcsr;
		}
		if (!(hdr[0] & 2))
			memset(buf + 160, 0, 256); /* XMM registers in their init state */
	}
	return fpu_load_user_image(buf);
}

/* Is sp inside the alternate stack, whatever SS_AUTODISARM says (Linux's __on_sig_stack)? */
static bool inside_altstack(u64 sp)
{
	const struct sigaltstack_state *ss = &current->sig.altstack;

	return sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

/*
 * Where the frame goes (Linux's get_sigframe): below the red zone, or at the top of the
 * alternate stack for SA_ONSTACK; the FPU area 64-byte aligned, the frame below it so that
 * (rsp + 8) % 16 == 0 at handler entry. ~0 if it would leave the alternate stack.
 */
static u64 get_sigframe(const struct k_sigaction *ka, const struct pt_regs *regs, u64 *fp)
{
	u64 sp = regs->rsp;
	bool nested = on_sig_stack(sp), entering = false;

	sp -= RED_ZONE;
	if ((ka->flags & SA_ONSTACK) && sas_ss_flags(sp) == 0) {
		sp = current->sig.altstack.ss_sp + current->sig.altstack.ss_size;
		entering = true;
	}
	*fp = (sp - fpu_frame_size()) & ~63ULL;
	u64 frame = ((*fp - sizeof(struct rt_sigframe)) & ~15ULL) - 8;
	if ((nested || entering) && !inside_altstack(frame))
		return ~0ULL; /* overflowed sigaltstack */
	return frame;
}

/* Linux's unsafe_put_sigcontext: the registers, the last trap's details, the old mask. */
static void fill_sigcontext(struct sigcontext *sc, const struct pt_regs *regs, u64 oldset, u64 fp)
{
	const struct task_signal *s = &current->sig;

	*sc = (struct sigcontext){
		.r8 = regs->r8,
		.r9 = regs->r9,
		.r10 = regs->r10,
		.r11 = regs->r11,
		.r12 = regs->r12,
		.r13 = regs->r13,
		.r14 = regs->r14,
		.r15 = regs->r15,
		.rdi = regs->rdi,
		.rsi = regs->rsi,
		.rbp = regs->rbp,
		.rbx = regs->rbx,
		.rdx = regs->rdx,
		.rax = regs->rax,
		.rcx = regs->rcx,
		.rsp = regs->rsp,
		.rip = regs->rip,
		.eflags = regs->rflags,
		.cs = (u16)regs->cs,
		.ss = (u16)regs->ss,
		.err = s->error_code,
		.trapno = s->trap_nr,
		.oldmask = oldset,
		.cr2 = s->cr2,
		.fpstate = fp,
	};
}

int setup_rt_frame(int sig, const struct k_sigaction *ka, const struct kernel_siginfo *info,
		   u64 oldset, struct pt_regs *regs)
{
	struct task_struct *t = current;
	struct rt_sigframe f;
	u64 fp;

	fpu_signal_init();
	u64 frame = get_sigframe(ka, regs, &fp);
	if (frame == ~0ULL || !access_ok((void __user *)frame, sizeof(f)))
		return -EFAULT;
	if (!copy_fpstate_to_sigframe(fp))
		return -EFAULT;
	if (!(ka->flags & SA_RESTORER))
		return -EFAULT; /* x86-64 has no default return stub */
	memset(&f, 0, sizeof(f));
	f.pretcode = ka->restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS | (use_xsave() ? UC_FP_XSTATE : 0);
	f.uc.uc_stack = (struct user_stack_t){ t->sig.altstack.ss_sp, sas_ss_flags(regs->rsp), 0,
					       t->sig.altstack.ss_size };
	fill_sigcontext(&f.uc.uc_mcontext, regs, oldset, fp);
	f.uc.uc_sigmask = oldset;
	size_t len = __builtin_offsetof(struct rt_sigframe, info);
	if (ka->flags & SA_SIGINFO) {
		f.info.si_signo = info->si_signo;
		f.info.si_errno = info->si_errno;
		f.info.si_code = info->si_code;
		f.info.fields[0] = info->fields[0];
		f.info.fields[1] = info->fields[1];
		len = sizeof(f);
	}
	if (copy_to_user((void __user *)frame, &f, len))
		return -EFAULT;
	if (t->sig.altstack.ss_flags & SS_AUTODISARM)
		t->sig.altstack = (struct sigaltstack_state){ 0, 0, SS_DISABLE };

	regs->rdi = (u64)sig;
	regs->rax = 0;
	regs->rsi = frame + __builtin_offsetof(struct rt_sigframe, info);
	regs->rdx = frame + __builtin_offsetof(struct rt_sigframe, uc);
	regs->rip = ka->handler;
	regs->rsp = frame;
	regs->cs = GDT_USER_CS;
	regs->ss = GDT_USER_DS;
	regs->rflags &= ~(u64)(X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
	fpu_load(fpu_init_image);
	return 0;
}

/* Takes the registers back from a frame's sigcontext (Linux's restore_sigcontext). */
static bool restore_sigcontext(struct pt_regs *regs, const struct sigcontext __user *usc,
			       u64 uc_flags)
{
	struct sigcontext sc;

	if (copy_from_user(&sc, usc, __builtin_offsetof(struct sigcontext, reserved1)))
		return false;
	regs->r8 = sc.r8;
	regs->r9 = sc.r9;
	regs->r10 = sc.r10;
	regs->r11 = sc.r11;
	regs->r12 = sc.r12;
	regs->r13 = sc.r13;
	regs->r14 = sc.r14;
	regs->r15 = sc.r15;
	regs->rdi = sc.rdi;
	regs->rsi = sc.rsi;
	regs->rbp = sc.rbp;
	regs->rbx = sc.rbx;
	regs->rdx = sc.rdx;
	regs->rax = sc.rax;
	regs->rcx = sc.rcx;
	regs->rsp = sc.rsp;
	regs->rip = sc.rip;
	/* User privilege whatever the frame says; a selector the CPU refuses faults the IRETQ. */
	regs->cs = sc.cs | 3;
	regs->ss = sc.ss | 3;
	regs->rflags = (regs->rflags & ~(u64)FIX_EFLAGS) | (sc.eflags & FIX_EFLAGS);
	regs->error_code = ~0ULL; /* orig_rax: this is no syscall to restart */
	/* An old-style frame (no UC_STRICT_RESTORE_SS) gets a working SS (Linux's force_valid_ss).
	 */
	if (!(uc_flags & UC_STRICT_RESTORE_SS) && regs->cs == GDT_USER_CS &&
	    regs->ss != GDT_USER_DS)
		regs->ss = GDT_USER_DS;
	return fpu_restore_sig(sc.fpstate);
}

long sys_rt_sigreturn(void)
{
	struct pt_regs *regs = task_pt_regs(current);
	struct rt_sigframe __user *frame = (struct rt_sigframe __user *)(regs->rsp - 8);
	struct user_stack_t st;
	u64 set, uc_flags;

	fpu_signal_init();
	if (!access_ok(frame, sizeof(*frame)))
		goto badframe;
	if (copy_from_user(&set, &frame->uc.uc_sigmask, sizeof(set)) ||
	    copy_from_user(&uc_flags, &frame->uc.uc_flags, sizeof(uc_flags)))
		goto badframe;
	set_current_blocked(set);
	if (!restore_sigcontext(regs, &frame->uc.uc_mcontext, uc_flags))
		goto badframe;
	if (copy_from_user(&st, &frame->uc.uc_stack, sizeof(st)))
		goto badframe;
	struct sigaltstack_state ss = { st.ss_sp, st.ss_size, (u32)st.ss_flags };
	do_sigaltstack(&ss, NULL, regs->rsp); /* errors ignored, as Linux's restore_altstack */
	return (long)regs->rax;

badframe:
	force_sig(SIGSEGV);
	return 0;
}
