/* SPDX-License-Identifier: MIT */
/*
 * The user FPU/SIMD state (Linux's arch/x86/kernel/fpu): which XSAVE features are switched on
 * (XCR0, "xfeatures"), the size of their standard-format XSAVE image, and saving and loading
 * that image. The kernel itself never uses FPU or SIMD registers (-mgeneral-regs-only), so the
 * registers hold the running task's user state all the time it is in the kernel; only the
 * context switch, fork, execve and the signal frame move it to and from memory.
 *
 * PKRU is XSAVE component 9 but is kept out of the task's image: it lives in the register while
 * the task runs and in task_struct.pkru while it does not (as Linux's thread.pkru). Only the
 * signal frame carries it in XSAVE form.
 */
#ifndef WARDEN_ARCH_FPU_H
#define WARDEN_ARCH_FPU_H

#include "kernel/types.h"

struct task_struct;

#define XFEATURE_FP 0
#define XFEATURE_SSE 1
#define XFEATURE_YMM 2
#define XFEATURE_OPMASK 5
#define XFEATURE_ZMM_Hi256 6
#define XFEATURE_Hi16_ZMM 7
#define XFEATURE_PKRU 9
#define XFEATURE_MAX 10

#define XFEATURE_MASK_FP (1ULL << XFEATURE_FP)
#define XFEATURE_MASK_SSE (1ULL << XFEATURE_SSE)
#define XFEATURE_MASK_FPSSE (XFEATURE_MASK_FP | XFEATURE_MASK_SSE)
#define XFEATURE_MASK_YMM (1ULL << XFEATURE_YMM)
#define XFEATURE_MASK_AVX512 \
	((1ULL << XFEATURE_OPMASK) | (1ULL << XFEATURE_ZMM_Hi256) | (1ULL << XFEATURE_Hi16_ZMM))
#define XFEATURE_MASK_PKRU (1ULL << XFEATURE_PKRU)
/* What Warden lets user mode use when the CPU has it (Linux's default set, without AMX). */
#define XFEATURE_MASK_USER_SUPPORTED \
	(XFEATURE_MASK_FPSSE | XFEATURE_MASK_YMM | XFEATURE_MASK_AVX512 | XFEATURE_MASK_PKRU)

#define FXSAVE_SIZE 512
#define XSAVE_HDR_OFFSET 512
#define XSAVE_HDR_SIZE 64
#define XSAVE_MIN_SIZE (FXSAVE_SIZE + XSAVE_HDR_SIZE)
#define MXCSR_OFFSET 24
/* The largest image Warden accepts: every feature above, PKRU last at 0xa80 on Intel. */
#define XSTATE_MAX_SIZE 2752

/* The XSAVE header, 64 bytes at offset 512 of the image. */
struct xstate_header {
	u64 xfeatures; /* XSTATE_BV: the components present in the image */
	u64 xcomp_bv; /* 0: standard (non-compacted) format */
	u64 reserved[6];
};

/* Does the kernel use XSAVE (CPUID has it and CR4.OSXSAVE is on)? */
bool use_xsave(void);

/* XCR0: the user xfeatures switched on (x87|SSE without XSAVE). */
extern u64 xfeatures_mask_user;

/* Bytes of the user state image: the XSAVE size for XCR0, or 512 (FXSAVE) without XSAVE. */
extern u32 fpu_user_xstate_size;

/* Offset of a component in the standard-format image (CPUID.(0xD,n).EBX); 0 if not enabled. */
u32 xstate_offset(int xfeature);

/* Size of an extended component (2 and up) in the image; 0 if not enabled. */
u32 xstate_size_of(int xfeature);

/* The enabled extended components (2 and up), in order: their place in the image and bit. */
struct xstate_component {
	u32 offset, size;
	u64 mask;
};
extern struct xstate_component xstate_components[XFEATURE_MAX];
extern int nr_xstate_components;

/* Bytes of a standard-format image up to the end of the last feature of mask (at least 576). */
u32 xstate_image_extent(u64 mask);

/*
 * Boot: with CR4.OSXSAVE already set, writes XCR0 = what the CPU and Warden both support and
 * learns the image layout; without XSAVE, the FXSAVE format. Sets up the init image either way.
 */
void fpu__init_system(void);

/* Gives a secondary CPU the boot CPU's XCR0 (the xstate features every task's image holds). */
void fpu__init_cpu(void);

/* The 64-byte aligned image of a task's user state (valid while the task is not running). */
void *task_fpstate(struct task_struct *t);

/* Gives a task the user FPU state and PKRU of a freshly started program. */
void fpu_init_state(struct task_struct *t);

/* Saves the user FPU/SIMD registers (not PKRU) into a 64-byte aligned image. */
void fpu_save_regs(void *image);

/* Loads the user FPU/SIMD registers (not PKRU) from an image made by fpu_save_regs. */
void fpu_restore_regs(const void *image);

/* Resets the user FPU/SIMD registers (not PKRU) to their init state (signal handler entry). */
void fpu_reset_user_regs(void);

/* XSAVE of the user features in mask into a 64-byte aligned kernel buffer. */
void xsave_to_buffer(void *image, u64 mask);

/*
 * XRSTOR of the features in mask from a kernel copy of an image that came from user memory,
 * under the exception table: false if the CPU refused it (#GP), the registers then undefined.
 */
bool xrstor_from_buffer_checked(const void *image, u64 mask);

/* FXRSTOR from a kernel copy of a user image under the exception table; false if refused. */
bool fxrstor_from_buffer_checked(const void *image);

/* Loads the init state of the features in mask (XRSTOR with XSTATE_BV 0; PKRU becomes 0). */
void fpu_load_init_features(u64 mask);

#endif
