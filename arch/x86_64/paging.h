/* SPDX-License-Identifier: MIT */
/*
 * The kernel's own page tables, built at boot to replace the boot tables:
 *   .text R-X, .rodata R--, .data/.bss RW- (NX), the guard page below the boot stack unmapped;
 *   the direct map of RAM RW- (NX), except the alias of the kernel's text and rodata, R-- (NX);
 *   no identity map, so a NULL dereference faults.
 */
#ifndef WARDEN_ARCH_PAGING_H
#define WARDEN_ARCH_PAGING_H

#include "kernel/types.h"

/* Builds the tables from memblock's RAM ranges and switches CR3 to them. */
void paging_init(void);

/*
 * Makes the firmware memory [pa, pa+size) (ACPI tables, the BIOS area: RAM that the memory map
 * calls reserved, so the direct map left it out) readable at its direct-map address, read-only
 * and NX, mapping only the 4 KiB pages not mapped yet. Returns phys_to_virt(pa), or NULL when the
 * range wraps, lies past the direct map, or page tables cannot be allocated. Never unmapped.
 */
const void *memremap_ro(phys_addr_t pa, size_t size);

/*
 * Maps device registers [pa, pa+size) (the local APIC) uncached (PCD and PWT), read-write and NX
 * at their direct-map address, and returns it; NULL if the range is RAM already mapped, out of
 * the direct map's reach, or tables cannot be allocated. Never unmapped.
 */
void *ioremap_uc(phys_addr_t pa, size_t size);

#endif
