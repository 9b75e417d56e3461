// SPDX-License-Identifier: MIT
/*
 * userfaultfd's non-cooperative events (Linux 6.1's dup_userfaultfd, mremap_userfaultfd_*,
 * userfaultfd_remove, userfaultfd_unmap_* and userfaultfd_event_wait_completion): a uffd that
 * asked for UFFD_FEATURE_EVENT_FORK, _REMAP, _REMOVE or _UNMAP hears of the fork of its address
 * space (with a new uffd for the child's copy of its registered ranges), of an mremap of a
 * registered range (which then stays registered at its new place), of MADV_DONTNEED/FREE on
 * one and of its munmap. The task that causes an event prepares it under mmap_lock, then, with
 * every lock let go, queues it and sleeps (killably) until read(2) has taken it; meanwhile
 * COPY and ZEROPAGE say EAGAIN (mmap_changing), since the handler's view of the mappings is
 * stale until it reads the event.
 */
#include "mm/userfaultfd.h"
#include "mm/mmap_lock.h"
#include "mm/slab.h"
#include "mm/vma.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"

#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_REMOVE 9
#define MADV_DONTNEED_LOCKED 24

/*
 * A new event of ctx on the current task's list, at its end (the events of one call go out in
 * the order they were made). ctx gets a reference and mmap_changing is raised until it is read.
 */
static struct userfaultfd_event *event_prep(struct userfaultfd_ctx *ctx, u8 type)
{
	struct userfaultfd_event *ev = kzalloc(sizeof(*ev), GFP_KERNEL), **tail;

	if (!ev)
		return NULL;
	ev->msg.event = type;
	ev->ctx = ctx;
	userfaultfd_ctx_get(ctx);
	ctx->mmap_changing++;
	for (tail = &current->uffd_events; *tail; tail = &(*tail)->next)
		;
	*tail = ev;
	return ev;
}

/* Is an UNMAP of [start, end) for ctx already on the task's list (Linux's has_unmap_ctx)? */
static bool has_unmap_event(struct userfaultfd_ctx *ctx, u64 start, u64 end)
{
	for (struct userfaultfd_event *ev = current->uffd_events; ev; ev = ev->next)
		if (ev->ctx == ctx && ev->msg.event == UFFD_EVENT_UNMAP &&
		    ev->msg.arg[0] == start && ev->msg.arg[1] == end)
			return true;
	return false;
}

int userfaultfd_unmap_prep(struct mm_struct *mm, u64 start, u64 end)
{
	for (struct vm_area_struct *v = find_vma(mm, start); v && v->vm_start < end;
	     v = v->vm_next) {
		struct userfaultfd_ctx *ctx = v->vm_userfaultfd_ctx;
		if (!ctx || !(ctx->features & UFFD_FEATURE_EVENT_UNMAP) ||
		    has_unmap_event(ctx, start, end))
			continue;
		struct userfaultfd_event *ev = event_prep(ctx, UFFD_EVENT_UNMAP);
		if (!ev)
			return -ENOMEM;
		ev->msg.arg[0] = start;
		ev->msg.arg[1] = end;
	}
	return 0;
}

void userfaultfd_remap_prep(struct vm_area_struct *new_vma, u64 from, u64 to, u64 len)
{
	struct userfaultfd_ctx *ctx = new_vma->vm_userfaultfd_ctx;

	if (!ctx)
		return;
	if (!(ctx->features & UFFD_FEATURE_EVENT_REMAP)) {
		/* The new place is not registered (Linux's mremap_userfaultfd_prep). */
		new_vma->vm_userfaultfd_ctx = NULL;
		new_vma->vm_flags &= ~VM_UFFD_FLAGS;
		new_vma->vm_mm->split_left_behind = true; /* Linux merges nothing here either */
		return;
	}
	struct userfaultfd_event *ev = event_prep(ctx, UFFD_EVENT_REMAP);
	if (!ev)
		return;
	ev->msg.arg[0] = from;
	ev->msg.arg[1] = to;
	ev->msg.arg[2] = len;
}

int dup_userfaultfd(struct vm_area_struct *child_vma, struct mm_struct *child_mm)
{
	struct userfaultfd_ctx *octx = child_vma->vm_userfaultfd_ctx, *nctx = NULL;

	if (!octx)
		return 0;
	if (!userfaultfd_fork_keeps(child_vma)) {
		/* Without EVENT_FORK the child's copy is not registered. */
		child_vma->vm_userfaultfd_ctx = NULL;
		child_vma->vm_flags &= ~VM_UFFD_FLAGS; /* its PTEs lose the WP mark (dup_mm) */
		child_mm->split_left_behind = true; /* Linux does not merge here */
		return 0;
	}
	/* One new uffd per parent uffd and fork, shared by its registered VMAs. */
	for (struct userfaultfd_event *ev = current->uffd_events; ev; ev = ev->next)
		if (ev->ctx == octx && ev->fork_ctx && ev->fork_ctx->mm == child_mm)
			nctx = ev->fork_ctx;
	if (!nctx) {
		nctx = userfaultfd_ctx_alloc(child_mm, octx->flags, octx->features);
		if (!nctx)
			return -ENOMEM;
		struct userfaultfd_event *ev = event_prep(octx, UFFD_EVENT_FORK);
		if (!ev) {
			userfaultfd_ctx_put(nctx);
			return -ENOMEM;
		}
		ev->fork_ctx = nctx;
	}
	child_vma->vm_userfaultfd_ctx = nctx;
	return 0;
}

