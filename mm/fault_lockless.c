// SPDX-License-Identifier: MIT
/*
 * The page fault without the kernel lock: the first step of shrinking it (docs/locking.md). A
 * user-mode fault on a page not yet present in private anonymous memory (a write gets a zeroed
 * page of its own, a read the shared zero page) is handled here, before the kernel lock is
 * taken, under mmap_lock for reading (a trylock) and mm->page_table_lock, as Linux's
 * do_anonymous_page: several CPUs fault in one address space at once, and the page is zeroed
 * outside every lock. Everything else (no VMA, stack growth, an access the VMA or a protection
 * key refuses, file and shared memory, copy-on-write, a VMA without its anon_vma yet, locked
 * memory, an address space the OOM reaper took, any allocation failure) is left untouched for
 * handle_mm_fault under the kernel lock, which keeps every Linux semantic.
 *
 * Why the rest of the kernel is safe against it: VMAs change only under mmap_lock for writing
 * (this fault holds it for reading); the page tables it walks are freed only under the write
 * lock (free_pgtables) or with the address space gone (mmput); it installs a table or a PTE only
 * where it finds none under page_table_lock, as every other installer and zapper under the read
 * lock does (mm/fault.c, zap_page_range). The frame allocator has its own lock, page reference
 * counts are atomic, and nothing it touches needs the kernel lock. No TLB flush: a fault only
 * adds a translation where none was, and x86 TLBs never cache a not-present entry.
 */
#include "mm/fault_lockless.h"
#include "mm/frame.h"
#include "mm/internal.h"
#include "mm/mmap_lock.h"
#include "mm/oom_kill.h"
#include "mm/pgtable_lock.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/traps.h"
#include "fs/proc.h"

char page_table_lock_key;

/*
 * What the lockless path did, per CPU (each CPU writes only its own; /proc/warden/faults sums
 * them): faults handled, faults left to the slow path, and races lost (the PTE or a page table
 * another CPU installed between our look and our lock: our frame freed).
 */
static struct {
	u64 handled, fallback, raced;
} lockless_stats[NR_CPUS];

/* The error-code bits of a fault this path may take: a user-mode access to a page not present. */
#define LOCKLESS_FAULT_BITS (X86_PF_USER | X86_PF_WRITE | X86_PF_INSTR)

/*
 * The table one level below *entry, created if the entry is empty: the zeroed frame is allocated
 * outside the lock and installed under page_table_lock only if the entry is still empty (another
 * CPU may have installed one meanwhile: then ours is freed). NULL when no frame could be had, or
 * when the entry maps a huge page (not this path's business).
 */
static pte_t *table_below(struct mm_struct *mm, pte_t *entry, u64 va)
{
	pte_t e = __atomic_load_n(entry, __ATOMIC_ACQUIRE);

	if (!(e & _PAGE_PRESENT)) {
		struct page *table = alloc_page(GFP_ZERO);
		if (!table)
			return NULL;
		pt_lock(mm);
		e = __atomic_load_n(entry, __ATOMIC_ACQUIRE);
		if (!(e & _PAGE_PRESENT)) {
			pgtable_populate(entry, table, va);
			e = __atomic_load_n(entry, __ATOMIC_RELAXED);
			table = NULL;
		}
		pt_unlock(mm);
		if (table) {
			free_page(table); /* another CPU's table won */
			lockless_stats[smp_processor_id()].raced++;
		}
	}
	if (e & _PAGE_PSE)
		return NULL;
	return phys_to_virt(e & PTE_ADDR_MASK);
}

/* The PTE slot of va, creating the PDPT, page directory and page table on the way. */
static pte_t *pte_alloc_lockless(struct mm_struct *mm, u64 va)
{
	pte_t *table = mm->pgd;

	for (int level = 4; level > PG_LEVEL_4K; level--) {
		table = table_below(mm, &table[pgtable_index(va, level)], va);
		if (!table)
			return NULL;
	}
	return &table[pgtable_index(va, PG_LEVEL_4K)];
}

/* Does a present PTE already allow this access (another CPU's fault got there first)? */
static bool pte_allows(pte_t pte, u64 error_code)
{
	if (!(pte & _PAGE_PRESENT) || !(pte & _PAGE_USER))
		return false;
	if ((error_code & X86_PF_WRITE) && !(pte & _PAGE_RW))
		return false;
	return !(error_code & X86_PF_INSTR) || !(pte & _PAGE_NX);
}

