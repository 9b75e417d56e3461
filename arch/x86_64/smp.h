/* SPDX-License-Identifier: MIT */
/*
 * Several CPUs: bringing them up (smpboot.c) and making them work together (smp.c): cross-CPU
 * function calls and the rescheduling IPI. CPU 0 is the boot CPU; the others are numbered in the
 * MADT's order. cpu_online_mask and nr_cpu_ids (kernel/cpumask.h) say which CPUs run.
 */
#ifndef WARDEN_ARCH_SMP_H
#define WARDEN_ARCH_SMP_H

#include "kernel/cpumask.h"
#include "arch/x86_64/percpu.h"

/*
 * Finds the CPUs (ACPI MADT), maps and enables the boot CPU's local APIC and starts every other
 * CPU, which then idles. Prints "smp: N CPUs: ..." when there is more than one. Once, at boot,
 * after the memory allocators and the ACPI tables; "nosmp" on the command line keeps one CPU.
 */
void smp_init(void);

/*
 * Runs func(info) on every online CPU in mask except this one, in interrupt context on each
 * target (CALL_FUNCTION_VECTOR), with interrupts off there. With wait, returns only once every
 * target has returned from func; without, once each has been asked (info must then stay valid
 * until they ran). Callable with interrupts on or off and with kernel_lock held: while it waits
 * it runs the calls other CPUs queued for this one, so two CPUs calling each other cannot
 * deadlock. func must not sleep, take kernel_lock, or call smp_call_function_*() itself.
 */
void smp_call_function_many(const cpumask_t *mask, void (*func)(void *info), void *info, bool wait);

/*
 * smp_call_function_many with wait, running local(local_info) on this CPU (interrupts off) after
 * the IPIs went out and before the wait: the caller's own share of the work overlaps the
 * targets'. A caller whose interrupts are on may halt while it waits (under a hypervisor, see
 * smp.c's csd_wait_halts), so its interrupt handlers may run meanwhile.
 */
void smp_call_function_many_local(const cpumask_t *mask, void (*func)(void *info), void *info,
				  void (*local)(void *info), void *local_info);

/* The same for one CPU; on this CPU, func runs at once with interrupts off. */
void smp_call_function_single(unsigned int cpu, void (*func)(void *info), void *info, bool wait);

/* Asks cpu to reschedule (RESCHEDULE_VECTOR): its running task gets need_resched. */
void smp_send_reschedule(unsigned int cpu);

/* The IPI handlers (traps.c calls them after the end-of-interrupt). */
void smp_call_function_interrupt(void);
void smp_reschedule_interrupt(void);

#endif
