// SPDX-License-Identifier: MIT
/*
 * Address spaces and their VMAs: creating, copying (fork) and destroying an mm; mmap, munmap
 * and brk (mprotect is in mm/mprotect.c). The list of VMAs is sorted by address; see mm/mm.h.
 */
#include "mm/mm.h"
#include "mm/filemap.h"
#include "fs/proc.h"
#include "fs/ramfs.h"
#include "mm/internal.h"
#include "mm/frame.h"
#include "mm/slab.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/cpu.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/string.h"


static struct kmem_cache vma_cache, mm_cache;
static bool caches_ready;

static void mm_caches_init(void)
{
	if (caches_ready)
		return;
	kmem_cache_setup(&vma_cache, "vm_area_struct", sizeof(struct vm_area_struct), 0);
	kmem_cache_setup(&mm_cache, "mm_struct", sizeof(struct mm_struct), 0);
	caches_ready = true;
}

static struct vm_area_struct *vma_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *v = kmem_cache_alloc(&vma_cache, GFP_ZERO);

	if (v)
		v->vm_mm = mm;
	return v;
}

static void vma_free(struct vm_area_struct *v)
{
	if (v->vm_file)
		fput(v->vm_file);
	kmem_cache_free(&vma_cache, v);
}

struct mm_struct *mm_alloc(void)
{
	mm_caches_init();
	struct mm_struct *mm = kmem_cache_alloc(&mm_cache, GFP_ZERO);
	if (!mm)
		return NULL;
	mm->pgd = get_free_page(GFP_ZERO);
	if (!mm->pgd) {
		kmem_cache_free(&mm_cache, mm);
		return NULL;
	}
	/* The kernel half: the same PDPTs as the kernel's own tables, created at boot. */
	memcpy(mm->pgd + 256, kernel_pml4 + 256, 256 * sizeof(u64));
	mm->users = 1;
	mm->mmap_base = MMAP_BASE;
	return mm;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, u64 addr)
{
	return vma_tree_find_vma(&mm->mm_rb, addr);
}

/* Links a VMA into the list and the tree; it must not overlap any other. */
static void vma_link(struct mm_struct *mm, struct vm_area_struct *v)
{
	vma_tree_link(&mm->mm_rb, v);
}

static void vma_unlink(struct mm_struct *mm, struct vm_area_struct *v)
{
	vma_tree_erase(&mm->mm_rb, v);
}

u64 vm_get_page_prot(u64 vm_flags)
{
	u64 prot = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return _PAGE_PROTNONE | _PAGE_USER; /* not present: every access faults */
	if (vm_flags & VM_WRITE)
		prot |= _PAGE_RW | _PAGE_DIRTY;
	if (!(vm_flags & VM_EXEC))
		prot |= __supported_pte_mask_nx;
	return prot;
}

/* Removes the pages of [start, end) from the page tables, dropping their frame references. */
static void zap_range(struct mm_struct *mm, u64 start, u64 end)
{
	for (u64 va = start, next; va < end; va = next) {
		pte_t *e = pgtable_walk_range(mm->pgd, va, end, &next); /* skips missing tables */
		if (e && pte_has_frame(*e)) {
			put_page(phys_to_page(*e & PTE_ADDR_MASK));
			*e = 0;
		}
	}
	flush_tlb_mm_range(mm, start, end);
}

int sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;

int mm_sysctl_init(void)
{
	struct inode *sys = proc_mkdir(NULL, "sys"), *vm = sys ? proc_mkdir(sys, "vm") : NULL;

	if (!vm)
		return -ENOMEM;
	return proc_create_int(vm, "max_map_count", 0644, &sysctl_max_map_count, 0, 0x7fffffff);
}

/* Splits v at addr without the map-count check (munmap's edge splits: net VMAs do not grow). */
static int __split_vma(struct mm_struct *mm, struct vm_area_struct *v, u64 addr)
{
	struct vm_area_struct *n = vma_alloc(mm);

	if (!n)
		return -ENOMEM;
	*n = *v;
	n->vm_start = addr;
	n->vm_pgoff = v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);
	if (n->vm_file)
		get_file(n->vm_file);
	v->vm_end = addr;
	vma_tree_gap_update(&mm->mm_rb, v);
	vma_tree_insert(&mm->mm_rb, n, v, v->vm_next);
	return 0;
}

