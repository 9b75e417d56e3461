// SPDX-License-Identifier: MIT
/*
 * User page faults: decide from the VMA, as Linux does, whether the access is allowed (then
 * fill the page in) or not (SEGV_MAPERR without a VMA, SEGV_ACCERR when the VMA forbids it).
 * The page-table entry alone never decides: a missing PTE inside a VMA is just a page not yet
 * touched.
 */
#include "mm/mm.h"
#include "mm/mmap_lock.h"
#include "mm/vma.h"
#include "mm/pkeys.h"
#include "arch/x86_64/pkru.h"
#include "mm/filemap.h"
#include "mm/frame.h"
#include "mm/mmu_gather.h"
#include "mm/oom_kill.h"
#include "mm/overcommit.h"
#include "mm/internal.h"
#include "mm/pgtable_lock.h"
#include "mm/userfaultfd.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/traps.h"
#include "kernel/errno.h"
#include "kernel/lockcheck.h"
#include "kernel/sched.h"
#include "kernel/string.h"

bool access_error(u64 error_code, struct vm_area_struct *v)
{
	if (error_code & X86_PF_PK)
		return true; /* the hardware's key check: never fixed by a COW or a fill */
	/* The key first, so that a page is not filled in only to fault on its key at once. */
	if (!arch_vma_access_permitted(v, error_code & X86_PF_WRITE, error_code & X86_PF_INSTR))
		return true;
	if (error_code & X86_PF_WRITE)
		return !(v->vm_flags & VM_WRITE);
	if (error_code & X86_PF_PROT)
		return true; /* a read or fetch of a present page that its PTE forbids */
	return !(v->vm_flags & (VM_READ | VM_EXEC | VM_WRITE));
}

/* Extends a VM_GROWSDOWN VMA down to the page of addr, keeping the guard gap and RLIMIT_STACK. */
static bool expand_stack(struct vm_area_struct *v, u64 addr)
{
	u64 start = addr & PAGE_MASK;
	struct vm_area_struct *prev = v->vm_prev;

	/* The guard gap applies only below an accessible neighbour that is not a stack (spec 2.6).
	 */
	if (prev && (prev->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)) &&
	    !(prev->vm_flags & VM_GROWSDOWN) && prev->vm_end + stack_guard_gap > start)
		return false;
	if (prev && prev->vm_end > start)
		return false;
	if (!may_expand_vm(v->vm_mm, v->vm_flags, (v->vm_start - start) >> PAGE_SHIFT))
		return false; /* RLIMIT_AS */
	if (v->vm_end - start > current->signal->rlim[RLIMIT_STACK].rlim_cur)
		return false;
	/* The growth is charged, whatever the VMA's VM_ACCOUNT (Linux's acct_stack_growth). */
	if (security_vm_enough_memory_mm(v->vm_mm, (long)((v->vm_start - start) >> PAGE_SHIFT)))
		return false;
	v->vm_pgoff -= (v->vm_start - start) >> PAGE_SHIFT;
	v->vm_start = start;
	vma_tree_gap_update(&v->vm_mm->mm_rb, v);
	return true;
}

/* Does page va of a file mapping lie past the end of its file (Linux: SIGBUS)? */
static bool beyond_eof(struct vm_area_struct *v, u64 va)
{
	u64 pgoff = v->vm_pgoff + ((va - v->vm_start) >> PAGE_SHIFT);

	return v->vm_file && pgoff >= DIV_ROUND_UP((u64)file_inode(v->vm_file)->i_size, PAGE_SIZE);
}

/* Is the page-cache page behind page va of file mapping v poisoned (mm/memory_failure.c)? */
static bool file_page_hwpoisoned(struct vm_area_struct *v, u64 va)
{
	u64 pgoff = v->vm_pgoff + ((va - v->vm_start) >> PAGE_SHIFT);
	struct page *cached = filemap_get_page(file_inode(v->vm_file), pgoff, false);

	return cached && PageHWPoison(cached);
}

/*
 * Produces the frame for one page of v: zeroes, the file's page, or a private copy of it. A read
 * of a private file mapping maps the page-cache page itself (read-only: the first write copies
 * it, do_wp_page), as Linux does, so the file's later changes show through until then.
 */
