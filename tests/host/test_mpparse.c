// SPDX-License-Identifier: MIT
/*
 * arch/x86_64/mpparse.c over fabricated MP tables in the buffer that plays physical memory: the
 * floating pointer found in each of Linux's four places, enabled and disabled processors, and
 * every bad table refused (signature, checksum, version, default configuration, truncated or
 * unknown entries) without a read out of bounds under ASan. Firmware memory is mapped by
 * tests/host/test_acpi.c's acpi_os_map_memory.
 */
#include <string.h>

#include "tests/host/harness.h"
#include "arch/x86_64/mpparse.h"
#include "mm/memory.h"

#define MP_RAM_SIZE (4UL << 20)
#define MPC_AT 0x9f000

/* Sets the checksum byte at off so that the len bytes at p sum to 0. */
static void mp_fix_checksum(void *p, size_t len, size_t off)
{
	u8 *b = p, sum = 0;

	b[off] = 0;
	for (size_t i = 0; i < len; i++)
		sum += b[i];
	b[off] = (u8)-sum;
}

/* A floating pointer at phys naming a configuration table at table (0: a default one). */
static struct mpf_intel *put_mpf(u64 phys, u32 table, u8 feature1)
{
	struct mpf_intel *mpf = phys_to_virt(phys);

	memset(mpf, 0, sizeof(*mpf));
	memcpy(mpf->signature, "_MP_", 4);
	mpf->physptr = table;
	mpf->length = 1;
	mpf->specification = 4;
	mpf->feature1 = feature1;
	mp_fix_checksum(mpf, sizeof(*mpf), offsetof(struct mpf_intel, checksum));
	return mpf;
}

/* Adds a processor entry at *p. */
static void put_cpu(u8 **p, u8 apicid, u8 flags)
{
	struct mpc_cpu c = {
		.type = MP_PROCESSOR, .apicid = apicid, .apicver = 0x14, .cpuflag = flags
	};

	memcpy(*p, &c, sizeof(c));
	*p += sizeof(c);
}

/* Adds an 8-byte entry of type t at *p. */
static void put_entry8(u8 **p, u8 t)
{
	memset(*p, 0, 8);
	**p = t;
	*p += 8;
}

/*
 * A configuration table at MPC_AT as SeaBIOS makes it for 4 packages, CPU 2 disabled: four
 * processors, a bus, an I/O APIC and an interrupt source. Returns it (checksummed).
 */
static struct mpc_table *put_mpc(void)
{
	struct mpc_table *mpc = phys_to_virt(MPC_AT);
	u8 *p = (u8 *)(mpc + 1);

	memset(mpc, 0, 512);
	memcpy(mpc->signature, "PCMP", 4);
	mpc->spec = 4;
	mpc->lapic = 0xfee00000;
	put_cpu(&p, 0, CPU_ENABLED | CPU_BOOTPROCESSOR);
	put_cpu(&p, 1, CPU_ENABLED);
	put_cpu(&p, 2, 0);
	put_cpu(&p, 3, CPU_ENABLED);
	put_entry8(&p, MP_BUS);
	put_entry8(&p, MP_IOAPIC);
	put_entry8(&p, MP_INTSRC);
	mpc->oemcount = 7;
	mpc->length = (u16)(p - (u8 *)mpc);
	mp_fix_checksum(mpc, mpc->length, offsetof(struct mpc_table, checksum));
	return mpc;
}

/* Clears memory and sets the EBDA's segment at 0x40e. */
static void mp_machine(u16 ebda_seg)
{
	host_ram_init(MP_RAM_SIZE);
	memset(phys_to_virt(0), 0, MP_RAM_SIZE);
	memcpy(phys_to_virt(0x40e), &ebda_seg, 2);
}

/* Runs mp_find_cpus and checks the APIC address and the ids 0, 1, 3. */
static void check_three_cpus(void)
{
	u32 ids[8];
	unsigned int nr = 99;

	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0xfee00000);
	CHECK_EQ(nr, 3);
	CHECK_EQ(ids[0], 0);
	CHECK_EQ(ids[1], 1);
	CHECK_EQ(ids[2], 3);
}

