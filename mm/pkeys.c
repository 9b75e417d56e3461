// SPDX-License-Identifier: MIT
/*
 * Protection keys, the mm side (mm/pkeys.h): pkey_alloc, pkey_free, the execute-only key and
 * the key mprotect gives each VMA, by Linux's rules (spec §3.2-3.6) and in its order of checks.
 */
#include "mm/mmap_lock.h"
#include "mm/pkeys.h"
#include "arch/x86_64/pkru.h"
#include "kernel/errno.h"
#include "kernel/trace.h"
#include "kernel/sched.h"

void mm_pkeys_init(struct mm_struct *mm)
{
	/*
	 * Key 0 is always taken. Without keys Linux leaves both fields zero: the first pkey_alloc
	 * then takes key 0, cannot set PKRU (EINVAL) and cannot give key 0 back either (it equals
	 * the "execute-only key" 0), so every later call is ENOSPC (spec §3.6, case 62).
	 */
	mm->pkey_allocation_map = arch_pkeys_enabled() ? 0x1 : 0;
	mm->execute_only_pkey = arch_pkeys_enabled() ? -1 : 0;
}

bool mm_pkey_is_allocated(struct mm_struct *mm, int pkey)
{
	if (pkey < 0 || pkey >= arch_max_pkey())
		return false;
	if (pkey == mm->execute_only_pkey)
		return false; /* never named by user space */
	return mm->pkey_allocation_map & (1U << pkey);
}

/* The lowest free key, now marked allocated; -1 when every key is taken. */
static int mm_pkey_alloc(struct mm_struct *mm)
{
	u16 all = (u16)((1U << arch_max_pkey()) - 1);

	if (mm->pkey_allocation_map == all)
		return -1;
	int pkey = __builtin_ctz(~(u32)mm->pkey_allocation_map);
	mm->pkey_allocation_map |= (u16)(1U << pkey);
	return pkey;
}

/* Gives a key back: -EINVAL unless user space may name it. */
static int mm_pkey_free(struct mm_struct *mm, int pkey)
{
	if (!mm_pkey_is_allocated(mm, pkey))
		return -EINVAL;
	mm->pkey_allocation_map &= (u16) ~(1U << pkey);
	return 0;
}

/*
 * Sets the current task's PKRU bits for pkey to exactly init_val's rights (Linux's
 * arch_set_user_pkey_access). -EINVAL without protection keys.
 */
static int arch_set_user_pkey_access(int pkey, u64 init_val)
{
	u32 shift = (u32)pkey * PKRU_BITS_PER_PKEY, bits = 0;

	if (!arch_pkeys_enabled() || pkey >= arch_max_pkey())
		return -EINVAL;
	if (init_val & PKEY_DISABLE_ACCESS)
		bits |= PKRU_AD_BIT;
	if (init_val & PKEY_DISABLE_WRITE)
		bits |= PKRU_WD_BIT;
	u32 pkru = read_pkru() & ~((PKRU_AD_BIT | PKRU_WD_BIT) << shift);
	write_pkru(pkru | (bits << shift));
	return 0;
}

/* pkey_alloc(2): the lowest free key, its rights set in the caller's PKRU. */
static long do_pkey_alloc(u64 flags, u64 init_val)
{
	struct mm_struct *mm = current->mm;

	if (flags)
		return -EINVAL;
	if (init_val & ~(u64)PKEY_ACCESS_MASK)
		return -EINVAL; /* PKEY_DISABLE_EXECUTE is not an x86 right */
	int pkey = mm_pkey_alloc(mm);
	if (pkey == -1)
		return -ENOSPC;
	int err = arch_set_user_pkey_access(pkey, init_val);
	if (err) {
		mm_pkey_free(mm,
			     pkey); /* fails for key 0 without keys: the map stays full (§3.6) */
		return err;
	}
	return pkey;
}

long sys_pkey_alloc(u64 flags, u64 init_val)
{
	trace_call_begin(TRACE_PKEY_ALLOC);
	mmap_write_lock(current->mm);
	long r = do_pkey_alloc(flags, init_val);
	mmap_write_unlock(current->mm);
	trace_call_end(TRACE_PKEY_ALLOC, r, flags, init_val);
	return r;
}

long sys_pkey_free(u64 pkey)
{
	trace_call_begin(TRACE_PKEY_FREE);
	mmap_write_lock(current->mm);
	long r = mm_pkey_free(current->mm, (int)pkey); /* Linux's pkey is an int */
	mmap_write_unlock(current->mm);
	trace_call_end(TRACE_PKEY_FREE, r, (u64)(s64)(int)pkey);
	return r;
}

/* Does pkru let data be read through key pkey? */
static bool pkru_allows_read(u32 pkru, int pkey)
{
	return !(pkru & (PKRU_AD_BIT << (pkey * PKRU_BITS_PER_PKEY)));
}

/* Does pkru let data be written through key pkey? */
static bool pkru_allows_write(u32 pkru, int pkey)
{
	return !(pkru & ((PKRU_AD_BIT | PKRU_WD_BIT) << (pkey * PKRU_BITS_PER_PKEY)));
}

int execute_only_pkey(struct mm_struct *mm)
{
	int pkey = mm->execute_only_pkey;
	bool new_key = false;

	if (!arch_pkeys_enabled())
		return 0;
	if (pkey == -1) {
		pkey = mm_pkey_alloc(mm);
		if (pkey < 0)
			return -1;
		new_key = true;
	}
	/* Already unreadable for this task: nothing to write (Linux skips the WRPKRU). */
	if (!new_key && !pkru_allows_read(read_pkru(), pkey))
		return pkey;
	if (arch_set_user_pkey_access(pkey, PKEY_DISABLE_ACCESS)) {
		mm->pkey_allocation_map &= (u16) ~(1U << pkey);
		return -1;
	}
	if (new_key)
		mm->execute_only_pkey = (s16)pkey;
	return pkey;
}

/* Is vma execute-only through the execute-only key? */
static bool vma_is_pkey_exec_only(struct vm_area_struct *vma)
{
	return (vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)) == VM_EXEC &&
	       vma_pkey(vma) == vma->vm_mm->execute_only_pkey;
}

int arch_override_mprotect_pkey(struct vm_area_struct *vma, u64 prot, int pkey)
{
	if (!arch_pkeys_enabled())
		return 0;
	if (pkey != -1)
		return pkey; /* pkey_mprotect: the caller's key, even for PROT_EXEC */
	if (prot == PROT_EXEC) {
		pkey = execute_only_pkey(vma->vm_mm);
		if (pkey > 0)
			return pkey;
	} else if (vma_is_pkey_exec_only(vma)) {
		return ARCH_DEFAULT_PKEY; /* no longer execute-only: back to key 0 */
	}
	return vma_pkey(vma);
}

bool arch_vma_access_permitted(struct vm_area_struct *vma, bool write, bool execute)
{
	if (execute || !arch_pkeys_enabled())
		return true; /* keys never stop instruction fetches */
	if (vma->vm_mm != current->mm)
		return true; /* a foreign access (another process's memory) ignores PKRU */
	u32 pkru = read_pkru();
	int pkey = vma_pkey(vma);
	return pkru_allows_read(pkru, pkey) && (!write || pkru_allows_write(pkru, pkey));
}
