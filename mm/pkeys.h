/* SPDX-License-Identifier: MIT */
/*
 * Memory protection keys, the mm side (Linux's arch/x86/mm/pkeys.c and asm/mmu_context.h): which
 * keys an address space has handed out, the execute-only key, and the key each VMA gets. The key
 * of a VMA lives in vm_flags (VM_PKEY_BIT0..3) and in its PTEs (bits 59-62); PKRU, the per-task
 * register that says what each key allows, is arch/x86_64/pkru.h's. Without PKU (or before the
 * kernel switched it on) everything behaves as Linux there: one key, 0, never handed out
 * (pkey_alloc EINVAL once, then ENOSPC: spec §3.6, case 62). Generic code: host unit tests run
 * it with a simulated PKRU.
 */
#ifndef WARDEN_MM_PKEYS_H
#define WARDEN_MM_PKEYS_H

#include "mm/mm.h"
#include "arch/x86_64/pkru.h"

#define PKEY_DISABLE_ACCESS 0x1
#define PKEY_DISABLE_WRITE 0x2
#define PKEY_ACCESS_MASK (PKEY_DISABLE_ACCESS | PKEY_DISABLE_WRITE)
#define ARCH_DEFAULT_PKEY 0

/* The protection key of vma (0-15). */
static inline int vma_pkey(const struct vm_area_struct *vma)
{
	return (int)((vma->vm_flags & VM_PKEY_MASK) >> VM_PKEY_SHIFT);
}

/* The vm_flags bits that give a VMA key pkey (Linux's arch_calc_vm_prot_bits). */
static inline u64 pkey_vm_flags(int pkey)
{
	return ((u64)pkey << VM_PKEY_SHIFT) & VM_PKEY_MASK;
}

/* How many keys exist: 16 with protection keys on, else 1 (key 0). */
static inline int arch_max_pkey(void)
{
	return arch_pkeys_enabled() ? 16 : 1;
}

/* Sets up a new address space's keys (exec): key 0 allocated, no execute-only key yet. */
void mm_pkeys_init(struct mm_struct *mm);

/* May user space name pkey (pkey_mprotect, pkey_free): allocated, and not the execute-only key. */
bool mm_pkey_is_allocated(struct mm_struct *mm, int pkey);

/*
 * The execute-only key of mm for a PROT_EXEC-only mapping, allocated on first use with access
 * disabled in the caller's PKRU; 0 without protection keys; -1 when no key is left.
 */
int execute_only_pkey(struct mm_struct *mm);

/*
 * The key a VMA gets from an mprotect with prot (its effective prot) and the caller's pkey (-1
 * for plain mprotect): Linux's arch_override_mprotect_pkey (spec §3.4).
 */
int arch_override_mprotect_pkey(struct vm_area_struct *vma, u64 prot, int pkey);

/*
 * May the current task make this data access (write or read) to vma under its PKRU? Always for
 * instruction fetches, for another address space's VMA and without protection keys.
 */
bool arch_vma_access_permitted(struct vm_area_struct *vma, bool write, bool execute);

long sys_pkey_alloc(u64 flags, u64 init_val);
long sys_pkey_free(u64 pkey);

#endif
