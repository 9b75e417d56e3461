// SPDX-License-Identifier: MIT
/*
 * The fault side of userfaultfd (Linux 6.1's handle_userfault in fs/userfaultfd.c and
 * mm/userfaultfd.c): a missing page of a registered VMA (or a write to a write-protected page, or
 * a shmem page cached but not mapped) puts the faulting thread on its uffd's list, lets go of
 * mmap_lock and sleeps until UFFDIO_COPY, ZEROPAGE, CONTINUE, WRITEPROTECT or WAKE covers its
 * address, the uffd is released, or a signal comes; the access is then retried (as Linux's
 * VM_FAULT_RETRY), so it finds the page or faults again. COPY, ZEROPAGE and CONTINUE install
 * pages only where none is (EEXIST otherwise), under mmap_lock for reading and page_table_lock;
 * WRITEPROTECT marks or unmarks present pages under the same locks.
 */
#include "mm/userfaultfd.h"
#include "mm/frame.h"
#include "mm/internal.h"
#include "mm/mmap_lock.h"
#include "mm/pgtable_lock.h"
#include "mm/uaccess.h"
#include "mm/vma.h"
#include "fs/filemap.h"
#include "fs/vfs.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/traps.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"

/* Takes w off ctx's list if it is still there. Under ctx->lock. */
static void uffd_unlink(struct userfaultfd_ctx *ctx, struct userfaultfd_wait_queue *w)
{
	for (struct userfaultfd_wait_queue **pp = &ctx->faults; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			return;
		}
}

void wake_userfault(struct userfaultfd_ctx *ctx, u64 start, u64 len)
{
	bool any = false;
	u64 f = spin_lock_irqsave(&ctx->lock);

	for (struct userfaultfd_wait_queue **pp = &ctx->faults; *pp;) {
		struct userfaultfd_wait_queue *w = *pp;
		u64 a = w->msg.arg[1];
		if (len && (a < start || a - start >= len)) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		w->waken = true;
		any = true;
	}
	spin_unlock_irqrestore(&ctx->lock, f);
	if (any)
		wake_up(&ctx->fault_wqh);
}

/* Is the page at va still missing (Linux's userfaultfd_must_wait)? Under mmap_lock. */
static bool uffd_page_missing(struct mm_struct *mm, u64 va)
{
	int level;
	pte_t *e = pgtable_walk(mm->pgd, va, PG_LEVEL_4K, false, &level);

	return !e || level != PG_LEVEL_4K || !pte_has_frame(READ_ONCE(*e));
}

/* Must the fault wait: the page still missing, or for WP still not writable? */
static bool uffd_must_wait(struct mm_struct *mm, u64 va, u64 reason)
{
	int level;
	pte_t *e = pgtable_walk(mm->pgd, va, PG_LEVEL_4K, false, &level);

	if (!e || level != PG_LEVEL_4K || !pte_has_frame(READ_ONCE(*e)))
		return true;
	return (reason & VM_UFFD_WP) && !(READ_ONCE(*e) & _PAGE_RW);
}

void uffd_wp_range(struct mm_struct *mm, struct vm_area_struct *v, u64 start, u64 end, bool enable)
{
	bool changed = false;

	pt_lock(mm);
	for (u64 va = start, run_end; va < end; va = run_end) {
		pte_t *e = pgtable_pte_run(mm->pgd, va, end, &run_end);
		for (; e && va < run_end; va += PAGE_SIZE, e++) {
			pte_t pte = READ_ONCE(*e);
			if (pte_is_hwpoison(pte)) {
				/* the swap entry's own mark (Linux's change_pte_range): the entry
				 * stays poisoned, nothing to flush */
				if (enable)
					pte_update(e, ~0UL, _PAGE_UFFD_WP);
				else
					pte_clear_bits(e, _PAGE_UFFD_WP);
				continue;
			}
			if (!pte_has_frame(pte))
				continue;
			changed = true;
			if (enable) {
				pte_update(e, ~(u64)_PAGE_RW, _PAGE_UFFD_WP);
				continue;
			}
			/*
			 * Writable again only where a write would not copy (Linux's
			 * can_change_pte_writable): the VMA's own page, not the zero page nor
			 * one shared copy-on-write, and not a soft-dirty-clean one.
			 */
			struct page *pg = phys_to_page(pte & PTE_ADDR_MASK);
			u64 set = 0;
			if ((v->vm_flags & VM_WRITE) && (pte & _PAGE_PRESENT) &&
			    !is_zero_page(pg) && pg->refcount == 1 &&
			    ((v->vm_flags & VM_SOFTDIRTY) || (pte & _PAGE_SOFT_DIRTY)))
				set = _PAGE_RW | _PAGE_DIRTY;
			pte_update(e, ~(u64)_PAGE_UFFD_WP, set);
		}
	}
	pt_unlock(mm);
	if (changed)
		flush_tlb_mm_range(mm, start, end);
}

