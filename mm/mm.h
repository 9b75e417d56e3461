/* SPDX-License-Identifier: MIT */
/*
 * Address spaces. An mm_struct is one user address space: its page tables (whose kernel half is
 * shared with every other mm) and its VMAs, the ranges a program may touch, with Linux's vm_flags.
 * Pages are filled in on first touch (demand paging) by handle_mm_fault().
 *
 * VMAs are kept both in an address-sorted doubly linked list (vm_next/vm_prev, for walking) and
 * in a balanced tree (mm/vma_tree.h) that finds the VMA at an address and a free gap of a given
 * size in O(log n). Splitting and merging them by Linux's rules is mm/vma.h's job.
 */
#ifndef WARDEN_MM_MM_H
#define WARDEN_MM_MM_H

#include "mm/memory.h"
#include "mm/vma_tree.h"
#include "kernel/spinlock.h"
#include "kernel/rwsem.h"
#include "kernel/cpumask.h"

struct file;
struct userfaultfd_ctx;

/* vm_flags, with Linux's values. */
#define VM_NONE 0x00000000UL
#define VM_READ 0x00000001UL
#define VM_WRITE 0x00000002UL
#define VM_EXEC 0x00000004UL
#define VM_SHARED 0x00000008UL
#define VM_MAYREAD 0x00000010UL
#define VM_MAYWRITE 0x00000020UL
#define VM_MAYEXEC 0x00000040UL
#define VM_MAYSHARE 0x00000080UL
#define VM_GROWSDOWN 0x00000100UL
#define VM_GROWSUP VM_NONE /* no upward-growing stacks on x86 */
#define VM_UFFD_MISSING 0x00000200UL /* userfaultfd: missing pages (mm/userfaultfd.h) */
#define VM_UFFD_WP 0x00001000UL /* userfaultfd: write-protected pages */
#define VM_UFFD_MINOR (1UL << 37) /* userfaultfd: minor faults (shmem pages cached, not mapped) */
#define VM_UFFD_FLAGS (VM_UFFD_MISSING | VM_UFFD_WP | VM_UFFD_MINOR)
#define VM_LOCKED 0x00002000UL /* mlock: every page faulted in, and kept (mm/mlock.c) */
#define VM_DONTCOPY 0x00020000UL /* MADV_DONTFORK: a forked child does not get this VMA */
#define VM_LOCKONFAULT 0x00080000UL /* with VM_LOCKED: lock pages as they are faulted in */
#define VM_ACCOUNT 0x00100000UL
#define VM_NORESERVE 0x00200000UL
#define VM_IO 0x00004000UL /* device memory: never dumped */
#define VM_DONTDUMP 0x04000000UL /* MADV_DONTDUMP: left out of core dumps */
#define VM_WIPEONFORK 0x02000000UL /* MADV_WIPEONFORK: a forked child gets it zero-filled */
#define VM_SOFTDIRTY 0x08000000UL /* new since the last soft-dirty reset: every mmap and brk */
/* The VMA's protection key (0-15) in VM_PKEY_BIT0..3, bits 32-35 as Linux's (mm/pkeys.h). */
#define VM_PKEY_SHIFT 32
#define VM_PKEY_BIT0 (1UL << 32)
#define VM_PKEY_BIT1 (1UL << 33)
#define VM_PKEY_BIT2 (1UL << 34)
#define VM_PKEY_BIT3 (1UL << 35)
#define VM_PKEY_MASK (0xfUL << VM_PKEY_SHIFT)
#define VM_STACK VM_GROWSDOWN
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)
#define VM_LOCKED_CLEAR_MASK (~VM_LOCKED_MASK)

/* mmap prot and flags (Linux x86-64 values). */
#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define PROT_SEM 0x8
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_32BIT 0x40
#define MAP_GROWSDOWN 0x0100
#define MAP_DENYWRITE 0x0800
#define MAP_EXECUTABLE 0x1000
#define MAP_LOCKED 0x2000
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_NONBLOCK 0x10000
#define MAP_STACK 0x20000
#define MAP_HUGETLB 0x40000
#define MAP_SYNC 0x80000
#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_UNINITIALIZED 0x4000000

