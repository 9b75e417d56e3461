// SPDX-License-Identifier: MIT
/*
 * drivers/acpi/tables.c and drivers/acpi/sleep.c over fabricated firmware: an RSDP in the BIOS
 * area or the EBDA or from the boot loader, RSDT/XSDT, FADT, DSDT with \_S5, in the buffer that
 * plays physical memory. Checks discovery, the checksum and length rules, the XSDT-then-RSDT
 * choice, the _S5 AML parse (every encoding, every truncation, random bytes, never a read out of
 * bounds under ASan) and the register writes of power-off and reset. This file provides what
 * drivers/acpi/osl.h asks of the machine, and printk (the kernel's vsnprintf formats).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "drivers/acpi/osl.h"
#include "drivers/acpi/sleep.h"
#include "drivers/acpi/tables.h"
#include "kernel/errno.h"
#include "kernel/vsprintf.h"
#include "mm/memory.h"

#define RAM_SIZE (4UL << 20)

/* ---- the machine: memory bounded by RAM_SIZE, ports logged ---- */

static struct {
	u16 port;
	u32 value;
	unsigned int width;
} port_log[64];
static unsigned int nr_port_writes;
static u32 pm1_cnt_initial; /* what reading a PM1 control port returns */
static char klog[4096]; /* every message since build_machine(), one per line */

const void *acpi_os_map_memory(u64 phys, size_t len)
{
	if (phys >= RAM_SIZE || len > RAM_SIZE - phys)
		return NULL;
	return phys_to_virt(phys);
}

u32 acpi_os_read_port(u16 port, unsigned int width)
{
	(void)port;
	(void)width;
	return pm1_cnt_initial;
}

void acpi_os_write_port(u16 port, u32 value, unsigned int width)
{
	if (nr_port_writes < 64)
		port_log[nr_port_writes] = (typeof(port_log[0])){ port, value, width };
	nr_port_writes++;
}

void acpi_os_stall(unsigned int us)
{
	(void)us;
}

/* Appends the message to klog for the checks. */
int printk(const char *fmt, ...)
{
	size_t used = strlen(klog);
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(klog + used, sizeof(klog) - used, fmt, ap);
	va_end(ap);
	return n;
}

/* ---- building tables ---- */

/* Sets the checksum byte at off so that the len bytes at p sum to 0. */
static void fix_checksum(void *p, size_t len, size_t off)
{
	u8 *b = p, sum = 0;

	b[off] = 0;
	for (size_t i = 0; i < len; i++)
		sum += b[i];
	b[off] = (u8)-sum;
}

/* Writes a table of len bytes (header + body) at phys and checksums it. */
static struct acpi_table_header *put_table(u64 phys, const char *sig, u32 len, u8 rev,
					   const void *body)
{
	struct acpi_table_header *h = phys_to_virt(phys);

	memset(h, 0, len);
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, "WARDEN", 6);
	if (body)
		memcpy(h + 1, body, len - sizeof(*h));
	fix_checksum(h, len, offsetof(struct acpi_table_header, checksum));
	return h;
}

/* Writes an RSDP at phys: revision 0 with an RSDT, or 2 with an XSDT too. */
static void put_rsdp(u64 phys, u8 rev, u32 rsdt, u64 xsdt)
{
	struct acpi_table_rsdp *r = phys_to_virt(phys);

	memset(r, 0, sizeof(*r));
	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, "WARDEN", 6);
	r->revision = rev;
	r->rsdt_physical_address = rsdt;
	r->length = ACPI_RSDP_V2_SIZE;
	r->xsdt_physical_address = xsdt;
	fix_checksum(r, ACPI_RSDP_V1_SIZE, offsetof(struct acpi_table_rsdp, checksum));
	fix_checksum(r, ACPI_RSDP_V2_SIZE, offsetof(struct acpi_table_rsdp, extended_checksum));
}

#define RSDT_AT 0x100000
#define XSDT_AT 0x101000
#define FADT_AT 0x102000
#define DSDT_AT 0x103000
#define MADT_AT 0x104000
#define SSDT_AT 0x105000

/* QEMU's _S5: Name (_S5, Package (4) { Zero, Zero, Zero, Zero }) inside some other AML. */
static const u8 dsdt_s5[] = { 0x10, 0x05, 0x5c, 0x00, 0x01, /* Scope (\) { } ... noise */
			      0x08, '_',  'S',	'5',  '_',  0x12, 0x06,
			      0x04, 0x0a, 0x05, 0x0a, 0x07, 0x00, 0x00 };

