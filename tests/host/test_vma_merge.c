// SPDX-License-Identifier: MIT
/*
 * Split and merge of VMAs by Linux 6.1's rules (mm/vma.c, mm/mmap.c, mm/mprotect.c; spec
 * §2.2-2.5 and cases 49-60), run on the host under ASan and UBSan. Each test drives a real mm
 * through do_mmap, do_munmap and do_mprotect_pkey (the page-table side is stubbed out by
 * tests/host/mm_shim.c) and asserts the whole layout of its arena as a table: range in pages,
 * perms, the hidden flags that keep look-alike VMAs apart, and the anon_vma identity as a letter
 * (the same letter is the same anon_vma, '-' none). The expected tables are what Linux 6.1 shows
 * for the same sequences (user/merge.c records them on Linux: tests/user/expected/merge.out).
 * A randomized test applies thousands of operations with forks in between and checks after each
 * one the tree, the "nothing left unmerged" invariant (mm_check) and every page's protection
 * against a page-array model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "tests/host/test_fs.h"
#include "mm/mm.h"
#include "mm/vma.h"
#include "mm/mlock.h"
#include "fs/ramfs.h"
#include "fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/sched.h"

#define P ((u64)PAGE_SIZE)
#define ARENA 0x200000000000UL
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

/* One expected VMA: pages [start, end) of the arena, "rw-p", extra flags, anon_vma letter. */
struct row {
	u64 start, end;
	const char *perms;
	const char *flags; /* "ac", "nr", "gd", "ac gd", "" */
	char anon;
	u64 pgoff; /* file VMAs only: the file offset in pages */
};
#define END                            \
	{                              \
		0, 0, NULL, NULL, 0, 0 \
	}

static struct mm_struct *mm, *other; /* other: a second mm while a test has two (fork) */

/* Frees what a failed test left behind, so that the slab caches are empty before a reboot. */
static void drop_leftovers(void)
{
	current->mm = NULL;
	if (other)
		mmput(other);
	if (mm)
		mmput(mm);
	mm = other = NULL;
}

/* A fresh address space as current's, with an empty arena. */
static void setup(void)
{
	drop_leftovers();
	fs_test_boot(NULL, 0);
	mm = mm_alloc();
	if (!mm)
		panic("mm_alloc");
	current->mm = mm;
	current->personality = 0;
}

static void teardown(void)
{
	drop_leftovers();
}

static long map(u64 page, u64 pages, int prot, int flags)
{
	return do_mmap(mm, NULL, ARENA + page * P, pages * P, (u64)prot, (u64)flags, 0);
}

static long map_file(struct file *f, u64 page, u64 pages, int prot, int flags, u64 fpage)
{
	return do_mmap(mm, f, ARENA + page * P, pages * P, (u64)prot, (u64)flags, fpage);
}

static long prot(u64 page, u64 pages, int prot)
{
	return do_mprotect_pkey(ARENA + page * P, pages * P, (u64)prot, -1);
}

static long unmap(u64 page, u64 pages)
{
	return do_munmap(mm, ARENA + page * P, pages * P);
}

/* What a write fault does to the VMA at page (the page tables are not simulated). */
static void touch(u64 page)
{
	struct vm_area_struct *v = find_vma(mm, ARENA + page * P);

	if (v && v->vm_start <= ARENA + page * P && !(v->vm_flags & VM_SHARED))
		if (anon_vma_prepare(v))
			panic("anon_vma_prepare");
}

/* "rw-p" for vm_flags. */
static void perms_of(u64 f, char out[5])
{
	out[0] = f & VM_READ ? 'r' : '-';
	out[1] = f & VM_WRITE ? 'w' : '-';
	out[2] = f & VM_EXEC ? 'x' : '-';
	out[3] = f & VM_MAYSHARE ? 's' : 'p';
	out[4] = 0;
}

/* "ac nr gd" for the hidden flags that matter here, in that order. */
static void extra_of(u64 f, char *out)
{
	out[0] = 0;
	if (f & VM_ACCOUNT)
		strcat(out, "ac ");
	if (f & VM_NORESERVE)
		strcat(out, "nr ");
	if (f & VM_GROWSDOWN)
		strcat(out, "gd ");
	if (f & VM_LOCKED)
		strcat(out, "lo ");
	if (f & VM_LOCKONFAULT)
		strcat(out, "lf ");
	if (out[0])
		out[strlen(out) - 1] = 0;
}