static struct page *fault_page(struct vm_area_struct *v, u64 va, bool write)
{
	if (!v->vm_file)
		return alloc_page(GFP_ZERO);
	u64 pgoff = v->vm_pgoff + ((va - v->vm_start) >> PAGE_SHIFT);
	struct inode *inode = file_inode(v->vm_file);
	/*
	 * A hole inside the file gets its page now (the caller checked we are before the end),
	 * for private mappings too, as tmpfs does: the page is the file's, so a later write(2)
	 * there shows through a private mapping until its first write copies the page.
	 */
	struct page *cached = filemap_get_page(inode, pgoff, true);
	if ((v->vm_flags & VM_SHARED) || (cached && !write)) {
		if (cached)
			get_page(cached);
		return cached;
	}
	struct page *pg = alloc_page(cached ? GFP_KERNEL : GFP_ZERO);
	if (pg && cached)
		memcpy(page_address(pg), page_address(cached), PAGE_SIZE);
	return pg;
}

/*
 * Replaces a present PTE under the page-table lock. The lockless fault never changes a present
 * entry (it installs only where it finds none), and every other change of a present entry under
 * the read lock runs under the kernel lock as this one does; the lock keeps the rule "every PTE
 * change under mmap_lock for reading is made under page_table_lock" without exceptions. The
 * flush that follows is made after the lock is let go (nothing waits for other CPUs under it).
 */
static void set_pte_locked(struct mm_struct *mm, pte_t *e, pte_t pte)
{
	pt_lock(mm);
	WRITE_ONCE(*e, pte);
	pt_unlock(mm);
}

/*
 * Installs pte at va if no frame is mapped there yet, creating the page tables on the way, all
 * under the page-table lock (Linux's pte_offset_map_lock and pte_none recheck): a lockless fault
 * on another CPU may have installed the page, or a table, since this fault looked. 0 when
 * installed, -EAGAIN when a frame is there already (the caller drops its page: the access is
 * retried and finds it), -ENOMEM when a page table could not be had.
 */
int install_pte(struct mm_struct *mm, u64 va, pte_t pte)
{
	int level, r = 0;

	pt_lock(mm);
	pte_t *e = pgtable_walk(mm->pgd, va, PG_LEVEL_4K, true, &level);
	if (!e || level != PG_LEVEL_4K)
		r = -ENOMEM;
	else if (pte_has_frame(*e) || pte_is_hwpoison(*e))
		r = -EAGAIN;
	else
		__atomic_store_n(e, pte, __ATOMIC_RELEASE);
	pt_unlock(mm);
	return r;
}

/*
 * A write to a present, write-protected page of a writable private VMA: copy-on-write. The last
 * user of the frame just gets write permission back; otherwise the page is copied.
 */
static int do_wp_page(struct mm_struct *mm, struct vm_area_struct *v, u64 va, pte_t *e)
{
	struct page *old = phys_to_page(*e & PTE_ADDR_MASK);
	u64 prot = vm_get_page_prot(v->vm_flags);

	if (v->vm_flags & VM_SHARED) {
		/* Shared memory write-protected for soft-dirty tracking: the same page, now dirty
		 * (Linux's wp_page_shared). */
		set_pte_locked(mm, e, (*e & PTE_ADDR_MASK) | prot);
		flush_tlb_mm_range(mm, va, va + PAGE_SIZE);
		return 0;
	}

	if (anon_vma_prepare(v)) /* the page becomes (or is) this VMA's own anonymous page */
		return -ENOMEM;
	if (is_zero_page(old)) {
		struct page *pg = alloc_page(GFP_ZERO); /* nothing to copy */
		if (!pg)
			return -ENOMEM;
		set_pte_locked(mm, e, page_to_phys(pg) | prot);
	} else if (old->refcount == 1) {
		set_pte_locked(mm, e, (*e & PTE_ADDR_MASK) | prot);
	} else {
		struct page *pg = alloc_page(GFP_KERNEL);
		if (!pg)
			return -ENOMEM;
		memcpy(page_address(pg), page_address(old), PAGE_SIZE);
		/*
		 * Another CPU may still read the old page through its TLB: it may be freed (when
		 * the other holder lets go meanwhile) only after the flush, as in zap_page_range.
		 */
		struct mmu_gather tlb;
		tlb_gather_mmu(&tlb, mm);
		set_pte_locked(mm, e, page_to_phys(pg) | prot);
		tlb_flush_pte_range(&tlb, va, va + PAGE_SIZE);
		tlb_remove_page(&tlb, old);
		tlb_finish_mmu(&tlb);
		return 0;
	}
	flush_tlb_mm_range(mm, va, va + PAGE_SIZE);
	return 0;
}