/*
 * A whole machine: RSDP (revision rsdp_rev) at rsdp_at, RSDT listing FADT and MADT, an XSDT
 * with the same, a FADT of fadt_len bytes (PM1a_CNT 0x604, PM1b_CNT 0x608) and a DSDT with _S5.
 */
static struct acpi_table_header *build_machine(u64 rsdp_at, u8 rsdp_rev, u32 fadt_len, u8 fadt_rev)
{
	u32 rsdt_body[2] = { FADT_AT, MADT_AT };
	u64 xsdt_body[2] = { FADT_AT, MADT_AT };
	u8 fadt_body[256] = { 0 };
	u32 dsdt = DSDT_AT, pm1a = 0x604, pm1b = 0x608;

	host_ram_init(RAM_SIZE);
	memset(phys_to_virt(0), 0, RAM_SIZE); /* no stray "RSD PTR " in the junk */
	memcpy(fadt_body + 40 - 36, &dsdt, 4);
	memcpy(fadt_body + 64 - 36, &pm1a, 4);
	memcpy(fadt_body + 68 - 36, &pm1b, 4);
	put_table(RSDT_AT, "RSDT", 36 + 8, 1, rsdt_body);
	put_table(XSDT_AT, "XSDT", 36 + 16, 1, xsdt_body);
	put_table(MADT_AT, "APIC", 36 + 8, 1, NULL);
	put_table(DSDT_AT, "DSDT", 36 + sizeof(dsdt_s5), 1, dsdt_s5);
	struct acpi_table_header *fadt = put_table(FADT_AT, "FACP", fadt_len, fadt_rev, fadt_body);
	put_rsdp(rsdp_at, rsdp_rev, RSDT_AT, rsdp_rev >= 2 ? XSDT_AT : 0);
	nr_port_writes = 0;
	pm1_cnt_initial = 0;
	klog[0] = '\0';
	return fadt;
}

/* ---- discovery ---- */

HOST_TEST(acpi_rsdp_found_in_bios_area)
{
	build_machine(0xf5a10, 0, 116, 1);
	CHECK_EQ(acpi_table_init(NULL), 0);
	const struct acpi_table_header *fadt = acpi_get_table("FACP", 0);
	CHECK_EQ(fadt, phys_to_virt(FADT_AT));
	CHECK_EQ(acpi_get_table("APIC", 0), phys_to_virt(MADT_AT));
	CHECK_EQ(acpi_get_table("APIC", 1), NULL);
	CHECK_EQ(acpi_get_table("HPET", 0), NULL);
	CHECK_EQ(acpi_get_table("DSDT", 0), phys_to_virt(DSDT_AT));
}

HOST_TEST(acpi_rsdp_found_in_ebda)
{
	build_machine(0x9fc10, 0, 116, 1);
	*(u16 *)phys_to_virt(0x40e) = 0x9fc0; /* the EBDA's segment */
	CHECK_EQ(acpi_table_init(NULL), 0);
	CHECK_EQ(acpi_get_table("FACP", 0), phys_to_virt(FADT_AT));
	/* Only the EBDA's first KiB is scanned, as Linux. */
	build_machine(0x9fc00 + 1024, 0, 116, 1);
	*(u16 *)phys_to_virt(0x40e) = 0x9fc0;
	CHECK_EQ(acpi_table_init(NULL), -ENODEV);
}

HOST_TEST(acpi_rsdp_bad_checksum_or_alignment_not_found)
{
	build_machine(0xf5a10, 0, 116, 1);
	((u8 *)phys_to_virt(0xf5a10))[9] ^= 1; /* the OEM id: the checksum no longer holds */
	CHECK_EQ(acpi_table_init(NULL), -ENODEV);
	CHECK_EQ(acpi_get_table("FACP", 0), NULL);
	build_machine(0xf5a18, 0, 116, 1); /* not on a 16-byte boundary */
	CHECK_EQ(acpi_table_init(NULL), -ENODEV);
}

