/* SPDX-License-Identifier: MIT */
/*
 * The virtual memory layout (docs/memory-layout.md draws it). The boot assembly includes a copy of
 * the plain #defines below, generated into build/layout.inc, so keep them plain: a name and a
 * number, nothing else on the line.
 */
#ifndef WARDEN_ARCH_LAYOUT_H
#define WARDEN_ARCH_LAYOUT_H

#define PAGE_SHIFT 12
#define PAGE_SIZE 0x1000

/* Where the kernel image is linked: the top 2 GiB, as -mcmodel=kernel requires. */
#define KERNEL_VMA 0xffffffff80000000
/* Where the boot loader puts it in physical memory. */
#define KERNEL_PHYS 0x100000

/* All physical memory is mapped here, read-write and never executable. Linux uses the same base. */
#define DIRECT_MAP_BASE 0xffff888000000000
/* One PML4 slot of direct map: 512 GiB of physical memory at most. */
#define DIRECT_MAP_SIZE 0x8000000000

/* vmalloc area: kernel stacks (each with an unmapped guard page) and large buffers. */
#define VMALLOC_START 0xffffc90000000000
#define VMALLOC_END 0xffffc98000000000

/* User space: the lower canonical half, as on Linux with 4-level paging. */
#define USER_TOP 0x800000000000

/* Kernel stacks: 16 KiB, as on Linux x86-64. */
#define KSTACK_SIZE 0x4000

/* Segment selectors: the GDT has Linux's layout so user-visible values (CS, SS) match. */
#define GDT_KERNEL_CS32 0x08
#define GDT_KERNEL_CS 0x10
#define GDT_KERNEL_DS 0x18
#define GDT_USER_CS32 0x23
#define GDT_USER_DS 0x2b
#define GDT_USER_CS 0x33
#define GDT_TSS 0x40
#define GDT_LDT 0x50
#define GDT_CPUNODE 0x7b
#define GDT_ENTRIES 16

#endif
