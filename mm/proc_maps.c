// SPDX-License-Identifier: MIT
/*
 * /proc/<pid>/maps and /proc/<pid>/smaps, Linux 6.1's format (fs/proc/task_mmu.c). What is
 * exact and what is not: mm/proc_maps.h.
 */
#include "mm/proc_maps.h"
#include "mm/mmap_lock.h"
#include "mm/pkeys.h"
#include "arch/x86_64/pkru.h"
#include "mm/filemap.h"
#include "mm/frame.h"
#include "mm/memfd.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"
#include "fs/proc.h"
#include "kernel/ptrace.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pgtable.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"

/*
 * Linux's other vm_flags (include/linux/mm.h, 6.1, x86-64), for the VmFlags codes. mm/mm.h
 * defines the ones Warden uses; the rest are here until something sets them.
 */
#ifndef VM_PFNMAP
#define VM_PFNMAP 0x00000400UL
#endif
#ifndef VM_LOCKED
#define VM_LOCKED 0x00002000UL
#endif
#ifndef VM_IO
#define VM_IO 0x00004000UL
#endif
#ifndef VM_SEQ_READ
#define VM_SEQ_READ 0x00008000UL
#endif
#ifndef VM_RAND_READ
#define VM_RAND_READ 0x00010000UL
#endif
#ifndef VM_DONTCOPY
#define VM_DONTCOPY 0x00020000UL
#endif
#ifndef VM_DONTEXPAND
#define VM_DONTEXPAND 0x00040000UL
#endif
#ifndef VM_HUGETLB
#define VM_HUGETLB 0x00400000UL
#endif
#ifndef VM_SYNC
#define VM_SYNC 0x00800000UL
#endif
#ifndef VM_ARCH_1
#define VM_ARCH_1 0x01000000UL /* x86: VM_PAT */
#endif
#ifndef VM_WIPEONFORK
#define VM_WIPEONFORK 0x02000000UL
#endif
#ifndef VM_DONTDUMP
#define VM_DONTDUMP 0x04000000UL
#endif
#ifndef VM_SOFTDIRTY
#define VM_SOFTDIRTY 0x08000000UL
#endif
#ifndef VM_MIXEDMAP
#define VM_MIXEDMAP 0x10000000UL
#endif
#ifndef VM_HUGEPAGE
#define VM_HUGEPAGE 0x20000000UL
#endif
#ifndef VM_NOHUGEPAGE
#define VM_NOHUGEPAGE 0x40000000UL
#endif
#ifndef VM_MERGEABLE
#define VM_MERGEABLE 0x80000000UL
#endif
#ifndef VM_UFFD_MINOR_BIT
#define VM_UFFD_MINOR_BIT 37
#endif
/* Linux's VM_SPECIAL */
#define VM_SPECIAL_FLAGS (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)

/* The name column: seq_setwidth(m, 25 + sizeof(void *) * 6 - 1) in show_vma_header_prefix. */
#define MAPS_NAME_WIDTH (25 + 8 * 6 - 1)

/* ---- the maps line ---- */

/* Device numbers as Warden stores them (stat's encoding, mkdev()) back to major and minor. */
static u32 dev_major(u32 dev)
{
	return (dev >> 8) & 0xfff;
}

static u32 dev_minor(u32 dev)
{
	return (dev & 0xff) | ((dev >> 12) & 0xfff00);
}

/* seq_pad(m, ' ') after a seq_setwidth() at line_start: spaces up to the column, then one. */
static void seq_pad_name(struct seq_buf *m, size_t line_start)
{
	static const char spaces[MAPS_NAME_WIDTH + 1] = { [0 ... MAPS_NAME_WIDTH] = ' ' };
	size_t used = m->len - line_start, pad = 1;

	if (!m->overflow && used < MAPS_NAME_WIDTH)
		pad += MAPS_NAME_WIDTH - used;
	seq_write(m, spaces, pad);
}

char *vma_file_name(struct file *file, char *buf, size_t size)
{
	struct inode *inode = file_inode(file);
	char *path = d_path(inode, buf, size);
	const char *name = memfd_name(inode);
	size_t len;

	if (!IS_ERR(path) || PTR_ERR(path) == -ENAMETOOLONG)
		return path;
	if (inode->i_private == shmem_anon_name)
		name = shmem_anon_name + 1; /* shared anonymous memory: "/dev/zero (deleted)" */
	/* a memfd or SysV segment: the name its dentry has on Linux, unlinked from birth */
	len = name ? strlen(name) + sizeof("/ (deleted)") : sizeof("(deleted)");
	if (len > size)
		return ERR_PTR(-ENAMETOOLONG);
	path = buf + size - len;
	if (name)
		snprintf(path, len, "/%s (deleted)", name);
	else /* Warden's VFS keeps no name for an unlinked file */
		memcpy(path, "(deleted)", len);
	return path;
}

