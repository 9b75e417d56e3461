// SPDX-License-Identifier: MIT
/*
 * Address spaces and their VMAs: creating, copying (fork) and destroying an mm; mmap, munmap
 * and brk (mprotect is in mm/mprotect.c), in Linux 6.1's order of checks. The VMAs' own rules
 * (split, merge, anon_vma) are in mm/vma.c and the page tables in mm/memory.c, so this file
 * builds on the host too.
 */
#include "ipc/shm.h"
#include "mm/memory_failure.h"
#include "mm/mmap_lock.h"
#include "mm/mm.h"
#include "mm/vma.h"
#include "mm/userfaultfd.h"
#include "mm/pkeys.h"
#include "mm/mlock.h"
#include "mm/memfd.h"
#include "mm/min_addr.h"
#include "mm/overcommit.h"
#include "arch/x86_64/ldt.h"
#include "kernel/trace.h"
#include "mm/internal.h"
#include "mm/mmu_gather.h"
#include "fs/proc.h"
#include "fs/fdtable.h"
#include "fs/ramfs.h"
#include "fs/mount.h"
#include "mm/slab.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/string.h"

/* Where the bottom-up search starts when the top-down one finds nothing (TASK_UNMAPPED_BASE). */
#define TASK_UNMAPPED_BASE ALIGN_UP(TASK_SIZE / 3, PAGE_SIZE)

u64 stack_guard_gap = 256UL << PAGE_SHIFT;

/* The flags MAP_SHARED takes without checking them (Linux's LEGACY_MAP_MASK). */
#define LEGACY_MAP_MASK                                                                          \
	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | \
	 MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE |         \
	 MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

static struct kmem_cache mm_cache;
static bool mm_cache_ready;

struct mm_struct *mm_alloc(void)
{
	if (!mm_cache_ready) {
		kmem_cache_setup(&mm_cache, "mm_struct", sizeof(struct mm_struct), 0);
		mm_cache_ready = true;
	}
	struct mm_struct *mm = kmem_cache_alloc(&mm_cache, GFP_ZERO);
	if (!mm)
		return NULL;
	if (pgd_alloc(mm)) {
		kmem_cache_free(&mm_cache, mm);
		return NULL;
	}
	init_rwsem(&mm->mmap_lock);
	mm->users = 1;
	mm->mm_count = 1;
	mm->mmap_base = MMAP_BASE;
	mm->dumpable = SUID_DUMP_USER;
	mm->coredump_filter = 0x33; /* Linux's MMF_DUMP_FILTER_DEFAULT */
	mm_pkeys_init(mm);
	return mm;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, u64 addr)
{
	return vma_tree_find_vma(&mm->mm_rb, addr);
}

/*
 * Unmaps vma's pages into tlb and takes it out of the tree onto *detached (linked through
 * vm_next). The caller frees the list with free_detached_vmas only after tlb_finish_mmu: closing
 * a VMA may drop the last reference to a file's pages (an unlinked shared mapping, a memfd, a
 * removed SysV segment), which would otherwise be freed and reused while another CPU can still
 * write through its stale TLB entry (Linux's unmap_region before remove_vma).
 */
static void detach_vma(struct mmu_gather *tlb, struct vm_area_struct *v,
		       struct vm_area_struct **detached)
{
	zap_page_range_tlb(tlb, v->vm_start, v->vm_end);
	vma_tree_erase(&tlb->mm->mm_rb, v);
	v->vm_next = *detached;
	*detached = v;
}

/* Returns each detached VMA's commit charge and frees it, closing its file. After the flush. */
static void free_detached_vmas(struct vm_area_struct *v)
{
	while (v) {
		struct vm_area_struct *next = v->vm_next;

		if (v->vm_flags & VM_ACCOUNT)
			vm_unacct_memory((long)((v->vm_end - v->vm_start) >> PAGE_SHIFT));
		vm_area_free(v);
		v = next;
	}
}

int sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;

