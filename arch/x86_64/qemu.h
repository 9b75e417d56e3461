/* SPDX-License-Identifier: MIT */
/*
 * Ending a QEMU run with a status the host can read. QEMU's isa-debug-exit device (port 0xf4)
 * makes QEMU exit with status (value << 1) | 1; the runner (tools/) maps these statuses back.
 * On a machine without the device the kernel halts instead.
 */
#ifndef WARDEN_ARCH_QEMU_H
#define WARDEN_ARCH_QEMU_H

#include "kernel/compiler.h"

/* Values written to the device and the QEMU exit statuses they produce. */
#define QEMU_EXIT_PASS 0x10 /* status 33: every selected self-test passed */
#define QEMU_EXIT_FAIL 0x11 /* status 35: a self-test failed */
#define QEMU_EXIT_PANIC 0x12 /* status 37: kernel panic */
#define QEMU_EXIT_INIT 0x13 /* status 39: the first program ended (its status is on COM1) */

/* Ends QEMU with the given code; halts forever if the device is absent. */
void qemu_exit(u8 code) __noreturn;

#endif
