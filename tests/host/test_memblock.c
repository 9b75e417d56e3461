// SPDX-License-Identifier: MIT
/*
 * mm/memblock.c: merging into the two range lists, free ranges, reservation queries and
 * memblock_alloc(). Layouts are checked whole, against tables of [start, end) ranges, and the
 * randomized tests compare every operation with a byte map of a small address space.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "mm/memblock.h"
#include "kernel/compiler.h"

struct range {
	phys_addr_t start, end;
};

/* Appends "[start, end) " for each range to a stream (for failure messages). */
static void print_ranges(FILE *f, const struct range *r, unsigned int n)
{
	if (!n)
		fputs("(none)", f);
	for (unsigned int i = 0; i < n; i++)
		fprintf(f, "%s[%#llx, %#llx)", i ? " " : "", (unsigned long long)r[i].start,
			(unsigned long long)r[i].end);
}

/* Checks a list of ranges against the expected table; on a mismatch, prints both whole. */
static int check_ranges(const char *file, int line, const char *what, const struct range *got,
			unsigned int ngot, const struct range *want, unsigned int nwant)
{
	char *text;
	size_t len;
	FILE *f;

	if (ngot == nwant && memcmp(got, want, nwant * sizeof(*want)) == 0)
		return 1;
	f = open_memstream(&text, &len);
	if (!f)
		abort();
	fprintf(f, "%s: got ", what);
	print_ranges(f, got, ngot);
	fputs(", expected ", f);
	print_ranges(f, want, nwant);
	fclose(f);
	host_fail(file, line, "%s", text);
	free(text);
	return 0;
}

/* The regions of a memblock list as [start, end) ranges. */
static unsigned int type_ranges(const struct memblock_type *t, struct range *out)
{
	for (unsigned int i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];
		out[i] = (struct range){ r->base, r->base + r->size };
	}
	return t->cnt;
}

struct free_list {
	unsigned int n;
	struct range r[2 * MEMBLOCK_MAX_REGIONS + 1];
};

/* memblock_for_each_free() callback: appends the range to a struct free_list. */
static void collect_free(phys_addr_t start, phys_addr_t end, void *arg)
{
	struct free_list *fl = arg;

	if (fl->n < ARRAY_SIZE(fl->r))
		fl->r[fl->n] = (struct range){ start, end };
	fl->n++;
}

