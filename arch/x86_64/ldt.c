// SPDX-License-Identifier: MIT
/*
 * modify_ldt(2) and the per-mm LDT (see ldt.h): Linux 6.1's arch/x86/kernel/ldt.c rules, order of
 * checks and return values.
 */
#include "arch/x86_64/ldt.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/smp.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

/* Linux's struct user_desc (asm/ldt.h), 16 bytes. */
struct user_desc {
	u32 entry_number;
	u32 base_addr;
	u32 limit;
	u32 seg_32bit : 1;
	u32 contents : 2;
	u32 read_exec_only : 1;
	u32 limit_in_pages : 1;
	u32 seg_not_present : 1;
	u32 useable : 1;
	u32 lm : 1;
};

_Static_assert(sizeof(struct user_desc) == 16, "struct user_desc is 16 bytes");

/* What read_default_ldt() reports on x86-64: 128 zero bytes. */
#define DEFAULT_LDT_SIZE 128

/* Descriptor bits fill_ldt sets (the access byte is bits 40-47, the flags nibble 52-55). */
#define DESC_ACCESSED (1ULL << 40)
#define DESC_S (1ULL << 44) /* code or data, never a system descriptor or gate */
#define DESC_DPL3 (3ULL << 45)
#define DESC_P (1ULL << 47)
#define DESC_AVL (1ULL << 52)
#define DESC_DB (1ULL << 54)
#define DESC_G (1ULL << 55)

/*
 * The descriptor Linux's fill_ldt builds: type from contents and read_exec_only with the accessed
 * bit set, S = 1, DPL 3, L = 0 (the lm field is ignored). Nothing else can reach a table.
 */
static u64 fill_ldt(const struct user_desc *info)
{
	u64 base = info->base_addr, limit = info->limit;
	u64 type = ((u64)(info->read_exec_only ^ 1) << 1) | ((u64)info->contents << 2);
	u64 d = (limit & 0xffff) | ((base & 0xffffff) << 16) | (type << 40) | DESC_ACCESSED |
		DESC_S | DESC_DPL3 | (((limit >> 16) & 0xf) << 48) | ((base >> 24) << 56);

	if (!info->seg_not_present)
		d |= DESC_P;
	if (info->useable)
		d |= DESC_AVL;
	if (info->seg_32bit)
		d |= DESC_DB;
	if (info->limit_in_pages)
		d |= DESC_G;
	return d;
}

/* Linux's LDT_empty: the user_desc that means "clear this entry". */
static bool ldt_empty(const struct user_desc *info)
{
	return info->base_addr == 0 && info->limit == 0 && info->contents == 0 &&
	       info->read_exec_only == 1 && info->seg_32bit == 0 && info->limit_in_pages == 0 &&
	       info->seg_not_present == 1 && info->useable == 0;
}

/*
 * The last generation given to a table. A CPU remembers the generation of the table it loaded as
 * well as its address, so a new table that kmalloc places where a freed one was (ABA) still
 * differs from what LDTR describes and is loaded. (Defence in depth: flush_ldt_all already
 * makes every CPU drop a table before it is freed.)
 */
static u64 ldt_generation;

/* A zeroed table of n descriptors (n <= LDT_ENTRIES) with a new generation, or NULL. */
static struct ldt_struct *alloc_ldt_struct(unsigned int n)
{
	struct ldt_struct *ldt;

	if (n > LDT_ENTRIES)
		return NULL;
	ldt = kmalloc(sizeof(*ldt), GFP_KERNEL);
	if (!ldt)
		return NULL;
	ldt->entries = kmalloc((size_t)n * LDT_ENTRY_SIZE, GFP_ZERO);
	if (!ldt->entries) {
		kfree(ldt);
		return NULL;
	}
	memset(ldt->entries, 0, (size_t)n * LDT_ENTRY_SIZE);
	ldt->nr_entries = n;
	ldt->gen = __atomic_add_fetch(&ldt_generation, 1, __ATOMIC_RELAXED);
	return ldt;
}

/* Makes this CPU's LDTR null (a no-op when it already is). Interrupts off. */
static void clear_cpu_ldt(struct percpu *cpu)
{
	if (!cpu->ldt)
		return;
	load_ldt(NULL, 0);
	cpu->ldt = NULL;
	cpu->ldt_gen = 0;
}

void load_mm_ldt(struct mm_struct *mm)
{
	struct percpu *cpu = this_cpu();
	struct ldt_struct *ldt = mm ? __atomic_load_n(&mm->ldt, __ATOMIC_ACQUIRE) : NULL;

	if (!ldt) {
		clear_cpu_ldt(cpu);
		return;
	}
	if (cpu->ldt == ldt && cpu->ldt_gen == ldt->gen)
		return;
	load_ldt(ldt->entries, ldt->nr_entries);
	cpu->ldt = ldt;
	cpu->ldt_gen = ldt->gen;
}