int handle_userfault(struct mm_struct *mm, struct vm_area_struct *v, u64 addr, u64 error_code,
		     u64 reason)
{
	struct userfaultfd_ctx *ctx = v->vm_userfaultfd_ctx;
	bool user = error_code & X86_PF_USER;
	int ret = FAULT_SIGBUS;

	if (!ctx || (ctx->features & UFFD_FEATURE_SIGBUS) ||
	    (!user && (ctx->flags & UFFD_USER_MODE_ONLY)) || current->pagefault_disabled ||
	    (error_code & FAULT_FORCE) || mm != current->mm)
		goto out;
	/*
	 * An exiting task (its robust list, its clear_child_tid word) must not wait: a fatal
	 * signal could not wake it any more. Nor a task dumping core (its handler threads are
	 * parked for the dump): its access fails, as Linux's PF_EXITING and PF_DUMPCORE checks.
	 */
	if (current->exiting || current->signal->core_state)
		goto out;
	ret = FAULT_UFFD_RETRY;
	if (READ_ONCE(ctx->released))
		goto out; /* its release unregisters this VMA: the retry gets an ordinary page */

	struct userfaultfd_wait_queue uwq = {
		.msg = { .event = UFFD_EVENT_PAGEFAULT },
		.task = current,
	};
	uwq.msg.arg[1] = ctx->features & UFFD_FEATURE_EXACT_ADDRESS ? addr : addr & PAGE_MASK;
	if (error_code & X86_PF_WRITE)
		uwq.msg.arg[0] = UFFD_PAGEFAULT_FLAG_WRITE;
	if (reason & VM_UFFD_WP)
		uwq.msg.arg[0] |= UFFD_PAGEFAULT_FLAG_WP;
	if (reason & VM_UFFD_MINOR)
		uwq.msg.arg[0] |= UFFD_PAGEFAULT_FLAG_MINOR;
	if (ctx->features & UFFD_FEATURE_THREAD_ID)
		uwq.msg.arg[2] = (u32)current->pid;
	userfaultfd_ctx_get(ctx); /* before the lock goes: the uffd may be closed meanwhile */

	u64 f = spin_lock_irqsave(&ctx->lock);
	struct userfaultfd_wait_queue **tail = &ctx->faults;
	while (*tail)
		tail = &(*tail)->next;
	*tail = &uwq;
	spin_unlock_irqrestore(&ctx->lock, f);
	bool must_wait = uffd_must_wait(mm, addr & PAGE_MASK, reason);
	mmap_read_unlock(mm);

	struct wait_queue_entry we;
	bool woke_readers = false;
	for (;;) {
		prepare_to_wait(&ctx->fault_wqh, &we);
		if (READ_ONCE(uwq.waken) || !must_wait || READ_ONCE(ctx->released))
			break;
		/*
		 * A user access retries after the signal's handler; a kernel access (a syscall's
		 * copy) waits on unless the signal is fatal, then fails with EFAULT.
		 */
		if (user ? signal_pending_current() : fatal_signal_pending_current()) {
			if (!user)
				ret = FAULT_SIGBUS;
			break;
		}
		if (!woke_readers) {
			wake_up(&ctx->fd_wqh); /* POLLIN: a fault to read */
			woke_readers = true;
		}
		schedule();
	}
	finish_wait(&ctx->fault_wqh, &we);
	f = spin_lock_irqsave(&ctx->lock);
	if (!uwq.waken)
		uffd_unlink(ctx, &uwq);
	spin_unlock_irqrestore(&ctx->lock, f);
	userfaultfd_ctx_put(ctx);
	return ret;
out:
	mmap_read_unlock(mm);
	return ret;
}

