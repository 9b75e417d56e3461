/* SPDX-License-Identifier: MIT */
/*
 * The local APIC (xAPIC, memory-mapped at 0xfee00000 unless the MADT says otherwise): each CPU's
 * interrupt controller. Warden uses it for the per-CPU one-shot timer (the scheduler tick and the
 * hrtimers: arch/x86_64/clockevent.c), for
 * inter-processor interrupts (IPIs: cross-CPU function calls, rescheduling, INIT and STARTUP to
 * bring secondary CPUs up) and for the end-of-interrupt of both. The legacy PIC still delivers
 * the serial port's IRQ to the boot CPU through LINT0 (virtual-wire mode). Vectors are Linux's.
 */
#ifndef WARDEN_ARCH_APIC_H
#define WARDEN_ARCH_APIC_H

#include "kernel/types.h"

#define LOCAL_TIMER_VECTOR 0xec
#define CALL_FUNCTION_VECTOR 0xfb
#define RESCHEDULE_VECTOR 0xfd
#define ERROR_APIC_VECTOR 0xfe
#define SPURIOUS_APIC_VECTOR 0xff

#define APIC_DEFAULT_PHYS_BASE 0xfee00000

/* Maps the local APIC's registers at phys (once, on the boot CPU). Returns 0 or -ENOMEM. */
int lapic_map(u64 phys);

/* True once lapic_map() succeeded: the APIC timer and IPIs can be used. */
bool lapic_mapped(void);

/* Enables this CPU's local APIC (spurious vector, LINT0 virtual wire on the boot CPU only). */
void lapic_init_cpu(bool bsp);

/* This CPU's local APIC id. */
u32 lapic_id(void);

/* Signals the end of the interrupt being handled (timer, IPI). */
void lapic_eoi(void);

/* Sends a fixed-delivery IPI of vector to the CPU with this APIC id. */
void lapic_send_ipi(u32 apic_id, u8 vector);

/* Sends an NMI to every other CPU (the panic path stops them with it). */
void lapic_send_nmi_allbutself(void);

/* Sends INIT, then the two STARTUP IPIs for a trampoline at page `page` (phys page >> 12). */
void lapic_send_init_sipi(u32 apic_id, u8 page);

/* Measures the APIC timer (divide by 16) against the TSC: its ticks per second. */
u64 lapic_timer_calibrate(void);

/*
 * Puts this CPU's APIC timer in one-shot mode, disarmed: TSC-deadline mode if tsc_deadline (CPUID
 * has it), else count mode at divide by 16 (the rate lapic_timer_calibrate measured).
 */
void lapic_timer_oneshot_init(bool tsc_deadline);

/* Arms the TSC-deadline timer: one interrupt once the TSC reaches tsc (replaces any earlier). */
void lapic_timer_set_deadline(u64 tsc);

/* Arms the count-mode one-shot: one interrupt after count APIC timer ticks (at least 1). */
void lapic_timer_set_count(u32 count);

#endif
