/* SPDX-License-Identifier: MIT */
/*
 * reboot(2) and the three ways to stop the machine, as Linux 6.1's kernel/reboot.c: restart,
 * halt and power-off, each announced on the kernel console with Linux's line ("reboot:
 * Restarting system", "reboot: System halted", "reboot: Power down"). The machine side (ACPI S5,
 * reset register, port 0xcf9, keyboard controller, triple fault) is arch/x86_64/reboot.c;
 * docs/power.md tells the whole path.
 */
#ifndef WARDEN_KERNEL_REBOOT_H
#define WARDEN_KERNEL_REBOOT_H

#include "kernel/compiler.h"
#include "kernel/types.h"
#include "mm/uaccess.h"

/* Linux's uapi <linux/reboot.h>: the magic numbers and commands. */
#define LINUX_REBOOT_MAGIC1 0xfee1deadu
#define LINUX_REBOOT_MAGIC2 672274793
#define LINUX_REBOOT_MAGIC2A 85072278
#define LINUX_REBOOT_MAGIC2B 369367448
#define LINUX_REBOOT_MAGIC2C 537993216

#define LINUX_REBOOT_CMD_RESTART 0x01234567u
#define LINUX_REBOOT_CMD_HALT 0xCDEF0123u
#define LINUX_REBOOT_CMD_CAD_ON 0x89ABCDEFu
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000u
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321FEDCu
#define LINUX_REBOOT_CMD_RESTART2 0xA1B2C3D4u
#define LINUX_REBOOT_CMD_SW_SUSPEND 0xD000FCE2u
#define LINUX_REBOOT_CMD_KEXEC 0x45584543u

/* reboot(2): magic checks, then the command (EINVAL for unknown ones, KEXEC and SW_SUSPEND). */
long sys_reboot(int magic1, int magic2, unsigned int cmd, void __user *arg);

/* True when power-off can really turn the machine off (ACPI S5 found at boot). */
bool kernel_can_power_off(void);

/* Announce and stop the machine; none returns. cmd: RESTART2's string, or NULL. */
void kernel_restart(const char *cmd) __noreturn;
void kernel_halt(void) __noreturn;
void kernel_power_off(void) __noreturn;

#endif