/* seq_file_path(m, file, "\n"): the file's absolute path, a newline escaped as \012. */
static void seq_file_path(struct seq_buf *m, struct file *file)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);

	if (!buf) {
		m->overflow = true;
		return;
	}
	char *path = vma_file_name(file, buf, PATH_MAX);
	if (!IS_ERR(path)) {
		for (char *s = path; *s; s++) {
			if (*s == '\n')
				seq_printf(m, "\\%03o", (unsigned int)(unsigned char)*s);
			else
				seq_write(m, s, 1);
		}
	}
	kfree(buf);
}

/* Linux's is_stack(): the VMA holding (or ending at) the initial stack pointer. */
static bool is_stack(const struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack && vma->vm_end >= vma->vm_mm->start_stack;
}

void show_map_vma(struct seq_buf *m, struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct file *file = vma->vm_file;
	u64 flags = vma->vm_flags, pgoff = 0, ino = 0;
	u32 dev = 0;
	const char *name = NULL;
	size_t line_start = m->len;

	if (file) {
		struct inode *inode = file_inode(file);
		dev = inode->i_sb->s_dev;
		ino = inode->i_ino;
		pgoff = vma->vm_pgoff << PAGE_SHIFT;
	}
	/* show_vma_header_prefix() */
	seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", (unsigned long)vma->vm_start,
		   (unsigned long)vma->vm_end, flags & VM_READ ? 'r' : '-',
		   flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-',
		   flags & VM_MAYSHARE ? 's' : 'p', (unsigned long long)pgoff, dev_major(dev),
		   dev_minor(dev), (unsigned long)ino);
	if (file) {
		seq_pad_name(m, line_start);
		seq_file_path(m, file);
	} else if (!mm) {
		name = "[vdso]";
	} else if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk) {
		name = "[heap]";
	} else if (is_stack(vma)) {
		name = "[stack]";
	}
	if (name) {
		seq_pad_name(m, line_start);
		seq_printf(m, "%s", name);
	}
	seq_write(m, "\n", 1);
}

void show_maps(struct seq_buf *m, struct mm_struct *mm)
{
	if (!mm || !mmget_not_zero(mm))
		return;
	mmap_read_lock(mm); /* m is a kernel buffer, copied out after */
	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next)
		show_map_vma(m, v);
	mmap_read_unlock(mm);
	mmput(mm);
}

/* ---- smaps ---- */

/*
 * The frame at pgoff of the file's page cache, if that is the frame a PTE holds: a file page
 * (Linux: !PageAnon). A private copy of a file page is anonymous memory (and so, here, is a page
 * truncated out of the cache while still mapped, which Linux goes on counting as a file page).
 */
bool is_page_cache_page(struct vm_area_struct *vma, u64 va, struct page *pg)
{
	if (!vma->vm_file)
		return false;
	u64 pgoff = vma->vm_pgoff + ((va - vma->vm_start) >> PAGE_SHIFT);
	return filemap_get_page(file_inode(vma->vm_file), pgoff, false) == pg;
}

/*
 * Linux's smaps_page_accumulate(). anon: an anonymous page (Pss_Anon); else a page-cache page,
 * which on Warden is always tmpfs-like (Pss_Shmem: Linux's PageSwapBacked), never Pss_File.
 */
static void smaps_page_accumulate(struct mem_size_stats *mss, u64 size, u64 pss, bool dirty,
				  bool locked, bool private, bool anon)
{
	mss->pss += pss;
	if (anon)
		mss->pss_anon += pss;
	else
		mss->pss_shmem += pss;
	if (locked)
		mss->pss_locked += pss;
	if (dirty) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += size;
		else
			mss->shared_dirty += size;
	} else {
		if (private)
			mss->private_clean += size;
		else
			mss->shared_clean += size;
	}
}

