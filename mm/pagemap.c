// SPDX-License-Identifier: MIT
/*
 * Two views of the page tables for teaching: /proc/self/pagemap in Linux's format (one 64-bit
 * entry per virtual page: bit 63 present, 61 file page or shared anonymous memory, 56 mapped
 * exclusively, 55 soft-dirty, bits 0-54 the page frame number; Documentation/admin-guide/mm/
 * pagemap.rst) and /proc/self/ptwalk, a Warden extension: write an address to it, then read the
 * four levels of its page-table walk with each entry's flags (docs/tracing.md). Physical
 * addresses show in either only to an opener that had CAP_SYS_ADMIN (pagemap's show_pfn rule).
 */
#include "mm/mm.h"
#include "mm/mmap_lock.h"
#include "mm/oom_kill.h" /* fatal_signal_pending */
#include "mm/frame.h"
#include "mm/proc_maps.h"
#include "mm/slab.h"
#include "fs/proc.h"
#include "fs/uio.h"
#include "arch/x86_64/pgtable.h"
#include "kernel/errno.h"
#include "kernel/cred.h"
#include "kernel/ptrace.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

#define PM_ENTRY_BYTES 8
#define PM_PFRAME_MASK ((1ULL << 55) - 1)
#define PM_SOFT_DIRTY (1ULL << 55)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_UFFD_WP (1ULL << 57)
#define PM_FILE (1ULL << 61)
#define PM_SWAP (1ULL << 62)
/*
 * A swap entry's frame field: its type in the low MAX_SWAPFILES_SHIFT bits, its offset above.
 * A hwpoison entry's type is SWP_HWPOISON (MAX_SWAPFILES: 26 in Debian's 6.1, with migration,
 * PTE markers and no device-private entries), its offset the frame number.
 */
#define MAX_SWAPFILES_SHIFT 5
#define SWP_HWPOISON 26
#define PM_PRESENT (1ULL << 63)

/*
 * A pagemap file's state: the mm it was opened on (as proc_mem_open's private_data) and whether
 * its opener had CAP_SYS_ADMIN (Linux's show_pfn, from file->f_cred): without, every page frame
 * number reads 0, the flags stay.
 */
struct pagemap_private {
	struct mm_struct *mm;
	bool show_pfn;
};

/*
 * The pagemap entry of user page va (Linux's pte_to_pagemap_entry and pagemap_pte_hole); its
 * frame number only when show_pfn.
 */
static u64 pagemap_entry(struct mm_struct *mm, struct vm_area_struct *vma, u64 va, bool show_pfn)
{
	u64 flags = 0;
	int level;

	if (!vma)
		return 0;
	pte_t *e = pgtable_walk(mm->pgd, va, PG_LEVEL_4K, false, &level);
	if (e && level == PG_LEVEL_4K && pte_has_frame(*e)) {
		struct page *pg = phys_to_page(*e & PTE_ADDR_MASK);
		flags |= PM_PRESENT;
		if (show_pfn)
			flags |= ((*e & PTE_ADDR_MASK) >> PAGE_SHIFT) & PM_PFRAME_MASK;
		/* The zero page is not a "normal" page: neither file nor exclusive (Linux). */
		if (!is_zero_page(pg)) {
			bool file = is_page_cache_page(vma, va, pg);
			if (file)
				flags |= PM_FILE;
			if (pg->refcount - (file ? 1 : 0) == 1)
				flags |= PM_MMAP_EXCLUSIVE;
		}
		if (*e & _PAGE_SOFT_DIRTY) /* written since the last clear_refs 4 */
			flags |= PM_SOFT_DIRTY;
		if (*e & _PAGE_UFFD_WP) /* write-protected by UFFDIO_WRITEPROTECT */
			flags |= PM_UFFD_WP;
	}
	if (e && level == PG_LEVEL_4K && pte_is_hwpoison(*e)) {
		/* Linux's is_swap_pte branch: a pfn entry, its page counted unmapped (no
		 * PM_MMAP_EXCLUSIVE) */
		u64 pfn = (*e & PTE_ADDR_MASK) >> PAGE_SHIFT;
		flags |= PM_SWAP;
		if (show_pfn)
			flags |= (SWP_HWPOISON | (pfn << MAX_SWAPFILES_SHIFT)) & PM_PFRAME_MASK;
		if (is_page_cache_page(vma, va, pfn_to_page(pfn)))
			flags |= PM_FILE;
		if (*e & _PAGE_SOFT_DIRTY) /* the swap entry's soft-dirty bit (moved by mremap) */
			flags |= PM_SOFT_DIRTY;
		if (*e & _PAGE_UFFD_WP) /* and its uffd-wp bit (UFFDIO_WRITEPROTECT) */
			flags |= PM_UFFD_WP;
	}
	if (vma->vm_flags & VM_SOFTDIRTY)
		flags |= PM_SOFT_DIRTY;
	return flags;
}

/* Pages in Linux's PAGEMAP_WALK_SIZE (a PMD): the reader may be rescheduled between them. */
#define PAGEMAP_WALK_PAGES 512

