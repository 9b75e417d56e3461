/* SPDX-License-Identifier: MIT */
/*
 * /proc/<pid>/maps and /proc/<pid>/smaps, as Linux 6.1 (fs/proc/task_mmu.c) prints them, byte
 * for byte. Both are generated files (fs/proc.h): the whole text is made when the file is opened.
 *
 * maps: one line per VMA, in address order (Linux's show_map_vma):
 *
 *     "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu "  start, end, r w x and s (VM_MAYSHARE) or p,
 *                                                  the file offset (vm_pgoff << 12; 0 when
 *                                                  anonymous), the file's device and inode
 *                                                  (00:00 0 when anonymous)
 *     then, for a named VMA, spaces up to column 72 (seq_setwidth(25 + 6 * sizeof(void *) - 1)
 *     and seq_pad()) and one more, so the name starts at column 73 (or right after one extra
 *     space when the prefix is longer), and the name:
 *       - a file mapping: the file's absolute path, '\n' written as "\012" (seq_file_path);
 *       - "[heap]" if vm_start <= mm->brk && vm_end >= mm->start_brk;
 *       - "[stack]" if vm_start <= mm->start_stack && vm_end >= mm->start_stack;
 *     an unnamed VMA's line ends with the space after the inode.
 *
 * smaps: each VMA's maps line, then Linux 6.1's block (show_smap, __show_smap): Size,
 * KernelPageSize, MMUPageSize, Rss, Pss, Pss_Dirty, Shared_Clean, Shared_Dirty, Private_Clean,
 * Private_Dirty, Referenced, Anonymous, LazyFree, AnonHugePages, ShmemPmdMapped, FilePmdMapped,
 * Shared_Hugetlb, Private_Hugetlb, Swap, SwapPss, Locked ("%-16s%8lu kB", Private_Hugetlb's
 * name being one column wider), "THPeligible:    %d", "ProtectionKey:  %8u" only while the
 * CPU has protection keys switched on (CR4.PKE: Linux's arch_pkeys_enabled()), and
 * "VmFlags: " with a two-letter code and a space for each vm_flags bit (Linux 6.1's table on
 * x86-64, "??" for a bit it does not know, nothing for the pkey bits).
 *
 * The page counts come from walking the VMA's page tables, as Linux's smaps_pte_range():
 * every PTE that holds a frame (present, or a PROT_NONE page) counts towards Rss; a frame that is
 * not the page cache's page for its file offset is anonymous (Anonymous); the sharing is the
 * frame's map count (its refcount, less the page cache's reference): mapped once, it is
 * Private_*, and Pss gets all of it; mapped N > 1 times, Shared_* and 1/N of it in Pss (Linux's
 * PSS_SHIFT fixed point).
 *
 * What Warden reports differently from Linux, and why (each one belongs to another issue):
 *   - Dirty vs clean: Warden's PTEs are made with the dirty and accessed bits already set, so
 *     the hardware bits say nothing. Every counted page is reported dirty and referenced:
 *     exact for anonymous pages (Linux's are dirty once written) and for ramfs pages written
 *     with write() (tmpfs marks them dirty), which are the pages Warden has. Linux reports a
 *     tmpfs hole first read through a MAP_SHARED mapping as clean; Warden as dirty.
 *   - After fork: Linux gives the child no PTEs at all for a VMA without anonymous pages (a
 *     shared file mapping, a private one never written: Rss 0 there until touched), and the
 *     PTEs it copies are "old" (Referenced 0 until touched). Warden's fork copies every PTE,
 *     so a child's Rss of such VMAs and its Referenced differ (fork's work, not this file's).
 *   - VmFlags shows vm_flags as they are, with Linux's "ac" (VM_ACCOUNT: private writable
 *     memory, kept after it stops being writable) and "sd" (VM_SOFTDIRTY: every VMA made or
 *     grown by mmap or brk, not exec's stack), set as Linux 6.1 sets them (mm/mmap.c,
 *     mm/mprotect.c). Linux-only flags (lo io dd hg ...) come out once something sets them.
 *   - ProtectionKey: printed while protection keys are on (arch_pkeys_enabled()), from
 *     vma_pkey() (mm/pkeys.h), exactly as Linux.
 *   - No [vdso] or [vvar] lines (Warden maps no vDSO); no [vsyscall] line, which matches
 *     Debian's 6.1 (CONFIG_LEGACY_VSYSCALL_NONE).
 *   - A MAP_PRIVATE mapping of /dev/zero keeps its file on Linux ("/dev/zero"); Warden's mmap
 *     turns it into anonymous memory (an unnamed line). Shared anonymous memory is named
 *     "/dev/zero (deleted)" on both.
 *   - A mapped file that was unlinked: Linux prints "/path (deleted)"; Warden's VFS forgets an
 *     unlinked file's name, so the name is "(deleted)" alone.
 *   - Device and inode numbers are Warden's (its ramfs is 00:02, as Linux's rootfs happens to
 *     be; inode numbers differ).
 *   - THPeligible is 0: Linux switches THP off with less than 512 MiB of RAM, as on the oracle
 *     (QEMU -m 512M), and Warden has none. The rule Linux applies when THP is on (always) is
 *     kept in thp_eligible(), switched off; AnonHugePages is always 0.
 *   - Swap, SwapPss, *PmdMapped, *_Hugetlb are 0 (no swap or huge pages); LazyFree counts the
 *     pages MADV_FREE made freeable and nothing wrote since (_PAGE_LAZYFREE, counted clean);
 *     Locked is Pss for a VM_LOCKED VMA (mlock, mm/mlock.c), as Linux.
 */
