// SPDX-License-Identifier: MIT
/*
 * The VMA tree (see mm/vma_tree.h): an AVL tree with parent links, augmented with each subtree's
 * largest gap. Every change walks from the lowest node it touched up to the root, recomputing
 * heights and gaps and rotating where a node's children differ in height by two; a node's own
 * gap is not stored but computed from the list (vm_start - vm_prev->vm_end), so the list is
 * always updated first and the tree's augmented values after it.
 */
#include "mm/mm.h"
#include "mm/vma_tree.h"
#include "kernel/panic.h"
#include "kernel/vsprintf.h"

#ifdef WARDEN_HOST
u64 vma_tree_visits;
#define visit() (vma_tree_visits++)
#else
#define visit() ((void)0)
#endif

static inline struct vm_area_struct *node_vma(const struct vma_node *n)
{
	return container_of(n, struct vm_area_struct, vm_rb);
}

static inline int node_height(const struct vma_node *n)
{
	return n ? n->height : 0;
}

static inline u64 node_gap(const struct vma_node *n)
{
	return n ? n->subtree_gap : 0;
}

/*
 * A gap is the plain free space between two VMAs, as in Linux's maple tree. A stack's guard gap
 * (vm_start_gap() in mm/mm.h) is the caller's business: Linux applies it after the search, by
 * searching again below it, which no size kept in the tree could express (mm/mmap.c).
 */
/* The free space below vma: [gap_start(vma), vma->vm_start), possibly empty. */
static inline u64 gap_start(const struct vm_area_struct *vma)
{
	return vma->vm_prev ? vma->vm_prev->vm_end : 0;
}

static u64 vma_gap(const struct vm_area_struct *vma)
{
	u64 start = gap_start(vma), end = vma->vm_start;

	return end > start ? end - start : 0;
}

static u64 compute_subtree_gap(const struct vma_node *n)
{
	u64 gap = vma_gap(node_vma(n));

	gap = max(gap, node_gap(n->left));
	return max(gap, node_gap(n->right));
}

/* Recomputes n's height and subtree_gap from its children, which must be right already. */
static void node_update(struct vma_node *n)
{
	n->height = 1 + max(node_height(n->left), node_height(n->right));
	n->subtree_gap = compute_subtree_gap(n);
}

/* Makes new (which may be NULL) the child of parent (or the root) that old was. */
static void replace_child(struct vma_tree *t, struct vma_node *parent, struct vma_node *old,
			  struct vma_node *new)
{
	if (!parent)
		t->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
	if (new)
		new->parent = parent;
}

/*
 *      x                y
 *     / \              / \
 *    a   y     ->     x   c
 *       / \          / \
 *      b   c        a   b
 */
static struct vma_node *rotate_left(struct vma_tree *t, struct vma_node *x)
{
	struct vma_node *y = x->right;

	replace_child(t, x->parent, x, y);
	x->right = y->left;
	if (x->right)
		x->right->parent = x;
	y->left = x;
	x->parent = y;
	node_update(x);
	node_update(y);
	return y;
}

/* The mirror image of rotate_left(). */
static struct vma_node *rotate_right(struct vma_tree *t, struct vma_node *x)
{
	struct vma_node *y = x->left;

	replace_child(t, x->parent, x, y);
	x->left = y->right;
	if (x->left)
		x->left->parent = x;
	y->right = x;
	x->parent = y;
	node_update(x);
	node_update(y);
	return y;
}

/*
 * Walks from n to the root after a node was added below n or removed from below it: updates
 * every node on the way and restores the AVL balance with single or double rotations. Goes all
 * the way up (not stopping when heights settle) because every ancestor's subtree_gap may change.
 */
