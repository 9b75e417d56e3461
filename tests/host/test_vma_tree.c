// SPDX-License-Identifier: MIT
/*
 * mm/vma_tree.c: the AVL tree of VMAs with subtree gaps. Hand-made layouts for the edge cases
 * (empty tree, one VMA, adjacent VMAs, gaps at the bottom and the top, limits that cut a gap);
 * randomized runs of insert/erase/resize/split/merge, each step followed by vma_tree_check() and
 * by find_vma, find_vma_prev, find_intersection and both free-range searches compared with a
 * sorted-array model; the checker's own detection of corruption; BUG() on misuse; and the number
 * of nodes the lookups visit at 100 and at 60 000 VMAs, which must grow like log n.
 *
 * VMAs are malloc()ed one by one and freed when erased, so ASan sees any use of a stale one;
 * before insertion their list and node fields hold junk, as after split_vma()'s struct copy.
 * VMA_TREE_STATS=1 in the environment prints the scaling numbers and timings on stderr.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/host/harness.h"
#include "mm/mm.h"
#include "mm/vma_tree.h"

#define P ((u64)PAGE_SIZE)
#define NO_LIMIT (~(u64)0)

/* A VMA with junk in everything but its range. */
static struct vm_area_struct *new_vma(u64 start, u64 end)
{
	struct vm_area_struct *v = malloc(sizeof(*v));

	if (!v)
		abort();
	memset(v, 0x5a, sizeof(*v));
	v->vm_start = start;
	v->vm_end = end;
	return v;
}

/* Fails unless vma_tree_check() passes. */
static void check_tree(const struct vma_tree *t)
{
	char why[256];

	CHECK_MSG(vma_tree_check(t, why, sizeof(why)) == 0, "vma_tree_check: %s", why);
}

/* Erases and frees every VMA. */
static void destroy(struct vma_tree *t)
{
	while (t->first) {
		struct vm_area_struct *v = t->first;

		vma_tree_erase(t, v);
		free(v);
	}
}

/* Links a new VMA [start, end) and checks the tree. */
static struct vm_area_struct *add(struct vma_tree *t, u64 start, u64 end)
{
	struct vm_area_struct *v = new_vma(start, end);

	vma_tree_link(t, v);
	return v;
}

/* ------------------------------------------------------------------ the model */

/* The VMAs as a sorted array of ranges, with the VMA each should be. */
struct model {
	int n, cap;
	u64 *start, *end;
	struct vm_area_struct **vma;
};

static void model_init(struct model *m, int cap)
{
	m->n = 0;
	m->cap = cap;
	m->start = calloc(cap, sizeof(u64));
	m->end = calloc(cap, sizeof(u64));
	m->vma = calloc(cap, sizeof(*m->vma));
	if (!m->start || !m->end || !m->vma)
		abort();
}

static void model_free(struct model *m)
{
	free(m->start);
	free(m->end);
	free(m->vma);
}

/* The index of the first range with end > addr (m->n if none), by a plain scan. */
static int model_find(const struct model *m, u64 addr)
{
	int i = 0;

	while (i < m->n && m->end[i] <= addr)
		i++;
	return i;
}

static void model_insert(struct model *m, int i, struct vm_area_struct *v)
{
	if (m->n == m->cap)
		abort();
	memmove(&m->start[i + 1], &m->start[i], (m->n - i) * sizeof(u64));
	memmove(&m->end[i + 1], &m->end[i], (m->n - i) * sizeof(u64));
	memmove(&m->vma[i + 1], &m->vma[i], (m->n - i) * sizeof(*m->vma));
	m->start[i] = v->vm_start;
	m->end[i] = v->vm_end;
	m->vma[i] = v;
	m->n++;
}

static void model_remove(struct model *m, int i)
{
	m->n--;
	memmove(&m->start[i], &m->start[i + 1], (m->n - i) * sizeof(u64));
	memmove(&m->end[i], &m->end[i + 1], (m->n - i) * sizeof(u64));
	memmove(&m->vma[i], &m->vma[i + 1], (m->n - i) * sizeof(*m->vma));
}

/*
 * The free-range search as the header defines it, over every gap of the model: the lowest or
 * highest page-aligned A with [A, A + len) inside a gap and inside [low, high), after rounding.
 */
static u64 model_area(const struct model *m, u64 len, u64 low, u64 high, bool topdown)
{
	u64 best = 0;
	bool found = false;

	if (len > NO_LIMIT - (P - 1) || low > NO_LIMIT - (P - 1))
		return 0;
	len = (len + P - 1) & ~(P - 1);
	low = (low + P - 1) & ~(P - 1);
	if (low < P)
		low = P;
	high &= ~(P - 1);
	if (!len)
		return 0;
	for (int i = 0; i <= m->n; i++) {
		u64 gs = i ? m->end[i - 1] : 0, ge = i < m->n ? m->start[i] : NO_LIMIT;
		u64 lo = gs > low ? gs : low, hi = ge < high ? ge : high;

		if (hi < lo || hi - lo < len)
			continue;
		u64 a = topdown ? hi - len : lo;
		if (!found || (topdown ? a > best : a < best))
			best = a;
		found = true;
	}
	return best;
}

/* ------------------------------------------------------------------ edge cases */