/* Is v private anonymous memory whose not-present pages this path may fill in? */
static bool vma_lockless_ok(struct vm_area_struct *v, u64 addr, u64 error_code)
{
	if (!v || v->vm_start > addr) /* no VMA, or stack growth: the write lock's business */
		return false;
	/* A userfaultfd-registered range waits for its handler, in the slow path. */
	if (v->vm_file ||
	    (v->vm_flags & (VM_SHARED | VM_GROWSDOWN | VM_LOCKED_MASK | VM_UFFD_MISSING)))
		return false;
	/* The first private page of a VMA links its anon_vma (under the kernel lock). */
	if (!READ_ONCE(v->anon_vma))
		return false;
	return !access_error(error_code, v); /* a refusal (VMA or key) becomes a signal there */
}

/* The fault proper, under mmap_lock for reading: FAULT_LOCKLESS_DONE or 0 (fall back). */
static int anon_fault_lockless(struct mm_struct *mm, u64 addr, u64 error_code)
{
	struct vm_area_struct *v = find_vma(mm, addr);
	bool write = error_code & X86_PF_WRITE;

	if (!vma_lockless_ok(v, addr, error_code) || (READ_ONCE(mm->flags) & MMF_UNSTABLE))
		return 0;
	if (!write && !zero_page)
		return 0;
	u64 va = addr & PAGE_MASK, prot = vm_get_page_prot(v->vm_flags);
	pte_t *e = pte_alloc_lockless(mm, va);
	if (!e)
		return 0;
	pte_t old = READ_ONCE(*e);
	if (old) /* a spurious fault (another CPU's was first), or one for the slow path */
		return pte_allows(old, error_code) ? FAULT_LOCKLESS_DONE : 0;

	struct page *pg = NULL;
	pte_t pte;
	if (write) {
		pg = alloc_page(GFP_ZERO); /* zeroed here, outside every lock */
		if (!pg)
			return 0;
		pte = page_to_phys(pg) | prot;
	} else {
		/* First read of private anonymous memory: the shared zero page, read-only. */
		pte = page_to_phys(zero_page) | (prot & ~(u64)_PAGE_WRITE_BITS);
	}
	/*
	 * Installed only if still none (Linux's pte_none recheck under the PTE lock) and the OOM
	 * reaper has not started on this mm (it sets MMF_UNSTABLE before it takes this lock).
	 */
	pt_lock(mm);
	bool unstable = READ_ONCE(mm->flags) & MMF_UNSTABLE;
	bool installed = !unstable && !READ_ONCE(*e);
	if (installed)
		__atomic_store_n(e, pte, __ATOMIC_RELEASE);
	pt_unlock(mm);
	if (!installed && pg)
		put_page(pg); /* another CPU's page won: the access is retried and finds it */
	if (!installed)
		lockless_stats[smp_processor_id()].raced++;
	return unstable ? 0 : FAULT_LOCKLESS_DONE;
}

int handle_mm_fault_lockless(struct mm_struct *mm, u64 addr, u64 error_code)
{
	if ((error_code & ~LOCKLESS_FAULT_BITS) || !(error_code & X86_PF_USER) || addr >= USER_TOP)
		return 0;
	if (!mmap_read_trylock_nolock(mm))
		return 0; /* a writer holds it or waits: the slow path sleeps for it */
	int r = anon_fault_lockless(mm, addr, error_code);
	if (up_read_defer_wake(&mm->mmap_lock))
		r |= FAULT_LOCKLESS_WAKE;
	if (r & FAULT_LOCKLESS_DONE)
		lockless_stats[smp_processor_id()].handled++;
	else
		lockless_stats[smp_processor_id()].fallback++;
	return r;
}

int fault_lockless_stats_show(struct seq_buf *m)
{
	u64 handled = 0, fallback = 0, raced = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		handled += READ_ONCE(lockless_stats[cpu].handled);
		fallback += READ_ONCE(lockless_stats[cpu].fallback);
		raced += READ_ONCE(lockless_stats[cpu].raced);
	}
	seq_printf(m, "lockless_handled %llu\nlockless_fallback %llu\nlockless_raced %llu\n",
		   (unsigned long long)handled, (unsigned long long)fallback,
		   (unsigned long long)raced);
	return 0;
}
