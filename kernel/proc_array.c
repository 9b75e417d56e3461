// SPDX-License-Identifier: MIT
/*
 * /proc/<pid>/{stat,status,statm,cmdline,comm} in Linux 6.1's formats (its fs/proc/array.c and
 * base.c), describing proc_task(): the task of the directory, not the caller. Fields Warden has
 * no notion of (NUMA, context switches in status) are what an idle Linux shows for a task on
 * one CPU: mostly 0. The address fields of stat (code, stack, data, arguments, environment),
 * wchan and the exit code need ptrace_may_access(PTRACE_MODE_READ_FSCREDS) on the task, as
 * Linux's do_task_stat: a reader without it sees 0 (1 for the code bounds of a live mm).
 */
#include "drivers/tty/tty.h"
#include "fs/fs_struct.h"
#include "fs/fdtable.h"
#include "fs/proc.h"
#include "kernel/ptrace.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/internal.h"
#include "mm/memory.h"
#include "mm/mm.h"
#include "mm/mmap_lock.h"
#include "mm/oom_kill.h"
#include "kernel/time_namespace.h"

#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))
#define PF_RANDOMIZE 0x00400000 /* Linux's task flag every user task shows (ASLR on) */
#define PF_EXITING 0x00000004

/*
 * The letter and name of a task's state, as Linux's task_state_array: R running or runnable, S
 * an interruptible sleep, D one no signal ends (vfork's wait, a rw_semaphore, exec waiting for
 * the other threads), T stopped, t stopped for its tracer, Z zombie, X dead. (Linux's I is for
 * idle kernel threads, which Warden's /proc does not list.)
 */
static const char *task_state(const struct task_struct *t)
{
	switch (t->state) {
	case TASK_RUNNING:
		return "R (running)";
	case TASK_INTERRUPTIBLE:
		return t->sleep_uninterruptible ? "D (disk sleep)" : "S (sleeping)";
	case TASK_STOPPED:
		return "T (stopped)";
	case TASK_TRACED:
		return "t (tracing stop)";
	case EXIT_ZOMBIE:
		return "Z (zombie)";
	default:
		return "X (dead)";
	}
}

/* The tgid of the task's parent (0 for init), Linux's task_ppid_nr. */
static int task_ppid(const struct task_struct *t)
{
	return t->parent ? t->parent->tgid : 0;
}

/* Threads of t's process, a zombie leader included (Linux's get_nr_threads). */
static int task_nr_threads(const struct task_struct *t)
{
	return t->signal->nr_threads;
}

/* Signals t ignores and catches (bit n-1 for signal n), from its handlers. */
static void task_sig_masks(const struct task_struct *t, u64 *ign, u64 *catch)
{
	*ign = *catch = 0;
	for (int i = 0; t->sighand && i < _NSIG; i++) {
		if (t->sighand->action[i].handler == SIG_IGN)
			*ign |= 1ULL << i;
		else if (t->sighand->action[i].handler != SIG_DFL)
			*catch |= 1ULL << i;
	}
}

/*
 * What a task's VMAs add up to, in pages (Linux's total_vm, data_vm, stack_vm, exec_vm, and
 * locked_vm: the VM_LOCKED VMAs).
 */
struct vm_counts {
	unsigned long total, data, stack, exec, locked;
};

