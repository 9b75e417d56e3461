// SPDX-License-Identifier: MIT
/*
 * fork, vfork and clone: process creation, as Linux 6.1's kernel_clone/copy_process for the
 * flags Warden has. The child gets a copy-on-write copy of the address space, or shares it
 * (CLONE_VM: one mm_struct, counted in mm->users), a copy of the open files, the working
 * directory and the signal handlers. Its exit signal (clone's low byte, CSIGNAL) is what its
 * parent gets when it exits; CLONE_VFORK suspends the parent until the child execs or exits.
 * Threads (CLONE_THREAD, CLONE_SIGHAND, CLONE_FILES, CLONE_FS) come later (issue 17).
 */
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/exit.h"
#include "kernel/futex.h"
#include "kernel/itimer.h"
#include "kernel/ptrace.h"
#include "kernel/sched.h"
#include "mm/userfaultfd.h"
#include "kernel/sched_stats.h"
#include "kernel/posix_timers.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/sys.h"
#include "kernel/time_namespace.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/pkru.h"
#include "arch/x86_64/process.h"
#include "arch/x86_64/traps.h"
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "fs/vfs.h"
#include "mm/frame.h"
#include "mm/poison.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vmalloc.h"

#define CSIGNAL 0x000000ff
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_PIDFD 0x00001000
#define CLONE_NEWNS 0x00020000
#define CLONE_DETACHED 0x00400000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_CLEAR_SIGHAND 0x100000000ULL /* clone3: the child's handlers back to SIG_DFL */
#define CLONE_INTO_CGROUP 0x200000000ULL /* clone3: start in the cgroup args->cgroup names */
#define CLONE_LEGACY_FLAGS 0xffffffffULL
#define PID_MAX_DEFAULT 0x8000 /* Linux's pid_max on a machine with few CPUs */

/* What clone asks for (Linux's struct kernel_clone_args, the fields Warden uses). */
struct kernel_clone_args {
	u64 flags; /* CLONE_*, without the exit signal */
	int exit_signal; /* sent to the parent at exit; 0: none */
	u64 stack; /* the child's RSP; 0: the parent's */
	int *parent_tid, *child_tid;
	u64 tls;
	int set_tid; /* clone3: the pid asked for (set_tid_size 1), 0: any */
};

#define RESERVED_PIDS 300 /* after the first wrap, pids start here (Linux's RESERVED_PIDS) */

/*
 * The cursor of pid allocation (Linux's idr_get_cursor of the pid idr): one past the pid handed
 * out last. Pids cycle up to pid_max - 1, then wrap. Under the big kernel lock, as the task list.
 */
static int next_pid = 1;
static unsigned long total_forks; /* tasks ever made (Linux's total_forks: /proc/stat) */
int pid_max = PID_MAX_DEFAULT; /* kernel.pid_max (kernel/sysctl_kernel.c) */

#define THREAD_SIZE (16UL << 10) /* Linux's x86-64 kernel stack, which max_threads is sized by */
#define MIN_THREADS 20
#define MAX_THREADS 0x3fffffff /* FUTEX_TID_MASK */

int max_threads = MIN_THREADS;

void fork_init(void)
{
	u64 threads = nr_managed_frames() * PAGE_SIZE / (THREAD_SIZE * 8);

	max_threads = (int)min(max(threads, (u64)MIN_THREADS), (u64)MAX_THREADS);
}

int last_pid(void)
{
	return next_pid - 1;
}

unsigned long nr_forks(void)
{
	return total_forks;
}

/*
 * Is pid n taken? Linux's struct pid lives while any task uses it: as its own pid (a zombie's
 * too, until reaped), as a thread group's id (the leader's pid) or as a process group or session
 * id, even after the task that gave it its number is gone.
 */
static bool pid_in_use(int n)
{
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		if (t->pid == n && n != 0)
			return true;
		if (t->state != EXIT_DEAD && t->signal &&
		    (t->tgid == n || t->signal->pgid == n || t->signal->sid == n))
			return true;
	}
	return false;
}

