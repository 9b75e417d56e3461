// SPDX-License-Identifier: MIT
/*
 * ACPI S5 power-off and the FADT reset register (see sleep.h). Generic code: registers are
 * reached through drivers/acpi/osl.h, so the host unit tests watch the writes.
 */
#include "drivers/acpi/sleep.h"
#include "drivers/acpi/osl.h"
#include "drivers/acpi/tables.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"

/* FADT field offsets (ACPI 6.4 table 5.9). */
#define FADT_PM1A_CNT_BLK 64
#define FADT_PM1B_CNT_BLK 68
#define FADT_FLAGS 112
#define FADT_RESET_REG 116
#define FADT_RESET_VALUE 128
#define FADT_X_PM1A_CNT_BLK 172
#define FADT_X_PM1B_CNT_BLK 184
#define FADT_RESET_REG_SUP (1u << 10)

/* AML opcodes the _S5 pattern uses (ACPI 6.4 section 20.3). */
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_QWORD_PREFIX 0x0e
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR 0x5c
#define AML_ONES_OP 0xff

static struct {
	bool can_power_off;
	u16 pm1a_cnt, pm1b_cnt; /* I/O ports; 0: absent */
	u8 slp_typ_a, slp_typ_b;
	bool has_reset;
	struct acpi_generic_address reset_reg;
	u8 reset_value;
} acpi_pm;

/* Reads a little-endian field of n bytes at off in the FADT, or 0 if the FADT is shorter. */
static u64 fadt_field(const struct acpi_table_header *fadt, u32 off, u32 n)
{
	u64 v = 0;

	if (fadt->length >= off + n)
		memcpy(&v, (const u8 *)fadt + off, n);
	return v;
}

/* A PM1x control port: X_PM1x_CNT_BLK when it names an I/O port, else the 32-bit field. */
static u16 pm1_cnt_port(const struct acpi_table_header *fadt, u32 x_off, u32 legacy_off)
{
	struct acpi_generic_address gas;

	if (fadt->length >= x_off + sizeof(gas)) {
		memcpy(&gas, (const u8 *)fadt + x_off, sizeof(gas));
		if (gas.address && gas.space_id == ACPI_ADR_SPACE_SYSTEM_IO &&
		    gas.address <= 0xffff)
			return (u16)gas.address;
	}
	u64 port = fadt_field(fadt, legacy_off, 4);
	return port <= 0xffff ? (u16)port : 0;
}

/* Decodes an AML PkgLength at p (at most end - p bytes); its value, and *size its bytes; -1 if bad.
 */
static long aml_pkg_length(const u8 *p, const u8 *end, unsigned int *size)
{
	if (p >= end)
		return -1;
	unsigned int follow = p[0] >> 6;
	if (follow == 0) {
		*size = 1;
		return p[0] & 0x3f;
	}
	if ((size_t)(end - p) < 1 + follow)
		return -1;
	long len = p[0] & 0x0f;
	for (unsigned int i = 0; i < follow; i++)
		len |= (long)p[1 + i] << (4 + 8 * i);
	*size = 1 + follow;
	return len;
}

/* Decodes one AML integer (ZeroOp, OneOp, OnesOp or a Byte/Word/DWord/QWord constant) at *p. */
static int aml_integer(const u8 **p, const u8 *end, u64 *val)
{
	static const unsigned int widths[] = { [AML_BYTE_PREFIX] = 1,
					       [AML_WORD_PREFIX] = 2,
					       [AML_DWORD_PREFIX] = 4,
					       [AML_QWORD_PREFIX] = 8 };
	const u8 *q = *p;

	if (q >= end)
		return -ENOENT;
	u8 op = *q++;
	*val = 0;
	if (op == AML_ZERO_OP || op == AML_ONE_OP) {
		*val = op;
	} else if (op == AML_ONES_OP) {
		*val = ~0ULL;
	} else if (op < ARRAY_SIZE(widths) && widths[op]) {
		if ((size_t)(end - q) < widths[op])
			return -ENOENT;
		memcpy(val, q, widths[op]);
		q += widths[op];
	} else {
		return -ENOENT;
	}
	*p = q;
	return 0;
}

