// SPDX-License-Identifier: MIT
/*
 * reboot(2) as Linux 6.1's kernel/reboot.c: the same checks in the same order, the same console
 * lines, the same fate for each command (see reboot.h, docs/power.md).
 */
#include "kernel/reboot.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/exit.h"
#include "kernel/printk.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/reboot.h"
#include "drivers/acpi/sleep.h"
#include "mm/uaccess.h"

/*
 * Ctrl-Alt-Del: 1 restarts at once, 0 signals init (Linux's C_A_D). Warden has no keyboard, so
 * nothing reads it yet; CAD_ON and CAD_OFF set it as on Linux.
 */
static int C_A_D = 1;

bool kernel_can_power_off(void)
{
	return acpi_can_power_off();
}

void kernel_restart(const char *cmd)
{
	local_irq_disable();
	if (!cmd)
		pr_emerg("reboot: Restarting system\n");
	else
		pr_emerg("reboot: Restarting system with command '%s'\n", cmd);
	machine_restart(cmd);
}

void kernel_halt(void)
{
	local_irq_disable();
	pr_emerg("reboot: System halted\n");
	machine_halt();
}

void kernel_power_off(void)
{
	local_irq_disable();
	pr_emerg("reboot: Power down\n");
	machine_power_off();
}

/* True for the four magic2 values Linux accepts (dates: Linus's and his daughters' birthdays). */
static bool reboot_magic2_ok(int magic2)
{
	return magic2 == LINUX_REBOOT_MAGIC2 || magic2 == LINUX_REBOOT_MAGIC2A ||
	       magic2 == LINUX_REBOOT_MAGIC2B || magic2 == LINUX_REBOOT_MAGIC2C;
}

/* RESTART2: the command string (at most 255 bytes) from user space, then restart. */
static long reboot_restart2(const void __user *arg)
{
	char buffer[256];
	long ret = strncpy_from_user(buffer, arg, sizeof(buffer) - 1);

	if (ret < 0)
		return -EFAULT;
	buffer[sizeof(buffer) - 1] = '\0';
	kernel_restart(buffer);
}

long sys_reboot(int magic1, int magic2, unsigned int cmd, void __user *arg)
{
	/* "We only trust the superuser with rebooting the system": CAP_SYS_BOOT, before all */
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;

	/* For safety, Linux requires "magic" arguments; both are compared as ints. */
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 || !reboot_magic2_ok(magic2))
		return -EINVAL;

	/*
	 * Linux hands a caller in a child pid namespace to reboot_pid_ns() here; Warden has one
	 * pid namespace, where that does nothing.
	 */

	/* As Linux: power-off without a way to turn the power off is a halt. */
	if (cmd == LINUX_REBOOT_CMD_POWER_OFF && !kernel_can_power_off())
		cmd = LINUX_REBOOT_CMD_HALT;

	/* Linux takes system_transition_mutex here; Warden's one CPU needs no lock. */
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
		kernel_restart(NULL);
	case LINUX_REBOOT_CMD_CAD_ON:
		C_A_D = 1;
		return 0;
	case LINUX_REBOOT_CMD_CAD_OFF:
		C_A_D = 0;
		return 0;
	case LINUX_REBOOT_CMD_HALT:
		kernel_halt();
	case LINUX_REBOOT_CMD_POWER_OFF:
		kernel_power_off();
	case LINUX_REBOOT_CMD_RESTART2:
		return reboot_restart2(arg);
	/*
	 * KEXEC (CONFIG_KEXEC_CORE) and SW_SUSPEND (CONFIG_HIBERNATION) are cases only in kernels
	 * built with them; Warden has neither, so they are unknown commands, as in such a Linux.
	 */
	default:
		return -EINVAL;
	}
}
