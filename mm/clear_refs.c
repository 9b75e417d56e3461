// SPDX-License-Identifier: MIT
/*
 * /proc/PID/clear_refs, as Linux 6.1's clear_refs_write (fs/proc/task_mmu.c): writing 4 resets
 * soft-dirty tracking (docs/meminfo.md). Every VMA loses VM_SOFTDIRTY and every page its
 * _PAGE_SOFT_DIRTY bit and write permission, so pagemap's bit 55 reads 0 until the page is
 * written again (the write faults, and the fault marks it: mm/fault.c). 1, 2 and 3 clear the
 * referenced bits, which Warden does not keep (smaps counts every mapped page referenced), and 5
 * resets the peak RSS, which it does not keep either: they are accepted and do nothing.
 */
#include "mm/mm.h"
#include "mm/mmap_lock.h"
#include "mm/proc_maps.h"
#include "mm/internal.h"
#include "fs/proc.h"
#include "fs/uio.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlb.h"
#include "kernel/errno.h"

enum clear_refs_types {
	CLEAR_REFS_ALL = 1,
	CLEAR_REFS_ANON,
	CLEAR_REFS_MAPPED,
	CLEAR_REFS_SOFT_DIRTY,
	CLEAR_REFS_MM_HIWATER_RSS,
	CLEAR_REFS_LAST,
};

#define PROC_NUMBUF 13

/* Clears the soft-dirty bit and write permission of every page vma holds (clear_soft_dirty). */
static void clear_soft_dirty_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	for (u64 va = vma->vm_start, run_end; va < vma->vm_end; va = run_end) {
		pte_t *e = pgtable_pte_run(mm->pgd, va, vma->vm_end, &run_end);
		for (; e && va < run_end; va += PAGE_SIZE, e++)
			if (pte_has_frame(*e))
				pte_clear_bits(e, _PAGE_SOFT_DIRTY | _PAGE_RW);
			else if (pte_is_hwpoison(*e)) /* a swap entry's own soft-dirty bit */
				pte_clear_bits(e, _PAGE_SOFT_DIRTY);
	}
	flush_tlb_mm_range(mm, vma->vm_start, vma->vm_end);
}

static bool clear_refs_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/*
 * kstrtoint(strstrip(s), 10) of a NUL-terminated buffer: an optional sign, decimal digits, one
 * newline at most after them (strstrip took the rest). 0, -EINVAL, or -ERANGE past an int.
 */
static int parse_clear_refs(char *s, int *out)
{
	size_t len = 0;
	long long v = 0;
	bool neg = false;

	while (clear_refs_space(*s))
		s++;
	while (s[len])
		len++;
	while (len && clear_refs_space(s[len - 1]))
		s[--len] = '\0';
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > 0x80000000LL)
			return -ERANGE;
	}
	if (neg)
		v = -v;
	if (v > 0x7fffffffLL || v < -0x80000000LL)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

/* Writing a number 1-5 (only the first 12 bytes are read: the count returned). */
static ssize_t clear_refs_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	struct mm_struct *mm = file->private_data;
	char buffer[PROC_NUMBUF] = { 0 };
	size_t count = iov_iter_count(from);
	int type, err;

	(void)ppos;
	if (count > sizeof(buffer) - 1)
		count = sizeof(buffer) - 1;
	if (copy_from_iter(buffer, count, from) != count)
		return -EFAULT;
	err = parse_clear_refs(buffer, &type);
	if (err)
		return err;
	if (type < CLEAR_REFS_ALL || type >= CLEAR_REFS_LAST)
		return -EINVAL;
	if (type != CLEAR_REFS_SOFT_DIRTY || !mm || !mmget_not_zero(mm))
		return (ssize_t)count;
	mmap_write_lock(mm);
	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next) {
		v->vm_flags &= ~VM_SOFTDIRTY;
		clear_soft_dirty_vma(mm, v);
	}
	mmap_write_unlock(mm);
	mmput(mm);
	return (ssize_t)count;
}

static const struct file_operations clear_refs_fops = {
	.open = proc_mem_open,
	.release = proc_mem_release,
	.write = clear_refs_write,
};

/* Creates /proc/self/clear_refs (0200, as Linux). 0 or -errno. */
int proc_clear_refs_init(void)
{
	return proc_create_fops(PROC_SELF, "clear_refs", 0200, &clear_refs_fops);
}
