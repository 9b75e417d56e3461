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
 * process is signalled at once unless it asked for early kill (vm.memory_failure_early_kill, or
 * prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY) in one of its threads): then that thread
 * gets SIGBUS with BUS_MCEERR_AO and the address where the page was mapped (Linux's
 * kill_procs without MF_ACTION_REQUIRED). A tmpfs page stays in its file's cache,
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
#include "kernel/signal.h"
#include "kernel/panic.h"
#include "fs/proc.h"

/* Frames poisoned since boot (Linux's num_poisoned_pages): under the kernel lock. */
u64 num_poisoned_pages;

/*
 * vm.memory_failure_early_kill (0: a process learns of a poisoned page when it touches it; 1:
 * at once, unless its threads chose otherwise with PR_MCE_KILL) and vm.memory_failure_recovery
 * (0: a memory failure panics), as Linux's; plain ints written by /proc/sys.
 */
int sysctl_memory_failure_early_kill;
int sysctl_memory_failure_recovery = 1;

int memory_failure_sysctl_init(struct inode *vm)
{
	int err = proc_create_int(vm, "memory_failure_early_kill", 0644,
				  &sysctl_memory_failure_early_kill, 0, 1);
	return err ? err
		   : proc_create_int(vm, "memory_failure_recovery", 0644,
				     &sysctl_memory_failure_recovery, 0, 1);
}

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

/*
 * The thread of tsk's process that wants an early signal (Linux's find_early_kill_thread): the
 * first that chose early kill with PR_MCE_KILL, or, under vm.memory_failure_early_kill, the first
 * that chose nothing. NULL when the process waits until it touches the page.
 */
static struct task_struct *find_early_kill_thread(struct task_struct *tsk)
{
	struct task_struct *t;

	for_each_thread(tsk, t) {
		if (t->mce_kill & MCE_KILL_PROCESS) {
			if (t->mce_kill & MCE_KILL_EARLY)
				return t;
		} else if (sysctl_memory_failure_early_kill) {
			return t;
		}
	}
	return NULL;
}

/* The lowest address at which mm has a hwpoison entry of frame pa, or 0. */
static u64 hwpoison_address(struct mm_struct *mm, u64 pa)
{
	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next)
		for (u64 va = v->vm_start, run_end; va < v->vm_end; va = run_end) {
			pte_t *e = pgtable_pte_run(mm->pgd, va, v->vm_end, &run_end);
			for (; e && va < run_end; va += PAGE_SIZE, e++)
				if (pte_is_hwpoison(*e) && (*e & PTE_ADDR_MASK) == pa)
					return va;
		}
	return 0;
}

/*
 * Early kill (Linux's collect_procs and kill_procs, for a dirty page: every Warden page is):
 * each process that mapped the poisoned frame and has an early-kill thread gets SIGBUS with
 * BUS_MCEERR_AO at that thread, with the address where it was mapped. The others learn of it
 * when they touch the page (BUS_MCEERR_AR).
 */
static void kill_procs_early(struct page *p)
{
	u64 pa = page_to_phys(p);

	for (struct task_struct *tsk = first_task(); tsk; tsk = tsk->run_next) {
		if (!thread_group_leader(tsk) || !tsk->signal)
			continue;
		struct task_struct *t = find_early_kill_thread(tsk);
		if (!t || !t->mm)
			continue;
		u64 addr = hwpoison_address(t->mm, pa);
		if (!addr)
			continue;
		pr_err("Memory failure: %#llx: Sending SIGBUS to %s:%d due to hardware memory "
		       "corruption\n",
		       (unsigned long long)page_to_pfn(p), t->comm, t->pid);
		send_sig_mceerr(BUS_MCEERR_AO, addr, PAGE_SHIFT, t);
	}
}

int memory_failure(struct page *p)
{
	u64 pfn = page_to_pfn(p);

	if (!sysctl_memory_failure_recovery)
		panic("Memory failure on page %llx", (unsigned long long)pfn);

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
	kill_procs_early(p);
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
