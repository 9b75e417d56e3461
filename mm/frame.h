/* SPDX-License-Identifier: MIT */
/*
 * The physical frame allocator. Every 4 KiB frame of RAM has a struct page in mem_map, indexed by
 * frame number (pfn), as in Linux; free frames are chained through their struct page, so
 * allocation and freeing are O(1). struct page also carries the reference count that
 * copy-on-write will need and the slab allocator's bookkeeping for slab pages.
 */
#ifndef WARDEN_MM_FRAME_H
#define WARDEN_MM_FRAME_H

#include "mm/memory.h"

struct kmem_cache;

/* struct page flags */
#define PG_reserved 0x1 /* never handed out: firmware, kernel image, boot data, holes */
#define PG_free 0x2 /* on the free list */
#define PG_slab 0x4 /* owned by a slab cache */
/*
 * memory_failure poisoned the frame (Linux's PG_hwpoison): it is never handed out again (an
 * extra reference keeps it), and what maps or caches it gets SIGBUS or EIO instead of its data.
 */
#define PG_hwpoison 0x8

struct page {
	u32 flags;
	u32 refcount;
	union {
		struct page *next_free; /* PG_free */
		struct { /* PG_slab */
			struct kmem_cache *slab_cache;
			void *freelist;
			struct page *slab_next;
			struct page *slab_prev;
			u32 inuse;
		};
	};
};

/* gfp flags */
#define GFP_KERNEL 0x0
#define __GFP_ZERO 0x1
#define GFP_ZERO (GFP_KERNEL | __GFP_ZERO)

extern struct page *mem_map;
extern u64 max_pfn;

static inline u64 page_to_pfn(const struct page *p)
{
	return (u64)(p - mem_map);
}

static inline struct page *pfn_to_page(u64 pfn)
{
	return &mem_map[pfn];
}

static inline phys_addr_t page_to_phys(const struct page *p)
{
	return PFN_PHYS(page_to_pfn(p));
}

static inline struct page *phys_to_page(phys_addr_t pa)
{
	return pfn_to_page(PFN_DOWN(pa));
}

/* The direct-map address of a page's frame. */
static inline void *page_address(const struct page *p)
{
	return phys_to_virt(page_to_phys(p));
}

static inline struct page *virt_to_page(const void *v)
{
	return phys_to_page(virt_to_phys(v));
}

/*
 * Builds mem_map (allocated from memblock) for every frame up to the end of RAM, marks them all
 * reserved and then frees the frames memblock reports free. Call once, after every boot-time
 * reservation is in memblock.
 */
void frame_init(void);

/* Allocates one frame, zeroed with __GFP_ZERO; refcount 1. Returns NULL when memory runs out. */
struct page *alloc_page(unsigned int gfp);

/* Returns a frame to the free list. Freeing a frame that is free or reserved is a kernel bug. */
void free_page(struct page *page);

/*
 * The shared zero page: one reserved, zero-filled frame mapped read-only wherever anonymous
 * memory is first read, as Linux does; the first write replaces it with a private frame.
 */
extern struct page *zero_page;

/* Allocates the zero page (after frame_init). */
void zero_page_init(void);

static inline bool is_zero_page(const struct page *p)
{
	return p == zero_page;
}

static inline bool PageHWPoison(const struct page *p)
{
	return __atomic_load_n(&p->flags, __ATOMIC_RELAXED) & PG_hwpoison;
}

/* Takes another reference to a frame (a second mapping, the page cache). */
static inline void get_page(struct page *p)
{
	__atomic_add_fetch(&p->refcount, 1, __ATOMIC_RELAXED);
}

/* Drops a reference; the last one frees the frame. Reserved frames (the zero page) stay. */
void put_page(struct page *p);

/*
 * Drops a reference without freeing: true when it was the last one, and the caller must free the
 * frame (free_page) itself. The mmu_gather uses it to free frames only after the TLB flush.
 */
bool put_page_testzero(struct page *p);

/* Allocates a frame and returns its direct-map address (NULL when memory runs out). */
void *get_free_page(unsigned int gfp);

/* Frees a frame given by its direct-map address. */
void free_page_addr(void *addr);

/* Number of free frames, and of frames the allocator manages (free or in use). */
u64 nr_free_frames(void);
u64 nr_managed_frames(void);

/* True if the frame is on the free list (for tests and assertions). */
bool frame_is_free(u64 pfn);

#endif