HOST_TEST(vma_tree_empty)
{
	struct vma_tree t = VMA_TREE_INIT;
	struct vm_area_struct *prev = (void *)1;

	CHECK_CALL(check_tree(&t));
	CHECK(!vma_tree_find_vma(&t, 0));
	CHECK(!vma_tree_find_vma(&t, NO_LIMIT));
	CHECK(!vma_tree_find_vma_prev(&t, 5 * P, &prev));
	CHECK(!prev);
	CHECK(!vma_tree_find_intersection(&t, 0, NO_LIMIT));
	CHECK(!vma_tree_first(&t));
	CHECK(!vma_tree_last(&t));
	/* The whole range is free; address 0 is never an answer. */
	CHECK_EQ(vma_tree_unmapped_area(&t, P, 0, 16 * P), P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 0, 16 * P), 15 * P);
	CHECK_EQ(vma_tree_unmapped_area(&t, 15 * P, 0, 16 * P), P);
	CHECK_EQ(vma_tree_unmapped_area(&t, 16 * P, 0, 16 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 16 * P, 0, 16 * P), 0);
	/* len 0, len beyond high, low above high - len: nothing. */
	CHECK_EQ(vma_tree_unmapped_area(&t, 0, 0, 16 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 0, 0, 16 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area(&t, 17 * P, 0, 16 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area(&t, 3 * P, 14 * P, 16 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area(&t, P, 16 * P, 4 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 16 * P, 4 * P), 0);
	/* Exact fits, and rounding: len up, low up, high down. */
	CHECK_EQ(vma_tree_unmapped_area(&t, 3 * P, 5 * P, 8 * P), 5 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 3 * P, 5 * P, 8 * P), 5 * P);
	CHECK_EQ(vma_tree_unmapped_area(&t, 4 * P, 5 * P, 8 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area(&t, 1, 0, 16 * P), P);
	CHECK_EQ(vma_tree_unmapped_area(&t, P + 1, P + 1, 16 * P), 2 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 0, 8 * P - 1), 6 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 2 * P, 6 * P + 1, 9 * P - 1), 0);
	/* The very top of the 64-bit space: no overflow. */
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 0, NO_LIMIT), NO_LIMIT - 2 * P + 1);
	CHECK_EQ(vma_tree_unmapped_area(&t, P, NO_LIMIT - P, NO_LIMIT), 0);
	CHECK_EQ(vma_tree_unmapped_area(&t, P, NO_LIMIT - 2 * P + 1, NO_LIMIT),
		 NO_LIMIT - 2 * P + 1);
	CHECK_EQ(vma_tree_unmapped_area(&t, NO_LIMIT, 0, NO_LIMIT), 0);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, NO_LIMIT - P, 0, NO_LIMIT), 0);
}

HOST_TEST(vma_tree_one_vma)
{
	struct vma_tree t;
	struct vm_area_struct *v, *prev;

	vma_tree_init(&t);
	v = add(&t, 4 * P, 6 * P);
	CHECK_CALL(check_tree(&t));
	CHECK_EQ(t.count, 1);
	CHECK(vma_tree_first(&t) == v && vma_tree_last(&t) == v);
	CHECK(!vma_tree_next(v) && !vma_tree_prev(v));
	CHECK(vma_tree_find_vma(&t, 0) == v);
	CHECK(vma_tree_find_vma(&t, 4 * P) == v);
	CHECK(vma_tree_find_vma(&t, 6 * P - 1) == v);
	CHECK(!vma_tree_find_vma(&t, 6 * P));
	CHECK(vma_tree_find_vma_prev(&t, 5 * P, &prev) == v && !prev);
	CHECK(!vma_tree_find_vma_prev(&t, 6 * P, &prev) && prev == v);
	CHECK(!vma_tree_find_intersection(&t, 0, 4 * P));
	CHECK(vma_tree_find_intersection(&t, 0, 4 * P + 1) == v);
	CHECK(vma_tree_find_intersection(&t, 6 * P - 1, 7 * P) == v);
	CHECK(!vma_tree_find_intersection(&t, 6 * P, 7 * P));
	CHECK(!vma_tree_find_intersection(&t, 5 * P, 5 * P)); /* an empty range overlaps nothing */
	/* Below it [P, 4P) (address 0 is excluded), above it [6P, high). */
	CHECK_EQ(vma_tree_unmapped_area(&t, P, 0, 100 * P), P);
	CHECK_EQ(vma_tree_unmapped_area(&t, 3 * P, 0, 100 * P), P);
	CHECK_EQ(vma_tree_unmapped_area(&t, 4 * P, 0, 100 * P), 6 * P);
	CHECK_EQ(vma_tree_unmapped_area(&t, P, 2 * P, 100 * P), 2 * P);
	CHECK_EQ(vma_tree_unmapped_area(&t, 2 * P, 3 * P, 100 * P), 6 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 0, 100 * P), 99 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 0, 7 * P), 6 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 2 * P, 0, 7 * P), 2 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 0, 5 * P), 3 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 4 * P, 0, 9 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area(&t, 4 * P, 0, 9 * P), 0);
	/* Growing down to the bottom (stack expansion), then up (brk), in place. */
	v->vm_start = 0;
	vma_tree_gap_update(&t, v);
	CHECK_CALL(check_tree(&t));
	CHECK_EQ(vma_tree_unmapped_area(&t, P, 0, 100 * P), 6 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 0, 6 * P), 0);
	v->vm_end = 99 * P;
	vma_tree_gap_update(&t, v);
	CHECK_CALL(check_tree(&t));
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 0, 100 * P), 99 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 2 * P, 0, 100 * P), 0);
	vma_tree_erase(&t, v);
	free(v);
	CHECK_CALL(check_tree(&t));
	CHECK(!t.root && !t.first && !t.count);
	CHECK_EQ(vma_tree_unmapped_area(&t, 98 * P, 0, 100 * P), P);
}

