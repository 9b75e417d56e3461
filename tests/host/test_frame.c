// SPDX-License-Identifier: MIT
/*
 * mm/frame.c on fake RAM: frame_init() against memblock's view, allocation until exhaustion,
 * freeing, __GFP_ZERO, the panics on bad frees, and a random workload with every live frame
 * stamped and verified.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "mm/frame.h"
#include "mm/memblock.h"

#define RAM_SIZE (8UL << 20)
#define RAM_PAGES (RAM_SIZE / PAGE_SIZE)

/* Frames that hold mem_map for RAM_PAGES frames. */
#define MEM_MAP_PAGES PFN_UP(RAM_PAGES * sizeof(struct page))

/* Sets up fake RAM and memblock as a boot would, with the usual reservations, and frame_init(). */
static void boot_frames(void)
{
	host_ram_init(RAM_SIZE);
	memblock_reset();
	memblock_add(0, RAM_SIZE);
	memblock_reserve(0, PAGE_SIZE); /* the real-mode IVT and BIOS data */
	memblock_reserve(0x100000, 0x100000); /* the kernel image */
	memblock_reserve(0x345100, 0x100); /* boot data inside one frame */
	memblock_reserve(0x4ff800, 0x1000); /* boot data across two frames */
	frame_init();
}

/* Free frames boot_frames() leaves. */
#define BOOT_FREE_FRAMES (RAM_PAGES - 1 - 256 - 1 - 2 - MEM_MAP_PAGES)

/* True if every byte of frame pfn is RAM that memblock does not reserve. */
static bool frame_usable(u64 pfn)
{
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		if (PFN_PHYS(pfn) >= r->base && PFN_PHYS(pfn + 1) <= r->base + r->size)
			return !memblock_is_reserved(PFN_PHYS(pfn), PAGE_SIZE);
	}
	return false;
}

/* The free frames memblock reports, counted independently of frame.c. */
static void count_free(phys_addr_t start, phys_addr_t end, void *arg)
{
	u64 first = PFN_UP(start), last = PFN_DOWN(end);

	if (last > first)
		*(u64 *)arg += last - first;
}

/* True if every byte of a frame is c. */
static bool frame_filled(const struct page *p, u8 c)
{
	const u8 *b = page_address(p);

	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (b[i] != c)
			return false;
	return true;
}

/* The free count is what memblock has free, less mem_map, which sits at the top of RAM. */
HOST_TEST(frame_init_counts)
{
	u64 want = 0;

	boot_frames();
	memblock_for_each_free(count_free, &want);
	CHECK_EQ(max_pfn, RAM_PAGES);
	CHECK_EQ(nr_free_frames(), want);
	CHECK_EQ(nr_free_frames(), BOOT_FREE_FRAMES);
	CHECK_EQ(nr_managed_frames(), BOOT_FREE_FRAMES);

	/* mem_map is the highest fit, and memblock has it reserved. */
	CHECK_EQ(virt_to_phys(mem_map), RAM_SIZE - MEM_MAP_PAGES * PAGE_SIZE);
	CHECK(memblock_is_reserved(virt_to_phys(mem_map), MEM_MAP_PAGES * PAGE_SIZE));
}

/* Each frame is free exactly when memblock has all of it free; the rest are reserved. */
HOST_TEST(frame_init_flags)
{
	u64 nfree = 0;

	boot_frames();
	for (u64 pfn = 0; pfn < max_pfn; pfn++) {
		const struct page *p = pfn_to_page(pfn);
		bool usable = frame_usable(pfn);
		CHECK_MSG(frame_is_free(pfn) == usable, "pfn %#llx", (unsigned long long)pfn);
		CHECK_EQ(p->flags, usable ? PG_free : PG_reserved);
		CHECK_EQ(p->refcount, usable ? 0 : 1);
		nfree += usable;
	}
	CHECK_EQ(nfree, nr_free_frames());
	CHECK(!frame_is_free(0));
	CHECK(!frame_is_free(0x345));
	CHECK(!frame_is_free(0x4ff));
	CHECK(!frame_is_free(0x500));
	CHECK(frame_is_free(0x344));
	CHECK(frame_is_free(0x346));
	CHECK(frame_is_free(0x4fe));
	CHECK(frame_is_free(0x501));
	CHECK(!frame_is_free(max_pfn));
	CHECK(!frame_is_free(~0ULL));
}