/*
 * Fills buf with the entries of pages [vpn, vpn + n) under the mmap lock for reading; the
 * caller copies them out after, since a fault on the reader's buffer takes the lock again.
 */
static void pagemap_fill(struct mm_struct *mm, u64 *buf, u64 vpn, size_t n, bool show_pfn)
{
	mmap_read_lock(mm);
	for (size_t i = 0; i < n; i++) {
		u64 va = (vpn + i) << PAGE_SHIFT;
		struct vm_area_struct *v = find_vma(mm, va);
		buf[i] = pagemap_entry(mm, v && v->vm_start <= va ? v : NULL, va, show_pfn);
	}
	mmap_read_unlock(mm);
}

/*
 * Reads entries from *ppos (a multiple of 8, as the count must be: EINVAL otherwise) of the mm the
 * file was opened on (0 once it is gone). A buffer that faults anywhere makes the read EFAULT,
 * whatever was copied before, as Linux's pagemap_read. Works in batches that end at a 2 MiB
 * boundary of the address space (Linux's PAGEMAP_WALK_SIZE); between two, others may run (the
 * kernel is not preemptible and a read may cover 2^28 pages), and a task being killed stops
 * early (it never sees the count).
 */
static ssize_t pagemap_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct pagemap_private *pm = file->private_data;
	struct mm_struct *mm = pm->mm;
	size_t count = iov_iter_count(to), done = 0;
	u64 vpn = (u64)*ppos / PM_ENTRY_BYTES;
	ssize_t ret = -EINVAL;
	u64 *buf;

	if (!mm || !mmget_not_zero(mm))
		return 0;
	if ((u64)*ppos % PM_ENTRY_BYTES || count % PM_ENTRY_BYTES)
		goto out;
	ret = 0;
	if (!count || vpn >= TASK_SIZE >> PAGE_SHIFT)
		goto out; /* nothing to read: no buffer needed (and no ENOMEM) */
	ret = -ENOMEM;
	buf = kmalloc(PAGEMAP_WALK_PAGES * PM_ENTRY_BYTES, GFP_KERNEL);
	if (!buf)
		goto out;
	while (done < count && vpn < TASK_SIZE >> PAGE_SHIFT) {
		if (done) {
			cond_resched();
			if (fatal_signal_pending(current))
				break;
		}
		size_t n = PAGEMAP_WALK_PAGES - vpn % PAGEMAP_WALK_PAGES;
		n = min(n, (size_t)((TASK_SIZE >> PAGE_SHIFT) - vpn));
		n = min(n, (count - done) / PM_ENTRY_BYTES);
		pagemap_fill(mm, buf, vpn, n, pm->show_pfn);
		if (copy_to_iter(buf, n * PM_ENTRY_BYTES, to) != n * PM_ENTRY_BYTES) {
			ret = -EFAULT;
			goto out_free;
		}
		vpn += n;
		done += n * PM_ENTRY_BYTES;
	}
	*ppos += (s64)done;
	ret = (ssize_t)done;
out_free:
	kfree(buf);
out:
	mmput(mm);
	return ret;
}

/*
 * Opens pagemap (Linux's pagemap_open): the mm, if the opener may read it
 * (PTRACE_MODE_READ_FSCREDS, EACCES), and whether it may see frame numbers.
 */
static int pagemap_open(struct inode *inode, struct file *file)
{
	struct pagemap_private *pm = kmalloc(sizeof(*pm), GFP_KERNEL);
	int err;

	if (!pm)
		return -ENOMEM;
	err = proc_mem_open(inode, file);
	if (err) {
		kfree(pm);
		return err;
	}
	pm->mm = file->private_data;
	pm->show_pfn = capable(CAP_SYS_ADMIN);
	file->private_data = pm;
	return 0;
}

/* Lets go of the mm and the state. */
static void pagemap_release(struct inode *inode, struct file *file)
{
	struct pagemap_private *pm = file->private_data;

	file->private_data = pm->mm;
	kfree(pm);
	proc_mem_release(inode, file);
}

static const struct file_operations pagemap_fops = {
	.open = pagemap_open,
	.release = pagemap_release,
	.read = pagemap_read,
	.llseek = mem_lseek,
};

/*
 * Appends one page-table entry with its flags in words; without show_pa its physical address
 * (the entry's address bits and the "->" target) reads 0, as pagemap's frame numbers.
 */
static void seq_entry(struct seq_buf *m, const char *level, unsigned int index, u64 e, bool leaf,
		      bool show_pa)
{
	u64 pa = show_pa ? e & PTE_ADDR_MASK : 0;

	seq_printf(m, "%-4s [%3u] 0x%016llx", level, index,
		   (unsigned long long)((e & ~PTE_ADDR_MASK) | pa));
	if (!(e & (_PAGE_PRESENT | (leaf ? _PAGE_PROTNONE : 0)))) {
		seq_printf(m, " not present\n");
		return;
	}
	seq_printf(m, " -> %#llx", (unsigned long long)pa);
	seq_printf(m, "%s%s%s%s%s%s%s", e & _PAGE_PRESENT ? " present" : "",
		   e & _PAGE_RW ? " write" : "", e & _PAGE_USER ? " user" : "",
		   e & _PAGE_ACCESSED ? " accessed" : "", leaf && (e & _PAGE_DIRTY) ? " dirty" : "",
		   e & _PAGE_NX ? " nx" : "", leaf && (e & _PAGE_PROTNONE) ? " protnone" : "");
	if (leaf)
		seq_printf(m, " pkey %llu",
			   (unsigned long long)((e & _PAGE_PKEY_MASK) >> _PAGE_PKEY_SHIFT));
	seq_printf(m, "\n");
}