/* personality(2) flag: PROT_READ implies PROT_EXEC for mmap and mprotect. */
#define READ_IMPLIES_EXEC 0x0400000

/* The user address space ends one page below 2^47, as on Linux (TASK_SIZE_MAX). */
#define TASK_SIZE (USER_TOP - PAGE_SIZE)
#define STACK_TOP TASK_SIZE
/* Without randomisation Linux puts mmap_base 128 MiB (the minimum stack gap) below TASK_SIZE. */
#define MMAP_BASE (TASK_SIZE - 0x8000000UL)
#define STACK_INITIAL_SIZE (128UL * 1024)

/*
 * The identity of a VMA's anonymous pages (Linux's anon_vma, without the reverse map Warden does
 * not need): made by the first write to a private page, shared by the halves of a split, new in
 * a forked child. Only its identity matters here, for merging (mm/vma.h).
 */
struct anon_vma {
	int refcount; /* VMAs that point to it */
};

struct vm_area_struct {
	u64 vm_start; /* first byte */
	u64 vm_end; /* first byte after */
	u64 vm_flags;
	u64 vm_pgoff; /* offset in vm_file, in pages; for private anonymous memory start >> 12 */
	struct file *vm_file;
	struct anon_vma *anon_vma; /* NULL until a private page is written */
	/*
	 * How many anon_vmas this VMA's pages can belong to (Linux: the length of its
	 * anon_vma_chain): 0 without an anon_vma, 1 for its own, more when inherited through fork.
	 */
	int anon_vma_chain;
	/*
	 * The userfaultfd this VMA is registered with (Linux's vm_userfaultfd_ctx), set with
	 * VM_UFFD_MISSING and cleared with it, under mmap_lock for writing. No reference: the
	 * uffd's release unregisters every VMA of its mm before the context goes. Part of the
	 * merge key: VMAs of two different uffds never merge.
	 */
	struct userfaultfd_ctx *vm_userfaultfd_ctx;
	struct mm_struct *vm_mm;
	struct vm_area_struct *vm_next, *vm_prev;
	struct vma_node vm_rb; /* in mm->mm_rb */
};

struct ldt_struct;

/* Words of mm_struct.saved_auxv (Linux's AT_VECTOR_SIZE on x86-64). */
#define AT_VECTOR_SIZE 52

