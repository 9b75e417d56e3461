// SPDX-License-Identifier: MIT
/* Parsers for the two boot protocols (multiboot2 and Xen PVH) into struct boot_info. */
#include "kernel/bootinfo.h"
#include "kernel/string.h"
#include "mm/memory.h"

struct boot_info boot_info;

/* Multiboot2 tag types we read. */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14 /* a copy of the ACPI 1.0 RSDP */
#define MB2_TAG_ACPI_NEW 15 /* a copy of the ACPI 2.0+ RSDP */

struct mb2_tag {
	u32 type;
	u32 size;
};

struct mb2_mmap_entry {
	u64 base;
	u64 length;
	u32 type;
	u32 reserved;
};

/* Xen PVH start info (version 1 adds the memory map), as QEMU fills it. */
struct hvm_start_info {
	u32 magic;
	u32 version;
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;
	u64 cmdline_paddr;
	u64 rsdp_paddr;
	u64 memmap_paddr;
	u32 memmap_entries;
	u32 reserved;
};

struct hvm_modlist_entry {
	u64 paddr;
	u64 size;
	u64 cmdline_paddr;
	u64 reserved;
};

struct hvm_memmap_entry {
	u64 addr;
	u64 size;
	u32 type;
	u32 reserved;
};

static void add_mem(struct boot_info *bi, u64 base, u64 size, u32 type)
{
	if (bi->nr_mem < BOOT_MAX_MEM && size)
		bi->mem[bi->nr_mem++] = (struct boot_mem_region){ base, size, type };
}

static void add_module(struct boot_info *bi, u64 start, u64 end, const char *cmdline)
{
	if (bi->nr_modules >= BOOT_MAX_MODULES)
		return;
	struct boot_module *m = &bi->modules[bi->nr_modules++];
	m->start = start;
	m->end = end;
	strlcpy(m->cmdline, cmdline ? cmdline : "", sizeof(m->cmdline));
}

/* Keeps up to sizeof(copy) bytes of the loader's RSDP; drivers/acpi/tables.c validates them. */
static void set_rsdp(struct boot_info *bi, u64 phys, const void *rsdp, u32 len)
{
	struct acpi_rsdp_hint *h = &bi->acpi_rsdp;

	h->phys = phys;
	h->len = min(len, (u32)sizeof(h->copy));
	memcpy(h->copy, rsdp, h->len);
}

/* Walks the multiboot2 tag list. */
static void parse_multiboot2(u64 info, struct boot_info *bi)
{
	const u8 *base = phys_to_virt(info);
	u32 total = *(const u32 *)base;

	bi->protocol = "multiboot2";
	bi->info_size = total;
	for (u32 off = 8; off + sizeof(struct mb2_tag) <= total;) {
		const struct mb2_tag *tag = (const void *)(base + off);
		const u8 *body = (const u8 *)(tag + 1);

		if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag))
			break;
		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			strlcpy(bi->cmdline, (const char *)body, sizeof(bi->cmdline));
			break;
		case MB2_TAG_LOADER:
			strlcpy(bi->loader_name, (const char *)body, sizeof(bi->loader_name));
			break;
		case MB2_TAG_MODULE: {
			const u32 *m = (const u32 *)body;
			add_module(bi, m[0], m[1], (const char *)(m + 2));
			break;
		}
		case MB2_TAG_MMAP: {
			u32 esize = ((const u32 *)body)[0];
			for (u32 e = 16; esize && e + esize <= tag->size; e += esize) {
				const struct mb2_mmap_entry *me =
					(const void *)((const u8 *)tag + e);
				add_mem(bi, me->base, me->length, me->type);
			}
			break;
		}
		case MB2_TAG_ACPI_OLD: /* GRUB gives both on ACPI 2.0 machines: keep the new one */
			if (bi->acpi_rsdp.len)
				break;
			fallthrough;
		case MB2_TAG_ACPI_NEW:
			set_rsdp(bi, 0, body, tag->size - sizeof(*tag));
			break;
		}
		off += ALIGN_UP(tag->size, 8);
	}
}

/* Reads Xen PVH's hvm_start_info, its module list and memory map. */
static void parse_pvh(u64 info, struct boot_info *bi)
{
	const struct hvm_start_info *si = phys_to_virt(info);

	bi->protocol = "pvh";
	bi->info_size = sizeof(*si);
	strlcpy(bi->loader_name, "QEMU (PVH direct boot)", sizeof(bi->loader_name));
	if (si->cmdline_paddr)
		strlcpy(bi->cmdline, phys_to_virt(si->cmdline_paddr), sizeof(bi->cmdline));
	const struct hvm_modlist_entry *mods = phys_to_virt(si->modlist_paddr);
	for (u32 i = 0; si->modlist_paddr && i < si->nr_modules; i++) {
		const char *cl = mods[i].cmdline_paddr ? phys_to_virt(mods[i].cmdline_paddr) : "";
		add_module(bi, mods[i].paddr, mods[i].paddr + mods[i].size, cl);
	}
	/* The RSDP (QEMU's PVH option ROM finds it in the BIOS area), below the boot map's 1 GiB */
	if (si->rsdp_paddr && si->rsdp_paddr < SZ_1G - ACPI_RSDP_V2_SIZE)
		set_rsdp(bi, si->rsdp_paddr, phys_to_virt(si->rsdp_paddr), ACPI_RSDP_V2_SIZE);
	if (si->version >= 1 && si->memmap_paddr) {
		const struct hvm_memmap_entry *mm = phys_to_virt(si->memmap_paddr);
		for (u32 i = 0; i < si->memmap_entries; i++)
			add_mem(bi, mm[i].addr, mm[i].size, mm[i].type);
	}
}

int bootinfo_parse(u32 magic, u64 info, struct boot_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	bi->info_phys = info;
	if (magic == BOOT_MAGIC_MULTIBOOT2)
		parse_multiboot2(info, bi);
	else if (magic == BOOT_MAGIC_PVH &&
		 ((const struct hvm_start_info *)phys_to_virt(info))->magic == BOOT_MAGIC_PVH)
		parse_pvh(info, bi);
	else
		return -1;
	return 0;
}

const char *boot_mem_type_name(u32 type)
{
	switch (type) {
	case BOOT_MEM_USABLE:
		return "usable";
	case BOOT_MEM_RESERVED:
		return "reserved";
	case BOOT_MEM_ACPI_RECLAIMABLE:
		return "ACPI data";
	case BOOT_MEM_ACPI_NVS:
		return "ACPI NVS";
	case BOOT_MEM_BAD:
		return "bad";
	default:
		return "unknown";
	}
}