HOST_TEST(vma_tree_adjacent_and_cut_gaps)
{
	struct vma_tree t = VMA_TREE_INIT;
	struct vm_area_struct *a, *b, *c, *d;

	/* [2P,4P) [4P,6P) [6P,8P): gaps 2P (1P usable), 0, 0; then a gap [8P, 20P); [20P, 21P). */
	b = add(&t, 4 * P, 6 * P);
	d = add(&t, 20 * P, 21 * P);
	a = add(&t, 2 * P, 4 * P);
	c = add(&t, 6 * P, 8 * P);
	CHECK_CALL(check_tree(&t));
	CHECK(vma_tree_first(&t) == a && vma_tree_next(a) == b && vma_tree_next(b) == c);
	CHECK(vma_tree_next(c) == d && vma_tree_prev(d) == c && vma_tree_last(&t) == d);
	CHECK(vma_tree_find_vma(&t, 4 * P - 1) == a && vma_tree_find_vma(&t, 4 * P) == b);
	CHECK(vma_tree_find_vma(&t, 8 * P) == d);
	CHECK(vma_tree_find_intersection(&t, 3 * P, 7 * P) == a);
	CHECK(vma_tree_find_intersection(&t, 8 * P, 21 * P) == d);
	/* Zero gaps never fit; the bottom gap holds one page. */
	CHECK_EQ(vma_tree_unmapped_area(&t, P, 0, 21 * P), P);
	CHECK_EQ(vma_tree_unmapped_area(&t, P, 2 * P, 21 * P), 8 * P);
	CHECK_EQ(vma_tree_unmapped_area(&t, 12 * P, 0, 21 * P), 8 * P);
	CHECK_EQ(vma_tree_unmapped_area(&t, 13 * P, 0, 34 * P), 21 * P);
	CHECK_EQ(vma_tree_unmapped_area(&t, 13 * P, 0, 34 * P + P - 1), 21 * P);
	CHECK_EQ(vma_tree_unmapped_area(&t, 13 * P, 0, 34 * P - 1), 0);
	CHECK_EQ(vma_tree_unmapped_area(&t, 13 * P, 0, 33 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 13 * P, 0, 34 * P), 21 * P);
	/* len larger than any gap inside the limits. */
	CHECK_EQ(vma_tree_unmapped_area(&t, 13 * P, 0, 30 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 13 * P, 0, 30 * P), 0);
	/* Limits that cut the gap [8P, 20P). */
	CHECK_EQ(vma_tree_unmapped_area(&t, 5 * P, 15 * P, 21 * P), 15 * P);
	CHECK_EQ(vma_tree_unmapped_area(&t, 6 * P, 15 * P, 21 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 4 * P, 0, 12 * P), 8 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 5 * P, 0, 12 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 4 * P, 0, 20 * P), 16 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 2 * P, 9 * P, 12 * P), 10 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, 2 * P, 11 * P, 12 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 0, 8 * P), P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 2 * P, 8 * P), 0);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 0, 22 * P), 21 * P);
	/* Merge b into a (erase b, grow a), then split it again. */
	vma_tree_erase(&t, b);
	free(b);
	a->vm_end = 6 * P;
	vma_tree_gap_update(&t, a);
	CHECK_CALL(check_tree(&t));
	CHECK(vma_tree_next(a) == c && vma_tree_find_vma(&t, 5 * P) == a);
	a->vm_end = 3 * P;
	vma_tree_gap_update(&t, a);
	b = new_vma(3 * P, 6 * P);
	vma_tree_insert(&t, b, a, c);
	CHECK_CALL(check_tree(&t));
	CHECK(vma_tree_find_vma(&t, 3 * P) == b && vma_tree_prev(b) == a);
	/* A VMA at address 0: its gap is empty, and 0 is still never an answer. */
	struct vm_area_struct *z = add(&t, 0, P);
	CHECK_CALL(check_tree(&t));
	CHECK(vma_tree_first(&t) == z && vma_tree_find_vma(&t, 0) == z);
	CHECK_EQ(vma_tree_unmapped_area(&t, P, 0, 21 * P), P);
	CHECK_EQ(vma_tree_unmapped_area(&t, 2 * P, 0, 21 * P), 8 * P);
	destroy(&t);
	CHECK_CALL(check_tree(&t));
}

