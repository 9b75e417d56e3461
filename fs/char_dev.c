// SPDX-License-Identifier: MIT
/* Opening device nodes: from the device number to the driver's file operations. */
#include "fs/devices.h"
#include "fs/console.h"
#include "fs/ramfs.h"
#ifndef WARDEN_HOST
#include "drivers/tty/tty.h"
#endif
#include "kernel/errno.h"

static const struct {
	u32 major, minor;
	const struct file_operations *fops;
} chrdevs[] = {
	{ 1, 3, &null_fops },
	{ 1, 5, &zero_fops },
#ifdef WARDEN_HOST
	{ 5, 1, &console_fops },
#else
	{ 4, 64, &tty_fops }, /* ttyS0 */
	{ 5, 0, &tty_fops }, /* the controlling terminal */
	{ 5, 1, &tty_fops }, /* the console: ttyS0 */
#endif
};

const struct file_operations *chrdev_fops(u32 rdev)
{
	for (size_t i = 0; i < ARRAY_SIZE(chrdevs); i++)
		if (mkdev(chrdevs[i].major, chrdevs[i].minor) == rdev)
			return chrdevs[i].fops;
	return NULL;
}

/* The open of every device node: becomes the driver's file, then runs the driver's open. */
static int chrdev_open(struct inode *inode, struct file *file)
{
	const struct file_operations *fops = chrdev_fops(inode->i_rdev);

	if (!fops)
		return -ENXIO;
	file->f_op = fops;
	return fops->open ? fops->open(inode, file) : 0;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
};
