// SPDX-License-Identifier: MIT
/* Symbol lookup over the sorted table emitted by tools/mksyms.sh. */
#include "kernel/ksyms.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

extern const u64 ksyms_num;
extern const u64 ksyms_addr[];
extern const u32 ksyms_name_off[];
extern const char ksyms_names[];
extern const char _etext[];

u64 ksym_count(void)
{
	return ksyms_num;
}

/* Binary search for the last symbol at or below addr. */
const char *ksym_lookup(u64 addr, u64 *offset, u64 *size)
{
	u64 lo = 0, hi = ksyms_num;

	if (!ksyms_num || addr < ksyms_addr[0] || addr >= (u64)_etext)
		return NULL;
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;
		if (ksyms_addr[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	u64 end = lo + 1 < ksyms_num ? ksyms_addr[lo + 1] : (u64)_etext;
	if (offset)
		*offset = addr - ksyms_addr[lo];
	if (size)
		*size = end - ksyms_addr[lo];
	return &ksyms_names[ksyms_name_off[lo]];
}

u64 ksym_address(const char *name)
{
	for (u64 i = 0; i < ksyms_num; i++)
		if (strcmp(&ksyms_names[ksyms_name_off[i]], name) == 0)
			return ksyms_addr[i];
	return 0;
}

void ksym_format(char *buf, size_t len, u64 addr)
{
	u64 off, size;
	const char *name = ksym_lookup(addr, &off, &size);

	if (name)
		snprintf(buf, len, "%s+0x%llx/0x%llx", name, (unsigned long long)off,
			 (unsigned long long)size);
	else
		snprintf(buf, len, "%#llx", (unsigned long long)addr);
}