/* Reads the Package after "_S5_" at p, if it is one: PackageOp PkgLength NumElements ints. */
static int s5_package(const u8 *p, const u8 *end, u8 *typ_a, u8 *typ_b)
{
	unsigned int lsize;
	u64 a, b;

	if (p >= end || *p++ != AML_PACKAGE_OP)
		return -ENOENT;
	long plen = aml_pkg_length(p, end, &lsize);
	if (plen < 0 || (size_t)plen > (size_t)(end - p) || plen < (long)lsize + 1)
		return -ENOENT;
	const u8 *pend = p + plen; /* the package's own bytes bound the elements */
	p += lsize;
	u8 count = *p++;
	if (count < 1 || aml_integer(&p, pend, &a))
		return -ENOENT;
	if (count == 1) {
		*typ_a = (u8)a;
		*typ_b = (u8)(a >> 8);
		return 0;
	}
	if (aml_integer(&p, pend, &b))
		return -ENOENT;
	*typ_a = (u8)a;
	*typ_b = (u8)b;
	return 0;
}

int acpi_find_s5(const u8 *aml, size_t len, u8 *typ_a, u8 *typ_b)
{
	const u8 *end = aml + len;

	for (size_t i = 1; i + 4 <= len; i++) {
		if (memcmp(aml + i, "_S5_", 4))
			continue;
		/* NameOp, optionally with a root prefix: 08 "_S5_" or 08 5c "_S5_". */
		bool named = aml[i - 1] == AML_NAME_OP ||
			     (i >= 2 && aml[i - 1] == AML_ROOT_CHAR && aml[i - 2] == AML_NAME_OP);
		if (named && !s5_package(aml + i + 4, end, typ_a, typ_b))
			return 0;
	}
	return -ENOENT;
}

/* Looks for \_S5 in the DSDT, then in each SSDT. */
static int find_s5_in_tables(u8 *typ_a, u8 *typ_b, const char **where)
{
	const struct acpi_table_header *t = acpi_get_table(ACPI_SIG_DSDT, 0);

	*where = ACPI_SIG_DSDT;
	for (unsigned int i = 0; t; t = acpi_get_table(ACPI_SIG_SSDT, i++)) {
		if (!acpi_find_s5((const u8 *)(t + 1), t->length - sizeof(*t), typ_a, typ_b))
			return 0;
		*where = ACPI_SIG_SSDT;
	}
	return -ENOENT;
}

/* Reads the reset register (FADT revision >= 2 and RESET_REG_SUP), as Linux's acpi_reboot. */
static void find_reset_reg(const struct acpi_table_header *fadt)
{
	if (fadt->revision < 2 || !(fadt_field(fadt, FADT_FLAGS, 4) & FADT_RESET_REG_SUP) ||
	    fadt->length < FADT_RESET_VALUE + 1)
		return;
	memcpy(&acpi_pm.reset_reg, (const u8 *)fadt + FADT_RESET_REG, sizeof(acpi_pm.reset_reg));
	acpi_pm.reset_value = (u8)fadt_field(fadt, FADT_RESET_VALUE, 1);
	acpi_pm.has_reset = acpi_pm.reset_reg.address != 0;
	if (acpi_pm.has_reset)
		pr_info("ACPI: reset register: space %u address %#llx value %#x\n",
			acpi_pm.reset_reg.space_id, (unsigned long long)acpi_pm.reset_reg.address,
			acpi_pm.reset_value);
}

