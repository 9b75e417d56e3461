/* SPDX-License-Identifier: MIT */
/*
 * Tasks and the scheduler. A task is a thread of execution with its own kernel stack (vmalloc'd,
 * with a guard page) and, for user tasks, an address space (mm), open files and a working
 * directory, all reference-counted so threads can share them later. Scheduling is preemptive
 * round robin: the timer marks the running task for rescheduling and the switch happens on the
 * way back to user mode or when a task sleeps. `current` is the task running on this CPU.
 */
#ifndef WARDEN_SCHED_H
#define WARDEN_SCHED_H

#include "kernel/spinlock.h"
#include "kernel/wait.h"
#include "kernel/signal.h"
#include "kernel/cred.h"
#include "kernel/cputime.h"
#include "kernel/itimer.h"
#include "arch/x86_64/percpu.h"
#include "kernel/cpumask.h"
#include "kernel/trace.h"
#include "kernel/kernel_lock.h"
#include "arch/x86_64/ptrace.h"

struct mm_struct;
struct files_struct;
struct fs_struct;
struct time_namespace;
struct pt_regs;
struct sighand_struct;
struct tty_struct;

enum task_state {
	TASK_RUNNING,
	TASK_INTERRUPTIBLE, /* asleep on a wait queue or a timer */
	TASK_STOPPED, /* stopped by SIGSTOP (job control) until SIGCONT or SIGKILL */
	TASK_TRACED, /* stopped for its tracer (ptrace) until PTRACE_CONT or SIGKILL */
	EXIT_ZOMBIE, /* exited, waiting for its parent to reap it */
	EXIT_DEAD,
};

#define TASK_COMM_LEN 16
#define RLIM_NLIMITS 16
#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_LOCKS 10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RLIMIT_RTTIME 15
#define RLIM_INFINITY (~0ULL)

struct rlimit64 {
	u64 rlim_cur;
	u64 rlim_max;
};
/*
 * A CLONE_VFORK parent's wait (Linux's vfork_done completion), on the parent's kernel stack:
 * the child sets done and wakes wq when it execs or exits (mm_release).
 */
struct vfork_done {
	bool done;
	struct wait_queue_head wq;
};

#define FPU_STATE_SIZE (2752 + 64) /* XSTATE_MAX_SIZE and room to align it to 64 */

struct timespec64;

/*
 * What restart_syscall(2) resumes after a stop interrupted a sleep (Linux's restart_block): the
 * kernel returns -ERESTART_RESTARTBLOCK, and with no handler to run the task re-enters through
 * restart_syscall, which calls fn. Only relative sleeps use it: the same deadline again.
 */
struct restart_block {
	long (*fn)(struct restart_block *rb);
	union {
		struct {
			u64 expires; /* the monotonic deadline */
			struct timespec64 *rmtp; /* where the time left goes if interrupted again */
		} nanosleep;
		struct { /* poll(2): the same array again, until the same end time */
			void *ufds;
			unsigned int nfds;
			bool has_timeout;
			s64 tv_sec, tv_nsec; /* the monotonic end time */
		} poll;
		struct { /* futex(2)'s timed FUTEX_WAIT/WAIT_BITSET: the same wait, same deadline */
			u32 *uaddr;
			u32 val;
			u32 bitset;
			unsigned int flags; /* FLAGS_SHARED, FLAGS_CLOCKRT, FLAGS_HAS_TIMEOUT */
			u64 time; /* the absolute deadline, on the clock FLAGS_CLOCKRT names */
		} futex;
	};
};

/*
 * What the threads of one process share (Linux's signal_struct, one per thread group): the
 * process-wide part of the signal state, the job-control ids, the limits and the group's fate.
 * Each task of the group points here; the last one freed frees it (count). The thread list
 * (thread_head, through each task's thread_next, in creation order) and nr_threads change only
 * under tasklist_lock (kernel/sched.c).
 */
