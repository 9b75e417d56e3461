// SPDX-License-Identifier: MIT
/*
 * ACPI table discovery (see tables.h): the RSDP, the RSDT or XSDT, and lookups by signature.
 * Generic code: no port I/O or page tables here, only acpi_os_map_memory(), so the host unit
 * tests run it over fabricated tables.
 */
#include "drivers/acpi/tables.h"
#include "drivers/acpi/osl.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"

/* The root table: its entries are u32 (RSDT) or u64 (XSDT) physical addresses. */
static const struct acpi_table_header *root_table;
static unsigned int root_entry_size;
static struct acpi_table_rsdp rsdp_copy;

/* FADT offsets of the DSDT pointers: 32-bit DSDT, and X_DSDT (ACPI 2.0+, FADT length >= 148). */
#define FADT_DSDT_OFFSET 40
#define FADT_X_DSDT_OFFSET 140

bool acpi_checksum_ok(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

/* Checks an RSDP candidate of up to avail bytes: signature, checksums, and length for v2. */
static bool rsdp_valid(const struct acpi_table_rsdp *r, size_t avail)
{
	if (avail < ACPI_RSDP_V1_SIZE || memcmp(r->signature, ACPI_RSDP_SIG, 8) ||
	    !acpi_checksum_ok(r, ACPI_RSDP_V1_SIZE))
		return false;
	if (r->revision < 2)
		return true;
	return avail >= ACPI_RSDP_V2_SIZE && r->length >= ACPI_RSDP_V2_SIZE &&
	       acpi_checksum_ok(r, ACPI_RSDP_V2_SIZE);
}

/* Copies a valid RSDP into rsdp_copy (the v1 part only when revision < 2). */
static void keep_rsdp(const struct acpi_table_rsdp *r)
{
	memset(&rsdp_copy, 0, sizeof(rsdp_copy));
	memcpy(&rsdp_copy, r, r->revision < 2 ? ACPI_RSDP_V1_SIZE : ACPI_RSDP_V2_SIZE);
}

/* Scans [start, start+len) on 16-byte boundaries for a valid RSDP; its address or 0. */
static u64 scan_rsdp(u64 start, size_t len)
{
	const u8 *p = acpi_os_map_memory(start, len);

	if (!p)
		return 0;
	for (size_t off = 0; off + ACPI_RSDP_V1_SIZE <= len; off += 16)
		if (rsdp_valid((const void *)(p + off), len - off))
			return start + off;
	return 0;
}

/* Maps a valid RSDP found by scan_rsdp(): its 20 bytes, or 36 from revision 2 on. */
static const struct acpi_table_rsdp *map_rsdp(u64 phys)
{
	const struct acpi_table_rsdp *r = acpi_os_map_memory(phys, ACPI_RSDP_V1_SIZE);

	return r->revision < 2 ? r : acpi_os_map_memory(phys, ACPI_RSDP_V2_SIZE);
}

/*
 * Finds the RSDP as Linux's acpi_find_root_pointer: the first KiB of the EBDA (its segment is at
 * 0x40e in the BIOS data area), then the BIOS read-only area 0xe0000-0xfffff. Returns its address
 * or 0.
 */
static u64 find_rsdp_in_bios(void)
{
	const u16 *ebda_seg = acpi_os_map_memory(0x40e, 2);
	u64 found = 0;

	if (ebda_seg) {
		u64 ebda = (u64)*ebda_seg << 4;
		if (ebda >= 0x400 && ebda < 0xa0000) /* a sane EBDA: below the VGA hole */
			found = scan_rsdp(ebda, 1024);
	}
	return found ? found : scan_rsdp(0xe0000, 0x20000);
}

/*
 * Maps the table at phys and checks it: mapped, a header's worth of bytes, a length that is
 * neither short nor absurd, and a checksum of 0. Returns it or NULL (with a message).
 */
static const struct acpi_table_header *map_table(u64 phys)
{
	const struct acpi_table_header *h = acpi_os_map_memory(phys, sizeof(*h));

	if (!h)
		return NULL;
	u32 len = h->length;
	if (len < sizeof(*h) || len > ACPI_MAX_TABLE_LEN) {
		pr_warn("ACPI: table at %#llx has a bad length %u; ignored\n",
			(unsigned long long)phys, len);
		return NULL;
	}
	h = acpi_os_map_memory(phys, len);
	if (!h || h->length != len) /* a length that changed under us is not trusted either */
		return NULL;
	if (!acpi_checksum_ok(h, len)) {
		pr_warn("ACPI: %.4s at %#llx: bad checksum; ignored\n", h->signature,
			(unsigned long long)phys);
		return NULL;
	}
	return h;
}

/* Prints a table as Linux's boot log does: signature, address, length, revision, OEM ids. */
static void print_table(const struct acpi_table_header *h, u64 phys)
{
	pr_info("ACPI: %.4s 0x%016llx %06X (v%02u %.6s %.8s %08X %.4s %08X)\n", h->signature,
		(unsigned long long)phys, h->length, h->revision, h->oem_id, h->oem_table_id,
		h->oem_revision, h->asl_compiler_id, h->asl_compiler_revision);
}

/* Number of entries in the root table. */
static unsigned int root_entries(void)
{
	return (root_table->length - sizeof(*root_table)) / root_entry_size;
}

/* The physical address in entry i of the root table (entries may be unaligned). */
static u64 root_entry(unsigned int i)
{
	const u8 *p = (const u8 *)(root_table + 1) + (size_t)i * root_entry_size;
	u64 addr = 0;

	memcpy(&addr, p, root_entry_size);
	return addr;
}

/* Picks the root table: the XSDT when the RSDP is v2+ and the XSDT is valid, else the RSDT. */
static int pick_root_table(u64 *phys)
{
	const struct acpi_table_header *h;

	if (rsdp_copy.revision >= 2 && rsdp_copy.xsdt_physical_address) {
		*phys = rsdp_copy.xsdt_physical_address;
		h = map_table(*phys);
		if (h && !memcmp(h->signature, ACPI_SIG_XSDT, 4)) {
			root_table = h;
			root_entry_size = 8;
			return 0;
		}
		pr_warn("ACPI: XSDT unusable; trying the RSDT\n");
	}
	*phys = rsdp_copy.rsdt_physical_address;
	h = *phys ? map_table(*phys) : NULL;
	if (!h || memcmp(h->signature, ACPI_SIG_RSDT, 4))
		return -ENODEV;
	root_table = h;
	root_entry_size = 4;
	return 0;
}

/* The RSDP's length: 20 bytes before revision 2, then its length field. */
static u32 rsdp_len(void)
{
	return rsdp_copy.revision >= 2 ? rsdp_copy.length : ACPI_RSDP_V1_SIZE;
}

/* Takes the loader's RSDP if it checks out: the copy (multiboot2) or the address (PVH). */
static u64 rsdp_from_hint(const struct acpi_rsdp_hint *hint, const char **from)
{
	if (!hint || !hint->len)
		return 0;
	if (!rsdp_valid((const void *)hint->copy, hint->len)) {
		pr_warn("ACPI: the boot loader's RSDP is not valid; scanning the BIOS area\n");
		return 0;
	}
	keep_rsdp((const void *)hint->copy);
	*from = "the boot loader";
	return hint->phys ? hint->phys : 1; /* 1: found, address unknown (a copy) */
}

int acpi_table_init(const struct acpi_rsdp_hint *hint)
{
	const char *from = "the BIOS area";
	u64 rsdp, root_phys;

	acpi_table_reset();
	rsdp = rsdp_from_hint(hint, &from);
	if (!rsdp) {
		rsdp = find_rsdp_in_bios();
		if (!rsdp) {
			pr_info("ACPI: no RSDP found; no ACPI tables\n");
			return -ENODEV;
		}
		keep_rsdp(map_rsdp(rsdp));
	}
	if (rsdp == 1)
		pr_info("ACPI: RSDP (a copy) %06X (v%02u %.6s) from %s\n", rsdp_len(),
			rsdp_copy.revision, rsdp_copy.oem_id, from);
	else
		pr_info("ACPI: RSDP 0x%016llx %06X (v%02u %.6s) from %s\n",
			(unsigned long long)rsdp, rsdp_len(), rsdp_copy.revision, rsdp_copy.oem_id,
			from);
	if (pick_root_table(&root_phys)) {
		pr_warn("ACPI: no valid RSDT or XSDT; no ACPI tables\n");
		return -ENODEV;
	}
	print_table(root_table, root_phys);
	for (unsigned int i = 0; i < root_entries(); i++) {
		const struct acpi_table_header *h = map_table(root_entry(i));
		if (h)
			print_table(h, root_entry(i));
	}
	return 0;
}

/* The DSDT, whose address is in the FADT: X_DSDT when present and nonzero, else DSDT. */
static const struct acpi_table_header *find_dsdt(void)
{
	const struct acpi_table_header *fadt = acpi_get_table(ACPI_SIG_FADT, 0);
	u64 phys = 0;

	if (!fadt)
		return NULL;
	if (fadt->length >= FADT_X_DSDT_OFFSET + 8)
		memcpy(&phys, (const u8 *)fadt + FADT_X_DSDT_OFFSET, 8);
	if (!phys && fadt->length >= FADT_DSDT_OFFSET + 4)
		memcpy(&phys, (const u8 *)fadt + FADT_DSDT_OFFSET, 4);
	const struct acpi_table_header *h = phys ? map_table(phys) : NULL;

	return h && !memcmp(h->signature, ACPI_SIG_DSDT, 4) ? h : NULL;
}

const struct acpi_table_header *acpi_get_table(const char *signature, unsigned int instance)
{
	if (!root_table)
		return NULL;
	if (!memcmp(signature, ACPI_SIG_DSDT, 4))
		return instance ? NULL : find_dsdt();
	for (unsigned int i = 0; i < root_entries(); i++) {
		const struct acpi_table_header *h = map_table(root_entry(i));
		if (h && !memcmp(h->signature, signature, 4) && instance-- == 0)
			return h;
	}
	return NULL;
}

void acpi_table_reset(void)
{
	root_table = NULL;
	root_entry_size = 0;
	memset(&rsdp_copy, 0, sizeof(rsdp_copy));
}
