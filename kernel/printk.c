// SPDX-License-Identifier: MIT
/* printk: level filtering and formatting in front of the serial console. */
#include "kernel/printk.h"
#include "kernel/cmdline.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/panic.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/serial.h"

static int console_loglevel = LOGLEVEL_DEFAULT;

void console_set_loglevel(int level)
{
	console_loglevel = level;
}

/*
 * The console lock: one CPU writes a message at a time, so messages from several CPUs do not
 * interleave. It is raw (no lock checker: the checker reports through printk) and records its
 * owner: a CPU that prints again while it holds it (an NMI, a fault while printing) writes
 * without it rather than wait for itself. In a panic it is waited for only a bounded time, so a
 * CPU stopped while holding it cannot keep the report from being written. Off until
 * console_setup (before that only the boot CPU runs, and this_cpu() may not be set up yet).
 */
static u32 console_lock_word; /* protects the serial console's output, see above */
static int console_owner = -1; /* the CPU holding it */
static bool console_locking;
static bool console_lock_abandoned; /* a panic gave up waiting once: it waits no more */

/* Takes the console lock; false if this CPU goes on without it (nested, or a panic's timeout). */
static bool console_lock(void)
{
	int cpu = (int)smp_processor_id();

	if (__atomic_load_n(&console_owner, __ATOMIC_RELAXED) == cpu)
		return false;
	for (u64 spins = 0;; spins++) {
		if (!__atomic_exchange_n(&console_lock_word, 1, __ATOMIC_ACQUIRE))
			break;
		if (panic_in_progress() && (console_lock_abandoned || spins > 10000000ULL)) {
			console_lock_abandoned = true;
			return false;
		}
		__asm__ __volatile__("pause" ::: "memory");
	}
	__atomic_store_n(&console_owner, cpu, __ATOMIC_RELAXED);
	return true;
}

static void console_unlock(void)
{
	__atomic_store_n(&console_owner, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&console_lock_word, 0, __ATOMIC_RELEASE);
}

/*
 * Applies console= (Linux's console_setup): ttyS0 (COM1, the default) or ttyS1 (COM2), so that
 * tools/run-program can keep the kernel log off a terminal on COM1. Anything else keeps COM1.
 */
void console_setup(void)
{
	const char *name = cmdline_get("console");

	console_locking = true; /* this CPU's number is known from here on */
	if (name && strcmp(name, "ttyS1") == 0)
		serial_console_select(SERIAL_COM2);
	else if (name && strcmp(name, "ttyS0") != 0)
		printk(KERN_WARNING "console=%s: no such console, using ttyS0\n", name);
}

void console_write(const char *s, size_t len)
{
	u64 flags;
	bool locked = false;

	if (!console_locking) {
		serial_write(s, len);
		return;
	}
	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	locked = console_lock();
	serial_write(s, len);
	if (locked)
		console_unlock();
	if (flags & (1UL << 9))
		__asm__ __volatile__("sti" ::: "memory");
}

/*
 * Formats one message into a stack buffer and writes it if its level passes. A message without a
 * level prefix is printed at the default message level (KERN_INFO).
 */
int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int level = LOGLEVEL_DEFAULT;

	if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	if (level > console_loglevel)
		return 0;
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	console_write(buf, (size_t)n);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
