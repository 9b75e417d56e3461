// SPDX-License-Identifier: MIT
/*
 * userfaultfd(2) and its file (Linux 6.1's fs/userfaultfd.c): creation and its permission,
 * UFFDIO_API's feature handshake, UFFDIO_REGISTER and UFFDIO_UNREGISTER (which split and merge
 * VMAs as mprotect does, the uffd being part of the merge key), read(2) of the queued faults,
 * poll, /proc/PID/fdinfo and the release, which unregisters every VMA and wakes every waiting
 * fault. The fault side is mm/userfaultfd_fault.c.
 */
#include "mm/userfaultfd.h"
#include "mm/mmap_lock.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vma.h"
#include "fs/poll.h"
#include "fs/proc.h"
#include "fs/ramfs.h"
#include "fs/uio.h"
#include "fs/vfs.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/sys.h"

#define UFFD_SHARED_FCNTL_FLAGS (O_CLOEXEC | O_NONBLOCK)

/* vm.unprivileged_userfaultfd: 0 (Linux's default) keeps kernel faults to CAP_SYS_PTRACE. */
static int sysctl_unprivileged_userfaultfd;

static const struct file_operations userfaultfd_fops;

void userfaultfd_ctx_get(struct userfaultfd_ctx *ctx)
{
	ctx->refcount++;
}

void userfaultfd_ctx_put(struct userfaultfd_ctx *ctx)
{
	if (--ctx->refcount)
		return;
	mmdrop(ctx->mm);
	kfree(ctx);
}