static void vm_count(struct mm_struct *mm, struct vm_counts *c)
{
	*c = (struct vm_counts){ 0 };
	for (struct vm_area_struct *v = mm->mm_rb.first; v; v = v->vm_next) {
		unsigned long pages = (v->vm_end - v->vm_start) >> PAGE_SHIFT;
		u64 f = v->vm_flags;

		c->total += pages;
		if (f & VM_LOCKED)
			c->locked += pages;
		if ((f & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE)
			c->data += pages;
		else if (f & VM_STACK)
			c->stack += pages;
		else if ((f & (VM_EXEC | VM_WRITE)) == VM_EXEC)
			c->exec += pages;
	}
}

/*
 * The mm of a live task with a reference (mmget, Linux's get_task_mm) the caller drops with
 * mmput, or NULL (a zombie, or an mm already on its way out).
 */
static struct mm_struct *task_mm_get(struct task_struct *t)
{
	struct mm_struct *mm = t->state < EXIT_ZOMBIE ? t->mm : NULL;

	return mm && mmget_not_zero(mm) ? mm : NULL;
}

/*
 * The page and VMA counts of mm (NULL: all zero), taken under its mmap lock for reading. That
 * may sleep: the task may exec or exit and be reaped meanwhile, so the caller holds mm
 * (task_mm_get) and looks its task up again afterwards (proc_task_recheck).
 */
static void mm_counts(struct mm_struct *mm, struct oom_mm_counters *rss, struct vm_counts *vm)
{
	*rss = (struct oom_mm_counters){ 0 };
	*vm = (struct vm_counts){ 0 };
	if (!mm)
		return;
	mmap_read_lock(mm);
	oom_mm_count(mm, rss);
	vm_count(mm, vm);
	mmap_read_unlock(mm);
}

/* Pages of the text segment (Linux's statm "text"). */
static unsigned long mm_text_pages(const struct mm_struct *mm)
{
	return (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> PAGE_SHIFT;
}

/* /proc/<pid>/stat: 52 fields on one line, as Linux's do_task_stat. */
static int proc_stat_show(struct seq_buf *m)
{
	struct mm_struct *mm = task_mm_get(proc_task());
	struct oom_mm_counters rss;
	struct vm_counts vm;
	u64 ign, catch;

	mm_counts(mm, &rss, &vm); /* may sleep: the task is looked up again after it */
	struct task_struct *t = proc_task_recheck();
	if (!t) {
		if (mm)
			mmput(mm);
		return -ESRCH;
	}
	/* Linux's ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS | PTRACE_MODE_NOAUDIT) */
	bool permitted = !ptrace_may_access(t, PTRACE_MODE_READ_FSCREDS | PTRACE_MODE_NOAUDIT);
	/* /proc/PID/stat describes the process, task/TID/stat the thread */
	bool whole = !(proc_show_inode()->i_flags & S_PROC_TID);
	/* wchan: "sleeps or not", for a permitted reader, of a thread or a one-thread process */
	bool wchan = permitted && (!whole || task_nr_threads(t) < 2) && t->state != TASK_RUNNING;
	unsigned int tty_nr;
	int tpgid;

	u64 ft[8];

	task_sig_masks(t, &ign, &catch);
	task_tty_stat(t, &tty_nr, &tpgid);
	task_stat_times(t, whole, ft);
	seq_printf(m, "%d (%s) %c %d %d %d %u %d %u", t->pid, t->comm, task_state(t)[0],
		   task_ppid(t), t->signal->pgid, t->signal->sid, tty_nr, tpgid,
		   PF_RANDOMIZE | (t->state >= EXIT_ZOMBIE ? PF_EXITING : 0));
	for (int i = 0; i < 8; i++)
		seq_printf(m, " %llu", (unsigned long long)ft[i]);
	seq_printf(m, " %d %d %d 0 %llu", 20 + t->nice, t->nice, task_nr_threads(t),
		   /* in the reader's time namespace, as Linux's timens_add_boottime_ns */
		   (unsigned long long)(timens_add_boottime_ns(t->start_time) / 10000000));
	seq_printf(m, " %lu %lu %llu", vm.total << PAGE_SHIFT, rss.anon + rss.file + rss.shmem,
		   (unsigned long long)t->signal->rlim[RLIMIT_RSS].rlim_cur);
	seq_printf(m, " %llu %llu %llu 0 0", mm ? (permitted ? mm->start_code : 1) : 0ULL,
		   mm ? (permitted ? mm->end_code : 1) : 0ULL,
		   mm && permitted ? mm->start_stack : 0ULL);
	/* ... exit_signal, processor (the CPU it runs or last ran on), rt_priority, policy, ... */
	seq_printf(m, " %llu %llu %llu %llu %d 0 0 %d %u 0 0 0 0 0", t->pending & 0xffffffffULL,
		   t->blocked & 0xffffffffULL, ign & 0xffffffffULL, catch & 0xffffffffULL, wchan,
		   t->exit_signal, t->cpu);
	if (mm && permitted)
		seq_printf(m, " %lu %lu %lu %lu %lu %lu %lu", mm->start_data, mm->end_data,
			   mm->start_brk, mm->arg_start, mm->arg_end, mm->env_start, mm->env_end);
	else
		seq_printf(m, " 0 0 0 0 0 0 0");
	seq_printf(m, " %d\n", permitted && t->state >= EXIT_ZOMBIE ? t->exit_code : 0);
	if (mm)
		mmput(mm);
	return 0;
}

/* /proc/<pid>/statm: sizes in pages, as Linux's proc_pid_statm. */
static int proc_statm_show(struct seq_buf *m)
{
	struct mm_struct *mm = task_mm_get(proc_task());
	struct oom_mm_counters rss;
	struct vm_counts vm;

	if (!mm) {
		seq_printf(m, "0 0 0 0 0 0 0\n");
		return 0;
	}
	mm_counts(mm, &rss, &vm); /* may sleep: only mm, held, is used after it */
	seq_printf(m, "%lu %lu %lu %lu 0 %lu 0\n", vm.total, rss.anon + rss.file + rss.shmem,
		   rss.file + rss.shmem, mm_text_pages(mm), vm.data + vm.stack);
	mmput(mm);
	return 0;
}

/* Writes s with '\n' and '\\' escaped, as Linux's status "Name:" (seq_escape_str). */
static void seq_escape_name(struct seq_buf *m, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			seq_printf(m, "\\n");
		else if (*s == '\\')
			seq_printf(m, "\\\\");
		else
			seq_write(m, s, 1);
	}
}

/* The memory lines of status (Linux's task_mem), in kB, from mm's counts. */
static void status_mem(struct seq_buf *m, struct mm_struct *mm, const struct oom_mm_counters *rss_c,
		       const struct vm_counts *vm_c)
{
	struct oom_mm_counters rss = *rss_c;
	struct vm_counts vm = *vm_c;
	unsigned long total = rss.anon + rss.file + rss.shmem;
	unsigned long text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> 10;
	unsigned long exec_kb = K(vm.exec);
	unsigned long lib = exec_kb > text ? exec_kb - text : 0;

	if (text > exec_kb)
		text = exec_kb;
	seq_printf(m, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\n", K(vm.total), K(vm.total));
	seq_printf(m, "VmLck:\t%8lu kB\nVmPin:\t%8lu kB\n", K(vm.locked), 0UL);
	seq_printf(m, "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n", K(total), K(total));
	seq_printf(m, "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n", K(rss.anon),
		   K(rss.file), K(rss.shmem));
	seq_printf(m, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\nVmLib:\t%8lu kB\n",
		   K(vm.data), K(vm.stack), text, lib);
	seq_printf(m, "VmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\n", K(rss.pgtables), 0UL);
	seq_printf(m, "HugetlbPages:\t%8lu kB\n", 0UL);
}

/*
 * Cpus_allowed and Cpus_allowed_list as Linux prints a cpumask of nr_cpu_ids bits (%*pb, %*pbl):
 * hex zero-padded to (nr_cpu_ids + 3) / 4 digits (one 32-bit chunk: NR_CPUS is 8), then the CPUs
 * as ranges ("0-3", "1,3").
 */
static void status_cpus_allowed(struct seq_buf *m, const cpumask_t *allowed)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int digits = (nr_cpu_ids + 3) / 4, cpu;
	u64 bits = allowed->bits & ((1ULL << nr_cpu_ids) - 1);
	bool first = true;
	char buf[NR_CPUS + 1];

	for (unsigned int i = 0; i < digits; i++)
		buf[i] = hex[(bits >> (4 * (digits - 1 - i))) & 0xf];
	buf[digits] = 0;
	seq_printf(m, "Cpus_allowed:\t%s\nCpus_allowed_list:\t", buf);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		unsigned int last = cpu;

		if (!(bits & (1ULL << cpu)))
			continue;
		while (last + 1 < nr_cpu_ids && (bits & (1ULL << (last + 1))))
			last++;
		if (last > cpu)
			seq_printf(m, "%s%u-%u", first ? "" : ",", cpu, last);
		else
			seq_printf(m, "%s%u", first ? "" : ",", cpu);
		first = false;
		cpu = last;
	}
	seq_printf(m, "\n");
}