struct signal_struct {
	int count; /* tasks (threads, zombie or not) pointing here */
	int live; /* threads that have not yet exited: 0 means the whole group is dead */
	int nr_threads; /* threads on the list: the leader, even a zombie, and the others */
	struct task_struct *thread_head; /* the first thread (the leader, unless execve changed) */
	/* wait4 by any thread of the group sleeps here; a child's exit or stop wakes it */
	struct wait_queue_head wait_chldexit;
	/*
	 * Signals sent to the process as a whole (kill, a process group's signal), with their
	 * siginfo: any thread that does not block one may take it (complete_signal).
	 */
	u64 shared_pending;
	struct kernel_siginfo shared_info[_NSIG];
	struct sigpending_queue shared_queue;
	/*
	 * SIGNAL_UNKILLABLE (init: no signal with the default action, unless the kernel forces it;
	 * kept across execve, not inherited; cleared when a fault with the default action is
	 * forced on it) and SIGNAL_GROUP_EXIT (exit_group or a fatal signal: every thread is
	 * leaving with group_exit_code).
	 */
	unsigned int flags;
	int group_exit_code; /* the wait status of a group exit */
	/* execve's de_thread: the thread that waits for the others to be gone, and for how many */
	struct task_struct *group_exec_task;
	/* a core dump under way: the dumper and the threads parked for it (kernel/coredump.h) */
	struct core_state *core_state;
	int notify_count;
	/*
	 * Process group and session ids: inherited at fork, changed by setpgid/setsid. Init starts
	 * in group 0 and session 0, as Linux's PID 1 does (init_struct_pid), until it calls setsid.
	 */
	int pgid;
	int sid;
	/*
	 * The controlling terminal: inherited at fork, set when a session leader takes a terminal,
	 * dropped by setsid, TIOCNOTTY and the session's hangup.
	 */
	struct tty_struct *tty;
	struct rlimit64 rlim[RLIM_NLIMITS];
	/*
	 * prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are given to this process instead of
	 * init; has_child_subreaper says an ancestor is one, so a search for one is worth it.
	 */
	bool is_child_subreaper;
	bool has_child_subreaper;
	/*
	 * The OOM killer (mm/oom_kill.h): the oom_score_adj (-1000..1000), the lowest value it may
	 * be set to without CAP_SYS_RESOURCE, and when the killer chose this process (0: never).
	 */
	short oom_score_adj;
	short oom_score_adj_min;
	u64 oom_kill_ns;
	/* CPU time and usage of threads gone and children reaped (kernel/cputime.c) */
	struct signal_acct acct;
	/* ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF (kernel/itimer.c) */
	struct signal_itimers itimers;
	/*
	 * The process's CPU time, user and system, of its threads live and gone, in ns: added to
	 * by every tick with an atomic add (its threads tick on several CPUs at once, without the
	 * kernel lock), read without a lock (Linux's cputimer's atomic sum).
	 */
	u64 cputime_prof;
	/*
	 * When RLIMIT_CPU is next due, as a cputime_prof value (U64_MAX: never): the soft limit in
	 * ns (Linux's CPUCLOCK_PROF nextevt), so the tick takes the kernel lock and tasklist_lock
	 * for it only once it is reached. Written under the kernel lock (rlimit_cpu_update), read
	 * by the tick without it.
	 */
	u64 rlim_cpu_nextevt;
};

/* signal_struct's flags besides SIGNAL_UNKILLABLE (kernel/signal.h); Linux's values. */
#define SIGNAL_STOP_STOPPED 0x00000001 /* a group stop is complete (until SIGCONT) */
#define SIGNAL_GROUP_EXIT 0x00000004

struct userfaultfd_event;
struct proc_show_ctx;

