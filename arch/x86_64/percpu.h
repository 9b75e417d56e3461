/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data, reached through the GS base in kernel mode (swapgs on every entry from user mode,
 * as on Linux). One struct percpu per CPU (percpu_data[cpu]); each CPU's GS base points at its own.
 */
#ifndef WARDEN_ARCH_PERCPU_H
#define WARDEN_ARCH_PERCPU_H

#include "kernel/types.h"

#define NR_CPUS 8

struct fault_catch;
struct ldt_struct;
struct mm_struct;

struct percpu {
	struct percpu *self; /* %gs:0, so this_cpu() is one load */
	u64 cpu;
	u64 kernel_rsp; /* top of the current task's kernel stack (syscall entry) */
	u64 user_rsp; /* scratch for the syscall entry */
	void *current_task; /* the running task */
	struct fault_catch *fault_catch; /* armed expected-fault recovery, see traps.h */
	int in_panic;
	void *dead_task; /* a task that exited for good, freed by the next one to run here */
	void *prev_task; /* the task being switched away from, until finish_task_switch */
	struct ldt_struct *ldt; /* the LDT LDTR describes (NULL: null LDTR), see ldt.h */
	u64 ldt_gen; /* that table's generation (ABA: a new table at a freed one's address) */
	u32 apic_id; /* this CPU's local APIC id (from the MADT) */
	struct mm_struct
		*loaded_mm; /* the mm CR3 points at (NULL: kernel_pml4), see mmu_context.c */
	void *idle_task; /* this CPU's idle task (pid 0) */
	u32 idle_kick; /* set by a reschedule IPI: the idle loop looks for work (kernel/sched.c) */
	u32 idle_wakeups; /* the idle loop's halts ended, to look for work to pull now and then */
	u32 idle_polling; /* the idle loop polls its run queue: a waker need not send an IPI */
	u64 last_tick_ns; /* ktime of this CPU's last tick (account_process_tick) */
	u64 ticks; /* timer ticks taken (scheduler_tick) */
	u64 irq_count; /* interrupts taken (the LAPIC timer's and IPIs included), for /proc/stat */
};

extern struct percpu percpu_data[NR_CPUS];

/* This CPU's data. */
static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	__asm__ __volatile__("mov %%gs:0, %0" : "=r"(p));
	return p;
}

/* This CPU's number (0 is the boot CPU); stable while interrupts are off or the task is pinned. */
static inline unsigned int smp_processor_id(void)
{
	return (unsigned int)this_cpu()->cpu;
}

/*
 * Points GS at this CPU's data and IA32_TSC_AUX at its number (RDTSCP/RDPID); call once per CPU
 * before anything uses this_cpu().
 */
void percpu_init(unsigned int cpu);

#endif
