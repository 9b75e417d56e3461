// SPDX-License-Identifier: MIT
/* exit, exit_group and wait4, with Linux's wait status encoding. */
#include "kernel/ptrace.h"
#include "kernel/exit.h"
#include "kernel/pgrp.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "arch/x86_64/qemu.h"
#include "drivers/tty/tty.h"
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "fs/vfs.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vmalloc.h"

#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WCONTINUED 0x00000008
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000
#define RUSAGE_SIZE 144

/* Is t still running, neither a zombie nor reaped? */
static bool task_alive(const struct task_struct *t)
{
	return t->state != EXIT_ZOMBIE && t->state != EXIT_DEAD;
}

/*
 * Who inherits the children of the exiting task father (Linux's find_new_reaper): when an
 * ancestor has made itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER), the nearest living
 * one; otherwise init (PID 1).
 */
static struct task_struct *find_new_reaper(struct task_struct *father)
{
	struct task_struct *init = find_task_by_pid(1);

	if (father->has_child_subreaper) {
		for (struct task_struct *r = father->parent; r && r->pid > 1; r = r->parent) {
			if (r->is_child_subreaper && task_alive(r))
				return r;
		}
	}
	return init;
}

/* Frees what is left of a zombie that no list holds any more: its kernel stack and task. */
static void free_zombie(struct task_struct *c)
{
	c->state = EXIT_DEAD;
	sched_remove_task(c);
	vfree(c->stack);
	kfree(c);
}

/*
 * Gives the exiting task's children to their new reaper (a subreaper ancestor or init), as
 * Linux's reparent_leader: each reports with SIGCHLD from now on, and a zombie among them tells
 * its new parent at once (which frees it if it wants no zombies), else wakes it so that a wait4
 * there collects it.
 */
static void forget_original_parent(struct task_struct *father)
{
	struct task_struct *reaper;

	if (!father->children)
		return;
	reaper = find_new_reaper(father);
	while (father->children) {
		struct task_struct *c = father->children;

		father->children = c->sibling;
		c->parent = reaper;
		c->exit_signal = SIGCHLD; /* "we don't want people slaying init" */
		kill_orphaned_pgrp(c, father); /* father may have been its group's link */
		if (c->state == EXIT_ZOMBIE && !c->ptracer && do_notify_parent_exit(c)) {
			free_zombie(c);
			continue;
		}
		c->sibling = reaper->children;
		reaper->children = c;
		if (c->state == EXIT_ZOMBIE)
			wake_up(&reaper->wait_chldexit);
	}
}

/* The end of the first program: report its status on the console and stop the machine. */
static void __noreturn init_exited(int status)
{
	printk(KERN_EMERG "warden: init exited, wait status %#x\n", status);
	qemu_exit(QEMU_EXIT_INIT);
}

void do_exit(int status)
{
	struct task_struct *t = current;

	exit_mm_release(t);
	if (t->pid == 1)
		init_exited(status);
	if (t->files)
		put_files(t->files);
	if (t->fs)
		put_fs(t->fs);
	t->files = NULL;
	t->fs = NULL;
	disassociate_ctty_on_exit(); /* a session leader's terminal is hung up */
	if (t->mm) {
		switch_mm(NULL);
		mmput(t->mm);
		t->mm = NULL;
	}
	sighand_put(t->sighand);
	t->sighand = NULL;
	forget_original_parent(t);
	kill_orphaned_pgrp(t, NULL);
	ptrace_exit(t);
	t->exit_code = status;
	t->state = EXIT_ZOMBIE;
	struct task_struct *p = t->parent;
	if (do_notify_parent_exit(t)) {
		/*
		 * No zombie wanted: the task leaves its parent's children now, so wait4 there
		 * says ECHILD; the next task to run on this CPU frees it (finish_task_switch).
		 */
		for (struct task_struct **pp = &p->children; *pp; pp = &(*pp)->sibling) {
			if (*pp == t) {
				*pp = t->sibling;
				break;
			}
		}
		t->state = EXIT_DEAD;
		this_cpu()->dead_task = t;
	}
	if (p)
		wake_up(&p->wait_chldexit);
	schedule();
	panic("a zombie ran again");
}

long sys_exit(int code)
{
	do_exit((code & 0xff) << 8);
}

long sys_exit_group(int code)
{
	do_exit((code & 0xff) << 8);
}

