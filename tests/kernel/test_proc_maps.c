// SPDX-License-Identifier: MIT
/*
 * Self-tests of /proc/<pid>/maps and smaps formatting (mm/proc_maps.c) on a scratch address
 * space: the expected texts are Linux 6.1's lines (taken from the oracle's recordings of
 * user/maps, addresses substituted at the same widths), so the column of [heap] and [stack],
 * the trailing space of an unnamed line, the 8-digit minimum of addresses and the smaps field
 * widths are pinned here as well as by the user test. Also: the VmFlags codes of flags Warden
 * does not set itself ("??" for bits Linux's table does not know, nothing for the pkey bits),
 * Pss in Linux's fixed point for a page shared by fork, and a 1 TiB VMA walked without visiting
 * its 2^28 empty pages one by one.
 */
#include "tests/kernel/mm_helpers.h"
#include "kernel/selftest.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/proc_maps.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/frame.h"
#include "fs/proc.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pgtable.h"

#define HEAP 0x601000UL
#define ARENA 0x20000000UL
#define STACK_LO 0x7ffffffde000UL
#define STACK_HI 0x7ffffffff000UL
#define BIG 0x100000000000UL /* a 1 TiB VMA from here */

/* The text show() makes for mm, NUL-terminated (kmalloc'd), or NULL. */
static char *render(void (*show)(struct seq_buf *, struct mm_struct *), struct mm_struct *mm)
{
	struct seq_buf m = { 0 };

	show(&m, mm);
	seq_write(&m, "", 1);
	if (m.overflow) {
		kfree(m.buf);
		return NULL;
	}
	return m.buf;
}

/* The first line of text that starts with prefix, up to and including its '\n' (or NULL). */
static const char *find_line(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *s = text; *s;) {
		if (!strncmp(s, prefix, n))
			return s;
		while (*s && *s != '\n')
			s++;
		if (*s)
			s++;
	}
	return NULL;
}

/* Compares text with want; on a difference, the first differing offset and both tails. */
static bool text_equal(const char *text, const char *want, size_t *at)
{
	size_t i = 0;

	while (text[i] && text[i] == want[i])
		i++;
	*at = i;
	return text[i] == want[i];
}

