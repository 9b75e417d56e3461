// SPDX-License-Identifier: MIT
/*
 * The page-table side of an address space (mm/internal.h): the top-level table, turning
 * vm_flags into PTE bits, unmapping a range, changing its protection and copying it for fork.
 * The VMA side (mm/vma.c, mm/mmap.c, mm/mprotect.c) decides; this file carries the decision out
 * on the hardware's tables and is the one place that flushes TLBs for user mappings.
 */
#include "mm/mm.h"
#include "mm/internal.h"
#include "mm/userfaultfd.h"
#include "mm/frame.h"
#include "mm/mmu_gather.h"
#include "mm/filemap.h"
#include "mm/pgtable_lock.h"
#include "kernel/sched.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ldt.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/printk.h"

int pgd_alloc(struct mm_struct *mm)
{
	mm->pgd = get_free_page(GFP_ZERO);
	if (!mm->pgd)
		return -ENOMEM;
	/* The kernel half: the same PDPTs as the kernel's own tables, created at boot. */
	memcpy(mm->pgd + 256, kernel_pml4 + 256, 256 * sizeof(u64));
	return 0;
}

void pgd_free(struct mm_struct *mm)
{
	tlb_mm_release(mm); /* no CPU may walk the tables from here on, not even a lazy one */
	pgtable_free_user(mm->pgd);
	free_page_addr(mm->pgd);
}

u64 vm_get_page_prot(u64 vm_flags)
{
	u64 prot = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return _PAGE_PROTNONE | _PAGE_USER; /* not present: every access faults */
	if (vm_flags & VM_WRITE)
		prot |= _PAGE_WRITE_BITS;
	if (!(vm_flags & VM_EXEC))
		prot |= __supported_pte_mask_nx;
	/* The key: PTE bits 59-62 (meaningless, but harmless, while CR4.PKE is off). */
	prot |= ((vm_flags & VM_PKEY_MASK) >> VM_PKEY_SHIFT) << _PAGE_PKEY_SHIFT;
	return prot;
}

/*
 * The PTEs are cleared under the page-table lock: the OOM reaper zaps with mmap_lock held for
 * reading and truncate (unmap_mapping_pages) without it, while lockless faults may install PTEs
 * in the same page tables. The reaper sets MMF_UNSTABLE before it zaps, and the lockless fault
 * checks it under this lock before it installs, so no page comes back behind the reaper. The
 * flush and the frees come after the lock is let go.
 */
void zap_page_range_tlb(struct mmu_gather *tlb, u64 start, u64 end)
{
	struct mm_struct *mm = tlb->mm;

	pt_lock(mm);
	for (u64 va = start, run_end; va < end; va = run_end) {
		pte_t *e = pgtable_pte_run(mm->pgd, va, end, &run_end); /* skips missing tables */
		/* One flush of the whole range; none if no page table covers any of it. */
		if (e)
			tlb_flush_pte_range(tlb, start, end);
		for (; e && va < run_end; va += PAGE_SIZE, e++) {
			if (pte_has_frame(*e)) {
				struct page *pg = phys_to_page(*e & PTE_ADDR_MASK);
				WRITE_ONCE(*e, 0);
				tlb_remove_page(tlb, pg);
			} else if (pte_is_hwpoison(*e)) {
				WRITE_ONCE(*e, 0); /* the entry holds no reference to the frame */
			}
		}
	}
	pt_unlock(mm);
}

void zap_page_range(struct mm_struct *mm, u64 start, u64 end)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	zap_page_range_tlb(&tlb, start, end);
	tlb_finish_mmu(&tlb);
}

