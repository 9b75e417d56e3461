// SPDX-License-Identifier: MIT
/*
 * VMA objects, anon_vma identity, split_vma and vma_merge by Linux 6.1's rules (mm/vma.h;
 * spec §2.2-2.5). The cases of vma_merge, for a range R that gets new attributes, a prev P just
 * below it and the VMA N just above it (M is the VMA R lies in, when R is inside an existing one):
 *
 *	P|R|N -> P absorbs R and N		(mmap: 1; mprotect of all of M: 6)
 *	P|R   -> P grows over R			(mmap: 2; mprotect of all of M: 7; of M's head: 5)
 *	R|N   -> N grows down over R		(mmap: 3; mprotect of all of M: 8; of M's tail: 4)
 *
 * Nothing here allocates, so a merge never fails; only split_vma can.
 */
#include "mm/vma.h"
#include "mm/slab.h"
#include "fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/trace.h"

#define VM_IGNORE_MERGE VM_SOFTDIRTY

static struct kmem_cache vma_cache, anon_vma_cache;
static bool caches_ready;

bool debug_vm;

static void vma_caches_init(void)
{
	if (caches_ready)
		return;
	kmem_cache_setup(&vma_cache, "vm_area_struct", sizeof(struct vm_area_struct), 0);
	kmem_cache_setup(&anon_vma_cache, "anon_vma", sizeof(struct anon_vma), 0);
	caches_ready = true;
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	vma_caches_init();
	struct vm_area_struct *v = kmem_cache_alloc(&vma_cache, GFP_ZERO);

	if (v)
		v->vm_mm = mm;
	return v;
}

/* Takes one more reference to anon_vma (NULL is fine). */
static void get_anon_vma(struct anon_vma *av)
{
	if (av)
		av->refcount++;
}

/* Drops a reference; the last one frees it. */
static void put_anon_vma(struct anon_vma *av)
{
	if (av && --av->refcount == 0)
		kmem_cache_free(&anon_vma_cache, av);
}

struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *v = vm_area_alloc(orig->vm_mm);

	if (!v)
		return NULL;
	*v = *orig;
	if (v->vm_file)
		get_file(v->vm_file);
	get_anon_vma(v->anon_vma);
	vma_file_open(v);
	return v;
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	put_anon_vma(vma->anon_vma);
	vma->anon_vma = NULL;
	vma->anon_vma_chain = 0;
}

void vma_file_open(struct vm_area_struct *vma)
{
	if (vma->vm_file && vma->vm_file->f_op->vm_open)
		vma->vm_file->f_op->vm_open(vma);
}

void vm_area_free(struct vm_area_struct *vma)
{
	if (vma->vm_file && vma->vm_file->f_op->vm_close)
		vma->vm_file->f_op->vm_close(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	put_anon_vma(vma->anon_vma);
	kmem_cache_free(&vma_cache, vma);
}

/* Is vma's anon_vma its own, not inherited through fork (Linux: a singular anon_vma_chain)? */
static bool anon_vma_unforked(const struct vm_area_struct *vma)
{
	return vma->anon_vma_chain == 1;
}

/* Makes vma share src's anon_vma and chain (vma has none yet): a merge or a split. */
static void anon_vma_clone(struct vm_area_struct *vma, const struct vm_area_struct *src)
{
	vma->anon_vma = src->anon_vma;
	vma->anon_vma_chain = src->anon_vma_chain;
	get_anon_vma(vma->anon_vma);
}

/*
 * Could a and b (a just below b) share an anon_vma: adjacent, same file and offsets in step,
 * same flags but for the access bits (Linux's anon_vma_compatible)?
 */
static bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_READ | VM_WRITE | VM_EXEC | VM_SOFTDIRTY)) &&
	       b->vm_pgoff == a->vm_pgoff + ((b->vm_start - a->vm_start) >> PAGE_SHIFT);
}

/* old's anon_vma, if a and b are compatible and old's is its own (Linux's reusable_anon_vma). */
static struct anon_vma *reusable_anon_vma(const struct vm_area_struct *old,
					  const struct vm_area_struct *a,
					  const struct vm_area_struct *b)
{
	if (anon_vma_compatible(a, b) && old->anon_vma && anon_vma_unforked(old))
		return old->anon_vma;
	return NULL;
}

