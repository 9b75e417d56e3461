// SPDX-License-Identifier: MIT
/*
 * /proc/meminfo: Linux 6.1's fields in its order and format (fs/proc/meminfo.c, x86-64 with
 * Debian's configuration: zswap, transparent huge pages, hugetlbfs, no CMA), docs/memfd.md.
 * Warden's numbers: the frame allocator's total and free frames, the slabs' frames, what the
 * address spaces map (mm/meminfo_count.c: AnonPages, Mapped, Mlocked, PageTables), the tasks'
 * kernel stacks, vmalloc's pages, and the page cache, which is
 * all tmpfs-like (ramfs files, memfds, shared anonymous memory) and so Linux's Shmem as well as
 * Cached, on the anonymous LRU. Nothing is reclaimable (MemAvailable is MemFree), and what
 * Warden does not have (swap, zswap, block I/O, huge pages, CMA, hardware errors) reads 0, as
 * on a Linux without it.
 */
#include "mm/memory_failure.h"
#include "fs/proc.h"
#include "fs/filemap.h"
#include "mm/frame.h"
#include "mm/slab.h"
#include "mm/meminfo_count.h"
#include "mm/overcommit.h"

/* Linux's show_val_kb(): the name padded to 16 columns, pages as KiB in 8. */
static void show_val_kb(struct seq_buf *m, const char *name, u64 pages)
{
	seq_printf(m, "%-16s%8llu kB\n", name, (unsigned long long)(pages * (PAGE_SIZE / 1024)));
}

/* The size of the vmalloc area Linux's x86-64 reports with 4-level paging (VMALLOC_TOTAL). */
#define VMALLOC_TOTAL_KB 34359738367ULL
#define HPAGE_KB 2048 /* the default huge page size (Hugepagesize) */

int meminfo_show(struct seq_buf *m)
{
	u64 total = nr_managed_frames(), free = nr_free_frames(), file = nr_file_pages;
	struct meminfo_counts c;

	meminfo_count(&c);
	/* mlocked pages live on the unevictable list, the rest of anon and shmem on the active */
	u64 active = file + c.anon > c.mlocked ? file + c.anon - c.mlocked : 0;

	show_val_kb(m, "MemTotal:", total);
	show_val_kb(m, "MemFree:", free);
	show_val_kb(m, "MemAvailable:", free);
	show_val_kb(m, "Buffers:", 0);
	show_val_kb(m, "Cached:", file);
	show_val_kb(m, "SwapCached:", 0);
	show_val_kb(m, "Active:", active);
	show_val_kb(m, "Inactive:", 0);
	show_val_kb(m, "Active(anon):", active);
	show_val_kb(m, "Inactive(anon):", 0);
	show_val_kb(m, "Active(file):", 0);
	show_val_kb(m, "Inactive(file):", 0);
	show_val_kb(m, "Unevictable:", c.mlocked);
	show_val_kb(m, "Mlocked:", c.mlocked);
	show_val_kb(m, "SwapTotal:", 0);
	show_val_kb(m, "SwapFree:", 0);
	show_val_kb(m, "Zswap:", 0);
	show_val_kb(m, "Zswapped:", 0);
	show_val_kb(m, "Dirty:", 0);
	show_val_kb(m, "Writeback:", 0);
	show_val_kb(m, "AnonPages:", c.anon);
	show_val_kb(m, "Mapped:", c.mapped);
	show_val_kb(m, "Shmem:", file);
	show_val_kb(m, "KReclaimable:", 0);
	/* No cache Warden has can be shrunk: every slab page is unreclaimable */
	show_val_kb(m, "Slab:", nr_slab_pages);
	show_val_kb(m, "SReclaimable:", 0);
	show_val_kb(m, "SUnreclaim:", nr_slab_pages);
	seq_printf(m, "%-16s%8llu kB\n", "KernelStack:", (unsigned long long)c.kernel_stack_kb);
	show_val_kb(m, "PageTables:", c.pgtables);
	show_val_kb(m, "SecPageTables:", 0);
	show_val_kb(m, "NFS_Unstable:", 0);
	show_val_kb(m, "Bounce:", 0);
	show_val_kb(m, "WritebackTmp:", 0);
	/* vm.overcommit_ratio 50 of the RAM, plus no swap */
	show_val_kb(m, "CommitLimit:", vm_commit_limit());
	show_val_kb(m, "Committed_AS:", vm_committed_as > 0 ? (u64)vm_committed_as : 0);
	seq_printf(m, "%-16s%8llu kB\n", "VmallocTotal:", VMALLOC_TOTAL_KB);
	show_val_kb(m, "VmallocUsed:", c.vmalloc_pages);
	show_val_kb(m, "VmallocChunk:", 0);
	show_val_kb(m, "Percpu:", 0);
	seq_printf(m, "HardwareCorrupted: %5lu kB\n",
		   (unsigned long)(num_poisoned_pages << (PAGE_SHIFT - 10)));
	show_val_kb(m, "AnonHugePages:", 0);
	show_val_kb(m, "ShmemHugePages:", 0);
	show_val_kb(m, "ShmemPmdMapped:", 0);
	show_val_kb(m, "FileHugePages:", 0);
	show_val_kb(m, "FilePmdMapped:", 0);
	/* hugetlb_report_meminfo(): counts without a unit */
	seq_printf(m, "HugePages_Total:   %5lu\nHugePages_Free:    %5lu\n", 0UL, 0UL);
	seq_printf(m, "HugePages_Rsvd:    %5lu\nHugePages_Surp:    %5lu\n", 0UL, 0UL);
	seq_printf(m, "Hugepagesize:   %8lu kB\n", (unsigned long)HPAGE_KB);
	seq_printf(m, "Hugetlb:        %8lu kB\n", 0UL);
	arch_report_meminfo(m);
	return 0;
}
