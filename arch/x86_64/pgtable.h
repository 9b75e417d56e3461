/* SPDX-License-Identifier: MIT */
/*
 * x86-64 4-level page tables: entry bits and the walker that maps, unmaps and looks up pages.
 * Tables are frames from the frame allocator, reached through the direct map. Intermediate
 * entries are always present+writable (+user below USER_TOP); a leaf alone decides access.
 */
#ifndef WARDEN_ARCH_PGTABLE_H
#define WARDEN_ARCH_PGTABLE_H

#include "mm/memory.h"

#define _PAGE_PRESENT (1UL << 0)
#define _PAGE_RW (1UL << 1)
#define _PAGE_USER (1UL << 2)
#define _PAGE_PWT (1UL << 3)
#define _PAGE_PCD (1UL << 4)
#define _PAGE_ACCESSED (1UL << 5)
#define _PAGE_DIRTY (1UL << 6)
#define _PAGE_PSE (1UL << 7) /* 2 MiB / 1 GiB leaf in a PD / PDPT entry */
#define _PAGE_GLOBAL (1UL << 8)
/*
 * A user page whose VMA allows no access (PROT_NONE) keeps its frame in a PTE that is not
 * present, marked with this software bit (the CPU ignores every other bit of a non-present
 * entry), so that mprotect can give the page back, data intact. Linux's _PAGE_PROTNONE.
 */
#define _PAGE_PROTNONE (1UL << 10)
/*
 * Software bit: a private anonymous page that MADV_FREE made freeable (Linux: a folio without
 * PG_swapbacked). MADV_FREE also clears _PAGE_DIRTY, which the CPU sets again on a write: a page
 * still clean when MADV_PAGEOUT comes is dropped, a written one kept (mm/memory.c).
 */
#define _PAGE_LAZYFREE (1UL << 11)
/*
 * Software bit: the page was written since the last soft-dirty reset (Linux's _PAGE_SOFT_DIRTY,
 * /proc/PID/pagemap bit 55). Set with write permission (Warden makes writable PTEs dirty at
 * once); /proc/PID/clear_refs 4 clears it and takes write permission away, so that the next
 * write faults and sets it again (mm/clear_refs.c).
 */
#define _PAGE_SOFT_DIRTY (1UL << 9)
/*
 * Software bit: a private anonymous page write-protected by UFFDIO_WRITEPROTECT (Linux's
 * _PAGE_UFFD_WP; /proc/PID/pagemap bit 57). The PTE is read-only while it is set: a write faults
 * to the userfaultfd of its VMA (VM_UFFD_WP) instead of being resolved (mm/userfaultfd_fault.c).
 * In a hwpoison entry (below) the same bit is the swap entry's own uffd-wp bit (Linux's
 * _PAGE_SWP_UFFD_WP), set and cleared by UFFDIO_WRITEPROTECT, never read as the poison.
 */
#define _PAGE_UFFD_WP (1UL << 58)
/* What a write fault gives a PTE and a read-only one lacks. */
#define _PAGE_WRITE_BITS (_PAGE_RW | _PAGE_DIRTY | _PAGE_SOFT_DIRTY)
/*
 * Software bit of a user PTE that is not present: a hwpoison entry (Linux's swap entry of type
 * SWP_HWPOISON), left by memory_failure (mm/memory_failure.c) where a poisoned frame was mapped.
 * The address bits keep the frame (never to be used again), _PAGE_SOFT_DIRTY the swap entry's
 * soft-dirty bit and _PAGE_UFFD_WP its uffd-wp bit; every access of the page is a SIGBUS
 * (BUS_MCEERR_AR), fork copies the entry (without the uffd-wp bit unless the child's VMA stays
 * registered), mremap moves it, munmap and MADV_DONTNEED clear it. A bit of its own, apart
 * from _PAGE_UFFD_WP: Linux's hwpoison is a swap entry type, never a pte bit another feature
 * sets or clears.
 */
#define _PAGE_HWPOISON (1UL << 57)
#define _PAGE_PKEY_SHIFT 59 /* protection key, bits 59..62 */
#define _PAGE_PKEY_MASK (0xfUL << _PAGE_PKEY_SHIFT)
#define _PAGE_NX (1UL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000UL

/* _PAGE_NX if the CPU has NX (EFER.NXE set at boot), else 0: never set a reserved bit. */
extern u64 __supported_pte_mask_nx;

/* Leaf protections for kernel mappings. */
#define PAGE_KERNEL_RX (_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_ACCESSED)
#define PAGE_KERNEL_RO (_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_ACCESSED | __supported_pte_mask_nx)
#define PAGE_KERNEL                                                               \
	(_PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | _PAGE_ACCESSED | _PAGE_DIRTY | \
	 __supported_pte_mask_nx)

typedef u64 pte_t;

/* Does this leaf entry hold a frame (present, or a PROT_NONE user page)? */
/*
 * Atomic updates of a live user PTE. Another CPU's page walker may set _PAGE_ACCESSED and
 * _PAGE_DIRTY in it at any time (a locked update of the entry), so a plain read-modify-write
 * could lose a dirty bit set in between (Linux's ptep_get_and_clear, ptep_set_wrprotect).
 */
static inline pte_t ptep_get_and_clear(pte_t *e)
{
	return __atomic_exchange_n(e, 0, __ATOMIC_SEQ_CST);
}

