// SPDX-License-Identifier: MIT
/* Page-table walking, mapping and unmapping for x86-64 4-level paging. */
#include "arch/x86_64/pgtable.h"
#include "mm/frame.h"
#include "kernel/errno.h"
#include "kernel/printk.h"

u64 __supported_pte_mask_nx;
pte_t *kernel_pml4;
static u64 nr_table_frames;

u64 pgtable_nr_tables(void)
{
	return READ_ONCE(nr_table_frames);
}

/* The flags of a new intermediate entry: user-accessible only in the user half. */
static u64 table_flags(u64 va)
{
	return _PAGE_PRESENT | _PAGE_RW | (va < USER_TOP ? _PAGE_USER : 0);
}

void pgtable_populate(pte_t *entry, struct page *table, u64 va)
{
	__atomic_add_fetch(&nr_table_frames, 1, __ATOMIC_RELAXED);
	/* Release: a CPU that walks through the entry without a lock sees the zeroed table. */
	__atomic_store_n(entry, page_to_phys(table) | table_flags(va), __ATOMIC_RELEASE);
}

pte_t *pgtable_walk(pte_t *pml4, u64 va, int want, bool alloc, int *level)
{
	pte_t *table = pml4;

	for (int lvl = 4;; lvl--) {
		pte_t *e = &table[pgtable_index(va, lvl)];
		if (lvl == want ||
		    (lvl > PG_LEVEL_4K && (*e & _PAGE_PRESENT) && (*e & _PAGE_PSE))) {
			if (level)
				*level = lvl;
			return e;
		}
		if (!(*e & _PAGE_PRESENT)) {
			if (!alloc) {
				if (level)
					*level = lvl;
				return NULL;
			}
			struct page *pg = alloc_page(GFP_ZERO);
			if (!pg)
				return NULL;
			pgtable_populate(e, pg, va);
		}
		table = phys_to_virt(*e & PTE_ADDR_MASK);
	}
}

pte_t *pgtable_walk_range(pte_t *pml4, u64 va, u64 end, u64 *next)
{
	int level;
	pte_t *e = pgtable_walk(pml4, va, PG_LEVEL_4K, false, &level);

	if (e && level == PG_LEVEL_4K) {
		*next = va + PAGE_SIZE;
		return e;
	}
	u64 size = pgtable_level_size(level);
	u64 skip = ALIGN_DOWN(va, size) + size;
	*next = skip > va && skip < end ? skip : end;
	return NULL;
}

pte_t *pgtable_pte_run(pte_t *pml4, u64 va, u64 end, u64 *run_end)
{
	int level;
	pte_t *e = pgtable_walk(pml4, va, PG_LEVEL_4K, false, &level);

	if (e && level == PG_LEVEL_4K) {
		u64 pt_end = ALIGN_DOWN(va, SZ_2M) + SZ_2M; /* where this page table's range ends */
		*run_end = pt_end > va && pt_end < end ? pt_end : end;
		return e;
	}
	u64 size = pgtable_level_size(level);
	u64 skip = ALIGN_DOWN(va, size) + size;
	*run_end = skip > va && skip < end ? skip : end;
	return NULL;
}

int pgtable_map(pte_t *pml4, u64 va, phys_addr_t pa, u64 flags, int level)
{
	int got;
	pte_t *e = pgtable_walk(pml4, va, level, true, &got);

	if (!e || got != level)
		return -ENOMEM;
	*e = (pa & PTE_ADDR_MASK) | flags | (level > 1 ? _PAGE_PSE : 0);
	return 0;
}

pte_t pgtable_unmap(pte_t *pml4, u64 va)
{
	int lvl;
	pte_t *e = pgtable_walk(pml4, va, PG_LEVEL_4K, false, &lvl);

	if (!e || lvl != PG_LEVEL_4K)
		return 0;
	pte_t old = *e;
	*e = 0;
	return old;
}

pte_t pgtable_lookup(pte_t *pml4, u64 va, int *level)
{
	int lvl;
	pte_t *e = pgtable_walk(pml4, va, PG_LEVEL_4K, false, &lvl);

	if (level)
		*level = lvl;
	return (e && pte_has_frame(*e)) ? *e : 0;
}

int kernel_map_range(u64 va, phys_addr_t pa, u64 size, u64 flags)
{
	u64 end = va + size;

	while (va < end) {
		int level = PG_LEVEL_4K;
		if (IS_ALIGNED(va, SZ_2M) && IS_ALIGNED(pa, SZ_2M) && end - va >= SZ_2M)
			level = PG_LEVEL_2M;
		int err = pgtable_map(kernel_pml4, va, pa, flags, level);
		if (err)
			return err;
		va += pgtable_level_size(level);
		pa += pgtable_level_size(level);
	}
	return 0;
}

/* Sign-extends a 48-bit address to its canonical form. */
static u64 canonical(u64 va)
{
	return (u64)((s64)(va << 16) >> 16);
}

/* Visits the present leaves of one table at the given level that overlap [start, end]. */
static void walk_leaves(pte_t *table, int level, u64 base, u64 start, u64 last,
			void (*fn)(u64, pte_t, int, void *), void *arg)
{
	u64 size = pgtable_level_size(level);

	for (int i = 0; i < 512; i++) {
		u64 va = canonical(base + (u64)i * size);
		if (va + (size - 1) < start || va > last || !(table[i] & _PAGE_PRESENT))
			continue;
		if (level == PG_LEVEL_4K || (table[i] & _PAGE_PSE))
			fn(va, table[i], level, arg);
		else
			walk_leaves(phys_to_virt(table[i] & PTE_ADDR_MASK), level - 1,
				    base + (u64)i * size, start, last, fn, arg);
	}
}