/* /proc/<pid>/status: Linux 6.1's proc_pid_status lines, in its order. */
/* The ids of the Groups: line, each after a space but the first, and a space at the end (as
 * Linux's task_state keeps for compatibility). */
static void status_groups(struct seq_buf *m, const struct group_info *gi)
{
	for (u32 i = 0; gi && i < gi->ngroups; i++)
		seq_printf(m, i ? " %u" : "%u", gi->gid[i]);
	seq_printf(m, " \n");
}

static int proc_status_show(struct seq_buf *m)
{
	struct mm_struct *mm = task_mm_get(proc_task());
	struct oom_mm_counters rss;
	struct vm_counts vm;
	u64 ign, catch;

	mm_counts(mm, &rss, &vm); /* may sleep: the task is looked up again after it */
	struct task_struct *t = proc_task_recheck();
	if (!t) {
		if (mm)
			mmput(mm);
		return -ESRCH;
	}

	seq_printf(m, "Name:\t");
	seq_escape_name(m, t->comm);
	seq_printf(m, "\n");
	if (t->fs && t->state < EXIT_ZOMBIE)
		seq_printf(m, "Umask:\t%04o\n", t->fs->umask);
	seq_printf(m, "State:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t%d\n",
		   task_state(t), t->tgid, t->pid, task_ppid(t), t->ptracer ? t->ptracer->tgid : 0);
	seq_printf(m, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", t->cred.uid, t->cred.euid,
		   t->cred.suid, t->cred.fsuid, t->cred.gid, t->cred.egid, t->cred.sgid,
		   t->cred.fsgid);
	seq_printf(m, "FDSize:\t%u\nGroups:\t",
		   t->files && t->state < EXIT_ZOMBIE ? t->files->linux_max_fds : 0);
	status_groups(m, t->cred.group_info);
	seq_printf(m, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", t->tgid, t->pid,
		   t->signal->pgid, t->signal->sid);
	if (mm) {
		status_mem(m, mm, &rss, &vm);
		/* a core dump of the process is under way (kernel/coredump.c) */
		seq_printf(m, "CoreDumping:\t%d\n", t->signal->core_state ? 1 : 0);
		seq_printf(m, "THP_enabled:\t1\n");
	}
	task_sig_masks(t, &ign, &catch);
	seq_printf(m, "Threads:\t%d\nSigQ:\t%llu/%llu\n", task_nr_threads(t),
		   (unsigned long long)sigpending_user_count(),
		   (unsigned long long)t->signal->rlim[RLIMIT_SIGPENDING].rlim_cur);
	seq_printf(m, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\n", t->pending,
		   t->signal->shared_pending, t->blocked);
	seq_printf(m, "SigIgn:\t%016lx\nSigCgt:\t%016lx\n", ign, catch);
	seq_printf(m, "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\n",
		   (unsigned long long)t->cred.cap_inheritable,
		   (unsigned long long)t->cred.cap_permitted,
		   (unsigned long long)t->cred.cap_effective);
	seq_printf(m, "CapBnd:\t%016llx\nCapAmb:\t%016llx\n", (unsigned long long)t->cred.cap_bset,
		   (unsigned long long)t->cred.cap_ambient);
	seq_printf(m, "NoNewPrivs:\t%d\nSeccomp:\t0\nSeccomp_filters:\t0\n",
		   t->cred.no_new_privs ? 1 : 0);
	seq_printf(m, "Speculation_Store_Bypass:\tnot vulnerable\n");
	seq_printf(m, "SpeculationIndirectBranch:\tnot vulnerable\n");
	status_cpus_allowed(m, &t->cpus_allowed);
	seq_printf(m, "Mems_allowed:\t1\nMems_allowed_list:\t0\n");
	seq_printf(m, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
	if (mm)
		mmput(mm);
	return 0;
}

/* /proc/<pid>/comm: the task's name and a newline. */
static int proc_comm_show(struct seq_buf *m)
{
	seq_printf(m, "%s\n", proc_task()->comm);
	return 0;
}

/*
 * Appends the bytes of mm's [start, end) (its argument or environment area) as far as they can be
 * read. A fault-in may sleep (waiting for an OOM victim) and the task may exit and be reaped
 * meanwhile: the mm is kept (as Linux's get_task_mm), and the task is not looked at again. The
 * last byte read, or 0 if none.
 */
static char seq_remote_area(struct seq_buf *m, struct mm_struct *mm, u64 start, u64 end)
{
	char buf[256], last = 0;

	mmgrab(mm);
	if (!mmget_not_zero(mm)) {
		mmdrop(mm);
		return 0;
	}
	for (u64 a = start; a < end;) {
		size_t len = min((size_t)(end - a), sizeof(buf));
		/* no FOLL_FORCE (Linux's get_mm_cmdline): PROT_NONE memory reads as nothing */
		size_t got = access_remote_vm(mm, a, buf, len, 0);

		seq_write(m, buf, got);
		if (got)
			last = buf[got - 1];
		if (got < len)
			break;
		a += got;
	}
	mmput(mm);
	mmdrop(mm);
	return last;
}

/*
 * /proc/<pid>/cmdline: the argument area of the task's memory, as Linux's get_mm_cmdline
 * (nothing for a zombie or a task without one). If a program wrote over the last NUL
 * (setproctitle), the text stops at the first NUL.
 */
static int proc_cmdline_show(struct seq_buf *m)
{
	struct task_struct *t = proc_task();
	struct mm_struct *mm = t->state < EXIT_ZOMBIE ? t->mm : NULL;
	size_t start = m->len;

	if (!mm || mm->arg_end <= mm->arg_start)
		return 0;
	if (seq_remote_area(m, mm, mm->arg_start, mm->arg_end) && !m->overflow)
		m->len = start + strnlen(m->buf + start, m->len - start);
	return 0;
}

int proc_array_init(void)
{
	int err = proc_create_file(PROC_SELF, "stat", 0444, proc_stat_show);

	if (!err)
		err = proc_create_file(PROC_SELF, "statm", 0444, proc_statm_show);
	if (!err)
		err = proc_create_file(PROC_SELF, "status", 0444, proc_status_show);
	if (!err)
		err = proc_create_file(PROC_SELF, "comm", 0644, proc_comm_show);
	if (!err)
		err = proc_create_file(PROC_SELF, "cmdline", 0444, proc_cmdline_show);
	return err;
}
