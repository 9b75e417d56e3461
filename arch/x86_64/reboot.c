// SPDX-License-Identifier: MIT
/* Restart, halt and power-off of the machine (see reboot.h and docs/power.md). */
#include "arch/x86_64/reboot.h"
#include "arch/x86_64/cpu.h"
#include "drivers/acpi/osl.h"
#include "drivers/acpi/sleep.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"

#define PCI_RESET_CONTROL 0xcf9
#define I8042_COMMAND 0x64
#define I8042_STATUS_IBF 0x02 /* the controller has not taken the last byte yet */
#define I8042_CMD_PULSE_RESET 0xfe

/* Port 0xcf9 as Linux's BOOT_CF9_FORCE for a cold reboot: request a hard reset, then do it. */
static void reset_cf9(void)
{
	const u8 reboot_code = 0x0e; /* full reset | CPU reset | system reset */
	u8 cf9 = acpi_os_read_port(PCI_RESET_CONTROL, 8) & ~reboot_code;

	acpi_os_write_port(PCI_RESET_CONTROL, cf9 | 2, 8);
	acpi_os_stall(50);
	acpi_os_write_port(PCI_RESET_CONTROL, cf9 | reboot_code, 8);
	acpi_os_stall(50);
}

/* Waits (bounded) until the keyboard controller can take a command. */
static void kb_wait(void)
{
	for (int i = 0; i < 0x10000; i++) {
		if (!(acpi_os_read_port(I8042_COMMAND, 8) & I8042_STATUS_IBF))
			break;
		acpi_os_stall(2);
	}
}

/* Pulses the CPU reset line through the 8042 keyboard controller, ten times as Linux. */
static void reset_kbd(void)
{
	for (int i = 0; i < 10; i++) {
		kb_wait();
		acpi_os_stall(50);
		acpi_os_write_port(I8042_COMMAND, I8042_CMD_PULSE_RESET, 8);
		acpi_os_stall(50);
	}
}

/* The last resort: an empty IDT, so the next exception is a triple fault, which resets. */
static void __noreturn reset_triple_fault(void)
{
	struct __packed {
		u16 limit;
		u64 base;
	} empty = { 0, 0 };

	__asm__ __volatile__("lidt %0; int3" ::"m"(empty));
	for (;;)
		halt();
}

/* The restart methods, in the order tried; reboot= on the command line picks the first. */
enum reboot_type { BOOT_ACPI, BOOT_CF9, BOOT_KBD, BOOT_TRIPLE };

/*
 * The first method to try, from Linux's reboot= letters: a (ACPI reset register, the default),
 * p (port 0xcf9, "pci"), k (keyboard controller), t (triple fault). Others: the default.
 */
static enum reboot_type first_reboot_type(void)
{
	const char *opt = cmdline_get("reboot");

	switch (opt ? opt[0] : 'a') {
	case 'p':
		return BOOT_CF9;
	case 'k':
		return BOOT_KBD;
	case 't':
		return BOOT_TRIPLE;
	default:
		return BOOT_ACPI;
	}
}

void machine_restart(const char *cmd)
{
	(void)cmd; /* PC firmware takes no restart command */
	switch (first_reboot_type()) {
	case BOOT_ACPI:
		if (acpi_reboot())
			pr_emerg("reboot: the ACPI reset register did not reset; trying port "
				 "0xcf9\n");
		else
			pr_emerg("reboot: no ACPI reset register; trying port 0xcf9\n");
		fallthrough;
	case BOOT_CF9:
		reset_cf9();
		acpi_os_stall(10000);
		pr_emerg("reboot: port 0xcf9 did not reset; trying the keyboard controller\n");
		fallthrough;
	case BOOT_KBD:
		reset_kbd();
		acpi_os_stall(10000);
		pr_emerg("reboot: the keyboard controller did not reset; triple fault\n");
		fallthrough;
	case BOOT_TRIPLE:
		reset_triple_fault();
	}
	reset_triple_fault();
}

void machine_halt(void)
{
	local_irq_disable();
	for (;;)
		halt();
}

void machine_power_off(void)
{
	acpi_power_off();
	/* Linux's fallback is a halt too (tboot aside): nothing else can turn the power off. */
	pr_emerg("reboot: ACPI S5 did not power off; System halted\n");
	machine_halt();
}