struct task_struct {
	u64 thread_sp; /* kernel RSP saved by switch_to (first: used by assembly) */
	int pid;
	int tgid;
	volatile int state;
	char comm[TASK_COMM_LEN];
	struct mm_struct *mm;
	struct files_struct *files;
	struct fs_struct *fs;
	/*
	 * The time namespace whose offsets this task's clocks show, and the one its children enter
	 * (they differ after unshare(CLONE_NEWTIME)): Linux's nsproxy->time_ns and
	 * time_ns_for_children (kernel/time_namespace.h). References; NULL once it exited.
	 */
	struct time_namespace *time_ns, *time_ns_for_children;
	void *stack; /* kernel stack base (KSTACK_SIZE bytes) */
	/*
	 * The task wait4 reports to. NULL for init (PID 1), which has none (Linux gives it the
	 * idle task), and for the idle task: every use checks it or runs only for tasks that are
	 * not init (issue 15: a stop of init used to wake a NULL parent's wait queue).
	 */
	struct task_struct *parent;
	struct task_struct *children; /* first child */
	struct task_struct *sibling; /* next child of the same parent */
	struct task_struct *run_next; /* all tasks, in creation order (not the run queues) */
	int exit_code; /* wait status, as wait4 reports it */
	/*
	 * The signal the parent gets at exit (clone's CSIGNAL byte; 0: none). A child whose exit
	 * signal is not SIGCHLD is a "clone child" for wait4 (__WCLONE). parent_exec_id is the
	 * parent's self_exec_id at fork (counted up by each execve): a parent that has exec'd
	 * since gets SIGCHLD instead (Linux's do_notify_parent).
	 */
	int exit_signal;
	u64 self_exec_id, parent_exec_id;
	bool exiting; /* in do_exit: no longer a thread to hand children to (Linux's PF_EXITING) */
	bool signaled; /* exiting for a fatal signal (Linux's PF_SIGNALED): parks for a core dump */
	bool did_exec; /* execve'd since fork (Linux's !PF_FORKNOEXEC): setpgid says EACCES */
	struct vfork_done *vfork_done; /* CLONE_VFORK: the waiting parent's, until exec or exit */
	struct task_struct *ptracer; /* the task tracing this one (ptrace), or NULL: checked */
	/* the tracer had CAP_SYS_PTRACE when it attached (Linux's ptracer_cred): a set-user-ID
	 * execve under it still gains its privileges (kernel/cred.c) */
	bool ptracer_capable;
	/*
	 * Asleep in TASK_INTERRUPTIBLE on a wait no signal ends (Linux's TASK_UNINTERRUPTIBLE or
	 * TASK_KILLABLE: vfork's wait, a rw_semaphore): /proc shows it as "D (disk sleep)".
	 */
	bool sleep_uninterruptible;
	/*
	 * Nonzero while a kernel access to user memory must not sleep in its fault (Linux's
	 * pagefault_disable: the futex word read under its bucket lock): a userfaultfd page then
	 * fails the access (EFAULT) instead of waiting for its handler.
	 */
	int pagefault_disabled;
	/* userfaultfd events this task's call prepared, sent when it is done (mm/userfaultfd.h) */
	struct userfaultfd_event *uffd_events;
	/*
	 * Which allocation of its pid this is (kernel/fork.c, unique since boot): /proc's inodes
	 * keep it beside the pid, as Linux's keep a struct pid, so a pid reused after a wrap does
	 * not make an old /proc/PID describe the new task.
	 */
	u64 pid_serial;
	int stop_sig; /* the signal of the current stop (TASK_STOPPED or TASK_TRACED) */
	bool stop_reported; /* wait4 has reported this stop */
	bool continued; /* continued by SIGCONT, not yet reported to a WCONTINUED wait4 */
	int resume_sig; /* PTRACE_CONT's signal for a traced stop (0: none) */
	u32 ptrace_options; /* PTRACE_O_* set by PTRACE_SETOPTIONS (Linux's ptrace flags) */
	u64 ptrace_message; /* what PTRACE_GETEVENTMSG reports for the last event stop */
	/* the siginfo of the ptrace stop it is in (PTRACE_GETSIGINFO), NULL outside one */
	struct kernel_siginfo *last_siginfo;
	struct thread_ptrace thread_ptrace; /* selectors and debug registers ptrace sees */
	struct trace_record trace_open; /* the traced call this task is in (kernel/trace.c) */
	bool trace_open_active; /* trace_open is being filled */
	struct sighand_struct *sighand;
	struct signal_struct *signal; /* the thread group's (process's) shared state */
	struct task_struct *group_leader; /* the thread whose pid is the group's tgid */
	struct task_struct *thread_next; /* the next thread of the group (signal->thread_head) */
	u64 pending; /* pending signals, bit n-1 for signal n */
	u64 blocked; /* signal mask */
	struct cred cred; /* this thread's ids and capabilities (kernel/cred.c) */
	/* set*uid made it a user past RLIMIT_NPROC: execve checks again (PF_NPROC_EXCEEDED) */
	bool nproc_exceeded;
	struct proc_show_ctx *proc_show; /* the /proc file whose show() it runs (fs/proc.c) */
	int nice; /* setpriority's value, -20..19, inherited at fork (kernel/sched_prio.c) */
	/* rt_sigtimedwait: the real mask while blocked has the awaited set taken out (else 0) */
	u64 real_blocked;
	struct task_signal sig; /* siginfo of pending signals, altstack, last trap */
	int jobctl_stop; /* a group stop's signal this thread is yet to stop for (JOBCTL_STOP) */
	u64 fs_base; /* user FS and GS bases, up to date while the task is not running */
	u64 gs_base;
	u16 ds, es, fsindex, gsindex; /* user segment selectors, likewise (arch/x86_64/process.h) */
	u64 clear_child_tid;
	struct file *fput_pending; /* last references dropped inside a release (fs/file_table.c) */
	bool fput_running; /* fput is freeing a file: further last references wait on the list */
	/* The lock checker's count of the locks a release may take held by this task, and the
	 * last one taken (kernel/lockcheck.h: lockcheck_nofput_acquire) */
	u8 nofput_depth;
	const void *nofput_lock;
	u64 set_child_tid;
	/*
	 * set_robust_list's head (a user pointer, Linux's robust_list): walked at exit and execve
	 * (kernel/futex_robust.c), then cleared; a forked child starts without one.
	 */
	u64 robust_list;
	u64 wake_at_ns; /* for nanosleep: when a timed sleep ends */
	struct restart_block restart_block;
	u64 personality;
	/*
	 * PR_MCE_KILL's per-thread policy (Linux's PF_MCE_PROCESS and PF_MCE_EARLY task flags):
	 * MCE_KILL_PROCESS set means this thread chose for itself, MCE_KILL_EARLY that memory
	 * failure signals it as soon as a page it maps is poisoned (mm/memory_failure.c). Inherited
	 * by fork and kept by execve, as Linux's.
	 */
	u8 mce_kill;
	bool need_resched;
	/*
	 * SMP (kernel/sched_rq.c, docs/smp.md): on_cpu is set while a CPU runs the task (from the
	 * switch to it until the switch away has finished: no other CPU may pick it then, Linux's
	 * task_on_cpu). on_rq is set while the task is runnable on the run queue of CPU cpu,
	 * running there or queued (rq_queued, linked through rq_next); cpu is where it runs, is
	 * queued or last ran. on_rq, rq_queued, rq_next and cpu change under that run queue's
	 * lock (both queues' locks to move it), cpus_allowed under pi_lock and the queue's lock.
	 * pi_lock (Linux's) serialises the wake-ups of the task: state leaves a sleep only under
	 * it. migrate_pending: schedule() took it off a CPU it may no longer use;
	 * finish_task_switch queues it on an allowed one.
	 */
	int on_cpu;
	int on_rq;
	bool rq_queued;
	bool migrate_pending;
	struct task_struct *rq_next;
	unsigned int cpu;
	cpumask_t cpus_allowed;
	spinlock_t pi_lock;
	char exe_path[256]; /* what /proc/self/exe names */
	u8 fpu_state[FPU_STATE_SIZE]; /* user FPU/SIMD state, XSAVE image at task_fpstate() */
	u32 pkru; /* user PKRU while the task is not running (Linux's thread.pkru) */
	u64 start_time; /* ktime_get_ns() at fork: /proc/<pid>/stat's starttime */
	struct task_acct acct; /* CPU time, switches, faults (kernel/cputime.c) */
};

