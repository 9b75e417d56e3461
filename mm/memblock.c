// SPDX-License-Identifier: MIT
/* memblock: sorted, merged range lists for boot-time physical memory management. */
#include "mm/memblock.h"
#include "kernel/compiler.h"
#include "kernel/string.h"

struct memblock memblock;

void memblock_reset(void)
{
	memset(&memblock, 0, sizeof(memblock));
}

/* Inserts [base, end) into a sorted list, merging it with every range it overlaps or touches. */
static int memblock_insert(struct memblock_type *t, phys_addr_t base, phys_addr_t end)
{
	unsigned int i = 0, j;

	if (end <= base)
		return 0;
	while (i < t->cnt && t->regions[i].base + t->regions[i].size < base)
		i++;
	/* Ranges i..j-1 overlap or touch [base, end): fold them in. */
	for (j = i; j < t->cnt && t->regions[j].base <= end; j++) {
		base = min(base, t->regions[j].base);
		end = max(end, t->regions[j].base + t->regions[j].size);
	}
	if (i == j) {
		if (t->cnt == MEMBLOCK_MAX_REGIONS)
			return -1;
		memmove(&t->regions[i + 1], &t->regions[i], (t->cnt - i) * sizeof(t->regions[0]));
		t->cnt++;
	} else if (j - i > 1) {
		memmove(&t->regions[i + 1], &t->regions[j], (t->cnt - j) * sizeof(t->regions[0]));
		t->cnt -= j - i - 1;
	}
	t->regions[i] = (struct memblock_region){ base, end - base };
	return 0;
}

int memblock_add(phys_addr_t base, u64 size)
{
	return memblock_insert(&memblock.memory, base, base + size);
}

int memblock_reserve(phys_addr_t base, u64 size)
{
	return memblock_insert(&memblock.reserved, base, base + size);
}

bool memblock_is_reserved(phys_addr_t base, u64 size)
{
	const struct memblock_type *r = &memblock.reserved;

	for (unsigned int i = 0; i < r->cnt; i++)
		if (r->regions[i].base < base + size &&
		    base < r->regions[i].base + r->regions[i].size)
			return true;
	return false;
}

/*
 * Yields the free pieces of memory region m (m minus every reserved range), in ascending order,
 * stopping early if fn returns true.
 */
static bool for_each_free_piece(const struct memblock_region *m,
				bool (*fn)(phys_addr_t, phys_addr_t, void *), void *arg)
{
	const struct memblock_type *r = &memblock.reserved;
	phys_addr_t cur = m->base, end = m->base + m->size;

	for (unsigned int i = 0; i < r->cnt && cur < end; i++) {
		phys_addr_t rb = r->regions[i].base, re = rb + r->regions[i].size;
		if (re <= cur)
			continue;
		if (rb >= end)
			break;
		if (rb > cur && fn(cur, rb, arg))
			return true;
		cur = max(cur, re);
	}
	if (cur < end)
		return fn(cur, end, arg);
	return false;
}

struct free_walk {
	void (*fn)(phys_addr_t, phys_addr_t, void *);
	void *arg;
};

static bool call_free_fn(phys_addr_t s, phys_addr_t e, void *arg)
{
	struct free_walk *w = arg;
	w->fn(s, e, w->arg);
	return false;
}

void memblock_for_each_free(void (*fn)(phys_addr_t, phys_addr_t, void *), void *arg)
{
	struct free_walk w = { fn, arg };

	for (unsigned int i = 0; i < memblock.memory.cnt; i++)
		for_each_free_piece(&memblock.memory.regions[i], call_free_fn, &w);
}

struct alloc_search {
	u64 size, align;
	phys_addr_t limit, found;
};

/* Remembers the highest aligned block of the wanted size inside [s, e) below the limit. */
static bool consider_piece(phys_addr_t s, phys_addr_t e, void *arg)
{
	struct alloc_search *a = arg;

	e = min(e, a->limit);
	if (e < a->size)
		return false;
	phys_addr_t cand = ALIGN_DOWN(e - a->size, a->align);
	if (cand >= s && cand + a->size <= e && cand >= a->found && cand != 0)
		a->found = cand;
	return false;
}

phys_addr_t memblock_alloc(u64 size, u64 align, phys_addr_t limit)
{
	struct alloc_search a = { size, align ? align : 1, limit, 0 };

	if (!size)
		return 0;
	for (unsigned int i = 0; i < memblock.memory.cnt; i++)
		for_each_free_piece(&memblock.memory.regions[i], consider_piece, &a);
	if (a.found && memblock_reserve(a.found, size) != 0)
		return 0;
	return a.found;
}

phys_addr_t memblock_end_of_ram(void)
{
	const struct memblock_type *m = &memblock.memory;

	return m->cnt ? m->regions[m->cnt - 1].base + m->regions[m->cnt - 1].size : 0;
}