int uffd_validate_range(u64 start, u64 len)
{
	if ((start & ~PAGE_MASK) || (len & ~PAGE_MASK) || !len)
		return -EINVAL;
	if (start >= TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	return 0;
}

/* Has UFFDIO_API run on ctx (Linux's userfaultfd_is_initialized)? */
static bool uffd_initialized(const struct userfaultfd_ctx *ctx)
{
	return ctx->features & UFFD_FEATURE_INITIALIZED;
}

/*
 * UFFDIO_API: the api must be UFFD_API and the features asked a subset of what Warden offers
 * (the offer is written back with the ioctls); only the first call succeeds, a later one (or a
 * refusal) writes back zeroes and says EINVAL, as Linux's cmpxchg on the features.
 */
static long userfaultfd_api(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct {
		u64 api, features, ioctls;
	} a;
	void __user *buf = (void __user *)arg;
	long ret;

	if (copy_from_user(&a, buf, sizeof(a)))
		return -EFAULT;
	u64 features = a.features;
	ret = -EINVAL;
	if (a.api != UFFD_API)
		goto err_out;
	ret = -EPERM;
	if ((features & UFFD_FEATURE_EVENT_FORK) && !capable(CAP_SYS_PTRACE))
		goto err_out;
	a.features = UFFD_API_FEATURES;
	ret = -EINVAL;
	if (features & ~a.features)
		goto err_out;
	a.ioctls = UFFD_API_IOCTLS;
	if (copy_to_user(buf, &a, sizeof(a)))
		return -EFAULT;
	ret = -EINVAL;
	if (ctx->features)
		goto err_out;
	ctx->features = (unsigned int)features | UFFD_FEATURE_INITIALIZED;
	return 0;
err_out:
	memset(&a, 0, sizeof(a));
	if (copy_to_user(buf, &a, sizeof(a)))
		ret = -EFAULT;
	return ret;
}

bool vma_is_shmem(const struct vm_area_struct *v)
{
	return v->vm_file && v->vm_file->f_op == &ramfs_file_operations;
}

/*
 * Can v be registered in the modes vm_flags (Linux's vma_can_userfault)? Here: private
 * anonymous memory for MISSING and WP, shmem for MISSING and MINOR (Linux also takes shmem for
 * WP, with its PTE markers, and hugetlbfs).
 */
static bool vma_can_userfault(const struct vm_area_struct *v, u64 vm_flags)
{
	bool anon = !v->vm_file && !(v->vm_flags & VM_SHARED), shmem = vma_is_shmem(v);

	if (anon)
		return !(vm_flags & VM_UFFD_MINOR);
	return shmem && !(vm_flags & VM_UFFD_WP);
}

/*
 * Gives [start, end) of the VMAs there the userfaultfd ctx (or none) and the flags new_uffd:
 * each VMA merges with its neighbours or is split at the range's ends, as mprotect_fixup does.
 * Linux's loop of userfaultfd_register and _unregister (the pgoff passed to vma_merge is the
 * VMA's own, as Linux 6.1 passes it). Under the write lock; 0 or -ENOMEM from a split.
 */
static int uffd_apply_range(struct mm_struct *mm, u64 start, u64 end, struct userfaultfd_ctx *ctx,
			    u64 new_uffd)
{
	struct vm_area_struct *prev, *vma = vma_tree_find_vma_prev(&mm->mm_rb, start, &prev);

	if (vma->vm_start < start)
		prev = vma;
	while (vma && vma->vm_start < end) {
		u64 new_flags = (vma->vm_flags & ~VM_UFFD_FLAGS) | new_uffd;
		/* Nothing to do: registered with ctx in these modes (or more), or not at all. */
		if (vma->vm_userfaultfd_ctx == ctx && (vma->vm_flags & new_uffd) == new_uffd &&
		    (ctx || !(vma->vm_flags & VM_UFFD_FLAGS)))
			goto skip;
		if (vma->vm_start > start)
			start = vma->vm_start;
		u64 vma_end = end < vma->vm_end ? end : vma->vm_end;
		if (!ctx && (vma->vm_flags & VM_UFFD_MISSING))
			wake_userfault(vma->vm_userfaultfd_ctx, start, vma_end - start);
		if (!ctx && (vma->vm_flags & VM_UFFD_WP))
			uffd_wp_range(mm, vma, start, vma_end, false); /* the PTEs lose the mark */
		struct vm_area_struct *merged =
			vma_merge(mm, prev, start, vma_end, new_flags, vma->anon_vma, vma->vm_file,
				  vma->vm_pgoff, ctx);
		if (merged) {
			vma = merged;
		} else {
			int err;
			if (vma->vm_start < start && (err = split_vma(mm, vma, start, 1)))
				return err;
			if (vma->vm_end > end && (err = split_vma(mm, vma, end, 0)))
				return err;
		}
		vma->vm_flags = new_flags;
		vma->vm_userfaultfd_ctx = ctx;
	skip:
		prev = vma;
		start = vma->vm_end;
		vma = vma->vm_next;
	}
	return 0;
}

/*
 * UFFDIO_REGISTER: [start, start+len) must hold at least one VMA, every VMA in it one the modes
 * apply to (vma_can_userfault, else EINVAL), writable in principle (VM_MAYWRITE, else EPERM) and
 * registered with no other uffd (EBUSY). The ioctls the range offers are written back.
 */
static long userfaultfd_register(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct {
		struct uffdio_range range;
		u64 mode, ioctls;
	} r;
	struct mm_struct *mm = ctx->mm;
	long ret;

	if (copy_from_user(&r, (void __user *)arg, sizeof(r) - sizeof(u64)))
		return -EFAULT;
	if (!r.mode || (r.mode & ~(UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP |
				   UFFDIO_REGISTER_MODE_MINOR)))
		return -EINVAL;
	u64 vm_flags = (r.mode & UFFDIO_REGISTER_MODE_MISSING ? VM_UFFD_MISSING : 0) |
		       (r.mode & UFFDIO_REGISTER_MODE_WP ? VM_UFFD_WP : 0) |
		       (r.mode & UFFDIO_REGISTER_MODE_MINOR ? VM_UFFD_MINOR : 0);
	ret = uffd_validate_range(r.range.start, r.range.len);
	if (ret)
		return ret;
	u64 start = r.range.start, end = start + r.range.len;
	if (!mmget_not_zero(mm))
		return -ENOMEM;
	mmap_write_lock(mm);
	struct vm_area_struct *vma = find_vma(mm, start), *cur;
	ret = -ENOMEM;
	if (!vma)
		goto out_unlock;
	ret = -EINVAL;
	if (vma->vm_start >= end)
		goto out_unlock;
	for (cur = vma; cur && cur->vm_start < end; cur = cur->vm_next) {
		ret = -EINVAL;
		if (!vma_can_userfault(cur, vm_flags))
			goto out_unlock;
		ret = -EPERM;
		if (!(cur->vm_flags & VM_MAYWRITE))
			goto out_unlock;
		ret = -EBUSY;
		if (cur->vm_userfaultfd_ctx && cur->vm_userfaultfd_ctx != ctx)
			goto out_unlock;
	}
	ret = uffd_apply_range(mm, start, end, ctx, vm_flags);
out_unlock:
	mm_debug_check(mm, "UFFDIO_REGISTER");
	mmap_write_unlock(mm);
	mmput(mm);
	u64 ioctls = UFFD_API_RANGE_IOCTLS |
		     (r.mode & UFFDIO_REGISTER_MODE_WP ? 1ULL << _UFFDIO_WRITEPROTECT : 0) |
		     (r.mode & UFFDIO_REGISTER_MODE_MINOR ? 1ULL << _UFFDIO_CONTINUE : 0);
	if (!ret && put_user_u64(ioctls, (u64 __user *)arg + 3))
		ret = -EFAULT; /* ioctls: the fourth u64 */
	return ret;
}

/*
 * UFFDIO_UNREGISTER: the VMAs of the range lose their registration (whatever uffd it was with,
 * as Linux), merging back with their neighbours; faults waiting there are woken.
 */
static long userfaultfd_unregister(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct uffdio_range r;
	struct mm_struct *mm = ctx->mm;
	long ret;

	if (copy_from_user(&r, (void __user *)arg, sizeof(r)))
		return -EFAULT;
	ret = uffd_validate_range(r.start, r.len);
	if (ret)
		return ret;
	u64 start = r.start, end = start + r.len;
	if (!mmget_not_zero(mm))
		return -ENOMEM;
	mmap_write_lock(mm);
	struct vm_area_struct *vma = find_vma(mm, start);
	ret = -ENOMEM;
	if (!vma)
		goto out_unlock;
	ret = -EINVAL;
	if (vma->vm_start >= end)
		goto out_unlock;
	for (struct vm_area_struct *cur = vma; cur && cur->vm_start < end; cur = cur->vm_next)
		if (!vma_can_userfault(cur, cur->vm_flags))
			goto out_unlock;
	ret = uffd_apply_range(mm, start, end, NULL, 0);
out_unlock:
	mm_debug_check(mm, "UFFDIO_UNREGISTER");
	mmap_write_unlock(mm);
	mmput(mm);
	return ret;
}

/* The ioctls of a userfaultfd and what handles each. */
static const struct {
	unsigned int cmd;
	long (*handler)(struct userfaultfd_ctx *ctx, unsigned long arg);
} userfaultfd_ioctls[] = {
	{ UFFDIO_API, userfaultfd_api },
	{ UFFDIO_REGISTER, userfaultfd_register },
	{ UFFDIO_UNREGISTER, userfaultfd_unregister },
	{ UFFDIO_WAKE, userfaultfd_wake },
	{ UFFDIO_COPY, userfaultfd_copy },
	{ UFFDIO_ZEROPAGE, userfaultfd_zeropage },
	{ UFFDIO_WRITEPROTECT, userfaultfd_writeprotect },
	{ UFFDIO_CONTINUE, userfaultfd_continue },
};

/* EINVAL for any ioctl but UFFDIO_API before the handshake, and for an unknown one. */
static long userfaultfd_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct userfaultfd_ctx *ctx = file->private_data;

	if (cmd != UFFDIO_API && !uffd_initialized(ctx))
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(userfaultfd_ioctls); i++)
		if (userfaultfd_ioctls[i].cmd == cmd)
			return userfaultfd_ioctls[i].handler(ctx, arg);
	return -EINVAL;
}

