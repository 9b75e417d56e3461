/* SPDX-License-Identifier: MIT */
/*
 * The kernel object allocator. A kmem_cache hands out objects of one size from slabs: single
 * frames cut into equal objects, with the free objects chained through their first word and the
 * slab's bookkeeping in its struct page (so kfree finds the cache from the address alone). A slab
 * that becomes empty goes back to the frame allocator at once. kmalloc() serves sizes up to a
 * page from power-of-two caches and anything larger from vmalloc().
 */
#ifndef WARDEN_MM_SLAB_H
#define WARDEN_MM_SLAB_H

#include "mm/frame.h"
#include "kernel/spinlock.h"

struct kmem_cache {
	const char *name;
	u32 object_size; /* what the caller asked for */
	u32 size; /* object stride in the slab */
	u32 objs_per_slab;
	struct page *partial; /* slabs with at least one free object */
	u64 nr_slabs;
	u64 nr_objects; /* allocated now */
	spinlock_t lock;
	struct kmem_cache *next; /* in the list of all caches */
};

/* Sets up a cache the caller owns (static caches). align is a power of two, or 0 for 8. */
void kmem_cache_setup(struct kmem_cache *c, const char *name, size_t size, size_t align);

/* Creates a cache in kernel memory; NULL if memory is short or size is above a page. */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align);

/* Frees a cache that has no objects left allocated. */
void kmem_cache_destroy(struct kmem_cache *c);

void *kmem_cache_alloc(struct kmem_cache *c, unsigned int gfp);
void kmem_cache_free(struct kmem_cache *c, void *obj);

/* Frames held by every cache's slabs (Linux's NR_SLAB_UNRECLAIMABLE_B): /proc/meminfo's Slab. */
extern u64 nr_slab_pages;

/* Sets up the kmalloc caches. */
void kmem_init(void);

/* Allocates size bytes (NULL for 0 or when memory runs out); __GFP_ZERO zeroes them. */
void *kmalloc(size_t size, unsigned int gfp);
static inline void *kzalloc(size_t size, unsigned int gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/* Frees memory from kmalloc(); NULL is ignored. */
void kfree(const void *p);

/* The usable size of a kmalloc() block. */
size_t ksize(const void *p);

#endif
