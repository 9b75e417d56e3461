/* SPDX-License-Identifier: MIT */
/*
 * The OOM killer, as Linux 6.1's mm/oom_kill.c. When a user page fault (demand paging,
 * copy-on-write, stack growth, the page tables under them, and the same faults taken by
 * copy_to_user/copy_from_user on user pages) finds no free frame, the task that faulted is not
 * the one to blame: out_of_memory() scores every process by its "badness" (resident pages,
 * swap entries and page-table pages, shifted by oom_score_adj in thousandths of RAM), logs a
 * report (the "invoked oom-killer" line, Mem-Info, the task list, the summary) and sends
 * SIGKILL to the worst one; the fault is then retried (__alloc_pages_may_oom) once the victim
 * has exited and freed its memory.
 *
 * Linux's rules kept here:
 *  - init (PID 1) and kernel threads are never chosen, nor a process with oom_score_adj -1000
 *    (OOM_SCORE_ADJ_MIN), nor one whose memory was already reaped (MMF_OOM_SKIP);
 *  - while a victim chosen earlier is still alive, nobody else is chosen: the faulting task
 *    waits for it (one tick at a time, killable) instead;
 *  - a task that already has SIGKILL pending (it is dying) is not made to wait: its fault fails
 *    (VM_FAULT_OOM) and it exits on its way out of the kernel, which frees its memory;
 *  - with no killable process left, Linux prints "Out of memory and no killable processes..."
 *    and panics ("System is deadlocked on memory"): Warden does the same, so an out-of-memory
 *    run ends in a kill or a panic report, never in a silent loop;
 *  - a victim that cannot exit (blocked in the kernel) would keep its memory: Linux's
 *    oom_reaper unmaps its private memory after OOM_REAPER_DELAY (2 s). Warden does the same from
 *    the waiting task (oom_reap_task_mm), then marks the mm MMF_OOM_SKIP so that another victim
 *    can be chosen. A fault that cannot wait (a kernel access to user memory inside a system
 *    call: the call may hold kernel objects another task could free while it slept) reaps the
 *    victim at once instead, so the copy goes on without sleeping, as the one-CPU,
 *    non-preemptive kernel has always run it.
 *
 * System calls that run out of frames (fork's copy of the mm, execve, the VMAs and page tables of
 * mmap, mremap and mprotect, brk, pipes and files) fail with ENOMEM as they did before: only the
 * fault path, where user space cannot be handed an error, retries after an OOM kill
 * (docs/oom.md lists each case).
 *
 * /proc/self/oom_score (0..2000, Linux's proc_oom_score), oom_score_adj (-1000..1000) and the
 * legacy oom_adj (-17..15) are made here; oom_score_adj is a per-process value (Linux keeps it
 * in signal_struct), inherited by fork and kept by execve.
 */
#ifndef WARDEN_MM_OOM_KILL_H
#define WARDEN_MM_OOM_KILL_H

#include "kernel/types.h"

struct task_struct;
struct mm_struct;

#ifndef LONG_MIN
#define LONG_MIN (-0x7fffffffffffffffL - 1) /* oom_badness: never chosen */
#endif

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000
/* The legacy /proc/PID/oom_adj range, and its "never kill" value. */
#define OOM_DISABLE (-17)
#define OOM_ADJUST_MIN (-16)
#define OOM_ADJUST_MAX 15

/* mm_struct.flags: the OOM killer may skip this mm (its memory was reaped or is being freed). */
#define MMF_OOM_SKIP 0x1
/*
 * mm_struct.flags: the OOM reaper took this mm's private memory (Linux's MMF_UNSTABLE). A fault
 * that would fill a private page in it fails with SIGBUS (EFAULT for a kernel access), so that a
 * system call the dying victim is still in never reads reaped pages back as zeros and hands
 * them on (check_stable_address_space).
 */
#define MMF_UNSTABLE 0x2

/* What one out_of_memory() call was asked and found (Linux's struct oom_control). */
struct oom_control {
	unsigned int gfp_mask; /* of the allocation that failed */
	int order; /* its order (always 0: Warden allocates single frames) */
	u64 totalpages; /* RAM frames (Warden has no swap) */
	struct task_struct *chosen; /* the victim, or OOM_ABORT_CHOSEN while one is still dying */
	long chosen_points;
};

#define OOM_ABORT_CHOSEN ((struct task_struct *)-1L)

/*
 * How bad it is to keep p: its resident pages, swap entries and page-table pages, plus
 * oom_score_adj thousandths of totalpages. LONG_MIN for a process that is never chosen (init,
 * no mm, oom_score_adj -1000, an mm already reaped).
 */
long oom_badness(struct task_struct *p, u64 totalpages);

/*
 * Chooses a victim and kills it, or finds one already dying. Returns true if memory should
 * come back (a victim was killed or is on its way), so the allocation can be retried. Panics,
 * after its report, when no process can be killed.
 */
bool out_of_memory(struct oom_control *oc);

/*
 * What an allocation for user memory does when the frame allocator is empty (Linux's
 * __alloc_pages_may_oom and the wait around it): runs the OOM killer, then, if may_sleep, sleeps
 * a tick so that the victim can run and exit. A caller that must not sleep (a kernel access to
 * user memory in the middle of a system call, which may hold pointers into kernel objects that
 * another task could free meanwhile; ptrace's access to another mm) has the victim's private
 * memory reaped at once instead. Returns true if the allocation should be tried again; false if
 * current itself has SIGKILL pending (it is dying: the caller fails with VM_FAULT_OOM) or, for a
 * caller that cannot sleep, if nothing could be reaped and no frame is free (the victim's
 * mm is shared).
 */
bool __alloc_pages_may_oom(bool may_sleep);

/*
 * The arch fault handler's answer to VM_FAULT_OOM from user mode (Linux 6.1's
 * pagefault_out_of_memory): the OOM killer already ran in __alloc_pages_may_oom, so there is
 * nothing left but to return to user mode, where a pending SIGKILL ends the task, or the
 * fault is taken again.
 */
void pagefault_out_of_memory(void);

/* Does p have SIGKILL pending (is it on its way out)? */
bool fatal_signal_pending(struct task_struct *p);

/* Creates /proc/self/oom_score, oom_score_adj and oom_adj. 0 or -errno. */
int proc_oom_init(void);

/* What an mm holds, in pages (Linux's rss_stat counters, total_vm and pgtables_bytes). */
struct oom_mm_counters {
	unsigned long anon; /* MM_ANONPAGES */
	unsigned long file; /* MM_FILEPAGES */
	unsigned long shmem; /* MM_SHMEMPAGES */
	unsigned long pgtables; /* page-table pages below the PML4 */
	unsigned long total_vm;
};

/*
 * Adds up what mm maps (rss by kind, page tables, total_vm), as the OOM killer weighs it and
 * /proc/<pid>/stat, statm and status report it.
 */
struct mm_struct;
void oom_mm_count(struct mm_struct *mm, struct oom_mm_counters *c);

#endif