struct mm_struct {
	u64 *pgd;
	/*
	 * mmap_lock (mm/mmap_lock.h): held for writing by whatever changes the VMAs (mmap,
	 * munmap, mprotect, mremap, brk, madvise, mlock and friends, pkey_alloc/free, fork's copy)
	 * and for reading by whatever walks them or fills in pages (page faults, population,
	 * msync, mincore, /proc/PID/maps and pagemap, /proc/PID/mem and ptrace). It covers the VMA
	 * tree and list, the VMAs' fields, the user page tables, brk and the pkey allocation map.
	 */
	struct rw_semaphore mmap_lock;
	/*
	 * page_table_lock (Linux's name; take it with pt_lock(), mm/pgtable_lock.h): taken inside
	 * mmap_lock by whatever installs or clears user PTEs or installs page tables while
	 * mmap_lock is held only for reading, or not at all: the page faults (the lockless one,
	 * mm/fault_lockless.c, and the one under the kernel lock), the zaps (OOM reaper, truncate).
	 * A PTE is installed under it only if still none; a page table only if its entry is still
	 * empty. Nothing that waits for another CPU (a TLB shootdown) runs under it.
	 */
	spinlock_t page_table_lock;
	struct vma_tree mm_rb; /* the VMAs: .first is the lowest, .count their number */
	int users; /* tasks using this address space (Linux's mm_users): the VMAs and pages go
		    * with the last one */
	int mm_count; /* references to this struct (Linux's mm_count): 1 for all the users
		       * together, plus one per holder that only needs the struct (an open
		       * /proc/self/mem or pagemap) */
	spinlock_t lock; /* guards ldt's replacement */
	struct ldt_struct *ldt; /* the LDT (arch/x86_64/ldt.h), NULL until modify_ldt writes one */
	/*
	 * The CPUs whose TLBs may hold this mm's translations (Linux's mm_cpumask): a CPU sets its
	 * bit when it loads the mm and clears it once its CR3 moved away (switch_mm_irqs_off) or a
	 * shootdown found it lazy (leave_mm); atomic bit operations, no lock. tlb_gen: the flush
	 * generation (Linux's context.tlb_gen), bumped atomically by every flush of this mm; each
	 * CPU records the one it has flushed up to (docs/tlb.md). Neither is copied by fork.
	 */
	cpumask_t cpu_bitmap;
	u64 tlb_gen;
	u64 mmap_base;
	/*
	 * /proc/PID/coredump_filter (Linux's MMF_DUMP_FILTER bits of mm->flags): which mappings a
	 * core dump writes; kept by fork and execve. saved_auxv: the auxiliary vector execve gave
	 * the program, AT_NULL included (the core's NT_AUXV).
	 */
	unsigned int coredump_filter;
	u64 saved_auxv[AT_VECTOR_SIZE];
	/*
	 * Flags every new mapping and heap growth gets (Linux's def_flags): VM_LOCKED, and
	 * VM_LOCKONFAULT, after mlockall(MCL_FUTURE). Not inherited by fork, gone with exec.
	 */
	u64 def_flags;
	/*
	 * PR_GET/SET_DUMPABLE (Linux's MMF_DUMPABLE bits): SUID_DUMP_USER, or SUID_DUMP_DISABLE
	 * after a change of credentials (kernel/cred.c). fork copies it; execve sets it anew. Read
	 * and written whole by the mm's threads (an int store is atomic); no lock.
	 */
	int dumpable;
	u64 start_code, end_code, start_data, end_data;
	u64 start_brk, brk;
	u64 start_stack, arg_start, arg_end, env_start, env_end;
	/*
	 * An mprotect failed after splitting (spec §1.4): like Linux, Warden leaves the split, so
	 * neighbours that would merge may stay apart from then on; mm_check() stops expecting
	 * every such pair to be merged.
	 */
	bool split_left_behind;
	/* Protection keys (mm/pkeys.h): keys handed out (bit k: key k), and the execute-only key.
	 */
	u16 pkey_allocation_map;
	s16 execute_only_pkey; /* -1: none yet */
	/* The program file exec loaded (Linux's exe_file): nobody may write it while we exist. */
	struct inode *exe_inode;
	unsigned long flags; /* MMF_* (mm/oom_kill.h: MMF_OOM_SKIP, MMF_UNSTABLE) */
};

/*
 * Linux's stack_guard_gap: no mapping is placed within this many bytes below a VM_GROWSDOWN VMA,
 * and a stack does not grow to within it of the accessible VMA below. 256 pages unless the boot
 * option stack_guard_gap=PAGES says otherwise.
 */
extern u64 stack_guard_gap;

/* Where the free space below vma ends: its start, less a stack's guard gap. */
static inline u64 vm_start_gap(const struct vm_area_struct *vma)
{
	u64 start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN)
		start = start > stack_guard_gap ? start - stack_guard_gap : 0;
	return start;
}

/* Where the free space above vma starts: its end (x86-64 has no VM_GROWSUP). */
static inline u64 vm_end_gap(const struct vm_area_struct *vma)
{
	return vma->vm_end;
}

/* A new address space with no user mappings; NULL when memory runs out. */
struct mm_struct *mm_alloc(void);

/*
 * One more task uses mm (clone with CLONE_VM, vfork; Linux's mmget). What is in mm_struct is per
 * address space and shared by its users: page tables, VMAs, brk, the arg/env/stack bounds,
 * protection-key allocation, the program file. What is per task stays in task_struct: registers,
 * FPU state, PKRU, FS/GS base, the tid words, signal state.
 */
