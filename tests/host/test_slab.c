// SPDX-License-Identifier: MIT
/*
 * mm/slab.c on the frame allocator over fake RAM: kmalloc size classes and alignment, object
 * caches, slabs going back to the frame allocator, the panics on bad frees, and random workloads
 * with every live object stamped and verified.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "mm/frame.h"
#include "mm/memblock.h"
#include "mm/slab.h"

#define RAM_SIZE (8UL << 20)

/* Fresh memblock, frame allocator and kmalloc caches over fake RAM; returns the free frames. */
static u64 boot_slab(void)
{
	host_ram_init(RAM_SIZE);
	memblock_reset();
	memblock_add(0, RAM_SIZE);
	memblock_reserve(0, 0x200000);
	frame_init();
	kmem_init();
	return nr_free_frames();
}

/* The kmalloc class for a size: the smallest power of two from 8 that holds it. */
static size_t kmalloc_class(size_t size)
{
	size_t c = 8;

	while (c < size)
		c <<= 1;
	return c;
}

/* Fills n bytes with a pattern that depends on the seed and on each byte's offset. */
static void fill(void *p, size_t n, u64 seed)
{
	u8 *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = (u8)(seed * 131 + i * 7 + (i >> 8));
}

/* True if n bytes still hold the pattern fill() wrote with the seed. */
static bool filled(const void *p, size_t n, u64 seed)
{
	const u8 *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != (u8)(seed * 131 + i * 7 + (i >> 8)))
			return false;
	return true;
}

/* True if n bytes are all c. */
static bool all_bytes(const void *p, size_t n, u8 c)
{
	const u8 *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != c)
			return false;
	return true;
}

/* True if p lies in fake RAM, in a frame the slab allocator owns. */
static bool in_slab(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	if (a < page_offset_base || a >= page_offset_base + RAM_SIZE)
		return false;
	return virt_to_page(p)->flags & PG_slab;
}

/* Every size up to a page: the right class, aligned, inside one slab frame, writable. */
HOST_TEST(slab_kmalloc_sizes)
{
	u64 before = boot_slab();

	for (size_t size = 1; size <= PAGE_SIZE; size++) {
		u8 *p = kmalloc(size, GFP_KERNEL);
		size_t cls = kmalloc_class(size);
		CHECK_MSG(p != NULL, "kmalloc(%zu)", size);
		CHECK_MSG(ksize(p) == cls, "ksize(kmalloc(%zu)) = %zu", size, ksize(p));
		CHECK_MSG((uintptr_t)p % 8 == 0, "kmalloc(%zu) = %p", size, (void *)p);
		CHECK_MSG((uintptr_t)p % min(cls, (size_t)16) == 0, "kmalloc(%zu) = %p", size,
			  (void *)p);
		CHECK(in_slab(p));
		CHECK(virt_to_page(p) == virt_to_page(p + cls - 1));
		fill(p, cls, size);
		CHECK(filled(p, cls, size));
		kfree(p);
	}
	CHECK_EQ(nr_free_frames(), before);
}

/* ksize() is the power-of-two class around the boundaries of each class. */
HOST_TEST(slab_ksize_classes)
{
	static const size_t cases[][2] = {
		{ 1, 8 },	{ 7, 8 },	{ 8, 8 },	{ 9, 16 },	{ 16, 16 },
		{ 17, 32 },	{ 33, 64 },	{ 64, 64 },	{ 65, 128 },	{ 100, 128 },
		{ 255, 256 },	{ 257, 512 },	{ 512, 512 },	{ 1000, 1024 }, { 1025, 2048 },
		{ 2048, 2048 }, { 2049, 4096 }, { 4095, 4096 }, { 4096, 4096 },
	};
	void *p[ARRAY_SIZE(cases)];
	u64 before = boot_slab();

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		p[i] = kmalloc(cases[i][0], GFP_KERNEL);
		CHECK(p[i] != NULL);
		CHECK_MSG(ksize(p[i]) == cases[i][1], "ksize(kmalloc(%zu)) = %zu", cases[i][0],
			  ksize(p[i]));
	}
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		kfree(p[i]);
	CHECK_EQ(nr_free_frames(), before);
}