/* Holes between RAM ranges, and partial frames at their edges, are never free. */
HOST_TEST(frame_init_holes)
{
	u64 want = 0;

	host_ram_init(RAM_SIZE);
	memblock_reset();
	memblock_add(0x1000, 0x1ff000); /* [4K, 2M) */
	memblock_add(0x300800, 0x1ff000); /* [3M+2K, 5M-6K): partial frames at both ends */
	memblock_add(0x600000, 0x200000); /* [6M, 8M) */
	frame_init();
	memblock_for_each_free(count_free, &want);
	CHECK_EQ(max_pfn, RAM_PAGES);
	CHECK_EQ(nr_free_frames(), want);
	CHECK_EQ(want, 0x1ff + 0x1fe + 0x200 - MEM_MAP_PAGES);
	for (u64 pfn = 0; pfn < max_pfn; pfn++)
		CHECK_MSG(frame_is_free(pfn) == frame_usable(pfn), "pfn %#llx",
			  (unsigned long long)pfn);
	CHECK(!frame_is_free(0x300));
	CHECK(frame_is_free(0x301));
	CHECK(frame_is_free(0x4fe));
	CHECK(!frame_is_free(0x4ff));
	CHECK(!frame_is_free(0x550));
}

/* max_pfn follows the end of RAM, and mem_map covers exactly that many frames. */
HOST_TEST(frame_init_small)
{
	host_ram_init(RAM_SIZE);
	memblock_reset();
	memblock_add(0x10000, 0x30000);
	frame_init();
	CHECK_EQ(max_pfn, 0x40);
	CHECK_EQ(virt_to_phys(mem_map), 0x3f000);
	CHECK_EQ(nr_free_frames(), 0x2f);
	CHECK_EQ(nr_managed_frames(), 0x2f);
}

/* Every free frame is handed out once, none reserved, then NULL; freeing brings all back. */
HOST_TEST(frame_alloc_all)
{
	static struct page *pages[RAM_PAGES];
	static bool seen[RAM_PAGES];
	u64 n = 0, before;

	boot_frames();
	before = nr_free_frames();
	memset(seen, 0, sizeof(seen));
	for (;;) {
		struct page *p = alloc_page(GFP_KERNEL);
		if (!p)
			break;
		CHECK(n < before);
		u64 pfn = page_to_pfn(p);
		CHECK(p == pfn_to_page(pfn) && pfn < max_pfn);
		CHECK_MSG(!seen[pfn], "pfn %#llx handed out twice", (unsigned long long)pfn);
		CHECK_MSG(frame_usable(pfn), "pfn %#llx is not free RAM", (unsigned long long)pfn);
		CHECK(!frame_is_free(pfn));
		CHECK_EQ(p->refcount, 1);
		CHECK_EQ(p->flags, 0);
		seen[pfn] = true;
		pages[n++] = p;
		CHECK_EQ(nr_free_frames(), before - n);
	}
	CHECK_EQ(n, before);
	CHECK_EQ(nr_free_frames(), 0);
	CHECK(alloc_page(GFP_KERNEL) == NULL);
	CHECK(alloc_page(GFP_ZERO) == NULL);
	CHECK(get_free_page(GFP_KERNEL) == NULL);
	CHECK_EQ(nr_managed_frames(), before);

	for (u64 i = 0; i < n; i++) {
		free_page(pages[i]);
		CHECK(frame_is_free(page_to_pfn(pages[i])));
		CHECK_EQ(pages[i]->flags, PG_free);
		CHECK_EQ(pages[i]->refcount, 0);
	}
	CHECK_EQ(nr_free_frames(), before);
	CHECK_EQ(nr_managed_frames(), before);

	/* And they can all be handed out again. */
	for (u64 i = 0; i < n; i++)
		CHECK((pages[i] = alloc_page(GFP_KERNEL)) != NULL);
	CHECK(alloc_page(GFP_KERNEL) == NULL);
	for (u64 i = 0; i < n; i++)
		free_page(pages[i]);
	CHECK_EQ(nr_free_frames(), before);
}

