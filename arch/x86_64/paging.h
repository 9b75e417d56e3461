/* SPDX-License-Identifier: MIT */
/*
 * The kernel's own page tables, built at boot to replace the boot tables:
 *   .text R-X, .rodata R--, .data/.bss RW- (NX), the guard page below the boot stack unmapped;
 *   the direct map of RAM RW- (NX), except the alias of the kernel's text and rodata, R-- (NX);
 *   no identity map, so a NULL dereference faults.
 */
#ifndef WARDEN_ARCH_PAGING_H
#define WARDEN_ARCH_PAGING_H

/* Builds the tables from memblock's RAM ranges and switches CR3 to them. */
void paging_init(void);

#endif