/* The oldest fault not yet read, or NULL. Under ctx->lock. */
static struct userfaultfd_wait_queue *find_userfault(struct userfaultfd_ctx *ctx)
{
	for (struct userfaultfd_wait_queue *w = ctx->faults; w; w = w->next)
		if (!w->read)
			return w;
	return NULL;
}

/*
 * One message: the oldest unread fault (marked read: it keeps waiting for its page), waiting
 * for one unless no_wait (EAGAIN) or a signal comes (ERESTARTSYS).
 */
static ssize_t userfaultfd_ctx_read(struct userfaultfd_ctx *ctx, bool no_wait, struct uffd_msg *msg)
{
	struct wait_queue_entry we;
	ssize_t ret = 0;

	for (;;) {
		prepare_to_wait(&ctx->fd_wqh, &we);
		u64 f = spin_lock_irqsave(&ctx->lock);
		struct userfaultfd_wait_queue *w = find_userfault(ctx);
		if (w) {
			w->read = true;
			*msg = w->msg;
		}
		spin_unlock_irqrestore(&ctx->lock, f);
		if (w)
			break;
		ret = userfaultfd_event_read(ctx, msg);
		if (ret != -EAGAIN)
			break; /* an event taken (0), or its fd could not be made */
		ret = 0;
		if (no_wait) {
			ret = -EAGAIN;
			break;
		}
		if (signal_pending_current()) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(&ctx->fd_wqh, &we);
	return ret;
}

/*
 * read(2): as many whole messages as fit (EINVAL when not even one does), waiting only for the
 * first; EINVAL before UFFDIO_API.
 */
static ssize_t userfaultfd_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct userfaultfd_ctx *ctx = file->private_data;
	bool no_wait = file->f_flags & O_NONBLOCK;
	ssize_t ret = 0;
	struct uffd_msg msg;

	(void)ppos;
	if (!uffd_initialized(ctx))
		return -EINVAL;
	for (;;) {
		if (iov_iter_count(to) < sizeof(msg))
			return ret ? ret : -EINVAL;
		ssize_t r = userfaultfd_ctx_read(ctx, no_wait, &msg);
		if (r < 0)
			return ret ? ret : r;
		if (copy_to_iter(&msg, sizeof(msg), to) < sizeof(msg))
			return ret ? ret : -EFAULT;
		ret += sizeof(msg);
		no_wait = true;
	}
}

