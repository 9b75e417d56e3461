/* pkeys.h: helpers for the protection-key programs (pkeyregs, pkeyfault, pkeyframe).
 *
 * - has_ospke(): CPUID.(7,0):ECX bit 4, set when the kernel enabled protection keys;
 * - rdpkru()/wrpkru(): the unprivileged PKRU instructions (only with OSPKE);
 * - frame_pkru(uc): the PKRU slot of a signal frame's XSAVE image, found the way the kernel
 *   selftest protection_keys.c finds it: at CPUID.(0xD,9).EBX from uc_mcontext.fpregs;
 * - frame_xstate_bv(uc): the image's XSTATE_BV (XSAVE header at 512);
 * - siginfo_pkey(si): the u32 at siginfo offset 0x20.
 */
#ifndef USER_PKEYS_H
#define USER_PKEYS_H

#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

#define PKEY_DISABLE_ACCESS 0x1
#define PKEY_DISABLE_WRITE 0x2
#define INIT_PKRU 0x55555554u
#define XFEATURE_MASK_PKRU (1ull << 9)

static inline void cpuid2(unsigned leaf, unsigned sub, unsigned r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline int has_ospke(void)
{
	unsigned r[4];

	cpuid2(0, 0, r);
	if (r[0] < 7)
		return 0;
	cpuid2(7, 0, r);
	return (r[2] >> 4) & 1;
}

static inline unsigned rdpkru(void)
{
	unsigned eax, edx;

	__asm__ volatile("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static inline void wrpkru(unsigned pkru)
{
	__asm__ volatile("wrpkru" ::"a"(pkru), "c"(0), "d"(0) : "memory");
}

static inline unsigned pkru_offset(void)
{
	unsigned r[4];

	cpuid2(0xd, 9, r);
	return r[1];
}

static inline uint32_t *frame_pkru(ucontext_t *uc)
{
	return (uint32_t *)((char *)uc->uc_mcontext.fpregs + pkru_offset());
}

static inline uint64_t frame_xstate_bv(ucontext_t *uc)
{
	return *(uint64_t *)((char *)uc->uc_mcontext.fpregs + 512);
}

/* The sw bytes at fpstate + 464: magic1, extended_size, xfeatures (+472), xstate_size (+480). */
static inline uint64_t frame_sw_xfeatures(ucontext_t *uc)
{
	return *(uint64_t *)((char *)uc->uc_mcontext.fpregs + 472);
}

static inline unsigned frame_sw_xstate_size(ucontext_t *uc)
{
	return *(unsigned *)((char *)uc->uc_mcontext.fpregs + 480);
}

static inline unsigned siginfo_pkey(const siginfo_t *si)
{
	return *(const unsigned *)((const char *)si + 0x20);
}

#endif
