/* SPDX-License-Identifier: MIT */
/*
 * What the boot loader told us, in one loader-independent form: the command line, the physical
 * memory map, the modules (e.g. an initramfs) and the ACPI root pointer (RSDP). Parsed from
 * multiboot2 (GRUB) or from Xen PVH's hvm_start_info (QEMU -kernel), and copied so the loader's
 * structures can be reused as memory.
 */
#ifndef WARDEN_BOOTINFO_H
#define WARDEN_BOOTINFO_H

#include "kernel/types.h"
#include "drivers/acpi/tables.h"

#define BOOT_MAGIC_MULTIBOOT2 0x36d76289
#define BOOT_MAGIC_PVH 0x336ec578

#define BOOT_MAX_MEM 64
#define BOOT_MAX_MODULES 8
#define BOOT_CMDLINE_MAX 1024

/* Memory region types, numbered as in the E820 map that both protocols pass on. */
enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIMABLE = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_region {
	u64 base;
	u64 size;
	u32 type;
};

struct boot_module {
	u64 start; /* physical */
	u64 end;
	char cmdline[64];
};

struct boot_info {
	const char *protocol; /* "multiboot2" or "pvh" */
	char loader_name[64];
	char cmdline[BOOT_CMDLINE_MAX];
	u64 info_phys; /* the loader's structure, to keep it reserved while we parse it */
	u64 info_size;
	unsigned int nr_mem;
	struct boot_mem_region mem[BOOT_MAX_MEM];
	unsigned int nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	/* The RSDP from multiboot2's ACPI tag or PVH's rsdp_paddr (len 0: none). */
	struct acpi_rsdp_hint acpi_rsdp;
};

extern struct boot_info boot_info;

/*
 * Fills *bi from the loader's structure at physical address info (reachable through the direct
 * map). Returns 0, or -1 if magic names no protocol Warden knows.
 */
int bootinfo_parse(u32 magic, u64 info, struct boot_info *bi);

/* Name of a memory region type, for the boot report. */
const char *boot_mem_type_name(u32 type);

#endif