/* Linux's smaps_account() for one 4 KiB page (Warden maps no huge pages into user space). */
static void smaps_account(struct mem_size_stats *mss, struct vm_area_struct *vma, u64 va, pte_t pte)
{
	struct page *pg = phys_to_page(pte & PTE_ADDR_MASK);
	bool file_page = is_page_cache_page(vma, va, pg);
	bool locked = vma->vm_flags & VM_LOCKED;
	/*
	 * Dirty and young: Warden's PTEs carry _PAGE_DIRTY and _PAGE_ACCESSED from the start, so
	 * the bits tell nothing; every page Warden maps was written (anonymous memory, a private
	 * copy, a ramfs page filled by write()) and touched (see mm/proc_maps.h). The exception is
	 * a page MADV_FREE made clean and lazily freeable, until it is written again (Linux's
	 * LazyFree, counted as clean).
	 */
	bool lazyfree = (pte & _PAGE_LAZYFREE) && !(pte & _PAGE_DIRTY);
	bool dirty = !lazyfree, young = true;

	if (lazyfree && !file_page)
		mss->lazyfree += PAGE_SIZE;
	/* The map count: the frame's references less the page cache's own. */
	u32 mapcount = pg->refcount - (file_page ? 1 : 0);

	if (!file_page)
		mss->anonymous += PAGE_SIZE;
	mss->resident += PAGE_SIZE;
	if (young)
		mss->referenced += PAGE_SIZE;
	/* Linux: page_count(page) == 1 means mapped exactly once, wholly private. */
	if (pg->refcount == 1) {
		smaps_page_accumulate(mss, PAGE_SIZE, PAGE_SIZE << PSS_SHIFT, dirty, locked, true,
				      !file_page);
		return;
	}
	u64 pss = PAGE_SIZE << PSS_SHIFT;
	if (mapcount >= 2)
		pss /= mapcount;
	smaps_page_accumulate(mss, PAGE_SIZE, pss, dirty, locked, mapcount < 2, !file_page);
}

void smap_gather_stats(struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	pte_t *pgd = vma->vm_mm->pgd;

	for (u64 va = vma->vm_start; va < vma->vm_end;) {
		int level;
		/*
		 * Others run between page tables (Linux's smaps_pte_range ends with cond_resched):
		 * views of one shared mapping made by mremap reach 2^47 bytes of populated PTEs,
		 * seconds of walking. mmap_lock keeps vma; the walk restarts from pgd after.
		 */
		if (va != vma->vm_start && !(va & (pgtable_level_size(PG_LEVEL_2M) - 1)))
			cond_resched();
		pte_t *e = pgtable_walk(pgd, va, PG_LEVEL_4K, false, &level);
		if (!e) {
			/* No table below this level's entry: skip the whole range it would map. */
			u64 next = ALIGN_DOWN(va, pgtable_level_size(level)) +
				   pgtable_level_size(level);
			if (next <= va)
				break;
			va = next;
			continue;
		}
		/* The zero page is not counted, as Linux's vm_normal_page() leaves it out. */
		if (level == PG_LEVEL_4K && pte_has_frame(*e) &&
		    !is_zero_page(phys_to_page(*e & PTE_ADDR_MASK)))
			smaps_account(mss, vma, va, *e);
		/* Linux counts the poisoned page of a hwpoison entry (a pfn swap entry) too. */
		else if (level == PG_LEVEL_4K && pte_is_hwpoison(*e))
			smaps_account(mss, vma, va, *e & PTE_ADDR_MASK);
		va += PAGE_SIZE;
	}
}

/* "%-16s%8lu kB\n" of a byte count: Linux's SEQ_PUT_DEC(str, val >> 10), width 8. */
static void seq_put_kb(struct seq_buf *m, const char *name, u64 bytes)
{
	seq_printf(m, "%s%8lu kB\n", name, (unsigned long)(bytes >> 10));
}

/*
 * Whether transparent huge pages are on. Linux switches them off at boot with less than 512 MiB
 * of RAM (hugepage_init()), which is the case of the Linux oracle (QEMU -m 512M) and of Warden's
 * machines, and Warden has no THP at all: so THPeligible is 0, as the oracle prints it.
 */
static const bool transparent_hugepage_enabled = false;

/* Linux's hugepage_vma_check(vma, vm_flags, smaps=true, in_pf=false, enforce_sysfs=true), with
 * THP "enabled=always" (Debian's default when it is on) and tmpfs/shmem "huge=never". */
static int thp_eligible(const struct vm_area_struct *vma)
{
	u64 flags = vma->vm_flags;

	if (!transparent_hugepage_enabled || !vma->vm_mm ||
	    (flags & (VM_NOHUGEPAGE | VM_SPECIAL_FLAGS | VM_HUGETLB)))
		return 0;
	/* Files (ramfs, as tmpfs) and shared anonymous memory (shmem on Linux): huge=never. */
	if (vma->vm_file || (flags & VM_MAYSHARE))
		return 0;
	/* transhuge_vma_suitable(vma, vm_end - HPAGE_PMD_SIZE), unsigned wrap-around included */
	u64 haddr = (vma->vm_end - SZ_2M) & ~(SZ_2M - 1);
	if (haddr < vma->vm_start || haddr + SZ_2M > vma->vm_end)
		return 0;
	return 1;
}

