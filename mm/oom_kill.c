// SPDX-License-Identifier: MIT
/*
 * The OOM killer (mm/oom_kill.h): choosing the process whose death frees the most memory,
 * reporting it as Linux 6.1 does, killing it, waiting for it, and reaping a victim that cannot
 * exit. Kernel-only: the host build of the mm never runs out this way.
 */
#include "mm/oom_kill.h"
#include "mm/mm.h"
#include "mm/mmap_lock.h"
#include "mm/frame.h"
#include "mm/internal.h"
#include "mm/filemap.h"
#include "mm/proc_maps.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/time.h"
#include "kernel/backtrace.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"

#define NSEC_PER_SEC 1000000000ULL
/* Linux 6.1's OOM_REAPER_DELAY: how long a victim gets to exit before its memory is reaped. */
#define OOM_REAPER_DELAY_NS (2 * NSEC_PER_SEC)
/* GFP_HIGHUSER_MOVABLE, the gfp_mask Linux reports for a user page: 0x140cca. */
#define GFP_HIGHUSER_MOVABLE_MASK 0x140cca
#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))

bool fatal_signal_pending(struct task_struct *p)
{
	return p->pending & sigmask(SIGKILL);
}

/* Counts the page tables under one table (level 4: the PML4's user half), the table excluded. */
static unsigned long count_tables(const pte_t *table, int level, int entries)
{
	unsigned long n = 0;

	for (int i = 0; level > PG_LEVEL_4K && i < entries; i++) {
		if (!(table[i] & _PAGE_PRESENT) || (table[i] & _PAGE_PSE))
			continue;
		n += 1 + count_tables(phys_to_virt(table[i] & PTE_ADDR_MASK), level - 1, 512);
	}
	return n;
}

/*
 * Adds up what mm maps: each frame mapped in one of its VMAs counts once for this mm, as Linux's
 * rss counters do (a page shared copy-on-write counts in every mm that maps it). The zero page is
 * not counted (vm_normal_page). Warden's files all live in ramfs, which plays tmpfs, so their
 * page-cache pages count as shmem-rss, as tmpfs pages do on Linux; a private copy is anonymous.
 */
void oom_mm_count(struct mm_struct *mm, struct oom_mm_counters *c)
{
	*c = (struct oom_mm_counters){ 0 };
	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next) {
		c->total_vm += (v->vm_end - v->vm_start) >> PAGE_SHIFT;
		for (u64 va = v->vm_start, run_end; va < v->vm_end; va = run_end) {
			pte_t *e = pgtable_pte_run(mm->pgd, va, v->vm_end, &run_end);
			for (; e && va < run_end; va += PAGE_SIZE, e++) {
				if (!pte_has_frame(*e))
					continue;
				struct page *pg = phys_to_page(*e & PTE_ADDR_MASK);
				if (is_zero_page(pg))
					continue;
				if (is_page_cache_page(v, va, pg))
					c->shmem++;
				else
					c->anon++;
			}
		}
	}
	c->pgtables = count_tables(mm->pgd, 4, 256);
}

/* Linux's oom_unkillable_task(): global init, and kernel threads (no task here has none). */
static bool oom_unkillable_task(const struct task_struct *p)
{
	return p->pid == 1 || p->pid == 0;
}

/* Has p been chosen by the OOM killer (Linux's tsk_is_oom_victim)? */
static bool tsk_is_oom_victim(const struct task_struct *p)
{
	return p->signal->oom_kill_ns != 0;
}

long oom_badness(struct task_struct *p, u64 totalpages)
{
	struct oom_mm_counters c;

	if (oom_unkillable_task(p) || !p->mm || p->state >= EXIT_ZOMBIE)
		return LONG_MIN;
	long adj = p->signal->oom_score_adj;
	if (adj == OOM_SCORE_ADJ_MIN || (p->mm->flags & MMF_OOM_SKIP))
		return LONG_MIN;
	oom_mm_count(p->mm, &c);
	/* The baseline: the share of RAM the process's rss, swap and page tables use. */
	long points = (long)(c.anon + c.file + c.shmem + c.pgtables);
	adj *= (long)(totalpages / 1000); /* oom_score_adj is in thousandths of RAM */
	return points + adj;
}

/* RAM frames the killer weighs against (Linux: totalram_pages() + total_swap_pages). */
static u64 oom_totalpages(void)
{
	return nr_managed_frames();
}

/*
 * Linux's oom_evaluate_task(): considers one task for oc. Returns true to stop the scan (a
 * victim chosen earlier is still alive: nobody else is to die until it has).
 */
static bool oom_evaluate_task(struct task_struct *task, struct oom_control *oc)
{
	if (oom_unkillable_task(task))
		return false;
	if (tsk_is_oom_victim(task)) {
		if (!task->mm || task->state >= EXIT_ZOMBIE || (task->mm->flags & MMF_OOM_SKIP))
			return false; /* gone, or its memory reaped: look further */
		oc->chosen = OOM_ABORT_CHOSEN;
		return true;
	}
	long points = oom_badness(task, oc->totalpages);
	if (points == LONG_MIN || points < oc->chosen_points)
		return false;
	oc->chosen = task; /* ties go to the later task, as Linux's for_each_process scan */
	oc->chosen_points = points;
	return false;
}