/* Prints the arena's layout as a table (to stderr), for failures. */
static void dump_layout(void)
{
	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next) {
		char perms[5], extra[16];
		perms_of(v->vm_flags, perms);
		extra_of(v->vm_flags, extra);
		fprintf(stderr,
			"    { %llu, %llu, \"%s\", \"%s\", anon %p chain %d, pgoff %llu }\n",
			(unsigned long long)((v->vm_start - ARENA) / P),
			(unsigned long long)((v->vm_end - ARENA) / P), perms, extra,
			(void *)v->anon_vma, v->anon_vma_chain, (unsigned long long)v->vm_pgoff);
	}
}

/*
 * Fails unless the arena holds exactly the rows: same ranges, perms, extra flags, file offsets,
 * and anon_vmas equal where the letters are equal and different where they differ.
 */
static void check_layout(const struct row *rows, int line)
{
	struct anon_vma *seen[26] = { 0 };
	char why[200];
	struct vm_area_struct *v = mm->mm_rb.first;
	int i = 0;

	if (mm_check(mm, why, sizeof(why))) {
		host_fail(__FILE__, line, "mm_check: %s", why);
		return;
	}
	for (; rows[i].perms; i++, v = v->vm_next) {
		const struct row *r = &rows[i];
		char perms[5], extra[16];
		if (!v) {
			host_fail(__FILE__, line, "row %d: no VMA (want %llu-%llu)", i,
				  (unsigned long long)r->start, (unsigned long long)r->end);
			goto dump;
		}
		perms_of(v->vm_flags, perms);
		extra_of(v->vm_flags, extra);
		struct anon_vma *want = r->anon == '-' ? NULL : seen[r->anon - 'A'];
		bool anon_ok = r->anon == '-' ? !v->anon_vma
					      : v->anon_vma && (want ? want == v->anon_vma : true);
		for (int k = 0; anon_ok && k < 26 && r->anon != '-'; k++)
			if (k != r->anon - 'A' && seen[k] == v->anon_vma)
				anon_ok = false; /* another letter's anon_vma */
		if (v->vm_start != ARENA + r->start * P || v->vm_end != ARENA + r->end * P ||
		    strcmp(perms, r->perms) || strcmp(extra, r->flags) || !anon_ok ||
		    (v->vm_file && v->vm_pgoff != r->pgoff) || !(v->vm_flags & VM_SOFTDIRTY)) {
			host_fail(__FILE__, line,
				  "row %d: want %llu-%llu %s [%s] anon %c, got %llu-%llu %s [%s]",
				  i, (unsigned long long)r->start, (unsigned long long)r->end,
				  r->perms, r->flags, r->anon,
				  (unsigned long long)((v->vm_start - ARENA) / P),
				  (unsigned long long)((v->vm_end - ARENA) / P), perms, extra);
			goto dump;
		}
		if (r->anon != '-')
			seen[r->anon - 'A'] = v->anon_vma;
	}
	if (v) {
		host_fail(__FILE__, line, "more VMAs than the %d rows", i);
		goto dump;
	}
	return;
dump:
	dump_layout();
}

#define LAYOUT(...)                                              \
	do {                                                     \
		const struct row rows_[] = { __VA_ARGS__, END }; \
		check_layout(rows_, __LINE__);                   \
		if (host_failed())                               \
			return;                                  \
	} while (0)

/* Case 49: two adjacent anonymous RW mmaps are one VMA; a read-only one after them is not. */
HOST_TEST(vma_merge_case49_adjacent_mmaps)
{
	setup();
	CHECK_EQ(map(0, 1, RW, ANON), (long)ARENA);
	CHECK_EQ(map(1, 1, RW, ANON), (long)(ARENA + P));
	LAYOUT({ 0, 2, "rw-p", "ac", '-', 0 });
	CHECK_EQ(map(2, 1, PROT_READ, ANON), (long)(ARENA + 2 * P));
	LAYOUT({ 0, 2, "rw-p", "ac", '-', 0 }, { 2, 3, "r--p", "", '-', 0 });
	CHECK_EQ(map(4, 1, RW, ANON), (long)(ARENA + 4 * P)); /* a hole: no merge */
	CHECK_EQ(map(3, 1, RW, ANON), (long)(ARENA + 3 * P)); /* joins the page after it */
	LAYOUT({ 0, 2, "rw-p", "ac", '-', 0 }, { 2, 3, "r--p", "", '-', 0 },
	       { 3, 5, "rw-p", "ac", '-', 0 });
	teardown();
}