/* Linux's arch_pkeys_enabled(): the kernel switched protection keys on (CR4.PKE). */
static bool proc_pkeys_enabled(void)
{
	return arch_pkeys_enabled();
}

/* Linux 6.1's show_smap_vma_flags(): its mnemonics on x86-64 with Debian's configuration. */
static void show_smap_vma_flags(struct seq_buf *m, const struct vm_area_struct *vma)
{
	static const struct {
		u64 flag;
		char code[3];
	} mnemonics[] = {
		{ VM_READ, "rd" },
		{ VM_WRITE, "wr" },
		{ VM_EXEC, "ex" },
		{ VM_SHARED, "sh" },
		{ VM_MAYREAD, "mr" },
		{ VM_MAYWRITE, "mw" },
		{ VM_MAYEXEC, "me" },
		{ VM_MAYSHARE, "ms" },
		{ VM_GROWSDOWN, "gd" },
		{ VM_PFNMAP, "pf" },
		{ VM_LOCKED, "lo" },
		/* VM_LOCKONFAULT has no mnemonic in 6.1: it shows as "??" */
		{ VM_IO, "io" },
		{ VM_SEQ_READ, "sr" },
		{ VM_RAND_READ, "rr" },
		{ VM_DONTCOPY, "dc" },
		{ VM_DONTEXPAND, "de" },
		{ VM_ACCOUNT, "ac" },
		{ VM_NORESERVE, "nr" },
		{ VM_HUGETLB, "ht" },
		{ VM_SYNC, "sf" },
		{ VM_ARCH_1, "ar" },
		{ VM_WIPEONFORK, "wf" },
		{ VM_DONTDUMP, "dd" },
		{ VM_SOFTDIRTY, "sd" }, /* CONFIG_MEM_SOFT_DIRTY */
		{ VM_MIXEDMAP, "mm" },
		{ VM_HUGEPAGE, "hg" },
		{ VM_NOHUGEPAGE, "nh" },
		{ VM_MERGEABLE, "mg" },
		{ VM_UFFD_MISSING, "um" },
		{ VM_UFFD_WP, "uw" },
		{ VM_PKEY_MASK, "" }, /* these come out via ProtectionKey: */
		{ 1UL << VM_UFFD_MINOR_BIT, "ui" }, /* CONFIG_HAVE_ARCH_USERFAULTFD_MINOR */
	};

	seq_printf(m, "VmFlags: ");
	for (int bit = 0; bit < 64; bit++) {
		u64 f = 1UL << bit;
		if (!(vma->vm_flags & f))
			continue;
		const char *code = "??"; /* a flag Linux's table does not know */
		for (size_t i = 0; i < ARRAY_SIZE(mnemonics); i++)
			if (mnemonics[i].flag & f)
				code = mnemonics[i].code;
		if (code[0])
			seq_printf(m, "%s ", code);
	}
	seq_write(m, "\n", 1);
}

/*
 * The counts smaps and smaps_rollup share, Rss to Locked (Linux's __show_smap); the rollup also
 * splits Pss into anonymous, file and shmem memory.
 */
static void show_smap_counts(struct seq_buf *m, const struct mem_size_stats *mss, bool rollup)
{
	seq_put_kb(m, "Rss:            ", mss->resident);
	seq_put_kb(m, "Pss:            ", mss->pss >> PSS_SHIFT);
	seq_put_kb(m, "Pss_Dirty:      ", mss->pss_dirty >> PSS_SHIFT);
	if (rollup) {
		seq_put_kb(m, "Pss_Anon:       ", mss->pss_anon >> PSS_SHIFT);
		seq_put_kb(m, "Pss_File:       ", mss->pss_file >> PSS_SHIFT);
		seq_put_kb(m, "Pss_Shmem:      ", mss->pss_shmem >> PSS_SHIFT);
	}
	seq_put_kb(m, "Shared_Clean:   ", mss->shared_clean);
	seq_put_kb(m, "Shared_Dirty:   ", mss->shared_dirty);
	seq_put_kb(m, "Private_Clean:  ", mss->private_clean);
	seq_put_kb(m, "Private_Dirty:  ", mss->private_dirty);
	seq_put_kb(m, "Referenced:     ", mss->referenced);
	seq_put_kb(m, "Anonymous:      ", mss->anonymous);
	seq_put_kb(m, "LazyFree:       ", mss->lazyfree);
	seq_put_kb(m, "AnonHugePages:  ", mss->anonymous_thp);
	seq_put_kb(m, "ShmemPmdMapped: ", mss->shmem_thp);
	seq_put_kb(m, "FilePmdMapped:  ", mss->file_thp);
	seq_put_kb(m, "Shared_Hugetlb: ", mss->shared_hugetlb);
	seq_printf(m, "Private_Hugetlb: %7lu kB\n", (unsigned long)(mss->private_hugetlb >> 10));
	seq_put_kb(m, "Swap:           ", mss->swap);
	seq_put_kb(m, "SwapPss:        ", mss->swap_pss >> PSS_SHIFT);
	seq_put_kb(m, "Locked:         ", mss->pss_locked >> PSS_SHIFT);
}