/* Does child c match wait4's pid argument: any (-1), the caller's group (0), group -pid? */
static bool wait_matches(const struct task_struct *c, int pid)
{
	if (pid == -1)
		return true;
	if (pid == 0)
		return c->pgid == current->pgid;
	if (pid < 0)
		return c->pgid == -pid;
	return c->pid == pid;
}

/*
 * Linux's eligible_child: c matches pid, and wait4's options want its kind. A tracee of the
 * caller, and any child with __WALL, always; otherwise clone children (exit signal not SIGCHLD)
 * only with __WCLONE, the others only without it.
 */
static bool eligible_child(const struct task_struct *c, int pid, int options, bool ptrace)
{
	if (!wait_matches(c, pid))
		return false;
	if (ptrace || (options & __WALL))
		return true;
	return (c->exit_signal != SIGCHLD) == !!(options & __WCLONE);
}

/* Frees what is left of a zombie: its kernel stack and task structure. */
static void release_task(struct task_struct *parent, struct task_struct *c)
{
	for (struct task_struct **pp = &parent->children; *pp; pp = &(*pp)->sibling) {
		if (*pp == c) {
			*pp = c->sibling;
			break;
		}
	}
	free_zombie(c);
}

/*
 * Is t in a stop (or just continued) that wait4 should report to the current task: job control
 * with WUNTRACED (or WCONTINUED for a continue), or a traced stop for its tracer, which needs no
 * WUNTRACED?
 */
static bool reportable_stop(const struct task_struct *t, int options)
{
	if (t->continued && (options & WCONTINUED) && t->parent == current &&
	    t->state < EXIT_ZOMBIE)
		return true; /* continued by SIGCONT: WCONTINUED reports it once */
	if (t->stop_reported)
		return false;
	if (t->state == TASK_TRACED && t->ptracer == current)
		return true;
	return t->state == TASK_STOPPED && (options & WUNTRACED) && t->parent == current;
}

/*
 * A child (or a tracee) matching pid that wait4 can report: a zombie child (once no other tracer
 * holds it), a zombie tracee, or one in a reportable stop; NULL if none. *any says whether any
 * child or tracee matches at all.
 */
static struct task_struct *find_waitable(int pid, int options, bool *any)
{
	*any = false;
	for (struct task_struct *c = current->children; c; c = c->sibling) {
		if (!eligible_child(c, pid, options, c->ptracer == current))
			continue;
		*any = true;
		/* A zombie still traced by another task is reaped once its tracer has seen it. */
		if ((c->state == EXIT_ZOMBIE && (!c->ptracer || c->ptracer == current)) ||
		    reportable_stop(c, options))
			return c;
	}
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		if (t->ptracer != current || t->parent == current ||
		    !eligible_child(t, pid, options, true))
			continue; /* tracees that are not children (PTRACE_ATTACH) */
		*any = true;
		if (t->state == EXIT_ZOMBIE || reportable_stop(t, options))
			return t;
	}
	return NULL;
}

long sys_wait4(int pid, int *status, int options, void *rusage)
{
	struct task_struct *z;
	bool any;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == (int)0x80000000)
		return -ESRCH;
	for (;;) {
		z = find_waitable(pid, options, &any);
		if (z || !any || (options & WNOHANG))
			break;
		long err = wait_event_interruptible(current->wait_chldexit,
						    find_waitable(pid, options, &any) || !any);
		if (err)
			return err;
	}
	if (!any)
		return -ECHILD;
	if (!z)
		return 0;
	int zpid = z->pid, zstatus;
	if (z->state == EXIT_ZOMBIE && z->parent != current) {
		/* The tracer's view of a tracee's exit: reported once, then the parent reaps it. */
		zstatus = z->exit_code;
		z->ptracer = NULL;
		if (z->parent) /* always: only init has none, and init never becomes a zombie */
			wake_up(&z->parent->wait_chldexit);
	} else if (z->state == EXIT_ZOMBIE) {
		zstatus = z->exit_code;
		release_task(current, z);
	} else if (z->continued && (options & WCONTINUED) && z->state != TASK_STOPPED &&
		   z->state != TASK_TRACED) {
		zstatus = 0xffff; /* WIFCONTINUED */
		z->continued = false;
	} else {
		zstatus = (z->stop_sig << 8) | 0x7f; /* WIFSTOPPED, WSTOPSIG */
		z->stop_reported = true;
	}
	if (status && put_user_u32((u32)zstatus, (u32 *)status))
		return -EFAULT;
	if (rusage && clear_user(rusage, RUSAGE_SIZE))
		return -EFAULT;
	return zpid;
}