/* Case 50 and the mprotect shapes: head, tail, middle, whole, and the 3-way merge back. */
HOST_TEST(vma_merge_case50_mprotect_shapes)
{
	setup();
	map(0, 2, RW, ANON);
	CHECK_EQ(prot(1, 1, PROT_READ), 0);
	LAYOUT({ 0, 1, "rw-p", "ac", '-', 0 }, { 1, 2, "r--p", "ac", '-', 0 });
	CHECK_EQ(prot(1, 1, RW), 0); /* case 8's mirror: joins prev */
	LAYOUT({ 0, 2, "rw-p", "ac", '-', 0 });
	map(2, 4, PROT_READ, ANON); /* 2-6 r-- (no ac) */
	CHECK_EQ(prot(2, 1, RW), 0); /* head of the next VMA joins prev (case 5) */
	LAYOUT({ 0, 3, "rw-p", "ac", '-', 0 }, { 3, 6, "r--p", "", '-', 0 });
	CHECK_EQ(prot(2, 1, PROT_READ), 0); /* tail of prev: split (ac differs from next) */
	LAYOUT({ 0, 2, "rw-p", "ac", '-', 0 }, { 2, 3, "r--p", "ac", '-', 0 },
	       { 3, 6, "r--p", "", '-', 0 });
	CHECK_EQ(prot(4, 1, PROT_NONE), 0); /* middle: split in three */
	LAYOUT({ 0, 2, "rw-p", "ac", '-', 0 }, { 2, 3, "r--p", "ac", '-', 0 },
	       { 3, 4, "r--p", "", '-', 0 }, { 4, 5, "---p", "", '-', 0 },
	       { 5, 6, "r--p", "", '-', 0 });
	CHECK_EQ(prot(4, 1, PROT_READ), 0); /* the 3-way merge (case 6) */
	LAYOUT({ 0, 2, "rw-p", "ac", '-', 0 }, { 2, 3, "r--p", "ac", '-', 0 },
	       { 3, 6, "r--p", "", '-', 0 });
	CHECK_EQ(prot(5, 1, RW), 0); /* tail: split, gains ac */
	CHECK_EQ(prot(3, 2, RW), 0); /* the rest: prev is rw ac too: all one (cases 1/6) */
	LAYOUT({ 0, 2, "rw-p", "ac", '-', 0 }, { 2, 3, "r--p", "ac", '-', 0 },
	       { 3, 6, "rw-p", "ac", '-', 0 });
	CHECK_EQ(prot(0, 6, RW), 0); /* over three VMAs: one */
	LAYOUT({ 0, 6, "rw-p", "ac", '-', 0 });
	teardown();
}

/* Case 51: VM_ACCOUNT keeps a written-then-RO page apart from a fresh RO page (6.1 keeps it). */
HOST_TEST(vma_merge_case51_account)
{
	for (int written = 0; written <= 1; written++) {
		setup();
		map(0, 1, RW, ANON);
		if (written)
			touch(0);
		prot(0, 1, PROT_READ);
		map(1, 1, PROT_READ, ANON);
		if (written)
			LAYOUT({ 0, 1, "r--p", "ac", 'A', 0 }, { 1, 2, "r--p", "", '-', 0 });
		else
			LAYOUT({ 0, 1, "r--p", "ac", '-', 0 }, { 1, 2, "r--p", "", '-', 0 });
		teardown();
	}
}

/* The sequences of merge.c's mprotect_{unfaulted,faulted}_* tests (case 52), as 6.1 does them. */
HOST_TEST(vma_merge_case52_faulted_unfaulted)
{
	for (int nr = 0; nr <= 1; nr++) {
		int flags = ANON | (nr ? MAP_NORESERVE : 0);
		const char *f = nr ? "nr" : "ac";

		setup(); /* unfaulted_left: the written right half does not join the left */
		map(0, 10, RW, flags);
		prot(0, 5, PROT_READ);
		touch(5);
		prot(5, 5, PROT_READ);
		LAYOUT({ 0, 5, "r--p", f, '-', 0 }, { 5, 10, "r--p", f, 'A', 0 });
		teardown();

		setup(); /* unfaulted_right */
		map(0, 10, RW, flags);
		prot(5, 5, PROT_READ);
		touch(0);
		prot(0, 5, PROT_READ);
		LAYOUT({ 0, 5, "r--p", f, 'A', 0 }, { 5, 10, "r--p", f, '-', 0 });
		teardown();

		setup(); /* unfaulted_both */
		map(0, 15, RW, flags);
		prot(0, 5, PROT_READ);
		prot(10, 5, PROT_READ);
		touch(5);
		prot(5, 5, PROT_READ);
		LAYOUT({ 0, 5, "r--p", f, '-', 0 }, { 5, 10, "r--p", f, 'A', 0 },
		       { 10, 15, "r--p", f, '-', 0 });
		teardown();

		setup(); /* faulted_left_unfaulted_right: the split halves share the anon_vma */
		map(0, 10, RW, flags);
		touch(0);
		prot(0, 5, PROT_READ);
		prot(5, 5, PROT_READ);
		LAYOUT({ 0, 10, "r--p", f, 'A', 0 });
		teardown();

		setup(); /* an unwritten range joins a written neighbour, taking its anon_vma */
		map(0, 10, RW, flags);
		prot(0, 5, PROT_READ);
		touch(6);
		prot(0, 5, RW);
		LAYOUT({ 0, 10, "rw-p", f, 'A', 0 });
		teardown();
	}
}

