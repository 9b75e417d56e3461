// SPDX-License-Identifier: MIT
/*
 * The page-table side of an address space (mm/internal.h) for the host unit tests: there are
 * no page tables, so each operation does nothing. The VMA code under test (mm/vma.c, mm/mmap.c,
 * mm/mprotect.c) calls these exactly where the kernel's mm/memory.c changes real tables.
 */
#include "mm/mm.h"
#include "mm/internal.h"
#include "mm/mmu_gather.h"
#include "mm/filemap.h"
#include "mm/userfaultfd.h"
#include "arch/x86_64/pkru.h"
#include "arch/x86_64/ldt.h"
#include "kernel/trace.h"
#include "kernel/cred.h"
#include "kernel/sched.h"
#include "fs/vfs.h"
#include <stdio.h>
#include <stdlib.h>

/* No table to allocate: an mm without a pgd. */
int pgd_alloc(struct mm_struct *mm)
{
	mm->pgd = NULL;
	return 0;
}

/* Nothing was allocated. */
void pgd_free(struct mm_struct *mm)
{
	(void)mm;
}

/* No pages were ever mapped. */
void zap_page_range(struct mm_struct *mm, u64 start, u64 end)
{
	(void)mm, (void)start, (void)end;
}

/* The same into a gather. */
void zap_page_range_tlb(struct mmu_gather *tlb, u64 start, u64 end)
{
	(void)tlb, (void)start, (void)end;
}

/* No page tables to free. */
void free_pgtables(struct mm_struct *mm, u64 start, u64 end)
{
	(void)mm, (void)start, (void)end;
}

/* The same into a gather. */
void free_pgtables_tlb(struct mmu_gather *tlb, u64 start, u64 end)
{
	(void)tlb, (void)start, (void)end;
}

/* Nothing was gathered: no flush, no frame to free. */
void tlb_flush_mmu(struct mmu_gather *tlb)
{
	(void)tlb;
}

/* No PTEs to rewrite. */
void change_protection(struct mm_struct *mm, u64 start, u64 end, u64 vm_flags)
{
	(void)mm, (void)start, (void)end, (void)vm_flags;
}

/* No pages to share with the child. */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
	(void)dst, (void)src, (void)vma;
	return 0;
}

/* No pages to move. */
int move_page_range(struct mm_struct *mm, u64 old_addr, u64 new_addr, u64 len)
{
	(void)mm, (void)old_addr, (void)new_addr, (void)len;
	return 0;
}

/* No address space maps any page. */
void unmap_mapping_pages(struct inode *inode, u64 first)
{
	(void)inode, (void)first;
}

void unmap_mapping_cache_range(struct inode *inode, u64 first, u64 last)
{
	(void)inode, (void)first, (void)last;
}

/* No SysV attach files on the host (ipc/shm.c). */
int shm_mmap_check(struct file *file)
{
	(void)file;
	return 0;
}

/* No memory failure on the host: no frame is ever poisoned (mm/memory_failure.c). */
u64 num_poisoned_pages;

/* Its /proc/sys/vm files are the kernel's business. */
int memory_failure_sysctl_init(struct inode *vm)
{
	(void)vm;
	return 0;
}

/* Protection keys on the host: a PKRU of our own, on or off as a test sets pku_enabled. */
bool pku_enabled;
u32 host_pkru;

/* The simulated register (0 with keys off, as RDPKRU would not even run). */
bool mapping_mapped(struct inode *inode)
{
	(void)inode;
	return false;
}

/*
 * Does an address space map inode shared and writable (VM_SHARED with VM_MAYWRITE), as
 * mm/memory.c's? The host has one: current's (the differential tester's F_SEAL_WRITE EBUSY).
 */
bool mapping_writably_mapped(struct inode *inode)
{
	if (!current->mm)
		return false;
	for (struct vm_area_struct *v = current->mm->mm_rb.first; v; v = v->vm_next)
		if (v->vm_file && file_inode(v->vm_file) == inode &&
		    (v->vm_flags & (VM_SHARED | VM_MAYWRITE)) == (VM_SHARED | VM_MAYWRITE))
			return true;
	return false;
}

u32 read_pkru(void)
{
	return pku_enabled ? host_pkru : 0;
}

