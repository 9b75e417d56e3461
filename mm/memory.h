/* SPDX-License-Identifier: MIT */
/*
 * Physical and virtual addresses of kernel memory. All physical memory is mapped at
 * page_offset_base (the direct map); the kernel image is also mapped at KERNEL_VMA. Host unit
 * tests point page_offset_base at a buffer that plays physical memory.
 */
#ifndef WARDEN_MM_MEMORY_H
#define WARDEN_MM_MEMORY_H

#include "kernel/compiler.h"
#include "arch/x86_64/layout.h"

#define PAGE_MASK (~((u64)PAGE_SIZE - 1))
#define PFN_DOWN(x) ((u64)(x) >> PAGE_SHIFT)
#define PFN_UP(x) (((u64)(x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_PHYS(pfn) ((phys_addr_t)(pfn) << PAGE_SHIFT)

#define SZ_1M 0x100000UL
#define SZ_2M 0x200000UL
#define SZ_1G 0x40000000UL

extern uintptr_t page_offset_base;

/* The direct-map address of physical address p. */
static inline void *phys_to_virt(phys_addr_t p)
{
	return (void *)(page_offset_base + p);
}

/* The physical address behind a direct-map or kernel-image address. */
static inline phys_addr_t virt_to_phys(const void *v)
{
	uintptr_t a = (uintptr_t)v;

	if (a >= (uintptr_t)KERNEL_VMA)
		return a - (uintptr_t)KERNEL_VMA;
	return a - page_offset_base;
}

#endif
