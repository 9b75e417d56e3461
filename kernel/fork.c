// SPDX-License-Identifier: MIT
/*
 * fork, vfork and clone (process creation only; threads come with CLONE_VM later). The child
 * gets a copy of the address space (every page copied now; copy-on-write is the memory issue's),
 * of the open files, the working directory and the signal handlers.
 */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/sys.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/pkru.h"
#include "arch/x86_64/process.h"
#include "arch/x86_64/traps.h"
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "fs/vfs.h"
#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vmalloc.h"

#define CSIGNAL 0x000000ff
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000

static int next_pid = 1;

#define THREAD_SIZE (16UL << 10) /* Linux's x86-64 kernel stack, which max_threads is sized by */
#define MIN_THREADS 20
#define MAX_THREADS 0x3fffffff /* FUTEX_TID_MASK */

int max_threads = MIN_THREADS;

void fork_init(void)
{
	u64 threads = nr_managed_frames() * PAGE_SIZE / (THREAD_SIZE * 8);

	max_threads = (int)min(max(threads, (u64)MIN_THREADS), (u64)MAX_THREADS);
}

/* A task with a kernel stack and nothing else; NULL when memory runs out. */
struct task_struct *task_create(void)
{
	struct task_struct *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	t->stack = vmalloc(KSTACK_SIZE, GFP_KERNEL);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	t->pid = t->tgid = next_pid++;
	init_waitqueue_head(&t->wait_chldexit);
	fpu_init_state(t);
	arch_setup_new_task(t);
	return t;
}

/* Frees a task that never ran. */
static void task_destroy(struct task_struct *t)
{
	if (t->mm)
		mmput(t->mm);
	if (t->files)
		put_files(t->files);
	if (t->fs)
		put_fs(t->fs);
	sighand_put(t->sighand);
	vfree(t->stack);
	kfree(t);
}

static long do_fork(u64 flags, u64 newsp, int *parent_tid, int *child_tid, u64 tls)
{
	struct task_struct *parent = current;

	if (flags &
	    (CLONE_VM | CLONE_THREAD | CLONE_SIGHAND | CLONE_FS | CLONE_FILES | CLONE_PARENT))
		return -EINVAL; /* threads: not yet */
	if ((flags & CLONE_SETTLS) && tls >= TASK_SIZE_MAX)
		return -EPERM; /* a non-canonical FS base would fault in the context switch */
	struct task_struct *t = task_create();
	if (!t)
		return -ENOMEM;
	/* Root is not held to RLIMIT_NPROC; the system-wide task limit holds for everyone. */
	if (nr_threads >= max_threads) {
		task_destroy(t);
		return -EAGAIN;
	}
	t->mm = dup_mm(parent->mm);
	t->files = dup_files(parent->files);
	t->fs = copy_fs(parent->fs);
	t->sighand = sighand_alloc(parent->sighand);
	if (!t->mm || !t->files || !t->fs || !t->sighand) {
		task_destroy(t);
		return -ENOMEM;
	}
	struct pt_regs *regs = task_pt_regs(t);
	*regs = *task_pt_regs(parent);
	regs->rax = 0;
	if (newsp)
		regs->rsp = newsp;
	fpu_save_regs(task_fpstate(t));
	t->pkru = read_pkru(); /* the parent's current PKRU, as Linux's copy_thread */
	save_user_segments(parent); /* the selectors and bases as they are now, as Linux */
	t->ds = parent->ds;
	t->es = parent->es;
	t->fsindex = (flags & CLONE_SETTLS) ? 0 : parent->fsindex;
	t->gsindex = parent->gsindex;
	t->fs_base = (flags & CLONE_SETTLS) ? tls : parent->fs_base;
	t->gs_base = parent->gs_base;
	copy_signal_state(t, parent);
	memcpy(t->rlim, parent->rlim, sizeof(t->rlim));
	t->personality = parent->personality;
	t->oom_score_adj = parent->oom_score_adj;
	t->oom_score_adj_min = parent->oom_score_adj_min;
	t->has_child_subreaper = parent->has_child_subreaper || parent->is_child_subreaper;
	memcpy(t->comm, parent->comm, sizeof(t->comm));
	memcpy(t->exe_path, parent->exe_path, sizeof(t->exe_path));
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = (u64)child_tid;
	if (flags & CLONE_CHILD_SETTID)
		t->set_child_tid = (u64)child_tid;
	if ((flags & CLONE_PARENT_SETTID) && put_user_u32((u32)t->pid, (u32 *)parent_tid)) {
		task_destroy(t);
		return -EFAULT;
	}
	t->parent = parent;
	t->sibling = parent->children;
	parent->children = t;
	int pid = t->pid;
	sched_add_task(t);
	t->state = TASK_RUNNING;
	return pid;
}

long sys_fork(void)
{
	return do_fork(SIGCHLD, 0, NULL, NULL, 0);
}

long sys_vfork(void)
{
	return do_fork(SIGCHLD, 0, NULL, NULL, 0);
}

long sys_clone(u64 flags, u64 newsp, int *parent_tid, int *child_tid, u64 tls)
{
	return do_fork(flags & ~(u64)(CLONE_VFORK | CSIGNAL), newsp, parent_tid, child_tid, tls);
}
