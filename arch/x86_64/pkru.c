// SPDX-License-Identifier: MIT
/*
 * PKRU access for the running task (arch/x86_64/pkru.h). RDPKRU and WRPKRU fault (#UD) unless
 * CR4.PKE is set, so both do nothing when keys are off.
 */
#include "arch/x86_64/pkru.h"

bool pku_enabled;

u32 read_pkru(void)
{
	u32 eax, edx;

	if (!pku_enabled)
		return 0;
	__asm__ __volatile__("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

void write_pkru(u32 pkru)
{
	if (!pku_enabled)
		return;
	__asm__ __volatile__("wrpkru" ::"a"(pkru), "c"(0), "d"(0) : "memory");
}