HOST_TEST(acpi_rsdp_from_boot_loader)
{
	struct acpi_rsdp_hint hint = { 0 };

	build_machine(0x200000, 0, 116, 1); /* outside the BIOS area: only the hint finds it */
	memcpy(hint.copy, phys_to_virt(0x200000), ACPI_RSDP_V1_SIZE);
	hint.len = ACPI_RSDP_V1_SIZE;
	CHECK_EQ(acpi_table_init(&hint), 0);
	CHECK_EQ(acpi_get_table("FACP", 0), phys_to_virt(FADT_AT));
	/* A corrupt hint is ignored (then nothing is found: the BIOS area is empty). */
	hint.copy[8] ^= 0xff;
	CHECK_EQ(acpi_table_init(&hint), -ENODEV);
	/* A v2 hint cut to 20 bytes cannot be checked whole: refused. */
	build_machine(0x200000, 2, 244, 3);
	memcpy(hint.copy, phys_to_virt(0x200000), ACPI_RSDP_V1_SIZE);
	hint.len = ACPI_RSDP_V1_SIZE;
	CHECK_EQ(acpi_table_init(&hint), -ENODEV);
}

HOST_TEST(acpi_xsdt_preferred_then_rsdt)
{
	build_machine(0xe0000, 2, 244, 3);
	CHECK_EQ(acpi_table_init(NULL), 0);
	CHECK(strstr(klog, "ACPI: XSDT 0x0000000000101000") != NULL);
	CHECK(strstr(klog, "ACPI: RSDT") == NULL);
	CHECK_EQ(acpi_get_table("APIC", 0), phys_to_virt(MADT_AT));
	/* Break the XSDT: the RSDT still leads to the tables. */
	((u8 *)phys_to_virt(XSDT_AT))[40] ^= 1;
	klog[0] = '\0';
	CHECK_EQ(acpi_table_init(NULL), 0);
	CHECK(strstr(klog, "ACPI: XSDT at 0x101000: bad checksum; ignored") != NULL);
	CHECK(strstr(klog, "ACPI: RSDT 0x0000000000100000") != NULL);
	CHECK_EQ(acpi_get_table("FACP", 0), phys_to_virt(FADT_AT));
	/* And with both broken: no tables. */
	((u8 *)phys_to_virt(RSDT_AT))[40] ^= 1;
	CHECK_EQ(acpi_table_init(NULL), -ENODEV);
	CHECK_EQ(acpi_get_table("FACP", 0), NULL);
}

HOST_TEST(acpi_bad_tables_skipped)
{
	struct acpi_table_header *fadt = build_machine(0xf0000, 0, 116, 1);

	fadt->checksum ^= 1;
	CHECK_EQ(acpi_table_init(NULL), 0);
	CHECK_EQ(acpi_get_table("FACP", 0), NULL);
	CHECK_EQ(acpi_get_table("APIC", 0), phys_to_virt(MADT_AT));
	CHECK_EQ(acpi_get_table("DSDT", 0), NULL); /* found only through the FADT */
	/* Lengths: shorter than a header, absurdly long, or running past memory. */
	static const u32 bad_lengths[] = { 0, 35, ACPI_MAX_TABLE_LEN + 1, 0xffffffff,
					   RAM_SIZE - MADT_AT + 1 };
	for (unsigned int i = 0; i < sizeof(bad_lengths) / sizeof(bad_lengths[0]); i++) {
		build_machine(0xf0000, 0, 116, 1);
		struct acpi_table_header *madt = phys_to_virt(MADT_AT);
		madt->length = bad_lengths[i];
		CHECK_EQ(acpi_table_init(NULL), 0);
		CHECK_MSG(acpi_get_table("APIC", 0) == NULL, "length %#x", bad_lengths[i]);
	}
	/* A root table entry pointing past memory is skipped. */
	build_machine(0xf0000, 0, 116, 1);
	u32 rsdt_body[2] = { 0xfffffff0, MADT_AT };
	put_table(RSDT_AT, "RSDT", 36 + 8, 1, rsdt_body);
	CHECK_EQ(acpi_table_init(NULL), 0);
	CHECK_EQ(acpi_get_table("APIC", 0), phys_to_virt(MADT_AT));
}

/* ---- \_S5 ---- */

/* Parses aml from a heap buffer of exactly len bytes (ASan catches any read past it). */
static int parse_exact(const u8 *aml, size_t len, u8 *a, u8 *b)
{
	u8 *copy = malloc(len ? len : 1);

	memcpy(copy, aml, len);
	int r = acpi_find_s5(copy, len, a, b);
	free(copy);
	return r;
}

