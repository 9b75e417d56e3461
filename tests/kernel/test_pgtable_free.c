// SPDX-License-Identifier: MIT
/*
 * Self-tests of page-table freeing (issue 15, defect 5; Linux's free_pgtables): after munmap,
 * mremap or MAP_FIXED the page tables that no VMA can use any more are freed, exactly those, and
 * a neighbour VMA in the same 2 MiB, 1 GiB or 512 GiB region keeps its tables and its data.
 * Each test counts page-table frames (pgtable_nr_tables) against exact expectations.
 */
#include "kernel/selftest.h"
#include "kernel/sched.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "arch/x86_64/pgtable.h"

#define PT_BASE 0x100000000000UL /* 16 TiB: PML4 slot 32, nothing else of the test mm there */
#define RW (PROT_READ | PROT_WRITE)
#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define MREMAP_MAYMOVE 1 /* Linux uapi, as mm/mremap.c */
#define MREMAP_FIXED 2

/* A scratch address space made current, and the table count it started with. */
static struct mm_struct *pt_mm;
static u64 pt_base_tables;

/* Makes a scratch mm current. */
static bool pt_begin(void)
{
	pt_mm = mm_alloc();
	if (!pt_mm)
		return false;
	current->mm = pt_mm;
	switch_mm(pt_mm);
	pt_base_tables = pgtable_nr_tables();
	return true;
}

/* Drops the scratch mm. */
static void pt_end(void)
{
	current->mm = NULL;
	switch_mm(NULL);
	mmput(pt_mm);
}

/* Page tables the scratch mm has now beyond its empty start. */
static s64 pt_tables(void)
{
	return (s64)(pgtable_nr_tables() - pt_base_tables);
}

/* Maps len bytes at addr with prot (a different prot keeps neighbours apart). */
static long pt_map(u64 addr, u64 len, u64 prot)
{
	return do_mmap(pt_mm, NULL, addr, len, prot, FIXED, 0);
}

/* Writes v at addr through the fault path; true on success. */
static bool pt_put(u64 addr, u64 v)
{
	return put_user_u64(v, (u64 *)addr) == 0;
}

/* Reads the word at addr (~0 when the read faults). */
static u64 pt_get(u64 addr)
{
	u64 v;

	return get_user_u64(&v, (const u64 *)addr) ? ~0ULL : v;
}

/* One touched page costs a PDPT, a page directory and a page table; munmap gives all three back. */
SELFTEST(pgtable_free_munmap_single_page)
{
	ST_ASSERT(pt_begin());
	ST_ASSERT_EQ(pt_map(PT_BASE, PAGE_SIZE, RW), (long)PT_BASE);
	ST_ASSERT(pt_put(PT_BASE, 1));
	ST_ASSERT_EQ(pt_tables(), 3);
	ST_ASSERT_EQ(do_munmap(pt_mm, PT_BASE, PAGE_SIZE), 0);
	ST_ASSERT_EQ(pt_tables(), 0);
	pt_end();
}

/* A neighbour in the same 2 MiB keeps all three tables and its data, until it goes too. */
SELFTEST(pgtable_free_keeps_neighbour_same_2m)
{
	u64 a = PT_BASE + SZ_2M - 2 * PAGE_SIZE, b = a + PAGE_SIZE;

	ST_ASSERT(pt_begin());
	ST_ASSERT_EQ(pt_map(a, PAGE_SIZE, RW), (long)a);
	ST_ASSERT_EQ(pt_map(b, PAGE_SIZE, RW | PROT_EXEC), (long)b);
	ST_ASSERT(pt_put(a, 0xa) && pt_put(b, 0xb));
	ST_ASSERT_EQ(pt_tables(), 3);
	ST_ASSERT_EQ(do_munmap(pt_mm, a, PAGE_SIZE), 0);
	ST_ASSERT_EQ(pt_tables(), 3);
	ST_ASSERT_EQ(pt_get(b), 0xb);
	ST_ASSERT_EQ(do_munmap(pt_mm, b, PAGE_SIZE), 0);
	ST_ASSERT_EQ(pt_tables(), 0);
	pt_end();
}

/*
 * Neighbours in the same 1 GiB (another 2 MiB) and the same 512 GiB (another 1 GiB): munmap of
 * one frees exactly the tables that cover it alone, from either side.
 */
SELFTEST(pgtable_free_keeps_neighbour_same_1g_512g)
{
	u64 a = PT_BASE + SZ_2M - PAGE_SIZE, b = PT_BASE + SZ_2M, c = PT_BASE + (1UL << 30);

	ST_ASSERT(pt_begin());
	ST_ASSERT_EQ(pt_map(a, PAGE_SIZE, RW), (long)a);
	ST_ASSERT_EQ(pt_map(b, PAGE_SIZE, RW | PROT_EXEC), (long)b);
	ST_ASSERT_EQ(pt_map(c, PAGE_SIZE, RW), (long)c);
	ST_ASSERT(pt_put(a, 0xa) && pt_put(b, 0xb) && pt_put(c, 0xc));
	ST_ASSERT_EQ(pt_tables(), 6); /* PDPT; PD 0 with PT a, PT b; PD 1 with PT c */
	ST_ASSERT_EQ(do_munmap(pt_mm, b, PAGE_SIZE), 0); /* b's PT alone */
	ST_ASSERT_EQ(pt_tables(), 5);
	ST_ASSERT_EQ(pt_get(a), 0xa);
	ST_ASSERT_EQ(do_munmap(pt_mm, c, PAGE_SIZE), 0); /* PD 1 and its PT */
	ST_ASSERT_EQ(pt_tables(), 3);
	ST_ASSERT_EQ(pt_get(a), 0xa);
	ST_ASSERT_EQ(do_munmap(pt_mm, a, PAGE_SIZE), 0);
	ST_ASSERT_EQ(pt_tables(), 0);
	pt_end();
}