static void rebalance_to_root(struct vma_tree *t, struct vma_node *n)
{
	while (n) {
		int balance = node_height(n->left) - node_height(n->right);

		if (balance > 1) {
			if (node_height(n->left->left) < node_height(n->left->right))
				rotate_left(t, n->left);
			n = rotate_right(t, n);
		} else if (balance < -1) {
			if (node_height(n->right->right) < node_height(n->right->left))
				rotate_right(t, n->right);
			n = rotate_left(t, n);
		} else {
			node_update(n);
		}
		n = n->parent;
	}
}

/*
 * The same for a tree that is right except for n's own gap: stops at the first node whose
 * subtree_gap comes out unchanged, since nothing above it can change either.
 */
static void gaps_propagate(struct vma_node *n)
{
	for (; n; n = n->parent) {
		u64 gap = compute_subtree_gap(n);

		if (gap == n->subtree_gap)
			return;
		n->subtree_gap = gap;
	}
}

void vma_tree_init(struct vma_tree *t)
{
	t->root = NULL;
	t->first = NULL;
	t->count = 0;
}

void vma_tree_insert(struct vma_tree *t, struct vm_area_struct *vma, struct vm_area_struct *prev,
		     struct vm_area_struct *next)
{
	struct vma_node *n = &vma->vm_rb;

	BUG_ON((prev ? prev->vm_next : t->first) != next);
	BUG_ON(vma->vm_start >= vma->vm_end);
	BUG_ON(prev && prev->vm_end > vma->vm_start);
	BUG_ON(next && vma->vm_end > next->vm_start);

	/* The list first: the gaps are computed from it. */
	vma->vm_prev = prev;
	vma->vm_next = next;
	if (prev)
		prev->vm_next = vma;
	else
		t->first = vma;
	if (next)
		next->vm_prev = vma;
	t->count++;

	/*
	 * prev and next are adjacent in order, so one of them has a free slot for vma: prev's
	 * right child, or else next's left child (next is then the leftmost node under prev's
	 * right child).
	 */
	n->left = n->right = NULL;
	n->height = 1;
	n->subtree_gap = vma_gap(vma);
	if (prev && !prev->vm_rb.right) {
		prev->vm_rb.right = n;
		n->parent = &prev->vm_rb;
	} else if (next) {
		BUG_ON(next->vm_rb.left);
		next->vm_rb.left = n;
		n->parent = &next->vm_rb;
	} else {
		BUG_ON(t->root);
		n->parent = NULL;
		t->root = n;
	}
	/*
	 * next's gap shrank, but next needs no walk of its own: it is n's parent or an ancestor
	 * (the nearest one with n on its left), so the walk from n updates it; a rotation below
	 * it leaves it an ancestor, and one at it updates it.
	 */
	rebalance_to_root(t, n->parent);
}

void vma_tree_link(struct vma_tree *t, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev, *next = vma_tree_find_vma_prev(t, vma->vm_start, &prev);

	vma_tree_insert(t, vma, prev, next);
}

void vma_tree_erase(struct vma_tree *t, struct vm_area_struct *vma)
{
	struct vma_node *n = &vma->vm_rb, *parent = n->parent, *fix;
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	/* The list first: next's gap now starts at prev's end. */
	if (prev)
		prev->vm_next = next;
	else
		t->first = next;
	if (next)
		next->vm_prev = prev;
	t->count--;

	if (!n->left || !n->right) {
		struct vma_node *child = n->left ? n->left : n->right;

		replace_child(t, parent, n, child);
		/*
		 * A lone child in an AVL tree is a leaf. A right one is next, whose gap grew and
		 * which is off the walk from parent; any other next is an ancestor of n, on it.
		 */
		if (child)
			node_update(child);
		fix = parent;
	} else {
		/* Two children: the successor (next, leftmost on the right) takes n's place. */
		struct vma_node *s = &next->vm_rb;

		if (s == n->right) {
			fix = s;
		} else {
			fix = s->parent;
			fix->left = s->right;
			if (s->right)
				s->right->parent = fix;
			s->right = n->right;
			s->right->parent = s;
		}
		s->left = n->left;
		s->left->parent = s;
		replace_child(t, parent, n, s);
	}
	/* next is s: fix itself or an ancestor of it. */
	rebalance_to_root(t, fix);
}

