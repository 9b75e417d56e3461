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
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/pkru.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/smap.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/uaccess.h"

#define SW_BYTES_OFFSET 464
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

/* Bytes the FPU area takes in a frame: the XSAVE image and magic2, or the FXSAVE image. */
static u64 fpu_frame_size(void)
{
	return use_xsave() ? fpu_user_xstate_size + 4 : FXSAVE_SIZE;
}

/* The XSAVE header of an image in a kernel buffer. */
static struct xstate_header *xstate_hdr(u8 *image)
{
	return (struct xstate_header *)(image + XSAVE_HDR_OFFSET);
}

/*
 * Writes the user FPU state to the frame's FPU area at fp (Linux's copy_fpstate_to_sigframe).
 * With XSAVE: an XSAVE of every user xfeature, XSTATE_BV with x87 and SSE always set (legacy
 * software expects them), the interrupted PKRU in the PKRU slot with XSTATE_BV bit 9 forced on
 * (6.12+, so that sigreturn restores it on every CPU), magic2 after the image. The software bytes
 * at 464 (magic1, extended_size, xfeatures, xstate_size) are written on every CPU, as Linux does.
 */
static bool copy_fpstate_to_sigframe(u64 fp, u32 pkru)
{
	u8 buf[XSTATE_MAX_SIZE + 4] __aligned(64);
	u32 size = fpu_user_xstate_size;

	/*
	 * XSAVE and FXSAVE write bytes 0-415 of the legacy area, and XSAVE of the header only the
	 * XSTATE_BV bits of the features it saves: the rest of both (the other XSTATE_BV bits,
	 * XCOMP_BV, reserved, the software bytes filled in below) would be kernel stack, so they
	 * are zeroed first, as Linux clears the whole header (issue 15, defect 3).
	 */
	memset(buf + 416, 0, FXSAVE_SIZE - 416);
	memset(buf + XSAVE_HDR_OFFSET, 0, XSAVE_HDR_SIZE);
	if (use_xsave()) {
		xsave_to_buffer(buf, xfeatures_mask_user);
		xstate_hdr(buf)->xfeatures |= XFEATURE_MASK_FPSSE;
		if (xfeatures_mask_user & XFEATURE_MASK_PKRU) {
			xstate_hdr(buf)->xfeatures |= XFEATURE_MASK_PKRU;
			*(u32 *)&buf[xstate_offset(XFEATURE_PKRU)] = pkru;
		}
		*(u32 *)&buf[size] = FP_XSTATE_MAGIC2;
	} else {
		__asm__ __volatile__("fxsaveq %0" : "=m"(*(u8(*)[FXSAVE_SIZE])buf));
	}
	struct fpx_sw_bytes sw = {
		.magic1 = FP_XSTATE_MAGIC1,
		.extended_size = size + 4,
		.xfeatures = xfeatures_mask_user,
		.xstate_size = size,
	};
	memcpy(buf + SW_BYTES_OFFSET, &sw, sizeof(sw));
	if (!use_xsave())
		return copy_to_user((void __user *)fp, buf, fpu_frame_size()) == 0;
	/*
	 * Only what XSAVE wrote goes out: the legacy area and header, each enabled component, and
	 * magic2. The gaps of disabled components keep what the stack held, as with Linux's XSAVE
	 * straight into the frame.
	 */
	if (copy_to_user((void __user *)fp, buf, XSAVE_MIN_SIZE))
		return false;
	for (int i = 0; i < nr_xstate_components; i++) {
		const struct xstate_component *c = &xstate_components[i];
		if (copy_to_user((void __user *)(fp + c->offset), buf + c->offset, c->size))
			return false;
	}
	return copy_to_user((void __user *)(fp + size), buf + size, 4) == 0;
}

/*
 * Puts the user registers in their init state with PKRU = init_pkru_value (Linux's
 * fpu__clear_user_states): a handler's start, and sigreturn with a NULL fpstate.
 */
static void fpu_clear_user_states(void)
{
	fpu_reset_user_regs();
	write_pkru(INIT_PKRU_VALUE);
}

/*
 * Loads the FPU state of a frame (Linux's fpu__restore_sig and __fpu_restore_sig). No area means
 * the init state. With XSAVE, the software bytes decide: magic1, a plausible xstate_size and
 * magic2 at fp + xstate_size make it an XSAVE image restored with XRSTOR for the features the
 * bytes name (the rest, PKRU included, get their init state: PKRU 0); otherwise it is used as an
 * FXSAVE image and everything beyond x87/SSE is reset. The XSAVE header must be one XRSTOR takes
 * (XSTATE_BV within XCR0, XCOMP_BV and the reserved bytes zero); what else the CPU refuses
 * (#GP: misalignment, reserved MXCSR bits) the exception table catches: a bad frame too.
 * PKRU comes out as the frame's slot if XSTATE_BV bit 9 is set, else 0.
 */