/* Is t still running, neither a zombie nor reaped? */
static inline bool task_alive(const struct task_struct *t)
{
	return t->state != EXIT_ZOMBIE && t->state != EXIT_DEAD;
}

/* Is t its thread group's leader, the thread whose pid is the tgid (Linux's name)? */
static inline bool thread_group_leader(const struct task_struct *t)
{
	return t->group_leader == t;
}

/* Are a and b threads of one process? */
static inline bool same_thread_group(const struct task_struct *a, const struct task_struct *b)
{
	return a->signal == b->signal;
}

/* Is t the only thread on its group's list (a zombie leader counts until reaped)? */
static inline bool thread_group_empty(const struct task_struct *t)
{
	return t->signal->nr_threads == 1;
}

/* Every thread of t's group, zombies included, in creation order. */
#define MCE_KILL_PROCESS 0x1
#define MCE_KILL_EARLY 0x2
#define for_each_thread(t, th) for (th = (t)->signal->thread_head; th; th = th->thread_next)

/*
 * Has t something to act on before user mode (Linux's task_sigpending): an unblocked signal,
 * its own or its process's, or a group stop to join.
 */
static inline bool task_sigpending(const struct task_struct *t)
{
	return ((t->pending | t->signal->shared_pending) & ~t->blocked) || t->jobctl_stop;
}