int mm_sysctl_init(void)
{
	struct inode *sys = proc_mkdir(NULL, "sys"), *vm = sys ? proc_mkdir(sys, "vm") : NULL;

	if (!vm)
		return -ENOMEM;
	int err = proc_create_int(vm, "max_map_count", 0644, &sysctl_max_map_count, 0, 0x7fffffff);
	if (!err)
		err = memory_failure_sysctl_init(vm);
	return err ? err : mmap_min_addr_sysctl_init(vm);
}

/* munmap without its argument checks: [start, end) page-aligned, inside the user half. */
static int __do_munmap(struct mm_struct *mm, u64 start, u64 end)
{
	struct vm_area_struct *v = find_vma(mm, start);

	if (!v || v->vm_start >= end)
		return 0;
	/*
	 * Only a range strictly inside one VMA adds one (spec 2.5): that is the one case checked
	 * against max_map_count, before anything changes. Edge splits always succeed.
	 */
	if (v->vm_start < start && v->vm_end > end && mm->mm_rb.count >= sysctl_max_map_count)
		return -ENOMEM;
	if (v->vm_start < start) {
		if (__split_vma(mm, v, start, 0))
			return -ENOMEM;
		v = v->vm_next;
	}
	for (struct vm_area_struct *w = v; w && w->vm_start < end; w = w->vm_next)
		if (w->vm_end > end) {
			if (__split_vma(mm, w, end, 0))
				return -ENOMEM;
			break;
		}
	/*
	 * A uffd with UFFD_FEATURE_EVENT_UNMAP hears of it when the call is done: prepared once
	 * the splits succeeded, as Linux, so a failed munmap sends no UNMAP.
	 */
	if (userfaultfd_unmap_prep(mm, start, end))
		return -ENOMEM;
	/*
	 * One gather for the pages of every VMA and the page tables freed after them: one
	 * shootdown, then the frees (Linux's unmap_region).
	 */
	struct mmu_gather tlb;
	struct vm_area_struct *detached = NULL;

	tlb_gather_mmu(&tlb, mm);
	while (v && v->vm_start < end) {
		struct vm_area_struct *next = v->vm_next;
		detach_vma(&tlb, v, &detached);
		v = next;
	}
	free_pgtables_tlb(&tlb, start, end);
	tlb_finish_mmu(&tlb);
	free_detached_vmas(detached);
	return 0;
}