void vma_tree_gap_update(struct vma_tree *t, struct vm_area_struct *vma)
{
	(void)t;
	BUG_ON(vma->vm_start >= vma->vm_end);
	BUG_ON(vma->vm_prev && vma->vm_prev->vm_end > vma->vm_start);
	BUG_ON(vma->vm_next && vma->vm_end > vma->vm_next->vm_start);
	gaps_propagate(&vma->vm_rb);
	if (vma->vm_next)
		gaps_propagate(&vma->vm_next->vm_rb);
}

struct vm_area_struct *vma_tree_find_vma(const struct vma_tree *t, u64 addr)
{
	struct vm_area_struct *found = NULL;
	const struct vma_node *n = t->root;

	while (n) {
		struct vm_area_struct *vma = node_vma(n);

		visit();
		if (vma->vm_end > addr) {
			found = vma;
			if (vma->vm_start <= addr)
				break;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return found;
}

struct vm_area_struct *vma_tree_find_vma_prev(const struct vma_tree *t, u64 addr,
					      struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma = vma_tree_find_vma(t, addr);

	*pprev = vma ? vma->vm_prev : vma_tree_last(t);
	return vma;
}

struct vm_area_struct *vma_tree_find_intersection(const struct vma_tree *t, u64 start, u64 end)
{
	struct vm_area_struct *vma;

	if (start >= end)
		return NULL;
	vma = vma_tree_find_vma(t, start);
	return vma && vma->vm_start < end ? vma : NULL;
}

struct vm_area_struct *vma_tree_first(const struct vma_tree *t)
{
	return t->first;
}

struct vm_area_struct *vma_tree_last(const struct vma_tree *t)
{
	const struct vma_node *n = t->root;

	if (!n)
		return NULL;
	for (visit(); n->right; visit())
		n = n->right;
	return node_vma(n);
}

struct vm_area_struct *vma_tree_next(const struct vm_area_struct *vma)
{
	return vma->vm_next;
}

struct vm_area_struct *vma_tree_prev(const struct vm_area_struct *vma)
{
	return vma->vm_prev;
}

/*
 * The searches' common start: rounds the arguments (see mm/vma_tree.h) and gives the highest
 * allowed answer, *last = high_limit - len; false if no answer is possible at all.
 */
static bool search_bounds(u64 *len, u64 *low, u64 high, u64 *last)
{
	*len = ALIGN_UP(*len, (u64)PAGE_SIZE); /* 0 when it overflows too */
	*low = *low < PAGE_SIZE ? PAGE_SIZE : ALIGN_UP(*low, (u64)PAGE_SIZE);
	high = ALIGN_DOWN(high, (u64)PAGE_SIZE);
	if (!*len || *low < PAGE_SIZE || high < *len || *low > high - *len)
		return false;
	*last = high - *len;
	return true;
}

/*
 * Both searches walk the gaps in address order (bottom-up) or in reverse (top-down), and skip
 * every subtree whose subtree_gap is below len, and every subtree whose gaps all lie on the wrong
 * side of a limit. The gaps a subtree holds are bounded by its neighbours in the list: the left
 * subtree of n holds gaps that end at most at vm_start of n's predecessor, the right subtree gaps
 * that start at least at n's vm_end. The first gap in walk order that fits is the answer; once a
 * gap lies wholly past the far limit so do all the ones after it, and the search stops. So the
 * walk leaves the path to the near limit only for subtrees that are sure to hold the answer.
 */
u64 vma_tree_unmapped_area(const struct vma_tree *t, u64 len, u64 low_limit, u64 high_limit)
{
	const struct vma_node *n = t->root;
	u64 last, start;

	if (!search_bounds(&len, &low_limit, high_limit, &last))
		return 0;
	if (!n || n->subtree_gap < len)
		goto above_all;
	visit();
	for (;;) {
		/* Go left while the left subtree may hold a gap that ends high enough. */
		while (n->left && n->left->subtree_gap >= len &&
		       node_vma(n)->vm_prev->vm_start >= low_limit + len) {
			n = n->left;
			visit();
		}
		for (;;) {
			const struct vm_area_struct *vma = node_vma(n);
			const struct vma_node *child;

			/* vma's own gap, [start, vma->vm_start): later ones start higher. */
			start = gap_start(vma);
			if (start > last)
				return 0;
			start = max(start, low_limit);
			if (vma->vm_start >= start + len)
				return start;
			if (vma->vm_end > last)
				return 0;
			if (n->right && n->right->subtree_gap >= len) {
				n = n->right;
				visit();
				break;
			}
			/* Up to the first ancestor reached from its left: its gap comes next. */
			do {
				child = n;
				n = n->parent;
				if (!n)
					goto above_all;
				visit();
			} while (n->right == child);
		}
	}
above_all:
	/* The free space above the highest VMA. */
	start = t->root ? vma_tree_last(t)->vm_end : 0;
	start = max(start, low_limit);
	return start <= last ? start : 0;
}

u64 vma_tree_unmapped_area_topdown(const struct vma_tree *t, u64 len, u64 low_limit, u64 high_limit)
{
	const struct vma_node *n = t->root;
	u64 last, end;

	if (!search_bounds(&len, &low_limit, high_limit, &last))
		return 0;
	/* The free space above the highest VMA comes first. */
	if (!n || vma_tree_last(t)->vm_end <= last)
		return last;
	if (n->subtree_gap < len)
		return 0;
	visit();
	for (;;) {
		/* Go right while the right subtree may hold a gap that starts low enough. */
		while (n->right && n->right->subtree_gap >= len && node_vma(n)->vm_end <= last) {
			n = n->right;
			visit();
		}
		for (;;) {
			const struct vm_area_struct *vma = node_vma(n);
			const struct vma_node *child;

			/* vma's own gap, [gap_start(vma), end): later ones end lower. */
			end = vma->vm_start;
			if (end < low_limit + len)
				return 0;
			end = min(end, last + len);
			if (end - len >= gap_start(vma))
				return end - len;
			if (vma->vm_prev && vma->vm_prev->vm_start < low_limit + len)
				return 0;
			if (n->left && n->left->subtree_gap >= len) {
				n = n->left;
				visit();
				break;
			}
			/* Up to the first ancestor reached from its right: its gap is next. */
			do {
				child = n;
				n = n->parent;
				if (!n)
					return 0;
				visit();
			} while (n->left == child);
		}
	}
}

/* Records the first broken invariant in why; always returns -1. */
static int __printf(3, 4) check_fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * The first node of n's subtree in order. *budget counts the links followed, so that a
 * corrupted tree (a cycle) ends the walk instead of looping; NULL once it runs out.
 */
static const struct vma_node *leftmost(const struct vma_node *n, long *budget)
{
	while (n->left) {
		if (--*budget < 0)
			return NULL;
		n = n->left;
	}
	return n;
}

/* n's successor by the tree's links (not the list's), or NULL; *budget as for leftmost(). */
static const struct vma_node *tree_next(const struct vma_node *n, long *budget)
{
	if (n->right) {
		if (--*budget < 0)
			return NULL;
		return leftmost(n->right, budget);
	}
	while (n->parent && n->parent->right == n) {
		if (--*budget < 0)
			return NULL;
		n = n->parent;
	}
	--*budget;
	return n->parent;
}

/* The checks of one node that need only the node, its parent, its children and vm_prev. */
static int check_node(const struct vma_tree *t, const struct vma_node *n, char *why, size_t len)
{
	const struct vm_area_struct *vma = node_vma(n);
	int lh = node_height(n->left), rh = node_height(n->right);

	if (n->parent ? n->parent->left != n && n->parent->right != n : n != t->root)
		return check_fail(why, len, "VMA %#lx: parent link is wrong",
				  (unsigned long)vma->vm_start);
	if (n->left && n->left->parent != n)
		return check_fail(why, len, "VMA %#lx: left child's parent link is wrong",
				  (unsigned long)vma->vm_start);
	if (n->right && n->right->parent != n)
		return check_fail(why, len, "VMA %#lx: right child's parent link is wrong",
				  (unsigned long)vma->vm_start);
	if (n->height != 1 + max(lh, rh))
		return check_fail(why, len, "VMA %#lx: height %d, children %d and %d",
				  (unsigned long)vma->vm_start, n->height, lh, rh);
	if (lh - rh > 1 || rh - lh > 1)
		return check_fail(why, len, "VMA %#lx: unbalanced, children of heights %d and %d",
				  (unsigned long)vma->vm_start, lh, rh);
	if (n->subtree_gap != compute_subtree_gap(n))
		return check_fail(why, len, "VMA %#lx: subtree_gap %#lx, should be %#lx",
				  (unsigned long)vma->vm_start, (unsigned long)n->subtree_gap,
				  (unsigned long)compute_subtree_gap(n));
	if (vma->vm_start >= vma->vm_end)
		return check_fail(why, len, "VMA [%#lx, %#lx) is empty",
				  (unsigned long)vma->vm_start, (unsigned long)vma->vm_end);
	if (!IS_ALIGNED(vma->vm_start | vma->vm_end, (u64)PAGE_SIZE))
		return check_fail(why, len, "VMA [%#lx, %#lx) is not page-aligned",
				  (unsigned long)vma->vm_start, (unsigned long)vma->vm_end);
	return 0;
}

int vma_tree_check(const struct vma_tree *t, char *why, size_t len)
{
	const struct vma_node *n = t->root;
	const struct vm_area_struct *expect = t->first, *prev = NULL;
	/* An in-order walk follows each link at most twice. */
	long budget = 2 * (long)t->count + 2;
	int seen = 0;

	if (len)
		why[0] = '\0';
	if (t->count < 0)
		return check_fail(why, len, "count is %d", t->count);
	if (n && n->parent)
		return check_fail(why, len, "the root has a parent");
	if (!n != !t->first)
		return check_fail(why, len, "the tree is %sempty but the list is %sempty",
				  n ? "not " : "", t->first ? "not " : "");
	/* In order through the tree, the list alongside; the budget ends any loop. */
	for (n = n ? leftmost(n, &budget) : NULL; n; n = tree_next(n, &budget)) {
		const struct vm_area_struct *vma = node_vma(n);

		if (++seen > t->count)
			return check_fail(why, len, "more than count (%d) VMAs in the tree",
					  t->count);
		if (vma != expect)
			return check_fail(
				why, len, "VMA %d in the tree ([%#lx, %#lx)) is not the list's",
				seen - 1, (unsigned long)vma->vm_start, (unsigned long)vma->vm_end);
		if (vma->vm_prev != prev)
			return check_fail(why, len, "VMA [%#lx, %#lx): vm_prev is wrong",
					  (unsigned long)vma->vm_start, (unsigned long)vma->vm_end);
		if (prev && prev->vm_end > vma->vm_start)
			return check_fail(
				why, len,
				"VMAs [%#lx, %#lx) and [%#lx, %#lx) overlap or are out of order",
				(unsigned long)prev->vm_start, (unsigned long)prev->vm_end,
				(unsigned long)vma->vm_start, (unsigned long)vma->vm_end);
		if (check_node(t, n, why, len))
			return -1;
		prev = vma;
		expect = vma->vm_next;
	}
	if (budget < 0)
		return check_fail(why, len,
				  "the tree's links have more than count (%d) nodes or a cycle",
				  t->count);
	if (expect)
		return check_fail(why, len, "the list goes on past the tree's last VMA");
	if (seen != t->count)
		return check_fail(why, len, "count is %d, the tree has %d VMAs", t->count, seen);
	return 0;
}
