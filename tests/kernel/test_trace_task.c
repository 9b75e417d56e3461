// SPDX-License-Identifier: MIT
/*
 * Self-test of the tracer's open-call record (kernel/trace.c): it belongs to the task, so a
 * traced call that sleeps, while another task makes a traced call on the same CPU (or the first
 * goes on on another CPU), keeps its own record.
 */
#include "kernel/selftest.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "kernel/sched.h"
#include "kernel/trace.h"
#include "mm/slab.h"

SELFTEST(trace_open_record_per_task)
{
	struct task_struct *me = current, *other = kzalloc(sizeof(*other), GFP_KERNEL);
	u32 saved_mask = trace_mask;
	u64 f = read_rflags();

	ST_ASSERT(other);
	other->pid = other->tgid = 999998;
	local_irq_disable();
	trace_mask = (1u << TRACE_MMAP) | (1u << TRACE_MPROTECT);
	trace_call_begin(TRACE_MMAP); /* this task's call, which then "sleeps" */
	this_cpu()->current_task = other; /* another task runs here meanwhile */
	trace_call_begin(TRACE_MPROTECT);
	this_cpu()->current_task = me;
	trace_mask = saved_mask;
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
	ST_ASSERT(me->trace_open_active);
	ST_ASSERT_EQ(me->trace_open.event, TRACE_MMAP);
	ST_ASSERT_EQ(me->trace_open.tid, me->pid);
	ST_ASSERT(other->trace_open_active);
	ST_ASSERT_EQ(other->trace_open.event, TRACE_MPROTECT);
	ST_ASSERT_EQ(other->trace_open.tid, 999998);
	me->trace_open_active = false;
	kfree(other);
}
