/* SPDX-License-Identifier: MIT */
/*
 * What the ACPI code needs from the machine (Linux's drivers/acpi/osl.c layer): reading firmware
 * memory and touching I/O ports. drivers/acpi/osl.c implements it on x86-64; the host unit tests
 * (tests/host/test_acpi.c) implement it over a buffer that plays physical memory and a log of
 * port writes, so the table and sleep code is tested under ASan and UBSan.
 */
#ifndef WARDEN_DRIVERS_ACPI_OSL_H
#define WARDEN_DRIVERS_ACPI_OSL_H

#include "kernel/types.h"

/*
 * Makes the len bytes of firmware memory at phys readable and returns their address, or NULL if
 * the range is out of bounds (past 4 GiB + the direct map's reach, or wrapping) or cannot be
 * mapped. Mappings are read-only and never removed (the tables stay for the machine's life).
 */
const void *acpi_os_map_memory(u64 phys, size_t len);

/* Reads or writes an I/O port; width is 8, 16 or 32 bits. */
u32 acpi_os_read_port(u16 port, unsigned int width);
void acpi_os_write_port(u16 port, u32 value, unsigned int width);

/* Busy-waits about us microseconds (between power-off and reset attempts). */
void acpi_os_stall(unsigned int us);

#endif