/* Linux's select_bad_process(): the task with the highest badness, in creation order. */
static void select_bad_process(struct oom_control *oc)
{
	oc->chosen = NULL;
	oc->chosen_points = LONG_MIN;
	for (struct task_struct *p = first_task(); p; p = p->run_next)
		if (oom_evaluate_task(p, oc))
			break;
}

/* The kernel stack of the task that invoked the killer (Linux's dump_stack). */
static void oom_dump_stack(void)
{
	u64 addrs[16];
	char sym[96];
	int n = backtrace_walk((u64)__builtin_frame_address(0), addrs, 16);

	pr_warn("Call Trace:\n");
	for (int i = 0; i < n; i++) {
		ksym_format(sym, sizeof(sym), addrs[i]);
		pr_warn(" %s\n", sym);
	}
}

/* The memory summary of the report (Linux's __show_mem, the parts Warden keeps). */
static void oom_show_mem(void)
{
	unsigned long anon = 0, shmem = 0;
	struct oom_mm_counters c;

	for (struct task_struct *p = first_task(); p; p = p->run_next) {
		if (!p->mm || p->state >= EXIT_ZOMBIE)
			continue;
		oom_mm_count(p->mm, &c);
		anon += c.anon;
		shmem += c.shmem;
	}
	pr_warn("Mem-Info:\n");
	pr_warn("active_anon:%lu inactive_anon:0 isolated_anon:0\n", anon);
	pr_warn(" mapped:%lu shmem:%lu pagetables:%lu\n", shmem, shmem,
		(unsigned long)pgtable_nr_tables());
	pr_warn(" free:%lu free_pcp:0 free_cma:0\n", (unsigned long)nr_free_frames());
	pr_warn("%lu pages RAM\n", (unsigned long)nr_managed_frames());
	pr_warn("0 pages HighMem/MovableOnly\n");
	pr_warn("%lu pages reserved\n", (unsigned long)(max_pfn - nr_managed_frames()));
}

/* Linux's dump_tasks(): every killable process with its memory, in pages. */
static void dump_tasks(void)
{
	struct oom_mm_counters c;

	pr_info("Tasks state (memory values in pages):\n");
	pr_info("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj "
		"name\n");
	for (struct task_struct *p = first_task(); p; p = p->run_next) {
		if (oom_unkillable_task(p) || !p->mm || p->state >= EXIT_ZOMBIE)
			continue;
		oom_mm_count(p->mm, &c);
		pr_info("[%7d] %5d %5d %8lu %8lu %8ld %8lu         %5d %s\n", p->pid, 0, p->tgid,
			c.total_vm, c.anon + c.file + c.shmem, (long)(c.pgtables << PAGE_SHIFT),
			0UL, (int)p->signal->oom_score_adj, p->comm);
	}
}

/* Linux's dump_header(): who invoked the killer, the stack, memory, tasks and the victim. */
static void dump_header(struct oom_control *oc, struct task_struct *victim)
{
	pr_warn("%s invoked oom-killer: gfp_mask=%#x(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=%d, "
		"oom_score_adj=%d\n",
		current->comm, oc->gfp_mask, oc->order, (int)current->signal->oom_score_adj);
	oom_dump_stack();
	oom_show_mem();
	dump_tasks();
	if (victim)
		pr_info("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),global_oom,"
			"task=%s,pid=%d,uid=0\n",
			victim->comm, victim->pid);
}

/* Linux's __ratelimit with DEFAULT_RATELIMIT_INTERVAL (5 s) and _BURST (10) for the report. */
static bool oom_report_ratelimit(void)
{
	static u64 window_start;
	static int printed;
	u64 now = ktime_get_ns();

	if (!window_start || now - window_start >= 5 * NSEC_PER_SEC) {
		window_start = now;
		printed = 0;
	}
	return printed++ < 10;
}

/* Linux's __oom_kill_process(): SIGKILL to the victim, marked so that it is waited for. */
static void __oom_kill_process(struct task_struct *victim, const char *message)
{
	struct oom_mm_counters c;

	oom_mm_count(victim->mm, &c);
	send_group_signal(victim, SIGKILL); /* SEND_SIG_PRIV: si_code SI_KERNEL; wakes any sleep */
	victim->signal->oom_kill_ns = ktime_get_ns();
	pr_err("%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, "
	       "shmem-rss:%lukB, UID:%u pgtables:%lukB oom_score_adj:%d\n",
	       message, victim->pid, victim->comm, K(c.total_vm), K(c.anon), K(c.file), K(c.shmem),
	       0u, K(c.pgtables), (int)victim->signal->oom_score_adj);
}

/* Linux's oom_kill_process(): report (rate limited), then kill. */
static void oom_kill_process(struct oom_control *oc, const char *message)
{
	struct task_struct *victim = oc->chosen;

	if (fatal_signal_pending(victim)) {
		victim->signal->oom_kill_ns = ktime_get_ns(); /* dying already: just wait for it */
		return;
	}
	if (oom_report_ratelimit())
		dump_header(oc, victim);
	__oom_kill_process(victim, message);
}

