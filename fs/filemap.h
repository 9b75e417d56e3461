/* SPDX-License-Identifier: MIT */
/*
 * The page cache, which is the ramfs's storage: a regular file's data lives in whole frames
 * (struct page), found by page offset in a radix tree of page-sized nodes (512 slots each, as many
 * levels as the largest offset needs). A hole has no page and reads as zeros. The cache holds one
 * reference on each page (page->refcount); whoever maps a page into an address space takes its
 * own with get_page() and drops it with put_page(), so a page outlives its removal from the cache
 * (truncate, unlink) for as long as it stays mapped. Bytes of a cached page past i_size are always
 * zero: truncate zeroes the tail of the last page.
 */
#ifndef WARDEN_FS_FILEMAP_H
#define WARDEN_FS_FILEMAP_H

#include "kernel/types.h"

struct inode;
struct page;

/* The pages of one file. */
struct page_tree {
	void *root; /* a page (height 0) or a node of 512 slots */
	u32 height; /* levels of nodes: offsets below 512^height fit */
	u64 nrpages; /* pages cached */
};

/*
 * The page holding bytes [pgoff * PAGE_SIZE, (pgoff + 1) * PAGE_SIZE) of a regular file, as
 * page_address() reaches it. With create, a missing page is allocated zeroed and added (NULL only
 * when memory runs out); without, a hole gives NULL. The reference stays the cache's: a caller
 * that keeps the page (a mapping) takes its own with get_page().
 */
struct page *filemap_get_page(struct inode *inode, u64 pgoff, bool create);

/*
 * Puts page in old's place at pgoff (soft offline's migration, mm/memory_failure.c): true if old
 * was there. The cache's reference moves with it: the caller takes one on page, drops old's.
 */
bool filemap_replace_page(struct inode *inode, u64 pgoff, struct page *old, struct page *page);

/* Removes the pages at offsets >= start from the cache (and the nodes left empty). */
void filemap_remove_from(struct inode *inode, u64 start);

/* Drops the cached pages at offsets [start, end) (fallocate's punched hole). */
void filemap_remove_range(struct inode *inode, u64 start, u64 end);

/* Does any address space map the file (mm/memory.c)? */
bool mapping_mapped(struct inode *inode);

/*
 * Removes pages at offsets >= first of inode from every address space that maps them, shared or
 * privately copied (Linux's unmap_mapping_range on truncate), so that a later touch there faults
 * again and meets the new end of the file (SIGBUS). Implemented by mm/memory.c.
 */
void unmap_mapping_pages(struct inode *inode, u64 first);

/*
 * Removes inode's cached pages at offsets [first, last) from every address space that maps them
 * (Linux's unmap_mapping_range with even_cows false, for a punched hole): the pages a private
 * mapping copied stay. Implemented by mm/memory.c.
 */
void unmap_mapping_cache_range(struct inode *inode, u64 first, u64 last);

/* Pages in every file's page cache (Linux's NR_FILE_PAGES): /proc/meminfo's Cached and Shmem. */
extern u64 nr_file_pages;

/*
 * Whether some address space maps inode shared and writable-to-be (Linux's i_mmap_writable > 0:
 * a VMA with VM_SHARED and VM_MAYWRITE, whatever its present protection). Walks every mm as
 * unmap_mapping_pages() does (docs/locking.md: no lock on one CPU). F_SEAL_WRITE's EBUSY.
 */
bool mapping_writably_mapped(struct inode *inode);

/* The offset of the first cached page at or after pgoff, or ~0 if there is none. */
u64 filemap_next_page(struct inode *inode, u64 pgoff);

#endif