/* Checks memblock.memory or memblock.reserved, or the free ranges, against a table. */
#define CHECK_LIST(which, ...)                                                                     \
	do {                                                                                       \
		static const struct range want_[] = { __VA_ARGS__ };                               \
		struct range got_[MEMBLOCK_MAX_REGIONS];                                           \
		unsigned int n_ = type_ranges(&memblock.which, got_);                              \
		if (!check_ranges(__FILE__, __LINE__, #which, got_, n_, want_, ARRAY_SIZE(want_))) \
			return;                                                                    \
	} while (0)

#define CHECK_FREE(...)                                                            \
	do {                                                                       \
		static const struct range want_[] = { __VA_ARGS__ };               \
		struct free_list fl_ = { 0 };                                      \
		memblock_for_each_free(collect_free, &fl_);                        \
		if (!check_ranges(__FILE__, __LINE__, "free", fl_.r, fl_.n, want_, \
				  ARRAY_SIZE(want_)))                              \
			return;                                                    \
	} while (0)

/* memblock_reset() forgets memory and reservations alike. */
HOST_TEST(memblock_reset_empties)
{
	memblock_add(0x1000, 0x1000);
	memblock_reserve(0x1000, 0x10);
	memblock_reset();
	CHECK_EQ(memblock.memory.cnt, 0);
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_EQ(memblock_end_of_ram(), 0);
	CHECK(!memblock_is_reserved(0, ~0ULL >> 1));
	CHECK_FREE();
}

/* Disjoint ranges end up sorted, whatever order they come in. */
HOST_TEST(memblock_add_sorts)
{
	memblock_reset();
	CHECK_EQ(memblock_add(0x50000, 0x1000), 0);
	CHECK_EQ(memblock_add(0x10000, 0x1000), 0);
	CHECK_EQ(memblock_add(0x90000, 0x2000), 0);
	CHECK_EQ(memblock_add(0x30000, 0x1000), 0);
	CHECK_EQ(memblock_add(0x0, 0x800), 0);
	CHECK_LIST(memory, { 0x0, 0x800 }, { 0x10000, 0x11000 }, { 0x30000, 0x31000 },
		   { 0x50000, 0x51000 }, { 0x90000, 0x92000 });
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_EQ(memblock_end_of_ram(), 0x92000);
}

/* Contained, touching, overlapping, containing and bridging ranges all merge. */
HOST_TEST(memblock_add_merges)
{
	memblock_reset();
	memblock_add(0x10000, 0x10000); /* [0x10000, 0x20000) */
	memblock_add(0x40000, 0x10000); /* [0x40000, 0x50000) */
	memblock_add(0x80000, 0x10000); /* [0x80000, 0x90000) */
	CHECK_LIST(memory, { 0x10000, 0x20000 }, { 0x40000, 0x50000 }, { 0x80000, 0x90000 });

	/* Contained: no change. */
	memblock_add(0x12000, 0x1000);
	memblock_add(0x10000, 0x10000);
	CHECK_LIST(memory, { 0x10000, 0x20000 }, { 0x40000, 0x50000 }, { 0x80000, 0x90000 });

	/* Touching the end, then the start. */
	memblock_add(0x20000, 0x1000);
	memblock_add(0x3f000, 0x1000);
	CHECK_LIST(memory, { 0x10000, 0x21000 }, { 0x3f000, 0x50000 }, { 0x80000, 0x90000 });

	/* Overlapping the start and the end of one range. */
	memblock_add(0x7c000, 0x8000);
	memblock_add(0x8f000, 0x3000);
	CHECK_LIST(memory, { 0x10000, 0x21000 }, { 0x3f000, 0x50000 }, { 0x7c000, 0x92000 });

	/* Containing a range, ends and all. */
	memblock_add(0x30000, 0x20000);
	CHECK_LIST(memory, { 0x10000, 0x21000 }, { 0x30000, 0x50000 }, { 0x7c000, 0x92000 });

	/* Bridging the gap between two ranges exactly. */
	memblock_add(0x21000, 0x30000 - 0x21000);
	CHECK_LIST(memory, { 0x10000, 0x50000 }, { 0x7c000, 0x92000 });

	/* Swallowing everything at once. */
	memblock_add(0x8000, 0x100000);
	CHECK_LIST(memory, { 0x8000, 0x108000 });
	CHECK_EQ(memblock_end_of_ram(), 0x108000);
}

/* One range overlapping or touching many merges them all into one. */
HOST_TEST(memblock_merge_many)
{
	memblock_reset();
	for (int i = 0; i < 20; i++)
		CHECK_EQ(memblock_reserve(0x100000 + i * 0x2000, 0x1000), 0);
	memblock_reserve(0x50000, 0x1000);
	memblock_reserve(0x200000, 0x1000);
	CHECK_EQ(memblock.reserved.cnt, 22);
	/* From inside the 3rd range to exactly the start of the 18th. */
	memblock_reserve(0x104800, 0x122000 - 0x104800);
	CHECK_LIST(reserved, { 0x50000, 0x51000 }, { 0x100000, 0x101000 }, { 0x102000, 0x103000 },
		   { 0x104000, 0x123000 }, { 0x124000, 0x125000 }, { 0x126000, 0x127000 },
		   { 0x200000, 0x201000 });
	CHECK_EQ(memblock.memory.cnt, 0);
}

/* Ranges need no alignment, and an empty range changes nothing. */
HOST_TEST(memblock_odd_sizes)
{
	memblock_reset();
	memblock_add(0x1001, 0x1);
	memblock_add(0x1003, 0x2);
	memblock_add(0x1002, 0x1);
	memblock_add(0x5000, 0);
	memblock_reserve(0x777, 0);
	CHECK_LIST(memory, { 0x1001, 0x1005 });
	CHECK_EQ(memblock.reserved.cnt, 0);
}

/* The list holds MEMBLOCK_MAX_REGIONS ranges; a new one past that fails, a merge still works. */
HOST_TEST(memblock_full)
{
	memblock_reset();
	for (int i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		CHECK_EQ(memblock_add((u64)i * 0x10000, 0x1000), 0);
	CHECK_EQ(memblock.memory.cnt, MEMBLOCK_MAX_REGIONS);
	CHECK_EQ(memblock_add(0x8000, 0x1000), -1);
	CHECK_EQ(memblock_add((u64)MEMBLOCK_MAX_REGIONS * 0x10000 + 0x8000, 0x1000), -1);
	CHECK_EQ(memblock.memory.cnt, MEMBLOCK_MAX_REGIONS);
	CHECK_EQ(memblock.memory.regions[0].base, 0);
	CHECK_EQ(memblock.memory.regions[MEMBLOCK_MAX_REGIONS - 1].base,
		 (u64)(MEMBLOCK_MAX_REGIONS - 1) * 0x10000);

	/* Growing a range and merging two still work when full. */
	CHECK_EQ(memblock_add(0x1000, 0x1000), 0);
	CHECK_EQ(memblock_add(0x11000, 0xf000), 0);
	CHECK_EQ(memblock.memory.cnt, MEMBLOCK_MAX_REGIONS - 1);
	CHECK_EQ(memblock.memory.regions[0].base, 0);
	CHECK_EQ(memblock.memory.regions[0].size, 0x2000);
	CHECK_EQ(memblock.memory.regions[1].base, 0x10000);
	CHECK_EQ(memblock.memory.regions[1].size, 0x11000);
	CHECK_EQ(memblock.memory.regions[2].base, 0x30000);
	/* And with one slot free again, a new range fits once. */
	CHECK_EQ(memblock_add(0x8000, 0x1000), 0);
	CHECK_EQ(memblock_add(0x28000, 0x1000), -1);
}

/* Free ranges are memory minus reserved, whatever the reserved ranges straddle. */
HOST_TEST(memblock_for_each_free)
{
	memblock_reset();
	CHECK_FREE();

	memblock_add(0x0, 0x9f000);
	memblock_add(0x100000, 0x700000); /* [1M, 8M) */
	memblock_add(0x1000000, 0x1000000); /* [16M, 32M) */
	CHECK_FREE({ 0x0, 0x9f000 }, { 0x100000, 0x800000 }, { 0x1000000, 0x2000000 });

	memblock_reserve(0x0, 0x1000); /* at the start of a range */
	memblock_reserve(0x9e000, 0x3000); /* across the end of one, into a hole */
	memblock_reserve(0xa0000, 0x60000); /* only in a hole */
	memblock_reserve(0x200000, 0x100000); /* in the middle */
	memblock_reserve(0x7ff000, 0x802000); /* from the end of one into the next */
	memblock_reserve(0x1ffffff, 0x10); /* the last byte, and past the end of RAM */
	CHECK_FREE({ 0x1000, 0x9e000 }, { 0x100000, 0x200000 }, { 0x300000, 0x7ff000 },
		   { 0x1001000, 0x1ffffff });

	/* A range wholly reserved yields nothing. */
	memblock_reserve(0x0, 0xa0000);
	CHECK_FREE({ 0x100000, 0x200000 }, { 0x300000, 0x7ff000 }, { 0x1001000, 0x1ffffff });
	CHECK_EQ(memblock_end_of_ram(), 0x2000000);
}

/* Any overlap counts as reserved; merely touching does not. */
HOST_TEST(memblock_is_reserved)
{
	memblock_reset();
	memblock_reserve(0x2000, 0x1000);
	memblock_reserve(0x10000, 0x10);

	CHECK(memblock_is_reserved(0x2000, 0x1000));
	CHECK(memblock_is_reserved(0x2000, 1));
	CHECK(memblock_is_reserved(0x2fff, 1));
	CHECK(memblock_is_reserved(0x1fff, 2));
	CHECK(memblock_is_reserved(0x2fff, 0x100));
	CHECK(memblock_is_reserved(0x0, 0x100000));
	CHECK(memblock_is_reserved(0x1000f, 1));
	CHECK(!memblock_is_reserved(0x1000, 0x1000)); /* touches the start */
	CHECK(!memblock_is_reserved(0x3000, 0x1000)); /* touches the end */
	CHECK(!memblock_is_reserved(0x3000, 0xd000));
	CHECK(!memblock_is_reserved(0x10010, 0x10));
	CHECK(!memblock_is_reserved(0x0, 0x2000));
	/* Memory has nothing to do with it. */
	memblock_add(0x0, 0x100000);
	CHECK(!memblock_is_reserved(0x4000, 0x1000));
}

/* The end of RAM is the end of the highest memory range, reserved or not. */
HOST_TEST(memblock_end_of_ram)
{
	memblock_reset();
	CHECK_EQ(memblock_end_of_ram(), 0);
	memblock_add(0x100000, 0x100000);
	CHECK_EQ(memblock_end_of_ram(), 0x200000);
	memblock_add(0x0, 0x1000);
	CHECK_EQ(memblock_end_of_ram(), 0x200000);
	memblock_reserve(0x300000, 0x1000); /* reserved is not RAM */
	CHECK_EQ(memblock_end_of_ram(), 0x200000);
	memblock_add(0x4000000000ULL, 0x1000);
	CHECK_EQ(memblock_end_of_ram(), 0x4000001000ULL);
}

/* Allocations come from the top down, and are reserved. */
HOST_TEST(memblock_alloc_highest)
{
	memblock_reset();
	memblock_add(0x1000, 0xff000);
	memblock_add(0x200000, 0x100000);
	CHECK_EQ(memblock_alloc(0x1000, 0x1000, ~0ULL), 0x2ff000);
	CHECK_EQ(memblock_alloc(0x1000, 0x1000, ~0ULL), 0x2fe000);
	CHECK_EQ(memblock_alloc(0x800, 0x1000, ~0ULL), 0x2fd000);
	CHECK_LIST(reserved, { 0x2fd000, 0x2fd800 }, { 0x2fe000, 0x300000 });

	/* The gap that alignment left is the highest place for something small... */
	CHECK_EQ(memblock_alloc(0x10, 0x8, ~0ULL), 0x2fdff0);
	/* ...but not for something that does not fit in it. */
	CHECK_EQ(memblock_alloc(0x1000, 0x1000, ~0ULL), 0x2fc000);
	CHECK_LIST(reserved, { 0x2fc000, 0x2fd800 }, { 0x2fdff0, 0x300000 });
	CHECK_FREE({ 0x1000, 0x100000 }, { 0x200000, 0x2fc000 }, { 0x2fd800, 0x2fdff0 });
	CHECK_EQ(memblock_alloc(0x7f0, 0x10, ~0ULL), 0x2fd800);
	CHECK_LIST(reserved, { 0x2fc000, 0x300000 });

	/* Enough free memory in total is not enough: one piece must hold the block. */
	CHECK_EQ(memblock_alloc(0x100000, 1, ~0ULL), 0);
	CHECK_EQ(memblock_alloc(0xfc000, 1, ~0ULL), 0x200000);
	CHECK(memblock_is_reserved(0x200000, 0xfc000));
	CHECK_FREE({ 0x1000, 0x100000 });
}

/* Each block is aligned, at the highest aligned place that is free. */
HOST_TEST(memblock_alloc_alignment)
{
	static const u64 aligns[] = { 1, 2, 8, 0x10, 0x1000, 0x10000, 0x200000 };

	memblock_reset();
	memblock_add(0x0, 0x1000000);
	for (size_t i = 0; i < ARRAY_SIZE(aligns); i++) {
		phys_addr_t p = memblock_alloc(0x123, aligns[i], ~0ULL);
		CHECK(p != 0);
		CHECK_EQ(p % aligns[i], 0);
		/* The highest aligned place: nothing aligned fits above it. */
		CHECK(memblock_is_reserved(p, 0x123));
		CHECK(p + aligns[i] + 0x123 > 0x1000000 ||
		      memblock_is_reserved(p + aligns[i], 0x123));
	}
	/* Align 0 means no alignment. */
	CHECK_EQ(memblock_alloc(0x3, 0, 0x1000), 0xffd);
}

/* The block ends at or below the limit, which need not be aligned. */
HOST_TEST(memblock_alloc_limit)
{
	memblock_reset();
	memblock_add(0x0, 0x1000000);
	CHECK_EQ(memblock_alloc(0x1000, 0x1000, 0x800000), 0x7ff000);
	CHECK_EQ(memblock_alloc(0x1000, 0x1000, 0x7ff800), 0x7fe000);
	CHECK_EQ(memblock_alloc(0x100, 0x1, 0x400001), 0x3fff01);
	CHECK_EQ(memblock_alloc(0x1000, 0x1000, 0x2000), 0x1000);
	/* Below the limit only page 0 is left, and 0 is never handed out. */
	CHECK_EQ(memblock_alloc(0x1000, 0x1000, 0x2000), 0);
	CHECK_EQ(memblock_alloc(0x10, 0x10, 0x10), 0);
	CHECK_EQ(memblock_alloc(0x1000, 0x1000, 0), 0);
	/* A limit above RAM is no limit. */
	CHECK_EQ(memblock_alloc(0x1000, 0x1000, 0x40000000), 0xfff000);
	CHECK_LIST(reserved, { 0x1000, 0x2000 }, { 0x3fff01, 0x400001 }, { 0x7fe000, 0x800000 },
		   { 0xfff000, 0x1000000 });
}

/* Reserved and holes are skipped: the highest piece big enough wins, even far below. */
HOST_TEST(memblock_alloc_skips_reserved)
{
	memblock_reset();
	memblock_add(0x0, 0x400000);
	memblock_reserve(0x0, 0x100000);
	memblock_reserve(0x104000, 0x2fc000 - 0x104000); /* leaves [1M, 1M+16K) */
	memblock_reserve(0x300000, 0x100000); /* and [0x2fc000, 3M) */
	CHECK_FREE({ 0x100000, 0x104000 }, { 0x2fc000, 0x300000 });
	CHECK_EQ(memblock_alloc(0x4000, 0x1000, ~0ULL), 0x2fc000);
	CHECK_EQ(memblock_alloc(0x3000, 0x1000, ~0ULL), 0x101000);
	CHECK_EQ(memblock_alloc(0x2000, 0x1000, ~0ULL), 0);
	CHECK_EQ(memblock_alloc(0x1000, 0x1000, ~0ULL), 0x100000);
	CHECK_EQ(memblock_alloc(0x1, 0x1, ~0ULL), 0);
	CHECK_FREE();
	CHECK_LIST(reserved, { 0x0, 0x400000 });
}

/* Nothing fits: 0, and nothing is reserved. */
HOST_TEST(memblock_alloc_exhaustion)
{
	memblock_reset();
	CHECK_EQ(memblock_alloc(0x1000, 0x1000, ~0ULL), 0);
	memblock_add(0x100000, 0x10000);
	CHECK_EQ(memblock_alloc(0x10001, 1, ~0ULL), 0);
	CHECK_EQ(memblock_alloc(0x8000, 0x200000, ~0ULL), 0); /* no aligned place inside */
	CHECK_EQ(memblock_alloc(0, 0x1000, ~0ULL), 0);
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_EQ(memblock_alloc(0x10000, 0x10000, ~0ULL), 0x100000);
	CHECK_EQ(memblock_alloc(1, 1, ~0ULL), 0);
	CHECK_LIST(reserved, { 0x100000, 0x110000 });
}

/* Address 0 is never returned, even when it is the only place that fits. */
HOST_TEST(memblock_alloc_never_zero)
{
	memblock_reset();
	memblock_add(0x0, 0x1000);
	CHECK_EQ(memblock_alloc(0x1000, 0x1000, ~0ULL), 0);
	CHECK_EQ(memblock_alloc(0x800, 0x1000, ~0ULL), 0);
	CHECK_EQ(memblock_alloc(0x800, 0x800, ~0ULL), 0x800);
	CHECK_EQ(memblock_alloc(0x800, 0x1, ~0ULL), 0);
	CHECK_EQ(memblock_alloc(0x7ff, 0x1, ~0ULL), 0x1);
	CHECK_LIST(reserved, { 0x1, 0x1000 });
}

/* With the reserved list full, an allocation that would need a new entry fails cleanly. */
HOST_TEST(memblock_alloc_reserved_full)
{
	memblock_reset();
	memblock_add(0x0, (u64)MEMBLOCK_MAX_REGIONS * 0x10000 + 0x8000);
	for (int i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		CHECK_EQ(memblock_reserve((u64)i * 0x10000, 0x1000), 0);
	CHECK_EQ(memblock_alloc(0x1000, 0x4000, ~0ULL), 0);
	CHECK_EQ(memblock.reserved.cnt, MEMBLOCK_MAX_REGIONS);
	CHECK(!memblock_is_reserved((u64)MEMBLOCK_MAX_REGIONS * 0x10000, 0x8000));
	/* One that merges with a reserved neighbour needs no entry. */
	CHECK_EQ(memblock_alloc(0x17000, 0x1000, ~0ULL),
		 (u64)MEMBLOCK_MAX_REGIONS * 0x10000 - 0xf000);
	CHECK_EQ(memblock.reserved.cnt, MEMBLOCK_MAX_REGIONS);
}

/* A byte map of a small physical address space: the model the random tests check against. */
#define SPACE 4096

struct model {
	bool mem[SPACE], res[SPACE];
};

/* The maximal runs of map[i] (or of mem && !res when map is NULL), as ranges. */
static unsigned int model_runs(const struct model *m, const bool *map, struct range *out)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < SPACE;) {
		bool in = map ? map[i] : m->mem[i] && !m->res[i];
		if (!in) {
			i++;
			continue;
		}
		unsigned int j = i;
		while (j < SPACE && (map ? map[j] : m->mem[j] && !m->res[j]))
			j++;
		out[n++] = (struct range){ i, j };
		i = j;
	}
	return n;
}

/* Checks memory, reserved and the free ranges against the model. */
static void check_model(const struct model *m)
{
	struct range want[SPACE / 2 + 1], got[MEMBLOCK_MAX_REGIONS];
	struct free_list fl = { 0 };
	unsigned int n;

	n = model_runs(m, m->mem, want);
	if (!check_ranges(__FILE__, __LINE__, "memory", got, type_ranges(&memblock.memory, got),
			  want, n))
		return;
	n = model_runs(m, m->res, want);
	if (!check_ranges(__FILE__, __LINE__, "reserved", got, type_ranges(&memblock.reserved, got),
			  want, n))
		return;
	n = model_runs(m, NULL, want);
	memblock_for_each_free(collect_free, &fl);
	if (!check_ranges(__FILE__, __LINE__, "free", fl.r, fl.n, want, n))
		return;
	phys_addr_t end = 0;
	for (unsigned int i = 0; i < SPACE; i++)
		if (m->mem[i])
			end = i + 1;
	CHECK_EQ(memblock_end_of_ram(), end);
}

/* Random adds and reserves, then random queries, all compared with the byte map. */
HOST_TEST(memblock_random_layouts)
{
	static struct model m;
	uint64_t rng = 0xb10c;

	for (int round = 0; round < 50; round++) {
		memblock_reset();
		memset(&m, 0, sizeof(m));
		for (int i = 0; i < 60; i++) {
			bool reserve = host_random(&rng) % 3 == 0;
			u64 base = host_random(&rng) % SPACE;
			u64 size = host_random(&rng) % 100;
			if (base + size > SPACE)
				size = SPACE - base;
			int ret = reserve ? memblock_reserve(base, size) : memblock_add(base, size);
			CHECK_EQ(ret, 0);
			for (u64 b = base; b < base + size; b++)
				(reserve ? m.res : m.mem)[b] = true;
			CHECK_CALL(check_model(&m));
		}
		for (int i = 0; i < 200; i++) {
			u64 base = host_random(&rng) % SPACE, size = host_random(&rng) % 64 + 1;
			bool want = false;
			for (u64 b = base; b < base + size && b < SPACE; b++)
				want |= m.res[b];
			CHECK_MSG(memblock_is_reserved(base, size) == want, "[%#llx, +%#llx)",
				  (unsigned long long)base, (unsigned long long)size);
		}
	}
}

/* The highest aligned place below the limit that is all free and not 0, or 0. */
static u64 model_alloc(const struct model *m, u64 size, u64 align, u64 limit)
{
	u64 top = min(limit, (u64)SPACE);

	if (size > top)
		return 0;
	for (u64 a = ALIGN_DOWN(top - size, align); a > 0; a -= align) {
		bool fits = true;
		for (u64 b = a; b < a + size && fits; b++)
			fits = m->mem[b] && !m->res[b];
		if (fits)
			return a;
	}
	return 0;
}

/* Random allocations: each is the model's answer, and is reserved afterwards. */
HOST_TEST(memblock_random_alloc)
{
	static struct model m;
	uint64_t rng = 0xa110c;
	int got = 0, failed = 0;

	for (int round = 0; round < 40; round++) {
		memblock_reset();
		memset(&m, 0, sizeof(m));
		for (int i = 0; i < 8; i++) {
			u64 base = host_random(&rng) % SPACE, size = host_random(&rng) % 800;
			if (base + size > SPACE)
				size = SPACE - base;
			memblock_add(base, size);
			for (u64 b = base; b < base + size; b++)
				m.mem[b] = true;
		}
		for (int i = 0; i < 100; i++) {
			u64 size = host_random(&rng) % 200 + 1;
			u64 align = 1ULL << (host_random(&rng) % 9);
			u64 limit = ~0ULL;
			if (host_random(&rng) % 2)
				limit = host_random(&rng) % (SPACE + 200);
			u64 want = model_alloc(&m, size, align, limit);
			phys_addr_t p = memblock_alloc(size, align, limit);
			CHECK_MSG(p == want, "alloc(%#llx, %#llx, %#llx) = %#llx, expected %#llx",
				  (unsigned long long)size, (unsigned long long)align,
				  (unsigned long long)limit, (unsigned long long)p,
				  (unsigned long long)want);
			for (u64 b = p; p && b < p + size; b++)
				m.res[b] = true;
			p ? got++ : failed++;
			CHECK_CALL(check_model(&m));
		}
	}
	CHECK(got > 500 && failed > 500);
}
