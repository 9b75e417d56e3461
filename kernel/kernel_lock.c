// SPDX-License-Identifier: MIT
/*
 * The big kernel lock (kernel/kernel_lock.h). A test-and-set word holding the owner CPU, with
 * interrupts enabled while spinning; the deferred-work bits that interrupt handlers leave when
 * they cannot take it.
 */
#include "kernel/kernel_lock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "drivers/tty/tty.h"

struct kernel_lock_struct kernel_lock_data = { .owner = KERNEL_LOCK_UNLOCKED };
static u32 kernel_pending;

bool kernel_lock_held(void)
{
	return __atomic_load_n(&kernel_lock_data.owner, __ATOMIC_RELAXED) ==
	       (int)smp_processor_id();
}

bool kernel_trylock(void)
{
	int free = KERNEL_LOCK_UNLOCKED;

	if (!__atomic_compare_exchange_n(&kernel_lock_data.owner, &free, (int)smp_processor_id(),
					 false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	kernel_lock_data.acquired++;
	return true;
}

void kernel_lock(void)
{
	u64 f = read_rflags();

	if (kernel_lock_held())
		panic("kernel_lock: CPU %u takes it again", smp_processor_id());
	if (!kernel_trylock()) {
		/* Interrupts on while waiting: IPIs must still be answered. */
		local_irq_enable();
		while (!kernel_trylock())
			while (__atomic_load_n(&kernel_lock_data.owner, __ATOMIC_RELAXED) !=
			       KERNEL_LOCK_UNLOCKED)
				cpu_relax();
		kernel_lock_data.contended++;
		if (!(f & X86_EFLAGS_IF))
			local_irq_disable();
	}
	kernel_lock_run_pending();
}

void kernel_unlock(void)
{
	if (!kernel_lock_held())
		panic("kernel_unlock: CPU %u does not hold it (owner %d)", smp_processor_id(),
		      kernel_lock_data.owner);
	__atomic_store_n(&kernel_lock_data.owner, KERNEL_LOCK_UNLOCKED, __ATOMIC_RELEASE);
}

void kernel_lock_defer(u32 work)
{
	__atomic_fetch_or(&kernel_pending, work, __ATOMIC_SEQ_CST);
}

void kernel_lock_run_pending(void)
{
	u32 work = __atomic_exchange_n(&kernel_pending, 0, __ATOMIC_SEQ_CST);

	if (work & KERNEL_PENDING_TICK)
		sched_timer_wakeups();
	if (work & KERNEL_PENDING_SERIAL)
		serial_interrupt_work();
}

void kernel_enter_from_user(void)
{
	kernel_lock();
}

void kernel_exit_to_user(void)
{
	kernel_unlock();
}