int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma->vm_next, *prev = vma->vm_prev;
	struct anon_vma *av = NULL;

	if (vma->anon_vma)
		return 0;
	if (next)
		av = reusable_anon_vma(next, vma, next);
	if (!av && prev)
		av = reusable_anon_vma(prev, prev, vma);
	if (!av) {
		vma_caches_init();
		av = kmem_cache_alloc(&anon_vma_cache, GFP_ZERO);
		if (!av)
			return -ENOMEM;
	}
	get_anon_vma(av);
	vma->anon_vma = av;
	vma->anon_vma_chain = 1;
	return 0;
}

int anon_vma_fork(struct vm_area_struct *child, struct vm_area_struct *parent)
{
	put_anon_vma(child->anon_vma); /* the parent's, which vm_area_dup() gave the copy */
	child->anon_vma = NULL;
	child->anon_vma_chain = 0;
	if (!parent->anon_vma)
		return 0;
	vma_caches_init();
	struct anon_vma *av = kmem_cache_alloc(&anon_vma_cache, GFP_ZERO);
	if (!av)
		return -ENOMEM;
	get_anon_vma(av);
	child->anon_vma = av;
	child->anon_vma_chain = parent->anon_vma_chain + 1;
	return 0;
}

int __split_vma(struct mm_struct *mm, struct vm_area_struct *vma, u64 addr, int new_below)
{
	struct vm_area_struct *n = vm_area_dup(vma);

	if (!n)
		return -ENOMEM;
	trace_event(TRACE_VMA_SPLIT, vma->vm_start, vma->vm_end, addr);
	if (new_below) {
		n->vm_end = addr;
		vma->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma->vm_start = addr;
		vma_tree_gap_update(&mm->mm_rb, vma);
		vma_tree_insert(&mm->mm_rb, n, vma->vm_prev, vma);
	} else {
		n->vm_start = addr;
		n->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma->vm_end = addr;
		vma_tree_gap_update(&mm->mm_rb, vma);
		vma_tree_insert(&mm->mm_rb, n, vma, vma->vm_next);
	}
	return 0;
}

int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, u64 addr, int new_below)
{
	if (mm->mm_rb.count >= sysctl_max_map_count)
		return -ENOMEM; /* spec 2.5: any split that adds a VMA */
	return __split_vma(mm, vma, addr, new_below);
}

/*
 * May a VMA with anon_vma a1 join one with a2? Yes if they are the same, or if one has none and
 * vma (the neighbour being joined, when given) has its own, unforked anon_vma. Linux 6.1 tests
 * that last condition even when vma has no anon_vma at all, which is then false: a written range
 * does not join an unwritten neighbour (merge.c's mprotect_unfaulted_left fails on 6.1).
 */
static bool is_mergeable_anon_vma(struct anon_vma *a1, struct anon_vma *a2,
				  const struct vm_area_struct *vma)
{
	if ((!a1 || !a2) && (!vma || anon_vma_unforked(vma)))
		return true;
	return a1 == a2;
}

/*
 * Same flags (but soft-dirty) and file; VMAs with special flags never merge, nor those whose
 * file is told when one goes (Linux: vm_ops->close, a SysV shm attach).
 */
static bool is_mergeable_vma(const struct vm_area_struct *vma, u64 vm_flags, struct file *file,
			     struct userfaultfd_ctx *uffd)
{
	return !((vma->vm_flags ^ vm_flags) & ~VM_IGNORE_MERGE) && vma->vm_file == file &&
	       !(file && file->f_op->vm_close) && vma->vm_userfaultfd_ctx == uffd;
}

/* May next grow down over a range that ends at next->vm_start with pgoff just below its own? */
static bool can_vma_merge_before(struct vm_area_struct *next, u64 vm_flags,
				 struct anon_vma *anon_vma, struct file *file, u64 pgoff_end,
				 struct userfaultfd_ctx *uffd)
{
	return is_mergeable_vma(next, vm_flags, file, uffd) &&
	       is_mergeable_anon_vma(anon_vma, next->anon_vma, next) && next->vm_pgoff == pgoff_end;
}