/* The registered VMA that holds all of [start, start+len) (Linux's find_dst_vma), or NULL. */
static struct vm_area_struct *find_dst_vma(struct mm_struct *mm, u64 start, u64 len)
{
	struct vm_area_struct *v = find_vma(mm, start);

	if (!v || start < v->vm_start || start + len > v->vm_end || !v->vm_userfaultfd_ctx)
		return NULL;
	return v;
}

/*
 * COPY and ZEROPAGE in shared shmem (Linux's shmem_mfill_atomic_pte): the page goes into the
 * file's page cache, a copy of src (or zeroes), and is mapped writable if the VMA is. EFAULT past
 * the end of the file, EEXIST when the file has the page already.
 */
static int shmem_mfill(struct mm_struct *mm, struct vm_area_struct *v, u64 va, struct page *src,
		       u64 prot)
{
	struct inode *inode = file_inode(v->vm_file);
	u64 pgoff = v->vm_pgoff + ((va - v->vm_start) >> PAGE_SHIFT);

	if (pgoff >= DIV_ROUND_UP((u64)inode->i_size, PAGE_SIZE))
		return -EFAULT;
	if (filemap_get_page(inode, pgoff, false))
		return -EEXIST;
	struct page *cached = filemap_get_page(inode, pgoff, true); /* zeroed */
	if (!cached)
		return -ENOMEM;
	if (src)
		memcpy(page_address(cached), page_address(src), PAGE_SIZE);
	get_page(cached); /* the mapping's reference; the cache keeps its own */
	int err = install_pte(mm, va, page_to_phys(cached) | prot);
	if (err)
		put_page(cached);
	return err == -EAGAIN ? -EEXIST : err;
}

/*
 * Fills [dst, dst+len) of mm page by page with copies of src (or with the zero page when src is
 * 0 and zero is set), where no page is yet (Linux's __mcopy_atomic and mfill_zeropage): the bytes
 * filled, or the error met first (ENOENT: not one registered VMA; EEXIST: a page is there;
 * EFAULT: src unreadable; EINTR: a fatal signal; EAGAIN: an event is being reported).
 */
static long mfill(struct userfaultfd_ctx *ctx, u64 dst, u64 src, u64 len, bool zero, bool wp)
{
	struct mm_struct *mm = ctx->mm;
	long copied = 0, err = 0;

	while ((u64)copied < len) {
		struct page *pg = NULL;
		bool filled = false; /* pg holds the source page already */
		if (!zero) {
			pg = alloc_page(GFP_KERNEL);
			if (!pg) {
				err = -ENOMEM;
				break;
			}
		}
	retry:
		mmap_read_lock(mm);
		err = -EAGAIN; /* an event is being reported: the mappings are changing */
		if (READ_ONCE(ctx->mmap_changing))
			goto unlock;
		struct vm_area_struct *v = find_dst_vma(mm, dst, len);
		err = -ENOENT;
		if (!v)
			goto unlock;
		err = -EINVAL; /* UFFDIO_COPY_MODE_WP in a range not registered for WP */
		if (wp && !(v->vm_flags & VM_UFFD_WP))
			goto unlock;
		err = -ENOMEM;
		if (!(v->vm_flags & VM_SHARED) && anon_vma_prepare(v))
			goto unlock;
		u64 va = dst + (u64)copied;
		err = -EEXIST;
		if (!uffd_page_missing(mm, va))
			goto unlock;
		if (pg && !filled) {
			/*
			 * The source is read without the lock: it may fault (and even wait).
			 * The mappings may change meanwhile, so every check above is made
			 * again (Linux's goto retry in __mcopy_atomic).
			 */
			mmap_read_unlock(mm);
			if (copy_from_user(page_address(pg),
					   (const void __user *)(src + (u64)copied), PAGE_SIZE)) {
				err = -EFAULT;
				put_page(pg);
				break;
			}
			filled = true;
			goto retry;
		}
		u64 prot = vm_get_page_prot(v->vm_flags);
		if (wp) /* installed write-protected (Linux's mfill_atomic_install_pte) */
			prot = (prot & ~(u64)_PAGE_RW) | _PAGE_UFFD_WP;
		if (v->vm_flags & VM_SHARED) {
			err = shmem_mfill(mm, v, va, pg, prot);
			goto unlock; /* pg, a copy of the source, goes back */
		}
		pte_t pte = pg ? page_to_phys(pg) | prot
			       : page_to_phys(zero_page) | (prot & ~(u64)_PAGE_WRITE_BITS);
		err = install_pte(mm, va, pte);
		if (err == -EAGAIN)
			err = -EEXIST;
		if (!err)
			pg = NULL;
	unlock:
		mmap_read_unlock(mm);
		if (pg)
			put_page(pg);
		cond_resched(); /* a long range must not hold the CPU (Linux's __mcopy_atomic) */
		if (err)
			break;
		copied += PAGE_SIZE;
		if (fatal_signal_pending_current()) {
			err = -EINTR;
			break;
		}
	}
	return copied ? copied : err;
}