void pgtable_for_each_leaf(pte_t *pml4, u64 start, u64 end,
			   void (*fn)(u64 va, pte_t entry, int level, void *arg), void *arg)
{
	walk_leaves(pml4, 4, 0, start, end ? end - 1 : ~0UL, fn, arg);
}

/* Frees a table and, below the PML4, every table it points to (never leaf frames). */
static void free_table_tree(pte_t *table, int level)
{
	for (int i = 0; level > PG_LEVEL_4K && i < 512; i++)
		if ((table[i] & _PAGE_PRESENT) && !(table[i] & _PAGE_PSE))
			free_table_tree(phys_to_virt(table[i] & PTE_ADDR_MASK), level - 1);
	free_page_addr(table);
	__atomic_sub_fetch(&nr_table_frames, 1, __ATOMIC_RELAXED);
}

void pgtable_free_user(pte_t *pml4)
{
	for (int i = 0; i < 256; i++) {
		if (pml4[i] & _PAGE_PRESENT)
			free_table_tree(phys_to_virt(pml4[i] & PTE_ADDR_MASK), 3);
		pml4[i] = 0;
	}
}

/*
 * Freeing the page tables of an unmapped user range (Linux's free_pgd_range). A table is freed
 * only when the whole range it covers lies inside [floor, ceiling), the free space around the
 * range that no VMA uses (ceiling 0: the top of the address space). The entry pointing to it is
 * cleared here; the frame goes to ctl->release, which must flush the TLB (and the page-walk
 * caches, which may still hold the cleared entry) before the frame can be reused.
 */
struct free_ctl {
	u64 floor, ceiling;
	void (*release)(struct page *table, void *arg);
	void *arg;
};

/* The end of the level-sized block holding addr, capped at end (which may be 0: the top). */
static u64 block_end(u64 addr, u64 end, int level)
{
	u64 next = ALIGN_DOWN(addr, pgtable_level_size(level)) + pgtable_level_size(level);

	return next - 1 < end - 1 ? next : end;
}

/* Clears *entry and hands the table it pointed to over for freeing. */
static void release_table(pte_t *entry, struct free_ctl *ctl)
{
	struct page *pg = phys_to_page(*entry & PTE_ADDR_MASK);

	*entry = 0;
	__atomic_sub_fetch(&nr_table_frames, 1, __ATOMIC_RELAXED);
	ctl->release(pg, ctl->arg);
}

/*
 * May the table at level covering addr go? Only if the block the entry above maps (one level
 * up) lies inside [floor, ceiling): start and end are the part of the walk inside that block.
 */
static bool block_is_free(u64 start, u64 end, int level, const struct free_ctl *ctl)
{
	u64 mask = ~(pgtable_level_size(level + 1) - 1), ceiling = ctl->ceiling;

	start &= mask;
	if (start < ctl->floor)
		return false;
	if (ceiling) {
		ceiling &= mask;
		if (!ceiling)
			return false;
	}
	return end - 1 <= ceiling - 1;
}

/*
 * Frees the tables at level-1 and below under the entries of table (a table at level) that
 * cover [addr, end), then the table itself (through *entry) when its whole block is free.
 */
static void free_level_range(pte_t *entry, int level, u64 addr, u64 end, struct free_ctl *ctl)
{
	pte_t *table = phys_to_virt(*entry & PTE_ADDR_MASK);
	u64 start = addr, next;

	if (level > PG_LEVEL_4K) {
		do {
			next = block_end(addr, end, level);
			pte_t *e = &table[pgtable_index(addr, level)];
			if ((*e & _PAGE_PRESENT) && !(*e & _PAGE_PSE))
				free_level_range(e, level - 1, addr, next, ctl);
		} while ((addr = next) != end);
	} else {
		/* No VMA covers this page table: an entry left in it would be a lost frame. */
		for (int i = 0; i < 512; i++)
			if (pte_has_frame(table[i])) {
				printk(KERN_ERR
				       "pgtable: freeing a page table with a PTE at %#llx\n",
				       (unsigned long long)(ALIGN_DOWN(start, SZ_2M) +
							    i * PAGE_SIZE));
				put_page(phys_to_page(table[i] & PTE_ADDR_MASK));
			}
	}
	if (block_is_free(start, end, level, ctl))
		release_table(entry, ctl);
}

void pgtable_free_range(pte_t *pml4, u64 addr, u64 end, u64 floor, u64 ceiling,
			void (*release)(struct page *table, void *arg), void *arg)
{
	struct free_ctl ctl = { floor, ceiling, release, arg };
	u64 next;

	/* Page tables first: only 2 MiB blocks wholly inside [floor, ceiling). */
	addr = ALIGN_DOWN(addr, SZ_2M);
	if (addr < floor) {
		addr += SZ_2M;
		if (!addr)
			return;
	}
	if (ceiling) {
		ceiling = ALIGN_DOWN(ceiling, SZ_2M);
		if (!ceiling)
			return;
	}
	if (end - 1 > ceiling - 1)
		end -= SZ_2M;
	if (addr > end - 1 || end > USER_TOP || addr >= USER_TOP)
		return; /* the kernel half (PML4 slots 256-511) is shared by every mm: never freed
			 */
	do {
		next = block_end(addr, end, 4);
		pte_t *e = &pml4[pgtable_index(addr, 4)];
		if (*e & _PAGE_PRESENT)
			free_level_range(e, 3, addr, next, &ctl);
	} while ((addr = next) != end);
}