void madvise_free_pte_range(struct mm_struct *mm, u64 start, u64 end)
{
	for (u64 va = start, run_end; va < end; va = run_end) {
		pte_t *e = pgtable_pte_run(mm->pgd, va, end, &run_end);
		for (; e && va < run_end; va += PAGE_SIZE, e++) {
			if (!pte_has_frame(*e))
				continue;
			struct page *pg = phys_to_page(*e & PTE_ADDR_MASK);
			/* Not the zero page, nor a page a forked child shares (Linux's mapcount).
			 */
			if (is_zero_page(pg) || pg->refcount != 1)
				continue;
			pte_update(e, ~(u64)_PAGE_DIRTY, _PAGE_LAZYFREE);
		}
	}
	flush_tlb_mm_range(mm, start, end); /* so that the next write sets _PAGE_DIRTY again */
}

void pageout_pte_range(struct mm_struct *mm, u64 start, u64 end)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	tlb_flush_pte_range(&tlb, start, end);
	for (u64 va = start, run_end; va < end; va = run_end) {
		pte_t *e = pgtable_pte_run(mm->pgd, va, end, &run_end);
		for (; e && va < run_end; va += PAGE_SIZE, e++) {
			if (!pte_has_frame(*e) || !(*e & _PAGE_LAZYFREE))
				continue;
			struct page *pg = phys_to_page(*e & PTE_ADDR_MASK);
			if (pg->refcount != 1)
				continue; /* Linux leaves pages other mappings hold alone */
			if (*e & _PAGE_DIRTY) {
				pte_clear_bits(e, _PAGE_LAZYFREE); /* written again: not freeable */
				continue;
			}
			/* Taken away atomically: a write on another CPU since the test above set
			 * _PAGE_DIRTY in the entry we take, and the page stays (Linux's
			 * ptep_clear_flush, then pte_dirty of the old value). A CPU that caches the
			 * entry still clean must set the dirty bit in the PTE to write, and faults.
			 */
			pte_t old = ptep_get_and_clear(e);
			if (old & _PAGE_DIRTY) {
				*e = old & ~(u64)_PAGE_LAZYFREE;
				continue;
			}
			tlb_remove_page(&tlb, pg);
		}
	}
	tlb_finish_mmu(&tlb);
}

/* What free_pgtables_release needs: the gather, and the range around the freed tables. */
struct free_pgtables_arg {
	struct mmu_gather *tlb;
	u64 floor, ceiling;
};

/* pgtable_free_range's release: the unlinked table waits in the gather for the flush. */
static void free_pgtables_release(struct page *table, void *arg)
{
	struct free_pgtables_arg *a = arg;

	tlb_remove_table(a->tlb, table, a->floor, a->ceiling);
}

void free_pgtables_tlb(struct mmu_gather *tlb, u64 start, u64 end)
{
	struct mm_struct *mm = tlb->mm;
	struct vm_area_struct *prev, *next = vma_tree_find_vma_prev(&mm->mm_rb, start, &prev);
	struct free_pgtables_arg a = {
		.tlb = tlb,
		.floor = prev ? prev->vm_end : 0,
		.ceiling = next ? next->vm_start : 0,
	};

	if (next && next->vm_start < end)
		return; /* not empty: a caller's bug, and freeing here would lose pages */
	/*
	 * A table goes only if the whole range it translates lies in [floor, ceiling): that is
	 * the range to flush once any table went (nothing is added to the gather until then).
	 */
	if (!a.ceiling)
		a.ceiling = USER_TOP;
	pgtable_free_range(mm->pgd, start, end, a.floor, next ? next->vm_start : 0,
			   free_pgtables_release, &a);
}

void free_pgtables(struct mm_struct *mm, u64 start, u64 end)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	free_pgtables_tlb(&tlb, start, end);
	tlb_finish_mmu(&tlb); /* nothing to flush if no table went: the PTEs were flushed */
}

