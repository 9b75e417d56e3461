// SPDX-License-Identifier: MIT
/*
 * The big kernel lock (kernel/kernel_lock.h). A ticket lock and the owner CPU, with interrupts
 * enabled while spinning; the deferred-work bits that interrupt handlers leave when
 * they cannot take it.
 */
#include "kernel/kernel_lock.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "kernel/panic.h"
#include "kernel/lockcheck.h"
#include "kernel/sched.h"
#include "kernel/sched_stats.h"
#include "drivers/tty/tty.h"

struct kernel_lock_struct kernel_lock_data = { .owner = KERNEL_LOCK_UNLOCKED };
static u32 kernel_pending;
/*
 * Which CPU (+1; 0: none) waits with which ticket: at most NR_CPUS tickets are out at once, so
 * ticket % NR_CPUS names one waiter. A waiter halts after a short spin; kernel_unlock wakes the
 * next one with an IPI, so a waiting virtual CPU leaves its host thread to the holder.
 */
static u32 ticket_waiter[NR_CPUS];

/*
 * How long a waiter spins before it halts, in TSC cycles (about 50 us at 2 GHz): kernel code
 * holds the lock for microseconds, and a halted waiter's wake-up (an IPI, and under QEMU its
 * vCPU thread scheduled again by the host) costs far more than that, so most waits end while
 * spinning (Linux's spinlocks never halt; its paravirt ones halt after a long spin too).
 */
#define TICKET_SPIN_CYCLES 100000

/* Waits for ticket: spins a while, then halts until kernel_unlock's IPI (interrupts on). */
static void wait_for_ticket(u32 ticket)
{
	u32 *slot = &ticket_waiter[ticket % NR_CPUS];
	u64 start = rdtsc();

	while (rdtsc() - start < TICKET_SPIN_CYCLES) {
		for (int i = 0; i < 64; i++) {
			if (__atomic_load_n(&kernel_lock_data.serving, __ATOMIC_ACQUIRE) == ticket)
				return;
			cpu_relax();
		}
	}
	__atomic_store_n(slot, smp_processor_id() + 1, __ATOMIC_SEQ_CST);
	for (;;) {
		local_irq_disable();
		if (__atomic_load_n(&kernel_lock_data.serving, __ATOMIC_SEQ_CST) == ticket)
			break;
		__asm__ __volatile__("sti; hlt" ::: "memory");
	}
	__atomic_store_n(slot, 0, __ATOMIC_RELAXED);
	local_irq_enable();
}

bool kernel_lock_held(void)
{
	return __atomic_load_n(&kernel_lock_data.owner, __ATOMIC_RELAXED) ==
	       (int)smp_processor_id();
}

bool kernel_trylock(void)
{
	u32 serving = __atomic_load_n(&kernel_lock_data.serving, __ATOMIC_ACQUIRE),
	    expect = serving;

	if (!__atomic_compare_exchange_n(&kernel_lock_data.next, &expect, serving + 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	__atomic_store_n(&kernel_lock_data.owner, (int)smp_processor_id(), __ATOMIC_RELAXED);
	kernel_lock_data.acquired++;
	if (lockcheck_enabled)
		lockcheck_acquired(&kernel_lock_data);
	return true;
}

void kernel_lock(void)
{
	u64 f = read_rflags();

	if (kernel_lock_held())
		panic("kernel_lock: CPU %u takes it again", smp_processor_id());
	/* The order check (the kernel lock is outermost), then trylock records it held. */
	if (lockcheck_enabled)
		lockcheck_check_order(&kernel_lock_data);
	if (!kernel_trylock()) {
		/* Interrupts on while waiting: IPIs must still be answered. */
		local_irq_enable();
		u32 ticket = __atomic_fetch_add(&kernel_lock_data.next, 1, __ATOMIC_RELAXED);
		u64 t0 = rdtsc();

		wait_for_ticket(ticket);
		schedstat_add(lock_wait_cycles, rdtsc() - t0);
		__atomic_store_n(&kernel_lock_data.owner, (int)smp_processor_id(),
				 __ATOMIC_RELAXED);
		kernel_lock_data.acquired++;
		kernel_lock_data.contended++;
		if (lockcheck_enabled)
			lockcheck_acquired(&kernel_lock_data);
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
	if (lockcheck_enabled)
		lockcheck_release(&kernel_lock_data);
	__atomic_store_n(&kernel_lock_data.owner, KERNEL_LOCK_UNLOCKED, __ATOMIC_RELAXED);
	u32 next = __atomic_add_fetch(&kernel_lock_data.serving, 1, __ATOMIC_SEQ_CST);
	u32 waiter = __atomic_load_n(&ticket_waiter[next % NR_CPUS], __ATOMIC_SEQ_CST);
	if (waiter && __atomic_load_n(&kernel_lock_data.next, __ATOMIC_RELAXED) != next) {
		schedstat_inc(ipi_lock_wake);
		lapic_send_ipi(percpu_data[waiter - 1].apic_id, CALL_FUNCTION_VECTOR); /* wake it */
	}
}

void kernel_lock_yield(void)
{
	if (__atomic_load_n(&kernel_lock_data.next, __ATOMIC_RELAXED) ==
	    __atomic_load_n(&kernel_lock_data.serving, __ATOMIC_RELAXED) + 1)
		return; /* nobody waits */
	kernel_unlock();
	kernel_lock();
}

void kernel_lock_defer(u32 work)
{
	__atomic_fetch_or(&kernel_pending, work, __ATOMIC_SEQ_CST);
}

bool kernel_lock_work_pending(void)
{
	return __atomic_load_n(&kernel_pending, __ATOMIC_RELAXED) != 0;
}

void kernel_lock_run_pending(void)
{
	u32 work = __atomic_exchange_n(&kernel_pending, 0, __ATOMIC_SEQ_CST);

	/*
	 * A tick's timed wake-ups, done late: the woken task gets its CPU at this tick as when the
	 * tick itself asked for the reschedule (it no longer does unless a task was waiting).
	 */
	if (work & KERNEL_PENDING_TICK) {
		/* Interrupts off, as in the tick: a clock event here would run the timers nested */
		u64 f = local_irq_save();
		bool woken = sched_timer_wakeups();

		local_irq_restore(f);
		if (woken && current)
			current->need_resched = true;
	}
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
