// SPDX-License-Identifier: MIT
/* vmalloc: a sorted list of areas in [VMALLOC_START, VMALLOC_END), each with a guard page. */
#include "mm/vmalloc.h"
#include "mm/frame.h"
#include "mm/slab.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlb.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"

struct vm_area {
	u64 addr; /* the guard page; the mapping starts one page above */
	u64 npages;
	struct vm_area *next;
};

static struct vm_area *areas; /* sorted by address */
/* Protects the areas list (every read and change of it) and vmalloc_nr_pages, taken with
 * interrupts off. */
static spinlock_t vmalloc_lock = SPINLOCK_INIT;
u64 vmalloc_nr_pages; /* under vmalloc_lock */

/* Finds the lowest gap of span bytes and links a new area into it; caller holds the lock. */
static u64 insert_area(struct vm_area *a, u64 span)
{
	u64 cur = VMALLOC_START;
	struct vm_area **pp = &areas;

	for (; *pp; pp = &(*pp)->next) {
		if ((*pp)->addr - cur >= span)
			break;
		cur = (*pp)->addr + ((*pp)->npages + 1) * PAGE_SIZE;
	}
	if (VMALLOC_END - cur < span)
		return 0;
	a->addr = cur;
	a->next = *pp;
	*pp = a;
	return cur;
}

/* Unlinks the area whose mapping starts at addr and returns it (NULL if there is none). */
static struct vm_area *remove_area(u64 addr)
{
	for (struct vm_area **pp = &areas; *pp; pp = &(*pp)->next) {
		if ((*pp)->addr + PAGE_SIZE == addr) {
			struct vm_area *a = *pp;
			*pp = a->next;
			return a;
		}
	}
	return NULL;
}

/* Frames unmapped, flushed on every CPU, then freed, this many at a time. */
#define VUNMAP_BATCH 32

/*
 * Unmaps the first n pages of an area and frees their frames. A frame is freed only after every
 * CPU dropped its translation (flush_tlb_kernel_range waits for all of them): kernel PTEs are
 * global, and a CPU still caching one would write into the frame's next owner.
 */
static void unmap_pages(u64 start, u64 n)
{
	struct page *batch[VUNMAP_BATCH];

	for (u64 done = 0; done < n;) {
		u64 chunk = min(n - done, (u64)VUNMAP_BATCH), from = start + done * PAGE_SIZE;
		unsigned int k = 0;

		for (u64 i = 0; i < chunk; i++) {
			pte_t old = pgtable_unmap(kernel_pml4, from + i * PAGE_SIZE);
			if (old & _PAGE_PRESENT)
				batch[k++] = phys_to_page(old & PTE_ADDR_MASK);
		}
		flush_tlb_kernel_range(from, from + chunk * PAGE_SIZE);
		while (k)
			free_page(batch[--k]);
		done += chunk;
	}
}

void *vmalloc(size_t size, unsigned int gfp)
{
	u64 npages = PFN_UP(size);
	struct vm_area *a = kmalloc(sizeof(*a), GFP_KERNEL);

	if (!npages || !a) {
		kfree(a);
		return NULL;
	}
	a->npages = npages;
	u64 flags = spin_lock_irqsave(&vmalloc_lock);
	u64 base = insert_area(a, (npages + 1) * PAGE_SIZE);
	spin_unlock_irqrestore(&vmalloc_lock, flags);
	if (!base) {
		kfree(a);
		return NULL;
	}
	u64 start = base + PAGE_SIZE;
	for (u64 i = 0; i < npages; i++) {
		struct page *pg = alloc_page(gfp);
		if (!pg || pgtable_map(kernel_pml4, start + i * PAGE_SIZE, page_to_phys(pg),
				       PAGE_KERNEL, PG_LEVEL_4K)) {
			if (pg)
				free_page(pg);
			unmap_pages(start, i);
			flags = spin_lock_irqsave(&vmalloc_lock);
			remove_area(start);
			spin_unlock_irqrestore(&vmalloc_lock, flags);
			kfree(a);
			return NULL;
		}
	}
	flags = spin_lock_irqsave(&vmalloc_lock);
	vmalloc_nr_pages += npages;
	spin_unlock_irqrestore(&vmalloc_lock, flags);
	return (void *)start;
}

void vfree(const void *addr)
{
	if (!addr)
		return;
	u64 flags = spin_lock_irqsave(&vmalloc_lock);
	struct vm_area *a = remove_area((u64)addr);
	if (a)
		vmalloc_nr_pages -= a->npages;
	spin_unlock_irqrestore(&vmalloc_lock, flags);
	if (!a)
		panic("vfree: %p is not the start of a vmalloc area", addr);
	unmap_pages((u64)addr, a->npages);
	kfree(a);
}

size_t vmalloc_size(const void *addr)
{
	u64 flags = spin_lock_irqsave(&vmalloc_lock);
	size_t size = 0;

	for (struct vm_area *a = areas; a; a = a->next) {
		if (a->addr + PAGE_SIZE == (u64)addr) {
			size = a->npages * PAGE_SIZE;
			break;
		}
	}
	spin_unlock_irqrestore(&vmalloc_lock, flags);
	return size;
}

/*
 * The panic report asks this (a fault in a guard page is a stack overflow): the CPU that faulted
 * may be the one holding the lock, so it is tried for a bounded time and the list is then read
 * without it (a report, not a decision anything depends on).
 */
bool vmalloc_in_guard(u64 addr, u64 *area_start)
{
	u64 flags;
	bool locked = false, found = false;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	for (int tries = 0; tries < 1000000 && !(locked = spin_trylock(&vmalloc_lock)); tries++)
		__asm__ __volatile__("pause" ::: "memory");
	for (struct vm_area *a = areas; a; a = a->next) {
		if (addr >= a->addr && addr < a->addr + PAGE_SIZE) {
			if (area_start)
				*area_start = a->addr + PAGE_SIZE;
			found = true;
			break;
		}
	}
	if (locked)
		spin_unlock(&vmalloc_lock);
	if (flags & (1UL << 9))
		__asm__ __volatile__("sti" ::: "memory");
	return found;
}
