/* SPDX-License-Identifier: MIT */
/*
 * The VMA tree: an AVL tree of an address space's VMAs, keyed by vm_start (VMAs never overlap),
 * that keeps the address-sorted vm_next/vm_prev list in step with it. Each node also knows the
 * largest free gap in its subtree (subtree_gap), as Linux's rbtree of VMAs did with
 * rb_subtree_gap before the maple tree, so find_vma() and the search for a free range of a given
 * length both take O(log n) steps instead of a walk of the list.
 *
 * The gap of a VMA is the free space below it: from the end of its predecessor (or from address 0
 * for the lowest VMA) up to its vm_start. The free space above the highest VMA belongs to no node;
 * the searches look at it themselves, bounded by their high_limit.
 *
 * The tree is intrusive: struct vm_area_struct embeds a struct vma_node named vm_rb, and an
 * mm_struct holds a struct vma_tree. The tree never allocates or frees anything; the caller owns
 * the VMAs, and one VMA is in at most one tree at a time. An all-zero struct vma_tree is an empty
 * tree, so a zeroed mm_struct needs no extra initialisation. There is no locking here: the caller
 * holds whatever protects the address space.
 *
 * Integration into mm/mm.h: include this header and add one field to each structure,
 *
 *	struct vm_area_struct {	...  struct vma_node vm_rb; };
 *	struct mm_struct {	...  struct vma_tree mm_rb; };
 *
 * where mm_rb takes over the job of mm_struct's mmap (the lowest VMA: mm_rb.first) and map_count
 * (mm_rb.count), which go away. Until mm/mm.h does that, mm/vma_tree.c and its host tests are
 * built against a stand-in VMA with the same field names (VMA_TREE_STANDIN below); they switch
 * to the real struct vm_area_struct by themselves once mm/mm.h includes this header. So other
 * kernel files get this header only through mm/mm.h: included on its own before that, it would
 * declare the functions for a struct vm_area_struct that mm/vma_tree.o was not built for.
 */
#ifndef WARDEN_MM_VMA_TREE_H
#define WARDEN_MM_VMA_TREE_H

#include "kernel/compiler.h"

#ifdef VMA_TREE_STANDIN
/* Before integration only: mm/mm.h's struct vm_area_struct has no vm_rb yet (see the end). */
#define vm_area_struct vma_tree_standin_vma
#endif

struct vm_area_struct;

/* A VMA's place in the tree; lives in the VMA as vm_rb. Private to mm/vma_tree.c. */
struct vma_node {
	struct vma_node *left, *right, *parent;
	u64 subtree_gap; /* the largest gap of any VMA in this subtree, this one's included */
	int height; /* AVL: 1 for a leaf, 1 + the taller child's height otherwise */
};

/* The VMAs of one address space: the tree and the sorted list it keeps. */
struct vma_tree {
	struct vma_node *root;
	struct vm_area_struct *first; /* the lowest VMA, head of the vm_next list (Linux: mmap) */
	int count; /* VMAs in the tree (Linux: map_count) */
};

#define VMA_TREE_INIT         \
	{                     \
		NULL, NULL, 0 \
	}

/* Makes t an empty tree (the same as zeroing it). */
void vma_tree_init(struct vma_tree *t);

/*
 * Links vma into t between its list neighbours prev and next: prev is the VMA just below it
 * (NULL if vma becomes the lowest) and next the one just above it (NULL if it becomes the
 * highest), so prev->vm_next == next before the call. vma must not overlap either. Sets vma's
 * vm_prev, vm_next and vm_rb (whatever they held before, e.g. after a struct copy, is ignored),
 * updates the neighbours' list pointers, t->first and t->count, and the gaps: vma's own and
 * next's, which now ends at vma. O(log n). Neighbours that are not neighbours, or an overlap,
 * are a kernel bug: BUG().
 */
void vma_tree_insert(struct vma_tree *t, struct vm_area_struct *vma, struct vm_area_struct *prev,
		     struct vm_area_struct *next);