bool can_vma_merge_after(struct vm_area_struct *prev, u64 vm_flags, struct anon_vma *anon_vma,
			 struct file *file, u64 pgoff, struct userfaultfd_ctx *uffd)
{
	return is_mergeable_vma(prev, vm_flags, file, uffd) &&
	       is_mergeable_anon_vma(anon_vma, prev->anon_vma, prev) &&
	       prev->vm_pgoff + ((prev->vm_end - prev->vm_start) >> PAGE_SHIFT) == pgoff;
}

/* Gives importer exporter's anon_vma when it has none (it is about to take exporter's pages). */
static void import_anon_vma(struct vm_area_struct *importer, const struct vm_area_struct *exporter)
{
	if (!importer->anon_vma && exporter->anon_vma)
		anon_vma_clone(importer, exporter);
}

/* Takes vma out of the tree and frees it (it was absorbed by a neighbour). */
static void vma_remove(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_tree_erase(&mm->mm_rb, vma);
	vm_area_free(vma);
}

/* prev absorbs everything up to end: the VMAs in between go, their anon_vma moves to prev. */
static void merge_into_prev(struct mm_struct *mm, struct vm_area_struct *prev, u64 end)
{
	struct vm_area_struct *v;

	while ((v = prev->vm_next) && v->vm_end <= end) {
		import_anon_vma(prev, v);
		vma_remove(mm, v);
	}
	if (v && v->vm_start < end) { /* case 5: prev takes the head of v */
		import_anon_vma(prev, v);
		v->vm_pgoff += (end - v->vm_start) >> PAGE_SHIFT;
		v->vm_start = end;
		vma_tree_gap_update(&mm->mm_rb, v);
	}
	prev->vm_end = end;
	vma_tree_gap_update(&mm->mm_rb, prev);
}

/* next grows down to addr: the VMAs it covers go, a VMA it cuts into keeps its lower part. */
static void merge_into_next(struct mm_struct *mm, struct vm_area_struct *next, u64 addr)
{
	struct vm_area_struct *v;

	while ((v = next->vm_prev) && v->vm_start >= addr) {
		import_anon_vma(next, v);
		vma_remove(mm, v);
	}
	if (v && v->vm_end > addr) { /* case 4: next takes the tail of v */
		import_anon_vma(next, v);
		v->vm_end = addr;
		vma_tree_gap_update(&mm->mm_rb, v);
	}
	next->vm_pgoff -= (next->vm_start - addr) >> PAGE_SHIFT;
	next->vm_start = addr;
	vma_tree_gap_update(&mm->mm_rb, next);
}

struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *prev, u64 addr,
				 u64 end, u64 vm_flags, struct anon_vma *anon_vma,
				 struct file *file, u64 pgoff, struct userfaultfd_ctx *uffd)
{
	u64 pglen = (end - addr) >> PAGE_SHIFT;
	struct vm_area_struct *next = prev ? prev->vm_next : mm->mm_rb.first;
	bool merge_prev, merge_next;

	if (next && next->vm_end == end) /* the range is all of next: look one further */
		next = next->vm_next;
	merge_prev = prev && prev->vm_end == addr &&
		     can_vma_merge_after(prev, vm_flags, anon_vma, file, pgoff, uffd);
	merge_next = next && next->vm_start == end &&
		     can_vma_merge_before(next, vm_flags, anon_vma, file, pgoff + pglen, uffd);
	struct vm_area_struct *res = NULL;

	if (merge_prev && merge_next &&
	    is_mergeable_anon_vma(prev->anon_vma, next->anon_vma, NULL)) {
		merge_into_prev(mm, prev, next->vm_end); /* cases 1 and 6 */
		res = prev;
	} else if (merge_prev) {
		merge_into_prev(mm, prev, end); /* cases 2, 5 and 7 */
		res = prev;
	} else if (merge_next) {
		merge_into_next(mm, next, addr); /* cases 3, 4 and 8 */
		res = next;
	}
	if (res)
		trace_event(TRACE_VMA_MERGE, res->vm_start, res->vm_end);
	return res;
}