/* kmalloc(0) is NULL and kfree(NULL) does nothing. */
HOST_TEST(slab_kmalloc_zero_and_null)
{
	u64 before = boot_slab();

	CHECK(kmalloc(0, GFP_KERNEL) == NULL);
	CHECK(kzalloc(0, GFP_KERNEL) == NULL);
	kfree(NULL);
	CHECK_EQ(nr_free_frames(), before);
}

/* Above a page kmalloc() goes to vmalloc(), which the host shim turns into a panic. */
HOST_TEST(slab_kmalloc_large_uses_vmalloc)
{
	boot_slab();
	CHECK_PANICS(kmalloc(PAGE_SIZE + 1, GFP_KERNEL), "vmalloc(4097");
	CHECK_PANICS(kzalloc(1 << 20, GFP_KERNEL), "vmalloc(1048576");
}

/* Objects of one class fill slabs exactly: N objects take N / per-slab frames, all returned. */
HOST_TEST(slab_frames_come_back)
{
	static void *objs[64 * 10 + 1];
	u64 before = boot_slab();

	for (size_t i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = kmalloc(64, GFP_KERNEL);
		CHECK(objs[i] != NULL);
	}
	CHECK_EQ(nr_free_frames(), before - 11);
	/* Freeing all but one object of the last slab keeps its frame. */
	kfree(objs[ARRAY_SIZE(objs) - 1]);
	CHECK_EQ(nr_free_frames(), before - 10);
	for (size_t i = 0; i < 64 * 10; i++)
		kfree(objs[i]);
	CHECK_EQ(nr_free_frames(), before);

	/* One page-sized object per slab. */
	for (int i = 0; i < 5; i++)
		CHECK((objs[i] = kmalloc(PAGE_SIZE, GFP_KERNEL)) != NULL);
	CHECK_EQ(nr_free_frames(), before - 5);
	for (int i = 0; i < 5; i++)
		kfree(objs[i]);
	CHECK_EQ(nr_free_frames(), before);
}

/* kzalloc and __GFP_ZERO give zeroed memory, fresh from a slab or reused after a free. */
HOST_TEST(slab_kzalloc_zeroes)
{
	static void *objs[200];
	u64 before = boot_slab();

	for (size_t size = 8; size <= PAGE_SIZE; size *= 2) {
		/* A new slab, in a frame that holds junk (0xa5, or what the last size left). */
		u8 *p = kzalloc(size, GFP_KERNEL);
		CHECK(p != NULL);
		CHECK_MSG(all_bytes(p, size, 0), "kzalloc(%zu)", size);
		kfree(p);

		/* Dirty objects, free them, and take them back zeroed. */
		size_t n = ARRAY_SIZE(objs);
		for (size_t i = 0; i < n; i++)
			memset(objs[i] = kmalloc(size, GFP_KERNEL), 0xff, size);
		/* Keep one so the slabs stay and the same objects come back. */
		for (size_t i = 1; i < n; i++)
			kfree(objs[i]);
		for (size_t i = 1; i < n; i++) {
			objs[i] = kmalloc(size, GFP_ZERO);
			CHECK_MSG(all_bytes(objs[i], size, 0), "kmalloc(%zu, GFP_ZERO)", size);
		}
		for (size_t i = 0; i < n; i++)
			kfree(objs[i]);
	}
	CHECK_EQ(nr_free_frames(), before);
}

