// SPDX-License-Identifier: MIT
/*
 * Access to an address space from outside its page faults: access_remote_vm (what ptrace's
 * PEEK/POKE and /proc/self/mem use with FOLL_FORCE, environ and cmdline without: Linux's
 * get_user_pages_remote) and /proc/self/mem
 * itself, as Linux 6.1's fs/proc/base.c: the file position is the address; read and write go
 * through the page tables a page at a time; lseek takes any offset (mem_lseek).
 *
 * The file keeps the mm it was opened on (mmgrab), not the task: a forked child that inherits
 * the descriptor reads its parent's memory, and once that address space is gone (the opener
 * called execve or exited) reads and writes return 0, as on Linux.
 */
#include "mm/mm.h"
#include "mm/mmap_lock.h"
#include "mm/oom_kill.h" /* fatal_signal_pending */
#include "mm/frame.h"
#include "mm/proc_maps.h"
#include "fs/proc.h"
#include "fs/uio.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/traps.h"
#include "kernel/err.h"
#include "kernel/errno.h"
#include "kernel/ptrace.h"
#include "kernel/sched.h"
#include "kernel/string.h"

/*
 * May an access reach v (Linux's check_vma_flags)? Without FOLL_FORCE the protection decides.
 * With it, the VMA's MAY bits do: PROT_NONE memory is read, read-only private memory written
 * (through a copy of the page); a shared mapping that is not writable refuses a write
 * (is_cow_mapping).
 */
static bool remote_access_ok(struct vm_area_struct *v, bool write, bool force)
{
	if (!force)
		return v->vm_flags & (write ? VM_WRITE : VM_READ);
	if (!write)
		return v->vm_flags & (VM_READ | VM_MAYREAD);
	if (v->vm_flags & VM_WRITE)
		return true;
	return (v->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/*
 * The page of mm at addr, faulted in for the access if need be (a write gets a page of mm's own:
 * writable, or private and unshared), or NULL. Protection keys are not consulted, as for
 * Linux's FOLL_REMOTE accesses.
 */
static struct page *get_remote_page(struct mm_struct *mm, u64 addr, bool write, bool force)
{
	struct vm_area_struct *v = find_vma(mm, addr);

	if (!v || v->vm_start > addr || addr >= TASK_SIZE || !remote_access_ok(v, write, force))
		return NULL;
	for (int tries = 0; tries < 2; tries++) {
		int level, pkey;
		pte_t *e = pgtable_walk(mm->pgd, addr & PAGE_MASK, PG_LEVEL_4K, false, &level);
		if (e && level == PG_LEVEL_4K && pte_has_frame(*e)) {
			struct page *pg = phys_to_page(*e & PTE_ADDR_MASK);
			bool own = (*e & _PAGE_RW) || (!(v->vm_flags & VM_SHARED) &&
						       !is_zero_page(pg) && pg->refcount == 1);
			/* written: MADV_FREE's offer is off, and the page is soft-dirty */
			if (write && own)
				*e = (*e & ~(u64)_PAGE_LAZYFREE) | _PAGE_SOFT_DIRTY;
			if (!write || own)
				return pg;
		}
		/* FAULT_FORCE: the VMA was checked above, the fault does not check it again */
		u64 code = X86_PF_USER | FAULT_FORCE | (write ? X86_PF_WRITE : 0);
		if (handle_mm_fault(mm, addr, code, &pkey))
			return NULL;
	}
	return NULL;
}

size_t access_remote_vm(struct mm_struct *mm, u64 addr, void *buf, size_t len,
			unsigned int gup_flags)
{
	bool write = gup_flags & FOLL_WRITE, force = gup_flags & FOLL_FORCE;
	size_t done = 0;

	mmap_read_lock(mm); /* buf is kernel memory: no fault of ours while we hold it */
	while (done < len) {
		u64 a = addr + done;
		size_t n = min(len - done, (size_t)(PAGE_SIZE - (a & ~PAGE_MASK)));
		struct page *pg = a < addr ? NULL : get_remote_page(mm, a, write, force);
		if (!pg)
			break;
		u8 *p = (u8 *)page_address(pg) + (a & ~PAGE_MASK);
		if (write)
			memcpy(p, (u8 *)buf + done, n);
		else
			memcpy((u8 *)buf + done, p, n);
		done += n;
	}
	mmap_read_unlock(mm);
	return done;
}

int proc_mem_open(struct inode *inode, struct file *file)
{
	struct task_struct *t = inode->i_pid ? proc_pid_task(inode) : current;
	struct mm_struct *mm;

	if (!t)
		return -ESRCH; /* reaped since the lookup */
	/*
	 * The opener must be allowed the file's ptrace access (mem: ATTACH, pagemap: READ, with
	 * its file-system ids): EACCES. A zombie has no mm: its file reads nothing.
	 */
	mm = inode->i_ptrace_mode ? mm_access(t, inode->i_ptrace_mode)
				  : (t->state < EXIT_ZOMBIE ? t->mm : NULL);
	if (IS_ERR(mm))
		return (int)PTR_ERR(mm);
	file->private_data = mm;
	if (mm)
		mmgrab(mm);
	return 0;
}

/* Positions in /proc/self/mem are addresses, so they are unsigned (FMODE_UNSIGNED_OFFSET). */
static int mem_open(struct inode *inode, struct file *file)
{
	int err = proc_mem_open(inode, file);

	file->f_mode |= FMODE_UNSIGNED_OFFSET;
	return err;
}

void proc_mem_release(struct inode *inode, struct file *file)
{
	(void)inode;
	if (file->private_data)
		mmdrop(file->private_data);
}

/*
 * Linux's mem_rw: a page-sized bounce buffer at a time; the bytes done so far, EIO when none
 * could be, EFAULT when the caller's buffer faults. The position follows the bytes done.
 */
static ssize_t mem_rw(struct file *file, struct iov_iter *iter, s64 *ppos, bool write)
{
	struct mm_struct *mm = file->private_data;
	size_t count = iov_iter_count(iter);
	u64 addr = (u64)*ppos;
	ssize_t copied = 0;

	if (!mm)
		return 0;
	void *page = get_free_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	if (!mmget_not_zero(mm))
		goto out;
	while (count) {
		size_t len = min(count, (size_t)PAGE_SIZE);
		/* A page at a time, letting others run; SIGKILL ends it (Linux's GUP checks). */
		cond_resched();
		if (fatal_signal_pending(current)) {
			if (!copied)
				copied = -EIO;
			break;
		}
		if (write && copy_from_iter(page, len, iter) != len) {
			copied = -EFAULT;
			break;
		}
		len = access_remote_vm(mm, addr, page, len, FOLL_FORCE | (write ? FOLL_WRITE : 0));
		if (!len) {
			if (!copied)
				copied = -EIO;
			break;
		}
		if (!write && copy_to_iter(page, len, iter) != len) {
			copied = -EFAULT;
			break;
		}
		addr += len;
		copied += (ssize_t)len;
		count -= len;
	}
	*ppos = (s64)addr;
	mmput(mm);
out:
	free_page_addr(page);
	return copied;
}

static ssize_t mem_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	return mem_rw(file, to, ppos, false);
}

static ssize_t mem_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	return mem_rw(file, from, ppos, true);
}

