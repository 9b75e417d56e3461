// SPDX-License-Identifier: MIT
/*
 * Self-tests of address spaces in the running kernel: random mmap, munmap and mprotect (with
 * page touches through the real fault path) in a scratch mm, with the VMA tree's invariant
 * checker after every operation and every frame back at the end.
 */
#include "kernel/selftest.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/vma.h"
#include "mm/uaccess.h"
#include "tests/kernel/mm_helpers.h"
#include "mm/frame.h"
#include "arch/x86_64/pgtable.h"

#define ARENA 0x20000000UL
#define ARENA_PAGES 512

static long mprotect_in(struct mm_struct *mm, u64 start, u64 len, u64 prot)
{
	struct mm_struct *saved = current->mm;
	current->mm = mm;
	long r = sys_mprotect(start, len, prot);
	current->mm = saved;
	return r;
}

/* The frame behind a user address in mm, and its PTE. */
static struct page *frame_at(struct mm_struct *mm, u64 addr, pte_t *pte)
{
	*pte = pgtable_lookup(mm->pgd, addr, NULL);
	return *pte ? phys_to_page(*pte & PTE_ADDR_MASK) : NULL;
}

/* The reference model: each arena page's VM_READ|VM_WRITE|VM_EXEC bits, or -1 if unmapped. */
static int model[ARENA_PAGES + 16];

/* mprotect as Linux applies it: page by page from the start, stopping at the first hole. */
static long model_mprotect(u64 page, u64 npages, int prot)
{
	for (u64 p = page; p < page + npages; p++) {
		if (p >= ARENA_PAGES || model[p] < 0)
			return -ENOMEM;
		model[p] = prot;
	}
	return 0;
}

/* Compares every arena page's VMA (or its absence) with the model. */
static bool model_matches(struct mm_struct *mm, u64 *bad_page)
{
	for (u64 p = 0; p < ARENA_PAGES; p++) {
		u64 addr = ARENA + p * PAGE_SIZE;
		struct vm_area_struct *v = find_vma(mm, addr);
		int have = v && v->vm_start <= addr ? (int)(v->vm_flags & 7) : -1;
		if (have != model[p]) {
			*bad_page = p;
			return false;
		}
	}
	return true;
}

