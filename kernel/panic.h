/* SPDX-License-Identifier: MIT */
/*
 * Stopping the kernel when it finds itself broken. panic() prints the message, the registers
 * and a symbolic backtrace on the console and ends QEMU with the panic status; it never returns.
 * BUG_ON() is for conditions that only a kernel bug can cause; never use it on user input.
 */
#ifndef WARDEN_PANIC_H
#define WARDEN_PANIC_H

#include "kernel/compiler.h"

struct pt_regs;

void panic(const char *fmt, ...) __noreturn __printf(1, 2);

/* The full report for an exception the kernel did not expect; never returns. */
void panic_exception(struct pt_regs *regs, const char *extra) __noreturn;

#define BUG() panic("BUG at %s:%d (%s)", __FILE__, __LINE__, __func__)
#define BUG_ON(cond)                                                                         \
	do {                                                                                 \
		if (unlikely(cond))                                                          \
			panic("BUG at %s:%d (%s): %s", __FILE__, __LINE__, __func__, #cond); \
	} while (0)

/* True once a CPU has begun reporting a panic (the NMI handler then stops its CPU). */
bool panic_in_progress(void);

#endif