#ifndef WARDEN_MM_PROC_MAPS_H
#define WARDEN_MM_PROC_MAPS_H

#include "mm/mm.h"

struct seq_buf;

/* Linux's struct mem_size_stats: bytes, and Pss sums in PSS_SHIFT fixed point. */
#define PSS_SHIFT 12
struct mem_size_stats {
	u64 resident;
	u64 shared_clean, shared_dirty, private_clean, private_dirty;
	u64 referenced, anonymous, lazyfree, anonymous_thp, shmem_thp, file_thp;
	u64 swap, shared_hugetlb, private_hugetlb;
	u64 pss, pss_dirty, pss_locked, swap_pss; /* << PSS_SHIFT */
	u64 pss_anon, pss_file, pss_shmem; /* << PSS_SHIFT: smaps_rollup's split of pss */
};

/* Adds up the pages of vma, walking mm's page tables (Linux's smap_gather_stats). */
void smap_gather_stats(struct vm_area_struct *vma, struct mem_size_stats *mss);

/*
 * The name of a mapped file as /proc/PID/maps and a core's NT_FILE give it (Linux's file_path):
 * its absolute path at the end of buf, "/dev/zero (deleted)" for shared anonymous memory,
 * "/memfd:NAME (deleted)" and "/SYSV%08x (deleted)" for a memfd and a SysV segment, else
 * "(deleted)" for an unlinked file; ERR_PTR(-ENAMETOOLONG) when it does not fit in size.
 */
char *vma_file_name(struct file *file, char *buf, size_t size);

/* One maps line of vma (with its '\n'). */
void show_map_vma(struct seq_buf *m, struct vm_area_struct *vma);

/* One smaps block of vma: its maps line and the lines that follow it. */
void show_smap(struct seq_buf *m, struct vm_area_struct *vma);

/* The whole of /proc/<pid>/maps or smaps for mm (nothing for NULL, a kernel thread). */
void show_maps(struct seq_buf *m, struct mm_struct *mm);
void show_smaps(struct seq_buf *m, struct mm_struct *mm);

struct page;
/* Is pg, mapped at va of vma, its file's page-cache page (not an anonymous copy)? */
bool is_page_cache_page(struct vm_area_struct *vma, u64 va, struct page *pg);

/* Creates /proc/self/pagemap and /proc/self/ptwalk (mm/pagemap.c). 0 or -errno. */
int proc_pagemap_init(void);

/* mm/clear_refs.c: creates /proc/self/clear_refs. 0 or -errno. */
int proc_clear_refs_init(void);

/*
 * The open and release of the files that read an address space (/proc/self/mem, pagemap: Linux's
 * proc_mem_open): the file keeps the opener's mm (file->private_data, mmgrab'd, NULL for a task
 * without one), which may be gone by the time it is read (mmget_not_zero fails: read 0).
 */
int proc_mem_open(struct inode *inode, struct file *file);
void proc_mem_release(struct inode *inode, struct file *file);

/* Linux's mem_lseek: SEEK_SET and SEEK_CUR to any offset, returned as is (even one that looks
 * like an error); other whence values EINVAL. */
s64 mem_lseek(struct file *file, s64 offset, int whence);

/* Creates /proc/self/mem (0600, mm/proc_mem.c). 0 or -errno. */
int proc_mem_init(void);

/* Creates /proc/self/maps and /proc/self/smaps (0444). 0 or -errno. Called by fs_init(). */
int proc_maps_init(void);

#endif
