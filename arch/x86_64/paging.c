// SPDX-License-Identifier: MIT
/* Building the kernel page tables with W^X permissions and switching to them. */
#include "arch/x86_64/paging.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "fs/proc.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlb.h"
#include "mm/frame.h"
#include "mm/memblock.h"
#include "kernel/panic.h"

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];
extern char boot_stack_guard[];

uintptr_t page_offset_base = DIRECT_MAP_BASE;

/* Maps a page-aligned part of the kernel image at its link address. */
static void map_image_section(const char *start, const char *end, u64 flags)
{
	if (kernel_map_range((u64)start, virt_to_phys(start), (u64)(end - start), flags))
		panic("paging_init: out of memory mapping the kernel image");
}

/* Maps RAM [start, end) in the direct map: read-only where it aliases kernel text or rodata. */
static void map_direct_range(phys_addr_t start, phys_addr_t end)
{
	phys_addr_t ro_start = virt_to_phys(_text), ro_end = virt_to_phys(_erodata);
	struct {
		phys_addr_t s, e;
		u64 flags;
	} parts[3] = {
		{ start, min(end, ro_start), PAGE_KERNEL },
		{ max(start, ro_start), min(end, ro_end), PAGE_KERNEL_RO },
		{ max(start, ro_end), end, PAGE_KERNEL },
	};

	for (int i = 0; i < 3; i++) {
		if (parts[i].s >= parts[i].e)
			continue;
		if (parts[i].e > DIRECT_MAP_SIZE)
			panic("paging_init: RAM above %#llx does not fit the direct map",
			      (unsigned long long)DIRECT_MAP_SIZE);
		if (kernel_map_range(DIRECT_MAP_BASE + parts[i].s, parts[i].s,
				     parts[i].e - parts[i].s, parts[i].flags))
			panic("paging_init: out of memory building the direct map");
	}
}

/* Creates the PDPT of a kernel-half PML4 slot now, so every address space can share it. */
static void preallocate_slot(u64 va)
{
	if (!pgtable_walk(kernel_pml4, va, PG_LEVEL_1G, true, NULL))
		panic("paging_init: out of memory");
}

void paging_init(void)
{
	if (rdmsr(MSR_EFER) & EFER_NXE)
		__supported_pte_mask_nx = _PAGE_NX;
	kernel_pml4 = get_free_page(GFP_ZERO);
	if (!kernel_pml4)
		panic("paging_init: no memory for the kernel PML4");

	map_image_section(_text, _etext, PAGE_KERNEL_RX);
	map_image_section(_rodata, _erodata, PAGE_KERNEL_RO);
	map_image_section(_data, _end, PAGE_KERNEL);
	pgtable_unmap(kernel_pml4, (u64)boot_stack_guard);

	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		map_direct_range(ALIGN_DOWN(r->base, PAGE_SIZE),
				 ALIGN_UP(r->base + r->size, PAGE_SIZE));
	}
	preallocate_slot(DIRECT_MAP_BASE);
	preallocate_slot(VMALLOC_START);
	preallocate_slot(KERNEL_VMA);

	write_cr3(virt_to_phys(kernel_pml4));
	flush_tlb_all();
}

const void *memremap_ro(phys_addr_t pa, size_t size)
{
	if (!size || pa >= DIRECT_MAP_SIZE || size > DIRECT_MAP_SIZE - pa)
		return NULL;
	for (phys_addr_t p = ALIGN_DOWN(pa, PAGE_SIZE); p < pa + size; p += PAGE_SIZE) {
		u64 va = DIRECT_MAP_BASE + p;
		if (pgtable_lookup(kernel_pml4, va, NULL))
			continue;
		if (pgtable_map(kernel_pml4, va, p, PAGE_KERNEL_RO, PG_LEVEL_4K))
			return NULL;
	}
	return phys_to_virt(pa);
}

void *ioremap_uc(phys_addr_t pa, size_t size)
{
	if (!size || pa >= DIRECT_MAP_SIZE || size > DIRECT_MAP_SIZE - pa)
		return NULL;
	for (phys_addr_t p = ALIGN_DOWN(pa, PAGE_SIZE); p < pa + size; p += PAGE_SIZE) {
		u64 va = DIRECT_MAP_BASE + p;
		if (pgtable_lookup(kernel_pml4, va, NULL))
			return NULL; /* RAM, or mapped already with other attributes */
		if (pgtable_map(kernel_pml4, va, p, PAGE_KERNEL | _PAGE_PCD | _PAGE_PWT,
				PG_LEVEL_4K))
			return NULL;
	}
	return (void *)phys_to_virt(pa);
}

/*
 * The DirectMap lines of /proc/meminfo, as Linux's arch_report_meminfo: the RAM the direct map
 * covers, counted as 4 KiB pages (Warden does not count its larger ones apart), and a 1 GiB
 * line only on a CPU that has 1 GiB pages.
 */
void arch_report_meminfo(struct seq_buf *m)
{
	unsigned long kb = (unsigned long)(nr_managed_frames() * (PAGE_SIZE / 1024));

	seq_printf(m, "DirectMap4k:    %8lu kB\nDirectMap2M:    %8lu kB\n", kb, 0UL);
	if (cpu_has(X86_FEATURE_PDPE1GB))
		seq_printf(m, "DirectMap1G:    %8lu kB\n", 0UL);
}