SELFTEST(proc_maps_format)
{
	u64 before = nr_free_frames() + pgtable_nr_tables();
	struct mm_struct *mm = mm_alloc(), *child = NULL;
	char *text = NULL;
	size_t at;

	ST_ASSERT(mm);
	ST_ASSERT_EQ(do_mmap(mm, NULL, 0x10000, PAGE_SIZE, PROT_READ | PROT_EXEC,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
		     0x10000);
	ST_ASSERT_EQ(do_mmap(mm, NULL, HEAP, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
		     (long)HEAP);
	ST_ASSERT_EQ(do_mmap(mm, NULL, ARENA, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
		     (long)ARENA);
	ST_ASSERT_EQ(do_mmap(mm, NULL, STACK_LO, STACK_HI - STACK_LO, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, 0),
		     (long)STACK_LO);
	mm->start_brk = HEAP;
	mm->brk = HEAP + PAGE_SIZE + 0x800;
	mm->start_stack = STACK_HI - 0x1000 - 8;
	ST_ASSERT_EQ(write_in(mm, ARENA, 1), 0);
	ST_ASSERT_EQ(write_in(mm, ARENA + PAGE_SIZE, 2), 0);

	text = render(show_maps, mm);
	ST_ASSERT(text);
	static const char maps[] =
		"00010000-00011000 r-xp 00000000 00:00 0 \n"
		"00601000-00603000 rw-p 00000000 00:00 0                                  [heap]\n"
		"20000000-20004000 rw-p 00000000 00:00 0 \n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          "
		"[stack]\n";
	if (!text_equal(text, maps, &at)) {
		selftest_fail(__FILE__, __LINE__, "maps differ at %zu: \"%.40s\" vs \"%.40s\"", at,
			      text + at, maps + at);
		goto out;
	}
	kfree(text);

	/* Shared with a child: Pss is half of each page, Shared_Dirty all of them. */
	child = dup_mm(mm);
	ST_ASSERT(child);
	struct vm_area_struct *v = find_vma(mm, ARENA);
	u64 saved_flags = v->vm_flags;
	/* Flags Warden does not set yet, an unknown bit (11, 36), pkey bits (32, 33). */
	v->vm_flags |=
		VM_ACCOUNT | 0x08000000UL | (1UL << 11) | (3UL << 32) | (1UL << 36) | (1UL << 37);
	text = render(show_smaps, mm);
	v->vm_flags = saved_flags;
	ST_ASSERT(text);
	const char *block = find_line(text, "20000000-20004000 ");
	bool pkeys = read_cr4() & X86_CR4_PKE;
	static const char smap_head[] = "20000000-20004000 rw-p 00000000 00:00 0 \n"
					"Size:                 16 kB\n"
					"KernelPageSize:        4 kB\n"
					"MMUPageSize:           4 kB\n"
					"Rss:                   8 kB\n"
					"Pss:                   4 kB\n"
					"Pss_Dirty:             4 kB\n"
					"Shared_Clean:          0 kB\n"
					"Shared_Dirty:          8 kB\n"
					"Private_Clean:         0 kB\n"
					"Private_Dirty:         0 kB\n"
					"Referenced:            8 kB\n"
					"Anonymous:             8 kB\n"
					"LazyFree:              0 kB\n"
					"AnonHugePages:         0 kB\n"
					"ShmemPmdMapped:        0 kB\n"
					"FilePmdMapped:         0 kB\n"
					"Shared_Hugetlb:        0 kB\n"
					"Private_Hugetlb:       0 kB\n"
					"Swap:                  0 kB\n"
					"SwapPss:               0 kB\n"
					"Locked:                0 kB\n"
					"THPeligible:    0\n";
	static const char smap_pkey[] = "ProtectionKey:         3\n";
	static const char smap_tail[] = "VmFlags: rd wr mr mw me ?? ac sd ?? ui \n";
	char want[sizeof(smap_head) + sizeof(smap_pkey) + sizeof(smap_tail)];
	snprintf(want, sizeof(want), "%s%s%s", smap_head, pkeys ? smap_pkey : "", smap_tail);
	if (!block || strncmp(block, want, strlen(want))) {
		text_equal(block ? block : "", want, &at);
		selftest_fail(__FILE__, __LINE__,
			      "smaps block differs at %zu: \"%.40s\" vs \"%.40s\"", at,
			      block ? block + at : "(none)", want + at);
		goto out;
	}
	/* The stack's flags, and no name in smaps that maps does not have. */
	const char *stack = find_line(text, "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 ");
	ST_ASSERT(stack && find_line(stack, "VmFlags: rd wr mr mw me gd ac sd \n"));
	kfree(text);
	text = NULL;
	mmput(child);
	child = NULL;

	/* A 1 TiB VMA with one page touched: the walk skips the empty tables. */
	ST_ASSERT_EQ(do_mmap(mm, NULL, BIG, 1UL << 40, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, 0),
		     (long)BIG);
	ST_ASSERT_EQ(write_in(mm, BIG + (1UL << 39) + 5 * PAGE_SIZE, 3), 0);
	struct mem_size_stats mss = { 0 };
	smap_gather_stats(find_vma(mm, BIG), &mss);
	ST_ASSERT_EQ(mss.resident, PAGE_SIZE);
	ST_ASSERT_EQ(mss.pss >> PSS_SHIFT, PAGE_SIZE);
	ST_ASSERT_EQ(mss.private_dirty, PAGE_SIZE);
	text = render(show_smaps, mm);
	ST_ASSERT(text);
	block = find_line(text, "100000000000-110000000000 rw-p 00000000 00:00 0 \n");
	ST_ASSERT(block && find_line(block, "Size:           1073741824 kB\n"));
	ST_ASSERT(find_line(block, "VmFlags: rd wr mr mw me nr sd \n"));
out:
	kfree(text);
	if (child)
		mmput(child);
	mmput(mm);
	ST_ASSERT_EQ(nr_free_frames() + pgtable_nr_tables(), before);
}

/* A kernel thread (no mm) has empty maps; the proc files exist only once fs_init made /proc. */
SELFTEST(proc_maps_no_mm)
{
	char *text = render(show_maps, NULL);

	ST_ASSERT(!text || !text[0]);
	kfree(text);
}