struct vm_area_struct *vma_expand_for_mmap(struct mm_struct *mm, u64 addr, u64 end, u64 vm_flags,
					   struct file *file, u64 pgoff)
{
	struct vm_area_struct *prev, *next = vma_tree_find_vma_prev(&mm->mm_rb, addr, &prev);
	struct vm_area_struct *vma = NULL;
	u64 pglen = (end - addr) >> PAGE_SHIFT;

	/* Linux 6.1 looks at next first; prev must then also fit next's anon_vma. */
	if (next && next->vm_start == end &&
	    can_vma_merge_before(next, vm_flags, NULL, file, pgoff + pglen, NULL))
		vma = next;
	if (prev && prev->vm_end == addr &&
	    can_vma_merge_after(prev, vm_flags, vma ? vma->anon_vma : NULL, file, pgoff, NULL)) {
		merge_into_prev(mm, prev, vma ? next->vm_end : end);
		vma = prev;
	} else if (vma) {
		merge_into_next(mm, next, addr);
	}
	if (vma)
		trace_event(TRACE_VMA_MERGE, vma->vm_start, vma->vm_end);
	return vma;
}

/*
 * Must Linux have merged prev and next? Only neighbours never written to (no anon_vma) are
 * certain: equal in everything merging looks at, they were merged by whichever operation last
 * made them equal. With an anon_vma the history matters: a write fault can give an unwritten VMA
 * its neighbour's anon_vma (anon_vma_prepare) without merging the two, as in Linux.
 */
static bool neighbours_mergeable(const struct vm_area_struct *prev,
				 const struct vm_area_struct *next)
{
	return prev->vm_end == next->vm_start &&
	       !((prev->vm_flags ^ next->vm_flags) & ~VM_IGNORE_MERGE) &&
	       prev->vm_file == next->vm_file && !prev->anon_vma && !next->anon_vma &&
	       prev->vm_userfaultfd_ctx == next->vm_userfaultfd_ctx &&
	       !(prev->vm_file && prev->vm_file->f_op->vm_close) &&
	       prev->vm_pgoff + ((prev->vm_end - prev->vm_start) >> PAGE_SHIFT) == next->vm_pgoff &&
	       !(next->vm_flags & VM_GROWSDOWN); /* stack growth does not merge */
}

int mm_check(struct mm_struct *mm, char *why, size_t len)
{
	if (vma_tree_check(&mm->mm_rb, why, len))
		return -1;
	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next) {
		const char *bad = NULL;
		if (v->vm_mm != mm)
			bad = "vm_mm is another mm";
		else if (!v->anon_vma != !v->anon_vma_chain)
			bad = "anon_vma and its chain disagree";
		else if (v->anon_vma && v->anon_vma->refcount < 1)
			bad = "anon_vma with no reference";
		else if ((v->vm_flags & VM_SHARED) && !(v->vm_flags & VM_MAYSHARE))
			bad = "VM_SHARED without VM_MAYSHARE";
		else if ((v->vm_flags & VM_MAYSHARE) && !v->vm_file)
			bad = "shared VMA without a file";
		else if (!mm->split_left_behind && v->vm_next &&
			 neighbours_mergeable(v, v->vm_next) &&
			 v->vm_end != mm->start_brk) /* brk never joins the VMA below the heap */
			bad = "not merged with the VMA after it (same flags and file, never "
			      "written)";
		if (bad) {
			snprintf(why, len, "VMA %#llx-%#llx flags %#llx: %s",
				 (unsigned long long)v->vm_start, (unsigned long long)v->vm_end,
				 (unsigned long long)v->vm_flags, bad);
			return -1;
		}
	}
	return 0;
}

void mm_debug_check(struct mm_struct *mm, const char *after)
{
	char why[160];

	if (debug_vm && mm_check(mm, why, sizeof(why)))
		panic("debug_vm: after %s: %s", after, why);
}