/* The checks and write-back COPY and ZEROPAGE share: *field gets the bytes done or -errno. */
static long mfill_ioctl(struct userfaultfd_ctx *ctx, u64 dst, u64 src, u64 len, bool zero, bool wp,
			bool dontwake, s64 __user *field)
{
	long ret;

	if (!mmget_not_zero(ctx->mm))
		return -ESRCH;
	ret = mfill(ctx, dst, src, len, zero, wp);
	mmput(ctx->mm);
	if (put_user_u64((u64)ret, (u64 __user *)field))
		return -EFAULT;
	if (ret < 0)
		return ret;
	if (!dontwake)
		wake_userfault(ctx, dst, (u64)ret);
	return (u64)ret == len ? 0 : -EAGAIN;
}

long userfaultfd_copy(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct {
		u64 dst, src, len, mode;
		s64 copy;
	} c;

	if (READ_ONCE(ctx->mmap_changing))
		return -EAGAIN;
	if (copy_from_user(&c, (void __user *)arg, sizeof(c) - sizeof(s64)))
		return -EFAULT;
	long ret = uffd_validate_range(c.dst, c.len);
	if (ret)
		return ret;
	if (c.src + c.len <= c.src)
		return -EINVAL;
	if (c.mode & ~(UFFDIO_COPY_MODE_DONTWAKE | UFFDIO_COPY_MODE_WP))
		return -EINVAL;
	return mfill_ioctl(ctx, c.dst, c.src, c.len, false, c.mode & UFFDIO_COPY_MODE_WP,
			   c.mode & UFFDIO_COPY_MODE_DONTWAKE,
			   (s64 __user *)((u64 __user *)arg + 4));
}

long userfaultfd_zeropage(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct {
		struct uffdio_range range;
		u64 mode;
		s64 zeropage;
	} z;

	if (READ_ONCE(ctx->mmap_changing))
		return -EAGAIN;
	if (copy_from_user(&z, (void __user *)arg, sizeof(z) - sizeof(s64)))
		return -EFAULT;
	long ret = uffd_validate_range(z.range.start, z.range.len);
	if (ret)
		return ret;
	if (z.mode & ~UFFDIO_ZEROPAGE_MODE_DONTWAKE)
		return -EINVAL;
	return mfill_ioctl(ctx, z.range.start, 0, z.range.len, true, false,
			   z.mode & UFFDIO_ZEROPAGE_MODE_DONTWAKE,
			   (s64 __user *)((u64 __user *)arg + 3));
}

long userfaultfd_wake(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct uffdio_range r;

	if (copy_from_user(&r, (void __user *)arg, sizeof(r)))
		return -EFAULT;
	long ret = uffd_validate_range(r.start, r.len);
	if (ret)
		return ret;
	wake_userfault(ctx, r.start, r.len);
	return 0;
}

/*
 * UFFDIO_WRITEPROTECT: mode WP protects the present pages of the range, mode 0 takes the
 * protection off and wakes the faults waiting there (unless DONTWAKE; WP with DONTWAKE is
 * EINVAL). The range must lie in one VMA registered for WP (ENOENT), as Linux's
 * mwriteprotect_range.
 */