/* Live objects of every size never overlap, and each keeps what was written into it. */
HOST_TEST(slab_no_overlap)
{
	enum { N = 3000 };
	static u8 *objs[N];
	static size_t sizes[N];
	static bool used[RAM_SIZE / 8]; /* each 8-byte word of RAM that a live object covers */
	uint64_t rng = 0x51ab;
	u64 before = boot_slab();

	memset(used, 0, sizeof(used));
	for (int i = 0; i < N; i++) {
		/* Mostly small objects, some large. */
		size_t size = host_random(&rng) % 8 ? host_random(&rng) % 256 + 1
						    : host_random(&rng) % PAGE_SIZE + 1;
		objs[i] = kmalloc(size, GFP_KERNEL);
		CHECK(objs[i] != NULL);
		sizes[i] = size;
		size_t off = (uintptr_t)objs[i] - page_offset_base;
		for (size_t w = off / 8; w < (off + ksize(objs[i])) / 8; w++) {
			CHECK_MSG(!used[w], "object %d overlaps an earlier one at %#zx", i, w * 8);
			used[w] = true;
		}
		fill(objs[i], size, (u64)i);
	}
	for (int i = 0; i < N; i++)
		CHECK_MSG(filled(objs[i], sizes[i], (u64)i), "object %d was overwritten", i);
	for (int i = 0; i < N; i += 2)
		kfree(objs[i]);
	for (int i = 1; i < N; i += 2)
		CHECK_MSG(filled(objs[i], sizes[i], (u64)i), "object %d was overwritten", i);
	for (int i = 1; i < N; i += 2)
		kfree(objs[i]);
	CHECK_EQ(nr_free_frames(), before);
}

/* A created cache: its geometry, its counters, and its memory coming back on destroy. */
HOST_TEST(slab_cache_create)
{
	u64 before = boot_slab();
	struct kmem_cache *c = kmem_cache_create("test24", 24, 0);

	CHECK(c != NULL);
	CHECK_STR_EQ(c->name, "test24");
	CHECK_EQ(c->object_size, 24);
	CHECK_EQ(c->size, 24);
	CHECK_EQ(c->objs_per_slab, PAGE_SIZE / 24);
	CHECK_EQ(c->nr_slabs, 0);
	CHECK_EQ(c->nr_objects, 0);
	CHECK_EQ(nr_free_frames(), before - 1); /* the slab that holds the cache itself */

	u8 *a = kmem_cache_alloc(c, GFP_KERNEL), *b = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(a != NULL && b != NULL && a != b);
	CHECK_EQ(c->nr_objects, 2);
	CHECK_EQ(c->nr_slabs, 1);
	CHECK(virt_to_page(a)->slab_cache == c);
	CHECK(virt_to_page(a)->flags & PG_slab);
	CHECK_EQ(virt_to_page(a)->inuse, 2);
	CHECK((a > b ? a - b : b - a) >= 24);
	CHECK_EQ((uintptr_t)a % 8, 0);
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	CHECK_EQ(c->nr_objects, 0);
	CHECK_EQ(c->nr_slabs, 0);
	CHECK_EQ(nr_free_frames(), before - 1);
	kmem_cache_destroy(c);
	CHECK_EQ(nr_free_frames(), before);

	/* Sizes the slab allocator cannot serve. */
	CHECK(kmem_cache_create("zero", 0, 0) == NULL);
	CHECK(kmem_cache_create("big", PAGE_SIZE + 1, 0) == NULL);
	CHECK_EQ(nr_free_frames(), before);

	/* Tiny objects still hold the free-list pointer; a page-sized one fills its slab. */
	struct kmem_cache *t = kmem_cache_create("tiny", 1, 0);
	struct kmem_cache *p = kmem_cache_create("page", PAGE_SIZE, 0);
	CHECK(t != NULL && p != NULL);
	CHECK_EQ(t->size, 8);
	CHECK_EQ(t->objs_per_slab, PAGE_SIZE / 8);
	CHECK_EQ(p->size, PAGE_SIZE);
	CHECK_EQ(p->objs_per_slab, 1);
	kmem_cache_destroy(t);
	kmem_cache_destroy(p);
	CHECK_EQ(nr_free_frames(), before);
}