static inline void mmget(struct mm_struct *mm)
{
	mm->users++;
}

/* Drops a reference (exit, exec, a failed fork); the last one frees every page, page table and
 * VMA (Linux's mmput). */
void mmput(struct mm_struct *mm);

/*
 * mmput for a task's exit (kernel/exit.c): when it is the last user, the VMAs go under the
 * mmap write lock with other tasks running between them, then mmput frees the rest.
 */
void exit_mmput(struct mm_struct *mm);

/* Makes inode (or NULL) the program file of mm, denying writes to it while mm exists. */
void set_mm_exe_inode(struct mm_struct *mm, struct inode *inode);

/* Keeps the struct of mm (not its address space) until mmdrop(): Linux's mmgrab. */
void mmgrab(struct mm_struct *mm);

/* Drops an mmgrab() reference; the last one frees the struct. */
void mmdrop(struct mm_struct *mm);

/* Takes a user reference unless the address space is already gone (Linux's mmget_not_zero). */
bool mmget_not_zero(struct mm_struct *mm);

/* A copy of mm for fork: same VMAs, every present page copied. NULL when memory runs out. */
struct mm_struct *dup_mm(struct mm_struct *mm);

/* The first VMA that ends above addr (it may start above addr too), or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, u64 addr);

/*
 * May mm grow by npages pages of a mapping with these flags (Linux's may_expand_vm, in
 * mm/vm_limits.c)? RLIMIT_AS counts every mapping, RLIMIT_DATA private writable non-stack ones
 * (with a warning once per boot when it refuses, and no refusal under the boot option
 * ignore_rlimit_data).
 */
bool may_expand_vm(struct mm_struct *mm, u64 flags, u64 npages);

/* Pages of all of mm's VMAs (Linux's mm->total_vm), counted now. */
u64 mm_total_vm(struct mm_struct *mm);
extern bool ignore_rlimit_data;

/* brk's own RLIMIT_DATA rule (Linux's check_data_rlimit): the heap up to brk plus the program's
 * data segment must fit. 0 or -ENOSPC. */
int check_data_rlimit(struct mm_struct *mm, u64 brk);

/* The leaf PTE flags that give user space the access vm_flags allow. */
u64 vm_get_page_prot(u64 vm_flags);

/* Prints pid's VMAs and their PTEs on the console (a teaching view: /proc/warden/control dump=PID).
 */
void dump_task_mm(int pid);

/* Makes mm the current address space of this CPU. */
void switch_mm(struct mm_struct *mm);

/* The CPUs that may cache mm's translations. */
static inline cpumask_t *mm_cpumask(struct mm_struct *mm)
{
	return &mm->cpu_bitmap;
}

/*
 * Maps len bytes (page-rounded) at addr (a hint, or exact with MAP_FIXED) of file from page
 * pgoff, or anonymous memory. Returns the address, or a negative errno as Linux's mmap does.
 */
long do_mmap(struct mm_struct *mm, struct file *file, u64 addr, u64 len, u64 prot, u64 flags,
	     u64 pgoff);

/* Unmaps [start, start+len), splitting VMAs at the edges. 0 or -errno. */
int do_munmap(struct mm_struct *mm, u64 start, u64 len);

/*
 * Resolves a page fault at addr in mm (demand-zero, file page, stack growth). Returns 0 if the
 * access may now be retried, or the si_code for SIGSEGV: SEGV_MAPERR (no VMA), SEGV_ACCERR
 * (the VMA does not allow the access) or SEGV_PKUERR (its protection key does not, with the key
 * in *pkey); FAULT_SIGBUS for a page of a file mapping that lies past the end of the file,
 * FAULT_HWPOISON for a page memory_failure poisoned.
 * When no frame is free the OOM killer runs and the fault is retried (mm/oom_kill.h); -ENOMEM
 * (VM_FAULT_OOM) only when the faulting task is dying, or, for a fault that cannot sleep, when
 * no memory could be reaped. The caller holds mm's mmap lock (mm/mmap_lock.h).
 */
