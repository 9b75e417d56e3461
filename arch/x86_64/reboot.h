/* SPDX-License-Identifier: MIT */
/*
 * Stopping the machine, the x86 side (Linux's arch/x86/kernel/reboot.c): power-off through ACPI
 * S5; restart through the ACPI reset register, then port 0xcf9 (the PCI reset control register),
 * then the keyboard controller's reset line, then a triple fault; halt with every CPU stopped.
 * Each step that fails says so on the console before the next. Interrupts must be off. The
 * kernel parameter reboot= picks the first restart method with Linux's letters: a (ACPI, the
 * default), p (port 0xcf9), k (keyboard controller), t (triple fault).
 */
#ifndef WARDEN_ARCH_REBOOT_H
#define WARDEN_ARCH_REBOOT_H

#include "kernel/compiler.h"

void machine_restart(const char *cmd) __noreturn;
void machine_halt(void) __noreturn;
void machine_power_off(void) __noreturn;

#endif