/* A cache's alignment rounds its stride up and aligns every object. */
HOST_TEST(slab_cache_alignment)
{
	static const size_t aligns[] = { 8, 16, 32, 64, 128, 256, 1024, 4096 };
	u64 before = boot_slab();

	for (size_t i = 0; i < ARRAY_SIZE(aligns); i++) {
		struct kmem_cache *c = kmem_cache_create("aligned", 24, aligns[i]);
		void *o[40];
		CHECK(c != NULL);
		CHECK_EQ(c->size, ALIGN_UP((size_t)24, aligns[i]));
		for (int j = 0; j < 40; j++) {
			o[j] = kmem_cache_alloc(c, GFP_KERNEL);
			CHECK(o[j] != NULL);
			CHECK_MSG((uintptr_t)o[j] % aligns[i] == 0, "align %zu: %p", aligns[i],
				  o[j]);
		}
		for (int j = 0; j < 40; j++)
			kmem_cache_free(c, o[j]);
		kmem_cache_destroy(c);
	}
	CHECK_EQ(nr_free_frames(), before);
}

/* A cache the caller owns, set up with kmem_cache_setup(). */
HOST_TEST(slab_cache_setup_static)
{
	static struct kmem_cache c;
	u64 before = boot_slab();

	kmem_cache_setup(&c, "static", 40, 32);
	CHECK_EQ(c.object_size, 40);
	CHECK_EQ(c.size, 64);
	CHECK_EQ(c.objs_per_slab, 64);
	CHECK_EQ(nr_free_frames(), before);
	void *o = kmem_cache_alloc(&c, GFP_ZERO);
	CHECK(o != NULL);
	CHECK(all_bytes(o, 40, 0));
	CHECK_EQ((uintptr_t)o % 32, 0);
	kmem_cache_free(&c, o);
	CHECK_EQ(nr_free_frames(), before);
}

/* Many objects over many slabs: the counters follow, and every slab goes back at the end. */
HOST_TEST(slab_cache_many_objects)
{
	enum { N = 1000 };
	static u8 *objs[N];
	u64 before = boot_slab();
	struct kmem_cache *c = kmem_cache_create("obj100", 100, 0);

	CHECK(c != NULL);
	CHECK_EQ(c->size, 104);
	CHECK_EQ(c->objs_per_slab, 39);
	for (int i = 0; i < N; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		CHECK(objs[i] != NULL);
		struct page *slab = virt_to_page(objs[i]);
		CHECK(slab->slab_cache == c);
		CHECK_EQ(((uintptr_t)objs[i] - (uintptr_t)page_address(slab)) % 104, 0);
		CHECK(virt_to_page(objs[i] + 99) == slab);
		fill(objs[i], 100, (u64)i);
	}
	CHECK_EQ(c->nr_objects, N);
	CHECK_EQ(c->nr_slabs, (N + 38) / 39);
	CHECK_EQ(nr_free_frames(), before - 1 - (N + 38) / 39);
	for (int i = 0; i < N; i++)
		CHECK_MSG(filled(objs[i], 100, (u64)i), "object %d was overwritten", i);

	/* Free every third object: slabs stay, and the freed slots are reused before new slabs. */
	u64 slabs = c->nr_slabs;
	for (int i = 0; i < N; i += 3)
		kmem_cache_free(c, objs[i]);
	CHECK_EQ(c->nr_slabs, slabs);
	for (int i = 0; i < N; i += 3) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		fill(objs[i], 100, (u64)i);
	}
	CHECK_EQ(c->nr_slabs, slabs);
	CHECK_EQ(c->nr_objects, N);
	for (int i = 0; i < N; i++) {
		CHECK_MSG(filled(objs[i], 100, (u64)i), "object %d was overwritten", i);
		kmem_cache_free(c, objs[i]);
	}
	CHECK_EQ(c->nr_objects, 0);
	CHECK_EQ(c->nr_slabs, 0);
	kmem_cache_destroy(c);
	CHECK_EQ(nr_free_frames(), before);
}