/* A hole punched in the middle of a VMA frees nothing: both pieces still use the tables. */
SELFTEST(pgtable_free_hole_in_vma)
{
	u64 a = PT_BASE + SZ_2M - PAGE_SIZE, len = SZ_2M + 2 * PAGE_SIZE; /* three PTs */

	ST_ASSERT(pt_begin());
	ST_ASSERT_EQ(pt_map(a, len, RW), (long)a);
	ST_ASSERT(pt_put(a, 1) && pt_put(a + SZ_2M, 3) && pt_put(a + len - PAGE_SIZE, 2));
	ST_ASSERT_EQ(pt_tables(), 5);
	/* Everything but the first and the last page: the middle 2 MiB PT has no user left. */
	ST_ASSERT_EQ(do_munmap(pt_mm, a + PAGE_SIZE, len - 2 * PAGE_SIZE), 0);
	ST_ASSERT_EQ(pt_tables(), 4);
	ST_ASSERT_EQ(pt_get(a), 1);
	ST_ASSERT_EQ(pt_get(a + len - PAGE_SIZE), 2);
	ST_ASSERT_EQ(do_munmap(pt_mm, a, len), 0);
	ST_ASSERT_EQ(pt_tables(), 0);
	pt_end();
}

/* mremap's move frees the tables of the old range; MAP_FIXED over a range frees what it replaced.
 */
SELFTEST(pgtable_free_mremap_and_map_fixed)
{
	u64 a = PT_BASE, b = PT_BASE + (1UL << 39); /* another PDPT */

	ST_ASSERT(pt_begin());
	ST_ASSERT_EQ(pt_map(a, 2 * PAGE_SIZE, RW), (long)a);
	ST_ASSERT(pt_put(a, 0x11) && pt_put(a + PAGE_SIZE, 0x22));
	ST_ASSERT_EQ(
		do_mremap(pt_mm, a, 2 * PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, b),
		(long)b);
	ST_ASSERT_EQ(pt_tables(), 3);
	ST_ASSERT_EQ(pt_get(b + PAGE_SIZE), 0x22);
	/* A MAP_FIXED mapping of 1 GiB over b: the old pages go, a fresh VMA (no pages yet). */
	ST_ASSERT_EQ(pt_map(b, 1UL << 30, PROT_READ), (long)b);
	ST_ASSERT_EQ(pt_tables(), 0);
	ST_ASSERT_EQ(pt_get(b + PAGE_SIZE), 0);
	ST_ASSERT_EQ(pt_tables(), 3);
	pt_end();
}

/* Unmapping many scattered pages at once gives back every table (more than one flush batch). */
SELFTEST(pgtable_free_many_tables)
{
	ST_ASSERT(pt_begin());
	for (u64 i = 0; i < 200; i++) {
		u64 va = PT_BASE + i * (1UL << 30);
		ST_ASSERT_EQ(pt_map(va, PAGE_SIZE, i & 1 ? RW : RW | PROT_EXEC), (long)va);
		ST_ASSERT(pt_put(va, i));
	}
	ST_ASSERT_EQ(pt_tables(), 1 + 2 * 200);
	ST_ASSERT_EQ(do_munmap(pt_mm, PT_BASE, 200UL << 30), 0);
	ST_ASSERT_EQ(pt_tables(), 0);
	pt_end();
}

/*
 * The classic bug: the VMA below ends inside the first 2 MiB of the unmapped range (an unaligned
 * floor). That page table still maps the VMA below and must stay; the next one goes.
 */
SELFTEST(pgtable_free_unaligned_floor_and_ceiling)
{
	u64 a = PT_BASE + SZ_2M / 2, b = a + PAGE_SIZE, c = PT_BASE + 3 * SZ_2M + SZ_2M / 2;

	ST_ASSERT(pt_begin());
	ST_ASSERT_EQ(pt_map(a, PAGE_SIZE, RW), (long)a);
	ST_ASSERT_EQ(pt_map(b, c - b, RW | PROT_EXEC), (long)b);
	ST_ASSERT_EQ(pt_map(c, PAGE_SIZE, RW), (long)c);
	ST_ASSERT(pt_put(a, 0xa) && pt_put(b, 0xb) && pt_put(PT_BASE + SZ_2M, 1) &&
		  pt_put(PT_BASE + 2 * SZ_2M, 2) && pt_put(c - PAGE_SIZE, 3) && pt_put(c, 0xc));
	ST_ASSERT_EQ(pt_tables(), 6); /* PDPT, PD, four PTs */
	ST_ASSERT_EQ(do_munmap(pt_mm, b, c - b), 0); /* the first and last PT serve a and c */
	ST_ASSERT_EQ(pt_tables(), 4);
	ST_ASSERT_EQ(pt_get(a), 0xa);
	ST_ASSERT_EQ(pt_get(c), 0xc);
	ST_ASSERT_EQ(do_munmap(pt_mm, a, c + PAGE_SIZE - a), 0);
	ST_ASSERT_EQ(pt_tables(), 0);
	pt_end();
}
