// SPDX-License-Identifier: MIT
/* Self-tests of the frame allocator on the real memory map. */
#include "kernel/selftest.h"
#include "kernel/bootinfo.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/memblock.h"

extern char _phys_start[], _end[];

#define NFRAMES 2048

static struct page *pages[NFRAMES];

/* True if frame pfn lies in a usable RAM region of the boot memory map. */
static bool pfn_in_usable_ram(u64 pfn)
{
	phys_addr_t pa = PFN_PHYS(pfn);

	for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];
		if (r->type == BOOT_MEM_USABLE && pa >= r->base &&
		    pa + PAGE_SIZE <= r->base + r->size)
			return true;
	}
	return false;
}

/* Allocated frames are distinct, in usable RAM, outside the kernel and the first MiB, and come
 * back. */
SELFTEST(frame_alloc_unique)
{
	u64 before = nr_free_frames();
	u64 kstart = PFN_DOWN((u64)_phys_start), kend = PFN_UP(virt_to_phys(_end));
	int n;

	for (n = 0; n < NFRAMES; n++) {
		pages[n] = alloc_page(GFP_KERNEL);
		if (!pages[n])
			break;
		u64 pfn = page_to_pfn(pages[n]);
		ST_ASSERT(pfn_in_usable_ram(pfn));
		ST_ASSERT(pfn >= PFN_DOWN(SZ_1M));
		ST_ASSERT(pfn < kstart || pfn >= kend);
		ST_ASSERT(!frame_is_free(pfn));
		ST_ASSERT_EQ(pages[n]->refcount, 1);
		/* Stamp each frame with its own number; a frame handed out twice is overwritten. */
		*(u64 *)page_address(pages[n]) = pfn;
	}
	ST_ASSERT_EQ(n, NFRAMES);
	ST_ASSERT_EQ(nr_free_frames(), before - NFRAMES);
	for (int i = 0; i < n; i++)
		ST_ASSERT_EQ(*(u64 *)page_address(pages[i]), page_to_pfn(pages[i]));
	for (int i = 0; i < n; i++)
		free_page(pages[i]);
	ST_ASSERT_EQ(nr_free_frames(), before);
	for (int i = 0; i < n; i++)
		ST_ASSERT(frame_is_free(page_to_pfn(pages[i])));
}

/* Frames that memblock reserved (kernel image, first MiB, boot data) are never on the free list. */
SELFTEST(frame_reserved_never_free)
{
	for (u64 pfn = PFN_DOWN((u64)_phys_start); pfn < PFN_UP(virt_to_phys(_end)); pfn++)
		ST_ASSERT(!frame_is_free(pfn));
	for (u64 pfn = 0; pfn < PFN_DOWN(SZ_1M); pfn++)
		ST_ASSERT(!frame_is_free(pfn));
	for (u64 pfn = PFN_DOWN(boot_info.info_phys);
	     pfn < PFN_UP(boot_info.info_phys + boot_info.info_size); pfn++)
		ST_ASSERT(!frame_is_free(pfn));
	ST_ASSERT(!frame_is_free(PFN_DOWN(virt_to_phys(mem_map))));
}

/* The free count matches a walk over mem_map, and every free frame is in usable RAM. */
SELFTEST(frame_counts_consistent)
{
	u64 free = 0;

	for (u64 pfn = 0; pfn < max_pfn; pfn++) {
		if (frame_is_free(pfn)) {
			free++;
			ST_ASSERT(pfn_in_usable_ram(pfn));
		}
	}
	ST_ASSERT_EQ(free, nr_free_frames());
	ST_ASSERT(nr_managed_frames() >= nr_free_frames());
}

/* GFP_ZERO gives a zeroed frame even when the frame was dirty. */
SELFTEST(frame_alloc_zeroed)
{
	struct page *p = alloc_page(GFP_KERNEL);

	ST_ASSERT(p);
	memset(page_address(p), 0xa5, PAGE_SIZE);
	free_page(p);
	struct page *q = alloc_page(GFP_ZERO);
	ST_ASSERT(q);
	const u8 *b = page_address(q);
	for (int i = 0; i < PAGE_SIZE; i++)
		if (b[i]) {
			free_page(q);
			ST_FAIL("byte %d of a GFP_ZERO frame is %#x", i, b[i]);
		}
	free_page(q);
}

/* A random mix of allocations and frees (seeded by seed=) never hands out a live frame. */
SELFTEST(frame_random_alloc_free)
{
	u64 before = nr_free_frames();
	int live = 0;

	for (int step = 0; step < 20000; step++) {
		bool alloc = live == 0 || (live < NFRAMES && (selftest_random() & 1));
		if (alloc) {
			struct page *p = alloc_page(GFP_KERNEL);
			ST_ASSERT(p);
			*(u64 *)page_address(p) = page_to_pfn(p) ^ 0x5a5a5a5aULL;
			pages[live++] = p;
		} else {
			int i = (int)(selftest_random() % (u64)live);
			ST_ASSERT_EQ(*(u64 *)page_address(pages[i]),
				     page_to_pfn(pages[i]) ^ 0x5a5a5a5aULL);
			free_page(pages[i]);
			pages[i] = pages[--live];
		}
	}
	while (live)
		free_page(pages[--live]);
	ST_ASSERT_EQ(nr_free_frames(), before);
}