long userfaultfd_writeprotect(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct {
		struct uffdio_range range;
		u64 mode;
	} w;
	struct mm_struct *mm = ctx->mm;

	if (READ_ONCE(ctx->mmap_changing))
		return -EAGAIN;
	if (copy_from_user(&w, (void __user *)arg, sizeof(w)))
		return -EFAULT;
	long ret = uffd_validate_range(w.range.start, w.range.len);
	if (ret)
		return ret;
	if (w.mode & ~(UFFDIO_WRITEPROTECT_MODE_DONTWAKE | UFFDIO_WRITEPROTECT_MODE_WP))
		return -EINVAL;
	bool wp = w.mode & UFFDIO_WRITEPROTECT_MODE_WP;
	bool dontwake = w.mode & UFFDIO_WRITEPROTECT_MODE_DONTWAKE;
	if (wp && dontwake)
		return -EINVAL;
	if (!mmget_not_zero(mm))
		return -ESRCH;
	mmap_read_lock(mm);
	ret = -EAGAIN;
	if (READ_ONCE(ctx->mmap_changing))
		goto out;
	ret = -ENOENT;
	struct vm_area_struct *v = find_dst_vma(mm, w.range.start, w.range.len);
	if (!v || !(v->vm_flags & VM_UFFD_WP))
		goto out;
	uffd_wp_range(mm, v, w.range.start, w.range.start + w.range.len, wp);
	ret = 0;
out:
	mmap_read_unlock(mm);
	mmput(mm);
	if (!ret && !wp && !dontwake)
		wake_userfault(ctx, w.range.start, w.range.len);
	return ret;
}

/*
 * UFFDIO_CONTINUE: maps the shmem pages of a range registered for minor faults from the page
 * cache where no page is mapped yet (Linux's mcopy_continue): ENOENT outside one registered VMA,
 * EINVAL for memory that is not shmem and past the end of the file, EFAULT for a page not
 * cached, EEXIST for one mapped already; `mapped` gets the bytes done or -errno, and the faults
 * of that part are woken unless DONTWAKE.
 */
long userfaultfd_continue(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct {
		struct uffdio_range range;
		u64 mode;
		s64 mapped;
	} c;
	struct mm_struct *mm = ctx->mm;
	long done = 0, err = 0;

	if (READ_ONCE(ctx->mmap_changing))
		return -EAGAIN;
	if (copy_from_user(&c, (void __user *)arg, sizeof(c) - sizeof(s64)))
		return -EFAULT;
	long ret = uffd_validate_range(c.range.start, c.range.len);
	if (ret)
		return ret;
	if (c.range.start + c.range.len <= c.range.start)
		return -EINVAL;
	if (c.mode & ~UFFDIO_CONTINUE_MODE_DONTWAKE)
		return -EINVAL;
	if (!mmget_not_zero(mm))
		return -ESRCH;
	mmap_read_lock(mm);
	err = -EAGAIN;
	if (READ_ONCE(ctx->mmap_changing))
		goto out;
	err = -ENOENT;
	struct vm_area_struct *v = find_dst_vma(mm, c.range.start, c.range.len);
	if (!v)
		goto out;
	err = -EINVAL;
	if (!vma_is_shmem(v))
		goto out;
	struct inode *inode = file_inode(v->vm_file);
	for (err = 0; !err && (u64)done < c.range.len; done += err ? 0 : (long)PAGE_SIZE) {
		u64 va = c.range.start + (u64)done;
		u64 pgoff = v->vm_pgoff + ((va - v->vm_start) >> PAGE_SHIFT);
		err = -EINVAL; /* past the end of the file (shmem_get_folio's answer) */
		if (pgoff >= DIV_ROUND_UP((u64)inode->i_size, PAGE_SIZE))
			break;
		err = -EFAULT; /* not cached */
		struct page *pg = filemap_get_page(inode, pgoff, false);
		if (!pg)
			break;
		/* Writable if the mapping is shared and writable; a private one copies on write. */
		u64 prot = vm_get_page_prot(v->vm_flags);
		if (!(v->vm_flags & VM_SHARED) || !(v->vm_flags & VM_WRITE))
			prot &= ~(u64)_PAGE_WRITE_BITS;
		get_page(pg);
		err = install_pte(mm, va, page_to_phys(pg) | prot);
		if (err) {
			put_page(pg);
			if (err == -EAGAIN)
				err = -EEXIST;
		}
	}
out:
	mmap_read_unlock(mm);
	mmput(mm);
	ret = done ? done : err;
	if (put_user_u64((u64)ret, (u64 __user *)arg + 3))
		return -EFAULT;
	if (ret < 0)
		return ret;
	if (!(c.mode & UFFDIO_CONTINUE_MODE_DONTWAKE))
		wake_userfault(ctx, c.range.start, (u64)ret);
	return (u64)ret == c.range.len ? 0 : -EAGAIN;
}
