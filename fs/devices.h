/* SPDX-License-Identifier: MIT */
/*
 * Character devices: a device node's i_rdev picks its driver when it is opened. Known devices:
 * 1:3 /dev/null, 1:5 /dev/zero, and the terminals (drivers/tty): 4:64 /dev/ttyS0, 5:0 /dev/tty,
 * 5:1 /dev/console; opening any other node is ENXIO, as on Linux for a number without a driver.
 */
#ifndef WARDEN_FS_DEVICES_H
#define WARDEN_FS_DEVICES_H

#include "fs/vfs.h"

extern const struct file_operations null_fops, zero_fops;

/* The driver of a device number (mkdev()), or NULL. */
const struct file_operations *chrdev_fops(u32 rdev);

#endif