HOST_TEST(vma_tree_top_of_address_space)
{
	struct vma_tree t = VMA_TREE_INIT;

	add(&t, TASK_SIZE - P, TASK_SIZE);
	add(&t, MMAP_BASE - 4 * P, MMAP_BASE);
	add(&t, P, 2 * P);
	CHECK_CALL(check_tree(&t));
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, P, TASK_SIZE), TASK_SIZE - 2 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, P, MMAP_BASE), MMAP_BASE - 5 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, MMAP_BASE - 6 * P, P, MMAP_BASE), 2 * P);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, MMAP_BASE - 5 * P, P, MMAP_BASE), 0);
	CHECK_EQ(vma_tree_unmapped_area_topdown(&t, P, 0, NO_LIMIT), NO_LIMIT - 2 * P + 1);
	CHECK_EQ(vma_tree_unmapped_area(&t, P, 0, TASK_SIZE), 2 * P);
	CHECK_EQ(vma_tree_unmapped_area(&t, P, MMAP_BASE - 4 * P, TASK_SIZE), MMAP_BASE);
	CHECK_EQ(vma_tree_unmapped_area(&t, TASK_SIZE, 0, NO_LIMIT), TASK_SIZE);
	CHECK_EQ(vma_tree_unmapped_area(&t, TASK_SIZE, 0, 2 * TASK_SIZE - 1), 0);
	CHECK(vma_tree_find_vma(&t, TASK_SIZE - 1) == vma_tree_last(&t));
	CHECK(!vma_tree_find_vma(&t, TASK_SIZE));
	destroy(&t);
}

/*
 * A small fixed layout in 40 pages against a brute force that tries every page A: checks the
 * model itself as well as both searches, for every len up to 8 pages and every pair of limits.
 */
HOST_TEST(vma_tree_search_brute_force)
{
	static const u64 layout[][2] = { { 0, 1 },   { 3, 4 },	 { 4, 7 },   { 9, 10 },
					 { 13, 20 }, { 20, 21 }, { 26, 27 }, { 31, 36 } };
	struct vma_tree t = VMA_TREE_INIT;
	struct model m;
	bool used[48] = { 0 };

	model_init(&m, 16);
	for (unsigned int i = 0; i < ARRAY_SIZE(layout); i++) {
		model_insert(&m, m.n, add(&t, layout[i][0] * P, layout[i][1] * P));
		for (u64 pg = layout[i][0]; pg < layout[i][1]; pg++)
			used[pg] = true;
	}
	CHECK_CALL(check_tree(&t));
	for (u64 len = 0; len <= 8; len++) {
		for (u64 low = 0; low <= 42; low++) {
			for (u64 high = 0; high <= 42; high++) {
				u64 lowest = 0, highest = 0;

				for (u64 a = low ? low : 1; len && a + len <= high; a++) {
					u64 pg = a;

					while (pg < a + len && !used[pg])
						pg++;
					if (pg < a + len)
						continue;
					if (!lowest)
						lowest = a * P;
					highest = a * P;
				}
				CHECK_EQ(model_area(&m, len * P, low * P, high * P, false), lowest);
				CHECK_EQ(model_area(&m, len * P, low * P, high * P, true), highest);
				CHECK_EQ(vma_tree_unmapped_area(&t, len * P, low * P, high * P),
					 lowest);
				CHECK_EQ(vma_tree_unmapped_area_topdown(&t, len * P, low * P,
									high * P),
					 highest);
			}
		}
	}
	destroy(&t);
	model_free(&m);
}

/* ------------------------------------------------------------------ checker and misuse */

HOST_TEST(vma_tree_check_catches_corruption)
{
	struct vma_tree t = VMA_TREE_INIT;
	struct vm_area_struct *v[40];
	char why[256];

	for (int i = 0; i < 40; i++)
		v[i] = add(&t, (u64)(3 * i + 1 + (i % 3 == 0)) * P, (u64)(3 * i + 3) * P);
	CHECK_CALL(check_tree(&t));
	struct vma_node *root = t.root, *leaf = root;
	while (leaf->left)
		leaf = leaf->left;

	/* Each corruption is caught with the right words, and undone. */
	root->subtree_gap++;
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0 && strstr(why, "subtree_gap"));
	root->subtree_gap--;
	u64 saved = v[17]->vm_rb.subtree_gap;
	v[17]->vm_rb.subtree_gap = 0;
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0 && strstr(why, "subtree_gap"));
	v[17]->vm_rb.subtree_gap = saved;
	CHECK_CALL(check_tree(&t));
	root->height++;
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0 && strstr(why, "height"));
	root->height--;
	v[20]->vm_prev = v[18];
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0 && strstr(why, "vm_prev"));
	v[20]->vm_prev = v[19];
	v[20]->vm_next = v[22];
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0 && strstr(why, "not the list's"));
	v[20]->vm_next = v[21];
	t.count++;
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0 && strstr(why, "count"));
	t.count -= 2;
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0 && strstr(why, "count"));
	t.count++;
	saved = v[39]->vm_end;
	v[39]->vm_end = v[39]->vm_start;
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0 && strstr(why, "empty"));
	v[39]->vm_end = v[39]->vm_start + P + 1;
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0 && strstr(why, "page-aligned"));
	v[39]->vm_end = saved;
	CHECK_CALL(check_tree(&t));
	/* Overlap: v[10] grows into v[11] behind the tree's back. */
	saved = v[10]->vm_end;
	v[10]->vm_end = v[11]->vm_start + P;
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0 && strstr(why, "overlap"));
	v[10]->vm_end = saved;
	CHECK_CALL(check_tree(&t));
	root->left->parent = root->right;
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0 && strstr(why, "parent"));
	root->left->parent = root;
	/* A cycle through the tree's links must end the check, not hang it. */
	leaf->left = root;
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0);
	leaf->left = NULL;
	root->right->right->parent = root->right->right;
	CHECK(vma_tree_check(&t, why, sizeof(why)) < 0);
	root->right->right->parent = root->right;
	CHECK_CALL(check_tree(&t));
	/* A tree that is not balanced (heights consistent) is caught too. */
	struct vma_tree u = VMA_TREE_INIT;
	struct vm_area_struct *x = add(&u, P, 2 * P), *y = add(&u, 3 * P, 4 * P);
	struct vm_area_struct *z = add(&u, 5 * P, 6 * P);
	CHECK(u.root == &y->vm_rb);
	u.root = &x->vm_rb;
	x->vm_rb.parent = NULL;
	x->vm_rb.left = NULL;
	x->vm_rb.right = &y->vm_rb;
	y->vm_rb.parent = &x->vm_rb;
	y->vm_rb.left = NULL;
	y->vm_rb.right = &z->vm_rb;
	y->vm_rb.height = 2;
	x->vm_rb.height = 3;
	x->vm_rb.subtree_gap = y->vm_rb.subtree_gap = P;
	CHECK(vma_tree_check(&u, why, sizeof(why)) < 0 && strstr(why, "unbalanced"));
	/* Put u back in AVL shape before tearing it down. */
	u.root = &y->vm_rb;
	y->vm_rb.parent = NULL;
	y->vm_rb.left = &x->vm_rb;
	x->vm_rb.parent = &y->vm_rb;
	x->vm_rb.right = NULL;
	x->vm_rb.height = 1;
	CHECK_CALL(check_tree(&u));
	destroy(&u);
	destroy(&t);
}

