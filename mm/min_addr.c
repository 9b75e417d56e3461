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

static bool sysctl_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * Writing (Linux's mmap_min_addr_handler over proc_doulongvec_minmax): EPERM without
 * CAP_SYS_RAWIO; a write at a non-zero position is taken and ignored; otherwise blanks, one
 * unsigned decimal number that fits 64 bits, then a blank or the end, else EINVAL. Returns the
 * bytes up to the number's trailing blanks.
 */
static ssize_t mmap_min_addr_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	size_t count = iov_iter_count(from), len, i = 0;
	unsigned long v = 0;
	bool digits = false;
	char buf[32];

	(void)file;
	if (!capable_sys_rawio())
		return -EPERM;
	if (*ppos) {
		*ppos += (s64)count;
		return (ssize_t)count;
	}
	if (!count)
		return 0;
	len = count < sizeof(buf) ? count : sizeof(buf) - 1;
	if (copy_from_iter(buf, len, from) != len)
		return -EFAULT;
	while (i < len && sysctl_space(buf[i]))
		i++;
	for (; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		digits = true;
		if (__builtin_mul_overflow(v, 10UL, &v) ||
		    __builtin_add_overflow(v, (unsigned long)(buf[i] - '0'), &v))
			return -EINVAL;
	}
	if (!digits || (i < len && !sysctl_space(buf[i])))
		return -EINVAL;
	while (i < len && sysctl_space(buf[i]))
		i++;
	dac_mmap_min_addr = v;
	update_mmap_min_addr();
	*ppos += (s64)i;
	return (ssize_t)i;
}

int mmap_min_addr_sysctl_init(struct inode *vm)
{
	return proc_create_seq(vm, "mmap_min_addr", 0644, mmap_min_addr_show, mmap_min_addr_write);
}