/* The task running on this CPU: one load from the per-CPU area (%gs). */
static inline struct task_struct *get_current(void)
{
	struct task_struct *t;

	__asm__("mov %%gs:%c1, %0"
		: "=r"(t)
		: "i"(__builtin_offsetof(struct percpu, current_task)));
	return t;
}
#define current get_current()

/* The user registers saved at the top of a task's kernel stack on entry to the kernel. */
struct pt_regs *task_pt_regs(struct task_struct *t);

/* Makes CPU cpu's idle task (pid 0, "swapper/cpu") with its stack; NULL without memory. */
struct task_struct *idle_task_create(unsigned int cpu);

/* Makes this AP's idle task (idle_task_create) the running one; called as the AP comes up. */
void sched_init_ap(unsigned int cpu);

/* Makes the boot context the idle task (pid 0): from here `current` is valid. */
void sched_init(void);

/* A task state as a bit, for wake_up_state's mask. */
#define TASK_STATE_BIT(state) (1U << (state))

/* Makes t runnable and queues it if its state is in states; true if it did. Kernel lock held. */
bool wake_up_state(struct task_struct *t, unsigned int states);

/* Makes a task in an interruptible sleep runnable (wake_up_state(t, TASK_INTERRUPTIBLE)). */
void wake_up_process(struct task_struct *t);

/*
 * The CPU a task that becomes runnable is queued on (Linux's select_task_rq): the one it last
 * ran on if allowed there and idle, else an allowed idle CPU, else its own if allowed, else the
 * first allowed online CPU (this one if none is).
 */
unsigned int select_task_rq(struct task_struct *p);

/* Queues a new task, state TASK_RUNNING, on a CPU (Linux's wake_up_new_task). */
void wake_up_new_task(struct task_struct *p);

/*
 * Makes a task that runs on another CPU enter the kernel now (Linux's kick_process): a
 * reschedule IPI, so that a task in user mode sees a signal made pending for it at once.
 */
void kick_process(struct task_struct *p);

/*
 * Gives p the affinity mask (Linux's set_cpus_allowed_ptr), moving it off a CPU it may no longer
 * use: a running p is asked to reschedule (schedule() then hands it to an allowed CPU), a queued
 * one is queued again on an allowed CPU, a sleeping one is woken on one later.
 */
void set_cpus_allowed_ptr(struct task_struct *p, cpumask_t mask);

/* Takes a queued task off its run queue (self-tests of wake-ups on tasks that never run). */
void sched_dequeue_task(struct task_struct *p);

/* Gives up the CPU; returns when this task is chosen again. */
void schedule(void);

