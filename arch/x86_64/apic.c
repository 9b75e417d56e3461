// SPDX-License-Identifier: MIT
/*
 * Local APIC registers, IPIs and the APIC timer (Intel SDM vol. 3A chapter 11). Registers are
 * 32-bit, 16-byte aligned in one uncached page; an interrupt command (ICR) is written high half
 * (destination) first, and the low half's write sends it.
 */
#include "arch/x86_64/apic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/time.h"
#include "kernel/errno.h"

#define APIC_ID 0x20
#define APIC_TPR 0x80
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_ESR 0x280
#define APIC_ICR_LOW 0x300
#define APIC_ICR_HIGH 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0

#define APIC_SVR_ENABLE (1u << 8)
#define APIC_LVT_MASKED (1u << 16)
#define APIC_TIMER_TSC_DEADLINE (2u << 17)
#define APIC_DM_FIXED 0x000
#define APIC_DM_NMI 0x400
#define APIC_DM_INIT 0x500
#define APIC_DM_STARTUP 0x600
#define APIC_DM_EXTINT 0x700
#define APIC_ICR_BUSY (1u << 12)
#define APIC_ICR_ASSERT (1u << 14)
#define APIC_ICR_LEVEL (1u << 15)
#define APIC_TIMER_DIV_16 0x3
#define APIC_DEST_ALLBUT (3u << 18) /* shorthand: all excluding self */

#define MSR_IA32_APICBASE 0x1b
#define MSR_IA32_TSC_DEADLINE 0x6e0
#define APICBASE_ENABLE (1UL << 11)

static volatile u32 *lapic_base;

static u32 lapic_read(u32 reg)
{
	return lapic_base[reg / 4];
}

static void lapic_write(u32 reg, u32 v)
{
	lapic_base[reg / 4] = v;
}

int lapic_map(u64 phys)
{
	void *p = ioremap_uc(phys, PAGE_SIZE);

	if (!p)
		return -ENOMEM;
	lapic_base = p;
	return 0;
}

bool lapic_mapped(void)
{
	return lapic_base != NULL;
}

void lapic_init_cpu(bool bsp)
{
	wrmsr(MSR_IA32_APICBASE, rdmsr(MSR_IA32_APICBASE) | APICBASE_ENABLE);
	lapic_write(APIC_TPR, 0); /* accept every vector */
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	/* The 8259 PIC's INTR reaches the boot CPU only (virtual-wire mode, as the BIOS set it). */
	lapic_write(APIC_LVT_LINT0, bsp ? APIC_DM_EXTINT : APIC_LVT_MASKED);
	lapic_write(APIC_LVT_LINT1, bsp ? APIC_DM_NMI : APIC_LVT_MASKED);
	lapic_write(APIC_LVT_ERROR, ERROR_APIC_VECTOR);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_APIC_VECTOR);
	lapic_eoi(); /* anything the firmware left in service */
}

u32 lapic_id(void)
{
	return lapic_read(APIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

/* Waits for the previous interrupt command to leave this APIC. */
static void lapic_wait_icr_idle(void)
{
	while (lapic_read(APIC_ICR_LOW) & APIC_ICR_BUSY)
		cpu_relax();
}

/* Writes one interrupt command with interrupts off, so no handler's IPI splits the two halves. */
static void lapic_icr_write(u32 apic_id, u32 low)
{
	u64 flags = read_rflags();

	local_irq_disable();
	lapic_wait_icr_idle();
	lapic_write(APIC_ICR_HIGH, apic_id << 24);
	lapic_write(APIC_ICR_LOW, low);
	lapic_wait_icr_idle();
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}

void lapic_send_ipi(u32 apic_id, u8 vector)
{
	lapic_icr_write(apic_id, APIC_DM_FIXED | vector);
}

void lapic_send_nmi_allbutself(void)
{
	lapic_icr_write(0, APIC_DM_NMI | APIC_DEST_ALLBUT);
}

/* Busy-waits us microseconds on the TSC. */
static void udelay(u64 us)
{
	u64 start = ktime_get_ns();

	while (ktime_get_ns() - start < us * 1000)
		cpu_relax();
}

/*
 * The universal start-up algorithm (SDM 8.4.4.1): INIT (assert, then the level-triggered
 * de-assert older APICs want), 10 ms, then STARTUP twice 200 us apart; the vector is the page
 * number of the real-mode code, which starts at CS = page << 8, IP = 0.
 */
void lapic_send_init_sipi(u32 apic_id, u8 page)
{
	lapic_write(APIC_ESR, 0);
	lapic_icr_write(apic_id, APIC_DM_INIT | APIC_ICR_LEVEL | APIC_ICR_ASSERT);
	lapic_icr_write(apic_id, APIC_DM_INIT | APIC_ICR_LEVEL);
	udelay(10000);
	for (int i = 0; i < 2; i++) {
		lapic_write(APIC_ESR, 0);
		lapic_icr_write(apic_id, APIC_DM_STARTUP | page);
		udelay(200);
	}
}

/*
 * One look at the APIC timer's count, bracketed by two clock reads: the narrowest of four in a
 * row, so that a look during which the CPU was taken away (a busy host) is not the one kept.
 */
static void lapic_timer_sample(u32 *count, u64 *ns)
{
	u64 width = ~0ULL;

	for (int i = 0; i < 4; i++) {
		u64 t0 = ktime_get_ns();
		u32 c = lapic_read(APIC_TIMER_CUR);
		u64 t1 = ktime_get_ns();
		if (t1 - t0 < width) {
			width = t1 - t0;
			*count = c;
			*ns = t0 + (t1 - t0) / 2;
		}
	}
}

/*
 * Measures the APIC timer against the (calibrated) TSC over 20 ms: two narrow looks at its
 * count, so the time the CPU may be away between them counts on both sides.
 */
u64 lapic_timer_calibrate(void)
{
	u32 c0 = 0, c1 = 0;
	u64 t0 = 0, t1 = 0;

	lapic_write(APIC_TIMER_DIV, APIC_TIMER_DIV_16);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	lapic_write(APIC_TIMER_INIT, 0xffffffff);
	lapic_timer_sample(&c0, &t0);
	while (ktime_get_ns() - t0 < 20000000) /* 20 ms */
		cpu_relax();
	lapic_timer_sample(&c1, &t1);
	lapic_write(APIC_TIMER_INIT, 0);
	return t1 > t0 && c0 > c1 ? (u64)(c0 - c1) * 1000000000ULL / (t1 - t0) : 0;
}

/*
 * One-shot mode: TSC-deadline (the timer fires once the TSC reaches the value written to
 * IA32_TSC_DEADLINE; the SDM asks for a fence between the LVT's memory-mapped write and the
 * first WRMSR) or, without it, a count down from the initial count at divide by 16. Disarmed.
 */
void lapic_timer_oneshot_init(bool tsc_deadline)
{
	lapic_write(APIC_TIMER_DIV, APIC_TIMER_DIV_16);
	if (tsc_deadline) {
		lapic_write(APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | LOCAL_TIMER_VECTOR);
		__asm__ __volatile__("mfence" ::: "memory");
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	} else {
		lapic_write(APIC_LVT_TIMER, LOCAL_TIMER_VECTOR);
		lapic_write(APIC_TIMER_INIT, 0);
	}
}

void lapic_timer_set_deadline(u64 tsc)
{
	wrmsr(MSR_IA32_TSC_DEADLINE, tsc ? tsc : 1); /* 0 would disarm it */
}

void lapic_timer_set_count(u32 count)
{
	lapic_write(APIC_TIMER_INIT, count ? count : 1); /* 0 would stop it */
}
