// SPDX-License-Identifier: MIT
/*
 * The MultiProcessor Specification's tables: finding the floating pointer, checking the
 * configuration table and reading its processor entries (arch/x86_64/mpparse.h). Every length
 * comes from the firmware, so each is bounded before it is used.
 */
#include "arch/x86_64/mpparse.h"
#include "drivers/acpi/osl.h"
#include "drivers/acpi/tables.h"
#include "kernel/printk.h"
#include "kernel/string.h"

/* A floating pointer at p: signature, one 16-byte unit, a known version, checksum 0. */
static bool mpf_valid(const struct mpf_intel *mpf)
{
	return !memcmp(mpf->signature, "_MP_", 4) && mpf->length == 1 &&
	       (mpf->specification == 1 || mpf->specification == 4) &&
	       acpi_checksum_ok(mpf, sizeof(*mpf));
}

/* Scans len bytes at phys on 16-byte boundaries (Linux's smp_scan_config). */
static const struct mpf_intel *mpf_scan(u64 phys, size_t len)
{
	const u8 *p = acpi_os_map_memory(phys, len);

	if (!p)
		return NULL;
	for (size_t off = 0; off + sizeof(struct mpf_intel) <= len; off += 16)
		if (mpf_valid((const void *)(p + off)))
			return (const void *)(p + off);
	return NULL;
}

/* The floating pointer, in Linux's order of places; NULL without one. */
static const struct mpf_intel *mpf_find(void)
{
	const struct mpf_intel *mpf = mpf_scan(0, 0x400);
	const u16 *ebda_seg;

	if (!mpf)
		mpf = mpf_scan(639 * 0x400, 0x400);
	if (!mpf)
		mpf = mpf_scan(0xf0000, 0x10000);
	if (!mpf && (ebda_seg = acpi_os_map_memory(0x40e, 2))) {
		u64 ebda = (u64)*ebda_seg << 4;

		if (ebda >= 0x400 && ebda < 0xa0000)
			mpf = mpf_scan(ebda, 0x400);
	}
	return mpf;
}

/* Maps and checks the configuration table at phys (Linux's smp_check_mpc); NULL if bad. */
static const struct mpc_table *mpc_map(u64 phys)
{
	const struct mpc_table *mpc = acpi_os_map_memory(phys, sizeof(*mpc));

	if (!mpc || memcmp(mpc->signature, "PCMP", 4) || mpc->length < sizeof(*mpc) ||
	    (mpc->spec != 1 && mpc->spec != 4)) {
		pr_warn("smp: MP configuration table at %#llx: bad signature, length or version\n",
			(unsigned long long)phys);
		return NULL;
	}
	mpc = acpi_os_map_memory(phys, mpc->length);
	if (!mpc || !acpi_checksum_ok(mpc, mpc->length)) {
		pr_warn("smp: MP configuration table at %#llx: bad checksum\n",
			(unsigned long long)phys);
		return NULL;
	}
	return mpc;
}

/* The size of an entry of type t, or 0 for a type the base table cannot hold. */
static size_t mpc_entry_size(u8 t)
{
	if (t == MP_PROCESSOR)
		return sizeof(struct mpc_cpu);
	return t <= MP_LINTSRC ? 8 : 0;
}

u64 mp_find_cpus(u32 *apic_ids, unsigned int max, unsigned int *nr)
{
	const struct mpf_intel *mpf = mpf_find();
	const struct mpc_table *mpc;
	const u8 *p, *end;

	*nr = 0;
	if (!mpf)
		return 0;
	if (mpf->feature1 || !mpf->physptr) {
		pr_warn("smp: MP default configuration %u: not supported, one CPU\n",
			mpf->feature1);
		return 0;
	}
	mpc = mpc_map(mpf->physptr);
	if (!mpc)
		return 0;
	p = (const u8 *)(mpc + 1);
	end = (const u8 *)mpc + mpc->length;
	for (unsigned int i = 0; i < mpc->oemcount && p < end; i++) {
		size_t size = mpc_entry_size(*p);

		if (!size || (size_t)(end - p) < size) {
			pr_warn("smp: MP table entry %u: bad type %u or truncated; rest ignored\n",
				i, *p);
			break;
		}
		if (*p == MP_PROCESSOR) {
			const struct mpc_cpu *c = (const void *)p;

			if ((c->cpuflag & CPU_ENABLED) && *nr < max)
				apic_ids[(*nr)++] = c->apicid;
		}
		p += size;
	}
	return mpc->lapic;
}