int do_munmap(struct mm_struct *mm, u64 start, u64 len)
{
	if (!IS_ALIGNED(start, PAGE_SIZE) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return -EINVAL;
	int err = __do_munmap(mm, start, start + len);
	mm_debug_check(mm, "munmap");
	return err;
}

/* A hint below mmap_min_addr is raised to it (Linux's round_hint_to_min, mm/min_addr.h). */
static u64 round_hint_to_min(u64 hint)
{
	hint &= PAGE_MASK;
	if (hint && hint < mmap_min_addr)
		return PAGE_ALIGN(mmap_min_addr);
	return hint;
}

/* Does [addr, addr + len), free, reach into the guard gap of the stack above it? */
static bool in_stack_guard_gap(struct mm_struct *mm, u64 addr, u64 len,
			       struct vm_area_struct **next)
{
	*next = find_vma(mm, addr);
	return *next && ((*next)->vm_flags & VM_GROWSDOWN) && vm_start_gap(*next) < addr + len;
}

/*
 * Linux 6.1's unmapped_area_topdown(): the highest free range in [low, high); when it reaches
 * into a stack's guard gap, the search starts again below that guard gap. So free space between
 * the guard gap and the stack's lower neighbours is passed over (user/stackgap shows it). 0 if
 * nothing fits.
 */
static u64 unmapped_area_topdown(struct mm_struct *mm, u64 len, u64 low, u64 high)
{
	struct vm_area_struct *next;
	u64 addr;

	while ((addr = vma_tree_unmapped_area_topdown(&mm->mm_rb, len, low, high)) &&
	       in_stack_guard_gap(mm, addr, len, &next))
		high = vm_start_gap(next);
	return addr;
}

/* Linux 6.1's unmapped_area(): the lowest free range in [low, high), above any stack whose guard
 * gap it would reach into. 0 if nothing fits. */
static u64 unmapped_area(struct mm_struct *mm, u64 len, u64 low, u64 high)
{
	struct vm_area_struct *next;
	u64 addr;

	while ((addr = vma_tree_unmapped_area(&mm->mm_rb, len, low, high)) &&
	       in_stack_guard_gap(mm, addr, len, &next))
		low = next->vm_end;
	return addr;
}

/*
 * Linux's get_unmapped_area with x86's top-down policy: MAP_FIXED takes addr as it is; a hint is
 * used when [hint, hint+len) is free (and clear of a stack's guard gap); otherwise the highest
 * free range below mmap_base, or failing that the lowest above TASK_UNMAPPED_BASE (x86's
 * fallback to the bottom-up layout). An address or -errno.
 */
long get_unmapped_area(struct mm_struct *mm, u64 addr, u64 len, u64 flags)
{
	if (len > TASK_SIZE)
		return -ENOMEM;
	if (!(flags & MAP_FIXED)) {
		struct vm_area_struct *vma;
		addr &= PAGE_MASK;
		if (addr && addr <= TASK_SIZE - len &&
		    (!(vma = find_vma(mm, addr)) || addr + len <= vm_start_gap(vma)))
			return (long)addr;
		addr = unmapped_area_topdown(mm, len, PAGE_SIZE, mm->mmap_base);
		if (!addr)
			addr = unmapped_area(mm, len, TASK_UNMAPPED_BASE, TASK_SIZE);
		if (!addr)
			return -ENOMEM;
	}
	if (addr > TASK_SIZE - len)
		return -ENOMEM;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	int err = security_mmap_addr(addr); /* below vm.mmap_min_addr: CAP_SYS_RAWIO */
	return err ? err : (long)addr;
}

/* Marks the unlinked files behind shared anonymous memory (i_private), for /proc/self/maps. */
const char shmem_anon_name[] = "/dev/zero";

/*
 * The backing of a MAP_SHARED|MAP_ANONYMOUS mapping: an unlinked ramfs file of size bytes, so
 * that every process sharing the mapping (after fork) sees the same page cache, as Linux's
 * shmem_zero_setup() does. Its size is charged to the commit limit unless VM_NORESERVE
 * (shmem_acct_size), and given back with the inode (S_ACCOUNT). An ERR_PTR: -ENOMEM when the
 * charge is refused or memory runs out.
 */
static struct file *shmem_anon_file(struct mm_struct *mm, u64 size, u64 vm_flags)
{
	bool acct = !(vm_flags & VM_NORESERVE);

	if (acct && security_vm_enough_memory_mm(mm, (long)(size >> PAGE_SHIFT)))
		return ERR_PTR(-ENOMEM);
	struct inode *inode = ramfs_new_inode(NULL, S_IFREG | 0600, 0);

	if (!inode) {
		if (acct)
			vm_unacct_memory((long)(size >> PAGE_SHIFT));
		return ERR_PTR(-ENOMEM);
	}
	if (acct)
		inode->i_flags |= S_ACCOUNT;
	inode->i_size = (s64)size;
	inode->i_nlink = 0; /* no name: freed with its last reference */
	inode->i_private = (void *)shmem_anon_name;
	struct file *f = alloc_file(inode, O_RDWR, &ramfs_file_operations);
	iput(inode); /* the file holds its own reference; the last one returns the charge */
	return f ? f : ERR_PTR(-ENOMEM);
}

/* mmap's prot as vm_flags bits (Linux's calc_vm_prot_bits; keys would add VM_PKEY_BIT*). */
static u64 calc_vm_prot_bits(u64 prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/*
 * Is this private writable memory charged to the commit limit (and so VM_ACCOUNT)? A hugetlb
 * memfd never (Linux's accountable_mapping).
 */
static bool accountable_mapping(struct file *file, u64 vm_flags)
{
	if (file && is_file_hugepages(file))
		return false;
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/* Pages of the VMAs inside [addr, addr+len) (Linux's count_vma_pages_range). */
static u64 count_vma_pages_range(struct mm_struct *mm, u64 addr, u64 len)
{
	u64 pages = 0, end = addr + len;

	for (struct vm_area_struct *v = find_vma(mm, addr); v && v->vm_start < end; v = v->vm_next)
		pages += (min(v->vm_end, end) - max(v->vm_start, addr)) >> PAGE_SHIFT;
	return pages;
}

/*
 * Linux's mmap_region: clears [addr, addr+len) (MAP_FIXED), then extends a neighbour over the
 * range when the merge rules allow (mm/vma.c), or makes a new VMA. addr or -errno.
 */
static long mmap_region(struct mm_struct *mm, struct file *file, u64 addr, u64 len, u64 vm_flags,
			u64 pgoff)
{
	struct vm_area_struct *v;

	/* The address-space limits, counting what MAP_FIXED will unmap as given back. */
	if (!may_expand_vm(mm, vm_flags, len >> PAGE_SHIFT) &&
	    !may_expand_vm(mm, vm_flags,
			   (len >> PAGE_SHIFT) - count_vma_pages_range(mm, addr, len)))
		return -ENOMEM;
	if (__do_munmap(mm, addr, addr + len))
		return -ENOMEM;
	/* Private writable memory is charged to the commit limit (mm/overcommit.h). */
	long charged = 0;
	if (accountable_mapping(file, vm_flags)) {
		charged = (long)(len >> PAGE_SHIFT);
		if (security_vm_enough_memory_mm(mm, charged))
			return -ENOMEM;
		vm_flags |= VM_ACCOUNT;
	}
	/* The file's say, after MAP_FIXED unmapped (Linux's call_mmap): a memfd's seals. */
	if (file) {
		int err = memfd_mmap_check(file, &vm_flags);

		if (!err)
			err = shm_mmap_check(file);

		if (err) {
			vm_unacct_memory(charged);
			return err;
		}
	}
	v = vma_expand_for_mmap(mm, addr, addr + len, vm_flags, file, pgoff);
	if (!v) {
		v = vm_area_alloc(mm);
		if (!v) {
			vm_unacct_memory(charged);
			return -ENOMEM;
		}
		v->vm_start = addr;
		v->vm_end = addr + len;
		v->vm_flags = vm_flags;
		v->vm_pgoff = pgoff;
		if (file) {
			v->vm_file = get_file(file);
			vma_file_open(v); /* a SysV shm attach counts its VMAs (Linux's shm_mmap) */
		} else if (vm_flags & VM_SHARED) {
			struct file *f = shmem_anon_file(mm, len, vm_flags);

			if (IS_ERR(f)) {
				vm_area_free(v);
				return PTR_ERR(f);
			}
			v->vm_file = f;
		}
		vma_tree_link(&mm->mm_rb, v);
	}
	v->vm_flags |= VM_SOFTDIRTY; /* new or grown: soft-dirty, as Linux */
	return (long)addr;
}

/*
 * The checks of a file mapping, in Linux's order (do_mmap's switch on MAP_TYPE): a range past the
 * largest file offset, unknown flags
 * with MAP_SHARED_VALIDATE, writing a file not open for writing, reading one not open for
 * reading, a file that cannot be mapped, MAP_GROWSDOWN. Adds the sharing bits to *vm_flags.
 */
static int mmap_file_checks(struct file *file, u64 prot, u64 flags, u64 len, u64 pgoff,
			    u64 *vm_flags)
{
	/* The range must lie below the largest offset the file can have (file_mmap_ok). */
	u64 maxsize = S_ISREG(file_inode(file)->i_mode)
			      ? 0x7fffffffffffffffULL /* MAX_LFS_FILESIZE */
			      : ~0ULL;
	if (len > maxsize || pgoff > (maxsize - len) >> PAGE_SHIFT)
		return -EOVERFLOW;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		flags &= LEGACY_MAP_MASK; /* MAP_SHARED ignores what it does not know */
		fallthrough;
	case MAP_SHARED_VALIDATE:
		if (flags & ~(u64)LEGACY_MAP_MASK)
			return -EOPNOTSUPP; /* no file here supports MAP_SYNC */
		if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
		*vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!(file->f_mode & FMODE_WRITE))
			*vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		fallthrough;
	case MAP_PRIVATE:
		if (!(file->f_mode & FMODE_READ))
			return -EACCES;
		if (path_noexec(file_inode(file))) { /* a noexec mount: never executable */
			if (*vm_flags & VM_EXEC)
				return -EPERM;
			*vm_flags &= ~VM_MAYEXEC;
		}
		if (is_file_hugepages(file))
			return -ENOMEM; /* no huge pages reserved (vm.nr_hugepages is 0) */
		if (file_mmap_kind(file) == FILE_MMAP_NONE)
			return -ENODEV;
		if (*vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

long do_mmap(struct mm_struct *mm, struct file *file, u64 addr, u64 len, u64 prot, u64 flags,
	     u64 pgoff)
{
	u64 vm_flags;
	long r;

	if (!len)
		return -EINVAL;
	/* personality(READ_IMPLIES_EXEC): readable mappings are executable too, except files on a
	 * noexec mount */
	if ((prot & PROT_READ) && (current->personality & READ_IMPLIES_EXEC) &&
	    !(file && path_noexec(file_inode(file))))
		prot |= PROT_EXEC;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(addr);
	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->mm_rb.count > sysctl_max_map_count)
		return -ENOMEM; /* lenient on purpose, as Linux: ">" lets a process at the limit map
				   once */
	r = get_unmapped_area(mm, addr, len, flags);
	if (r < 0)
		return r;
	addr = (u64)r;
	if ((flags & MAP_FIXED_NOREPLACE) &&
	    vma_tree_find_intersection(&mm->mm_rb, addr, addr + len))
		return -EEXIST;
	int pkey = 0;
	if (prot == PROT_EXEC) { /* execute-only: the key that denies reads, if one is left */
		pkey = execute_only_pkey(mm);
		if (pkey < 0)
			pkey = 0;
	}
	vm_flags = calc_vm_prot_bits(prot) | pkey_vm_flags(pkey) |
		   (flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0) |
		   (flags & MAP_LOCKED ? VM_LOCKED : 0) | mm->def_flags | VM_MAYREAD | VM_MAYWRITE |
		   VM_MAYEXEC;
	if ((flags & MAP_LOCKED) && !can_do_mlock())
		return -EPERM;
	if (mlock_future_check(mm, vm_flags, len))
		return -EAGAIN;
	if (file) {
		int err = mmap_file_checks(file, prot, flags, len, pgoff, &vm_flags);
		if (err)
			return err;
	} else {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			pgoff = 0;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			break;
		case MAP_PRIVATE:
			pgoff = addr >> PAGE_SHIFT; /* so that neighbours made apart can merge */
			break;
		default:
			return -EINVAL;
		}
	}
	/* MAP_NORESERVE is honoured only while overcommit is allowed. */
	if ((flags & MAP_NORESERVE) && sysctl_overcommit_memory != OVERCOMMIT_NEVER)
		vm_flags |= VM_NORESERVE;
	r = wx_check(TRACE_MMAP, addr, len, 0, vm_flags); /* before MAP_FIXED unmaps anything */
	if (r)
		return r;
	r = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	mm_debug_check(mm, "mmap");
	return r;
}

/*
 * How much of a new mapping at r (an address, or -errno) mmap faults in after letting go of the
 * lock (Linux's do_mmap *populate): all of it when it is locked (MAP_LOCKED, or mlockall's
 * MCL_FUTURE) or for MAP_POPULATE without MAP_NONBLOCK; else 0. Population's errors are ignored.
 */
u64 mmap_populate_len(struct mm_struct *mm, long r, u64 len, u64 flags)
{
	if (r < 0)
		return 0;
	if ((flags & MAP_LOCKED) || (mm->def_flags & VM_LOCKED) ||
	    (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE)
		return PAGE_ALIGN(len);
	return 0;
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
	mmap_write_lock(current->mm);
	long r = do_mmap(current->mm, NULL, addr, len, prot, flags | MAP_ANONYMOUS, 0);
	if (r >= 0 && ro_shared)
		find_vma(current->mm, (u64)r)->vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
	u64 populate = mmap_populate_len(current->mm, r, len, flags);
	mmap_write_unlock(current->mm);
	if (populate)
		mm_populate((u64)r, populate);
	return r;
}

static long __sys_mmap(u64 addr, u64 len, u64 prot, u64 flags, u64 fd, u64 off)
{
	struct file *file = NULL;

	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget((int)fd);
		if (!file)
			return -EBADF;
		if (flags & MAP_HUGETLB) {
			fput(file);
			return -EINVAL; /* not a hugetlbfs file */
		}
		if (file_mmap_kind(file) == FILE_MMAP_ANON)
			return mmap_dev_zero(file, addr, len, prot, flags);
	} else if (flags & MAP_HUGETLB) {
		return -ENOMEM; /* no huge pages reserved (vm.nr_hugepages is 0) */
	}
	mmap_write_lock(current->mm);
	long r = do_mmap(current->mm, file, addr, len, prot, flags, off >> PAGE_SHIFT);
	u64 populate = mmap_populate_len(current->mm, r, len, flags);
	mmap_write_unlock(current->mm);
	if (file)
		fput(file);
	if (populate)
		mm_populate((u64)r, populate);
	return r;
}

long sys_mmap(u64 addr, u64 len, u64 prot, u64 flags, u64 fd, u64 off)
{
	trace_call_begin(TRACE_MMAP);
	long r = __sys_mmap(addr, len, prot, flags, fd, off);
	trace_call_end(TRACE_MMAP, r, addr, len, prot, flags, fd, off);
	return r;
}

long sys_munmap(u64 addr, u64 len)
{
	trace_call_begin(TRACE_MUNMAP);
	mmap_write_lock(current->mm);
	long r = do_munmap(current->mm, addr, len);
	mmap_write_unlock(current->mm);
	trace_call_end(TRACE_MUNMAP, r, addr, len);
	return r;
}

/*
 * Grows the heap over [addr, addr+len): the VMA below (only one at or above start_brk, so never
 * the program's bss) when the merge rules allow, else a new VMA (Linux's do_brk_flags).
 */
static int do_brk_flags(struct mm_struct *mm, u64 addr, u64 len)
{
	struct vm_area_struct *prev;
	u64 flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT |
		    mm->def_flags;

	if (current->personality & READ_IMPLIES_EXEC)
		flags |= VM_EXEC;
	if (!may_expand_vm(mm, flags, len >> PAGE_SHIFT))
		return -ENOMEM;
	if (mm->mm_rb.count > sysctl_max_map_count)
		return -ENOMEM;
	if (security_vm_enough_memory_mm(mm, (long)(len >> PAGE_SHIFT)))
		return -ENOMEM;
	vma_tree_find_vma_prev(&mm->mm_rb, addr, &prev);
	if (prev && prev->vm_end == addr && prev->vm_end > mm->start_brk &&
	    can_vma_merge_after(prev, flags, NULL, NULL, addr >> PAGE_SHIFT, NULL)) {
		prev->vm_end = addr + len;
		vma_tree_gap_update(&mm->mm_rb, prev);
	} else {
		prev = vm_area_alloc(mm);
		if (!prev) {
			vm_unacct_memory((long)(len >> PAGE_SHIFT));
			return -ENOMEM;
		}
		prev->vm_start = addr;
		prev->vm_end = addr + len;
		prev->vm_flags = flags;
		prev->vm_pgoff = addr >> PAGE_SHIFT;
		vma_tree_link(&mm->mm_rb, prev);
	}
	prev->vm_flags |= VM_SOFTDIRTY;
	return 0;
}

/* brk(2) as Linux 6.1: shrinking always works; growing keeps a page and a stack's guard gap free.
 */
static long __sys_brk(struct mm_struct *mm, u64 brk)
{
	u64 oldbrk = PAGE_ALIGN(mm->brk), newbrk = PAGE_ALIGN(brk);

	if (brk < mm->start_brk || brk > TASK_SIZE)
		return (long)mm->brk;
	/* Before anything else, so that a limit not page-aligned cannot be slipped past. */
	if (check_data_rlimit(mm, brk))
		return (long)mm->brk;
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return (long)brk;
	}
	if (brk <= mm->brk) {
		struct vm_area_struct *v = find_vma(mm, newbrk);
		if (!v || v->vm_start >= oldbrk)
			return (long)mm->brk; /* nothing of the heap there */
		if (__do_munmap(mm, newbrk, oldbrk))
			return (long)mm->brk;
		mm->brk = brk;
		return (long)brk;
	}
	struct vm_area_struct *next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		return (long)mm->brk;
	if (mlock_future_check(mm, mm->def_flags, newbrk - oldbrk))
		return (long)mm->brk;
	if (do_brk_flags(mm, oldbrk, newbrk - oldbrk))
		return (long)mm->brk;
	mm->brk = brk;
	return (long)brk;
}

long sys_brk(u64 brk)
{
	struct mm_struct *mm = current->mm;

	trace_call_begin(TRACE_BRK);
	mmap_write_lock(mm);
	u64 oldbrk = PAGE_ALIGN(mm->brk);
	long r = __sys_brk(mm, brk);
	u64 newbrk = PAGE_ALIGN(mm->brk);
	/* Heap grown under mlockall(MCL_FUTURE): faulted in, as Linux's brk does. */
	bool populate = newbrk > oldbrk && (mm->def_flags & VM_LOCKED);
	mm_debug_check(mm, "brk");
	mmap_write_unlock(mm);
	if (populate)
		mm_populate(oldbrk, newbrk - oldbrk);
	trace_call_end(TRACE_BRK, r, brk);
	return r;
}

void set_mm_exe_inode(struct mm_struct *mm, struct inode *inode)
{
	struct inode *old = mm->exe_inode;

	if (inode) {
		iget(inode);
		inode->i_exec_count++;
	}
	mm->exe_inode = inode;
	if (old) {
		old->i_exec_count--;
		iput(old);
	}
}

struct mm_struct *dup_mm(struct mm_struct *old)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	mmap_write_lock(old); /* as Linux's dup_mmap: the parent's other threads wait */
	memcpy(&mm->mmap_base, &old->mmap_base,
	       sizeof(*mm) - offsetof(struct mm_struct, mmap_base));
	mm->exe_inode = NULL;
	mm->flags = 0; /* MMF_OOM_SKIP is the old mm's own (Linux's mmf_init_flags) */
	mm->def_flags &= ~VM_LOCKED_MASK; /* mlockall(MCL_FUTURE) is not inherited (mm_init) */
	set_mm_exe_inode(mm, old->exe_inode);
	if (ldt_dup_context(old, mm))
		goto fail;
	for (struct vm_area_struct *v = old->mm_rb.first; v; v = v->vm_next) {
		if (v->vm_flags & VM_DONTCOPY)
			continue; /* MADV_DONTFORK: the child has a hole there */
		/* The child's copy of charged memory is charged again (Linux's dup_mmap). */
		long charge = 0;
		if (v->vm_flags & VM_ACCOUNT) {
			charge = (long)((v->vm_end - v->vm_start) >> PAGE_SHIFT);
			if (security_vm_enough_memory_mm(old, charge))
				goto fail;
		}
		struct vm_area_struct *n = vm_area_dup(v);
		if (!n) {
			vm_unacct_memory(charge);
			goto fail;
		}
		n->vm_mm = mm;
		/* Memory locks are the parent's (Linux's dup_mmap). */
		n->vm_flags &= VM_LOCKED_CLEAR_MASK;
		/*
		 * The child's copy of a userfaultfd-registered VMA: registered with a new uffd
		 * for the child, sent to the parent's as a FORK event (UFFD_FEATURE_EVENT_FORK),
		 * else unregistered (Linux's dup_userfaultfd).
		 */
		if (dup_userfaultfd(n, mm)) {
			vm_area_free(n);
			vm_unacct_memory(charge);
			goto fail;
		}
		if (n->vm_flags & VM_WIPEONFORK) {
			unlink_anon_vmas(n); /* MADV_WIPEONFORK: a clean slate, never touched */
		} else if (anon_vma_fork(n, v)) {
			vm_area_free(n);
			vm_unacct_memory(charge);
			goto fail;
		}
		/*
		 * Neighbours that differed only in what the child drops stay apart, as in Linux,
		 * which does not merge here either.
		 */
		if ((v->vm_flags & VM_LOCKED_MASK) || (n->vm_flags & VM_WIPEONFORK))
			mm->split_left_behind = true;
		vma_tree_insert(&mm->mm_rb, n, vma_tree_last(&mm->mm_rb), NULL);
		if (!(n->vm_flags & VM_WIPEONFORK) && copy_page_range(mm, old, v))
			goto fail;
		/*
		 * Others run between VMAs (Linux's copy_pte_range yields too): 65530 views of one
		 * shared mapping made by mremap are seconds of PTEs to copy. The write lock keeps
		 * v, and the child's mm is no one else's yet.
		 */
		cond_resched();
	}
	mmap_write_unlock(old);
	return mm;
fail:
	mmap_write_unlock(old);
	mmput(mm);
	return NULL;
}