void show_smap(struct seq_buf *m, struct vm_area_struct *vma)
{
	struct mem_size_stats mss = { 0 };

	smap_gather_stats(vma, &mss);
	show_map_vma(m, vma);
	seq_put_kb(m, "Size:           ", vma->vm_end - vma->vm_start);
	seq_put_kb(m, "KernelPageSize: ", PAGE_SIZE);
	seq_put_kb(m, "MMUPageSize:    ", PAGE_SIZE);
	show_smap_counts(m, &mss, false);
	seq_printf(m, "THPeligible:    %d\n", thp_eligible(vma));
	/* The pkeys hook: Linux prints the key only while the CPU has them switched on. */
	if (proc_pkeys_enabled())
		seq_printf(m, "ProtectionKey:  %8u\n", vma_pkey(vma));
	show_smap_vma_flags(m, vma);
}

void show_smaps(struct seq_buf *m, struct mm_struct *mm)
{
	if (!mm || !mmget_not_zero(mm))
		return;
	mmap_read_lock(mm);
	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next)
		show_smap(m, v);
	mmap_read_unlock(mm);
	mmput(mm);
}

/*
 * /proc/PID/smaps_rollup (Linux's show_smaps_rollup): one header from the first VMA's start to
 * the last one's end, then the sums of every VMA's counts, with Pss split into anonymous, file
 * and shmem memory, and no per-VMA lines (THPeligible, ProtectionKey, VmFlags). ESRCH for an
 * mm that is gone (or none: a zombie), as Linux's.
 */
static int show_smaps_rollup(struct seq_buf *m, struct mm_struct *mm)
{
	struct mem_size_stats mss = { 0 };
	size_t line_start = m->len;

	if (!mm || !mmget_not_zero(mm))
		return -ESRCH;
	mmap_read_lock(mm);
	struct vm_area_struct *first = mm->mm_rb.first, *last = vma_tree_last(&mm->mm_rb);
	for (struct vm_area_struct *v = first; v; v = v->vm_next)
		smap_gather_stats(v, &mss);
	mmap_read_unlock(mm);
	mmput(mm);
	seq_printf(m, "%08lx-%08lx ---p 00000000 00:00 0 ",
		   (unsigned long)(first ? first->vm_start : 0),
		   (unsigned long)(last ? last->vm_end : 0));
	seq_pad_name(m, line_start);
	seq_printf(m, "[rollup]\n");
	show_smap_counts(m, &mss, true);
	return 0;
}

/* ---- the proc files ---- */

/*
 * Each describes the mm the file was opened on (proc_show_mm, Linux's priv->mm from
 * proc_mem_open), not the task's mm of the moment: after the task exec'd, its old mm has no
 * users any more and maps and smaps read as empty, smaps_rollup as ESRCH (Linux's
 * show_smaps_rollup), never the new program's.
 */
static int proc_maps_show(struct seq_buf *m)
{
	show_maps(m, proc_show_mm());
	return 0;
}

static int proc_smaps_show(struct seq_buf *m)
{
	show_smaps(m, proc_show_mm());
	return 0;
}

static int proc_smaps_rollup_show(struct seq_buf *m)
{
	return show_smaps_rollup(m, proc_show_mm());
}

/*
 * Creates maps, smaps and smaps_rollup: 0444, but opening another user's needs
 * PTRACE_MODE_READ_FSCREDS (Linux's proc_maps_open through proc_mem_open).
 */
int proc_maps_init(void)
{
	static const char *const names[] = { "maps", "smaps", "smaps_rollup" };
	int (*const shows[])(struct seq_buf *) = { proc_maps_show, proc_smaps_show,
						   proc_smaps_rollup_show };
	int err = 0;

	for (int i = 0; !err && i < 3; i++) {
		err = proc_create_file(PROC_SELF, names[i], 0444, shows[i]);
		if (!err)
			err = proc_require_ptrace(names[i], PTRACE_MODE_READ_FSCREDS);
	}
	return err;
}