/* The first free pid in [from, to), or 0. */
static int pid_scan(int from, int to)
{
	for (int n = from; n < to; n++)
		if (!pid_in_use(n))
			return n;
	return 0;
}

/*
 * A pid for a new task (Linux's alloc_pid): with set_tid (clone3), that pid: EINVAL outside
 * 1..pid_max - 1, EEXIST when taken; the cursor stays (Linux's idr_alloc). Otherwise the next
 * free pid from the cursor up to pid_max - 1, then from the start again (Linux's
 * idr_alloc_cyclic from 1, or from RESERVED_PIDS once the cursor has passed it); EAGAIN when
 * every pid is taken.
 */
static int alloc_pid(int set_tid)
{
	int min = next_pid > RESERVED_PIDS ? RESERVED_PIDS : 1, n;

	if (set_tid) {
		if (set_tid < 1 || set_tid >= pid_max)
			return -EINVAL; /* pid_max is one past the last pid */
		return pid_in_use(set_tid) ? -EEXIST : set_tid;
	}
	n = pid_scan(max(next_pid, min), pid_max);
	if (!n && next_pid > min)
		n = pid_scan(min, pid_max);
	if (!n)
		return -EAGAIN;
	next_pid = n + 1;
	return n;
}

int task_alloc_pid(struct task_struct *t, int set_tid)
{
	int n = alloc_pid(set_tid);

	if (n < 0)
		return n;
	t->pid = t->tgid = n;
	t->pid_serial = ++total_forks;
	return 0;
}

/*
 * Kernel stacks and task_structs of freed tasks, kept for the next tasks (Linux's cached_stacks,
 * NR_CACHED_STACKS per CPU, and its task_struct slab). Both are vmalloc'd (a task_struct is
 * larger than a page, which kmalloc hands to vmalloc), and vfree unmaps kernel PTEs, which every
 * CPU may cache: each vfree is a shootdown to every online CPU, waking the idle ones, and a
 * thread's creation and exit would pay two. A slot holds one object or NULL and is taken or
 * filled with one atomic exchange, so no lock is needed; each CPU looks at its own slots first,
 * then at the others' (a thread freed on the CPU it ran on feeds the creator's CPU).
 */
#define NR_CACHED_STACKS 2
struct task_mem_cache {
	void *slot[NR_CPUS * NR_CACHED_STACKS];
};
static struct task_mem_cache cached_stacks, cached_tasks;

/* Takes an object from cache c, this CPU's slots first (NULL: it is empty). */
static void *task_mem_cache_get(struct task_mem_cache *c)
{
	unsigned int first = smp_processor_id() * NR_CACHED_STACKS, n = NR_CPUS * NR_CACHED_STACKS;

	for (unsigned int i = 0; i < n; i++) {
		void *p = __atomic_exchange_n(&c->slot[(first + i) % n], NULL, __ATOMIC_ACQ_REL);

		if (p) {
			schedstat_inc(stack_cache_hit);
			return p;
		}
	}
	schedstat_inc(stack_cache_miss);
	return NULL;
}