/*
 * Gives up the CPU if the tick asked for it (Linux's cond_resched). The kernel is not preemptible:
 * a loop whose length user space chooses (a 2 GiB read of /proc/self/mem or pagemap) calls it
 * between steps, or every other task waits for it.
 *
 * It lets go of the kernel lock (schedule() and kernel_lock_yield()): other CPUs run kernel code
 * meanwhile, so a caller must hold no spinlock and no interrupts-off section, must not have
 * half-done state that others could see (a list mid-change, a count not yet matching), and must
 * not keep a pointer to anything another task could free (a VMA, a page table, a task) unless a
 * reference or mmap_lock keeps it; it re-checks what it read before, as after any sleep.
 */
static inline void cond_resched(void)
{
	if (current->need_resched) {
		schedule();
		kernel_lock_yield(); /* and let other CPUs into the kernel */
	}
}

/*
 * Called by each CPU's timer interrupt: time passes, the running task may be preempted, and
 * timed sleepers wake (now if this CPU holds the kernel lock, else by the next CPU to take it).
 */
void scheduler_tick(void);

/* Wakes the tasks whose timed sleep is over; true if it woke any. Kernel lock held. */
bool sched_timer_wakeups(void);

/* Ticks counted by each CPU (/proc/stat's per-CPU lines): busy (a task ran) and idle. */
extern u64 cpu_ticks_busy[NR_CPUS], cpu_ticks_idle[NR_CPUS];

/* Nanoseconds since boot. */
u64 ktime_get_ns(void);

/* Tasks that exist (running, sleeping, stopped or zombies): fork's max_threads counts them. */
extern int nr_threads;

/* The pid fork handed out last (/proc/loadavg; /proc/stat's "processes"). */
int last_pid(void);

/* Tasks made since boot (Linux's total_forks: /proc/stat's "processes"). */
unsigned long nr_forks(void);

/* A new task (no pid yet) with a kernel stack and the initial FPU state, not yet runnable. */
struct task_struct *task_create(void);

/*
 * Gives t its pid (kernel/fork.c, Linux's alloc_pid): set_tid's (clone3) or the next free one,
 * cycling below kernel.pid_max. 0, or -EINVAL/-EEXIST for set_tid, -EAGAIN when none is free.
 */
int task_alloc_pid(struct task_struct *t, int set_tid);

/*
 * tasklist_lock protects the scheduler's list of tasks (run_next), the family links (parent,
 * children, sibling) and every thread group's thread list (signal->thread_head, thread_next,
 * nr_threads). One CPU today: taken with interrupts off so a tick cannot find a list half
 * changed. Lock order: docs/threads.md.
 */
extern spinlock_t tasklist_lock;

/* Puts t at the end of its group's thread list, and takes it off (a thread released). */
void attach_thread(struct task_struct *t);
void detach_thread(struct task_struct *t);

/* A new process's signal_struct, inheriting from parent's (NULL: init's); NULL without memory. */
struct signal_struct *signal_alloc(const struct signal_struct *parent);

/* Frees a task no list holds any more: its kernel stack, its hold on signal_struct, itself. */
void free_task(struct task_struct *t);

/* Adds a new task to the scheduler's list, and removes a reaped one. */
void sched_add_task(struct task_struct *t);
void sched_remove_task(struct task_struct *t);

/* Each CPU's idle loop: takes the kernel lock, runs tasks, halts when none can run here. */
void cpu_idle(void) __noreturn;

/* The first task (idle); follow run_next for every other task, in creation order. */
struct task_struct *first_task(void);

/*
 * The task lets go of its address space, at exit or execve (Linux's mm_release): the
 * CLONE_CHILD_CLEARTID word is cleared when another task shares the mm, and a parent waiting
 * in vfork is released.
 */
void mm_release(struct task_struct *t);

/*
 * mm_release at exit and at execve, after the task's futexes are let go of (its robust list
 * walked: Linux's exit_mm_release and exec_mm_release, same order).
 */
void exit_mm_release(struct task_struct *t);
void exec_mm_release(struct task_struct *t);

/* Finds a task by pid (NULL if none). */
struct task_struct *find_task_by_pid(int pid);

#endif