/* A slab that empties goes back at once, whether it was full or partial. */
HOST_TEST(slab_empty_slab_freed)
{
	static void *objs[512];
	u64 before = boot_slab();
	struct kmem_cache *c = kmem_cache_create("obj512", 512, 0);
	u64 base = nr_free_frames();

	CHECK(c != NULL);
	CHECK_EQ(c->objs_per_slab, 8);
	/* Partial slab emptied. */
	objs[0] = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK_EQ(nr_free_frames(), base - 1);
	kmem_cache_free(c, objs[0]);
	CHECK_EQ(nr_free_frames(), base);
	CHECK(c->partial == NULL);
	/* Full slabs emptied in different orders. */
	for (int i = 0; i < 24; i++)
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK_EQ(nr_free_frames(), base - 3);
	CHECK(c->partial == NULL);
	for (int i = 0; i < 8; i++)
		kmem_cache_free(c, objs[i]);
	CHECK_EQ(nr_free_frames(), base - 2);
	for (int i = 23; i >= 8; i -= 2)
		kmem_cache_free(c, objs[i]);
	CHECK_EQ(nr_free_frames(), base - 2);
	CHECK(c->partial != NULL);
	for (int i = 8; i < 24; i += 2)
		kmem_cache_free(c, objs[i]);
	CHECK_EQ(nr_free_frames(), base);
	CHECK(c->partial == NULL);
	CHECK_EQ(c->nr_slabs, 0);
	kmem_cache_destroy(c);
	CHECK_EQ(nr_free_frames(), before);
}

/* Allocation fails cleanly when frames run out, and works again after a free. */
HOST_TEST(slab_out_of_memory)
{
	static struct page *pages[RAM_SIZE / PAGE_SIZE];
	u64 before = boot_slab();
	u64 n = 0;

	while ((pages[n] = alloc_page(GFP_KERNEL)) != NULL)
		n++;
	CHECK_EQ(n, before);
	CHECK(kmalloc(16, GFP_KERNEL) == NULL);
	CHECK(kzalloc(PAGE_SIZE, GFP_KERNEL) == NULL);
	CHECK(kmem_cache_create("nomem", 32, 0) == NULL);

	free_page(pages[--n]);
	void *o = kmalloc(16, GFP_KERNEL);
	CHECK(o != NULL);
	CHECK(kmalloc(PAGE_SIZE, GFP_KERNEL) == NULL);
	CHECK(kmalloc(32, GFP_KERNEL) == NULL);
	void *o2 = kmalloc(16, GFP_KERNEL); /* the kmalloc-16 slab has room */
	CHECK(o2 != NULL);
	kfree(o);
	kfree(o2);
	while (n)
		free_page(pages[--n]);
	CHECK_EQ(nr_free_frames(), before);
}

/* Destroying a cache with live objects panics. */
HOST_TEST(slab_destroy_busy_cache_panics)
{
	boot_slab();
	struct kmem_cache *c = kmem_cache_create("busy", 32, 0);
	CHECK(c != NULL);
	void *o = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(o != NULL);
	CHECK_PANICS(kmem_cache_destroy(c), "nr_objects");
	kmem_cache_free(c, o);
	kmem_cache_destroy(c);
}

/* Frees to the wrong cache, inside an object or of a non-slab frame panic, harmlessly. */
HOST_TEST(slab_bad_free_panics)
{
	u64 before = boot_slab();
	struct kmem_cache *a = kmem_cache_create("a", 32, 0);
	struct kmem_cache *b = kmem_cache_create("b", 32, 0);
	CHECK(a != NULL && b != NULL);
	u8 *o = kmem_cache_alloc(a, GFP_KERNEL);
	u8 *k = kmalloc(64, GFP_KERNEL);
	void *page = get_free_page(GFP_KERNEL);
	CHECK(o != NULL && k != NULL && page != NULL);

	CHECK_PANICS(kmem_cache_free(b, o), "BUG"); /* the wrong cache */
	CHECK_PANICS(kmem_cache_free(a, o + 8), "BUG"); /* inside an object */
	CHECK_PANICS(kfree(k + 16), "BUG"); /* the same via kfree */
	CHECK_PANICS(kfree(page), "BUG"); /* not a slab frame */
	CHECK_PANICS(kmem_cache_free(a, page), "BUG");
	CHECK_EQ(a->nr_objects, 1);

	/* Nothing was disturbed. */
	kmem_cache_free(a, o);
	kfree(k);
	free_page_addr(page);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	CHECK_EQ(nr_free_frames(), before);
}

