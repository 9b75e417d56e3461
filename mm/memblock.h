/* SPDX-License-Identifier: MIT */
/*
 * memblock: the boot-time view of physical memory, before the frame allocator exists. It keeps
 * two sorted lists of disjoint ranges: memory (usable RAM from the boot loader's map) and
 * reserved (the kernel image, boot structures, modules, early allocations). Free memory is
 * memory minus reserved. The frame allocator is built from it.
 */
#ifndef WARDEN_MM_MEMBLOCK_H
#define WARDEN_MM_MEMBLOCK_H

#include "kernel/types.h"

#define MEMBLOCK_MAX_REGIONS 128

struct memblock_region {
	phys_addr_t base;
	u64 size;
};

struct memblock_type {
	unsigned int cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

/* Forgets every range (used by tests to start over). */
void memblock_reset(void);

/* Adds usable RAM; overlapping or touching ranges are merged. Returns 0, or -1 if full. */
int memblock_add(phys_addr_t base, u64 size);

/* Marks a range as in use; overlapping or touching ranges are merged. Returns 0, or -1 if full. */
int memblock_reserve(phys_addr_t base, u64 size);

/*
 * Allocates size bytes aligned to align from free memory that ends at or below limit, taking the
 * highest fitting range, and reserves it. Returns the physical address, or 0 if nothing fits.
 */
phys_addr_t memblock_alloc(u64 size, u64 align, phys_addr_t limit);

/* True if any byte of [base, base+size) is reserved. */
bool memblock_is_reserved(phys_addr_t base, u64 size);

/* Calls fn for each maximal free range [start, end), in ascending order. */
void memblock_for_each_free(void (*fn)(phys_addr_t start, phys_addr_t end, void *arg), void *arg);

/* End of the highest usable RAM range. */
phys_addr_t memblock_end_of_ram(void);

#endif
