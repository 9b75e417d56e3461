// SPDX-License-Identifier: MIT
/*
 * vm.mmap_min_addr, as Linux 6.1's security/min_addr.c and cap_mmap_addr with Debian's
 * configuration (CONFIG_DEFAULT_MMAP_MIN_ADDR and CONFIG_LSM_MMAP_MIN_ADDR both 65536).
 */
#include "kernel/cred.h"
#include "mm/min_addr.h"
#include "fs/proc.h"
#include "fs/uio.h"
#include "kernel/errno.h"

#define CONFIG_LSM_MMAP_MIN_ADDR 65536UL

unsigned long dac_mmap_min_addr = 65536;
unsigned long mmap_min_addr = 65536;

/* Linux's capable(CAP_SYS_RAWIO) (the dac_mmap_min_addr check of cap_mmap_addr). */
static bool capable_sys_rawio(void)
{
	return capable(CAP_SYS_RAWIO);
}

/* mmap_min_addr follows the sysctl, never below the LSM's floor (update_mmap_min_addr). */
static void update_mmap_min_addr(void)
{
	mmap_min_addr = dac_mmap_min_addr > CONFIG_LSM_MMAP_MIN_ADDR ? dac_mmap_min_addr
								     : CONFIG_LSM_MMAP_MIN_ADDR;
}

int security_mmap_addr(u64 addr)
{
	if (addr < dac_mmap_min_addr && !capable_sys_rawio())
		return -EPERM;
	return 0;
}

/* Reading: the sysctl's value and a newline. */
static int mmap_min_addr_show(struct seq_buf *m)
{
	seq_printf(m, "%lu\n", dac_mmap_min_addr);
	return 0;
}

/*
 * Writing (Linux's mmap_min_addr_handler over proc_doulongvec_minmax): EPERM without
 * CAP_SYS_RAWIO, then the number as every unsigned long sysctl reads it.
 */
static ssize_t mmap_min_addr_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	u64 v = dac_mmap_min_addr;
	ssize_t r;

	(void)file;
	if (!capable_sys_rawio())
		return -EPERM;
	r = proc_sysctl_write_ulong(from, ppos, &v);
	if (r >= 0)
		dac_mmap_min_addr = v;
	update_mmap_min_addr();
	return r;
}

int mmap_min_addr_sysctl_init(struct inode *vm)
{
	return proc_create_seq(vm, "mmap_min_addr", 0644, mmap_min_addr_show, mmap_min_addr_write);
}