int userfaultfd_remove_prep(struct mm_struct *mm, u64 start, u64 end, int behavior)
{
	int ret = 0;

	if (behavior != MADV_DONTNEED && behavior != MADV_DONTNEED_LOCKED &&
	    behavior != MADV_FREE && behavior != MADV_REMOVE)
		return 0;
	mmap_read_lock(mm);
	for (struct vm_area_struct *v = find_vma(mm, start); v && v->vm_start < end;
	     v = v->vm_next) {
		struct userfaultfd_ctx *ctx = v->vm_userfaultfd_ctx;
		if (!ctx || !(ctx->features & UFFD_FEATURE_EVENT_REMOVE))
			continue;
		/* The advice refuses a locked VMA first (Linux's madvise_dontneed_free_valid_vma).
		 */
		if ((v->vm_flags & VM_LOCKED) && behavior != MADV_DONTNEED_LOCKED)
			break;
		/* MADV_REMOVE refuses memory that is not a shared file mapping (madvise_remove). */
		if (behavior == MADV_REMOVE && (!v->vm_file || !(v->vm_flags & VM_SHARED)))
			break;
		struct userfaultfd_event *ev = event_prep(ctx, UFFD_EVENT_REMOVE);
		if (!ev) {
			ret = -ENOMEM;
			break;
		}
		ev->msg.arg[0] = start > v->vm_start ? start : v->vm_start;
		ev->msg.arg[1] = end < v->vm_end ? end : v->vm_end;
	}
	mmap_read_unlock(mm);
	return ret;
}

/*
 * Queues ev on its uffd and waits until read(2) took it, the uffd is released or a fatal
 * signal comes (Linux's userfaultfd_event_wait_completion). A FORK event not taken releases the
 * child's uffd: the child's ranges are unregistered.
 */
static void event_wait_completion(struct userfaultfd_event *ev)
{
	struct userfaultfd_ctx *ctx = ev->ctx;
	struct wait_queue_entry we;
	bool taken = false;

	if (!READ_ONCE(ctx->released)) {
		u64 f = spin_lock_irqsave(&ctx->lock);
		struct userfaultfd_event **tail = &ctx->events;
		while (*tail)
			tail = &(*tail)->next;
		*tail = ev;
		spin_unlock_irqrestore(&ctx->lock, f);
		wake_up(&ctx->fd_wqh);
		for (;;) {
			prepare_to_wait_uninterruptible(&ctx->event_wqh, &we);
			if (READ_ONCE(ev->done))
				break;
			/* A reader working on ev without the lock puts it back or takes it. */
			if ((READ_ONCE(ctx->released) || fatal_signal_pending_current()) &&
			    !READ_ONCE(ev->claimed))
				break;
			schedule();
		}
		finish_wait(&ctx->event_wqh, &we);
		f = spin_lock_irqsave(&ctx->lock);
		taken = ev->done;
		if (!taken) {
			for (struct userfaultfd_event **pp = &ctx->events; *pp; pp = &(*pp)->next)
				if (*pp == ev) {
					*pp = ev->next;
					break;
				}
		}
		spin_unlock_irqrestore(&ctx->lock, f);
	}
	if (!taken && ev->fork_ctx) {
		userfaultfd_ctx_release(ev->fork_ctx);
		userfaultfd_ctx_put(ev->fork_ctx);
	}
	ctx->mmap_changing--;
	userfaultfd_ctx_put(ctx);
}

void userfaultfd_events_complete(void)
{
	struct userfaultfd_event *ev;

	while ((ev = current->uffd_events)) {
		current->uffd_events = ev->next;
		ev->next = NULL;
		event_wait_completion(ev);
		kfree(ev);
	}
}

int userfaultfd_event_read(struct userfaultfd_ctx *ctx, struct uffd_msg *msg)
{
	struct userfaultfd_ctx *fork_ctx;
	u64 f = spin_lock_irqsave(&ctx->lock);
	struct userfaultfd_event *ev = ctx->events;

	/*
	 * Claimed off the queue before the lock goes: no other reader takes it too, and its
	 * sender (killed meanwhile) waits for this read before freeing it.
	 */
	if (ev) {
		ctx->events = ev->next;
		ev->next = NULL;
		ev->claimed = true;
	}
	spin_unlock_irqrestore(&ctx->lock, f);
	if (!ev)
		return -EAGAIN;
	*msg = ev->msg;
	fork_ctx = ev->fork_ctx;
	if (fork_ctx) {
		/* The child's uffd becomes a descriptor of the reader (resolve_userfault_fork). */
		userfaultfd_ctx_get(fork_ctx);
		int fd = userfaultfd_ctx_getfd(fork_ctx);
		if (fd < 0) {
			userfaultfd_ctx_put(fork_ctx);
			/* The event goes back to the head of the queue, for a later read. */
			f = spin_lock_irqsave(&ctx->lock);
			ev->next = ctx->events;
			ctx->events = ev;
			WRITE_ONCE(ev->claimed, false);
			spin_unlock_irqrestore(&ctx->lock, f);
			wake_up(&ctx->event_wqh);
			return fd;
		}
		msg->arg[0] = (u32)fd;
	}
	f = spin_lock_irqsave(&ctx->lock);
	ev->fork_ctx = NULL; /* the fd holds the child's uffd now */
	WRITE_ONCE(ev->claimed, false);
	WRITE_ONCE(ev->done, true); /* its sender may free it from here on */
	spin_unlock_irqrestore(&ctx->lock, f);
	if (fork_ctx)
		userfaultfd_ctx_put(fork_ctx); /* the event's own reference */
	wake_up(&ctx->event_wqh);
	return 0;
}
