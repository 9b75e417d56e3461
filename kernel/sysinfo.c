// SPDX-License-Identifier: MIT
/*
 * sysinfo(2) (99), as Linux 6.1's do_sysinfo in kernel/sys.c on 64-bit: what free(1) and
 * uptime(1) read. The numbers are /proc/meminfo's (fs/proc_meminfo.c) and /proc/uptime's.
 */
#include "fs/filemap.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/sys.h"
#include "kernel/time_namespace.h"
#include "mm/frame.h"
#include "mm/uaccess.h"

#define NSEC_PER_SEC 1000000000ULL

/* struct sysinfo of Linux's x86-64 ABI (112 bytes). */
struct sysinfo {
	s64 uptime;
	u64 loads[3];
	u64 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	u16 procs, pad;
	u64 totalhigh, freehigh;
	u32 mem_unit;
	u32 pad2; /* Linux's _f[]: 20 - 2 * 8 - 4 = 0 bytes, then alignment */
};

_Static_assert(sizeof(struct sysinfo) == 112, "Linux's struct sysinfo");

/*
 * Uptime in whole seconds rounded up, load averages 0 (Warden keeps none), memory in bytes
 * (mem_unit 1: the page counts fit when shifted), sharedram the page cache (all of it tmpfs-like:
 * Linux's NR_SHMEM), no buffers, swap or high memory, the number of threads (Linux's
 * nr_threads). The whole struct is written, padding zeroed: no kernel bytes reach the caller.
 */
long sys_sysinfo(struct sysinfo *info)
{
	struct sysinfo k;
	u64 ns = timens_add_boottime_ns(ktime_get_ns()); /* the caller's time namespace's */

	memset(&k, 0, sizeof(k));
	k.uptime = (s64)(ns / NSEC_PER_SEC + (ns % NSEC_PER_SEC ? 1 : 0));
	k.totalram = nr_managed_frames() * PAGE_SIZE;
	k.freeram = nr_free_frames() * PAGE_SIZE;
	k.sharedram = nr_file_pages * PAGE_SIZE;
	k.procs = (u16)nr_threads;
	k.mem_unit = 1;
	return copy_to_user(info, &k, sizeof(k)) ? -EFAULT : 0;
}