/*
 * POLLIN while a fault is unread; POLLERR before UFFDIO_API and for a blocking uffd (Linux:
 * poll never promises that such a read will not block).
 */
static __poll_t userfaultfd_poll(struct file *file, poll_table *wait)
{
	struct userfaultfd_ctx *ctx = file->private_data;

	poll_wait(file, &ctx->fd_wqh, wait);
	if (!uffd_initialized(ctx) || !(file->f_flags & O_NONBLOCK))
		return POLLERR;
	u64 f = spin_lock_irqsave(&ctx->lock);
	__poll_t ret = find_userfault(ctx) || ctx->events ? POLLIN : 0;
	spin_unlock_irqrestore(&ctx->lock, f);
	return ret;
}

void userfaultfd_ctx_release(struct userfaultfd_ctx *ctx)
{
	struct mm_struct *mm = ctx->mm;

	WRITE_ONCE(ctx->released, true);
	if (mmget_not_zero(mm)) {
		mmap_write_lock(mm);
		struct vm_area_struct *prev = NULL, *v = mm->mm_rb.first;
		while (v) {
			if (v->vm_userfaultfd_ctx != ctx) {
				prev = v;
				v = v->vm_next;
				continue;
			}
			u64 new_flags = v->vm_flags & ~VM_UFFD_FLAGS;
			if (v->vm_flags & VM_UFFD_WP)
				uffd_wp_range(mm, v, v->vm_start, v->vm_end, false);
			struct vm_area_struct *merged =
				vma_merge(mm, prev, v->vm_start, v->vm_end, new_flags, v->anon_vma,
					  v->vm_file, v->vm_pgoff, NULL);
			if (merged)
				v = merged;
			v->vm_flags = new_flags;
			v->vm_userfaultfd_ctx = NULL;
			prev = v;
			v = v->vm_next;
		}
		mm_debug_check(mm, "userfaultfd release");
		mmap_write_unlock(mm);
		mmput(mm);
	}
	wake_userfault(ctx, 0, 0);
	wake_up(&ctx->event_wqh);
	wake_up(&ctx->fd_wqh);
}

/*
 * The last close: no fault waits any more (released), every VMA registered with it is
 * unregistered (merging back), then every waiting fault is woken and retried: it finds an
 * ordinary VMA and gets its page. The tasks waiting for their events to be read go on.
 */
