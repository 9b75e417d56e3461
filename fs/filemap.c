// SPDX-License-Identifier: MIT
/*
 * The page cache: a radix tree per regular file, mapping page offsets to frames. Nodes are whole
 * frames of 512 slots; a tree of height h covers offsets below 512^h (height 0: the root is the
 * page at offset 0 itself), and grows a level at a time when a larger offset is written.
 */
#include "fs/vfs.h"
#include "fs/fs_context.h"
#include "mm/frame.h"

#define PT_SHIFT 9
#define PT_SLOTS (1u << PT_SHIFT)
#define PT_MAX_INDEX ((u64)MAX_LFS_FILESIZE >> PAGE_SHIFT)

/* How many page offsets a tree of this height covers (height <= 6 for PT_MAX_INDEX). */
static u64 pt_span(u32 height)
{
	return 1ULL << (PT_SHIFT * height);
}

/* Adds levels on top of the tree until index fits; false when memory runs out. */
static bool pt_grow(struct page_tree *t, u64 index)
{
	while (index >= pt_span(t->height)) {
		if (t->root) {
			void **node = get_free_page(GFP_ZERO);

			if (!node)
				return false;
			node[0] = t->root;
			t->root = node;
		}
		t->height++;
	}
	return true;
}

u64 nr_file_pages;

struct page *filemap_get_page(struct inode *inode, u64 pgoff, bool create)
{
	struct page_tree *t = &inode->i_pages;
	void **slot = &t->root;

	if (pgoff > PT_MAX_INDEX)
		return NULL;
	if (pgoff >= pt_span(t->height) && (!create || !pt_grow(t, pgoff)))
		return NULL;
	for (u32 h = t->height; h > 0; h--) {
		if (!*slot) {
			if (!create)
				return NULL;
			*slot = get_free_page(GFP_ZERO);
			if (!*slot)
				return NULL;
		}
		slot = (void **)*slot + ((pgoff >> (PT_SHIFT * (h - 1))) & (PT_SLOTS - 1));
	}
	if (!*slot && create) {
		if (shmem_full(inode->i_sb))
			return NULL; /* tmpfs size=: the writer says ENOSPC */
		struct page *page = alloc_page(GFP_ZERO);

		if (!page)
			return NULL;
		*slot = page;
		t->nrpages++;
		nr_file_pages++;
		inode->i_sb->s_used_blocks++;
	}
	return *slot;
}

bool filemap_replace_page(struct inode *inode, u64 pgoff, struct page *old, struct page *page)
{
	struct page_tree *t = &inode->i_pages;
	void **slot = &t->root;

	if (pgoff > PT_MAX_INDEX || pgoff >= pt_span(t->height))
		return false;
	for (u32 h = t->height; h > 0; h--) {
		if (!*slot)
			return false;
		slot = (void **)*slot + ((pgoff >> (PT_SHIFT * (h - 1))) & (PT_SLOTS - 1));
	}
	if (*slot != old)
		return false;
	*slot = page;
	return true;
}

/*
 * Drops the pages at offsets in [start, end) from the subtree in *slot (height h, first offset
 * base) and frees the subtree's nodes that end up empty.
 */
static void pt_remove(struct page_tree *t, void **slot, u32 h, u64 base, u64 start, u64 end)
{
	if (!*slot)
		return;
	if (h == 0) {
		if (base >= start && base < end) {
			put_page(*slot);
			*slot = NULL;
			t->nrpages--;
			nr_file_pages--;
		}
		return;
	}
	void **node = *slot;
	u64 span = pt_span(h - 1);
	bool empty = true;

	for (u32 i = 0; i < PT_SLOTS; i++) {
		if (base + (i + 1) * span > start && base + i * span < end)
			pt_remove(t, &node[i], h - 1, base + i * span, start, end);
		if (node[i])
			empty = false;
	}
	if (empty) {
		free_page_addr(node);
		*slot = NULL;
	}
}

void filemap_remove_from(struct inode *inode, u64 start)
{
	struct page_tree *t = &inode->i_pages;
	u64 before = t->nrpages;

	pt_remove(t, &t->root, t->height, 0, start, ~0ULL);
	inode->i_sb->s_used_blocks -= before - t->nrpages;
	if (!t->root)
		t->height = 0;
}

void filemap_remove_range(struct inode *inode, u64 start, u64 end)
{
	struct page_tree *t = &inode->i_pages;
	u64 before = t->nrpages;

	pt_remove(t, &t->root, t->height, 0, start, end);
	inode->i_sb->s_used_blocks -= before - t->nrpages;
	if (!t->root)
		t->height = 0;
}

/* The first offset >= from with a page in the subtree (height h, first offset base), or ~0. */
static u64 pt_next(void *node, u32 h, u64 base, u64 from)
{
	if (!node)
		return ~0ULL;
	if (h == 0)
		return base >= from ? base : ~0ULL;
	u64 span = pt_span(h - 1);

	for (u32 i = 0; i < PT_SLOTS; i++) {
		u64 child = base + i * span;

		if (child + span <= from)
			continue;
		u64 found = pt_next(((void **)node)[i], h - 1, child, from);
		if (found != ~0ULL)
			return found;
	}
	return ~0ULL;
}

u64 filemap_next_page(struct inode *inode, u64 pgoff)
{
	return pt_next(inode->i_pages.root, inode->i_pages.height, 0, pgoff);
}
