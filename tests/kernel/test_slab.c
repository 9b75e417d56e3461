// SPDX-License-Identifier: MIT
/* Self-tests of kmalloc, slab caches and vmalloc in the running kernel. */
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/traps.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define NOBJ 600

static void *objs[NOBJ];
static size_t sizes[NOBJ];

/* Objects of every size class are aligned, usable to their full size and do not overlap. */
SELFTEST(kmalloc_sizes_and_overlap)
{
	u64 before = nr_free_frames();

	for (int i = 0; i < NOBJ; i++) {
		sizes[i] = 1 + (selftest_random() % PAGE_SIZE);
		objs[i] = kmalloc(sizes[i], GFP_KERNEL);
		ST_ASSERT(objs[i]);
		ST_ASSERT(IS_ALIGNED((u64)objs[i], 8));
		ST_ASSERT(ksize(objs[i]) >= sizes[i]);
		memset(objs[i], i & 0xff, sizes[i]);
	}
	for (int i = 0; i < NOBJ; i++) {
		const u8 *b = objs[i];
		for (size_t j = 0; j < sizes[i]; j++)
			ST_ASSERT_EQ(b[j], i & 0xff);
	}
	for (int i = 0; i < NOBJ; i++)
		kfree(objs[i]);
	ST_ASSERT_EQ(nr_free_frames(), before);
}

/* kzalloc zeroes, kmalloc(0) is NULL and kfree(NULL) is harmless. */
SELFTEST(kmalloc_edge_cases)
{
	ST_ASSERT(kmalloc(0, GFP_KERNEL) == NULL);
	kfree(NULL);
	u8 *p = kmalloc(200, GFP_KERNEL);
	ST_ASSERT(p);
	memset(p, 0xff, 200);
	kfree(p);
	u8 *q = kzalloc(200, GFP_KERNEL);
	ST_ASSERT(q);
	for (int i = 0; i < 200; i++)
		ST_ASSERT_EQ(q[i], 0);
	kfree(q);
}

struct thing {
	u64 a, b, c;
};

/* A dedicated cache spans several slabs, reuses freed objects and gives its frames back. */
SELFTEST(kmem_cache_lifecycle)
{
	u64 before = nr_free_frames();
	struct kmem_cache *c = kmem_cache_create("thing", sizeof(struct thing), 0);

	ST_ASSERT(c);
	ST_ASSERT_EQ(c->size, 24);
	for (int i = 0; i < NOBJ; i++) {
		struct thing *t = kmem_cache_alloc(c, GFP_KERNEL);
		ST_ASSERT(t);
		t->a = t->b = t->c = (u64)i;
		objs[i] = t;
	}
	ST_ASSERT(c->nr_slabs >= NOBJ / (PAGE_SIZE / 24));
	for (int i = 0; i < NOBJ; i += 2)
		kmem_cache_free(c, objs[i]);
	for (int i = 0; i < NOBJ; i += 2) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		ST_ASSERT(objs[i]);
		((struct thing *)objs[i])->a = (u64)i;
	}
	for (int i = 1; i < NOBJ; i += 2)
		ST_ASSERT_EQ(((struct thing *)objs[i])->c, (u64)i);
	for (int i = 0; i < NOBJ; i++)
		kmem_cache_free(c, objs[i]);
	ST_ASSERT_EQ(c->nr_slabs, 0);
	kmem_cache_destroy(c);
	ST_ASSERT_EQ(nr_free_frames(), before);
}

static void touch_byte(void *p)
{
	*(volatile u8 *)p = 1;
}

/* vmalloc memory is RW NX, has an unmapped guard page below it, and is unmapped by vfree. */
SELFTEST(vmalloc_guard_and_free)
{
	u64 before = nr_free_frames() + pgtable_nr_tables();
	u8 *p = vmalloc(3 * PAGE_SIZE, GFP_ZERO);
	struct fault_info fi;

	ST_ASSERT(p);
	ST_ASSERT(is_vmalloc_addr(p));
	ST_ASSERT_EQ(vmalloc_size(p), 3 * PAGE_SIZE);
	for (int i = 0; i < 3 * PAGE_SIZE; i++)
		ST_ASSERT_EQ(p[i], 0);
	memset(p, 0x77, 3 * PAGE_SIZE);
	pte_t e = pgtable_lookup(kernel_pml4, (u64)p, NULL);
	ST_ASSERT((e & _PAGE_PRESENT) && (e & _PAGE_RW) && !(e & _PAGE_USER));
	ST_ASSERT_EQ(e & _PAGE_NX, __supported_pte_mask_nx);
	ST_ASSERT(vmalloc_in_guard((u64)p - 1, NULL));
	ST_ASSERT(run_catching_faults(touch_byte, p - 1, &fi));
	ST_ASSERT_EQ(fi.vector, X86_TRAP_PF);
	ST_ASSERT_EQ(fi.error_code, X86_PF_WRITE);
	ST_ASSERT_EQ(fi.cr2, (u64)p - 1);
	vfree(p);
	ST_ASSERT(run_catching_faults(touch_byte, p, &fi));
	ST_ASSERT_EQ(fi.cr2, (u64)p);
	ST_ASSERT_EQ(nr_free_frames() + pgtable_nr_tables(), before);
}

/* kmalloc above a page comes from vmalloc and kfree sends it back there. */
SELFTEST(kmalloc_large_uses_vmalloc)
{
	u64 before = nr_free_frames() + pgtable_nr_tables();
	u8 *p = kmalloc(10000, GFP_KERNEL);

	ST_ASSERT(p);
	ST_ASSERT(is_vmalloc_addr(p));
	ST_ASSERT_EQ(ksize(p), 3 * PAGE_SIZE);
	memset(p, 1, 10000);
	kfree(p);
	ST_ASSERT_EQ(nr_free_frames() + pgtable_nr_tables(), before);
}
