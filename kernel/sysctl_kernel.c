// SPDX-License-Identifier: MIT
/*
 * /proc/sys/kernel: the knobs of the kernel itself that programs (and LTP's harness) read, as
 * Linux 6.1's kernel/sysctl.c has them: pid_max and tainted.
 */
#include "fs/proc.h"
#include "fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/sys.h"

#define PID_MAX_MIN 301 /* RESERVED_PIDS + 1 */
#define PID_MAX_LIMIT 0x400000 /* 4 Mi: the 64-bit limit */
#define TAINT_FLAGS_COUNT 19 /* taint bits Linux 6.1 knows (TAINT_P .. TAINT_TEST) */

/* The kernel's taint mask (add_taint): Warden taints itself for nothing, so only root's writes set
 * bits. */
static int tainted_mask;

/* kernel.tainted (proc_taint): a write adds the known bits it names and never clears one. */
static int tainted_store(int *value, int v)
{
	*value |= v & ((1 << TAINT_FLAGS_COUNT) - 1);
	return 0;
}

/* Creates /proc/sys/kernel with pid_max (kernel/fork.c's pid_max: the bound clone3's set_tid
 * checks) and tainted. 0 or -errno. */
int kernel_sysctl_init(void)
{
	struct inode *sys = lookup_child(proc_root_dir(), "sys", 3), *kernel; /* mm_sysctl_init's */
	int err;

	if (IS_ERR(sys))
		return PTR_ERR(sys);
	kernel = proc_mkdir(sys, "kernel");
	iput(sys);
	if (!kernel)
		return -ENOMEM;
	err = proc_create_int(kernel, "pid_max", 0644, &pid_max, PID_MAX_MIN, PID_MAX_LIMIT);
	if (!err)
		err = proc_create_int_store(kernel, "tainted", 0644, &tainted_mask, 0, 0x7fffffff,
					    tainted_store);
	iput(kernel);
	return err;
}