static bool fpu_restore_sig(u64 fp)
{
	u8 buf[FXSAVE_SIZE] __aligned(64); /* an FXSAVE image (XSAVE ones are read in place) */
	u64 xrestore = XFEATURE_MASK_FPSSE;
	bool fx_only = true;

	if (!fp) {
		fpu_clear_user_states();
		return true;
	}
	if (!access_ok((void __user *)fp, fpu_frame_size()))
		return false;
	if (use_xsave()) {
		struct fpx_sw_bytes sw;
		u32 magic2;
		if (copy_from_user(&sw, (void __user *)(fp + SW_BYTES_OFFSET), sizeof(sw)))
			return false;
		if (sw.magic1 == FP_XSTATE_MAGIC1 && sw.xstate_size >= XSAVE_MIN_SIZE &&
		    sw.xstate_size <= fpu_user_xstate_size && sw.xstate_size <= sw.extended_size) {
			if (copy_from_user(&magic2, (void __user *)(fp + sw.xstate_size),
					   sizeof(magic2)))
				return false;
			fx_only = magic2 != FP_XSTATE_MAGIC2;
		}
		if (!fx_only)
			xrestore = sw.xfeatures & xfeatures_mask_user;
	}
	if (fp % (fx_only ? 16 : 64))
		return false; /* XRSTOR and FXRSTOR #GP on a misaligned image */
	bool ok;
	if (fx_only) {
		if (copy_from_user(buf, (void __user *)fp, FXSAVE_SIZE))
			return false;
		ok = fxrstor_from_buffer_checked(buf);
	} else {
		/*
		 * The header is checked from a copy; then XRSTOR reads the frame itself, as Linux's
		 * restore_fpregs_from_user. Whatever else it refuses (or a header changed in
		 * between) is a fault the exception table turns into a bad frame.
		 */
		struct xstate_header hdr;
		if (copy_from_user(&hdr, (void __user *)(fp + XSAVE_HDR_OFFSET), sizeof(hdr)))
			return false;
		if (hdr.xfeatures & ~xfeatures_mask_user || hdr.xcomp_bv)
			return false;
		for (int i = 0; i < 6; i++)
			if (hdr.reserved[i])
				return false;
		user_access_begin();
		ok = xrstor_from_buffer_checked((const void *)fp, xrestore);
		user_access_end();
	}
	if (!ok) {
		fpu_clear_user_states();
		return false;
	}
	/* Features the frame does not carry get their init state (PKRU: 0). */
	fpu_load_init_features(xfeatures_mask_user & ~xrestore);
	return true;
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

/*
 * Builds the frame (Linux's x64_setup_rt_frame). Since 6.12 the frame is written with PKRU = 0,
 * so a stack or alternate stack under any key can take it, and the interrupted PKRU goes into
 * the frame's XSAVE image; on failure that PKRU comes back before SIGSEGV is forced. The handler
 * starts with the user registers in their init state and PKRU = init_pkru_value.
 */
int setup_rt_frame(int sig, const struct k_sigaction *ka, const struct kernel_siginfo *info,
		   u64 oldset, struct pt_regs *regs)
{
	struct task_struct *t = current;
	struct rt_sigframe f;
	u32 pkru = read_pkru();
	u64 fp;

	write_pkru(0); /* Linux's sig_prepare_pkru: every key open while the frame is written */
	u64 frame = get_sigframe(ka, regs, &fp);
	if (frame == ~0ULL || !access_ok((void __user *)frame, sizeof(f)))
		goto efault;
	if (!copy_fpstate_to_sigframe(fp, pkru))
		goto efault;
	if (!(ka->flags & SA_RESTORER))
		goto efault; /* x86-64 has no default return stub */
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
		for (int i = 0; i < KERNEL_SIGINFO_FIELDS; i++)
			f.info.fields[i] = info->fields[i];
		len = sizeof(f);
	}
	if (copy_to_user((void __user *)frame, &f, len))
		goto efault;
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
	fpu_clear_user_states();
	return 0;

efault:
	write_pkru(pkru);
	return -EFAULT;
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

	if (!access_ok(frame, sizeof(*frame)))
		goto badframe;
	if (copy_from_user(&set, &frame->uc.uc_sigmask, sizeof(set)) ||
	    copy_from_user(&uc_flags, &frame->uc.uc_flags, sizeof(uc_flags)))
		goto badframe;
	set_current_blocked(set);
	/*
	 * The altstack settings are read before the FPU state is loaded: that load sets PKRU to the
	 * frame's value, which may deny the key of the frame itself (Linux 6.12's "Restore altstack
	 * access in sigreturn()").
	 */
	if (copy_from_user(&st, &frame->uc.uc_stack, sizeof(st)))
		goto badframe;
	if (!restore_sigcontext(regs, &frame->uc.uc_mcontext, uc_flags))
		goto badframe;
	struct sigaltstack_state ss = { st.ss_sp, st.ss_size, (u32)st.ss_flags };
	do_sigaltstack(&ss, NULL, regs->rsp); /* errors ignored, as Linux's restore_altstack */
	return (long)regs->rax;

badframe:
	force_sig(SIGSEGV);
	return 0;
}
