/* SPDX-License-Identifier: MIT */
/*
 * User-Mode Instruction Prevention, as Linux 6.1's arch/x86/kernel/umip.c. With CR4.UMIP set,
 * SGDT, SIDT, SMSW, SLDT and STR in user mode raise #GP instead of revealing kernel addresses
 * (the GDT and IDT bases). Linux then emulates them for user space with harmless values, so
 * programs that use them (old runtimes, some emulators) keep working; Warden does the same for
 * 64-bit code: SGDT/SIDT store limit 0 and the dummy bases 0xfffffffffffe0000 and
 * 0xffffffffffff0000, SMSW gives Linux's CR0 value 0x80050033, STR 0x40 and SLDT 0x50 when the
 * mm has an LDT (else 0). Only the dummy values ever reach user space.
 */
#ifndef WARDEN_ARCH_UMIP_H
#define WARDEN_ARCH_UMIP_H

#include "kernel/types.h"

struct pt_regs;

/*
 * For a #GP from user mode: if the instruction at RIP is one UMIP blocks, emulate it (store the
 * dummy value, step RIP past it; or send SIGSEGV/SEGV_MAPERR with a page-fault frame when the
 * operand cannot be written) and return true. False: not ours, the #GP's SIGSEGV stands.
 */
bool fixup_umip_exception(struct pt_regs *regs);

#endif