/* One attempt at the fault (handle_mm_fault without the OOM retry): -ENOMEM when frames ran out. */
static int __handle_mm_fault(struct mm_struct *mm, u64 addr, u64 error_code, int *pkey)
{
	*pkey = 0;
	struct vm_area_struct *v = find_vma(mm, addr);

	if (!v)
		return SEGV_MAPERR;
	if (v->vm_start > addr && (!(v->vm_flags & VM_GROWSDOWN) || !expand_stack(v, addr)))
		return SEGV_MAPERR;
	if (!(error_code & FAULT_FORCE) && access_error(error_code, v)) {
		/* Linux's bad_area_access_from_pkeys(): the key refused it, or the VMA did. */
		if (arch_pkeys_enabled() &&
		    ((error_code & X86_PF_PK) ||
		     !arch_vma_access_permitted(v, error_code & X86_PF_WRITE,
						error_code & X86_PF_INSTR))) {
			*pkey = vma_pkey(v);
			return SEGV_PKUERR;
		}
		return SEGV_ACCERR;
	}
	u64 va = addr & PAGE_MASK;
	int level;
	pte_t *e = pgtable_walk(mm->pgd, va, PG_LEVEL_4K, false, &level);
	/* A frame is there (present, or kept by a PROT_NONE page, which only a forced access
	 * reaches). */
	if (e && level == PG_LEVEL_4K && pte_has_frame(*e)) {
		/* A write to a read-only PTE: the VMA is writable (access_error), or the access is
		 * forced. */
		if ((error_code & X86_PF_WRITE) && !(*e & _PAGE_RW)) {
			/* Write-protected by its userfaultfd: the handler decides. */
			if ((v->vm_flags & VM_UFFD_WP) && (*e & _PAGE_UFFD_WP))
				return FAULT_UFFD_WP;
			return do_wp_page(mm, v, va, e);
		}
		return 0; /* already filled in (a spurious fault) */
	}
	/* A poisoned page was mapped here (Linux's do_swap_page on a hwpoison entry). */
	if (e && level == PG_LEVEL_4K && pte_is_hwpoison(*e))
		return FAULT_HWPOISON;
	if (beyond_eof(v, va))
		return FAULT_SIGBUS;
	/* The file's page is poisoned and kept in the cache (shmem): __do_fault's
	 * VM_FAULT_HWPOISON. */
	if (v->vm_file && file_page_hwpoisoned(v, va))
		return FAULT_HWPOISON;
	/* The OOM reaper took its private pages: none comes back (check_stable_address_space). */
	if (!(v->vm_flags & VM_SHARED) && (mm->flags & MMF_UNSTABLE))
		return FAULT_SIGBUS;
	/*
	 * A missing page of a range registered with a userfaultfd (for shmem: not in the file's
	 * page cache either): its handler provides it.
	 */
	if ((v->vm_flags & VM_UFFD_MISSING) &&
	    (!v->vm_file ||
	     !filemap_get_page(file_inode(v->vm_file),
			       v->vm_pgoff + ((va - v->vm_start) >> PAGE_SHIFT), false)))
		return FAULT_UFFD;
	/* A shmem page cached but not mapped here: a minor fault, the handler maps it. */
	if ((v->vm_flags & VM_UFFD_MINOR) && v->vm_file &&
	    filemap_get_page(file_inode(v->vm_file),
			     v->vm_pgoff + ((va - v->vm_start) >> PAGE_SHIFT), false))
		return FAULT_UFFD_MINOR;
	if (!v->vm_file && !(v->vm_flags & VM_SHARED) && !(error_code & X86_PF_WRITE) &&
	    zero_page) {
		/* First read of private anonymous memory: the shared zero page, read-only. */
		u64 prot = vm_get_page_prot(v->vm_flags) & ~(u64)_PAGE_WRITE_BITS;
		return install_pte(mm, va, page_to_phys(zero_page) | prot) == -ENOMEM ? -ENOMEM : 0;
	}
	bool private = !(v->vm_flags & VM_SHARED);
	u64 prot = vm_get_page_prot(v->vm_flags);
	if (private && (!v->vm_file || (error_code & X86_PF_WRITE)) && anon_vma_prepare(v))
		return -ENOMEM; /* a private page of its own: the VMA's anonymous memory */
	if (private && v->vm_file && !(error_code & X86_PF_WRITE))
		prot &= ~(u64)_PAGE_WRITE_BITS; /* a read: the first write is a COW fault */
	/*
	 * A read of shared memory while soft-dirty tracking is on (clear_refs took VM_SOFTDIRTY):
	 * read-only and clean, so that the first write faults and marks it (Linux's writenotify).
	 */
	if (!private && !(v->vm_flags & VM_SOFTDIRTY) && !(error_code & X86_PF_WRITE))
		prot &= ~(u64)_PAGE_WRITE_BITS;
	struct page *pg = fault_page(v, va, error_code & X86_PF_WRITE);
	if (!pg)
		return -ENOMEM;
	int r = install_pte(mm, va, page_to_phys(pg) | prot);
	if (r)
		put_page(pg); /* no table (-ENOMEM), or another CPU's fault was first (-EAGAIN) */
	return r == -ENOMEM ? -ENOMEM : 0;
}