/* Frames are handed out lowest first (early page tables must lie in the boot-mapped first GiB). */
HOST_TEST(frame_alloc_low_frames_first)
{
	u64 prev = 0;

	boot_frames();
	for (int i = 0; i < 100; i++) {
		struct page *p = alloc_page(GFP_KERNEL);
		CHECK(p != NULL);
		CHECK_MSG(i == 0 || page_to_pfn(p) > prev, "allocation %d: pfn %#llx after %#llx",
			  i, (unsigned long long)page_to_pfn(p), (unsigned long long)prev);
		prev = page_to_pfn(p);
	}
}

/* __GFP_ZERO hands out zeroed frames; without it a frame keeps what it held. */
HOST_TEST(frame_gfp_zero)
{
	static struct page *pages[RAM_PAGES];
	u64 n = 0;

	boot_frames(); /* fake RAM starts out as 0xa5 */
	struct page *p = alloc_page(GFP_KERNEL);
	CHECK(p != NULL);
	CHECK(frame_filled(p, 0xa5));
	free_page(p);

	/* Dirty every free frame, then take them all back zeroed. */
	while ((pages[n] = alloc_page(GFP_KERNEL)) != NULL)
		memset(page_address(pages[n++]), 0xff, PAGE_SIZE);
	while (n)
		free_page(pages[--n]);
	while ((pages[n] = alloc_page(GFP_ZERO)) != NULL) {
		CHECK_MSG(frame_filled(pages[n], 0), "pfn %#llx",
			  (unsigned long long)page_to_pfn(pages[n]));
		n++;
	}
	CHECK_EQ(n, BOOT_FREE_FRAMES);
	while (n)
		free_page(pages[--n]);

	void *v = get_free_page(GFP_ZERO);
	CHECK(v != NULL);
	CHECK(frame_filled(virt_to_page(v), 0));
	free_page_addr(v);
}

/* get_free_page() and free_page_addr() work with direct-map addresses inside fake RAM. */
HOST_TEST(frame_get_free_page)
{
	boot_frames();
	u64 before = nr_free_frames();
	u8 *v = get_free_page(GFP_KERNEL);
	CHECK(v != NULL);
	CHECK_EQ((uintptr_t)v % PAGE_SIZE, 0);
	CHECK((uintptr_t)v >= page_offset_base && (uintptr_t)v < page_offset_base + RAM_SIZE);
	struct page *p = virt_to_page(v);
	CHECK(page_address(p) == v);
	CHECK(virt_to_page(v + PAGE_SIZE - 1) == p);
	CHECK_EQ(page_to_phys(p), (uintptr_t)v - page_offset_base);
	CHECK(phys_to_page(page_to_phys(p)) == p);
	CHECK(!frame_is_free(page_to_pfn(p)));
	CHECK_EQ(nr_free_frames(), before - 1);
	memset(v, 0x11, PAGE_SIZE);
	free_page_addr(v);
	CHECK(frame_is_free(page_to_pfn(p)));
	CHECK_EQ(nr_free_frames(), before);
}

/* Freeing a free frame panics and leaves the free list as it was. */
HOST_TEST(frame_double_free_panics)
{
	boot_frames();
	struct page *p = alloc_page(GFP_KERNEL);
	struct page *q = alloc_page(GFP_KERNEL);
	CHECK(p != NULL && q != NULL);
	free_page(p);
	u64 before = nr_free_frames();
	CHECK_PANICS(free_page(p), "already free");
	CHECK_PANICS(free_page_addr(page_address(p)), "already free");
	CHECK_EQ(nr_free_frames(), before);
	/* The free list is intact: p comes back once, then other frames. */
	free_page(q);
	u64 seen_p = 0;
	for (u64 i = 0; i < before + 1; i++) {
		struct page *r = alloc_page(GFP_KERNEL);
		CHECK(r != NULL);
		seen_p += r == p;
	}
	CHECK_EQ(seen_p, 1);
	CHECK(alloc_page(GFP_KERNEL) == NULL);
}

