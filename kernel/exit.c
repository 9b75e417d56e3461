// SPDX-License-Identifier: MIT
/* exit, exit_group and wait4, with Linux's wait status encoding. */
#include "kernel/exit.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "arch/x86_64/qemu.h"
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

/* Gives the exiting task's children to init (PID 1), waking init if one is already a zombie. */
static void reparent_children(struct task_struct *t)
{
	struct task_struct *init = find_task_by_pid(1);

	while (t->children) {
		struct task_struct *c = t->children;
		t->children = c->sibling;
		c->parent = init;
		c->sibling = init->children;
		init->children = c;
		if (c->state == EXIT_ZOMBIE)
			wake_up(&init->wait_chldexit);
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

	if (t->clear_child_tid)
		put_user_u32(0, (u32 *)t->clear_child_tid);
	if (t->pid == 1)
		init_exited(status);
	if (t->files)
		put_files(t->files);
	if (t->fs)
		put_fs(t->fs);
	t->files = NULL;
	t->fs = NULL;
	if (t->mm) {
		switch_mm(NULL);
		mmput(t->mm);
		t->mm = NULL;
	}
	sighand_put(t->sighand);
	t->sighand = NULL;
	reparent_children(t);
	t->exit_code = status;
	t->state = EXIT_ZOMBIE;
	wake_up(&t->parent->wait_chldexit);
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

/* Does child c match wait4's pid argument? */
static bool wait_matches(const struct task_struct *c, int pid)
{
	return pid == -1 || pid == 0 || pid < -1 || c->pid == pid;
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
	c->state = EXIT_DEAD;
	sched_remove_task(c);
	vfree(c->stack);
	kfree(c);
}

/* A zombie child matching pid, or NULL; *any says whether any child matches at all. */
static struct task_struct *find_zombie(int pid, bool *any)
{
	*any = false;
	for (struct task_struct *c = current->children; c; c = c->sibling) {
		if (!wait_matches(c, pid))
			continue;
		*any = true;
		if (c->state == EXIT_ZOMBIE)
			return c;
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
		z = find_zombie(pid, &any);
		if (z || !any || (options & WNOHANG))
			break;
		long err = wait_event_interruptible(current->wait_chldexit,
						    find_zombie(pid, &any) || !any);
		if (err)
			return err;
	}
	if (!any)
		return -ECHILD;
	if (!z)
		return 0;
	int zpid = z->pid, zstatus = z->exit_code;
	release_task(current, z);
	if (status && put_user_u32((u32)zstatus, (u32 *)status))
		return -EFAULT;
	if (rusage && clear_user(rusage, RUSAGE_SIZE))
		return -EFAULT;
	return zpid;
}