/* The walk of va through mm's four levels, as text (physical addresses only with show_pa). */
static void ptwalk_show(struct seq_buf *m, struct mm_struct *mm, u64 va, bool show_pa)
{
	static const char *const names[] = { "", "PTE", "PD", "PDPT", "PML4" };
	pte_t *table = mm->pgd;

	seq_printf(m, "address %#llx\n", (unsigned long long)va);
	for (int level = 4; level >= 1; level--) {
		unsigned int i = pgtable_index(va, level);
		u64 e = table[i];
		bool leaf = level == 1 || (level > 1 && level < 4 && (e & _PAGE_PSE));
		seq_entry(m, names[level], i, e, leaf, show_pa);
		if (leaf || !(e & _PAGE_PRESENT))
			return;
		table = phys_to_virt(e & PTE_ADDR_MASK);
	}
}

/*
 * ptwalk's per-open state: the address written, or none yet, and whether the opener had
 * CAP_SYS_ADMIN (as pagemap's show_pfn, from the opener's credentials: a file handed to a
 * process without it still shows them, one opened without it never does).
 */
struct ptwalk_state {
	u64 addr;
	bool have_addr;
	bool show_pa;
};

static int ptwalk_open(struct inode *inode, struct file *file)
{
	struct ptwalk_state *st = kzalloc(sizeof(*st), GFP_KERNEL);

	(void)inode;
	if (!st)
		return -ENOMEM;
	st->show_pa = capable(CAP_SYS_ADMIN);
	file->private_data = st;
	return 0;
}

static void ptwalk_release(struct inode *inode, struct file *file)
{
	(void)inode;
	kfree(file->private_data);
}

/* Takes the address to walk: hex (with or without 0x) or decimal, as strtoul with base 0. */
static ssize_t ptwalk_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	struct ptwalk_state *st = file->private_data;
	size_t count = iov_iter_count(from);
	char buf[32];
	u64 v = 0;
	size_t i = 0;
	unsigned base = 10;

	if (count >= sizeof(buf) || copy_from_iter(buf, count, from) != count)
		return -EINVAL;
	while (i < count && buf[i] == ' ')
		i++;
	if (i + 1 < count && buf[i] == '0' && (buf[i + 1] == 'x' || buf[i + 1] == 'X'))
		base = 16, i += 2;
	size_t start = i;
	for (; i < count && buf[i] != '\n' && buf[i] != ' '; i++) {
		char c = buf[i];
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						    : 99;
		if (d >= base)
			return -EINVAL;
		v = v * base + d;
	}
	if (i == start)
		return -EINVAL;
	st->addr = v;
	st->have_addr = true;
	*ppos = 0;
	return (ssize_t)count;
}

/* Reads the walk of the address written last (from offset 0 after each write). */
static ssize_t ptwalk_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct ptwalk_state *st = file->private_data;
	struct seq_buf m = { 0 };
	ssize_t r = 0;

	if (!current->mm)
		return 0;
	if (!st->have_addr)
		seq_printf(&m, "write an address to this file, then read its page-table walk\n");
	else if (st->addr >= TASK_SIZE)
		seq_printf(&m, "address %#llx: not a user address\n", (unsigned long long)st->addr);
	else
		ptwalk_show(&m, current->mm, st->addr, st->show_pa);
	if (m.overflow) {
		r = -ENOMEM;
	} else if ((u64)*ppos < m.len) {
		size_t n = min(m.len - (size_t)*ppos, iov_iter_count(to));
		r = (ssize_t)copy_to_iter(m.buf + *ppos, n, to);
		if (!r && n)
			r = -EFAULT;
		else
			*ppos += r;
	}
	kfree(m.buf);
	return r;
}

static const struct file_operations ptwalk_fops = {
	.open = ptwalk_open,
	.release = ptwalk_release,
	.read = ptwalk_read,
	.write = ptwalk_write,
};

/* Creates /proc/self/pagemap (0400, as Linux) and /proc/self/ptwalk (0600). 0 or -errno. */
int proc_pagemap_init(void)
{
	int err = proc_create_fops(PROC_SELF, "pagemap", 0400, &pagemap_fops);

	if (!err) /* Linux's pagemap_open: PTRACE_MODE_READ (with the file-system ids) */
		err = proc_require_ptrace("pagemap", PTRACE_MODE_READ_FSCREDS);
	return err ? err : proc_create_fops(PROC_SELF, "ptwalk", 0600, &ptwalk_fops);
}