/* Clears bits of a live PTE; returns the entry as it was. */
static inline pte_t pte_clear_bits(pte_t *e, u64 bits)
{
	return __atomic_fetch_and(e, ~bits, __ATOMIC_SEQ_CST);
}

/*
 * Replaces a live PTE's bits outside keep by set, keeping what the CPU set in keep meanwhile.
 * Returns the entry as it was when replaced (the new one is (old & keep) | set).
 */
static inline pte_t pte_update(pte_t *e, u64 keep, u64 set)
{
	pte_t old = *e;

	while (!__atomic_compare_exchange_n(e, &old, (old & keep) | set, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST))
		;
	return old;
}

static inline bool pte_has_frame(pte_t e)
{
	return e & (_PAGE_PRESENT | _PAGE_PROTNONE);
}

/* Is this leaf entry a hwpoison entry (not present, no frame to use)? */
static inline bool pte_is_hwpoison(pte_t e)
{
	return (e & (_PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_HWPOISON)) == _PAGE_HWPOISON;
}

/* Levels as the walker reports them: 1 = 4 KiB PTE, 2 = 2 MiB PDE, 3 = 1 GiB PDPTE. */
#define PG_LEVEL_4K 1
#define PG_LEVEL_2M 2
#define PG_LEVEL_1G 3

static inline unsigned int pgtable_index(u64 va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

static inline u64 pgtable_level_size(int level)
{
	return 1UL << (PAGE_SHIFT + 9 * (level - 1));
}

struct page;

/*
 * Points the empty intermediate entry *entry (on the walk to va) at table, a zeroed frame, and
 * counts it (pgtable_nr_tables). A release store: the lockless page fault walks the tables
 * without a lock and must see the table's zeroes before the entry that leads to it. User
 * tables: the caller holds mm->page_table_lock (or mmap_lock for writing) and saw the entry
 * empty under it.
 */
void pgtable_populate(pte_t *entry, struct page *table, u64 va);

/*
 * Finds the leaf entry mapping va in the tables rooted at pml4. Returns a pointer to it and its
 * level, or NULL if an intermediate table is missing (*level then says where the walk stopped).
 * With alloc, missing tables down to level want are created (NULL when memory runs out).
 */
pte_t *pgtable_walk(pte_t *pml4, u64 va, int want, bool alloc, int *level);

/*
 * For loops over a user range: the 4 KiB leaf entry for va, or NULL when a table above it is
 * missing, in which case *next is where the next populated address can start (the end of the
 * range the missing entry covers, capped at end). On success *next is va + PAGE_SIZE.
 */
pte_t *pgtable_walk_range(pte_t *pml4, u64 va, u64 end, u64 *next);

/*
 * For loops over many pages: the 4 KiB entry of va and, in *run_end, the end of the run of
 * entries that follow it in the same page table (at most 512, never past end), so a caller
 * steps through them as an array. When the page table is missing: NULL, and *run_end is where
 * the next populated address can start (as pgtable_walk_range's *next).
 */
pte_t *pgtable_pte_run(pte_t *pml4, u64 va, u64 end, u64 *run_end);

/* Maps one page (level 1) or one 2 MiB page (level 2) at va to pa with leaf flags. 0 or -ENOMEM. */
int pgtable_map(pte_t *pml4, u64 va, phys_addr_t pa, u64 flags, int level);

/* Removes the mapping of va (4 KiB leaf) if present; returns the old entry. Caller flushes the TLB.
 */
pte_t pgtable_unmap(pte_t *pml4, u64 va);

/* Returns the leaf entry for va if it holds a frame (present or PROT_NONE), else 0; *level gets
 * its level when level is not NULL. */
pte_t pgtable_lookup(pte_t *pml4, u64 va, int *level);

/* Frames currently used as page tables (below the PML4s), as Linux's NR_PAGETABLE. */
u64 pgtable_nr_tables(void);

/* The kernel's own page tables (shared by every address space's kernel half). */
extern pte_t *kernel_pml4;

/* Maps [va, va+size) to [pa, ...) in the kernel tables, using 2 MiB pages where both allow it. */
int kernel_map_range(u64 va, phys_addr_t pa, u64 size, u64 flags);

/*
 * Calls fn(va, entry, level, arg) for every present leaf mapping in [start, end) of the tables
 * rooted at pml4, in address order (end 0 means the top of the address space).
 */
void pgtable_for_each_leaf(pte_t *pml4, u64 start, u64 end,
			   void (*fn)(u64 va, pte_t entry, int level, void *arg), void *arg);

/*
 * Frees every page table of the user half (PML4 slots 0-255) and clears those slots. The frames
 * that leaves point at are not touched: their owner frees them. The caller flushes the TLB.
 */
void pgtable_free_user(pte_t *pml4);

/*
 * Frees the page tables of the user range [addr, end), from which every VMA and page is gone, as
 * Linux's free_pgd_range: a page table, page directory or PDPT goes only when the whole range it
 * covers lies inside [floor, ceiling) (the end of the VMA below and the start of the VMA above;
 * ceiling 0 is the top), so a neighbour's tables are never freed. Each freed table's entry is
 * cleared and its frame handed to release(table, arg), which must not free it before the TLB
 * flush that drops the cleared entries from the page-walk caches. The kernel half never goes.
 */
void pgtable_free_range(pte_t *pml4, u64 addr, u64 end, u64 floor, u64 ceiling,
			void (*release)(struct page *table, void *arg), void *arg);

#endif