static void userfaultfd_release(struct inode *inode, struct file *file)
{
	(void)inode;
	userfaultfd_ctx_release(file->private_data);
	userfaultfd_ctx_put(file->private_data);
}

/* /proc/PID/fdinfo/N (Linux's userfaultfd_show_fdinfo): faults unread and in all, the API. */
static void userfaultfd_show_fdinfo(struct seq_buf *m, struct file *file)
{
	struct userfaultfd_ctx *ctx = file->private_data;
	unsigned long pending = 0, total = 0;

	u64 f = spin_lock_irqsave(&ctx->lock);
	for (struct userfaultfd_wait_queue *w = ctx->faults; w; w = w->next) {
		total++;
		if (!w->read)
			pending++;
	}
	spin_unlock_irqrestore(&ctx->lock, f);
	seq_printf(m, "pending:\t%lu\ntotal:\t%lu\nAPI:\t%llx:%x:%llx\n", pending, total,
		   (unsigned long long)UFFD_API, ctx->features,
		   (unsigned long long)(UFFD_API_IOCTLS | UFFD_API_RANGE_IOCTLS |
					(1ULL << _UFFDIO_WRITEPROTECT) |
					(1ULL << _UFFDIO_CONTINUE)));
}

/* Linux's noop_llseek: the position stays (0). */
static s64 userfaultfd_llseek(struct file *file, s64 offset, int whence)
{
	(void)offset;
	(void)whence;
	return file->f_pos;
}

static const struct file_operations userfaultfd_fops = {
	.release = userfaultfd_release,
	.poll = userfaultfd_poll,
	.read = userfaultfd_read,
	.ioctl = userfaultfd_ioctl,
	.llseek = userfaultfd_llseek,
	.show_fdinfo = userfaultfd_show_fdinfo,
};

struct userfaultfd_ctx *userfaultfd_ctx_alloc(struct mm_struct *mm, unsigned int flags,
					      unsigned int features)
{
	struct userfaultfd_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return NULL;
	ctx->refcount = 1;
	ctx->flags = flags;
	ctx->features = features;
	ctx->mm = mm;
	ctx->lock = (spinlock_t)SPINLOCK_INIT;
	init_waitqueue_head(&ctx->fault_wqh);
	init_waitqueue_head(&ctx->fd_wqh);
	init_waitqueue_head(&ctx->event_wqh);
	mmgrab(mm);
	return ctx;
}

int userfaultfd_ctx_getfd(struct userfaultfd_ctx *ctx)
{
	return anon_inode_getfd("[userfaultfd]", &userfaultfd_fops, ctx,
				O_RDONLY | (ctx->flags & UFFD_SHARED_FCNTL_FLAGS));
}

/* A new uffd of the current address space (Linux's new_userfaultfd). */
static long new_userfaultfd(int flags)
{
	if (flags & ~(UFFD_SHARED_FCNTL_FLAGS | UFFD_USER_MODE_ONLY))
		return -EINVAL;
	struct userfaultfd_ctx *ctx = userfaultfd_ctx_alloc(current->mm, (unsigned int)flags, 0);
	if (!ctx)
		return -ENOMEM;
	int fd = userfaultfd_ctx_getfd(ctx);
	if (fd < 0)
		userfaultfd_ctx_put(ctx);
	return fd;
}

/*
 * userfaultfd(2): a uffd that handles kernel accesses too needs CAP_SYS_PTRACE or
 * vm.unprivileged_userfaultfd = 1 (EPERM); UFFD_USER_MODE_ONLY is always allowed.
 */
long sys_userfaultfd(int flags)
{
	if (!(flags & UFFD_USER_MODE_ONLY) && !capable(CAP_SYS_PTRACE) &&
	    !sysctl_unprivileged_userfaultfd)
		return -EPERM;
	return new_userfaultfd(flags);
}

int userfaultfd_sysctl_init(void)
{
	struct inode *vm = proc_sys_subdir("vm");

	if (!vm)
		return -ENOMEM;
	int err = proc_create_int(vm, "unprivileged_userfaultfd", 0644,
				  &sysctl_unprivileged_userfaultfd, 0, 1);
	iput(vm);
	return err;
}