HOST_TEST(acpi_s5_encodings)
{
	static const struct {
		u8 aml[24];
		size_t len;
		int ret;
		u8 a, b;
	} cases[] = {
		{ { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00 },
		  12,
		  0,
		  0,
		  0 },
		{ { 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x07, 0x0a, 0x05, 0x00,
		    0x00 },
		  14,
		  0,
		  7,
		  5 },
		{ { 0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x01, 0x0b, 0x03, 0x00 },
		  13,
		  0,
		  1,
		  3 },
		{ { 0x08, '_', 'S', '5', '_', 0x12, 0x07, 0x01, 0x0c, 0x05, 0x06, 0, 0 },
		  13,
		  0,
		  5,
		  6 },
		{ { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0xff, 0x00 }, 10, 0, 0xff, 0 },
		/* PkgLength in two bytes: 0x40 | low nibble, then the next 8 bits. */
		{ { 0x08, '_', 'S', '5', '_', 0x12, 0x46, 0x00, 0x02, 0x0a, 0x02, 0x01 },
		  12,
		  0,
		  2,
		  1 },
		/* Not a Name: a method call or a string mentioning _S5_. */
		{ { 0x14, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x00 }, 10, -ENOENT, 0, 0 },
		{ { 0x08, '_', 'S', '5', '_', 0x0a, 0x05 }, 7, -ENOENT, 0, 0 },
		/* An empty package, an element that is not an integer, a package past the end. */
		{ { 0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x00 }, 8, -ENOENT, 0, 0 },
		{ { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x0d, 0x41 }, 10, -ENOENT, 0, 0 },
		{ { 0x08, '_', 'S', '5', '_', 0x12, 0x3f, 0x02, 0x00, 0x00 }, 10, -ENOENT, 0, 0 },
		/* A PkgLength whose own bytes run past the package. */
		{ { 0x08, '_', 'S', '5', '_', 0x12, 0xc1, 0x00 }, 8, -ENOENT, 0, 0 },
		/* The second of two matches is the real one. */
		{ { '_', 'S', '5', '_', 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x01 },
		  14,
		  0,
		  1,
		  1 },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		u8 a = 0x55, b = 0x55;
		int r = parse_exact(cases[i].aml, cases[i].len, &a, &b);
		CHECK_MSG(r == cases[i].ret, "case %u: %d", i, r);
		if (!r) {
			CHECK_MSG(a == cases[i].a && b == cases[i].b, "case %u: %u %u", i, a, b);
		}
	}
}

HOST_TEST(acpi_s5_truncated_and_random_never_overrun)
{
	static const u8 full[] = { 0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x0a, 0x02,
				   0x0e, 1,    2,   3,	 4,   5,   6,	 7,    8 };
	u8 a, b, buf[64];

	CHECK_EQ(parse_exact(full, sizeof(full), &a, &b), -ENOENT); /* 2 elements, only 1 fits */
	for (size_t len = 0; len < sizeof(full); len++)
		CHECK_MSG(parse_exact(full, len, &a, &b) == -ENOENT, "length %zu", len);
	srand(16);
	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)rand() % sizeof(buf);
		for (size_t j = 0; j < len; j++)
			buf[j] = (u8)rand();
		if (len > 8) { /* a plausible start, so the package decoding runs */
			memcpy(buf + 1, "_S5_", 4);
			buf[0] = 0x08;
			buf[5] = 0x12;
		}
		parse_exact(buf, len, &a, &b);
	}
}

/* ---- power-off and reset ---- */

HOST_TEST(acpi_power_off_writes_slp_typ_then_slp_en)
{
	build_machine(0xf0000, 0, 116, 1);
	CHECK_EQ(acpi_table_init(NULL), 0);
	CHECK_EQ(acpi_sleep_init(), 0);
	CHECK(acpi_can_power_off());
	pm1_cnt_initial = 0x1 | (3u << 10) | ACPI_SLP_EN; /* SCI_EN kept; old SLP_TYP/EN cleared */
	acpi_power_off();
	CHECK_EQ(nr_port_writes, 4);
	CHECK_EQ(port_log[0].port, 0x604);
	CHECK_EQ(port_log[0].value, 0x1 | 5u << 10); /* _S5's SLP_TYPa is 5 (dsdt_s5) */
	CHECK_EQ(port_log[0].width, 16);
	CHECK_EQ(port_log[1].port, 0x608);
	CHECK_EQ(port_log[1].value, 0x1 | 7u << 10); /* SLP_TYPb 7 */
	CHECK_EQ(port_log[2].port, 0x604);
	CHECK_EQ(port_log[2].value, 0x1 | 5u << 10 | ACPI_SLP_EN);
	CHECK_EQ(port_log[3].port, 0x608);
	CHECK_EQ(port_log[3].value, 0x1 | 7u << 10 | ACPI_SLP_EN);
	/* A FADT revision 1 has no reset register. */
	nr_port_writes = 0;
	CHECK(!acpi_reboot());
	CHECK_EQ(nr_port_writes, 0);
}

