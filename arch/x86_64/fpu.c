// SPDX-License-Identifier: MIT
/*
 * The user FPU/SIMD state: XCR0, the XSAVE image layout and the instructions that move the
 * registers to and from memory (arch/x86_64/fpu.h). All images are in the standard
 * (non-compacted) format, the one a signal frame carries, so a task's image and a frame's differ
 * only in PKRU.
 */
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/pkru.h"
#include "kernel/compiler.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"

u64 xfeatures_mask_user = XFEATURE_MASK_FPSSE;
u32 fpu_user_xstate_size = FXSAVE_SIZE;
static bool xsave_enabled;
static u32 xstate_offsets[XFEATURE_MAX], xstate_sizes[XFEATURE_MAX];

/* The state of a fresh program and of a handler: exceptions masked, XSTATE_BV 0 (all init). */
static u8 init_fpstate[XSTATE_MAX_SIZE] __aligned(64);

_Static_assert(FPU_STATE_SIZE >= XSTATE_MAX_SIZE + 64, "task image has room to align");

bool use_xsave(void)
{
	return xsave_enabled;
}

u32 xstate_offset(int xfeature)
{
	if (xfeature < 0 || xfeature >= XFEATURE_MAX || !(xfeatures_mask_user & (1ULL << xfeature)))
		return 0;
	return xstate_offsets[xfeature];
}

u32 xstate_image_extent(u64 mask)
{
	u32 end = XSAVE_MIN_SIZE;

	for (int i = 2; i < XFEATURE_MAX; i++)
		if ((mask & xfeatures_mask_user & (1ULL << i)) &&
		    xstate_offsets[i] + xstate_sizes[i] > end)
			end = xstate_offsets[i] + xstate_sizes[i];
	return end;
}

struct xstate_component xstate_components[XFEATURE_MAX];
int nr_xstate_components;

u32 xstate_size_of(int xfeature)
{
	if (xfeature < 2 || xfeature >= XFEATURE_MAX || !(xfeatures_mask_user & (1ULL << xfeature)))
		return 0;
	return xstate_sizes[xfeature];
}

/* Writes an extended control register. */
static void xsetbv(u32 reg, u64 value)
{
	__asm__ __volatile__("xsetbv" ::"c"(reg), "a"((u32)value), "d"((u32)(value >> 32)));
}

/* Fills in the init image: FCW 0x37f and MXCSR 0x1f80, everything else (the header too) zero. */
static void fpstate_init_image(void)
{
	memset(init_fpstate, 0, sizeof(init_fpstate));
	*(u16 *)&init_fpstate[0] = 0x37f;
	*(u32 *)&init_fpstate[MXCSR_OFFSET] = 0x1f80;
}

void fpu__init_system(void)
{
	fpstate_init_image();
	if (!(read_cr4() & X86_CR4_OSXSAVE))
		return;
	struct cpuid_regs r = cpuid(0xd, 0);
	u64 mask = (((u64)r.edx << 32) | r.eax) & XFEATURE_MASK_USER_SUPPORTED;

	if (!cpu_has(X86_FEATURE_PKU))
		mask &= ~XFEATURE_MASK_PKRU;
	/* AVX-512 only as a whole and on top of AVX, as Linux's xfeature dependencies. */
	if ((mask & XFEATURE_MASK_AVX512) != XFEATURE_MASK_AVX512 || !(mask & XFEATURE_MASK_YMM))
		mask &= ~XFEATURE_MASK_AVX512;
	for (;;) {
		xsetbv(0, mask);
		fpu_user_xstate_size = cpuid(0xd, 0).ebx; /* the size XCR0's features need */
		if (fpu_user_xstate_size <= XSTATE_MAX_SIZE || mask == XFEATURE_MASK_FPSSE)
			break;
		mask &= ~(1ULL << (63 -
				   __builtin_clzll(mask))); /* too big for Warden: drop the top */
	}
	xfeatures_mask_user = mask;
	xstate_offsets[XFEATURE_FP] = 0;
	xstate_offsets[XFEATURE_SSE] = 160;
	for (int i = 2; i < XFEATURE_MAX; i++)
		if (mask & (1ULL << i)) {
			r = cpuid(0xd, (u32)i);
			xstate_offsets[i] = r.ebx;
			xstate_sizes[i] = r.eax;
			xstate_components[nr_xstate_components++] =
				(struct xstate_component){ r.ebx, r.eax, 1ULL << i };
		}
	xsave_enabled = true;
	pr_info("fpu: xstate_features %#llx, xstate_size %u, PKRU at %u\n",
		(unsigned long long)mask, fpu_user_xstate_size, xstate_offset(XFEATURE_PKRU));
}

void fpu__init_cpu(void)
{
	if (xsave_enabled)
		xsetbv(0, xfeatures_mask_user);
}

void *task_fpstate(struct task_struct *t)
{
	return (void *)ALIGN_UP((u64)t->fpu_state, 64);
}

void fpu_init_state(struct task_struct *t)
{
	memcpy(task_fpstate(t), init_fpstate, sizeof(init_fpstate));
	t->pkru = INIT_PKRU_VALUE;
}

void xsave_to_buffer(void *image, u64 mask)
{
	__asm__ __volatile__("xsave64 %0"
			     : "+m"(*(u8(*)[XSTATE_MAX_SIZE])image)
			     : "a"((u32)mask), "d"((u32)(mask >> 32))
			     : "memory");
}

/* XRSTOR of the features in mask from a kernel image that is known to be valid. */
static void xrstor_from_buffer(const void *image, u64 mask)
{
	__asm__ __volatile__("xrstor64 %0" ::"m"(*(const u8(*)[XSTATE_MAX_SIZE])image),
			     "a"((u32)mask), "d"((u32)(mask >> 32))
			     : "memory");
}

void fpu_save_regs(void *image)
{
	if (use_xsave())
		xsave_to_buffer(image, xfeatures_mask_user & ~XFEATURE_MASK_PKRU);
	else
		__asm__ __volatile__("fxsaveq %0" : "=m"(*(u8(*)[FXSAVE_SIZE])image));
}

void fpu_restore_regs(const void *image)
{
	if (use_xsave())
		xrstor_from_buffer(image, xfeatures_mask_user & ~XFEATURE_MASK_PKRU);
	else
		__asm__ __volatile__("fxrstorq %0" ::"m"(*(const u8(*)[FXSAVE_SIZE])image));
}

void fpu_reset_user_regs(void)
{
	fpu_restore_regs(init_fpstate);
}

void fpu_load_init_features(u64 mask)
{
	if (use_xsave() && mask)
		xrstor_from_buffer(init_fpstate, mask);
}

bool xrstor_from_buffer_checked(const void *image, u64 mask)
{
	int failed;

	__asm__ __volatile__("1:	xrstor64 %[img]\n"
			     "	xorl %[failed], %[failed]\n"
			     "2:\n"
			     "	.pushsection __ex_table, \"a\"\n"
			     "	.balign 8\n"
			     "	.quad 1b, 2b\n"
			     "	.popsection\n"
			     : [failed] "=r"(failed)
			     : [img] "m"(*(const u8(*)[XSTATE_MAX_SIZE])image), "a"((u32)mask),
			       "d"((u32)(mask >> 32)), "0"(1)
			     : "memory");
	return !failed;
}

bool fxrstor_from_buffer_checked(const void *image)
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
			     : [img] "m"(*(const u8(*)[FXSAVE_SIZE])image), "0"(1)
			     : "memory");
	return !failed;
}
