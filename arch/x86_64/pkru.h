/* SPDX-License-Identifier: MIT */
/*
 * Protection keys, the hardware side: whether the kernel switched them on (CR4.PKE, which makes
 * CPUID's OSPKE bit read 1) and the PKRU register of the running task. PKRU has two bits per key
 * k (bit 2k: access disable, AD; bit 2k+1: write disable, WD) and checks every data access to a
 * user page, by user code and by the kernel's copy_to_user/copy_from_user alike; never an
 * instruction fetch. The mm side (mm/pkeys.c) decides which key a VMA gets; this file's users
 * never touch CR4 or XCR0 themselves.
 */
#ifndef WARDEN_ARCH_PKRU_H
#define WARDEN_ARCH_PKRU_H

#include "kernel/types.h"

/* PKRU of a new program (execve) and of every signal handler: keys 1-15 access-disabled. */
#define INIT_PKRU_VALUE 0x55555554u

#define PKRU_AD_BIT 0x1u
#define PKRU_WD_BIT 0x2u
#define PKRU_BITS_PER_PKEY 2

/* Set at boot when the CPU has PKU and CR4.PKE was switched on; never changes afterwards. */
extern bool pku_enabled;

/* Linux's arch_pkeys_enabled(): are protection keys usable (OSPKE)? */
static inline bool arch_pkeys_enabled(void)
{
	return pku_enabled;
}

#ifdef WARDEN_HOST
/* Host unit tests simulate the register (tests/host/mm_shim.c). */
u32 read_pkru(void);
void write_pkru(u32 pkru);
#else
/* The running task's PKRU (0 when keys are off: RDPKRU would be #UD). Inline: pkey_alloc and
 * the context switch use it. */
static inline u32 read_pkru(void)
{
	u32 eax, edx;

	if (!pku_enabled)
		return 0;
	__asm__ __volatile__("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

/* Sets the running task's PKRU (ignored when keys are off); it follows the task from now on. */
static inline void write_pkru(u32 pkru)
{
	if (!pku_enabled)
		return;
	__asm__ __volatile__("wrpkru" ::"a"(pkru), "c"(0), "d"(0) : "memory");
}
#endif

#endif