SELFTEST(mmap_random_ops_keep_invariants)
{
	u64 before = nr_free_frames() + pgtable_nr_tables(), bad;
	struct mm_struct *mm = mm_alloc();
	char why[160];

	ST_ASSERT(mm);
	for (int i = 0; i < ARENA_PAGES + 16; i++)
		model[i] = -1;
	current->mm = mm;
	switch_mm(mm);
	for (int step = 0; step < 3000; step++) {
		u64 page = selftest_random() % ARENA_PAGES, npages = 1 + selftest_random() % 16;
		u64 addr = ARENA + page * PAGE_SIZE, len = npages * PAGE_SIZE;
		if (page + npages > ARENA_PAGES)
			npages = ARENA_PAGES - page, len = npages * PAGE_SIZE;
		switch (selftest_random() % 4) {
		case 0:
			ST_ASSERT_EQ(do_mmap(mm, NULL, addr, len, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
				     (long)addr);
			for (u64 p = page; p < page + npages; p++)
				model[p] = PROT_READ | PROT_WRITE;
			break;
		case 1:
			ST_ASSERT_EQ(do_munmap(mm, addr, len), 0);
			for (u64 p = page; p < page + npages; p++)
				model[p] = -1;
			break;
		case 2: {
			int prot = (int)(selftest_random() % 8);
			ST_ASSERT_EQ(mprotect_in(mm, addr, len, prot),
				     model_mprotect(page, npages, prot));
			break;
		}
		default: { /* a write succeeds exactly where the model says the page is writable */
			bool ok = put_user_u64(step, (u64 *)addr) == 0;
			ST_ASSERT_EQ(ok, model[page] >= 0 && (model[page] & PROT_WRITE));
			break;
		}
		}
		if (step % 97 == 0) {
			/* fork and let the child write: copy-on-write must leave the parent intact
			 */
			struct mm_struct *child = dup_mm(mm);
			ST_ASSERT(child);
			write_in(child, addr, ~0ULL);
			mmput(child);
			switch_mm(mm);
		}
		if (vma_tree_check(&mm->mm_rb, why, sizeof(why)))
			ST_FAIL("step %d: %s", step, why);
		if (!model_matches(mm, &bad))
			ST_FAIL("step %d: page %llu differs from the model", step,
				(unsigned long long)bad);
	}
	current->mm = NULL;
	switch_mm(NULL);
	mmput(mm);
	ST_ASSERT_EQ(nr_free_frames() + pgtable_nr_tables(), before);
}

/* get_unmapped_area places mappings top-down below mmap_base, without overlap. */
SELFTEST(mmap_topdown_placement)
{
	struct mm_struct *mm = mm_alloc();
	char why[160];

	ST_ASSERT(mm);
	long a = do_mmap(mm, NULL, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	long b = do_mmap(mm, NULL, 0, 3 * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	ST_ASSERT_EQ(a, (long)(MMAP_BASE - PAGE_SIZE));
	ST_ASSERT_EQ(b, a - 3 * (long)PAGE_SIZE);
	ST_ASSERT_EQ(mm->mm_rb.count, 1); /* b ends where a starts, with a's flags: merged */
	ST_ASSERT_EQ(do_munmap(mm, (u64)b + PAGE_SIZE, PAGE_SIZE), 0); /* splits it */
	ST_ASSERT_EQ(mm->mm_rb.count, 2);
	long c = do_mmap(mm, NULL, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	ST_ASSERT_EQ(c, b + (long)PAGE_SIZE); /* the highest hole that fits */
	ST_ASSERT_EQ(vma_tree_check(&mm->mm_rb, why, sizeof(why)), 0);
	mmput(mm);
}

/* fork shares private pages read-only; the first write copies, the last one reuses the frame. */
SELFTEST(mmap_copy_on_write)
{
	u64 before = nr_free_frames() + pgtable_nr_tables(), v = 0;
	struct mm_struct *parent = mm_alloc();
	pte_t pp, cp;

	ST_ASSERT(parent);
	ST_ASSERT_EQ(do_mmap(parent, NULL, ARENA, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
		     (long)ARENA);
	ST_ASSERT_EQ(write_in(parent, ARENA, 1111), 0);
	struct mm_struct *child = dup_mm(parent);
	ST_ASSERT(child);

	struct page *shared = frame_at(parent, ARENA, &pp);
	ST_ASSERT(shared && shared == frame_at(child, ARENA, &cp));
	ST_ASSERT_EQ(shared->refcount, 2);
	ST_ASSERT(!(pp & _PAGE_RW) && !(cp & _PAGE_RW));

	ST_ASSERT_EQ(write_in(child, ARENA, 2222), 0); /* the child copies */
	struct page *copy = frame_at(child, ARENA, &cp);
	ST_ASSERT(copy && copy != shared && (cp & _PAGE_RW));
	ST_ASSERT_EQ(shared->refcount, 1);

	ST_ASSERT_EQ(write_in(parent, ARENA, 3333),
		     0); /* the parent, last user, reuses its frame */
	ST_ASSERT(frame_at(parent, ARENA, &pp) == shared && (pp & _PAGE_RW));

	current->mm = child;
	switch_mm(child);
	ST_ASSERT_EQ(get_user_u64(&v, (u64 *)ARENA), 0);
	ST_ASSERT_EQ(v, 2222);
	current->mm = parent;
	switch_mm(parent);
	ST_ASSERT_EQ(get_user_u64(&v, (u64 *)ARENA), 0);
	ST_ASSERT_EQ(v, 3333);
	current->mm = NULL;
	switch_mm(NULL);
	mmput(child);
	mmput(parent);
	ST_ASSERT_EQ(nr_free_frames() + pgtable_nr_tables(), before);
}

/* max_map_count (spec 2.5, cases 57-59): lenient mmap, strict splits, munmap only when inside. */
SELFTEST(mmap_max_map_count)
{
	struct mm_struct *mm = mm_alloc();
	int saved = sysctl_max_map_count;

	ST_ASSERT(mm);
	sysctl_max_map_count = 4;
	for (int i = 0; i < 4; i++) /* separate VMAs: one page apart */
		ST_ASSERT_EQ(do_mmap(mm, NULL, ARENA + (u64)i * 4 * PAGE_SIZE, 2 * PAGE_SIZE,
				     PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
			     (long)(ARENA + (u64)i * 4 * PAGE_SIZE));
	/* at the limit: one more mmap is allowed (map_count > max is refused, not >=) */
	u64 fifth = ARENA + 32 * PAGE_SIZE;
	ST_ASSERT_EQ(do_mmap(mm, NULL, fifth, 4 * PAGE_SIZE, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
		     (long)fifth);
	ST_ASSERT_EQ(mm->mm_rb.count, 5);
	ST_ASSERT_EQ(do_mmap(mm, NULL, ARENA + 64 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
		     -ENOMEM);
	/* munmap strictly inside a VMA needs a VMA more: refused; at an edge: fine */
	ST_ASSERT_EQ(do_munmap(mm, fifth + PAGE_SIZE, PAGE_SIZE), -ENOMEM);
	ST_ASSERT_EQ(mm->mm_rb.count, 5);
	ST_ASSERT_EQ(do_munmap(mm, fifth, PAGE_SIZE), 0);
	ST_ASSERT_EQ(mm->mm_rb.count, 5);
	ST_ASSERT_EQ(do_munmap(mm, ARENA, 2 * PAGE_SIZE), 0); /* a whole VMA */
	ST_ASSERT_EQ(mm->mm_rb.count, 4);
	sysctl_max_map_count = saved;
	mmput(mm);
}

/* A first read maps the shared zero page read-only; the first write gives a private zeroed frame.
 */
SELFTEST(mmap_zero_page)
{
	u64 before = nr_free_frames() + pgtable_nr_tables(), v = 1;
	struct mm_struct *mm = mm_alloc();
	pte_t pte;

	ST_ASSERT(mm);
	ST_ASSERT_EQ(do_mmap(mm, NULL, ARENA, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
		     (long)ARENA);
	current->mm = mm;
	switch_mm(mm);
	ST_ASSERT_EQ(get_user_u64(&v, (u64 *)ARENA), 0); /* builds the page tables */
	ST_ASSERT_EQ(v, 0);
	ST_ASSERT(!find_vma(mm, ARENA)->anon_vma); /* reads make no anonymous page */
	ST_ASSERT_EQ(anon_vma_prepare(find_vma(mm, ARENA)), 0); /* so its slab is not counted */
	u64 after_first_read = nr_free_frames() + pgtable_nr_tables();
	ST_ASSERT_EQ(get_user_u64(&v, (u64 *)(ARENA + PAGE_SIZE)), 0);
	ST_ASSERT_EQ(nr_free_frames() + pgtable_nr_tables(), after_first_read); /* reads are free */
	ST_ASSERT(frame_at(mm, ARENA, &pte) == zero_page && !(pte & _PAGE_RW));
	ST_ASSERT(frame_at(mm, ARENA + PAGE_SIZE, &pte) == zero_page);
	ST_ASSERT_EQ(put_user_u64(7, (u64 *)ARENA), 0);
	ST_ASSERT_EQ(nr_free_frames() + pgtable_nr_tables(), after_first_read - 1);
	struct page *own = frame_at(mm, ARENA, &pte);
	ST_ASSERT(own && own != zero_page && (pte & _PAGE_RW));
	ST_ASSERT_EQ(get_user_u64(&v, (u64 *)ARENA), 0);
	ST_ASSERT_EQ(v, 7);
	ST_ASSERT(frame_at(mm, ARENA + PAGE_SIZE, &pte) ==
		  zero_page); /* the neighbour still shares */
	const u64 *zero = page_address(zero_page);
	for (int i = 0; i < PAGE_SIZE / 8; i++)
		ST_ASSERT_EQ(zero[i], 0);
	current->mm = NULL;
	switch_mm(NULL);
	mmput(mm);
	ST_ASSERT_EQ(nr_free_frames() + pgtable_nr_tables(), before);
}

/* MAP_SHARED|MAP_ANONYMOUS is shared with a forked child, even pages first touched after fork,
 * and its backing (an unlinked ramfs file) is freed with the last mapping. */
SELFTEST(mmap_shared_anonymous)
{
	u64 before = nr_free_frames() + pgtable_nr_tables(), v = 0;
	struct mm_struct *parent = mm_alloc();

	ST_ASSERT(parent);
	ST_ASSERT_EQ(do_mmap(parent, NULL, ARENA, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0),
		     (long)ARENA);
	ST_ASSERT_EQ(write_in(parent, ARENA, 5), 0);
	struct mm_struct *child = dup_mm(parent);
	ST_ASSERT(child);
	ST_ASSERT_EQ(write_in(child, ARENA + PAGE_SIZE, 6), 0); /* untouched before the fork */
	ST_ASSERT_EQ(write_in(child, ARENA, 7), 0);
	current->mm = parent;
	switch_mm(parent);
	ST_ASSERT_EQ(get_user_u64(&v, (u64 *)(ARENA + PAGE_SIZE)), 0);
	ST_ASSERT_EQ(v, 6);
	ST_ASSERT_EQ(get_user_u64(&v, (u64 *)ARENA), 0);
	ST_ASSERT_EQ(v, 7);
	current->mm = NULL;
	switch_mm(NULL);
	mmput(child);
	mmput(parent);
	ST_ASSERT_EQ(nr_free_frames() + pgtable_nr_tables(), before);
}