/*
 * kmem_cache_free() checks that a pointer sits on an object boundary, but not that it is below
 * the last object: in a 24-byte cache (170 objects, 16 bytes left over) page + 4080 passes, goes
 * on the free list, and is later handed out as an object running into the next frame.
 */
HOST_TEST(slab_free_past_last_object_panics)
{
	boot_slab();
	struct kmem_cache *c = kmem_cache_create("c24", 24, 0);
	CHECK(c != NULL);
	u8 *o = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(o != NULL);
	u8 *tail = (u8 *)page_address(virt_to_page(o)) + c->objs_per_slab * c->size;
	CHECK_PANICS(kmem_cache_free(c, tail), "BUG");
}

/*
 * kmem_cache_create() promises NULL when it cannot make the cache, but an alignment that rounds
 * the object size past a page reaches kmem_cache_setup()'s BUG_ON and panics instead.
 */
HOST_TEST(slab_create_align_past_page_fails)
{
	boot_slab();
	CHECK(kmem_cache_create("huge-align", 4000, 8192) == NULL);
}

/* Random kmalloc/kfree and cache traffic; every live object keeps its stamp. */
HOST_TEST(slab_random)
{
	enum { N = 4000 };
	static u8 *objs[N];
	static size_t sizes[N];
	static struct kmem_cache *caches[N];
	static u64 seeds[N];
	uint64_t rng = 0x5a1b;
	u64 before = boot_slab();
	struct kmem_cache *c1 = kmem_cache_create("r40", 40, 0);
	struct kmem_cache *c2 = kmem_cache_create("r300", 300, 64);
	int n = 0;

	CHECK(c1 != NULL && c2 != NULL);
	for (u64 step = 1; step <= 60000; step++) {
		bool grow = (step / 10000) % 2 == 0 ? host_random(&rng) % 3 != 0
						    : host_random(&rng) % 3 == 0;
		if (grow && n < N) {
			u64 r = host_random(&rng);
			struct kmem_cache *c = NULL;
			size_t size;
			if (r % 4 == 0)
				c = c1;
			else if (r % 4 == 1)
				c = c2;
			if (c)
				size = c->object_size;
			else if ((r >> 8) % 4)
				size = (r >> 16) % 128 + 1; /* mostly small */
			else
				size = (r >> 16) % PAGE_SIZE + 1;
			bool zero = (r >> 40) % 2;
			u8 *p = c ? kmem_cache_alloc(c, zero ? GFP_ZERO : GFP_KERNEL)
				  : kmalloc(size, zero ? GFP_ZERO : GFP_KERNEL);
			CHECK(p != NULL);
			if (zero)
				CHECK(all_bytes(p, size, 0));
			objs[n] = p;
			sizes[n] = size;
			caches[n] = c;
			seeds[n] = step;
			fill(p, size, step);
			n++;
		} else if (n) {
			int i = (int)(host_random(&rng) % (u64)n);
			CHECK_MSG(filled(objs[i], sizes[i], seeds[i]), "object from step %llu",
				  (unsigned long long)seeds[i]);
			if (caches[i])
				kmem_cache_free(caches[i], objs[i]);
			else
				kfree(objs[i]);
			n--;
			objs[i] = objs[n];
			sizes[i] = sizes[n];
			caches[i] = caches[n];
			seeds[i] = seeds[n];
		}
	}
	while (n--) {
		CHECK(filled(objs[n], sizes[n], seeds[n]));
		if (caches[n])
			kmem_cache_free(caches[n], objs[n]);
		else
			kfree(objs[n]);
	}
	CHECK_EQ(c1->nr_objects, 0);
	CHECK_EQ(c2->nr_objects, 0);
	kmem_cache_destroy(c1);
	kmem_cache_destroy(c2);
	CHECK_EQ(nr_free_frames(), before);
}
