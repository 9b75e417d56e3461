/* SPDX-License-Identifier: MIT */
/*
 * The Intel MultiProcessor Specification's tables (version 1.1 and 1.4), Linux's
 * arch/x86/kernel/mpparse.c: where the CPUs are listed when there is no ACPI MADT, or with
 * acpi=off. The BIOS leaves an "MP floating pointer structure" ("_MP_") in low memory; it points
 * at the configuration table ("PCMP"), whose processor entries give each CPU's local APIC id.
 * Firmware memory is read through acpi_os_map_memory (drivers/acpi/osl.h), so the host unit tests
 * run this code over fabricated tables.
 */
#ifndef WARDEN_ARCH_X86_64_MPPARSE_H
#define WARDEN_ARCH_X86_64_MPPARSE_H

#include "kernel/types.h"

/* The MP floating pointer structure (16 bytes, on a 16-byte boundary). */
struct mpf_intel {
	char signature[4]; /* "_MP_" */
	u32 physptr; /* the configuration table, 0 with a default configuration */
	u8 length; /* in 16-byte units: 1 */
	u8 specification; /* 1 (1.1) or 4 (1.4) */
	u8 checksum; /* all 16 bytes sum to 0 */
	u8 feature1; /* non-zero: one of the spec's default configurations, no table */
	u8 feature2; /* bit 7: IMCR present */
	u8 feature3, feature4, feature5;
} __attribute__((packed));

/* The configuration table's header, followed by entry_count entries. */
struct mpc_table {
	char signature[4]; /* "PCMP" */
	u16 length; /* of the base table, header included */
	u8 spec; /* 1 or 4 */
	u8 checksum; /* the base table sums to 0 */
	char oem[8];
	char productid[12];
	u32 oemptr;
	u16 oemsize;
	u16 oemcount; /* the number of entries */
	u32 lapic; /* the local APIC's physical address */
	u16 ext_table_length;
	u8 ext_table_checksum;
	u8 reserved;
} __attribute__((packed));

/* Entry types and sizes: a processor entry is 20 bytes, every other base entry 8. */
#define MP_PROCESSOR 0
#define MP_BUS 1
#define MP_IOAPIC 2
#define MP_INTSRC 3
#define MP_LINTSRC 4

struct mpc_cpu {
	u8 type; /* MP_PROCESSOR */
	u8 apicid;
	u8 apicver;
	u8 cpuflag; /* CPU_ENABLED, CPU_BOOTPROCESSOR */
	u32 cpufeature;
	u32 featureflag;
	u32 reserved[2];
} __attribute__((packed));

#define CPU_ENABLED 1
#define CPU_BOOTPROCESSOR 2

/*
 * Finds the MP tables as Linux's find_smp_config (the first KiB of memory, the last KiB below
 * 640 KiB, the BIOS area 0xf0000-0xfffff, then the first KiB of the EBDA) and reads them: at most
 * max enabled processors' APIC ids into apic_ids, their number in *nr. Returns the local APIC's
 * physical address, or 0 when there is no valid table (a default configuration included: Warden
 * then runs on one CPU).
 */
u64 mp_find_cpus(u32 *apic_ids, unsigned int max, unsigned int *nr);

#endif
