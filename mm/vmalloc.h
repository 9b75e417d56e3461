/* SPDX-License-Identifier: MIT */
/*
 * vmalloc: virtually contiguous kernel memory made of single frames, in the vmalloc area. Every
 * area starts with an unmapped guard page, so running off the bottom of a buffer, or overflowing
 * a kernel stack that lives here, faults instead of corrupting the neighbour.
 */
#ifndef WARDEN_MM_VMALLOC_H
#define WARDEN_MM_VMALLOC_H

#include "mm/memory.h"

/* Pages mapped by vmalloc now (Linux's vmalloc_nr_pages(): /proc/meminfo's VmallocUsed). */
extern u64 vmalloc_nr_pages;

/* Allocates and maps PFN_UP(size) pages; NULL when memory or address space runs out. */
void *vmalloc(size_t size, unsigned int gfp);

/* Unmaps and frees an area from vmalloc(); NULL is ignored. */
void vfree(const void *addr);

/* Bytes mapped for the area starting at addr (a whole number of pages). */
size_t vmalloc_size(const void *addr);

/* True if addr lies in the guard page of a vmalloc area; *area_start gets the area's start. */
bool vmalloc_in_guard(u64 addr, u64 *area_start);

static inline bool is_vmalloc_addr(const void *p)
{
	return (u64)(uintptr_t)p >= VMALLOC_START && (u64)(uintptr_t)p < VMALLOC_END;
}

#endif