int split_vma(struct mm_struct *mm, struct vm_area_struct *v, u64 addr)
{
	if (mm->mm_rb.count >= sysctl_max_map_count)
		return -ENOMEM; /* spec 2.5: any split that adds a VMA */
	return __split_vma(mm, v, addr);
}

int do_munmap(struct mm_struct *mm, u64 start, u64 len)
{
	if (!IS_ALIGNED(start, PAGE_SIZE) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return -EINVAL;
	u64 end = start + len;
	struct vm_area_struct *v = find_vma(mm, start);
	if (!v || v->vm_start >= end)
		return 0;
	/*
	 * Only a range strictly inside one VMA adds one (spec 2.5): that is the one case checked
	 * against max_map_count, before anything changes. Edge splits always succeed.
	 */
	if (v->vm_start < start && v->vm_end > end && mm->mm_rb.count >= sysctl_max_map_count)
		return -ENOMEM;
	if (v->vm_start < start && __split_vma(mm, v, start))
		return -ENOMEM;
	for (v = find_vma(mm, start); v && v->vm_start < end;) {
		if (v->vm_end > end && __split_vma(mm, v, end))
			return -ENOMEM;
		struct vm_area_struct *next = v->vm_next;
		zap_range(mm, v->vm_start, v->vm_end);
		vma_unlink(mm, v);
		vma_free(v);
		v = next;
	}
	return 0;
}

/* Is [addr, addr+len) free of VMAs? */
static bool range_is_free(struct mm_struct *mm, u64 addr, u64 len)
{
	return !vma_tree_find_intersection(&mm->mm_rb, addr, addr + len);
}

/* Finds the highest free gap of len bytes below mm->mmap_base (top-down, as Linux). */
static u64 get_unmapped_area(struct mm_struct *mm, u64 len)
{
	return vma_tree_unmapped_area_topdown(&mm->mm_rb, len, PAGE_SIZE, mm->mmap_base);
}

/* Marks the unlinked files behind shared anonymous memory (i_private), for /proc/self/maps. */
const char shmem_anon_name[] = "/dev/zero";

/*
 * The backing of a MAP_SHARED|MAP_ANONYMOUS mapping: an unlinked ramfs file of size bytes, so
 * that every process sharing the mapping (after fork) sees the same page cache, as Linux's
 * shmem_zero_setup() does. NULL when memory runs out.
 */
static struct file *shmem_anon_file(u64 size)
{
	struct inode *inode = ramfs_new_inode(NULL, S_IFREG | 0600, 0);

	if (!inode)
		return NULL;
	inode->i_size = (s64)size;
	inode->i_nlink = 0; /* no name: freed with its last reference */
	inode->i_private = (void *)shmem_anon_name;
	struct file *f = alloc_file(inode, O_RDWR, &ramfs_file_operations);
	iput(inode); /* the file holds its own reference */
	return f;
}

/* Turns mmap's prot and flags into vm_flags, with the MAY bits Linux sets (spec §1.5). */
static u64 calc_vm_flags(struct file *file, u64 prot, u64 flags)
{
	u64 vm = (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
		 (prot & PROT_EXEC ? VM_EXEC : 0) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if ((flags & MAP_TYPE) != MAP_PRIVATE) {
		vm |= VM_SHARED | VM_MAYSHARE;
		if (file && !file_writable(file))
			vm &= ~(VM_MAYWRITE | VM_SHARED);
	}
	if (flags & MAP_GROWSDOWN)
		vm |= VM_GROWSDOWN;
	if (flags & MAP_NORESERVE)
		vm |= VM_NORESERVE;
	return vm;
}

long do_mmap(struct mm_struct *mm, struct file *file, u64 addr, u64 len, u64 prot, u64 flags,
	     u64 pgoff)
{
	if (!len)
		return -EINVAL;
	/* personality(READ_IMPLIES_EXEC): readable mappings are executable too (no noexec mounts). */
	if ((prot & PROT_READ) && (current->personality & READ_IMPLIES_EXEC))
		prot |= PROT_EXEC;
	len = PAGE_ALIGN(len);
	if (!len || len > TASK_SIZE)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->mm_rb.count > sysctl_max_map_count)
		return -ENOMEM; /* lenient on purpose, as Linux: ">" lets a process at the limit map once */
	u64 type = flags & MAP_TYPE;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (file && type != MAP_PRIVATE && (prot & PROT_WRITE) && !file_writable(file))
		return -EACCES;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (!IS_ALIGNED(addr, PAGE_SIZE))
			return -EINVAL;
		if (addr > TASK_SIZE - len)
			return -ENOMEM;
		if (!range_is_free(mm, addr, len)) {
			if (!(flags & MAP_FIXED))
				return -EEXIST;
			int err = do_munmap(mm, addr, len);
			if (err)
				return err;
		}
	} else {
		addr = PAGE_ALIGN(addr);
		if (!addr || addr > TASK_SIZE - len || !range_is_free(mm, addr, len))
			addr = get_unmapped_area(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	struct vm_area_struct *v = vma_alloc(mm);
	if (!v)
		return -ENOMEM;
	v->vm_start = addr;
	v->vm_end = addr + len;
	v->vm_flags = calc_vm_flags(file, prot, flags);
	v->vm_pgoff = file ? pgoff : addr >> PAGE_SHIFT;
	v->vm_file = file ? get_file(file) : NULL;
	if (!file && type != MAP_PRIVATE) {
		v->vm_file = shmem_anon_file(len);
		v->vm_pgoff = 0;
		if (!v->vm_file) {
			kmem_cache_free(&vma_cache, v);
			return -ENOMEM;
		}
	}
	vma_link(mm, v);
	return (long)addr;
}

/*
 * mmap of /dev/zero: anonymous memory. A shared mapping of a /dev/zero opened read-only cannot
 * be made writable, as for any file (Linux clears VM_MAYWRITE and VM_SHARED).
 */
static long mmap_dev_zero(struct file *file, u64 addr, u64 len, u64 prot, u64 flags)
{
	bool ro_shared = (flags & MAP_TYPE) != MAP_PRIVATE && !file_writable(file);

	fput(file);
	if (ro_shared && (prot & PROT_WRITE))
		return -EACCES;
	long r = do_mmap(current->mm, NULL, addr, len, prot, flags | MAP_ANONYMOUS, 0);
	if (r >= 0 && ro_shared)
		find_vma(current->mm, (u64)r)->vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
	return r;
}

long sys_mmap(u64 addr, u64 len, u64 prot, u64 flags, u64 fd, u64 off)
{
	struct file *file = NULL;

	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget((int)fd);
		if (!file)
			return -EBADF;
		int kind = file_mmap_kind(file);
		if (kind == FILE_MMAP_NONE) {
			fput(file);
			return -ENODEV; /* pipes, most devices: no mmap operation */
		}
		if (kind == FILE_MMAP_ANON)
			return mmap_dev_zero(file, addr, len, prot, flags);
	}
	long r = do_mmap(current->mm, file, addr, len, prot, flags, off >> PAGE_SHIFT);
	if (file)
		fput(file);
	return r;
}

long sys_munmap(u64 addr, u64 len)
{
	return do_munmap(current->mm, addr, len);
}

void change_protection(struct mm_struct *mm, u64 start, u64 end, u64 vm_flags)
{
	u64 prot = vm_get_page_prot(vm_flags);

	for (u64 va = start, next; va < end; va = next) {
		pte_t *e = pgtable_walk_range(mm->pgd, va, end, &next);
		if (!e || !pte_has_frame(*e))
			continue;
		u64 p = prot;
		/* A frame shared copy-on-write (or the zero page) stays read-only: a write copies it. */
		struct page *pg = phys_to_page(*e & PTE_ADDR_MASK);
		if (is_zero_page(pg) || (!(vm_flags & VM_SHARED) && pg->refcount > 1))
			p &= ~(u64)(_PAGE_RW | _PAGE_DIRTY);
		*e = (*e & PTE_ADDR_MASK) | p;
	}
	flush_tlb_mm_range(mm, start, end);
}

/* Grows or creates the anonymous heap VMA so that it covers [start, end). */
static int brk_expand(struct mm_struct *mm, u64 start, u64 end)
{
	struct vm_area_struct *v = find_vma(mm, start ? start - 1 : 0);
	u64 vm = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if (v && v->vm_end == start && v->vm_flags == vm && !v->vm_file) {
		v->vm_end = end;
		vma_tree_gap_update(&mm->mm_rb, v);
		return 0;
	}
	v = vma_alloc(mm);
	if (!v)
		return -ENOMEM;
	v->vm_start = start;
	v->vm_end = end;
	v->vm_flags = vm;
	v->vm_pgoff = start >> PAGE_SHIFT;
	vma_link(mm, v);
	return 0;
}

long sys_brk(u64 brk)
{
	struct mm_struct *mm = current->mm;
	u64 oldbrk = PAGE_ALIGN(mm->brk), newbrk = PAGE_ALIGN(brk);

	if (brk < mm->start_brk || brk > TASK_SIZE)
		return (long)mm->brk;
	if (brk > mm->brk && mm->mm_rb.count > sysctl_max_map_count)
		return (long)mm->brk;
	if (newbrk < oldbrk) {
		if (do_munmap(mm, newbrk, oldbrk - newbrk))
			return (long)mm->brk;
	} else if (newbrk > oldbrk) {
		if (!range_is_free(mm, oldbrk, newbrk - oldbrk) ||
		    brk_expand(mm, oldbrk, newbrk))
			return (long)mm->brk;
	}
	mm->brk = brk;
	return (long)brk;
}

/*
 * Gives the child the parent's page at va. A shared mapping shares the frame outright; a private
 * one shares it copy-on-write: both PTEs lose their write permission, and the first write on
 * either side copies the page (do_wp_page in mm/fault.c).
 */
static int copy_one_page(struct mm_struct *dst, pte_t *src_pte, u64 va, bool shared)
{
	pte_t pte = *src_pte;
	struct page *pg = phys_to_page(pte & PTE_ADDR_MASK);

	if (!shared)
		pte &= ~(u64)(_PAGE_RW | _PAGE_DIRTY);
	if (pgtable_map(dst->pgd, va, pte & PTE_ADDR_MASK, pte & ~PTE_ADDR_MASK, PG_LEVEL_4K))
		return -ENOMEM;
	get_page(pg);
	*src_pte = pte;
	return 0;
}

struct mm_struct *dup_mm(struct mm_struct *old)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	memcpy(&mm->mmap_base, &old->mmap_base,
	       sizeof(*mm) - offsetof(struct mm_struct, mmap_base));
	for (struct vm_area_struct *v = old->mm_rb.first; v; v = v->vm_next) {
		struct vm_area_struct *n = vma_alloc(mm);
		if (!n)
			goto fail;
		*n = *v;
		n->vm_mm = mm;
		if (n->vm_file)
			get_file(n->vm_file);
		vma_link(mm, n);
		for (u64 va = v->vm_start, next; va < v->vm_end; va = next) {
			pte_t *e = pgtable_walk_range(old->pgd, va, v->vm_end, &next);
			if (e && pte_has_frame(*e) &&
			    copy_one_page(mm, e, va, v->vm_flags & VM_SHARED))
				goto fail;
		}
	}
	flush_tlb_mm_range(old, 0, TASK_SIZE); /* the parent's PTEs lost their write bits */
	return mm;
fail:
	flush_tlb_mm_range(old, 0, TASK_SIZE);
	mmput(mm);
	return NULL;
}

void mmput(struct mm_struct *mm)
{
	if (--mm->users > 0)
		return;
	while (mm->mm_rb.first) {
		struct vm_area_struct *v = mm->mm_rb.first;
		zap_range(mm, v->vm_start, v->vm_end);
		vma_unlink(mm, v);
		vma_free(v);
	}
	pgtable_free_user(mm->pgd);
	free_page_addr(mm->pgd);
	kmem_cache_free(&mm_cache, mm);
}

void switch_mm(struct mm_struct *mm)
{
	u64 pa = virt_to_phys(mm ? mm->pgd : kernel_pml4);

	if (read_cr3() != pa)
		write_cr3(pa);
}