/*
 * Reloads DS or ES when it holds an LDT selector, so the cached descriptor matches the new table
 * (Linux's refresh_ldt_segments); a selector the new table no longer allows becomes null.
 */
#define REFRESH_LDT_SEGMENT(seg)                                                 \
	do {                                                                     \
		u16 sel;                                                         \
		__asm__ __volatile__("mov %%" #seg ", %0" : "=r"(sel));          \
		if (sel & 4)                                                     \
			__asm__ __volatile__("1:	mov %w0, %%" #seg "\n"   \
					     "	jmp 3f\n"                         \
					     "2:	mov %w1, %%" #seg "\n"   \
					     "3:\n"                              \
					     "	.pushsection __ex_table, \"a\"\n" \
					     "	.balign 8\n"                      \
					     "	.quad 1b, 2b\n"                   \
					     "	.popsection\n"                    \
					     :                                   \
					     : "r"(sel), "r"(0)                  \
					     : "memory");                        \
	} while (0)

static void refresh_ldt_segments(void)
{
	REFRESH_LDT_SEGMENT(ds);
	REFRESH_LDT_SEGMENT(es);
}

/* What flush_ldt is asked to do on each CPU. */
struct ldt_flush {
	struct mm_struct *mm; /* the mm whose table changed (NULL: it is going away) */
	struct ldt_struct *old; /* the table about to be freed */
};

/*
 * Runs on every CPU (IPI, interrupts off) after mm got a new table, before the old one is freed
 * (Linux's flush_ldt): a CPU whose task runs mm loads the new table and refreshes the segment
 * registers that hold LDT selectors; any other CPU that still has the old table in LDTR (a lazy
 * CPU that ran mm last) loads a null LDT, so no CPU describes a freed table.
 */
static void flush_ldt(void *info)
{
	struct ldt_flush *f = info;
	struct percpu *cpu = this_cpu();
	struct task_struct *t = cpu->current_task;

	if (f->mm && t && t->mm == f->mm) {
		load_mm_ldt(f->mm);
		refresh_ldt_segments();
	} else if (f->old && cpu->ldt == f->old) {
		clear_cpu_ldt(cpu);
	}
}

/*
 * Runs flush_ldt on every online CPU, this one first, and returns when all have: afterwards no
 * CPU describes f->old and every CPU running f->mm has its current table.
 */
static void flush_ldt_all(struct ldt_flush *f)
{
	u64 flags = read_rflags();

	local_irq_disable();
	flush_ldt(f);
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
	smp_call_function_many(&cpu_online_mask, flush_ldt, f, true);
}

/* Frees a table no mm points at any more and no CPU describes (after flush_ldt_all). */
static void free_ldt_struct(struct ldt_struct *ldt)
{
	if (!ldt)
		return;
	kfree(ldt->entries);
	kfree(ldt);
}

/*
 * After mm's new table was published (replacing old): every CPU running mm (this one included)
 * loads it and every other CPU drops old (flush_ldt on all online CPUs, waited for), and only
 * then is old freed.
 */
static void finish_ldt_switch(struct mm_struct *mm, struct ldt_struct *old)
{
	struct ldt_flush f = { mm, old };

	flush_ldt_all(&f);
	free_ldt_struct(old);
}

int ldt_dup_context(struct mm_struct *old, struct mm_struct *mm)
{
	struct ldt_struct *ldt;

	mm->ldt = NULL;
	if (!old || !old->ldt)
		return 0;
	ldt = alloc_ldt_struct(old->ldt->nr_entries);
	if (!ldt)
		return -ENOMEM;
	memcpy(ldt->entries, old->ldt->entries, (size_t)ldt->nr_entries * LDT_ENTRY_SIZE);
	mm->ldt = ldt;
	return 0;
}

void destroy_context_ldt(struct mm_struct *mm)
{
	struct ldt_struct *ldt = mm->ldt;
	struct ldt_flush f = { NULL, ldt };

	if (!ldt)
		return;
	mm->ldt = NULL;
	flush_ldt_all(&f);
	free_ldt_struct(ldt);
}

/*
 * func 0: copies min(bytecount, 64 KiB) bytes of the table, zero-filled past its end; 0 for an
 * mm without one. The table is copied under the lock into a kernel buffer first, so no user
 * access (which may fault) happens while the table could be replaced.
 */
static long read_ldt(void *ptr, u64 bytecount)
{
	struct mm_struct *mm = current->mm;
	size_t size, want;
	void *copy;
	u64 flags;

	if (!mm->ldt)
		return 0;
	if (bytecount > LDT_ENTRY_SIZE * LDT_ENTRIES)
		bytecount = LDT_ENTRY_SIZE * LDT_ENTRIES;
	want = (size_t)mm->ldt->nr_entries * LDT_ENTRY_SIZE;
	if (want > bytecount)
		want = bytecount;
	copy = want ? kmalloc(want, GFP_KERNEL) : NULL;
	if (want && !copy)
		return -ENOMEM;
	flags = spin_lock_irqsave(&mm->lock);
	size = mm->ldt ? (size_t)mm->ldt->nr_entries * LDT_ENTRY_SIZE : 0;
	if (size > want)
		size = want; /* a table that grew meanwhile (SMP): the rest reads as zeros */
	if (size)
		memcpy(copy, mm->ldt->entries, size);
	spin_unlock_irqrestore(&mm->lock, flags);

	long ret = (long)bytecount;
	if (copy_to_user(ptr, copy, size))
		ret = -EFAULT;
	else if (size != bytecount && clear_user((u8 *)ptr + size, bytecount - size))
		ret = -EFAULT;
	kfree(copy);
	return ret;
}

/* func 2: zeros, at most 128 bytes on x86-64. */
static long read_default_ldt(void *ptr, u64 bytecount)
{
	if (bytecount > DEFAULT_LDT_SIZE)
		bytecount = DEFAULT_LDT_SIZE;
	if (clear_user(ptr, bytecount))
		return -EFAULT;
	return (long)bytecount;
}

/*
 * func 1 (oldmode) and 0x11: sets one descriptor, growing the table to entry_number + 1. Linux's
 * order: EINVAL for a bytecount other than 16, EFAULT, EINVAL for entry_number >= 8192 and for
 * contents 3 (conforming code) unless new mode and not present; an empty user_desc (or, in
 * oldmode, base and limit 0) clears the entry. A 16-bit segment is EINVAL, as on a Linux built
 * without CONFIG_X86_16BIT: IRET to a 16-bit stack segment would keep bits 16-31 of the kernel's
 * RSP in the user's (Linux hides them with ESPFIX64, which Warden does not have).
 */
static long write_ldt(void *ptr, u64 bytecount, bool oldmode)
{
	struct mm_struct *mm = current->mm;
	struct ldt_struct *ldt, *old;
	struct user_desc info;
	unsigned int n;
	u64 desc = 0, flags;

	if (bytecount != sizeof(info))
		return -EINVAL;
	if (copy_from_user(&info, ptr, sizeof(info)))
		return -EFAULT;
	if (info.entry_number >= LDT_ENTRIES)
		return -EINVAL;
	if (info.contents == 3 && (oldmode || info.seg_not_present == 0))
		return -EINVAL;
	if (!((oldmode && !info.base_addr && !info.limit) || ldt_empty(&info))) {
		if (!info.seg_32bit)
			return -EINVAL;
		desc = fill_ldt(&info);
		if (oldmode)
			desc &= ~DESC_AVL;
	}

	for (;;) {
		flags = spin_lock_irqsave(&mm->lock);
		n = mm->ldt ? mm->ldt->nr_entries : 0;
		spin_unlock_irqrestore(&mm->lock, flags);
		if (n < info.entry_number + 1)
			n = info.entry_number + 1;
		ldt = alloc_ldt_struct(n);
		if (!ldt)
			return -ENOMEM;
		/*
		 * The allocation may have slept and another thread grown the table meanwhile: then
		 * again with its size. Otherwise copy, change and publish in one hold of the lock,
		 * so no other write can come between the copy and the new table.
		 */
		flags = spin_lock_irqsave(&mm->lock);
		old = mm->ldt;
		if (!old || old->nr_entries <= n)
			break;
		spin_unlock_irqrestore(&mm->lock, flags);
		free_ldt_struct(ldt);
	}
	if (old)
		memcpy(ldt->entries, old->entries, (size_t)old->nr_entries * LDT_ENTRY_SIZE);
	ldt->entries[info.entry_number] = desc;
	__atomic_store_n(&mm->ldt, ldt, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&mm->lock, flags);
	finish_ldt_switch(mm, old);
	return 0;
}

long sys_modify_ldt(int func, void *ptr, u64 bytecount)
{
	long ret = -ENOSYS;

	switch (func) {
	case 0:
		ret = read_ldt(ptr, bytecount);
		break;
	case 1:
		ret = write_ldt(ptr, bytecount, true);
		break;
	case 2:
		ret = read_default_ldt(ptr, bytecount);
		break;
	case 0x11:
		ret = write_ldt(ptr, bytecount, false);
		break;
	}
	/* Linux returns an int in the low half of RAX: -EINVAL reads as 0xffffffea. */
	return (long)(u32)ret;
}