/* A write fault next to a compatible VMA reuses its anon_vma (Linux's find_mergeable_anon_vma). */
HOST_TEST(vma_merge_anon_vma_reuse)
{
	setup();
	map(0, 2, RW, ANON);
	prot(1, 1, PROT_READ);
	touch(0);
	prot(1, 1, RW);
	LAYOUT({ 0, 2, "rw-p", "ac", 'A', 0 });
	map(4, 2, RW, ANON);
	prot(5, 1, PROT_READ);
	touch(4);
	touch(5); /* reads would not; a write to the RO page is refused, but model it anyway */
	LAYOUT({ 0, 2, "rw-p", "ac", 'A', 0 }, { 4, 5, "rw-p", "ac", 'B', 0 },
	       { 5, 6, "r--p", "ac", 'B', 0 });
	prot(5, 1, RW);
	LAYOUT({ 0, 2, "rw-p", "ac", 'A', 0 }, { 4, 6, "rw-p", "ac", 'B', 0 });
	teardown();
}

/* Case 53: after fork, a written inherited VMA merges with nothing new in the child. */
HOST_TEST(vma_merge_case53_forked)
{
	for (int written = 0; written <= 1; written++) {
		setup();
		map(0, 5, RW, ANON);
		if (written)
			touch(0);
		struct mm_struct *parent = mm, *child = dup_mm(parent);
		CHECK(child);
		other = parent;
		mm = child;
		current->mm = child;
		map(5, 5, RW, ANON);
		map(10, 5, PROT_NONE, ANON);
		prot(10, 5, RW);
		if (written)
			LAYOUT({ 0, 5, "rw-p", "ac", 'A', 0 }, { 5, 15, "rw-p", "ac", '-', 0 });
		else
			LAYOUT({ 0, 15, "rw-p", "ac", '-', 0 });
		if (written) {
			/* the child's own anon_vma is new and counts as inherited (chain of 2) */
			CHECK(child->mm_rb.first->anon_vma != parent->mm_rb.first->anon_vma);
			CHECK_EQ(child->mm_rb.first->anon_vma_chain, 2);
			touch(5); /* a new anon_vma: the forked one is not reusable */
			LAYOUT({ 0, 5, "rw-p", "ac", 'A', 0 }, { 5, 15, "rw-p", "ac", 'B', 0 });
		}
		mmput(child);
		mm = parent;
		other = NULL;
		current->mm = parent;
		map(5, 5, RW, ANON); /* the parent's own anon_vma is unforked: it merges */
		LAYOUT({ 0, 10, "rw-p", "ac", written ? 'A' : '-', 0 });
		teardown();
	}
}

/* A file of pages pages on the host's ramfs, opened read-write. */
static struct file *new_file(u64 pages)
{
	struct inode *inode = ramfs_new_inode(NULL, S_IFREG | 0600, 0);

	inode->i_size = (s64)(pages * P);
	struct file *f = alloc_file(inode, O_RDWR, &ramfs_file_operations);
	iput(inode);
	return f;
}