void change_protection(struct mm_struct *mm, u64 start, u64 end, u64 vm_flags)
{
	u64 prot = vm_get_page_prot(vm_flags) & ~(u64)_PAGE_SOFT_DIRTY;
	u64 ro = prot & ~(u64)_PAGE_WRITE_BITS;
	const u64 keep =
		PTE_ADDR_MASK | _PAGE_SOFT_DIRTY | _PAGE_DIRTY | _PAGE_LAZYFREE | _PAGE_UFFD_WP;
	bool changed = false, flush = false;

	for (u64 va = start, run_end; va < end; va = run_end) {
		pte_t *e = pgtable_pte_run(mm->pgd, va, end, &run_end);
		changed |= e != NULL;
		for (; e && va < run_end; va += PAGE_SIZE, e++) {
			if (!pte_has_frame(*e))
				continue;
			/*
			 * A frame shared copy-on-write (or the zero page, or one write-protected by
			 * its userfaultfd) stays read-only, and so
			 * does a page not written since clear_refs reset soft-dirty tracking here,
			 * so that its next write faults and marks it (can_change_pte_writable).
			 */
			u64 p = prot;
			if (p & _PAGE_RW) {
				struct page *pg = phys_to_page(*e & PTE_ADDR_MASK);
				if (is_zero_page(pg) || (*e & _PAGE_UFFD_WP) ||
				    (!(vm_flags & VM_SHARED) && pg->refcount > 1) ||
				    (!(vm_flags & VM_SOFTDIRTY) && !(*e & _PAGE_SOFT_DIRTY)))
					p = ro;
			}
			/*
			 * The soft-dirty and dirty bits survive, as Linux's _PAGE_CHG_MASK keeps
			 * them, and so does a page's MADV_FREE state (Linux keeps it in the folio):
			 * a freeable page is not made dirty by becoming writable. A userfaultfd
			 * write-protected page keeps its mark and stays read-only.
			 */
			if (*e & _PAGE_LAZYFREE)
				p &= ~(u64)_PAGE_DIRTY;
			pte_t old = pte_update(e, keep, p);
			if (!flush)
				flush = pte_needs_flush(old, (old & keep) | p);
		}
	}
	/*
	 * No flush when no PTE changed in a way a stale TLB entry could get around: permissions
	 * only added (the entries keep faulting until refetched, docs/tlb.md), or no page table.
	 */
	if (flush)
		flush_tlb_mm_range(mm, start, end);
	else if (changed)
		tlb_stats_inc_spared();
}

/*
 * Gives the child the parent's pages of vma. A shared mapping shares each frame outright; a
 * private one shares it copy-on-write: both PTEs lose their write permission, and the first
 * write on either side copies the page (do_wp_page in mm/fault.c). Each page table of the parent
 * is walked once, and the child's matching page table is found (or made) once per run.
 */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
	bool shared = vma->vm_flags & VM_SHARED;
	/* The userfaultfd write-protect mark goes unless the child's copy stays registered. */
	u64 drop = userfaultfd_fork_keeps(vma) ? 0 : _PAGE_UFFD_WP;
	int err = 0;

	for (u64 va = vma->vm_start, run_end; va < vma->vm_end && !err; va = run_end) {
		pte_t *e = pgtable_pte_run(src->pgd, va, vma->vm_end, &run_end);
		pte_t *dbase = NULL; /* the child's entry for dbase_va, in the same page table */
		u64 dbase_va = 0;
		for (; e && va < run_end; va += PAGE_SIZE, e++) {
			if (!pte_has_frame(*e) && !pte_is_hwpoison(*e))
				continue;
			if (!dbase) {
				int level;
				dbase = pgtable_walk(dst->pgd, va, PG_LEVEL_4K, true, &level);
				if (!dbase || level != PG_LEVEL_4K) {
					err = -ENOMEM;
					break;
				}
				dbase_va = va;
			}
			/*
			 * A private page loses write permission on both sides, the parent's dirty
			 * bit stays (Linux's ptep_set_wrprotect): an MADV_FREE page written before
			 * the fork holds data that MADV_PAGEOUT must keep.
			 */
			if (pte_is_hwpoison(*e)) { /* the child faults on it too (no reference) */
				dbase[(va - dbase_va) / PAGE_SIZE] = *e & ~drop;
				continue;
			}
			pte_t pte = shared ? *e : pte_clear_bits(e, _PAGE_RW);
			if (!shared)
				pte &= ~(u64)(_PAGE_RW | _PAGE_DIRTY);
			dbase[(va - dbase_va) / PAGE_SIZE] = pte & ~drop;
			get_page(phys_to_page(pte & PTE_ADDR_MASK));
		}
	}
	if (!shared)
		flush_tlb_mm_range(src, vma->vm_start,
				   vma->vm_end); /* the parent lost write bits */
	return err;
}

