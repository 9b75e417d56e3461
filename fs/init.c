// SPDX-License-Identifier: MIT
/* Building the root file system at boot. */
#include "kernel/trace.h"
#include "fs/cpio.h"
#include "fs/proc.h"
#include "fs/ramfs.h"
#include "kernel/errno.h"
#ifndef WARDEN_HOST
#include "kernel/sys.h"
#include "kernel/coredump.h"
#include "fs/syscalls.h" /* epoll_sysctl_init */
#include "mm/proc_maps.h" /* /proc/self/maps and smaps: the host tests of fs/ have no mm */
#include "mm/oom_kill.h" /* /proc/self/oom_score, oom_score_adj, oom_adj */
#include "mm/overcommit.h" /* /proc/sys/vm/overcommit_* */
#include "mm/userfaultfd.h" /* /proc/sys/vm/unprivileged_userfaultfd */
#include "ipc/shm.h" /* /proc/sys/kernel/shm*, /proc/sysvipc/shm */
#include "kernel/time_namespace.h" /* /proc/self/timens_offsets */
#endif

/* Creates name in the root's directory dir with mode (and device number rdev). */
static int fs_mknod(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **res)
{
	u32 len = 0;

	while (name[len])
		len++;
	return vfs_mknod(dir, name, len, mode, rdev, res);
}

int fs_init(void *initrd, size_t len)
{
	struct inode *dev;
	int err;

	/* The root is a tmpfs root: mode 01777, its own parent. */
	fs_root = ramfs_new_inode(NULL, S_IFDIR | 01777, 0);
	if (!fs_root)
		return -ENOMEM;
	err = fs_mknod(fs_root, "dev", S_IFDIR | 0755, 0, &dev);
	if (err)
		return err;
	err = fs_mknod(dev, "null", S_IFCHR | 0666, mkdev(1, 3), NULL);
	if (!err)
		err = fs_mknod(dev, "zero", S_IFCHR | 0666, mkdev(1, 5), NULL);
	if (!err)
		err = fs_mknod(dev, "console", S_IFCHR | 0600, mkdev(5, 1), NULL);
	if (!err)
		err = fs_mknod(dev, "tty", S_IFCHR | 0666, mkdev(5, 0), NULL);
	if (!err)
		err = fs_mknod(dev, "ttyS0", S_IFCHR | 0600, mkdev(4, 64), NULL);
	iput(dev);
	if (!err)
		err = fs_mknod(fs_root, "tmp", S_IFDIR | 01777, 0, NULL);
	if (!err)
		err = proc_init();
#ifndef WARDEN_HOST
	if (!err)
		err = proc_maps_init();
	if (!err)
		err = mm_sysctl_init();
	if (!err)
		err = hugetlb_sysctl_init();
	if (!err)
		err = overcommit_sysctl_init();
	if (!err)
		err = userfaultfd_sysctl_init();
	if (!err)
		err = ipc_sysctl_init();
	if (!err)
		err = sysctl_kernel_init();
	if (!err)
		err = coredump_sysctl_init();
	if (!err)
		err = proc_coredump_filter_init();
	if (!err)
		err = epoll_sysctl_init();
	if (!err)
		err = trace_proc_init();
	if (!err)
		err = proc_pagemap_init();
	if (!err)
		err = proc_clear_refs_init();
	if (!err)
		err = proc_oom_init();
	if (!err)
		err = proc_timens_offsets_init();
	if (!err)
		err = proc_mem_init();
	if (!err)
		err = proc_limits_init();
	if (!err)
		err = proc_base_init();
	if (!err)
		err = proc_array_init();
	if (!err)
		err = proc_misc_init();
#endif
	if (!err && len)
		err = unpack_initramfs(initrd, len);
	return err;
}