/* Cases 54 and 55: shared anonymous memory never merges; files merge by struct file and offset. */
HOST_TEST(vma_merge_case54_55_files)
{
	setup();
	map(0, 1, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
	map(1, 1, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
	LAYOUT({ 0, 1, "rw-s", "", '-', 0 }, { 1, 2, "rw-s", "", '-', 0 });
	CHECK(mm->mm_rb.first->vm_file != mm->mm_rb.first->vm_next->vm_file);
	teardown();

	setup();
	struct file *f = new_file(8), *f2 = alloc_file(file_inode(f), O_RDWR, f->f_op);
	map_file(f, 0, 1, RW, MAP_SHARED | MAP_FIXED, 0);
	map_file(f, 1, 1, RW, MAP_SHARED | MAP_FIXED, 1);
	map_file(f, 3, 1, RW, MAP_SHARED | MAP_FIXED, 0);
	map_file(f, 4, 1, RW, MAP_SHARED | MAP_FIXED, 2);
	map_file(f2, 5, 1, RW, MAP_SHARED | MAP_FIXED, 3); /* another open(): no merge */
	map_file(f, 6, 1, RW, MAP_SHARED | MAP_FIXED, 4);
	map_file(get_file(f), 7, 1, RW, MAP_SHARED | MAP_FIXED, 5); /* a dup(): the same file */
	fput(f);
	LAYOUT({ 0, 2, "rw-s", "", '-', 0 }, { 3, 4, "rw-s", "", '-', 0 },
	       { 4, 5, "rw-s", "", '-', 2 }, { 5, 6, "rw-s", "", '-', 3 },
	       { 6, 8, "rw-s", "", '-', 4 });
	/* spec 2.3: a shared file mapping's middle made RO and back; munmap keeps offsets */
	unmap(0, 16);
	map_file(f, 0, 4, RW, MAP_SHARED | MAP_FIXED, 0);
	prot(1, 2, PROT_READ);
	LAYOUT({ 0, 1, "rw-s", "", '-', 0 }, { 1, 3, "r--s", "", '-', 1 },
	       { 3, 4, "rw-s", "", '-', 3 });
	prot(1, 2, RW);
	LAYOUT({ 0, 4, "rw-s", "", '-', 0 });
	unmap(2, 1);
	LAYOUT({ 0, 2, "rw-s", "", '-', 0 }, { 3, 4, "rw-s", "", '-', 3 });
	/* a private RO file page made RW gains VM_ACCOUNT and keeps it when RO again */
	unmap(0, 16);
	map_file(f, 0, 1, PROT_READ, MAP_PRIVATE | MAP_FIXED, 0);
	map_file(f, 1, 1, PROT_READ, MAP_PRIVATE | MAP_FIXED, 1);
	LAYOUT({ 0, 2, "r--p", "", '-', 0 });
	prot(0, 1, RW);
	prot(0, 1, PROT_READ);
	LAYOUT({ 0, 1, "r--p", "ac", '-', 0 }, { 1, 2, "r--p", "", '-', 1 });
	fput(f);
	fput(f2);
	teardown();
}

/* MAP_FIXED over the middle of a written VMA: unmapped, then the new range joins both halves. */
HOST_TEST(vma_merge_map_fixed_over_middle)
{
	setup();
	map(0, 4, RW, ANON);
	touch(0);
	CHECK_EQ(map(1, 2, RW, ANON), (long)(ARENA + P));
	LAYOUT({ 0, 4, "rw-p", "ac", 'A', 0 });
	CHECK_EQ(map(1, 2, PROT_READ, ANON), (long)(ARENA + P));
	LAYOUT({ 0, 1, "rw-p", "ac", 'A', 0 }, { 1, 3, "r--p", "", '-', 0 },
	       { 3, 4, "rw-p", "ac", 'A', 0 });
	map(4, 2, RW, ANON | MAP_GROWSDOWN);
	LAYOUT({ 0, 1, "rw-p", "ac", 'A', 0 }, { 1, 3, "r--p", "", '-', 0 },
	       { 3, 4, "rw-p", "ac", 'A', 0 }, { 4, 6, "rw-p", "ac gd", '-', 0 });
	teardown();
}

/* Cases 58 and 59: at max_map_count, merging still works and splitting does not. */
HOST_TEST(vma_merge_case58_59_map_count)
{
	int saved = sysctl_max_map_count;

	setup();
	for (u64 i = 0; i < 4; i++)
		map(i * 4, 3, RW, ANON); /* 4 VMAs */
	sysctl_max_map_count = 4;
	CHECK_EQ(prot(1, 1, PROT_READ), -ENOMEM); /* middle: needs two more */
	CHECK_EQ(mm->mm_rb.count, 4);
	CHECK_EQ(prot(4, 3, PROT_READ), 0); /* a whole VMA: no split */
	CHECK_EQ(prot(4, 3, RW), 0);
	CHECK_EQ(unmap(9, 1), -ENOMEM); /* strictly inside */
	CHECK_EQ(unmap(8, 1), 0); /* at an edge */
	CHECK_EQ(map(3, 1, RW, ANON), (long)(ARENA + 3 * P)); /* joins 0-3 and 4-7: count 3 */
	CHECK_EQ(mm->mm_rb.count, 3);
	CHECK_EQ(map(20, 1, PROT_READ, ANON), (long)(ARENA + 20 * P)); /* 4 */
	CHECK_EQ(map(22, 1, PROT_READ, ANON), (long)(ARENA + 22 * P)); /* at the limit: allowed */
	CHECK_EQ(map(24, 1, PROT_READ, ANON), -ENOMEM); /* above it: not */
	CHECK_EQ(prot(22, 1, RW), 0);
	sysctl_max_map_count = 6; /* case 59: one split allowed, the second refused */
	CHECK_EQ(prot(1, 1, PROT_READ), -ENOMEM);
	LAYOUT({ 0, 1, "rw-p", "ac", '-', 0 }, { 1, 7, "rw-p", "ac", '-', 0 },
	       { 9, 11, "rw-p", "ac", '-', 0 }, { 12, 15, "rw-p", "ac", '-', 0 },
	       { 20, 21, "r--p", "", '-', 0 }, { 22, 23, "rw-p", "ac", '-', 0 });
	sysctl_max_map_count = saved;
	teardown();
}

/* Case 60: munmap of nothing is fine; len 0 and misaligned starts are EINVAL. */
HOST_TEST(vma_merge_case60_munmap_args)
{
	setup();
	map(0, 4, RW, ANON);
	CHECK_EQ(unmap(0, 0), -EINVAL);
	CHECK_EQ(do_munmap(mm, ARENA + 1, P), -EINVAL);
	CHECK_EQ(unmap(8, 1), 0);
	CHECK_EQ(unmap(1, 2), 0);
	LAYOUT({ 0, 1, "rw-p", "ac", '-', 0 }, { 3, 4, "rw-p", "ac", '-', 0 });
	CHECK_EQ(map(1, 2, RW, ANON), (long)(ARENA + P));
	LAYOUT({ 0, 4, "rw-p", "ac", '-', 0 });
	teardown();
}

static long remap(u64 page, u64 old_pages, u64 new_pages, u64 flags, u64 new_page)
{
	return do_mremap(mm, ARENA + page * P, old_pages * P, new_pages * P, flags,
			 ARENA + new_page * P);
}

/* Case 56 and mremap's merges: growing in place joins the next VMA; a move joins where it lands
 * only if the VMA was never written (its pgoff then follows the new address). */
HOST_TEST(vma_merge_case56_mremap)
{
	setup();
	map(0, 3, RW, ANON);
	unmap(1, 1);
	CHECK_EQ(remap(0, 1, 2, 0, 0), (long)ARENA);
	LAYOUT({ 0, 3, "rw-p", "ac", '-', 0 });
	teardown();

	setup();
	map(0, 2, RW, ANON);
	map(10, 2, RW, ANON);
	CHECK_EQ(remap(10, 2, 2, 3, 2), (long)(ARENA + 2 * P)); /* MAYMOVE|FIXED */
	LAYOUT({ 0, 4, "rw-p", "ac", '-', 0 });
	map(10, 2, RW, ANON);
	touch(10);
	CHECK_EQ(remap(10, 2, 2, 3, 4), (long)(ARENA + 4 * P));
	LAYOUT({ 0, 4, "rw-p", "ac", '-', 0 }, { 4, 6, "rw-p", "ac", 'A', 0 });
	CHECK_EQ(remap(4, 2, 1, 0, 0), (long)(ARENA + 4 * P)); /* shrink */
	CHECK_EQ(remap(4, 1, 2, 0, 0), (long)(ARENA + 4 * P)); /* grow back in place */
	LAYOUT({ 0, 4, "rw-p", "ac", '-', 0 }, { 4, 6, "rw-p", "ac", 'A', 0 });
	map(6, 1, PROT_READ, ANON);
	CHECK_EQ(remap(4, 2, 3, 0, 0), -ENOMEM); /* blocked, may not move */
	CHECK_EQ(remap(0, 5, 6, 1, 0), -EFAULT); /* across two VMAs */
	CHECK_EQ(remap(8, 1, 1, 0, 0), -EFAULT);
	CHECK_EQ(remap(0, 1, 1, 8, 0), -EINVAL);
	CHECK_EQ(remap(0, 1, 1, 2, 20), -EINVAL); /* FIXED without MAYMOVE */
	CHECK_EQ(remap(0, 1, 2, 5, 20), -EINVAL); /* DONTUNMAP resizing */
	CHECK_EQ(remap(0, 0, 1, 1, 0), -EINVAL); /* duplicating a private mapping */
	CHECK_EQ(remap(0, 2, 2, 3, 1), -EINVAL); /* overlapping */
	/* a written VMA grown by a move: it keeps its anon_vma, and the charge stays behind */
	CHECK_EQ(remap(4, 2, 3, 3, 30), (long)(ARENA + 30 * P));
	LAYOUT({ 0, 4, "rw-p", "ac", '-', 0 }, { 6, 7, "r--p", "", '-', 0 },
	       { 30, 33, "rw-p", "ac", 'A', 0 });
	/* MREMAP_DONTUNMAP: the old VMA stays, empty */
	CHECK_EQ(remap(30, 3, 3, 7, 40), (long)(ARENA + 40 * P));
	LAYOUT({ 0, 4, "rw-p", "ac", '-', 0 }, { 6, 7, "r--p", "", '-', 0 },
	       { 30, 33, "rw-p", "ac", 'A', 0 }, { 40, 43, "rw-p", "ac", 'A', 0 });
	/* moving the middle of a VMA out leaves both ends charged */
	CHECK_EQ(remap(1, 1, 1, 3, 50), (long)(ARENA + 50 * P));
	LAYOUT({ 0, 1, "rw-p", "ac", '-', 0 }, { 2, 4, "rw-p", "ac", '-', 0 },
	       { 6, 7, "r--p", "", '-', 0 }, { 30, 33, "rw-p", "ac", 'A', 0 },
	       { 40, 43, "rw-p", "ac", 'A', 0 }, { 50, 51, "rw-p", "ac", '-', 0 });
	teardown();
}

/* A small deterministic generator, so a failure can be replayed. */
static u64 rng_state;
static u64 rnd(u64 n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (rng_state >> 33) % n;
}

#define MODEL_PAGES 64

/*
 * Random mmap/mprotect/munmap/write/fork on a 64-page arena: after every operation mm_check()
 * passes (tree, anon_vma counts, nothing left unmerged) and every page's protection is the model's.
 */
HOST_TEST(vma_merge_random_ops_keep_invariants)
{
	static const int prots[] = { PROT_NONE,
				     PROT_READ,
				     PROT_WRITE,
				     RW,
				     PROT_EXEC,
				     PROT_READ | PROT_EXEC,
				     PROT_WRITE | PROT_EXEC,
				     RW | PROT_EXEC };
	int model[MODEL_PAGES]; /* -1 unmapped, else the prot */
	char why[200];

	rng_state = 12345;
	setup();
	for (int i = 0; i < MODEL_PAGES; i++)
		model[i] = -1;
	for (int step = 0; step < 6000; step++) {
		u64 a = rnd(MODEL_PAGES), n = 1 + rnd(MODEL_PAGES - a < 8 ? MODEL_PAGES - a : 8);
		int pr = prots[rnd(8)], op = (int)rnd(10);
		long r;
		if (op < 3) {
			r = map(a, n, pr, ANON | (rnd(8) ? 0 : MAP_NORESERVE));
			CHECK_EQ(r, (long)(ARENA + a * P));
			for (u64 i = a; i < a + n; i++)
				model[i] = pr;
		} else if (op < 7) {
			bool all = true;
			for (u64 i = a; i < a + n; i++)
				all &= model[i] >= 0;
			r = prot(a, n, pr);
			if (all)
				CHECK_EQ(r, 0);
			else
				CHECK_EQ(r, -ENOMEM);
			for (u64 i = a; i < a + n && model[i] >= 0; i++)
				model[i] = pr;
		} else if (op < 8 && rnd(2)) {
			CHECK_EQ(unmap(a, n), 0);
			for (u64 i = a; i < a + n; i++)
				model[i] = -1;
		} else if (op < 8) {
			/*
			 * mremap(MAYMOVE|FIXED) of [a, a+n) to b, m pages long. Linux unmaps the
			 * destination (and a shrinking source's tail) before it checks that the
			 * source lies in one VMA: an EFAULT then still leaves those unmapped.
			 */
			u64 b = rnd(MODEL_PAGES),
			    m = 1 + rnd(MODEL_PAGES - b < 8 ? MODEL_PAGES - b : 8);
			u64 keep = n < m ? n : m;
			struct vm_area_struct *v = find_vma(mm, ARENA + a * P);
			bool mapped = v && v->vm_start <= ARENA + a * P;
			bool inside = mapped && v->vm_end >= ARENA + (a + keep) * P;
			bool overlap = a + n > b && b + m > a;
			int src = model[a];
			r = remap(a, n, m, 3, b);
			if (!mapped || overlap) {
				CHECK_EQ(r, !mapped ? -EFAULT : -EINVAL);
			} else {
				CHECK_EQ(r, inside ? (long)(ARENA + b * P) : -EFAULT);
				for (u64 i = b; i < b + m; i++)
					model[i] = -1;
				for (u64 i = a + keep; i < a + n; i++)
					model[i] = -1;
				for (u64 i = a; inside && i < a + keep; i++)
					model[i] = -1;
				for (u64 i = b; inside && i < b + m; i++)
					model[i] = src;
			}
		} else if (op < 9) {
			if (model[a] == RW)
				touch(a);
		} else if (rnd(4) == 0) {
			struct mm_struct *child = dup_mm(mm);
			CHECK(child);
			if (rnd(2)) { /* continue in the child: its VMAs are now forked ones */
				mmput(mm);
				mm = child;
				current->mm = child;
			} else {
				mmput(child);
			}
		}
		if (mm_check(mm, why, sizeof(why))) {
			host_fail(__FILE__, __LINE__, "step %d (op %d at %llu+%llu): %s", step, op,
				  (unsigned long long)a, (unsigned long long)n, why);
			dump_layout();
			return;
		}
		for (int i = 0; i < MODEL_PAGES; i++) {
			struct vm_area_struct *v = find_vma(mm, ARENA + (u64)i * P);
			bool mapped = v && v->vm_start <= ARENA + (u64)i * P;
			int got =
				!mapped ? -1 : (int)(v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
			if (got != model[i]) {
				host_fail(__FILE__, __LINE__, "step %d: page %d has %d, want %d",
					  step, i, got, model[i]);
				dump_layout();
				return;
			}
		}
	}
	teardown();
}

/*
 * mlock and munlock split and merge as mprotect does (Linux's mlock_fixup, recorded by
 * user/mlock.c on Linux); a hole stops them with ENOMEM after the VMAs before it changed.
 */
HOST_TEST(mlock_split_merge)
{
	setup();
	map(0, 6, RW, ANON);
	CHECK_EQ(sys_mlock(ARENA + 2 * P, P), 0);
	LAYOUT({ 0, 2, "rw-p", "ac", '-', 0 }, { 2, 3, "rw-p", "ac lo", '-', 0 },
	       { 3, 6, "rw-p", "ac", '-', 0 });
	CHECK_EQ(sys_mlock(ARENA + 3 * P + 100, 1), 0); /* rounded to the page: joins it */
	LAYOUT({ 0, 2, "rw-p", "ac", '-', 0 }, { 2, 4, "rw-p", "ac lo", '-', 0 },
	       { 4, 6, "rw-p", "ac", '-', 0 });
	CHECK_EQ(mm_locked_vm(mm), 2);
	CHECK_EQ(sys_mlock2(ARENA + P, P, MLOCK_ONFAULT), 0);
	LAYOUT({ 0, 1, "rw-p", "ac", '-', 0 }, { 1, 2, "rw-p", "ac lo lf", '-', 0 },
	       { 2, 4, "rw-p", "ac lo", '-', 0 }, { 4, 6, "rw-p", "ac", '-', 0 });
	CHECK_EQ(sys_mlock2(ARENA, P, 2), -EINVAL);
	CHECK_EQ(sys_munlock(ARENA, 6 * P), 0);
	LAYOUT({ 0, 6, "rw-p", "ac", '-', 0 });
	CHECK_EQ(mm_locked_vm(mm), 0);
	unmap(3, 1);
	CHECK_EQ(sys_mlock(ARENA, 6 * P), -ENOMEM);
	LAYOUT({ 0, 3, "rw-p", "ac lo", '-', 0 }, { 4, 6, "rw-p", "ac", '-', 0 });
	CHECK_EQ(sys_mlock(ARENA + 3 * P, P), -ENOMEM);
	CHECK_EQ(sys_mlock(ARENA, -2 * P), -EINVAL);
	CHECK_EQ(sys_mlock(ARENA, 0), 0);
	teardown();
}

/* mlockall: MCL_CURRENT locks every VMA, MCL_FUTURE every later mmap; fork drops both. */
HOST_TEST(mlock_mlockall_fork)
{
	setup();
	map(0, 2, RW, ANON);
	map(3, 2, PROT_READ, ANON);
	CHECK_EQ(sys_mlockall(MCL_ONFAULT), -EINVAL);
	CHECK_EQ(sys_mlockall(0), -EINVAL);
	CHECK_EQ(sys_mlockall(MCL_CURRENT | MCL_FUTURE), 0);
	LAYOUT({ 0, 2, "rw-p", "ac lo", '-', 0 }, { 3, 5, "r--p", "lo", '-', 0 });
	map(2, 1, RW, ANON); /* locked too: joins the VMA below it */
	LAYOUT({ 0, 3, "rw-p", "ac lo", '-', 0 }, { 3, 5, "r--p", "lo", '-', 0 });
	struct mm_struct *parent = mm, *child = dup_mm(parent);
	CHECK(child);
	other = parent;
	mm = child;
	current->mm = child;
	LAYOUT({ 0, 3, "rw-p", "ac", '-', 0 }, { 3, 5, "r--p", "", '-', 0 });
	map(5, 1, PROT_READ, ANON); /* MCL_FUTURE is not inherited */
	LAYOUT({ 0, 3, "rw-p", "ac", '-', 0 }, { 3, 6, "r--p", "", '-', 0 });
	mmput(child);
	mm = parent;
	other = NULL;
	current->mm = parent;
	CHECK_EQ(sys_munlockall(), 0);
	map(5, 1, PROT_READ, ANON);
	LAYOUT({ 0, 3, "rw-p", "ac", '-', 0 }, { 3, 6, "r--p", "", '-', 0 });
	teardown();
}