HOST_TEST(acpi_no_s5_means_no_power_off)
{
	build_machine(0xf0000, 0, 116, 1);
	put_table(DSDT_AT, "DSDT", 36 + 4, 1, "_S5_"); /* the name, but no Name() */
	CHECK_EQ(acpi_table_init(NULL), 0);
	CHECK_EQ(acpi_sleep_init(), -ENODEV);
	CHECK(!acpi_can_power_off());
	acpi_power_off();
	CHECK_EQ(nr_port_writes, 0);
	/* An SSDT holding \_S5 is enough. */
	build_machine(0xf0000, 0, 116, 1);
	put_table(DSDT_AT, "DSDT", 36 + 4, 1, "_S5_");
	put_table(SSDT_AT, "SSDT", 36 + sizeof(dsdt_s5), 1, dsdt_s5);
	u32 rsdt_body[3] = { FADT_AT, MADT_AT, SSDT_AT };
	put_table(RSDT_AT, "RSDT", 36 + 12, 1, rsdt_body);
	CHECK_EQ(acpi_table_init(NULL), 0);
	CHECK_EQ(acpi_sleep_init(), 0);
}

HOST_TEST(acpi_reset_register)
{
	struct acpi_table_header *fadt = build_machine(0xf0000, 2, 244, 3);
	u8 *f = (u8 *)fadt;
	struct acpi_generic_address rr = { ACPI_ADR_SPACE_SYSTEM_IO, 8, 0, 1, 0xcf9 };
	u32 flags = 1u << 10; /* RESET_REG_SUP */

	memcpy(f + 112, &flags, 4);
	memcpy(f + 116, &rr, sizeof(rr));
	f[128] = 0x06;
	fix_checksum(fadt, fadt->length, offsetof(struct acpi_table_header, checksum));
	CHECK_EQ(acpi_table_init(NULL), 0);
	acpi_sleep_init();
	nr_port_writes = 0;
	CHECK(acpi_reboot());
	CHECK_EQ(nr_port_writes, 1);
	CHECK_EQ(port_log[0].port, 0xcf9);
	CHECK_EQ(port_log[0].value, 0x06);
	CHECK_EQ(port_log[0].width, 8);

	/* In PCI configuration space: bus 0, device 0x1f, function 0, offset 0xac (as ICH). */
	rr = (struct acpi_generic_address){ ACPI_ADR_SPACE_PCI_CONFIG, 8, 0, 1,
					    0x1fULL << 32 | 0ULL << 16 | 0xac };
	memcpy(f + 116, &rr, sizeof(rr));
	fix_checksum(fadt, fadt->length, offsetof(struct acpi_table_header, checksum));
	acpi_sleep_init();
	nr_port_writes = 0;
	CHECK(acpi_reboot());
	CHECK_EQ(nr_port_writes, 2);
	CHECK_EQ(port_log[0].port, 0xcf8);
	CHECK_EQ(port_log[0].value, 0x80000000u | 0x1f << 11 | 0xac);
	CHECK_EQ(port_log[1].port, 0xcfc);
	CHECK_EQ(port_log[1].value, 0x06);

	/* Without the flag, or in memory space: not used. */
	flags = 0;
	memcpy(f + 112, &flags, 4);
	fix_checksum(fadt, fadt->length, offsetof(struct acpi_table_header, checksum));
	acpi_sleep_init();
	CHECK(!acpi_reboot());
	flags = 1u << 10;
	rr.space_id = ACPI_ADR_SPACE_SYSTEM_MEMORY;
	memcpy(f + 112, &flags, 4);
	memcpy(f + 116, &rr, sizeof(rr));
	fix_checksum(fadt, fadt->length, offsetof(struct acpi_table_header, checksum));
	acpi_sleep_init();
	nr_port_writes = 0;
	CHECK(!acpi_reboot());
	CHECK_EQ(nr_port_writes, 0);
}