/*
 * vma_tree_insert() at the place vma's vm_start gives: finds the neighbours itself (one
 * find_vma_prev(), O(log n)). BUG() if vma overlaps a VMA already in t.
 */
void vma_tree_link(struct vma_tree *t, struct vm_area_struct *vma);

/*
 * Takes vma out of t and out of the list (its neighbours become neighbours; the gap of the one
 * above it grows by vma's extent and gap). vma's own vm_prev, vm_next and vm_rb are left as they
 * were and mean nothing afterwards; the caller frees vma. O(log n).
 */
void vma_tree_erase(struct vma_tree *t, struct vm_area_struct *vma);

/*
 * Call after changing vma's vm_start and/or vm_end in place, with vma still in t: a split
 * (shrinking vma before inserting the other half), a merge (growing vma after erasing the VMA it
 * absorbs), stack growth (expand_stack lowering vm_start), brk growing the heap. The new range
 * must still lie between vm_prev's end and vm_next's start. Updates vma's gap and the gap of
 * vm_next, which starts at vma's end. O(log n).
 */
void vma_tree_gap_update(struct vma_tree *t, struct vm_area_struct *vma);

/* The first VMA with vm_end > addr (addr may be inside it or below it), or NULL. O(log n). */
struct vm_area_struct *vma_tree_find_vma(const struct vma_tree *t, u64 addr);

/*
 * As vma_tree_find_vma(), and sets *pprev to the VMA just below the result: its vm_prev, or the
 * highest VMA when the result is NULL (Linux's find_vma_prev). O(log n).
 */
struct vm_area_struct *vma_tree_find_vma_prev(const struct vma_tree *t, u64 addr,
					      struct vm_area_struct **pprev);

/* The lowest VMA that overlaps [start, end), or NULL. O(log n). */
struct vm_area_struct *vma_tree_find_intersection(const struct vma_tree *t, u64 start, u64 end);

/* The lowest and the highest VMA, or NULL when t is empty. O(1) and O(log n). */
struct vm_area_struct *vma_tree_first(const struct vma_tree *t);
struct vm_area_struct *vma_tree_last(const struct vma_tree *t);

/* The list neighbours, in address order: the VMA just above or just below vma, or NULL. O(1). */
struct vm_area_struct *vma_tree_next(const struct vm_area_struct *vma);
struct vm_area_struct *vma_tree_prev(const struct vm_area_struct *vma);

/*
 * Free-range searches for mmap. len is rounded up to whole pages, low_limit up and high_limit
 * down to page boundaries; low_limit below PAGE_SIZE counts as PAGE_SIZE, so 0 is never an
 * answer (callers pass mmap_min_addr or more). The answer A is page-aligned with [A, A + len)
 * free, low_limit <= A and A + len <= high_limit; 0 when no such A exists (also for len 0).
 * Both are O(log n).
 */
/* The highest such A (Linux's unmapped_area_topdown, for mmap below mmap_base). */
u64 vma_tree_unmapped_area_topdown(const struct vma_tree *t, u64 len, u64 low_limit,
				   u64 high_limit);
/* The lowest such A (Linux's unmapped_area, the legacy bottom-up layout). */
u64 vma_tree_unmapped_area(const struct vma_tree *t, u64 len, u64 low_limit, u64 high_limit);

/*
 * Checks every invariant of t, in O(n): the tree's parent links, AVL heights and balance, each
 * node's subtree_gap, VMAs page-aligned, non-empty, sorted and not overlapping, the list in the
 * tree's in-order order with vm_prev the mirror of vm_next and t->first its head, and t->count
 * right. Returns 0 if all hold; otherwise -1 with the first broken one described in why (len
 * bytes, always terminated when len > 0). Never loops on a corrupted tree. For tests and debug
 * builds, e.g. after every change.
 */
int vma_tree_check(const struct vma_tree *t, char *why, size_t len);

#ifdef WARDEN_HOST
/*
 * Test hook: every node the lookups and the searches above step on adds one (vma_tree_check()
 * does not count), so host tests can see that the work grows like log n.
 */
extern u64 vma_tree_visits;
#endif

#endif /* WARDEN_MM_VMA_TREE_H */
