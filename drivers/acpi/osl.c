// SPDX-License-Identifier: MIT
/* The x86-64 side of the ACPI code (osl.h): firmware memory through memremap_ro(), port I/O. */
#include "drivers/acpi/osl.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/time.h"

const void *acpi_os_map_memory(u64 phys, size_t len)
{
	return memremap_ro(phys, len);
}

u32 acpi_os_read_port(u16 port, unsigned int width)
{
	if (width == 8)
		return inb(port);
	if (width == 16)
		return inw(port);
	return inl(port);
}

void acpi_os_write_port(u16 port, u32 value, unsigned int width)
{
	if (width == 8)
		outb(port, (u8)value);
	else if (width == 16)
		outw(port, (u16)value);
	else
		outl(port, value);
}

void acpi_os_stall(unsigned int us)
{
	u64 start = ktime_get_ns();

	if (!start) { /* the TSC is not calibrated yet: about 1 us per port 0x80 write */
		for (unsigned int i = 0; i < us; i++)
			outb(0x80, 0);
		return;
	}
	while (ktime_get_ns() - start < (u64)us * 1000)
		cpu_relax();
}