int acpi_sleep_init(void)
{
	const struct acpi_table_header *fadt = acpi_get_table(ACPI_SIG_FADT, 0);
	const char *where;

	acpi_sleep_reset();
	if (!fadt) {
		pr_info("ACPI: no FADT; power-off will halt, restart uses port 0xcf9\n");
		return -ENODEV;
	}
	find_reset_reg(fadt);
	acpi_pm.pm1a_cnt = pm1_cnt_port(fadt, FADT_X_PM1A_CNT_BLK, FADT_PM1A_CNT_BLK);
	acpi_pm.pm1b_cnt = pm1_cnt_port(fadt, FADT_X_PM1B_CNT_BLK, FADT_PM1B_CNT_BLK);
	if (!acpi_pm.pm1a_cnt) {
		pr_info("ACPI: FADT has no PM1a_CNT I/O port; power-off will halt\n");
		return -ENODEV;
	}
	if (find_s5_in_tables(&acpi_pm.slp_typ_a, &acpi_pm.slp_typ_b, &where)) {
		pr_info("ACPI: no \\_S5 package in the DSDT or SSDTs; power-off will halt\n");
		return -ENODEV;
	}
	acpi_pm.can_power_off = true;
	pr_info("ACPI: (supports S5) PM1a_CNT %#x PM1b_CNT %#x, \\_S5 (%.4s) SLP_TYPa %u SLP_TYPb "
		"%u\n",
		acpi_pm.pm1a_cnt, acpi_pm.pm1b_cnt, where, acpi_pm.slp_typ_a, acpi_pm.slp_typ_b);
	return 0;
}

bool acpi_can_power_off(void)
{
	return acpi_pm.can_power_off;
}

/* Writes SLP_TYP into one PM1x_CNT register, keeping its other bits, plus extra (SLP_EN). */
static void pm1_cnt_write(u16 port, u8 typ, u32 extra)
{
	u32 v = acpi_os_read_port(port, 16) & ~(ACPI_SLP_TYP_MASK | ACPI_SLP_EN);

	v |= ((u32)typ << ACPI_SLP_TYP_SHIFT) & ACPI_SLP_TYP_MASK;
	acpi_os_write_port(port, v | extra, 16);
}

void acpi_power_off(void)
{
	if (!acpi_pm.can_power_off)
		return;
	pr_info("ACPI: entering S5: SLP_TYP %u | SLP_EN to port %#x\n", acpi_pm.slp_typ_a,
		acpi_pm.pm1a_cnt);
	/* As ACPICA's acpi_hw_legacy_sleep: SLP_TYP first, then SLP_TYP with SLP_EN. */
	pm1_cnt_write(acpi_pm.pm1a_cnt, acpi_pm.slp_typ_a, 0);
	if (acpi_pm.pm1b_cnt)
		pm1_cnt_write(acpi_pm.pm1b_cnt, acpi_pm.slp_typ_b, 0);
	pm1_cnt_write(acpi_pm.pm1a_cnt, acpi_pm.slp_typ_a, ACPI_SLP_EN);
	if (acpi_pm.pm1b_cnt)
		pm1_cnt_write(acpi_pm.pm1b_cnt, acpi_pm.slp_typ_b, ACPI_SLP_EN);
	acpi_os_stall(100000); /* the machine turns off here; still running after 100 ms: failed */
}

/* Writes value to byte `offset` of PCI function (bus 0, dev, fn)'s configuration space. */
static void pci_conf1_write8(unsigned int dev, unsigned int fn, unsigned int offset, u8 value)
{
	u32 addr = 0x80000000u | (dev & 0x1f) << 11 | (fn & 7) << 8 | (offset & 0xfc);

	acpi_os_write_port(0xcf8, addr, 32);
	acpi_os_write_port(0xcfc + (offset & 3), value, 8);
}

bool acpi_reboot(void)
{
	const struct acpi_generic_address *rr = &acpi_pm.reset_reg;

	if (!acpi_pm.has_reset)
		return false;
	switch (rr->space_id) {
	case ACPI_ADR_SPACE_SYSTEM_IO:
		if (rr->address > 0xffff)
			return false;
		acpi_os_write_port((u16)rr->address, acpi_pm.reset_value, 8);
		break;
	case ACPI_ADR_SPACE_PCI_CONFIG:
		/* Bus 0 only, as Linux: device in bits 32-47, function in 16-31, offset in 0-15. */
		pci_conf1_write8((rr->address >> 32) & 0xffff, (rr->address >> 16) & 0xffff,
				 rr->address & 0xffff, acpi_pm.reset_value);
		break;
	default:
		pr_info("ACPI: reset register in address space %u not supported\n", rr->space_id);
		return false;
	}
	acpi_os_stall(15000); /* Linux waits 15 ms for slow platforms before the next method */
	return true;
}

void acpi_sleep_reset(void)
{
	memset(&acpi_pm, 0, sizeof(acpi_pm));
}
