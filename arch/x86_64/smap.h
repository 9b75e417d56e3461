/* SPDX-License-Identifier: MIT */
/*
 * The SMAP window around kernel accesses to user memory. stac/clac exist only on CPUs with
 * SMAP, so they run only when the kernel switched SMAP on.
 */
#ifndef WARDEN_ARCH_SMAP_H
#define WARDEN_ARCH_SMAP_H

#include "arch/x86_64/cpu.h"

extern bool smap_enabled;

static __always_inline void user_access_begin(void)
{
	if (smap_enabled)
		stac();
}

static __always_inline void user_access_end(void)
{
	if (smap_enabled)
		clac();
}

#endif