HOST_TEST(vma_tree_misuse_is_a_bug)
{
	struct vma_tree t = VMA_TREE_INIT;
	struct vm_area_struct *a = add(&t, 2 * P, 4 * P), *c = add(&t, 8 * P, 10 * P);
	struct vm_area_struct *b = new_vma(5 * P, 6 * P);

	/* Wrong neighbours, overlapping ranges, empty ranges: BUG(), and nothing changed. */
	CHECK_PANICS(vma_tree_insert(&t, b, NULL, c), "BUG");
	CHECK_PANICS(vma_tree_insert(&t, b, a, NULL), "BUG");
	CHECK_PANICS(vma_tree_insert(&t, b, c, NULL), "BUG");
	b->vm_start = 3 * P;
	CHECK_PANICS(vma_tree_insert(&t, b, a, c), "BUG");
	CHECK_PANICS(vma_tree_link(&t, b), "BUG");
	b->vm_start = 5 * P;
	b->vm_end = 9 * P;
	CHECK_PANICS(vma_tree_link(&t, b), "BUG");
	b->vm_end = 5 * P;
	CHECK_PANICS(vma_tree_insert(&t, b, a, c), "BUG");
	CHECK_CALL(check_tree(&t));
	CHECK_EQ(t.count, 2);
	b->vm_end = 6 * P;
	vma_tree_insert(&t, b, a, c);
	CHECK_CALL(check_tree(&t));
	/* Growing into a neighbour. */
	b->vm_end = 9 * P;
	CHECK_PANICS(vma_tree_gap_update(&t, b), "BUG");
	b->vm_end = 6 * P;
	CHECK_CALL(check_tree(&t));
	destroy(&t);
}

/* ------------------------------------------------------------------ randomized */

struct run {
	struct vma_tree t;
	struct model m;
	u64 rng;
	u64 pages; /* VMAs live in [0, pages * P) */
	u64 maxlen; /* in pages */
	int target; /* the population the run hovers around */
	long ops[6];
};

static u64 rnd(struct run *r, u64 n)
{
	return n ? host_random(&r->rng) % n : 0;
}

/* An address worth asking about: random, or at or next to a VMA's edge. */
static u64 pick_addr(struct run *r)
{
	u64 a;

	if (!r->m.n || rnd(r, 3) == 0)
		return rnd(r, (r->pages + 4) * P);
	int i = (int)rnd(r, r->m.n);
	a = rnd(r, 2) ? r->m.start[i] : r->m.end[i];
	switch (rnd(r, 4)) {
	case 0:
		return a - (a ? 1 : 0);
	case 1:
		return a + 1;
	case 2:
		return a - (a >= P ? P : 0);
	default:
		return a;
	}
}

/* A length to search for: often a page count, sometimes exactly a gap, odd or degenerate. */
static u64 pick_len(struct run *r)
{
	switch (rnd(r, 10)) {
	case 0:
		return rnd(r, 3) == 0 ? 0 : rnd(r, 2 * P) + 1;
	case 1:
		return rnd(r, 2) ? NO_LIMIT - rnd(r, 2 * P) : (r->pages + rnd(r, 4)) * P;
	case 2:
	case 3: {
		if (!r->m.n)
			return P;
		int i = (int)rnd(r, r->m.n);
		u64 gap = r->m.start[i] - (i ? r->m.end[i - 1] : 0);
		return gap + (rnd(r, 3) - 1) * P;
	}
	default:
		return (rnd(r, 2 * r->maxlen) + 1) * P - (rnd(r, 8) == 0 ? rnd(r, P) : 0);
	}
}

static u64 pick_limit(struct run *r)
{
	switch (rnd(r, 8)) {
	case 0:
		return 0;
	case 1:
		return NO_LIMIT - rnd(r, 2 * P);
	case 2:
		return pick_addr(r);
	default:
		return rnd(r, (r->pages + 8) * P) & (rnd(r, 4) ? ~(P - 1) : NO_LIMIT);
	}
}