/*
 * A user page fault, retried after the OOM killer ran when a frame (for the page, its copy, a
 * page table, an anon_vma) could not be had: Linux's allocator invokes the killer and retries
 * inside the fault, so the fault fails with -ENOMEM (VM_FAULT_OOM) only when the faulting task
 * is itself dying (SIGKILL pending, perhaps as the victim). The caller holds the mmap lock, so
 * this never sleeps for the victim: it takes the victim's memory at once (do_user_addr_fault
 * is the fault that may sleep, having let go of the lock).
 */
int handle_mm_fault(struct mm_struct *mm, u64 addr, u64 error_code, int *pkey)
{
	for (;;) {
		int r = __handle_mm_fault(mm, addr, error_code, pkey);
		if (r == FAULT_UFFD || r == FAULT_UFFD_WP || r == FAULT_UFFD_MINOR)
			return FAULT_SIGBUS; /* it cannot let go of the lock to wait (no retry) */
		if (r != -ENOMEM || !__alloc_pages_may_oom(false))
			return r;
	}
}

/*
 * fault_sleep (a debug flag, with lockcheck): a fault of the kernel's own access to the current
 * task's user memory first yields the CPU, as such a fault may sleep on Linux (waiting for
 * mmap_lock, for memory, for a page read in). Code that copies to or from user space while it
 * relies on nothing changing meanwhile shows up under a stress test (two AF_UNIX readers of one
 * socket: user/unixrace). Only when no spinlock is held (the kernel lock alone), as any sleep.
 */
bool debug_fault_sleep;

static void fault_sleep_maybe(struct mm_struct *mm, u64 error_code)
{
	if (!debug_fault_sleep || !lockcheck_enabled ||
	    (error_code & (X86_PF_USER | FAULT_FORCE)) || mm != current->mm ||
	    lockcheck_depth() > 1)
		return;
	schedule();
}

/*
 * A fault the CPU raised on a user address (arch/x86_64/traps.c): each attempt runs under the
 * mmap lock for reading, and the lock is let go while the OOM killer's victim gets the CPU, so
 * that a thread of this mm that wants it for writing is not kept waiting through the sleep.
 */
int do_user_addr_fault(struct mm_struct *mm, u64 addr, u64 error_code, int *pkey)
{
	bool may_sleep =
		(error_code & X86_PF_USER) && mm == current->mm && !(error_code & FAULT_FORCE);

	fault_sleep_maybe(mm, error_code);

	for (;;) {
		mmap_read_lock(mm);
		int r = __handle_mm_fault(mm, addr, error_code, pkey);
		if (r == FAULT_UFFD || r == FAULT_UFFD_WP || r == FAULT_UFFD_MINOR) {
			/* Waits with the lock let go; the access is retried (or SIGBUS). */
			u64 reason = r == FAULT_UFFD	  ? VM_UFFD_MISSING
				     : r == FAULT_UFFD_WP ? VM_UFFD_WP
							  : VM_UFFD_MINOR;
			r = handle_userfault(mm, find_vma(mm, addr), addr, error_code, reason);
			return r == FAULT_UFFD_RETRY ? 0 : r;
		}
		mmap_read_unlock(mm);
		/* A fault the CPU raised and that was handled counts (Linux's mm_account_fault). */
		if (!r && mm == current->mm && !(error_code & FAULT_FORCE))
			current->acct.min_flt++;
		if (r != -ENOMEM || !__alloc_pages_may_oom(may_sleep))
			return r;
	}
}
