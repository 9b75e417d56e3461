// SPDX-License-Identifier: MIT
/*
 * Memory failure (Linux 6.1's mm/memory-failure.c, CONFIG_MEMORY_FAILURE as Debian builds it),
 * as far as software can inject it: madvise(MADV_HWPOISON) poisons the pages of a range, as a
 * machine check reporting them corrupted would, and MADV_SOFT_OFFLINE retires them after moving
 * their data to new frames. Both need CAP_SYS_ADMIN.
 *
 * A poisoned frame (PG_hwpoison) is never used again: it keeps one reference forever. Every PTE
 * of every address space that maps it becomes a hwpoison entry (arch/x86_64/pgtable.h), so the
 * next access of the page there is a SIGBUS with si_code BUS_MCEERR_AR, si_addr the address and
 * si_addr_lsb PAGE_SHIFT (arch/x86_64/traps.c); a kernel access (read(2) from it) is EFAULT. No
 * process is killed at once: Linux does that only with early kill (vm.memory_failure_early_kill
 * or PR_MCE_KILL_EARLY), which Warden does not have. A tmpfs page stays in its file's cache,
 * poisoned, so every later fault of it is a SIGBUS too (and read(2) of it EIO); an anonymous one
 * is gone from its mappings. /proc/meminfo's HardwareCorrupted counts every poisoned frame.
 *
 * Not modelled: the machine-check side (real hardware errors, mce-inject), huge pages,
 * unpoisoning (Linux's debugfs hwpoison/unpoison-pfn), and Linux's poisoning of the shared zero
 * page, which a read fault hands to MADV_HWPOISON on untouched private memory: Warden counts it and
 * answers EBUSY as Linux does, and flags it so that a second attempt says EHWPOISON, but the zero
 * page keeps working everywhere, as it does on Linux.
 */
#include "mm/mm.h"
#include "mm/internal.h"
#include "mm/frame.h"
#include "mm/memory_failure.h"
#include "mm/pgtable_lock.h"
#include "fs/filemap.h"
#include "fs/vfs.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlb.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"

/* Frames poisoned since boot (Linux's num_poisoned_pages): under the kernel lock. */
u64 num_poisoned_pages;

/*
 * Points every PTE of mm that maps old at replacement instead: a hwpoison entry when
 * replacement is NULL, else the new frame with the same bits. Each entry replaced drops the
 * reference it held on old (and takes one on replacement). Returns how many were replaced.
 */
static u64 replace_page_in_mm(struct mm_struct *mm, struct page *old, struct page *replacement)
{
	u64 old_pa = page_to_phys(old), n = 0;

	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next) {
		u64 found = 0;

		pt_lock(mm);
		for (u64 va = v->vm_start, run_end; va < v->vm_end; va = run_end) {
			pte_t *e = pgtable_pte_run(mm->pgd, va, v->vm_end, &run_end);
			for (; e && va < run_end; va += PAGE_SIZE, e++) {
				if (!pte_has_frame(*e) || (*e & PTE_ADDR_MASK) != old_pa)
					continue;
				if (replacement) {
					get_page(replacement);
					pte_update(e, ~PTE_ADDR_MASK, page_to_phys(replacement));
				} else {
					/* Linux's swap entry has no soft-dirty bit: a clean entry.
					 */
					WRITE_ONCE(*e, old_pa | _PAGE_HWPOISON);
				}
				found++;
			}
		}
		pt_unlock(mm);
		if (found)
			flush_tlb_mm_range(mm, v->vm_start, v->vm_end);
		n += found;
	}
	for (u64 i = 0; i < n; i++)
		put_page(old); /* never the last reference: the caller holds one */
	return n;
}

/*
 * Replaces old everywhere it is mapped (Linux's try_to_unmap through the reverse map, which
 * Warden does without: every address space is searched; threads share theirs, and a second
 * visit finds nothing left to replace).
 */
static void replace_page_everywhere(struct page *old, struct page *replacement)
{
	for (struct task_struct *t = first_task(); t; t = t->run_next)
		if (t->mm)
			replace_page_in_mm(t->mm, old, replacement);
}

int memory_failure(struct page *p)
{
	u64 pfn = page_to_pfn(p);

	if (PageHWPoison(p)) {
		pr_err("Memory failure: %#llx: already hardware poisoned\n",
		       (unsigned long long)pfn);
		put_page(p);
		return -EHWPOISON;
	}
	p->flags |= PG_hwpoison;
	num_poisoned_pages++;
	if (p->flags & PG_reserved) { /* the zero page: a kernel page, left as it is */
		pr_err("Memory failure: %#llx: recovery action for reserved kernel page: Ignored\n",
		       (unsigned long long)pfn);
		return -EBUSY;
	}
	replace_page_everywhere(p, NULL);
	/* The caller's reference stays: the frame is never handed out again. */
	pr_err("Memory failure: %#llx: recovery action for dirty LRU page: Recovered\n",
	       (unsigned long long)pfn);
	return 0;
}

/*
 * The file whose page cache holds p, mapped at addr of mm (a tmpfs page, not anonymous memory),
 * with the page's offset in *pgoff; NULL for anonymous memory.
 */
static struct inode *page_cache_inode(struct mm_struct *mm, u64 addr, struct page *p, u64 *pgoff)
{
	struct vm_area_struct *v = find_vma(mm, addr);

	if (!v || v->vm_start > addr || !v->vm_file)
		return NULL;
	*pgoff = v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);
	struct inode *inode = file_inode(v->vm_file);
	return filemap_get_page(inode, *pgoff, false) == p ? inode : NULL;
}

int soft_offline_page(struct mm_struct *mm, u64 addr, struct page *p)
{
	u64 pfn = page_to_pfn(p);

	if (PageHWPoison(p)) {
		pr_info("soft_offline_page: %#llx page already poisoned\n",
			(unsigned long long)pfn);
		put_page(p);
		return 0;
	}
	if (p->flags & PG_reserved) { /* the zero page: not a page Linux can migrate */
		pr_info("soft offline: %#llx: unknown page type\n", (unsigned long long)pfn);
		put_page(p);
		return -EIO;
	}
	struct page *np = alloc_page(GFP_KERNEL);
	if (!np) {
		put_page(p);
		return -ENOMEM;
	}
	memcpy(page_address(np), page_address(p), PAGE_SIZE);
	u64 pgoff;
	struct inode *inode = page_cache_inode(mm, addr, p, &pgoff);
	if (inode && filemap_replace_page(inode, pgoff, p, np)) {
		get_page(np); /* the cache's reference moves to the copy */
		put_page(p);
	}
	/* Every mapping moves to the copy (Linux's migrate_pages), then the old frame retires. */
	replace_page_everywhere(p, np);
	put_page(np); /* the mappings hold it now */
	p->flags |= PG_hwpoison;
	num_poisoned_pages++;
	pr_info("soft offline: %#llx: page migrated\n", (unsigned long long)pfn);
	return 0;
}