/* Asks the tree and the model the same questions. */
static void compare_queries(struct run *r)
{
	const struct model *m = &r->m;

	for (int q = 0; q < 3; q++) {
		u64 addr = pick_addr(r), end = pick_addr(r);
		int i = model_find(m, addr);
		struct vm_area_struct *want = i < m->n ? m->vma[i] : NULL;
		struct vm_area_struct *want_prev = i ? m->vma[i - 1] : NULL, *prev;

		CHECK_MSG(vma_tree_find_vma(&r->t, addr) == want, "find_vma(%#llx)",
			  (unsigned long long)addr);
		CHECK_MSG(vma_tree_find_vma_prev(&r->t, addr, &prev) == want && prev == want_prev,
			  "find_vma_prev(%#llx)", (unsigned long long)addr);
		want = NULL;
		for (int j = 0; j < m->n && !want; j++)
			if (addr < end && m->start[j] < end && addr < m->end[j])
				want = m->vma[j];
		CHECK_MSG(vma_tree_find_intersection(&r->t, addr, end) == want,
			  "find_intersection(%#llx, %#llx)", (unsigned long long)addr,
			  (unsigned long long)end);
	}
	for (int q = 0; q < 2; q++) {
		u64 len = pick_len(r), low = pick_limit(r), high = pick_limit(r);

		if (rnd(r, 2) && low > high) {
			u64 tmp = low;
			low = high;
			high = tmp;
		}
		u64 got = vma_tree_unmapped_area(&r->t, len, low, high);
		u64 want = model_area(m, len, low, high, false);
		CHECK_MSG(got == want, "unmapped_area(len %#llx, %#llx, %#llx) = %#llx, want %#llx",
			  (unsigned long long)len, (unsigned long long)low,
			  (unsigned long long)high, (unsigned long long)got,
			  (unsigned long long)want);
		got = vma_tree_unmapped_area_topdown(&r->t, len, low, high);
		want = model_area(m, len, low, high, true);
		CHECK_MSG(got == want,
			  "unmapped_area_topdown(len %#llx, %#llx, %#llx) = %#llx, want %#llx",
			  (unsigned long long)len, (unsigned long long)low,
			  (unsigned long long)high, (unsigned long long)got,
			  (unsigned long long)want);
	}
}

/* The tree's list, checked whole against the model. */
static void compare_list(struct run *r)
{
	const struct vm_area_struct *v = vma_tree_first(&r->t);

	CHECK_EQ(r->t.count, r->m.n);
	for (int i = 0; i < r->m.n; i++, v = vma_tree_next(v)) {
		CHECK_MSG(v == r->m.vma[i], "VMA %d", i);
		CHECK_EQ(v->vm_start, r->m.start[i]);
		CHECK_EQ(v->vm_end, r->m.end[i]);
	}
	CHECK(!v);
	CHECK(vma_tree_last(&r->t) == (r->m.n ? r->m.vma[r->m.n - 1] : NULL));
}

/* Inserts a VMA at a random free place, by vma_tree_link() or with the model's neighbours. */
static void op_insert(struct run *r)
{
	u64 start, end;
	int i;

	if (rnd(r, 4) == 0 && r->m.n) {
		/* Fill part of a gap, touching one or both sides (zero gaps). */
		i = (int)rnd(r, r->m.n + 1);
		u64 gs = i ? r->m.end[i - 1] : 0, ge = i < r->m.n ? r->m.start[i] : r->pages * P;
		if (ge <= gs)
			return;
		start = rnd(r, 2) ? gs : gs + rnd(r, (ge - gs) / P) * P;
		end = rnd(r, 2) ? ge : start + (rnd(r, (ge - start) / P) + 1) * P;
	} else {
		start = rnd(r, r->pages) * P;
		end = start + (rnd(r, r->maxlen) + 1) * P;
		i = model_find(&r->m, start);
		if (i < r->m.n && r->m.start[i] < end)
			return;
	}
	struct vm_area_struct *v = new_vma(start, end);
	if (rnd(r, 2)) {
		vma_tree_link(&r->t, v);
	} else {
		vma_tree_insert(&r->t, v, i ? r->m.vma[i - 1] : NULL,
				i < r->m.n ? r->m.vma[i] : NULL);
	}
	model_insert(&r->m, i, v);
	r->ops[0]++;
}

static void op_erase(struct run *r)
{
	int i = (int)rnd(r, r->m.n);
	struct vm_area_struct *v = r->m.vma[i];

	vma_tree_erase(&r->t, v);
	free(v);
	model_remove(&r->m, i);
	r->ops[1]++;
}

/* Moves vm_start and/or vm_end in place, within the neighbours (mprotect, brk, stack growth). */
static void op_resize(struct run *r)
{
	int i = (int)rnd(r, r->m.n);
	struct vm_area_struct *v = r->m.vma[i];
	u64 lo = i ? r->m.end[i - 1] : 0;
	u64 hi = i + 1 < r->m.n ? r->m.start[i + 1] : r->pages * P;
	int what = (int)rnd(r, 3);

	if (hi < v->vm_end)
		hi = v->vm_end; /* the last VMA may lie past pages (after an earlier fill) */
	if (what != 1)
		v->vm_start = lo + rnd(r, (v->vm_end - lo) / P) * P;
	if (what != 0)
		v->vm_end = v->vm_start + (rnd(r, (hi - v->vm_start) / P) + 1) * P;
	vma_tree_gap_update(&r->t, v);
	r->m.start[i] = v->vm_start;
	r->m.end[i] = v->vm_end;
	r->ops[2]++;
}