HOST_TEST(mpparse_found_in_each_place)
{
	static const u64 places[] = { 0x0 + 0x3f0, 639 * 0x400, 0xf5b20, 0x80000 + 0x10 };

	for (unsigned int i = 0; i < 4; i++) {
		mp_machine(0x8000);
		put_mpc();
		put_mpf(places[i], MPC_AT, 0);
		CHECK_CALL(check_three_cpus());
	}
}

HOST_TEST(mpparse_at_most_max)
{
	u32 ids[2];
	unsigned int nr;

	mp_machine(0);
	put_mpc();
	put_mpf(0xf0000, MPC_AT, 0);
	CHECK_EQ(mp_find_cpus(ids, 2, &nr), 0xfee00000);
	CHECK_EQ(nr, 2);
	CHECK_EQ(ids[1], 1);
}

HOST_TEST(mpparse_bad_floating_pointer_not_found)
{
	u32 ids[8];
	unsigned int nr;
	struct mpf_intel *mpf;

	mp_machine(0);
	put_mpc();
	mpf = put_mpf(0xf0000, MPC_AT, 0);
	mpf->checksum++;
	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0);
	CHECK_EQ(nr, 0);
	put_mpf(0xf0008, MPC_AT, 0); /* not on a 16-byte boundary */
	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0);
	mpf = put_mpf(0xf0010, MPC_AT, 0);
	mpf->specification = 2;
	mp_fix_checksum(mpf, sizeof(*mpf), offsetof(struct mpf_intel, checksum));
	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0);
	put_mpf(0xe0000, MPC_AT, 0); /* outside the places searched */
	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0);
	put_mpf(0xf0020, 0, 5); /* a default configuration: no table, one CPU */
	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0);
	CHECK_EQ(nr, 0);
}

HOST_TEST(mpparse_bad_table_refused)
{
	u32 ids[8];
	unsigned int nr;
	struct mpc_table *mpc;

	mp_machine(0);
	put_mpf(0xf0000, MPC_AT, 0);
	mpc = put_mpc();
	mpc->checksum++;
	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0);
	mpc = put_mpc();
	mpc->signature[0] = 'X';
	mp_fix_checksum(mpc, mpc->length, offsetof(struct mpc_table, checksum));
	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0);
	mpc = put_mpc();
	mpc->length = 10; /* shorter than its header */
	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0);
	put_mpf(0xf0000, (u32)(MP_RAM_SIZE - 16), 0); /* a table that runs past memory */
	mpc = phys_to_virt(MP_RAM_SIZE - 16);
	memcpy(mpc->signature, "PCMP", 4);
	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0);
	CHECK_EQ(nr, 0);
}

HOST_TEST(mpparse_entries_bounded)
{
	u32 ids[8];
	unsigned int nr;
	struct mpc_table *mpc;
	u8 *entries;

	mp_machine(0);
	put_mpf(0xf0000, MPC_AT, 0);
	/* more entries than the length holds: the last processor is cut off, never read */
	mpc = put_mpc();
	mpc->oemcount = 200;
	mpc->length = sizeof(*mpc) + 2 * sizeof(struct mpc_cpu) + 10;
	mp_fix_checksum(mpc, mpc->length, offsetof(struct mpc_table, checksum));
	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0xfee00000);
	CHECK_EQ(nr, 2);
	/* an unknown entry type stops the walk */
	mpc = put_mpc();
	entries = (u8 *)(mpc + 1);
	entries[2 * sizeof(struct mpc_cpu)] = 9;
	mp_fix_checksum(mpc, mpc->length, offsetof(struct mpc_table, checksum));
	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0xfee00000);
	CHECK_EQ(nr, 2);
	/* fewer entries than the length holds: only those counted */
	mpc = put_mpc();
	mpc->oemcount = 1;
	mp_fix_checksum(mpc, mpc->length, offsetof(struct mpc_table, checksum));
	CHECK_EQ(mp_find_cpus(ids, 8, &nr), 0xfee00000);
	CHECK_EQ(nr, 1);
}