/* Sets the simulated register. */
void write_pkru(u32 pkru)
{
	if (pku_enabled)
		host_pkru = pkru;
}

/* Tracing is the kernel's (kernel/trace.c): on the host it is always off. */
u32 trace_mask;
int wx_policy;

/* Never called while trace_mask is 0. */
void __trace_call_begin(enum trace_event e)
{
	(void)e;
}

/* Never called while trace_mask is 0. */
void __trace_call_end(enum trace_event e, const u64 *args, int nargs, long ret)
{
	(void)e, (void)args, (void)nargs, (void)ret;
}

/* Never called while trace_mask is 0. */
void __trace_range(u64 start, u64 end, u64 old_flags, u64 new_flags)
{
	(void)start, (void)end, (void)old_flags, (void)new_flags;
}

/* Never called while trace_mask is 0. */
void __trace_event(enum trace_event e, const u64 *args, int nargs)
{
	(void)e, (void)args, (void)nargs;
}

/* Never called while wx_policy is off. */
int __wx_check(enum trace_event call, u64 addr, u64 len, u64 old_flags, u64 new_flags)
{
	(void)call, (void)addr, (void)len, (void)old_flags, (void)new_flags;
	return 0;
}

/* No LDTs on the host: modify_ldt is never called, so a forked mm has nothing to copy. */
int ldt_dup_context(struct mm_struct *old, struct mm_struct *mm)
{
	(void)old;
	mm->ldt = NULL;
	return 0;
}

/* Nothing to free. */
void destroy_context_ldt(struct mm_struct *mm)
{
	(void)mm;
}

/*
 * The host runs one thread and never sleeps: mmap_lock (kernel/rwsem.h) is a counter here, and
 * an attempt that would have to wait is a bug in the code under test (a lock taken twice).
 */
static void host_rwsem_fail(const char *what)
{
	fprintf(stderr, "rwsem: %s\n", what);
	abort();
}

void down_read(struct rw_semaphore *sem)
{
	if (sem->count < 0)
		host_rwsem_fail("down_read while held for writing");
	sem->count++;
}

bool down_read_trylock(struct rw_semaphore *sem)
{
	if (sem->count < 0)
		return false;
	sem->count++;
	return true;
}

void up_read(struct rw_semaphore *sem)
{
	if (sem->count <= 0)
		host_rwsem_fail("up_read without a reader");
	sem->count--;
}

void down_write(struct rw_semaphore *sem)
{
	if (sem->count)
		host_rwsem_fail("down_write while held");
	sem->count = -1;
}

bool down_write_trylock(struct rw_semaphore *sem)
{
	if (sem->count)
		return false;
	sem->count = -1;
	return true;
}

void up_write(struct rw_semaphore *sem)
{
	if (sem->count != -1)
		host_rwsem_fail("up_write without the writer");
	sem->count = 0;
}

bool rwsem_is_write_locked_by_current(struct rw_semaphore *sem)
{
	return sem->count == -1;
}

/* No page tables to fault pages into. */
long populate_vma_page_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	(void)vma, (void)start, (void)end;
	return 0;
}

/* Nothing to populate on the host. */
int __mm_populate(u64 start, u64 len, bool ignore_errors)
{
	(void)start, (void)len, (void)ignore_errors;
	return 0;
}

/*
 * Whether the host's test task has the capabilities capable() is asked about (kernel/cred.c is
 * not built here): root, unless a test (mm_diff's credentials step) says otherwise.
 */
bool host_capable = true;

bool capable(int cap)
{
	(void)cap;
	return host_capable;
}

/* No userfaultfd on the host: no VMA is ever registered, so no event. */
int userfaultfd_unmap_prep(struct mm_struct *mm, u64 start, u64 end)
{
	(void)mm, (void)start, (void)end;
	return 0;
}

void userfaultfd_remap_prep(struct vm_area_struct *new_vma, u64 from, u64 to, u64 len)
{
	(void)new_vma, (void)from, (void)to, (void)len;
}

int dup_userfaultfd(struct vm_area_struct *child_vma, struct mm_struct *child_mm)
{
	(void)child_vma, (void)child_mm;
	return 0;
}