/* Puts p into an empty slot of cache c, this CPU's first; false when every slot is taken. */
static bool task_mem_cache_put(struct task_mem_cache *c, void *p)
{
	unsigned int first = smp_processor_id() * NR_CACHED_STACKS, n = NR_CPUS * NR_CACHED_STACKS;

	for (unsigned int i = 0; i < n; i++) {
		void *expect = NULL;

		if (__atomic_compare_exchange_n(&c->slot[(first + i) % n], &expect, p, false,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

/* A kernel stack: a cached one (poisoned again under `poison`, as a fresh one), or vmalloc's. */
static void *alloc_thread_stack(void)
{
	void *s = task_mem_cache_get(&cached_stacks);

	if (!s)
		return vmalloc(KSTACK_SIZE, GFP_KERNEL);
	if (debug_poison)
		poison_fill(s, KSTACK_SIZE);
	return s;
}

/* A zeroed task_struct, cached or new. */
static struct task_struct *alloc_task_struct(void)
{
	struct task_struct *t = task_mem_cache_get(&cached_tasks);

	if (!t)
		return kzalloc(sizeof(*t), GFP_KERNEL);
	memset(t, 0, sizeof(*t));
	return t;
}

/* A task with a kernel stack and nothing else; NULL when memory runs out. */
struct task_struct *task_create(void)
{
	struct task_struct *t = alloc_task_struct();

	if (!t)
		return NULL;
	t->stack = alloc_thread_stack();
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	t->group_leader = t; /* its pid comes from task_alloc_pid */
	t->time_ns = t->time_ns_for_children = &init_time_ns; /* a kernel thread's (no reference) */
	t->start_time = ktime_get_ns();
	t->cpu = smp_processor_id();
	t->cpus_allowed = current->cpus_allowed; /* affinity is inherited, as on Linux */
	fpu_init_state(t);
	arch_setup_new_task(t);
	return t;
}

/*
 * CLONE_CHILD_CLEARTID at exit or execve: 0 in the word, and whoever waits on it (pthread_join)
 * woken: one waiter, shared key, as Linux's do_futex(FUTEX_WAKE). A bad pointer is ignored and
 * the wake made all the same, as Linux.
 */
static void mm_release_clear_tid(struct task_struct *t)
{
	put_user_u32(0, (u32 *)t->clear_child_tid);
	futex_wake((u32 *)t->clear_child_tid, FLAGS_SHARED, 1, FUTEX_BITSET_MATCH_ANY);
}

/* The task stops using its mm (exit, execve): the shared tid word, then the vfork parent. */
void mm_release(struct task_struct *t)
{
	struct vfork_done *vfork = t->vfork_done;

	if (t->clear_child_tid && t->mm && t->mm->users > 1)
		mm_release_clear_tid(t);
	t->clear_child_tid = 0;
	if (vfork) {
		t->vfork_done = NULL;
		vfork->done = true;
		wake_up(&vfork->wq);
	}
}

/*
 * A new process's signal_struct (Linux's copy_signal): one thread, alive, with the parent's
 * process group, session, terminal, limits and OOM adjustment (NULL parent: all zero, for init).
 */
struct signal_struct *signal_alloc(const struct signal_struct *parent)
{
	struct signal_struct *sig = kzalloc(sizeof(*sig), GFP_KERNEL);

	if (!sig)
		return NULL;
	sig->count = 1;
	sig->live = 1;
	init_waitqueue_head(&sig->wait_chldexit);
	itimers_init(sig); /* a new process has no itimer armed, a forked one included */
	sig->rlim_cpu_nextevt = ~0ULL; /* no RLIMIT_CPU yet */
	if (!parent)
		return sig;
	sig->pgid = parent->pgid; /* same process group and session as the parent */
	sig->sid = parent->sid;
	sig->tty = parent->tty;
	memcpy(sig->rlim, parent->rlim, sizeof(sig->rlim));
	rlimit_cpu_update(sig); /* its CPU time starts at 0 (posix_cputimers_group_init) */
	sig->oom_score_adj = parent->oom_score_adj;
	sig->oom_score_adj_min = parent->oom_score_adj_min;
	sig->has_child_subreaper = parent->has_child_subreaper || parent->is_child_subreaper;
	return sig;
}

/* Drops a task's hold on its signal_struct; the last task of the group frees it. */
static void signal_put(struct signal_struct *sig)
{
	if (sig && --sig->count == 0) {
		itimers_exit(sig);
		exit_itimers(sig);
		flush_shared_sigqueue(sig);
		kfree(sig);
	}
}

void free_task(struct task_struct *t)
{
	flush_task_sigqueue(t);
	signal_put(t->signal);
	put_group_info(t->cred.group_info);
	if (t->stack && !task_mem_cache_put(&cached_stacks, t->stack))
		vfree(t->stack);
	if (!task_mem_cache_put(&cached_tasks, t))
		kfree(t);
}

/* At exit: the robust list first (locks held get FUTEX_OWNER_DIED), then mm_release. */
void exit_mm_release(struct task_struct *t)
{
	futex_exit_release(t);
	mm_release(t);
}

/* At execve, likewise: the new program starts with no robust list. */
void exec_mm_release(struct task_struct *t)
{
	futex_exec_release(t);
	mm_release(t);
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
	exit_time_ns(t);
	sighand_put(t->sighand);
	free_task(t);
}

/*
 * Linux 6.1's checks of clone's flags, in kernel_clone's and copy_process's order, then what
 * Warden does not have yet (EINVAL): pidfds. Time namespaces are Linux's (timens_clone_check,
 * copy_time_ns); flags Linux ignores here (the other namespaces,
 * CLONE_UNTRACED, CLONE_DETACHED, CLONE_SYSVSEM with no semaphores to undo, ...) are ignored.
 */
static long clone_flags_check(const struct kernel_clone_args *args)
{
	u64 f = args->flags;

	if ((f & CLONE_PIDFD) && (f & CLONE_PARENT_SETTID))
		return -EINVAL; /* legacy clone: the pidfd goes where parent_tid points */
	if ((f & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if ((f & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
		return -EINVAL;
	if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND))
		return -EINVAL; /* a thread group shares its signal handlers */
	if ((f & CLONE_SIGHAND) && !(f & CLONE_VM))
		return -EINVAL; /* shared handlers need shared memory */
	if ((f & CLONE_PARENT) && (current->signal->flags & SIGNAL_UNKILLABLE))
		return -EINVAL; /* init makes no siblings: nobody would reap them */
	if ((f & CLONE_THREAD) && (f & (CLONE_NEWUSER | CLONE_NEWPID)))
		return -EINVAL;
	if (timens_clone_check(f))
		return -EINVAL; /* a thread or CLONE_VM child cannot go to another time namespace */
	if ((f & CLONE_PIDFD) && (f & (CLONE_DETACHED | CLONE_THREAD)))
		return -EINVAL;
	if (f & CLONE_PIDFD)
		return -EINVAL; /* not yet */
	if (f & CLONE_INTO_CGROUP)
		return -EBADF; /* no cgroup file system: no descriptor names a cgroup directory */
	if ((f & CLONE_SETTLS) && args->tls >= TASK_SIZE_MAX)
		return -EPERM; /* a non-canonical FS base would fault in the context switch */
	return 0;
}

/* The child's address space: the parent's own (CLONE_VM, one more user) or a copy of it. */
static struct mm_struct *copy_mm(u64 flags, struct mm_struct *mm)
{
	if (flags & CLONE_VM) {
		mmget(mm);
		return mm;
	}
	return dup_mm(mm);
}

/* The child's open files: the parent's table itself (CLONE_FILES, one more user) or a copy. */
static struct files_struct *copy_files(u64 flags, struct files_struct *files)
{
	if (flags & CLONE_FILES) {
		files->count++;
		return files;
	}
	return dup_files(files);
}

/* The child's working directory and umask: shared (CLONE_FS) or a copy (Linux's copy_fs). */
static struct fs_struct *copy_fs_struct(u64 flags, struct fs_struct *fs)
{
	if (flags & CLONE_FS) {
		fs->count++;
		return fs;
	}
	return copy_fs(fs);
}

/* The child's signal handlers: the same table (CLONE_SIGHAND, one more user) or a copy. */
static struct sighand_struct *copy_sighand(u64 flags, struct sighand_struct *sh)
{
	if (flags & CLONE_SIGHAND) {
		sh->count++;
		return sh;
	}
	return sighand_alloc(sh);
}

/*
 * The child's process: a new thread of the caller's (CLONE_THREAD: same signal_struct, same
 * tgid and leader, one more live thread) or a new process of its own (Linux's copy_signal).
 */
static struct signal_struct *copy_signal(u64 flags, struct task_struct *t,
					 struct task_struct *parent)
{
	struct signal_struct *sig = parent->signal;

	if (!(flags & CLONE_THREAD))
		return signal_alloc(sig);
	sig->count++;
	sig->live++;
	t->tgid = parent->tgid;
	t->group_leader = parent->group_leader;
	return sig;
}

/*
 * Links the new task into the family (Linux's end of copy_process): a thread or a CLONE_PARENT
 * child is a child of the caller's parent, with the caller's parent_exec_id; a thread reports
 * to nobody (exit signal -1) and is on no children list, only on its group's thread list; a
 * CLONE_PARENT child reports with the caller's group leader's exit signal.
 */
static void link_new_task(struct task_struct *t, const struct kernel_clone_args *args)
{
	struct task_struct *me = current;
	u64 flags = args->flags;

	if (flags & (CLONE_PARENT | CLONE_THREAD)) {
		t->parent = me->parent;
		t->parent_exec_id = me->parent_exec_id;
		t->exit_signal = (flags & CLONE_THREAD) ? -1 : me->group_leader->exit_signal;
	} else {
		t->parent = me;
		t->parent_exec_id = me->self_exec_id;
		t->exit_signal = args->exit_signal;
	}
	u64 f = spin_lock_irqsave(&tasklist_lock);
	if (!(flags & CLONE_THREAD) && t->parent)
		add_child(t->parent, t);
	spin_unlock_irqrestore(&tasklist_lock, f);
	attach_thread(t);
}

/* A new task, a copy of the current one as args say, not yet runnable; or an ERR value. */
static struct task_struct *copy_process(const struct kernel_clone_args *args, long *err)
{
	struct task_struct *parent = current, *t;
	u64 flags = args->flags;

	*err = clone_flags_check(args);
	if (*err)
		return NULL;
	*err = -ENOMEM;
	t = task_create();
	if (!t)
		return NULL;
	/* The user's RLIMIT_NPROC (not root's), then the system-wide task limit for everyone. */
	if (!fork_nproc_allowed() || nr_threads >= max_threads) {
		task_destroy(t);
		*err = -EAGAIN;
		return NULL;
	}
	t->mm = copy_mm(flags, parent->mm);
	t->files = copy_files(flags, parent->files);
	t->fs = copy_fs_struct(flags, parent->fs);
	t->sighand = copy_sighand(flags, parent->sighand);
	if (!t->mm || !t->files || !t->fs || !t->sighand) {
		task_destroy(t);
		return NULL;
	}
	*err = copy_time_ns(flags, t, parent); /* Linux's copy_namespaces: EPERM, ENOMEM */
	if (*err) {
		t->time_ns = t->time_ns_for_children = NULL;
		task_destroy(t);
		return NULL;
	}
	*err = task_alloc_pid(t, args->set_tid);
	if (*err) {
		task_destroy(t);
		return NULL;
	}
	*err = -ENOMEM;
	/*
	 * A caller that is about to die (SIGKILL pending: a group exit, an OOM kill) makes nobody
	 * that could slip out of it, as Linux's fatal_signal_pending check in copy_process.
	 */
	if (fatal_signal_pending_current()) {
		task_destroy(t);
		*err = -EINTR;
		return NULL;
	}
	t->signal = copy_signal(flags, t, parent);
	if (!t->signal) {
		task_destroy(t);
		return NULL;
	}
	struct pt_regs *regs = task_pt_regs(t);
	*regs = *task_pt_regs(parent);
	regs->rax = 0;
	if (args->stack)
		regs->rsp = args->stack;
	fpu_save_regs(task_fpstate(t));
	t->pkru = read_pkru(); /* the parent's current PKRU, as Linux's copy_thread */
	fork_thread_ptrace(t, parent); /* no breakpoints; DR6 and DR7 words copied */
	save_user_segments(parent); /* the selectors and bases as they are now, as Linux */
	t->ds = parent->ds;
	t->es = parent->es;
	t->fsindex = (flags & CLONE_SETTLS) ? 0 : parent->fsindex;
	t->gsindex = parent->gsindex;
	t->fs_base = (flags & CLONE_SETTLS) ? args->tls : parent->fs_base;
	t->gs_base = parent->gs_base;
	copy_signal_state(t, parent);
	t->cred = parent->cred; /* each thread has its own copy, as Linux's copy_creds */
	get_group_info(t->cred.group_info); /* the groups list is shared (free_task drops it) */
	t->nice = parent->nice;
	if (flags & CLONE_CLEAR_SIGHAND) { /* Linux's flush_signal_handlers(p, 0) */
		struct sigaltstack_state ss = t->sig.altstack;

		flush_signal_handlers(t);
		t->sig.altstack = ss;
	}
	if ((flags & (CLONE_VM | CLONE_VFORK)) == CLONE_VM)
		memset(&t->sig.altstack, 0, sizeof(t->sig.altstack)); /* Linux's sas_ss_reset */
	t->personality = parent->personality;
	t->mce_kill = parent->mce_kill;
	memcpy(t->comm, parent->comm, sizeof(t->comm));
	memcpy(t->exe_path, parent->exe_path, sizeof(t->exe_path));
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = (u64)args->child_tid;
	if (flags & CLONE_CHILD_SETTID)
		t->set_child_tid = (u64)args->child_tid;
	link_new_task(t, args);
	return t;
}

/*
 * The parent of a CLONE_VFORK child sleeps here until the child lets go of the shared address
 * space (exec or exit: mm_release completes *done), as Linux's wait_for_vfork_done in
 * TASK_KILLABLE: only a fatal signal ends the wait early; the others wait with the parent.
 * A killed parent unhooks itself so that the child never touches its stack again. True when the
 * child let go (not when the wait was ended by a fatal signal).
 */
static bool wait_for_vfork_done(struct task_struct *child, struct vfork_done *done)
{
	struct wait_queue_entry we;

	for (;;) {
		prepare_to_wait_uninterruptible(&done->wq, &we);
		if (done->done || fatal_signal_pending_current())
			break;
		schedule();
	}
	finish_wait(&done->wq, &we);
	if (!done->done)
		child->vfork_done = NULL; /* not yet exited: child is still there */
	return done->done;
}

/* Linux's kernel_clone: makes the child, starts it, and for CLONE_VFORK waits for it. */
static long kernel_clone(const struct kernel_clone_args *args)
{
	struct vfork_done vfork = { .done = false };
	long err;
	int trace = ptrace_clone_event(args->flags, args->exit_signal);
	struct task_struct *t = copy_process(args, &err);

	if (!t)
		return err;
	int pid = t->pid;
	ptrace_init_task(t, (args->flags & CLONE_PTRACE) || trace);
	/* Linux ignores a fault here: the child exists either way. */
	if (args->flags & CLONE_PARENT_SETTID)
		put_user_u32((u32)pid, (u32 *)args->parent_tid);
	if (args->flags & CLONE_VFORK) {
		init_waitqueue_head(&vfork.wq);
		t->vfork_done = &vfork;
	}
	/* The FORK events of the parent's uffds are read before the child runs (dup_mmap). */
	if (current->uffd_events)
		userfaultfd_events_complete();
	sched_add_task(t);
	wake_up_new_task(t); /* an idle CPU may take it at once */
	if (trace) /* the child runs: now its tracer hears of it (Linux's ptrace_event_pid) */
		ptrace_event_pid(trace, pid);
	if ((args->flags & CLONE_VFORK) && wait_for_vfork_done(t, &vfork))
		ptrace_event_pid(PTRACE_EVENT_VFORK_DONE, pid);
	return pid;
}

long sys_fork(void)
{
	struct kernel_clone_args args = { .exit_signal = SIGCHLD };

	return kernel_clone(&args);
}

long sys_vfork(void)
{
	struct kernel_clone_args args = { .flags = CLONE_VFORK | CLONE_VM, .exit_signal = SIGCHLD };

	return kernel_clone(&args);
}

/*
 * clone(flags, newsp, parent_tid, child_tid, tls): the flags are an int (the upper 32 bits are
 * ignored) whose low byte is the exit signal, taken as it is: the legacy clone checks no range
 * (a signal above 64 is simply never sent, as Linux's do_notify_parent).
 */
long sys_clone(u64 flags, u64 newsp, int *parent_tid, int *child_tid, u64 tls)
{
	struct kernel_clone_args args = {
		.flags = (u32)flags & ~(u32)CSIGNAL,
		.exit_signal = (int)(flags & CSIGNAL),
		.stack = newsp,
		.parent_tid = parent_tid,
		.child_tid = child_tid,
		.tls = tls,
	};

	return kernel_clone(&args);
}

/* struct clone_args as clone3 takes it (Linux 6.1's uapi, 88 bytes, CLONE_ARGS_SIZE_VER2). */
struct clone_args {
	u64 flags;
	u64 pidfd;
	u64 child_tid;
	u64 parent_tid;
	u64 exit_signal;
	u64 stack;
	u64 stack_size;
	u64 tls;
	u64 set_tid;
	u64 set_tid_size;
	u64 cgroup;
};

#define CLONE_ARGS_SIZE_VER0 64 /* up to tls */
#define MAX_PID_NS_LEVEL 32

/*
 * Linux's copy_struct_from_user for clone_args: a shorter struct reads as zero beyond its size;
 * a longer one must hold zeros beyond what the kernel knows (E2BIG otherwise). 0 or -errno.
 */
static int copy_clone_args(struct clone_args *args, const void *uargs, u64 usize)
{
	u64 ksize = sizeof(*args);

	memset(args, 0, sizeof(*args));
	if (usize > ksize) {
		u8 chunk[64];

		for (u64 off = ksize; off < usize; off += sizeof(chunk)) {
			u64 n = min(usize - off, (u64)sizeof(chunk));

			if (copy_from_user(chunk, (const u8 *)uargs + off, n))
				return -EFAULT;
			for (u64 i = 0; i < n; i++)
				if (chunk[i])
					return -E2BIG;
		}
	}
	if (copy_from_user(args, uargs, min(usize, ksize)))
		return -EFAULT;
	return 0;
}

/*
 * Linux's copy_clone_args_from_user and clone3_args_valid, in their order: the size, the copy,
 * set_tid and its size, the exit signal, CLONE_INTO_CGROUP's descriptor, then the flags clone3
 * refuses and the stack (stack_size bytes at stack; the child's RSP is their top).
 */
static long clone3_args(struct kernel_clone_args *k, const void *uargs, u64 usize)
{
	struct clone_args a;
	int tid = 0;

	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	long err = copy_clone_args(&a, uargs, usize);
	if (err)
		return err;
	if (a.set_tid_size > MAX_PID_NS_LEVEL || (!a.set_tid && a.set_tid_size) ||
	    (a.set_tid && !a.set_tid_size))
		return -EINVAL;
	if ((a.exit_signal & ~(u64)CSIGNAL) || a.exit_signal > _NSIG)
		return -EINVAL;
	if ((a.flags & CLONE_INTO_CGROUP) && (a.cgroup > 0x7fffffff || usize < sizeof(a)))
		return -EINVAL;
	if (a.set_tid && copy_from_user(&tid, (const void *)a.set_tid, sizeof(tid)))
		return -EFAULT;
	if (a.set_tid_size > 1)
		return -EINVAL; /* one pid namespace: one level (Linux's alloc_pid) */
	if (a.flags & ~(CLONE_LEGACY_FLAGS | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP))
		return -EINVAL;
	if (a.flags & (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME)))
		return -EINVAL;
	if ((a.flags & CLONE_SIGHAND) && (a.flags & CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((a.flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal)
		return -EINVAL;
	if ((!a.stack && a.stack_size) || (a.stack && !a.stack_size) ||
	    (a.stack && !access_ok((const void *)a.stack, a.stack_size)))
		return -EINVAL;
	*k = (struct kernel_clone_args){
		.flags = a.flags,
		.exit_signal = (int)a.exit_signal,
		.stack = a.stack ? a.stack + a.stack_size : 0,
		.parent_tid = (int *)a.parent_tid,
		.child_tid = (int *)a.child_tid,
		.tls = a.tls,
		.set_tid = a.set_tid ? (tid ? tid : -1) : 0,
	};
	return 0;
}

/* clone3(args, size): clone with its arguments in an extensible struct (Linux 6.1's). */
long sys_clone3(const void *uargs, u64 size)
{
	struct kernel_clone_args args;
	long err = clone3_args(&args, uargs, size);

	return err ? err : kernel_clone(&args);
}