/* split_vma(): shrink v to [vm_start, addr), then insert a struct copy of it for the rest. */
static void op_split(struct run *r)
{
	int i = (int)rnd(r, r->m.n);
	struct vm_area_struct *v = r->m.vma[i], *n;
	u64 pages = (v->vm_end - v->vm_start) / P;

	if (pages < 2)
		return;
	u64 addr = v->vm_start + (rnd(r, pages - 1) + 1) * P, end = v->vm_end;
	n = new_vma(0, 0);
	*n = *v; /* stale vm_rb, vm_prev and vm_next, as in split_vma() */
	n->vm_start = addr;
	v->vm_end = addr;
	vma_tree_gap_update(&r->t, v);
	vma_tree_insert(&r->t, n, v, vma_tree_next(v));
	r->m.end[i] = addr;
	model_insert(&r->m, i + 1, n);
	CHECK_EQ(n->vm_end, end);
	r->ops[3]++;
}

/* vma_merge(): v absorbs the VMA above it (and the gap between). */
static void op_merge(struct run *r)
{
	int i = (int)rnd(r, r->m.n);
	struct vm_area_struct *v = r->m.vma[i], *next = vma_tree_next(v);

	if (!next)
		return;
	u64 end = next->vm_end;
	vma_tree_erase(&r->t, next);
	free(next);
	model_remove(&r->m, i + 1);
	v->vm_end = end;
	vma_tree_gap_update(&r->t, v);
	r->m.end[i] = end;
	r->ops[4]++;
}

/* One randomized run: steps operations, each followed by the full comparison. */
static void random_run(u64 seed, long steps, u64 pages, u64 maxlen, int target)
{
	struct run r = { .rng = seed, .pages = pages, .maxlen = maxlen, .target = target };

	vma_tree_init(&r.t);
	model_init(&r.m, (int)(pages + maxlen) + 1);
	for (long s = 0; s < steps; s++) {
		u64 dice = rnd(&r, 100);
		u64 grow = r.m.n < r.target ? 45 : 25;

		if (!r.m.n || dice < grow)
			op_insert(&r);
		else if (dice < 50)
			op_erase(&r);
		else if (dice < 70)
			op_resize(&r);
		else if (dice < 85)
			op_split(&r);
		else
			op_merge(&r);
		if (host_failed())
			break;
		check_tree(&r.t);
		if (host_failed())
			break;
		compare_list(&r);
		if (host_failed())
			break;
		compare_queries(&r);
		if (host_failed())
			break;
		r.ops[5] = r.ops[5] > r.m.n ? r.ops[5] : r.m.n;
	}
	if (host_failed())
		fprintf(stderr, "vma_tree: seed %llu failed with %d VMAs\n",
			(unsigned long long)seed, r.m.n);
	else if (getenv("VMA_TREE_STATS"))
		fprintf(stderr,
			"vma_tree: seed %llu: %ld steps, %ld inserts, %ld erases, %ld resizes, "
			"%ld splits, %ld merges, at most %ld VMAs\n",
			(unsigned long long)seed, steps, r.ops[0], r.ops[1], r.ops[2], r.ops[3],
			r.ops[4], r.ops[5]);
	destroy(&r.t);
	model_free(&r.m);
}

/* Dense: 512 pages, short VMAs, many zero gaps and a nearly full space. */
HOST_TEST(vma_tree_random_dense)
{
	random_run(1, 40000, 512, 8, 80);
}

/* Sparse: a larger space and a few hundred VMAs, so the tree is deeper. */
HOST_TEST(vma_tree_random_sparse)
{
	random_run(2, 30000, 1 << 16, 64, 400);
}

/* Deep: thousands of VMAs, so rotations happen high up in a tree of height 12 or more. */
HOST_TEST(vma_tree_random_deep)
{
	random_run(4, 20000, 1 << 20, 32, 2000);
}

/* Tiny: a 24-page space where the tree keeps emptying and filling. */
HOST_TEST(vma_tree_random_tiny)
{
	random_run(3, 30000, 24, 3, 6);
}

/* ------------------------------------------------------------------ scaling */

struct cost {
	double find_avg, area_avg, topdown_avg;
	u64 find_max, area_max, topdown_max;
	double find_ns, area_ns;
};