int handle_mm_fault(struct mm_struct *mm, u64 addr, u64 error_code, int *pkey);

/* handle_mm_fault for a fault the CPU raised: takes the mmap lock itself (mm/fault.c). */
int do_user_addr_fault(struct mm_struct *mm, u64 addr, u64 error_code, int *pkey);
/* The fault_sleep debug flag (kernel command line): see mm/fault.c. */
extern bool debug_fault_sleep;

/* access_remote_vm's gup_flags (Linux's values) */
#define FOLL_WRITE 0x01 /* write buf into mm (else read from it) */
#define FOLL_FORCE 0x10 /* ptrace's access: the VMA's MAY bits decide, not its protection */

/*
 * Copies len bytes between buf and mm's memory at addr as Linux's access_remote_vm. With
 * FOLL_FORCE (ptrace's PEEK/POKE, /proc/PID/mem) the VMA's MAY bits decide, not its protection,
 * and a write to read-only private memory goes to a copy-on-write copy of the page; without it
 * (/proc/PID/environ and cmdline) a read needs VM_READ (PROT_NONE memory reads as nothing) and a
 * write VM_WRITE. Protection keys are not consulted. Returns the bytes done: short at the first
 * page that cannot be reached.
 */
size_t access_remote_vm(struct mm_struct *mm, u64 addr, void *buf, size_t len,
			unsigned int gup_flags);

/* The name /proc/self/maps gives shared anonymous memory ("/dev/zero (deleted)", as Linux). */
extern const char shmem_anon_name[];

/* vm.max_map_count (spec 2.5): 65535 - 5, as Linux. */
#define DEFAULT_MAX_MAP_COUNT 65530
extern int sysctl_max_map_count;

/* Creates the mm's files in /proc/sys/vm (max_map_count). 0 or -errno. */
int mm_sysctl_init(void);

#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define SEGV_PKUERR 4
#define FAULT_SIGBUS 0x100 /* handle_mm_fault: a file mapping touched past the end of its file */
/* handle_mm_fault: a poisoned page (mm/memory_failure.c): SIGBUS with BUS_MCEERR_AR. Distinct
 * from FAULT_SIGBUS and the FAULT_UFFD* answers (mm/userfaultfd.h: 0x200-0x203). */
#define FAULT_HWPOISON 0x400
/*
 * handle_mm_fault's error_code may carry this software bit: a forced access (ptrace's, Linux's
 * FOLL_FORCE) whose caller checked the VMA's MAY bits, so the VMA's protection is not checked.
 */
#define FAULT_FORCE (1ULL << 62)

long sys_mmap(u64 addr, u64 len, u64 prot, u64 flags, u64 fd, u64 off);
long sys_munmap(u64 addr, u64 len);
/*
 * mprotect with a protection key (-1: each VMA keeps its own), Linux's order of checks and its
 * partial application on error (mm/mprotect.c). 0 or -errno.
 */
long do_mprotect_pkey(u64 start, u64 len, u64 prot, int pkey);
long sys_mprotect(u64 start, u64 len, u64 prot);
long sys_pkey_mprotect(u64 start, u64 len, u64 prot, u64 pkey);
long sys_brk(u64 brk);
/* mremap(2) on mm, as Linux 6.1 (mm/mremap.c): the new address, or -errno. */
long do_mremap(struct mm_struct *mm, u64 addr, u64 old_len, u64 new_len, u64 flags, u64 new_addr);
long sys_mremap(u64 addr, u64 old_len, u64 new_len, u64 flags, u64 new_addr);
/* remap_file_pages(2), emulated with mmap as Linux 6.1 does (mm/remap_file_pages.c). */
long sys_remap_file_pages(u64 start, u64 size, u64 prot, u64 pgoff, u64 flags);
/* msync(2) (mm/msync.c) and mincore(2) (mm/mincore.c), Linux 6.1's checks in its order. */
long sys_msync(u64 start, u64 len, u64 flags);
long sys_mincore(u64 start, u64 len, u64 vec);

#endif