/* Freeing a reserved frame (never handed out) panics and frees nothing. */
HOST_TEST(frame_free_reserved_panics)
{
	boot_frames();
	u64 before = nr_free_frames();
	CHECK_PANICS(free_page(pfn_to_page(0)), "reserved");
	CHECK_PANICS(free_page(pfn_to_page(0x100)), "reserved");
	CHECK_PANICS(free_page(pfn_to_page(0x345)), "reserved");
	CHECK_PANICS(free_page_addr(mem_map), "reserved");
	CHECK(strstr(host_panic_msg, "0x") != NULL); /* the report names the frame */
	CHECK_EQ(nr_free_frames(), before);
	CHECK(!frame_is_free(0x345));
}

/* With no memory, or none free for mem_map, frame_init() panics. */
HOST_TEST(frame_init_no_memory_panics)
{
	host_ram_init(RAM_SIZE);
	memblock_reset();
	CHECK_PANICS(frame_init(), "no memory for mem_map");
	memblock_add(0, RAM_SIZE);
	memblock_reserve(0, RAM_SIZE);
	CHECK_PANICS(frame_init(), "no memory for mem_map");
	memblock_reset();
	memblock_add(0, RAM_SIZE);
	memblock_reserve(0x1000, RAM_SIZE - 0x2000); /* only frames 0 and the top one free */
	CHECK_PANICS(frame_init(), "no memory for mem_map");
}

/* A second frame_init() starts over: the old free list and counts are forgotten. */
HOST_TEST(frame_init_again)
{
	boot_frames();
	for (int i = 0; i < 10; i++)
		CHECK(alloc_page(GFP_KERNEL) != NULL);
	boot_frames();
	CHECK_EQ(nr_free_frames(), BOOT_FREE_FRAMES);
	CHECK_EQ(nr_managed_frames(), BOOT_FREE_FRAMES);
}

/* The stamp a live frame carries: its number and when it was taken, in every word. */
static u64 stamp(u64 pfn, u64 gen)
{
	return pfn << 32 | gen;
}

/* True if every word of the frame holds the stamp. */
static bool stamped(const struct page *p, u64 s)
{
	const u64 *w = page_address(p);

	for (size_t i = 0; i < PAGE_SIZE / 8; i++)
		if (w[i] != s)
			return false;
	return true;
}

/* Random allocations and frees; every live frame keeps its stamp until it is freed. */
HOST_TEST(frame_random)
{
	static struct page *live[RAM_PAGES];
	static u64 gens[RAM_PAGES];
	static bool taken[RAM_PAGES];
	uint64_t rng = 0xf4a3e;
	u64 n = 0, exhausted = 0;

	boot_frames();
	memset(taken, 0, sizeof(taken));
	for (u64 gen = 1; gen <= 40000; gen++) {
		/* Phases that fill memory up, then drain it. */
		bool grow = (gen / 5000) % 2 == 0 ? host_random(&rng) % 4 != 0
						  : host_random(&rng) % 4 == 0;
		if (grow) {
			struct page *p = alloc_page(host_random(&rng) % 2 ? GFP_ZERO : GFP_KERNEL);
			if (!p) {
				CHECK_EQ(n, BOOT_FREE_FRAMES);
				exhausted++;
				continue;
			}
			u64 pfn = page_to_pfn(p);
			CHECK_MSG(!taken[pfn], "pfn %#llx handed out twice",
				  (unsigned long long)pfn);
			CHECK(frame_usable(pfn));
			taken[pfn] = true;
			gens[n] = gen;
			live[n++] = p;
			u64 *w = page_address(p), s = stamp(pfn, gen);
			for (size_t i = 0; i < PAGE_SIZE / 8; i++)
				w[i] = s;
		} else if (n) {
			u64 i = host_random(&rng) % n;
			struct page *p = live[i];
			CHECK_MSG(stamped(p, stamp(page_to_pfn(p), gens[i])),
				  "pfn %#llx was overwritten", (unsigned long long)page_to_pfn(p));
			taken[page_to_pfn(p)] = false;
			free_page(p);
			live[i] = live[--n];
			gens[i] = gens[n];
		}
		CHECK_EQ(nr_free_frames(), BOOT_FREE_FRAMES - n);
	}
	CHECK(exhausted > 0);
	while (n) {
		n--;
		CHECK(stamped(live[n], stamp(page_to_pfn(live[n]), gens[n])));
		free_page(live[n]);
	}
	CHECK_EQ(nr_free_frames(), BOOT_FREE_FRAMES);
}
