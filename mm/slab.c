// SPDX-License-Identifier: MIT
/* Slab caches and kmalloc. */
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/poison.h"
#include "kernel/panic.h"
#include "kernel/string.h"

#define KMALLOC_MIN_SHIFT 3
#define KMALLOC_MAX_SHIFT PAGE_SHIFT

static struct kmem_cache kmalloc_caches[KMALLOC_MAX_SHIFT + 1];
static const char *const kmalloc_names[KMALLOC_MAX_SHIFT + 1] = {
	[3] = "kmalloc-8",   [4] = "kmalloc-16",  [5] = "kmalloc-32",  [6] = "kmalloc-64",
	[7] = "kmalloc-128", [8] = "kmalloc-256", [9] = "kmalloc-512", [10] = "kmalloc-1k",
	[11] = "kmalloc-2k", [12] = "kmalloc-4k",
};
static struct kmem_cache cache_cache;
static struct kmem_cache *all_caches;

void kmem_cache_setup(struct kmem_cache *c, const char *name, size_t size, size_t align)
{
	if (!align)
		align = 8;
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->object_size = (u32)size;
	c->size = (u32)ALIGN_UP(max(size, sizeof(void *)), align);
	BUG_ON(c->size > PAGE_SIZE);
	c->objs_per_slab = PAGE_SIZE / c->size;
	c->next = all_caches;
	all_caches = c;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align)
{
	if (size == 0 || ALIGN_UP(max(size, sizeof(void *)), align ? align : 8) > PAGE_SIZE)
		return NULL;
	struct kmem_cache *c = kmem_cache_alloc(&cache_cache, GFP_KERNEL);
	if (c)
		kmem_cache_setup(c, name, size, align);
	return c;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	BUG_ON(c->nr_objects != 0);
	for (struct kmem_cache **pp = &all_caches; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	kmem_cache_free(&cache_cache, c);
}

static void partial_add(struct kmem_cache *c, struct page *slab)
{
	slab->slab_prev = NULL;
	slab->slab_next = c->partial;
	if (c->partial)
		c->partial->slab_prev = slab;
	c->partial = slab;
}

static void partial_remove(struct kmem_cache *c, struct page *slab)
{
	if (slab->slab_prev)
		slab->slab_prev->slab_next = slab->slab_next;
	else
		c->partial = slab->slab_next;
	if (slab->slab_next)
		slab->slab_next->slab_prev = slab->slab_prev;
	slab->slab_next = slab->slab_prev = NULL;
}

u64 nr_slab_pages;

/* Takes a fresh frame and threads all of its objects onto the slab's free list. */
static struct page *new_slab(struct kmem_cache *c)
{
	struct page *slab = alloc_page(GFP_KERNEL);

	if (!slab)
		return NULL;
	u8 *base = page_address(slab);
	slab->flags = PG_slab;
	slab->slab_cache = c;
	slab->inuse = 0;
	slab->freelist = NULL;
	for (u32 i = c->objs_per_slab; i-- > 0;) {
		void **obj = (void **)(base + (u64)i * c->size);
		*obj = slab->freelist;
		slab->freelist = obj;
	}
	c->nr_slabs++;
	nr_slab_pages++;
	return slab;
}

void *kmem_cache_alloc(struct kmem_cache *c, unsigned int gfp)
{
	u64 flags = spin_lock_irqsave(&c->lock);
	struct page *slab = c->partial;

	if (!slab) {
		slab = new_slab(c);
		if (!slab) {
			spin_unlock_irqrestore(&c->lock, flags);
			return NULL;
		}
		partial_add(c, slab);
	}
	void **obj = slab->freelist;
	slab->freelist = *obj;
	slab->inuse++;
	if (!slab->freelist)
		partial_remove(c, slab);
	c->nr_objects++;
	spin_unlock_irqrestore(&c->lock, flags);
	if (gfp & __GFP_ZERO)
		memset(obj, 0, c->object_size);
	else if (debug_poison) /* the free-list link and the previous owner's bytes */
		poison_fill(obj, c->object_size);
	return obj;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct page *slab = virt_to_page(obj);

	BUG_ON(!(slab->flags & PG_slab) || slab->slab_cache != c);
	u64 off = (uintptr_t)obj - (uintptr_t)page_address(slab);
	BUG_ON(off % c->size != 0 || off / c->size >= c->objs_per_slab);
	u64 flags = spin_lock_irqsave(&c->lock);
	bool was_full = slab->freelist == NULL;
	*(void **)obj = slab->freelist;
	slab->freelist = obj;
	slab->inuse--;
	c->nr_objects--;
	if (slab->inuse == 0) {
		if (!was_full)
			partial_remove(c, slab);
		slab->flags = 0;
		slab->slab_cache = NULL;
		c->nr_slabs--;
		nr_slab_pages--;
		free_page(slab);
	} else if (was_full) {
		partial_add(c, slab);
	}
	spin_unlock_irqrestore(&c->lock, flags);
}

void kmem_init(void)
{
	all_caches = NULL;
	kmem_cache_setup(&cache_cache, "kmem_cache", sizeof(struct kmem_cache), 0);
	for (int s = KMALLOC_MIN_SHIFT; s <= KMALLOC_MAX_SHIFT; s++)
		kmem_cache_setup(&kmalloc_caches[s], kmalloc_names[s], 1UL << s, 1UL << min(s, 4));
}

/* The kmalloc cache for a size: the smallest power of two that holds it. */
static struct kmem_cache *kmalloc_cache(size_t size)
{
	int s = KMALLOC_MIN_SHIFT;

	while ((1UL << s) < size)
		s++;
	return &kmalloc_caches[s];
}

void *kmalloc(size_t size, unsigned int gfp)
{
	if (size == 0)
		return NULL;
	if (size > PAGE_SIZE)
		return vmalloc(size, gfp);
	return kmem_cache_alloc(kmalloc_cache(size), gfp);
}

void kfree(const void *p)
{
	if (!p)
		return;
	if (is_vmalloc_addr(p)) {
		vfree(p);
		return;
	}
	struct page *slab = virt_to_page(p);
	kmem_cache_free(slab->slab_cache, (void *)p);
}

size_t ksize(const void *p)
{
	if (is_vmalloc_addr(p))
		return vmalloc_size(p);
	return virt_to_page(p)->slab_cache->size;
}