void mmgrab(struct mm_struct *mm)
{
	mm->mm_count++;
}

void mmdrop(struct mm_struct *mm)
{
	if (--mm->mm_count == 0)
		kmem_cache_free(&mm_cache, mm);
}

bool mmget_not_zero(struct mm_struct *mm)
{
	if (mm->users <= 0)
		return false;
	mm->users++;
	return true;
}

/*
 * An exiting task's address space, when no other task uses it, is torn down a VMA at a time,
 * letting others run in between (Linux's exit_mmap and unmap_vmas yield too): 65530 views of
 * one shared mapping made by mremap are seconds of PTEs to drop, which held the CPU and the
 * kernel lock. The write lock keeps out a /proc or ptrace reader that takes a reference
 * meanwhile; it finds the VMAs gone, as after the exit.
 */
void exit_mmput(struct mm_struct *mm)
{
	if (mm->users == 1) {
		mmap_write_lock(mm);
		while (mm->mm_rb.first) {
			struct mmu_gather tlb;
			struct vm_area_struct *detached = NULL;

			tlb_gather_mmu(&tlb, mm);
			detach_vma(&tlb, mm->mm_rb.first, &detached);
			tlb_finish_mmu(&tlb);
			free_detached_vmas(detached);
			cond_resched();
		}
		mmap_write_unlock(mm);
	}
	mmput(mm);
}

/* The last user gone, the VMAs, pages and page tables go; the struct stays while grabbed. */
void mmput(struct mm_struct *mm)
{
	if (--mm->users > 0)
		return;
	struct mmu_gather tlb;
	struct vm_area_struct *detached = NULL;

	tlb_gather_mmu(&tlb, mm);
	while (mm->mm_rb.first)
		detach_vma(&tlb, mm->mm_rb.first, &detached);
	tlb_finish_mmu(&tlb);
	free_detached_vmas(detached);
	set_mm_exe_inode(mm, NULL);
	destroy_context_ldt(mm);
	pgd_free(mm);
	mm->pgd = NULL;
	mmdrop(mm);
}