/*
 * Moves the frame of one PTE from va to nva (no PTE at nva yet), marked soft-dirty as Linux's
 * move_soft_dirty_pte: the page is new at its address (a hwpoison entry moves the same way, its
 * swap soft-dirty bit set). 0 or -ENOMEM.
 */
static int move_one_pte(struct mm_struct *mm, pte_t *e, u64 nva)
{
	if (pgtable_map(mm->pgd, nva, *e & PTE_ADDR_MASK, (*e & ~PTE_ADDR_MASK) | _PAGE_SOFT_DIRTY,
			PG_LEVEL_4K))
		return -ENOMEM;
	*e = 0;
	return 0;
}

int move_page_range(struct mm_struct *mm, u64 old_addr, u64 new_addr, u64 len)
{
	u64 va, next;

	for (va = old_addr; va < old_addr + len; va = next) {
		pte_t *e = pgtable_walk_range(mm->pgd, va, old_addr + len, &next);
		if (e && (pte_has_frame(*e) || pte_is_hwpoison(*e)) &&
		    move_one_pte(mm, e, new_addr + (va - old_addr)))
			break;
	}
	flush_tlb_mm_range(mm, old_addr, old_addr + len);
	if (va >= old_addr + len)
		return 0;
	/* Out of memory for a page table: put back what moved (its tables exist). */
	move_page_range(mm, new_addr, old_addr, va - old_addr);
	return -ENOMEM;
}

void unmap_mapping_pages(struct inode *inode, u64 first)
{
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		struct mm_struct *mm = t->mm;
		if (!mm)
			continue;
		for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next) {
			u64 pages = (v->vm_end - v->vm_start) >> PAGE_SHIFT;
			if (!v->vm_file || file_inode(v->vm_file) != inode ||
			    v->vm_pgoff + pages <= first)
				continue;
			u64 skip = first > v->vm_pgoff ? first - v->vm_pgoff : 0;
			zap_page_range(mm, v->vm_start + (skip << PAGE_SHIFT), v->vm_end);
		}
	}
}

/*
 * Clears the PTEs of [start, end) of v that map inode's cached page at their offset, the file's
 * own pages: a private copy made by a write stays (Linux's zap with even_cows false), and so
 * does a hwpoison entry.
 */
static void zap_cache_pages(struct mm_struct *mm, struct vm_area_struct *v, u64 start, u64 end,
			    struct inode *inode)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	pt_lock(mm);
	for (u64 va = start, run_end; va < end; va = run_end) {
		pte_t *e = pgtable_pte_run(mm->pgd, va, end, &run_end);
		if (e)
			tlb_flush_pte_range(&tlb, start, end);
		for (; e && va < run_end; va += PAGE_SIZE, e++) {
			if (!pte_has_frame(*e))
				continue;
			struct page *pg = phys_to_page(*e & PTE_ADDR_MASK);
			u64 pgoff = v->vm_pgoff + ((va - v->vm_start) >> PAGE_SHIFT);
			if (pg != filemap_get_page(inode, pgoff, false))
				continue;
			WRITE_ONCE(*e, 0);
			tlb_remove_page(&tlb, pg);
		}
	}
	pt_unlock(mm);
	tlb_finish_mmu(&tlb);
}