s64 mem_lseek(struct file *file, s64 offset, int whence)
{
	switch (whence) {
	case SEEK_SET:
		file->f_pos = offset;
		break;
	case SEEK_CUR:
		file->f_pos = (s64)((u64)file->f_pos + (u64)offset);
		break;
	default:
		return -EINVAL;
	}
	return file->f_pos; /* whatever it is: a "negative" one reads as an error, as on Linux */
}

static const struct file_operations mem_fops = {
	.open = mem_open,
	.release = proc_mem_release,
	.read = mem_read,
	.write = mem_write,
	.llseek = mem_lseek,
};

/*
 * Reads /proc/PID/environ (Linux's environ_read): the environment area of the mm the file was
 * opened on, from the position on, a page at a time. Nothing for a task that had none, or once
 * that mm is gone (the task exec'd or exited since the open: never the new program's). A page
 * that cannot be read ends the read with 0, the position kept where it got to, as Linux's.
 */
static ssize_t environ_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct mm_struct *mm = file->private_data;
	size_t count = iov_iter_count(to);
	u64 src = (u64)*ppos, env_start, env_end;
	ssize_t ret = 0;

	if (!mm || !mm->env_end)
		return 0;
	void *page = get_free_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	if (!mmget_not_zero(mm))
		goto out;
	env_start = mm->env_start;
	env_end = mm->env_end;
	while (count && src < env_end - env_start) {
		size_t len =
			min(min(count, (size_t)PAGE_SIZE), (size_t)(env_end - env_start - src));

		/* no FOLL_FORCE: memory the task cannot read reads as nothing (Linux's) */
		len = access_remote_vm(mm, env_start + src, page, len, 0);
		if (!len) {
			ret = 0;
			break;
		}
		if (copy_to_iter(page, len, to) != len) {
			ret = -EFAULT;
			break;
		}
		ret += (ssize_t)len;
		src += len;
		count -= len;
		cond_resched();
	}
	*ppos = (s64)src;
	mmput(mm);
out:
	free_page_addr(page);
	return ret;
}

static const struct file_operations environ_fops = {
	.open = proc_mem_open,
	.release = proc_mem_release,
	.read = environ_read,
	.llseek = generic_file_llseek,
};

/*
 * Creates /proc/self/mem: 0600, opened with PTRACE_MODE_ATTACH_FSCREDS (Linux's mem_open), and
 * environ: 0400, opened with PTRACE_MODE_READ_FSCREDS (Linux's environ_open).
 */
int proc_mem_init(void)
{
	int err = proc_create_fops(PROC_SELF, "mem", 0600, &mem_fops);

	if (!err)
		err = proc_require_ptrace("mem", PTRACE_MODE_ATTACH_FSCREDS);
	if (!err)
		err = proc_create_fops(PROC_SELF, "environ", 0400, &environ_fops);
	return err ? err : proc_require_ptrace("environ", PTRACE_MODE_READ_FSCREDS);
}
