/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data, reached through the GS base in kernel mode (swapgs on every entry from user mode,
 * as on Linux). Warden runs one CPU today; everything that will differ per CPU lives here.
 */
#ifndef WARDEN_ARCH_PERCPU_H
#define WARDEN_ARCH_PERCPU_H

#include "kernel/types.h"

#define NR_CPUS 1

struct fault_catch;
struct ldt_struct;

struct percpu {
	struct percpu *self; /* %gs:0, so this_cpu() is one load */
	u64 cpu;
	u64 kernel_rsp; /* top of the current task's kernel stack (syscall entry) */
	u64 user_rsp; /* scratch for the syscall entry */
	void *current_task; /* the running task */
	struct fault_catch *fault_catch; /* armed expected-fault recovery, see traps.h */
	int in_panic;
	void *dead_task; /* a task that exited for good, freed by the next one to run here */
	struct ldt_struct *ldt; /* the LDT LDTR describes (NULL: null LDTR), see ldt.h */
};

extern struct percpu percpu_data[NR_CPUS];

/* This CPU's data. */
static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	__asm__ __volatile__("mov %%gs:0, %0" : "=r"(p));
	return p;
}

/* Points GS at this CPU's data; call once per CPU before anything uses this_cpu(). */
void percpu_init(unsigned int cpu);

#endif