/*
 * Linux's __oom_reap_task_mm(): frees the private memory of a victim that has not exited in
 * OOM_REAPER_DELAY (it may be blocked in the kernel), and marks its mm MMF_OOM_SKIP so the
 * killer looks past it. Shared mappings are left alone (other processes see them). The victim
 * still has SIGKILL pending: it never returns to user mode to see the hole.
 */
static void oom_reap_task_mm(struct task_struct *victim)
{
	struct mm_struct *mm = victim->mm;
	struct oom_mm_counters c;

	mm->flags |= MMF_UNSTABLE; /* before the first page goes: no fault refills one */
	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next)
		if (!(v->vm_flags & VM_SHARED))
			zap_page_range(mm, v->vm_start, v->vm_end);
	mm->flags |= MMF_OOM_SKIP;
	oom_mm_count(mm, &c);
	pr_info("oom_reaper: reaped process %d (%s), now anon-rss:%lukB, file-rss:%lukB, "
		"shmem-rss:%lukB\n",
		victim->pid, victim->comm, K(c.anon), K(c.file), K(c.shmem));
}

/*
 * Warden's stand-in for the oom_reaper thread: reaps every victim still alive delay_ns after its
 * kill (OOM_REAPER_DELAY for a task that can wait, 0 for one that cannot sleep). A victim whose
 * mm another task shares cannot be reaped (Linux's can_oom_reap); after the full delay it is
 * only hidden from the killer (MMF_OOM_SKIP), as Linux's oom_reap_task does when it gives up, so
 * that another victim can be chosen. True if the killer should look again.
 */
static bool oom_reap_victims(u64 delay_ns)
{
	u64 now = ktime_get_ns();
	bool progress = false;

	for (struct task_struct *p = first_task(); p; p = p->run_next) {
		if (!tsk_is_oom_victim(p) || p == current || !p->mm || p->state >= EXIT_ZOMBIE ||
		    (p->mm->flags & MMF_OOM_SKIP) || now - p->signal->oom_kill_ns < delay_ns)
			continue;
		if (p->mm->users > 1) {
			if (delay_ns < OOM_REAPER_DELAY_NS)
				continue;
			pr_info("oom_reaper: unable to reap pid:%d (%s)\n", p->pid, p->comm);
			p->mm->flags |= MMF_OOM_SKIP;
		} else if (mmap_read_trylock(p->mm)) {
			oom_reap_task_mm(p);
			mmap_read_unlock(p->mm);
		} else {
			continue; /* changing its mappings: next time, as Linux retries */
		}
		progress = true;
	}
	return progress;
}

bool out_of_memory(struct oom_control *oc)
{
	oc->totalpages = oom_totalpages();
	/* A dying task is let through: its exit frees its memory (task_will_free_mem). */
	if (fatal_signal_pending(current) && current->mm) {
		current->signal->oom_kill_ns = current->signal->oom_kill_ns
						       ? current->signal->oom_kill_ns
						       : ktime_get_ns();
		return true;
	}
	if (oom_reap_victims(OOM_REAPER_DELAY_NS))
		return true;
	select_bad_process(oc);
	if (!oc->chosen) {
		dump_header(oc, NULL);
		pr_warn("Out of memory and no killable processes...\n");
		/* An allocation at the system level cannot make progress: bail out now. */
		panic("System is deadlocked on memory");
	}
	if (oc->chosen != OOM_ABORT_CHOSEN)
		oom_kill_process(oc, "Out of memory");
	return true;
}

/* Sleeps one tick, or less if SIGKILL comes (Linux's schedule_timeout_killable(1)). */
static void oom_sleep_tick(void)
{
	struct task_struct *t = current;

	if (fatal_signal_pending(t))
		return;
	t->wake_at_ns = ktime_get_ns() + NSEC_PER_SEC / HZ;
	t->state = TASK_INTERRUPTIBLE;
	schedule();
	t->wake_at_ns = 0;
	t->state = TASK_RUNNING;
}

bool __alloc_pages_may_oom(bool may_sleep)
{
	struct oom_control oc = { .gfp_mask = GFP_HIGHUSER_MOVABLE_MASK, .order = 0 };

	if (fatal_signal_pending(current))
		return false;
	out_of_memory(&oc);
	if (fatal_signal_pending(current))
		return false; /* current is the victim */
	if (!may_sleep) /* the victim cannot be waited for here: take its memory now */
		return oom_reap_victims(0) || nr_free_frames() > 0;
	oom_sleep_tick(); /* give the victim the CPU: it must run to exit and free its memory */
	return !fatal_signal_pending(current);
}

void pagefault_out_of_memory(void)
{
	static u64 last_warned;
	u64 now = ktime_get_ns();

	if (fatal_signal_pending(current))
		return;
	if (!last_warned || now - last_warned >= 5 * NSEC_PER_SEC) {
		last_warned = now;
		pr_warn("Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF\n");
	}
}