void unmap_mapping_cache_range(struct inode *inode, u64 first, u64 last)
{
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		struct mm_struct *mm = t->mm;
		if (!mm)
			continue;
		for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next) {
			u64 pages = (v->vm_end - v->vm_start) >> PAGE_SHIFT;
			if (!v->vm_file || file_inode(v->vm_file) != inode || v->vm_pgoff >= last ||
			    v->vm_pgoff + pages <= first)
				continue;
			u64 from = max(first, v->vm_pgoff), to = min(last, v->vm_pgoff + pages);
			zap_cache_pages(mm, v, v->vm_start + ((from - v->vm_pgoff) << PAGE_SHIFT),
					v->vm_start + ((to - v->vm_pgoff) << PAGE_SHIFT), inode);
		}
	}
}

bool mapping_mapped(struct inode *inode)
{
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		struct mm_struct *mm = t->mm;

		if (!mm)
			continue;
		for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next)
			if (v->vm_file && file_inode(v->vm_file) == inode)
				return true;
	}
	return false;
}

bool mapping_writably_mapped(struct inode *inode)
{
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		struct mm_struct *mm = t->mm;

		if (!mm)
			continue;
		for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next)
			if (v->vm_file && file_inode(v->vm_file) == inode &&
			    (v->vm_flags & (VM_SHARED | VM_MAYWRITE)) == (VM_SHARED | VM_MAYWRITE))
				return true;
	}
	return false;
}

/* The PTE flags as letters: present, writable, user, accessed, dirty, NX, PROT_NONE, key. */
static void print_pte(u64 va, pte_t e)
{
	printk("    %#014llx -> %#llx %c%c%c%c%c%s%s key %llu\n", (unsigned long long)va,
	       (unsigned long long)(e & PTE_ADDR_MASK), e & _PAGE_PRESENT ? 'P' : '-',
	       e & _PAGE_RW ? 'W' : '-', e & _PAGE_USER ? 'U' : '-', e & _PAGE_ACCESSED ? 'A' : '-',
	       e & _PAGE_DIRTY ? 'D' : '-', e & _PAGE_NX ? " NX" : "",
	       e & _PAGE_PROTNONE ? " PROTNONE" : "",
	       (unsigned long long)((e & _PAGE_PKEY_MASK) >> _PAGE_PKEY_SHIFT));
}

void dump_task_mm(int pid)
{
	struct task_struct *t = find_task_by_pid(pid);
	struct mm_struct *mm = t ? t->mm : NULL;
	unsigned int shown = 0;

	if (!mm) {
		printk("dump: no address space for pid %d\n", pid);
		return;
	}
	printk("dump: pid %d (%s): %d VMAs, pgd %#llx\n", pid, t->comm, mm->mm_rb.count,
	       (unsigned long long)virt_to_phys(mm->pgd));
	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next) {
		printk("  %#014llx-%#014llx %c%c%c%c flags %#llx pgoff %#llx%s\n",
		       (unsigned long long)v->vm_start, (unsigned long long)v->vm_end,
		       v->vm_flags & VM_READ ? 'r' : '-', v->vm_flags & VM_WRITE ? 'w' : '-',
		       v->vm_flags & VM_EXEC ? 'x' : '-', v->vm_flags & VM_MAYSHARE ? 's' : 'p',
		       (unsigned long long)v->vm_flags, (unsigned long long)v->vm_pgoff,
		       v->vm_file ? " file" : "");
		for (u64 va = v->vm_start, next; va < v->vm_end && shown < 4096; va = next) {
			pte_t *e = pgtable_walk_range(mm->pgd, va, v->vm_end, &next);
			if (e && *e) {
				print_pte(va, *e);
				shown++;
			}
		}
	}
}

void switch_mm(struct mm_struct *mm)
{
	u64 f = read_rflags();

	local_irq_disable();
	switch_mm_irqs_off(this_cpu()->loaded_mm, mm);
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}