/* log2(x) for x >= 1, without libm (the test binary does not link it). */
static double lg2(double x)
{
	double r = 0, bit = 1;

	while (x >= 2) {
		x /= 2;
		r++;
	}
	for (int i = 0; i < 30; i++) {
		x *= x;
		bit /= 2;
		if (x >= 2) {
			x /= 2;
			r += bit;
		}
	}
	return r;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * Builds n VMAs with random sizes and gaps (a tenth of the gaps empty), inserted in random order
 * or ascending, and measures the nodes visited by find_vma and both searches for random queries.
 */
static void measure(int n, bool ascending, u64 seed, struct cost *c)
{
	struct vma_tree t = VMA_TREE_INIT;
	struct vm_area_struct **v = calloc(n, sizeof(*v));
	int *order = calloc(n, sizeof(int));
	u64 rng = seed, addr = 16 * P;
	const int queries = 20000;

	if (!v || !order)
		abort();
	for (int i = 0; i < n; i++) {
		u64 gap = host_random(&rng) % 10 == 0 ? 0 : host_random(&rng) % 32 + 1;
		u64 size = host_random(&rng) % 16 + 1;

		addr += gap * P;
		v[i] = new_vma(addr, addr + size * P);
		addr += size * P;
		order[i] = i;
	}
	for (int i = n - 1; i > 0 && !ascending; i--) {
		int j = (int)(host_random(&rng) % (u64)(i + 1)), tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	for (int i = 0; i < n; i++) {
		if (ascending)
			vma_tree_insert(&t, v[i], i ? v[i - 1] : NULL, NULL);
		else
			vma_tree_link(&t, v[order[i]]);
	}
	check_tree(&t);
	if (host_failed())
		goto out;

	memset(c, 0, sizeof(*c));
	u64 top = addr + 64 * P, sum = 0, sum2 = 0, sum3 = 0;
	double t0 = now_ns();
	for (int q = 0; q < queries; q++) {
		u64 a = host_random(&rng) % top;
		vma_tree_visits = 0;
		struct vm_area_struct *got = vma_tree_find_vma(&t, a);
		if (got && (got->vm_end <= a || (got->vm_prev && got->vm_prev->vm_end > a))) {
			host_fail(__FILE__, __LINE__, "find_vma(%#llx) is wrong",
				  (unsigned long long)a);
			goto out;
		}
		sum += vma_tree_visits;
		c->find_max = max(c->find_max, vma_tree_visits);
	}
	c->find_ns = (now_ns() - t0) / queries;
	t0 = now_ns();
	for (int q = 0; q < queries; q++) {
		/* Lengths up to twice the largest gap, limits anywhere in the space. */
		u64 len = (host_random(&rng) % 64 + 1) * P;
		u64 low = host_random(&rng) % top, high = host_random(&rng) % top;

		if (low > high) {
			u64 tmp = low;
			low = high;
			high = tmp;
		}
		if (q % 4 == 0)
			high = top; /* the free space above the last VMA in reach */
		vma_tree_visits = 0;
		vma_tree_unmapped_area(&t, len, low, high);
		sum2 += vma_tree_visits;
		c->area_max = max(c->area_max, vma_tree_visits);
		vma_tree_visits = 0;
		vma_tree_unmapped_area_topdown(&t, len, low, high);
		sum3 += vma_tree_visits;
		c->topdown_max = max(c->topdown_max, vma_tree_visits);
	}
	c->area_ns = (now_ns() - t0) / queries / 2;
	c->find_avg = (double)sum / queries;
	c->area_avg = (double)sum2 / queries;
	c->topdown_avg = (double)sum3 / queries;
out:
	while (t.first) {
		struct vm_area_struct *x = t.first;

		vma_tree_erase(&t, x);
		free(x);
	}
	free(v);
	free(order);
}

HOST_TEST(vma_tree_scaling)
{
	static const int sizes[] = { 100, 1000, 60000 };
	struct cost c[ARRAY_SIZE(sizes)][2];

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (int asc = 0; asc < 2; asc++) {
			int n = sizes[i];
			double lg = lg2(n);
			struct cost *k = &c[i][asc];

			CHECK_CALL(measure(n, asc, 7 + i, k));
			if (getenv("VMA_TREE_STATS"))
				fprintf(stderr,
					"vma_tree: %5d VMAs (%s): find_vma %.1f avg %llu max, "
					"unmapped_area %.1f avg %llu max, "
					"topdown %.1f avg %llu max (log2 n = %.1f); "
					"%.0f ns per find_vma, %.0f ns per search\n",
					n, asc ? "ascending" : "random", k->find_avg,
					(unsigned long long)k->find_max, k->area_avg,
					(unsigned long long)k->area_max, k->topdown_avg,
					(unsigned long long)k->topdown_max, lg, k->find_ns,
					k->area_ns);
			/* An AVL tree is at most 1.44 log2(n + 2) deep. */
			CHECK_MSG(k->find_max <= 1.44 * lg2(n + 2), "n %d: find_vma visited %llu",
				  n, (unsigned long long)k->find_max);
			CHECK_MSG(k->area_avg <= 3 * lg && k->topdown_avg <= 3 * lg,
				  "n %d: searches visited %.1f and %.1f on average", n, k->area_avg,
				  k->topdown_avg);
			CHECK_MSG(k->area_max <= 5 * lg && k->topdown_max <= 5 * lg,
				  "n %d: searches visited up to %llu and %llu", n,
				  (unsigned long long)k->area_max,
				  (unsigned long long)k->topdown_max);
		}
	}
	/* 600 times the VMAs: the work grows like the logarithm (2.4 times), far below linear. */
	for (int asc = 0; asc < 2; asc++) {
		CHECK(c[2][asc].find_avg <= 3 * c[0][asc].find_avg);
		CHECK(c[2][asc].area_avg <= 3 * c[0][asc].area_avg);
		CHECK(c[2][asc].topdown_avg <= 3 * c[0][asc].topdown_avg);
	}
}
