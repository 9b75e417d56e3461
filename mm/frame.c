// SPDX-License-Identifier: MIT
/* Physical frame allocator: struct page array plus an O(1) free list. */
#include "mm/frame.h"
#include "mm/memblock.h"
#include "mm/poison.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

struct page *mem_map;
u64 max_pfn;

static struct page *free_list, *free_tail;
static u64 nr_free, nr_managed;
static spinlock_t frame_lock = SPINLOCK_INIT;

/* Puts a page on the free list; the caller holds frame_lock. */
static void push_free(struct page *p)
{
	p->flags = PG_free;
	p->refcount = 0;
	p->next_free = free_list;
	free_list = p;
	nr_free++;
}

/*
 * Appends every whole frame of [start, end) to the free list. Ranges come in ascending order,
 * so the lowest frames are handed out first: the page tables paging_init() allocates must lie
 * in the first GiB, which the boot page tables map.
 */
static void free_range(phys_addr_t start, phys_addr_t end, void *arg)
{
	(void)arg;
	for (u64 pfn = PFN_UP(start); pfn < PFN_DOWN(end); pfn++) {
		struct page *p = pfn_to_page(pfn);
		p->flags = PG_free;
		p->refcount = 0;
		p->next_free = NULL;
		if (free_tail)
			free_tail->next_free = p;
		else
			free_list = p;
		free_tail = p;
		nr_free++;
		nr_managed++;
	}
}

void frame_init(void)
{
	max_pfn = PFN_DOWN(memblock_end_of_ram());
	u64 bytes = ALIGN_UP(max_pfn * sizeof(struct page), PAGE_SIZE);
	/* The boot page tables map the first 1 GiB; mem_map must be reachable through them. */
	phys_addr_t pa = memblock_alloc(bytes, PAGE_SIZE, SZ_1G);

	if (!pa)
		panic("frame_init: no memory for mem_map (%llu frames)",
		      (unsigned long long)max_pfn);
	mem_map = phys_to_virt(pa);
	for (u64 pfn = 0; pfn < max_pfn; pfn++)
		mem_map[pfn] = (struct page){ .flags = PG_reserved, .refcount = 1 };
	free_list = free_tail = NULL;
	nr_free = nr_managed = 0;
	memblock_for_each_free(free_range, NULL);
}

struct page *alloc_page(unsigned int gfp)
{
	u64 flags = spin_lock_irqsave(&frame_lock);
	struct page *p = free_list;

	if (p) {
		free_list = p->next_free;
		nr_free--;
		p->flags = 0;
		p->refcount = 1;
		p->next_free = NULL;
	}
	spin_unlock_irqrestore(&frame_lock, flags);
	if (p && (gfp & __GFP_ZERO))
		memset(page_address(p), 0, PAGE_SIZE);
	else if (p && debug_poison) /* what the caller does not write must not reach user space */
		poison_fill(page_address(p), PAGE_SIZE);
	return p;
}

void free_page(struct page *p)
{
	if (p->flags & (PG_free | PG_reserved))
		panic("free_page: frame %#llx is %s", (unsigned long long)page_to_phys(p),
		      (p->flags & PG_free) ? "already free" : "reserved");
	u64 flags = spin_lock_irqsave(&frame_lock);
	push_free(p);
	spin_unlock_irqrestore(&frame_lock, flags);
}

struct page *zero_page;

void zero_page_init(void)
{
	zero_page = alloc_page(GFP_ZERO);
	if (!zero_page)
		panic("zero_page_init: out of memory");
	zero_page->flags |= PG_reserved;
}

bool put_page_testzero(struct page *p)
{
	if (p->flags & PG_reserved)
		return false; /* never freed: the zero page */
	return __atomic_sub_fetch(&p->refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

void put_page(struct page *p)
{
	if (put_page_testzero(p))
		free_page(p);
}

void *get_free_page(unsigned int gfp)
{
	struct page *p = alloc_page(gfp);

	return p ? page_address(p) : NULL;
}

void free_page_addr(void *addr)
{
	free_page(virt_to_page(addr));
}

u64 nr_free_frames(void)
{
	return READ_ONCE(nr_free);
}

u64 nr_managed_frames(void)
{
	return nr_managed;
}

bool frame_is_free(u64 pfn)
{
	return pfn < max_pfn && (mem_map[pfn].flags & PG_free);
}
