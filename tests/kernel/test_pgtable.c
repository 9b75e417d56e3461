// SPDX-License-Identifier: MIT
/*
 * Self-tests of the kernel page tables, checked by walking them: each part of the image has its
 * permissions, the direct map is never executable, guard pages are holes, and no page anywhere
 * in the kernel half is both writable and executable.
 */
#include "kernel/selftest.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pgtable.h"
#include "mm/memblock.h"

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];
extern char boot_stack_guard[];

struct expect {
	const char *what;
	bool rw, nx;
};

/* Checks every 4 KiB page of [start, end): present, kernel-only, global, with the expected bits. */
static bool check_range(u64 start, u64 end, struct expect ex)
{
	for (u64 va = start; va < end; va += PAGE_SIZE) {
		int level;
		pte_t e = pgtable_lookup(kernel_pml4, va, &level);
		if (!(e & _PAGE_PRESENT)) {
			selftest_fail(__FILE__, __LINE__, "%s: %#llx not mapped", ex.what,
				      (unsigned long long)va);
			return false;
		}
		bool rw = e & _PAGE_RW, nx = e & _PAGE_NX, user = e & _PAGE_USER;
		if (rw != ex.rw || nx != (ex.nx && __supported_pte_mask_nx) || user ||
		    !(e & _PAGE_GLOBAL)) {
			selftest_fail(__FILE__, __LINE__, "%s: %#llx has pte %#llx (want %s%s)",
				      ex.what, (unsigned long long)va, (unsigned long long)e,
				      ex.rw ? "RW" : "RO", ex.nx ? " NX" : " X");
			return false;
		}
	}
	return true;
}

SELFTEST(kpt_text_rx)
{
	ST_ASSERT(check_range((u64)_text, (u64)_etext, (struct expect){ ".text", false, false }));
}

SELFTEST(kpt_rodata_ro_nx)
{
	ST_ASSERT(check_range((u64)_rodata, (u64)_erodata,
			      (struct expect){ ".rodata", false, true }));
}

/* Is va one of the guard pages left unmapped below a kernel stack? */
static bool is_guard_page(u64 va)
{
	const char *name;

	return va == (u64)boot_stack_guard || ist_guard_contains(va, &name);
}

/* .data and .bss are RW NX everywhere except the guard pages, which are holes. */
SELFTEST(kpt_data_rw_nx)
{
	for (u64 va = (u64)_data; va < (u64)_end; va += PAGE_SIZE)
		if (!is_guard_page(va))
			ST_ASSERT(check_range(va, va + PAGE_SIZE,
					      (struct expect){ ".data/.bss", true, true }));
}

SELFTEST(kpt_stack_guards_unmapped)
{
	ST_ASSERT_EQ(pgtable_lookup(kernel_pml4, (u64)boot_stack_guard, NULL), 0);
	/* Every hole in .data/.bss is a guard: the boot stack's and each CPU's IST stacks'. */
	int holes = 0;
	for (u64 va = (u64)_data; va < (u64)_end; va += PAGE_SIZE) {
		if (pgtable_lookup(kernel_pml4, va, NULL))
			continue;
		holes++;
		ST_ASSERT(is_guard_page(va));
	}
	ST_ASSERT_EQ(holes, 1 + NR_IST_STACKS * NR_CPUS);
}

/* The direct map covers all RAM read-write and non-executable; the kernel's alias is read-only. */
SELFTEST(kpt_direct_map)
{
	phys_addr_t ro_start = virt_to_phys(_text), ro_end = virt_to_phys(_erodata);

	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		for (phys_addr_t pa = ALIGN_UP(r->base, PAGE_SIZE);
		     pa + PAGE_SIZE <= r->base + r->size; pa += PAGE_SIZE) {
			bool ro = pa >= ro_start && pa < ro_end;
			if (!check_range((u64)phys_to_virt(pa), (u64)phys_to_virt(pa) + PAGE_SIZE,
					 (struct expect){ "direct map", !ro, true }))
				return;
		}
	}
}

/* No identity map: the first 4 GiB of the lower half are unmapped in the kernel's tables. */
SELFTEST(kpt_no_identity_map)
{
	ST_ASSERT_EQ(pgtable_lookup(kernel_pml4, 0, NULL), 0);
	ST_ASSERT_EQ(pgtable_lookup(kernel_pml4, KERNEL_PHYS, NULL), 0);
	ST_ASSERT_EQ(kernel_pml4[0], 0);
}

struct wx_scan {
	u64 leaves, bad_va, bad_pte;
};

static void wx_visit(u64 va, pte_t e, int level, void *arg)
{
	struct wx_scan *s = arg;
	(void)level;
	s->leaves++;
	if (!s->bad_va && (((e & _PAGE_RW) && !(e & _PAGE_NX)) || (e & _PAGE_USER))) {
		s->bad_va = va;
		s->bad_pte = e;
	}
}

/* W^X over the whole kernel half: no leaf is writable and executable, none is user-accessible. */
SELFTEST(kpt_wx_whole_kernel_half)
{
	struct wx_scan s = { 0, 0, 0 };

	if (!__supported_pte_mask_nx)
		ST_SKIP("CPU has no NX: every mapping is executable");
	pgtable_for_each_leaf(kernel_pml4, 0xffff800000000000UL, 0, wx_visit, &s);
	ST_ASSERT(s.leaves > 0);
	if (s.bad_va)
		ST_FAIL("%#llx is mapped W+X or user (pte %#llx)", (unsigned long long)s.bad_va,
			(unsigned long long)s.bad_pte);
}
