/* SPDX-License-Identifier: MIT */
/*
 * ACPI table discovery: the firmware's description of the machine, found the way Linux's
 * drivers/acpi/tables.c and ACPICA's tbxface find it. The RSDP (Root System Description Pointer)
 * comes from the boot loader (a copy in a multiboot2 ACPI tag, or the address in Xen PVH's
 * hvm_start_info) or, failing that, from a scan of the EBDA's first KiB and the BIOS area
 * 0xe0000-0xfffff on 16-byte boundaries. The RSDP names the root table: the XSDT (64-bit
 * pointers, ACPI 2.0+) when its revision is 2 or more and the XSDT checks out, else the RSDT
 * (32-bit pointers). Every table reached is checksum-verified (its bytes sum to 0 mod 256) and
 * its length bounded before any field past the header is read; a table that fails is skipped
 * with a message, never trusted.
 *
 * Users: the power-off and reset code (drivers/acpi/sleep.c: FADT "FACP", DSDT) and, later, the
 * SMP bring-up (MADT "APIC"). Physical memory is reached through acpi_os_map_memory()
 * (drivers/acpi/osl.h), which maps firmware ranges read-only.
 */
#ifndef WARDEN_DRIVERS_ACPI_TABLES_H
#define WARDEN_DRIVERS_ACPI_TABLES_H

#include "kernel/types.h"
#include "kernel/compiler.h"

#define ACPI_RSDP_SIG "RSD PTR "
#define ACPI_SIG_RSDT "RSDT"
#define ACPI_SIG_XSDT "XSDT"
#define ACPI_SIG_FADT "FACP"
#define ACPI_SIG_DSDT "DSDT"
#define ACPI_SIG_SSDT "SSDT"
#define ACPI_SIG_MADT "APIC"

/* Largest table Warden maps (QEMU's DSDT is about 8 KiB; real machines' reach some 100 KiB). */
#define ACPI_MAX_TABLE_LEN (1u << 20)

/* The header every table but the RSDP starts with (ACPI 6.4 section 5.2.6). */
struct acpi_table_header {
	char signature[4];
	u32 length; /* of the whole table, header included */
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	char asl_compiler_id[4];
	u32 asl_compiler_revision;
} __packed;

/* The RSDP (section 5.2.5): 20 bytes in ACPI 1.0 (revision 0), 36 from ACPI 2.0 on. */
struct acpi_table_rsdp {
	char signature[8];
	u8 checksum; /* of the first 20 bytes */
	char oem_id[6];
	u8 revision;
	u32 rsdt_physical_address;
	u32 length; /* revision >= 2 */
	u64 xsdt_physical_address;
	u8 extended_checksum; /* of all length bytes */
	u8 reserved[3];
} __packed;

#define ACPI_RSDP_V1_SIZE 20
#define ACPI_RSDP_V2_SIZE 36

/* Generic Address Structure (section 5.2.3.2): where a register lives. */
struct acpi_generic_address {
	u8 space_id; /* ACPI_ADR_SPACE_* */
	u8 bit_width;
	u8 bit_offset;
	u8 access_width;
	u64 address;
} __packed;

#define ACPI_ADR_SPACE_SYSTEM_MEMORY 0
#define ACPI_ADR_SPACE_SYSTEM_IO 1
#define ACPI_ADR_SPACE_PCI_CONFIG 2

/* The root pointer the boot loader handed over, copied by kernel/bootinfo.c (len 0: none). */
struct acpi_rsdp_hint {
	u64 phys; /* where it lives, or 0 if the loader gave only a copy (multiboot2) */
	u8 copy[ACPI_RSDP_V2_SIZE];
	u32 len; /* bytes in copy */
};

/*
 * Finds the RSDP (the hint first, then the BIOS areas) and the root table, prints what it found
 * (one line per table, as Linux's boot log), and remembers them for acpi_get_table(). Returns 0,
 * or -ENODEV when the machine has no usable ACPI tables. Called once at boot.
 */
int acpi_table_init(const struct acpi_rsdp_hint *hint);

/*
 * The instance-th (from 0) checksum-valid table with this 4-character signature, mapped and
 * readable for its whole length; NULL if there is none. "DSDT" is found through the FADT, as it
 * is not listed in the root table.
 */
const struct acpi_table_header *acpi_get_table(const char *signature, unsigned int instance);

/* True when the len bytes at p sum to 0 modulo 256 (every ACPI checksum). */
bool acpi_checksum_ok(const void *p, size_t len);

/* Forgets what acpi_table_init() found (host unit tests start each case afresh). */
void acpi_table_reset(void);

#endif
