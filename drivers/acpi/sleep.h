/* SPDX-License-Identifier: MIT */
/*
 * ACPI power-off (sleep state S5, "soft off") and the FADT's reset register: what Linux's
 * drivers/acpi/sleep.c (acpi_power_off), ACPICA's hwsleep.c and drivers/acpi/reboot.c do, for the
 * fixed-hardware registers only (docs/power.md).
 *
 * Power-off: the FADT gives the PM1a (and optional PM1b) control register ports; the DSDT's (or
 * an SSDT's) \_S5 object, a Package whose first elements are the SLP_TYP values, is read by a
 * small bounded AML pattern parse (no interpreter: `Name (_S5, Package () { a, b, ... })` is the
 * form every firmware uses). Entering S5 writes SLP_TYP to PM1x_CNT, then SLP_TYP|SLP_EN.
 *
 * Reset: the FADT's RESET_REG (revision >= 2, flag RESET_REG_SUP) in I/O or PCI configuration
 * space, written with RESET_VALUE; memory-space reset registers are reported and skipped.
 */
#ifndef WARDEN_DRIVERS_ACPI_SLEEP_H
#define WARDEN_DRIVERS_ACPI_SLEEP_H

#include "kernel/types.h"

/* PM1 control register bits (ACPI 6.4 table 4.13). */
#define ACPI_SLP_TYP_SHIFT 10
#define ACPI_SLP_TYP_MASK (7u << ACPI_SLP_TYP_SHIFT)
#define ACPI_SLP_EN (1u << 13)

/*
 * Reads the FADT and \_S5 after acpi_table_init(), says what power-off and reset will do, and
 * remembers it. Returns 0 when power-off through S5 is possible, else -ENODEV.
 */
int acpi_sleep_init(void);

/* True when acpi_sleep_init() found PM1a_CNT and \_S5 (Linux's pm_power_off = acpi_power_off). */
bool acpi_can_power_off(void);

/* Enters S5. On a machine that honours it this does not return; it returns if nothing happened. */
void acpi_power_off(void);

/*
 * Writes the FADT's reset register if it has one (then waits 15 ms, as Linux). Returns false at
 * once when there is no usable reset register, true when it was written and the machine is
 * still running.
 */
bool acpi_reboot(void);

/*
 * Finds `Name (_S5, Package () { a, b, ... })` in the AML byte stream [aml, aml+len) and stores
 * SLP_TYPa and SLP_TYPb (a Package of one integer holds a in its low byte and b in the next, as
 * ACPICA's acpi_get_sleep_type_data). Never reads outside the stream. 0, or -ENOENT.
 */
int acpi_find_s5(const u8 *aml, size_t len, u8 *typ_a, u8 *typ_b);

/* Forgets what acpi_sleep_init() found (host unit tests). */
void acpi_sleep_reset(void);

#endif
