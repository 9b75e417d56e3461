/* SPDX-License-Identifier: MIT */
/*
 * vm.mmap_min_addr (Linux's security/min_addr.c): the lowest address mmap hands out by itself,
 * and below which MAP_FIXED needs CAP_SYS_RAWIO. /proc/sys/vm/mmap_min_addr sets
 * dac_mmap_min_addr; a hint is raised to mmap_min_addr, the larger of it and the LSM's floor.
 */
#ifndef WARDEN_MM_MIN_ADDR_H
#define WARDEN_MM_MIN_ADDR_H

#include "kernel/types.h"

struct inode;

extern unsigned long dac_mmap_min_addr; /* the sysctl (Debian's default: 65536) */
extern unsigned long mmap_min_addr; /* max(dac_mmap_min_addr, CONFIG_LSM_MMAP_MIN_ADDR) */

/*
 * Linux's cap_mmap_addr (security_mmap_addr): an address below dac_mmap_min_addr needs
 * CAP_SYS_RAWIO. 0 or -EPERM.
 */
int security_mmap_addr(u64 addr);

/* Creates /proc/sys/vm/mmap_min_addr in vm. 0 or -errno. */
int mmap_min_addr_sysctl_init(struct inode *vm);

#endif
